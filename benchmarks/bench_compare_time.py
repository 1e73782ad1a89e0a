"""Where the time of a ``python -m cgdopt.bench compare`` study goes.

Two parts:

1. ``--study DIR``: from a (finished or running) study's ``results.sqlite``,
   the time per run (``wall_s``, measured inside the worker) by method and
   line search and by function, and the share of the elapsed time that is not
   inside runs (engine, SQLite commits, process start-up, report).
2. ``--sample K``: K functions (every m-th of the study's), start 0, every
   method × line search of the study, run serially in this process with the
   test function wrapped in a timer: the share of each run spent evaluating
   ``f``, ``grad`` and ``hessp`` (the test functions, mostly autograd) against
   the rest (the method's own code, the counting wrapper, the trace).

Usage::

    python benchmarks/bench_compare_time.py --study cgdopt-results/compare --sample 12
"""
from __future__ import annotations

import argparse
import json
import sqlite3
import time
from pathlib import Path

import pandas as pd


class Timed:
    """A test function whose f, grad and hessp accumulate their wall time."""

    def __init__(self, f):
        self._f = f
        self.t = dict(f=0.0, grad=0.0, hessp=0.0)
        for name in ("n", "f_opt", "bounds", "sample_x0", "name"):
            if hasattr(f, name):
                setattr(self, name, getattr(f, name))

    def _timed(self, key, fn, *a):
        t0 = time.perf_counter()
        try:
            return fn(*a)
        finally:
            self.t[key] += time.perf_counter() - t0

    def __call__(self, x):
        return self._timed("f", self._f, x)

    def grad(self, x):
        return self._timed("grad", self._f.grad, x)

    def hessp(self, x, v):
        return self._timed("hessp", self._f.hessp, x, v)


def study_times(out: Path) -> None:
    con = sqlite3.connect(f"file:{out / 'results.sqlite'}?mode=ro", uri=True)
    meta = json.loads(con.execute("SELECT json FROM meta").fetchone()[0])
    runs = pd.read_sql("SELECT * FROM runs", con)
    con.close()
    print(f"# study in {out}: {len(runs)} runs, created {meta.get('created')}")
    ran = runs[runs.status != "skipped"]
    print(f"# runs: total wall_s {ran.wall_s.sum():.1f} s, mean {ran.wall_s.mean() * 1e3:.1f} ms, "
          f"median {ran.wall_s.median() * 1e3:.1f} ms, max {ran.wall_s.max():.2f} s")
    by = ran.groupby("solver").wall_s.agg(["count", "mean", "median", "sum"])
    by["share"] = by["sum"] / by["sum"].sum()
    by[["mean", "median"]] *= 1e3
    print("\n## time per run by method (ms), share of the summed run time")
    print(by.sort_values("sum", ascending=False).round(3).to_string())
    fn = ran.groupby(["function", "n"]).wall_s.agg(["mean", "sum"])
    fn["share"] = fn["sum"] / fn["sum"].sum()
    print("\n## the 8 most expensive functions (mean ms per run, share)")
    fn["mean"] *= 1e3
    print(fn.sort_values("sum", ascending=False).head(8).round(3).to_string())


def sample_times(out: Path, k: int) -> None:
    from cgdopt.bench.budgeted import run_method
    from cgdopt.bench.problems import make_function, problem_dims, start_point

    con = sqlite3.connect(f"file:{out / 'results.sqlite'}?mode=ro", uri=True)
    cfg = json.loads(con.execute("SELECT json FROM meta").fetchone()[0])["config"]
    con.close()
    functions = cfg["functions"][:: max(1, len(cfg["functions"]) // k)][:k]
    rows = []
    for name in functions:
        for n in problem_dims(name, cfg["dims"]):
            for method in cfg["methods"]:
                for ls in (cfg["line_search"] if ":" not in method else [None]):
                    f = Timed(make_function(name, n, cfg["seed"]))
                    x0 = start_point(f, name, n, cfg["seed"], 0)
                    t0, c0 = time.perf_counter(), time.process_time()
                    run_method(f, x0, method, budget=cfg["budget"], line_search=ls,
                               options=cfg["options"].get(method, {}), f_opt=f.f_opt)
                    total = time.perf_counter() - t0
                    rows.append(dict(function=name, method=method, total=total,
                                     cpu=time.process_time() - c0, **f.t))
    df = pd.DataFrame(rows)
    s = df[["total", "f", "grad", "hessp"]].sum()
    print(f"\n## serial sample: {len(df)} runs on {len(functions)} functions, start 0: "
          f"{s.total:.1f} s wall, {df.cpu.sum():.1f} s CPU, {df.cpu.mean() * 1e3:.1f} ms CPU per run")
    for key in ("f", "grad", "hessp"):
        print(f"  test function {key:6s}: {s[key] / s.total:6.1%}")
    rest = s.total - s[["f", "grad", "hessp"]].sum()
    print(f"  method + counting + trace: {rest / s.total:6.1%}")
    per = df.groupby("method")[["total", "cpu", "f", "grad", "hessp"]].sum()
    per["evaluations"] = per[["f", "grad", "hessp"]].sum(axis=1) / per.total
    print("seconds per method (wall, CPU, inside f, grad, hessp) and the share in evaluations:")
    print(per.round(3).to_string())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--study", type=Path, required=True, help="output directory of a compare study")
    ap.add_argument("--sample", type=int, default=0, help="functions in the serial timed sample")
    args = ap.parse_args()
    study_times(args.study)
    if args.sample:
        sample_times(args.study, args.sample)


if __name__ == "__main__":
    main()
