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

f and the gradient are memoized at the last point, as in
``scipy.optimize._differentiable_functions.ScalarFunction``.

The budget (Algorithm 2 of the CGD paper) limits ``njev``.  A call that would
produce one gradient too many raises :class:`BudgetExhausted` *before* calling
user code, so a run can never exceed its budget.
"""
from __future__ import annotations

import numpy as np
from scipy.optimize import approx_fprime

from ._derivatives import resolve_derivatives


class BudgetExhausted(Exception):
    """Raised instead of making a gradient evaluation beyond the budget."""


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

    def __init__(self, fun, n, args=(), jac=None, hess=None, hessp=None, budget=None):
        self.n = n
        self.args = tuple(args)
        self.budget = budget
        d = resolve_derivatives(fun, self.args, jac, hess, hessp)
        self._fun, self._value_and_grad = d.fun, d.value_and_grad
        self._grad, self._hess, self._hessp = d.grad, d.hess, d.hessp
        self.jac_kind = d.jac_kind
        #: True when every call of ``fun`` also returns (and is charged) a gradient
        self.fun_returns_grad = d.jac_kind == "fun"
        self.nfev = self.njev = self.nhev = 0
        self._fx = self._gx = None
        self._f = self._g = None

    # ------------------------------------------------------------------ budget
    @property
    def remaining(self):
        """Gradient evaluations left in the budget (``inf`` without a budget)."""
        return np.inf if self.budget is None else self.budget - self.njev

    def _charge_gradient(self):
        if self.budget is not None and self.njev >= self.budget:
            raise BudgetExhausted
        self.njev += 1

    def grad_is_cached(self, x) -> bool:
        return self._gx is not None and np.array_equal(x, self._gx)

    @property
    def has_hvp(self) -> bool:
        return self._hessp is not None or self._hess is not None

    @property
    def has_hess(self) -> bool:
        return self._hess is not None

    # ------------------------------------------------------------- evaluations
    def _store(self, x, f=None, g=None):
        if f is not None:
            self._fx, self._f = x.copy(), f
        if g is not None:
            self._gx, self._g = x.copy(), g

    def _check_f(self, f):
        a = np.asarray(f)
        if a.size != 1 or a.dtype.kind not in "biuf":
            raise ValueError(f"fun must return a real scalar, got {type(f).__name__} "
                             f"with shape {a.shape} and dtype {a.dtype}")
        return float(a.reshape(()))

    def _check_g(self, g):
        g = np.asarray(g, dtype=float)
        if g.shape != (self.n,):
            raise ValueError(f"jac must return an array of shape ({self.n},) like x0, "
                             f"got shape {g.shape}")
        return g

    def _value_and_gradient(self, x):
        self._charge_gradient()
        self.nfev += 1
        f, g = self._value_and_grad(x, *self.args)
        f, g = self._check_f(f), self._check_g(g)
        self._store(x, f, g)
        return f, g

    def fun(self, x) -> float:
        """f(x), memoized."""
        if self._fx is not None and np.array_equal(x, self._fx):
            return self._f
        if self.fun_returns_grad:
            return self._value_and_gradient(x)[0]
        self.nfev += 1
        f = self._check_f(self._fun(x, *self.args))
        self._store(x, f=f)
        return f

    def grad(self, x) -> np.ndarray:
        """The gradient at x, memoized (a finite-difference probe is a gradient too)."""
        if self.grad_is_cached(x):
            return self._g
        if self._value_and_grad is not None:
            return self._value_and_gradient(x)[1]
        self._charge_gradient()
        if self.jac_kind == "2-point":
            counted_f = self._counted_plain_fun
            g = approx_fprime(x, counted_f, np.sqrt(np.finfo(float).eps) * np.maximum(1.0, np.abs(x)))
        else:
            g = self._grad(x, *self.args)
        g = self._check_g(g)
        self._store(x, g=g)
        return g

    def _counted_plain_fun(self, x):
        self.nfev += 1
        return self._check_f(self._fun(x, *self.args))

    def hvp(self, x, v) -> np.ndarray:
        """Hessian-vector product H(x) v from ``hessp`` (preferred) or ``hess``."""
        self.nhev += 1
        if self._hessp is not None:
            out = self._hessp(x, v, *self.args)
        else:
            out = np.asarray(self._hess(x, *self.args), dtype=float) @ v
        return self._check_g(out)

    def hess(self, x) -> np.ndarray:
        """Dense Hessian from ``hess``."""
        self.nhev += 1
        H = np.asarray(self._hess(x, *self.args), dtype=float)
        if H.shape != (self.n, self.n):
            raise ValueError(f"hess must return an array of shape ({self.n}, {self.n}), "
                             f"got shape {H.shape}")
        return H
