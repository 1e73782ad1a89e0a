"""Worker for test_ddp.py: F-GR under DistributedDataParallel, 2 CPU processes, gloo.

Run as ``python ddp_worker.py PORT OUTDIR``; each rank trains on its half of the batch
and saves its parameters to ``OUTDIR/<scenario>-rank<r>.pt``.  The test imports this
file for ``build``/``data``/``train`` to compute the single-process reference.
"""
import os
import sys

import torch

from cgdopt.nn import GR, SAM
from two_process import build, data  # noqa: F401  (the test reads them here too)

SCENARIOS = {
    "gr_forward": dict(kind="GR", rule="forward", micro=1),
    "gr_central_accum": dict(kind="GR", rule="central", micro=2),
    "sam_accum": dict(kind="SAM", micro=2),
    # local_probe=True: per-rank probe, both passes under no_sync(), G all-reduced once
    "gr_local": dict(kind="GR", rule="forward", micro=1, local=True),
    "gr_local_central_switch": dict(kind="GR", rule="central", micro=2, local=True,
                                    safeguard="switch"),
    "sam_local": dict(kind="SAM", micro=1, local=True),
    # a 100-byte bucket cap: G is all-reduced in several chunks (one tensor larger than the
    # cap in place, the fallback flag riding in the first chunk)
    "gr_local_central_switch_chunks": dict(kind="GR", rule="central", micro=2, local=True,
                                           safeguard="switch", cap_bytes=100),
    # gradient_as_bucket_view=True: p.grad is a view into DDP's bucket, which each pass
    # overwrites -- GR must copy g there instead of keeping the p.grad tensor (issue 11)
    "gr_bucket_view": dict(kind="GR", rule="forward", micro=1, bucket_view=True),
    "gr_central_lean_bucket_view": dict(kind="GR", rule="central", micro=1, bucket_view=True,
                                        restore="subtract"),
    "sam_lean_bucket_view": dict(kind="SAM", micro=1, bucket_view=True, restore="subtract"),
}
STEPS = 3


def make_opt(params, cfg, model=None):
    local = dict(local_probe=True, model=model) if cfg.get("local") and model is not None else {}
    restore = cfg.get("restore", "copy")
    if cfg["kind"] == "SAM":
        return SAM(params, lr=0.1, momentum=0.9, rho=0.1, restore=restore, **local)
    return GR(params, lr=0.1, momentum=0.9, rule=cfg["rule"], eps=0.1, gamma=0.2,
              safeguard=cfg.get("safeguard", "none"), restore=restore, **local)


def train(model, x, y, cfg, no_sync=None):
    """GR/SAM steps; the closure accumulates ``micro`` micro-batches (all but the last under no_sync)."""
    opt = make_opt(model.parameters(), cfg, model if no_sync is not None else None)
    micro = cfg["micro"]

    def closure():
        opt.zero_grad()
        total = 0.0
        chunks = list(zip(x.chunk(micro), y.chunk(micro)))
        for i, (xb, yb) in enumerate(chunks):
            ctx = no_sync() if (no_sync is not None and i + 1 < len(chunks)) else _null()
            with ctx:
                loss = ((model(xb) - yb) ** 2).mean() / micro
                loss.backward()
            total += loss.detach()
        return total
    for _ in range(STEPS):
        opt.step(closure)
    return opt


class _null:
    def __enter__(self):
        return self

    def __exit__(self, *a):
        return False


def run(rank, port, outdir):
    import torch.distributed as dist
    from torch.nn.parallel import DistributedDataParallel as DDP
    torch.set_num_threads(1)
    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=2)
    try:
        x, y = data()
        xh, yh = x.chunk(2)[rank], y.chunk(2)[rank]
        counts = {"ddp": 0, "explicit": 0}

        def hook(state, bucket):  # DDP's gradient all-reduce, counted
            counts["ddp"] += 1
            fut = dist.all_reduce(bucket.buffer().div_(2), async_op=True).get_future()
            return fut.then(lambda f: f.value()[0])

        original = dist.all_reduce

        def counting_all_reduce(*a, **k):
            counts["explicit"] += 1
            return original(*a, **k)
        for name, cfg in SCENARIOS.items():
            cap = {"bucket_cap_mb": cfg["cap_bytes"] / 2**20} if "cap_bytes" in cfg else {}
            model = DDP(build(), gradient_as_bucket_view=cfg.get("bucket_view", False), **cap)
            model.register_comm_hook(None, hook)
            counts.update(ddp=0, explicit=0)
            dist.all_reduce = counting_all_reduce
            try:
                opt = train(model, xh, yh, cfg, no_sync=model.no_sync)
            finally:
                dist.all_reduce = original
            counts["explicit"] -= counts["ddp"]  # the hook itself calls all_reduce
            torch.save({"params": [p.detach() for p in model.module.parameters()],
                        "grad_evals": opt.grad_evals, "counters": dict(opt.counters),
                        "allreduce": dict(counts),
                        "grads_are_views": [p.grad is not None and p.grad._is_view()
                                            for p in model.module.parameters()]},
                       os.path.join(outdir, f"{name}-rank{rank}.pt"))
    finally:
        dist.destroy_process_group()


if __name__ == "__main__":
    import torch.multiprocessing as mp
    # fork is safe here (this fresh process has run no parallel work yet) and saves the
    # children a torch import; fall back to spawn where fork does not exist
    method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    mp.start_processes(run, args=(int(sys.argv[1]), sys.argv[2]), nprocs=2, join=True,
                       start_method=method)
