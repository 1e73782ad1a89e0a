"""Moré-Garbow-Hillstrom polynomial fits of variable dimension, as sums of squares.

Watson (MGH 20) and Chebyquad (35). See :mod:`cgdopt.testfunctions.mgh_fixed`
for conventions. Reference: Moré, Garbow & Hillstrom, ACM Trans. Math. Softw.
7(1) (1981) 17-41. Where MGH publishes the minimum only for some ``n`` (Watson,
Chebyquad), ``f_opt`` is ``nan`` for the other ``n`` (unknown) and ``x_opt`` is
empty.
"""
from __future__ import annotations

import functools

import autograd.numpy as anp
import numpy as np

from ._least_squares import LeastSquaresFunction
from ._references import MGH
from ._registry import register


@functools.lru_cache(maxsize=None)
def _watson_matrices(n):
    """``P_ij = t_i^(j-1)``, ``D_ij = (j-1) t_i^(j-2)`` (``D[:, 0] = 0``), shape (29, n)."""
    t = np.arange(1.0, 30.0)[:, None] / 29.0
    j = np.arange(1.0, n + 1.0)
    p = t ** (j - 1.0)
    d = np.zeros((29, n))
    d[:, 1:] = (j[1:] - 1.0) * t ** (j[1:] - 2.0)
    p.flags.writeable = d.flags.writeable = False
    return p, d


@register
class Watson(LeastSquaresFunction):
    r"""Watson function (MGH 20), 2 <= n <= 31, m = 31.

    .. math:: r_i = \sum_{j=2}^n (j-1) x_j t_i^{j-2} - \Big(\sum_{j=1}^n x_j t_i^{j-1}\Big)^2 - 1,
              \ t_i = i/29\ (i \le 29),\quad r_{30} = x_1,\ r_{31} = x_2 - x_1^2 - 1

    ``x0 = 0``; ``f* = 2.28767e-3`` (n = 6), ``1.39976e-6`` (n = 9),
    ``4.72238e-10`` (n = 12) (MGH); unknown for other ``n``.
    """

    name = "watson"
    title = "Watson"
    default_dim = 6
    dim_range = (2, 31)
    formula = ("r_i = sum_{j>=2} (j-1) x_j t_i^(j-2) - (sum_j x_j t_i^(j-1))^2 - 1, "
               "t_i = i/29 (i <= 29);"
               " r_30 = x1; r_31 = x2 - x1^2 - 1")
    reference = MGH + "20"
    domain = (-15.0, 15.0)
    published = {6: "2.28767e-3", 9: "1.39976e-6", 12: "4.72238e-10"}
    f_opt_exact = None

    def _default_m(self):
        return 31

    def _residuals(self, x):
        t = np.arange(1.0, 30.0)[:, None] / 29.0
        j = np.arange(1.0, self.n + 1.0)
        p = t ** (j - 1.0)                       # (29, n)
        d = (j[1:] - 1.0) * t ** (j[1:] - 2.0)   # (29, n-1)
        s = anp.dot(x, p.T)
        r = anp.dot(x[..., 1:], d.T) - s * s - 1.0
        x1, x2 = x[..., 0:1], x[..., 1:2]
        return anp.concatenate([r, x1, x2 - x1 * x1 - 1.0], axis=-1)

    # Closed form.  With s_i = P_i . x (P_ij = t_i^(j-1)), D_ij = (j-1) t_i^(j-2):
    #   grad r_i = D_i - 2 s_i P_i,  Hess r_i = -2 P_i P_i^T  (i <= 29),
    #   grad r_30 = e_1,  grad r_31 = e_2 - 2 x_1 e_1,  Hess r_31 = -2 e_1 e_1^T,
    # so grad f = 2 J^T r and H v = 2 J^T (J v) + 2 sum_i r_i Hess(r_i) v, by matrix products.
    def _parts(self, x):
        p, d = _watson_matrices(self.n)
        s = x @ p.T
        r = x @ d.T - s * s - 1.0
        x1 = x[..., 0]
        return p, d, s, r, x1, x[..., 1] - x1 * x1 - 1.0

    def _grad(self, x):
        p, d, s, r, x1, r31 = self._parts(x)
        g = r @ d - (2.0 * r * s) @ p
        g[..., 0] += x1 - 2.0 * x1 * r31
        g[..., 1] += r31
        return 2.0 * g

    def _hessp(self, x, v):
        p, d, s, r, x1, r31 = self._parts(x)
        pv = v @ p.T
        jv = v @ d.T - 2.0 * s * pv                 # (J v)_i, i <= 29
        v1 = v[..., 0]
        jv31 = v[..., 1] - 2.0 * x1 * v1            # (J v)_31; (J v)_30 = v1
        h = jv @ d - (2.0 * (jv * s + r * pv)) @ p
        h[..., 0] += v1 - 2.0 * x1 * jv31 - 2.0 * r31 * v1
        h[..., 1] += jv31
        return 2.0 * h

    def _x0(self):
        return np.zeros(self.n)


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
