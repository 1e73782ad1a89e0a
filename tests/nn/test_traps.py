"""Traps of issue 11: each is refused at the API boundary or no longer misleads."""
import math

import pytest

torch = pytest.importorskip("torch")

from cgdopt.nn import GR, SAM, flooding  # noqa: E402


def test_small_eps_with_an_adam_base_points_to_base_eps(nnh):
    net = nnh.make_mlp()
    with pytest.raises(ValueError, match=r"base_eps=1e-08"):
        GR(net.parameters(), base=torch.optim.AdamW, eps=1e-8, lr=1e-3)
    # unambiguous spellings are accepted
    opt = GR(net.parameters(), base=torch.optim.AdamW, eps=1e-8, base_eps=1e-8, lr=1e-3)
    assert opt.param_groups[0]["gr_eps"] == 1e-8 and opt.param_groups[0]["eps"] == 1e-8
    assert GR(net.parameters(), base=torch.optim.AdamW, r=1e-4, lr=1e-3).param_groups[0]["gr_eps"] == 1e-4
    # a probe step of usual size, or a base without eps, is no trap
    assert GR(net.parameters(), base=torch.optim.AdamW, eps=0.05, lr=1e-3).param_groups[0]["eps"] == 1e-8
    assert GR(net.parameters(), base=torch.optim.SGD, eps=1e-8, lr=1e-3).param_groups[0]["gr_eps"] == 1e-8


@pytest.mark.parametrize("bad", ["no", 0, 1, None, "False"])
def test_sam_adaptive_must_be_a_bool(nnh, bad):
    with pytest.raises(TypeError, match="Invalid adaptive"):
        SAM(nnh.make_mlp().parameters(), lr=0.1, adaptive=bad)
    with pytest.raises(TypeError, match="Invalid adaptive"):
        SAM([{"params": nnh.make_mlp().parameters(), "sam_adaptive": bad}], lr=0.1)


@pytest.mark.parametrize("b", [torch.tensor(-0.5), torch.tensor([0.1, -0.1]), torch.tensor(float("nan"))])
def test_flooding_refuses_a_negative_or_nonfinite_tensor_level(b):
    with pytest.raises(ValueError, match="flood level"):
        flooding(torch.tensor(1.0), b)


def test_flooding_accepts_a_tensor_level():
    assert float(flooding(torch.tensor(0.2), torch.tensor(0.5))) == pytest.approx(0.8)


@pytest.mark.parametrize("make", [
    lambda ps: GR(ps, lr=float("nan")),
    lambda ps: GR(ps, lr=0.1, momentum=float("inf")),
    lambda ps: GR(ps, base=torch.optim.Adam, lr=1e-3, betas=(0.9, float("nan"))),
    lambda ps: GR(ps, lr=torch.tensor(float("nan"))),
    lambda ps: SAM(ps, lr=float("nan")),
    lambda ps: SAM(ps, lr=0.1, weight_decay=float("-inf")),
    lambda ps: GR([{"params": ps, "lr": float("nan")}], lr=0.1),
    lambda ps: GR(ps, lr=0.1, gamma=float("nan")),
    lambda ps: SAM(ps, lr=0.1, rho=float("inf")),
])
def test_nonfinite_hyperparameters_are_refused_at_construction(nnh, make):
    with pytest.raises(ValueError, match="Invalid"):
        make(nnh.make_mlp().parameters())


def test_a_scheduler_writing_nan_is_refused_at_the_step(nnh):
    net, (x, y) = nnh.make_mlp(), nnh.make_data()
    opt = GR(net.parameters(), lr=0.1)
    opt.param_groups[0]["gr_gamma"] = float("nan")
    with pytest.raises(ValueError, match="gr_gamma in param group 0"):
        opt.step(nnh.make_closure(opt, net, x, y))


@pytest.mark.parametrize("rule", ["forward", "double_backprop"])
def test_a_nan_batch_does_not_switch_regularization_off(nnh, rule):
    net, (x, y) = nnh.make_mlp(), nnh.make_data()
    opt = GR(net.parameters(), lr=0.05, rule=rule, safeguard="switch")
    cg = rule == "double_backprop"
    bad_x = x.clone()
    bad_x[0, 0] = float("nan")
    before = nnh.params_of(net)
    opt.step(nnh.make_closure(opt, net, bad_x, y, create_graph=cg))
    assert opt.counters["skipped"] == 1
    assert opt.counters["regularizing"] is True and opt.counters["switch_step"] is None
    assert int(opt.counters["fallbacks"]) == 0
    nnh.assert_lists_close(nnh.params_of(net), before, rtol=0, atol=0)
    evals = opt.grad_evals
    opt.step(nnh.make_closure(opt, net, x, y, create_graph=cg))
    assert opt.counters["skipped"] == 1 and opt.counters["regularizing"] is True
    # the next clean step is still a regularized one
    assert opt.grad_evals - evals == (1 if cg else 2)
    if cg:
        assert opt.counters["hvp_evals"] == 2  # one per step, the skipped one included


def _trained_state(nnh, make):
    net, (x, y) = nnh.make_mlp(), nnh.make_data()
    opt = make(net.parameters())
    opt.step(nnh.make_closure(opt, net, x, y))
    return opt.state_dict()


def test_loading_a_gr_state_into_sam_fails_at_load(nnh):
    sd = _trained_state(nnh, lambda ps: GR(ps, lr=0.1, momentum=0.9))
    sam = SAM(nnh.make_mlp().parameters(), lr=0.1, momentum=0.9)
    with pytest.raises(ValueError, match="saved by GR, not SAM"):
        sam.load_state_dict(sd)
    # without the cgdopt entry (e.g. edited checkpoints) the group keys still tell
    sd.pop("cgdopt")
    with pytest.raises(ValueError, match=r"lacks \['sam_rho', 'sam_adaptive'\]"):
        sam.load_state_dict(sd)


def test_loading_an_sgd_based_state_into_an_adam_based_gr_fails_at_load(nnh):
    sd = _trained_state(nnh, lambda ps: GR(ps, lr=0.1, momentum=0.9))
    opt = GR(nnh.make_mlp().parameters(), base=torch.optim.Adam, lr=1e-3)
    with pytest.raises(ValueError, match="base optimizer SGD, this GR uses Adam"):
        opt.load_state_dict(sd)


def test_loading_a_state_of_another_model_shape_fails_at_load(nnh):
    sd = _trained_state(nnh, lambda ps: GR(ps, lr=0.1, momentum=0.9))
    other = nnh.make_mlp(width=7)
    opt = GR(other.parameters(), lr=0.1, momentum=0.9)
    with pytest.raises(ValueError, match=r"parameter 0 has shape \(7, 3\) here but \(5, 3\)"):
        opt.load_state_dict(sd)
    del sd["cgdopt"]["param_shapes"]  # older checkpoints: the momentum buffers tell
    with pytest.raises(ValueError, match=r"parameter 0 has shape \(7, 3\) here but \(5, 3\)"):
        opt.load_state_dict(sd)


def test_counters_do_not_take_the_description_keys(nnh):
    sd = _trained_state(nnh, lambda ps: GR(ps, lr=0.1))
    opt = GR(nnh.make_mlp().parameters(), lr=0.1)
    opt.load_state_dict(sd)
    assert "optimizer" not in opt.counters and opt.counters["grad_evals"] == 2
    assert opt.state_dict()["cgdopt"]["optimizer"] == "GR"
