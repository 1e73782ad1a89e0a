"""Moré-Garbow-Hillstrom problems 11-19 (fixed n), as sums of squares.

See :mod:`cgdopt.testfunctions.mgh_fixed` for conventions.  Reference: Moré,
Garbow & Hillstrom, ACM Trans. Math. Softw. 7(1) (1981) 17-41.
"""
from __future__ import annotations

import autograd.numpy as anp
import numpy as np

from . import _kernels as K
from ._base import LeastSquaresFunction
from ._lsq import checked_grad, hessp_zero_wins, rows, rsum, symv, vec
from ._registry import register

MGH = "More, Garbow & Hillstrom, ACM TOMS 7 (1981) 17-41, problem "


def _col(x, j):
    return x[..., j : j + 1]


@register
class GulfResearch(LeastSquaresFunction):
    r"""Gulf research and development function (MGH 11), n = 3, 3 <= m <= 100.

    .. math:: r_i = \exp\left(-\frac{|y_i - x_2|^{x_3}}{x_1}\right) - t_i,\quad
              t_i = i/100,\ y_i = 25 + (-50 \ln t_i)^{2/3}

    ``x0 = (5, 2.5, 0.15)``; ``f* = 0`` at ``(50, 25, 1.5)`` for every ``m``
    (default ``m = 99``, library choice).
    """

    name = "gulf_research"
    analytic = False  # abs/arctan2 in the residuals: no complex step
    title = "Gulf research and development"
    dim = 3
    formula = "r_i = exp(-|y_i - x2|^x3 / x1) - t_i, t_i = i/100, y_i = 25 + (-50 ln t_i)^(2/3)"
    reference = MGH + "11"
    m_range = (3, 100)

    def _bounds(self):
        return [[0.1, 100.0], [0.0, 50.0], [0.1, 5.0]]

    def _default_m(self):
        return 99

    def _residuals(self, x):
        t = np.arange(1.0, self.m + 1.0) / 100.0
        y = 25.0 + (-50.0 * np.log(t)) ** (2.0 / 3.0)
        return anp.exp(-anp.abs(y - _col(x, 1)) ** _col(x, 2) / _col(x, 0)) - t

    # r_i = e^{-z} - t_i, z = |u|^{x3} / x1, u = y_i - x2:
    # dr/dx1 = e^{-z} z / x1, dr/dx2 = e^{-z} x3 sign(u) |u|^{x3 - 1} / x1, dr/dx3 = -e^{-z} z log|u|;
    # an exact 0 factor (e^{-z} underflowed, u = 0) wins over an infinite one.  Undefined at
    # x1 = 0 (the formula divides by x1): the value there is the limit x1 -> 0+, the gradient nan.
    def _rjac(self, x):
        t = np.arange(1.0, self.m + 1.0) / 100.0
        y = 25.0 + (-50.0 * np.log(t)) ** (2.0 / 3.0)
        x1, x2, x3 = _col(x, 0), _col(x, 1), _col(x, 2)
        u = y - x2
        au = np.abs(u)
        with np.errstate(all="ignore"):
            z = au ** x3 / x1
            e = np.exp(-z)
            d2 = K.safe_mul(e, x3 * np.sign(u) * au ** (x3 - 1.0) / x1)
            d3 = -K.safe_mul(K.safe_mul(e, z), np.log(au))
            j = np.stack([K.safe_mul(e, z / x1), d2, d3], axis=-1)
        return np.where(x1[..., None] == 0.0, np.nan, j)

    def _grad(self, x):  # 2 J^T r with the Jacobian above, sharing exp(-z) with the residuals
        t = np.arange(1.0, self.m + 1.0) / 100.0
        y = 25.0 + (-50.0 * np.log(t)) ** (2.0 / 3.0)
        x1, x2, x3 = _col(x, 0), _col(x, 1), _col(x, 2)
        u = y - x2
        au = np.abs(u)
        with np.errstate(all="ignore"):
            p = au ** x3
            z = p / x1
            e = np.exp(-z)
            r = e - t
            er = K.safe_mul(e, r)
            g = np.stack([K.safe_mul(er, z / x1).sum(-1),
                          K.safe_mul(er, x3 * np.sign(u) * (p / au) / x1).sum(-1),
                          -K.safe_mul(K.safe_mul(er, z), np.log(au)).sum(-1)], axis=-1)
        return np.where(x1 == 0.0, np.nan, 2.0 * g)

    # Hess r_i = e^{-z} (grad z grad z^T - Hess z), with grad z = (-z/x1, -x3 s |u|^{x3-1}/x1,
    # z L), s = sign(u), L = log|u|, and Hess z = [[2z/x1^2, x3 s |u|^{x3-1}/x1^2, -z L/x1],
    # [., x3 (x3 - 1) |u|^{x3-2}/x1, -s |u|^{x3-1} (1 + x3 L)/x1], [., ., z L^2]].  As in
    # _rjac an exact 0 factor wins over an infinite one (u = 0: z L -> 0; r_i = 0 or
    # e^{-z} = 0: the whole term is 0); x1 = 0 gives nan through J.
    def _rhessp(self, x, r, v):
        t = np.arange(1.0, self.m + 1.0) / 100.0
        y = 25.0 + (-50.0 * np.log(t)) ** (2.0 / 3.0)
        x1, x2, x3 = _col(x, 0), _col(x, 1), _col(x, 2)
        v1, v2, v3 = _col(v, 0), _col(v, 1), _col(v, 2)
        u = y - x2
        au, sg = np.abs(u), np.sign(u)
        sm = K.safe_mul
        with np.errstate(all="ignore"):
            z = au ** x3 / x1
            e = np.exp(-z)
            L = np.log(au)
            zl = sm(z, L)
            sp1 = sm(sg, au ** (x3 - 1.0))                    # s |u|^{x3-1}
            dz = (-z / x1, -x3 * sp1 / x1, zl)
            z12, z13 = x3 * sp1 / (x1 * x1), -zl / x1
            z22 = sm(x3 * (x3 - 1.0), au ** (x3 - 2.0)) / x1
            z23 = -sm(sp1, 1.0 + x3 * L) / x1
            hz = ((2.0 * z / (x1 * x1), z12, z13), (z12, z22, z23), (z13, z23, sm(zl, L)))
            dzv = dz[0] * v1 + dz[1] * v2 + dz[2] * v3
            er = sm(e, r)
            return vec(er.shape[:-1], [
                rsum(er, dzv * dz[k] - (hz[k][0] * v1 + hz[k][1] * v2 + hz[k][2] * v3))
                for k in range(3)])

    def _x0(self):
        return [5.0, 2.5, 0.15]

    def _x_opt(self):
        return [[50.0, 25.0, 1.5]]


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


@register
class KowalikOsborne(LeastSquaresFunction):
    r"""Kowalik and Osborne function (MGH 15), n = 4, m = 11.

    .. math:: r_i = y_i - \frac{x_1(u_i^2 + u_i x_2)}{u_i^2 + u_i x_3 + x_4}

    ``x0 = (0.25, 0.39, 0.415, 0.39)``; ``f* = 3.07505e-4`` (MGH).
    """

    name = "kowalik_osborne"
    title = "Kowalik and Osborne"
    dim = 4
    formula = "r_i = y_i - x1 (u_i^2 + u_i x2) / (u_i^2 + u_i x3 + x4)"
    reference = MGH + "15"
    domain = (0.0, 1.0)
    published = {4: "3.07505e-4"}
    y = np.array([0.1957, 0.1947, 0.1735, 0.1600, 0.0844, 0.0627, 0.0456, 0.0342,
                  0.0323, 0.0235, 0.0246])
    u = np.array([4.0, 2.0, 1.0, 0.5, 0.25, 0.167, 0.125, 0.1, 0.0833, 0.0714, 0.0625])

    def _default_m(self):
        return 11

    def _residuals(self, x):
        u = self.u
        num = u * u + u * _col(x, 1)
        return self.y - _col(x, 0) * num / (u * u + u * _col(x, 2) + _col(x, 3))

    # With N_i = u_i^2 + u_i x2, q_i = 1/(u_i^2 + u_i x3 + x4), a_i = x1 N_i q_i:
    #   J_i = (-N q, -x1 u q, a u q, a q),
    #   Hess r_i = [[0, -u q, N u q^2, N q^2], [., 0, x1 u^2 q^2, x1 u q^2],
    #               [., ., -2 a u^2 q^2, -2 a u q^2], [., ., ., -2 a q^2]]  (i dropped),
    # i.e. the (x3, x4) block is -2 a q^2 g g^T with g = (u, 1).  At a pole f is inf.
    def _parts(self, x):
        u = self.u
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            num = u * u + u * _col(x, 1)
            q = 1.0 / (u * u + u * _col(x, 2) + _col(x, 3))
            return u, _col(x, 0), num, q, _col(x, 0) * num * q

    def _rjac(self, x):
        u, x1, num, q, a = self._parts(x)
        with np.errstate(invalid="ignore", over="ignore"):
            return vec(a.shape, [-num * q, -x1 * u * q, a * u * q, a * q])

    def _rhessp(self, x, r, v):
        u, x1, num, q, a = self._parts(x)
        v1, v2 = _col(v, 0), _col(v, 1)
        with np.errstate(invalid="ignore", over="ignore"):
            q2 = q * q
            gv = u * _col(v, 2) + _col(v, 3)
            w = num * q2 * v1 + x1 * u * q2 * v2 - 2.0 * a * q2 * gv  # (g . row 3/4) / g
            c = rsum(r, w)
            return vec(c.shape, [
                rsum(r, num * q2 * gv - u * q * v2), rsum(r, x1 * u * q2 * gv - u * q * v1),
                rsum(r, u * w), c])

    def _grad(self, x):  # 2 J^T r, sharing q with the residuals
        u, x1, num, q, a = self._parts(x)
        with np.errstate(invalid="ignore", over="ignore"):
            rq = (self.y - a) * q
            ra = rq * a
            return 2.0 * vec(a.shape[:-1], [-(rq * num).sum(-1), -x1[..., 0] * (rq * u).sum(-1),
                                            (ra * u).sum(-1), ra.sum(-1)])

    def _x0(self):
        return [0.25, 0.39, 0.415, 0.39]


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


@register
class Osborne2(LeastSquaresFunction):
    r"""Osborne 2 function (MGH 19), n = 11, m = 65.

    .. math:: r_i = y_i - \left(x_1 e^{-t_i x_5} + x_2 e^{-(t_i - x_9)^2 x_6}
              + x_3 e^{-(t_i - x_{10})^2 x_7} + x_4 e^{-(t_i - x_{11})^2 x_8}\right),\
              t_i = (i - 1)/10

    ``x0 = (1.3, 0.65, 0.65, 0.7, 0.6, 3, 5, 7, 2, 4.5, 5.5)``;
    ``f* = 4.01377e-2`` (MGH).
    """

    name = "osborne2"
    title = "Osborne 2"
    dim = 11
    formula = ("r_i = y_i - (x1 exp(-t_i x5) + x2 exp(-(t_i - x9)^2 x6) + x3 exp(-(t_i - x10)^2 x7)"
               " + x4 exp(-(t_i - x11)^2 x8)), t_i = (i - 1)/10")
    reference = MGH + "19"
    domain = (0.0, 8.0)
    published = {11: "4.01377e-2"}
    y = np.array([1.366, 1.191, 1.112, 1.013, 0.991, 0.885, 0.831, 0.847, 0.786, 0.725,
                  0.746, 0.679, 0.608, 0.655, 0.616, 0.606, 0.602, 0.626, 0.651, 0.724,
                  0.649, 0.649, 0.694, 0.644, 0.624, 0.661, 0.612, 0.558, 0.533, 0.495,
                  0.500, 0.423, 0.395, 0.375, 0.372, 0.391, 0.396, 0.405, 0.428, 0.429,
                  0.523, 0.562, 0.607, 0.653, 0.672, 0.708, 0.633, 0.668, 0.645, 0.632,
                  0.591, 0.559, 0.597, 0.625, 0.739, 0.710, 0.729, 0.720, 0.636, 0.581,
                  0.428, 0.292, 0.162, 0.098, 0.054])

    def _default_m(self):
        return 65

    def _residuals(self, x):
        t = np.arange(65.0) / 10.0
        c = lambda j: _col(x, j)  # noqa: E731
        model = (c(0) * anp.exp(-t * c(4)) + c(1) * anp.exp(-(t - c(8)) ** 2 * c(5))
                 + c(2) * anp.exp(-(t - c(9)) ** 2 * c(6))
                 + c(3) * anp.exp(-(t - c(10)) ** 2 * c(7)))
        return self.y - model

    # Term 0 is x1 e_i, e_i = exp(-t_i x5); term k = 1, 2, 3 is a E_i with amplitude a = x_{1+k},
    # width w = x_{5+k}, centre c = x_{8+k}, s_i = t_i - c, E_i = exp(-s_i^2 w).  Then
    #   dr/dx1 = -e, dr/dx5 = t x1 e;  dr/da = -E, dr/dw = a s^2 E, dr/dc = -2 a w s E,
    # and with R_k = sum_i r_i s_i^k E_i the term's block of sum_i r_i Hess r_i is
    #   (a, w): R2, (a, c): -2 w R1, (w, w): -a R4, (w, c): -2 a (R1 - w R3),
    #   (c, c): -2 a w (2 w R2 - R0);  and (x1, x5): sum r t e, (x5, x5): -x1 sum r t^2 e.
    # The three terms are one array axis (no loop); powers of s multiply r E one at a time,
    # so an E that underflowed to 0 stays 0 (never 0 * inf).
    _t = np.arange(65.0) / 10.0
    _A, _W, _C = slice(1, 4), slice(5, 8), slice(8, 11)

    def _terms(self, x):
        t = self._t
        s = t - x[..., self._C, None]                             # (..., 3, 65)
        with np.errstate(over="ignore", invalid="ignore"):
            e = np.exp(-t * _col(x, 4))                           # (..., 65)
            big_e = np.exp(-(s * s) * x[..., self._W, None])      # (..., 3, 65)
            model = _col(x, 0) * e + (x[..., self._A, None] * big_e).sum(-2)
        return s, e, big_e, self.y - model

    def _rjac(self, x):
        t, (A, W, C) = self._t, (self._A, self._W, self._C)
        s, e, big_e, r = self._terms(x)
        a, w = x[..., A, None], x[..., W, None]
        J = np.zeros(r.shape + (11,))
        with np.errstate(over="ignore", invalid="ignore"):
            J[..., 0] = -e
            J[..., 4] = t * K.safe_mul(_col(x, 0), e)
            J[..., A] = np.swapaxes(-big_e, -1, -2)
            se = s * big_e
            J[..., W] = np.swapaxes(K.safe_mul(a, s * se), -1, -2)
            J[..., C] = np.swapaxes(-2.0 * K.safe_mul(a * w, se), -1, -2)
        return J

    def _rhessp(self, x, r, v):
        t, (A, W, C) = self._t, (self._A, self._W, self._C)
        s, e, big_e, _ = self._terms(x)
        a, w = x[..., A], x[..., W]
        va, vw, vc = v[..., A], v[..., W], v[..., C]
        sm = K.safe_mul  # a coordinate (or v entry) that is exactly 0 wins over an inf
        with np.errstate(over="ignore", invalid="ignore"):
            p = [sm(r[..., None, :], big_e)]                      # r s^k E, k = 0..4
            for _ in range(4):
                p.append(p[-1] * s)
            R0, R1, R2, R3, R4 = (q.sum(-1) for q in p)
            hac, hww = -2.0 * sm(w, R1), -sm(a, R4)
            hwc = -2.0 * sm(a, R1 - sm(w, R3))
            hcc = -2.0 * sm(a * w, 2.0 * sm(w, R2) - R0)
            te = t * sm(r, e)
            h04, h44 = te.sum(-1), -sm(x[..., 0], (te * t).sum(-1))
            out = np.zeros(v.shape)
            out[..., 0] = sm(h04, v[..., 4])
            out[..., 4] = sm(h04, v[..., 0]) + sm(h44, v[..., 4])
            out[..., A] = sm(R2, vw) + sm(hac, vc)
            out[..., W] = sm(R2, va) + sm(hww, vw) + sm(hwc, vc)
            out[..., C] = sm(hac, va) + sm(hwc, vw) + sm(hcc, vc)
        return out

    _hessp = hessp_zero_wins

    def _grad(self, x):  # 2 J^T r, sharing the exponentials with the residuals
        t, (A, W, C) = self._t, (self._A, self._W, self._C)
        s, e, big_e, r = self._terms(x)
        a, w = x[..., A], x[..., W]
        out = np.empty(x.shape)
        with np.errstate(over="ignore", invalid="ignore"):
            re = r * e
            rE = r[..., None, :] * big_e
            R1 = (rE * s).sum(-1)
            out[..., 0] = -re.sum(-1)
            out[..., 4] = x[..., 0] * (re * t).sum(-1)
            out[..., A] = -rE.sum(-1)
            out[..., W] = a * (rE * s * s).sum(-1)
            out[..., C] = -2.0 * a * w * R1
        return checked_grad(self, x, 2.0 * out)

    def _x0(self):
        return [1.3, 0.65, 0.65, 0.7, 0.6, 3.0, 5.0, 7.0, 2.0, 4.5, 5.5]
