"""dln: the robust part of Karakida et al.'s Fig. 5 on a tiny network, and the task's bookkeeping."""
import math

import numpy as np
import pytest

pytest.importorskip("torch")
from cgdopt.experiments import dln  # noqa: E402

TINY = dict(gamma=0.02, d=20, n=10, lr=2e-3, steps=300, tol=1e-8)


@pytest.mark.parametrize("seed", [0, 1])
def test_fgr_at_largest_stable_eps_has_smaller_alpha_than_gd(seed):
    gd, _ = dln.train("gd", 0.0, 0.0, seed, **{k: v for k, v in TINY.items() if k != "gamma"})
    rows = [dln.train("fgr", e, seed=seed, **TINY)[0] for e in (0.01, 0.02, 0.04, 0.08)]
    stable = [r for r in rows if r["status"] != "diverged"]
    assert stable, "every F-GR run diverged"
    assert stable[-1]["alpha_max"] < gd["alpha_max"]
    # GD conserves w+ * w- up to O(lr^2) per step: alpha stays near alpha_0 (Eq. S.2)
    assert gd["alpha_max"] == pytest.approx(gd["alpha0_max"], rel=0.1)


def test_bgr_alpha_rises_with_eps():
    a = [dln.train("bgr", e, seed=0, **TINY)[0]["alpha_max"] for e in (0.0025, 0.01)]
    assert a[0] < a[1]


def test_divergence_is_marked_not_hidden():
    row, _ = dln.train("fgr", 5.0, seed=0, **dict(TINY, steps=200))
    assert row["status"] == "diverged"
    assert math.isnan(row["test_loss"]) and math.isnan(row["alpha_max"])


def test_tasks_cover_methods_and_heatmap_without_duplicates():
    o = dict(dln.DEFAULTS, device="cpu", threads=1, seeds=2, heatmap_seeds=1)
    keys = [t.key for t in dln.tasks(o)]
    assert len(keys) == len(set(keys))
    assert {k.split("/")[0] for k in keys} == {"gd", "db", "fgr", "bgr"}
    # the heat-map cell (gamma=0.02, eps=0.01) is the same run as the sweep's: not repeated
    assert sum(k.startswith("fgr/eps=0.01/gamma=0.02/seed=0") for k in keys) == 1


def test_data_follow_the_paper():
    from cgdopt.experiments.common import dln_data
    X, y, Xt, yt, a0, beta = dln_data(0, d=100, n=2000)
    assert np.count_nonzero(beta) == 5 and np.allclose(beta[:5], 1 / np.sqrt(5))
    assert X.mean() == pytest.approx(5, abs=0.05) and X.var() == pytest.approx(5, rel=0.05)
    assert np.std(y - X @ beta) == pytest.approx(0.1, rel=0.1)
