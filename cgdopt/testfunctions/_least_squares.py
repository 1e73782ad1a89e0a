"""Base class of the sums of squares among the test functions (Moré-Garbow-Hillstrom form).

:class:`LeastSquaresFunction` is a :class:`~cgdopt.testfunctions._base.TestFunction`
whose value is ``f(x) = sum_i r_i(x)^2``; its subclasses define the residuals
``_residuals`` (and, for closed-form derivatives, ``_rjac`` and ``_rhessp``, see
:mod:`._lsq`).  Published minima that are rounded values are reproduced by a
Levenberg-Marquardt solve from ``x0`` (:func:`scipy.optimize.least_squares`) and
Newton steps.  Reference: J. J. Moré, B. S. Garbow, K. E. Hillstrom, "Testing
unconstrained optimization software", ACM Trans. Math. Softw. 7(1) (1981) 17-41.
"""
from __future__ import annotations

import numbers

import autograd.numpy as anp
import numpy as np
from numpy.typing import ArrayLike

from . import _kernels as K
from ._base import TestFunction

__all__ = ["LeastSquaresFunction", "published_rtol"]


def published_rtol(s: str) -> float:
    """Relative precision of a published decimal string: one unit in its last digit."""
    mant = s.lower().split("e")[0]
    dec = len(mant.split(".")[1]) if "." in mant else 0
    v = abs(float(mant))
    return 10.0 ** (-dec) / v if v else 0.0


class LeastSquaresFunction(TestFunction):
    """A sum of squares ``f(x) = sum_i r_i(x)^2`` (Moré-Garbow-Hillstrom form).

    Subclasses define :meth:`_residuals` returning an array ``(..., m)``;
    ``m`` is an attribute (``m`` may be a constructor argument).
    """

    x0_note = "standard starting point of More, Garbow & Hillstrom (1981), factor 1"
    tags = ("mgh", "least-squares")
    m_range: tuple | None = None  # allowed m (inclusive); None = m fixed

    analytic = True  # residuals are holomorphic (sub-classes that use abs/arctan2 say False)
    published: dict = {}  # key n or (n, m) -> published optimal value (string)
    f_opt_exact: float | None = 0.0  # f* when not published; None = unknown

    def __init__(self, n: int | None = None, m: int | None = None) -> None:
        super().__init__(n)
        self.m = self._check_m(m)
        if type(self)._x_opt is LeastSquaresFunction._x_opt:
            self.x_opt_approximate = True  # found by Levenberg-Marquardt from x0
        s = self.published.get((self.n, self.m))
        if s is None and self.m == self._default_m():
            s = self.published.get(self.n)  # keyed by n: published for the default m
        if s is not None:
            self.f_opt_published = s
            self.f_opt_is_published_best = True
            self.f_opt_rtol = published_rtol(s)
            self.f_opt_atol = 0.0

    def _f_opt(self):
        s = getattr(self, "f_opt_published", None)
        if s is not None and self.f_opt_is_published_best:
            return float(s)
        return np.nan if self.f_opt_exact is None else self.f_opt_exact

    def _default_m(self):
        return self.n

    def _check_m(self, m):
        if m is None:
            return int(self._default_m())
        if isinstance(m, bool) or not isinstance(m, numbers.Integral):
            raise ValueError(f"{self.name}: m must be an integer, got {m!r}")
        m = int(m)
        lo, hi = self._m_range()
        if m < lo or (hi is not None and m > hi):
            raise ValueError(
                f"{self.name}: m must be an integer in [{lo}, "
                f"{'inf)' if hi is None else str(hi) + ']'} for n={self.n}, got {m}")
        return m

    def _m_range(self):
        d = self._default_m()
        return self.m_range if self.m_range is not None else (d, d)

    def __repr__(self):
        return f"{type(self).__name__}(n={self.n}, m={self.m})"

    def residuals(self, x: ArrayLike) -> np.ndarray:
        """Residual vector ``r(x)``, shape ``(..., m)``."""
        return np.asarray(self._residuals(self._points(x)), dtype=np.float64)

    def _f(self, x):
        r = self._residuals(x)
        with np.errstate(over="ignore"):  # a true value beyond 1.8e308 is inf, silently
            return anp.sum(r * r, axis=-1)

    def _residuals(self, x):  # pragma: no cover - abstract
        raise NotImplementedError

    # Closed-form derivatives: a subclass that defines ``_rjac`` (the residual
    # Jacobian, shape (..., m, n)) and ``_rhessp`` (sum_i r_i Hess(r_i) v) gets
    #   grad f = 2 J^T r,   H v = 2 J^T (J v) + 2 sum_i r_i Hess(r_i) v
    # (an exact zero residual times an overflowing Jacobian entry counts as 0).
    _rjac = None
    _rhessp = None

    def _closed_grad(self):
        return self._rjac is not None or type(self)._grad is not LeastSquaresFunction._grad

    def _closed_hessp(self):
        return ((self._rjac is not None and self._rhessp is not None)
                or type(self)._hessp is not LeastSquaresFunction._hessp)

    def _grad(self, x):
        if self._rjac is None:
            return super()._grad(x)
        r = self._residuals(x)
        return 2.0 * K.safe_mul(self._rjac(x), r[..., :, None]).sum(axis=-2)

    def _hessp(self, x, v):
        if self._rjac is None or self._rhessp is None:
            return super()._hessp(x, v)
        J = self._rjac(x)
        jv = np.einsum("...mn,...n->...m", J, v)
        return 2.0 * np.einsum("...mn,...m->...n", J, jv) + 2.0 * self._rhessp(
            x, self._residuals(x), v)

    def _x_opt(self):
        return _solve_least_squares(self)


def _solve_least_squares(fn, x_start=None):
    """Numerically refined minimizer of a least-squares function (from ``x0``).

    Returns shape ``(1, n)`` when the refined value attains ``f_opt`` to
    ``f_opt_rtol`` / ``f_opt_atol``, else ``(0, n)`` (no minimizer known).
    """
    from scipy.optimize import least_squares

    x = fn.x0 if x_start is None else np.asarray(x_start, dtype=np.float64)
    res = least_squares(lambda z: fn._residuals(z), x,
                        jac=lambda z: _jac(fn, z), method="lm",
                        xtol=1e-15, ftol=1e-15, gtol=1e-15, max_nfev=20000)
    x = res.x
    for _ in range(3):  # Newton polish on f itself (accepted only if f does not increase)
        g = np.asarray(fn._grad(x))
        h = np.asarray(fn._hessp(np.tile(x, (fn.n, 1)), np.eye(fn.n)))
        step = np.linalg.lstsq(h, -g, rcond=None)[0]
        if not np.all(np.isfinite(step)) or fn._f(x + step) > fn._f(x):
            break
        x = x + step
    val = float(fn._f(x))
    if abs(val - fn.f_opt) <= fn.f_opt_rtol * abs(fn.f_opt) + fn.f_opt_atol:
        return x[None, :]
    return np.zeros((0, fn.n))


def _jac(fn, z):
    from autograd import jacobian
    return jacobian(fn._residuals)(np.asarray(z, dtype=np.float64))
