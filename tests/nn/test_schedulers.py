"""Schedules of gr_gamma / gr_eps / sam_rho as param-group entries."""
import math

import pytest

torch = pytest.importorskip("torch")

from cgdopt.nn import GR, SAM, CosineDecay, LinearDecay, LinearWarmup, ParamGroupLambda  # noqa: E402


def test_warmup_linear_cosine_values(nnh):
    opt = GR(nnh.make_mlp().parameters(), lr=0.1, gamma=0.4, eps=0.2)
    w = LinearWarmup(opt, warmup_steps=4)
    seen = [opt.param_groups[0]["gr_gamma"]]
    for _ in range(5):
        w.step()
        seen.append(opt.param_groups[0]["gr_gamma"])
    assert seen == pytest.approx([0.0, 0.1, 0.2, 0.3, 0.4, 0.4])
    opt2 = GR(nnh.make_mlp().parameters(), lr=0.1, gamma=0.4, eps=0.2)
    c = CosineDecay(opt2, total_steps=2, key="gr_eps", min_factor=0.5)
    vals = [opt2.param_groups[0]["gr_eps"]]
    for _ in range(3):
        c.step()
        vals.append(opt2.param_groups[0]["gr_eps"])
    assert vals == pytest.approx([0.2, 0.2 * (0.5 + 0.25), 0.1, 0.1])
    opt3 = SAM(nnh.make_mlp().parameters(), lr=0.1, rho=0.1)
    lin = LinearDecay(opt3, total_steps=2, key="sam_rho", end_factor=0.0)
    lin.step()
    assert lin.get_last_value() == pytest.approx([0.05])


def test_schedule_drives_the_steps(nnh):
    """The value in the group at step t is what the step uses: gamma 0 at t=0 -> plain step."""
    x, y = nnh.make_data()
    net, ref = nnh.make_mlp(), nnh.make_mlp()
    opt = GR(net.parameters(), lr=0.1, gamma=0.4, eps=0.1)
    sched = LinearWarmup(opt, warmup_steps=2)
    full = GR(ref.parameters(), lr=0.1, gamma=0.2, eps=0.1)
    plain = GR(ref.parameters(), lr=0.1, gamma=0.0)
    opt.step(nnh.make_closure(opt, net, x, y))  # gamma = 0: one pass
    plain.step(nnh.make_closure(plain, ref, x, y))
    sched.step()
    opt.step(nnh.make_closure(opt, net, x, y))  # gamma = 0.2
    full.step(nnh.make_closure(full, ref, x, y))
    assert opt.grad_evals == 3
    nnh.assert_lists_close(nnh.params_of(net), nnh.params_of(ref), rtol=0, atol=0)


def test_per_group_initial_values_and_state_dict(nnh):
    net = nnh.make_mlp()
    opt = GR([{"params": net[0].parameters(), "gamma": 0.2},
              {"params": net[2].parameters()}], lr=0.1, gamma=0.1)
    s = ParamGroupLambda(opt, lambda t: 0.5 ** t)
    s.step(), s.step()
    assert s.get_last_value() == pytest.approx([0.05, 0.025])
    sd, osd = s.state_dict(), opt.state_dict()
    opt2 = GR([{"params": net[0].parameters(), "gamma": 0.2},
               {"params": net[2].parameters()}], lr=0.1, gamma=0.1)
    opt2.load_state_dict(osd)
    s2 = ParamGroupLambda(opt2, lambda t: 0.5 ** t)
    s2.load_state_dict(sd)
    s.step(), s2.step()
    assert s2.get_last_value() == s.get_last_value() == pytest.approx([0.025, 0.0125])


def test_bad_arguments_are_refused(nnh):
    opt = GR(nnh.make_mlp().parameters(), lr=0.1)
    with pytest.raises(ValueError, match="Invalid key: 'sam_rho' is not in param group 0"):
        LinearWarmup(opt, 3, key="sam_rho")
    with pytest.raises(ValueError, match="Invalid warmup_steps: 0"):
        LinearWarmup(opt, 0)
    with pytest.raises(ValueError, match="Invalid start_factor: 0.0"):
        LinearWarmup(opt, 3, key="gr_eps")  # the probe step must stay > 0
    with pytest.raises(ValueError, match="Invalid end_factor"):
        LinearDecay(opt, 3, end_factor=float("nan"))
    with pytest.raises(ValueError, match=r"factor\(0\) = nan"):
        ParamGroupLambda(opt, lambda t: math.nan)
    # factors above 1 would turn a warm-up into a decay and a decay into a rise (torch's LinearLR
    # refuses them too); the message names the scheduler for the other direction
    with pytest.raises(ValueError, match=r"Invalid start_factor: 2 .*in \[0, 1\].*use LinearDecay"):
        LinearWarmup(opt, 3, start_factor=2)
    with pytest.raises(ValueError, match=r"Invalid end_factor: 1.5 .*use LinearWarmup"):
        LinearDecay(opt, 3, end_factor=1.5)
    with pytest.raises(ValueError, match=r"Invalid min_factor: 3.0 .*in \(0, 1\]"):
        CosineDecay(opt, 3, key="gr_eps", min_factor=3.0)
    assert opt.param_groups[0]["gr_gamma"] == opt.defaults["gr_gamma"]  # nothing was written
    LinearDecay(opt, 3, end_factor=1)  # 1 is the constant schedule, allowed
    with pytest.raises(TypeError, match="Invalid factor"):
        ParamGroupLambda(opt, 0.5)
    s = LinearWarmup(opt, 3)
    with pytest.raises(ValueError, match="drives 'gr_eps'"):
        s.load_state_dict({"key": "gr_eps", "last_step": 1})


def test_torch_lambda_lr_style_object_can_drive_gamma(nnh):
    """Any object writing the group entry works; the step validates what it finds."""
    x, y = nnh.make_data()
    net = nnh.make_mlp()
    opt = GR(net.parameters(), lr=0.1)
    opt.param_groups[0]["gr_eps"] = 0.0
    with pytest.raises(ValueError, match="Invalid gr_eps in param group 0: 0.0"):
        opt.step(nnh.make_closure(opt, net, x, y))


def test_a_probe_step_schedule_for_double_backprop_is_refused(nnh):
    opt = GR(nnh.make_mlp().parameters(), lr=0.1, rule="double_backprop")
    with pytest.raises(ValueError, match="'gr_eps' of GR.rule='double_backprop'.*no effect"):
        LinearWarmup(opt, warmup_steps=3, key="gr_eps", start_factor=0.5)
    LinearWarmup(opt, warmup_steps=3)  # its gamma can be scheduled
    assert opt.param_groups[0]["gr_gamma"] == 0.0


@pytest.mark.parametrize("key,factor,bound", [("gr_gamma", -0.5, ">= 0"), ("gr_eps", 0.0, "> 0"),
                                              ("lr", -1.0, ">= 0")])
def test_a_factor_that_makes_a_bounded_key_invalid_is_refused_at_the_scheduler(key, factor, bound):
    net = torch.nn.Linear(3, 2)
    opt = GR([{"params": [net.weight]}, {"params": [net.bias]}], lr=0.1, gamma=0.1, eps=0.05)
    before = [g[key] for g in opt.param_groups]
    with pytest.raises(ValueError, match=rf"factor\(0\) = {factor} gives {key} = .* in param group 0 "
                                         rf"\(must be a finite number {bound}\)"):
        ParamGroupLambda(opt, lambda t: factor, key=key)
    assert [g[key] for g in opt.param_groups] == before  # all groups or none


def test_a_negative_sam_rho_from_a_schedule_is_refused():
    opt = SAM(torch.nn.Linear(3, 2).parameters(), lr=0.1, rho=0.05)
    sched = ParamGroupLambda(opt, lambda t: 1.0 - t, key="sam_rho")
    sched.step()  # factor 0: rho = 0 is allowed
    with pytest.raises(ValueError, match=r"gives sam_rho = -0.05 in param group 0 "
                                         r"\(must be a finite number >= 0\)"):
        sched.step()


@pytest.mark.parametrize("state,message", [
    ("x", r"not a state of this scheduler .* got str$"),
    ({"state": {}, "param_groups": []},
     r"not a state of this scheduler .* got a dict with keys \['param_groups', 'state'\]$"),
    ({"key": "gr_gamma"}, "not a state of this scheduler"),
    ({"key": "gr_gamma", "last_step": 2, "extra": 1}, "not a state of this scheduler"),
    ({"key": "gr_gamma", "last_step": -5}, "last_step must be an int >= 0, got -5"),
    ({"key": "gr_gamma", "last_step": "3"}, "last_step must be an int >= 0, got '3'"),
    ({"key": "gr_gamma", "last_step": 2.7}, "last_step must be an int >= 0, got 2.7"),
    ({"key": "gr_gamma", "last_step": True}, "last_step must be an int >= 0, got True"),
])
def test_scheduler_load_state_dict_refuses_bad_states(state, message):
    sched = LinearWarmup(GR(torch.nn.Linear(3, 2).parameters(), lr=0.1), 3)
    with pytest.raises(ValueError, match=r"LinearWarmup.load_state_dict: " + message):
        sched.load_state_dict(state)
    assert sched.last_step == 0


def test_scheduler_state_round_trip_still_works():
    opt = GR(torch.nn.Linear(3, 2).parameters(), lr=0.1, gamma=0.2)
    a = LinearWarmup(opt, 4)
    a.step()
    a.step()
    b = LinearWarmup(GR(torch.nn.Linear(3, 2).parameters(), lr=0.1, gamma=0.2), 4)
    b.load_state_dict(a.state_dict())
    assert b.last_step == 2 and b.get_last_value() == a.get_last_value()


@pytest.mark.parametrize("opt_cls,key,value", [(GR, "gr_gamma", True), (GR, "gr_gamma", -0.1),
                                               (GR, "gr_eps", float("nan")), (SAM, "sam_rho", -0.05),
                                               (SAM, "sam_rho", float("inf")), (GR, "lr", float("nan")),
                                               (SAM, "lr", -1.0)])
def test_a_bad_value_written_into_a_group_is_refused_at_the_step(nnh, opt_cls, key, value):
    """One table of bounds (_base.GROUP_BOUNDS) serves the step's check and the schedulers'."""
    x, y = nnh.make_data()
    net = nnh.make_mlp()
    opt = opt_cls(net.parameters(), lr=0.1)
    opt.param_groups[0][key] = value
    before = [p.detach().clone() for p in net.parameters()]
    with pytest.raises(ValueError, match=rf"Invalid {key} in param group 0: {value!r} \(must be a finite"):
        opt.step(nnh.make_closure(opt, net, x, y))
    assert all(torch.equal(p, b) for p, b in zip(net.parameters(), before))


def test_a_schedule_of_a_tensor_lr_is_checked_by_its_value():
    opt = GR(torch.nn.Linear(3, 2).parameters(), lr=torch.tensor(0.1), gamma=0.1)
    sched = ParamGroupLambda(opt, lambda t: 1.0 - t, key="lr")
    sched.step()
    assert float(opt.param_groups[0]["lr"]) == 0.0
    with pytest.raises(ValueError, match=r"gives lr = tensor\(-0.1.*\(must be a finite number >= 0\)"):
        sched.step()


@pytest.mark.parametrize("saved,other,message", [
    (lambda o: LinearWarmup(o, 4), lambda o: LinearDecay(o, 4),
     r"the state is of the schedule \{'class': 'LinearWarmup'"),
    (lambda o: LinearWarmup(o, 4), lambda o: LinearWarmup(o, 8), r"'warmup_steps': 4.*'warmup_steps': 8"),
    (lambda o: CosineDecay(o, 10, min_factor=0.1), lambda o: CosineDecay(o, 10),
     r"'min_factor': 0.1.*'min_factor': 0.0"),
    (lambda o: LinearDecay(o, 5), lambda o: ParamGroupLambda(o, lambda t: 1.0), "ParamGroupLambda"),
])
def test_a_scheduler_state_loads_only_into_the_same_schedule(saved, other, message):
    a = saved(GR(torch.nn.Linear(3, 2).parameters(), lr=0.1, gamma=0.2))
    a.step()
    b = other(GR(torch.nn.Linear(3, 2).parameters(), lr=0.1, gamma=0.2))
    with pytest.raises(ValueError, match=message):
        b.load_state_dict(a.state_dict())
    assert b.last_step == 0


def test_an_old_scheduler_state_without_schedule_still_loads():
    a = LinearWarmup(GR(torch.nn.Linear(3, 2).parameters(), lr=0.1, gamma=0.2), 4)
    a.step()
    b = LinearWarmup(GR(torch.nn.Linear(3, 2).parameters(), lr=0.1, gamma=0.2), 4)
    b.load_state_dict({"key": "gr_gamma", "last_step": 1})
    assert b.get_last_value() == a.get_last_value()


@pytest.mark.parametrize("opt_kind,key", [("GR", "nesterov"), ("SAM", "sam_adaptive"), ("GR", "foreach"),
                                          ("GR", "params"), ("GR", "initial_lr")])
def test_a_key_that_holds_no_number_is_refused(opt_kind, key):
    net = torch.nn.Linear(3, 2)
    opt = (GR if opt_kind == "GR" else SAM)(net.parameters(), lr=0.1, momentum=0.9)
    with pytest.raises((ValueError, TypeError), match=f"Invalid key: '{key}'"):
        ParamGroupLambda(opt, lambda t: 0.5, key=key)


def test_a_group_added_later_starts_from_its_value_and_a_refused_step_changes_nothing():
    a, b = torch.nn.Linear(3, 2), torch.nn.Linear(2, 1)
    opt = GR(a.parameters(), lr=0.1, gamma=0.2)
    sched = ParamGroupLambda(opt, lambda t: 0.5 ** t)
    sched.step()  # t = 1
    opt.add_param_group({"params": b.parameters(), "gamma": 0.8})
    sched.step()  # t = 2: the new group's 0.8 is its initial value
    assert sched.get_last_value() == pytest.approx([0.05, 0.2])
    assert opt.param_groups[1]["initial_gr_gamma"] == 0.8
    opt.add_param_group({"params": [torch.nn.Parameter(torch.ones(1))], "gamma": 0.1})
    opt.param_groups[2]["gr_gamma"] = "high"  # not a number: refused, nothing written
    with pytest.raises(ValueError, match="holds gr_gamma='high' in param group 2"):
        sched.step()
    assert sched.last_step == 2 and "initial_gr_gamma" not in opt.param_groups[2]
    assert sched.get_last_value()[:2] == pytest.approx([0.05, 0.2])
