"""The iteration loop shared by every numpy method.

One iteration k (Algorithms 1 and 2 of the CGD paper):

1. gradient ``g_k`` at ``x_k`` (memoized; charged to the budget when new);
2. stop if ``||g_k|| <= gtol`` (tested on f, never on the regularized g, so an
   artificial stationary point of g is not a stopping point), or at
   ``maxiter``;
3. the descent's ``G_k`` (regularized while allowed), then the safeguard;
4. a step size from the line-search rule, ``x_{k+1} = x_k - alpha G_k``;
5. history, callback, and the ``switch_after`` rule (Algorithm 2, line 20).

The run ends with a status from :data:`STATUS_MESSAGES`; it never returns a
non-finite ``x``: when a non-finite value appears, the last finite iterate is
returned with status 3.
"""
from __future__ import annotations

import numpy as np
from scipy.optimize import OptimizeResult

from . import directions as rules
from ._counting import BudgetExhausted
from .linesearch import RULES

SUCCESS, MAXITER, BUDGET, NONFINITE, LINESEARCH, STALLED, CALLBACK = 0, 1, 2, 3, 4, 5, 99
STATUS_MESSAGES = {
    SUCCESS: "Optimization terminated successfully: the gradient norm of f is at most gtol.",
    MAXITER: "Maximum number of iterations has been exceeded.",
    BUDGET: "Budget of gradient evaluations exhausted.",
    NONFINITE: "Stopped at the last finite iterate: a non-finite value was encountered",
    LINESEARCH: "The line search found no acceptable step along the direction.",
    STALLED: "Precision loss: the step no longer changes x, and gtol was not reached.",
    CALLBACK: "`callback` raised `StopIteration`.",
}
HISTORY_KEYS = ("iteration", "ngev", "nfev", "f", "grad_norm", "step", "kind")


class _History:
    """Rows per iterate x_k; ``grad_norm`` is NaN where the gradient was never evaluated."""

    def __init__(self):
        self.rows = []

    def add(self, k, obj, f, step=np.nan, kind=""):
        self.rows.append([k, obj.njev, obj.nfev, f, np.nan, step, kind])

    def set_grad_norm(self, value):
        self.rows[-1][4] = value

    def arrays(self):
        cols = list(zip(*self.rows))
        dtypes = (int, int, int, float, float, float, str)
        return {key: np.asarray(col, dtype=dt) for key, col, dt in zip(HISTORY_KEYS, cols, dtypes)}


def solve(obj, x0, descent, schedule, opts, callback, ngev0=0):
    """Run the loop; ``opts`` is the validated option dict (see ``_options``).

    ``ngev0`` is the number of gradient evaluations spent to reach ``x0``
    (1 when ``fun`` returns the gradient with f, else 0), recorded in the history.
    """
    x = x0.copy()
    f = obj.fun(x)
    history = _History()
    history.add(0, obj, f)
    history.rows[0][1] = ngev0
    state = dict(n_fallbacks=0, switch_iteration=None, switch_reason=None, old_fval=None)
    use_reg = descent.regularizes
    g, k, status, detail = None, 0, None, ""
    step_rule = RULES[opts["line_search"]]
    f_cost = 1 if obj.fun_returns_grad else 0
    while status is None:
        try:
            g_cost = 0 if obj.grad_is_cached(x) else 1
            if g_cost + f_cost > obj.remaining:
                raise BudgetExhausted
            g = obj.grad(x)
            if not np.all(np.isfinite(g)):
                g, status, detail = None, NONFINITE, f" in the gradient at iteration {k}."
                break
            gnorm = float(np.linalg.norm(g, ord=opts["norm"]))
            history.set_grad_norm(gnorm)
            if gnorm <= opts["gtol"]:
                status = SUCCESS
                break
            if k >= opts["maxiter"]:
                status = MAXITER
                break
            regularize = use_reg and descent.probe_cost() + f_cost <= obj.remaining
            G = descent.compute(obj, x, g, schedule(k)) if regularize else g
            kind = descent.name if regularize else "gd"
            if regularize and opts["safeguard"] != "none":
                G, fell_back = rules.safeguard(g, G)
                if fell_back:
                    kind = "fallback"
                    state["n_fallbacks"] += 1
                    if opts["safeguard"] == "switch":
                        use_reg = False
                        state.update(switch_iteration=k, switch_reason="safeguard")
            if not np.all(np.isfinite(G)):
                status, detail = NONFINITE, f" in the search direction at iteration {k}."
                break
            d = -G
            alpha = step_rule(obj, x, f, g, d, old_fval=state["old_fval"], **opts)
            if alpha is None:
                status = LINESEARCH
                break
            x_new = x + alpha * d
            f_new = obj.fun(x_new) if np.all(np.isfinite(x_new)) else np.nan
        except BudgetExhausted:
            status = BUDGET
            break
        if not np.isfinite(f_new):
            status, detail = NONFINITE, f" in f at the trial point of iteration {k}."
            break
        if np.array_equal(x_new, x):
            status = STALLED
            break
        state["old_fval"] = f
        x, f, g = x_new, f_new, None
        if use_reg and opts["switch_after"] is not None and k >= opts["switch_after"]:
            use_reg = False
            state.update(switch_iteration=k, switch_reason="switch_after")
        k += 1
        history.add(k, obj, f, alpha, kind)
        if callback is not None and callback(x, f, k):
            status = CALLBACK

    return OptimizeResult(
        x=x, fun=f, jac=g, nit=k, nfev=obj.nfev, njev=obj.njev, nhev=obj.nhev,
        status=status, success=status == SUCCESS,
        message=STATUS_MESSAGES[status] + detail, history=history.arrays(),
        n_fallbacks=state["n_fallbacks"], switch_iteration=state["switch_iteration"],
        switch_reason=state["switch_reason"])
