"""Moré-Garbow-Hillstrom problems 20-35 (variable dimension), as sums of squares.

See :mod:`cgdopt.testfunctions.mgh_fixed` for conventions.  Reference: Moré,
Garbow & Hillstrom, ACM Trans. Math. Softw. 7(1) (1981) 17-41.  Where MGH
publishes the minimum only for some ``n`` (Watson, Penalty I/II, Chebyquad),
``f_opt`` is ``nan`` for the other ``n`` (unknown) and ``x_opt`` is empty.
"""
from __future__ import annotations

import functools

import autograd.numpy as anp
import numpy as np

from ._base import LeastSquaresFunction
from ._registry import register

MGH = "More, Garbow & Hillstrom, ACM TOMS 7 (1981) 17-41, problem "


def _pad(x):
    """``(x_0, x_1, ..., x_n, x_{n+1})`` with ``x_0 = x_{n+1} = 0`` (last axis)."""
    z = anp.zeros(x.shape[:-1] + (1,))
    return anp.concatenate([z, x, z], axis=-1)


def _pad0(x):
    """Plain-numpy :func:`_pad` (``x_0 = x_{n+1} = 0``), for the closed-form derivatives."""
    out = np.zeros(x.shape[:-1] + (x.shape[-1] + 2,))
    out[..., 1:-1] = x
    return out


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
