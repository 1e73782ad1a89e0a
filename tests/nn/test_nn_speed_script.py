"""benchmarks/nn_speed.py: the "-nocheck" lean methods are the lean steps with
nonfinite="ignore", and a tiny run reports them (no timing asserted)."""
import pytest

torch = pytest.importorskip("torch")


@pytest.fixture(scope="module")
def nn_speed(benchmark_script):
    return benchmark_script("nn_speed")


@pytest.mark.parametrize("method,cls,nonfinite", [
    ("F-GR-lean", "GR", "skip"), ("F-GR-lean-nocheck", "GR", "ignore"),
    ("SAM-lean", "SAM", "skip"), ("SAM-lean-nocheck", "SAM", "ignore")])
def test_nocheck_methods_differ_only_in_the_check(nn_speed, monkeypatch, method, cls, nonfinite):
    from cgdopt import nn
    built = []
    monkeypatch.setattr(getattr(nn, cls), "step",
                        lambda self, closure: built.append(self) or closure())
    step, nbytes = nn_speed.setup(lambda: torch.nn.Sequential(torch.nn.Flatten(),
                                                               torch.nn.Linear(3 * 32 * 32, 10)),
                                  2, method, "cpu")
    step()
    opt, = built
    assert type(opt).__name__ == cls and opt.restore == "subtract" and opt.nonfinite == nonfinite
    assert nbytes == 4 * (3 * 32 * 32 * 10 + 10)


def test_tiny_run_reports_the_nocheck_ratio(run_benchmark):
    res = run_benchmark("nn_speed", "--device", "cpu", "--threads", "1", "--models", "MLP-2",
                        "--methods", "F-GR-lean,F-GR-lean-nocheck", "--warmup", "0",
                        "--repeats", "2", "--no-cpu-memory", timeout=300)
    assert res.returncode == 0, res.stderr
    assert "| MLP-2 | 256 | F-GR-lean-nocheck |" in res.stdout
    assert "F-GR-lean-nocheck/SGD" in res.stdout


def test_an_unknown_method_exits_2(nn_speed, capsys):
    with pytest.raises(SystemExit) as exc:
        nn_speed.main(["--device", "cpu", "--methods", "F-GR-nocheck"])
    assert exc.value.code == 2
    assert "--methods: unknown F-GR-nocheck" in capsys.readouterr().err.strip().splitlines()[-1]
