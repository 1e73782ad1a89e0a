"""SFU valley-shaped functions: Three-hump camel, Six-hump camel, Dixon-Price
and Rosenbrock.

Sources: ``cgdopt.testfunctions._references``.
"""
from __future__ import annotations

import autograd.numpy as anp
import numpy as np

from . import _kernels as K
from ._base import TestFunction
from .mgh_rosenbrock_powell import RosenbrockPoints
from ._references import SFU
from ._registry import register


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
class Rosenbrock(RosenbrockPoints, TestFunction):
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

