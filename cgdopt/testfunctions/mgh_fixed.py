"""Moré-Garbow-Hillstrom problems 2-7 (fixed dimension n = 2, 3), as sums of squares.

Freudenstein & Roth, Powell badly scaled, Brown badly scaled, Beale, Jennrich &
Sampson and helical valley. The other fixed-dimension problems are in
:mod:`.mgh_exponential_fits`, :mod:`.mgh_gaussian_fits`,
:mod:`.mgh_rational_fits` (the data fits) and :mod:`.mgh_rosenbrock_powell`
(Powell singular, Wood).

J. J. Moré, B. S. Garbow, K. E. Hillstrom, "Testing unconstrained optimization
software", ACM Trans. Math. Softw. 7(1) (1981) 17-41 (MGH). Each problem is
``f(x) = sum_{i=1}^m r_i(x)^2``; ``x0`` is MGH's standard starting point
(factor 1) and ``f_opt`` MGH's reported minimum (marked
``f_opt_is_published_best`` where it is a rounded published value; minimizers
of those are found numerically from ``x0`` on first access and kept only if
they reproduce the published value). ``bounds`` is a library choice (a box
around ``x0`` and the minimizers) used for plots and random sampling only.
Problem 1 (Rosenbrock) is :class:`~cgdopt.testfunctions.sfu_valley.Rosenbrock`
with ``n = 2``.
"""
from __future__ import annotations

import autograd.numpy as anp
import numpy as np

from . import _kernels as K
from ._least_squares import LeastSquaresFunction
from ._lsq import col as _col, rows, rsum, symv, vec
from ._references import MGH
from ._registry import register


# Closed-form derivatives (issue 8): each problem defines the residual Jacobian ``_rjac``
# and ``_rhessp`` = sum_i r_i Hess(r_i) v (see :mod:`._lsq` for the conventions); some also
# write out ``_grad`` = 2 J^T r to share the exponentials with the residuals.


@register
class FreudensteinRoth(LeastSquaresFunction):
    r"""Freudenstein and Roth function (MGH 2), n = m = 2.

    .. math:: r_1 = -13 + x_1 + ((5 - x_2)x_2 - 2)x_2,\quad
              r_2 = -29 + x_1 + ((x_2 + 1)x_2 - 14)x_2

    ``x0 = (0.5, -2)``; ``f* = 0`` at ``(5, 4)`` (local: ``48.9842`` at
    ``(11.41, -0.8968)``).
    """

    name = "freudenstein_roth"
    title = "Freudenstein and Roth"
    dim = 2
    tags = ("mgh", "least-squares", "multimodal")
    formula = "r1 = -13 + x1 + ((5 - x2) x2 - 2) x2; r2 = -29 + x1 + ((x2 + 1) x2 - 14) x2"
    reference = MGH + "2"
    domain = (-20.0, 20.0)
    x_opt_note = "local minimizer (11.41..., -0.8968...) with f = 48.9842"

    def _residuals(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        return anp.stack([-13.0 + x1 + ((5.0 - x2) * x2 - 2.0) * x2,
                          -29.0 + x1 + ((x2 + 1.0) * x2 - 14.0) * x2], axis=-1)

    # J = [[1, 10 x2 - 3 x2^2 - 2], [1, 3 x2^2 + 2 x2 - 14]];
    # Hess r1 = (10 - 6 x2) e2 e2^T, Hess r2 = (6 x2 + 2) e2 e2^T.
    def _rjac(self, x):
        x2 = x[..., 1]
        return rows(x2.shape, 2, 2, {(0, 0): 1.0, (0, 1): (10.0 - 3.0 * x2) * x2 - 2.0,
                                     (1, 0): 1.0, (1, 1): (3.0 * x2 + 2.0) * x2 - 14.0})

    def _rhessp(self, x, r, v):
        x2 = x[..., 1]
        h22 = r[..., 0] * (10.0 - 6.0 * x2) + r[..., 1] * (6.0 * x2 + 2.0)
        return symv({(1, 1): h22}, v)

    def _grad(self, x):  # 2 J^T r, written out
        x1, x2 = x[..., 0], x[..., 1]
        r1 = -13.0 + x1 + ((5.0 - x2) * x2 - 2.0) * x2
        r2 = -29.0 + x1 + ((x2 + 1.0) * x2 - 14.0) * x2
        return 2.0 * vec(x1.shape, [r1 + r2, r1 * ((10.0 - 3.0 * x2) * x2 - 2.0)
                                    + r2 * ((3.0 * x2 + 2.0) * x2 - 14.0)])

    def _x0(self):
        return [0.5, -2.0]

    def _x_opt(self):
        return [[5.0, 4.0]]

    def _x_local(self):  # MGH's (11.41..., -0.8968...), f = 48.9842, refined by Newton steps
        return [[11.412778991937, -0.896805253236]]


@register
class PowellBadlyScaled(LeastSquaresFunction):
    r"""Powell badly scaled function (MGH 3), n = m = 2.

    .. math:: r_1 = 10^4 x_1 x_2 - 1,\quad r_2 = e^{-x_1} + e^{-x_2} - 1.0001

    ``x0 = (0, 1)``; ``f* = 0`` at ``(1.098...e-5, 9.106...)``.
    """

    name = "powell_badly_scaled"
    title = "Powell badly scaled"
    dim = 2
    formula = "r1 = 1e4 x1 x2 - 1; r2 = exp(-x1) + exp(-x2) - 1.0001"
    reference = MGH + "3"
    domain = (-1.0, 10.0)
    x_opt_approximate = True
    f_opt_atol = 1e-20

    def _residuals(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        return anp.stack([1e4 * x1 * x2 - 1.0,
                          anp.exp(-x1) + anp.exp(-x2) - 1.0001], axis=-1)

    # J = [[1e4 x2, 1e4 x1], [-e^{-x1}, -e^{-x2}]];
    # Hess r1 = [[0, 1e4], [1e4, 0]], Hess r2 = diag(e^{-x1}, e^{-x2}).
    def _rjac(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        with np.errstate(over="ignore"):
            e1, e2 = np.exp(-x1), np.exp(-x2)
        return rows(x1.shape, 2, 2, {(0, 0): 1e4 * x2, (0, 1): 1e4 * x1,
                                     (1, 0): -e1, (1, 1): -e2})

    def _rhessp(self, x, r, v):
        x1, x2 = x[..., 0], x[..., 1]
        with np.errstate(over="ignore"):
            e1, e2 = np.exp(-x1), np.exp(-x2)
        r1, r2 = r[..., 0], r[..., 1]
        return symv({(0, 0): K.safe_mul(r2, e1), (0, 1): 1e4 * r1,
                     (1, 1): K.safe_mul(r2, e2)}, v)

    def _grad(self, x):  # 2 J^T r, written out
        x1, x2 = x[..., 0], x[..., 1]
        with np.errstate(over="ignore", invalid="ignore"):
            e1, e2 = np.exp(-x1), np.exp(-x2)
            a, r2 = 1e4 * (1e4 * x1 * x2 - 1.0), e1 + e2 - 1.0001  # a = 1e4 r1
            return 2.0 * vec(x1.shape, [a * x2 - r2 * e1, a * x1 - r2 * e2])

    def _x0(self):
        return [0.0, 1.0]


@register
class BrownBadlyScaled(LeastSquaresFunction):
    r"""Brown badly scaled function (MGH 4), n = 2, m = 3.

    .. math:: r_1 = x_1 - 10^6,\quad r_2 = x_2 - 2\cdot10^{-6},\quad r_3 = x_1x_2 - 2

    ``x0 = (1, 1)``; ``f* = 0`` at ``(10^6, 2\cdot10^{-6})``.
    """

    name = "brown_badly_scaled"
    title = "Brown badly scaled"
    dim = 2
    formula = "r1 = x1 - 1e6; r2 = x2 - 2e-6; r3 = x1 x2 - 2"
    reference = MGH + "4"
    x_opt_note = "the usual domain is a library choice"

    def _bounds(self):
        return [[0.0, 2e6], [-1.0, 1.0]]

    def _default_m(self):
        return 3

    def _residuals(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        return anp.stack([x1 - 1e6, x2 - 2e-6, x1 * x2 - 2.0], axis=-1)

    # J = [[1, 0], [0, 1], [x2, x1]]; Hess r3 = [[0, 1], [1, 0]] (r1, r2 linear).
    def _rjac(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        return rows(x1.shape, 3, 2, {(0, 0): 1.0, (1, 1): 1.0, (2, 0): x2, (2, 1): x1})

    def _rhessp(self, x, r, v):
        return symv({(0, 1): r[..., 2]}, v)

    def _grad(self, x):  # 2 J^T r, written out
        x1, x2 = x[..., 0], x[..., 1]
        r3 = x1 * x2 - 2.0
        return 2.0 * vec(x1.shape, [x1 - 1e6 + x2 * r3, x2 - 2e-6 + x1 * r3])

    def _x0(self):
        return [1.0, 1.0]

    def _x_opt(self):
        return [[1e6, 2e-6]]


@register
class Beale(LeastSquaresFunction):
    r"""Beale function (MGH 5; SFU "Beale Function"), n = 2, m = 3.

    .. math:: r_i = y_i - x_1(1 - x_2^i),\quad y = (1.5, 2.25, 2.625)

    i.e. ``(1.5 - x1 + x1 x2)^2 + (2.25 - x1 + x1 x2^2)^2 + (2.625 - x1 + x1 x2^3)^2``.
    ``x0 = (1, 1)``; domain ``[-4.5, 4.5]^2`` (SFU); ``f* = 0`` at ``(3, 0.5)``.
    """

    name = "beale"
    title = "Beale"
    dim = 2
    tags = ("mgh", "sfu", "least-squares", "multimodal")
    formula = "sum_{i=1}^3 (y_i - x1 (1 - x2^i))^2, y = (1.5, 2.25, 2.625)"
    reference = MGH + "5; Surjanovic & Bingham (SFU), Beale Function"
    domain = (-4.5, 4.5)
    y = np.array([1.5, 2.25, 2.625])

    def _default_m(self):
        return 3

    def _residuals(self, x):
        i = np.arange(1.0, 4.0)
        return self.y - _col(x, 0) * (1.0 - _col(x, 1) ** i)

    # Written out (same formula as the residuals): r_i = y_i - x1 + x1 x2^i, i = 1, 2, 3,
    # with x2^2, x2^3 by multiplication (numpy's float power is ~20x slower than a product).
    def _r3(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        p2 = x2 * x2
        p3 = p2 * x2
        return x1, x2, p2, p3, (1.5 - x1 + x1 * x2, 2.25 - x1 + x1 * p2, 2.625 - x1 + x1 * p3)

    def _f(self, x):
        r = self._r3(x)[4]
        return r[0] * r[0] + r[1] * r[1] + r[2] * r[2]

    def _grad(self, x):
        x1, x2, p2, p3, (r1, r2, r3) = self._r3(x)
        return 2.0 * np.stack([r1 * (x2 - 1.0) + r2 * (p2 - 1.0) + r3 * (p3 - 1.0),
                               x1 * (r1 + 2.0 * x2 * r2 + 3.0 * p2 * r3)], axis=-1)

    def _hessp(self, x, v):
        x1, x2, p2, p3, (r1, r2, r3) = self._r3(x)
        j1 = (x2 - 1.0, p2 - 1.0, p3 - 1.0)                  # d r_i / d x1
        j2 = (x1, 2.0 * x1 * x2, 3.0 * x1 * p2)              # d r_i / d x2
        h11 = j1[0] * j1[0] + j1[1] * j1[1] + j1[2] * j1[2]
        h12 = (j1[0] * j2[0] + j1[1] * j2[1] + j1[2] * j2[2]
               + r1 + 2.0 * x2 * r2 + 3.0 * p2 * r3)
        h22 = (j2[0] * j2[0] + j2[1] * j2[1] + j2[2] * j2[2]
               + r2 * 2.0 * x1 + r3 * 6.0 * x1 * x2)
        v1, v2 = v[..., 0], v[..., 1]
        return 2.0 * np.stack([h11 * v1 + h12 * v2, h12 * v1 + h22 * v2], axis=-1)

    def _x0(self):
        return [1.0, 1.0]

    def _x_opt(self):
        return [[3.0, 0.5]]


@register
class JennrichSampson(LeastSquaresFunction):
    r"""Jennrich and Sampson function (MGH 6), n = 2, m = 10.

    .. math:: r_i = 2 + 2i - (e^{i x_1} + e^{i x_2}),\quad i = 1..10

    ``x0 = (0.3, 0.4)``; ``f* = 124.362`` at ``x1 = x2 = 0.2578`` (MGH), and
    symmetric in ``x1, x2``.
    """

    name = "jennrich_sampson"
    title = "Jennrich and Sampson"
    dim = 2
    formula = "r_i = 2 + 2i - (exp(i x1) + exp(i x2)), i = 1..10"
    reference = MGH + "6"
    domain = (-1.0, 1.0)
    published = {2: "124.362"}

    def _default_m(self):
        return 10

    def _residuals(self, x):
        i = np.arange(1.0, self.m + 1.0)
        return 2.0 + 2.0 * i - (anp.exp(i * _col(x, 0)) + anp.exp(i * _col(x, 1)))

    # dr_i/dx_j = -i e^{i x_j};  Hess r_i = -i^2 diag(e^{i x1}, e^{i x2}).
    def _exps(self, x):
        i = np.arange(1.0, self.m + 1.0)
        with np.errstate(over="ignore"):
            return i, np.exp(i * _col(x, 0)), np.exp(i * _col(x, 1))

    def _rjac(self, x):
        i, e1, e2 = self._exps(x)
        return vec(e1.shape, [-i * e1, -i * e2])

    def _rhessp(self, x, r, v):
        i, e1, e2 = self._exps(x)
        with np.errstate(over="ignore", invalid="ignore"):
            return symv({(0, 0): -rsum(r, i * i * e1), (1, 1): -rsum(r, i * i * e2)}, v)

    def _grad(self, x):  # 2 J^T r, sharing the exponentials with the residuals
        i, e1, e2 = self._exps(x)
        with np.errstate(over="ignore", invalid="ignore"):
            ir = i * (2.0 + 2.0 * i - (e1 + e2))
            return -2.0 * vec(ir.shape[:-1], [(ir * e1).sum(-1), (ir * e2).sum(-1)])

    def _x0(self):
        return [0.3, 0.4]


@register
class HelicalValley(LeastSquaresFunction):
    r"""Helical valley function (MGH 7), n = m = 3.

    .. math:: r_1 = 10(x_3 - 10\theta),\ r_2 = 10(\sqrt{x_1^2 + x_2^2} - 1),\ r_3 = x_3

    with ``2 pi theta = arctan(x2/x1)`` (``+ pi`` if ``x1 < 0``); here
    ``theta = atan2(x2, x1)/(2 pi)`` mapped to ``[-1/4, 3/4)``, which equals
    MGH's definition wherever ``x1 != 0`` and extends it to all of R^3.
    ``x0 = (-1, 0, 0)``; ``f* = 0`` at ``(1, 0, 0)``.
    """

    name = "helical_valley"
    analytic = False  # abs/arctan2 in the residuals: no complex step
    title = "Helical valley"
    dim = 3
    tags = ("mgh", "least-squares", "valley")
    formula = "r1 = 10 (x3 - 10 theta), r2 = 10 (sqrt(x1^2 + x2^2) - 1), r3 = x3"
    reference = MGH + "7"
    domain = (-2.0, 2.0)

    def _residuals(self, x):
        x1, x2, x3 = x[..., 0], x[..., 1], x[..., 2]
        t = anp.arctan2(x2, x1) / (2.0 * np.pi)
        theta = anp.where(t < -0.25, t + 1.0, t)
        return anp.stack([10.0 * (x3 - 10.0 * theta),
                          10.0 * (anp.sqrt(x1 * x1 + x2 * x2) - 1.0), x3], axis=-1)

    # theta = atan2(x2, x1)/(2 pi) (+1 below -1/4), rho = |(x1, x2)|:
    # grad theta = (-x2, x1)/(2 pi rho^2), grad rho = (x1, x2)/rho.  On the axis rho = 0 both
    # are undefined (theta jumps, rho has a cone): taken as 0 there.
    def _rjac(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        r2 = x1 * x1 + x2 * x2
        ok = r2 > 0
        r2s = np.where(ok, r2, 1.0)
        rho = np.sqrt(r2s)
        z = np.zeros(x1.shape)
        k = np.where(ok, -100.0 / (2.0 * np.pi * r2s), 0.0)
        q = np.where(ok, 10.0 / rho, 0.0)
        return np.stack([np.stack([-x2 * k, x1 * k, z + 10.0], axis=-1),
                         np.stack([x1 * q, x2 * q, z], axis=-1),
                         np.stack([z, z, z + 1.0], axis=-1)], axis=-2)

    def _rhessp(self, x, r, v):
        x1, x2 = x[..., 0], x[..., 1]
        r2 = x1 * x1 + x2 * x2
        ok = r2 > 0
        r2s = np.where(ok, r2, 1.0)
        c = np.where(ok, -100.0 / (2.0 * np.pi * r2s * r2s), 0.0)  # r1 = 10 x3 - 100 theta
        t11, t12 = 2.0 * x1 * x2 * c, (x2 * x2 - x1 * x1) * c
        p = np.where(ok, 10.0 / (r2s * np.sqrt(r2s)), 0.0)  # r2 = 10 (rho - 1)
        p11, p12, p22 = x2 * x2 * p, -x1 * x2 * p, x1 * x1 * p
        r1, rr = r[..., 0], r[..., 1]
        h11, h12, h22 = r1 * t11 + rr * p11, r1 * t12 + rr * p12, -r1 * t11 + rr * p22
        v1, v2 = v[..., 0], v[..., 1]
        return np.stack([h11 * v1 + h12 * v2, h12 * v1 + h22 * v2, np.zeros(h11.shape)], axis=-1)

    def _x0(self):
        return [-1.0, 0.0, 0.0]

    def _x_opt(self):
        return [[1.0, 0.0, 0.0]]
