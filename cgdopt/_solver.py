"""The iteration loop shared by every numpy method.

One iteration k (Algorithms 1 and 2 of the CGD paper):

1. gradient ``g_k`` at ``x_k`` (memoized; charged to the budget when new);
2. stop if ``||g_k|| <= gtol`` (tested on f, never on the regularized g, so an
   artificial stationary point of g is not a stopping point), or at
   ``maxiter``;
3. the descent's ``G_k`` (regularized while allowed), then the safeguard and
   the Lemma 1 check (below);
4. a step from the line-search rule, ``x_{k+1} = x_k - alpha G_k``;
5. history, callback, and the ``switch_after`` rule (Algorithm 2, line 20).

**Lemma 1.**  A stationary point of g with ``grad f != 0`` attracts CGD
although it is no minimum of f.  Near one, ``G`` vanishes while ``grad f``
does not.  When a safeguard is on and ``||G||_2 <= LEMMA1_RATIO * ||grad f||_2``,
the iteration steps along ``-grad f`` (``kind="fallback"``) and, following the
paper's remedy ("a perturbation from the current lambda"), lambda is halved
for the rest of the run with ``safeguard="fallback"`` (reported as
``lam_scale``) or regularization stops with ``safeguard="switch"``.

Cheap checks (the loop is the per-iteration cost users feel): one BLAS dot
product per vector gives both its finiteness and its Euclidean norm; the
``gtol`` test uses the Hoelder bounds between the 2-norm and the chosen norm
and computes the chosen norm only when the bounds do not decide; ``x_{k+1}``
is written into a reused buffer with the fixed step, and is not scanned at all
while ``||x_k|| + step ||G_k||`` (a bound on ``||x_{k+1}||``, carried from
iteration to iteration) is far below the overflow threshold: the stall test
then uses the bound, and computes the exact norm only when the bound cannot
tell.

The run ends with a status from :data:`STATUS_MESSAGES`; it never returns a
non-finite ``x``: when a non-finite value appears, the last finite iterate is
returned with status 3 and a message naming the value.  One exception, under a
safeguard (``"fallback"`` or ``"switch"``): a CGD-FD direction that is not
finite because its probe gradient *overflowed* (inf, no NaN; the probe
``x + r grad f`` lies where the gradient exceeds the float range, e.g.
Jennrich-Sampson from its standard start) is rejected like a direction that
does not descend: the iteration steps along ``-grad f``, counted in
``n_fallbacks`` and in ``n_overflows``, and the final message says so.  A NaN
anywhere, and any non-finite value with ``safeguard="none"``, still ends the
run with status 3.
"""
from __future__ import annotations

import math
from typing import Any, Callable, Dict, List, Optional, Tuple

import numpy as np
from scipy.optimize import OptimizeResult

from ._counting import CountedObjective
from ._descents import NewtonSystemSingular
from ._signals import BudgetExhausted, NonFinite
from .linesearch import bind
from .schedules import Constant

SUCCESS, MAXITER, BUDGET, NONFINITE, LINESEARCH, STALLED, SINGULAR, CALLBACK = 0, 1, 2, 3, 4, 5, 6, 99
STATUS_MESSAGES = {
    SUCCESS: "Optimization terminated successfully: the gradient norm of f is at most gtol.",
    MAXITER: "Maximum number of iterations has been exceeded.",
    BUDGET: "Budget of gradient evaluations exhausted.",
    NONFINITE: "Stopped at the last finite iterate: a non-finite value was encountered",
    LINESEARCH: "The line search found no acceptable step along the direction.",
    STALLED: "Precision loss: the step no longer changes x, and gtol was not reached.",
    SINGULAR: "The Newton system has no solution: the Hessian is singular or has no positive "
              "curvature along the gradient (safeguard='none'; the default safeguard "
              "'fallback' takes a regularized Newton step there).",
    CALLBACK: "`callback` raised `StopIteration`.",
}
HISTORY_KEYS = ("iteration", "ngev", "nfev", "f", "grad_norm", "step", "kind")
#: ||G|| <= LEMMA1_RATIO * ||grad f||: an artificial stationary point of g is near (Lemma 1)
LEMMA1_RATIO = 1e-2
_EPS = float(np.finfo(float).eps)
#: from this size on, x_{k+1} is written into a reused buffer (below it, allocating is faster)
REUSE_MIN_SIZE = 4096


class _History:
    """Rows per iterate x_k; ``grad_norm`` (Euclidean) is NaN where the gradient was never evaluated.

    ``rows`` holds ``(iteration, ngev, nfev, f, step, kind)`` tuples and
    ``grad_norms`` the norm of the gradient at x_0, x_1, ... as far as it was
    evaluated (a tuple and an append per iteration: the cheapest record).
    """

    def __init__(self) -> None:
        self.rows: List[Tuple[Any, ...]] = []
        self.grad_norms: List[float] = []

    def add(self, k: int, obj: CountedObjective, f: float, step: float = math.nan,
            kind: str = "", ngev: Optional[int] = None) -> None:
        self.rows.append((k, obj.njev if ngev is None else ngev, obj.nfev, f, step, kind))

    def arrays(self) -> Dict[str, np.ndarray]:
        k, ngev, nfev, f, step, kind = zip(*self.rows)
        norms = self.grad_norms + [math.nan] * (len(self.rows) - len(self.grad_norms))
        cols = (k, ngev, nfev, f, norms, step, kind)
        dtypes = (int, int, int, float, float, float, str)
        return {key: np.asarray(col, dtype=dt) for key, col, dt in zip(HISTORY_KEYS, cols, dtypes)}


def _gtol_test(gtol: float, ord_: float, n: int) -> Callable[[np.ndarray, float], bool]:
    """``converged(g, g_sq) -> ||g||_ord <= gtol``, deciding from ``g_sq = ||g||_2^2`` when it can.

    Hoelder: ``lo ||g||_2 <= ||g||_ord <= hi ||g||_2`` with ``lo, hi`` from
    ``n^(1/ord - 1/2)``; the exact norm is computed only between the bounds.
    """
    if ord_ == 2:
        return lambda g, sq: math.sqrt(sq) <= gtol
    e = (1.0 / ord_ if math.isfinite(ord_) else 0.0) - 0.5
    lo, hi = (n ** e, 1.0) if e < 0 else (1.0, n ** e)
    lo, hi = lo * (1 - 1e-12), hi * (1 + 1e-12)  # rounding of sqrt and of the powers

    def converged(g: np.ndarray, sq: float) -> bool:
        s = math.sqrt(sq)
        if hi * s <= gtol:
            return True
        if lo * s > gtol:
            return False
        return float(np.linalg.norm(g, ord=ord_)) <= gtol

    return converged


def _moved(x_new: np.ndarray, x: np.ndarray) -> bool:
    """True when the step changed x (the exact test, made only when the cheap one cannot tell).

    The cheap test in the loop: the largest step component is at least
    ``||step||_2 / sqrt(n)``, and a component of x surely changes when its step
    exceeds ``2 eps (||x_new||_2 + ||step||_2)`` (> 2 eps |x_i| plus rounding).
    """
    return not np.array_equal(x_new, x)


def solve(obj: CountedObjective, x0: np.ndarray, descent: Any, schedule: Callable[[int], float],
          opts: Dict[str, Any], callback: Optional[Callable[[np.ndarray, float, int], bool]],
          ngev0: int = 0) -> OptimizeResult:
    """Run the loop; ``opts`` is the validated option dict (see ``_options``).

    ``x0`` must be an array owned by the run (the solver never modifies it).
    ``ngev0`` is the number of gradient evaluations spent to reach ``x0``
    (1 when ``fun`` returns the gradient with f, else 0), recorded in the history.
    """
    x = x0
    f = obj.fun(x)
    history = _History()
    history.add(0, obj, f, ngev=ngev0)
    rows, grad_norms = history.rows, history.grad_norms
    n_fallbacks, switch_iteration, switch_reason, lam_scale = 0, None, None, 1.0
    n_overflows = 0
    old_fval: Optional[float] = None
    use_reg = descent.regularizes
    name = descent.name
    g: Optional[np.ndarray] = None
    k, status, detail = 0, None, ""
    rule = bind(opts)
    fixed_step, step = opts["line_search"] == "fixed", opts["step"]
    # -step as a 0-d array: numpy multiplies by it faster than by a Python float, same result
    neg_step = np.array(-step if fixed_step else math.nan)
    reuse = fixed_step and x.size >= REUSE_MIN_SIZE
    tiny = 16.0 * x.size * _EPS * _EPS  # see _moved
    converged = _gtol_test(opts["gtol"], opts["norm"], x.size)
    gtol, maxiter, safeguard = opts["gtol"], opts["maxiter"], opts["safeguard"]
    switch_after = opts["switch_after"]
    f_cost = 1 if obj.fun_returns_grad else 0
    lemma1 = LEMMA1_RATIO ** 2 if name in ("cgd", "cgd-fd") else 0.0
    spare: Optional[np.ndarray] = None  # buffer for x_{k+1} (fixed step), the old x_k
    # xsq: ||x_k||^2, or an upper bound of it (exact = False) under the fixed step
    xsq = descent.x_sq = float(x.dot(x))  # for descents that bound their probe points
    exact = True
    budget = obj.budget
    # a constant lambda schedule is read once (one call less per iteration)
    lam_const = schedule.value if isinstance(schedule, Constant) else None
    while status is None:
        try:
            if budget is not None:
                g_cost = 0 if obj.grad_is_cached(x) else 1
                if g_cost + f_cost > obj.remaining:
                    raise BudgetExhausted
            g = obj.grad(x)
            gsq = obj.grad_sq
            grad_norms.append(math.sqrt(gsq) if gsq < math.inf else float(np.linalg.norm(g)))
            if (gtol > 0.0 or gsq == 0.0) and converged(g, gsq):
                status = SUCCESS
                break
            if k >= maxiter:
                status = MAXITER
                break
            kind, G, Gsq = "gd", g, gsq
            if use_reg and (budget is None or descent.probe_cost() + f_cost <= obj.remaining):
                kind = name
                lam = (lam_const if lam_const is not None else schedule(k)) * lam_scale
                G, modified = descent.compute(obj, x, g, lam)
                if modified:  # Newton's own safe direction
                    kind = "fallback"
                    n_fallbacks += 1
                    if safeguard == "switch":
                        use_reg, switch_iteration, switch_reason = False, k, "safeguard"
                if G is not g:
                    Gsq = G.dot(G)
                    if not math.isfinite(Gsq) and not np.isfinite(G).all():
                        if safeguard == "none" or not descent.overflowed():
                            blame = getattr(descent, "blame", None)
                            raise NonFinite(blame() if blame is not None else "search direction")
                        # an overflow (inf, no NaN) at the probe: the safeguard rejects G
                        G, Gsq, kind = g, gsq, "fallback"
                        n_fallbacks += 1
                        n_overflows += 1
                        if safeguard == "switch":
                            use_reg, switch_iteration, switch_reason = False, k, "overflow"
                if G is not g and not modified and safeguard != "none":
                    descends = g.dot(G) > 0.0  # Eq. 3
                    if not descends or Gsq <= lemma1 * gsq:  # Lemma 1: near a stationary point of g
                        if descends and safeguard == "fallback":
                            lam_scale *= 0.5  # the paper's remedy: perturb lambda
                        G, Gsq, kind = g, gsq, "fallback"
                        n_fallbacks += 1
                        if safeguard == "switch":
                            use_reg, switch_iteration, switch_reason = False, k, "safeguard"
            if fixed_step:  # linesearch.fixed, inlined: the paper's protocol is the hot path
                # x - step G (linesearch.trial_point, inlined)
                if spare is not None:  # large x: into the old iterate's buffer
                    obj.forget(spare)
                    x_new = np.multiply(G, neg_step, out=spare)
                    x_new += x
                elif reuse:  # large x, first iteration
                    # two n-sized allocations, as before the buffers are reused: measured, the
                    # one-allocation form leaves glibc's heap so that every later iteration
                    # faults in a fresh n-sized block (243 vs 6 page faults per iteration at
                    # n = 1e5, benchmarks/minimize_overhead.py)
                    x_new = x - step * G
                else:  # small x: a multiplication by a 0-d array is the cheapest
                    x_new = neg_step * G
                    x_new += x
                # ||x_new|| <= ||x|| + step ||G||: far below the overflow threshold, x_new is
                # surely finite and the bound serves the stall test (no scan of x_new)
                bound = math.sqrt(xsq) + step * math.sqrt(Gsq)
                if bound < 1e150:
                    xsq, exact = bound * bound, False
                else:
                    xsq, exact = float(x_new.dot(x_new)), True
                    if not math.isfinite(xsq) and not np.isfinite(x_new).all():
                        raise NonFinite("trial point x - step G")
                alpha, f_new = step, obj.fun(x_new)
            else:
                accepted = rule(obj, x, f, g, G, None, old_fval)
                if accepted is None:
                    status = LINESEARCH
                    break
                alpha, x_new, f_new, xsq = accepted
                exact = True
        except BudgetExhausted:
            status = BUDGET
            break
        except NonFinite as exc:
            status, detail = NONFINITE, f" in the {exc.what} at iteration {k}."
            break
        except NewtonSystemSingular:
            status = SINGULAR
            break
        if not math.isfinite(f_new):
            status, detail = NONFINITE, f" in f at the trial point of iteration {k}."
            break
        step_sq = alpha * alpha * Gsq
        if not step_sq > tiny * (xsq + step_sq):  # the cheap test cannot tell: exact ones
            if not exact:
                xsq, exact = float(x_new.dot(x_new)), True
            if not (step_sq > tiny * (xsq + step_sq) or _moved(x_new, x)):
                status = STALLED
                break
        old_fval = f
        spare = x if reuse and x is not x0 else None
        x, f, g = x_new, f_new, None
        descent.x_sq = xsq
        if use_reg and switch_after is not None and k >= switch_after:
            use_reg, switch_iteration, switch_reason = False, k, "switch_after"
        k += 1
        rows.append((k, obj.njev, obj.nfev, f, alpha, kind))
        if callback is not None and callback(x, f, k):
            status = CALLBACK

    if n_overflows:
        detail += (f" The safeguard replaced {n_overflows} regularized direction"
                   f"{'s' if n_overflows > 1 else ''} whose probe gradient overflowed (inf, "
                   f"no NaN) by -grad f.")
    return OptimizeResult(
        x=x, fun=f, jac=g, nit=k, nfev=obj.nfev, njev=obj.njev, nhev=obj.nhev,
        status=status, success=status == SUCCESS,
        message=STATUS_MESSAGES[status] + detail, history=history.arrays(),
        n_fallbacks=n_fallbacks, n_overflows=n_overflows, switch_iteration=switch_iteration,
        switch_reason=switch_reason, lam_scale=lam_scale)
