"""Peak memory of one training configuration, on CUDA and on the CPU (for ``nn_speed.py``).

``make_step()`` must build everything (model, data, optimizer) and return a
zero-argument function performing one optimizer step.

* CUDA: ``torch.cuda.max_memory_allocated()`` over a few steps, after
  ``torch.cuda.reset_peak_memory_stats()`` following the warm-up.
* CPU: PyTorch's CPU allocator reports every allocation and free to
  ``torch.profiler`` when ``profile_memory=True``.  Building and running the
  configuration inside one profiling session and summing these events in time
  order gives the number of live tensor bytes at every moment; the maximum over
  the steps after the warm-up is the CPU counterpart of
  ``max_memory_allocated``.  Not included: memory that bypasses the allocator
  (oneDNN/BLAS scratch space, the Python heap), so this is a lower bound on the
  process's extra resident memory, but it counts exactly the tensors
  (parameters, gradients, optimizer state, activations, temporaries) that the
  GPU number counts.
"""
from __future__ import annotations

import gc
import json
import os
import tempfile

import torch


def cuda_peak_bytes(make_step, warmup, steps=3):
    """``max_memory_allocated`` over ``steps`` steps, the peak being reset after ``warmup``."""
    step = make_step()
    for _ in range(warmup):
        step()
    torch.cuda.synchronize()
    torch.cuda.reset_peak_memory_stats()
    for _ in range(steps):
        step()
    torch.cuda.synchronize()
    return torch.cuda.max_memory_allocated()


def cpu_peak_bytes(make_step, warmup, steps=2):
    """Peak bytes held by PyTorch's CPU allocator during ``steps`` steps after ``warmup``.

    Everything (model, data, optimizer state) is allocated inside one
    ``torch.profiler`` session with ``profile_memory=True``; the allocator's
    alloc/free events are summed in time order, so the running total is the
    number of live tensor bytes, and its maximum over the marked steps is the
    CPU analogue of ``max_memory_allocated`` after a reset.
    """
    from torch.profiler import ProfilerActivity, profile, record_function
    gc.collect()  # nothing from earlier runs may be freed inside the session
    with profile(activities=[ProfilerActivity.CPU], profile_memory=True) as prof:
        step = make_step()
        for _ in range(warmup):
            step()
        with record_function("measured_steps"):
            for _ in range(steps):
                step()
        del step
        gc.collect()
    with tempfile.TemporaryDirectory() as tmp:
        prof.export_chrome_trace(os.path.join(tmp, "trace.json"))
        with open(os.path.join(tmp, "trace.json")) as fh:
            trace = json.load(fh)
    events = trace["traceEvents"] if isinstance(trace, dict) else trace
    mark = next(e for e in events if e.get("name") == "measured_steps")
    t0, t1 = mark["ts"], mark["ts"] + mark["dur"]
    mem = sorted((e for e in events if e.get("name") == "[memory]"
                  and e["args"].get("Device Type") == 0), key=lambda e: e["ts"])
    live, peak, blocks = 0, None, {}
    for e in mem:
        if e["ts"] > t1:
            break
        if e["ts"] >= t0 and peak is None:
            peak = live  # live bytes when the measured steps begin
        nbytes, addr = e["args"]["Bytes"], e["args"]["Addr"]
        if nbytes > 0:
            blocks[addr] = nbytes
        elif addr in blocks:  # count only frees of blocks allocated in this session
            nbytes = -blocks.pop(addr)
        else:
            continue
        live += nbytes
        if peak is not None:
            peak = max(peak, live)
    return live if peak is None else peak
