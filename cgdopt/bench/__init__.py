"""Benchmarks of cgdopt's methods and the CGD paper's studies: ``python -m cgdopt.bench``.

The same studies from Python::

    import cgdopt.bench
    df = cgdopt.bench.run("compare", out="results/compare", functions="paper",
                          methods=["gd", "cgd-fd", "scipy:BFGS"], budget=50, starts=2)
    df = cgdopt.bench.load("results/compare")   # a finished or interrupted study

Studies: ``paper`` (default), ``compare``, ``grid``, ``figures`` (see
:mod:`cgdopt.bench.studies` and ``docs/bench.md``).
"""
from __future__ import annotations

import difflib
import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["run", "load"]


def run(study: str = "paper", out: str | os.PathLike[str] | None = None,
        **options: Any) -> pd.DataFrame:
    """Run (or resume) a study and return its runs.

    Parameters
    ----------
    study : str
        ``"paper"``, ``"compare"``, ``"grid"`` or ``"figures"``.
    out : str or Path, optional
        Output directory (default ``./cgdopt-results/<study>/``), holding
        ``results.sqlite``, ``runs.csv``, ``report.md`` and ``figures/``.
    **options
        The study's flags spelled with ``_`` for ``-`` (``line_search=``,
        ``workers=``, ``quiet=``...); comma-separated flags take lists or the
        comma-separated string.  Unset options take the flags' defaults.

    Returns
    -------
    pandas.DataFrame
        One row per finished run (see :meth:`cgdopt.bench.store.Store.runs`).

    Raises
    ------
    cgdopt.bench.errors.BenchInputError, cgdopt.bench.store.StoreError, cgdopt.bench.engine.EngineError
        Bad options, a foreign output directory, a Dask address that does not
        answer: raised before any run starts.
    KeyboardInterrupt
        Re-raised after the report of the finished runs has been written.
    """
    from .cli import execute, study_defaults
    from .errors import BenchInputError

    opts = study_defaults(study)
    unknown = sorted(set(options) - set(opts))
    if unknown:
        hints = []
        for name in unknown:
            close = difflib.get_close_matches(name, list(opts), n=1)
            hints.append(f"{name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
        raise BenchInputError(f"{study}: unknown options {', '.join(hints)}; accepted: "
                              f"{', '.join(sorted(opts))}")
    opts.update(options)
    opts["out"] = out
    store, _, _, interrupted = execute(study, opts)
    try:
        if interrupted:
            raise KeyboardInterrupt
        return store.runs()
    finally:
        store.close()


def load(out_dir: str | os.PathLike[str]) -> pd.DataFrame:
    """The runs of a finished or interrupted study in ``out_dir``, as a pandas DataFrame."""
    from .store import Store

    store = Store.open_existing(out_dir)
    try:
        return store.runs()
    finally:
        store.close()
