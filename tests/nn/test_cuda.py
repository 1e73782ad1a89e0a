"""CUDA: the same guarantees on a GPU (skipped cleanly without one)."""
import pytest

torch = pytest.importorskip("torch")

from cgdopt.nn import GR, SAM  # noqa: E402

pytestmark = [pytest.mark.cuda,
              pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")]


def run(nnh, device, foreach, kind="GR", dtype=torch.float64, **kw):
    x, y = (t.to(device, dtype) for t in nnh.make_data())
    net = nnh.make_mlp(bn=True).to(device, dtype)
    cls = GR if kind == "GR" else SAM
    opt = cls(net.parameters(), lr=0.1, momentum=0.9, foreach=foreach, model=net, **kw)
    closure = nnh.make_closure(opt, net, x, y)
    for _ in range(3):
        opt.step(closure)
    return [p.detach().cpu() for p in net.parameters()], net[1].num_batches_tracked.item()


@pytest.mark.parametrize("kind,kw", [("GR", dict(rule="forward")), ("GR", dict(rule="central")),
                                     ("GR", dict(rule="backward", safeguard="fallback")),
                                     ("SAM", dict(adaptive=True))])
def test_cuda_matches_cpu_and_foreach_matches_loop(nnh, kind, kw):
    cpu, n_cpu = run(nnh, "cpu", False, kind, **kw)
    fe, n_fe = run(nnh, "cuda", True, kind, **kw)
    loop, _ = run(nnh, "cuda", False, kind, **kw)
    nnh.assert_lists_close(fe, loop, rtol=1e-12, atol=1e-12)
    nnh.assert_lists_close(fe, cpu, rtol=1e-9, atol=1e-10)
    assert n_cpu == n_fe == 3


def test_cuda_default_is_foreach(nnh):
    net = nnh.make_mlp().cuda()
    opt = GR(net.parameters(), lr=0.1)
    assert opt._ops(list(net.parameters())).foreach


def test_cuda_float16_grad_scaler_and_bfloat16(nnh):
    x, y = (t.cuda().float() for t in nnh.make_data())
    for dtype, use_scaler in [(torch.float16, True), (torch.bfloat16, False)]:
        net = nnh.make_mlp(dtype=torch.float32).cuda()
        opt = GR(net.parameters(), lr=0.1)
        scaler = torch.amp.GradScaler("cuda", enabled=use_scaler)
        losses = []
        for _ in range(5):
            def closure():
                opt.zero_grad()
                with torch.autocast("cuda", dtype=dtype):
                    loss = ((net(x).float() - y) ** 2).mean()
                scaler.scale(loss).backward()
                return loss
            losses.append(opt.step(closure, grad_scaler=scaler).item())
            scaler.update()
        assert losses[-1] < losses[0]


def test_cuda_forward_rule_does_not_synchronize(nnh):
    """With nonfinite="ignore" and the default penalty, a GR step never waits for the GPU."""
    import warnings
    x, y = (t.cuda().float() for t in nnh.make_data())
    net = nnh.make_mlp(dtype=torch.float32).cuda()
    opt = GR(net.parameters(), lr=0.1, momentum=0.9, nonfinite="ignore", safeguard="fallback")
    closure = nnh.make_closure(opt, net, x, y)
    opt.step(closure)  # warm-up: lazy state creation
    torch.cuda.synchronize()
    torch.cuda.set_sync_debug_mode("warn")
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            opt.step(closure)
    finally:
        torch.cuda.set_sync_debug_mode("default")
    syncs = [str(w.message) for w in caught if "synchroniz" in str(w.message).lower()]
    assert not syncs, syncs
