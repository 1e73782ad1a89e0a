"""Moré-Garbow-Hillstrom discretized and Broyden systems of nonlinear equations,
as sums of squares.

Discrete boundary value (MGH 28), discrete integral equation (29), Broyden
tridiagonal (30) and Broyden banded (31). See
:mod:`cgdopt.testfunctions.mgh_fixed` for conventions. Reference: Moré, Garbow
& Hillstrom, ACM Trans. Math. Softw. 7(1) (1981) 17-41.
"""
from __future__ import annotations

import functools

import autograd.numpy as anp
import numpy as np

from ._least_squares import LeastSquaresFunction
from ._references import MGH
from ._registry import register


def _pad(x):
    """``(x_0, x_1, ..., x_n, x_{n+1})`` with ``x_0 = x_{n+1} = 0`` (last axis)."""
    z = anp.zeros(x.shape[:-1] + (1,))
    return anp.concatenate([z, x, z], axis=-1)


def _pad0(x):
    """Plain-numpy :func:`_pad` (``x_0 = x_{n+1} = 0``), for the closed-form derivatives."""
    out = np.zeros(x.shape[:-1] + (x.shape[-1] + 2,))
    out[..., 1:-1] = x
    return out


class _Discrete(LeastSquaresFunction):
    """Shared grid of the discrete boundary value / integral equation problems."""

    domain = (-1.0, 1.0)
    x_opt_approximate = True
    f_opt_atol = 1e-20
    default_dim = 10
    dim_range = (1, None)

    def _t(self):
        return np.arange(1.0, self.n + 1.0) / (self.n + 1.0)

    def _x0(self):
        t = self._t()
        return t * (t - 1.0)

    # Both problems are r = A x + c G z^3 with z = x + t + 1, A and G symmetric linear maps
    # (subclasses: ``_lin`` = A, ``_green`` = G, ``_c`` = c), so, elementwise in z,
    #   J = A + c G diag(3 z^2),  J^T w = A w + 3 c z^2 G w,
    #   sum_i r_i Hess(r_i) v = 6 c z v G r,
    #   grad f = 2 J^T r,  H v = 2 J^T (J v) + 12 c z v G r.
    def _parts(self, x):
        z = x + self._t() + 1.0
        c = self._c()
        r = self._lin(x) + c * self._green(z * z * z)
        return z, c, 3.0 * c * z * z, r

    def _grad(self, x):
        z, c, q, r = self._parts(x)
        return 2.0 * (self._lin(r) + q * self._green(r))

    def _hessp(self, x, v):
        z, c, q, r = self._parts(x)
        jv = self._lin(v) + self._green(q * v)
        return 2.0 * (self._lin(jv) + q * self._green(jv)) + 12.0 * c * z * v * self._green(r)


@register
class DiscreteBoundaryValue(_Discrete):
    r"""Discrete boundary value function (MGH 28), m = n.

    .. math:: r_i = 2x_i - x_{i-1} - x_{i+1} + h^2 (x_i + t_i + 1)^3 / 2,\
              h = 1/(n+1),\ t_i = ih,\ x_0 = x_{n+1} = 0

    ``x0_j = t_j(t_j - 1)``; ``f* = 0`` (solution of the discretised BVP,
    computed numerically).
    """

    name = "discrete_boundary_value"
    title = "Discrete boundary value"
    formula = "r_i = 2 x_i - x_{i-1} - x_{i+1} + h^2 (x_i + t_i + 1)^3 / 2, h = 1/(n+1), t_i = i h"
    reference = MGH + "28"

    def _residuals(self, x):
        h, t = 1.0 / (self.n + 1.0), self._t()
        p = _pad(x)
        return 2.0 * x - p[..., :-2] - p[..., 2:] + 0.5 * h * h * (x + t + 1.0) ** 3

    # A = tridiag(-1, 2, -1), G = I, c = h^2/2 (see _Discrete)
    def _lin(self, y):
        p = _pad0(y)
        return 2.0 * y - p[..., :-2] - p[..., 2:]

    def _green(self, y):
        return y

    def _c(self):
        return 0.5 / (self.n + 1.0) ** 2


@register
class DiscreteIntegralEquation(_Discrete):
    r"""Discrete integral equation function (MGH 29), m = n.

    .. math:: r_i = x_i + \frac h2\Big[(1 - t_i)\sum_{j \le i} t_j (x_j + t_j + 1)^3
              + t_i \sum_{j > i} (1 - t_j)(x_j + t_j + 1)^3\Big]

    ``x0_j = t_j(t_j - 1)``; ``f* = 0`` (computed numerically).
    """

    name = "discrete_integral_equation"
    title = "Discrete integral equation"
    formula = ("r_i = x_i + h/2 [(1 - t_i) sum_{j<=i} t_j (x_j + t_j + 1)^3 "
               "+ t_i sum_{j>i} (1 - t_j) (x_j + t_j + 1)^3]")
    reference = MGH + "29"

    def _residuals(self, x):
        h, t = 1.0 / (self.n + 1.0), self._t()
        u = (x + t + 1.0) ** 3
        a = anp.cumsum(t * u, axis=-1)
        b = (1.0 - t) * u
        b = anp.sum(b, axis=-1, keepdims=True) - anp.cumsum(b, axis=-1)
        return x + 0.5 * h * ((1.0 - t) * a + t * b)

    # A = I, c = h/2, G the symmetric kernel G_ij = (1 - t_i) t_j (j <= i), t_i (1 - t_j)
    # (j > i), applied in O(n) by cumulative sums as in the residuals (see _Discrete).
    def _lin(self, y):
        return y

    def _green(self, y):
        t = self._t()
        b = (1.0 - t) * y
        return (1.0 - t) * np.cumsum(t * y, axis=-1) + t * (
            b.sum(axis=-1, keepdims=True) - np.cumsum(b, axis=-1))

    def _c(self):
        return 0.5 / (self.n + 1.0)


@register
class BroydenTridiagonal(LeastSquaresFunction):
    r"""Broyden tridiagonal function (MGH 30), m = n.

    .. math:: r_i = (3 - 2x_i)x_i - x_{i-1} - 2x_{i+1} + 1,\quad x_0 = x_{n+1} = 0

    ``x0 = (-1, ..., -1)``; ``f* = 0`` (computed numerically).
    """

    name = "broyden_tridiagonal"
    title = "Broyden tridiagonal"
    default_dim = 10
    dim_range = (1, None)
    formula = "r_i = (3 - 2 x_i) x_i - x_{i-1} - 2 x_{i+1} + 1, x_0 = x_{n+1} = 0"
    reference = MGH + "30"
    domain = (-2.0, 2.0)
    x_opt_approximate = True
    f_opt_atol = 1e-20

    def _residuals(self, x):
        p = _pad(x)
        return (3.0 - 2.0 * x) * x - p[..., :-2] - 2.0 * p[..., 2:] + 1.0

    # J = tridiag(-1, 3 - 4 x, -2) (sub-, main, super-diagonal), Hess r_i = -4 e_i e_i^T:
    #   grad f = 2 J^T r,  H v = 2 J^T (J v) - 8 r v.
    def _parts(self, x):
        p = _pad0(x)
        return 3.0 - 4.0 * x, (3.0 - 2.0 * x) * x - p[..., :-2] - 2.0 * p[..., 2:] + 1.0

    @staticmethod
    def _jt(d, w):  # (J^T w)_j = d_j w_j - w_{j+1} - 2 w_{j-1}
        p = _pad0(w)
        return d * w - p[..., 2:] - 2.0 * p[..., :-2]

    def _grad(self, x):
        d, r = self._parts(x)
        return 2.0 * self._jt(d, r)

    def _hessp(self, x, v):
        d, r = self._parts(x)
        p = _pad0(v)
        jv = d * v - p[..., :-2] - 2.0 * p[..., 2:]
        return 2.0 * self._jt(d, jv) - 8.0 * r * v

    def _x0(self):
        return -np.ones(self.n)


@functools.lru_cache(maxsize=None)
def _band_matrix(n):
    """``B_ij = 1`` for ``j != i``, ``i - 5 <= j <= i + 1`` (Broyden banded), read-only."""
    i = np.arange(n)
    d = i[None, :] - i[:, None]
    b = ((d >= -5) & (d <= 1) & (d != 0)).astype(np.float64)
    b.flags.writeable = False
    return b


@register
class BroydenBanded(LeastSquaresFunction):
    r"""Broyden banded function (MGH 31), m = n, ml = 5, mu = 1.

    .. math:: r_i = x_i(2 + 5x_i^2) + 1 - \sum_{j \in J_i} x_j(1 + x_j),\
              J_i = \{j \ne i : \max(1, i - 5) \le j \le \min(n, i + 1)\}

    ``x0 = (-1, ..., -1)``; ``f* = 0`` (computed numerically).
    """

    name = "broyden_banded"
    title = "Broyden banded"
    default_dim = 10
    dim_range = (1, None)
    formula = ("r_i = x_i (2 + 5 x_i^2) + 1 - sum_{j in J_i} x_j (1 + x_j), "
               "J_i = {j != i: i-5 <= j <= i+1}")
    reference = MGH + "31"
    domain = (-2.0, 2.0)
    x_opt_approximate = True
    f_opt_atol = 1e-20

    def _band(self):
        return _band_matrix(self.n)

    def _residuals(self, x):
        return x * (2.0 + 5.0 * x * x) + 1.0 - anp.dot(x * (1.0 + x), self._band().T)

    # J = diag(2 + 15 x^2) - B diag(1 + 2 x) (B the 0/1 band above),
    # sum_i r_i Hess(r_i) v = v (30 x r - 2 B^T r):
    #   grad f = 2 J^T r,  H v = 2 J^T (J v) + 2 v (30 x r - 2 B^T r),
    # with B y and B^T y by one product with the cached B where n is small (fewer numpy calls),
    # else as sums of six shifted copies (O(n) per point, no n x n matrix).
    _OFFSETS = (-5, -4, -3, -2, -1, 1)  # j - i for j in J_i
    _DENSE_MAX = 32

    def _shift_sum(self, y, sign):
        """``B y`` (``sign=1``: sum_{j in J_i} y_j) or ``B^T y`` (``sign=-1``)."""
        n = y.shape[-1]
        if n <= self._DENSE_MAX:
            bm = _band_matrix(n)
            return y @ (bm.T if sign == 1 else bm)
        out = np.zeros(y.shape)  # here n > 32 > |k|: every shifted slice is non-empty
        for k in self._OFFSETS:
            k = sign * k  # out_i += y_{i+k}
            if k > 0:
                out[..., :n - k] += y[..., k:]
            else:
                out[..., -k:] += y[..., :n + k]
        return out

    def _parts(self, x):
        r = x * (2.0 + 5.0 * x * x) + 1.0 - self._shift_sum(x * (1.0 + x), 1)
        return 2.0 + 15.0 * x * x, 1.0 + 2.0 * x, r

    def _grad(self, x):
        d, e, r = self._parts(x)
        return 2.0 * (d * r - e * self._shift_sum(r, -1))

    def _hessp(self, x, v):
        d, e, r = self._parts(x)
        jv = d * v - self._shift_sum(e * v, 1)
        return 2.0 * (d * jv - e * self._shift_sum(jv, -1)
                      + v * (30.0 * x * r - 2.0 * self._shift_sum(r, -1)))

    def _x0(self):
        return -np.ones(self.n)
