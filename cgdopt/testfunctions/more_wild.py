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

from ._least_squares import LeastSquaresFunction
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

    def _q(self, x):
        k = self.n - 4
        return (x[..., :k] ** 2 + 2.0 * x[..., 1:k + 1] ** 2 + 3.0 * x[..., 2:k + 2] ** 2
                + 4.0 * x[..., 3:k + 3] ** 2 + 5.0 * x[..., -1:] ** 2)

    def _residuals(self, x):
        k = self.n - 4
        return anp.concatenate([3.0 - 4.0 * x[..., :k], self._q(x)], axis=-1)

    # Banded, so no dense Jacobian (it would be (2(n - 4), n)): with q_i = sum_c (c + 1)
    # x_{i+c}^2 + 5 x_n^2 (c = 0..3), grad q_i = 2 (c + 1) x_{i+c} e_{i+c} + 10 x_n e_n and
    # Hess q_i = diag(2 (c + 1) at i + c, 10 at n):
    # grad f = -8 (3 - 4 x_i) e_i + sum_i 2 q_i grad q_i,
    # H v = 32 v_i e_i + sum_i [2 (grad q_i . v) grad q_i + 2 q_i Hess(q_i) v]  (i <= n - 4).
    def _grad(self, x):
        k = self.n - 4
        q = self._q(x)
        g = np.zeros(x.shape)
        g[..., :k] = -8.0 * (3.0 - 4.0 * x[..., :k])
        for c in range(4):
            g[..., c:c + k] += (4.0 * (c + 1)) * q * x[..., c:c + k]
        g[..., -1] += 20.0 * x[..., -1] * q.sum(axis=-1)
        return g

    def _hessp(self, x, v):
        k = self.n - 4
        q = self._q(x)
        jv = 10.0 * (x[..., -1] * v[..., -1])[..., None]
        for c in range(4):
            jv = jv + (2.0 * (c + 1)) * x[..., c:c + k] * v[..., c:c + k]
        h = np.zeros(np.broadcast_shapes(x.shape, v.shape))
        h[..., :k] = 32.0 * v[..., :k]
        for c in range(4):
            h[..., c:c + k] += (4.0 * (c + 1)) * (x[..., c:c + k] * jv + q * v[..., c:c + k])
        h[..., -1] += 20.0 * (x[..., -1] * jv.sum(axis=-1) + v[..., -1] * q.sum(axis=-1))
        return h

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

    # Bidiagonal Jacobian: dr_1/dx_1 = 1, dr_i/dx_i = 10, dr_i/dx_{i-1} = -30 x_{i-1}^2, and
    # Hess r_i = -60 x_{i-1} e_{i-1} e_{i-1}^T (i >= 2):
    # grad f = 2 J^T r,  H v = 2 J^T (J v) - 120 sum_{i>=2} r_i x_{i-1} v_{i-1} e_{i-1}.
    def _grad(self, x):
        r = self._residuals(x)
        y = x[..., :-1]
        g = np.empty(x.shape)
        g[..., 0] = 2.0 * r[..., 0]
        g[..., 1:] = 20.0 * r[..., 1:]
        g[..., :-1] -= 60.0 * y * y * r[..., 1:]
        return g

    def _hessp(self, x, v):
        r = self._residuals(x)
        y = x[..., :-1]
        jv = np.concatenate([v[..., :1], 10.0 * v[..., 1:] - 30.0 * y * y * v[..., :-1]], axis=-1)
        h = np.empty(jv.shape)
        h[..., 0] = 2.0 * jv[..., 0]
        h[..., 1:] = 20.0 * jv[..., 1:]
        h[..., :-1] -= 60.0 * y * y * jv[..., 1:] + 120.0 * r[..., 1:] * y * v[..., :-1]
        return h

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

    # r_i depends on x_i only (diagonal Jacobian).  With phi(v) = v g(log v),
    # g = sin^5 + cos^5, g' = 5 s c (s^3 - c^3), g'' = 20 s^2 c^2 (s + c) - 5 (s^5 + c^5)
    # (s, c = sin, cos of log v), phi' = g + g', phi'' = (g' + g'') / v, and
    # dv/dx_i = x_i / v, d2v/dx_i^2 = (i/j) / v^3:
    # r_i' = 1400 + sum_j phi' x_i / v_ij,
    # r_i'' = sum_j [phi'' x_i^2 / v_ij^2 + phi' (i/j) / v_ij^3],
    # grad f = 2 r r',  H v = 2 (r'^2 + r r'') v.
    def _derivs(self, x):
        i = np.arange(1.0, self.n + 1.0)
        ij = i[:, None] / i
        xi = x[..., :, None]
        v = np.sqrt(xi ** 2 + ij)   # (..., i, j), v >= sqrt(i/j) > 0
        lv = np.log(v)
        sn, cs = np.sin(lv), np.cos(lv)
        s2, c2 = sn * sn, cs * cs
        g0 = s2 * s2 * sn + c2 * c2 * cs
        g1 = 5.0 * sn * cs * (s2 * sn - c2 * cs)
        g2 = 20.0 * s2 * c2 * (sn + cs) - 5.0 * g0
        p1 = g0 + g1
        r = 1400.0 * x + (i - 50.0) ** 3 + np.sum(v * g0, axis=-1)
        d1 = 1400.0 + np.sum(p1 * xi / v, axis=-1)
        d2 = np.sum(((g1 + g2) * xi * xi + p1 * ij) / (v * v * v), axis=-1)
        return r, d1, d2

    def _grad(self, x):
        r, d1, _ = self._derivs(x)
        return 2.0 * r * d1

    def _hessp(self, x, v):
        r, d1, d2 = self._derivs(x)
        return 2.0 * (d1 * d1 + r * d2) * v


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

    # In complex form, with alpha = a + i c, beta = b + i d, z = t + i v, y = u + i w, the
    # residuals are rho_k = r_{2k+1} + i r_{2k+2} = alpha z^k + beta y^k + const_k (k = 0..3),
    # holomorphic in (alpha, z, beta, y): d/da = F_alpha, d/dc = i F_alpha, d/dt = F_z,
    # d/dv = i F_z (beta, y alike), with F_alpha = z^k, F_z = k alpha z^(k-1); the Jacobian
    # rows of r_{2k+1}, r_{2k+2} are the real and imaginary parts of these columns.
    # sum_i r_i Hess(r_i) dx = grad of Re h, h = sum_k conj(rho_k) (d alpha F_alpha + dz F_z),
    # h_alpha = dz sum_k conj(rho_k) k z^(k-1),
    # h_z = sum_k conj(rho_k) (k z^(k-1) d alpha + k (k - 1) alpha z^(k-2) dz).
    @staticmethod
    def _cplx(x):
        return (x[..., 0] + 1j * x[..., 2], x[..., 1] + 1j * x[..., 3],
                x[..., 4] + 1j * x[..., 6], x[..., 5] + 1j * x[..., 7])

    def _rjac(self, x):
        al, be, z, y = self._cplx(x)
        one, zero = np.ones(z.shape), np.zeros(z.shape)
        Z = np.stack([one, z, z * z, z * z * z], axis=-1)       # (..., 4): z^k
        Y = np.stack([one, y, y * y, y * y * y], axis=-1)
        DZ = np.stack([zero, al, 2.0 * al * z, 3.0 * al * z * z], axis=-1)  # k alpha z^(k-1)
        DY = np.stack([zero, be, 2.0 * be * y, 3.0 * be * y * y], axis=-1)
        cols = np.stack([Z, Y, 1j * Z, 1j * Y, DZ, DY, 1j * DZ, 1j * DY], axis=-1)  # (.., 4, 8)
        J = np.stack([cols.real, cols.imag], axis=-2)  # d Re rho_k, d Im rho_k
        return J.reshape(x.shape[:-1] + (8, 8))

    def _rhessp(self, x, r, v):
        al, be, z, y = self._cplx(x)
        dal, dbe, dz, dy = self._cplx(v)
        rc = r[..., 0::2] - 1j * r[..., 1::2]  # conj(rho_k), k = 0..3
        r1, r2, r3 = rc[..., 1], rc[..., 2], rc[..., 3]
        s1z = r1 + 2.0 * r2 * z + 3.0 * r3 * z * z   # sum_k conj(rho_k) k z^(k-1)
        s1y = r1 + 2.0 * r2 * y + 3.0 * r3 * y * y
        s2z = 2.0 * r2 + 6.0 * r3 * z                # sum_k conj(rho_k) k (k-1) z^(k-2)
        s2y = 2.0 * r2 + 6.0 * r3 * y
        ha, hb = dz * s1z, dy * s1y
        hz, hy = dal * s1z + al * dz * s2z, dbe * s1y + be * dy * s2y
        return np.stack([ha.real, hb.real, -ha.imag, -hb.imag,
                         hz.real, hy.real, -hz.imag, -hy.imag], axis=-1)
