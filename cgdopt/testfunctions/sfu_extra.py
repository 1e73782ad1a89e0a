"""More functions of the SFU Virtual Library (Surjanovic & Bingham).

Gramacy & Lee, Langermann, Shubert, Bohachevsky 2 and 3, Perm d-beta, Power
Sum, De Jong 5 and Hartmann 4-D, as defined on their SFU pages
(https://www.sfu.ca/~ssurjano/optimization.html).  Where SFU gives no
minimizer (Gramacy & Lee, Langermann, De Jong 5, Hartmann 4-D) or only a
rounded one (Shubert), ``x_opt`` was found by the library: a dense grid over
the usual domain, then Newton steps on the closed-form gradient and Hessian
(``x_opt_approximate``; ``f_opt`` is the value there).
"""
from __future__ import annotations

import itertools
import math

import autograd.numpy as anp
import numpy as np

from . import _kernels as K
from ._base import TestFunction
from ._registry import register
from .sfu_other import Hartmann6, _Hartmann

PI = np.pi
SFU = "Surjanovic & Bingham, Virtual Library of Simulation Experiments (SFU), "
NUMERIC = "found by the library (grid + Newton steps), not published by SFU"


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


class _Bohachevsky(TestFunction):
    dim = 2
    tags = ("sfu", "bowl", "multimodal")
    domain = (-100.0, 100.0)
    analytic_grad = True


@register
class Bohachevsky2(_Bohachevsky):
    r"""Bohachevsky function 2.

    .. math:: f(x) = x_1^2 + 2x_2^2 - 0.3\cos(3\pi x_1)\cos(4\pi x_2) + 0.3

    Domain ``[-100, 100]^2``; ``f* = 0`` at 0.
    """

    name = "bohachevsky2"
    title = "Bohachevsky 2"
    formula = "x1^2 + 2 x2^2 - 0.3 cos(3 pi x1) cos(4 pi x2) + 0.3"
    reference = SFU + "Bohachevsky Functions (second)"

    def _f(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        return x1 * x1 + 2.0 * x2 * x2 - 0.3 * K.cos(3 * PI * x1) * K.cos(4 * PI * x2) + 0.3

    def _grad(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        a, b = 3 * PI * x1, 4 * PI * x2
        return np.stack([2.0 * x1 + 0.9 * PI * np.sin(a) * np.cos(b),
                         4.0 * x2 + 1.2 * PI * np.cos(a) * np.sin(b)], axis=-1)

    def _hessp(self, x, v):  # H = [[2 + 2.7 pi^2 ca cb, -3.6 pi^2 sa sb], [., 4 + 4.8 pi^2 ca cb]]
        a, b = 3 * PI * x[..., 0], 4 * PI * x[..., 1]
        cc = PI * PI * np.cos(a) * np.cos(b)
        h12 = -3.6 * PI * PI * np.sin(a) * np.sin(b)
        v1, v2 = v[..., 0], v[..., 1]
        return np.stack([(2.0 + 2.7 * cc) * v1 + h12 * v2,
                         h12 * v1 + (4.0 + 4.8 * cc) * v2], axis=-1)


@register
class Bohachevsky3(_Bohachevsky):
    r"""Bohachevsky function 3.

    .. math:: f(x) = x_1^2 + 2x_2^2 - 0.3\cos(3\pi x_1 + 4\pi x_2) + 0.3

    Domain ``[-100, 100]^2``; ``f* = 0`` at 0.
    """

    name = "bohachevsky3"
    title = "Bohachevsky 3"
    formula = "x1^2 + 2 x2^2 - 0.3 cos(3 pi x1 + 4 pi x2) + 0.3"
    reference = SFU + "Bohachevsky Functions (third)"

    def _f(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        return x1 * x1 + 2.0 * x2 * x2 - 0.3 * K.cos(3 * PI * x1 + 4 * PI * x2) + 0.3

    def _grad(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        s = 0.3 * PI * np.sin(3 * PI * x1 + 4 * PI * x2)
        return np.stack([2.0 * x1 + 3.0 * s, 4.0 * x2 + 4.0 * s], axis=-1)

    def _hessp(self, x, v):  # H = diag(2, 4) + 0.3 pi^2 cos(3 pi x1 + 4 pi x2) (3, 4)(3, 4)^T
        v1, v2 = v[..., 0], v[..., 1]
        q = 0.3 * PI * PI * np.cos(3 * PI * x[..., 0] + 4 * PI * x[..., 1]) * (3.0 * v1 + 4.0 * v2)
        return np.stack([2.0 * v1 + 3.0 * q, 4.0 * v2 + 4.0 * q], axis=-1)


@register
class PermDBeta(TestFunction):
    r"""Perm function d, beta (beta = 0.5 as in SFU's code).

    .. math:: f(x) = \sum_{i=1}^n \Big(\sum_{j=1}^n (j^i + \beta)
              \big((x_j / j)^i - 1\big)\Big)^2

    Domain ``[-n, n]^n``; ``f* = 0`` at ``(1, 2, ..., n)``.

    Derivatives: a sum of squares of ``r_i = sum_j c_ij (y_j^i - 1)``,
    ``c_ij = j^i + beta``, ``y_j = x_j / j``, so ``grad f = 2 J^T r`` and
    ``H v = 2 J^T (J v) + 2 sum_i r_i D_i v`` with
    ``J_ij = c_ij i y_j^(i-1) / j`` and the diagonal
    ``(D_i)_jj = c_ij i (i-1) y_j^(i-2) / j^2`` (0 for ``i = 1``).
    """

    name = "perm_d_beta"
    title = "Perm d, beta"
    default_dim = 2
    dim_range = (1, 12)
    tags = ("sfu", "bowl")
    formula = "sum_i (sum_j (j^i + 0.5) ((x_j / j)^i - 1))^2"
    reference = SFU + "Perm Function d, beta (beta = 0.5)"
    beta = 0.5
    analytic_grad = True

    def _bounds(self):
        return (-float(self.n), float(self.n))

    def _parts(self, x):
        j = np.arange(1.0, self.n + 1.0)
        i = j[:, None]
        c = j ** i + self.beta                      # (i, j)
        y = x[..., None, :] / j                     # (..., 1, j)
        return j, i, c, y

    def _f(self, x):
        j, i, c, y = self._parts(x)
        inner = anp.sum(c * (y ** i - 1.0), axis=-1)
        return anp.sum(inner * inner, axis=-1)

    def _grad(self, x):  # 2 sum_i inner_i c_ij i (x_j/j)^{i-1} / j
        j, i, c, y = self._parts(x)
        inner = (c * (y ** i - 1.0)).sum(-1)
        return 2.0 * np.einsum("...i,...ij->...j", inner, c * i * y ** (i - 1.0) / j)

    def _hessp(self, x, v):
        j, i, c, y = self._parts(x)
        inner = (c * (y ** i - 1.0)).sum(-1)
        jac = c * i * y ** (i - 1.0) / j
        # i = 1 row is 0: exponent clipped at 0 so that y = 0 gives 0 * 1, not 0 * inf
        d2 = c * (i * (i - 1.0)) * y ** np.maximum(i - 2.0, 0.0) / (j * j)
        jv = np.einsum("...ij,...j->...i", jac, v)
        return 2.0 * (np.einsum("...ij,...i->...j", jac, jv)
                      + np.einsum("...i,...ij->...j", inner, d2) * v)

    def _x_opt(self):
        return [np.arange(1.0, self.n + 1.0)]


@register
class PowerSum(TestFunction):
    r"""Power Sum function, n = 4, b = (8, 18, 44, 114).

    .. math:: f(x) = \sum_{i=1}^4 \Big(\sum_{j=1}^4 x_j^i - b_i\Big)^2

    Domain ``[0, 4]^4``; ``f* = 0`` exactly at the 12 permutations of
    ``(1, 2, 2, 3)`` (power sums 8, 18, 44, 114 determine the multiset).

    Derivatives: with ``r_i = sum_j x_j^i - b_i``, ``grad f = 2 J^T r`` and
    ``H v = 2 J^T (J v) + 2 (sum_i r_i i (i-1) x^(i-2)) * v`` (elementwise),
    ``J_ij = i x_j^(i-1)``.
    """

    name = "power_sum"
    title = "Power Sum"
    dim = 4
    tags = ("sfu", "plate")
    formula = "sum_{i=1}^4 (sum_j x_j^i - b_i)^2, b = (8, 18, 44, 114)"
    reference = SFU + "Power Sum Function"
    domain = (0.0, 4.0)
    analytic_grad = True
    b = np.array([8.0, 18.0, 44.0, 114.0])
    _i = np.arange(1.0, 5.0)[:, None]

    def _f(self, x):
        r = anp.sum(x[..., None, :] ** self._i, axis=-1) - self.b
        return anp.sum(r * r, axis=-1)

    def _grad(self, x):
        xi = x[..., None, :]
        r = (xi ** self._i).sum(-1) - self.b
        return 2.0 * np.einsum("...i,...ij->...j", r, self._i * xi ** (self._i - 1.0))

    def _hessp(self, x, v):
        i, xi = self._i, x[..., None, :]
        r = (xi ** i).sum(-1) - self.b
        jac = i * xi ** (i - 1.0)
        d2 = (i * (i - 1.0)) * xi ** np.maximum(i - 2.0, 0.0)  # row i = 1 is 0 (also at x = 0)
        jv = np.einsum("...ij,...j->...i", jac, v)
        return 2.0 * (np.einsum("...ij,...i->...j", jac, jv)
                      + np.einsum("...i,...ij->...j", r, d2) * v)

    def _x_opt(self):
        return sorted(set(itertools.permutations([1.0, 2.0, 2.0, 3.0])))


@register
class DeJong5(TestFunction):
    r"""De Jong function N. 5 (Shekel's foxholes), n = 2.

    .. math:: f(x) = \Big(0.002 + \sum_{i=1}^{25} \frac{1}{i + (x_1 - a_{1i})^6
              + (x_2 - a_{2i})^6}\Big)^{-1}

    with ``a_1`` cycling through ``(-32, -16, 0, 16, 32)`` and ``a_2`` taking
    each of those five times.  Domain ``[-65.536, 65.536]^2``; global minimum
    ``0.998004`` near ``(-32, -32)`` (found numerically).

    Derivatives, with ``d_i = x - a_i``, ``D_i = i + d_{i1}^6 + d_{i2}^6``,
    ``q_i = 1/D_i``, ``p_i = 6 d_i^5 q_i`` (elementwise) and ``G = sum_i q_i p_i``:

    .. math:: \nabla f = f^2 G, \quad
              \nabla^2 f\, v = 2 f^3 G (G^T v) + f^2 \sum_i q_i
              \big(30 q_i d_i^4 \odot v - 2 p_i (p_i^T v)\big)

    An overflowing ``D_i`` (far outside the domain) gives ``q_i = 0`` and the
    term counts as 0 (its true value underflows), not ``0 * inf``.
    """

    name = "de_jong5"
    title = "De Jong N. 5 (Shekel's foxholes)"
    dim = 2
    tags = ("sfu", "multimodal", "many-local-minima", "plate")
    formula = "(0.002 + sum_{i=1}^{25} 1 / (i + (x1 - a1i)^6 + (x2 - a2i)^6))^-1"
    reference = SFU + "De Jong Function N. 5"
    domain = (-65.536, 65.536)
    analytic_grad = True
    x_opt_approximate = True
    x_opt_note = NUMERIC
    _v = np.array([-32.0, -16.0, 0.0, 16.0, 32.0])
    a1, a2 = np.tile(_v, 5), np.repeat(_v, 5)
    _k = np.arange(1.0, 26.0)
    _x = [-31.978334835657, -31.978334837301]

    def _f(self, x):
        d1, d2 = x[..., 0:1] - self.a1, x[..., 1:2] - self.a2
        s = anp.sum(1.0 / (self._k + d1 ** 6 + d2 ** 6), axis=-1)
        return 1.0 / (0.002 + s)

    def _parts(self, x):  # d (..., 25, 2), d^4 q (0 where D overflows), q = 1/D, p = 6 d^5 q, f
        d = np.stack([x[..., 0:1] - self.a1, x[..., 1:2] - self.a2], axis=-1)
        with np.errstate(over="ignore", invalid="ignore"):
            d2 = d * d
            d4 = d2 * d2
            q = 1.0 / (self._k + (d4 * d2).sum(-1))                # 0 where D_i overflows
            d4q = d4 * q[..., None]                                 # inf * 0 only if D_i = inf
            d4q[np.isnan(d4q)] = 0.0
        return d, d4q, q, 6.0 * d * d4q, 1.0 / (0.002 + q.sum(-1))

    def _grad(self, x):  # f = 1/(0.002 + S):  grad f = f^2 sum_i 6 d^5 / D_i^2
        d, d4q, q, p, f = self._parts(x)
        return (f * f)[..., None] * np.einsum("...k,...kj->...j", q, p)

    def _hessp(self, x, v):
        d, d4q, q, p, f = self._parts(x)
        G = np.einsum("...k,...kj->...j", q, p)
        pv = np.einsum("...kj,...j->...k", p, v)
        inner = (30.0 * np.einsum("...k,...kj->...j", q, d4q) * v
                 - 2.0 * np.einsum("...k,...kj->...j", q * pv, p))
        return (2.0 * f ** 3 * (G * v).sum(-1))[..., None] * G + (f * f)[..., None] * inner

    def _x_opt(self):
        return [self._x]

    def _f_opt(self):
        return self._f(np.array(self._x))


@register
class Hartmann4(_Hartmann):
    r"""Hartmann 4-D function (SFU's rescaled form).

    .. math:: f(x) = \frac{1}{0.839}\Big(1.1 - \sum_{i=1}^4 \alpha_i
              \exp\Big(-\sum_{j=1}^4 A_{ij}(x_j - P_{ij})^2\Big)\Big)

    with the first four columns of Hartmann 6-D's ``A`` and ``P``.  Domain
    ``[0, 1]^4``; global minimum ``f* = -3.134494`` at ``(0.187395, 0.194152, 0.557918,
    0.264780)`` found numerically (SFU gives none).
    """

    name = "hartmann4"
    title = "Hartmann 4-D"
    dim = 4
    formula = "(1.1 - sum_i alpha_i exp(-sum_{j<=4} A_ij (x_j - P_ij)^2)) / 0.839"
    reference = SFU + "Hartmann 4-D Function"
    x_opt_note = NUMERIC
    shift, scale = 1.1, 0.839
    A = np.ascontiguousarray(Hartmann6.A[:, :4])  # contiguous: numpy's matmul is
    P = np.ascontiguousarray(Hartmann6.P[:, :4])  # super-linearly slow on strided views
    _x = [0.187395272973, 0.194151529302, 0.557917780063, 0.26477962417]
