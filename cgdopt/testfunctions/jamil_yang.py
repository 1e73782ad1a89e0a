"""Classic smooth functions outside the SFU library, as catalogued by Jamil & Yang (2013).

M. Jamil, X.-S. Yang, "A literature survey of benchmark functions for global
optimization problems", Int. J. Math. Model. Numer. Optim. 4(2) (2013) 150-194
(JY, function numbers given per class). Himmelblau, Schwefel 1.2, Qing,
Trefethen 4 and Weierstrass; the kinked ones (Schwefel 2.21 and 2.22, Salomon,
Alpine 1) are in :mod:`.jamil_yang_kinked`.
"""
from __future__ import annotations

import itertools

import autograd.numpy as anp
import numpy as np

from ._base import TestFunction
from ._references import JY
from ._registry import register

PI = np.pi


@register
class Himmelblau(TestFunction):
    r"""Himmelblau function.

    .. math:: f(x) = (x_1^2 + x_2 - 11)^2 + (x_1 + x_2^2 - 7)^2

    Domain ``[-5, 5]^2``; four global minimizers with ``f* = 0``: ``(3, 2)``
    exactly and three irrational ones (refined by Newton steps); a local
    maximum near ``(-0.2708, -0.9230)`` and four saddle points (``x_saddle``).

    Hessian, with ``a = x1^2 + x2 - 11`` and ``b = x1 + x2^2 - 7``:
    ``[[4a + 8 x1^2 + 2, 4 (x1 + x2)], [4 (x1 + x2), 4b + 8 x2^2 + 2]]``.
    """

    name = "himmelblau"
    title = "Himmelblau"
    dim = 2
    tags = ("multimodal", "valley")
    formula = "(x1^2 + x2 - 11)^2 + (x1 + x2^2 - 7)^2"
    reference = (JY + "not listed there; D. M. Himmelblau, Applied Nonlinear Programming "
                 "(1972); minimizers and saddles refined numerically")
    source = "Himmelblau (1972)"
    domain = (-5.0, 5.0)
    analytic_grad = True
    x_opt_approximate = True
    f_opt_atol = 1e-26

    def _f(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        a, b = x1 * x1 + x2 - 11.0, x1 + x2 * x2 - 7.0
        return a * a + b * b

    def _grad(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        a, b = x1 * x1 + x2 - 11.0, x1 + x2 * x2 - 7.0
        return np.stack([4.0 * x1 * a + 2.0 * b, 2.0 * a + 4.0 * x2 * b], axis=-1)

    def _hessp(self, x, v):
        x1, x2 = x[..., 0], x[..., 1]
        v1, v2 = v[..., 0], v[..., 1]
        h12 = 4.0 * (x1 + x2)
        return np.stack([(4.0 * (x1 * x1 + x2 - 11.0) + 8.0 * x1 * x1 + 2.0) * v1 + h12 * v2,
                         h12 * v1 + (4.0 * (x1 + x2 * x2 - 7.0) + 8.0 * x2 * x2 + 2.0) * v2],
                        axis=-1)

    def _x_opt(self):
        return [[3.0, 2.0], [-2.805118086952745, 3.131312518250573],
                [-3.779310253377747, -3.283185991286169], [3.5844283403304917, -1.8481265269644036]]

    def _x_saddle(self):
        return [[0.08667750455539634, 2.884254701174776], [3.385154183607021, 0.07385187983774928],
                [-3.0730257507643897, -0.08135304428796751],
                [-0.12796134673068005, -1.9537149802445766]]


@register
class Schwefel12(TestFunction):
    r"""Schwefel 1.2 function (double sum; JY 119).

    .. math:: f(x) = \sum_{i=1}^n \Big(\sum_{j=1}^i x_j\Big)^2

    Domain ``[-100, 100]^n``; ``f* = 0`` at 0.  Convex quadratic
    ``x^T L^T L x`` with ``L`` lower-triangular ones.
    """

    name = "schwefel_1_2"
    title = "Schwefel 1.2 (double sum)"
    default_dim = 2
    tags = ("convex", "unimodal", "bowl")
    formula = "sum_i (sum_{j<=i} x_j)^2"
    reference = JY + "f119 (Schwefel 1.2)"
    source = "Jamil & Yang"
    domain = (-100.0, 100.0)

    def _f(self, x):
        c = anp.cumsum(x, axis=-1)
        return anp.sum(c * c, axis=-1)

    def _grad(self, x):  # 2 L^T L x: reversed cumulative sums of the partial sums
        c = np.cumsum(x, axis=-1)
        return 2.0 * np.cumsum(c[..., ::-1], axis=-1)[..., ::-1]

    def _hessp(self, x, v):
        return self._grad(np.broadcast_to(v, np.broadcast_shapes(x.shape, v.shape)))


@register
class Qing(TestFunction):
    r"""Qing function (JY 98).

    .. math:: f(x) = \sum_{i=1}^n (x_i^2 - i)^2

    Domain ``[-500, 500]^n``; ``f* = 0`` at the ``2^n`` points
    ``x_i = +- sqrt(i)`` (all listed for ``n <= 10``).
    """

    name = "qing"
    title = "Qing"
    default_dim = 2
    tags = ("separable", "multimodal")
    formula = "sum_i (x_i^2 - i)^2"
    reference = JY + "f98 (Qing)"
    source = "Jamil & Yang"
    domain = (-500.0, 500.0)

    def __init__(self, n=None):
        super().__init__(n)
        self.x_opt_complete = self.n <= 10
        if not self.x_opt_complete:
            self.x_opt_note = "2^n minimizers x_i = +-sqrt(i); the positive one listed"

    def _f(self, x):
        t = x * x - np.arange(1.0, self.n + 1.0)
        return anp.sum(t * t, axis=-1)

    def _grad(self, x):
        return 4.0 * x * (x * x - np.arange(1.0, self.n + 1.0))

    def _hessp(self, x, v):
        return (12.0 * x * x - 4.0 * np.arange(1.0, self.n + 1.0)) * v

    def _x_opt(self):
        r = np.sqrt(np.arange(1.0, self.n + 1.0))
        if self.n > 10:
            return [r]
        return [r * np.array(s) for s in itertools.product([1.0, -1.0], repeat=self.n)]


@register
class Trefethen4(TestFunction):
    r"""Trefethen's function (problem 4 of the SIAM 100-digit challenge).

    .. math:: f(x) = e^{\sin 50 x_1} + \sin(60 e^{x_2}) + \sin(70 \sin x_1)
              + \sin(\sin 80 x_2) - \sin(10(x_1 + x_2)) + (x_1^2 + x_2^2)/4

    Domain ``[-6.5, 6.5] x [-4.5, 4.5]`` (JY); ``f* = -3.30686865`` at
    ``(-0.024403, 0.210612)``, refined by Newton steps (Trefethen: -3.306868647475237...).

    Hessian, with ``q = 100 sin(10 (x1 + x2))`` and ``w = 60 e^{x2}``:

    .. math:: H_{11} = 2500 e^{\sin 50 x_1}(\cos^2 50 x_1 - \sin 50 x_1)
              - 70 \sin x_1 \cos(70 \sin x_1) - 4900 \cos^2 x_1 \sin(70 \sin x_1) + q + 1/2

    .. math:: H_{22} = w \cos w - w^2 \sin w - 6400 \sin(80 x_2) \cos(\sin 80 x_2)
              - 6400 \cos^2(80 x_2) \sin(\sin 80 x_2) + q + 1/2, \quad H_{12} = q
    """

    name = "trefethen4"
    title = "Trefethen 4"
    dim = 2
    tags = ("multimodal", "many-local-minima")
    formula = ("exp(sin 50 x1) + sin(60 exp x2) + sin(70 sin x1) + sin(sin 80 x2) "
               "- sin(10 (x1 + x2)) + (x1^2 + x2^2)/4")
    reference = (JY + "f157 (Trefethen); L. N. Trefethen, SIAM News 35(1) (2002), "
                 "problem 4: f* = -3.30686864747523728...")
    source = "Jamil & Yang; Trefethen (2002)"
    f_opt_published = "-3.306868647475237"
    analytic_grad = True
    _x = [-0.024403079694375, 0.210612427155357]

    def _bounds(self):
        return [[-6.5, 6.5], [-4.5, 4.5]]

    def _f(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        return (anp.exp(anp.sin(50 * x1)) + anp.sin(60 * anp.exp(x2)) + anp.sin(70 * anp.sin(x1))
                + anp.sin(anp.sin(80 * x2)) - anp.sin(10 * (x1 + x2)) + 0.25 * (x1 * x1 + x2 * x2))

    def _grad(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        c = 10 * np.cos(10 * (x1 + x2))
        g1 = (50 * np.cos(50 * x1) * np.exp(np.sin(50 * x1))
              + 70 * np.cos(x1) * np.cos(70 * np.sin(x1)) - c + 0.5 * x1)
        g2 = (60 * np.exp(x2) * np.cos(60 * np.exp(x2))
              + 80 * np.cos(80 * x2) * np.cos(np.sin(80 * x2)) - c + 0.5 * x2)
        return np.stack([g1, g2], axis=-1)

    def _hessp(self, x, v):
        x1, x2 = x[..., 0], x[..., 1]
        q = 100 * np.sin(10 * (x1 + x2))
        s50, c50, s80, c80 = np.sin(50 * x1), np.cos(50 * x1), np.sin(80 * x2), np.cos(80 * x2)
        s1, c1 = np.sin(x1), np.cos(x1)
        with np.errstate(over="ignore"):  # w^2 overflows (true value too) once x2 > ~354
            w = 60 * np.exp(x2)
            hw = w * np.cos(w) - w * w * np.sin(w)
        h11 = (2500 * np.exp(s50) * (c50 * c50 - s50) - 70 * s1 * np.cos(70 * s1)
               - 4900 * c1 * c1 * np.sin(70 * s1) + q + 0.5)
        h22 = hw - 6400 * (s80 * np.cos(s80) + c80 * c80 * np.sin(s80)) + q + 0.5
        v1, v2 = v[..., 0], v[..., 1]
        return np.stack([h11 * v1 + q * v2, q * v1 + h22 * v2], axis=-1)

    def _x_opt(self):
        return [self._x]

    def _f_opt(self):
        return self._f(np.array(self._x))


@register
class Weierstrass(TestFunction):
    r"""Weierstrass function (JY 166), a = 0.5, b = 3, k_max = 20.

    .. math:: f(x) = \sum_{i=1}^n \sum_{k=0}^{20} a^k \cos(2\pi b^k (x_i + 0.5))
              - n \sum_{k=0}^{20} a^k \cos(\pi b^k)

    Domain ``[-0.5, 0.5]^n``; ``f* = 0`` at 0.  Smooth (a finite sum) but
    rough: ``|f'|`` reaches ``2 pi sum (ab)^k ~ 6e4``.  Since ``b^k`` is odd,
    ``cos(2 pi b^k (x + 1/2)) = -cos(2 pi b^k x)`` and ``cos(pi b^k) = -1``
    exactly, so the library evaluates the equal form
    ``sum_i sum_k a^k (1 - cos(2 pi b^k x_i))``: ``f(0) = 0`` and ``grad f(0) = 0``
    exactly (the literal form loses ~1e-6 in ``pi 3^20 ~ 1e10``).

    Derivatives, with the same truncation ``k <= 20`` and ``w_k = 2 pi b^k``:
    ``df/dx_i = sum_k a^k w_k sin(w_k x_i)`` and the diagonal Hessian
    ``d2f/dx_i^2 = sum_k a^k w_k^2 cos(w_k x_i)``.
    """

    name = "weierstrass"
    title = "Weierstrass"
    default_dim = 2
    tags = ("separable", "multimodal", "many-local-minima")
    formula = "sum_i sum_{k=0}^{20} a^k cos(2 pi b^k (x_i + 0.5)) - n sum_k a^k cos(pi b^k)"
    reference = JY + "f166 (Weierstrass), a = 0.5, b = 3, k_max = 20"
    source = "Jamil & Yang"
    domain = (-0.5, 0.5)
    analytic_grad = True
    _a = 0.5 ** np.arange(21.0)
    _w = 2 * PI * 3.0 ** np.arange(21.0)

    def _f(self, x):
        return anp.sum(anp.sum(self._a * (1.0 - anp.cos(self._w * x[..., None])), axis=-1),
                       axis=-1)

    _aw = _a * _w
    _aww = _a * _w * _w

    def _grad(self, x):
        return np.sum(self._aw * np.sin(self._w * x[..., None]), axis=-1)

    def _hessp(self, x, v):
        return np.sum(self._aww * np.cos(self._w * x[..., None]), axis=-1) * v
