r"""One run of any method under a budget of gradient evaluations, counted the same way for all.

Every method (cgdopt's through :func:`cgdopt.minimize`, scipy's through
:func:`scipy.optimize.minimize`, a user's custom minimizer) sees the same
:class:`Capped` callables.  They count

* ``njev``: gradients, ``nhev``: Hessian-vector products (Pearlmutter: each
  costs about one gradient), a dense Hessian as ``n`` products;
* ``ngev = njev + nhev``: the budgeted quantity; a call that would exceed the
  budget raises a private exception *before* evaluating, which ends the run
  with the best point seen so far (status ``budget``);
* ``nfev``: function values, reported beside (not budgeted).

The trace has one entry per iteration (the method's callback), plus the start
(``ngev = 0``) and, when the budget ends a run, the best point seen.
"""
from __future__ import annotations

import inspect
import warnings

import numpy as np

__all__ = ["Capped", "run_method", "needs_second_derivatives"]


class _BudgetReached(Exception):
    """Private: the next evaluation would exceed the budget."""


class _NonFinitePoint(Exception):
    """Private: the method asked for a value at a non-finite x (or a product with a non-finite v)."""


class Capped:
    """Counted, budget-capped ``fun``, ``jac``, ``hessp`` and ``hess`` of a test function ``f``."""

    def __init__(self, f, budget: int):
        self.f, self.budget = f, int(budget)
        self.nfev = self.njev = self.nhev = 0
        self.best_f, self.best_x = np.inf, None

    @property
    def ngev(self) -> int:
        return self.njev + self.nhev

    def _charge(self, cost: int = 1) -> None:
        if self.ngev + cost > self.budget:
            raise _BudgetReached

    @staticmethod
    def _finite(x):
        x = np.asarray(x, dtype=float)
        if not np.all(np.isfinite(x)):
            raise _NonFinitePoint
        return x

    def fun(self, x, *args) -> float:
        x = self._finite(x)
        self.nfev += 1
        value = float(self.f(x))
        if value < self.best_f:  # NaN never compares smaller
            self.best_f, self.best_x = value, x.copy()
        return value

    def jac(self, x, *args):
        x = self._finite(x)
        self._charge()
        self.njev += 1
        return np.asarray(self.f.grad(x), dtype=float)

    def hessp(self, x, p, *args):
        x, p = self._finite(x), self._finite(p)
        self._charge()
        self.nhev += 1
        return np.asarray(self.f.hessp(x, p), dtype=float)

    def hess(self, x, *args):
        x = self._finite(x)
        self._charge(x.size)
        self.nhev += x.size
        return np.asarray(self.f.hess(x), dtype=float)


def needs_second_derivatives(method: str) -> str | None:
    """``"hessp"``, ``"hess"`` or ``None``: what ``method`` (a bench label) cannot run without."""
    from .problems import SCIPY_METHODS

    if method in ("cgd", "newton"):
        return "hessp"
    if method.startswith("scipy:"):
        return SCIPY_METHODS[method[6:]]
    return None


def _resolve(method: str):
    from .problems import load_object

    if method.startswith("scipy:"):
        return method[6:]
    return load_object(method, "--methods")


def run_method(f, x0, method: str, *, budget: int, line_search: str | None = None,
               options: dict | None = None, f_opt: float = np.nan):
    """Run ``method`` on ``f`` from ``x0`` with at most ``budget`` gradient evaluations.

    Returns ``(row, trace)``: ``row`` has ``status`` (``converged``, ``budget``,
    ``stopped``, ``diverged``), ``message``, ``fun``, ``f_err`` (f − f*),
    ``f0``, ``ngev``, ``njev``, ``nhev``, ``nfev``, ``nit``; ``trace`` is a list
    of ``{ngev, nfev, f, f_err}``.
    """
    import scipy.optimize

    import cgdopt
    from .problems import CGDOPT_METHODS

    cap = Capped(f, budget)
    x0 = np.asarray(x0, dtype=float)
    f0 = float(f(x0))
    trace = [dict(ngev=0, nfev=0, f=f0, f_err=f0 - f_opt)]
    has_hessp = callable(getattr(f, "hessp", None))

    def callback(intermediate_result):
        fk = getattr(intermediate_result, "fun", None)
        if fk is None or not np.isscalar(fk):
            fk = float(f(intermediate_result.x))
        fk = float(fk)
        trace.append(dict(ngev=cap.ngev, nfev=cap.nfev, f=fk, f_err=fk - f_opt))

    options = dict(options or {})
    res, status, message = None, None, ""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            if method in CGDOPT_METHODS:
                opts = {**options, "line_search": line_search, "budget": budget}
                try:
                    uses_hessp = has_hessp and method in ("cgd", "newton")
                    res = cgdopt.minimize(cap.fun, x0, method=method, jac=cap.jac,
                                          hessp=cap.hessp if uses_hessp else None,
                                          callback=callback, options=opts)
                except ValueError as exc:
                    if "smaller than the cost" not in str(exc):
                        raise
                    status, message = "skipped", str(exc)
            else:
                need = needs_second_derivatives(method) if method.startswith("scipy:") else None
                kwargs = {}
                if need == "hess":
                    kwargs["hess"] = cap.hess
                elif need == "hessp" or (not method.startswith("scipy:") and has_hessp
                                         and "hessp" in _parameters(_resolve(method))):
                    kwargs["hessp"] = cap.hessp
                res = scipy.optimize.minimize(cap.fun, x0, method=_resolve(method), jac=cap.jac,
                                              callback=callback, options=options or None, **kwargs)
        except _BudgetReached:
            status, message = "budget", f"budget of {budget} gradient evaluations reached"
        except _NonFinitePoint:
            status, message = "diverged", "the method asked for a value at a non-finite point"
    if res is not None:
        fun = float(res.fun) if np.ndim(res.fun) == 0 else np.nan
        message = str(res.get("message", ""))
        if not np.isfinite(fun) or (method in CGDOPT_METHODS and res.status == 3):
            status = "diverged"
        elif res.get("success", False):
            status = "converged"
        elif method in CGDOPT_METHODS and res.status == 2:
            status = "budget"
        else:
            status = "stopped"
        if np.isfinite(fun) and fun <= cap.best_f:
            best = fun
        else:
            best = cap.best_f
        nit = int(res.get("nit", len(trace) - 1))
    else:
        best, nit = cap.best_f, len(trace) - 1
    best = min(best, f0) if np.isfinite(best) else f0
    if best < trace[-1]["f"] or not np.isfinite(trace[-1]["f"]):
        trace.append(dict(ngev=cap.ngev, nfev=cap.nfev, f=best, f_err=best - f_opt))
    row = dict(status=status, message=message[:200], fun=best, f_err=best - f_opt, f0=f0,
               ngev=cap.ngev, njev=cap.njev, nhev=cap.nhev, nfev=cap.nfev, nit=nit)
    return row, trace


def _parameters(fn) -> tuple:
    try:
        return tuple(inspect.signature(fn).parameters)
    except (TypeError, ValueError):
        return ()
