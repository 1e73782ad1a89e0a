"""The papers' deep-learning and gradient-regularization experiments (``python -m cgdopt.experiments``).

Each experiment is a module with ``NAME``, ``HELP``, ``PAPER`` (the paper's settings),
``DEFAULTS`` (CPU-sized), ``DEPARTURES`` (where and why the defaults depart from the
paper), ``add_arguments(parser)``, ``check(opts)``, ``config(opts)``, ``tasks(opts)`` and
``report(store, opts, out_dir)``.  Runs go through :mod:`cgdopt.bench.engine` (joblib or
Dask, resume, tqdm) into a :class:`cgdopt.bench.store.Store`
(``results.sqlite``, ``runs.csv``), then the report writes ``figures/*.png`` and ``report.md``.

>>> sorted(EXPERIMENTS)   # doctest: +NORMALIZE_WHITESPACE
['cgd-fd-vs-egr', 'cost', 'digits', 'dln', 'flooding', 'two-param']
"""
from __future__ import annotations

import importlib
import os

__all__ = ["run", "load", "EXPERIMENTS", "COMMON", "resolve_options", "default_out"]

#: experiment name -> module (imported lazily: torch and sklearn load only when needed)
EXPERIMENTS = {
    "dln": "dln",
    "digits": "digits",
    "flooding": "flooding",
    "two-param": "two_param",
    "cgd-fd-vs-egr": "cgd_fd_vs_egr",
    "cost": "cost",
}

#: options every experiment takes, with their defaults
COMMON = dict(out=None, seeds=None, workers=None, dask=None, device=None, quiet=False,
              paper=False, force=False)


def module(name):
    """The module of experiment ``name``; ``ValueError`` listing the names otherwise."""
    if name not in EXPERIMENTS:
        raise ValueError(f"unknown experiment {name!r}; choose one of {', '.join(EXPERIMENTS)}")
    return importlib.import_module(f".{EXPERIMENTS[name]}", __name__)


def default_out(name):
    return os.path.join("cgdopt-results", "experiments", name)


def resolve_options(name, options):
    """Fill ``options`` from ``PAPER`` (``paper=True``) or ``DEFAULTS``, validate, return a dict.

    Unknown options raise ``ValueError`` naming them; values are checked by the
    experiment's ``check`` (also a ``ValueError``), before any work starts.
    """
    from .common import check_positive, resolve_device
    mod = module(name)
    known = set(COMMON) | set(mod.DEFAULTS)
    unknown = sorted(set(options) - known)
    if unknown:
        raise ValueError(f"unknown option(s) for experiment {name!r}: {', '.join(unknown)}; "
                         f"accepted: {', '.join(sorted(known))}")
    o = dict(COMMON)
    o.update({k: v for k, v in options.items() if k in COMMON and v is not None})
    base = mod.PAPER if o["paper"] else mod.DEFAULTS
    o.update({k: (list(v) if isinstance(v, (list, tuple)) else v) for k, v in base.items()})
    o.update({k: (list(v) if isinstance(v, tuple) else v)
              for k, v in options.items() if k not in COMMON and v is not None})
    for k, v in o.items():  # a value given twice would run (or key) the same runs twice
        if isinstance(v, list):
            seen = [x for i, x in enumerate(v) if x in v[:i]]
            if seen:
                raise ValueError(f"{k}: {seen[0]!r} is given twice in {v!r}; give each value once")
    # an option the experiment does not read is refused, not ignored
    if options.get("seeds") not in (None, 1) and not getattr(mod, "USES_SEEDS", True):
        raise ValueError(f"seeds: {name} draws nothing at random that a seed would change, so "
                         f"seeds={options['seeds']!r} would change nothing; leave it out")
    if options.get("device") not in (None, "cpu") and not getattr(mod, "USES_DEVICE", True):
        raise ValueError(f"device: {name} runs in numpy on the CPU, so device="
                         f"{options['device']!r} would be ignored; leave it out (or give 'cpu')")
    if options.get("seeds") is not None:
        o["seeds"] = options["seeds"]
    check_positive(o, "seeds", integer=True)
    if o["workers"] is not None:
        check_positive(o, "workers", integer=True)
    o["device"] = resolve_device(o["device"])
    o["threads"] = None if o["workers"] == 1 else 1
    if o["device"] == "cuda" and o["workers"] is None and o["dask"] is None:
        o["workers"] = 1          # one process owns the GPU
        o["threads"] = None
    o["out"] = o["out"] or default_out(name)
    mod.check(o)
    return o


def _store(name, o):
    import torch

    from ..bench.store import Store
    mod = module(name)
    versions = {"torch": torch.__version__}
    cfg = dict(mod.config(o), paper=o["paper"])
    return Store(o["out"], f"experiments/{name}", cfg, force=o["force"], versions=versions)


def run(name, **options):
    """Run experiment ``name`` with ``options`` (as the CLI flags, underscores for dashes).

    Returns ``store.runs()`` (a pandas DataFrame, one row per run) after writing
    ``runs.csv``, ``figures/*.png`` and ``report.md`` into ``out`` (default
    ``cgdopt-results/experiments/<name>``).  Finished runs in ``out`` are reused
    (resume); a different configuration there raises ``StudyMismatch``.
    """
    from .cli import execute
    o = resolve_options(name, options)
    store = execute(name, o)
    try:
        return store.runs()
    finally:
        store.close()


def load(out_dir):
    """The runs of a finished or interrupted experiment as a DataFrame (read-only)."""
    from ..bench.store import Store
    store = Store.open_existing(out_dir)
    try:
        return store.runs()
    finally:
        store.close()
