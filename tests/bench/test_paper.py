"""Tests for the ``paper`` study (cgdopt.bench.studies.paper) and the README example."""
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cgdopt.bench.engine import run_tasks
from cgdopt.bench.errors import BenchInputError
from cgdopt.bench.store import Store
from cgdopt.bench.studies import _paper_report, paper

ROOT = Path(__file__).resolve().parents[2]


def test_improvement_and_its_gap_relative_twin():
    assert paper.improvement(4.0, 1.0) == pytest.approx(75.0)
    assert paper.improvement(4.0, 1.0, f_opt=-2.0) == pytest.approx(50.0)
    assert np.isnan(paper.improvement(0.0, 0.0))


@pytest.mark.parametrize("f0, f_opt, expected", [
    (5.0, 0.0, False),      # f* = 0: both ratios agree
    (-1.0, -3.0, True),     # f(x0) <= 0: the ratio changes sign
    (0.0, -1.0, True),
    (0.5, -13.2, True),     # the quadratic from the origin: 713 % in the old table
    (1.0, 0.398, True),     # Branin near f*: |f*| > 0.1 (f0 - f*)
    (50.0, 0.398, False),
])
def test_ill_defined_cases(f0, f_opt, expected):
    assert paper.ill_defined(f0, f_opt) is expected


@pytest.mark.parametrize("wins, expected", [
    ([True] * 9 + [False], "holds"),
    ([True] * 20, "holds"),
    ([True] * 8 + [False] * 2, "depends on the start"),
    ([True] * 5 + [False] * 5, "depends on the start"),
    ([True] * 4 + [False] * 6, "does not hold"),
    ([False] * 10, "does not hold"),
])
def test_verdict_rule(wins, expected):
    assert paper.verdict(wins) == expected


def test_start_i_does_not_depend_on_the_number_of_starts():
    few = {t.key: t.kwargs for t in paper.tasks(paper.check(dict(starts=2, compare=False)))}
    many = {t.key: t.kwargs for t in paper.tasks(paper.check(dict(starts=5, compare=False)))}
    assert set(few) < set(many)
    assert all(many[k] == v for k, v in few.items())
    fn = paper.make_function("levy", 2, 0)
    np.testing.assert_array_equal(paper.start_point(fn, 0, 1), fn.sample_x0(7, seed=0)[1])
    lo, hi = fn.bounds.T
    x = paper.start_point(fn, 3, 4)
    assert np.all((lo <= x) & (x <= hi))


def test_quadratic_matrix_follows_the_study_seed():
    a0 = paper.make_function("quadratic", 10, 0).A
    a1 = paper.make_function("quadratic", 10, 1).A
    assert not np.allclose(a0, a1)
    np.testing.assert_array_equal(a0, paper.make_function("quadratic", 10, 0).A)


def test_config_leaves_out_starts():
    a = paper.config(paper.check(dict(starts=2)))
    b = paper.config(paper.check(dict(starts=50)))
    assert a == b and "starts" not in a


@pytest.mark.parametrize("opts, flag", [(dict(starts=0), "--starts"), (dict(starts=2.5), "--starts"),
                                        (dict(r=-1e-3), "--r"), (dict(r=float("nan")), "--r"),
                                        (dict(seed=-1), "--seed")])
def test_bad_options_are_refused_before_work(opts, flag):
    with pytest.raises(BenchInputError, match=re.escape(flag)):
        paper.check(opts)


def test_protocol_run_budget_fixed_step_and_algorithm_2():
    row, trace = paper.protocol_run("rotated_hyper_ellipsoid", 5, "cgd-fd", 0.5, 0.01, 1e-3,
                                    seed=0, start=0)
    assert row["ngev"] <= paper.BUDGET and row["status"] == 2
    kinds = [t["kind"] for t in trace][1:]
    assert kinds[paper.SWITCH_AFTER + 1:] == ["gd"] * (len(kinds) - paper.SWITCH_AFTER - 1)
    assert row["f1"] == pytest.approx(trace[1]["gap"] + row["f_opt"])
    gd, gtrace = paper.protocol_run("rotated_hyper_ellipsoid", 5, "gd", 0.5, 0.01, 1e-3,
                                    seed=0, start=0)
    assert gd["nit"] == paper.BUDGET and gd["f0"] == row["f0"]  # fixed step: one gradient per step


def test_levy_readings_of_linear():
    lam = paper.TABLE1["levy"][1]
    t, b = paper.lam_value(lam, "T"), paper.lam_value(lam, "b")
    assert t(0) == b(0) == pytest.approx(0.01)
    assert b(paper.SWITCH_AFTER) == pytest.approx(0.1) and t(paper.SWITCH_AFTER) < 0.05
    assert t(paper.BUDGET - 1) == pytest.approx(0.1)


def _fake_runs(wins_per_function):
    rows = []
    for name, wins in wins_per_function.items():
        for i, w in enumerate(wins):
            for m in ("gd", "cgd-fd"):
                f1 = 1.0 if (m == "cgd-fd") == w else 2.0
                rows.append(dict(key=f"{name}/{m}/{i}", part="protocol", function=name, n=2,
                                 method=m, reading="T", start=i, f0=4.0, f1=f1, f_opt=0.0,
                                 gap=f1, improvement=paper.improvement(4.0, f1),
                                 improvement_gap=paper.improvement(4.0, f1, 0.0),
                                 ill_defined=False))
    return pd.DataFrame(rows)


def test_table2_reports_distribution_and_verdicts():
    runs = _fake_runs({"matyas": [True] * 10, "levy": [True] * 3 + [False] * 7,
                       "branin": [True] * 7 + [False] * 3})
    t = _paper_report.table2(runs).set_index("function")
    assert t.loc["matyas", "verdict"] == "holds"
    assert t.loc["levy", "verdict"] == "does not hold"
    assert t.loc["branin", "verdict"] == "depends on the start"
    assert t.loc["levy", "CGD-FD 1st step better"] == "3/10"
    assert t.loc["matyas", "CGD-FD improv. % median [IQR]"] == "75 [75, 75]"


def test_small_study_end_to_end(tmp_path):
    opts = paper.check(dict(starts=2, seed=0, compare=False))
    store = Store(tmp_path, "paper", paper.config(opts))
    tasks = paper.tasks(opts)
    assert run_tasks(tasks, store, workers=1, quiet=True) == len(tasks) == 6 * 2 * 2 + 2
    body = paper.report(store, opts, tmp_path)
    for name in paper.TABLE1:
        assert f"| {name} |" in body
    assert re.search(r"\| (holds|depends on the start|does not hold) \|", body)
    assert (tmp_path / "figures" / "paper_figure3.png").stat().st_size > 20_000
    # resume: nothing left to run; one more start runs only the new start's tasks
    assert run_tasks(tasks, store, workers=1, quiet=True) == 0
    more = paper.tasks(paper.check(dict(starts=3, seed=0, compare=False)))
    assert run_tasks(more, store, workers=1, quiet=True) == 6 * 2 + 1
    store.close()


def test_failed_runs_are_reported_not_hidden(tmp_path):
    opts = paper.check(dict(starts=1, seed=0, compare=False))
    store = Store(tmp_path, "paper", paper.config(opts))
    run_tasks(paper.tasks(opts)[:4], store, workers=1, quiet=True)
    store.add("protocol/broken", {"status": "error", "error": "RuntimeError: boom"})
    body = paper.report(store, opts, tmp_path)
    assert "**1 runs failed**" in body
    store.close()


def test_readme_ten_line_example_runs():
    text = (ROOT / "README.md").read_text()
    code = re.search(r"## Ten lines\n\n```python\n(.*?)```", text, re.S).group(1)
    assert len(code.strip().splitlines()) <= 10
    exec(compile(code, "README.md", "exec"), {})


def test_compare_part_uses_the_shared_compare_tasks_and_stays_apart():
    opts = paper.check(dict(starts=2))
    tasks = paper.tasks(opts)
    keys = [t.key for t in tasks]
    assert len(keys) == len(set(keys))
    comp = [t for t in tasks if "|" in t.key]
    # 4 cgdopt methods x 2 line searches + 3 scipy methods, 6 functions, 2 starts
    assert len(comp) == (4 * 2 + 3) * 6 * 2
    from cgdopt.bench.studies import compare
    assert all(t.fn is compare.run_one and t.kwargs["budget"] == paper.BUDGET for t in comp)
    assert {(t.kwargs["function"], t.kwargs["n"]) for t in comp} == \
        {(k, v[0]) for k, v in paper.TABLE1.items()}
    assert not any("|" in t.key for t in paper.tasks(paper.check(dict(starts=2, compare=False))))


def test_first_step_is_algorithm_2_written_out():
    """x1 = x0 - alpha [(1 - nu) g + nu grad f(x0 + r g)], nu = 2 lam / r (Eq. 10), on the quadratic."""
    n, lam, step = paper.TABLE1["quadratic"]
    r = 1e-3
    fn = paper.make_function("quadratic", n, 0)
    x0 = paper.start_point(fn, 0, 2)
    g = fn.grad(x0)
    nu = 2 * lam / r
    x1 = x0 - step * ((1 - nu) * g + nu * fn.grad(x0 + r * g))
    row, _ = paper.protocol_run("quadratic", n, "cgd-fd", lam, step, r, seed=0, start=2)
    assert row["f1"] == pytest.approx(fn(x1), rel=1e-10)
    gd, _ = paper.protocol_run("quadratic", n, "gd", lam, step, r, seed=0, start=2)
    assert gd["f1"] == pytest.approx(fn(x0 - step * g), rel=1e-12)


def test_ties_are_counted_and_are_not_wins():
    runs = _fake_runs({"griewank": [True] * 5 + [False] * 5})
    runs.loc[runs["start"] >= 5, "f1"] = 2.0  # CGD-FD's first step = GD's (the safeguard fell back)
    t = _paper_report.table2(runs).set_index("function")
    assert t.loc["griewank", "same as GD's"] == "5/10"
    assert t.loc["griewank", "CGD-FD 1st step better"] == "5/10"
    assert t.loc["griewank", "verdict"] == "depends on the start"
