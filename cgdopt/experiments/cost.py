r"""cost: time per step and peak memory of SGD, F-GR, B-GR, DB and SAM (Karakida et al., Fig. 2).

Pipeline: for each model (MLPs of several depths from :func:`cgdopt.nn.models.mlp`, and
:class:`cgdopt.nn.models.ResNet18`) one task builds the five optimizers on identical copies,
times their steps **interleaved** (round by round, rotating the order, so background load hits all
alike) and measures each one's peak memory (CUDA: ``max_memory_allocated``; CPU: the allocator's
events under ``torch.profiler(profile_memory=True)``, i.e. live tensor bytes) -> ratios to SGD and
the paper's count: a forward+backward pass costs 3L matrix products for L layers, F-GR/B-GR/SAM
two passes (6L), DB 9L, so F-GR/SGD ≈ 2 and DB/F-GR ≈ 1.5.  A report, not a target.

Timings are wall-clock medians; the report states the machine and load.  Tasks run one at a
time (``--workers 1`` is the default here): parallel timing would measure contention.
"""
from __future__ import annotations

import contextlib
import gc
import json
import os
import statistics
import sys
import tempfile
import time

from . import common as C

NAME = "cost"
HELP = "time per step and peak memory of SGD, F-GR, B-GR, DB, SAM vs depth and on ResNet-18 (Fig. 2)"
METHODS = ("SGD", "F-GR", "B-GR", "DB", "SAM")
PREDICTED = {"SGD": 1.0, "F-GR": 2.0, "B-GR": 2.0, "DB": 3.0, "SAM": 2.0}   # 3L, 6L, 6L, 9L, 6L

#: timing runs use a fixed synthetic batch: --seeds is refused
USES_SEEDS = False
PAPER = dict(depths=[2, 4, 8, 16], width=512, batch=256, resnet_width=1.0, resnet_batch=128,
             warmup=5, repeats=30, seeds=1)
DEFAULTS = dict(depths=[2, 4, 8], width=256, batch=128, resnet_width=0.25, resnet_batch=32,
                warmup=2, repeats=10, seeds=1)
DEPARTURES = [
    "MLP width 256 instead of 512, depths 2/4/8, ResNet-18 with width 0.25 (16 base channels instead of 64) and "
    "batch 32: minutes on a CPU (the paper times a GPU)",
    "10 interleaved rounds per model after 2 warm-up steps",
]


def add_arguments(p):
    p.add_argument("--depths", type=int, nargs="+", metavar="L", help="MLP depths (linear layers)")
    p.add_argument("--width", type=int, help="MLP width")
    p.add_argument("--batch", type=int, help="MLP batch size")
    p.add_argument("--resnet-width", type=float, help="ResNet-18 channel multiplier (1.0 = 64 base channels; 0: skip)")
    p.add_argument("--resnet-batch", type=int)
    p.add_argument("--warmup", type=int, help="warm-up steps per method")
    p.add_argument("--repeats", type=int, help="interleaved timing rounds")


def check(o):
    for k in ("width", "batch", "resnet_batch", "repeats"):
        C.check_positive(o, k, integer=True)
    C.check_positive(o, "warmup", integer=True, allow_zero=True)
    C.check_positive(o, "resnet_width", allow_zero=True)
    d = o["depths"]
    if not isinstance(d, list) or any(isinstance(x, bool) or not isinstance(x, int) or x < 1 for x in d):
        raise ValueError(f"depths must be a list of ints >= 1, got {d!r}")
    if o["workers"] is None and o["dask"] is None:
        o["workers"] = 1
        o["threads"] = None


def config(o):
    return {k: o[k] for k in ("depths", "width", "batch", "resnet_width", "resnet_batch", "warmup",
                              "repeats", "device")}


def tasks(o):
    from ..bench.engine import Task
    out = [Task(f"mlp/depth={d}", measure, dict(model="mlp", depth=d, width=o["width"], batch=o["batch"],
                                                warmup=o["warmup"], repeats=o["repeats"], device=o["device"]))
           for d in o["depths"]]
    if o["resnet_width"]:
        out.append(Task("resnet18", measure, dict(model="resnet18", depth=18, width=o["resnet_width"],
                                                 batch=o["resnet_batch"], warmup=o["warmup"],
                                                 repeats=o["repeats"], device=o["device"])))
    return out


#: the hyper-parameters of every timed step (Karakida et al.'s setting; the values do not change
#: the cost of a step)
STEP_HP = dict(lr=0.01, momentum=0.9, eps=0.05, gamma=0.05, rho=0.05)
RULES = {"F-GR": "forward", "B-GR": "backward", "DB": "double_backprop"}


def step_on_batch(net, x, y, method, **options):
    """``step()``: one optimizer step of ``method`` on the fixed batch ``(x, y)`` (cross-entropy).

    ``method`` is SGD, SAM, F-GR, B-GR or DB (:data:`RULES`), optionally with the suffix
    ``-lean`` (``restore="subtract"``) and then ``+compile`` (``compile=True``), e.g.
    ``"F-GR-lean+compile"``; base SGD with :data:`STEP_HP`, BatchNorm statistics frozen in the
    probe passes (``model=net``).  ``options`` are passed on to :class:`~cgdopt.nn.GR` or
    :class:`~cgdopt.nn.SAM` (e.g. ``local_probe=True`` with a DDP ``net``); SGD takes none.
    Shared by this experiment, ``benchmarks/nn_speed.py`` and ``benchmarks/ddp_speed.py``.
    """
    import torch
    import torch.nn.functional as F
    from ..nn import GR, SAM
    hp = STEP_HP
    sgd = dict(lr=hp["lr"], momentum=hp["momentum"])
    name, plus, suffix = method.partition("+")
    base_name = name[:-len("-lean")] if name.endswith("-lean") else name
    extra: dict = dict(restore="subtract" if name.endswith("-lean") else "copy")
    if plus:
        extra["compile"] = True
        if suffix != "compile":
            base_name = ""  # refused below
    if method == "SGD" and options:
        raise ValueError(f"SGD takes no GR/SAM options, got {sorted(options)}")
    extra.update(options)
    if method == "SGD":
        opt = torch.optim.SGD(net.parameters(), **sgd)
    elif base_name == "SAM":
        opt = SAM(net.parameters(), base=torch.optim.SGD, rho=hp["rho"], model=net, **extra, **sgd)
    elif base_name in RULES:
        rule = RULES[base_name]
        kw = {} if rule == "double_backprop" else {"eps": hp["eps"]}
        opt = GR(net.parameters(), base=torch.optim.SGD, rule=rule, gamma=hp["gamma"], model=net,
                 **extra, **kw, **sgd)
    else:
        raise ValueError(f"method must be SGD, SAM or one of {sorted(RULES)}, optionally with "
                         f"'-lean' and then '+compile', got {method!r}")
    db = base_name == "DB"

    def closure():
        opt.zero_grad()
        loss = F.cross_entropy(net(x), y)
        loss.backward(create_graph=db)
        return loss
    return lambda: opt.step(closure)


def synthetic_batch(batch, device="cpu", seed=1):
    """CIFAR-sized synthetic data: ``randn(batch, 3, 32, 32)`` and ``randint(0, 10, (batch,))``
    from one generator seeded ``seed``, moved to ``device``.  Shared by this experiment,
    ``benchmarks/nn_speed.py``, ``benchmarks/nn_passes.py`` and ``benchmarks/ddp_speed.py``."""
    import torch
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(batch, 3, 32, 32, generator=g).to(device)
    y = torch.randint(0, 10, (batch,), generator=g).to(device)
    return x, y


def _setup(model, depth, width, batch, method, device):
    import torch
    from ..nn.models import ResNet18, mlp
    torch.manual_seed(0)
    net = (mlp(depth, width=width) if model == "mlp" else ResNet18(width=width)).to(device)
    return step_on_batch(net, *synthetic_batch(batch, device), method)


def _sync(device):
    if device == "cuda":
        import torch
        torch.cuda.synchronize()


@contextlib.contextmanager
def _native_stderr_muted():
    """Send file descriptor 2 to ``os.devnull`` for a moment: torch's profiler (Kineto)
    writes ``STAGE:``/``USDT:`` lines straight to the process's stderr when a session
    starts and stops, past ``sys.stderr`` and any log level; only those two calls are muted."""
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


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
    prof = profile(activities=[ProfilerActivity.CPU], profile_memory=True)
    with _native_stderr_muted():
        prof.start()
    try:
        step = make_step()
        for _ in range(warmup):
            step()
        with record_function("measured_steps"):
            for _ in range(steps):
                step()
        del step
        gc.collect()
    finally:
        with _native_stderr_muted():
            prof.stop()
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


def cuda_peak_bytes(make_step, warmup, steps=3):
    """``max_memory_allocated`` over ``steps`` steps, the peak being reset after ``warmup``."""
    import torch
    step = make_step()
    for _ in range(warmup):
        step()
    torch.cuda.synchronize()
    torch.cuda.reset_peak_memory_stats()
    for _ in range(steps):
        step()
    torch.cuda.synchronize()
    return torch.cuda.max_memory_allocated()


def _peak(make_step, warmup, device):
    if device != "cuda":
        return cpu_peak_bytes(make_step, warmup)
    return cuda_peak_bytes(make_step, warmup, steps=2)


def measure(model, depth, width, batch, warmup, repeats, device="cpu", threads=None):
    """Interleaved step times (ms) and peak memory (MiB) of every method on one model."""
    import warnings
    C.set_threads(threads)
    make = {m: (lambda m=m: _setup(model, depth, width, batch, m, device)) for m in METHODS}
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*create_graph=True.*")
        steps = {m: make[m]() for m in METHODS}
        for s in steps.values():
            for _ in range(warmup):
                s()
        times = {m: [] for m in METHODS}
        for i in range(repeats):
            order = METHODS[i % len(METHODS):] + METHODS[:i % len(METHODS)]
            for m in order:
                _sync(device)
                t = time.perf_counter()
                steps[m]()
                _sync(device)
                times[m].append((time.perf_counter() - t) * 1e3)
        del steps
        peaks = {m: _peak(make[m], warmup, device) / 2 ** 20 for m in METHODS}
    row = dict(model=model, depth=depth, width=width, batch=batch, device=device, load=os.getloadavg()[0])
    for m in METHODS:
        row[f"{m}_ms"] = statistics.median(times[m])
        row[f"{m}_MiB"] = peaks[m]
    trace = [dict(round=i, method=m, ms=times[m][i]) for i in range(repeats) for m in METHODS]
    return row, trace


def report(store, o, out_dir):
    import matplotlib.pyplot as plt
    import pandas as pd
    runs = C.runs_of(store, o)
    rows = []
    for r in runs.itertuples():
        name = f"MLP-{r.depth}" if r.model == "mlp" else f"ResNet-18 (width x{r.width:g})"
        d = {"model": name, "SGD ms": f"{getattr(r, 'SGD_ms'):.2f}"}
        for m in METHODS[1:]:
            d[f"{m}/SGD time"] = f"{runs.loc[r.Index, m + '_ms'] / r.SGD_ms:.2f}"
        d["DB/F-GR time"] = f"{runs.loc[r.Index, 'DB_ms'] / runs.loc[r.Index, 'F-GR_ms']:.2f}"
        for m in METHODS[1:]:
            d[f"{m}/SGD mem"] = f"{runs.loc[r.Index, m + '_MiB'] / runs.loc[r.Index, 'SGD_MiB']:.2f}"
        d["SGD MiB"] = f"{runs.loc[r.Index, 'SGD_MiB']:.1f}"
        d["load"] = f"{r.load:.1f}"
        rows.append(d)
    tab = pd.DataFrame(rows)
    pred = ", ".join(f"{m}/SGD {v:g}" for m, v in PREDICTED.items() if m != "SGD")
    lines = ["## Time per step and peak memory, ratios to SGD (medians of interleaved rounds)", "",
             C.markdown_table(tab), "",
             f"Predicted from the 3L/6L/9L count (Karakida et al., Sec. 3): {pred}, DB/F-GR 1.5.", ""]
    mlp = runs[runs["model"] == "mlp"].sort_values("depth")
    if len(mlp):
        fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
        for m in METHODS[1:]:
            axes[0].plot(mlp["depth"], mlp[m + "_ms"] / mlp["SGD_ms"], "o-", label=m)
            axes[1].plot(mlp["depth"], mlp[m + "_MiB"] / mlp["SGD_MiB"], "o-", label=m)
        for m, v in PREDICTED.items():
            if m in ("F-GR", "DB"):
                axes[0].axhline(v, ls=":", color="gray")
        axes[0].set_title("time per step / SGD (dotted: 6L/3L, 9L/3L)")
        axes[1].set_title("peak memory / SGD")
        for ax in axes:
            ax.set_xlabel("MLP depth L")
            ax.legend(fontsize=7)
        path = C.savefig(fig, out_dir, "cost_vs_depth.png")
        lines.append(f"![](figures/{path.rsplit('/', 1)[-1]})")
    return "\n".join(lines)
