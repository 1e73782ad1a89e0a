"""The command line: ``python -m cgdopt.bench [STUDY] [options]``.

The pipeline of every study, in the order it runs::

    parse -> study.check -> check_dask -> Store -> run_tasks -> study.report
          -> report.md + runs.csv -> print the tables

Bad input is found before any work starts and ends the command with exit code
2 and one line on stderr (no traceback).  Ctrl-C keeps every finished run,
writes the report from them and exits with 130; the same command resumes.
"""
from __future__ import annotations

import argparse
import os
import shlex
import sys
import textwrap
import time
from pathlib import Path

from .errors import BenchInputError

__all__ = ["main", "build_parser", "execute", "COMMON_FLAGS"]

PROG = "python -m cgdopt.bench"
#: flags the CLI adds to every study; all but --seed only say how a study runs, not what it computes
COMMON_FLAGS = ("out", "workers", "dask", "quiet", "force", "seed")
_RUNTIME_FLAGS = ("out", "workers", "dask", "quiet", "force")

_DESCRIPTION = """\
Benchmarks of cgdopt's line-search methods on the synthetic test functions,
and the CGD paper's studies, measured from random starts.

Every study writes into its output directory (default ./cgdopt-results/STUDY/):
  results.sqlite   every finished run, committed as it finishes (the resume point)
  runs.csv         the same runs as a table
  report.md        the tables and figures of the study
  figures/*.png    the figures

Rerunning the same command resumes: finished runs are skipped.  The same
directory with other options or other library versions is refused (use another
--out, or --force to start over).  Ctrl-C lets the runs in flight finish, keeps every
finished run and writes the report from them (a second Ctrl-C stops at once).  Without a
study name the paper study runs."""


class _Parser(argparse.ArgumentParser):
    """An argparse parser whose errors are one line (raised, then printed by :func:`main`)."""

    def error(self, message):  # noqa: D102 - argparse API
        raise BenchInputError(f"{self.prog}: {message}")


def _add_common(parser: argparse.ArgumentParser, study: str) -> None:
    g = parser.add_argument_group("options of every study")
    g.add_argument("--out", metavar="DIR", default=None,
                   help=f"output directory (default: ./cgdopt-results/{study}/); it must be new, "
                        "empty, or hold an earlier run of the same command")
    g.add_argument("--workers", metavar="N", type=int, default=None,
                   help="parallel local worker processes (default: all cores; 1 runs in this process)")
    g.add_argument("--dask", metavar="ADDRESS", default=None,
                   help="run the tasks on a Dask distributed cluster: a scheduler address such as "
                        "tcp://host:8786, or 'local' for a LocalCluster on this machine")
    g.add_argument("--seed", metavar="S", type=int, default=0,
                   help="seed of the random starts (default: 0); start i depends only on "
                        "(seed, function, n, i), so more starts extend a study")
    g.add_argument("--force", action="store_true",
                   help="delete earlier results in --out and start over")
    g.add_argument("--quiet", action="store_true", help="no progress bar")


def build_parser() -> argparse.ArgumentParser:
    """The full parser: one subcommand per study in :data:`cgdopt.bench.studies.STUDIES`."""
    import cgdopt

    from .studies import STUDIES

    parser = _Parser(prog=PROG, description=_DESCRIPTION,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"cgdopt {cgdopt.__version__}")
    subs = parser.add_subparsers(dest="study", metavar="STUDY", parser_class=_Parser)
    details = []
    for name, module in STUDIES.items():
        sub = subs.add_parser(name, help=module.HELP, description=textwrap.fill(module.HELP, 78),
                              formatter_class=argparse.RawDescriptionHelpFormatter)
        module.add_arguments(sub)
        _add_common(sub, name)
        details.append(sub.format_help())
    parser.epilog = "The studies and their options:\n\n" + "\n".join(
        "\n".join("  " + line if line else line for line in text.splitlines()) for text in details)
    return parser


def _with_default_study(argv: list[str]) -> list[str]:
    from .studies import ORDER, STUDIES

    default = next((name for name in ORDER if name in STUDIES), None)
    if default is None:
        return argv
    if not argv or (argv[0].startswith("-") and argv[0] not in ("-h", "--help", "--version")):
        return [default, *argv]
    return argv


def parse(argv: list[str]) -> tuple[str, dict]:
    """``argv`` -> (study name, options dict with flag names spelled with ``_``)."""
    ns = vars(build_parser().parse_args(_with_default_study(list(argv))))
    return ns.pop("study"), ns


def study_defaults(study: str) -> dict:
    """The options of ``study`` as its flags' defaults give them."""
    from .studies import STUDIES

    if study not in STUDIES:
        import difflib

        close = difflib.get_close_matches(str(study), list(STUDIES), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise BenchInputError(f"study: unknown study {study!r}; accepted: "
                              f"{', '.join(STUDIES)}{hint}")
    return parse([study])[1]


def _check_common(opts: dict, study: str) -> dict:
    workers = opts.get("workers")
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int)
                                or workers < 1):
        raise BenchInputError(f"--workers: got {workers!r}; accepted: an integer >= 1 "
                              "(leave it out to use all cores)")
    seed = opts.get("seed")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise BenchInputError(f"--seed: got {seed!r}; accepted: an integer >= 0")
    out = opts.get("out")
    opts["out"] = Path(out) if out is not None else Path("cgdopt-results") / study
    return opts


def execute(study: str, opts: dict, *, echo=None, command: str | None = None):
    """Run one study from validated-or-raw options; the shared body of the CLI and :func:`cgdopt.bench.run`.

    Returns ``(store, executed, total, interrupted)``.  Input errors raise
    :class:`BenchInputError`, :class:`~cgdopt.bench.store.StoreError` or
    :class:`~cgdopt.bench.engine.EngineError` before any run starts; Ctrl-C
    during the runs sets ``interrupted`` after the report is written.
    """
    from .engine import RunAborted, check_dask, run_tasks
    from .report import write_outputs
    from .store import Store
    from .studies import STUDIES

    module = STUDIES[study]
    opts = _check_common(dict(opts), study)
    runtime = {k: opts.pop(k) for k in _RUNTIME_FLAGS}
    opts = module.check(opts)
    check_dask(runtime["dask"])
    tasks = module.tasks(opts)
    store = Store(runtime["out"], study, module.config(opts), force=runtime["force"])
    interrupted = False
    executed = 0
    start = time.perf_counter()
    try:
        executed = run_tasks(tasks, store, workers=runtime["workers"], dask=runtime["dask"],
                             quiet=runtime["quiet"], desc=study)
    except KeyboardInterrupt:
        interrupted = True
    except RunAborted:  # a worker died: report and runs.csv from the committed runs, then say so
        write_outputs(store, module, opts, runtime["out"], total=len(tasks), interrupted=True,
                      elapsed=time.perf_counter() - start, command=command)
        raise
    elapsed = time.perf_counter() - start
    body = write_outputs(store, module, opts, runtime["out"], total=len(tasks),
                         interrupted=interrupted, elapsed=elapsed, command=command)
    if echo is not None:
        echo(body)
    return store, executed, len(tasks), interrupted


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m cgdopt.bench``; returns the exit status (0, 1, 2 or 130)."""
    from .engine import EngineError, RunAborted
    from .report import terminal_text
    from .store import StoreError

    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        study, opts = parse(argv)
    except SystemExit as exc:  # --help, --version
        return int(exc.code or 0)
    except BenchInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out_dir = opts.get("out") or os.path.join("cgdopt-results", study)

    def echo(body):
        print(terminal_text(body))

    try:
        command = " ".join([PROG, *(shlex.quote(a) for a in argv)])
        store, executed, total, interrupted = execute(study, opts, echo=echo, command=command)
    except (BenchInputError, StoreError, EngineError) as exc:
        print(f"error: {PROG} {study}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # before the runs started (during the checks or the set-up)
        print(f"interrupted: {PROG} {study} stopped before any run started", file=sys.stderr)
        return 130
    except RunAborted as exc:
        print(f"error: {PROG} {study}: {exc} (in {out_dir})", file=sys.stderr)
        return 1
    done = len(store.done())
    store.close()
    if interrupted:
        print(f"interrupted: {done} of {total} runs finished and kept in {out_dir}; "
              "rerun the same command to resume", file=sys.stderr)
        return 130
    print(f"# {executed} runs now, {done} of {total} finished; outputs in {out_dir}: "
          "report.md, runs.csv, results.sqlite, figures/")
    return 0
