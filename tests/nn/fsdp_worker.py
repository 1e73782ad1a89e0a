"""Worker for test_fsdp.py: GR and SAM on FSDP2 (``fully_shard``) parameters, 2 CPU processes, gloo.

Run as ``python fsdp_worker.py PORT OUTDIR``; each rank trains on its half of the batch and
saves the full parameters to ``OUTDIR/<scenario>-rank<r>.pt``.  The test imports this file
for ``SCENARIOS``/``build``/``data``/``train`` to compute the single-process reference.
"""
import gc
import os
import sys

import torch

from cgdopt.nn import GR, SAM
from two_process import build, data  # noqa: F401  (the test reads them here too)

SCENARIOS = {
    "gr_forward": dict(kind="GR", rule="forward"),
    "gr_central_norm_fallback": dict(kind="GR", rule="central", penalty="norm", p=2,
                                     safeguard="fallback"),
    "gr_lean_normalize": dict(kind="GR", rule="forward", restore="subtract", normalize=True),
    "sam": dict(kind="SAM"),
    "asam_lean": dict(kind="SAM", adaptive=True, restore="subtract"),
    # a strong penalty with a large probe step: some steps fall back to the plain gradient
    "gr_fallbacks": dict(kind="GR", rule="forward", safeguard="fallback", gamma=30.0, eps=0.5),
    # a NaN in rank 0's half of the batch at step 1: every rank must skip that step
    "gr_nan_on_one_rank": dict(kind="GR", rule="forward", nan_at=1, safeguard="switch"),
}
STEPS = 3


def make_opt(params, cfg):
    kw = {k: v for k, v in cfg.items() if k not in ("kind", "nan_at")}
    if cfg["kind"] == "SAM":
        return SAM(params, lr=0.1, momentum=0.9, **dict(dict(rho=0.1), **kw))
    return GR(params, lr=0.1, momentum=0.9, **dict(dict(eps=0.1, gamma=0.2), **kw))


def train(model, x, y, cfg, poison=True):
    """``STEPS`` steps on (x, y); at step ``cfg["nan_at"]`` the first sample is NaN if ``poison``."""
    opt = make_opt(model.parameters(), cfg)
    for step in range(STEPS):
        xs = x
        if poison and step == cfg.get("nan_at"):
            xs = x.clone()
            xs[0, 0] = float("nan")

        def closure():
            opt.zero_grad()
            loss = ((model(xs) - y) ** 2).mean()
            loss.backward()
            return loss
        opt.step(closure)
    return opt


def run(rank, port, outdir):
    import torch.distributed as dist
    from torch.distributed.device_mesh import init_device_mesh
    from torch.distributed.fsdp import fully_shard
    torch.set_num_threads(1)
    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=2)
    try:
        mesh = init_device_mesh("cpu", (2,))
        x, y = data()
        xh, yh = x.chunk(2)[rank], y.chunk(2)[rank]
        for name, cfg in SCENARIOS.items():
            model = build()
            fully_shard(model, mesh=mesh)
            opt = train(model, xh, yh, cfg, poison=(rank == 0))
            full = [p.full_tensor().detach() for p in model.parameters()]
            torch.save({"params": full, "grad_evals": opt.grad_evals,
                        "fallbacks": int(opt.counters["fallbacks"]),
                        "skipped": opt.counters["skipped"],
                        "regularizing": opt.counters["regularizing"]},
                       os.path.join(outdir, f"{name}-rank{rank}.pt"))
        # no DTensor may outlive the group: freed at interpreter shutdown, gloo can abort
        del model, opt, full
        gc.collect()
        dist.barrier()
    finally:
        dist.destroy_process_group()


if __name__ == "__main__":
    import torch.multiprocessing as mp
    method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    mp.start_processes(run, args=(int(sys.argv[1]), sys.argv[2]), nprocs=2, join=True,
                       start_method=method)
