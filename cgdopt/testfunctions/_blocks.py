"""Blocked (and optionally threaded) evaluation of large batches."""
from __future__ import annotations

import numbers
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

__all__ = ["blocked", "set_num_threads", "get_num_threads"]

# ----------------------------------------------------------- batch threading
# Large batches are cut into blocks of about _BLOCK numbers, each evaluated by
# one vectorized call (never a Python loop over points): the temporaries then
# stay in cache, which is 2-4x faster than one call on 10**6 points.  The
# blocks can be spread over a small thread pool (numpy releases the GIL inside
# ufuncs); that is opt-in (set_num_threads), because on the 2-vCPU machines
# measured it did not beat one blocked thread.  Results never depend on the
# blocking or the number of threads: every point is computed by the same code.
_BLOCK = 1 << 17
_state = {"threads": None, "pool": None, "pool_size": 0}
_lock = threading.Lock()


def set_num_threads(k: int | None = None) -> None:
    """Set the number of threads used to evaluate large batches.

    Parameters
    ----------
    k : int or None
        ``1`` (the default) evaluates the blocks one after the other;
        ``None`` restores the default, taken from the environment variable
        ``CGDOPT_TESTFUNCTIONS_THREADS`` or else 1.
    """
    if k is not None and (isinstance(k, bool) or not isinstance(k, numbers.Integral) or k < 1):
        raise ValueError(f"k must be a positive integer or None, got {k!r}")
    _state["threads"] = None if k is None else int(k)


def get_num_threads() -> int:
    """Number of threads used to evaluate large batches (see :func:`set_num_threads`)."""
    if _state["threads"] is not None:
        return _state["threads"]
    env = os.environ.get("CGDOPT_TESTFUNCTIONS_THREADS")
    if env:
        try:
            return max(1, int(env))
        except ValueError:
            raise ValueError(
                f"CGDOPT_TESTFUNCTIONS_THREADS must be a positive integer, got {env!r}") from None
    return 1


def _pool(k):
    with _lock:
        if _state["pool"] is None or _state["pool_size"] != k:
            if _state["pool"] is not None:
                _state["pool"].shutdown(wait=False)
            _state["pool"] = ThreadPoolExecutor(max_workers=k, thread_name_prefix="cgdopt-tf")
            _state["pool_size"] = k
        return _state["pool"]


def blocked(fun, a, *more, vector=False):
    """``fun(a, *more)`` for ``a`` (and ``more``) of shape ``(..., n)``, in blocks when large.

    ``vector=False``: ``fun`` returns one value per point (shape ``(...)``);
    ``vector=True``: one vector per point (shape ``(..., n)``, gradients and
    Hessian-vector products).
    """
    n = a.shape[-1]
    step = max(1, _BLOCK // n)
    k = get_num_threads()
    flat = a.reshape(-1, n)
    flats = [m.reshape(-1, n) for m in more]
    npts = flat.shape[0]
    if npts < 2 * step:
        return fun(a, *more)
    out = np.empty((npts, n) if vector else npts)

    def work(i):
        out[i:i + step] = fun(flat[i:i + step], *(m[i:i + step] for m in flats))

    starts = range(0, npts, step)
    if k == 1 or threading.current_thread().name.startswith("cgdopt-tf"):
        for i in starts:  # blocks (not points): temporaries stay in cache
            work(i)
    else:
        for _ in _pool(k).map(work, starts):
            pass
    return out.reshape(a.shape if vector else a.shape[:-1])
