r"""Performance and data profiles of a set of solvers on a set of problems.

Convergence test (Moré & Wild [2]_, Eq. 2.2): solver *s* solves problem *p*
at tolerance :math:`\tau` after :math:`t_{p,s}` gradient evaluations, the
fewest at which it reached

.. math:: f(x) \le f_L + \tau\,(f(x_0) - f_L),

where :math:`f_L` is the smallest value any solver reached on *p* and
:math:`f(x_0)` the common starting value; :math:`t_{p,s} = \infty` if never.

* **Performance profile** (Dolan & Moré [1]_): with
  :math:`r_{p,s} = t_{p,s} / \min_s t_{p,s}`,
  :math:`\rho_s(\alpha) = |\{p : r_{p,s} \le \alpha\}| / |P|`:
  :math:`\rho_s(1)` is how often *s* was the cheapest,
  :math:`\rho_s(\infty)` how often it solved the problem at all.
* **Data profile** (Moré & Wild [2]_): :math:`d_s(\kappa) =
  |\{p : t_{p,s} \le \kappa\}| / |P|`, the fraction solved within
  :math:`\kappa` gradient evaluations.  Moré and Wild count in simplex
  gradients, :math:`n_p + 1` function values; the bench's unit is the
  gradient evaluation (a Hessian-vector product counts as one), so
  :math:`\kappa` is not divided by :math:`n_p + 1`.

Problems on which no solver decreased f (:math:`f(x_0) \le f_L`) cannot
discriminate and are left out (their number is reported).

References
----------
.. [1] E. D. Dolan, J. J. Moré, "Benchmarking optimization software with
   performance profiles", Math. Program. 91 (2002) 201-213.
.. [2] J. J. Moré, S. M. Wild, "Benchmarking derivative-free optimization
   algorithms", SIAM J. Optim. 20 (2009) 172-191.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["TAUS", "PROBLEM", "solve_costs", "performance_profile", "data_profile",
           "fraction_solved", "median_cost", "plot_profiles"]

#: the tolerances of the convergence test
TAUS = (1e-1, 1e-3, 1e-5, 1e-7)
#: the columns that identify a problem
PROBLEM = ("function", "n", "start")


def solve_costs(runs: pd.DataFrame, traces: pd.DataFrame, tau: float, *,
                problem=PROBLEM, solver: str = "solver", cost: str = "ngev") -> tuple[pd.DataFrame, int]:
    r"""The matrix :math:`t_{p,s}` at tolerance ``tau``.

    Parameters
    ----------
    runs : DataFrame
        One row per run: ``key``, the ``problem`` columns, ``solver`` and ``f0``
        (the common starting value).
    traces : DataFrame
        ``key``, ``cost`` and ``f``: the value after that many evaluations.
    tau : float
        Tolerance in (0, 1).

    Returns
    -------
    costs : DataFrame
        Index: problems, columns: solvers; ``inf`` where not solved (NaN where
        the solver has no run on that problem).
    n_dropped : int
        Problems left out because no solver decreased f.
    """
    problem = list(problem)
    tr = traces[["key", cost, "f"]].merge(runs[["key", *problem, solver, "f0"]], on="key")
    f_best = tr.groupby(problem)["f"].min().rename("f_L")
    tr = tr.join(f_best, on=problem)
    keep = (tr["f0"] - tr["f_L"] > 0) & np.isfinite(tr["f0"]) & np.isfinite(tr["f_L"])
    n_problems = runs.groupby(problem).ngroups
    tr = tr[keep]
    ok = tr["f"] <= tr["f_L"] + tau * (tr["f0"] - tr["f_L"])
    first = tr[ok].groupby([*problem, solver])[cost].min()
    pairs = runs[[*problem, solver]].drop_duplicates().set_index([*problem, solver])
    pairs = pairs.join(tr[problem].drop_duplicates().set_index(problem), how="inner")
    t = pd.Series(np.inf, index=pairs.index)
    t.loc[first.index] = first.astype(float)
    costs = t.unstack(solver)
    return costs, n_problems - len(costs)


def performance_profile(costs: pd.DataFrame, alphas=None) -> pd.DataFrame:
    r""":math:`\rho_s(\alpha)` for each solver (columns) at the ratios ``alphas`` (index).

    A problem no solver solved counts as unsolved for everyone.  A zero cost
    (solved at the start) is treated as one evaluation so ratios stay defined.
    """
    t = costs.astype(float).clip(lower=1.0)
    best = t.min(axis=1)
    ratios = t.div(best, axis=0)  # inf/inf = NaN: a problem nobody solved counts for nobody
    if alphas is None:
        finite = ratios.to_numpy()[np.isfinite(ratios.to_numpy())]
        top = max(2.0, float(finite.max()) * 1.05) if finite.size else 2.0
        alphas = np.unique(np.concatenate([[1.0], np.geomspace(1.0, top, 200), np.sort(finite)]))
    alphas = np.asarray(alphas, dtype=float)
    n = len(t)
    rho = {s: [(ratios[s] <= a).sum() / n if n else np.nan for a in alphas] for s in t.columns}
    return pd.DataFrame(rho, index=pd.Index(alphas, name="alpha"))


def data_profile(costs: pd.DataFrame, budgets) -> pd.DataFrame:
    r""":math:`d_s(\kappa)`: fraction of problems solved within ``kappa`` evaluations (index)."""
    budgets = np.asarray(budgets, dtype=float)
    n = len(costs)
    d = {s: [(costs[s] <= k).sum() / n if n else np.nan for k in budgets] for s in costs.columns}
    return pd.DataFrame(d, index=pd.Index(budgets, name="kappa"))


def fraction_solved(costs: pd.DataFrame) -> pd.Series:
    """Fraction of problems each solver solved (within its budget)."""
    return np.isfinite(costs).sum() / len(costs) if len(costs) else costs.sum() * np.nan


def median_cost(costs: pd.DataFrame) -> pd.Series:
    """Median evaluations to solve, over *all* problems (``inf`` when half or more are unsolved)."""
    return costs.median(axis=0, skipna=True)


def _line_style(label: str, i: int) -> dict:
    """Colour by method, dash by line search: ``"gd (armijo)"`` and ``"gd (wolfe)"`` share a colour."""
    method, _, rest = str(label).partition(" (")
    dashes = {"fixed)": "-", "armijo)": "--", "wolfe)": ":"}
    palette = {"gd": "C0", "cgd": "C1", "cgd-fd": "C3", "newton": "C2"}
    color = palette.get(method, f"C{4 + i % 6}")
    return dict(color=color, linestyle=dashes.get(rest, "-."))


def plot_profiles(by_tau: dict, kind: str, *, budget: int, caption: str, plt):
    """A 2 × 2 figure, one panel per tolerance; ``kind`` is ``"performance"`` or ``"data"``.

    Colours stand for methods, dashes for line searches (solid fixed, dashed
    Armijo, dotted Wolfe, dash-dot for scipy and custom methods).
    """
    taus = list(by_tau)
    ncols = 2 if len(taus) > 1 else 1
    nrows = -(-len(taus) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(5.2 * ncols, 3.6 * nrows), sharey=True,
                             squeeze=False)
    others = 0
    styles = {}
    for ax, tau in zip(axes.flat, taus):
        costs = by_tau[tau]
        if kind == "performance":
            prof = performance_profile(costs)
            ax.set_xscale("log", base=2)
            ax.set_xlabel("α: cost ≤ α × the best method's cost (gradient evaluations)")
        else:
            prof = data_profile(costs, np.arange(0, budget + 1))
            ax.set_xlabel("κ: budget (gradient evaluations)")
        for s in prof.columns:
            if s not in styles:
                styles[s] = _line_style(s, others)
                others += styles[s]["color"] not in ("C0", "C1", "C2", "C3")
            ax.step(prof.index, prof[s], where="post", label=str(s), lw=1.5, **styles[s])
        ax.set_title(f"τ = {tau:g} ({len(costs)} problems)")
        ax.set_ylim(-0.02, 1.02)
    for ax in axes[:, 0]:
        ax.set_ylabel("fraction of problems solved")
    for ax in list(axes.flat)[len(taus):]:
        ax.set_visible(False)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False)
    title = "Performance profiles (Dolan–Moré)" if kind == "performance" else \
        "Data profiles (Moré–Wild)"
    fig.suptitle(f"{title}\n{caption}; solved: f(x) ≤ f_L + τ (f(x0) − f_L)", fontsize=10)
    fig.tight_layout()
    return fig
