"""The ``paper`` study's report: Table 2 as distributions with verdicts, readings, Figure 3.

Reads the finished runs from the store (any number of starts, also an
interrupted study) and returns the Markdown body; figures go to
``out_dir/figures/paper_*.png``.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import report as rep
from . import paper as P


def _q(values):
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return "–"
    q1, med, q3 = np.percentile(v, [25, 50, 75])
    return f"{rep.fmt(float(med))} [{rep.fmt(float(q1))}, {rep.fmt(float(q3))}]"


def _pairs(runs: pd.DataFrame, reading: str = "T") -> pd.DataFrame:
    """GD and CGD-FD rows of the protocol side by side, one row per (function, start)."""
    prot = runs[runs.get("part", pd.Series(dtype=str)) == "protocol"]
    if "status" in prot and prot["status"].dtype == object:
        prot = prot[prot["status"] != "error"]
    gd = prot[prot["method"] == "gd"]
    cg = prot[(prot["method"] == "cgd-fd") & (prot["reading"] == reading)]
    return gd.merge(cg, on=["function", "start"], suffixes=("_gd", "_cgd"))


def table2(runs: pd.DataFrame) -> pd.DataFrame:
    """Table 2 as distributions over starts, with the paper's values and a verdict per function."""
    pairs = _pairs(runs)
    rows = []
    for name in P.TABLE1:
        d = pairs[pairs["function"] == name]
        if d.empty:
            continue
        wins = d["f1_cgd"] < d["f1_gd"]
        pg, pc = P.PAPER_TABLE2[name]
        rows.append({
            "function": name, "n": int(d["n_gd"].iloc[0]), "starts": len(d),
            "GD improv. % median [IQR]": _q(d["improvement_gd"]), "GD paper": pg,
            "CGD-FD improv. % median [IQR]": _q(d["improvement_cgd"]), "CGD-FD paper": pc,
            "CGD-FD 1st step better": f"{int(wins.sum())}/{len(d)}",
            "same as GD's": f"{int((d['f1_cgd'] == d['f1_gd']).sum())}/{len(d)}",
            "ill-defined starts": f"{int(d['ill_defined_gd'].astype(bool).sum())}/{len(d)}",
            "verdict": P.verdict(wins)})
    return pd.DataFrame(rows)


def table_gap(runs: pd.DataFrame) -> pd.DataFrame:
    """Gap-relative first-step improvement and f - f* after the budget."""
    pairs = _pairs(runs)
    rows = []
    for name in P.TABLE1:
        d = pairs[pairs["function"] == name]
        if d.empty:
            continue
        rows.append({
            "function": name,
            "GD (f0-f1)/(f0-f*) %": _q(d["improvement_gap_gd"]),
            "CGD-FD (f0-f1)/(f0-f*) %": _q(d["improvement_gap_cgd"]),
            f"GD f-f* after T={P.BUDGET}": _q(d["gap_gd"]),
            f"CGD-FD f-f* after T={P.BUDGET}": _q(d["gap_cgd"]),
            "CGD-FD lower f-f* after T": f"{int((d['gap_cgd'] < d['gap_gd']).sum())}/{len(d)}"})
    return pd.DataFrame(rows)


def table_readings(runs: pd.DataFrame) -> pd.DataFrame:
    """Levy under both readings of Linear(a, b)."""
    rows = []
    for rd, num in P.READINGS.items():
        d = _pairs(runs, rd)
        d = d[d["function"] == "levy"]
        if d.empty:
            continue
        rows.append({
            "reading": f"{rd}: Linear(0.01, 0.1) over {num} iterations",
            "CGD-FD improv. % median [IQR]": _q(d["improvement_cgd"]),
            "CGD-FD 1st step better": f"{int((d['f1_cgd'] < d['f1_gd']).sum())}/{len(d)}",
            f"CGD-FD f-f* after T={P.BUDGET}": _q(d["gap_cgd"]),
            "CGD-FD lower f-f* than GD": f"{int((d['gap_cgd'] < d['gap_gd']).sum())}/{len(d)}",
            "verdict (1st step)": P.verdict(d["f1_cgd"] < d["f1_gd"])})
    return pd.DataFrame(rows)


def curves(runs: pd.DataFrame, traces: pd.DataFrame, function: str, method: str,
           reading: str = "T"):
    """f - f* of the current iterate at 0..T gradient evaluations, one row per start (NaN before the first)."""
    sel = runs[(runs.get("part") == "protocol") & (runs["function"] == function)
               & (runs["method"] == method) & (runs["reading"] == reading)]
    grid = np.arange(P.BUDGET + 1)
    out, switches = [], []
    by_key = dict(tuple(traces[traces["key"].isin(set(sel["key"]))].groupby("key")))
    for key in sel["key"]:
        if key not in by_key:
            continue
        t = by_key[key].sort_values("i")
        e = t["ngev"].to_numpy()
        idx = np.searchsorted(e, grid, side="right") - 1
        gap = t["gap"].to_numpy(dtype=float)
        out.append(np.where(idx >= 0, gap[np.maximum(idx, 0)], np.nan))
        kinds = t["kind"].tolist()
        first_gd = next((j for j in range(1, len(kinds)) if kinds[j] == "gd"), None)
        if first_gd is not None:
            switches.append(e[first_gd - 1])
    return grid, np.array(out), (float(np.median(switches)) if switches else None)


def figure3(runs: pd.DataFrame, traces: pd.DataFrame, out_dir, opts) -> str:
    plt = rep.style()
    fig, axes = plt.subplots(2, 3, figsize=(13, 7.5))
    for ax, name in zip(axes.ravel(), P.TABLE1):
        n, lam, step = P.TABLE1[name]
        switch, counts = None, {}
        for method, color in (("gd", "tab:blue"), ("cgd-fd", "tab:red")):
            grid, ys, sw = curves(runs, traces, name, method)
            if ys.size == 0:
                continue
            ys = np.maximum(ys, 1e-16)
            with np.errstate(all="ignore"):
                q1, med, q3 = np.nanpercentile(ys, [25, 50, 75], axis=0)
            ax.plot(grid, med, color=color, label=f"{method.upper()}: median")
            ax.fill_between(grid, q1, q3, color=color, alpha=0.2,
                            label=f"{method.upper()}: inter-quartile range")
            switch = sw if method == "cgd-fd" else switch
            counts[method] = len(ys)
        if switch is not None:
            ax.axvline(switch, color="k", ls=":", lw=1, label="CGD-FD switches to GD (median)")
        lam_s = f"Linear{lam[1:]}" if isinstance(lam, tuple) else f"{lam:g}"
        ax.set_yscale("log")
        ax.set_title(f"{name} (n={n}), λ={lam_s}, α={step:g}")
        ax.set_xlabel("gradient evaluations")
        ax.set_ylabel("f(x) − f*")
    handles, labels = axes.ravel()[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=5, fontsize=9, frameon=False)
    fig.suptitle(f"CGD paper Figure 3 from {opts['starts']} random starts per function "
                 f"(seed {opts['seed']})", fontsize=12)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    caption = (f"f − f* against gradient evaluations (not iterations): median over random starts "
               f"(uniform in each function's usual domain, seed {opts['seed']}) with "
               f"inter-quartile bands. T = {P.BUDGET}, CGD-FD regularizes iterations 0..{P.SWITCH_AFTER} "
               f"(b = T/4) then takes GD steps (dotted line: median switch point), Algorithm 2 "
               f"safeguard, forward differences r = {opts['r']:g}, fixed step α of Table 1; "
               "Levy's λ schedule in reading T.")
    return rep.savefig(fig, out_dir, "paper_figure3", caption)


def report(store, opts: dict, out_dir) -> str:
    runs = store.runs()
    traces = store.traces()
    errors = runs[runs["status"].astype(str) == "error"] if "status" in runs else runs.iloc[0:0]
    parts = [f"**{len(errors)} runs failed** and are left out of the tables (their messages are "
             "in runs.csv, column error).\n"] if len(errors) else []
    parts += [
        "## Table 2 as a distribution over random starts\n",
        "Improvement (f(x0) − f(x1)) / f(x0) · 100 of the first step, median [quartiles] "
        "over starts, beside the paper's single value. \"Same as GD's\": CGD-FD's first direction was "
        "rejected by Algorithm 2's descent check, so its first step was GD's (a tie counts as not "
        "better). Verdict on \"CGD-FD's first step improves "
        f"more than GD's\": holds if CGD-FD's f(x1) is lower at ≥ {P.HOLDS:.0%} of starts, does not "
        f"hold below {P.DEPENDS:.0%}, otherwise depends on the start. A start is ill-defined for "
        "this ratio when f(x0) ≤ 0 or |f*| > 0.1 (f(x0) − f*); the next table gives "
        "(f(x0) − f(x1)) / (f(x0) − f*).\n",
        rep.markdown_table(table2(runs)), "",
        f"## Gap-relative improvement and f − f* after the budget T = {P.BUDGET}\n",
        rep.markdown_table(table_gap(runs)), "",
        "## Levy: two readings of Linear(a, b)\n",
        "The paper: \"an increasing linear schedule of T values going from a to b\" — reading T "
        "is the paper's wording. Both give λ0 = a at the first step, so Table 2 does not "
        "depend on the reading; f − f* after the budget can.\n",
        rep.markdown_table(table_readings(runs)), "",
        "## Figure 3\n", figure3(runs, traces, out_dir, opts)]
    if opts.get("compare"):
        parts += ["", P.compare_report(store, opts, out_dir)]
    return "\n".join(parts)
