"""Command line of ``python -m cgdopt.experiments NAME [options]``.

Pipeline: parse -> :func:`cgdopt.experiments.resolve_options` (every check, before any
work; a bad value exits 2 with one line) -> :class:`~cgdopt.bench.store.Store` ->
:func:`~cgdopt.bench.engine.run_tasks` (resume, joblib/Dask, tqdm) -> the experiment's
``report`` -> ``report.md``, ``runs.csv`` and a short printed summary.  Ctrl-C keeps the
finished runs, writes the report from them and exits 130.
"""
from __future__ import annotations

import argparse
import os
import sys

from . import EXPERIMENTS, module, resolve_options
from . import common as C

PROG = "python -m cgdopt.experiments"


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr and exit status 2 (no usage dump)."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser():
    p = _Parser(prog=PROG, description="Run one of the papers' experiments; results go to "
                "./cgdopt-results/experiments/NAME/ (results.sqlite, runs.csv, figures/, report.md).",
                epilog="Options of one experiment: python -m cgdopt.experiments NAME --help")
    sub = p.add_subparsers(dest="name", metavar="NAME", parser_class=_Parser)
    for name in EXPERIMENTS:
        mod = module(name)
        sp = sub.add_parser(name, help=mod.HELP, description=mod.HELP + "\n\nDefaults depart from the "
                            "paper: " + "; ".join(mod.DEPARTURES), prog=f"{PROG} {name}")
        g = sp.add_argument_group("common options")
        g.add_argument("--out", help=f"output directory (default {os.path.join('cgdopt-results', 'experiments', name)})")
        g.add_argument("--seeds", type=int, help=f"number of seeds (default {mod.DEFAULTS.get('seeds', 1)})")
        g.add_argument("--workers", type=int, help="parallel worker processes (default: all cores)")
        g.add_argument("--dask", metavar="ADDRESS", help="run on Dask: 'local' or a scheduler address")
        g.add_argument("--device", help="cpu or cuda (default: cuda when available)")
        g.add_argument("--quiet", action="store_true", help="no progress bar")
        g.add_argument("--paper", action="store_true", help="the paper's settings (long)")
        g.add_argument("--force", action="store_true", help="delete earlier results in --out")
        mod.add_arguments(sp.add_argument_group(f"{name} options"))
    return p


def execute(name, o):
    """Run the tasks of a resolved option dict ``o``; write the outputs; return the open store.

    A ``KeyboardInterrupt`` writes the report from the finished runs and is re-raised.
    """
    from ..bench.engine import check_dask, run_tasks
    from . import _store
    mod = module(name)
    check_dask(o["dask"])
    store = _store(name, o)
    tasks = mod.tasks(o)
    o["_keys"] = [t.key for t in tasks]
    header = [f"# cgdopt.experiments {name}: {mod.HELP}", f"# {C.machine_line()}, device {o['device']}"]
    if o["paper"]:
        header.append("# --paper: the paper's settings")
    else:
        header += ["# defaults depart from the paper (use --paper for its settings):"]
        header += [f"#   - {d}" for d in mod.DEPARTURES]
    if not o["quiet"]:
        print("\n".join(header), flush=True)
    try:
        run_tasks(tasks, store, workers=o["workers"], dask=o["dask"], quiet=o["quiet"], desc=name)
    except BaseException:
        write_outputs(mod, store, o, header, partial=True)
        raise
    write_outputs(mod, store, o, header)
    return store


def write_outputs(mod, store, o, header, partial=False):
    """report.md, runs.csv and figures from whatever runs are finished.

    After an interruption (``partial=True``) a report that cannot be made from the
    finished runs is replaced by a note; on a finished study its error propagates.
    """
    store.export_csv()
    if not store.done():
        return
    try:
        body = mod.report(store, o, o["out"])
    except Exception as exc:
        if not partial:
            raise
        body = (f"Interrupted: {len(store.done())} of {len(o['_keys'])} runs finished; the report "
                f"needs more of them ({type(exc).__name__}: {exc}). Rerun the same command to resume.")
    if partial:
        body = f"**Partial results** ({len(store.done())} of {len(o['_keys'])} runs).\n\n" + body
    text = "\n".join([f"# Experiment {mod.NAME}", "", *[h.lstrip("# ") for h in header[1:]], "",
                      f"Settings: `{ {k: v for k, v in mod.config(o).items()} }`, seeds: {o['seeds']}", "",
                      body, ""])
    with open(os.path.join(o["out"], "report.md"), "w") as fh:
        fh.write(text)
    if not o["quiet"]:
        print(body)
        print(f"# written: {os.path.join(o['out'], 'report.md')}, runs.csv, figures/")


def main(argv=None):
    parser = build_parser()
    args = vars(parser.parse_args(argv))
    name = args.pop("name")
    if name is None:
        parser.print_help()
        return 2
    try:
        o = resolve_options(name, {k: v for k, v in args.items() if v is not None})
        from ..bench.engine import check_dask
        check_dask(o["dask"])
    except (ValueError, ImportError) as exc:   # EngineError is a ValueError
        print(f"{PROG} {name}: error: {exc}", file=sys.stderr)
        return 2
    from ..bench.engine import RunAborted
    try:
        store = execute(name, o)
    except RunAborted as exc:  # a worker died: the finished runs are committed
        print(f"{PROG} {name}: error: {exc} (in {o['out']})", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"\n{PROG} {name}: interrupted; finished runs are kept in {o['out']} "
              "(rerun the same command to resume)", file=sys.stderr)
        return 130
    except ValueError as exc:   # e.g. StudyMismatch (a StoreError) when the store opens
        print(f"{PROG} {name}: error: {exc}", file=sys.stderr)
        return 2
    store.close()
    return 0
