"""SFU functions with steep ridges or drops: Easom, Michalewicz and De Jong 5.

Sources, refined minimizers, and how the library found the minimizer of
De Jong 5, for which SFU gives none: ``cgdopt.testfunctions._references``.
"""
from __future__ import annotations

import autograd.numpy as anp
import numpy as np

from . import _kernels as K
from ._base import TestFunction
from ._references import NUMERIC, SFU
from ._registry import register

PI = np.pi


@register
class Easom(TestFunction):
    r"""Easom function.

    .. math:: f(x) = -\cos x_1 \cos x_2 \exp(-(x_1 - \pi)^2 - (x_2 - \pi)^2)

    Domain ``[-100, 100]^2``; ``f* = -1`` at ``(pi, pi)``.  The function is
    flat (``~0``) away from the minimizer, so ``x0 = (1, 1)`` (library choice)
    is taken near it.
    """

    name = "easom"
    title = "Easom"
    dim = 2
    tags = ("sfu", "multimodal", "ridges")
    formula = "-cos x1 cos x2 exp(-(x1 - pi)^2 - (x2 - pi)^2)"
    reference = SFU + "Easom Function"
    domain = (-100.0, 100.0)
    x0_note = "library choice: (1, 1)"

    def _f(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        return -anp.cos(x1) * anp.cos(x2) * anp.exp(-(x1 - PI) ** 2 - (x2 - PI) ** 2)

    def _grad(self, x):
        x1, x2 = x[..., 0], x[..., 1]
        e = np.exp(-(x1 - PI) ** 2 - (x2 - PI) ** 2)
        c1, c2, s1, s2 = np.cos(x1), np.cos(x2), np.sin(x1), np.sin(x2)
        return np.stack([e * (s1 * c2 + 2.0 * (x1 - PI) * c1 * c2),
                         e * (c1 * s2 + 2.0 * (x2 - PI) * c1 * c2)], axis=-1)

    # a = x1 - pi, b = x2 - pi, e = exp(-a^2 - b^2):
    # H11 = e c2 (3 c1 - 4 a s1 - 4 a^2 c1),  H22 = e c1 (3 c2 - 4 b s2 - 4 b^2 c2),
    # H12 = -e (s1 + 2 a c1) (s2 + 2 b c2).
    def _hessp(self, x, v):
        x1, x2 = x[..., 0], x[..., 1]
        v1, v2 = v[..., 0], v[..., 1]
        a, b = x1 - PI, x2 - PI
        e = np.exp(-a * a - b * b)
        s1, c1 = K.sincos(x1)
        s2, c2 = K.sincos(x2)
        with np.errstate(over="ignore"):  # e = 0 (underflow) wins over a^2 = inf: safe_mul
            h11 = K.safe_mul(e, c2 * (3.0 * c1 - 4.0 * a * s1 - 4.0 * a * a * c1))
            h22 = K.safe_mul(e, c1 * (3.0 * c2 - 4.0 * b * s2 - 4.0 * b * b * c2))
            h12 = -K.safe_mul(e, (s1 + 2.0 * a * c1) * (s2 + 2.0 * b * c2))
        return np.stack([h11 * v1 + h12 * v2, h12 * v1 + h22 * v2], axis=-1)

    def _x0(self):
        return [1.0, 1.0]

    def _x_opt(self):
        return [[PI, PI]]

    def _f_opt(self):
        return -1.0


@register
class Michalewicz(TestFunction):
    r"""Michalewicz function (m = 10), n = 2.

    .. math:: f(x) = -\sum_{i=1}^n \sin x_i \sin^{2m}\left(\frac{i x_i^2}{\pi}\right)

    Domain ``[0, pi]^2``; ``f* = -1.8013`` at ``(2.20, 1.57)`` (SFU).
    Only ``n = 2`` is offered because only there is the minimizer published.
    """

    name = "michalewicz"
    title = "Michalewicz"
    dim = 2
    tags = ("sfu", "multimodal", "ridges")
    formula = "-sum_i sin(x_i) sin^20(i x_i^2 / pi)"
    reference = SFU + "Michalewicz Function"
    domain = (0.0, PI)
    x_opt_approximate = True
    f_opt_published = "-1.8013"
    _x = (2.2029055201726093, np.pi / 2)

    def _f(self, x):  # sin^20 u = (sin^2 u)^10 by multiplications, with the fast kernels
        i = np.arange(1.0, self.n + 1.0)
        p4 = K.sin2(i * x * x / PI) ** 2
        p8 = p4 * p4
        return -K.rowsum(K.sin(x) * p8 * p8 * p4)

    def _powers(self, x):
        """``i``, ``u = i x^2 / pi``, ``sin^2 u`` and ``sin^18 u``."""
        i = np.arange(1.0, self.n + 1.0)
        u = i * x * x / PI
        s2 = K.sin2(u)
        p9 = s2 * s2
        p9 = p9 * p9
        return i, u, s2, p9 * p9 * s2

    # d/dx [sin x sin^20(u)] = cos x sin^20 u + sin x 10 sin^18(u) sin(2u) 2 i x / pi, u = i x^2/pi
    def _grad(self, x):
        i, u, s2, p9 = self._powers(x)
        return -(K.cos(x) * p9 * s2 + K.sin(x) * 10.0 * p9 * K.sin(2.0 * u) * (2.0 * i * x / PI))

    # Separable: H = diag(-phi''(x_i)), phi = sin x S^20, S = sin u, u = i x^2 / pi,
    # u' = 2 i x / pi, u'' = 2 i / pi:
    # phi'' = S^18 [-sin x S^2 + 20 cos x sin(2u) u'
    #               + 20 sin x ((19 - 20 S^2) u'^2 + sin(2u) u''/2)].
    def _hessp(self, x, v):
        i, u, s2, p9 = self._powers(x)
        sx, cx = K.sincos(x)
        s2u = K.sin(2.0 * u)
        d1 = 2.0 * i * x / PI
        d2 = (19.0 - 20.0 * s2) * d1 * d1 + s2u * (i / PI)
        return -(p9 * (-sx * s2 + 20.0 * cx * s2u * d1 + 20.0 * sx * d2)) * v

    def _x_opt(self):
        return [self._x]

    def _f_opt(self):
        return self._f(np.array(self._x))


@register
class DeJong5(TestFunction):
    r"""De Jong function N. 5 (Shekel's foxholes), n = 2.

    .. math:: f(x) = \Big(0.002 + \sum_{i=1}^{25} \frac{1}{i + (x_1 - a_{1i})^6
              + (x_2 - a_{2i})^6}\Big)^{-1}

    with ``a_1`` cycling through ``(-32, -16, 0, 16, 32)`` and ``a_2`` taking
    each of those five times.  Domain ``[-65.536, 65.536]^2``; global minimum
    ``0.998004`` near ``(-32, -32)`` (found numerically).

    Derivatives, with ``d_i = x - a_i``, ``D_i = i + d_{i1}^6 + d_{i2}^6``,
    ``q_i = 1/D_i``, ``p_i = 6 d_i^5 q_i`` (elementwise) and ``G = sum_i q_i p_i``:

    .. math:: \nabla f = f^2 G, \quad
              \nabla^2 f\, v = 2 f^3 G (G^T v) + f^2 \sum_i q_i
              \big(30 q_i d_i^4 \odot v - 2 p_i (p_i^T v)\big)

    An overflowing ``D_i`` (far outside the domain) gives ``q_i = 0`` and the
    term counts as 0 (its true value underflows), not ``0 * inf``.
    """

    name = "de_jong5"
    title = "De Jong N. 5 (Shekel's foxholes)"
    dim = 2
    tags = ("sfu", "multimodal", "many-local-minima", "plate")
    formula = "(0.002 + sum_{i=1}^{25} 1 / (i + (x1 - a1i)^6 + (x2 - a2i)^6))^-1"
    reference = SFU + "De Jong Function N. 5"
    domain = (-65.536, 65.536)
    analytic_grad = True
    x_opt_approximate = True
    x_opt_note = NUMERIC
    _v = np.array([-32.0, -16.0, 0.0, 16.0, 32.0])
    a1, a2 = np.tile(_v, 5), np.repeat(_v, 5)
    _k = np.arange(1.0, 26.0)
    _x = [-31.978334835657, -31.978334837301]

    def _f(self, x):
        d1, d2 = x[..., 0:1] - self.a1, x[..., 1:2] - self.a2
        s = anp.sum(1.0 / (self._k + d1 ** 6 + d2 ** 6), axis=-1)
        return 1.0 / (0.002 + s)

    def _parts(self, x):  # d (..., 25, 2), d^4 q (0 where D overflows), q = 1/D, p = 6 d^5 q, f
        d = np.stack([x[..., 0:1] - self.a1, x[..., 1:2] - self.a2], axis=-1)
        with np.errstate(over="ignore", invalid="ignore"):
            d2 = d * d
            d4 = d2 * d2
            q = 1.0 / (self._k + (d4 * d2).sum(-1))                # 0 where D_i overflows
            d4q = d4 * q[..., None]                                 # inf * 0 only if D_i = inf
            d4q[np.isnan(d4q)] = 0.0
        return d, d4q, q, 6.0 * d * d4q, 1.0 / (0.002 + q.sum(-1))

    def _grad(self, x):  # f = 1/(0.002 + S):  grad f = f^2 sum_i 6 d^5 / D_i^2
        d, d4q, q, p, f = self._parts(x)
        return (f * f)[..., None] * np.einsum("...k,...kj->...j", q, p)

    def _hessp(self, x, v):
        d, d4q, q, p, f = self._parts(x)
        G = np.einsum("...k,...kj->...j", q, p)
        pv = np.einsum("...kj,...j->...k", p, v)
        inner = (30.0 * np.einsum("...k,...kj->...j", q, d4q) * v
                 - 2.0 * np.einsum("...k,...kj->...j", q * pv, p))
        return (2.0 * f ** 3 * (G * v).sum(-1))[..., None] * G + (f * f)[..., None] * inner

    def _x_opt(self):
        return [self._x]

    def _f_opt(self):
        return self._f(np.array(self._x))
