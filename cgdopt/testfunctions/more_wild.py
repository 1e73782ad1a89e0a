"""Moré-Wild problems that are not in Moré-Garbow-Hillstrom (CUTEr-derived).

J. J. Moré, S. M. Wild, "Benchmarking derivative-free optimization
algorithms", SIAM J. Optim. 20(1) (2009) 172-191, problems 19-22 of their
``dfovec``/``dfoxs`` codes (https://github.com/POptUS/BenDFO): Bdqrtic, Cube,
Mancino and Heart8 as sums of squares ``f = sum_i r_i^2`` with their standard
starting points (factor 1).  ``bounds`` is a library choice (a box around
``x0`` and the minimizer) used for plots and random sampling only.
"""
from __future__ import annotations

import autograd.numpy as anp
import numpy as np

from ._base import LeastSquaresFunction
from ._registry import register

MW = ("More & Wild, SIAM J. Optim. 20 (2009) 172-191 (BenDFO dfovec/dfoxs), problem ")


class _MoreWild(LeastSquaresFunction):
    tags = ("more-wild", "least-squares")
    source = "Moré–Wild"
    x0_note = "standard starting point of More & Wild (2009), factor 1"


@register
class Bdqrtic(_MoreWild):
    r"""Bdqrtic (Moré-Wild 19), n >= 5, m = 2(n - 4).

    .. math:: r_i = 3 - 4x_i,\quad r_{n-4+i} = x_i^2 + 2x_{i+1}^2 + 3x_{i+2}^2
              + 4x_{i+3}^2 + 5x_n^2,\quad i = 1, \dots, n - 4

    ``x0 = (1, ..., 1)``.  No closed-form minimum is known (``f_opt`` is
    ``nan``); ``x_opt_note`` gives the best value found by Levenberg-Marquardt.
    """

    name = "bdqrtic"
    title = "Bdqrtic"
    default_dim = 8
    dim_range = (5, None)
    formula = ("r_i = 3 - 4 x_i; r_{n-4+i} = x_i^2 + 2 x_{i+1}^2 + 3 x_{i+2}^2 + 4 x_{i+3}^2 "
               "+ 5 x_n^2, i = 1..n-4")
    reference = MW + "19"
    domain = (-2.0, 2.0)
    f_opt_exact = None
    x_opt_note = ("unknown; Levenberg-Marquardt from x0 reaches f = 10.23897 (n = 8), "
                  "18.28116 (n = 10), 26.27277 (n = 12) (library run, not a proven minimum)")

    def _default_m(self):
        return 2 * (self.n - 4)

    def _residuals(self, x):
        k = self.n - 4
        q = (x[..., :k] ** 2 + 2.0 * x[..., 1:k + 1] ** 2 + 3.0 * x[..., 2:k + 2] ** 2
             + 4.0 * x[..., 3:k + 3] ** 2 + 5.0 * x[..., -1:] ** 2)
        return anp.concatenate([3.0 - 4.0 * x[..., :k], q], axis=-1)

    def _x0(self):
        return np.ones(self.n)


@register
class Cube(_MoreWild):
    r"""Cube (Moré-Wild 20), n >= 2, m = n.

    .. math:: r_1 = x_1 - 1,\quad r_i = 10 (x_i - x_{i-1}^3)\ (i \ge 2)

    ``x0 = (1/2, ..., 1/2)``; ``f* = 0`` at ``(1, ..., 1)``.
    """

    name = "cube"
    title = "Cube"
    default_dim = 5
    dim_range = (2, None)
    formula = "r_1 = x_1 - 1; r_i = 10 (x_i - x_{i-1}^3), i >= 2"
    reference = MW + "20"
    domain = (-2.0, 2.0)

    def _residuals(self, x):
        return anp.concatenate([x[..., :1] - 1.0, 10.0 * (x[..., 1:] - x[..., :-1] ** 3)], axis=-1)

    def _x0(self):
        return np.full(self.n, 0.5)

    def _x_opt(self):
        return [np.ones(self.n)]


@register
class Mancino(_MoreWild):
    r"""Mancino (Moré-Wild 21), n >= 2, m = n.

    .. math:: r_i = 1400 x_i + (i - 50)^3 + \sum_{j=1}^n v_{ij}
              \left(\sin^5(\log v_{ij}) + \cos^5(\log v_{ij})\right),\quad
              v_{ij} = \sqrt{x_i^2 + i/j}

    ``x0_i = -8.710996e-4 ((i - 50)^3 + sum_j v_ij(0) (sin^5 + cos^5)(log v_ij(0)))``;
    ``f* = 0`` (a square nonlinear system; the root is found by
    Levenberg-Marquardt from ``x0``).
    """

    name = "mancino"
    title = "Mancino"
    default_dim = 5
    dim_range = (2, None)
    formula = ("r_i = 1400 x_i + (i - 50)^3 + sum_j v_ij (sin^5(log v_ij) + cos^5(log v_ij)), "
               "v_ij = sqrt(x_i^2 + i/j)")
    reference = MW + "21"
    f_opt_atol = 1e-18

    def _bounds(self):  # a box around x0 and the root (library choice)
        pts = np.vstack([self._x0(), self.x_opt])
        lo, hi = pts.min(axis=0), pts.max(axis=0)
        return np.stack([lo - 0.1 * np.abs(lo) - 1.0, hi + 0.1 * np.abs(hi) + 1.0], axis=-1)

    def _sum(self, x):
        i = np.arange(1.0, self.n + 1.0)
        v = anp.sqrt(x[..., :, None] ** 2 + i[:, None] / i)   # (..., i, j)
        lv = anp.log(v)
        return anp.sum(v * (anp.sin(lv) ** 5 + anp.cos(lv) ** 5), axis=-1)

    def _residuals(self, x):
        i = np.arange(1.0, self.n + 1.0)
        return 1400.0 * x + (i - 50.0) ** 3 + self._sum(x)

    def _x0(self):
        i = np.arange(1.0, self.n + 1.0)
        return -8.710996e-4 * ((i - 50.0) ** 3 + self._sum(np.zeros(self.n)))


@register
class Heart8(_MoreWild):
    r"""Heart8 (Moré-Wild 22, CUTEr HEART8LS), n = m = 8.

    .. math:: r_1 = a + b + 0.69,\ r_2 = c + d + 0.044,\
              r_3 = ta + ub - vc - wd + 1.57,\ r_4 = va + wb + tc + ud + 1.31,\ \dots

    with ``x = (a, b, c, d, t, u, v, w)`` (the full formula is in ``formula``).
    ``x0 = (-0.3, -0.39, 0.3, -0.344, -1.2, 2.69, 1.59, -1.5)``; ``f* = 0``
    (the root is found by Levenberg-Marquardt from ``x0``).
    """

    name = "heart8"
    title = "Heart8"
    dim = 8
    formula = ("x = (a, b, c, d, t, u, v, w): r1 = a + b + 0.69; r2 = c + d + 0.044; "
               "r3 = t a + u b - v c - w d + 1.57; r4 = v a + w b + t c + u d + 1.31; "
               "r5 = a (t^2 - v^2) - 2 c t v + b (u^2 - w^2) - 2 d u w + 2.65; "
               "r6 = c (t^2 - v^2) + 2 a t v + d (u^2 - w^2) + 2 b u w - 2; "
               "r7 = a t (t^2 - 3 v^2) + c v (v^2 - 3 t^2) + b u (u^2 - 3 w^2) "
               "+ d w (w^2 - 3 u^2) + 12.6; "
               "r8 = c t (t^2 - 3 v^2) - a v (v^2 - 3 t^2) + d u (u^2 - 3 w^2) "
               "- b w (w^2 - 3 u^2) - 9.48")
    reference = MW + "22"
    domain = (-5.0, 5.0)
    f_opt_atol = 1e-18

    def _residuals(self, x):
        a, b, c, d, t, u, v, w = (x[..., k] for k in range(8))
        return anp.stack([
            a + b + 0.69, c + d + 0.044,
            t * a + u * b - v * c - w * d + 1.57, v * a + w * b + t * c + u * d + 1.31,
            a * (t * t - v * v) - 2.0 * c * t * v + b * (u * u - w * w) - 2.0 * d * u * w + 2.65,
            c * (t * t - v * v) + 2.0 * a * t * v + d * (u * u - w * w) + 2.0 * b * u * w - 2.0,
            (a * t * (t * t - 3.0 * v * v) + c * v * (v * v - 3.0 * t * t)
             + b * u * (u * u - 3.0 * w * w) + d * w * (w * w - 3.0 * u * u) + 12.6),
            (c * t * (t * t - 3.0 * v * v) - a * v * (v * v - 3.0 * t * t)
             + d * u * (u * u - 3.0 * w * w) - b * w * (w * w - 3.0 * u * u) - 9.48)], axis=-1)

    def _x0(self):
        return [-0.3, -0.39, 0.3, -0.344, -1.2, 2.69, 1.59, -1.5]
