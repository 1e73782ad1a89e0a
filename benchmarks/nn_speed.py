#!/usr/bin/env python
"""Wall time per training step and peak memory of SGD, F-GR, B-GR, DB and SAM.

Performance part of issue 4 (see ``docs/benchmarks.md``).  Models: MLPs of
width 512 and depth 2/4/8/16 (batch 256) and the CIFAR-style ResNet-18 of
:mod:`cgdopt.nn.models` (batch 128 on a GPU), on synthetic CIFAR-sized data
(3x32x32, 10 classes, fixed seed).  Every method uses SGD (momentum 0.9) as
the base optimizer and the settings of Karakida et al. (2023), Figure 2:
``lr=0.01, eps=gamma=0.05`` (GR) and ``rho=0.05`` (SAM).

Timing: for each model, one instance per method is built and given
``--warmup`` untimed steps; then ``--repeats`` rounds each time one step of
every method (interleaved, rotating order, so drift and background load hit
all methods alike).  Medians and inter-quartile ranges are reported, and
ratios are taken between methods measured in the same run.  On CUDA every
step is bracketed by ``torch.cuda.Event``s (read after a synchronization at
the end of each round); on the CPU by ``time.perf_counter`` (wall time, the
headline number) and ``time.process_time`` (process CPU time, a cross-check
that is insensitive to other processes when ``--threads 1``).

Memory is measured afterwards, one method at a time with nothing else
resident (``nn_memory.py``): on CUDA ``torch.cuda.max_memory_allocated()``
after ``reset_peak_memory_stats()`` following the warm-up; on the CPU the
peak number of live bytes of PyTorch's CPU allocator, from the allocation
events that ``torch.profiler`` records with ``profile_memory=True``.

Examples
--------
    python benchmarks/nn_speed.py --device cpu --threads 1 \\
        --out docs/figures/nn_speed_cpu.json --plot docs/figures/nn_time_vs_depth_cpu.png
    python benchmarks/nn_speed.py --device cuda --out docs/figures/nn_speed_cuda.json \\
        --out nn_speed_cuda.md --plot docs/figures/nn_time_vs_depth_cuda.png
"""
from __future__ import annotations

import argparse
import datetime
import gc
import json
import os
import platform
import resource
import statistics
import sys
import time
import warnings

import torch

# DB's closure calls backward(create_graph=True) by design; GR replaces the gradients by
# detached tensors after the step, which breaks the parameter <-> gradient cycle.
warnings.filterwarnings("ignore", message="Using backward.. with create_graph=True")

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cgdopt.experiments.cost import STEP_HP, step_on_batch, synthetic_batch  # noqa: E402
from cgdopt.nn import GR  # noqa: E402
from cgdopt.nn.models import ResNet18, mlp  # noqa: E402
from nn_memory import cpu_peak_bytes, cuda_peak_bytes  # noqa: E402

METHODS = ("SGD", "F-GR", "F-GR-lean", "B-GR", "DB", "SAM", "SAM-lean")
#: accepted by --methods, not run by default: "+compile" = compile=True (the update kernels
#: compiled by TorchInductor; the first steps compile them, so give --warmup >= 2)
COMPILED = ("F-GR-lean+compile", "SAM-lean+compile")
#: accepted by --methods, not run by default: the lean steps without the non-finite check
#: (nonfinite="ignore": no screen of the gradients, like the SGD step, which checks nothing),
#: to show what the default check costs (issue 11)
UNCHECKED = {"F-GR-lean-nocheck": ("F-GR-lean", {"nonfinite": "ignore"}),
             "SAM-lean-nocheck": ("SAM-lean", {"nonfinite": "ignore"})}
#: "-lean": restore="subtract" (issue 11): theta is restored by subtracting the perturbation
HP = STEP_HP
SIZES = {  # "small" keeps the MLPs of the paper and shrinks only the ResNet batch
    "full": dict(depths=(2, 4, 8, 16), width=512, mlp_batch=256, resnet_batch=128,
                 warmup=5, repeats=50),
    "small": dict(depths=(2, 4, 8, 16), width=512, mlp_batch=256, resnet_batch=32,
                  warmup=3, repeats=20),
}
TARGETS = "F-GR/SGD <= 2.1, DB/F-GR >= 2.5, F-GR peak - SGD peak <= 2 x parameter bytes"
TARGETS_LEAN = ("issue 11, every model, CPU one thread included: F-GR-lean/SGD <= 2.05, "
                "F-GR-lean peak - SGD peak = 1.00 x parameter bytes")


def cases(size, models=None):
    """(name, depth or None, model factory, batch size) for every benchmarked model."""
    s = SIZES[size]
    out = [(f"MLP-{d}", d, (lambda d=d: mlp(d, width=s["width"])), s["mlp_batch"])
           for d in s["depths"]]
    out = out + [("ResNet-18", None, ResNet18, s["resnet_batch"])]
    return [c for c in out if models is None or c[0] in models]


def setup(factory, batch, method, device):
    """Fresh model, optimizer and synthetic batch; returns ``step()`` and the parameter bytes.

    The step is :func:`cgdopt.experiments.cost.step_on_batch` (the ``cost`` experiment's).
    """
    torch.manual_seed(0)
    model = factory().to(device)
    x, y = synthetic_batch(batch, device)
    nbytes = sum(p.numel() * p.element_size() for p in model.parameters())
    name, options = UNCHECKED.get(method, (method, {}))
    return step_on_batch(model, x, y, name, **options), nbytes


def time_interleaved(steps, warmup, repeats, device):
    """Per-step wall times in ms for every method, interleaved round by round.

    After ``warmup`` steps of each method, every round times one step of each
    method, rotating the order, so that slow drifts and background load hit all
    methods alike and the ratios stay comparable.  On the CPU the process CPU
    time and the minor page faults of each step are returned as well
    (``{method: [ms]}`` twice, then ``{method: [faults]}``; ``None`` on CUDA).
    """
    for step in steps.values():
        for _ in range(warmup):
            step()
    names, times, cpu = list(steps), {m: [] for m in steps}, {m: [] for m in steps}
    faults = {m: [] for m in steps}
    for i in range(repeats):
        order = names[i % len(names):] + names[:i % len(names)]
        if device == "cuda":
            torch.cuda.synchronize()
            events = {m: (torch.cuda.Event(enable_timing=True),
                          torch.cuda.Event(enable_timing=True)) for m in order}
            for m in order:
                events[m][0].record()
                steps[m]()
                events[m][1].record()
            torch.cuda.synchronize()
            for m in order:
                times[m].append(events[m][0].elapsed_time(events[m][1]))
        else:
            for m in order:
                f0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
                c0, t0 = time.process_time(), time.perf_counter()
                steps[m]()
                times[m].append((time.perf_counter() - t0) * 1e3)
                cpu[m].append((time.process_time() - c0) * 1e3)
                faults[m].append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - f0)
    if device == "cpu":
        return times, cpu, faults
    return times, None, None


def quartiles(xs):
    q1, med, q3 = statistics.quantiles(xs, n=4, method="inclusive")
    return med, q1, q3


def machine_info(device):
    if device == "cuda":
        name = torch.cuda.get_device_name()
    else:
        name = platform.processor() or platform.machine()
        try:
            with open("/proc/cpuinfo") as fh:
                name = next(l.split(":", 1)[1].strip() for l in fh if l.startswith("model name"))
        except (OSError, StopIteration):
            pass
    return dict(date=datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                device=device, device_name=name, cpu_count=os.cpu_count(),
                torch=torch.__version__, threads=torch.get_num_threads(),
                python=platform.python_version(), optimizers=sys.modules[GR.__module__].__file__,
                tf32=(torch.backends.cuda.matmul.allow_tf32 or torch.backends.cudnn.allow_tf32)
                if device == "cuda" else "n/a (CPU)", loadavg_start=os.getloadavg())


def run(args):
    rows = []
    for name, depth, factory, batch in cases(args.sizes, args.models):
        steps, nbytes = {}, 0
        for method in args.methods:
            steps[method], nbytes = setup(factory, batch, method, args.device)
        times, cpu_times, faults = time_interleaved(steps, args.warmup, args.repeats, args.device)
        del steps
        gc.collect()
        for method in args.methods:  # memory: one method at a time, nothing else resident
            peak = None
            if args.device == "cuda":
                torch.cuda.empty_cache()
                peak = cuda_peak_bytes(lambda: setup(factory, batch, method, "cuda")[0], args.warmup)
            elif not args.no_cpu_memory:
                peak = cpu_peak_bytes(lambda: setup(factory, batch, method, "cpu")[0], warmup=2)
            gc.collect()
            med, q1, q3 = quartiles(times[method])
            rows.append(dict(model=name, depth=depth, batch=batch, method=method,
                             param_bytes=nbytes, median_ms=med, q1_ms=q1, q3_ms=q3,
                             peak_bytes=peak, times_ms=times[method],
                             cpu_median_ms=cpu_times and statistics.median(cpu_times[method]),
                             cpu_times_ms=cpu_times and cpu_times[method],
                             faults_per_step=faults and statistics.mean(faults[method])))
            print(f"  {name:10s} {method:5s} median {med:9.2f} ms  IQR [{q1:.2f}, {q3:.2f}]"
                  + (f"  peak {peak / 2**20:8.1f} MiB" if peak is not None else ""),
                  file=sys.stderr, flush=True)
    return rows


def ratios(rows, model, key="median_ms"):
    """Time ratios of the medians (``key``) and the F-GR memory overhead, for one model."""
    t = {r["method"]: r[key] for r in rows if r["model"] == model}
    m = {r["method"]: r["peak_bytes"] for r in rows if r["model"] == model}
    pbytes = next(r["param_bytes"] for r in rows if r["model"] == model)
    out = {f"{k}/SGD": t[k] / t["SGD"] for k in t if k != "SGD"}
    if "DB" in t and "F-GR" in t:
        out["DB/F-GR"] = t["DB"] / t["F-GR"]
    if m["SGD"] is not None and key == "median_ms":
        for k in ("F-GR", "F-GR-lean", "SAM", "SAM-lean"):
            if k in m:
                out[f"({k} - SGD peak) / param bytes"] = (m[k] - m["SGD"]) / pbytes
    return out


def depth_slopes(rows):
    """Least-squares slope of the median time against MLP depth (ms per layer), per method."""
    out = {}
    for m in dict.fromkeys(r["method"] for r in rows):
        pts = [(r["depth"], r["median_ms"]) for r in rows if r["method"] == m and r["depth"]]
        if len(pts) >= 2:
            out[m] = statistics.linear_regression(*zip(*pts)).slope
    return out


def fmt_load(load):
    return "n/a" if load is None else "/".join(f"{x:.2f}" for x in load)


def report(rows, meta):
    """Markdown report: machine, per-step table, ratios and the GPU targets."""
    gpu = meta["device"] == "cuda"
    mem_how = ("torch.cuda.max_memory_allocated after reset_peak_memory_stats" if gpu else
               "peak live bytes of PyTorch's CPU allocator (torch.profiler, profile_memory=True)")
    lines = [f"- date: {meta['date']}", f"- device: {meta['device']} ({meta['device_name']}), "
             f"{meta['cpu_count']} logical CPUs, torch threads: {meta['threads']}",
             f"- torch {meta['torch']}, Python {meta['python']}, TF32: {meta['tf32']}",
             f"- sizes: {meta['sizes']}; per method {meta['warmup']} warm-up steps, then "
             f"{meta['repeats']} interleaved timed steps; times: median (IQR) ms per optimizer step",
             f"- memory: {mem_how}",
             f"- load average (1, 5, 15 min) at start {fmt_load(meta['loadavg_start'])}, "
             f"at end {fmt_load(meta.get('loadavg_end'))}", ""]
    if meta["sizes"] == "small":
        lines += ["Note: CPU 'small' sizes: MLPs as in the paper (width 512, batch 256); ResNet-18 at "
                  f"full width but batch {SIZES['small']['resnet_batch']} instead of 128.", ""]
    cpu_col = not gpu and rows[0]["cpu_median_ms"] is not None
    lines += ["| model | batch | method | median ms | IQR ms | x SGD | peak MiB |"
              + (" process CPU ms | page faults/step |" if cpu_col else ""),
              "|---|---:|---|---:|---:|---:|---:|" + ("---:|---:|" if cpu_col else "")]
    sgd = {r["model"]: r["median_ms"] for r in rows if r["method"] == "SGD"}
    for r in rows:
        peak = "n/a" if r["peak_bytes"] is None else f"{r['peak_bytes'] / 2**20:.1f}"
        lines.append(f"| {r['model']} | {r['batch']} | {r['method']} | {r['median_ms']:.2f} | "
                     f"{r['q1_ms']:.2f}-{r['q3_ms']:.2f} | {r['median_ms'] / sgd[r['model']]:.2f} "
                     f"| {peak} |" + (f" {r['cpu_median_ms']:.2f} | {r['faults_per_step']:.0f} |"
                                      if cpu_col else ""))
    models = list(dict.fromkeys(r["model"] for r in rows))
    for key, title in [("median_ms", "Ratios of median wall times (same run)"),
                       ("cpu_median_ms", "Ratios of median process CPU times (cross-check)")]:
        if key == "cpu_median_ms" and not cpu_col:
            continue
        keys = list(ratios(rows, models[0], key))
        lines += ["", title + ":", "", "| model | " + " | ".join(keys) + " |",
                  "|---" + "|---:" * len(keys) + "|"]
        for m in models:
            lines.append(f"| {m} | " + " | ".join(f"{v:.2f}" for v in ratios(rows, m, key).values())
                         + " |")
    sl = depth_slopes(rows)
    if {"SGD", "F-GR", "DB"} <= set(sl):
        lines += ["", "MLP time against depth, least-squares slope in ms per layer (x SGD's slope; "
                  "matrix-multiplication count: F-GR/B-GR/SAM 2, DB 3, DB/F-GR 1.5): "
                  + ", ".join(f"{m} {v:.2f} ({v / sl['SGD']:.2f})" for m, v in sl.items())
                  + f"; DB/F-GR {sl['DB'] / sl['F-GR']:.2f}"]
    lean = [m for m in models if "F-GR-lean/SGD" in ratios(rows, m)]
    if lean:
        lines += ["", f"Targets of the lean mode ({TARGETS_LEAN}):"]
        for m in lean:
            r = ratios(rows, m)
            mem = r.get("(F-GR-lean - SGD peak) / param bytes")
            ok = r["F-GR-lean/SGD"] <= 2.05 and (mem is None or round(mem, 2) <= 1.00)
            lines.append(f"- {m}: F-GR-lean/SGD {r['F-GR-lean/SGD']:.3f}"
                         + (f", extra peak {mem:.2f} parameter buffers" if mem is not None else "")
                         + (" PASS" if ok else " MISS"))
    if "ResNet-18" not in models or not {"F-GR", "DB"} <= set(
            r["method"] for r in rows if r["model"] == "ResNet-18"):
        return "\n".join(lines)
    rn = ratios(rows, "ResNet-18")
    checks = [("F-GR step <= 2.1 x SGD step", rn["F-GR/SGD"], rn["F-GR/SGD"] <= 2.1),
              ("DB >= 2.5 x F-GR step", rn["DB/F-GR"], rn["DB/F-GR"] >= 2.5)]
    if "(F-GR - SGD peak) / param bytes" in rn:
        v = rn["(F-GR - SGD peak) / param bytes"]
        # to 2 decimals: a step also allocates a few 0-dim scalars (a few bytes, not buffers)
        checks.append(("F-GR peak <= SGD peak + 2 x parameter bytes", v, round(v, 2) <= 2.0))
    lines += ["", f"Targets (GPU, fp32, ResNet-18): {TARGETS}"]
    if not gpu:
        lines.append("These are GPU targets and are NOT evaluated here; the CPU values are "
                     "shown for information only.")
    for text, val, ok in checks:
        verdict = ("PASS" if ok else "MISS") if gpu else \
            f"(CPU value, {'within' if ok else 'outside'} the GPU bound; not a GPU measurement)"
        lines.append(f"- {text}: {val:.2f} {verdict}")
    return "\n".join(lines)


def parse_names(text, accepted, flag, ap, empty_ok=False):
    """The comma-separated names of ``text``; ``ap.error`` (exit 2, one line) for a name not in
    ``accepted``, or for none at all unless ``empty_ok``.  Also used by ``ddp_speed.py``."""
    got = [m for m in text.split(",") if m]
    bad = [m for m in got if m not in accepted]
    if bad or not (got or empty_ok):
        ap.error(f"{flag}: unknown {','.join(bad) or '(empty)'} (accepted: {','.join(accepted)})")
    return got


def check_at_least(args, ap, bounds):
    """``ap.error`` (exit 2, one line) for the first flag of ``bounds`` (``{dest: lowest
    accepted value}``) that is below its bound.  Used by ``ddp_speed.py`` and ``nn_passes.py``."""
    for flag, low in bounds.items():
        if getattr(args, flag) < low:
            ap.error(f"--{flag.replace('_', '-')} must be >= {low}, got {getattr(args, flag)}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--device", choices=("cpu", "cuda"),
                    default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--sizes", choices=tuple(SIZES), help="default: full on cuda, small on cpu")
    ap.add_argument("--repeats", type=int, help="timed steps per method and model")
    ap.add_argument("--warmup", type=int, help="untimed steps before timing")
    ap.add_argument("--methods", default=",".join(METHODS),
                    help=f"comma-separated subset of "
                         f"{','.join(METHODS + COMPILED + tuple(UNCHECKED))} (SGD is always "
                         f"included; default: all but the +compile and -nocheck ones)")
    ap.add_argument("--models", help="comma-separated subset of MLP-2,MLP-4,MLP-8,MLP-16,ResNet-18")
    ap.add_argument("--threads", type=int, help="torch.set_num_threads (CPU)")
    ap.add_argument("--tf32", action="store_true", help="allow TF32 on CUDA (default: strict fp32)")
    ap.add_argument("--no-cpu-memory", action="store_true", help="skip the profiled CPU memory pass")
    ap.add_argument("--out", action="append", default=[],
                    help="write results to PATH (.json: raw data, otherwise Markdown); repeatable")
    ap.add_argument("--plot", help="PNG path for time per step against MLP depth")
    args = ap.parse_args(argv)
    if args.device == "cuda" and not torch.cuda.is_available():
        ap.error("--device cuda but CUDA is not available")
    args.sizes = args.sizes or ("full" if args.device == "cuda" else "small")
    args.warmup = SIZES[args.sizes]["warmup"] if args.warmup is None else args.warmup
    args.repeats = SIZES[args.sizes]["repeats"] if args.repeats is None else args.repeats
    if args.repeats < 2 or args.warmup < 0:
        ap.error("--repeats must be >= 2 (medians and quartiles) and --warmup >= 0")
    methods = parse_names(args.methods, METHODS + COMPILED + tuple(UNCHECKED), "--methods", ap,
                          empty_ok=True)
    args.methods = ["SGD"] + [m for m in methods if m != "SGD"]
    if args.models is not None:
        args.models = parse_names(args.models, [c[0] for c in cases(args.sizes)], "--models", ap)
    if args.threads:
        torch.set_num_threads(args.threads)
    if args.device == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = args.tf32
        torch.backends.cudnn.benchmark = True
    meta = machine_info(args.device)
    meta.update(sizes=args.sizes, warmup=args.warmup, repeats=args.repeats, methods=args.methods,
                command="python " + " ".join([sys.argv[0]] + sys.argv[1:]), hyperparameters=HP)
    rows = run(args)
    meta["loadavg_end"] = os.getloadavg()
    text = report(rows, meta)
    print(text)
    for path in args.out:
        with open(path, "w") as fh:
            if path.endswith(".json"):
                json.dump(dict(meta=meta, rows=rows), fh, indent=1)
            else:
                fh.write(text + "\n")
    if args.plot:
        from plot_nn_depth import plot
        plot(dict(meta=meta, rows=rows), args.plot)
        print(f"plot written to {args.plot}")


if __name__ == "__main__":
    main()
