"""SFU functions of ``x1^2 +- x2^2`` with many local minima: Drop-wave,
Schaffer N.2 and Schaffer N.4.

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
