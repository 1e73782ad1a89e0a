"""SFU functions with many local minima and kinks (absolute values):
Bukin N.6, Cross-in-tray, Eggholder and Holder table.

Sources, and the minimizers refined where SFU gives a few digits only:
``cgdopt.testfunctions._references``.
"""
from __future__ import annotations

import autograd.numpy as anp
import numpy as np

from . import _kernels as K
from ._base import TestFunction
from ._references import SFU
from ._registry import register

PI = np.pi


def _signs(a, b):
    """The four points (+-a, +-b)."""
    return [[a, b], [a, -b], [-a, b], [-a, -b]]


def _radial(x1, x2, c):
    """``r = |x|``, ``A = |c - r/pi|``, ``r`` with 1 for 0, and ``a_r`` with ``grad A = a_r x``.

    ``a_r = -sign(c - r/pi) / (pi r)``, taken as 0 at ``r = 0`` (a kink of ``A``), as in the
    gradients and Hessian-vector products of Cross-in-tray (c = 100) and Holder table (c = 1).
    """
    r = np.sqrt(x1 * x1 + x2 * x2)
    ok = r > 0
    rs = np.where(ok, r, 1.0)
    return r, np.abs(c - r / PI), rs, -np.sign(c - r / PI) / PI / rs * ok


def _times_exp(A, t):
    """``exp(A)[..., None] * t``, as ``sign(t) exp(A + log|t|)`` where ``e^A`` overflows.

    The result overflows only where the true product does (A > 700 only far outside
    the usual domain); ``t = 0`` gives 0, never ``0 * inf = nan``.
    """
    if not np.any(A > 700.0):
        return np.exp(A)[..., None] * t
    with np.errstate(divide="ignore", over="ignore"):
        return np.sign(t) * np.exp(A[..., None] + np.log(np.abs(t)))


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
        _, A, _, dA = _radial(x1, x2, 100.0)
        s1, s2, c1, c2 = np.sin(x1), np.sin(x2), np.cos(x1), np.cos(x2)
        s = s1 * s2
        with np.errstate(divide="ignore", over="ignore"):
            z = np.log(np.abs(s)) + A
            L = np.logaddexp(z, 0.0)
            w = np.exp(z - L)
            ws = 1.0 / (np.abs(s) + np.exp(-A))
        sg = np.sign(s)
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
        _, A, rs, ar = _radial(x1, x2, 100.0)
        s1, c1 = K.sincos(x1)
        s2, c2 = K.sincos(x2)
        s = s1 * s2
        with np.errstate(divide="ignore", over="ignore"):
            L = np.logaddexp(np.log(np.abs(s)) + A, 0.0)
            w = np.exp(np.log(np.abs(s)) + A - L)
            ws = K.safe_mul(1.0 / (np.abs(s) + np.exp(-A)), np.sign(s))
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
        _, A, _, dA = _radial(x1, x2, 1.0)
        s1, c1 = K.sincos(x1)
        s2, c2 = K.sincos(x2)
        s = s1 * c2
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
        _, A, rs, ar = _radial(x1, x2, 1.0)
        s1, c1 = K.sincos(x1)
        s2, c2 = K.sincos(x2)
        s = s1 * c2
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
