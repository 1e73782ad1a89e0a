"""GR against the formulas of Karakida et al. (2023) and the CGD paper, in float64."""
import pytest

torch = pytest.importorskip("torch")

from cgdopt import directions as D  # noqa: E402
from cgdopt.nn import GR  # noqa: E402

RULES = ["forward", "backward", "central", "double_backprop"]


def gr_step(nnh, net, x, y, lr=0.1, **kw):
    """Parameters after one GR step with plain SGD, and p.grad."""
    opt = GR(net.parameters(), lr=lr, **kw)
    opt.step(nnh.make_closure(opt, net, x, y, create_graph=kw.get("rule") == "double_backprop"))
    return nnh.params_of(net), [p.grad.detach().clone() for p in net.parameters()], opt


def test_one_step_equals_algorithm_1_by_hand(nnh):
    """Karakida et al., Algorithm 1: theta <- theta - eta (g + gamma (g(theta + eps g) - g) / eps)."""
    net, (x, y) = nnh.make_mlp(), nnh.make_data()
    eta, eps, gamma = 0.1, 0.3, 0.7
    theta = nnh.params_of(net)
    g = nnh.grad_at(net, x, y, theta)
    g1 = nnh.grad_at(net, x, y, [t + eps * gi for t, gi in zip(theta, g)])
    expected = [t - eta * (gi + gamma * (g1i - gi) / eps) for t, gi, g1i in zip(theta, g, g1)]
    new, G, opt = gr_step(nnh, net, x, y, lr=eta, eps=eps, gamma=gamma)
    nnh.assert_lists_close(new, expected, rtol=1e-13, atol=1e-14)
    assert opt.grad_evals == 2 and opt.counters["step"] == 1


def test_cgd_spelling_is_eq10(nnh):
    """CGD-FD Eq. 10: G = (1 - nu) g + nu g(x + r g), nu = 2 lam / r; same as gamma = 2 lam, eps = r."""
    net, (x, y) = nnh.make_mlp(), nnh.make_data()
    lam, r = 0.2, 0.4
    theta = nnh.params_of(net)
    g = nnh.grad_at(net, x, y, theta)
    g1 = nnh.grad_at(net, x, y, [t + r * gi for t, gi in zip(theta, g)])
    nu = 2 * lam / r
    _, G, _ = gr_step(nnh, net, x, y, lam=lam, r=r)
    nnh.assert_lists_close(G, [(1 - nu) * a + nu * b for a, b in zip(g, g1)], rtol=1e-12, atol=1e-14)
    _, G2, _ = gr_step(nnh, nnh.make_mlp(), x, y, gamma=2 * lam, eps=r)
    nnh.assert_lists_close(G, G2, rtol=0, atol=0)


def test_backward_is_forward_with_negative_eps(nnh):
    """Delta R_B(eps) = Delta R_F(-eps): B-GR probes at theta - eps g."""
    net, (x, y) = nnh.make_mlp(), nnh.make_data()
    eps, gamma = 0.2, 0.5
    theta = nnh.params_of(net)
    g = nnh.grad_at(net, x, y, theta)
    gm = nnh.grad_at(net, x, y, [t - eps * gi for t, gi in zip(theta, g)])
    forward_with_minus_eps = [gi + gamma * (gmi - gi) / (-eps) for gi, gmi in zip(g, gm)]
    _, G, opt = gr_step(nnh, net, x, y, rule="backward", eps=eps, gamma=gamma)
    nnh.assert_lists_close(G, forward_with_minus_eps, rtol=1e-12, atol=1e-14)


def test_central_rule(nnh):
    net, (x, y) = nnh.make_mlp(), nnh.make_data()
    eps, gamma = 0.2, 0.5
    theta = nnh.params_of(net)
    g = nnh.grad_at(net, x, y, theta)
    gp = nnh.grad_at(net, x, y, [t + eps * gi for t, gi in zip(theta, g)])
    gm = nnh.grad_at(net, x, y, [t - eps * gi for t, gi in zip(theta, g)])
    _, G, opt = gr_step(nnh, net, x, y, rule="central", eps=eps, gamma=gamma)
    nnh.assert_lists_close(G, [a + gamma * (b - c) / (2 * eps) for a, b, c in zip(g, gp, gm)],
                           rtol=1e-12, atol=1e-14)
    assert opt.grad_evals == 3


def test_double_backprop_is_g_plus_gamma_Hg(nnh):
    net, (x, y) = nnh.make_mlp(), nnh.make_data()
    gamma = 0.3
    g = nnh.grad_at(net, x, y, nnh.params_of(net))
    hg = nnh.hvp_at(net, x, y, g)
    _, G, opt = gr_step(nnh, net, x, y, rule="double_backprop", gamma=gamma)
    nnh.assert_lists_close(G, [a + gamma * b for a, b in zip(g, hg)], rtol=1e-12, atol=1e-14)
    assert opt.grad_evals == 1 and opt.counters["hvp_evals"] == 1
    assert all(not p.grad.requires_grad for p in net.parameters())


def test_double_backprop_without_graph_is_a_clear_error(nnh):
    net, (x, y) = nnh.make_mlp(), nnh.make_data()
    opt = GR(net.parameters(), lr=0.1, rule="double_backprop")
    with pytest.raises(RuntimeError, match="create_graph=True"):
        opt.step(nnh.make_closure(opt, net, x, y, create_graph=False))


@pytest.mark.parametrize("rule,order", [("forward", 1), ("backward", 1), ("central", 2)])
def test_finite_differences_converge_to_double_backprop(nnh, rule, order):
    """F-GR/B-GR -> DB with error O(eps); central with O(eps^2), on a smooth model."""
    x, y = nnh.make_data()
    _, G_db, _ = gr_step(nnh, nnh.make_mlp(), x, y, rule="double_backprop", gamma=0.5)

    def err(eps):
        _, G, _ = gr_step(nnh, nnh.make_mlp(), x, y, rule=rule, eps=eps, gamma=0.5)
        return max(float((a - b).abs().max()) for a, b in zip(G, G_db))

    e1, e2 = err(1e-2), err(1e-3)
    assert e2 < 1e-3
    ratio = e1 / e2
    assert 10 ** order / 3 < ratio < 10 ** order * 3, (e1, e2)


@pytest.mark.parametrize("eps", [1e-3, 0.5, 3.0])
def test_proposition_4_1_linear_mse_all_rules_agree(eps):
    """Linear model, L = ||X theta - y||^2 / 2: F-GR = B-GR = DB = g + gamma X'X X'(X theta - y)."""
    gen = torch.Generator().manual_seed(3)
    X = torch.randn(7, 4, generator=gen, dtype=torch.float64)
    yv = torch.randn(7, generator=gen, dtype=torch.float64)
    theta0 = torch.randn(4, generator=gen, dtype=torch.float64)
    gamma = 0.4
    residual = X @ theta0 - yv
    expected = X.T @ residual + gamma * X.T @ X @ X.T @ residual
    for rule in RULES:
        theta = torch.nn.Parameter(theta0.clone())
        probe = {} if rule == "double_backprop" else {"eps": eps}  # DB refuses a probe step
        opt = GR([theta], lr=0.0, rule=rule, gamma=gamma, **probe)

        def closure():
            opt.zero_grad()
            loss = 0.5 * ((X @ theta - yv) ** 2).sum()
            loss.backward(create_graph=rule == "double_backprop")
            return loss
        opt.step(closure)
        torch.testing.assert_close(theta.grad, expected, rtol=1e-10, atol=1e-10)


def test_gamma_equal_eps_is_sam_without_normalization(nnh):
    """Eq. 19: with gamma = eps, G = grad L(theta + eps grad L)."""
    net, (x, y) = nnh.make_mlp(), nnh.make_data()
    eps = 0.25
    theta = nnh.params_of(net)
    g = nnh.grad_at(net, x, y, theta)
    g1 = nnh.grad_at(net, x, y, [t + eps * gi for t, gi in zip(theta, g)])
    _, G, _ = gr_step(nnh, net, x, y, eps=eps, gamma=eps)
    nnh.assert_lists_close(G, g1, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("penalty,p", [("pow", 3.0), ("pow", 1.0), ("norm", 2.0), ("norm", 1.5)])
def test_lp_penalties_use_the_core_rules(nnh, penalty, p):
    """u = sign(g)|g|^(p-1), nu = lam c / r with lam = gamma/2; the DB limit is g + lam c H u."""
    net, (x, y) = nnh.make_mlp(), nnh.make_data()
    eps, gamma = 1e-2, 0.4
    theta = nnh.params_of(net)
    g = nnh.grad_at(net, x, y, theta)
    flat = torch.cat([t.reshape(-1) for t in g])
    u = [torch.sign(t) * t.abs() ** (p - 1) for t in g]
    if penalty == "pow":
        c = p
    else:
        c = float(flat.abs().pow(p).sum() ** ((1 - p) / p))
    nu = (gamma / 2) * c / eps
    g1 = nnh.grad_at(net, x, y, [t + eps * ui for t, ui in zip(theta, u)])
    _, G, _ = gr_step(nnh, net, x, y, eps=eps, gamma=gamma, penalty=penalty, p=p)
    nnh.assert_lists_close(G, [(1 - nu) * a + nu * b for a, b in zip(g, g1)], rtol=1e-10, atol=1e-12)
    # double backprop: exact Lemma 2
    hu = nnh.hvp_at(nnh.make_mlp(), x, y, u)
    _, G_db, _ = gr_step(nnh, nnh.make_mlp(), x, y, rule="double_backprop", gamma=gamma,
                         penalty=penalty, p=p)
    nnh.assert_lists_close(G_db, [a + (gamma / 2) * c * b for a, b in zip(g, hu)],
                           rtol=1e-10, atol=1e-12)


class Quadratic(torch.nn.Module):
    """L = 1/2 x' A x with an indefinite A: large gamma makes -G an ascent direction."""

    def __init__(self):
        super().__init__()
        self.x = torch.nn.Parameter(torch.tensor([1.0, 0.5], dtype=torch.float64))
        self.register_buffer("A", torch.diag(torch.tensor([-1.0, 0.2], dtype=torch.float64)))

    def forward(self):
        return 0.5 * self.x @ self.A @ self.x


def quad_closure(opt, model):
    def closure():
        opt.zero_grad()
        loss = model()
        loss.backward()
        return loss
    return closure


@pytest.mark.parametrize("safeguard", ["none", "fallback", "switch"])
def test_safeguard(safeguard):
    model = Quadratic()
    opt = GR(model.parameters(), lr=0.1, gamma=4.0, eps=1e-3, safeguard=safeguard)
    x0 = model.x.detach().clone()
    g = model.A @ x0
    G_reg = g + 4.0 * model.A @ g  # exact for a quadratic
    assert float(g @ G_reg) <= 0  # not a descent direction
    opt.step(quad_closure(opt, model))
    if safeguard == "none":
        torch.testing.assert_close(model.x.grad, G_reg)
    else:
        torch.testing.assert_close(model.x.grad, g, rtol=0, atol=0)
        assert int(opt.counters["fallbacks"]) == 1
    evals = opt.grad_evals
    opt.step(quad_closure(opt, model))
    assert opt.grad_evals - evals == (1 if safeguard == "switch" else 2)
    assert opt.counters["regularizing"] is (safeguard != "switch")
    if safeguard == "switch":
        assert opt.counters["switch_step"] == 0 and opt.counters["switch_reason"] == "safeguard"


def test_safeguard_keeps_descent_directions(nnh):
    net, (x, y) = nnh.make_mlp(), nnh.make_data()
    _, G_none, _ = gr_step(nnh, net, x, y, gamma=0.1)
    _, G_fb, opt = gr_step(nnh, nnh.make_mlp(), x, y, gamma=0.1, safeguard="fallback")
    nnh.assert_lists_close(G_fb, G_none, rtol=0, atol=0)
    assert int(opt.counters["fallbacks"]) == 0


def test_switch_after_regularizes_steps_0_to_b(nnh):
    """Algorithm 2, line 20 (as in cgdopt.minimize): steps 0..b regularized, then plain."""
    net, (x, y) = nnh.make_mlp(), nnh.make_data()
    opt = GR(net.parameters(), lr=0.05, switch_after=1)
    closure = nnh.make_closure(opt, net, x, y)
    evals = []
    for _ in range(4):
        opt.step(closure)
        evals.append(opt.grad_evals)
    assert evals == [2, 4, 5, 6]
    assert opt.counters["switch_step"] == 1 and opt.counters["switch_reason"] == "switch_after"
    # the third step is a plain SGD step
    net2 = nnh.make_mlp()
    opt2 = GR(net2.parameters(), lr=0.05, switch_after=1)
    c2 = nnh.make_closure(opt2, net2, x, y)
    opt2.step(c2), opt2.step(c2)
    g = nnh.grad_at(net2, x, y, nnh.params_of(net2))
    expected = [t - 0.05 * gi for t, gi in zip(nnh.params_of(net2), g)]
    opt2.step(c2)
    nnh.assert_lists_close(nnh.params_of(net2), expected, rtol=1e-14, atol=1e-15)


def test_param_groups_with_different_gamma_eps(nnh):
    net, (x, y) = nnh.make_mlp(), nnh.make_data()
    first, last = net[0], net[2]
    (e1, g1), (e2, g2) = (0.1, 0.3), (0.4, 0.05)
    theta = nnh.params_of(net)
    g = nnh.grad_at(net, x, y, theta)
    eps_of = [e1, e1, e2, e2]
    g_probe = nnh.grad_at(net, x, y, [t + e * gi for t, e, gi in zip(theta, eps_of, g)])
    gam_of = [g1, g1, g2, g2]
    expected = [a + gm * (b - a) / e for a, b, gm, e in zip(g, g_probe, gam_of, eps_of)]
    opt = GR([{"params": first.parameters(), "gamma": g1, "gr_eps": e1},
              {"params": last.parameters(), "lam": g2 / 2, "r": e2}], lr=0.1)
    assert [(grp["gr_gamma"], grp["gr_eps"]) for grp in opt.param_groups] == [(g1, e1), (g2, e2)]
    opt.step(nnh.make_closure(opt, net, x, y))
    nnh.assert_lists_close([p.grad for p in net.parameters()], expected, rtol=1e-12, atol=1e-14)


def test_params_without_grad_are_untouched(nnh):
    net, (x, y) = nnh.make_mlp(), nnh.make_data()
    frozen = net[0].bias
    frozen.requires_grad_(False)
    unused = torch.nn.Parameter(torch.ones(3, dtype=torch.float64))
    opt = GR([*net.parameters(), unused], lr=0.1, momentum=0.9)
    before = frozen.detach().clone()
    opt.step(nnh.make_closure(opt, net, x, y))
    assert torch.equal(frozen, before) and torch.equal(unused, torch.ones(3, dtype=torch.float64))
    assert unused.grad is None and frozen.grad is None
    assert frozen not in opt.state and unused not in opt.state


def test_zero_gradient_leaves_params_unchanged():
    for penalty in ["pow", "norm"]:
        w = torch.nn.Parameter(torch.tensor([1.0, -2.0], dtype=torch.float64))
        opt = GR([w], lr=0.1, penalty=penalty, momentum=0.9, safeguard="fallback")

        def closure():
            opt.zero_grad()
            loss = (w * 0.0).sum()
            loss.backward()
            return loss
        opt.step(closure)
        assert torch.equal(w.detach(), torch.tensor([1.0, -2.0], dtype=torch.float64))
        assert torch.equal(w.grad, torch.zeros(2, dtype=torch.float64))


@pytest.mark.parametrize("kwargs,exc,match", [
    (dict(eps=0.0), ValueError, "Invalid eps: 0.0"),
    (dict(eps=-0.1), ValueError, "Invalid eps"),
    (dict(r=0.0), ValueError, "Invalid r"),
    (dict(gamma=-1.0), ValueError, "Invalid gamma: -1.0"),
    (dict(lam=-1.0), ValueError, "Invalid lam"),
    (dict(gamma=float("nan")), ValueError, "Invalid gamma"),
    (dict(eps=0.1, lam=0.1), ValueError, "not both"),
    (dict(rule="sideways"), ValueError, "Invalid rule: 'sideways'"),
    (dict(penalty="l3"), ValueError, "penalty must be one of"),
    (dict(p=0.5), ValueError, "p must be"),
    (dict(safeguard="maybe"), ValueError, "Invalid safeguard"),
    (dict(switch_after=-1), ValueError, "Invalid switch_after"),
    (dict(nonfinite="hope"), ValueError, "Invalid nonfinite"),
    (dict(lr=-1.0), ValueError, "Invalid learning rate"),
    (dict(foreach="yes"), TypeError, "Invalid foreach"),
])
def test_bad_hyperparameters(nnh, kwargs, exc, match):
    with pytest.raises(exc, match=match):
        GR(nnh.make_mlp().parameters(), **{"lr": 0.1, **kwargs})


def test_bad_group_hyperparameters(nnh):
    net = nnh.make_mlp()
    with pytest.raises(ValueError, match="Invalid gr_eps|Invalid eps"):
        GR([{"params": net.parameters(), "gr_eps": 0.0}], lr=0.1)
    with pytest.raises(ValueError, match="once"):
        GR([{"params": net.parameters(), "gamma": 0.1, "gr_gamma": 0.2}], lr=0.1)


def test_bad_base(nnh):
    net = nnh.make_mlp()
    with pytest.raises(TypeError, match="not an instance"):
        GR(net.parameters(), base=torch.optim.SGD(net.parameters(), lr=0.1))
    with pytest.raises(TypeError, match="must return a torch.optim.Optimizer"):
        GR(net.parameters(), base=lambda groups: None)


def test_missing_closure_is_a_clear_error(nnh):
    opt = GR(nnh.make_mlp().parameters(), lr=0.1)
    with pytest.raises(RuntimeError, match="requires a closure"):
        opt.step()


def test_base_kwargs_and_base_eps_reach_the_base(nnh):
    net = nnh.make_mlp()
    opt = GR(net.parameters(), base=torch.optim.AdamW, lr=1e-3, weight_decay=0.1, eps=0.2,
             base_eps=1e-6, betas=(0.8, 0.9))
    grp = opt.param_groups[0]
    assert isinstance(opt.base_optimizer, torch.optim.AdamW)
    assert grp["eps"] == 1e-6 and grp["gr_eps"] == 0.2 and grp["betas"] == (0.8, 0.9)
    assert opt.base_optimizer.param_groups is opt.param_groups and opt.state is opt.base_optimizer.state


def test_weight_decay_and_momentum_act_on_G(nnh):
    """GR + SGD(momentum, weight_decay) = SGD fed with G."""
    x, y = nnh.make_data()
    net_a, net_b = nnh.make_mlp(), nnh.make_mlp()
    opt_a = GR(net_a.parameters(), lr=0.1, momentum=0.9, weight_decay=0.01, eps=0.1, gamma=0.2)
    sgd = torch.optim.SGD(net_b.parameters(), lr=0.1, momentum=0.9, weight_decay=0.01)
    for _ in range(3):
        opt_a.step(nnh.make_closure(opt_a, net_a, x, y))
        theta = nnh.params_of(net_b)
        g = nnh.grad_at(net_b, x, y, theta)
        g1 = nnh.grad_at(net_b, x, y, [t + 0.1 * gi for t, gi in zip(theta, g)])
        for p, a, b in zip(net_b.parameters(), g, g1):
            p.grad = a + 0.2 * (b - a) / 0.1
        sgd.step()
    nnh.assert_lists_close(nnh.params_of(net_a), nnh.params_of(net_b), rtol=1e-12, atol=1e-13)


def test_lr_scheduler_on_the_wrapper(nnh):
    net, (x, y) = nnh.make_mlp(), nnh.make_data()
    opt = GR(net.parameters(), lr=0.1)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    closure = nnh.make_closure(opt, net, x, y)
    for _ in range(2):
        opt.step(closure)
        sched.step()
    assert opt.base_optimizer.param_groups[0]["lr"] == pytest.approx(0.025)


def test_loss_returned_is_the_clean_loss(nnh):
    net, (x, y) = nnh.make_mlp(), nnh.make_data()
    expected = float(nnh.mse(net, x, y))
    opt = GR(net.parameters(), lr=0.1)
    assert float(opt.step(nnh.make_closure(opt, net, x, y))) == expected


def test_directions_module_is_the_single_source(monkeypatch, nnh):
    """GR computes G through cgdopt.directions (no second copy of the formulas)."""
    calls = []
    orig = D.fd_combination

    def spy(*a, **k):
        calls.append(a[1] if len(a) > 1 else k.get("fd"))
        return orig(*a, **k)
    monkeypatch.setattr(D, "fd_combination", spy)
    net, (x, y) = nnh.make_mlp(), nnh.make_data()
    gr_step(nnh, net, x, y, rule="central")
    assert calls == ["central"]


from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), eps=st.floats(1e-3, 10.0), gamma=st.floats(0.0, 2.0),
       n=st.integers(1, 6), d=st.integers(1, 5))
def test_proposition_4_1_property(seed, eps, gamma, n, d):
    """For L = ||X theta - y||^2/2 the finite-difference rules are exact for every eps."""
    gen = torch.Generator().manual_seed(seed)
    X = torch.randn(n, d, generator=gen, dtype=torch.float64)
    yv = torch.randn(n, generator=gen, dtype=torch.float64)
    theta0 = torch.randn(d, generator=gen, dtype=torch.float64)
    r = X @ theta0 - yv
    expected = X.T @ r + gamma * X.T @ X @ X.T @ r
    scale = 1.0 + float(expected.abs().max()) + gamma * float((X.T @ r).abs().max()) / eps
    for rule in ["forward", "backward", "central"]:
        theta = torch.nn.Parameter(theta0.clone())
        opt = GR([theta], lr=0.0, rule=rule, eps=eps, gamma=gamma)

        def closure():
            opt.zero_grad()
            loss = 0.5 * ((X @ theta - yv) ** 2).sum()
            loss.backward()
            return loss
        opt.step(closure)
        torch.testing.assert_close(theta.grad, expected, rtol=0, atol=1e-10 * scale * (1 + eps))
