"""SFU functions with many local minima: Ackley, Gramacy & Lee, Langermann,
Levy N.13, Rastrigin, Schwefel and Shubert.

The kinked ones (Bukin N.6, Cross-in-tray, Eggholder, Holder table) are in
:mod:`.sfu_kinked`, Drop-wave and Schaffer N.2/N.4 in
:mod:`.sfu_dropwave_schaffer`, the steep ridges and drops (Easom, Michalewicz,
De Jong 5) in :mod:`.sfu_steep`.

Sources, refined minimizers, and how the library found the minimizers of
Gramacy & Lee and Langermann (SFU gives none) and Shubert (SFU gives a rounded
one): ``cgdopt.testfunctions._references``.
"""
from __future__ import annotations

import math

import autograd.numpy as anp
import numpy as np

from . import _kernels as K
from ._base import TestFunction
from ._references import NUMERIC, SFU
from ._registry import register

PI = np.pi


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
class GramacyLee(TestFunction):
    r"""Gramacy & Lee (2012) function, n = 1.

    .. math:: f(x) = \frac{\sin(10\pi x)}{2x} + (x - 1)^4

    Domain ``[0.5, 2.5]``; ``f* = -0.869011...`` at ``x = 0.548563...``
    (found numerically).  Evaluated as ``5 pi sinc(10 x) + (x - 1)^4``, the same
    function continued to its limit ``5 pi`` at ``x = 0``.

    Derivatives, with ``u = 10 pi x`` and ``5 pi sinc(10 x) = 5 pi sin(u) / u``:

    .. math:: f'(x) = 50\pi^2 \frac{u\cos u - \sin u}{u^2} + 4(x - 1)^3, \quad
              f''(x) = 500\pi^3 \frac{(2 - u^2)\sin u - 2u\cos u}{u^3} + 12(x - 1)^2

    For ``|u| < 1`` the two fractions (which cancel catastrophically as
    ``u -> 0``) are replaced by their Taylor series through ``u^19`` resp.
    ``u^18`` (truncation below 2e-20), exact at ``x = 0``.
    """

    name = "gramacy_lee"
    title = "Gramacy & Lee (2012)"
    dim = 1
    tags = ("sfu", "multimodal")
    formula = "sin(10 pi x) / (2 x) + (x - 1)^4"
    reference = SFU + "Gramacy & Lee (2012) Function"
    domain = (0.5, 2.5)
    analytic_grad = True
    x_opt_approximate = True
    x_opt_note = NUMERIC

    # sin(10 pi x)/(2x) = 5 pi sinc(10 x): the same function, continued to its limit 5 pi at 0
    def _f(self, x):
        t = x[..., 0]
        return 5 * PI * anp.sinc(10.0 * t) + (t - 1.0) ** 4

    # Taylor coefficients of (u cos u - sin u)/u^2 = sum_k (-1)^k 2k u^(2k-1)/(2k+1)! and of
    # ((2 - u^2) sin u - 2u cos u)/u^3 = sum_k (-1)^k 2k (2k-1) u^(2k-2)/(2k+1)!, k = 1..10;
    # for |u| < 1 the truncation is below u^20/21! < 2e-20, and above 1 the closed forms
    # lose at most a few ulps to cancellation (measured against 40-digit mpmath: < 3e-15)
    _k = np.arange(1.0, 11.0)
    _c1 = (-1.0) ** _k * 2 * _k / np.array([float(math.factorial(2 * k + 1)) for k in range(1, 11)])
    _c2 = _c1 * (2 * _k - 1)
    _SMALL = 1.0

    def _sinc_d(self, t, order):
        """``d^order/du^order [sin(u)/u]`` at ``u = 10 pi t`` (order 1 or 2), series near 0."""
        u = 10 * PI * t
        small = np.abs(u) < self._SMALL
        us = np.where(small, 1.0, u) if small.any() else u
        s, c = np.sin(us), np.cos(us)
        if order == 1:
            d = (us * c - s) / (us * us)
        else:
            d = ((2.0 - us * us) * s - 2.0 * us * c) / (us * us * us)
        if small.any():
            u2 = u * u
            ser = (u * np.polyval(self._c1[::-1], u2) if order == 1
                   else np.polyval(self._c2[::-1], u2))
            d = np.where(small, ser, d)
        return d

    def _grad(self, x):
        t = x[..., 0]
        return (50.0 * PI * PI * self._sinc_d(t, 1) + 4.0 * (t - 1.0) ** 3)[..., None]

    def _hessp(self, x, v):
        t = x[..., 0]
        return (500.0 * PI ** 3 * self._sinc_d(t, 2) + 12.0 * (t - 1.0) ** 2)[..., None] * v

    def _x_opt(self):
        return [[0.548563444528]]

    def _f_opt(self):
        return self._f(np.array([0.548563444528]))


@register
class Langermann(TestFunction):
    r"""Langermann function (SFU's m = 5, c and A), n = 2.

    .. math:: f(x) = \sum_{i=1}^m c_i \exp\Big(-\frac1\pi \sum_j (x_j - A_{ij})^2\Big)
              \cos\Big(\pi \sum_j (x_j - A_{ij})^2\Big)

    Domain ``[0, 10]^2``; global minimum ``f* = -4.155809`` at ``(2.793402, 1.597233)``
    found numerically (SFU gives none).

    Derivatives, with ``d_i = x - A_i``, ``s_i = |d_i|^2`` and
    ``phi(s) = e^{-s/pi} cos(pi s)``:

    .. math:: \nabla f = 2\sum_i c_i \phi'(s_i) d_i, \quad
              \nabla^2 f\, v = \sum_i c_i \big(4\phi''(s_i) d_i (d_i^T v)
              + 2\phi'(s_i) v\big),

    ``phi'(s) = -e^{-s/pi} (cos(pi s)/pi + pi sin(pi s))``,
    ``phi''(s) = e^{-s/pi} (2 sin(pi s) + (1/pi^2 - pi^2) cos(pi s))``.
    """

    name = "langermann"
    title = "Langermann"
    dim = 2
    tags = ("sfu", "multimodal", "many-local-minima")
    formula = "sum_i c_i exp(-|x - A_i|^2 / pi) cos(pi |x - A_i|^2), m = 5"
    reference = SFU + "Langermann Function (c = (1, 2, 5, 2, 3), A as given there)"
    domain = (0.0, 10.0)
    analytic_grad = True
    x_opt_approximate = True
    x_opt_note = NUMERIC
    c = np.array([1.0, 2.0, 5.0, 2.0, 3.0])
    A = np.array([[3.0, 5.0], [5.0, 2.0], [2.0, 1.0], [1.0, 4.0], [7.0, 9.0]])
    _x = [2.793402208645, 1.597232501328]

    def _f(self, x):
        d = x[..., None, :] - self.A
        s = anp.sum(d * d, axis=-1)
        return anp.sum(self.c * anp.exp(-s / PI) * anp.cos(PI * s), axis=-1)

    def _grad(self, x):  # d/ds [e^{-s/pi} cos(pi s)] times grad s = 2 (x - A_i)
        d = x[..., None, :] - self.A
        s = (d * d).sum(axis=-1)
        w = self.c * np.exp(-s / PI) * (-np.cos(PI * s) / PI - PI * np.sin(PI * s))
        return 2.0 * np.einsum("...k,...kj->...j", w, d)

    def _hessp(self, x, v):
        d = x[..., None, :] - self.A
        s = (d * d).sum(axis=-1)
        e, sn, cs = self.c * np.exp(-s / PI), np.sin(PI * s), np.cos(PI * s)
        w1 = e * (-cs / PI - PI * sn)                                 # c_i phi'(s_i)
        w2 = e * (2.0 * sn + (1.0 / (PI * PI) - PI * PI) * cs)        # c_i phi''(s_i)
        dv = np.einsum("...kj,...j->...k", d, v)
        return (4.0 * np.einsum("...k,...kj->...j", w2 * dv, d)
                + 2.0 * w1.sum(axis=-1)[..., None] * v)

    def _x_opt(self):
        return [self._x]

    def _f_opt(self):
        return self._f(np.array(self._x))


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
class Shubert(TestFunction):
    r"""Shubert function, n = 2.

    .. math:: f(x) = \prod_{k=1}^2 \sum_{i=1}^5 i \cos((i + 1) x_k + i)

    Domain ``[-10, 10]^2``; 18 global minimizers with ``f* = -186.7309``
    (SFU).  With ``g(t) = sum_i i cos((i+1) t + i)``, ``f* = min g * max g``
    and the minimizers pair an argmin of ``g`` with an argmax (3 of each in
    the domain, either order); they were refined numerically.

    Derivatives: ``grad f = (g'(x_1) g(x_2), g(x_1) g'(x_2))`` and the
    Hessian ``[[g''(x_1) g(x_2), g'(x_1) g'(x_2)], [g'(x_1) g'(x_2), g(x_1) g''(x_2)]]``,
    with ``g'(t) = -sum_i i (i+1) sin((i+1) t + i)`` and
    ``g''(t) = -sum_i i (i+1)^2 cos((i+1) t + i)``.
    """

    name = "shubert"
    title = "Shubert"
    dim = 2
    tags = ("sfu", "multimodal", "many-local-minima")
    formula = "prod_{k=1,2} sum_{i=1}^5 i cos((i + 1) x_k + i)"
    reference = SFU + "Shubert Function"
    domain = (-10.0, 10.0)
    analytic_grad = True
    x_opt_approximate = True
    f_opt_published = "-186.7309"
    _i = np.arange(1.0, 6.0)
    _tmin = -1.4251284274863787  # argmin of g in [-pi, pi]; the others are +- 2 pi
    _tmax = -0.8003211002342825  # argmax of g in [-pi, pi]

    def _g(self, t, order=0):
        a = (self._i + 1.0) * t[..., None] + self._i
        if order == 0:
            return (self._i * np.cos(a)).sum(-1)
        if order == 1:
            return (-self._i * (self._i + 1.0) * np.sin(a)).sum(-1)
        return (-self._i * (self._i + 1.0) ** 2 * np.cos(a)).sum(-1)

    def _f(self, x):
        i = self._i
        g1 = anp.sum(i * anp.cos((i + 1.0) * x[..., 0:1] + i), axis=-1)
        g2 = anp.sum(i * anp.cos((i + 1.0) * x[..., 1:2] + i), axis=-1)
        return g1 * g2

    def _grad(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        return np.stack([self._g(x1, 1) * self._g(x2), self._g(x1) * self._g(x2, 1)], axis=-1)

    def _hessp(self, x, v):
        x1, x2 = x[..., 0], x[..., 1]
        g1, g2 = self._g(x1), self._g(x2)
        d1, d2 = self._g(x1, 1), self._g(x2, 1)
        h12 = d1 * d2
        return np.stack([self._g(x1, 2) * g2 * v[..., 0] + h12 * v[..., 1],
                         h12 * v[..., 0] + g1 * self._g(x2, 2) * v[..., 1]], axis=-1)

    def _x_opt(self):
        mins = [self._tmin + 2 * PI * k for k in range(-1, 4) if -10 <= self._tmin + 2 * PI * k <= 10]
        maxs = [self._tmax + 2 * PI * k for k in range(-1, 4) if -10 <= self._tmax + 2 * PI * k <= 10]
        pts = [[a, b] for a in mins for b in maxs] + [[b, a] for a in mins for b in maxs]
        return sorted(pts)

    def _f_opt(self):
        return self._f(np.array([self._tmin, self._tmax]))
