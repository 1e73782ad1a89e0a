"""Moré-Garbow-Hillstrom problems 20-35 (variable dimension), as sums of squares.

See :mod:`cgdopt.testfunctions.mgh_fixed` for conventions.  Reference: Moré,
Garbow & Hillstrom, ACM Trans. Math. Softw. 7(1) (1981) 17-41.  Where MGH
publishes the minimum only for some ``n`` (Watson, Penalty I/II, Chebyquad),
``f_opt`` is ``nan`` for the other ``n`` (unknown) and ``x_opt`` is empty.
"""
from __future__ import annotations

import autograd.numpy as anp
import numpy as np

from ._base import LeastSquaresFunction
from ._registry import register

MGH = "More, Garbow & Hillstrom, ACM TOMS 7 (1981) 17-41, problem "


def _pad(x):
    """``(x_0, x_1, ..., x_n, x_{n+1})`` with ``x_0 = x_{n+1} = 0`` (last axis)."""
    z = anp.zeros(x.shape[:-1] + (1,))
    return anp.concatenate([z, x, z], axis=-1)


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

    def _x0(self):
        return np.zeros(self.n)


@register
class ExtendedRosenbrock(LeastSquaresFunction):
    r"""Extended Rosenbrock function (MGH 21), n even, m = n.

    .. math:: r_{2i-1} = 10(x_{2i} - x_{2i-1}^2),\quad r_{2i} = 1 - x_{2i-1}

    ``x0 = (-1.2, 1, ..., -1.2, 1)``; ``f* = 0`` at ``(1, ..., 1)``.
    """

    name = "extended_rosenbrock"
    title = "Extended Rosenbrock"
    default_dim = 10
    dim_range = (2, None)
    dim_step = 2
    tags = ("mgh", "least-squares", "valley")
    formula = "r_{2i-1} = 10 (x_{2i} - x_{2i-1}^2); r_{2i} = 1 - x_{2i-1}"
    reference = MGH + "21"
    domain = (-5.0, 10.0)

    def _residuals(self, x):
        a, b = x[..., 0::2], x[..., 1::2]
        return anp.concatenate([10.0 * (b - a * a), 1.0 - a], axis=-1)

    def _x0(self):
        x = np.ones(self.n)
        x[0::2] = -1.2
        return x

    def _x_opt(self):
        return np.ones((1, self.n))


@register
class ExtendedPowell(LeastSquaresFunction):
    r"""Extended Powell singular function (MGH 22; SFU "Powell Function"), n multiple of 4.

    .. math:: r_{4i-3} = x_{4i-3} + 10x_{4i-2},\ r_{4i-2} = \sqrt5(x_{4i-1} - x_{4i}),\
              r_{4i-1} = (x_{4i-2} - 2x_{4i-1})^2,\ r_{4i} = \sqrt{10}(x_{4i-3} - x_{4i})^2

    ``x0 = (3, -1, 0, 1, ...)``; domain ``[-4, 5]^n`` (SFU); ``f* = 0`` at 0.
    """

    name = "extended_powell"
    title = "Extended Powell singular"
    default_dim = 8
    dim_range = (4, None)
    dim_step = 4
    tags = ("mgh", "sfu", "least-squares", "convex")
    formula = ("r_{4i-3} = x_{4i-3} + 10 x_{4i-2}; r_{4i-2} = sqrt(5) (x_{4i-1} - x_{4i}); "
               "r_{4i-1} = (x_{4i-2} - 2 x_{4i-1})^2; r_{4i} = sqrt(10) (x_{4i-3} - x_{4i})^2")
    reference = MGH + "22; Surjanovic & Bingham (SFU), Powell Function"
    domain = (-4.0, 5.0)

    def _residuals(self, x):
        a, b, c, d = x[..., 0::4], x[..., 1::4], x[..., 2::4], x[..., 3::4]
        return anp.concatenate([a + 10.0 * b, np.sqrt(5.0) * (c - d), (b - 2.0 * c) ** 2,
                                np.sqrt(10.0) * (a - d) ** 2], axis=-1)

    # f = sum over blocks (a + 10b)^2 + 5(c - d)^2 + (b - 2c)^4 + 10(a - d)^4
    analytic_grad = True

    def _grad(self, x):
        a, b, c, d = x[..., 0::4], x[..., 1::4], x[..., 2::4], x[..., 3::4]
        p, q, s, t = a + 10.0 * b, c - d, b - 2.0 * c, a - d
        s, t = s * s * s, t * t * t  # not ** 3: numpy's float power is ~20x slower
        g = np.empty(x.shape, dtype=x.dtype)
        g[..., 0::4] = 2.0 * p + 40.0 * t
        g[..., 1::4] = 20.0 * p + 4.0 * s
        g[..., 2::4] = 10.0 * q - 8.0 * s
        g[..., 3::4] = -10.0 * q - 40.0 * t
        return g

    def _x0(self):
        return np.tile([3.0, -1.0, 0.0, 1.0], self.n // 4)

    def _x_opt(self):
        return np.zeros((1, self.n))


@register
class Penalty1(LeastSquaresFunction):
    r"""Penalty function I (MGH 23), m = n + 1, a = 1e-5.

    .. math:: r_i = \sqrt{a}(x_i - 1)\ (i \le n),\quad r_{n+1} = \sum_j x_j^2 - \tfrac14

    ``x0 = (1, 2, ..., n)``; ``f* = 2.24998e-5`` (n = 4), ``7.08765e-5``
    (n = 10) (MGH); unknown for other ``n``.
    """

    name = "penalty1"
    title = "Penalty I"
    default_dim = 4
    dim_range = (1, None)
    formula = "r_i = sqrt(1e-5) (x_i - 1), i <= n; r_{n+1} = sum_j x_j^2 - 1/4"
    reference = MGH + "23"
    domain = (-5.0, 5.0)
    published = {4: "2.24998e-5", 10: "7.08765e-5"}
    f_opt_exact = None

    def _default_m(self):
        return self.n + 1

    def _residuals(self, x):
        r = np.sqrt(1e-5) * (x - 1.0)
        return anp.concatenate([r, anp.sum(x * x, axis=-1, keepdims=True) - 0.25], axis=-1)

    def _x0(self):
        return np.arange(1.0, self.n + 1.0)


@register
class Penalty2(LeastSquaresFunction):
    r"""Penalty function II (MGH 24), m = 2n, a = 1e-5.

    .. math:: r_1 = x_1 - 0.2,\ r_i = \sqrt a(e^{x_i/10} + e^{x_{i-1}/10} - y_i)\ (2 \le i \le n),\
              r_i = \sqrt a(e^{x_{i-n+1}/10} - e^{-1/10})\ (n < i < 2n),\
              r_{2n} = \sum_j (n - j + 1) x_j^2 - 1

    with ``y_i = e^{i/10} + e^{(i-1)/10}``.  ``x0 = (1/2, ..., 1/2)``;
    ``f* = 9.37629e-6`` (n = 4), ``2.93660e-4`` (n = 10) (MGH).
    """

    name = "penalty2"
    title = "Penalty II"
    default_dim = 4
    dim_range = (1, None)
    formula = ("r1 = x1 - 0.2; r_i = sqrt(a) (exp(x_i/10) + exp(x_{i-1}/10) - y_i), 2 <= i <= n; "
               "r_i = sqrt(a) (exp(x_{i-n+1}/10) - exp(-1/10)), n < i < 2n; "
               "r_2n = sum_j (n - j + 1) x_j^2 - 1")
    reference = MGH + "24"
    domain = (-5.0, 5.0)
    published = {4: "9.37629e-6", 10: "2.93660e-4"}
    f_opt_exact = None

    def _default_m(self):
        return 2 * self.n

    def _residuals(self, x):
        n, sa = self.n, np.sqrt(1e-5)
        i = np.arange(2.0, n + 1.0)
        y = np.exp(i / 10.0) + np.exp((i - 1.0) / 10.0)
        e = anp.exp(x / 10.0)
        w = np.arange(n, 0, -1, dtype=np.float64)
        return anp.concatenate([
            x[..., 0:1] - 0.2,
            sa * (e[..., 1:] + e[..., :-1] - y),
            sa * (e[..., 1:] - np.exp(-0.1)),
            anp.sum(w * x * x, axis=-1, keepdims=True) - 1.0], axis=-1)

    def _x0(self):
        return np.full(self.n, 0.5)


@register
class VariablyDimensioned(LeastSquaresFunction):
    r"""Variably dimensioned function (MGH 25), m = n + 2.

    .. math:: r_i = x_i - 1\ (i \le n),\ r_{n+1} = \sum_j j(x_j - 1),\
              r_{n+2} = \Big(\sum_j j(x_j - 1)\Big)^2

    ``x0_j = 1 - j/n``; ``f* = 0`` at ``(1, ..., 1)``.
    """

    name = "variably_dimensioned"
    title = "Variably dimensioned"
    default_dim = 10
    dim_range = (1, None)
    formula = "r_i = x_i - 1; r_{n+1} = sum_j j (x_j - 1); r_{n+2} = (sum_j j (x_j - 1))^2"
    reference = MGH + "25"
    domain = (-2.0, 3.0)

    def _default_m(self):
        return self.n + 2

    def _residuals(self, x):
        s = anp.sum(np.arange(1.0, self.n + 1.0) * (x - 1.0), axis=-1, keepdims=True)
        return anp.concatenate([x - 1.0, s, s * s], axis=-1)

    def _x0(self):
        return 1.0 - np.arange(1.0, self.n + 1.0) / self.n

    def _x_opt(self):
        return np.ones((1, self.n))


@register
class Trigonometric(LeastSquaresFunction):
    r"""Trigonometric function (MGH 26), m = n.

    .. math:: r_i = n - \sum_{j=1}^n \cos x_j + i(1 - \cos x_i) - \sin x_i

    ``x0 = (1/n, ..., 1/n)``; ``f* = 0`` (MGH).  The function is
    ``2 pi``-periodic in every coordinate, so minimizers are never isolated
    modulo the period; ``x_opt`` lists one, found numerically from ``x0``
    (empty if that run ends at a local minimum instead).
    """

    name = "trigonometric"
    title = "Trigonometric"
    default_dim = 5
    dim_range = (1, None)
    tags = ("mgh", "least-squares", "multimodal")
    formula = "r_i = n - sum_j cos x_j + i (1 - cos x_i) - sin x_i"
    reference = MGH + "26"
    domain = (-np.pi, np.pi)
    x_opt_approximate = True
    f_opt_atol = 1e-20
    x_opt_note = "2 pi-periodic: x_opt + 2 pi k are minimizers too"
    x_opt_complete = False

    def _residuals(self, x):
        i = np.arange(1.0, self.n + 1.0)
        c = anp.cos(x)
        return self.n - anp.sum(c, axis=-1, keepdims=True) + i * (1.0 - c) - anp.sin(x)

    def _x0(self):
        return np.full(self.n, 1.0 / self.n)
