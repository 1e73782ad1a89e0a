"""Fast, autograd-compatible building blocks for the function bodies.

numpy's float64 ``cos``/``sin`` are scalar libm loops (about 20 ns a value),
while its float64 ``tan`` is SIMD (about 1 ns).  The half-angle identities

    cos x = (1 - t^2) / (1 + t^2),   sin x = 2t / (1 + t^2),   t = tan(x/2)
    sin^2 x = u^2 / (1 + u^2),       u = tan x

are exact identities; evaluated in float64 they agree with ``numpy.cos`` /
``numpy.sin`` to within 1 ulp of 1 (absolute error <= 2.3e-16, checked in
``tests/testfunctions/test_paper_and_api.py``), stay finite everywhere (at
``x = pi`` the float ``tan(x/2)`` is 1.6e16, so no overflow) and give exact
values at the usual optima (``cos 0 = 1``, ``sin 0 = 0``).  Reductions over
a short last axis are unrolled, because ``sum(axis=-1)`` over rows of length
2 costs about 20x more than adding the two columns.
"""
from __future__ import annotations

import autograd.numpy as anp
import numpy as np
from autograd.extend import defvjp, primitive

__all__ = ["cos", "sin", "sin2", "rowsum", "rowprod"]

_UNROLL = 4  # unroll reductions over last axes up to this length

# The three functions are autograd primitives with the analytic derivatives
# (-sin, cos, sin 2x) as their VJPs: differentiating the half-angle formulas
# themselves would cancel catastrophically where tan(x/2) is huge (x near an
# odd multiple of pi).  The VJPs call the primitives again, so Hessians work.


@primitive
def cos(x):
    """``cos(x)`` through ``tan(x/2)``."""
    t = np.tan(0.5 * x)
    t2 = t * t
    return (1.0 - t2) / (1.0 + t2)


@primitive
def sin(x):
    """``sin(x)`` through ``tan(x/2)``."""
    t = np.tan(0.5 * x)
    return 2.0 * t / (1.0 + t * t)


@primitive
def sin2(x):
    """``sin(x)**2`` through ``tan(x)``."""
    u = np.tan(x)
    u2 = u * u
    return u2 / (1.0 + u2)


defvjp(cos, lambda ans, x: lambda g: -g * sin(x))
defvjp(sin, lambda ans, x: lambda g: g * cos(x))
defvjp(sin2, lambda ans, x: lambda g: g * sin(2.0 * x))


def rowsum(a):
    """``a.sum(axis=-1)``, unrolled for short last axes."""
    k = a.shape[-1]
    if k > _UNROLL or k == 0:
        return anp.sum(a, axis=-1)
    s = a[..., 0]
    for i in range(1, k):
        s = s + a[..., i]
    return s


def rowprod(a):
    """``a.prod(axis=-1)``, unrolled for short last axes."""
    k = a.shape[-1]
    if k > _UNROLL or k == 0:
        return anp.prod(a, axis=-1)
    p = a[..., 0]
    for i in range(1, k):
        p = p * a[..., i]
    return p
