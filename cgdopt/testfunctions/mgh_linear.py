"""Moré-Garbow-Hillstrom linear-function family and Brown almost-linear, as sums of squares.

Brown almost-linear (MGH 27), linear function of full rank (32), of rank 1 (33)
and of rank 1 with zero columns and rows (34). See
:mod:`cgdopt.testfunctions.mgh_fixed` for conventions. Reference: Moré, Garbow
& Hillstrom, ACM Trans. Math. Softw. 7(1) (1981) 17-41.
"""
from __future__ import annotations

import autograd.numpy as anp
import numpy as np

from . import _kernels as K
from ._least_squares import LeastSquaresFunction
from ._references import MGH
from ._registry import register


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
