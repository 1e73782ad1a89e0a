"""Checkpoints carry the base optimizer's state and resume bit-identically."""
import copy
import io

import pytest

torch = pytest.importorskip("torch")

from cgdopt.nn import GR, SAM  # noqa: E402

OPTIMIZERS = {
    "gr_sgd_momentum": lambda ps: GR(ps, lr=0.05, momentum=0.9, eps=0.1, gamma=0.1,
                                     safeguard="fallback"),
    "gr_adamw": lambda ps: GR(ps, base=torch.optim.AdamW, lr=1e-2, weight_decay=0.1,
                              rule="central"),
    "gr_switch": lambda ps: GR(ps, lr=0.05, momentum=0.5, switch_after=2),
    "sam_adamw": lambda ps: SAM(ps, base=torch.optim.AdamW, lr=1e-2, rho=0.1),
}


def train(nnh, net, opt, x, y, steps):
    closure = nnh.make_closure(opt, net, x, y)
    for _ in range(steps):
        opt.step(closure)


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_resume_is_bit_identical(nnh, name):
    x, y = nnh.make_data()
    make = OPTIMIZERS[name]
    net = nnh.make_mlp()
    opt = make(net.parameters())
    train(nnh, net, opt, x, y, 3)
    buf = io.BytesIO()
    torch.save({"model": net.state_dict(), "opt": opt.state_dict()}, buf)
    train(nnh, net, opt, x, y, 3)

    buf.seek(0)
    ckpt = torch.load(buf, weights_only=False)
    net2 = nnh.make_mlp(seed=5)
    net2.load_state_dict(ckpt["model"])
    opt2 = make(net2.parameters())
    opt2.load_state_dict(ckpt["opt"])
    assert opt2.counters["step"] == 3
    assert opt2.grad_evals == {"gr_adamw": 9, "gr_switch": 6}.get(name, 6)
    # base state (momentum buffers / Adam moments) came back
    assert any(isinstance(k, torch.Tensor) and len(v) > 0 for k, v in opt2.base_optimizer.state.items())
    train(nnh, net2, opt2, x, y, 3)
    nnh.assert_lists_close(nnh.params_of(net2), nnh.params_of(net), rtol=0, atol=0)
    assert opt2.grad_evals == opt.grad_evals
    assert opt2.state is opt2.base_optimizer.state
    assert opt2.param_groups is opt2.base_optimizer.param_groups


def test_state_dict_contains_base_state_and_counters(nnh):
    x, y = nnh.make_data()
    net = nnh.make_mlp()
    opt = GR(net.parameters(), lr=0.1, momentum=0.9)
    train(nnh, net, opt, x, y, 2)
    sd = opt.state_dict()
    assert sd["cgdopt"]["grad_evals"] == 4
    assert all("momentum_buffer" in sd["state"][i] for i in range(4))
    assert sd["param_groups"][0]["gr_gamma"] == 0.05 and sd["param_groups"][0]["momentum"] == 0.9


def test_state_dict_is_deterministic_and_a_snapshot(nnh):
    x, y = nnh.make_data()
    net = nnh.make_mlp()
    opt = GR(net.parameters(), base=torch.optim.AdamW, lr=1e-2)
    train(nnh, net, opt, x, y, 2)
    sd1, sd2 = opt.state_dict(), opt.state_dict()
    assert sd1["param_groups"] == sd2["param_groups"]
    assert sd1["cgdopt"] == sd2["cgdopt"]
    frozen = copy.deepcopy(sd1)
    train(nnh, net, opt, x, y, 1)
    assert sd1["cgdopt"] == frozen["cgdopt"]  # counters are copied
    # load -> save round trip
    opt2 = GR(nnh.make_mlp().parameters(), base=torch.optim.AdamW, lr=1e-2)
    opt2.load_state_dict(frozen)
    sd3 = opt2.state_dict()
    assert sd3["param_groups"] == frozen["param_groups"]
    assert sd3["cgdopt"] == frozen["cgdopt"]
    for k in range(4):
        for key, v in frozen["state"][k].items():
            assert torch.equal(torch.as_tensor(sd3["state"][k][key]), torch.as_tensor(v))


def test_optimizer_state_is_keyed_by_parameters_only(nnh):
    x, y = nnh.make_data()
    net = nnh.make_mlp()
    opt = GR(net.parameters(), lr=0.1, momentum=0.9)
    train(nnh, net, opt, x, y, 1)
    assert all(isinstance(k, torch.Tensor) for k in opt.state)
    assert all(isinstance(k, int) for k in opt.state_dict()["state"])


@pytest.mark.parametrize("how", ["deepcopy", "pickle"])
def test_copy_and_pickle_keep_the_base_and_the_sharing(nnh, how):
    import pickle
    x, y = nnh.make_data()
    net = nnh.make_mlp()
    opt = GR(net.parameters(), base=torch.optim.AdamW, lr=1e-2, rule="central")
    train(nnh, net, opt, x, y, 2)
    if how == "deepcopy":
        net2, opt2 = copy.deepcopy((net, opt))
    else:
        net2, opt2 = pickle.loads(pickle.dumps((net, opt)))
    assert opt2.rule == "central" and isinstance(opt2.base_optimizer, torch.optim.AdamW)
    assert opt2.param_groups is opt2.base_optimizer.param_groups
    assert opt2.state is opt2.base_optimizer.state and opt2.grad_evals == 6
    assert opt2.param_groups[0]["params"][0] is next(net2.parameters())
    train(nnh, net, opt, x, y, 2)
    train(nnh, net2, opt2, x, y, 2)
    nnh.assert_lists_close(nnh.params_of(net2), nnh.params_of(net), rtol=0, atol=0)


def test_loading_does_not_alias_the_checkpoint_counters(nnh):
    x, y = nnh.make_data()
    net = nnh.make_mlp()
    opt = GR(net.parameters(), lr=0.1)
    train(nnh, net, opt, x, y, 1)
    sd = opt.state_dict()
    opt.load_state_dict(sd)
    train(nnh, net, opt, x, y, 1)
    assert sd["cgdopt"]["grad_evals"] == 2 and opt.grad_evals == 4


def test_load_rejects_mismatched_groups(nnh):
    net = nnh.make_mlp()
    opt = GR(net.parameters(), lr=0.1)
    other = GR([{"params": net[0].parameters()}, {"params": net[2].parameters()}], lr=0.1)
    with pytest.raises(ValueError):
        opt.load_state_dict(other.state_dict())


def test_lr_scheduler_state_resumes(nnh):
    x, y = nnh.make_data()
    net = nnh.make_mlp()
    opt = GR(net.parameters(), lr=0.1, momentum=0.9)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10)
    for _ in range(3):
        train(nnh, net, opt, x, y, 1)
        sched.step()
    sd, ssd = opt.state_dict(), sched.state_dict()
    opt2 = GR(nnh.make_mlp().parameters(), lr=0.1, momentum=0.9)
    sched2 = torch.optim.lr_scheduler.CosineAnnealingLR(opt2, T_max=10)
    opt2.load_state_dict(sd)
    sched2.load_state_dict(ssd)
    sched.step(), sched2.step()
    assert opt2.param_groups[0]["lr"] == opt.param_groups[0]["lr"]
    assert opt2.base_optimizer.param_groups[0]["lr"] == opt.param_groups[0]["lr"]


@pytest.mark.parametrize("bad", ["x", None, [("state", {})]])
def test_load_state_dict_refuses_what_is_not_a_dict(bad):
    opt = GR(torch.nn.Linear(3, 2).parameters(), lr=0.1)
    with pytest.raises(TypeError, match=r"GR.load_state_dict: state_dict must be a dict \(from "
                                        r"state_dict\(\)\), got (str|NoneType|list)"):
        opt.load_state_dict(bad)


def _trained(nnh, make, steps=1):
    """(net, the optimizer make(params) after ``steps`` steps, its state_dict())."""
    x, y = nnh.make_data()
    net = nnh.make_mlp()
    opt = make(net.parameters())
    train(nnh, net, opt, x, y, steps)
    return net, opt, opt.state_dict()


@pytest.mark.parametrize("saved,here,differs", [
    (dict(rule="central"), dict(), "rule='central' in the state dict, 'forward' here"),
    (dict(p=3), dict(), "p=3.0 in the state dict, 2.0 here"),
    (dict(penalty="norm"), dict(), "penalty='norm'"),
    (dict(safeguard="switch"), dict(safeguard="fallback"), "safeguard='switch'"),
    (dict(switch_after=5), dict(), "switch_after=5"),
    (dict(every=2), dict(), "every=2"),
    (dict(normalize=True), dict(), "normalize=True")])
def test_load_refuses_a_gr_configured_otherwise(nnh, saved, here, differs):
    net, _, sd = _trained(nnh, lambda ps: GR(ps, lr=0.1, **saved))
    other = GR(net.parameters(), lr=0.1, **here)
    with pytest.raises(ValueError, match=f"configured differently: {differs}".replace("(", r"\(")):
        other.load_state_dict(sd)
    assert other.counters["step"] == 0  # nothing was loaded
    del sd["cgdopt"]["config"]  # the documented way to load it anyway
    other.load_state_dict(sd)
    assert other.counters["step"] == 1


def test_load_accepts_options_that_do_not_change_the_algorithm(nnh):
    net, _, sd = _trained(nnh, lambda ps: GR(ps, lr=0.1, restore="subtract", nonfinite="raise"), 2)
    other = GR(net.parameters(), lr=0.1, restore="copy", nonfinite="skip", foreach=True)
    other.load_state_dict(sd)
    assert other.counters["step"] == 2


def test_sam_load_refuses_another_every(nnh):
    net, _, sd = _trained(nnh, lambda ps: SAM(ps, lr=0.1, every=3))
    with pytest.raises(ValueError, match="every=3 in the state dict, 1 here"):
        SAM(net.parameters(), lr=0.1).load_state_dict(sd)


@pytest.mark.parametrize("where,key,value,match", [
    ("group", "gr_gamma", -0.1, "gr_gamma=-0.1 in param group 0 must be a finite number >= 0"),
    ("group", "gr_eps", 0.0, "gr_eps=0.0 in param group 0 must be a finite number > 0"),
    ("group", "lr", float("nan"), "lr=nan in param group 0"),
    ("counter", "step", -1, "counter 'step'=-1 .* must be an int >= 0"),
    ("counter", "skipped", 1.5, "counter 'skipped'=1.5"),
    ("counter", "regularizing", "no", "counter 'regularizing'='no' .* True or False"),
    ("counter", "switch_reason", "tired", "counter 'switch_reason'='tired'"),
    ("counter", "steps", 3, "counter 'steps'=3 .* is not a counter")])
def test_load_refuses_impossible_values_and_loads_nothing(nnh, where, key, value, match):
    net, _, sd = _trained(nnh, lambda ps: GR(ps, lr=0.1, momentum=0.9))
    (sd["param_groups"][0] if where == "group" else sd["cgdopt"])[key] = value
    fresh = GR(net.parameters(), lr=0.1, momentum=0.9)
    with pytest.raises(ValueError, match=match):
        fresh.load_state_dict(sd)
    assert fresh.counters["step"] == 0 and len(fresh.state) == 0


def test_sam_load_refuses_a_non_bool_adaptive(nnh):
    net, _, sd = _trained(nnh, lambda ps: SAM(ps, lr=0.1))
    sd["param_groups"][0]["sam_adaptive"] = "no"
    with pytest.raises(ValueError, match="sam_adaptive='no' in param group 0 must be True or False"):
        SAM(net.parameters(), lr=0.1).load_state_dict(sd)


def test_a_tensor_fallback_counter_loads(nnh):
    # fallbacks is a 0-dim int tensor
    net, opt, sd = _trained(nnh, lambda ps: GR(ps, lr=0.1, safeguard="fallback"), 2)
    other = GR(net.parameters(), lr=0.1, safeguard="fallback")
    other.load_state_dict(sd)
    assert int(other.counters["fallbacks"]) == int(opt.counters["fallbacks"])
