"""Moré-Garbow-Hillstrom Rosenbrock- and Powell-type problems, as sums of squares.

Powell singular (MGH 13), Wood (14), extended Rosenbrock (21) and extended
Powell singular (22). See :mod:`cgdopt.testfunctions.mgh_fixed` for
conventions. Reference: Moré, Garbow & Hillstrom, ACM Trans. Math. Softw. 7(1)
(1981) 17-41.
"""
from __future__ import annotations

import autograd.numpy as anp
import numpy as np

from ._least_squares import LeastSquaresFunction
from ._lsq import rows, symv, vec
from ._references import MGH
from ._registry import register


# Closed-form derivatives (issue 8): each problem defines the residual Jacobian ``_rjac``
# and ``_rhessp`` = sum_i r_i Hess(r_i) v (see :mod:`._lsq` for the conventions); some also
# write out ``_grad`` = 2 J^T r to share the exponentials with the residuals.


@register
class PowellSingular(LeastSquaresFunction):
    r"""Powell singular function (MGH 13), n = m = 4.

    .. math:: r_1 = x_1 + 10x_2,\ r_2 = \sqrt5(x_3 - x_4),\ r_3 = (x_2 - 2x_3)^2,\
              r_4 = \sqrt{10}(x_1 - x_4)^2

    ``x0 = (3, -1, 0, 1)``; ``f* = 0`` at 0 (singular Hessian).  SFU's
    "Powell Function" is :class:`ExtendedPowell`.
    """

    name = "powell_singular"
    title = "Powell singular"
    dim = 4
    formula = ("r1 = x1 + 10 x2; r2 = sqrt(5) (x3 - x4); r3 = (x2 - 2 x3)^2; "
               "r4 = sqrt(10) (x1 - x4)^2")
    reference = MGH + "13"
    domain = (-4.0, 5.0)

    def _residuals(self, x):
        x1, x2, x3, x4 = (x[..., k] for k in range(4))
        return anp.stack([x1 + 10.0 * x2, np.sqrt(5.0) * (x3 - x4), (x2 - 2.0 * x3) ** 2,
                          np.sqrt(10.0) * (x1 - x4) ** 2], axis=-1)

    # With a = x2 - 2 x3, b = x1 - x4:  J = [[1, 10, 0, 0], [0, 0, sqrt5, -sqrt5],
    # [0, 2a, -4a, 0], [2 sqrt10 b, 0, 0, -2 sqrt10 b]];  Hess r3 = 2 p p^T, p = (0, 1, -2, 0);
    # Hess r4 = 2 sqrt10 q q^T, q = (1, 0, 0, -1).
    def _rjac(self, x):
        a = x[..., 1] - 2.0 * x[..., 2]
        b2 = 2.0 * np.sqrt(10.0) * (x[..., 0] - x[..., 3])
        s5 = np.sqrt(5.0)
        return rows(a.shape, 4, 4, {(0, 0): 1.0, (0, 1): 10.0, (1, 2): s5, (1, 3): -s5,
                                    (2, 1): 2.0 * a, (2, 2): -4.0 * a, (3, 0): b2, (3, 3): -b2})

    def _rhessp(self, x, r, v):
        p = 2.0 * r[..., 2] * (v[..., 1] - 2.0 * v[..., 2])
        q = 2.0 * np.sqrt(10.0) * r[..., 3] * (v[..., 0] - v[..., 3])
        return vec(p.shape, [q, p, -2.0 * p, -q])

    def _grad(self, x):  # 2 J^T r = (2 r1 + 40 b^3, 20 r1 + 4 a^3, 10 (x3 - x4) - 8 a^3, ...)
        x1, x2, x3, x4 = (x[..., k] for k in range(4))
        a, b, r1, d = x2 - 2.0 * x3, x1 - x4, x1 + 10.0 * x2, x3 - x4
        a3, b3 = a * a * a, b * b * b
        return vec(a.shape, [2.0 * r1 + 40.0 * b3, 20.0 * r1 + 4.0 * a3,
                             10.0 * d - 8.0 * a3, -10.0 * d - 40.0 * b3])

    def _x0(self):
        return [3.0, -1.0, 0.0, 1.0]

    def _x_opt(self):
        return np.zeros((1, 4))


@register
class Wood(LeastSquaresFunction):
    r"""Wood function (MGH 14), n = 4, m = 6 (SFU's Colville function).

    .. math:: r_1 = 10(x_2 - x_1^2),\ r_2 = 1 - x_1,\ r_3 = \sqrt{90}(x_4 - x_3^2),\
              r_4 = 1 - x_3,\ r_5 = \sqrt{10}(x_2 + x_4 - 2),\ r_6 = (x_2 - x_4)/\sqrt{10}

    ``x0 = (-3, -1, -3, -1)``; ``f* = 0`` at ``(1, 1, 1, 1)``.
    """

    name = "wood"
    title = "Wood (Colville)"
    dim = 4
    tags = ("mgh", "sfu", "least-squares", "valley")
    formula = ("r = (10 (x2 - x1^2), 1 - x1, sqrt(90) (x4 - x3^2), 1 - x3, "
               "sqrt(10) (x2 + x4 - 2), (x2 - x4)/sqrt(10))")
    reference = MGH + "14; Surjanovic & Bingham (SFU), Colville Function"
    domain = (-10.0, 10.0)

    def _default_m(self):
        return 6

    def _residuals(self, x):
        x1, x2, x3, x4 = (x[..., k] for k in range(4))
        s10 = np.sqrt(10.0)
        return anp.stack([10.0 * (x2 - x1 * x1), 1.0 - x1, np.sqrt(90.0) * (x4 - x3 * x3),
                          1.0 - x3, s10 * (x2 + x4 - 2.0), (x2 - x4) / s10], axis=-1)

    # J = [[-20 x1, 10, 0, 0], [-1, 0, 0, 0], [0, 0, -2 sqrt90 x3, sqrt90], [0, 0, -1, 0],
    # [0, sqrt10, 0, sqrt10], [0, 1/sqrt10, 0, -1/sqrt10]];  Hess r1 = -20 e1 e1^T,
    # Hess r3 = -2 sqrt90 e3 e3^T, the others linear.
    def _rjac(self, x):
        x1, x3 = x[..., 0], x[..., 2]
        s10, s90 = np.sqrt(10.0), np.sqrt(90.0)
        return rows(x1.shape, 6, 4, {
            (0, 0): -20.0 * x1, (0, 1): 10.0, (1, 0): -1.0, (2, 2): -2.0 * s90 * x3,
            (2, 3): s90, (3, 2): -1.0, (4, 1): s10, (4, 3): s10, (5, 1): 1.0 / s10,
            (5, 3): -1.0 / s10})

    def _rhessp(self, x, r, v):
        return symv({(0, 0): -20.0 * r[..., 0], (2, 2): -2.0 * np.sqrt(90.0) * r[..., 2]}, v)

    def _grad(self, x):  # 2 J^T r, written out
        x1, x2, x3, x4 = (x[..., k] for k in range(4))
        r1, r3 = 100.0 * (x2 - x1 * x1), 90.0 * (x4 - x3 * x3)  # 10 r1, sqrt90 r3
        r5 = 10.0 * (x2 + x4 - 2.0) + 0.1 * (x2 - x4)           # sqrt10 r5 + r6/sqrt10
        r6 = 10.0 * (x2 + x4 - 2.0) - 0.1 * (x2 - x4)           # sqrt10 r5 - r6/sqrt10
        return 2.0 * vec(x1.shape, [-2.0 * x1 * r1 - (1.0 - x1), r1 + r5,
                                    -2.0 * x3 * r3 - (1.0 - x3), r3 + r6])

    def _x0(self):
        return [-3.0, -1.0, -3.0, -1.0]

    def _x_opt(self):
        return [[1.0, 1.0, 1.0, 1.0]]


class RosenbrockPoints:
    """Start and minimizer shared by every n-dimensional Rosenbrock (MGH 21, SFU's chained one).

    ``x0 = (-1.2, 1, -1.2, 1, ...)`` (MGH problem 1's start, repeated); ``x* = (1, ..., 1)``.
    """

    n: int

    def _x0(self):
        x = np.ones(self.n)
        x[0::2] = -1.2
        return x

    def _x_opt(self):
        return np.ones((1, self.n))


@register
class ExtendedRosenbrock(RosenbrockPoints, LeastSquaresFunction):
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

    # f = sum_i 100 d_i^2 + (1 - a_i)^2, d = b - a^2 (a = x_{2i-1}, b = x_{2i}):
    #   df/da = -400 a d - 2 (1 - a),   df/db = 200 d,
    #   d2f/da2 = 2 - 400 d + 800 a^2,  d2f/da db = -400 a,  d2f/db2 = 200.
    def _grad(self, x):
        a, b = x[..., 0::2], x[..., 1::2]
        d = b - a * a
        g = np.empty(x.shape)
        g[..., 0::2] = -400.0 * a * d - 2.0 * (1.0 - a)
        g[..., 1::2] = 200.0 * d
        return g

    def _hessp(self, x, v):
        a, b = x[..., 0::2], x[..., 1::2]
        va, vb = v[..., 0::2], v[..., 1::2]
        haa = 2.0 - 400.0 * (b - a * a) + 800.0 * a * a
        hab = -400.0 * a
        h = np.empty(np.broadcast_shapes(x.shape, v.shape))
        h[..., 0::2] = haa * va + hab * vb
        h[..., 1::2] = hab * va + 200.0 * vb
        return h



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

    # Hessian of each block: 2 p p^T + 10 q q^T + 12 s^2 s s^T + 120 t^2 t t^T, with the
    # linear forms p = (1, 10, 0, 0), q = (0, 0, 1, -1), s = (0, 1, -2, 0), t = (1, 0, 0, -1).
    def _hessp(self, x, v):
        a, b, c, d = x[..., 0::4], x[..., 1::4], x[..., 2::4], x[..., 3::4]
        va, vb, vc, vd = v[..., 0::4], v[..., 1::4], v[..., 2::4], v[..., 3::4]
        s, t = b - 2.0 * c, a - d
        pv, qv = 2.0 * (va + 10.0 * vb), 10.0 * (vc - vd)
        sv, tv = 12.0 * s * s * (vb - 2.0 * vc), 120.0 * t * t * (va - vd)
        h = np.empty(np.broadcast_shapes(x.shape, v.shape))
        h[..., 0::4] = pv + tv
        h[..., 1::4] = 10.0 * pv + sv
        h[..., 2::4] = qv - 2.0 * sv
        h[..., 3::4] = -qv - tv
        return h

    def _x0(self):
        return np.tile([3.0, -1.0, 0.0, 1.0], self.n // 4)

    def _x_opt(self):
        return np.zeros((1, self.n))
