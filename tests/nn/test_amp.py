"""Mixed precision: bfloat16 autocast, float16 with GradScaler (CPU here; CUDA in test_cuda.py)."""
import pytest

torch = pytest.importorskip("torch")

from cgdopt.nn import GR, SAM  # noqa: E402


def mlp32(nnh):
    return nnh.make_mlp(dtype=torch.float32)


def data32(nnh):
    x, y = nnh.make_data()
    return x.float(), y.float()


@pytest.mark.parametrize("rule", ["forward", "central"])
def test_bfloat16_autocast(nnh, rule):
    x, y = data32(nnh)
    out = {}
    for amp in (False, True):
        net = mlp32(nnh)
        opt = GR(net.parameters(), lr=0.1, rule=rule, eps=0.1, gamma=0.1)
        dtypes = []

        def closure():
            opt.zero_grad()
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=amp):
                pred = net(x)
                dtypes.append(pred.dtype)
                loss = ((pred.float() - y) ** 2).mean()
            loss.backward()
            return loss
        for _ in range(3):
            opt.step(closure)
        assert set(dtypes) == {torch.bfloat16 if amp else torch.float32}
        assert all(p.dtype == torch.float32 and torch.isfinite(p).all() for p in net.parameters())
        out[amp] = nnh.params_of(net)
    moved = max(float((a - b).abs().max()) for a, b in zip(out[False], nnh.params_of(mlp32(nnh))))
    diff = max(float((a - b).abs().max()) for a, b in zip(out[True], out[False]))
    assert moved > 1e-2 and diff < 0.1 * moved  # bf16 follows the fp32 trajectory


def scaled_closure(opt, net, x, y, scaler, inject_inf_on=None, counter=None):
    counter = counter if counter is not None else {"n": 0}

    def closure():
        counter["n"] += 1
        opt.zero_grad()
        loss = ((net(x) - y) ** 2).mean()
        if counter["n"] == inject_inf_on:
            loss = loss * float("inf")
        scaler.scale(loss).backward()
        return loss
    return closure


@pytest.mark.parametrize("kind", ["GR-forward", "GR-central-p3", "SAM"])
def test_grad_scaler_gives_the_unscaled_result(nnh, kind):
    """The scale is a power of two: with a GradScaler the step is bit-identical to fp32 without."""
    x, y = data32(nnh)

    def make(params):
        if kind == "SAM":
            return SAM(params, lr=0.1, momentum=0.9)
        rule = kind.split("-")[1]
        return GR(params, lr=0.1, momentum=0.9, rule=rule, p=3.0 if kind.endswith("p3") else 2)
    net_a, net_b = mlp32(nnh), mlp32(nnh)
    opt_a, opt_b = make(net_a.parameters()), make(net_b.parameters())
    scaler = torch.amp.GradScaler("cpu", init_scale=2.0 ** 10)
    for _ in range(3):
        opt_a.step(scaled_closure(opt_a, net_a, x, y, scaler), grad_scaler=scaler)
        scaler.update()
        opt_b.step(nnh.make_closure(opt_b, net_b, x, y))
    nnh.assert_lists_close(nnh.params_of(net_a), nnh.params_of(net_b), rtol=0, atol=0)
    assert scaler.get_scale() == 2.0 ** 10


@pytest.mark.parametrize("bad_pass", [1, 2])
def test_grad_scaler_overflow_in_either_pass_skips_and_backs_off(nnh, bad_pass):
    x, y = data32(nnh)
    net = mlp32(nnh)
    opt = GR(net.parameters(), lr=0.1, momentum=0.9)
    scaler = torch.amp.GradScaler("cpu", init_scale=2.0 ** 10)
    before = nnh.params_of(net)
    opt.step(scaled_closure(opt, net, x, y, scaler, inject_inf_on=bad_pass), grad_scaler=scaler)
    scaler.update()
    assert all(torch.equal(a, b) for a, b in zip(before, nnh.params_of(net)))
    assert scaler.get_scale() == 2.0 ** 9
    assert not any(isinstance(k, torch.Tensor) for k in opt.state)  # base never stepped
    counter = {"n": 0}
    opt.step(scaled_closure(opt, net, x, y, scaler, counter=counter), grad_scaler=scaler)
    scaler.update()
    assert not all(torch.equal(a, b) for a, b in zip(before, nnh.params_of(net)))


def test_float16_autocast_with_grad_scaler_runs(nnh):
    x, y = data32(nnh)
    net = mlp32(nnh)
    opt = GR(net.parameters(), lr=0.1)
    scaler = torch.amp.GradScaler("cpu")
    losses = []
    for _ in range(5):
        def closure():
            opt.zero_grad()
            with torch.autocast("cpu", dtype=torch.float16):
                loss = ((net(x).float() - y) ** 2).mean()
            scaler.scale(loss).backward()
            return loss
        losses.append(float(opt.step(closure, grad_scaler=scaler)))
        scaler.update()
    assert losses[-1] < losses[0]


def test_double_backprop_refuses_a_scaler(nnh):
    net = mlp32(nnh)
    opt = GR(net.parameters(), lr=0.1, rule="double_backprop")
    with pytest.raises(RuntimeError, match="GradScaler"):
        opt.step(lambda: None, grad_scaler=torch.amp.GradScaler("cpu"))
