"""flooding() and Theorem 5.1 of Karakida et al. (2023)."""
import pytest

torch = pytest.importorskip("torch")

from cgdopt.nn import GR, flooding  # noqa: E402


def test_flooding_value_and_gradient_sign():
    w = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    loss = w ** 2  # 4
    above = flooding(loss, 1.0)
    assert float(above) == 4.0
    (g_above,) = torch.autograd.grad(above, w)
    below = flooding(w ** 2, 5.0)
    assert float(below) == 6.0  # 2b - L
    (g_below,) = torch.autograd.grad(below, w)
    assert float(g_above) == 4.0 and float(g_below) == -4.0


@pytest.mark.parametrize("b", [-1.0, float("inf"), "x"])
def test_flooding_rejects_bad_levels(b):
    with pytest.raises(ValueError, match="flood level"):
        flooding(torch.tensor(1.0), b)


def test_flooding_takes_a_tensor_loss_and_floods_element_by_element():
    with pytest.raises(TypeError, match="Invalid loss: float"):
        flooding(1.0, 0.5)
    per_sample = torch.tensor([0.2, 1.0, 3.0], dtype=torch.float64)
    assert torch.equal(flooding(per_sample, 1.0), torch.tensor([1.8, 1.0, 3.0], dtype=torch.float64))


def _flood_twice(net, x, y, eta, b, nnh):
    opt = torch.optim.SGD(net.parameters(), lr=eta)
    losses = []
    for _ in range(2):
        opt.zero_grad()
        loss = nnh.mse(net, x, y)
        losses.append(float(loss))
        flooding(loss, b).backward()
        opt.step()
    losses.append(float(nnh.mse(net, x, y)))
    return losses


@pytest.mark.parametrize("rule", ["forward", "backward"])
def test_theorem_5_1_two_flooding_steps_are_one_gr_step(nnh, rule):
    """Crossing the flood level from below (above): theta_{t+2} = theta_t - eta * gamma * Delta R_F (R_B)
    with eps = gamma = eta, i.e. one GR step without its plain-gradient part."""
    x, y = nnh.make_data()
    eta = 0.05
    net = nnh.make_mlp()
    L0 = float(nnh.mse(net, x, y))
    theta = nnh.params_of(net)
    g = nnh.grad_at(net, x, y, theta)
    sign = 1.0 if rule == "forward" else -1.0  # flooding ascends below b, descends above
    with torch.no_grad():
        for p, gi in zip(net.parameters(), g):
            p.add_(sign * eta * gi)
    L1 = float(nnh.mse(net, x, y))
    net = nnh.make_mlp()
    b = 0.5 * (L0 + L1)  # a flood level between the two losses
    losses = _flood_twice(net, x, y, eta, b, nnh)
    if rule == "forward":
        assert losses[0] < b < losses[1]
    else:
        assert losses[0] > b > losses[1]
    flooded = nnh.params_of(net)

    net_gr = nnh.make_mlp()
    opt = GR(net_gr.parameters(), lr=eta, rule=rule, eps=eta, gamma=eta)
    opt.step(nnh.make_closure(opt, net_gr, x, y))
    # GR step: theta - eta * (g + gamma dR); theorem: theta - eta * gamma dR
    expected = [t + eta * gi for t, gi in zip(nnh.params_of(net_gr), g)]
    nnh.assert_lists_close(flooded, expected, rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("loss", [torch.tensor(1), torch.tensor(1 + 1j), torch.tensor(True)])
def test_flooding_refuses_a_loss_that_is_not_real_floating(loss):
    with pytest.raises(TypeError, match=r"Invalid loss: dtype torch\.\w+ \(must be a real floating"):
        flooding(loss, 0.1)


@pytest.mark.parametrize("loss,b", [
    (torch.tensor(1.0), torch.tensor([0.1, 0.2])),  # would turn a scalar loss into a vector
    (torch.ones(3), torch.tensor([0.1, 0.2])),  # does not broadcast at all
])
def test_flooding_refuses_a_level_that_reshapes_the_loss(loss, b):
    with pytest.raises(ValueError, match=r"Invalid flood level b: shape \(2,\) \(must be a number or a "
                                         r"tensor that broadcasts to the loss's shape"):
        flooding(loss, b)


def test_flooding_takes_a_level_per_element_of_the_loss():
    out = flooding(torch.tensor([0.05, 0.5]), torch.tensor([0.1, 0.1]))
    torch.testing.assert_close(out, torch.tensor([0.15, 0.5]))


@pytest.mark.parametrize("b", [torch.tensor(True), torch.tensor(0.1 + 0j)])
def test_flooding_refuses_a_bool_or_complex_level(b):
    with pytest.raises(TypeError, match=f"Invalid flood level b: dtype {b.dtype}"):
        flooding(torch.tensor(1.0), b)
