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

__all__ = ["cos", "sin", "sin2", "sincos", "rowsum", "rowprod", "expsum", "safe_mul",
           "prod_excl", "prod_excl_jvp"]

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


def expsum(*terms):
    """``sum_k c_k exp(a_k)`` for ``terms = (c_1, a_1, c_2, a_2, ...)``, overflow-safe.

    Shifted by ``M = max_k a_k``: ``exp(M) * sum_k c_k exp(a_k - M)``.  Terms that
    cancel exactly (equal ``a_k``, opposite ``c_k``) give 0 even where ``exp(a_k)``
    overflows, instead of ``inf - inf = nan``; the result is ``+-inf`` only where
    the true value overflows.  Autograd-compatible.
    """
    cs, as_ = terms[0::2], terms[1::2]
    m = as_[0]
    for a in as_[1:]:
        m = anp.maximum(m, a)
    s = 0.0
    for c, a in zip(cs, as_):
        s = s + c * anp.exp(a - m)
    with np.errstate(over="ignore", invalid="ignore"):
        return anp.where(s == 0.0, 0.0, s * anp.exp(m))


def safe_mul(a, b):
    """``a * b`` with ``0 * inf = 0`` (an exact zero factor wins), plain numpy."""
    with np.errstate(invalid="ignore", over="ignore"):
        return np.where((a == 0.0) | (b == 0.0), 0.0, a * b)


def sincos(x):
    """``(sin x, cos x)`` from one ``tan(x/2)`` (plain numpy; half the cost of two calls).

    With ``t = tan(x/2)`` and ``d = 1/(1 + t^2)``: ``sin x = 2 t d``, ``cos x = 2 d - 1``;
    evaluated in place to keep the number of passes over memory small.
    """
    t = np.multiply(x, 0.5)
    if not isinstance(t, np.ndarray) or t.dtype.kind == "c":  # scalars, complex steps
        t = np.tan(t)
        d = 1.0 / (1.0 + t * t)
        return 2.0 * t * d, 2.0 * d - 1.0
    np.tan(t, out=t)
    d = np.multiply(t, t)
    d += 1.0
    np.reciprocal(d, out=d)
    t *= d
    t *= 2.0
    d *= 2.0
    d -= 1.0
    return t, d


def prod_excl(c):
    """``P_i = prod_{j != i} c_j`` over the last axis, without division (no 0/0).

    Exclusive prefix products times exclusive suffix products (two ``cumprod``).
    """
    out = np.ones(c.shape)
    if c.shape[-1] > 1:
        np.cumprod(c[..., :-1], axis=-1, out=out[..., 1:])
        suf = np.cumprod(c[..., :0:-1], axis=-1)[..., ::-1]  # suf[i] = prod_{j > i} c_j
        out[..., :-1] *= suf
    return out


def prod_excl_jvp(c, dc):
    """Directional derivative of :func:`prod_excl` along ``dc``: forward mode, no division."""
    k = c.shape[-1]
    out = np.empty(np.broadcast_shapes(c.shape, dc.shape))
    dout = np.empty(out.shape)
    pre, dpre = np.ones(out.shape[:-1]), np.zeros(out.shape[:-1])
    for i in range(k):
        out[..., i], dout[..., i] = pre, dpre
        pre, dpre = pre * c[..., i], dpre * c[..., i] + pre * dc[..., i]
    suf, dsuf = np.ones(out.shape[:-1]), np.zeros(out.shape[:-1])
    for i in range(k - 1, -1, -1):
        dout[..., i] = dout[..., i] * suf + out[..., i] * dsuf
        out[..., i] *= suf
        suf, dsuf = suf * c[..., i], dsuf * c[..., i] + suf * dc[..., i]
    return dout
