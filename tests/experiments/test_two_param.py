"""two-param: backward error analysis (Barrett & Dherin, Thm 3.1) on real GD iterates."""
import numpy as np
import pytest

from cgdopt.experiments import two_param as tp


def test_gd_at_moderate_rate_is_closer_to_modified_flow():
    row, trace = tp.trajectory("I", 2.5e-2, "moderate", max_steps=20000, gtol=1e-10)
    assert row["status"] == "converged"
    assert row["dist_modified_max"] < 0.5 * row["dist_exact_max"]
    assert abs(row["a"] * row["b"] - 0.6) < 1e-8          # ends on the hyperbola ab = y/x
    assert trace[0]["a"] == 2.8 and trace[0]["a_exact"] == 2.8


def test_larger_learning_rate_ends_flatter():
    r = [tp.trajectory("I", h, "sweep", 200000, 1e-10, flows=False)[0]["r_ig_over_E"] for h in (0.005, 0.02)]
    assert r[1] < r[0]


def test_egr_reaches_flatter_minimum_than_gd():
    gd = tp.trajectory("I", 2.5e-2, "moderate", 20000, 1e-10, flows=False)[0]
    egr, _ = tp.egr("I", mu=0.5, step=1e-3, max_steps=200000, gtol=1e-10)
    assert egr["status"] == "converged"
    assert egr["r_ig_over_E"] < gd["r_ig_over_E"]
    assert egr["hvp_evals"] > 0                              # CGD used Hessian-vector products


def test_flows_solve_the_right_equations():
    f = tp._model()
    t = np.array([0.0, 1e-6])
    ex, mo = tp.integrate_flows(f, [2.8, 3.5], 0.1, t)
    g = f.grad(np.array([2.8, 3.5]))
    assert np.allclose((ex[1] - ex[0]) / 1e-6, -g, rtol=1e-3)
    mod = -(g + 0.05 * f.hessp(np.array([2.8, 3.5]), g))
    assert np.allclose((mo[1] - mo[0]) / 1e-6, mod, rtol=1e-3)
