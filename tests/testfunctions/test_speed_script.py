"""Smoke test of benchmarks/testfunctions_speed.py (it runs and checks values; no timing asserted)."""
import importlib.util
import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _load():
    path = os.path.join(ROOT, "benchmarks", "testfunctions_speed.py")
    spec = importlib.util.spec_from_file_location("testfunctions_speed", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.slow
def test_quick_run_prints_every_target(capsys):
    _load().main(["--quick", "--repeats", "1", "--only", "branin,hartmann6,rosenbrock"])
    out = capsys.readouterr().out
    assert "single-point gradient within 3x the value" in out
    if "botorch: not installed" not in out:  # BoTorch is a peer, never a dependency
        assert "batched values >= BoTorch evaluate_true" in out
        assert "batched gradients >= autograd through BoTorch" in out
        assert "hartmann6" in out and "rosenbrock" in out


def test_bad_repeats_exits_2():
    with pytest.raises(SystemExit) as e:
        _load().main(["--repeats", "0"])
    assert e.value.code == 2
