"""The six functions of Appendix B of the CGD paper.

Definitions follow Appendix B exactly; domains, optima and tags follow the
Virtual Library of Simulation Experiments (Surjanovic & Bingham, SFU,
https://www.sfu.ca/~ssurjano/optimization.html), which the paper cites.  The
paper gives no starting points: every ``x0`` here is the library's choice.
"""
from __future__ import annotations

import numbers

import autograd.numpy as anp
import numpy as np

from . import _kernels as K
from ._base import TestFunction
from ._registry import register

PI = np.pi
SFU = "Surjanovic & Bingham, Virtual Library of Simulation Experiments (SFU), "
PAPER = "CGD paper, Appendix B; "


@register
class Quadratic(TestFunction):
    r"""Random convex quadratic of the CGD paper.

    .. math:: f(x) = \tfrac12 x^T A x - b^T x + c,\quad
              A = \tfrac12 (U + U^T) + n I_n,\ U \sim \mathcal U[0,1]^{n\times n},
              \ b = (1,\dots,n)^T,\ c = 0.5

    ``U`` is drawn with ``numpy.random.default_rng(seed).random((n, n))``
    (default ``seed=0``), so a given ``(n, seed)`` is reproducible.  ``A`` is
    symmetric and strictly diagonally dominant, hence positive definite; the
    unique minimizer is ``x* = A^{-1} b`` and ``f* = c - b^T x* / 2``.

    Parameters
    ----------
    n : int, optional
        Dimension, ``n >= 1`` (default 10).
    seed : int, optional
        Seed of ``numpy.random.default_rng`` (default 0).

    References
    ----------
    CGD paper, Appendix B.
    """

    name = "quadratic"
    title = "Quadratic (random, CGD paper)"
    default_dim = 10
    dim_range = (1, None)
    tags = ("paper", "convex", "unimodal", "bowl")
    formula = ("0.5 x^T A x - b^T x + c, A = (U + U^T)/2 + n I, U ~ U[0,1]^(n x n), "
               "b = (1..n), c = 0.5")
    reference = (PAPER + "U drawn by numpy.random.default_rng(seed).random((n, n)), "
                 "seed=0 by default")
    domain = (-10.0, 10.0)
    x0_note = "library choice: the origin"
    c = 0.5

    def __init__(self, n=None, seed=0):
        super().__init__(n)
        if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
            raise ValueError(f"quadratic: seed must be a non-negative integer, got {seed!r}")
        self.seed = int(seed)
        u = np.random.default_rng(self.seed).random((self.n, self.n))
        self.A = 0.5 * (u + u.T) + self.n * np.eye(self.n)
        self.b = np.arange(1.0, self.n + 1.0)
        self._xs = np.linalg.solve(self.A, self.b)

    def __repr__(self):
        return f"Quadratic(n={self.n}, seed={self.seed})"

    def _f(self, x):
        return 0.5 * anp.sum(anp.dot(x, self.A) * x, axis=-1) - anp.dot(x, self.b) + self.c

    def _grad(self, x):
        return x @ self.A - self.b

    def _hessp(self, x, v):
        return v @ self.A

    def _x0(self):
        return np.zeros(self.n)

    def _x_opt(self):
        return self._xs[None, :]

    def _f_opt(self):
        return self.c - 0.5 * float(self.b @ self._xs)


@register
class RotatedHyperEllipsoid(TestFunction):
    r"""Rotated hyper-ellipsoid.

    .. math:: f(x) = \sum_{i=1}^n \sum_{j=1}^i x_j^2 = \sum_{i=1}^n (n-i+1) x_i^2

    Domain ``[-65.536, 65.536]^n``; ``f* = 0`` at ``x = 0``.

    References
    ----------
    CGD paper, Appendix B; SFU library, "Rotated Hyper-Ellipsoid Function".
    """

    name = "rotated_hyper_ellipsoid"
    title = "Rotated hyper-ellipsoid"
    default_dim = 2
    tags = ("paper", "sfu", "convex", "unimodal", "bowl")
    formula = "sum_{i=1}^n sum_{j=1}^i x_j^2"
    reference = PAPER + SFU + "Rotated Hyper-Ellipsoid Function"
    domain = (-65.536, 65.536)

    def _f(self, x):
        w = np.arange(self.n, 0, -1, dtype=np.float64)
        return K.rowsum(w * x * x)

    def _grad(self, x):
        return 2.0 * np.arange(self.n, 0, -1, dtype=np.float64) * x

    def _hessp(self, x, v):
        return 2.0 * np.arange(self.n, 0, -1, dtype=np.float64) * v


@register
class Matyas(TestFunction):
    r"""Matyas function.

    .. math:: f(x) = 0.26 (x_1^2 + x_2^2) - 0.48 x_1 x_2

    Domain ``[-10, 10]^2``; ``f* = 0`` at ``(0, 0)``.

    References
    ----------
    CGD paper, Appendix B; SFU library, "Matyas Function".
    """

    name = "matyas"
    title = "Matyas"
    dim = 2
    tags = ("paper", "sfu", "convex", "unimodal", "plate")
    formula = "0.26 (x1^2 + x2^2) - 0.48 x1 x2"
    reference = PAPER + SFU + "Matyas Function"
    domain = (-10.0, 10.0)

    def _f(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        return 0.26 * (x1 * x1 + x2 * x2) - 0.48 * x1 * x2

    def _grad(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        return np.stack([0.52 * x1 - 0.48 * x2, 0.52 * x2 - 0.48 * x1], axis=-1)

    def _hessp(self, x, v):
        return self._grad(v)


@register
class Branin(TestFunction):
    r"""Branin (Branin-Hoo) function.

    .. math:: f(x) = \left(x_2 - \frac{5.1}{4\pi^2} x_1^2 + \frac{5}{\pi} x_1 - 6\right)^2
              + 10\left(1 - \frac{1}{8\pi}\right)\cos x_1 + 10

    Domain ``x1 in [-5, 10], x2 in [0, 15]``.  The three global minimizers
    ``(-pi, 12.275)``, ``(pi, 2.275)``, ``(3 pi, 2.475)`` make the square vanish
    and have ``cos x1 = -1``, so ``f* = 10 / (8 pi) = 5 / (4 pi) = 0.397887...``
    exactly.

    References
    ----------
    CGD paper, Appendix B; SFU library, "Branin Function".
    """

    name = "branin"
    title = "Branin"
    dim = 2
    tags = ("paper", "sfu", "multimodal")
    formula = "(x2 - 5.1/(4 pi^2) x1^2 + 5/pi x1 - 6)^2 + 10 (1 - 1/(8 pi)) cos x1 + 10"
    reference = PAPER + SFU + "Branin Function"

    def _bounds(self):
        return [[-5.0, 10.0], [0.0, 15.0]]

    def _f(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        t = x2 - (5.1 / (4.0 * PI ** 2)) * x1 * x1 + (5.0 / PI) * x1 - 6.0
        return t * t + 10.0 * (1.0 - 1.0 / (8.0 * PI)) * K.cos(x1) + 10.0

    _b, _c, _s = 5.1 / (4.0 * PI ** 2), 5.0 / PI, 10.0 * (1.0 - 1.0 / (8.0 * PI))

    def _grad(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        t = x2 - self._b * x1 * x1 + self._c * x1 - 6.0
        return np.stack([2.0 * t * (self._c - 2.0 * self._b * x1) - self._s * K.sin(x1),
                         2.0 * t], axis=-1)

    def _hessp(self, x, v):
        x1, x2 = x[..., 0], x[..., 1]
        t = x2 - self._b * x1 * x1 + self._c * x1 - 6.0
        dt = self._c - 2.0 * self._b * x1
        h11 = 2.0 * dt * dt - 4.0 * self._b * t - self._s * K.cos(x1)
        v1, v2 = v[..., 0], v[..., 1]
        return np.stack([h11 * v1 + 2.0 * dt * v2, 2.0 * dt * v1 + 2.0 * v2], axis=-1)

    def _x_opt(self):
        return [[-PI, 12.275], [PI, 2.275], [3.0 * PI, 2.475]]

    def _f_opt(self):
        return 5.0 / (4.0 * PI)


@register
class Levy(TestFunction):
    r"""Levy function.

    .. math:: w_i = 1 + \frac{x_i - 1}{4},\quad
              f(x) = \sin^2(\pi w_1) + \sum_{i=1}^{n-1} (w_i - 1)^2
              \left[1 + 10 \sin^2(\pi w_i + 1)\right]
              + (w_n - 1)^2 \left[1 + \sin^2(2\pi w_n)\right]

    Domain ``[-10, 10]^n``; ``f* = 0`` at ``(1, ..., 1)``.

    References
    ----------
    CGD paper, Appendix B; SFU library, "Levy Function".
    """

    name = "levy"
    title = "Levy"
    default_dim = 2
    tags = ("paper", "sfu", "multimodal", "many-local-minima")
    formula = ("w_i = 1 + (x_i - 1)/4; sin^2(pi w_1) "
               "+ sum_{i<n} (w_i - 1)^2 (1 + 10 sin^2(pi w_i + 1))"
               " + (w_n - 1)^2 (1 + sin^2(2 pi w_n))")
    reference = PAPER + SFU + "Levy Function"
    domain = (-10.0, 10.0)

    def _f(self, x):
        w = 1.0 + 0.25 * (x - 1.0)
        wm = w[..., :-1]
        wn = w[..., -1]
        a = wm - 1.0
        mid = K.rowsum(a * a * (1.0 + 10.0 * K.sin2(PI * wm + 1.0)))
        b = wn - 1.0
        return K.sin2(PI * w[..., 0]) + mid + b * b * (1.0 + K.sin2(2.0 * PI * wn))

    # Separable in w = 1 + (x - 1)/4: with A = 1 + 10 sin^2(pi w + 1), B = 1 + sin^2(2 pi w),
    # d/dw [(w-1)^2 A] = 2(w-1)A + (w-1)^2 A',  d2 = 2A + 4(w-1)A' + (w-1)^2 A'';  x-derivatives
    # carry factors 1/4 and 1/16.
    def _dw(self, x, order):
        w = 1.0 + 0.25 * (x - 1.0)
        a = w - 1.0
        out = np.zeros(x.shape)
        if order == 1:
            out[..., :-1] = a[..., :-1] * (2.0 * (1.0 + 10.0 * K.sin2(PI * w[..., :-1] + 1.0))
                                           + a[..., :-1] * 10.0 * PI * K.sin(2 * PI * w[..., :-1] + 2.0))
            an, wn = a[..., -1], w[..., -1]
            out[..., -1] += an * (2.0 * (1.0 + K.sin2(2 * PI * wn)) + an * 2 * PI * K.sin(4 * PI * wn))
            out[..., 0] += PI * K.sin(2 * PI * w[..., 0])
            return 0.25 * out
        am, wm = a[..., :-1], w[..., :-1]
        out[..., :-1] = (2.0 * (1.0 + 10.0 * K.sin2(PI * wm + 1.0))
                         + 40.0 * PI * am * K.sin(2 * PI * wm + 2.0)
                         + 20.0 * PI * PI * am * am * K.cos(2 * PI * wm + 2.0))
        an, wn = a[..., -1], w[..., -1]
        out[..., -1] += (2.0 * (1.0 + K.sin2(2 * PI * wn)) + 8.0 * PI * an * K.sin(4 * PI * wn)
                         + 8.0 * PI * PI * an * an * K.cos(4 * PI * wn))
        out[..., 0] += 2.0 * PI * PI * K.cos(2 * PI * w[..., 0])
        return out / 16.0

    def _grad(self, x):
        return self._dw(x, 1)

    def _hessp(self, x, v):
        return self._dw(x, 2) * v

    def _x_opt(self):
        return np.ones((1, self.n))


@register
class Griewank(TestFunction):
    r"""Griewank function.

    .. math:: f(x) = \sum_{i=1}^n \frac{x_i^2}{4000}
              - \prod_{i=1}^n \cos\left(\frac{x_i}{\sqrt i}\right) + 1

    Domain ``[-600, 600]^n``; ``f* = 0`` at ``x = 0``.

    References
    ----------
    CGD paper, Appendix B; SFU library, "Griewank Function".
    """

    name = "griewank"
    title = "Griewank"
    default_dim = 2
    tags = ("paper", "sfu", "multimodal", "many-local-minima")
    formula = "sum_i x_i^2 / 4000 - prod_i cos(x_i / sqrt(i)) + 1"
    reference = PAPER + SFU + "Griewank Function"
    domain = (-600.0, 600.0)

    def _f(self, x):
        s = 1.0 / np.sqrt(np.arange(1.0, self.n + 1.0))
        return K.rowsum(x * x) / 4000.0 - K.rowprod(K.cos(x * s)) + 1.0

    # grad_i = x_i/2000 + s_i sin(s_i x_i) prod_{j != i} cos(s_j x_j), s_i = 1/sqrt(i)
    def _grad(self, x):
        s = 1.0 / np.sqrt(np.arange(1.0, self.n + 1.0))
        sn, c = K.sincos(x * s)
        return x / 2000.0 + s * sn * K.prod_excl(c)

    def _hessp(self, x, v):
        s = 1.0 / np.sqrt(np.arange(1.0, self.n + 1.0))
        sn, c = K.sincos(x * s)
        return (v / 2000.0 + s * s * c * v * K.prod_excl(c)
                + s * sn * K.prod_excl_jvp(c, -s * sn * v))
