"""Issue 11 options: restore=, gamma=0 / rho=0 cost, every=k, normalize=True."""
import pytest

torch = pytest.importorskip("torch")

from cgdopt.nn import GR, SAM  # noqa: E402

RULES = ["forward", "backward", "central"]


def _g_after_step(nnh, make, x, y, net=None):
    """(opt, p.grad after one step with lr=0, params before) on a fresh float64 MLP."""
    net = net or nnh.make_mlp()
    opt = make(net.parameters())
    before = nnh.params_of(net)
    opt.step(nnh.make_closure(opt, net, x, y))
    return opt, net, [p.grad.detach().clone() for p in net.parameters()], before


@pytest.mark.parametrize("rule", RULES)
def test_restore_copy_is_exact_and_subtract_within_rounding(nnh, rule):
    x, y = nnh.make_data()
    results = {}
    for restore in ("copy", "subtract"):
        _, net, G, before = _g_after_step(
            nnh, lambda ps: GR(ps, lr=0.0, rule=rule, eps=0.3, gamma=0.2, restore=restore), x, y)
        results[restore] = (G, nnh.params_of(net), before)
    G, after, before = results["copy"]
    nnh.assert_lists_close(after, before, rtol=0, atol=0)  # bit-exact
    Gs, after_s, before_s = results["subtract"]
    nnh.assert_lists_close(after_s, before_s, rtol=1e-15, atol=1e-15)
    nnh.assert_lists_close(Gs, G, rtol=1e-13, atol=1e-14)
    assert any(not torch.equal(a, b) for a, b in zip(G, nnh.grad_at(nnh.make_mlp(), x, y, before)))


@pytest.mark.parametrize("adaptive", [False, True])
def test_sam_restore_subtract_matches_copy(nnh, adaptive):
    x, y = nnh.make_data()
    out = {}
    for restore in ("copy", "subtract"):
        _, net, G, before = _g_after_step(
            nnh, lambda ps: SAM(ps, lr=0.0, rho=0.2, adaptive=adaptive, restore=restore), x, y)
        out[restore] = (G, nnh.params_of(net), before)
    nnh.assert_lists_close(out["copy"][1], out["copy"][2], rtol=0, atol=0)
    nnh.assert_lists_close(out["subtract"][1], out["subtract"][2], rtol=1e-15, atol=1e-15)
    nnh.assert_lists_close(out["subtract"][0], out["copy"][0], rtol=1e-13, atol=1e-14)


def test_restore_is_validated(nnh):
    with pytest.raises(ValueError, match="Invalid restore: 'swap'"):
        GR(nnh.make_mlp().parameters(), lr=0.1, restore="swap")
    with pytest.raises(ValueError, match="Invalid restore"):
        SAM(nnh.make_mlp().parameters(), lr=0.1, restore=None)


@pytest.mark.parametrize("make", [lambda ps: GR(ps, lr=0.1, momentum=0.9, gamma=0.0),
                                  lambda ps: SAM(ps, lr=0.1, momentum=0.9, rho=0.0)])
def test_zero_strength_costs_one_pass_and_is_sgd(nnh, make):
    x, y = nnh.make_data()
    net, ref = nnh.make_mlp(), nnh.make_mlp()
    opt = make(net.parameters())
    sgd = torch.optim.SGD(ref.parameters(), lr=0.1, momentum=0.9)
    for _ in range(3):
        opt.step(nnh.make_closure(opt, net, x, y))
        nnh.make_closure(sgd, ref, x, y)()
        sgd.step()
    assert opt.grad_evals == 3
    nnh.assert_lists_close(nnh.params_of(net), nnh.params_of(ref), rtol=0, atol=0)


@pytest.mark.parametrize("kind", ["GR", "SAM"])
def test_every_k_regularizes_one_step_in_k(nnh, kind):
    x, y = nnh.make_data()
    net, ref = nnh.make_mlp(), nnh.make_mlp()
    if kind == "GR":
        opt = GR(net.parameters(), lr=0.1, every=3, eps=0.1, gamma=0.2)
        full = GR(ref.parameters(), lr=0.1, eps=0.1, gamma=0.2)
    else:
        opt = SAM(net.parameters(), lr=0.1, every=3, rho=0.1)
        full = SAM(ref.parameters(), lr=0.1, rho=0.1)
    evals = []
    for step in range(6):
        before = opt.grad_evals
        opt.step(nnh.make_closure(opt, net, x, y))
        evals.append(opt.grad_evals - before)
        if step == 0:  # the regularized step is the full method's step
            full.step(nnh.make_closure(full, ref, x, y))
            nnh.assert_lists_close(nnh.params_of(net), nnh.params_of(ref), rtol=0, atol=0)
    assert evals == [2, 1, 1, 2, 1, 1]
    with pytest.raises(ValueError, match="Invalid every: 0"):
        (GR if kind == "GR" else SAM)(net.parameters(), lr=0.1, every=0)


def test_every_k_plain_step_is_sgd(nnh):
    x, y = nnh.make_data()
    net = nnh.make_mlp()
    opt = GR(net.parameters(), lr=0.1, every=2)
    opt.step(nnh.make_closure(opt, net, x, y))
    theta = nnh.params_of(net)
    g = nnh.grad_at(net, x, y, theta)
    opt.step(nnh.make_closure(opt, net, x, y))
    nnh.assert_lists_close(nnh.params_of(net), [t - 0.1 * gi for t, gi in zip(theta, g)],
                           rtol=1e-15, atol=1e-15)


@pytest.mark.parametrize("restore", ["copy", "subtract"])
def test_normalize_norm_penalty_is_the_gradient_norm_penalty_update(nnh, restore):
    """penalty="norm", p=2: G = (1 - lam/eps) g + (lam/eps) grad L(theta + eps g/||g||)."""
    x, y = nnh.make_data()
    lam, eps = 0.3, 0.2
    _, _, G, theta = _g_after_step(
        nnh, lambda ps: GR(ps, lr=0.0, lam=lam, r=eps, penalty="norm", p=2, normalize=True,
                           restore=restore), x, y)
    net = nnh.make_mlp()
    g = nnh.grad_at(net, x, y, theta)
    norm = torch.sqrt(sum((gi ** 2).sum() for gi in g))
    gp = nnh.grad_at(net, x, y, [t + eps * gi / norm for t, gi in zip(theta, g)])
    expected = [(1 - lam / eps) * gi + (lam / eps) * pi for gi, pi in zip(g, gp)]
    nnh.assert_lists_close(G, expected, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("rule", RULES)
def test_normalize_estimates_the_same_gradient(nnh, rule):
    """Probe radius eps along u/||u||: G -> g + lam c H u as eps -> 0 (the same target)."""
    x, y = nnh.make_data()
    net = nnh.make_mlp()
    theta = nnh.params_of(net)
    g = nnh.grad_at(net, x, y, theta)
    hu = nnh.hvp_at(net, x, y, g)
    gamma = 0.2
    exact = [gi + gamma * h for gi, h in zip(g, hu)]  # lam c = (gamma/2) * 2
    errs = []
    for eps in (1e-2, 1e-3):
        _, _, G, _ = _g_after_step(nnh, lambda ps: GR(ps, lr=0.0, rule=rule, eps=eps, gamma=gamma,
                                                      normalize=True), x, y)
        errs.append(max(float((a - b).abs().max()) for a, b in zip(G, exact)))
    order = 2 if rule == "central" else 1
    assert errs[1] < errs[0] / (10 ** order) * 3 and errs[1] < 1e-3


def test_normalize_at_zero_gradient_is_the_plain_gradient(nnh):
    net = torch.nn.Linear(2, 1).double()
    x = torch.zeros(4, 2, dtype=torch.float64)
    with torch.no_grad():
        net.bias.zero_()
    y = torch.zeros(4, 1, dtype=torch.float64)
    opt = GR(net.parameters(), lr=0.1, normalize=True)
    opt.step(lambda: (opt.zero_grad(), ((net(x) - y) ** 2).mean().backward())[0])
    assert all(torch.isfinite(p).all() for p in net.parameters())


def _as_views_of_one_buffer(params):
    """Give every parameter a gradient that is a view into one flat buffer (as DDP does
    with gradient_as_bucket_view=True)."""
    flat = torch.zeros(sum(p.numel() for p in params), dtype=params[0].dtype)
    start = 0
    for p in params:
        p.grad = flat[start:start + p.numel()].view_as(p)
        start += p.numel()
    return flat


@pytest.mark.parametrize("make", [
    lambda ps: GR(ps, lr=0.0, eps=0.3, gamma=0.2),
    lambda ps: GR(ps, lr=0.0, rule="central", eps=0.3, gamma=0.2, restore="subtract"),
    lambda ps: SAM(ps, lr=0.0, rho=0.2, restore="subtract")])
def test_gradients_that_are_views_stay_views_and_the_step_is_unchanged(nnh, make):
    """g is the clean pass's p.grad tensor itself unless the gradients are views (DDP
    buckets): then g is copied and the views are zeroed in place, never replaced."""
    x, y = nnh.make_data()
    net, ref = nnh.make_mlp(), nnh.make_mlp()
    _, _, expected, _ = _g_after_step(nnh, make, x, y, net=ref)
    params = list(net.parameters())
    flat = _as_views_of_one_buffer(params)
    opt = make(params)

    def closure():  # accumulates into the existing (view) gradients, as DDP's reducer does
        opt.zero_grad(set_to_none=False)
        loss = nnh.mse(net, x, y)
        loss.backward()
        return loss
    opt.step(closure)
    assert all(p.grad._base is flat for p in params)
    nnh.assert_lists_close([p.grad for p in params], expected, rtol=1e-13, atol=1e-14)


def _one_step_on(make, w0, slope, dtype):
    """One step of ``make([w])`` on ``slope * sum(w) + 1e-3 * |w|^2`` (its gradient is not finite
    at a non-finite w); returns (w, opt, the points where the closure ran)."""
    w = torch.nn.Parameter(torch.tensor(w0, dtype=dtype))
    opt, seen = make([w]), []

    def closure():
        opt.zero_grad()
        seen.append(w.detach().clone())
        loss = (slope * w.double()).sum() + 1e-3 * w.double().square().sum()
        loss.backward()
        return loss
    opt.step(closure)
    return w, opt, seen


@pytest.mark.parametrize("restore", ["copy", "subtract"])
def test_an_overflowing_penalty_vector_skips_the_step_and_keeps_theta(restore):
    # g = 1e20 is finite, u = g|g| (p = 3) is not: theta + eps*u - eps*u would be nan
    w, opt, _ = _one_step_on(lambda ps: GR(ps, lr=0.1, p=3, restore=restore), [1.0, 2.0], 1e20,
                             torch.float32)
    assert w.tolist() == [1.0, 2.0]
    assert opt.counters["skipped"] == 1


@pytest.mark.parametrize("make", [
    lambda ps: GR(ps, lr=0.0, eps=1.0, restore="subtract"),
    lambda ps: GR(ps, lr=0.0, eps=1.0, rule="central", restore="subtract"),
    lambda ps: SAM(ps, lr=0.0, rho=1e4, restore="subtract"),
    lambda ps: SAM(ps, lr=0.0, rho=0.5, adaptive=True, restore="subtract")])
def test_float16_near_its_range_is_restored_from_a_copy(make):
    # theta + offset passes 65504 (inf in float16): subtracting it again cannot give theta
    w, opt, seen = _one_step_on(make, [60000.0, 2.0], 1e4, torch.float16)
    assert not torch.isfinite(seen[-1]).all()  # the probe point did overflow
    assert w.tolist() == [60000.0, 2.0]  # bit-exact: the step kept a copy


@pytest.mark.parametrize("make", [lambda ps: GR(ps, lr=0.1, eps=1e37, restore="subtract"),
                                  lambda ps: SAM(ps, lr=0.1, rho=1e38, adaptive=True,
                                                 restore="subtract")])
def test_an_offset_that_overflows_float32_is_reported_not_hidden(make):
    # float32 is not screened before the move (a read of theta per step); the skipped step
    # finds theta non-finite after the subtraction and says so instead of going on
    with pytest.raises(FloatingPointError, match="restore='subtract' could not bring the parameters"):
        _one_step_on(make, [1e30, 2.0], 1e3, torch.float32)


def test_sam_radius_of_float16_gradients_is_not_lost_to_overflow():
    # ||g||^2 = 2e8 is inf in float16: the norm is now accumulated in float32, so the
    # probe moves by rho (before: the scale 1/inf = 0 and SAM took plain steps)
    w, _, seen = _one_step_on(lambda ps: SAM(ps, lr=0.0, rho=0.5), [1.0, 2.0], 1e4, torch.float16)
    torch.testing.assert_close(seen[1].double() - seen[0].double(),
                               torch.tensor([0.5, 0.5], dtype=torch.float64) / 2 ** 0.5,
                               rtol=2e-3, atol=0)


@pytest.mark.parametrize("kind", ["GR", "SAM"])
def test_the_float16_screen_takes_an_empty_parameter(kind):
    cls = GR if kind == "GR" else SAM
    w = torch.nn.Parameter(torch.ones(3, dtype=torch.float16))
    empty = torch.nn.Parameter(torch.ones(0, dtype=torch.float16))
    opt = cls([w, empty], lr=0.1, restore="subtract")

    def closure():
        opt.zero_grad()
        loss = w.float().square().sum() + empty.float().sum()
        loss.backward()
        return loss
    opt.step(closure)
    assert opt.counters["skipped"] == 0 and bool((w < 1).all())
