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
