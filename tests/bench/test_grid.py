"""Tests for the ``grid`` study (cgdopt.bench.studies.grid)."""
import re

import numpy as np
import pandas as pd
import pytest

from cgdopt.bench.engine import run_tasks
from cgdopt.bench.errors import BenchInputError
from cgdopt.bench.store import Store
from cgdopt.bench.studies import grid


def test_check_normalizes_and_defaults_to_the_paper_protocol():
    o = grid.check(dict(function="matyas", lam="0, 0.1", step=[0.01, 0.1]))
    assert o["lam"] == [0.0, 0.1] and o["step"] == [0.01, 0.1]
    assert (o["budget"], o["switch_after"], o["method"], o["r"], o["n"]) == (40, 10, "cgd-fd", 1e-3, 2)
    assert grid.check(dict(function="quadratic"))["n"] == 10          # Table 1's n
    assert grid.check(dict(function="rosenbrock", budget=100))["switch_after"] == 25


@pytest.mark.parametrize("opts, match", [
    (dict(function="levvy"), "FUNCTION: unknown function 'levvy'"),
    (dict(function="levvy"), "did you mean 'levy'"),
    (dict(), "FUNCTION: missing"),
    (dict(function="paper"), "exactly one function"),
    (dict(function="levy", lam="0,-1"), "--lam: got '-1'"),
    (dict(function="levy", lam="a"), "--lam"),
    (dict(function="levy", step="0"), "--step: got '0'"),
    (dict(function="levy", method="cgdfd"), "did you mean 'cgd-fd'"),
    (dict(function="levy", budget=0), "--budget"),
    (dict(function="levy", starts=0), "--starts"),
    (dict(function="levy", switch_after=-1), "--switch-after"),
    (dict(function="matyas", n=3), "--n"),
    (dict(function="levy", method="cgd", r=0.1), "--r: got 0.1, but --method cgd uses the exact Hessian"),
])
def test_bad_input_is_refused(opts, match):
    with pytest.raises(BenchInputError, match=re.escape(match)):
        grid.check(opts)


def test_config_leaves_out_what_only_extends_the_grid():
    a = grid.config(grid.check(dict(function="levy", lam="0", step="0.01", starts=1)))
    b = grid.config(grid.check(dict(function="levy", lam="0,1", step="0.01,0.1", starts=5)))
    assert a == b


def test_divergence_is_detected_per_run():
    # matyas: Hessian eigenvalues 0.04 and 1; alpha = 5 gives |1 - alpha mu| = 4 > 1
    row, _ = grid.grid_run("matyas", 2, "cgd-fd", 0.0, 5.0, 40, 10, 1e-3, 0, 0)
    assert row["diverged"] and row["gap"] > row["gap0"]
    row, _ = grid.grid_run("matyas", 2, "cgd-fd", 0.1, 0.5, 40, 10, 1e-3, 0, 0)
    assert not row["diverged"] and row["gap"] < row["gap0"]


def test_cell_medians_mark_diverged_cells():
    opts = dict(lam=[0.0, 1.0], step=[0.1], method="cgd-fd", starts=3)
    rows = [dict(method="cgd-fd", lam=0.0, step=0.1, start=i, gap=g, diverged=False)
            for i, g in enumerate([1.0, 2.0, 3.0])]
    rows += [dict(method="cgd-fd", lam=1.0, step=0.1, start=i, gap=5.0, diverged=d)
             for i, d in enumerate([True, True, False])]
    med, ndiv = grid.cell_medians(pd.DataFrame(rows), opts)
    assert med.loc[0.0, 0.1] == 2.0 and ndiv.loc[0.0, 0.1] == 0
    assert np.isinf(med.loc[1.0, 0.1]) and ndiv.loc[1.0, 0.1] == 2


def test_small_grid_end_to_end(tmp_path):
    opts = grid.check(dict(function="matyas", lam="0,1", step="0.1,5", starts=2))
    store = Store(tmp_path, "grid", grid.config(opts))
    tasks = grid.tasks(opts)
    assert run_tasks(tasks, store, workers=1, quiet=True) == len(tasks) == 2 * 2 * 3
    body = grid.report(store, opts, tmp_path)
    assert "diverged (2/2)" in body           # alpha = 5 diverges on Matyas
    assert "| GD (baseline) |" in body
    assert (tmp_path / "figures" / "grid_matyas.png").stat().st_size > 10_000
    store.close()


def test_python_api_runs_the_grid(tmp_path):
    import cgdopt.bench

    df = cgdopt.bench.run("grid", out=tmp_path, function="matyas", lam=[0, 1], step="0.1",
                          starts=1, workers=1, quiet=True)
    assert len(df) == 3 and set(df["method"]) == {"gd", "cgd-fd"}
