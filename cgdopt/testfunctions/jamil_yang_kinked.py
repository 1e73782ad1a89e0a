"""Classic kinked functions outside the SFU library, as catalogued by Jamil & Yang (2013).

M. Jamil, X.-S. Yang, "A literature survey of benchmark functions for global
optimization problems", Int. J. Math. Model. Numer. Optim. 4(2) (2013) 150-194
(JY, function numbers given per class). Schwefel 2.21 and 2.22, Salomon and
Alpine 1.

Non-smooth functions (``nonsmooth`` tag) return a documented element of the
Clarke subdifferential as their "gradient", with ``sign(0) = 0``, and the
Hessian of the smooth piece they are on (0 where that is a kink).
"""
from __future__ import annotations

import autograd.numpy as anp
import numpy as np

from . import _kernels as K
from ._base import TestFunction
from ._references import JY
from ._registry import register

PI = np.pi


@register
class Schwefel221(TestFunction):
    r"""Schwefel 2.21 function (JY 124), non-smooth.

    .. math:: f(x) = \max_i |x_i|

    Domain ``[-100, 100]^n``; ``f* = 0`` at 0.  Gradient choice:
    ``sign(x_k) e_k`` with ``k`` the *first* index of the largest ``|x_i|``
    (a subgradient; exact wherever the maximum is unique and non-zero), and
    0 at the origin; the Hessian is 0.
    """

    name = "schwefel_2_21"
    title = "Schwefel 2.21 (max)"
    default_dim = 2
    tags = ("convex", "unimodal", "nonsmooth")
    formula = "max_i |x_i|"
    reference = JY + "f124 (Schwefel 2.21)"
    source = "Jamil & Yang"
    domain = (-100.0, 100.0)
    smooth_at_opt = False

    def _f(self, x):
        return anp.max(anp.abs(x), axis=-1)

    def _grad(self, x):
        k = np.argmax(np.abs(x), axis=-1)
        g = np.zeros(x.shape)
        np.put_along_axis(g, k[..., None], np.take_along_axis(np.sign(x), k[..., None], -1), -1)
        return g

    def _hessp(self, x, v):
        return np.zeros(np.broadcast_shapes(x.shape, v.shape))


@register
class Schwefel222(TestFunction):
    r"""Schwefel 2.22 function (JY 125), non-smooth.

    .. math:: f(x) = \sum_i |x_i| + \prod_i |x_i|

    Domain ``[-100, 100]^n``; ``f* = 0`` at 0.  Gradient choice:
    ``sign(x_i) (1 + prod_{j != i} |x_j|)`` with ``sign(0) = 0`` (exact
    off the coordinate hyperplanes); the Hessian-vector product is that of
    the product term on the current orthant (no division by ``x_i``).
    """

    name = "schwefel_2_22"
    title = "Schwefel 2.22"
    default_dim = 2
    tags = ("unimodal", "nonsmooth")  # not convex: prod |x_i| is not
    formula = "sum_i |x_i| + prod_i |x_i|"
    reference = JY + "f125 (Schwefel 2.22)"
    source = "Jamil & Yang"
    domain = (-100.0, 100.0)
    smooth_at_opt = False

    def _f(self, x):
        a = anp.abs(x)
        return anp.sum(a, axis=-1) + anp.prod(a, axis=-1)

    def _grad(self, x):
        return np.sign(x) * (1.0 + K.prod_excl(np.abs(x)))

    def _hessp(self, x, v):
        s = np.sign(x)
        return s * K.prod_excl_jvp(np.abs(x), s * v)


@register
class Salomon(TestFunction):
    r"""Salomon function (JY 110), non-smooth at 0.

    .. math:: f(x) = 1 - \cos(2\pi \|x\|) + 0.1 \|x\|

    Domain ``[-100, 100]^n``; ``f* = 0`` at 0.  Gradient
    ``(2 pi sin(2 pi r) + 0.1) x / r``, ``r = |x|``; at 0 (a kink of ``0.1 r``)
    the subgradient 0 is returned.
    """

    name = "salomon"
    title = "Salomon"
    default_dim = 2
    tags = ("multimodal", "many-local-minima", "nonsmooth")
    formula = "1 - cos(2 pi |x|) + 0.1 |x|"
    reference = JY + "f110 (Salomon)"
    source = "Jamil & Yang"
    domain = (-100.0, 100.0)
    smooth_at_opt = False

    def _f(self, x):
        r = anp.sqrt(anp.sum(x * x, axis=-1))
        return 1.0 - anp.cos(2 * PI * r) + 0.1 * r

    def _grad(self, x):
        r = np.sqrt(K.rowsum(x * x))
        rs = np.where(r > 0, r, 1.0)
        k = np.where(r > 0, (2 * PI * np.sin(2 * PI * r) + 0.1) / rs, 0.0)
        return k[..., None] * x

    def _hessp(self, x, v):  # d/dx [k(r) x] = k v + k'(r) x (x.v)/r
        r = np.sqrt(K.rowsum(x * x))
        rs = np.where(r > 0, r, 1.0)
        h = 2 * PI * np.sin(2 * PI * r) + 0.1
        k = np.where(r > 0, h / rs, 0.0)
        dk = np.where(r > 0, (4 * PI * PI * np.cos(2 * PI * r) / rs - h / (rs * rs)) / rs, 0.0)
        return k[..., None] * v + (dk * K.rowsum(x * v))[..., None] * x


@register
class Alpine1(TestFunction):
    r"""Alpine function N. 1 (JY 6), non-smooth.

    .. math:: f(x) = \sum_i |x_i \sin x_i + 0.1 x_i|

    Domain ``[-10, 10]^n``; ``f* = 0`` at 0 (and wherever every term
    vanishes, e.g. ``sin x_i = -0.1``; those are global minimizers too).
    Gradient choice: ``sign(u_i) u_i'`` with ``u_i = x_i sin x_i + 0.1 x_i``
    and ``sign(0) = 0``.
    """

    name = "alpine1"
    title = "Alpine N. 1"
    default_dim = 2
    tags = ("separable", "multimodal", "nonsmooth")
    formula = "sum_i |x_i sin(x_i) + 0.1 x_i|"
    reference = JY + "f6 (Alpine 1)"
    source = "Jamil & Yang"
    domain = (-10.0, 10.0)
    smooth_at_opt = False
    x_opt_complete = False
    x_opt_note = "also every x with x_i = 0 or sin x_i = -0.1 in each coordinate (not listed)"

    def _f(self, x):
        return anp.sum(anp.abs(x * anp.sin(x) + 0.1 * x), axis=-1)

    def _grad(self, x):
        s, c = np.sin(x), np.cos(x)
        return np.sign(x * s + 0.1 * x) * (s + x * c + 0.1)

    def _hessp(self, x, v):
        s, c = np.sin(x), np.cos(x)
        return np.sign(x * s + 0.1 * x) * (2.0 * c - x * s) * v
