"""SFU bowl-, plate- and valley-shaped functions.

Definitions, usual domains and optima follow Surjanovic & Bingham, Virtual
Library of Simulation Experiments (SFU),
https://www.sfu.ca/~ssurjano/optimization.html (page named in each
``reference``).
"""
from __future__ import annotations

import autograd.numpy as anp
import numpy as np

from . import _kernels as K
from ._base import TestFunction
from ._registry import register

PI = np.pi
SFU = "Surjanovic & Bingham, Virtual Library of Simulation Experiments (SFU), "


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


@register
class Booth(TestFunction):
    r"""Booth function.

    .. math:: f(x) = (x_1 + 2x_2 - 7)^2 + (2x_1 + x_2 - 5)^2

    Domain ``[-10, 10]^2``; ``f* = 0`` at ``(1, 3)``.
    """

    name = "booth"
    title = "Booth"
    dim = 2
    tags = ("sfu", "plate", "convex", "unimodal")
    formula = "(x1 + 2 x2 - 7)^2 + (2 x1 + x2 - 5)^2"
    reference = SFU + "Booth Function"
    domain = (-10.0, 10.0)

    def _f(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        return (x1 + 2 * x2 - 7.0) ** 2 + (2 * x1 + x2 - 5.0) ** 2

    def _grad(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        a, b = x1 + 2 * x2 - 7.0, 2 * x1 + x2 - 5.0
        return np.stack([2.0 * a + 4.0 * b, 4.0 * a + 2.0 * b], axis=-1)

    def _hessp(self, x, v):
        v1, v2 = v[..., 0], v[..., 1]
        return np.broadcast_to(np.stack([10.0 * v1 + 8.0 * v2, 8.0 * v1 + 10.0 * v2], axis=-1),
                               np.broadcast_shapes(x.shape, v.shape)).copy()

    def _x_opt(self):
        return [[1.0, 3.0]]


@register
class McCormick(TestFunction):
    r"""McCormick function.

    .. math:: f(x) = \sin(x_1 + x_2) + (x_1 - x_2)^2 - 1.5x_1 + 2.5x_2 + 1

    Domain ``x1 in [-1.5, 4], x2 in [-3, 4]``.  Stationarity gives
    ``x1 - x2 = 1`` and ``cos(x1 + x2) = -1/2``; the global minimizer in the
    domain is ``x1 + x2 = -2 pi / 3``, i.e. ``((1 - 2pi/3)/2, (-1 - 2pi/3)/2)
    = (-0.54719, -1.54719)`` with ``f* = -pi/3 - sqrt(3)/2 = -1.9132``.

    Hessian: ``-sin(x1 + x2) [[1, 1], [1, 1]] + 2 [[1, -1], [-1, 1]]``.
    """

    name = "mccormick"
    title = "McCormick"
    dim = 2
    tags = ("sfu", "plate", "multimodal")
    formula = "sin(x1 + x2) + (x1 - x2)^2 - 1.5 x1 + 2.5 x2 + 1"
    reference = SFU + "McCormick Function"
    f_opt_published = "-1.9133"

    def _bounds(self):
        return [[-1.5, 4.0], [-3.0, 4.0]]

    def _f(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        return anp.sin(x1 + x2) + (x1 - x2) ** 2 - 1.5 * x1 + 2.5 * x2 + 1.0

    analytic_grad = True

    def _grad(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        c, d = np.cos(x1 + x2), 2.0 * (x1 - x2)
        return np.stack([c + d - 1.5, c - d + 2.5], axis=-1)

    def _hessp(self, x, v):
        a = -np.sin(x[..., 0] + x[..., 1]) * (v[..., 0] + v[..., 1])
        b = 2.0 * (v[..., 0] - v[..., 1])
        return np.stack([a + b, a - b], axis=-1)

    def _x_opt(self):
        s = -2.0 * PI / 3.0
        return [[(s + 1.0) / 2.0, (s - 1.0) / 2.0]]

    def _f_opt(self):
        return -PI / 3.0 - np.sqrt(3.0) / 2.0


@register
class Zakharov(TestFunction):
    r"""Zakharov function.

    .. math:: f(x) = \sum x_i^2 + \left(\sum 0.5 i x_i\right)^2 + \left(\sum 0.5 i x_i\right)^4

    Domain ``[-5, 10]^n``; ``f* = 0`` at 0.
    """

    name = "zakharov"
    title = "Zakharov"
    default_dim = 2
    tags = ("sfu", "plate", "convex", "unimodal")
    formula = "sum x_i^2 + (sum 0.5 i x_i)^2 + (sum 0.5 i x_i)^4"
    reference = SFU + "Zakharov Function"
    domain = (-5.0, 10.0)

    def _f(self, x):
        s = anp.sum(0.5 * np.arange(1.0, self.n + 1.0) * x, axis=-1)
        s2 = s * s
        return anp.sum(x * x, axis=-1) + s2 + s2 * s2

    # s = sum_i (i/2) x_i:  grad = 2x + (2s + 4s^3) w,  H v = 2v + (2 + 12 s^2)(w.v) w,  w_i = i/2
    def _grad(self, x):
        w = 0.5 * np.arange(1.0, self.n + 1.0)
        s = (w * x).sum(axis=-1)[..., None]
        return 2.0 * x + (2.0 * s + 4.0 * s * s * s) * w

    def _hessp(self, x, v):
        w = 0.5 * np.arange(1.0, self.n + 1.0)
        s = (w * x).sum(axis=-1)[..., None]
        return 2.0 * v + (2.0 + 12.0 * s * s) * (w * v).sum(axis=-1)[..., None] * w


@register
class ThreeHumpCamel(TestFunction):
    r"""Three-hump camel function.

    .. math:: f(x) = 2x_1^2 - 1.05x_1^4 + x_1^6/6 + x_1x_2 + x_2^2

    Domain ``[-5, 5]^2``; ``f* = 0`` at 0.
    """

    name = "three_hump_camel"
    title = "Three-hump camel"
    dim = 2
    tags = ("sfu", "valley", "multimodal")
    formula = "2 x1^2 - 1.05 x1^4 + x1^6/6 + x1 x2 + x2^2"
    reference = SFU + "Three-Hump Camel Function"
    domain = (-5.0, 5.0)

    def _f(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        a = x1 * x1
        return 2.0 * a - 1.05 * a * a + a * a * a / 6.0 + x1 * x2 + x2 * x2

    def _grad(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        a = x1 * x1
        return np.stack([x1 * (4.0 - 4.2 * a + a * a) + x2, x1 + 2.0 * x2], axis=-1)

    def _hessp(self, x, v):
        a = x[..., 0] ** 2
        v1, v2 = v[..., 0], v[..., 1]
        return np.stack([(4.0 - 12.6 * a + 5.0 * a * a) * v1 + v2, v1 + 2.0 * v2], axis=-1)


@register
class SixHumpCamel(TestFunction):
    r"""Six-hump camel function.

    .. math:: f(x) = (4 - 2.1x_1^2 + x_1^4/3)x_1^2 + x_1x_2 + (-4 + 4x_2^2)x_2^2

    Domain ``x1 in [-3, 3], x2 in [-2, 2]``; two minimizers
    ``+-(0.0898, -0.7126)``, ``f* = -1.0316`` (SFU).
    """

    name = "six_hump_camel"
    title = "Six-hump camel"
    dim = 2
    tags = ("sfu", "valley", "multimodal")
    formula = "(4 - 2.1 x1^2 + x1^4/3) x1^2 + x1 x2 + (-4 + 4 x2^2) x2^2"
    reference = SFU + "Six-Hump Camel Function"
    x_opt_approximate = True
    f_opt_published = "-1.0316"
    _x = (0.08984201310031806, -0.7126564030207396)

    def _bounds(self):
        return [[-3.0, 3.0], [-2.0, 2.0]]

    def _f(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        a, b = x1 * x1, x2 * x2
        return (4.0 - 2.1 * a + a * a / 3.0) * a + x1 * x2 + (-4.0 + 4.0 * b) * b

    def _grad(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        a = x1 * x1
        return np.stack([x1 * (8.0 - 8.4 * a + 2.0 * a * a) + x2,
                         x1 - 8.0 * x2 + 16.0 * x2 * x2 * x2], axis=-1)

    def _hessp(self, x, v):
        x1, x2 = x[..., 0], x[..., 1]
        a = x1 * x1
        v1, v2 = v[..., 0], v[..., 1]
        return np.stack([(8.0 - 25.2 * a + 10.0 * a * a) * v1 + v2,
                         v1 + (-8.0 + 48.0 * x2 * x2) * v2], axis=-1)

    def _x_opt(self):
        a, b = self._x
        return [[a, b], [-a, -b]]

    def _f_opt(self):
        return self._f(np.array(self._x))


@register
class DixonPrice(TestFunction):
    r"""Dixon-Price function.

    .. math:: f(x) = (x_1 - 1)^2 + \sum_{i=2}^n i(2x_i^2 - x_{i-1})^2

    Domain ``[-10, 10]^n``; ``f* = 0`` at ``x_i = 2^{-(2^i - 2)/2^i}``.  The
    last coordinate may also be negated (``x_n`` enters only through
    ``x_n^2``), so for ``n >= 2`` there are two global minimizers.
    """

    name = "dixon_price"
    title = "Dixon-Price"
    default_dim = 2
    tags = ("sfu", "valley")
    formula = "(x1 - 1)^2 + sum_{i>=2} i (2 x_i^2 - x_{i-1})^2"
    reference = SFU + "Dixon-Price Function"
    domain = (-10.0, 10.0)
    x_opt_note = "for n >= 2 the sign of x_n is free (two minimizers)"

    def _f(self, x):
        i = np.arange(2.0, self.n + 1.0)
        return (x[..., 0] - 1.0) ** 2 + anp.sum(
            i * (2.0 * x[..., 1:] ** 2 - x[..., :-1]) ** 2, axis=-1)

    # terms i u_i^2, u_i = 2 x_i^2 - x_{i-1}:  grad u_i = 4 x_i e_i - e_{i-1}, Hess u_i = 4 e_i e_i^T
    def _grad(self, x):
        i = np.arange(2.0, self.n + 1.0)
        u = 2.0 * x[..., 1:] ** 2 - x[..., :-1]
        g = np.zeros(x.shape)
        g[..., 0] = 2.0 * (x[..., 0] - 1.0)
        g[..., 1:] += 8.0 * i * u * x[..., 1:]
        g[..., :-1] -= 2.0 * i * u
        return g

    def _hessp(self, x, v):
        i = np.arange(2.0, self.n + 1.0)
        xb = x[..., 1:]
        u = 2.0 * xb * xb - x[..., :-1]
        d = 4.0 * xb * v[..., 1:] - v[..., :-1]
        hv = np.zeros(np.broadcast_shapes(x.shape, v.shape))
        hv[..., 0] = 2.0 * v[..., 0]
        hv[..., 1:] += 2.0 * i * (4.0 * xb * d + 4.0 * u * v[..., 1:])
        hv[..., :-1] -= 2.0 * i * d
        return hv

    def _x_opt(self):
        i = np.arange(1.0, self.n + 1.0)
        x = 2.0 ** (-(2.0 ** i - 2.0) / 2.0 ** i)
        if self.n == 1:
            return [x]
        y = x.copy()
        y[-1] = -y[-1]
        return [x, y]


@register
class Rosenbrock(TestFunction):
    r"""Rosenbrock function (chained form).

    .. math:: f(x) = \sum_{i=1}^{n-1} [100(x_{i+1} - x_i^2)^2 + (x_i - 1)^2]

    Domain ``[-5, 10]^n``; ``f* = 0`` at ``(1, ..., 1)``.  For ``n = 2`` this is
    problem 1 of Moré, Garbow & Hillstrom (1981), whose start ``(-1.2, 1)``
    is used, repeated: ``x0 = (-1.2, 1, -1.2, 1, ...)``.  (For ``4 <= n <= 7``
    there is also a local minimizer near ``(-1, 1, ..., 1)``.)
    """

    name = "rosenbrock"
    title = "Rosenbrock"
    default_dim = 2
    dim_range = (2, None)
    tags = ("sfu", "valley")
    formula = "sum_{i<n} 100 (x_{i+1} - x_i^2)^2 + (x_i - 1)^2"
    reference = (SFU + "Rosenbrock Function; More, Garbow & Hillstrom, ACM TOMS 7 "
                 "(1981) 17-41, problem 1")
    domain = (-5.0, 10.0)
    x0_note = "(-1.2, 1, -1.2, 1, ...): MGH problem 1 start, repeated"

    def _f(self, x):
        a, b = x[..., :-1], x[..., 1:]
        t = b - a * a
        c = a - 1.0
        return K.rowsum(100.0 * t * t + c * c)

    def _grad(self, x):
        a, b = x[..., :-1], x[..., 1:]
        t = b - a * a
        g = np.zeros(x.shape)
        g[..., :-1] = -400.0 * a * t + 2.0 * (a - 1.0)
        g[..., 1:] += 200.0 * t
        return g

    def _hessp(self, x, v):
        a, b = x[..., :-1], x[..., 1:]
        va, vb = v[..., :-1], v[..., 1:]
        hv = np.zeros(np.broadcast_shapes(x.shape, v.shape))
        hv[..., :-1] = (1200.0 * a * a - 400.0 * b + 2.0) * va - 400.0 * a * vb
        hv[..., 1:] += 200.0 * vb - 400.0 * a * va
        return hv

    def _x0(self):
        x = np.ones(self.n)
        x[0::2] = -1.2
        return x

    def _x_opt(self):
        return np.ones((1, self.n))
