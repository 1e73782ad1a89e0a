"""SFU "other" functions: Goldstein-Price, Shekel, Styblinski-Tang, Forrester
and Perm d,beta.

Sources, and the minimizers refined where SFU gives a few digits only:
``cgdopt.testfunctions._references``.
"""
from __future__ import annotations

import autograd.numpy as anp
import numpy as np

from . import _kernels as K
from ._base import TestFunction
from ._references import SFU
from ._registry import register


@register
class GoldsteinPrice(TestFunction):
    r"""Goldstein-Price function.

    .. math:: f(x) = [1 + (x_1 + x_2 + 1)^2(19 - 14x_1 + 3x_1^2 - 14x_2 + 6x_1x_2 + 3x_2^2)]
              \times [30 + (2x_1 - 3x_2)^2(18 - 32x_1 + 12x_1^2 + 48x_2 - 36x_1x_2 + 27x_2^2)]

    Domain ``[-2, 2]^2``; ``f* = 3`` at ``(0, -1)``.
    """

    name = "goldstein_price"
    title = "Goldstein-Price"
    dim = 2
    tags = ("sfu", "multimodal")
    formula = ("[1 + (x1 + x2 + 1)^2 (19 - 14 x1 + 3 x1^2 - 14 x2 + 6 x1 x2 + 3 x2^2)] "
               "[30 + (2 x1 - 3 x2)^2 (18 - 32 x1 + 12 x1^2 + 48 x2 - 36 x1 x2 + 27 x2^2)]")
    reference = SFU + "Goldstein-Price Function"
    domain = (-2.0, 2.0)

    def _f(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        a = 1.0 + (x1 + x2 + 1.0) ** 2 * (19.0 - 14.0 * x1 + 3.0 * x1 * x1 - 14.0 * x2
                                          + 6.0 * x1 * x2 + 3.0 * x2 * x2)
        b = 30.0 + (2.0 * x1 - 3.0 * x2) ** 2 * (18.0 - 32.0 * x1 + 12.0 * x1 * x1 + 48.0 * x2
                                                 - 36.0 * x1 * x2 + 27.0 * x2 * x2)
        return a * b

    # f = A B with A = 1 + p^2 alpha(x), B = 30 + q^2 beta(x), p = x1 + x2 + 1, q = 2 x1 - 3 x2;
    # grad alpha = (6 p - 20) 1, grad beta = (6 q - 16) e, 1 = (1, 1), e = (2, -3), so
    # grad A = A1 1, A1 = 2 p alpha + p^2 (6 p - 20); Hess A = A2 1 1^T, A2 = 2 alpha + 30 p^2 - 80 p;
    # grad B = B1 e, B1 = 2 q beta + q^2 (6 q - 16); Hess B = B2 e e^T, B2 = 2 beta + 30 q^2 - 64 q;
    # grad f = A1 B 1 + A B1 e,
    # H v = A2 B (1 . v) 1 + A1 B1 [(e . v) 1 + (1 . v) e] + A B2 (e . v) e.
    def _parts(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        p, q = x1 + x2 + 1.0, 2.0 * x1 - 3.0 * x2
        al = 19.0 - 14.0 * x1 + 3.0 * x1 * x1 - 14.0 * x2 + 6.0 * x1 * x2 + 3.0 * x2 * x2
        be = 18.0 - 32.0 * x1 + 12.0 * x1 * x1 + 48.0 * x2 - 36.0 * x1 * x2 + 27.0 * x2 * x2
        a, b = 1.0 + p * p * al, 30.0 + q * q * be
        a1, b1 = 2.0 * p * al + p * p * (6.0 * p - 20.0), 2.0 * q * be + q * q * (6.0 * q - 16.0)
        return p, q, al, be, a, b, a1, b1

    def _grad(self, x):
        p, q, al, be, a, b, a1, b1 = self._parts(x)
        g1, g2 = a1 * b, a * b1
        return np.stack([g1 + 2.0 * g2, g1 - 3.0 * g2], axis=-1)

    def _hessp(self, x, v):
        p, q, al, be, a, b, a1, b1 = self._parts(x)
        a2, b2 = 2.0 * al + 30.0 * p * p - 80.0 * p, 2.0 * be + 30.0 * q * q - 64.0 * q
        ov, ev = v[..., 0] + v[..., 1], 2.0 * v[..., 0] - 3.0 * v[..., 1]
        c1 = a2 * b * ov + a1 * b1 * ev  # coefficient of 1
        ce = a1 * b1 * ov + a * b2 * ev  # coefficient of e
        return np.stack([c1 + 2.0 * ce, c1 - 3.0 * ce], axis=-1)

    def _x_opt(self):
        return [[0.0, -1.0]]

    def _f_opt(self):
        return 3.0


@register
class Shekel(TestFunction):
    r"""Shekel function (n = 4, m in {5, 7, 10}).

    .. math:: f(x) = -\sum_{i=1}^m \left(\sum_{j=1}^4 (x_j - C_{ji})^2 + \beta_i\right)^{-1}

    with SFU's ``beta = (1, 2, 2, 4, 4, 6, 3, 7, 5, 5)/10`` and ``C``.
    Domain ``[0, 10]^4``; minimizer near ``(4, 4, 4, 4)`` with
    ``f* = -10.1532, -10.4029, -10.5364`` for ``m = 5, 7, 10`` (SFU).

    Parameters
    ----------
    n : int, optional
        Must be 4.
    m : {5, 7, 10}, optional
        Number of terms (default 10).
    """

    name = "shekel"
    title = "Shekel"
    dim = 4
    tags = ("sfu", "multimodal")
    formula = "-sum_{i=1}^m 1 / (sum_j (x_j - C_ji)^2 + beta_i)"
    reference = SFU + "Shekel Function"
    domain = (0.0, 10.0)
    x_opt_approximate = True
    beta = 0.1 * np.array([1.0, 2, 2, 4, 4, 6, 3, 7, 5, 5])
    C = np.array([[4.0, 1, 8, 6, 3, 2, 5, 8, 6, 7],
                  [4.0, 1, 8, 6, 7, 9, 3, 1, 2, 3.6],
                  [4.0, 1, 8, 6, 3, 2, 5, 8, 6, 7],
                  [4.0, 1, 8, 6, 7, 9, 3, 1, 2, 3.6]])
    _published = {5: "-10.1532", 7: "-10.4029", 10: "-10.5364"}
    _xs = {5: (4.000037152819676, 4.00013327659156, 4.000037152819676, 4.00013327659156),
           7: (4.000572819251117, 3.9996062096096887, 4.000572819251117, 3.9996062096096887),
           10: (4.000746868270634, 3.9995094800857736, 4.000746868270634, 3.9995094800857736)}

    def __init__(self, n=None, m=10):
        super().__init__(n)
        if isinstance(m, bool) or m not in (5, 7, 10):
            raise ValueError(f"shekel: m must be one of 5, 7, 10, got {m!r}")
        self.m = int(m)
        self.f_opt_published = self._published[self.m]

    def __repr__(self):
        return f"Shekel(n=4, m={self.m})"

    # D_k = |x - c_k|^2 + beta_k expanded as |x|^2 - 2 x.c_k + |c_k|^2 + beta_k: one matrix
    # product instead of a (points, m, 4) temporary (~30x faster); absolute error in D_k
    # <= ~1e-13 in the usual domain (|x|^2 <= 400, D_k >= beta_k >= 0.1).
    def _D(self, x):
        c = self.C[:, : self.m]
        return (anp.sum(x * x, axis=-1)[..., None] - 2.0 * anp.dot(x, c)
                + (np.sum(c * c, axis=0) + self.beta[: self.m]))

    def _f(self, x):
        return -anp.sum(1.0 / self._D(x), axis=-1)

    def _grad(self, x):  # sum_k 2 (x - c_k) / D_k^2
        c = self.C[:, : self.m]
        w = 1.0 / self._D(x) ** 2
        return 2.0 * (x * w.sum(axis=-1)[..., None] - w @ c.T)

    # H v = sum_k [2 v / D_k^2 - 8 (x - c_k) ((x - c_k) . v) / D_k^3]
    #     = 2 v sum_k w_k - 8 (x sum_k z_k t_k - (z t) C^T),  w = D^-2, z = D^-3,
    # t_k = x . v - c_k . v.
    def _hessp(self, x, v):
        c = self.C[:, : self.m]
        d = 1.0 / self._D(x)
        w = d * d
        zt = w * d * (K.rowsum(x * v)[..., None] - v @ c)
        return 2.0 * v * w.sum(axis=-1)[..., None] - 8.0 * (x * zt.sum(axis=-1)[..., None]
                                                            - zt @ c.T)

    def _x_opt(self):
        return [self._xs[self.m]]

    def _f_opt(self):
        return self._f(np.array(self._xs[self.m]))


@register
class StyblinskiTang(TestFunction):
    r"""Styblinski-Tang function.

    .. math:: f(x) = \tfrac12 \sum_{i=1}^n (x_i^4 - 16x_i^2 + 5x_i)

    Domain ``[-5, 5]^n``; minimizer ``x_i = -2.903534...`` (the smallest
    root of ``4t^3 - 32t + 5 = 0``), ``f* = -39.16617 n`` (SFU gives
    ``-39.16599 n``, rounded differently).
    """

    name = "styblinski_tang"
    title = "Styblinski-Tang"
    default_dim = 2
    tags = ("sfu", "multimodal", "separable")
    formula = "0.5 sum_i (x_i^4 - 16 x_i^2 + 5 x_i)"
    reference = SFU + "Styblinski-Tang Function"
    domain = (-5.0, 5.0)

    @staticmethod
    def _root():
        r = np.roots([4.0, 0.0, -32.0, 5.0])
        return float(np.min(r.real))

    def _f(self, x):
        x2 = x * x
        return 0.5 * anp.sum(x2 * x2 - 16.0 * x2 + 5.0 * x, axis=-1)

    def _grad(self, x):
        return 2.0 * x * x * x - 16.0 * x + 2.5

    def _hessp(self, x, v):
        return (6.0 * x * x - 16.0) * v

    def _x_opt(self):
        return np.full((1, self.n), self._root())

    def _f_opt(self):
        t = self._root()
        return 0.5 * self.n * (t ** 4 - 16.0 * t * t + 5.0 * t)


@register
class Forrester(TestFunction):
    r"""Forrester et al. (2008) function (1-D).

    .. math:: f(x) = (6x - 2)^2 \sin(12x - 4)

    Domain ``[0, 1]``; ``f* = -6.02074`` at ``x = 0.75725`` (refined here).
    """

    name = "forrester"
    title = "Forrester et al. (2008)"
    dim = 1
    tags = ("sfu", "multimodal")
    formula = "(6x - 2)^2 sin(12x - 4)"
    reference = SFU + "Forrester et al. (2008) Function"
    domain = (0.0, 1.0)
    x_opt_approximate = True
    f_opt_published = "-6.02074"
    _x = (0.7572487578418559,)

    def _f(self, x):
        t = x[..., 0]
        return (6.0 * t - 2.0) ** 2 * anp.sin(12.0 * t - 4.0)

    def _grad(self, x):
        t = x[..., 0]
        u = 6.0 * t - 2.0
        return (12.0 * u * np.sin(12.0 * t - 4.0) + 12.0 * u * u * np.cos(12.0 * t - 4.0))[..., None]

    def _hessp(self, x, v):  # f'' = (72 - 144 u^2) sin(12 t - 4) + 288 u cos(12 t - 4)
        t = x[..., 0]
        u = 6.0 * t - 2.0
        sn, cs = np.sin(12.0 * t - 4.0), np.cos(12.0 * t - 4.0)
        return ((72.0 - 144.0 * u * u) * sn + 288.0 * u * cs)[..., None] * v

    def _x_opt(self):
        return [self._x]

    def _f_opt(self):
        return self._f(np.array(self._x))


@register
class PermDBeta(TestFunction):
    r"""Perm function d, beta (beta = 0.5 as in SFU's code).

    .. math:: f(x) = \sum_{i=1}^n \Big(\sum_{j=1}^n (j^i + \beta)
              \big((x_j / j)^i - 1\big)\Big)^2

    Domain ``[-n, n]^n``; ``f* = 0`` at ``(1, 2, ..., n)``.

    Derivatives: a sum of squares of ``r_i = sum_j c_ij (y_j^i - 1)``,
    ``c_ij = j^i + beta``, ``y_j = x_j / j``, so ``grad f = 2 J^T r`` and
    ``H v = 2 J^T (J v) + 2 sum_i r_i D_i v`` with
    ``J_ij = c_ij i y_j^(i-1) / j`` and the diagonal
    ``(D_i)_jj = c_ij i (i-1) y_j^(i-2) / j^2`` (0 for ``i = 1``).
    """

    name = "perm_d_beta"
    title = "Perm d, beta"
    default_dim = 2
    dim_range = (1, 12)
    tags = ("sfu", "bowl")
    formula = "sum_i (sum_j (j^i + 0.5) ((x_j / j)^i - 1))^2"
    reference = SFU + "Perm Function d, beta (beta = 0.5)"
    beta = 0.5
    analytic_grad = True

    def _bounds(self):
        return (-float(self.n), float(self.n))

    def _parts(self, x):
        j = np.arange(1.0, self.n + 1.0)
        i = j[:, None]
        c = j ** i + self.beta                      # (i, j)
        y = x[..., None, :] / j                     # (..., 1, j)
        return j, i, c, y

    def _f(self, x):
        j, i, c, y = self._parts(x)
        inner = anp.sum(c * (y ** i - 1.0), axis=-1)
        return anp.sum(inner * inner, axis=-1)

    def _grad(self, x):  # 2 sum_i inner_i c_ij i (x_j/j)^{i-1} / j
        j, i, c, y = self._parts(x)
        inner = (c * (y ** i - 1.0)).sum(-1)
        return 2.0 * np.einsum("...i,...ij->...j", inner, c * i * y ** (i - 1.0) / j)

    def _hessp(self, x, v):
        j, i, c, y = self._parts(x)
        inner = (c * (y ** i - 1.0)).sum(-1)
        jac = c * i * y ** (i - 1.0) / j
        # i = 1 row is 0: exponent clipped at 0 so that y = 0 gives 0 * 1, not 0 * inf
        d2 = c * (i * (i - 1.0)) * y ** np.maximum(i - 2.0, 0.0) / (j * j)
        jv = np.einsum("...ij,...j->...i", jac, v)
        return 2.0 * (np.einsum("...ij,...i->...j", jac, jv)
                      + np.einsum("...i,...ij->...j", inner, d2) * v)

    def _x_opt(self):
        return [np.arange(1.0, self.n + 1.0)]
