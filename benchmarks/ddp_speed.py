#!/usr/bin/env python
"""DDP step time and all-reduce traffic of GR and SAM: global probe against ``local_probe=True``.

Measurement part of issue 11 ("fewer all-reduces"; see ``docs/benchmarks.md``).  Two
processes on this machine, gloo over loopback, one torch thread each, every method wrapped in
its own ``DistributedDataParallel`` (default buckets).  Each rank trains on its own batch of
synthetic CIFAR-sized data (3x32x32, 10 classes; seed 1 + rank), base SGD with momentum 0.9 and
the settings of ``cgdopt.experiments.cost.STEP_HP`` (``lr=0.01, eps=gamma=0.05, rho=0.05``).

Methods: SGD, F-GR, F-GR-lean, SAM, SAM-lean (as in ``nn_speed.py``), each GR/SAM one also with
the suffix ``-local`` (``local_probe=True``: both passes under ``no_sync()``, the regularized
gradient all-reduced once; the per-rank probe of m-sharpness, not Karakida's global-batch
algorithm, so the two compute different G).

1. **Traffic** (untimed): each method runs ``--count-steps`` steps after one warm-up step on a
   DDP module whose communication hook counts DDP's bucket all-reduces, while
   ``torch.distributed.all_reduce`` is wrapped to count the optimizer's own; calls and MB per
   step, per rank.
2. **Time**: fresh DDP modules with DDP's built-in all-reduce, ``--warmup`` untimed steps each,
   then ``--repeats`` rounds that time one step of every method (interleaved, rotating order;
   a barrier before each step, so neither rank starts it late); a step's time is the larger of
   the two ranks' ``time.perf_counter`` intervals.  Medians, quartiles and ratios to SGD of the
   same run.
3. **Memory** (``--memory-repeats 0`` skips it): one method at a time, the peak of live tensor
   bytes of PyTorch's CPU allocator on rank 0 during two steps after two warm-up steps (as in
   ``nn_speed.py``, DDP's bucket buffers included), less SGD's peak, in parameter buffers.
   Under DDP this peak differs between identical measurements by whole parameter buffers
   (when the buffers of a finished all-reduce are released is not fixed), so it is measured
   ``--memory-repeats`` times and the range is reported.

Rank 0 writes the results after each model (``--json``), so a crash or Ctrl-C keeps the models
that finished.

Example::

    python benchmarks/ddp_speed.py --models MLP-2,MLP-4 --out docs/figures/ddp_speed_cpu.md
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import sys
import tempfile
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cgdopt.experiments.cost import STEP_HP, cpu_peak_bytes, step_on_batch, synthetic_batch  # noqa: E402
from cgdopt.nn.models import ResNet18, mlp  # noqa: E402
from nn_speed import check_at_least, machine_info, parse_names, quartiles  # noqa: E402

BASE_METHODS = ("SGD", "F-GR", "F-GR-lean", "SAM", "SAM-lean")
METHODS = BASE_METHODS + tuple(m + "-local" for m in BASE_METHODS if m != "SGD")
DEFAULT_METHODS = ("SGD", "F-GR", "F-GR-local", "F-GR-lean", "F-GR-lean-local", "SAM", "SAM-local")
MODELS = {"MLP-2": lambda w: mlp(2, width=w), "MLP-4": lambda w: mlp(4, width=w),
          "ResNet-18": lambda w: ResNet18(width=w / 512)}  # width 512 = ResNet-18's 64 channels


def split(method):
    """``"F-GR-lean-local"`` -> (``"F-GR-lean"``, ``{"local_probe": True}``)."""
    if method.endswith("-local"):
        return method[:-len("-local")], {"local_probe": True}
    return method, {}


def make_step(model, width, batch, method, rank, counting=None):
    """A DDP-wrapped model and its ``step()``; ``counting``: a dict the comm hook adds DDP's
    all-reduces to (calls, bytes)."""
    import torch.distributed as dist
    from torch.nn.parallel import DistributedDataParallel as DDP
    torch.manual_seed(0)
    ddp = DDP(MODELS[model](width))
    if counting is not None:
        all_reduce, world = dist.all_reduce, dist.get_world_size()

        def hook(state, bucket):
            buf = bucket.buffer()
            counting["ddp_calls"] += 1
            counting["ddp_bytes"] += buf.numel() * buf.element_size()
            fut = all_reduce(buf.div_(world), async_op=True).get_future()
            return fut.then(lambda f: f.value()[0])
        ddp.register_comm_hook(None, hook)
    name, options = split(method)
    return step_on_batch(ddp, *synthetic_batch(batch, seed=1 + rank), name, **options)


def count_traffic(model, width, batch, method, rank, steps):
    """All-reduce calls and bytes per step on this rank: DDP's buckets and the optimizer's own."""
    import torch.distributed as dist
    counts = dict(ddp_calls=0, ddp_bytes=0, own_calls=0, own_bytes=0)
    step = make_step(model, width, batch, method, rank, counting=counts)
    step()  # DDP's first iteration may rebuild its buckets
    counts.update(ddp_calls=0, ddp_bytes=0)
    original = dist.all_reduce

    def counting_all_reduce(tensor, *a, **k):
        counts["own_calls"] += 1
        counts["own_bytes"] += tensor.numel() * tensor.element_size()
        return original(tensor, *a, **k)
    dist.all_reduce = counting_all_reduce
    try:
        for _ in range(steps):
            step()
    finally:
        dist.all_reduce = original
    return {k: v / steps for k, v in counts.items()}


def time_methods(steps, warmup, repeats):
    """Per-step times (ms) on this rank, interleaved round by round, a barrier before each step."""
    import torch.distributed as dist
    for step in steps.values():
        for _ in range(warmup):
            step()
    names, times = list(steps), {m: [] for m in steps}
    for i in range(repeats):
        for m in names[i % len(names):] + names[:i % len(names)]:
            dist.barrier()
            t0 = time.perf_counter()
            steps[m]()
            times[m].append((time.perf_counter() - t0) * 1e3)
    return times


@contextlib.contextmanager
def quiet_stderr():
    """Silence file descriptor 2: torch 2.13's profiler logs two "USDT" lines per session
    there, which ``KINETO_LOG_LEVEL`` does not turn off (an exception still propagates)."""
    sys.stderr.flush()
    saved, null = os.dup(2), os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(null)


def rank_main(rank, port, args, path):
    import torch.distributed as dist
    torch.set_num_threads(args.threads)
    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=2)
    try:
        meta = machine_info("cpu")
        meta.update(command="python " + " ".join(args.argv), world_size=2, backend="gloo",
                    width=args.width, batch_per_rank=args.batch, warmup=args.warmup,
                    repeats=args.repeats, count_steps=args.count_steps,
                    memory_repeats=args.memory_repeats, hyperparameters=STEP_HP)
        rows = []
        for model in args.models:
            traffic = {m: count_traffic(model, args.width, args.batch, m, rank, args.count_steps)
                       for m in args.methods}
            steps = {m: make_step(model, args.width, args.batch, m, rank) for m in args.methods}
            params = list(MODELS[model](args.width).parameters())
            nparams = sum(p.numel() for p in params)
            pbytes = sum(p.numel() * p.element_size() for p in params)
            times = time_methods(steps, args.warmup, args.repeats)
            del steps
            with quiet_stderr():
                peaks = {m: [cpu_peak_bytes(lambda m=m: make_step(model, args.width, args.batch, m, rank),
                                            warmup=2) for _ in range(args.memory_repeats)]
                         for m in args.methods}
            both = [None, None]
            dist.all_gather_object(both, times)
            if rank == 0:
                for m in args.methods:
                    per_step = [max(a, b) for a, b in zip(both[0][m], both[1][m])]
                    med, q1, q3 = quartiles(per_step)
                    rows.append(dict(model=model, method=m, median_ms=med, q1_ms=q1, q3_ms=q3,
                                     times_ms=per_step, params=nparams, param_bytes=pbytes,
                                     peak_bytes=peaks[m],
                                     **traffic[m]))
                    print(f"  {model:9s} {m:16s} median {med:8.2f} ms  IQR [{q1:.2f}, {q3:.2f}]  "
                          f"all-reduces/step {traffic[m]['ddp_calls'] + traffic[m]['own_calls']:.0f}",
                          file=sys.stderr, flush=True)
                meta["loadavg_end"] = os.getloadavg()
                with open(path + ".tmp", "w") as fh:  # after each model: finished work is kept
                    json.dump(dict(meta=meta, rows=rows), fh, indent=1)
                os.replace(path + ".tmp", path)
    finally:
        dist.destroy_process_group()


def report(data):
    """Markdown: machine, a table per model (time, x SGD, all-reduces and MB per step)."""
    meta, rows = data["meta"], data["rows"]
    lines = [f"- date: {meta['date']}; command: `{meta['command']}`",
             f"- machine: {meta['device_name']}, {meta['cpu_count']} logical CPUs; 2 gloo processes "
             f"(loopback), torch threads per process: {meta['threads']}; torch {meta['torch']}, "
             f"Python {meta['python']}",
             f"- MLP width {meta['width']} (ResNet-18: full width when 512), batch "
             f"{meta['batch_per_rank']} per rank; {meta['warmup']} warm-up steps, then "
             f"{meta['repeats']} interleaved timed steps per method; a step's time is the slower "
             f"rank's; all-reduces counted over {meta['count_steps']} steps on rank 0; memory: the range of "
             f"(peak - SGD's peak) over {meta['memory_repeats']} x {meta['memory_repeats']} pairs of "
             "profiled measurements on rank 0",
             f"- load average (1, 5, 15 min) at start {'/'.join(f'{x:.2f}' for x in meta['loadavg_start'])}"
             f", at end {'/'.join(f'{x:.2f}' for x in meta['loadavg_end'])}", "",
             "| model | parameters | method | median ms | IQR ms | x SGD | all-reduces/step "
             "(DDP + optimizer) | MB all-reduced/step | peak - SGD peak, parameter buffers (range) |",
             "|---|---:|---|---:|---:|---:|---:|---:|---:|"]
    sgd = {r["model"]: r for r in rows if r["method"] == "SGD"}
    for r in rows:
        calls, mb = r["ddp_calls"] + r["own_calls"], (r["ddp_bytes"] + r["own_bytes"]) / 1e6
        extra = "n/a"
        if r["peak_bytes"]:  # the range of (peak - SGD's peak) over the repeated measurements
            d = [(p - q) / r["param_bytes"] for p in r["peak_bytes"]
                 for q in sgd[r["model"]]["peak_bytes"]]
            extra = f"{min(d):.2f}" if max(d) - min(d) < 0.005 else f"{min(d):.2f} to {max(d):.2f}"
        lines.append(f"| {r['model']} | {r['params']:,} | {r['method']} | {r['median_ms']:.2f} | "
                     f"{r['q1_ms']:.2f}-{r['q3_ms']:.2f} | "
                     f"{r['median_ms'] / sgd[r['model']]['median_ms']:.3f} | "
                     f"{calls:g} ({r['ddp_calls']:g} + {r['own_calls']:g}) | {mb:.2f} | {extra} |")
    pairs = [(r, l) for r in rows for l in rows
             if l["model"] == r["model"] and l["method"] == r["method"] + "-local"]
    if pairs:
        lines += ["", "local_probe=True against the global probe (same run):", ""]
        for g, l in pairs:
            lines.append(f"- {g['model']}, {g['method']}: time x{l['median_ms'] / g['median_ms']:.3f}, "
                         f"all-reduces {g['ddp_calls'] + g['own_calls']:g} -> "
                         f"{l['ddp_calls'] + l['own_calls']:g} per step, MB "
                         f"{(g['ddp_bytes'] + g['own_bytes']) / 1e6:.2f} -> "
                         f"{(l['ddp_bytes'] + l['own_bytes']) / 1e6:.2f}")
    return "\n".join(lines)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--models", default="MLP-2,MLP-4", help=f"comma-separated subset of {','.join(MODELS)}")
    ap.add_argument("--methods", default=",".join(DEFAULT_METHODS),
                    help=f"comma-separated subset of {','.join(METHODS)} (SGD is always included)")
    ap.add_argument("--width", type=int, default=512, help="MLP width (default 512)")
    ap.add_argument("--batch", type=int, default=128, help="batch per rank (default 128)")
    ap.add_argument("--warmup", type=int, default=3, help="untimed steps per method (default 3)")
    ap.add_argument("--repeats", type=int, default=20, help="timed steps per method (default 20)")
    ap.add_argument("--count-steps", type=int, default=2, help="steps counted for traffic (default 2)")
    ap.add_argument("--threads", type=int, default=1, help="torch threads per process (default 1)")
    ap.add_argument("--memory-repeats", type=int, default=3,
                    help="profiled memory measurements per method (default 3; 0: none)")
    ap.add_argument("--json", help="raw results, written after each model (default: a temporary file)")
    ap.add_argument("--out", action="append", default=[],
                    help="write the report to PATH (.json: raw data, otherwise Markdown); repeatable")
    args = ap.parse_args(argv)
    args.models = parse_names(args.models, tuple(MODELS), "--models", ap)
    methods = parse_names(args.methods, METHODS, "--methods", ap)
    args.methods = ["SGD"] + [m for m in methods if m != "SGD"]
    check_at_least(args, ap, dict(width=1, batch=1, repeats=2, count_steps=1, threads=1,
                                  warmup=0, memory_repeats=0))
    import torch.distributed as dist
    if not (dist.is_available() and dist.is_gloo_available()):
        ap.error("torch.distributed with the gloo backend is not available in this torch build")
    args.argv = [sys.argv[0]] + (sys.argv[1:] if argv is None else list(argv))
    path = args.json or os.path.join(tempfile.mkdtemp(prefix="ddp_speed_"), "ddp_speed.json")
    import torch.multiprocessing as mp
    # fork: this process has run no parallel work yet; spawn where fork does not exist
    method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    try:
        mp.start_processes(rank_main, args=(free_port(), args, path), nprocs=2, join=True,
                           start_method=method)
    except (KeyboardInterrupt, mp.ProcessRaisedException, mp.ProcessExitedException) as e:
        why = "interrupted" if isinstance(e, KeyboardInterrupt) else \
            (str(e).strip().splitlines() or [type(e).__name__])[-1]
        print(f"ddp_speed: stopped ({why})" + (f"; the models that finished are in {path}"
                                               if os.path.exists(path) else "; no model finished"),
              file=sys.stderr)
        return 1
    with open(path) as fh:
        data = json.load(fh)
    text = report(data)
    print(text)
    for out in args.out:
        with open(out, "w") as fh:
            if out.endswith(".json"):
                json.dump(data, fh, indent=1)
            else:
                fh.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
