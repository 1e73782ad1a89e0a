r"""The ``grid`` study: a (λ, α) heat-map of median f − f* after the budget.

Pipeline: FUNCTION, ``--lam`` × ``--step`` × ``--starts`` -> one run each
(``--method``, default ``cgd-fd``, fixed step α, the paper's protocol
otherwise) -> median f − f* over starts per cell -> heat-map and table with
diverged cells marked.

Defaults follow the CGD paper's protocol (Section 4, Table 1): budget T = 40
gradient evaluations, ``--switch-after`` T/4, ``--r`` 1e-3, forward
differences, Algorithm 2 (``safeguard="switch"``); for the six paper
functions ``--n`` defaults to Table 1's dimension.  With λ = 0 the methods
spend no probe gradient (``cgdopt.minimize`` skips it), so that row is GD; the
report also gives GD with each α as a baseline row.

A run **diverged** when it stopped on a non-finite value (status 3) or ended
with f − f* above its start's.  Diverged runs count as +inf in the median, so
a cell whose median is +inf (half or more of its runs diverged) is marked
*diverged*; the number of diverged runs is shown in every cell that has any.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

import cgdopt

from .. import problems
from .. import report as rep
from ..engine import Task
from ..errors import BenchInputError

NAME = "grid"
HELP = "a (lambda, step) heat-map of median f - f* after the budget on one function, diverged cells marked"

METHODS = ("cgd-fd", "cgd")
NONFINITE = 3


def add_arguments(parser) -> None:
    parser.add_argument("function", metavar="FUNCTION", nargs="?", default=None,
                        help="a test-function name (see python -m cgdopt.testfunctions) or "
                             "pkg.module:name (required)")
    parser.add_argument("--lam", metavar="L,...", default="0,0.01,0.1,1",
                        help="regularization coefficients lambda >= 0 (default: 0,0.01,0.1,1)")
    parser.add_argument("--step", metavar="A,...", default="0.001,0.01,0.1",
                        help="fixed step sizes alpha > 0 (default: 0.001,0.01,0.1)")
    parser.add_argument("--method", default="cgd-fd",
                        help=f"one of {', '.join(METHODS)} (default: cgd-fd)")
    parser.add_argument("--starts", metavar="N", type=int, default=10,
                        help="random starts per cell (default: 10)")
    parser.add_argument("--budget", metavar="T", type=int, default=40,
                        help="gradient evaluations per run (default: 40, the paper's T)")
    parser.add_argument("--switch-after", metavar="B", type=int, default=None,
                        help="regularize iterations 0..B, then GD (default: budget // 4, the paper's b)")
    parser.add_argument("--r", metavar="R", type=float, default=None,
                        help="finite-difference step of cgd-fd (default: 1e-3); cgd has none")
    parser.add_argument("--n", metavar="N", type=int, default=None,
                        help="dimension (default: Table 1's n for the paper's functions, else the "
                             "function's default)")


def _numbers(value, flag, *, zero_ok):
    """``"0,0.1"``, ``[0, 0.1]`` or ``0.1`` -> ``[0.0, 0.1]`` (duplicates dropped, order kept)."""
    accepted = "numbers >= 0" if zero_ok else "numbers > 0"
    if isinstance(value, str):
        items = [v.strip() for v in value.split(",")]
    elif isinstance(value, (list, tuple)):
        items = list(value)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        items = [value]
    else:
        raise BenchInputError(f"{flag}: got {value!r}; accepted: comma-separated {accepted}")
    out = []
    for item in items:
        try:
            v = float(item) if not isinstance(item, bool) else float("nan")
        except (TypeError, ValueError):
            v = float("nan")
        if not math.isfinite(v) or v < 0 or (v == 0 and not zero_ok):
            raise BenchInputError(f"{flag}: got {item!r}; accepted: comma-separated finite {accepted}")
        if v not in out:
            out.append(v)
    return out


def _int(opts, name, flag, minimum, default):
    v = opts.get(name, default)
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < minimum:
        raise BenchInputError(f"{flag}: got {v!r}; accepted: an integer >= {minimum}")
    return int(v)


def check(opts: dict) -> dict:
    from . import paper

    opts = dict(opts)
    if opts.get("function") is None:
        raise BenchInputError("FUNCTION: missing; accepted: one test-function name, e.g. "
                              "python -m cgdopt.bench grid levy")
    try:
        labels = problems.resolve_functions(opts.get("function"))
    except BenchInputError as exc:
        raise BenchInputError(str(exc).replace("--functions:", "FUNCTION:", 1)) from None
    if len(labels) != 1:
        raise BenchInputError(f"FUNCTION: got {opts.get('function')!r}, which names {len(labels)} "
                              "functions; accepted: exactly one function name")
    method = opts.get("method", "cgd-fd")
    if method not in METHODS:
        import difflib

        close = difflib.get_close_matches(str(method), METHODS, n=1)
        raise BenchInputError(f"--method: got {method!r}; accepted: {', '.join(METHODS)}"
                              + (f"; did you mean {close[0]!r}?" if close else ""))
    budget = _int(opts, "budget", "--budget", 1, 40)
    switch = _int(opts, "switch_after", "--switch-after", 0, None)
    n = _int(opts, "n", "--n", 1, None)
    label = labels[0]
    if n is None:
        n = paper.TABLE1[label][0] if label in paper.TABLE1 else int(problems.problem_dims(label, None)[0])
    try:
        fn_n = getattr(problems.make_function(label, n, 0), "n", n)
    except ValueError as exc:
        raise BenchInputError(f"--n: {exc}") from None
    if fn_n != n:
        raise BenchInputError(f"--n: got {n}; accepted: {fn_n} ({label} has a fixed dimension)")
    r = opts.get("r")
    if r is not None and method == "cgd":
        raise BenchInputError(f"--r: got {r!r}, but --method cgd uses the exact Hessian and has no "
                              f"finite-difference step; leave --r out or use --method cgd-fd")
    r = 1e-3 if r is None else r  # also stored for cgd (unused), as before
    if isinstance(r, bool) or not isinstance(r, (int, float)) or not math.isfinite(r) or r == 0:
        raise BenchInputError(f"--r: got {r!r}; accepted: a finite non-zero number")
    seed = _int(opts, "seed", "--seed", 0, 0)
    opts.update(function=label, method=method, budget=budget, n=n, r=float(r), seed=seed,
                switch_after=budget // 4 if switch is None else switch,
                starts=_int(opts, "starts", "--starts", 1, 10),
                lam=_numbers(opts.get("lam", "0,0.01,0.1,1"), "--lam", zero_ok=True),
                step=_numbers(opts.get("step", "0.001,0.01,0.1"), "--step", zero_ok=False))
    return opts


def config(opts: dict) -> dict:
    """What must match to resume; more λ, α or starts only extend the grid."""
    return {k: opts[k] for k in ("function", "n", "method", "budget", "switch_after", "r", "seed")}


def grid_run(function, n, method, lam, step, budget, switch_after, r, seed, start):
    """One cell run (``lam=None``: the GD baseline); returns ``(row, trace)``."""
    fn = problems.make_function(function, n, seed)
    x0 = problems.start_point(fn, function, n, seed, start)
    options = dict(line_search="fixed", step=step, budget=budget, gtol=0.0)
    if lam is not None:
        options.update(lam=lam, safeguard="switch", switch_after=switch_after)
        if method == "cgd-fd":
            options.update(r=r, fd="forward")
    m = "gd" if lam is None else method
    hessp = getattr(fn, "hessp", None) if m == "cgd" else None
    res = cgdopt.minimize(fn, x0, method=m, jac=fn.grad, hessp=hessp, options=options)
    f_opt = float(getattr(fn, "f_opt", np.nan))
    gap0 = float(res.history["f"][0] - f_opt)
    gap = float(res.fun - f_opt)
    diverged = bool(res.status == NONFINITE or not gap <= gap0)
    row = dict(function=function, n=n, method=m, lam=lam, step=step, start=start, seed=seed,
               gap0=gap0, gap=gap, diverged=diverged, status=int(res.status), ngev=int(res.njev),
               nfev=int(res.nfev), nit=int(res.nit))
    return row, None


def tasks(opts: dict) -> list:
    common = {k: opts[k] for k in ("function", "n", "method", "budget", "switch_after", "r", "seed")}
    out = []
    for i in range(opts["starts"]):
        for a in opts["step"]:
            out.append(Task(f"gd/step{a!r}/s{i}", grid_run, dict(common, lam=None, step=a, start=i)))
            for lam in opts["lam"]:
                out.append(Task(f"{opts['method']}/lam{lam!r}/step{a!r}/s{i}", grid_run,
                                dict(common, lam=lam, step=a, start=i)))
    return out


def cell_medians(runs: pd.DataFrame, opts: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(median f − f* with diverged runs as +inf, number of diverged runs): rows λ, columns α."""
    runs = runs[runs["start"] < opts["starts"]] if "start" in runs else runs
    med = pd.DataFrame(np.nan, index=opts["lam"], columns=opts["step"])
    ndiv = pd.DataFrame(0, index=opts["lam"], columns=opts["step"])
    for lam in opts["lam"]:
        for a in opts["step"]:
            d = runs[(runs["method"] == opts["method"]) & (runs["lam"] == lam) & (runs["step"] == a)]
            if d.empty:
                continue
            div = d["diverged"].astype(bool)
            med.loc[lam, a] = float(np.median(np.where(div, np.inf, d["gap"].astype(float))))
            ndiv.loc[lam, a] = int(div.sum())
    return med, ndiv


def _cell_text(m, k, total):
    if np.isinf(m):
        return f"diverged ({k}/{total})"
    s = rep.fmt(float(m))
    return s + (f" ({k}/{total} div.)" if k else "")


def report(store, opts: dict, out_dir) -> str:
    runs = store.runs()
    runs = runs[runs["status"].astype(str) != "error"] if "status" in runs else runs
    med, ndiv = cell_medians(runs, opts)
    total = opts["starts"]
    table = pd.DataFrame({f"α={a:g}": [_cell_text(med.loc[lam, a], ndiv.loc[lam, a], total)
                                       for lam in opts["lam"]] for a in opts["step"]})
    table.insert(0, "λ", [f"{lam:g}" for lam in opts["lam"]])
    gd = runs[runs["method"] == "gd"]
    base = {"λ": "GD (baseline)"}
    for a in opts["step"]:
        d = gd[(gd["step"] == a) & (gd["start"] < total)]
        div = d["diverged"].astype(bool)
        m = float(np.median(np.where(div, np.inf, d["gap"].astype(float)))) if len(d) else np.nan
        base[f"α={a:g}"] = _cell_text(m, int(div.sum()), total)
    table = pd.concat([table, pd.DataFrame([base])], ignore_index=True)
    title = (f"{opts['function']} (n={opts['n']}): median f − f* after {opts['budget']} gradient "
             f"evaluations, {opts['method']}, {total} starts")
    return (f"## {title}\n\n" + rep.markdown_table(table) + "\n\n"
            "A run diverged when it stopped on a non-finite value or ended above its start's "
            "f − f*; a cell is *diverged* when half or more of its runs did (median = +inf).\n\n"
            + heatmap(med, ndiv, opts, out_dir))


def heatmap(med: pd.DataFrame, ndiv: pd.DataFrame, opts: dict, out_dir) -> str:
    plt = rep.style()
    from matplotlib.patches import Rectangle

    vals = med.to_numpy(dtype=float)
    finite = vals[np.isfinite(vals)]
    logv = np.log10(np.maximum(vals, 1e-16))
    fig, ax = plt.subplots(figsize=(1.6 * len(med.columns) + 3, 0.9 * len(med.index) + 2.2))
    shown = np.ma.masked_invalid(np.where(np.isfinite(vals), logv, np.nan))
    if finite.size:
        im = ax.imshow(shown, cmap="viridis_r", aspect="auto")
        fig.colorbar(im, ax=ax, label="log10 of median f − f*")
    for i in range(vals.shape[0]):
        for j in range(vals.shape[1]):
            k = int(ndiv.iloc[i, j])
            if np.isinf(vals[i, j]):
                ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor="lightgrey",
                                       hatch="xx", edgecolor="dimgrey"))
                ax.text(j, i, f"diverged\n{k}/{opts['starts']}", ha="center", va="center", fontsize=8)
            elif np.isfinite(vals[i, j]):
                r, g, b, _ = im.cmap(im.norm(logv[i, j]))
                ax.text(j, i, rep.fmt(float(vals[i, j])) + (f"\n{k} div." if k else ""),
                        ha="center", va="center", fontsize=8,
                        color="white" if 0.299 * r + 0.587 * g + 0.114 * b < 0.5 else "black")
    ax.set_xticks(range(len(med.columns)), [f"{a:g}" for a in med.columns])
    ax.set_yticks(range(len(med.index)), [f"{lam:g}" for lam in med.index])
    ax.set_xlim(-0.5, len(med.columns) - 0.5)
    ax.set_ylim(len(med.index) - 0.5, -0.5)
    ax.set_xlabel("step size α (fixed)")
    ax.set_ylabel("λ")
    ax.grid(False)
    ax.set_title(f"{opts['function']} (n={opts['n']}), {opts['method']}: median f − f* after "
                 f"T={opts['budget']}")
    probe = f", r = {opts['r']:g}" if opts["method"] == "cgd-fd" else ""  # cgd has no probe step
    caption = (f"Median over {opts['starts']} random starts (seed {opts['seed']}) of f − f* after "
               f"{opts['budget']} gradient evaluations; {opts['method']} regularizes iterations "
               f"0..{opts['switch_after']} then takes GD steps, Algorithm 2 safeguard{probe}. "
               "Hatched: half or more of the runs diverged.")
    return rep.savefig(fig, out_dir, f"grid_{opts['function']}", caption)
