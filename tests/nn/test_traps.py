"""Traps of issue 11: each is refused at the API boundary or no longer misleads."""
import re

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


@pytest.mark.parametrize("kw,named", [
    (dict(eps=0.2), "eps=0.2"), (dict(r=0.2), "r=0.2"), (dict(normalize=True), "normalize=True"),
    (dict(restore="subtract"), "restore='subtract'"), (dict(compile=True), "compile=True"),
    (dict(compile={"backend": "eager"}), "compile={'backend': 'eager'}"),
])
def test_double_backprop_refuses_the_options_of_a_probe(nnh, kw, named):
    """DB has no probe point: eps/r, normalize, restore and compile would be silently ignored."""
    with pytest.raises(ValueError, match=r"double_backprop.*no probe point, so " + re.escape(named)):
        GR(nnh.make_mlp().parameters(), lr=0.1, rule="double_backprop", **kw)


def test_double_backprop_refuses_a_probe_step_in_a_param_group(nnh):
    net = nnh.make_mlp()
    with pytest.raises(ValueError, match="no probe point, so eps=0.3"):
        GR([{"params": net.parameters(), "gr_eps": 0.3}], lr=0.1, rule="double_backprop")
    opt = GR([{"params": net.parameters(), "gamma": 0.3}], lr=0.1, rule="double_backprop",
             restore="copy", compile=False, normalize=False)  # the defaults, spelled out, pass
    assert opt.param_groups[0]["gr_gamma"] == 0.3


def test_double_backprop_refuses_a_local_probe(nnh):
    """local_probe=True runs the probe pass per worker: DB has none, so it is refused
    (before the model is looked at, with or without a DDP-like model)."""
    class FakeDDP(torch.nn.Module):
        def no_sync(self):  # pragma: no cover - never entered
            raise AssertionError
    for model in (None, FakeDDP()):
        with pytest.raises(ValueError, match=r"local_probe=True\) needs a finite-difference rule, "
                                             r"not 'double_backprop'"):
            GR(nnh.make_mlp().parameters(), lr=0.1, rule="double_backprop", local_probe=True,
               model=model)


def test_base_eps_for_a_base_without_eps_is_refused(nnh):
    with pytest.raises(TypeError, match=r"Invalid base_eps: 1e-08 \(SGD takes no eps"):
        GR(nnh.make_mlp().parameters(), base=torch.optim.SGD, lr=0.1, base_eps=1e-8)
    opt = GR(nnh.make_mlp().parameters(), base=torch.optim.Adam, lr=0.1, base_eps=1e-6)
    assert opt.base_optimizer.param_groups[0]["eps"] == 1e-6

    def factory(params, **kw):  # a signature that does not tell: passed on
        return torch.optim.Adam(params, **kw)
    opt = GR(nnh.make_mlp().parameters(), base=factory, lr=0.1, base_eps=1e-6, eps=1e-4)
    assert opt.base_optimizer.param_groups[0]["eps"] == 1e-6


@pytest.mark.parametrize("kind", ["GR", "SAM"])
def test_a_closure_without_backward_is_an_error_not_a_silent_step(nnh, kind):
    net, (x, y) = nnh.make_mlp(), nnh.make_data()
    opt = (GR if kind == "GR" else SAM)(net.parameters(), lr=0.1)
    before = [p.detach().clone() for p in net.parameters()]

    def closure():
        opt.zero_grad()
        return nnh.mse(net, x, y)  # no backward()
    with pytest.raises(RuntimeError, match=f"{kind}: no parameter has a gradient.*loss.backward"):
        opt.step(closure)
    assert all(torch.equal(a, b) for a, b in zip(before, net.parameters()))
    assert opt.counters["step"] == 0
    if kind == "SAM":
        with pytest.raises(RuntimeError, match="no parameter has a gradient"):
            opt.first_step()


@pytest.mark.parametrize("kind", ["GR", "SAM"])
@pytest.mark.parametrize("scaler", [3, "scaler", torch.optim.SGD])
def test_grad_scaler_must_be_a_grad_scaler(nnh, kind, scaler):
    net, (x, y) = nnh.make_mlp(), nnh.make_data()
    opt = (GR if kind == "GR" else SAM)(net.parameters(), lr=0.1)
    message = r"Invalid grad_scaler: \w+ \(must be a torch.amp.GradScaler or None\)"
    with pytest.raises(TypeError, match=message):
        opt.step(nnh.make_closure(opt, net, x, y), grad_scaler=scaler)


@pytest.mark.parametrize("kind,kw,message", [
    ("GR", dict(gama=0.1), "GR: unexpected keyword argument 'gama': not an option of GR nor of its "
                           "base optimizer SGD; did you mean 'gamma'?"),
    ("GR", dict(momentun=0.9), "did you mean 'momentum'?"),
    ("SAM", dict(rhoo=0.1), "SAM: unexpected keyword argument 'rhoo'.*did you mean 'rho'?"),
    ("GR", dict(xyz=1), "GR: unexpected keyword argument 'xyz': not an option of GR nor of its "
                        "base optimizer SGD$"),
])
def test_an_unknown_keyword_names_the_wrapper_and_its_base(kind, kw, message):
    cls = GR if kind == "GR" else SAM
    with pytest.raises(TypeError, match=message):
        cls(torch.nn.Linear(3, 2).parameters(), lr=0.1, **kw)


def test_a_class_that_is_not_an_optimizer_is_refused_as_base():
    with pytest.raises(TypeError,
                       match=r"GR: base must be a torch.optim.Optimizer subclass .*got <class 'int'>"):
        GR(torch.nn.Linear(3, 2).parameters(), base=int, lr=0.1)


@pytest.mark.parametrize("kind,group,base,message", [
    ("GR", {"eps": 0.1}, torch.optim.SGD,
     r"Invalid key 'eps' in param group 0: in a group it is the base optimizer's, and SGD has no "
     r"'eps'; GR's own is 'gr_eps' \(or 'r'\)"),
    ("SAM", {"rho": 0.1}, torch.optim.SGD, r"SGD has no 'rho'; SAM's own is 'sam_rho'"),
    ("SAM", {"adaptive": True}, torch.optim.SGD, r"SGD has no 'adaptive'; SAM's own is 'sam_adaptive'"),
    ("GR", {"gamam": 0.1}, torch.optim.SGD,
     r"Invalid key 'gamam' in param group 0: not a key of GR or its base optimizer; did you mean 'gamma'\?"),
    ("GR", {"gr_gama": 0.1}, torch.optim.SGD, r"did you mean 'gr_gamma'\?"),
    ("SAM", {"sam_rh": 0.1}, torch.optim.SGD, r"did you mean 'sam_rho'\?"),
    ("GR", {"rule": "central"}, torch.optim.SGD,
     r"Invalid key 'rule' in param group 0: rule is an option of GR as a whole"),
    ("GR", {"p": 3}, torch.optim.SGD, r"'p' in param group 0: p is an option of GR as a whole"),
    ("GR", {"restore": "subtract"}, torch.optim.SGD, r"restore is an option of GR as a whole"),
    ("SAM", {"every": 2}, torch.optim.SGD, r"every is an option of SAM as a whole"),
    ("SAM", {"nonfinite": "raise"}, torch.optim.Adam, r"nonfinite is an option of SAM as a whole"),
])
def test_a_group_key_that_would_be_ignored_is_refused(kind, group, base, message):
    cls = GR if kind == "GR" else SAM
    net = torch.nn.Linear(3, 2)
    with pytest.raises(ValueError, match=message):
        cls([{"params": net.parameters(), **group}], base=base, lr=0.1)
    opt = cls([{"params": [net.weight]}], base=base, lr=0.1)
    with pytest.raises(ValueError, match=message.replace("group 0", "group 1")):
        opt.add_param_group({"params": [net.bias], **group})


@pytest.mark.parametrize("kind,group,base", [
    ("GR", {"eps": 1e-6}, torch.optim.Adam),  # Adam's own eps, per group
    ("SAM", {"rho": 0.8}, torch.optim.Adadelta),  # Adadelta's own rho
    ("GR", {"name": "head", "gamma": 0.1}, torch.optim.SGD),  # user metadata passes, as in torch
    ("SAM", {"sam_rho": 0.1, "tag": 3}, torch.optim.SGD),
])
def test_group_keys_of_the_base_and_user_metadata_pass(kind, group, base):
    cls = GR if kind == "GR" else SAM
    opt = cls([{"params": torch.nn.Linear(3, 2).parameters(), **group}], base=base, lr=0.1)
    for k, v in group.items():
        assert opt.param_groups[0]["gr_gamma" if k == "gamma" else k] == v


@pytest.mark.parametrize("kind", ["GR", "SAM"])
def test_zero_grad_refuses_a_set_to_none_that_is_not_a_bool(kind):
    net = torch.nn.Linear(3, 2)
    opt = (GR if kind == "GR" else SAM)(net.parameters(), lr=0.1)
    net(torch.ones(1, 3)).sum().backward()
    with pytest.raises(TypeError, match=r"Invalid set_to_none: 'no' \(must be True or False\)"):
        opt.zero_grad(set_to_none="no")
    assert net.weight.grad is not None
    opt.zero_grad(set_to_none=False)
    assert torch.equal(net.weight.grad, torch.zeros_like(net.weight))
    opt.zero_grad()
    assert net.weight.grad is None


def test_a_type_error_of_the_base_that_is_not_a_keyword_passes_unchanged():
    def factory(params, lr):
        raise TypeError("something else")
    with pytest.raises(TypeError, match="^something else$") as exc:
        GR(torch.nn.Linear(3, 2).parameters(), base=factory, lr=0.1)
    assert exc.value.__cause__ is None


@pytest.mark.parametrize("kind", ["GR", "SAM"])
@pytest.mark.parametrize("kw,message", [
    (dict(lr=True), r"invalid lr=True for the base optimizer SGD \(must be a number, not a bool\)"),
    (dict(lr=0.1, momentum=True), r"invalid momentum=True .*not a bool"),
    (dict(lr=0.1, momentum=0.9, nesterov="no"), r"invalid nesterov='no' .*must be True or False"),
    (dict(lr=0.1, maximize="no"), r"invalid maximize='no'"),
    (dict(lr=0.1, base=torch.optim.Adam, betas=(True, 0.9)), r"invalid betas=\(True, 0.9\) .*not bools"),
    (dict(lr=0.1, base=torch.optim.Adam, amsgrad="no"), r"invalid amsgrad='no'"),
    (dict(lr="0.1"), r"invalid lr='0.1' for the base optimizer SGD \(must be a number, got str\)"),
    (dict(lr=0.1, momentum=None), r"invalid momentum=None .*must be a number, got NoneType"),
])
def test_a_bool_is_not_a_number_and_a_string_not_a_switch(kind, kw, message):
    cls = GR if kind == "GR" else SAM
    with pytest.raises(TypeError, match=message):
        cls(torch.nn.Linear(3, 2).parameters(), **kw)


def test_gr_p_and_base_eps_refuse_a_bool():
    net = torch.nn.Linear(3, 2)
    with pytest.raises(ValueError, match="p must be a finite number >= 1, got True"):
        GR(net.parameters(), lr=0.1, p=True)
    with pytest.raises(TypeError, match="Invalid base_eps: True"):
        GR(net.parameters(), base=torch.optim.Adam, lr=0.1, base_eps=True)
    with pytest.raises(TypeError, match=r"Invalid base_eps: '1e-8' \(must be a number\)"):
        GR(net.parameters(), base=torch.optim.Adam, lr=0.1, base_eps="1e-8")


@pytest.mark.parametrize("kind", ["GR", "SAM"])
def test_a_param_group_without_params_is_a_clear_error(kind):
    cls = GR if kind == "GR" else SAM
    opt = cls(torch.nn.Linear(3, 2).parameters(), lr=0.1)
    with pytest.raises(ValueError, match=r"a param group needs a 'params' entry .*got keys \['lr'\]"):
        opt.add_param_group({"lr": 0.1})


@pytest.mark.parametrize("kind", ["GR", "SAM"])
def test_a_param_group_refuses_a_bool_lr_or_a_string_switch(kind):
    cls = GR if kind == "GR" else SAM
    net = torch.nn.Linear(3, 2)
    opt = cls([net.weight], lr=0.1, momentum=0.9)
    with pytest.raises(TypeError, match=r"Invalid lr in param group 1: True \(must be a number"):
        opt.add_param_group({"params": [net.bias], "lr": True})
    with pytest.raises(TypeError, match=r"Invalid nesterov in param group 0: 'no'"):
        cls([{"params": [net.bias], "nesterov": "no"}], lr=0.1, momentum=0.9)
    assert len(opt.param_groups) == 1


@pytest.mark.parametrize("kind", ["GR", "SAM"])
def test_maximize_is_refused_at_construction_and_at_the_step(nnh, kind):
    cls = GR if kind == "GR" else SAM
    net = nnh.make_mlp()
    with pytest.raises(ValueError, match=r"Invalid maximize in param group 0: True \(GR and SAM minimize"):
        cls(net.parameters(), lr=0.1, maximize=True)
    opt = cls(net.parameters(), lr=0.1)
    before = nnh.params_of(net)
    opt.param_groups[0]["maximize"] = True  # set after construction
    x, y = nnh.make_data()
    with pytest.raises(ValueError, match="Invalid maximize in param group 0"):
        opt.step(nnh.make_closure(opt, net, x, y))
    nnh.assert_lists_close(nnh.params_of(net), before, rtol=0, atol=0)


@pytest.mark.parametrize("kind", ["GR", "SAM"])
def test_a_parameter_listed_twice_in_a_group_is_refused(kind):
    cls = GR if kind == "GR" else SAM
    w = torch.nn.Parameter(torch.ones(2))
    with pytest.raises(ValueError, match=r"a parameter appears twice in a param group \(at position 1\)"):
        cls([w, w], lr=0.1)
    opt = cls([torch.nn.Parameter(torch.ones(1))], lr=0.1)
    with pytest.raises(ValueError, match="appears twice"):
        opt.add_param_group({"params": (q for q in [w, w])})
    assert len(opt.param_groups) == 1


@pytest.mark.parametrize("kind", ["GR", "SAM"])
@pytest.mark.parametrize("base,message", [(torch.optim.LBFGS, r"base LBFGS.step\(\) requires a closure"),
                                          (torch.optim.SparseAdam, "base SparseAdam needs sparse gradients")])
def test_a_base_that_cannot_take_the_step_is_refused_at_construction(kind, base, message):
    cls = GR if kind == "GR" else SAM
    with pytest.raises(TypeError, match=message):
        cls(torch.nn.Linear(3, 2).parameters(), base=base, lr=0.1)


@pytest.mark.parametrize("kind", ["GR", "SAM"])
def test_complex_and_meta_parameters_get_a_clear_error(kind):
    cls = GR if kind == "GR" else SAM
    with pytest.raises(TypeError, match=r"parameter 0 of the group is complex \(torch.complex64\)"):
        cls([torch.nn.Parameter(torch.ones(2, dtype=torch.complex64))], lr=0.1)
    net = torch.nn.Linear(2, 1, device="meta")
    opt = cls(net.parameters(), lr=0.1)

    def closure():
        opt.zero_grad()
        loss = net(torch.ones(1, 2, device="meta")).sum()
        loss.backward()
        return loss
    with pytest.raises(RuntimeError, match="a parameter is on the meta device"):
        opt.step(closure)


@pytest.mark.parametrize("kind", ["GR", "SAM"])
@pytest.mark.parametrize("key,value", [("momentum", float("inf")), ("weight_decay", float("nan"))])
def test_a_nonfinite_base_hyperparameter_written_later_is_refused_at_the_step(nnh, kind, key, value):
    cls = GR if kind == "GR" else SAM
    net = nnh.make_mlp()
    opt = cls(net.parameters(), lr=0.1, momentum=0.9)
    opt.param_groups[0][key] = value
    before = nnh.params_of(net)
    x, y = nnh.make_data()
    with pytest.raises(ValueError, match=f"Invalid {key} in param group 0: {value} \\(must be a finite number\\)"):
        opt.step(nnh.make_closure(opt, net, x, y))
    nnh.assert_lists_close(nnh.params_of(net), before, rtol=0, atol=0)
