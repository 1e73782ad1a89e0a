"""DistributedDataParallel: two gloo processes on half-batches = one process on the full batch."""
import pytest

torch = pytest.importorskip("torch")
dist = pytest.importorskip("torch.distributed")

from two_process import load_worker as _load, run_worker  # noqa: E402  (needs torch)

pytestmark = pytest.mark.skipif(not dist.is_available() or not dist.is_gloo_available(),
                                reason="torch.distributed with gloo is not available")


def load_worker():
    return _load("ddp_worker.py")


@pytest.fixture(scope="module")
def ddp_results(tmp_path_factory):
    out = tmp_path_factory.mktemp("ddp")
    failed = run_worker("ddp_worker.py", out, timeout=120)
    if failed is not None:
        pytest.fail(f"DDP worker failed:\n{failed.stdout}\n{failed.stderr}")
    return out


@pytest.mark.parametrize("scenario", ["gr_forward", "gr_central_accum", "sam_accum",
                                      "gr_bucket_view", "gr_central_lean_bucket_view",
                                      "sam_lean_bucket_view"])
def test_two_processes_equal_one_process(ddp_results, scenario):
    worker = load_worker()
    cfg = worker.SCENARIOS[scenario]
    ranks = [torch.load(ddp_results / f"{scenario}-rank{r}.pt") for r in (0, 1)]
    for a, b in zip(ranks[0]["params"], ranks[1]["params"]):
        assert torch.equal(a, b)  # replicas stay identical
    x, y = worker.data()
    ref = worker.build()
    opt = worker.train(ref, x, y, dict(cfg, micro=1))
    for a, b in zip(ranks[0]["params"], ref.parameters()):
        torch.testing.assert_close(a, b.detach(), rtol=1e-12, atol=1e-13)
    # the step actually moved the parameters
    assert any(not torch.allclose(a, b) for a, b in zip(ranks[0]["params"], worker.build().parameters()))
    assert ranks[0]["grad_evals"] == opt.grad_evals
    # gradient_as_bucket_view=True: the gradients are still the views into DDP's buckets
    assert all(ranks[0]["grads_are_views"]) == bool(cfg.get("bucket_view"))


def _flat_grad(model, x, y, values):
    params = list(model.parameters())
    with torch.no_grad():
        for p, v in zip(params, values):
            p.copy_(v)
    return [g.detach() for g in torch.autograd.grad(((model(x) - y) ** 2).mean(), params)]


def local_probe_reference(worker, cfg):
    """The local-probe step by hand: G = mean over the shards r of G_r, where G_r is F-GR /
    central GR / SAM computed from shard r alone; then SGD with momentum 0.9, lr 0.1."""
    x, y = worker.data()
    shards = list(zip(x.chunk(2), y.chunk(2)))
    model = worker.build()
    theta = [p.detach().clone() for p in model.parameters()]
    buf = None
    eps, gamma, rho = 0.1, 0.2, 0.1
    nu = gamma / eps  # penalty "pow", p = 2: lam c / eps = (gamma/2) * 2 / eps
    for _ in range(worker.STEPS):
        Gs = []
        for xr, yr in shards:
            g = _flat_grad(model, xr, yr, theta)
            if cfg["kind"] == "SAM":
                n = torch.sqrt(sum((gi ** 2).sum() for gi in g))
                Gs.append(_flat_grad(model, xr, yr, [t + rho * gi / (n + 1e-12) for t, gi in zip(theta, g)]))
            elif cfg["rule"] == "forward":
                gp = _flat_grad(model, xr, yr, [t + eps * gi for t, gi in zip(theta, g)])
                Gs.append([(1 - nu) * gi + nu * pi for gi, pi in zip(g, gp)])
            else:
                gp = _flat_grad(model, xr, yr, [t + eps * gi for t, gi in zip(theta, g)])
                gm = _flat_grad(model, xr, yr, [t - eps * gi for t, gi in zip(theta, g)])
                G = [gi + 0.5 * nu * (a - b) for gi, a, b in zip(g, gp, gm)]
                if sum((gi * Gi).sum() for gi, Gi in zip(g, G)) <= 0:  # safeguard per rank
                    G = g
                Gs.append(G)
        G = [(a + b) / 2 for a, b in zip(*Gs)]
        buf = G if buf is None else [0.9 * b + Gi for b, Gi in zip(buf, G)]
        theta = [t - 0.1 * b for t, b in zip(theta, buf)]
    return theta


@pytest.mark.parametrize("scenario", ["gr_local", "gr_local_central_switch", "sam_local",
                                      "gr_local_central_switch_chunks"])
def test_local_probe_is_the_mean_of_per_shard_steps(ddp_results, scenario):
    worker = load_worker()
    cfg = worker.SCENARIOS[scenario]
    ranks = [torch.load(ddp_results / f"{scenario}-rank{r}.pt") for r in (0, 1)]
    for a, b in zip(ranks[0]["params"], ranks[1]["params"]):
        assert torch.equal(a, b)  # replicas stay identical
    expected = local_probe_reference(worker, cfg)
    for a, b in zip(ranks[0]["params"], expected):
        torch.testing.assert_close(a, b, rtol=1e-12, atol=1e-13)
    # ... and differs from the global-gradient algorithm
    x, y = worker.data()
    glob = worker.train(worker.build(), x, y, dict(cfg, local=False, micro=1))
    assert not all(torch.allclose(a, b) for a, b in zip(ranks[0]["params"], glob.param_groups[0]["params"]))
    # one all-reduce per step (G), none by DDP; the global algorithm needs one per pass.
    # With a bucket cap smaller than the gradients: one per chunk of at most the cap
    from cgdopt.nn._foreach_ops import DDP_BUCKET_BYTES, chunks
    per_step = len(list(chunks(list(worker.build().parameters()),
                               cfg.get("cap_bytes", DDP_BUCKET_BYTES))))
    assert per_step == (4 if "cap_bytes" in cfg else 1)
    assert ranks[0]["allreduce"] == {"ddp": 0, "explicit": per_step * worker.STEPS}
    passes = {"gr_local": 2, "sam_local": 2}.get(scenario, 3)
    assert ranks[0]["grad_evals"] == passes * worker.STEPS


def test_global_algorithm_all_reduces_every_pass(ddp_results):
    r0 = torch.load(ddp_results / "gr_forward-rank0.pt")
    assert r0["allreduce"] == {"ddp": 2 * load_worker().STEPS, "explicit": 0}


def test_local_probe_needs_a_ddp_model(nnh):
    from cgdopt.nn import GR
    with pytest.raises(ValueError, match=r"local_probe=True\) needs model="):
        GR(nnh.make_mlp().parameters(), lr=0.1, local_probe=True)
