"""torch.optim conventions: foreach parity, printing, hooks, groups, non-finite handling."""
import math

import pytest

torch = pytest.importorskip("torch")

from cgdopt.directions import PROBE_SIGNS as D_SIGNS  # noqa: E402
from cgdopt.nn import GR, SAM  # noqa: E402

CONFIGS = [
    ("GR", dict(rule="forward")), ("GR", dict(rule="backward", penalty="norm", p=1.5)),
    ("GR", dict(rule="central", safeguard="fallback")), ("GR", dict(rule="forward", p=3.0)),
    ("SAM", dict(adaptive=True)), ("SAM", dict()),
]


def build(kind, params, foreach, **kw):
    cls = GR if kind == "GR" else SAM
    return cls(params, base=torch.optim.SGD, lr=0.05, momentum=0.9, foreach=foreach, **kw)


def mixed_model(nnh):
    """Two groups in different dtypes (float32 / float64) to exercise the bucketing."""
    net = nnh.make_mlp()
    net[2].float()

    def loss_fn(net, x, y):
        h = torch.tanh(net[0](x))
        return ((net[2](h.float()).double() - y) ** 2).mean()
    return net, loss_fn


@pytest.mark.parametrize("kind,kw", CONFIGS, ids=[f"{k}-{i}" for i, (k, _) in enumerate(CONFIGS)])
def test_foreach_matches_for_loop(nnh, kind, kw):
    x, y = nnh.make_data()
    results = []
    for foreach in (True, False):
        net, loss_fn = mixed_model(nnh)
        groups = [{"params": net[0].parameters()}, {"params": net[2].parameters()}]
        if kind == "GR":
            groups[1]["gamma"] = 0.2
        opt = build(kind, groups, foreach, **kw)
        closure = nnh.make_closure(opt, net, x, y, loss_fn=loss_fn)
        for _ in range(3):
            opt.step(closure)
        results.append(nnh.params_of(net))
    nnh.assert_lists_close(results[0], results[1], rtol=0, atol=0)


def test_repr_shows_rule_and_base(nnh):
    opt = GR(nnh.make_mlp().parameters(), base=torch.optim.AdamW, lr=1e-3, rule="central")
    text = repr(opt)
    assert text.startswith("GR (base=AdamW, rule='central'")
    assert "gr_gamma: 0.05" in text and "lr: 0.001" in text
    assert repr(SAM(nnh.make_mlp().parameters(), lr=0.1)).startswith("SAM (base=SGD)")


def test_step_hooks_run_once_per_step(nnh):
    net, (x, y) = nnh.make_mlp(), nnh.make_data()
    opt = GR(net.parameters(), lr=0.1)
    seen = []
    opt.register_step_pre_hook(lambda o, a, k: seen.append("pre"))
    opt.register_step_post_hook(lambda o, a, k: seen.append("post"))
    opt.step(nnh.make_closure(opt, net, x, y))
    assert seen == ["pre", "post"]


def test_state_dict_hooks_are_called(nnh):
    opt = GR(nnh.make_mlp().parameters(), lr=0.1)
    seen = []
    opt.register_load_state_dict_pre_hook(lambda o, sd: seen.append("pre"))
    opt.register_load_state_dict_post_hook(lambda o: seen.append("post"))
    opt.load_state_dict(opt.state_dict())
    assert seen == ["pre", "post"]


def test_add_param_group_reaches_the_base(nnh):
    net, (x, y) = nnh.make_mlp(), nnh.make_data()
    opt = GR(net[0].parameters(), lr=0.1, momentum=0.9)
    opt.add_param_group({"params": net[2].parameters(), "gamma": 0.3, "lr": 0.01})
    assert len(opt.param_groups) == 2 and opt.base_optimizer.param_groups is opt.param_groups
    g = opt.param_groups[1]
    assert g["gr_gamma"] == 0.3 and g["gr_eps"] == 0.05 and g["momentum"] == 0.9 and g["lr"] == 0.01
    before = nnh.params_of(net)
    opt.step(nnh.make_closure(opt, net, x, y))
    assert all(not torch.equal(a, b) for a, b in zip(before, nnh.params_of(net)))
    with pytest.raises(ValueError, match="more than one"):
        opt.add_param_group({"params": net[2].weight})


def test_zero_grad_and_grad_after_step(nnh):
    net, (x, y) = nnh.make_mlp(), nnh.make_data()
    opt = GR(net.parameters(), lr=0.1)
    opt.step(nnh.make_closure(opt, net, x, y))
    assert all(p.grad is not None for p in net.parameters())
    opt.zero_grad()
    assert all(p.grad is None for p in net.parameters())


def nan_after(k):
    calls = {"n": 0}

    def loss_fn(net, x, y):
        calls["n"] += 1
        loss = ((net(x) - y) ** 2).mean()
        return loss * math.nan if calls["n"] == k else loss
    return loss_fn


@pytest.mark.parametrize("restore", ["copy", "subtract"])
@pytest.mark.parametrize("bad_pass", [1, 2])
@pytest.mark.parametrize("kind", ["GR", "SAM"])
def test_nonfinite_gradient_skips_the_step(nnh, bad_pass, kind, restore):
    net, (x, y) = nnh.make_mlp(), nnh.make_data()
    opt = build(kind, net.parameters(), None, restore=restore)
    closure = nnh.make_closure(opt, net, x, y, loss_fn=nan_after(bad_pass))
    opt.step(closure)
    # restore="subtract": a NaN g is never added to theta (theta + nan - nan = nan)
    assert all(torch.equal(a, b) for a, b in zip(nnh.params_of(net), nnh.params_of(nnh.make_mlp())))
    assert opt.counters["skipped"] == 1 and opt.counters["step"] == 1
    assert opt.grad_evals == 2  # the probe pass still ran (as on every rank of a DDP/FSDP job)
    assert not any(isinstance(k, torch.Tensor) for k in opt.state)  # base never stepped
    opt.step(closure)  # next step is fine again
    assert opt.counters["skipped"] == 1
    assert all(torch.isfinite(p).all() for p in net.parameters())


def test_nonfinite_raise_and_ignore(nnh):
    x, y = nnh.make_data()
    net = nnh.make_mlp()
    opt = GR(net.parameters(), lr=0.1, nonfinite="raise")
    with pytest.raises(FloatingPointError, match="non-finite"):
        opt.step(nnh.make_closure(opt, net, x, y, loss_fn=nan_after(2)))
    assert all(torch.equal(a, b) for a, b in zip(nnh.params_of(net), nnh.params_of(nnh.make_mlp())))
    opt = GR(net.parameters(), lr=0.1, nonfinite="ignore")
    opt.step(nnh.make_closure(opt, net, x, y, loss_fn=nan_after(2)))
    assert all(torch.isnan(p).all() for p in net.parameters())


@pytest.mark.parametrize("kind,kw", [("GR", dict(rule="forward")), ("GR", dict(rule="central")),
                                     ("SAM", dict())])
def test_gradient_accumulation_inside_the_closure(nnh, kind, kw):
    """Accumulating two half-batches (loss/2 each) in the closure = the full batch."""
    x, y = nnh.make_data(n=8)
    results = []
    for micro in (1, 2):
        net = nnh.make_mlp()
        opt = build(kind, net.parameters(), None, **kw)

        def closure():
            opt.zero_grad()
            total = 0.0
            for xb, yb in zip(x.chunk(micro), y.chunk(micro)):
                loss = nnh.mse(net, xb, yb) / micro
                loss.backward()
                total += loss.detach()
            return total
        for _ in range(2):
            opt.step(closure)
        results.append(nnh.params_of(net))
    nnh.assert_lists_close(results[0], results[1], rtol=1e-12, atol=1e-13)


def test_closure_that_does_not_zero_grads_is_still_correct(nnh):
    """GR zeroes the gradients before each probe pass itself."""
    x, y = nnh.make_data()
    net_a, net_b = nnh.make_mlp(), nnh.make_mlp()
    opt_a = GR(net_a.parameters(), lr=0.1)
    opt_a.step(nnh.make_closure(opt_a, net_a, x, y))
    opt_b = GR(net_b.parameters(), lr=0.1)

    def closure():
        loss = nnh.mse(net_b, x, y)
        loss.backward()
        return loss
    opt_b.zero_grad()
    opt_b.step(closure)
    nnh.assert_lists_close(nnh.params_of(net_a), nnh.params_of(net_b), rtol=0, atol=0)


@pytest.mark.parametrize("kind,kw", [("GR", dict(rule="forward")), ("GR", dict(rule="central")),
                                     ("SAM", dict())])
def test_closure_raising_in_a_probe_pass_restores_everything(nnh, kind, kw):
    x, y = nnh.make_data(n=16)
    net = nnh.make_mlp(bn=True)
    opt = build(kind, net.parameters(), None, model=net, **kw)
    calls = {"n": 0}

    def closure():
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyError("probe failed")
        opt.zero_grad()
        loss = nnh.mse(net, x, y)
        loss.backward()
        return loss
    before = nnh.params_of(net)
    with pytest.raises(KeyError):
        opt.step(closure)
    assert all(torch.equal(a, b) for a, b in zip(before, nnh.params_of(net)))
    assert net[1].track_running_stats and int(net[1].num_batches_tracked) == 1
    assert not any(isinstance(k, torch.Tensor) for k in opt.state)


def test_one_cycle_lr_with_momentum_cycling(nnh):
    """Schedulers that inspect optimizer.defaults (momentum / betas) accept the wrapper."""
    net, (x, y) = nnh.make_mlp(), nnh.make_data()
    for opt in (GR(net.parameters(), lr=0.1, momentum=0.9),
                SAM(net.parameters(), base=torch.optim.AdamW, lr=1e-3)):
        sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=4)
        closure = nnh.make_closure(opt, net, x, y)
        for _ in range(2):
            opt.step(closure)
            sched.step()
        grp = opt.base_optimizer.param_groups[0]
        assert ("momentum" in grp or "betas" in grp) and grp["lr"] == opt.param_groups[0]["lr"]


@pytest.mark.parametrize("kind", ["GR", "SAM"])
def test_finite_gradients_whose_sum_overflows_are_not_skipped(kind):
    """The CPU screen sums each gradient; a finite gradient whose float32 sum overflows
    must still count as finite (the exact check decides), a single inf must not."""
    p = torch.nn.Parameter(torch.ones(4, dtype=torch.float32))
    scale = torch.tensor([3e38, 3e38, 1.0, 1.0])
    cls = GR if kind == "GR" else SAM
    opt = cls([p], lr=1e-40, **({"gamma": 0.0} if kind == "GR" else {"rho": 0.0}))
    opt.step(lambda: (opt.zero_grad(), (p * scale).sum().backward())[0])
    assert opt.counters["skipped"] == 0 and not torch.isfinite(p.grad.sum())
    assert torch.isfinite(p).all()
    scale[2] = float("inf")
    opt.step(lambda: (opt.zero_grad(), (p * scale).sum().backward())[0])
    assert opt.counters["skipped"] == 1


def _scaled_closure(opt, p, scales):
    """Pass k (1-based) has the gradient ``scales[k - 1]`` (the last one from then on)."""
    calls = {"n": 0}

    def closure():
        s = scales[min(calls["n"], len(scales) - 1)]
        calls["n"] += 1
        opt.zero_grad()
        loss = (p * s).sum()
        loss.backward()
        return loss
    return closure


@pytest.mark.parametrize("restore", ["copy", "subtract"])
@pytest.mark.parametrize("safeguard", ["fallback", "switch", "none"])
@pytest.mark.parametrize("rule,bad_pass", [("forward", 2), ("backward", 2), ("central", 2),
                                           ("central", 3)])
@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan])
def test_a_nonfinite_probe_gradient_skips_the_step(rule, bad_pass, bad, safeguard, restore):
    """The probe gradients are screened through the safeguard's dot product g.G on the CPU
    (no read of their own): an inf or NaN in any probe, with any weight, still skips the step
    and leaves theta as it was; a second, unregularized group (gamma = 0) changes nothing."""
    p = torch.nn.Parameter(torch.ones(4, dtype=torch.float32))
    q = torch.nn.Parameter(torch.ones(2, dtype=torch.float32))
    good = torch.tensor([1.0, 2.0, 3.0, 4.0])
    probe = good.clone()
    probe[1] = bad
    scales = [good] * (bad_pass - 1) + [probe, good]
    opt = GR([{"params": [p]}, {"params": [q], "gamma": 0.0}], lr=0.1, gamma=0.1, eps=0.01,
             rule=rule, safeguard=safeguard, restore=restore)

    def closure():
        s = scales[min(calls["n"], len(scales) - 1)]
        calls["n"] += 1
        opt.zero_grad()
        loss = (p * s).sum() + q.square().sum()
        loss.backward()
        return loss
    calls = {"n": 0}
    opt.step(closure)
    assert calls["n"] == len(D_SIGNS[rule]) + 1
    assert opt.counters["skipped"] == 1 and int(opt.counters["fallbacks"]) == 0
    # restore="subtract" brings theta back to within rounding (documented), "copy" exactly
    tol = dict(rtol=0, atol=0) if restore == "copy" else dict(rtol=0, atol=1e-6)
    torch.testing.assert_close(p.detach(), torch.ones(4), **tol)
    torch.testing.assert_close(q.detach(), torch.ones(2), **tol)


@pytest.mark.parametrize("safeguard", ["fallback", "none"])
def test_finite_gradients_whose_dot_product_overflows_are_not_skipped(safeguard):
    """g.G overflows float32 although every gradient is finite: the exact check decides."""
    p = torch.nn.Parameter(torch.ones(4, dtype=torch.float32))
    scale = torch.tensor([3e38, 3e38, 1.0, 1.0])
    opt = GR([p], lr=1e-40, gamma=1e-4, eps=1e-2, safeguard=safeguard)
    opt.step(_scaled_closure(opt, p, [scale]))
    assert opt.counters["skipped"] == 0 and torch.isfinite(p.grad).all()
    assert torch.isfinite(p).all() and not torch.equal(p.detach(), torch.ones(4))


def test_probe_gradients_are_not_read_twice_on_the_cpu(nnh, monkeypatch):
    """On the CPU without a loss scale only the clean gradient gets a screen of its own;
    with safeguard="none" (no dot product g.G) the probe gradient is screened too."""
    calls = []
    orig = GR._unscale_check
    monkeypatch.setattr(GR, "_unscale_check", staticmethod(
        lambda grads, found, inv: (calls.append(len(grads)), orig(grads, found, inv))[1]))
    net, (x, y) = nnh.make_mlp(), nnh.make_data()
    for safeguard, screens in (("fallback", 1), ("none", 2)):
        calls.clear()
        opt = GR(net.parameters(), lr=0.1, safeguard=safeguard)
        opt.step(nnh.make_closure(opt, net, x, y))
        assert len(calls) == screens, (safeguard, calls)


# The screen reads the gradients as the closure leaves them, after any change it makes
# after backward() (a screen taken earlier, e.g. in a post-accumulate-grad hook, would
# miss changes made through .data; see docs/benchmarks.md for why it is not done).
SCREENED = [("GR", {}), ("GR", {"restore": "subtract"}), ("GR", {"rule": "central"}),
            ("GR", {"safeguard": "fallback"}), ("SAM", {}), ("SAM", {"restore": "subtract"})]


def _three_params():
    g = torch.Generator().manual_seed(0)
    return [torch.nn.Parameter(torch.randn(4, generator=g, dtype=torch.float64)) for _ in range(3)]


def _closure_then(opt, ps, after, scale=None):
    def closure():
        opt.zero_grad()
        loss = sum(((p * (2.0 + i)) ** 2).sum() for i, p in enumerate(ps))
        if scale is not None:
            loss = loss + (ps[0] * scale).sum()
        loss.backward()
        after(ps)
        return loss
    return closure


def _build_screened(kind, ps, kw):
    if kind == "SAM":
        return SAM(ps, lr=0.01, rho=0.05, **kw)
    return GR(ps, lr=0.01, gamma=0.1, eps=0.01, **kw)


def _set_inf(ps):
    ps[1].grad[2] = math.inf


def _set_nan_through_data(ps):
    ps[2].grad.data[0] = math.nan


@pytest.mark.parametrize("after", [_set_inf, _set_nan_through_data])
@pytest.mark.parametrize("kind,kw", SCREENED)
def test_a_gradient_made_nonfinite_after_the_backward_skips_the_step(kind, kw, after):
    ps = _three_params()
    saved = [p.detach().clone() for p in ps]
    opt = _build_screened(kind, ps, kw)
    opt.step(_closure_then(opt, ps, after))
    assert opt.counters["skipped"] == 1
    assert all(torch.equal(p.detach(), s) for p, s in zip(ps, saved))


@pytest.mark.parametrize("kind,kw", SCREENED)
def test_an_inf_clipped_by_the_closure_is_not_skipped(kind, kw):
    """clip_grad_value_ turns the backward's inf into a finite value, in place."""
    ps = _three_params()
    opt = _build_screened(kind, ps, kw)
    scale = torch.tensor([math.inf, 0.0, 0.0, 0.0], dtype=torch.float64)
    opt.step(_closure_then(opt, ps, lambda ps: torch.nn.utils.clip_grad_value_(ps, 10.0), scale))
    assert opt.counters["skipped"] == 0
    assert all(torch.isfinite(p).all() for p in ps)
