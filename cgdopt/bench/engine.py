"""The run engine: independent runs mapped onto workers, each result committed as it arrives.

A study is a list of :class:`Task` objects.  :func:`run_tasks` skips those
already in the :class:`~cgdopt.bench.store.Store` (that is how a rerun resumes),
runs the rest with joblib on local cores, or on a Dask distributed cluster
through joblib's ``dask`` backend, and commits every finished run at once, so
a dead worker loses only the runs in flight.  The first Ctrl-C stops handing out
runs and lets the ones in flight finish and be committed (joblib would otherwise
drop results that had arrived but were not yet read); a second Ctrl-C stops at
once.  With ``dask="local"`` the first Ctrl-C stops at once: the cluster's worker
processes share the terminal's process group and die of it.  There is no scheduler of
our own: joblib and Dask do the scheduling (the scikit-learn pattern).
"""
from __future__ import annotations

import os
import signal
import sys
import threading
import time
import warnings
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Sequence

from .store import Store

__all__ = ["Task", "EngineError", "RunAborted", "check_dask", "run_tasks"]


class EngineError(ValueError):
    """The engine cannot start: a bad ``workers`` value or a Dask address that does not answer."""


class RunAborted(RuntimeError):
    """A worker died during the study; the finished runs are kept in the store."""


@dataclass(frozen=True)
class Task:
    """One independent run.

    Attributes
    ----------
    key : str
        Unique, deterministic name of the run; finished keys are skipped on resume.
    fn : callable
        A module-level (picklable) function; ``fn(**kwargs)`` returns
        ``(row, trace)``: a dict of results and a list of per-iteration dicts (or None).
    kwargs : dict
        Keyword arguments of ``fn``.
    """

    key: str
    fn: Callable[..., tuple[dict[str, Any], list[dict[str, Any]] | None]]
    kwargs: dict[str, Any] = field(default_factory=dict)


def _execute(task: Task, parent_pid: int | None = None) -> tuple[str, dict[str, Any], list[dict[str, Any]] | None]:
    """Run one task in a worker; an exception becomes an ``error`` row, never a crash of the study.

    In a worker process (not ``parent_pid``, the process of :func:`run_tasks`) SIGINT is
    ignored: a Ctrl-C at the terminal reaches the whole process group, and the parent
    decides (its first Ctrl-C lets the runs in flight finish).
    """
    if (parent_pid is not None and os.getpid() != parent_pid
            and threading.current_thread() is threading.main_thread()):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    start = time.perf_counter()
    try:
        row, trace = task.fn(**task.kwargs)
        row = dict(row)
    except Exception as exc:  # noqa: BLE001 - one failing run must not end the study
        row, trace = {"status": "error", "error": f"{type(exc).__name__}: {exc}"}, None
    row["wall_s"] = time.perf_counter() - start
    return task.key, row, trace


def check_dask(address: str | None) -> None:
    """Fail at once, before any work, if ``address`` cannot be used.

    ``None`` means no Dask; ``"local"`` starts a :class:`distributed.LocalCluster`
    when the study runs; anything else must be the address of a running scheduler.
    """
    if address is None:
        return
    if not isinstance(address, str) or not address.strip():
        raise EngineError(f"--dask must be 'local' or a scheduler address such as tcp://host:8786, got {address!r}")
    try:
        from distributed import Client
    except ImportError:
        raise EngineError("--dask needs dask.distributed: pip install 'cgdopt[dask]'") from None
    if address == "local":
        return
    try:
        client = Client(address, timeout="5s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise EngineError(f"--dask {address} does not answer: {exc}") from None
    client.close()


def _check_workers(workers: int | None) -> int:
    if workers is None:
        return os.cpu_count() or 1
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise EngineError(f"--workers must be a whole number >= 1, got {workers!r}")
    return workers


@contextmanager
def _dask_backend(address: str, workers: int) -> Iterator[None]:
    """joblib's ``dask`` backend on a local cluster or on the scheduler at ``address``."""
    import joblib
    from distributed import Client, LocalCluster

    with ExitStack() as stack:
        if address == "local":
            cluster = stack.enter_context(LocalCluster(n_workers=workers, threads_per_worker=1,
                                                       processes=True, dashboard_address=None))
            client = stack.enter_context(Client(cluster, set_as_default=False))
        else:
            client = stack.enter_context(Client(address, timeout="5s", set_as_default=False))
        with client.as_current(), joblib.parallel_config(backend="dask"):
            yield


@contextmanager
def _first_ctrl_c_drains(stop: threading.Event) -> Iterator[None]:
    """While running: the first SIGINT sets ``stop`` (no new runs are handed out, those in
    flight finish and are committed, then :func:`run_tasks` raises ``KeyboardInterrupt``);
    a second one raises ``KeyboardInterrupt`` at once.  Only in the main thread (where
    Python delivers signals); elsewhere Ctrl-C behaves as usual."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_sigint(signum, frame):
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        print("\nCtrl-C: finishing the runs in flight and keeping them; Ctrl-C again to stop now",
              file=sys.stderr, flush=True)

    previous = signal.signal(signal.SIGINT, on_sigint)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def run_tasks(tasks: Sequence[Task], store: Store, *, workers: int | None = None,
              dask: str | None = None, quiet: bool = False, desc: str = "runs") -> int:
    """Run the tasks not yet in ``store`` and commit each result as it finishes.

    Parameters
    ----------
    tasks : sequence of Task
        The study's runs; keys must be unique.
    store : Store
        Where finished runs are committed; its finished keys are skipped.
    workers : int, optional
        Local worker processes (default: all cores); 1 runs in this process, in order.
        With ``dask="local"`` it is the number of Dask workers.
    dask : str, optional
        ``"local"`` or a scheduler address: run on Dask instead of local processes.
    quiet : bool
        Hide the progress bar (it is shown only when stderr is a terminal).
    desc : str
        Label of the progress bar.

    Returns
    -------
    int
        The number of runs executed by this call (0 when everything was finished).

    Raises
    ------
    KeyboardInterrupt
        After Ctrl-C: the first lets the runs in flight finish (all committed), a second
        stops at once; every run finished before it stays committed.
    RunAborted
        A worker process died; the finished runs stay committed.
    """
    import joblib
    from tqdm.auto import tqdm

    keys = [t.key for t in tasks]
    if len(set(keys)) != len(keys):
        dup = sorted({k for k in keys if keys.count(k) > 1})[:3]
        raise EngineError(f"task keys must be unique; repeated: {dup}")
    n_workers = _check_workers(workers)
    check_dask(dask)
    finished = store.done()
    todo = [t for t in tasks if t.key not in finished]
    if not todo:
        return 0
    executed = 0
    # disable=None: a bar on a terminal, none in a log file or a pipe (no progress spam in CI logs)
    bar = tqdm(total=len(tasks), initial=len(tasks) - len(todo), desc=desc, unit="run",
               disable=True if quiet else None, dynamic_ncols=True)
    stop = threading.Event()

    def feed():
        for t in todo:
            if stop.is_set():
                return
            yield joblib.delayed(_execute)(t, os.getpid())

    try:
        with ExitStack() as stack:
            if dask != "local":  # a local Dask cluster's workers die of the terminal's Ctrl-C
                stack.enter_context(_first_ctrl_c_drains(stop))
            if dask is not None:
                try:
                    stack.enter_context(_dask_backend(dask, n_workers))
                except Exception as exc:  # e.g. "Nanny failed to start", a scheduler that went away
                    raise RunAborted(f"the Dask cluster ({dask}) could not be used: {type(exc).__name__}: "
                                     f"{exc}; no run was started") from exc
                parallel = joblib.Parallel(return_as="generator_unordered")
            else:
                parallel = joblib.Parallel(n_jobs=min(n_workers, len(todo)),
                                           return_as="generator_unordered")
            results = parallel(feed())
            try:
                for key, row, trace in results:
                    store.add(key, row, trace)
                    executed += 1
                    bar.update(1)
            finally:
                # a second Ctrl-C (or an error) abandons the runs in flight on purpose: the
                # CLI says how many finished, so joblib's multi-line warning is not repeated
                with warnings.catch_warnings():
                    warnings.filterwarnings("ignore", message=r".*tasks have been successfully executed")
                    results.close()
        if stop.is_set():
            raise KeyboardInterrupt
    except (KeyboardInterrupt, RunAborted):
        raise
    except Exception as exc:
        if type(exc).__name__ in ("TerminatedWorkerError", "KilledWorker", "BrokenProcessPool"):
            raise RunAborted(f"a worker died ({type(exc).__name__}); {executed} runs finished in this "
                             "call are kept: rerun the same command to resume") from exc
        raise
    finally:
        bar.close()
    return executed
