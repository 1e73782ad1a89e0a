"""Moré-Garbow-Hillstrom problems 23-26 (variable dimension), as sums of squares.

Penalty I and II, variably dimensioned and trigonometric. The other
variable-dimension problems are in :mod:`.mgh_polynomial_fits`,
:mod:`.mgh_rosenbrock_powell`, :mod:`.mgh_linear` and
:mod:`.mgh_nonlinear_equations`. See :mod:`cgdopt.testfunctions.mgh_fixed` for
conventions. Reference: Moré, Garbow & Hillstrom, ACM Trans. Math. Softw. 7(1)
(1981) 17-41. Where MGH publishes the minimum only for some ``n`` (Penalty
I/II), ``f_opt`` is ``nan`` for the other ``n`` (unknown) and ``x_opt`` is
empty.
"""
from __future__ import annotations

import autograd.numpy as anp
import numpy as np

from ._least_squares import LeastSquaresFunction
from ._references import MGH
from ._registry import register


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

    # f = a |x - 1|^2 + q^2, q = |x|^2 - 1/4:  grad f = 2 a (x - 1) + 4 q x,
    # H v = (2 a + 4 q) v + 8 (x . v) x.
    def _grad(self, x):
        q = (x * x).sum(axis=-1, keepdims=True) - 0.25
        return 2e-5 * (x - 1.0) + 4.0 * q * x

    def _hessp(self, x, v):
        q = (x * x).sum(axis=-1, keepdims=True) - 0.25
        return (2e-5 + 4.0 * q) * v + 8.0 * (x * v).sum(axis=-1, keepdims=True) * x

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

    # With e_j = exp(x_j/10), u = e/10 = de/dx, A_k = e_{k+1} + e_k - y_{k+1},
    # B_k = e_{k+1} - e^{-1/10} (k = 1..n-1), R = sum_j w_j x_j^2 - 1 (w_j = n - j + 1):
    # f = (x_1 - 0.2)^2 + a sum_k (A_k^2 + B_k^2) + R^2.  With C_j = A_{j-1} + B_{j-1} + A_j
    # (the terms that exist):
    #   grad f = 2 (x_1 - 0.2) e_1 + 2 a u C + 4 R w x,
    #   H v = 2 v_1 e_1 + 2 a (u F + (u/10) v C) + 8 (w x . v) w x + 4 R w v,
    # F_j = dA_{j-1} + dB_{j-1} + dA_j, dA_k = u_k v_k + u_{k+1} v_{k+1}, dB_k = u_{k+1} v_{k+1}.
    def _parts(self, x):
        n = self.n
        i = np.arange(2.0, n + 1.0)
        y = np.exp(i / 10.0) + np.exp((i - 1.0) / 10.0)
        e = np.exp(x / 10.0)
        a = e[..., 1:] + e[..., :-1] - y
        c = np.zeros(x.shape)
        c[..., 1:] += a + (e[..., 1:] - np.exp(-0.1))
        c[..., :-1] += a
        w = np.arange(n, 0, -1, dtype=np.float64)
        wx = w * x
        r = (wx * x).sum(axis=-1, keepdims=True) - 1.0
        return 0.1 * e, c, w, wx, r

    def _grad(self, x):
        u, c, w, wx, r = self._parts(x)
        g = 2e-5 * u * c + 4.0 * r * wx
        g[..., 0] += 2.0 * (x[..., 0] - 0.2)
        return g

    def _hessp(self, x, v):
        u, c, w, wx, r = self._parts(x)
        uv = u * v
        da = uv[..., 1:] + uv[..., :-1]
        f = np.zeros(uv.shape)
        f[..., 1:] += da + uv[..., 1:]
        f[..., :-1] += da
        h = 2e-5 * (u * f + 0.1 * uv * c) + 8.0 * (wx * v).sum(axis=-1, keepdims=True) * wx \
            + 4.0 * r * w * v
        h[..., 0] += 2.0 * v[..., 0]
        return h

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

    # f = |x - 1|^2 + s^2 + s^4, s = w . (x - 1), w_j = j:
    #   grad f = 2 (x - 1) + (2 s + 4 s^3) w,   H v = 2 v + (2 + 12 s^2) (w . v) w.
    def _grad(self, x):
        w = np.arange(1.0, self.n + 1.0)
        s = (w * (x - 1.0)).sum(axis=-1, keepdims=True)
        return 2.0 * (x - 1.0) + (2.0 * s + 4.0 * s * s * s) * w

    def _hessp(self, x, v):
        w = np.arange(1.0, self.n + 1.0)
        s = (w * (x - 1.0)).sum(axis=-1, keepdims=True)
        return 2.0 * v + (2.0 + 12.0 * s * s) * (w * v).sum(axis=-1, keepdims=True) * w

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

    # dr_i/dx_j = sin x_j + [i = j] (i sin x_i - cos x_i);
    # d2r_i/dx_j dx_k = [j = k] (cos x_j + [i = j] (i cos x_i + sin x_i)), so with
    # d = i sin x - cos x:  grad f = 2 (sin x sum(r) + d r),
    # H v = 2 (sin x sum(J v) + d J v + v (cos x sum(r) + (i cos x + sin x) r)),
    # J v = (sin x . v) + d v.
    def _parts(self, x):
        i = np.arange(1.0, self.n + 1.0)
        sn, c = np.sin(x), np.cos(x)
        r = self.n - c.sum(axis=-1, keepdims=True) + i * (1.0 - c) - sn
        return i, sn, c, r, i * sn - c

    def _grad(self, x):
        i, sn, c, r, d = self._parts(x)
        return 2.0 * (sn * r.sum(axis=-1, keepdims=True) + d * r)

    def _hessp(self, x, v):
        i, sn, c, r, d = self._parts(x)
        jv = (sn * v).sum(axis=-1, keepdims=True) + d * v
        return 2.0 * (sn * jv.sum(axis=-1, keepdims=True) + d * jv
                      + v * (c * r.sum(axis=-1, keepdims=True) + (i * c + sn) * r))

    def _x0(self):
        return np.full(self.n, 1.0 / self.n)
