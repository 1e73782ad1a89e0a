"""digits, cgd-fd-vs-egr and cost: tiny runs through the public optimizers, counted honestly."""
import pytest

pytest.importorskip("torch")
pytest.importorskip("sklearn")
from cgdopt.experiments import cgd_fd_vs_egr, cost, digits  # noqa: E402

HP = dict(hidden=16, depth=2, epochs=2, batch=64, lr=0.05, momentum=0.9)


@pytest.mark.parametrize("method,evals_per_step", [("sgd", 1), ("fgr", 2), ("bgr", 2), ("sam", 2),
                                                   ("flooding", 1), ("db", 1)])
def test_digits_methods_train_and_count(method, evals_per_step):
    row, trace = digits.train_run(method, 0.1, 0, gamma=0.05, rho=0.05, flood=0.02, n_train=200, **HP)
    assert row["status"] == "done"
    assert row["grad_evals"] == evals_per_step * row["steps"]
    assert row["test_acc"] > 0.3                       # better than chance (0.1) after 2 epochs
    assert len(trace) == HP["epochs"]


def test_switch_after_saves_gradient_evaluations():
    kw = dict(seed=0, lam=0.05, r=0.05, n_train=256, **HP)
    full, _ = cgd_fd_vs_egr.train_run("cgd-fd", None, **kw)
    early, _ = cgd_fd_vs_egr.train_run("cgd-fd", 2, **kw)
    steps = full["steps"]
    assert full["grad_evals"] == 2 * steps
    assert early["grad_evals"] == steps + 3            # steps 0, 1, 2 regularized
    egr, _ = cgd_fd_vs_egr.train_run("egr", 2, **kw)
    assert egr["hvp_evals"] == 3


@pytest.mark.slow
def test_cost_measures_every_method(capfd):
    row, trace = cost.measure("mlp", 2, 16, 8, warmup=1, repeats=2)
    for m in cost.METHODS:
        assert row[f"{m}_ms"] > 0 and row[f"{m}_MiB"] > 0
    assert len(trace) == 2 * len(cost.METHODS)
    # the profiler's own 'STAGE:'/'USDT:' lines (written to file descriptor 2) are muted
    err = capfd.readouterr().err
    assert "USDT" not in err and "STAGE" not in err


@pytest.mark.parametrize("method,restore", [("F-GR", "copy"), ("F-GR-lean", "subtract"),
                                            ("B-GR", "copy"), ("SAM-lean", "subtract")])
def test_step_on_batch_builds_the_named_optimizer(method, restore, monkeypatch):
    """The step shared with benchmarks/nn_speed.py: '-lean' means restore="subtract"."""
    import torch
    from cgdopt.nn import GR, SAM

    built = []
    for cls in (GR, SAM):
        monkeypatch.setattr(cls, "step", lambda self, closure, _b=built: _b.append(self) or closure())
    net = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(3 * 32 * 32, 10))
    x, y = torch.randn(4, 3, 32, 32), torch.randint(0, 10, (4,))
    loss = cost.step_on_batch(net, x, y, method)()
    assert torch.isfinite(loss) and len(built) == 1
    opt = built[0]
    assert isinstance(opt, SAM if method.startswith("SAM") else GR) and opt.restore == restore
    if isinstance(opt, GR):
        assert opt.rule == {"F-GR": "forward", "B-GR": "backward"}[method.split("-lean")[0]]


@pytest.mark.parametrize("method", ["F-GR-lean", "SAM"])
def test_step_on_batch_passes_options_on(method, monkeypatch):
    """Options reach GR/SAM (benchmarks/ddp_speed.py passes local_probe=True this way)."""
    import torch
    from cgdopt.nn import GR, SAM

    built = []
    for cls in (GR, SAM):
        monkeypatch.setattr(cls, "step", lambda self, closure, _b=built: _b.append(self) or closure())
    net = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(3 * 32 * 32, 10))
    x, y = torch.randn(4, 3, 32, 32), torch.randint(0, 10, (4,))
    cost.step_on_batch(net, x, y, method, every=3, nonfinite="raise")()
    assert (built[0].every, built[0].nonfinite) == (3, "raise")
    assert built[0].restore == ("subtract" if method.endswith("-lean") else "copy")
    with pytest.raises(ValueError, match="every"):
        cost.step_on_batch(net, x, y, method, every=0)


def test_step_on_batch_refuses_options_for_sgd():
    import torch
    net = torch.nn.Linear(2, 2)
    with pytest.raises(ValueError, match="SGD takes no GR/SAM options"):
        cost.step_on_batch(net, torch.zeros(1, 2), torch.zeros(1, dtype=torch.long), "SGD",
                           local_probe=True)


@pytest.mark.parametrize("method", ["SGD-lean", "SGD+compile", "Adam", "F-GR+lean", ""])
def test_step_on_batch_refuses_unknown_methods(method):
    import torch
    net = torch.nn.Linear(2, 2)
    with pytest.raises(ValueError, match="method must be"):
        cost.step_on_batch(net, torch.zeros(1, 2), torch.zeros(1, dtype=torch.long), method)
