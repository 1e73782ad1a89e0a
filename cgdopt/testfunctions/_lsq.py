"""Helpers for closed-form derivatives of sums of squares (issue 8).

A :class:`~cgdopt.testfunctions._least_squares.LeastSquaresFunction`, ``f = sum_i r_i^2``, that
defines the residual Jacobian ``_rjac`` (shape ``(..., m, n)``) and ``_rhessp`` =
``sum_i r_i Hess(r_i) v`` gets

    grad f = 2 J^T r,        H v = 2 J^T (J v) + 2 sum_i r_i Hess(r_i) v

(Nocedal & Wright, *Numerical Optimization*, 2nd ed., eq. (10.5)).  Autograd on the
residuals stays the cross-check in the tests.  Conventions, as in
:func:`~cgdopt.testfunctions._kernels.safe_mul`: an exact zero factor wins over an
overflowing one (``0 * inf = 0``), because the zero is exact (a coordinate or residual that
is 0, an exponential that underflowed) while the overflow only means "beyond 1.8e308".
Where the true derivative itself exceeds the float64 range the result is ``+-inf`` or,
where two such terms meet with opposite signs, ``nan``.
"""
from __future__ import annotations

import numpy as np

from . import _kernels as K

__all__ = ["col", "rows", "vec", "symv", "rsum", "hessp_zero_wins", "checked_grad"]


def col(x, j):
    """Column ``j`` of ``x`` as ``x[..., j:j+1]``."""
    return x[..., j : j + 1]  # keeps a trailing axis for broadcasting with data (m,)


def rows(shape, m, n, entries):
    """Dense Jacobian ``(shape..., m, n)`` from ``{(i, j): J_ij}`` (missing entries 0)."""
    out = np.zeros(tuple(shape) + (m, n))
    for (i, j), e in entries.items():
        out[..., i, j] = e
    return out


def vec(shape, comps):
    """Array ``(shape..., len(comps))`` with last-axis entries ``comps`` (cheaper than stack).

    With ``shape = r.shape`` and the Jacobian's columns as ``comps`` it builds ``J``.
    """
    out = np.empty(tuple(shape) + (len(comps),))
    for j, c in enumerate(comps):
        out[..., j] = c
    return out


def symv(h, v):
    """``H v`` for a symmetric ``H`` given by its upper triangle ``{(i, j): H_ij}`` (i <= j).

    Entries are arrays of shape ``(...)`` (or scalars); missing entries are 0; an exact 0
    in ``v`` wins over an overflowing ``H_ij``.
    """
    out = np.zeros(v.shape)
    with np.errstate(over="ignore", invalid="ignore"):
        for (i, j), e in h.items():
            out[..., i] += K.safe_mul(e, v[..., j])
            if i != j:
                out[..., j] += K.safe_mul(e, v[..., i])
    return out


def rsum(r, a):
    """``sum_i r_i a_i`` over the residual (last) axis, with ``0 * inf = 0``."""
    return K.safe_mul(r, a).sum(axis=-1)


def checked_grad(self, x, g):
    """``g`` (a written-out ``2 J^T r``, plain products), or ``2 J^T r`` with ``0 * inf = 0``.

    The fast path multiplies plainly; a ``0 * inf`` there shows up as a ``nan`` in ``g``
    (it propagates through the sums), and only then is the gradient recomputed from
    ``_rjac`` with an exact zero winning, so the conventions above hold at no cost on the
    usual path.
    """
    if np.isnan(g).any():
        r = self._residuals(x)
        with np.errstate(over="ignore", invalid="ignore"):
            return 2.0 * K.safe_mul(self._rjac(x), r[..., :, None]).sum(axis=-2)
    return g


def hessp_zero_wins(self, x, v):
    """``H v = 2 J^T (J v) + 2 sum_i r_i Hess(r_i) v`` with ``0 * inf = 0`` in both products.

    A ``_hessp`` for problems whose Jacobian can overflow where f is finite (an
    exponential times a coordinate that is 0, e.g. Osborne 1 at ``x3 = 0``): an exact zero
    entry of ``J`` or ``v`` wins, so a column of zeros gives 0 rather than ``0 * inf = nan``.
    """
    J = self._rjac(x)
    with np.errstate(over="ignore", invalid="ignore"):
        jv = K.safe_mul(J, v[..., None, :]).sum(axis=-1)
        jtjv = K.safe_mul(J, jv[..., :, None]).sum(axis=-2)
        return 2.0 * jtjv + 2.0 * self._rhessp(x, self._residuals(x), v)
