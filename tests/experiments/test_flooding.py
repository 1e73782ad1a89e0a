"""flooding: Karakida et al.'s Theorem 5.1 on real training steps, to float64 precision."""
import math

import pytest

pytest.importorskip("torch")
pytest.importorskip("sklearn")
from cgdopt.experiments import flooding  # noqa: E402


@pytest.mark.slow
@pytest.mark.parametrize("lr", [0.1, 0.3])
def test_theorem_5_1_on_real_steps(lr):
    row, _ = flooding.theorem_run(lr, 0.05, steps=3000, seed=0, hidden=16, depth=2, n_train=100)
    assert row["status"] == "found"
    for rule in ("forward", "backward"):
        assert row[f"{rule}_t"] >= 0, f"no {rule} crossing"
        assert row[f"{rule}_ulps"] <= flooding.ULPS
        assert row[f"{rule}_rel_err"] < 1e-10


def test_fig6b_run_reports_grad_norm():
    row, trace = flooding.train_run(0.1, 0.05, epochs=3, batch=32, seed=0, hidden=16, depth=2, n_train=200)
    assert row["status"] == "done" and math.isfinite(row["grad_norm"]) and row["grad_norm"] > 0
    assert len(trace) == 3
