"""Moré-Garbow-Hillstrom problems 27-35 (variable dimension), as sums of squares.

See :mod:`cgdopt.testfunctions.mgh_fixed` for conventions.  Reference: Moré,
Garbow & Hillstrom, ACM Trans. Math. Softw. 7(1) (1981) 17-41.
"""
from __future__ import annotations

import functools

import autograd.numpy as anp
import numpy as np

from . import _kernels as K
from ._base import LeastSquaresFunction
from ._registry import register
from .mgh_variable import _pad, _pad0

MGH = "More, Garbow & Hillstrom, ACM TOMS 7 (1981) 17-41, problem "


@register
class BrownAlmostLinear(LeastSquaresFunction):
    r"""Brown almost-linear function (MGH 27), m = n >= 2.

    .. math:: r_i = x_i + \sum_j x_j - (n + 1)\ (i < n),\quad r_n = \prod_j x_j - 1

    ``x0 = (1/2, ..., 1/2)``; ``f* = 0`` at ``(a, ..., a, a^{1-n})`` for every
    real root ``a`` of ``n a^n - (n+1) a^{n-1} + 1 = 0`` (``a = 1`` among
    them); local minimum ``f = 1`` at ``(0, ..., 0, n + 1)``.
    """

    name = "brown_almost_linear"
    title = "Brown almost-linear"
    default_dim = 10
    dim_range = (2, None)
    formula = "r_i = x_i + sum_j x_j - (n + 1), i < n; r_n = prod_j x_j - 1"
    reference = MGH + "27"
    f_opt_atol = 1e-20

    def _bounds(self):
        xs = self.x_opt  # library choice: [-2, 3], widened to contain every minimizer
        return (min(-2.0, np.floor(xs.min()) - 1.0), max(3.0, np.ceil(xs.max()) + 1.0))

    def _residuals(self, x):
        s = anp.sum(x, axis=-1, keepdims=True)
        return anp.concatenate([x[..., :-1] + s - (self.n + 1.0),
                                anp.prod(x, axis=-1, keepdims=True) - 1.0], axis=-1)

    # Closed form without division by x_j (a polynomial: finite where a coordinate
    # is 0): d prod / dx_j = prod_{k != j} x_k by prefix/suffix products.
    def _rjac(self, x):
        n = self.n
        J = np.broadcast_to(np.eye(n)[:-1] + 1.0, x.shape[:-1] + (n - 1, n))
        return np.concatenate([J, K.prod_excl(x)[..., None, :]], axis=-2)

    def _rhessp(self, x, r, v):
        return r[..., -1:] * K.prod_excl_jvp(x, v)

    def _grad(self, x):  # 2 J^T r written out: 2 (r_j [j < n] + sum_{i<n} r_i + r_n prod_{k!=j} x_k)
        q = K.prod_excl(x)
        lin = x[..., :-1] + (x.sum(axis=-1)[..., None] - (self.n + 1.0))
        rn = q[..., -1] * x[..., -1] - 1.0
        g = (lin.sum(axis=-1) + 0.0)[..., None] + rn[..., None] * q
        g[..., :-1] += lin
        return 2.0 * g

    def _x0(self):
        return np.full(self.n, 0.5)

    # MGH: local minimum f = 1 at (0, ..., 0, n + 1).  It is a critical point for n >= 3 with a
    # positive semi-definite Hessian for n >= 4; for n = 3 the Hessian is indefinite (a saddle:
    # the term r_n Hess(prod) has the entry r_n x_3 = -4 at (1, 2)); for n = 2 not critical.
    def _x_local(self):
        return [np.r_[np.zeros(self.n - 1), self.n + 1.0]] if self.n >= 4 else np.zeros((0, self.n))

    def _x_saddle(self):
        return [[0.0, 0.0, 4.0]] if self.n == 3 else np.zeros((0, self.n))

    def _x_opt(self):
        n = self.n
        coef = np.zeros(n + 1)
        coef[0], coef[1], coef[-1] = n, -(n + 1.0), 1.0
        roots = []
        for r in np.roots(coef):
            if abs(r.imag) > 1e-6 or abs(r.real) < 1e-3:
                continue
            a = r.real
            for _ in range(50):  # Newton polish
                p = n * a ** n - (n + 1) * a ** (n - 1) + 1.0
                dp = n * n * a ** (n - 1) - (n + 1) * (n - 1) * a ** (n - 2)
                a -= p / dp
            a = 1.0 if abs(a - 1.0) < 1e-9 else a
            if all(abs(a - b) > 1e-8 for b in roots):
                roots.append(a)
        xs = [np.r_[np.full(n - 1, a), a ** (1 - n)] for a in sorted(roots)]
        return [x for x in xs if self._f(x) < 1e-20]


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


class _Linear(LeastSquaresFunction):
    default_dim = 5
    dim_range = (1, None)
    m_range = None
    domain = (-3.0, 3.0)
    tags = ("mgh", "least-squares", "convex")

    def _default_m(self):
        return 2 * self.n

    def _m_range(self):
        return (self.n, None)

    def _x0(self):
        return np.ones(self.n)

    # Every residual is linear, r = J x - 1 with a constant J (Hess r_i = 0):
    #   grad f = 2 J^T r,  H v = 2 J^T (J v).
    # Subclasses give the products: ``_jv`` (J v, shape (..., m)), ``_jtw`` (J^T w, (..., n)).
    def _grad(self, x):
        return 2.0 * self._jtw(self._jv(x) - 1.0)

    def _hessp(self, x, v):
        return 2.0 * self._jtw(self._jv(v))

    # Rank one (MGH 33, 34): J = c w^T, so J v = c (w . v), J^T y = (c . y) w.
    def _cw(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def _jv(self, v):
        c, w = self._cw()
        return (v @ w)[..., None] * c

    def _jtw(self, y):
        c, w = self._cw()
        return (y @ c)[..., None] * w


@register
class LinearFullRank(_Linear):
    r"""Linear function - full rank (MGH 32), m >= n (default m = 2n, library choice).

    .. math:: r_i = x_i - \frac2m\sum_j x_j - 1\ (i \le n),\quad
              r_i = -\frac2m\sum_j x_j - 1\ (i > n)

    ``x0 = (1, ..., 1)``; ``f* = m - n`` at ``(-1, ..., -1)``.
    """

    name = "linear_full_rank"
    title = "Linear function - full rank"
    formula = "r_i = x_i - (2/m) sum_j x_j - 1 (i <= n); r_i = -(2/m) sum_j x_j - 1 (i > n)"
    reference = MGH + "32"

    def _residuals(self, x):
        s = (2.0 / self.m) * anp.sum(x, axis=-1, keepdims=True)
        tail = anp.repeat(-s - 1.0, self.m - self.n, axis=-1) if self.m > self.n else None
        head = x - s - 1.0
        return head if tail is None else anp.concatenate([head, tail], axis=-1)

    # J = [I; 0] - (2/m) 1 1^T:  J v = [v; 0] - (2/m) sum(v),  J^T y = y_{1..n} - (2/m) sum(y)
    def _jv(self, v):
        out = np.empty(v.shape[:-1] + (self.m,))
        s = (2.0 / self.m) * v.sum(axis=-1, keepdims=True)
        out[..., :self.n] = v - s
        out[..., self.n:] = -s
        return out

    def _jtw(self, y):
        return y[..., :self.n] - (2.0 / self.m) * y.sum(axis=-1, keepdims=True)

    def _x_opt(self):
        return -np.ones((1, self.n))

    def _f_opt(self):
        return float(self.m - self.n)


@register
class LinearRank1(_Linear):
    r"""Linear function - rank 1 (MGH 33), m >= n (default m = 2n).

    .. math:: r_i = i \sum_{j=1}^n j x_j - 1

    ``x0 = (1, ..., 1)``; ``f* = m(m-1) / (2(2m+1))`` on the hyperplane
    ``sum_j j x_j = 3/(2m+1)``; ``x_opt`` lists its point of least norm.
    """

    name = "linear_rank1"
    title = "Linear function - rank 1"
    formula = "r_i = i sum_j j x_j - 1"
    reference = MGH + "33"
    x_opt_note = "every point of the hyperplane sum_j j x_j = 3/(2m+1) (least-norm point listed)"
    x_opt_complete = False

    def _residuals(self, x):
        s = anp.sum(np.arange(1.0, self.n + 1.0) * x, axis=-1, keepdims=True)
        return np.arange(1.0, self.m + 1.0) * s - 1.0

    def _cw(self):  # r = c (w . x) - 1, c_i = i, w_j = j
        return np.arange(1.0, self.m + 1.0), np.arange(1.0, self.n + 1.0)

    def _x_opt(self):
        j = np.arange(1.0, self.n + 1.0)
        return [3.0 / (2 * self.m + 1) * j / (j @ j)]

    def _f_opt(self):
        m = self.m
        return m * (m - 1) / (2.0 * (2 * m + 1))


@register
class LinearRank1Zero(_Linear):
    r"""Linear function - rank 1 with zero columns and rows (MGH 34), n >= 3, m >= n.

    .. math:: r_1 = r_m = -1,\quad r_i = (i - 1)\sum_{j=2}^{n-1} j x_j - 1\ (1 < i < m)

    ``x0 = (1, ..., 1)``; ``f* = (m^2 + 3m - 6) / (2(2m - 3))`` on
    ``sum_{j=2}^{n-1} j x_j = 3/(2m-3)``; ``x_opt`` lists its least-norm point.
    """

    name = "linear_rank1_zero"
    title = "Linear function - rank 1 with zero columns and rows"
    dim_range = (3, None)
    formula = "r_1 = r_m = -1; r_i = (i - 1) sum_{j=2}^{n-1} j x_j - 1"
    reference = MGH + "34"
    x_opt_note = "every point with sum_{j=2}^{n-1} j x_j = 3/(2m-3) (least-norm point listed)"
    x_opt_complete = False

    def _w(self):
        w = np.arange(1.0, self.n + 1.0)
        w[0] = w[-1] = 0.0
        return w

    def _residuals(self, x):
        s = anp.sum(self._w() * x, axis=-1, keepdims=True)
        c = np.arange(self.m, dtype=np.float64)  # i - 1
        c[0] = c[-1] = 0.0
        return c * s - 1.0

    def _cw(self):  # r = c (w . x) - 1, c_i = i - 1 (c_1 = c_m = 0), w_j = j (w_1 = w_n = 0)
        c = np.arange(self.m, dtype=np.float64)
        c[0] = c[-1] = 0.0
        return c, self._w()

    def _x_opt(self):
        w = self._w()
        return [3.0 / (2 * self.m - 3) * w / (w @ w)]

    def _f_opt(self):
        m = self.m
        return (m * m + 3.0 * m - 6.0) / (2.0 * (2 * m - 3))


@register
class Chebyquad(LeastSquaresFunction):
    r"""Chebyquad function (MGH 35), m >= n (default m = n = 8).

    .. math:: r_i = \frac1n \sum_{j=1}^n T_i(x_j) - \int_0^1 T_i(t)\,dt

    with ``T_i`` the Chebyshev polynomial shifted to ``[0, 1]``; the integral
    is ``-1/(i^2 - 1)`` for even ``i`` and 0 for odd ``i``.
    ``x0_j = j/(n+1)``; for ``m = n``: ``f* = 0`` for ``1 <= n <= 7`` and
    ``n = 9``, ``3.51687e-3`` (n = 8), ``6.50395e-3`` (n = 10) (MGH); unknown
    otherwise.  Any permutation of a minimizer is a minimizer.
    """

    name = "chebyquad"
    title = "Chebyquad"
    default_dim = 8
    dim_range = (1, None)
    tags = ("mgh", "least-squares", "multimodal")
    formula = "r_i = (1/n) sum_j T_i(x_j) - int_0^1 T_i, T_i shifted Chebyshev on [0, 1]"
    reference = MGH + "35"
    domain = (0.0, 1.0)
    m_range = None
    published = {8: "3.51687e-3", 10: "6.50395e-3"}
    x_opt_note = "permutations of a minimizer are minimizers (one listed)"
    x_opt_complete = False
    x_opt_approximate = True
    f_opt_atol = 1e-20

    def _m_range(self):
        return (self.n, None)

    def _f_opt(self):
        if self.f_opt_is_published_best:
            return float(self.f_opt_published)
        if self.m == self.n and (self.n <= 7 or self.n == 9):
            return 0.0
        return np.nan

    def _residuals(self, x):
        y = 2.0 * x - 1.0
        t_prev, t_cur = anp.ones_like(y), y
        rows = []
        for i in range(1, self.m + 1):
            integral = -1.0 / (i * i - 1.0) if i % 2 == 0 else 0.0
            rows.append(anp.mean(t_cur, axis=-1) - integral)
            t_prev, t_cur = t_cur, 2.0 * y * t_cur - t_prev
        return anp.stack(rows, axis=-1)

    # With y = 2x - 1 and the recurrences (T_0 = 1, T_1 = y, T'_0 = 0, T'_1 = 1, T''_{0,1} = 0)
    #   T_{i+1} = 2 y T_i - T_{i-1},  T'_{i+1} = 2 T_i + 2 y T'_i - T'_{i-1},
    #   T''_{i+1} = 4 T'_i + 2 y T''_i - T''_{i-1},
    # dr_i/dx_j = (2/n) T'_i(y_j) and d2r_i/dx_j^2 = (4/n) T''_i(y_j) (no mixed terms), so
    #   grad f = (4/n) sum_i r_i T'_i(y),
    #   H v = (4/n) sum_i (J v)_i T'_i(y) + (8/n) v sum_i r_i T''_i(y),  (J v)_i = (2/n) T'_i . v.
    # One pass over i = 1..m (r_i and (J v)_i are known at step i): O(m n) per point, arrays of
    # the size of x only (a loop over i, never over points).
    def _integrals(self):
        i = np.arange(2.0, self.m + 1.0, 2.0)  # int_0^1 T_i = -1/(i^2 - 1), i even; 0, i odd
        out = np.zeros(self.m)
        out[1::2] = -1.0 / (i * i - 1.0)
        return out

    def _grad(self, x):
        y = 2.0 * x - 1.0
        y2, c = 2.0 * y, self._integrals()
        t0, t1, d0, d1 = 1.0, y, 0.0, 1.0
        g = np.zeros(y.shape)
        for i in range(self.m):  # T_{i+1}, T'_{i+1}
            r = t1.sum(axis=-1) / self.n - c[i]  # as in the residuals: mean(T_i) - int T_i
            g += r[..., None] * d1
            if i + 1 < self.m:
                t0, t1, d0, d1 = t1, y2 * t1 - t0, d1, 2.0 * t1 + y2 * d1 - d0
        return (4.0 / self.n) * g

    def _hessp(self, x, v):
        y = 2.0 * x - 1.0
        y2, c = 2.0 * y, self._integrals()
        t0, t1, d0, d1, s0, s1 = 1.0, y, 0.0, 1.0, 0.0, 0.0
        a, b = np.zeros(y.shape), np.zeros(y.shape)
        for i in range(self.m):
            r = t1.sum(axis=-1) / self.n - c[i]
            a += (d1 * v).sum(axis=-1)[..., None] * d1   # (n/2) (J v)_i T'_i
            b += r[..., None] * s1
            if i + 1 < self.m:
                t0, t1, d0, d1, s0, s1 = (t1, y2 * t1 - t0, d1, 2.0 * t1 + y2 * d1 - d0,
                                          s1, 4.0 * d1 + y2 * s1 - s0)
        return (8.0 / (self.n * self.n)) * a + (8.0 / self.n) * v * b

    def _x0(self):
        return np.arange(1.0, self.n + 1.0) / (self.n + 1.0)
