"""SFU functions with many local minima (and the steep-ridge / drop ones).

Definitions, usual domains and optima follow Surjanovic & Bingham, Virtual
Library of Simulation Experiments: Test Functions and Datasets, Simon Fraser
University, https://www.sfu.ca/~ssurjano/optimization.html (page named in
each ``reference``).  Where SFU gives the optimum to a few digits only, the
minimizers below were refined numerically (``x_opt_approximate``) and
``f_opt`` is the refined value; ``f_opt_published`` keeps SFU's digits and the
tests check that both agree to the published precision.
"""
from __future__ import annotations

import autograd.numpy as anp
import numpy as np

from . import _kernels as K
from ._base import TestFunction
from ._registry import register

PI = np.pi
SFU = "Surjanovic & Bingham, Virtual Library of Simulation Experiments (SFU), "


def _signs(a, b):
    """The four points (+-a, +-b)."""
    return [[a, b], [a, -b], [-a, b], [-a, -b]]


def _times_exp(A, t):
    """``exp(A)[..., None] * t``, as ``sign(t) exp(A + log|t|)`` where ``e^A`` overflows.

    The result overflows only where the true product does (A > 700 only far outside
    the usual domain); ``t = 0`` gives 0, never ``0 * inf = nan``.
    """
    if not np.any(A > 700.0):
        return np.exp(A)[..., None] * t
    with np.errstate(divide="ignore", over="ignore"):
        return np.sign(t) * np.exp(A[..., None] + np.log(np.abs(t)))


def _schaffer_hessp(x, v, n0, n1, n2):
    """H v of ``f = 1/2 + N(w) P(s)``, ``w = x1^2 - x2^2``, ``s = x1^2 + x2^2``,
    ``P = (1 + 0.001 s)^-2``, given ``N``, ``N'``, ``N''`` at ``w``:

    H v = N'' P (gw . v) gw + N' P' [(gs . v) gw + (gw . v) gs] + N' P Hess(w) v
          + N P'' (gs . v) gs + 2 N P' v,
    gw = 2 (x1, -x2), gs = 2 x, Hess(w) = diag(2, -2), P' = -0.002 D^-3, P'' = 6e-6 D^-4.
    """
    x1, x2 = x[..., 0], x[..., 1]
    v1, v2 = v[..., 0], v[..., 1]
    d = 1.0 + 0.001 * (x1 * x1 + x2 * x2)
    p0 = 1.0 / (d * d)
    p1 = -0.002 * p0 / d
    p2 = 6e-6 * p0 * p0
    gwv, gsv = 2.0 * (x1 * v1 - x2 * v2), 2.0 * (x1 * v1 + x2 * v2)
    cw = n2 * p0 * gwv + n1 * p1 * gsv  # coefficient of gw
    cs = n1 * p1 * gwv + n0 * p2 * gsv  # coefficient of gs
    k = 2.0 * n1 * p0
    c = 2.0 * n0 * p1
    return np.stack([2.0 * (cw + cs) * x1 + (k + c) * v1,
                     2.0 * (cs - cw) * x2 + (c - k) * v2], axis=-1)


@register
class Ackley(TestFunction):
    r"""Ackley function (a = 20, b = 0.2, c = 2 pi).

    .. math:: f(x) = -a \exp\left(-b\sqrt{\tfrac1n\sum x_i^2}\right)
              - \exp\left(\tfrac1n\sum\cos(c x_i)\right) + a + e

    Domain ``[-32.768, 32.768]^n``; ``f* = 0`` at 0 (not differentiable there).
    """

    name = "ackley"
    title = "Ackley"
    default_dim = 2
    tags = ("sfu", "multimodal", "many-local-minima", "nonsmooth")
    formula = "-20 exp(-0.2 sqrt(mean(x^2))) - exp(mean(cos(2 pi x))) + 20 + e"
    reference = SFU + "Ackley Function"
    domain = (-32.768, 32.768)
    smooth_at_opt = False

    def _f(self, x):
        r = anp.sqrt(K.rowsum(x * x) / self.n)
        return (-20.0 * anp.exp(-0.2 * r) - anp.exp(K.rowsum(K.cos(2 * PI * x)) / self.n)
                + 20.0 + np.e)

    # grad f = 4 e^{-0.2 r} x / (n r) + (2 pi / n) e^{C/n} sin(2 pi x), r = |x| / sqrt(n),
    # C = sum cos(2 pi x); at x = 0 (a kink) the first term is taken as 0.
    def _parts(self, x):
        n, c = self.n, 2.0 * PI
        r = np.sqrt(K.rowsum(x * x) / n)
        rs = np.where(r > 0, r, 1.0)
        a = np.where(r > 0, 4.0 * np.exp(-0.2 * r) / (n * rs), 0.0)
        sn, cs = K.sincos(c * x)  # one tan call for both
        e2 = np.exp(K.rowsum(cs) / n) * (c / n)
        return n, c, r, rs, a, e2, sn, cs

    def _grad(self, x):
        n, c, r, rs, a, e2, sn, cs = self._parts(x)
        return a[..., None] * x + e2[..., None] * sn

    def _hessp(self, x, v):
        n, c, r, rs, a, e2, s, cs = self._parts(x)
        b = np.where(r > 0, (0.2 / rs + 1.0 / (rs * rs)) / n, 0.0)
        return (a[..., None] * (v - x * (K.rowsum(x * v) * b)[..., None])
                + e2[..., None] * (c * cs * v - (c / n) * s * K.rowsum(s * v)[..., None]))


@register
class BukinN6(TestFunction):
    r"""Bukin function N. 6.

    .. math:: f(x) = 100\sqrt{|x_2 - 0.01 x_1^2|} + 0.01 |x_1 + 10|

    Domain ``x1 in [-15, -5], x2 in [-3, 3]``; ``f* = 0`` at ``(-10, 1)``
    (not differentiable there; the minimizers of the valley are not isolated).
    """

    name = "bukin_n6"
    title = "Bukin N. 6"
    dim = 2
    tags = ("sfu", "multimodal", "many-local-minima", "nonsmooth")
    formula = "100 sqrt(|x2 - 0.01 x1^2|) + 0.01 |x1 + 10|"
    reference = SFU + "Bukin Function N. 6"
    smooth_at_opt = False

    def _bounds(self):
        return [[-15.0, -5.0], [-3.0, 3.0]]

    def _f(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        return 100.0 * anp.sqrt(anp.abs(x2 - 0.01 * x1 * x1)) + 0.01 * anp.abs(x1 + 10.0)

    # grad = 50 sign(u) |u|^{-1/2} grad u + 0.01 sign(x1 + 10) e1, u = x2 - 0.01 x1^2; on the
    # valley u = 0 (where the minimizer lies) the derivative is unbounded: taken as 0 there.
    def _grad(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        u = x2 - 0.01 * x1 * x1
        au = np.abs(u)
        k = np.where(au > 0, 50.0 * np.sign(u) / np.sqrt(np.where(au > 0, au, 1.0)), 0.0)
        return np.stack([-0.02 * x1 * k + 0.01 * np.sign(x1 + 10.0), k], axis=-1)

    def _hessp(self, x, v):
        x1, x2 = x[..., 0], x[..., 1]
        u = x2 - 0.01 * x1 * x1
        au = np.where(u != 0, np.abs(u), 1.0)
        k1 = np.where(u != 0, 50.0 * np.sign(u) / np.sqrt(au), 0.0)
        k2 = np.where(u != 0, -25.0 / (au * np.sqrt(au)), 0.0)
        gu = np.stack([-0.02 * x1, np.ones_like(x1)], axis=-1)
        d = K.rowsum(gu * v)
        return k2[..., None] * d[..., None] * gu + np.stack(
            [-0.02 * k1 * v[..., 0], np.zeros_like(x1)], axis=-1)

    def _x_opt(self):
        return [[-10.0, 1.0]]


@register
class CrossInTray(TestFunction):
    r"""Cross-in-tray function.

    .. math:: f(x) = -0.0001\left(\left|\sin x_1 \sin x_2
              \exp\left|100 - \tfrac{\sqrt{x_1^2+x_2^2}}{\pi}\right|\right| + 1\right)^{0.1}

    Domain ``[-10, 10]^2``; four global minimizers ``(+-1.3491, +-1.3491)``,
    ``f* = -2.06261`` (SFU).
    """

    name = "cross_in_tray"
    title = "Cross-in-tray"
    dim = 2
    tags = ("sfu", "multimodal", "many-local-minima", "nonsmooth")
    formula = "-1e-4 (|sin x1 sin x2 exp(|100 - sqrt(x1^2 + x2^2)/pi|)| + 1)^0.1"
    reference = SFU + "Cross-in-Tray Function"
    domain = (-10.0, 10.0)
    x_opt_approximate = True
    f_opt_published = "-2.06261"
    _a = 1.3494066171539107

    # (|s| e^A + 1)^0.1 = exp(0.1 log(1 + e^z)), z = log|s| + A: finite wherever the
    # true value is (the naive form overflows to -inf once e^A does, A > 709).
    def _f(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        r = anp.sqrt(x1 * x1 + x2 * x2)
        with np.errstate(divide="ignore", over="ignore"):  # -inf only if the true value is
            z = anp.log(anp.abs(anp.sin(x1) * anp.sin(x2))) + anp.abs(100.0 - r / PI)
            return -1e-4 * anp.exp(0.1 * anp.logaddexp(z, 0.0))

    def _grad(self, x):
        # f = -1e-4 (1 + u)^0.1, u = |s| e^A:  grad f = -1e-5 (1 + u)^0.1 (w_s grad|s| + w grad A)
        # with w = u / (1 + u), w_s = e^A / (1 + u) = 1 / (|s| + e^-A); sign(0) = 0 and
        # grad A = 0 at r = 0 (kinks: the one-sided derivatives differ there).
        x1, x2 = x[..., 0], x[..., 1]
        r = np.sqrt(x1 * x1 + x2 * x2)
        s1, s2, c1, c2 = np.sin(x1), np.sin(x2), np.cos(x1), np.cos(x2)
        s = s1 * s2
        A = np.abs(100.0 - r / PI)
        with np.errstate(divide="ignore", over="ignore"):
            z = np.log(np.abs(s)) + A
            L = np.logaddexp(z, 0.0)
            w = np.exp(z - L)
            ws = 1.0 / (np.abs(s) + np.exp(-A))
        sg = np.sign(s)
        dA = -np.sign(100.0 - r / PI) / PI / np.where(r > 0, r, 1.0) * (r > 0)
        with np.errstate(over="ignore"):
            scale = -1e-5 * np.exp(0.1 * L)
        g1 = K.safe_mul(ws, sg * c1 * s2) + w * dA * x1
        g2 = K.safe_mul(ws, sg * s1 * c2) + w * dA * x2
        return np.stack([scale * g1, scale * g2], axis=-1)

    # With L = log(1 + u), grad L = w_s sign(s) gs + w gA (gs = grad s, gA = grad A = a_r x):
    # H v = -1e-5 (1 + u)^0.1 [w_s sign(s) (Hess(s) v + gA (gs . v) + gs (gA . v))
    #                           + w (Hess(A) v + gA (gA . v)) - 0.9 grad L (grad L . v)],
    # Hess(s) = [[-s, cos x1 cos x2], [cos x1 cos x2, -s]], Hess(A) = a_r (I - x x^T / r^2),
    # the derivative of the gradient formula with sign(s) held fixed (0 on the kink s = 0,
    # like the gradient) and Hess(A), gA taken as 0 at r = 0; w_s sign(s) = 0 where s = 0
    # even if w_s = e^A overflows.
    def _hessp(self, x, v):
        x1, x2 = x[..., 0], x[..., 1]
        v1, v2 = v[..., 0], v[..., 1]
        r = np.sqrt(x1 * x1 + x2 * x2)
        s1, c1 = K.sincos(x1)
        s2, c2 = K.sincos(x2)
        s = s1 * s2
        A = np.abs(100.0 - r / PI)
        with np.errstate(divide="ignore", over="ignore"):
            L = np.logaddexp(np.log(np.abs(s)) + A, 0.0)
            w = np.exp(np.log(np.abs(s)) + A - L)
            ws = K.safe_mul(1.0 / (np.abs(s) + np.exp(-A)), np.sign(s))
        ok = r > 0
        rs = np.where(ok, r, 1.0)
        ar = -np.sign(100.0 - r / PI) / PI / rs * ok
        gs1, gs2, m = c1 * s2, s1 * c2, c1 * c2
        xv = x1 * v1 + x2 * v2
        gsv, gAv = gs1 * v1 + gs2 * v2, ar * xv
        gL1 = K.safe_mul(ws, gs1) + w * ar * x1
        gL2 = K.safe_mul(ws, gs2) + w * ar * x2
        gLv = 0.9 * (gL1 * v1 + gL2 * v2)
        cx = w * xv * (ar * ar - ar / (rs * rs))
        t1 = K.safe_mul(ws, -s * v1 + m * v2 + ar * x1 * gsv + gs1 * gAv) + w * ar * v1 + cx * x1
        t2 = K.safe_mul(ws, m * v1 - s * v2 + ar * x2 * gsv + gs2 * gAv) + w * ar * v2 + cx * x2
        with np.errstate(over="ignore"):
            scale = -1e-5 * np.exp(0.1 * L)
        return scale[..., None] * np.stack([t1 - gLv * gL1, t2 - gLv * gL2], axis=-1)

    def _x_opt(self):
        return _signs(self._a, self._a)

    def _f_opt(self):
        return self._f(np.array([self._a, self._a]))


@register
class DropWave(TestFunction):
    r"""Drop-wave function.

    .. math:: f(x) = -\frac{1 + \cos(12\sqrt{x_1^2 + x_2^2})}{0.5(x_1^2 + x_2^2) + 2}

    Domain ``[-5.12, 5.12]^2``; ``f* = -1`` at 0 (autograd cannot evaluate the
    gradient exactly at 0 because of the square root).
    """

    name = "drop_wave"
    title = "Drop-wave"
    dim = 2
    tags = ("sfu", "multimodal", "many-local-minima")
    formula = "-(1 + cos(12 sqrt(x1^2 + x2^2))) / (0.5 (x1^2 + x2^2) + 2)"
    reference = SFU + "Drop-Wave Function"
    domain = (-5.12, 5.12)
    smooth_at_opt = False

    def _f(self, x):
        s = x[..., 0] ** 2 + x[..., 1] ** 2
        return -(1.0 + K.cos(12.0 * anp.sqrt(s))) / (0.5 * s + 2.0)

    # N = 1 + cos(12 q), q = |x|, D = s/2 + 2, s = q^2.  f = -N/D depends on s only:
    # grad f = phi(s) x,  phi = -2 N_s / D + N / D^2,
    # H v = phi v + 2 phi'(s) (x . v) x,  phi' = -2 N_ss / D + 2 N_s / D^2 - N / D^3,
    # N_s = -72 S(12 q), S(u) = sin(u) / u (smooth at 0, S(0) = 1),
    # N_ss = -5184 T(12 q), T(u) = (u cos u - sin u) / u^3 (smooth, T(0) = -1/3), evaluated
    # by its Taylor series -1/3 + u^2/30 - u^4/840 + u^6/45360 for u < 0.1 (no cancellation).
    def _phi(self, x):
        s = x[..., 0] ** 2 + x[..., 1] ** 2
        q = np.sqrt(s)
        d = 0.5 * s + 2.0
        sn, cs = K.sincos(12.0 * q)  # fast kernels; sin(12 q)/(12 q) -> 1 at q = 0
        u = 12.0 * q
        ns = -72.0 * np.where(u > 0, sn / np.where(u > 0, u, 1.0), 1.0)
        return u, sn, cs, d, ns, 1.0 + cs

    def _grad(self, x):
        u, sn, cs, d, ns, nn = self._phi(x)
        return -((d * (2.0 * ns) - nn) / (d * d))[..., None] * x

    def _hessp(self, x, v):
        u, sn, cs, d, ns, nn = self._phi(x)
        big = u > 0.1
        ub = np.where(big, u, 1.0)
        u2 = u * u
        t = np.where(big, (ub * cs - sn) / (ub * ub * ub),
                     -1.0 / 3.0 + u2 * (1.0 / 30.0 - u2 * (1.0 / 840.0 - u2 / 45360.0)))
        nss = -5184.0 * t
        phi = -2.0 * ns / d + nn / (d * d)
        dphi = -2.0 * nss / d + 2.0 * ns / (d * d) - nn / (d * d * d)
        return phi[..., None] * v + (2.0 * dphi * K.rowsum(x * v))[..., None] * x

    def _f_opt(self):
        return -1.0


@register
class Eggholder(TestFunction):
    r"""Eggholder function.

    .. math:: f(x) = -(x_2 + 47)\sin\sqrt{|x_2 + x_1/2 + 47|}
              - x_1 \sin\sqrt{|x_1 - (x_2 + 47)|}

    Domain ``[-512, 512]^2``; ``f* = -959.6407`` at ``(512, 404.2319)`` (SFU),
    on the boundary of the domain (lower values exist outside it).
    """

    name = "eggholder"
    title = "Eggholder"
    dim = 2
    tags = ("sfu", "multimodal", "many-local-minima", "boundary-optimum")
    formula = "-(x2 + 47) sin(sqrt(|x2 + x1/2 + 47|)) - x1 sin(sqrt(|x1 - (x2 + 47)|))"
    reference = SFU + "Eggholder Function"
    domain = (-512.0, 512.0)
    interior_opt = False
    x_opt_approximate = True
    f_opt_published = "-959.6407"
    _x = (512.0, 404.23180511375784)

    def _f(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        return (-(x2 + 47.0) * K.sin(anp.sqrt(anp.abs(x2 + 0.5 * x1 + 47.0)))
                - x1 * K.sin(anp.sqrt(anp.abs(x1 - (x2 + 47.0)))))

    # d/du sin sqrt|u| = sign(u) cos sqrt|u| / (2 sqrt|u|), unbounded at u = 0: taken as 0 there.
    # d2/du2 sin sqrt|u| = -(s sin s + cos s) / (4 s^3), s = sqrt|u| (the same on both sides),
    # unbounded at u = 0: taken as 0 there too.  With f = -(x2 + 47) g(u) - x1 g(w),
    # u = x2 + x1/2 + 47, w = x1 - x2 - 47, gu = (1/2, 1), gw = (1, -1):
    # H v = -[g'(u) (e2 (gu . v) + gu v2) + (x2 + 47) g''(u) (gu . v) gu
    #         + g'(w) (e1 (gw . v) + gw v1) + x1 g''(w) (gw . v) gw].
    @staticmethod
    def _d12(u):
        """First and second derivatives of ``sin sqrt|u|`` (0 at ``u = 0``)."""
        s = np.sqrt(np.abs(u))
        sn, cs = K.sincos(s)
        ok = s > 0
        ss = np.where(ok, s, 1.0)
        d1 = np.where(ok, np.sign(u) * cs / (2.0 * ss), 0.0)
        d2 = np.where(ok, -(ss * sn + cs) / (4.0 * ss * ss * ss), 0.0)
        return d1, d2

    def _hessp(self, x, v):
        x1, x2 = x[..., 0], x[..., 1]
        v1, v2 = v[..., 0], v[..., 1]
        du1, du2 = self._d12(x2 + 0.5 * x1 + 47.0)
        dw1, dw2 = self._d12(x1 - x2 - 47.0)
        gu_v, gw_v = 0.5 * v1 + v2, v1 - v2
        a = (x2 + 47.0) * du2 * gu_v
        b = x1 * dw2 * gw_v
        return -np.stack([du1 * 0.5 * v2 + 0.5 * a + dw1 * (gw_v + v1) + b,
                          du1 * (gu_v + v2) + a - dw1 * v1 - b], axis=-1)

    def _grad(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        u, w = x2 + 0.5 * x1 + 47.0, x1 - x2 - 47.0
        su, sw = np.sqrt(np.abs(u)), np.sqrt(np.abs(w))
        snu, csu = K.sincos(su)
        snw, csw = K.sincos(sw)
        cu = np.where(su > 0, np.sign(u) * csu / (2.0 * np.where(su > 0, su, 1.0)), 0.0)
        cw = np.where(sw > 0, np.sign(w) * csw / (2.0 * np.where(sw > 0, sw, 1.0)), 0.0)
        a = x2 + 47.0
        return np.stack([-0.5 * a * cu - snw - x1 * cw, -snu - a * cu + x1 * cw], axis=-1)

    def _x_opt(self):
        return [self._x]

    def _f_opt(self):
        return self._f(np.array(self._x))


@register
class HolderTable(TestFunction):
    r"""Holder table function.

    .. math:: f(x) = -\left|\sin x_1 \cos x_2
              \exp\left|1 - \tfrac{\sqrt{x_1^2 + x_2^2}}{\pi}\right|\right|

    Domain ``[-10, 10]^2``; four minimizers ``(+-8.05502, +-9.66459)``,
    ``f* = -19.2085`` (SFU).
    """

    name = "holder_table"
    title = "Holder table"
    dim = 2
    tags = ("sfu", "multimodal", "many-local-minima")
    formula = "-|sin x1 cos x2 exp(|1 - sqrt(x1^2 + x2^2)/pi|)|"
    reference = SFU + "Holder Table Function"
    domain = (-10.0, 10.0)
    x_opt_approximate = True
    f_opt_published = "-19.2085"
    _a, _b = 8.055023475736563, 9.664590019241272

    # -|s| e^A directly while e^A is representable (A <= 700); where it is not, the equal form
    # -exp(log|s| + A), finite wherever the true value is (the naive product gives -inf).
    def _f(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        r = anp.sqrt(x1 * x1 + x2 * x2)
        a = anp.abs(1.0 - r / PI)
        s = K.sin(x1) * K.cos(x2)
        if not np.any(np.asarray(getattr(a, "_value", a)) > 700.0):
            return -anp.abs(s) * anp.exp(a)
        with np.errstate(divide="ignore", over="ignore"):  # -inf only if the true value is
            return -anp.exp(anp.log(anp.abs(s)) + a)

    def _grad(self, x):
        # grad f = -e^A q, q = sign(s) grad s + |s| grad A, s = sin x1 cos x2, A = |1 - r/pi|,
        # evaluated as -sign(q) exp(A + log|q|) where e^A overflows (A > 700): overflows only
        # where the true value does.  sign(0) = 0 and grad A = 0 at r = 0 (kinks).
        x1, x2 = x[..., 0], x[..., 1]
        r = np.sqrt(x1 * x1 + x2 * x2)
        s1, c1 = K.sincos(x1)
        s2, c2 = K.sincos(x2)
        s = s1 * c2
        A = np.abs(1.0 - r / PI)
        dA = -np.sign(1.0 - r / PI) / PI / np.where(r > 0, r, 1.0) * (r > 0)
        sg, a = np.sign(s), np.abs(s)
        q = np.stack([sg * c1 * c2 + a * dA * x1, -sg * s1 * s2 + a * dA * x2], axis=-1)
        return _times_exp(A, -q)

    # Derivative of the gradient formula with sign(s) held fixed (so 0 on the kink s = 0,
    # like autograd), gs = grad s, gA = grad A = a_r x, a_r = -sign(1 - r/pi) / (pi r):
    # H v = -e^A [sign(s) (Hess(s) v + gA (gs . v) + gs (gA . v)) + |s| (Hess(A) v + gA (gA . v))],
    # Hess(s) = [[-s, -cos x1 sin x2], [-cos x1 sin x2, -s]], Hess(A) = a_r (I - x x^T / r^2);
    # Hess(A) and gA are taken as 0 at r = 0, where they are unbounded or undefined.
    def _hessp(self, x, v):
        x1, x2 = x[..., 0], x[..., 1]
        v1, v2 = v[..., 0], v[..., 1]
        r = np.sqrt(x1 * x1 + x2 * x2)
        s1, c1 = K.sincos(x1)
        s2, c2 = K.sincos(x2)
        s = s1 * c2
        A = np.abs(1.0 - r / PI)
        ok = r > 0
        rs = np.where(ok, r, 1.0)
        ar = -np.sign(1.0 - r / PI) / PI / rs * ok
        sg, a = np.sign(s), np.abs(s)
        gs1, gs2, m = c1 * c2, -s1 * s2, -c1 * s2
        gsv, xv = gs1 * v1 + gs2 * v2, x1 * v1 + x2 * v2
        gAv = ar * xv
        cv = a * ar  # |s| (Hess(A) v + gA (gA . v)) = cv v + cx x
        cx = a * xv * (ar * ar - ar / (rs * rs))
        t = np.stack([sg * (-s * v1 + m * v2 + ar * x1 * gsv + gs1 * gAv) + cv * v1 + cx * x1,
                      sg * (m * v1 - s * v2 + ar * x2 * gsv + gs2 * gAv) + cv * v2 + cx * x2],
                     axis=-1)
        return _times_exp(A, -t)

    def _x_opt(self):
        return _signs(self._a, self._b)

    def _f_opt(self):
        return self._f(np.array([self._a, self._b]))


@register
class LevyN13(TestFunction):
    r"""Levy function N. 13.

    .. math:: f(x) = \sin^2(3\pi x_1) + (x_1 - 1)^2[1 + \sin^2(3\pi x_2)]
              + (x_2 - 1)^2[1 + \sin^2(2\pi x_2)]

    Domain ``[-10, 10]^2``; ``f* = 0`` at ``(1, 1)``.
    """

    name = "levy_n13"
    title = "Levy N. 13"
    dim = 2
    tags = ("sfu", "multimodal", "many-local-minima")
    formula = "sin^2(3 pi x1) + (x1 - 1)^2 (1 + sin^2(3 pi x2)) + (x2 - 1)^2 (1 + sin^2(2 pi x2))"
    reference = SFU + "Levy Function N. 13"
    domain = (-10.0, 10.0)

    def _f(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        return (K.sin2(3 * PI * x1) + (x1 - 1.0) ** 2 * (1.0 + K.sin2(3 * PI * x2))
                + (x2 - 1.0) ** 2 * (1.0 + K.sin2(2 * PI * x2)))

    def _grad(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        a, b = x1 - 1.0, x2 - 1.0
        return np.stack([3 * PI * np.sin(6 * PI * x1) + 2.0 * a * (1.0 + K.sin2(3 * PI * x2)),
                         a * a * 3 * PI * np.sin(6 * PI * x2) + 2.0 * b * (1.0 + K.sin2(2 * PI * x2))
                         + b * b * 2 * PI * np.sin(4 * PI * x2)], axis=-1)

    # H11 = 18 pi^2 cos(6 pi x1) + 2 (1 + sin^2(3 pi x2)),  H12 = 6 pi a sin(6 pi x2),
    # H22 = 18 pi^2 a^2 cos(6 pi x2) + 2 (1 + sin^2(2 pi x2)) + 8 pi b sin(4 pi x2)
    #       + 8 pi^2 b^2 cos(4 pi x2),  a = x1 - 1, b = x2 - 1.
    def _hessp(self, x, v):
        x1, x2 = x[..., 0], x[..., 1]
        v1, v2 = v[..., 0], v[..., 1]
        a, b = x1 - 1.0, x2 - 1.0
        s6, c6 = K.sincos(6 * PI * x2)
        s4, c4 = K.sincos(4 * PI * x2)
        h11 = 18 * PI * PI * K.cos(6 * PI * x1) + 2.0 * (1.0 + K.sin2(3 * PI * x2))
        h12 = 6 * PI * a * s6
        h22 = (18 * PI * PI * a * a * c6 + 2.0 * (1.0 + K.sin2(2 * PI * x2)) + 8 * PI * b * s4
               + 8 * PI * PI * b * b * c4)
        return np.stack([h11 * v1 + h12 * v2, h12 * v1 + h22 * v2], axis=-1)

    def _x_opt(self):
        return [[1.0, 1.0]]


@register
class Rastrigin(TestFunction):
    r"""Rastrigin function.

    .. math:: f(x) = 10 n + \sum_{i=1}^n [x_i^2 - 10\cos(2\pi x_i)]

    Domain ``[-5.12, 5.12]^n``; ``f* = 0`` at 0.
    """

    name = "rastrigin"
    title = "Rastrigin"
    default_dim = 2
    tags = ("sfu", "multimodal", "many-local-minima", "separable")
    formula = "10 n + sum_i (x_i^2 - 10 cos(2 pi x_i))"
    reference = SFU + "Rastrigin Function"
    domain = (-5.12, 5.12)

    def _f(self, x):
        return 10.0 * self.n + K.rowsum(x * x - 10.0 * K.cos(2 * PI * x))

    def _grad(self, x):
        return 2.0 * x + 20.0 * PI * K.sin(2 * PI * x)

    def _hessp(self, x, v):
        return (2.0 + 40.0 * PI * PI * K.cos(2 * PI * x)) * v


@register
class SchafferN2(TestFunction):
    r"""Schaffer function N. 2.

    .. math:: f(x) = 0.5 + \frac{\sin^2(x_1^2 - x_2^2) - 0.5}{[1 + 0.001(x_1^2 + x_2^2)]^2}

    Domain ``[-100, 100]^2``; ``f* = 0`` at 0.
    """

    name = "schaffer_n2"
    title = "Schaffer N. 2"
    dim = 2
    tags = ("sfu", "multimodal", "many-local-minima")
    formula = "0.5 + (sin^2(x1^2 - x2^2) - 0.5) / (1 + 0.001 (x1^2 + x2^2))^2"
    reference = SFU + "Schaffer Function N. 2"
    domain = (-100.0, 100.0)

    def _f(self, x):
        a, b = x[..., 0] ** 2, x[..., 1] ** 2
        return 0.5 + (anp.sin(a - b) ** 2 - 0.5) / (1.0 + 0.001 * (a + b)) ** 2

    def _grad(self, x):  # N = sin^2(a - b) - 1/2, D = 1 + 0.001 (a + b): N'/D^2 - 2 N D'/D^3
        x1, x2 = x[..., 0], x[..., 1]
        a, b = x1 * x1, x2 * x2
        d = 1.0 + 0.001 * (a + b)
        nn = np.sin(a - b) ** 2 - 0.5
        k = np.sin(2.0 * (a - b)) / (d * d)
        m = 0.004 * nn / (d * d * d)
        return np.stack([2.0 * x1 * k - m * x1, -2.0 * x2 * k - m * x2], axis=-1)

    def _hessp(self, x, v):  # N = sin^2 w - 1/2, N' = sin 2w, N'' = 2 cos 2w
        w = x[..., 0] ** 2 - x[..., 1] ** 2
        sn, cs = K.sincos(2.0 * w)
        return _schaffer_hessp(x, v, -0.5 * cs, sn, 2.0 * cs)


@register
class SchafferN4(TestFunction):
    r"""Schaffer function N. 4.

    .. math:: f(x) = 0.5 + \frac{\cos^2(\sin|x_1^2 - x_2^2|) - 0.5}{[1 + 0.001(x_1^2 + x_2^2)]^2}

    Domain ``[-100, 100]^2``; four minimizers ``(0, +-1.25313)``,
    ``(+-1.25313, 0)``, ``f* = 0.292579`` (value from Mishra (2006) /
    Jamil & Yang (2013); SFU gives the formula only).
    """

    name = "schaffer_n4"
    title = "Schaffer N. 4"
    dim = 2
    tags = ("sfu", "multimodal", "many-local-minima")
    formula = "0.5 + (cos^2(sin(|x1^2 - x2^2|)) - 0.5) / (1 + 0.001 (x1^2 + x2^2))^2"
    reference = (SFU + "Schaffer Function N. 4; optimum: Jamil & Yang, Int. J. Math. "
                 "Model. Numer. Optim. 4 (2013) 150-194")
    domain = (-100.0, 100.0)
    x_opt_approximate = True
    f_opt_published = "0.292579"
    _a = 1.2531318314637332

    def _f(self, x):
        a, b = x[..., 0] ** 2, x[..., 1] ** 2
        return 0.5 + (anp.cos(anp.sin(anp.abs(a - b))) ** 2 - 0.5) / (1.0 + 0.001 * (a + b)) ** 2

    # N = cos^2(sin q) - 1/2, q = |x1^2 - x2^2|, D = 1 + 0.001 (x1^2 + x2^2):
    # grad f = N'(q) grad q / D^2 - 0.004 N x / D^3, N' = -sin(2 sin q) cos q,
    # grad q = 2 sign(x1^2 - x2^2) (x1, -x2); on the kink |x1| = |x2| sign(0) = 0 is used.
    def _grad(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        a, b = x1 * x1, x2 * x2
        q, sg = np.abs(a - b), np.sign(a - b)
        sq = np.sin(q)
        nn = np.cos(sq) ** 2 - 0.5
        dn = -np.sin(2.0 * sq) * np.cos(q)
        d = 1.0 + 0.001 * (a + b)
        k = 2.0 * sg * dn / (d * d)
        m = 0.004 * nn / (d * d * d)
        return np.stack([k * x1 - m * x1, -k * x2 - m * x2], axis=-1)

    # Second derivative in w = x1^2 - x2^2 with sign(w) held fixed (as in the gradient, and
    # autograd): N_w = sign(w) N'(q), N_ww = sign(w)^2 N''(q), so 0 on the kink w = 0,
    # N''(q) = sin q sin(2 sin q) - 2 cos^2 q cos(2 sin q).
    def _hessp(self, x, v):
        w = x[..., 0] ** 2 - x[..., 1] ** 2
        q, sg = np.abs(w), np.sign(w)
        sq, cq = np.sin(q), np.cos(q)
        s2, c2 = np.sin(2.0 * sq), np.cos(2.0 * sq)
        return _schaffer_hessp(x, v, np.cos(sq) ** 2 - 0.5, -sg * s2 * cq,
                               sg * sg * (sq * s2 - 2.0 * cq * cq * c2))

    def _x_opt(self):
        a = self._a
        return [[0.0, a], [0.0, -a], [a, 0.0], [-a, 0.0]]

    def _f_opt(self):
        return self._f(np.array([0.0, self._a]))


@register
class Schwefel(TestFunction):
    r"""Schwefel function.

    .. math:: f(x) = 418.9829\,n - \sum_{i=1}^n x_i \sin\sqrt{|x_i|}

    Domain ``[-500, 500]^n``; minimizer ``x_i = 420.968746...`` (the root of
    ``tan u = -u/2``, ``u = sqrt(x)``).  SFU states ``f* = 0``; with the
    constant ``418.9829`` the exact minimum is ``n * 1.2727e-5`` and that is
    the ``f_opt`` given here.
    """

    name = "schwefel"
    title = "Schwefel"
    default_dim = 2
    tags = ("sfu", "multimodal", "many-local-minima", "separable")
    formula = "418.9829 n - sum_i x_i sin(sqrt(|x_i|))"
    reference = SFU + "Schwefel Function"
    domain = (-500.0, 500.0)
    x_opt_approximate = True
    f_opt_published = "0.0000"
    _xs = 420.96874635998205

    def _f(self, x):
        return 418.9829 * self.n - K.rowsum(x * K.sin(anp.sqrt(anp.abs(x))))

    # d/dx [x sin sqrt|x|] = sin s + (s/2) cos s, s = sqrt|x|: finite (0) at x = 0, where
    # autograd's chain rule through sqrt|x| gives 0 * inf = nan.  The second derivative
    # sign(x) (3 cos s - s sin s) / (4 s) is unbounded at x = 0 (one-sided limits +-inf);
    # hessp uses its odd-symmetric value 0 there.
    def _grad(self, x):
        s = np.sqrt(np.abs(x))
        return -(K.sin(s) + 0.5 * s * K.cos(s))

    def _hessp(self, x, v):
        s = np.sqrt(np.abs(x))
        d2 = np.sign(x) * (3.0 * K.cos(s) - s * K.sin(s)) / (4.0 * np.where(s > 0, s, 1.0))
        return -d2 * v

    def _x_opt(self):
        return np.full((1, self.n), self._xs)

    def _f_opt(self):
        return self._f(np.full(self.n, self._xs))


@register
class Easom(TestFunction):
    r"""Easom function.

    .. math:: f(x) = -\cos x_1 \cos x_2 \exp(-(x_1 - \pi)^2 - (x_2 - \pi)^2)

    Domain ``[-100, 100]^2``; ``f* = -1`` at ``(pi, pi)``.  The function is
    flat (``~0``) away from the minimizer, so ``x0 = (1, 1)`` (library choice)
    is taken near it.
    """

    name = "easom"
    title = "Easom"
    dim = 2
    tags = ("sfu", "multimodal", "ridges")
    formula = "-cos x1 cos x2 exp(-(x1 - pi)^2 - (x2 - pi)^2)"
    reference = SFU + "Easom Function"
    domain = (-100.0, 100.0)
    x0_note = "library choice: (1, 1)"

    def _f(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        return -anp.cos(x1) * anp.cos(x2) * anp.exp(-(x1 - PI) ** 2 - (x2 - PI) ** 2)

    def _grad(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        e = np.exp(-(x1 - PI) ** 2 - (x2 - PI) ** 2)
        c1, c2, s1, s2 = np.cos(x1), np.cos(x2), np.sin(x1), np.sin(x2)
        return np.stack([e * (s1 * c2 + 2.0 * (x1 - PI) * c1 * c2),
                         e * (c1 * s2 + 2.0 * (x2 - PI) * c1 * c2)], axis=-1)

    # a = x1 - pi, b = x2 - pi, e = exp(-a^2 - b^2):
    # H11 = e c2 (3 c1 - 4 a s1 - 4 a^2 c1),  H22 = e c1 (3 c2 - 4 b s2 - 4 b^2 c2),
    # H12 = -e (s1 + 2 a c1) (s2 + 2 b c2).
    def _hessp(self, x, v):
        x1, x2 = x[..., 0], x[..., 1]
        v1, v2 = v[..., 0], v[..., 1]
        a, b = x1 - PI, x2 - PI
        e = np.exp(-a * a - b * b)
        s1, c1 = K.sincos(x1)
        s2, c2 = K.sincos(x2)
        with np.errstate(over="ignore"):  # e = 0 (underflow) wins over a^2 = inf: safe_mul
            h11 = K.safe_mul(e, c2 * (3.0 * c1 - 4.0 * a * s1 - 4.0 * a * a * c1))
            h22 = K.safe_mul(e, c1 * (3.0 * c2 - 4.0 * b * s2 - 4.0 * b * b * c2))
            h12 = -K.safe_mul(e, (s1 + 2.0 * a * c1) * (s2 + 2.0 * b * c2))
        return np.stack([h11 * v1 + h12 * v2, h12 * v1 + h22 * v2], axis=-1)

    def _x0(self):
        return [1.0, 1.0]

    def _x_opt(self):
        return [[PI, PI]]

    def _f_opt(self):
        return -1.0


@register
class Michalewicz(TestFunction):
    r"""Michalewicz function (m = 10), n = 2.

    .. math:: f(x) = -\sum_{i=1}^n \sin x_i \sin^{2m}\left(\frac{i x_i^2}{\pi}\right)

    Domain ``[0, pi]^2``; ``f* = -1.8013`` at ``(2.20, 1.57)`` (SFU).
    Only ``n = 2`` is offered because only there is the minimizer published.
    """

    name = "michalewicz"
    title = "Michalewicz"
    dim = 2
    tags = ("sfu", "multimodal", "ridges")
    formula = "-sum_i sin(x_i) sin^20(i x_i^2 / pi)"
    reference = SFU + "Michalewicz Function"
    domain = (0.0, PI)
    x_opt_approximate = True
    f_opt_published = "-1.8013"
    _x = (2.2029055201726093, np.pi / 2)

    def _f(self, x):  # sin^20 u = (sin^2 u)^10 by multiplications, with the fast kernels
        i = np.arange(1.0, self.n + 1.0)
        p4 = K.sin2(i * x * x / PI) ** 2
        p8 = p4 * p4
        return -K.rowsum(K.sin(x) * p8 * p8 * p4)

    # d/dx [sin x sin^20(u)] = cos x sin^20 u + sin x 10 sin^18(u) sin(2u) 2 i x / pi, u = i x^2/pi
    def _grad(self, x):
        i = np.arange(1.0, self.n + 1.0)
        u = i * x * x / PI
        s2 = K.sin2(u)
        p9 = s2 * s2
        p9 = p9 * p9
        p9 = p9 * p9 * s2  # sin^18 u
        return -(K.cos(x) * p9 * s2 + K.sin(x) * 10.0 * p9 * K.sin(2.0 * u) * (2.0 * i * x / PI))

    # Separable: H = diag(-phi''(x_i)), phi = sin x S^20, S = sin u, u = i x^2 / pi,
    # u' = 2 i x / pi, u'' = 2 i / pi:
    # phi'' = S^18 [-sin x S^2 + 20 cos x sin(2u) u'
    #               + 20 sin x ((19 - 20 S^2) u'^2 + sin(2u) u''/2)].
    def _hessp(self, x, v):
        i = np.arange(1.0, self.n + 1.0)
        u = i * x * x / PI
        s2 = K.sin2(u)
        p9 = s2 * s2
        p9 = p9 * p9
        p9 = p9 * p9 * s2  # sin^18 u
        sx, cx = K.sincos(x)
        s2u = K.sin(2.0 * u)
        d1 = 2.0 * i * x / PI
        d2 = (19.0 - 20.0 * s2) * d1 * d1 + s2u * (i / PI)
        return -(p9 * (-sx * s2 + 20.0 * cx * s2u * d1 + 20.0 * sx * d2)) * v

    def _x_opt(self):
        return [self._x]

    def _f_opt(self):
        return self._f(np.array(self._x))
