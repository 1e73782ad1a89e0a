"""SAM's two-step API and ``base_optimizer=``: a loop written for davda54/sam runs unchanged."""
import pytest

torch = pytest.importorskip("torch")

from cgdopt.nn import SAM  # noqa: E402


class ReferenceSAM(torch.optim.Optimizer):
    """The algorithm of github.com/davda54/sam (``sam.py``, MIT licence), written out as reference."""

    def __init__(self, params, base_optimizer, rho=0.05, adaptive=False, **kwargs):
        defaults = dict(rho=rho, adaptive=adaptive, **kwargs)
        super().__init__(params, defaults)
        self.base_optimizer = base_optimizer(self.param_groups, **kwargs)
        self.param_groups = self.base_optimizer.param_groups

    @torch.no_grad()
    def first_step(self, zero_grad=False):
        grad_norm = torch.norm(torch.stack([
            ((torch.abs(p) if group["adaptive"] else 1.0) * p.grad).norm(p=2)
            for group in self.param_groups for p in group["params"] if p.grad is not None]), p=2)
        for group in self.param_groups:
            scale = group["rho"] / (grad_norm + 1e-12)
            for p in group["params"]:
                if p.grad is None:
                    continue
                self.state[p]["old_p"] = p.data.clone()
                e_w = (torch.pow(p, 2) if group["adaptive"] else 1.0) * p.grad * scale.to(p)
                p.add_(e_w)
        if zero_grad:
            self.zero_grad()

    @torch.no_grad()
    def second_step(self, zero_grad=False):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                p.data = self.state[p]["old_p"]
        self.base_optimizer.step()
        if zero_grad:
            self.zero_grad()


def davda54_loop(model, optimizer, data, loss_function):
    """The training loop of davda54/sam's README, verbatim apart from the function around it."""
    for input, output in data:

        # first forward-backward pass
        loss = loss_function(output, model(input))  # use this loss for any training statistics
        loss.backward()
        optimizer.first_step(zero_grad=True)

        # second forward-backward pass
        loss_function(output, model(input)).backward()  # make sure to do a full forward pass
        optimizer.second_step(zero_grad=True)


def _data(nnh):
    x, y = nnh.make_data(n=16)
    return list(zip(x.chunk(4), y.chunk(4)))


def loss_function(output, prediction):
    return ((prediction - output) ** 2).mean()


@pytest.mark.parametrize("adaptive", [False, True])
@pytest.mark.parametrize("restore", ["copy", "subtract"])
def test_the_davda54_loop_runs_unchanged_and_agrees(nnh, adaptive, restore):
    data = _data(nnh)
    model, ref_model = nnh.make_mlp(), nnh.make_mlp()
    base_optimizer = torch.optim.SGD
    optimizer = SAM(model.parameters(), base_optimizer, rho=0.1, adaptive=adaptive, lr=0.1,
                    momentum=0.9, restore=restore)
    reference = ReferenceSAM(ref_model.parameters(), base_optimizer, rho=0.1, adaptive=adaptive,
                             lr=0.1, momentum=0.9)
    davda54_loop(model, optimizer, data, loss_function)
    davda54_loop(ref_model, reference, data, loss_function)
    nnh.assert_lists_close(nnh.params_of(model), nnh.params_of(ref_model), rtol=1e-13, atol=1e-14)
    assert optimizer.grad_evals == 2 * len(data) and optimizer.counters["step"] == len(data)
    assert all(p.grad is None for p in model.parameters())  # zero_grad=True, set_to_none
    assert any(not torch.allclose(a, b) for a, b in zip(nnh.params_of(model), nnh.params_of(nnh.make_mlp())))


def test_two_step_api_equals_step_with_closure(nnh):
    data = _data(nnh)
    a, b = nnh.make_mlp(), nnh.make_mlp()
    opt_a = SAM(a.parameters(), base_optimizer=torch.optim.AdamW, rho=0.05, lr=1e-2)
    opt_b = SAM(b.parameters(), base=torch.optim.AdamW, rho=0.05, lr=1e-2)
    davda54_loop(a, opt_a, data, loss_function)
    for xb, yb in data:
        opt_b.step(nnh.make_closure(opt_b, b, xb, yb))
    nnh.assert_lists_close(nnh.params_of(a), nnh.params_of(b), rtol=0, atol=0)
    assert isinstance(opt_a.base_optimizer, torch.optim.AdamW)


def test_two_step_api_misuse_is_refused(nnh):
    net, (x, y) = nnh.make_mlp(), nnh.make_data()
    opt = SAM(net.parameters(), lr=0.1)
    with pytest.raises(RuntimeError, match="needs a first_step"):
        opt.second_step()
    loss_function(y, net(x)).backward()
    opt.first_step()
    with pytest.raises(RuntimeError, match="called twice"):
        opt.first_step()
    with pytest.raises(RuntimeError, match="between first_step"):
        opt.step(nnh.make_closure(opt, net, x, y))
    with pytest.raises(TypeError, match="once"):
        SAM(net.parameters(), torch.optim.SGD, base_optimizer=torch.optim.SGD, lr=0.1)


@pytest.mark.parametrize("bad", ["no", 1, None])
def test_zero_grad_must_be_a_bool(nnh, bad):
    """zero_grad="no" is truthy: it would zero the gradients (the trap of adaptive="no")."""
    net, (x, y) = nnh.make_mlp(), nnh.make_data()
    opt = SAM(net.parameters(), lr=0.1)
    loss_function(y, net(x)).backward()
    with pytest.raises(TypeError, match=r"first_step\(zero_grad=...\): must be True or False"):
        opt.first_step(zero_grad=bad)
    assert all(p.grad is not None for p in net.parameters())  # nothing happened
    opt.first_step()
    with pytest.raises(TypeError, match=r"second_step\(zero_grad=...\): must be True or False"):
        opt.second_step(zero_grad=bad)
    opt.second_step(zero_grad=True)


def test_first_step_keeps_gradients_unless_asked(nnh):
    net, (x, y) = nnh.make_mlp(), nnh.make_data()
    opt = SAM(net.parameters(), lr=0.1)
    theta = nnh.params_of(net)
    loss_function(y, net(x)).backward()
    g = [p.grad.clone() for p in net.parameters()]
    opt.first_step(zero_grad=False)
    nnh.assert_lists_close([p.grad for p in net.parameters()], g, rtol=0, atol=0)
    assert any(not torch.equal(p, t) for p, t in zip(net.parameters(), theta))  # at theta + e
    opt.zero_grad()
    loss_function(y, net(x)).backward()
    opt.second_step(zero_grad=False)
    assert all(p.grad is not None for p in net.parameters())


def test_two_step_api_with_every_k_counts_the_users_passes(nnh):
    data = _data(nnh)
    model, ref = nnh.make_mlp(), nnh.make_mlp()
    opt = SAM(model.parameters(), torch.optim.SGD, rho=0.1, lr=0.1, every=2)
    davda54_loop(model, opt, data, loss_function)
    assert opt.grad_evals == 2 * len(data)
    # steps 1 and 3 were not perturbed: the base step used the gradient at theta
    sgd_like = SAM(ref.parameters(), torch.optim.SGD, rho=0.1, lr=0.1)
    for i, (xb, yb) in enumerate(data):
        if i % 2 == 0:
            sgd_like.step(nnh.make_closure(sgd_like, ref, xb, yb, loss_fn=lambda n, a, b: loss_function(b, n(a))))
        else:
            sgd_like.zero_grad()
            loss_function(yb, ref(xb)).backward()
            sgd_like.base_optimizer.step()
    nnh.assert_lists_close(nnh.params_of(model), nnh.params_of(ref), rtol=1e-14, atol=1e-15)


def test_two_step_api_lean_nan_batch_leaves_theta_alone(nnh):
    """restore="subtract": a NaN gradient before first_step() never moves theta."""
    net, (x, y) = nnh.make_mlp(), nnh.make_data()
    opt = SAM(net.parameters(), lr=0.1, rho=0.1, restore="subtract")
    before = nnh.params_of(net)
    (((net(x) - y) ** 2).mean() * float("nan")).backward()
    opt.first_step(zero_grad=True)
    nnh.assert_lists_close(nnh.params_of(net), before, rtol=0, atol=0)
    ((net(x) - y) ** 2).mean().backward()
    opt.second_step(zero_grad=True)
    nnh.assert_lists_close(nnh.params_of(net), before, rtol=0, atol=0)
    assert opt.counters["skipped"] == 1 and opt.grad_evals == 2
