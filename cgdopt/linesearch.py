r"""Step-size rules, kept apart from the direction rules.

Each rule has the signature ``rule(obj, x, f, g, G, *, <its options>, out=None,
old_fval=None) -> (alpha, x_new, f_new)`` or ``None``: it steps against the
vector ``G`` (the direction is :math:`d = -G`), returns the accepted step
:math:`\alpha`, the point :math:`x_{new} = x - \alpha G` (the very array at
which f was evaluated, so the memo of the counting wrapper hits),
:math:`f(x_{new})` and :math:`\|x_{new}\|_2^2` (computed anyway to check that
the point is finite; the solver's stall test reuses it); ``None`` when no acceptable step was found.  All
evaluations go through the counting wrapper, so they are counted and charged
to the budget.  A trial point with a NaN or inf is never passed to the user's
function.

* ``fixed``: :math:`\alpha = ` ``step`` (the CGD paper's setting); a
  non-finite trial point raises :class:`~cgdopt._signals.NonFinite`.
* ``armijo``: backtracking on f, :math:`\alpha = \alpha_0\cdot
  \text{shrink}^j` for the smallest ``j < maxls`` with
  :math:`f(x + \alpha d) \le f(x) + c_1 \alpha \nabla f^\top d`
  (Nocedal & Wright [1]_, Algorithm 3.1); a non-finite trial point or value
  counts as a rejected trial.  :math:`\alpha_0` is ``step``
  (``init_step="step"``) or :func:`first_trial` (``init_step="decrease"``).
* ``wolfe``: a strong-Wolfe step as scipy's CG and BFGS take it
  (``scipy.optimize._optimize._line_search_wolfe12``): MINPACK's ``dcsrch``
  (:func:`scipy.optimize._linesearch.line_search_wolfe1`), then, if it fails,
  :func:`scipy.optimize.line_search` (Nocedal & Wright Algorithms 3.5-3.6,
  at most ``maxls`` iterations).  The first trial step comes from the
  previous iteration's decrease; on the first iteration the previous value is
  guessed as :math:`f + \|\nabla f\|_2 / 2`, as scipy's CG does, so the first
  trial moves about unit length along :math:`d`.

References
----------
.. [1] J. Nocedal, S. J. Wright, *Numerical Optimization*, 2nd ed., Ch. 3.
"""
from __future__ import annotations

import math
import warnings
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Tuple

import numpy as np
from scipy.optimize import line_search as _wolfe2

from ._signals import NonFinite

if TYPE_CHECKING:
    from ._counting import CountedObjective

try:  # scipy does not re-export them publicly
    from scipy.optimize._linesearch import LineSearchWarning, line_search_wolfe1 as _wolfe1
except ImportError:  # pragma: no cover
    LineSearchWarning, _wolfe1 = Warning, None

LINE_SEARCHES = ("fixed", "armijo", "wolfe")
Step = Tuple[float, np.ndarray, float, float]


def trial_point(x: np.ndarray, alpha: float, G: np.ndarray,
                out: Optional[np.ndarray] = None) -> Tuple[Optional[np.ndarray], float]:
    r"""``(p, ||p||^2)`` for :math:`p = x - \alpha G` (written into ``out`` when given).

    ``p`` is ``None`` when it has a NaN or inf (``||p||^2`` is ``inf`` after an
    overflow of finite entries).
    """
    if out is None:
        p = x - alpha * G
    else:
        p = np.multiply(G, -alpha, out=out)
        np.add(x, p, out=p)
    sq = float(p.dot(p))
    if math.isfinite(sq) or np.isfinite(p).all():
        return p, sq
    return None, math.nan


def fixed(obj: CountedObjective, x: np.ndarray, f: float, g: np.ndarray, G: np.ndarray, *,
          step: float,
          out: Optional[np.ndarray] = None, **_: Any) -> Step:
    """Constant step ``alpha = step``; evaluates f once, at the new point."""
    p, sq = trial_point(x, step, G, out)
    if p is None:
        raise NonFinite("trial point x - step G")
    return step, p, obj.fun(p), sq


def first_trial(step: float, f: float, slope: float, g: np.ndarray,
                old_fval: Optional[float]) -> float:
    r"""Armijo's first trial step with ``init_step="decrease"``.

    :math:`\alpha_0 = \min(\text{step},\ 1.01 \cdot 2 (f_{k-1} - f_k) / |\nabla f^\top d|)`:
    the step at which the quadratic model along :math:`d` decreases f by as much
    as the previous iteration did (Nocedal & Wright Eq. 3.60; scipy's CG and BFGS
    seed their line searches the same way).  On the first iteration
    :math:`f_{-1} = f + \|\nabla f\|_2 / 2`, so that the first trial moves about
    unit length along :math:`-\nabla f`: a large gradient does not throw the
    iterate far away on its first step.
    """
    if old_fval is None:
        old_fval = f + math.sqrt(g.dot(g)) / 2
    a0 = 1.01 * 2.0 * (f - old_fval) / slope
    return min(step, a0) if a0 > 0.0 and math.isfinite(a0) else step


def armijo(obj: CountedObjective, x: np.ndarray, f: float, g: np.ndarray, G: np.ndarray, *,
           step: float,
           c1: float = 1e-4, shrink: float = 0.5, maxls: int = 30, init_step: str = "step",
           old_fval: Optional[float] = None, **_: Any) -> Optional[Step]:
    r"""Backtracking line search on f with the sufficient-decrease condition.

    The first trial is ``step`` (``init_step="step"``) or :func:`first_trial`
    (``init_step="decrease"``, the default of :func:`cgdopt.minimize`).
    """
    slope = -g.dot(G)
    if not slope < 0:
        return None
    alpha = float(step) if init_step == "step" else first_trial(step, f, slope, g, old_fval)
    for _trial in range(maxls):
        p, sq = trial_point(x, alpha, G)  # a new array per trial: the memo keys on identity
        if p is not None:
            f_new = obj.fun(p)
            if f_new <= f + c1 * alpha * slope:  # False for NaN
                return alpha, p, f_new, sq
        alpha *= shrink
    return None


def wolfe(obj: CountedObjective, x: np.ndarray, f: float, g: np.ndarray, G: np.ndarray, *,
          c1: float = 1e-4,
          c2: float = 0.9, maxls: int = 30, old_fval: Optional[float] = None,
          **_: Any) -> Optional[Step]:
    """Strong-Wolfe step: MINPACK's dcsrch, then scipy's ``line_search`` (as scipy's CG)."""
    d = -G
    if not g.dot(d) < 0:
        return None
    if old_fval is None:  # scipy CG's guess of the previous value: first step ~ unit length
        old_fval = f + math.sqrt(g.dot(g)) / 2
    last: List[Optional[np.ndarray]] = [None]

    def same(p: np.ndarray) -> np.ndarray:  # scipy rebuilds x + a d for f and for g: one array
        q = last[0]
        if q is not None and np.array_equal(p, q):
            return q
        if not (math.isfinite(p.dot(p)) or np.isfinite(p).all()):
            raise NonFinite("trial point of the line search")
        last[0] = p
        return p

    def phi(p: np.ndarray) -> float:
        return obj.fun(same(p))

    def der(p: np.ndarray) -> np.ndarray:
        return obj.grad(same(p), "gradient at a trial point of the line search")

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LineSearchWarning)
        alpha = None
        if _wolfe1 is not None:
            alpha = _wolfe1(phi, der, x, d, g, f, old_fval, c1=c1, c2=c2,
                            amin=1e-100, amax=1e100)[0]
        if alpha is None:
            alpha = _wolfe2(phi, der, x, d, gfk=g, old_fval=f, old_old_fval=old_fval,
                            c1=c1, c2=c2, maxiter=maxls)[0]
    if alpha is None:
        return None
    p = same(x + alpha * d)
    return float(alpha), p, obj.fun(p), float(p.dot(p))


RULES: Dict[str, Callable[..., Optional[Step]]] = {"fixed": fixed, "armijo": armijo, "wolfe": wolfe}


def bind(opts: Dict[str, Any]) -> Callable[..., Optional[Step]]:
    """``rule(obj, x, f, g, G, out, old_fval)`` with the options of ``opts`` bound once.

    Binding here keeps the per-iteration call free of keyword-dict unpacking.
    """
    name = opts["line_search"]
    step, c1, c2, shrink, maxls = (opts[k] for k in ("step", "c1", "c2", "shrink", "maxls"))
    init = opts.get("init_step", "step")
    if name == "fixed":
        return lambda obj, x, f, g, G, out, old: fixed(obj, x, f, g, G, step=step, out=out)
    if name == "armijo":
        return lambda obj, x, f, g, G, out, old: armijo(obj, x, f, g, G, step=step, c1=c1,
                                                        shrink=shrink, maxls=maxls,
                                                        init_step=init, old_fval=old)
    if name == "wolfe":
        return lambda obj, x, f, g, G, out, old: wolfe(obj, x, f, g, G, c1=c1, c2=c2,
                                                       maxls=maxls, old_fval=old)
    raise ValueError(f"line_search must be one of {LINE_SEARCHES}, got {name!r}")
