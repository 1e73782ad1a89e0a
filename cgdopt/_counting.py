"""One wrapper that evaluates the objective, memoizes, counts and enforces the budget.

Every call the optimizer makes to user code goes through
:class:`CountedObjective`, so ``nfev``, ``njev`` and ``nhev`` are the real
numbers of evaluations:

* ``nfev``: evaluations of f (a call of ``fun``; with ``jac=True`` or autograd
  a value-and-gradient call counts here *and* in ``njev``),
* ``njev``: evaluations of the gradient, finite-difference probes included
  (with ``jac='2-point'`` one gradient counts once in ``njev`` and its
  ``n + 1`` function calls in ``nfev``),
* ``nhev``: evaluations of the Hessian or of a Hessian-vector product.

As in ``scipy.optimize._differentiable_functions.ScalarFunction``, user code
receives a *copy* of the point (a function that modifies its argument in place
cannot corrupt the run), and the gradient is kept as an array the user cannot
change afterwards (a ``jac`` that returns one reused buffer is copied).  The
one exception is CGD-FD's probe gradient (:meth:`CountedObjective.probe_grad`):
its point is a temporary of the run and its result is used before any other
call of user code and then dropped, so neither is copied.

f and the gradient are memoized at the last point.  The memo is keyed on the
*identity* of the solver's own array, not on its contents: the solver never
modifies an array after evaluating at it, except through :meth:`forget`, so
identity is exact and costs nothing (``np.array_equal`` on every lookup was
the largest overhead per iteration).

The budget (Algorithm 2 of the CGD paper) limits ``njev``.  A call that would
produce one gradient too many raises :class:`BudgetExhausted` *before* calling
user code, so a run can never exceed its budget.  A gradient, Hessian or
Hessian-vector product with a NaN or inf raises :class:`NonFinite` naming it;
the solver ends the run with status 3.
"""
from __future__ import annotations

import math
import sys
import warnings
from typing import Any, Callable, Optional, Tuple

import numpy as np

from ._derivatives import fd_gradient, resolve_derivatives
from ._options import FD_METHODS, InputTypeError
from ._signals import BudgetExhausted, ConstantFunction, NonFinite

_F64 = np.dtype(float)
#: from this size on, copies of x for user code are recycled (below it, allocating is faster)
RECYCLE_MIN_SIZE = 4096


def _refcount(a: Any) -> int:
    return sys.getrefcount(a)


_getrefcount = getattr(sys, "getrefcount", len)  # without _refcount's frame (hot path): see _ONE_HOLDER_DIRECT


def _calibrate() -> int:
    held = np.empty(1)
    return _refcount(held)


#: references :func:`_refcount` sees for an array held by exactly one local variable of its
#: caller, measured (not assumed) for this interpreter; 0 (never recycle) without refcounts
_ONE_HOLDER = _calibrate() if hasattr(sys, "getrefcount") else 0


def _calibrate_direct() -> int:
    held = np.empty(1)
    return _getrefcount(held)


#: the same for a direct ``_getrefcount(a)`` call (no frame of :func:`_refcount` in between)
_ONE_HOLDER_DIRECT = _calibrate_direct() if hasattr(sys, "getrefcount") else 0
__all__ = ["CountedObjective", "BudgetExhausted", "NonFinite", "ConstantFunction",
           "finite_sq_norm"]


def finite_sq_norm(a: np.ndarray) -> float:
    r"""Return :math:`\|a\|_2^2`, or ``nan`` when ``a`` holds a NaN or inf.

    One BLAS dot product; only when it is not finite (a non-finite entry, or an
    overflow of finite entries above ~1e154) is the exact ``isfinite`` scan made.
    """
    s = float(a.dot(a))
    if math.isfinite(s):
        return s
    return math.inf if np.isfinite(a).all() else math.nan


class CountedObjective:
    """Counted, memoized access to f, its gradient and Hessian(-vector products).

    Parameters
    ----------
    fun : callable
        ``fun(x, *args) -> float`` (or ``(float, ndarray)`` with ``jac=True``).
    n : int
        Number of variables (used to check the gradient's shape).
    args : tuple
        Extra arguments for ``fun``, ``jac``, ``hess`` and ``hessp``.
    jac, hess, hessp
        As in :func:`cgdopt.minimize`.
    budget : int or None
        Maximum number of gradient evaluations.
    """

    def __init__(self, fun: Callable[..., Any], n: int, args: Tuple[Any, ...] = (), jac: Any = None,
                 hess: Any = None, hessp: Any = None, budget: Optional[int] = None) -> None:
        self.n = n
        self._shape = (n,)
        self.args = tuple(args)
        self.budget = budget
        d = resolve_derivatives(fun, self.args, jac, hess, hessp)
        self._fun, self._value_and_grad = d.fun, d.value_and_grad
        self._grad, self._hess, self._hessp = d.grad, d.hess, d.hessp
        self.jac_kind: str = d.jac_kind
        self._callable_jac = d.jac_kind == "callable"
        #: True when every call of ``fun`` also returns (and is charged) a gradient
        self.fun_returns_grad: bool = d.jac_kind == "fun"
        self.nfev = self.njev = self.nhev = 0
        self._fx: Optional[np.ndarray] = None  # the arrays f and g were evaluated at
        self._gx: Optional[np.ndarray] = None
        self._f = math.nan
        self._g: np.ndarray = np.empty(0)
        #: squared Euclidean norm of the memoized gradient (NaN: it holds a NaN or inf)
        self.grad_sq = math.nan
        self._recycle = n >= RECYCLE_MIN_SIZE and _ONE_HOLDER > 0
        self._spare: Optional[np.ndarray] = None

    # ------------------------------------------------------------ user copies
    def _copy(self, x: np.ndarray) -> np.ndarray:
        """A copy of x for user code (scipy passes copies too); a recycled buffer when large."""
        buf = self._spare
        if buf is None:
            return np.array(x, copy=True)
        self._spare = None
        np.copyto(buf, x)
        return buf

    def _done(self, buf: np.ndarray) -> None:
        """Keep ``buf`` for the next copy if user code kept no reference to it (or a view)."""
        if self._recycle and _refcount(buf) <= _ONE_HOLDER + 1:  # the caller's local + ours
            self._spare = buf

    # ------------------------------------------------------------------ budget
    @property
    def remaining(self) -> float:
        """Gradient evaluations left in the budget (``inf`` without a budget)."""
        return math.inf if self.budget is None else self.budget - self.njev

    def _charge_gradient(self) -> None:
        if self.budget is not None and self.njev >= self.budget:
            raise BudgetExhausted
        self.njev += 1

    def grad_is_cached(self, x: np.ndarray) -> bool:
        """True when the gradient at the array ``x`` (this very object) is memoized."""
        return x is self._gx

    def forget(self, x: np.ndarray) -> None:
        """Drop the memo at ``x``: call before modifying an array that was evaluated at."""
        if x is self._fx:
            self._fx = None
        if x is self._gx:
            self._gx = None

    @property
    def has_hvp(self) -> bool:
        return self._hessp is not None or self._hess is not None

    @property
    def has_hess(self) -> bool:
        return self._hess is not None

    # ------------------------------------------------------------------ checks
    def _check_f(self, f: Any) -> float:
        if isinstance(f, float):  # float and np.float64: the common case, fast
            return float(f)
        try:
            a = np.asarray(f)
        except (TypeError, ValueError):  # core-B: a ragged tuple such as (f, grad)
            a = np.asarray(None)
        if a.size != 1 or a.dtype.kind not in "biuf":
            raise ValueError(f"fun must return a real scalar, got {type(f).__name__} "
                             f"with shape {a.shape} and dtype {a.dtype}")
        return float(a.reshape(()))

    def _check_g(self, g: Any, name: str = "jac", held: int = 0) -> np.ndarray:
        """A gradient-shaped result as a float array that user code cannot change afterwards.

        A fresh array (no reference left in user code: ``held`` counts the
        caller's own) is kept as it is; anything else is copied, e.g. a buffer the
        user reuses (``np.subtract(A @ x, b, out=buf)``), which the next call would
        overwrite.
        """
        if type(g) is np.ndarray and g.dtype == _F64 and g.shape == self._shape:
            if g.base is None and _refcount(g) <= _ONE_HOLDER + held:
                return g
            return np.array(g, copy=True)
        a = np.asarray(g)
        if a.dtype.kind not in "biuf":  # name the culprit, not numpy's cast
            raise InputTypeError(f"{name} must return a real array of shape ({self.n},) like "
                                 f"x0, got {type(g).__name__} of dtype {a.dtype}")
        if a.shape != self._shape:
            raise ValueError(f"{name} must return an array of shape ({self.n},) like x0, "
                             f"got shape {a.shape}")
        return np.array(a, dtype=float)

    def _check_hess(self, H: Any) -> np.ndarray:
        a = np.asarray(H)
        if a.dtype.kind not in "biuf":
            raise InputTypeError(f"hess must return a real array of shape ({self.n}, {self.n}), "
                                 f"got {type(H).__name__} of dtype {a.dtype}")
        if a.shape != (self.n, self.n):
            raise ValueError(f"hess must return an array of shape ({self.n}, {self.n}), "
                             f"got shape {a.shape}")
        return a.astype(float, copy=False)

    # ------------------------------------------------------------- evaluations
    def _value_and_gradient(self, x: np.ndarray) -> Tuple[float, np.ndarray]:
        self._charge_gradient()
        self.nfev += 1
        if self.jac_kind == "autograd":
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                xc = self._copy(x)
                f, g = self._value_and_grad(xc, *self.args)
            for w in caught:
                if "independent of input" in str(w.message):
                    raise ConstantFunction(
                        "fun does not depend on x as autograd traces it (autograd returned a "
                        "zero gradient and warned 'Output seems independent of input'), so a "
                        "zero gradient says nothing about convergence; pass jac= if fun does "
                        "depend on x")
                warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
        else:
            xc = self._copy(x)
            f, g = self._value_and_grad(xc, *self.args)
        if g is xc:
            del xc  # the user returned the copy itself: keep it as the gradient
        else:
            self._done(xc)
        f, g = self._check_f(f), self._check_g(g, held=1)
        self._fx, self._f = x, f
        self._store_g(x, g)
        return f, g

    def _store_g(self, x: np.ndarray, g: np.ndarray) -> None:
        self._gx, self._g, self.grad_sq = x, g, finite_sq_norm(g)

    def fun(self, x: np.ndarray) -> float:
        """f(x), memoized on the identity of ``x``; may be NaN or inf (the caller decides)."""
        if x is self._fx:
            return self._f
        if self.fun_returns_grad:
            return self._value_and_gradient(x)[0]
        self.nfev += 1
        if self._recycle:
            xc = self._copy(x)
            f = self._fun(xc, *self.args)
            self._done(xc)
            del xc
        else:
            f = self._fun(x.copy(), *self.args)
        f = float(f) if isinstance(f, float) else self._check_f(f)
        self._fx, self._f = x, f
        return f

    def grad(self, x: np.ndarray, what: str = "gradient") -> np.ndarray:
        """The gradient at x, memoized; :attr:`grad_sq` is then its squared norm.

        Raises :class:`NonFinite` (naming ``what``) when it holds a NaN or inf.
        """
        if x is not self._gx:
            if self._callable_jac:  # the common case, inlined (it is most of the loop's cost)
                if self.budget is not None and self.njev >= self.budget:
                    raise BudgetExhausted
                self.njev += 1
                recycle = self._recycle
                xc = self._copy(x) if recycle else x.copy()
                g = self._grad(xc, *self.args)
                # dtype identity: float64 arrays share one descriptor; any other dtype
                # object (byte-swapped, ...) takes the checked path below, which is exact
                if g is xc or type(g) is not np.ndarray or g.dtype is not _F64 \
                        or g.shape != self._shape:
                    if g is not xc and recycle:
                        self._done(xc)
                    del xc
                    g = self._check_g(g, held=1)
                else:
                    if recycle:
                        self._done(xc)
                    del xc
                    if g.base is not None or _getrefcount(g) > _ONE_HOLDER_DIRECT:
                        g = g.copy()  # user code holds it (a reused buffer): keep our own
                # finite_sq_norm, inlined
                sq = float(g.dot(g))
                self._gx, self._g, self.grad_sq = x, g, sq if math.isfinite(sq) else (
                    math.inf if np.isfinite(g).all() else math.nan)
            else:
                self._evaluate_grad(x)
        if self.grad_sq != self.grad_sq:  # NaN
            raise NonFinite(what)
        return self._g

    def probe_grad(self, point: np.ndarray) -> np.ndarray:
        """The gradient at a probe point ``x + s r u`` of CGD-FD: counted, neither memoized nor checked.

        ``point`` is a temporary of the caller, which never reads it again: a
        callable ``jac`` receives it without a copy (whatever it does to it cannot
        reach the run).  The result is not memoized (no iterate is ever evaluated
        there again, and the memo keeps the gradient at x) and not copied: the
        caller combines it into its direction before any other call of user code,
        so a ``jac`` that returns one reused buffer cannot change it in between.
        Its non-finite values are the caller's to check (in the direction it
        computes from it).  Other kinds of ``jac`` (``jac=True``, autograd, finite
        differences) take the memoized path, which also evaluates f there.
        """
        if not self._callable_jac:
            self._evaluate_grad(point)
            return self._g
        if self.budget is not None and self.njev >= self.budget:
            raise BudgetExhausted
        self.njev += 1
        g = self._grad(point, *self.args)
        if type(g) is not np.ndarray or g.dtype is not _F64 or g.shape != self._shape:
            return self._check_g(g, "jac", held=1)
        return g

    def _evaluate_grad(self, x: np.ndarray) -> None:
        if self._value_and_grad is not None:
            self._value_and_gradient(x)
        else:
            self._charge_gradient()
            if self.jac_kind in FD_METHODS:
                raw = self._counted_plain_fun if self.jac_kind != "cs" else self._counted_raw_fun
                g = self._check_g(fd_gradient(raw, x, self.jac_kind, self.fun(x)))
            else:
                xc = self._copy(x)
                g = self._grad(xc, *self.args)
                if g is not xc:
                    self._done(xc)
                del xc
                g = self._check_g(g, held=1)
            self._store_g(x, g)

    def _counted_plain_fun(self, x: np.ndarray) -> float:
        self.nfev += 1
        return self._check_f(self._fun(x.copy(), *self.args))

    def _counted_raw_fun(self, x: np.ndarray) -> Any:
        self.nfev += 1
        return self._fun(x.copy(), *self.args)

    def hvp(self, x: np.ndarray, v: np.ndarray) -> np.ndarray:
        """Hessian-vector product H(x) v from ``hessp`` (preferred) or ``hess``.

        Raises :class:`NonFinite` when the product holds a NaN or inf.
        """
        self.nhev += 1
        if self._hessp is not None:
            out = self._check_g(self._hessp(x.copy(), v.copy(), *self.args), "hessp")
        else:
            out = self._check_hess(self._hess(x.copy(), *self.args)) @ v
        if math.isnan(finite_sq_norm(out)):
            raise NonFinite("Hessian-vector product")
        return out

    def hess(self, x: np.ndarray) -> np.ndarray:
        """Dense Hessian from ``hess``; raises :class:`NonFinite` on a NaN or inf entry."""
        self.nhev += 1
        H = self._check_hess(self._hess(x.copy(), *self.args))
        if not np.isfinite(H).all():
            raise NonFinite("Hessian")
        return H
