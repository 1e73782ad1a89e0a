"""SFU bowl-shaped functions: Bohachevsky 1, 2 and 3, Perm 0,d,beta, Sphere,
Sum of different powers, Sum squares and Trid.

Sources: ``cgdopt.testfunctions._references``.
"""
from __future__ import annotations

import autograd.numpy as anp
import numpy as np

from . import _kernels as K
from ._base import TestFunction
from ._references import SFU
from ._registry import register

PI = np.pi


@register
class Bohachevsky1(TestFunction):
    r"""Bohachevsky function 1.

    .. math:: f(x) = x_1^2 + 2x_2^2 - 0.3\cos(3\pi x_1) - 0.4\cos(4\pi x_2) + 0.7

    Domain ``[-100, 100]^2``; ``f* = 0`` at 0.
    """

    name = "bohachevsky1"
    title = "Bohachevsky 1"
    dim = 2
    tags = ("sfu", "bowl", "multimodal")
    formula = "x1^2 + 2 x2^2 - 0.3 cos(3 pi x1) - 0.4 cos(4 pi x2) + 0.7"
    reference = SFU + "Bohachevsky Functions (first)"
    domain = (-100.0, 100.0)

    def _f(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        return (x1 * x1 + 2.0 * x2 * x2 - 0.3 * anp.cos(3 * PI * x1)
                - 0.4 * anp.cos(4 * PI * x2) + 0.7)

    def _grad(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        return np.stack([2.0 * x1 + 0.9 * PI * np.sin(3 * PI * x1),
                         4.0 * x2 + 1.6 * PI * np.sin(4 * PI * x2)], axis=-1)

    def _hessp(self, x, v):
        x1, x2 = x[..., 0], x[..., 1]
        return np.stack([(2.0 + 2.7 * PI * PI * np.cos(3 * PI * x1)) * v[..., 0],
                         (4.0 + 6.4 * PI * PI * np.cos(4 * PI * x2)) * v[..., 1]], axis=-1)


class _Bohachevsky(TestFunction):
    dim = 2
    tags = ("sfu", "bowl", "multimodal")
    domain = (-100.0, 100.0)
    analytic_grad = True


@register
class Bohachevsky2(_Bohachevsky):
    r"""Bohachevsky function 2.

    .. math:: f(x) = x_1^2 + 2x_2^2 - 0.3\cos(3\pi x_1)\cos(4\pi x_2) + 0.3

    Domain ``[-100, 100]^2``; ``f* = 0`` at 0.
    """

    name = "bohachevsky2"
    title = "Bohachevsky 2"
    formula = "x1^2 + 2 x2^2 - 0.3 cos(3 pi x1) cos(4 pi x2) + 0.3"
    reference = SFU + "Bohachevsky Functions (second)"

    def _f(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        return x1 * x1 + 2.0 * x2 * x2 - 0.3 * K.cos(3 * PI * x1) * K.cos(4 * PI * x2) + 0.3

    def _grad(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        a, b = 3 * PI * x1, 4 * PI * x2
        return np.stack([2.0 * x1 + 0.9 * PI * np.sin(a) * np.cos(b),
                         4.0 * x2 + 1.2 * PI * np.cos(a) * np.sin(b)], axis=-1)

    def _hessp(self, x, v):  # H = [[2 + 2.7 pi^2 ca cb, -3.6 pi^2 sa sb], [., 4 + 4.8 pi^2 ca cb]]
        a, b = 3 * PI * x[..., 0], 4 * PI * x[..., 1]
        cc = PI * PI * np.cos(a) * np.cos(b)
        h12 = -3.6 * PI * PI * np.sin(a) * np.sin(b)
        v1, v2 = v[..., 0], v[..., 1]
        return np.stack([(2.0 + 2.7 * cc) * v1 + h12 * v2,
                         h12 * v1 + (4.0 + 4.8 * cc) * v2], axis=-1)


@register
class Bohachevsky3(_Bohachevsky):
    r"""Bohachevsky function 3.

    .. math:: f(x) = x_1^2 + 2x_2^2 - 0.3\cos(3\pi x_1 + 4\pi x_2) + 0.3

    Domain ``[-100, 100]^2``; ``f* = 0`` at 0.
    """

    name = "bohachevsky3"
    title = "Bohachevsky 3"
    formula = "x1^2 + 2 x2^2 - 0.3 cos(3 pi x1 + 4 pi x2) + 0.3"
    reference = SFU + "Bohachevsky Functions (third)"

    def _f(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        return x1 * x1 + 2.0 * x2 * x2 - 0.3 * K.cos(3 * PI * x1 + 4 * PI * x2) + 0.3

    def _grad(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        s = 0.3 * PI * np.sin(3 * PI * x1 + 4 * PI * x2)
        return np.stack([2.0 * x1 + 3.0 * s, 4.0 * x2 + 4.0 * s], axis=-1)

    def _hessp(self, x, v):  # H = diag(2, 4) + 0.3 pi^2 cos(3 pi x1 + 4 pi x2) (3, 4)(3, 4)^T
        v1, v2 = v[..., 0], v[..., 1]
        q = 0.3 * PI * PI * np.cos(3 * PI * x[..., 0] + 4 * PI * x[..., 1]) * (3.0 * v1 + 4.0 * v2)
        return np.stack([2.0 * v1 + 3.0 * q, 4.0 * v2 + 4.0 * q], axis=-1)


@register
class Perm0(TestFunction):
    r"""Perm function 0, d, beta (beta = 10).

    .. math:: f(x) = \sum_{i=1}^n \left(\sum_{j=1}^n (j + \beta)
              \left(x_j^i - \frac{1}{j^i}\right)\right)^2

    Domain ``[-n, n]^n``; ``f* = 0`` at ``(1, 1/2, ..., 1/n)``.

    Derivatives: a sum of squares of ``r_i = sum_j (j + beta)(x_j^i - j^-i)``,
    so ``grad f = 2 J^T r`` and ``H v = 2 J^T (J v) + 2 sum_i r_i D_i v`` with
    ``J_ij = (j + beta) i x_j^(i-1)`` and the diagonal
    ``(D_i)_jj = (j + beta) i (i-1) x_j^(i-2)`` (0 for ``i = 1``).
    """

    name = "perm0"
    title = "Perm 0, d, beta"
    default_dim = 2
    dim_range = (1, 20)
    tags = ("sfu", "bowl")
    formula = "sum_i (sum_j (j + 10) (x_j^i - j^-i))^2"
    reference = SFU + "Perm Function 0, d, beta (beta = 10)"
    beta = 10.0

    def _bounds(self):
        return (-float(self.n), float(self.n))

    def _f(self, x):
        j = np.arange(1.0, self.n + 1.0)
        i = j[:, None]
        inner = anp.sum((j + self.beta) * (x[..., None, :] ** i - j ** (-i)), axis=-1)
        return anp.sum(inner * inner, axis=-1)

    analytic_grad = True

    def _grad(self, x):  # 2 sum_i inner_i (j + beta) i x_j^(i-1)
        j = np.arange(1.0, self.n + 1.0)
        i = j[:, None]
        xi = x[..., None, :]
        inner = ((j + self.beta) * (xi ** i - j ** (-i))).sum(-1)
        return 2.0 * np.einsum("...i,...ij->...j", inner, (j + self.beta) * i * xi ** (i - 1.0))

    def _hessp(self, x, v):
        j = np.arange(1.0, self.n + 1.0)
        i = j[:, None]
        xi = x[..., None, :]
        inner = ((j + self.beta) * (xi ** i - j ** (-i))).sum(-1)
        jac = (j + self.beta) * i * xi ** (i - 1.0)
        # row i = 1 is 0: exponent clipped at 0 so that x_j = 0 gives 0 * 1, not 0 * inf
        d2 = (j + self.beta) * (i * (i - 1.0)) * xi ** np.maximum(i - 2.0, 0.0)
        jv = np.einsum("...ij,...j->...i", jac, v)
        return 2.0 * (np.einsum("...ij,...i->...j", jac, jv)
                      + np.einsum("...i,...ij->...j", inner, d2) * v)

    def _x_opt(self):
        return [1.0 / np.arange(1.0, self.n + 1.0)]


@register
class SphereFunction(TestFunction):
    r"""Sphere function.

    .. math:: f(x) = \sum_{i=1}^n x_i^2

    Domain ``[-5.12, 5.12]^n``; ``f* = 0`` at 0.
    """

    name = "sphere"
    title = "Sphere"
    default_dim = 2
    tags = ("sfu", "bowl", "convex", "unimodal", "separable")
    formula = "sum_i x_i^2"
    reference = SFU + "Sphere Function"
    domain = (-5.12, 5.12)

    def _f(self, x):
        return K.rowsum(x * x)

    def _grad(self, x):
        return 2.0 * x

    def _hessp(self, x, v):
        return 2.0 * v


@register
class SumOfDifferentPowers(TestFunction):
    r"""Sum of different powers.

    .. math:: f(x) = \sum_{i=1}^n |x_i|^{i+1}

    Domain ``[-1, 1]^n``; ``f* = 0`` at 0.
    """

    name = "sum_of_different_powers"
    title = "Sum of different powers"
    default_dim = 2
    tags = ("sfu", "bowl", "convex", "unimodal", "separable")
    formula = "sum_i |x_i|^(i+1)"
    reference = SFU + "Sum of Different Powers Function"
    domain = (-1.0, 1.0)

    def _f(self, x):
        p = np.arange(2.0, self.n + 2.0)
        return anp.sum(anp.abs(x) ** p, axis=-1)

    def _grad(self, x):  # p |x|^{p-1} sign(x), p = i + 1 >= 2 (C^1 everywhere)
        p = np.arange(2.0, self.n + 2.0)
        return p * np.abs(x) ** (p - 1.0) * np.sign(x)

    def _hessp(self, x, v):
        p = np.arange(2.0, self.n + 2.0)
        return p * (p - 1.0) * np.abs(x) ** (p - 2.0) * v


@register
class SumSquares(TestFunction):
    r"""Sum squares function.

    .. math:: f(x) = \sum_{i=1}^n i x_i^2

    Domain ``[-10, 10]^n``; ``f* = 0`` at 0.
    """

    name = "sum_squares"
    title = "Sum squares"
    default_dim = 2
    tags = ("sfu", "bowl", "convex", "unimodal", "separable")
    formula = "sum_i i x_i^2"
    reference = SFU + "Sum Squares Function"
    domain = (-10.0, 10.0)

    def _f(self, x):
        return anp.sum(np.arange(1.0, self.n + 1.0) * x * x, axis=-1)

    def _grad(self, x):
        return 2.0 * np.arange(1.0, self.n + 1.0) * x

    def _hessp(self, x, v):
        return 2.0 * np.arange(1.0, self.n + 1.0) * v


@register
class Trid(TestFunction):
    r"""Trid function.

    .. math:: f(x) = \sum_{i=1}^n (x_i - 1)^2 - \sum_{i=2}^n x_i x_{i-1}

    Domain ``[-n^2, n^2]^n``; ``f* = -n(n+4)(n-1)/6`` at ``x_i = i(n+1-i)``
    (SFU prints -50 for n = 6, matching, and -200 for n = 10, which
    contradicts its own minimizer: the value there is -210).
    """

    name = "trid"
    title = "Trid"
    default_dim = 2
    tags = ("sfu", "bowl", "convex", "unimodal")
    formula = "sum_i (x_i - 1)^2 - sum_{i>=2} x_i x_{i-1}"
    reference = SFU + "Trid Function"

    def _bounds(self):
        return (-float(self.n) ** 2, float(self.n) ** 2)

    def _f(self, x):
        return anp.sum((x - 1.0) ** 2, axis=-1) - anp.sum(x[..., 1:] * x[..., :-1], axis=-1)

    def _grad(self, x):
        g = 2.0 * (x - 1.0)
        g[..., 1:] -= x[..., :-1]
        g[..., :-1] -= x[..., 1:]
        return g

    def _hessp(self, x, v):
        hv = 2.0 * np.broadcast_to(v, np.broadcast_shapes(x.shape, v.shape)).copy()
        hv[..., 1:] -= v[..., :-1]
        hv[..., :-1] -= v[..., 1:]
        return hv

    x0_note = "library choice: the origin"

    def _x0(self):
        return np.zeros(self.n)

    def _x_opt(self):
        i = np.arange(1.0, self.n + 1.0)
        return [i * (self.n + 1 - i)]

    def _f_opt(self):
        n = self.n
        return -n * (n + 4) * (n - 1) / 6.0
