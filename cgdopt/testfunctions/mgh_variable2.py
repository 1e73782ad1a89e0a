"""Moré-Garbow-Hillstrom problems 27-35 (variable dimension), as sums of squares.

See :mod:`cgdopt.testfunctions.mgh_fixed` for conventions.  Reference: Moré,
Garbow & Hillstrom, ACM Trans. Math. Softw. 7(1) (1981) 17-41.
"""
from __future__ import annotations

import autograd.numpy as anp
import numpy as np

from . import _kernels as K
from ._base import LeastSquaresFunction
from ._registry import register
from .mgh_variable import _pad

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

    def _x0(self):
        return -np.ones(self.n)


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
        i = np.arange(self.n)
        d = i[None, :] - i[:, None]  # j - i
        return ((d >= -5) & (d <= 1) & (d != 0)).astype(np.float64)

    def _residuals(self, x):
        return x * (2.0 + 5.0 * x * x) + 1.0 - anp.dot(x * (1.0 + x), self._band().T)

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

    def _x0(self):
        return np.arange(1.0, self.n + 1.0) / (self.n + 1.0)
