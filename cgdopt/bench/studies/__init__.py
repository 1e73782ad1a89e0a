"""The table of studies: subcommand name -> study module.

Every study module exposes the same small protocol (plain functions):

``NAME``, ``HELP``
    subcommand name and one-line help;
``add_arguments(parser)``
    the study's own flags (the CLI adds ``--out``, ``--workers``, ``--dask``,
    ``--quiet``, ``--force`` and ``--seed``);
``check(opts) -> dict``
    validate and normalize options before any work (raises
    :class:`cgdopt.bench.errors.BenchInputError`);
``config(opts) -> dict``
    what must match for a rerun to resume;
``tasks(opts) -> list[Task]``
    the independent runs;
``report(store, opts, out_dir) -> str``
    figures under ``out_dir/figures`` and the Markdown body of ``report.md``.

The first entry, ``paper``, is the default subcommand.
"""
from __future__ import annotations

import importlib

__all__ = ["STUDIES", "ORDER"]

#: subcommands in the order ``--help`` lists them; the first is the default
ORDER = ("paper", "compare", "grid", "figures")


def _load() -> dict:
    studies = {}
    for name in ORDER:
        module_name = f"{__name__}.{name}"
        try:
            studies[name] = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:  # a study not written yet: leave it out of the table
            if exc.name != module_name:
                raise
    return studies


#: name -> study module (only the studies that are installed)
STUDIES = _load()
