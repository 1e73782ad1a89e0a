"""BatchNorm running statistics change once per step, from the clean pass."""
import pytest

torch = pytest.importorskip("torch")

from cgdopt.nn import GR, SAM, disable_running_stats  # noqa: E402


def bn_buffers(net):
    bn = net[1]
    return [bn.running_mean.clone(), bn.running_var.clone(), bn.num_batches_tracked.clone()]


def clean_pass_buffers(nnh, x, y, momentum=0.1):
    """Buffers after one plain forward pass at the clean point (what a plain SGD step does)."""
    net = nnh.make_mlp(bn=True)
    net[1].momentum = momentum
    net.train()
    nnh.mse(net, x, y).backward()
    return bn_buffers(net)


@pytest.mark.parametrize("make_opt", [
    lambda ps, m: GR(ps, lr=0.1, rule="forward", model=m),
    lambda ps, m: GR(ps, lr=0.1, rule="central", model=m),
    lambda ps, m: GR(ps, lr=0.1, rule="double_backprop", model=m),
    lambda ps, m: SAM(ps, lr=0.1, model=m),
], ids=["forward", "central", "double_backprop", "sam"])
@pytest.mark.parametrize("momentum", [0.1, None])
def test_running_stats_updated_once_per_step(nnh, make_opt, momentum):
    x, y = nnh.make_data(n=16)
    net = nnh.make_mlp(bn=True)
    net[1].momentum = momentum
    opt = make_opt(net.parameters(), net)
    db = opt.rule == "double_backprop" if isinstance(opt, GR) else False
    opt.step(nnh.make_closure(opt, net, x, y, create_graph=db))
    after = bn_buffers(net)
    expected = clean_pass_buffers(nnh, x, y, momentum)
    nnh.assert_lists_close(after, expected, rtol=0, atol=0)
    assert int(after[2]) == 1
    assert net[1].track_running_stats  # restored


def test_without_model_the_probe_pass_updates_stats_again(nnh):
    """The mechanism matters: without model= the buffers see two updates per step."""
    x, y = nnh.make_data(n=16)
    net = nnh.make_mlp(bn=True)
    opt = GR(net.parameters(), lr=0.1)
    opt.step(nnh.make_closure(opt, net, x, y))
    assert int(net[1].num_batches_tracked) == 2


def test_probe_pass_still_normalizes_with_batch_statistics(nnh):
    """Frozen buffers, but training-mode normalization: same output as a normal training pass."""
    x, _ = nnh.make_data(n=16)
    net = nnh.make_mlp(bn=True)
    ref = net(x)
    with disable_running_stats(net):
        out = net(x)
    torch.testing.assert_close(out, ref, rtol=0, atol=0)
    assert int(net[1].num_batches_tracked) == 1


def test_disable_running_stats_restores_on_error(nnh):
    net = nnh.make_mlp(bn=True)
    with pytest.raises(KeyError):
        with disable_running_stats(net):
            assert not net[1].track_running_stats
            raise KeyError("boom")
    assert net[1].track_running_stats


def test_layers_without_tracking_stay_untracked():
    bn = torch.nn.BatchNorm1d(3, track_running_stats=False)
    with disable_running_stats(bn):
        pass
    assert not bn.track_running_stats
    with disable_running_stats(None):
        pass


def test_disable_running_stats_refuses_a_non_module():
    with pytest.raises(TypeError, match="model must be a torch.nn.Module or None, got str"):
        with disable_running_stats("net"):
            pass
