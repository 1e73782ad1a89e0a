"""The ``compare`` study: methods × line searches × functions × random starts, under one budget.

Pipeline: ``check`` resolves the names -> ``tasks`` makes one run per cgdopt
method × line search × function × n × start (scipy and custom methods once per
function × n × start, with their own line searches) -> :func:`run_one` runs it
through :func:`cgdopt.bench.budgeted.run_method` -> ``report`` writes
performance and data profiles (:mod:`cgdopt.bench.profiles`) and the tables.

The paper study reuses :func:`make_tasks` and :func:`profile_report`.
"""
from __future__ import annotations

import json
import numbers
import time

import numpy as np
import pandas as pd

from ..budgeted import needs_second_derivatives, run_method
from ..engine import Task
from ..errors import BenchInputError
from ..problems import (CGDOPT_METHODS, make_function, problem_dims, resolve_functions,
                        resolve_line_searches, resolve_methods, start_point)
from ..profiles import TAUS, fraction_solved, median_cost, plot_profiles, solve_costs
from ..report import markdown_table, savefig, style

NAME = "compare"
HELP = ("compare methods and line searches on test functions from random starts, "
        "under one budget of gradient evaluations; performance and data profiles")
DEFAULT_METHODS = "gd,cgd,cgd-fd,newton,scipy:BFGS,scipy:CG,scipy:L-BFGS-B"


def add_arguments(parser) -> None:
    parser.add_argument("--functions", default="paper", metavar="LIST",
                        help="comma-separated: paper (the six functions of the CGD paper), all "
                             "(the whole library), names such as levy,rosenbrock, tag:TAG "
                             "(e.g. tag:convex) or pkg.module:name (default: paper)")
    parser.add_argument("--methods", default=DEFAULT_METHODS, metavar="LIST",
                        help="comma-separated: gd, cgd, cgd-fd, newton (cgdopt), scipy:NAME "
                             "(BFGS, CG, L-BFGS-B, Newton-CG, trust-ncg, ...) or "
                             "pkg.module:callable, any scipy custom minimizer (default: "
                             f"{DEFAULT_METHODS.replace(',', ', ')})")
    parser.add_argument("--line-search", default=None, metavar="LIST",
                        help="line searches of the cgdopt methods, comma-separated from fixed, "
                             "armijo, wolfe (default: all three); scipy methods use their own")
    parser.add_argument("--budget", type=int, default=200, metavar="B",
                        help="gradient evaluations per run, a Hessian-vector product counting "
                             "as one (default: 200)")
    parser.add_argument("--starts", type=int, default=10, metavar="N",
                        help="random starts per function, uniform in its usual domain (default: 10)")
    parser.add_argument("--dims", default=None, metavar="LIST",
                        help="dimensions of the variable-dimension functions, e.g. 2,10 "
                             "(default: each function's default n)")
    parser.add_argument("--options", default="{}", metavar="JSON",
                        help="options per method as JSON, e.g. '{\"cgd-fd\": {\"lam\": 0.1}}'; "
                             "cgdopt methods otherwise use cgdopt.minimize's defaults")


def _count(opts, name, flag, minimum=1):
    v = opts.get(name)
    if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v < minimum:
        raise BenchInputError(f"{flag}: got {v!r}; accepted: an integer >= {minimum}")
    return int(v)


def _check_options(value, methods) -> dict:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise BenchInputError(f"--options: not valid JSON ({exc.msg} at character {exc.pos}) "
                                  f"in {value!r}; accepted: e.g. '{{\"cgd-fd\": {{\"lam\": 0.1}}}}'") from None
    if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
        raise BenchInputError(f"--options: got {value!r}; accepted: a JSON object mapping "
                              "method names to objects of options")
    for method, options in value.items():
        if method not in methods:
            raise BenchInputError(f"--options: method {method!r} is not among --methods "
                                  f"({', '.join(methods)})")
        if method in CGDOPT_METHODS:
            _check_cgdopt_options(method, options)
        elif method.startswith("scipy:"):
            _check_scipy_options(method, options)
    return value


def _check_scipy_options(method, options):
    """scipy only warns about unknown options (and the runs silence warnings): refuse them here."""
    import warnings

    import scipy.optimize

    need = needs_second_derivatives(method)
    extra = {"hessp": lambda x, p: 2 * p} if need == "hessp" else \
        {"hess": lambda x: 2 * np.eye(x.size)} if need == "hess" else {}
    with warnings.catch_warnings():
        warnings.simplefilter("error", scipy.optimize.OptimizeWarning)
        try:
            scipy.optimize.minimize(lambda x: float(x @ x), np.ones(2), jac=lambda x: 2 * x,
                                    method=method[6:], options=dict(options), **extra)
        except (scipy.optimize.OptimizeWarning, TypeError, ValueError) as exc:
            raise BenchInputError(f"--options: {method}: {exc}") from None


def _check_cgdopt_options(method, options):
    import warnings

    from cgdopt._options import validate_options

    bad = {"budget", "line_search"} & set(options)
    if bad:
        raise BenchInputError(f"--options: {method}: {', '.join(sorted(bad))} are set by --budget "
                              "and --line-search")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            validate_options(method, {**options, "line_search": "fixed"})
        except (ValueError, TypeError, Warning) as exc:
            raise BenchInputError(f"--options: {method}: {exc}") from None


def check(opts: dict) -> dict:
    """Validate and normalize the options (lists for the comma-separated flags)."""
    opts = dict(opts)
    opts["budget"] = _count(opts, "budget", "--budget")
    opts["starts"] = _count(opts, "starts", "--starts")
    opts["functions"] = resolve_functions(opts["functions"])
    opts["methods"] = resolve_methods(opts["methods"])
    given = opts.get("line_search")
    opts["line_search"] = resolve_line_searches("fixed,armijo,wolfe" if given is None else given)
    if given is not None and not any(m in CGDOPT_METHODS for m in opts["methods"]):
        raise BenchInputError(f"--line-search: got {given!r}, but --methods "
                              f"({', '.join(opts['methods'])}) has no cgdopt method; the others "
                              f"use their own line searches. Leave --line-search out")
    dims = opts.get("dims")
    if dims is not None:
        items = dims.split(",") if isinstance(dims, str) else list(dims)
        try:
            dims = sorted({int(d) for d in items})
        except (TypeError, ValueError):
            raise BenchInputError(f"--dims: got {opts['dims']!r}; accepted: integers >= 1 "
                                  "separated by commas") from None
        if not dims or dims[0] < 1:
            raise BenchInputError(f"--dims: got {opts['dims']!r}; accepted: integers >= 1")
    opts["dims"] = dims
    opts["options"] = _check_options(opts.get("options") or {}, opts["methods"])
    return opts


def config(opts: dict) -> dict:
    """Everything but ``starts`` (more starts extend a study)."""
    return {k: opts[k] for k in ("functions", "dims", "methods", "line_search", "budget",
                                 "options", "seed")}


def solver_label(method: str, line_search) -> str:
    """``"gd (armijo)"`` for cgdopt methods, the method itself otherwise."""
    return f"{method} ({line_search})" if line_search not in (None, "", "-") else method


def make_tasks(functions, dims, methods, line_searches, budget, starts, seed, options,
               study=NAME) -> list:
    """One :class:`~cgdopt.bench.engine.Task` per run, keys ``function|n|method|line search|start``."""
    tasks = []
    for function in functions:
        for n in problem_dims(function, dims):
            for method in methods:
                for ls in (line_searches if method in CGDOPT_METHODS else ["-"]):
                    for i in range(starts):
                        key = f"{function}|n={n}|{method}|{ls}|start={i}"
                        tasks.append(Task(key, run_one, dict(
                            study=study, function=function, n=n, method=method, line_search=ls,
                            budget=budget, options=dict(options.get(method, {})), seed=seed,
                            start=i)))
    return tasks


def tasks(opts: dict) -> list:
    return make_tasks(opts["functions"], opts["dims"], opts["methods"], opts["line_search"],
                      opts["budget"], opts["starts"], opts["seed"], opts["options"])


def run_one(study, function, n, method, line_search, budget, options, seed, start):
    """One run (module level, so joblib and Dask can ship it): ``(row, trace)``."""
    row = dict(study=study, function=function, n=n, method=method, line_search=line_search,
               solver=solver_label(method, line_search), options=json.dumps(options, sort_keys=True),
               seed=seed, start=start)
    try:
        f = make_function(function, n, seed)
    except ValueError as exc:  # e.g. a --dims value this function does not accept
        return dict(row, status="skipped", message=f"{function} in n={n}: {exc}"), None
    need = needs_second_derivatives(method)
    if need is not None and not callable(getattr(f, need if need == "hessp" else "hess", None)):
        return dict(row, status="skipped", message=f"{method} needs {need}; {function} has none"), None
    x0 = start_point(f, function, n, seed, start)
    f_opt = float(getattr(f, "f_opt", np.nan))
    cpu = time.process_time()
    result, trace = run_method(f, x0, method, budget=budget,
                               line_search=None if line_search == "-" else line_search,
                               options=options, f_opt=f_opt)
    # CPU seconds of this run: on a shared machine wall_s also counts the time others ran
    return dict(row, **result, cpu_s=time.process_time() - cpu), trace


def _finished(runs: pd.DataFrame) -> pd.DataFrame:
    if "status" not in runs:
        return runs.iloc[0:0]
    return runs[~runs["status"].isin(["skipped", "error"])]


def _with_solver(runs: pd.DataFrame) -> pd.DataFrame:
    """Rows the engine wrote for a crashed run carry only the key: take the solver from it."""
    if not len(runs):
        return runs
    runs = runs.copy()
    parts = runs["key"].str.split("|")
    from_key = [solver_label(p[2], p[3]) if len(p) == 5 else None for p in parts]
    if "solver" not in runs:
        runs["solver"] = from_key
    else:
        runs["solver"] = runs["solver"].where(runs["solver"].notna(), pd.Series(from_key, index=runs.index))
    return runs


def profile_report(store, out_dir, *, budget: int, caption: str, prefix: str = "compare",
                   plt=None) -> str:
    """Profiles, fraction-solved and median-cost tables, per-function table, status counts."""
    plt = plt or style()
    runs = _with_solver(store.runs())
    ok = _finished(runs)
    traces = store.traces()
    parts = []
    status = runs.pivot_table(index="solver", columns="status", values="key", aggfunc="count",
                              fill_value=0) if len(runs) else pd.DataFrame()
    parts.append("## Runs by status\n\n" + markdown_table(status, index=True) + "\n\nconverged: "
                 "the method's own test passed; budget: stopped by the budget (best point seen "
                 "kept); stopped: ended otherwise (line search failed, iteration limit); "
                 "diverged: non-finite values; skipped: the combination cannot run (reason in "
                 "runs.csv).")
    skipped = runs[runs.get("status") == "skipped"] if "status" in runs else runs.iloc[0:0]
    if len(skipped):
        reasons = skipped.groupby("message")["key"].count().reset_index()
        reasons.columns = ["reason", "runs"]
        parts.append("### Skipped\n\n" + markdown_table(reasons))
    errors = runs[runs.get("status") == "error"] if "status" in runs else runs.iloc[0:0]
    if len(errors):
        parts.append("### Errors (a bug in a method or function: the run raised)\n\n"
                     + markdown_table(errors[["key", "error"]].head(20))
                     + (f"\n\n... and {len(errors) - 20} more in runs.csv" if len(errors) > 20 else ""))
    if not len(ok):
        return "\n\n".join(parts)
    by_tau, dropped = {}, 0
    for tau in TAUS:
        by_tau[tau], dropped = solve_costs(ok, traces, tau)
    solved = pd.DataFrame({f"τ={t:g}": fraction_solved(c) for t, c in by_tau.items()})
    medians = pd.DataFrame({f"τ={t:g}": median_cost(c) for t, c in by_tau.items()})
    n_prob = len(by_tau[TAUS[0]])
    note = (f"{n_prob} problems (function × n × start)" +
            (f"; {dropped} left out because no method decreased f there" if dropped else ""))
    parts.append("## Fraction of problems solved\n\nConvergence test f(x) ≤ f_L + τ (f(x0) − f_L),"
                 f" f_L the best value any method reached on the problem; {note}.\n\n"
                 + markdown_table(solved.sort_values(solved.columns[1], ascending=False),
                                  index=True))
    parts.append("## Median gradient evaluations to solve\n\nMedian over all problems, "
                 "unsolved ones counting as infinite (inf: half or more unsolved).\n\n"
                 + markdown_table(medians.loc[solved.sort_values(solved.columns[1],
                                                                 ascending=False).index], index=True))
    for kind in ("performance", "data"):
        fig = plot_profiles(by_tau, kind, budget=budget, caption=caption, plt=plt)
        parts.append(savefig(fig, out_dir, f"{prefix}_{kind}_profiles",
                             f"{kind.capitalize()} profiles, {caption}."))
    tau = 1e-3
    c = by_tau[tau]
    per = np.isfinite(c).groupby(level=["function", "n"]).mean()
    top = per.max(axis=1)
    winners = per.eq(top, axis=0)
    per["best"] = [", ".join(w[w].index) if w.sum() <= 2 else f"{w.sum()}-way tie"
                   for _, w in winners.iterrows()]
    parts.append(f"## Per function: fraction of starts solved at τ = {tau:g}\n\n"
                 + markdown_table(per, index=True, digits=2))
    return "\n\n".join(parts)


def report(store, opts: dict, out_dir) -> str:
    caption = (f"{len(opts['functions'])} functions, {opts['starts']} starts (seed {opts['seed']}), "
               f"budget {opts['budget']} gradient evaluations")
    return profile_report(store, out_dir, budget=opts["budget"], caption=caption)
