"""Moré-Garbow-Hillstrom data fits by exponentials, as sums of squares.

Meyer (MGH 10), Box 3-D (12), Brown & Dennis (16), Osborne 1 (17) and Biggs
EXP6 (18). See :mod:`cgdopt.testfunctions.mgh_fixed` for conventions.
Reference: Moré, Garbow & Hillstrom, ACM Trans. Math. Softw. 7(1) (1981) 17-41.
"""
from __future__ import annotations

import autograd.numpy as anp
import numpy as np

from . import _kernels as K
from ._least_squares import LeastSquaresFunction
from ._lsq import col as _col, checked_grad, hessp_zero_wins, rsum, symv, vec
from ._references import MGH
from ._registry import register


# Closed-form derivatives (issue 8): each problem defines the residual Jacobian ``_rjac``
# and ``_rhessp`` = sum_i r_i Hess(r_i) v (see :mod:`._lsq` for the conventions); some also
# write out ``_grad`` = 2 J^T r to share the exponentials with the residuals.


@register
class Meyer(LeastSquaresFunction):
    r"""Meyer function (MGH 10), n = 3, m = 16.

    .. math:: r_i = x_1 \exp\left(\frac{x_2}{t_i + x_3}\right) - y_i,\quad t_i = 45 + 5i

    ``x0 = (0.02, 4000, 250)``; ``f* = 87.9458`` (MGH).
    """

    name = "meyer"
    title = "Meyer"
    dim = 3
    formula = "r_i = x1 exp(x2 / (t_i + x3)) - y_i, t_i = 45 + 5 i"
    reference = MGH + "10"
    published = {3: "87.9458"}
    y = np.array([34780.0, 28610, 23650, 19630, 16370, 13720, 11540, 9744, 8261,
                  7030, 6005, 5147, 4427, 3820, 3307, 2872])

    def _bounds(self):
        return [[0.0, 0.05], [0.0, 8000.0], [0.0, 500.0]]

    def _default_m(self):
        return 16

    def _residuals(self, x):
        t = 45.0 + 5.0 * np.arange(1.0, 17.0)
        return _col(x, 0) * anp.exp(_col(x, 1) / (t + _col(x, 2))) - self.y

    # With d_i = t_i + x3, q_i = x2/d_i, e_i = exp(q_i):
    #   J_i = (e, x1 e/d, -x1 q e/d),
    #   Hess r_i = [[0, e/d, -q e/d], [., x1 e/d^2, -x1 (q + 1) e/d^2],
    #               [., ., x1 q (q + 2) e/d^2]]  (index i dropped).
    def _parts(self, x):
        d = 45.0 + 5.0 * np.arange(1.0, 17.0) + _col(x, 2)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            q = _col(x, 1) / d
            return _col(x, 0), d, q, np.exp(q)

    # Overflow-safe order: the exponential (0 once q < -745) multiplies first, then q; x1 = 0
    # wins over an overflowing factor (then r = -y is finite however large e/d is).
    def _rjac(self, x):
        x1, d, q, e = self._parts(x)
        sm = K.safe_mul
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            ed = e / d
            return vec(e.shape, [e, sm(x1, ed), -sm(x1, ed * q)])

    def _rhessp(self, x, r, v):
        x1, d, q, e = self._parts(x)
        sm = K.safe_mul
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            ed = e / d
            ed2 = ed / d
            h = {(0, 1): rsum(r, ed), (0, 2): -rsum(r, ed * q),
                 (1, 1): rsum(r, sm(x1, ed2)), (1, 2): -rsum(r, sm(x1, ed2 * (q + 1.0))),
                 (2, 2): rsum(r, sm(x1, (ed2 * q) * (q + 2.0)))}
        return symv(h, v)

    _hessp = hessp_zero_wins

    def _grad(self, x):  # 2 J^T r, sharing the exponentials with the residuals
        x1, d, q, e = self._parts(x)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            re = (x1 * e - self.y) * e
            red = re / d
            x1 = x1[..., 0]
            g = 2.0 * vec(re.shape[:-1], [re.sum(-1), x1 * red.sum(-1), -x1 * (red * q).sum(-1)])
        return checked_grad(self, x, g)

    def _x0(self):
        return [0.02, 4000.0, 250.0]


@register
class Box3D(LeastSquaresFunction):
    r"""Box three-dimensional function (MGH 12), n = 3, m >= 3 (default 10).

    .. math:: r_i = e^{-t_i x_1} - e^{-t_i x_2} - x_3(e^{-t_i} - e^{-10 t_i}),\quad t_i = 0.1 i

    ``x0 = (0, 10, 20)``; ``f* = 0`` at ``(1, 10, 1)``, ``(10, 1, -1)`` and on
    the line ``(a, a, 0)``.
    """

    name = "box_3d"
    title = "Box three-dimensional"
    dim = 3
    formula = "r_i = exp(-t_i x1) - exp(-t_i x2) - x3 (exp(-t_i) - exp(-10 t_i)), t_i = 0.1 i"
    reference = MGH + "12"
    m_range = (3, None)
    x_opt_note = "also every point (a, a, 0) (a continuum, not listed)"
    x_opt_complete = False

    def _bounds(self):
        return [[0.0, 20.0], [0.0, 20.0], [-20.0, 20.0]]

    def _default_m(self):
        return 10

    def _residuals(self, x):
        # e^{-t x1} - e^{-t x2} summed overflow-safely: exactly 0 for x1 = x2 (not inf - inf)
        t = 0.1 * np.arange(1.0, self.m + 1.0)
        return (K.expsum(1.0, -t * _col(x, 0), -1.0, -t * _col(x, 1))
                - _col(x, 2) * (np.exp(-t) - np.exp(-10.0 * t)))

    def _rjac(self, x):
        t = 0.1 * np.arange(1.0, self.m + 1.0)
        with np.errstate(over="ignore"):
            e1, e2 = np.exp(-t * _col(x, 0)), np.exp(-t * _col(x, 1))
        c = np.broadcast_to(-(np.exp(-t) - np.exp(-10.0 * t)), e1.shape)
        return np.stack([-t * e1, t * e2, c], axis=-1)

    def _rhessp(self, x, r, v):
        t = 0.1 * np.arange(1.0, self.m + 1.0)
        with np.errstate(over="ignore"):
            e1, e2 = np.exp(-t * _col(x, 0)), np.exp(-t * _col(x, 1))
        return np.stack([K.safe_mul(r, t * t * e1).sum(-1) * v[..., 0],
                         -K.safe_mul(r, t * t * e2).sum(-1) * v[..., 1],
                         np.zeros(v.shape[:-1])], axis=-1)

    def _x0(self):
        return [0.0, 10.0, 20.0]

    def _x_opt(self):
        return [[1.0, 10.0, 1.0], [10.0, 1.0, -1.0]]


@register
class BrownDennis(LeastSquaresFunction):
    r"""Brown and Dennis function (MGH 16), n = 4, m = 20.

    .. math:: r_i = (x_1 + t_i x_2 - e^{t_i})^2 + (x_3 + x_4 \sin t_i - \cos t_i)^2,\quad t_i = i/5

    ``x0 = (25, 5, -5, -1)``; ``f* = 85822.2`` (MGH).
    """

    name = "brown_dennis"
    title = "Brown and Dennis"
    dim = 4
    formula = "r_i = (x1 + t_i x2 - exp(t_i))^2 + (x3 + x4 sin t_i - cos t_i)^2, t_i = i/5"
    reference = MGH + "16"
    domain = (-30.0, 30.0)
    published = {4: "85822.2"}

    def _default_m(self):
        return 20

    def _residuals(self, x):
        t = np.arange(1.0, 21.0) / 5.0
        return ((_col(x, 0) + t * _col(x, 1) - np.exp(t)) ** 2
                + (_col(x, 2) + _col(x, 3) * np.sin(t) - np.cos(t)) ** 2)

    # With A_i = x1 + t_i x2 - e^{t_i}, B_i = x3 + x4 sin t_i - cos t_i (r_i = A_i^2 + B_i^2):
    #   J_i = 2 (A, t A, B, sin(t) B),
    #   Hess r_i = 2 (1, t, 0, 0)(1, t, 0, 0)^T + 2 (0, 0, 1, sin t)(0, 0, 1, sin t)^T.
    _t = np.arange(1.0, 21.0) / 5.0
    _st = np.sin(_t)

    def _ab(self, x):
        t, st = self._t, self._st
        return (_col(x, 0) + t * _col(x, 1) - np.exp(t),
                _col(x, 2) + _col(x, 3) * st - np.cos(t))

    def _rjac(self, x):
        a, b = self._ab(x)
        return vec(a.shape, [2.0 * a, 2.0 * self._t * a, 2.0 * b, 2.0 * self._st * b])

    def _rhessp(self, x, r, v):
        t, st = self._t, self._st
        a0, a1, a2 = r.sum(-1), (r * t).sum(-1), (r * t * t).sum(-1)
        b1, b2 = (r * st).sum(-1), (r * st * st).sum(-1)
        v1, v2, v3, v4 = (v[..., k] for k in range(4))
        return 2.0 * vec(a0.shape, [a0 * v1 + a1 * v2, a1 * v1 + a2 * v2,
                                    a0 * v3 + b1 * v4, b1 * v3 + b2 * v4])

    def _grad(self, x):  # 2 J^T r = 4 (sum r A, sum r t A, sum r B, sum r sin(t) B)
        a, b = self._ab(x)
        r = a * a + b * b
        ra, rb = r * a, r * b
        return 4.0 * vec(r.shape[:-1], [ra.sum(-1), (ra * self._t).sum(-1), rb.sum(-1),
                                        (rb * self._st).sum(-1)])

    def _x0(self):
        return [25.0, 5.0, -5.0, -1.0]


@register
class Osborne1(LeastSquaresFunction):
    r"""Osborne 1 function (MGH 17), n = 5, m = 33.

    .. math:: r_i = y_i - (x_1 + x_2 e^{-t_i x_4} + x_3 e^{-t_i x_5}),\quad t_i = 10(i - 1)

    ``x0 = (0.5, 1.5, -1, 0.01, 0.02)``; ``f* = 5.46489e-5`` (MGH).
    """

    name = "osborne1"
    title = "Osborne 1"
    dim = 5
    formula = "r_i = y_i - (x1 + x2 exp(-t_i x4) + x3 exp(-t_i x5)), t_i = 10 (i - 1)"
    reference = MGH + "17"
    published = {5: "5.46489e-5"}
    y = np.array([0.844, 0.908, 0.932, 0.936, 0.925, 0.908, 0.881, 0.850, 0.818, 0.784,
                  0.751, 0.718, 0.685, 0.658, 0.628, 0.603, 0.580, 0.558, 0.538, 0.522,
                  0.506, 0.490, 0.478, 0.467, 0.457, 0.448, 0.438, 0.431, 0.424, 0.420,
                  0.414, 0.411, 0.406])

    def _bounds(self):
        return [[0.0, 1.0], [0.0, 3.0], [-3.0, 0.0], [0.0, 0.1], [0.0, 0.1]]

    def _default_m(self):
        return 33

    def _residuals(self, x):
        t = 10.0 * np.arange(33.0)
        return self.y - (_col(x, 0) + _col(x, 1) * anp.exp(-t * _col(x, 3))
                         + _col(x, 2) * anp.exp(-t * _col(x, 4)))

    # With e_i = exp(-t_i x4), f_i = exp(-t_i x5):  J_i = (-1, -e, -f, t x2 e, t x3 f),
    # Hess r_i: (x2, x4) entry t e, (x4, x4) -t^2 x2 e, (x3, x5) t f, (x5, x5) -t^2 x3 f.
    _t = 10.0 * np.arange(33.0)

    def _exps(self, x):
        with np.errstate(over="ignore"):
            return np.exp(-self._t * _col(x, 3)), np.exp(-self._t * _col(x, 4))

    def _rjac(self, x):
        t = self._t
        e, f = self._exps(x)
        with np.errstate(over="ignore", invalid="ignore"):
            return vec(e.shape, [-1.0, -e, -f, t * K.safe_mul(_col(x, 1), e),
                                 t * K.safe_mul(_col(x, 2), f)])

    def _rhessp(self, x, r, v):
        t = self._t
        e, f = self._exps(x)
        with np.errstate(over="ignore", invalid="ignore"):
            te, tf = t * e, t * f
            sm = K.safe_mul  # x2 = 0 (x3 = 0) wins over an overflowing sum
            return symv({(1, 3): rsum(r, te), (3, 3): -sm(x[..., 1], rsum(r, t * te)),
                         (2, 4): rsum(r, tf), (4, 4): -sm(x[..., 2], rsum(r, t * tf))}, v)

    _hessp = hessp_zero_wins

    def _grad(self, x):  # 2 J^T r, sharing the exponentials with the residuals
        t = self._t
        e, f = self._exps(x)
        with np.errstate(over="ignore", invalid="ignore"):
            r = self.y - (_col(x, 0) + _col(x, 1) * e + _col(x, 2) * f)
            re, rf = r * e, r * f
            g = 2.0 * vec(r.shape[:-1], [-r.sum(-1), -re.sum(-1), -rf.sum(-1),
                                         x[..., 1] * (re * t).sum(-1),
                                         x[..., 2] * (rf * t).sum(-1)])
        return checked_grad(self, x, g)

    def _x0(self):
        return [0.5, 1.5, -1.0, 0.01, 0.02]


@register
class BiggsExp6(LeastSquaresFunction):
    r"""Biggs EXP6 function (MGH 18), n = 6, m >= 6 (default 13).

    .. math:: r_i = x_3 e^{-t_i x_1} - x_4 e^{-t_i x_2} + x_6 e^{-t_i x_5} - y_i,\
              t_i = 0.1 i,\ y_i = e^{-t_i} - 5e^{-10 t_i} + 3e^{-4 t_i}

    ``x0 = (1, 2, 1, 1, 1, 1)``; ``f* = 0`` at ``(1, 10, 1, 5, 4, 3)`` and,
    swapping the two positive terms, ``(4, 10, 3, 5, 1, 1)``; MGH also
    reports a local minimum ``5.65565e-3`` (m = 13).
    """

    name = "biggs_exp6"
    title = "Biggs EXP6"
    dim = 6
    formula = ("r_i = x3 exp(-t_i x1) - x4 exp(-t_i x2) + x6 exp(-t_i x5) - y_i, t_i = 0.1 i, "
               "y_i = exp(-t_i) - 5 exp(-10 t_i) + 3 exp(-4 t_i)")
    reference = MGH + "18"
    domain = (0.0, 12.0)
    m_range = (6, None)
    x_opt_note = "local minimum f = 5.65565e-3 (m = 13)"

    def _default_m(self):
        return 13

    def _residuals(self, x):
        t = 0.1 * np.arange(1.0, self.m + 1.0)
        y = np.exp(-t) - 5.0 * np.exp(-10.0 * t) + 3.0 * np.exp(-4.0 * t)
        c = lambda j: _col(x, j)  # noqa: E731
        # summed overflow-safely: cancelling terms give 0 where each exp overflows
        return K.expsum(c(2), -t * c(0), -c(3), -t * c(1), c(5), -t * c(4)) - y

    def _rjac(self, x):
        t = 0.1 * np.arange(1.0, self.m + 1.0)
        c = lambda j: _col(x, j)  # noqa: E731
        with np.errstate(over="ignore", invalid="ignore"):
            e1, e2, e5 = np.exp(-t * c(0)), np.exp(-t * c(1)), np.exp(-t * c(4))
            return np.stack([-t * K.safe_mul(c(2), e1), t * K.safe_mul(c(3), e2), e1, -e2,
                             -t * K.safe_mul(c(5), e5), e5], axis=-1)

    def _rhessp(self, x, r, v):
        t = 0.1 * np.arange(1.0, self.m + 1.0)
        c = lambda j: _col(x, j)  # noqa: E731
        with np.errstate(over="ignore", invalid="ignore"):
            e1, e2, e5 = np.exp(-t * c(0)), np.exp(-t * c(1)), np.exp(-t * c(4))
            s = lambda a: K.safe_mul(r, a).sum(-1)  # noqa: E731
            a1, b1 = s(t * t * K.safe_mul(c(2), e1)), s(-t * e1)   # d2/dx1^2, d2/dx1 dx3
            a2, b2 = s(-t * t * K.safe_mul(c(3), e2)), s(t * e2)   # d2/dx2^2, d2/dx2 dx4
            a5, b5 = s(t * t * K.safe_mul(c(5), e5)), s(-t * e5)   # d2/dx5^2, d2/dx5 dx6
        v = [v[..., j] for j in range(6)]
        return np.stack([a1 * v[0] + b1 * v[2], a2 * v[1] + b2 * v[3], b1 * v[0],
                         b2 * v[1], a5 * v[4] + b5 * v[5], b5 * v[4]], axis=-1)

    def _x0(self):
        return [1.0, 2.0, 1.0, 1.0, 1.0, 1.0]

    def _x_opt(self):
        return [[1.0, 10.0, 1.0, 5.0, 4.0, 3.0], [4.0, 10.0, 3.0, 5.0, 1.0, 1.0]]
