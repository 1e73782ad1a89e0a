"""Moré-Garbow-Hillstrom data fits by Gaussian-type peaks, as sums of squares.

Gaussian (MGH 9), Gulf research and development (11) and Osborne 2 (19). See
:mod:`cgdopt.testfunctions.mgh_fixed` for conventions. Reference: Moré, Garbow
& Hillstrom, ACM Trans. Math. Softw. 7(1) (1981) 17-41.
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
class Gaussian(LeastSquaresFunction):
    r"""Gaussian function (MGH 9), n = 3, m = 15.

    .. math:: r_i = x_1 \exp(-x_2 (t_i - x_3)^2 / 2) - y_i,\quad t_i = (8 - i)/2

    ``x0 = (0.4, 1, 0)``; ``f* = 1.12793e-8`` (MGH).
    """

    name = "gaussian"
    title = "Gaussian"
    dim = 3
    formula = "r_i = x1 exp(-x2 (t_i - x3)^2 / 2) - y_i, t_i = (8 - i)/2"
    reference = MGH + "9"
    domain = (-1.0, 2.0)
    published = {3: "1.12793e-8"}
    y = np.array([0.0009, 0.0044, 0.0175, 0.0540, 0.1295, 0.2420, 0.3521, 0.3989,
                  0.3521, 0.2420, 0.1295, 0.0540, 0.0175, 0.0044, 0.0009])

    def _default_m(self):
        return 15

    def _residuals(self, x):
        t = (8.0 - np.arange(1.0, 16.0)) / 2.0
        return _col(x, 0) * anp.exp(-0.5 * _col(x, 1) * (t - _col(x, 2)) ** 2) - self.y

    # With s_i = t_i - x3 and e_i = exp(-x2 s_i^2 / 2):
    #   J_i = (e_i, -x1 s_i^2 e_i / 2, x1 x2 s_i e_i),
    #   Hess r_i = [[0, -s^2 e/2, x2 s e], [., x1 s^4 e/4, x1 s e (1 - x2 s^2/2)],
    #               [., ., x1 x2 e (x2 s^2 - 1)]]  (index i dropped).
    def _parts(self, x):
        s = (8.0 - np.arange(1.0, 16.0)) / 2.0 - _col(x, 2)
        s2 = s * s
        x1, x2 = _col(x, 0), _col(x, 1)
        with np.errstate(over="ignore"):
            return x1, x2, s, s2, np.exp(-0.5 * x2 * s2)

    # Overflow-safe order: powers of s multiply e one at a time and a coordinate that is
    # exactly 0 wins over an overflowing factor (x2 = 0: e = 1 for every s).
    def _rjac(self, x):
        x1, x2, s, s2, e = self._parts(x)
        sm = K.safe_mul
        with np.errstate(over="ignore", invalid="ignore"):
            es = sm(e, s)
            return vec(e.shape, [e, -0.5 * sm(x1, sm(es, s)), sm(x1 * x2, es)])

    def _rhessp(self, x, r, v):
        x1, x2, s, s2, e = self._parts(x)
        sm = K.safe_mul
        with np.errstate(over="ignore", invalid="ignore"):
            es = sm(e, s)
            es2 = sm(es, s)
            es3 = sm(es2, s)
            h = {(0, 1): -0.5 * rsum(r, es2), (0, 2): rsum(r, sm(x2, es)),
                 (1, 1): 0.25 * rsum(r, sm(x1, sm(es3, s))),
                 (1, 2): rsum(r, sm(x1, es - 0.5 * sm(x2, es3))),
                 (2, 2): rsum(r, sm(x1 * x2, sm(x2, es2) - e))}
        return symv(h, v)

    _hessp = hessp_zero_wins

    def _grad(self, x):  # 2 J^T r, sharing the exponentials with the residuals
        x1, x2, s, s2, e = self._parts(x)
        with np.errstate(over="ignore", invalid="ignore"):
            re = (x1 * e - self.y) * e
            res = re * s
            g = 2.0 * vec(re.shape[:-1], [re.sum(-1), -0.5 * x1[..., 0] * (res * s).sum(-1),
                                          (x1 * x2)[..., 0] * res.sum(-1)])
        return checked_grad(self, x, g)

    def _x0(self):
        return [0.4, 1.0, 0.0]


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
    def _parts(self, x):
        """``t_i``, ``x1``, ``x3``, ``u_i = y_i - x2`` and ``|u_i|`` (numpy, for the derivatives)."""
        t = np.arange(1.0, self.m + 1.0) / 100.0
        y = 25.0 + (-50.0 * np.log(t)) ** (2.0 / 3.0)
        u = y - _col(x, 1)
        return t, _col(x, 0), _col(x, 2), u, np.abs(u)

    def _rjac(self, x):
        _, x1, x3, u, au = self._parts(x)
        with np.errstate(all="ignore"):
            z = au ** x3 / x1
            e = np.exp(-z)
            d2 = K.safe_mul(e, x3 * np.sign(u) * au ** (x3 - 1.0) / x1)
            d3 = -K.safe_mul(K.safe_mul(e, z), np.log(au))
            j = np.stack([K.safe_mul(e, z / x1), d2, d3], axis=-1)
        return np.where(x1[..., None] == 0.0, np.nan, j)

    def _grad(self, x):  # 2 J^T r with the Jacobian above, sharing exp(-z) with the residuals
        t, x1, x3, u, au = self._parts(x)
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
        _, x1, x3, u, au = self._parts(x)
        v1, v2, v3 = _col(v, 0), _col(v, 1), _col(v, 2)
        sg = np.sign(u)
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
