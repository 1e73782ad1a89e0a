"""SFU plate-shaped functions: Booth, McCormick, Zakharov and Power Sum.

Sources: ``cgdopt.testfunctions._references``.
"""
from __future__ import annotations

import itertools

import autograd.numpy as anp
import numpy as np

from ._base import TestFunction
from ._references import SFU
from ._registry import register

PI = np.pi


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
class PowerSum(TestFunction):
    r"""Power Sum function, n = 4, b = (8, 18, 44, 114).

    .. math:: f(x) = \sum_{i=1}^4 \Big(\sum_{j=1}^4 x_j^i - b_i\Big)^2

    Domain ``[0, 4]^4``; ``f* = 0`` exactly at the 12 permutations of
    ``(1, 2, 2, 3)`` (power sums 8, 18, 44, 114 determine the multiset).

    Derivatives: with ``r_i = sum_j x_j^i - b_i``, ``grad f = 2 J^T r`` and
    ``H v = 2 J^T (J v) + 2 (sum_i r_i i (i-1) x^(i-2)) * v`` (elementwise),
    ``J_ij = i x_j^(i-1)``.
    """

    name = "power_sum"
    title = "Power Sum"
    dim = 4
    tags = ("sfu", "plate")
    formula = "sum_{i=1}^4 (sum_j x_j^i - b_i)^2, b = (8, 18, 44, 114)"
    reference = SFU + "Power Sum Function"
    domain = (0.0, 4.0)
    analytic_grad = True
    b = np.array([8.0, 18.0, 44.0, 114.0])
    _i = np.arange(1.0, 5.0)[:, None]

    def _f(self, x):
        r = anp.sum(x[..., None, :] ** self._i, axis=-1) - self.b
        return anp.sum(r * r, axis=-1)

    def _grad(self, x):
        xi = x[..., None, :]
        r = (xi ** self._i).sum(-1) - self.b
        return 2.0 * np.einsum("...i,...ij->...j", r, self._i * xi ** (self._i - 1.0))

    def _hessp(self, x, v):
        i, xi = self._i, x[..., None, :]
        r = (xi ** i).sum(-1) - self.b
        jac = i * xi ** (i - 1.0)
        d2 = (i * (i - 1.0)) * xi ** np.maximum(i - 2.0, 0.0)  # row i = 1 is 0 (also at x = 0)
        jv = np.einsum("...ij,...j->...i", jac, v)
        return 2.0 * (np.einsum("...ij,...i->...j", jac, jv)
                      + np.einsum("...i,...ij->...j", r, d2) * v)

    def _x_opt(self):
        return sorted(set(itertools.permutations([1.0, 2.0, 2.0, 3.0])))
