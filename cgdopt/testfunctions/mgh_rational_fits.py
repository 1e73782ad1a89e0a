"""Moré-Garbow-Hillstrom data fits by rational functions, as sums of squares.

Bard (MGH 8) and Kowalik & Osborne (15). See
:mod:`cgdopt.testfunctions.mgh_fixed` for conventions. Reference: Moré, Garbow
& Hillstrom, ACM Trans. Math. Softw. 7(1) (1981) 17-41.
"""
from __future__ import annotations

import numpy as np

from . import _kernels as K
from ._least_squares import LeastSquaresFunction
from ._lsq import col as _col, rsum, vec
from ._references import MGH
from ._registry import register


# Closed-form derivatives (issue 8): each problem defines the residual Jacobian ``_rjac``
# and ``_rhessp`` = sum_i r_i Hess(r_i) v (see :mod:`._lsq` for the conventions); some also
# write out ``_grad`` = 2 J^T r to share the exponentials with the residuals.


@register
class Bard(LeastSquaresFunction):
    r"""Bard function (MGH 8), n = 3, m = 15.

    .. math:: r_i = y_i - \left(x_1 + \frac{u_i}{v_i x_2 + w_i x_3}\right),\
              u_i = i,\ v_i = 16 - i,\ w_i = \min(u_i, v_i)

    ``x0 = (1, 1, 1)``; ``f* = 8.21487e-3`` (MGH; also ``17.4286`` at
    ``(0.8406, -inf, -inf)``).
    """

    name = "bard"
    title = "Bard"
    dim = 3
    formula = ("r_i = y_i - (x1 + u_i / (v_i x2 + w_i x3)), u_i = i, v_i = 16 - i, "
               "w_i = min(u_i, v_i)")
    reference = MGH + "8"
    domain = (-3.0, 3.0)
    published = {3: "8.21487e-3"}
    y = np.array([0.14, 0.18, 0.22, 0.25, 0.29, 0.32, 0.35, 0.39, 0.37, 0.58,
                  0.73, 0.96, 1.34, 2.10, 4.39])

    def _default_m(self):
        return 15

    def _residuals(self, x):
        u = np.arange(1.0, 16.0)
        v = 16.0 - u
        w = np.minimum(u, v)
        return self.y - (_col(x, 0) + u / (v * _col(x, 1) + w * _col(x, 2)))

    # With d_i = v_i x2 + w_i x3 and q_i = 1/d_i:  J_i = (-1, u_i v_i q_i^2, u_i w_i q_i^2),
    # Hess r_i = -2 u_i q_i^3 (0, v_i, w_i)(0, v_i, w_i)^T.  At a pole d_i = 0 f is inf.
    def _uvwq(self, x):
        u = np.arange(1.0, 16.0)
        v = 16.0 - u
        w = np.minimum(u, v)
        with np.errstate(divide="ignore"):
            return u, v, w, 1.0 / (v * _col(x, 1) + w * _col(x, 2))

    def _rjac(self, x):
        u, v, w, q = self._uvwq(x)
        with np.errstate(over="ignore"):
            uq2 = u * q * q
        return vec(uq2.shape, [-1.0, v * uq2, w * uq2])

    def _rhessp(self, x, r, p):
        u, v, w, q = self._uvwq(x)
        with np.errstate(over="ignore", invalid="ignore"):
            c = -2.0 * K.safe_mul(r, u * q * q * q) * (v * p[..., 1:2] + w * p[..., 2:3])
            return vec(c.shape[:-1], [0.0, (c * v).sum(-1), (c * w).sum(-1)])

    def _grad(self, x):  # 2 J^T r, sharing 1/d with the residuals
        u, v, w, q = self._uvwq(x)
        with np.errstate(over="ignore", invalid="ignore"):
            uq = u * q
            r = self.y - (_col(x, 0) + uq)
            c = r * uq * q
            return 2.0 * vec(r.shape[:-1], [-r.sum(-1), (c * v).sum(-1), (c * w).sum(-1)])

    def _x0(self):
        return [1.0, 1.0, 1.0]


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
