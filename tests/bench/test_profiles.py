"""cgdopt.bench.profiles on a hand-made table whose profiles are known."""
import numpy as np
import pandas as pd
import pytest

from cgdopt.bench.profiles import (data_profile, fraction_solved, median_cost,
                                   performance_profile, solve_costs)


def _table():
    # problems p1, p2, p3 (start 0, 1, 2 of function "f"); solvers A and B; f(x0) = 10 everywhere
    runs = pd.DataFrame({
        "key": ["1A", "1B", "2A", "2B", "3A", "3B"],
        "function": "f", "n": 2, "start": [1, 1, 2, 2, 3, 3],
        "solver": ["A", "B"] * 3, "f0": 10.0})
    tr = {  # key -> [(ngev, f)]
        "1A": [(0, 10), (2, 5), (5, 0)],      # reaches f_L = 0 at 5
        "1B": [(0, 10), (10, 0)],             # at 10
        "2A": [(0, 10), (3, 5)],              # never below 5
        "2B": [(0, 10), (4, 1), (8, 0)],      # f = 1 <= 0 + 0.1 * 10 at 4; f = 0 at 8
        "3A": [(0, 10), (3, 10)],             # nobody decreases f: p3 is left out
        "3B": [(0, 10)],
    }
    traces = pd.DataFrame([dict(key=k, i=i, ngev=g, f=float(f)) for k, v in tr.items()
                           for i, (g, f) in enumerate(v)])
    return runs, traces


def test_costs_at_two_tolerances():
    runs, traces = _table()
    t, dropped = solve_costs(runs, traces, 0.1)
    assert dropped == 1
    assert t.loc[("f", 2, 1), "A"] == 5 and t.loc[("f", 2, 1), "B"] == 10
    assert np.isinf(t.loc[("f", 2, 2), "A"]) and t.loc[("f", 2, 2), "B"] == 4
    t2, _ = solve_costs(runs, traces, 1e-3)
    assert t2.loc[("f", 2, 2), "B"] == 8
    # A at tau=0.6 reaches 10 - ... threshold 6 on p2 at ngev 3
    t3, _ = solve_costs(runs, traces, 0.6)
    assert t3.loc[("f", 2, 2), "A"] == 3


def test_performance_profile_values():
    runs, traces = _table()
    t, _ = solve_costs(runs, traces, 0.1)
    rho = performance_profile(t, alphas=[1.0, 1.9, 2.0, 100.0])
    # p1: ratios A 1, B 2; p2: A unsolved, B 1
    assert rho["A"].tolist() == [0.5, 0.5, 0.5, 0.5]
    assert rho["B"].tolist() == [0.5, 0.5, 1.0, 1.0]


def test_data_profile_and_tables():
    runs, traces = _table()
    t, _ = solve_costs(runs, traces, 0.1)
    d = data_profile(t, [0, 4, 5, 9, 10])
    assert d["A"].tolist() == [0, 0, 0.5, 0.5, 0.5]
    assert d["B"].tolist() == [0, 0.5, 0.5, 0.5, 1.0]
    assert fraction_solved(t).to_dict() == {"A": 0.5, "B": 1.0}
    med = median_cost(t)
    assert np.isinf(med["A"]) and med["B"] == 7.0


def test_unsolved_by_everyone_counts_for_no_one():
    t = pd.DataFrame({"A": [np.inf, 2.0], "B": [np.inf, 4.0]})
    rho = performance_profile(t, alphas=[1.0, 2.0, 1e9])
    assert rho["A"].tolist() == [0.5, 0.5, 0.5]
    assert rho["B"].tolist() == [0.0, 0.5, 0.5]


def test_profiles_are_monotone_on_random_tables():
    rng = np.random.default_rng(0)
    t = pd.DataFrame(rng.integers(1, 50, size=(30, 4)).astype(float), columns=list("abcd"))
    t[t > 40] = np.inf
    rho = performance_profile(t)
    assert (rho.diff().dropna() >= 0).all().all()
    assert rho.iloc[-1].tolist() == pytest.approx(fraction_solved(t).tolist())
    # at alpha = 1 the fractions of "best" add up to at least the solved problems (ties count twice)
    assert rho.iloc[0].sum() >= np.isfinite(t).any(axis=1).mean()
