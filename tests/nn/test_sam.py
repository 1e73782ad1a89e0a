"""SAM / ASAM against the formulas of Foret et al. (2021) and Kwon et al. (2021)."""
import pytest

torch = pytest.importorskip("torch")

from cgdopt.nn import GR, SAM  # noqa: E402


@pytest.mark.parametrize("adaptive", [False, True])
def test_sam_step_by_hand(nnh, adaptive):
    net, (x, y) = nnh.make_mlp(), nnh.make_data()
    rho, lr = 0.1, 0.2
    theta = nnh.params_of(net)
    g = nnh.grad_at(net, x, y, theta)
    T = [t.abs() if adaptive else torch.ones_like(t) for t in theta]
    norm = torch.sqrt(sum(((ti * gi) ** 2).sum() for ti, gi in zip(T, g)))
    e = [rho * ti * ti * gi / (norm + 1e-12) for ti, gi in zip(T, g)]
    g1 = nnh.grad_at(net, x, y, [t + ei for t, ei in zip(theta, e)])
    opt = SAM(net.parameters(), rho=rho, adaptive=adaptive, lr=lr)
    loss = opt.step(nnh.make_closure(opt, net, x, y))
    nnh.assert_lists_close(nnh.params_of(net), [t - lr * a for t, a in zip(theta, g1)],
                           rtol=1e-12, atol=1e-13)
    assert opt.grad_evals == 2
    assert float(loss) == pytest.approx(float(nnh.mse(nnh.make_mlp(), x, y)))


def test_rho_zero_is_the_base_optimizer(nnh):
    x, y = nnh.make_data()
    net_a, net_b = nnh.make_mlp(), nnh.make_mlp()
    opt = SAM(net_a.parameters(), base=torch.optim.AdamW, rho=0.0, lr=1e-2)
    ref = torch.optim.AdamW(net_b.parameters(), lr=1e-2)
    for _ in range(3):
        opt.step(nnh.make_closure(opt, net_a, x, y))
        nnh.make_closure(ref, net_b, x, y)()
        ref.step()
    nnh.assert_lists_close(nnh.params_of(net_a), nnh.params_of(net_b), rtol=0, atol=0)


def test_sam_zero_gradient_no_nan():
    w = torch.nn.Parameter(torch.ones(3, dtype=torch.float64))
    opt = SAM([w], lr=0.1)

    def closure():
        opt.zero_grad()
        loss = (0.0 * w).sum()
        loss.backward()
        return loss
    opt.step(closure)
    assert torch.equal(w.detach(), torch.ones(3, dtype=torch.float64))


def test_gr_with_gamma_eps_is_unnormalized_sam(nnh):
    """GR(eps=e, gamma=e) = SAM with the ascent step e * g instead of rho g/||g||."""
    net, (x, y) = nnh.make_mlp(), nnh.make_data()
    g = nnh.grad_at(net, x, y, nnh.params_of(net))
    gnorm = float(torch.sqrt(sum((gi ** 2).sum() for gi in g)))
    e = 0.2
    a = SAM(net.parameters(), rho=e * gnorm, lr=0.1)
    a.step(nnh.make_closure(a, net, x, y))
    net2 = nnh.make_mlp()
    b = GR(net2.parameters(), eps=e, gamma=e, lr=0.1)
    b.step(nnh.make_closure(b, net2, x, y))
    nnh.assert_lists_close(nnh.params_of(net), nnh.params_of(net2), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("rho", [-0.1, float("nan"), "big"])
def test_sam_bad_rho(nnh, rho):
    with pytest.raises(ValueError, match="Invalid rho"):
        SAM(nnh.make_mlp().parameters(), rho=rho, lr=0.1)


def test_sam_group_rho_and_base_rho_do_not_collide(nnh):
    net = nnh.make_mlp()
    opt = SAM([{"params": net[0].parameters(), "sam_rho": 0.2}, {"params": net[2].parameters()}],
              base=torch.optim.Adadelta, rho=0.05, lr=1.0)
    assert [g["sam_rho"] for g in opt.param_groups] == [0.2, 0.05]
    assert all(g["rho"] == 0.9 for g in opt.param_groups)  # Adadelta's own rho
