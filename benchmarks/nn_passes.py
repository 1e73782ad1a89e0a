#!/usr/bin/env python
"""The element-wise passes of a lean F-GR step, each timed alone, and what they add to F-GR-lean/SGD.

A step of ``GR(rule="forward", restore="subtract")`` is two forward/backward passes, one
update of the base optimizer and, in between, element-wise passes over the parameter
lists that a plain SGD step does not make: the screen of the clean gradient for
inf/NaN (``nonfinite="skip"``, the default; SGD checks nothing), the probe offset
θ += εg, the screen of the probe gradient, the removal θ −= εg, and G = lerp (one
``lerp_``).  Against two SGD steps it saves one SGD update.  So, before any Python
overhead,

    F-GR-lean / SGD ≈ 2 + (2 screens + offset + removal + lerp − SGD update) / SGD step.

This script times each of those passes with the library's own code (GR's screen and
update kernels, ``torch.optim.SGD.step`` with momentum for the update) on the parameter
lists of the models of ``nn_speed.py``, one pass at a time, interleaved, each from a cold
cache (a ``--flush-mb`` buffer is written before every pass), and the SGD step of the
same model in the same rounds; it prints medians and the estimate above.  From cold caches
(the default) the estimate is high: in a real step some lists are still in cache from the
pass before.  ``--flush-mb 0`` leaves the caches as the previous pass left them (passes of
other lists, in rotating order), which gives a low estimate.  ``--fused`` also
times the removal and the ``lerp_`` fused into one TorchInductor kernel (compiled once,
a few seconds to a minute), against the two eager passes.  See docs/benchmarks.md.

Examples
--------
    python benchmarks/nn_passes.py --models MLP-2,MLP-4,MLP-8 --fused
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cgdopt import directions as D  # noqa: E402
from cgdopt.experiments.cost import STEP_HP, step_on_batch, synthetic_batch  # noqa: E402
from cgdopt.nn import GR  # noqa: E402
from cgdopt.nn._foreach_ops import LOOP_OPS  # noqa: E402
from cgdopt.nn._kernels import EAGER  # noqa: E402
from cgdopt.nn.models import mlp  # noqa: E402
from nn_speed import check_at_least, machine_info, parse_names  # noqa: E402

MODELS = ("MLP-2", "MLP-4", "MLP-8", "MLP-16")


def setup(model, width, batch):
    """The model's parameter lists (theta, g, probe gradient) and a full SGD step on one batch."""
    torch.manual_seed(0)
    net = mlp(int(model.split("-")[1]), width=width)
    sgd_step = step_on_batch(net, *synthetic_batch(batch), "SGD")
    theta = [p.detach().clone() for p in net.parameters()]
    g = [torch.randn_like(p) for p in theta]
    gp = [torch.randn_like(p) for p in theta]
    upd_params = [torch.nn.Parameter(t.clone()) for t in theta]
    upd = torch.optim.SGD(upd_params, lr=STEP_HP["lr"], momentum=STEP_HP["momentum"])
    for p, t in zip(upd_params, gp):
        p.grad = t
    upd.step()  # the momentum buffers exist from here on, as in training
    eps = STEP_HP["eps"]
    # G = a g + b g_probe as GR forms it (default penalty: c = p = 2, lambda = gamma / 2)
    a, (b,) = D.fd_combination(D.fd_weight(0.5 * STEP_HP["gamma"], 2.0, eps), "forward")
    passes = {
        "screen": lambda: GR._unscale_check(gp, {}, None),
        "offset": lambda: EAGER.offset_(LOOP_OPS, theta, g, eps),
        "removal": lambda: EAGER.offset_(LOOP_OPS, theta, g, -eps),
        "lerp": lambda: EAGER.fd_combine_(LOOP_OPS, gp, g, [], a, (b,)),
        "SGD update": upd.step,
        "SGD step": sgd_step,
    }
    return passes, theta, g, gp, eps, (a, b)


def fused_pass(theta, g, gp, eps, ab):
    """Removal and lerp in one TorchInductor kernel (g read once), and the two eager passes."""
    def fn(ps, gs, Gs, eps: float, w: float):
        for p, t, G in zip(ps, gs, Gs):
            p.copy_(p - eps * t)
            G.copy_(G + w * (t - G))
    compiled = torch.compile(fn, fullgraph=True, dynamic=False)
    a, b = ab

    def eager():
        EAGER.offset_(LOOP_OPS, theta, g, -eps)
        EAGER.fd_combine_(LOOP_OPS, gp, g, [], a, (b,))
    return lambda: compiled(theta, g, gp, eps, a), eager


def measure(model, args):
    passes, theta, g, gp, eps, ab = setup(model, args.width, args.batch)
    if args.fused:
        passes["removal+lerp fused"], passes["removal+lerp eager"] = fused_pass(theta, g, gp, eps, ab)
    flush = torch.empty(args.flush_mb * 1024 * 1024 // 4)
    for _ in range(2):
        for fn in passes.values():
            fn()
    times = {k: [] for k in passes}
    names = list(passes)
    for r in range(args.repeats):
        for k in names[r % len(names):] + names[:r % len(names)]:
            flush.add_(1.0)
            t0 = time.perf_counter()
            passes[k]()
            times[k].append(1e3 * (time.perf_counter() - t0))
    med = {k: statistics.median(v) for k, v in times.items()}
    extra = 2 * med["screen"] + med["offset"] + med["removal"] + med["lerp"] - med["SGD update"]
    return dict(model=model, mb_per_list=4 * sum(t.numel() for t in theta) / 1e6, median_ms=med,
                times_ms=times, extra_ms=extra, estimate=2 + extra / med["SGD step"])


def report(rows, args, info):
    keys = list(rows[0]["median_ms"])
    load = "/".join(f"{v:.2f}" for v in info["loadavg_start"])
    lines = [f"- date: {info['date']}",
             f"- device: cpu ({info['device_name']}), {info['cpu_count']} logical CPUs, "
             f"torch threads: {info['threads']}, torch {info['torch']}, Python {info['python']}",
             f"- load average (1, 5, 15 min) at start {load}, at end "
             f"{'/'.join(f'{v:.2f}' for v in os.getloadavg())}",
             f"- {args.repeats} interleaved rounds, "
             + (f"every pass from a cold cache ({args.flush_mb} MB written before it)" if args.flush_mb
                else "no cache flush (each pass finds the caches as the previous pass left them)")
             + "; medians in ms", "",
             "| model | MB per list | " + " | ".join(keys) + " | extra ms | estimate of F-GR-lean/SGD |",
             "|---|---:|" + "---:|" * len(keys) + "---:|---:|"]
    for r in rows:
        lines.append(f"| {r['model']} | {r['mb_per_list']:.1f} | "
                     + " | ".join(f"{r['median_ms'][k]:.3f}" for k in keys)
                     + f" | {r['extra_ms']:.3f} | {r['estimate']:.3f} |")
    lines += ["", "extra = 2 x screen + offset + removal + lerp - SGD update; "
                  "estimate = 2 + extra / SGD step (no Python overhead counted)"]
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--models", default="MLP-2,MLP-4,MLP-8",
                    help=f"comma-separated subset of {','.join(MODELS)}")
    ap.add_argument("--repeats", type=int, default=100, help="interleaved rounds (>= 2)")
    ap.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (>= 1)")
    ap.add_argument("--flush-mb", type=int, default=256, help="MB written before every pass (>= 0)")
    ap.add_argument("--width", type=int, default=512, help="MLP width (>= 1)")
    ap.add_argument("--batch", type=int, default=256, help="batch of the SGD step (>= 1)")
    ap.add_argument("--fused", action="store_true", help="also time removal+lerp fused by TorchInductor")
    ap.add_argument("--out", help="write the medians and every time to this JSON file")
    args = ap.parse_args(argv)
    models = parse_names(args.models, MODELS, "--models", ap)
    check_at_least(args, ap, dict(repeats=2, threads=1, flush_mb=0, width=1, batch=1))
    torch.set_num_threads(args.threads)
    info = machine_info("cpu")
    rows = []
    try:
        for m in models:
            rows.append(measure(m, args))
    except KeyboardInterrupt:
        print("interrupted: reporting the finished models", file=sys.stderr)
    if not rows:
        return 1
    print(report(rows, args, info))
    if args.out:
        with open(args.out, "w") as f:
            json.dump(dict(argv=sys.argv[1:], machine=info, rows=rows), f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
