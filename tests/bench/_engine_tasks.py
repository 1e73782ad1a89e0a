"""Module-level task functions for the engine tests (workers must be able to import them)."""
import math
import os


def square(i, fail=False, interrupt_at=None):
    if fail:
        raise RuntimeError(f"run {i} failed on purpose")
    if interrupt_at is not None and i == interrupt_at:
        raise KeyboardInterrupt
    return {"i": i, "value": i * i, "nan": math.nan, "inf": math.inf, "name": f"r{i}", "ok": True}, \
        [{"k": k, "f": float(i - k)} for k in range(3)]


def pid(i):
    return {"i": i, "pid": os.getpid()}, None


def ctrl_c(i, at, times=1, to_parent=False):
    """Run ``i`` sends SIGINT ``times`` times to this process (or, from a worker, to its parent)
    and then finishes normally; the other runs just sleep a little."""
    import signal
    import time
    if i == at:
        for _ in range(times):
            os.kill(os.getppid() if to_parent else os.getpid(), signal.SIGINT)
            time.sleep(0.05)
    time.sleep(0.01)
    return {"i": i, "pid": os.getpid()}, None
