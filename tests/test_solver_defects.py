"""Regression tests for the run-time defects of issue 8 (numbers refer to the issue's list).

Each test failed on the solver before the fix (checked against the 0.1.0 code).
"""
import warnings

import numpy as np
import pytest
import scipy.optimize
from scipy.optimize import rosen, rosen_der

import cgdopt
import cgdopt.testfunctions as tf
from cgdopt._solver import LINESEARCH, NONFINITE, SINGULAR

TARGET = np.arange(5.0)


# ----------------------------------------------------------- 1: in-place modification of x
def f_inplace(x):
    x -= TARGET
    x *= x
    return x.sum()


def jac_inplace(x):
    x -= TARGET
    x *= 2.0
    return x


def hessp_inplace(x, v):
    x *= 0.0
    v *= 2.0
    return v


@pytest.mark.parametrize("method", ["gd", "cgd", "cgd-fd", "newton"])
def test_1_functions_that_modify_x_in_place_do_not_corrupt_the_run(method):
    res = cgdopt.minimize(f_inplace, np.zeros(5), method=method, jac=jac_inplace,
                          hessp=hessp_inplace if method in ("cgd", "newton") else None,
                          options=dict(line_search="armijo", maxiter=500, gtol=1e-8))
    assert res.success, res.message
    np.testing.assert_allclose(res.x, TARGET, atol=1e-7)


def test_1_large_problems_too():  # copies of x are recycled from 4096 variables on
    n = 5000
    t = np.linspace(0, 1, n)

    def f(x):
        x -= t
        return float(x @ x)

    def g(x):
        x -= t
        x *= 2
        return x

    res = cgdopt.minimize(f, np.zeros(n), method="cgd-fd", jac=g,
                          options=dict(line_search="fixed", step=0.1, lam=0.01, maxiter=300, gtol=1e-12,
                                       switch_after=None))
    np.testing.assert_allclose(res.x, t, atol=1e-8)


# ------------------------------------------------- 2: jac returning one reused buffer
def test_2_a_jac_that_reuses_its_output_buffer_gives_the_same_run():
    rng = np.random.default_rng(1)
    M = rng.standard_normal((6, 6))
    A, b = M @ M.T + 6 * np.eye(6), rng.standard_normal(6)
    buf = np.empty(6)
    fun = lambda x: 0.5 * x @ A @ x - b @ x  # noqa: E731
    opts = dict(line_search="fixed", step=0.02, lam=0.05, maxiter=40, switch_after=None)
    fresh = cgdopt.minimize(fun, np.zeros(6), method="cgd-fd", jac=lambda x: A @ x - b,
                            options=opts)
    reused = cgdopt.minimize(fun, np.zeros(6), method="cgd-fd",
                             jac=lambda x: np.subtract(A @ x, b, out=buf), options=opts)
    np.testing.assert_array_equal(reused.x, fresh.x)
    assert (reused.nfev, reused.njev) == (fresh.nfev, fresh.njev)
    assert reused.jac is not buf


# ------------------------------------------------------------ 3: wolfe on a long direction
def test_3_wolfe_takes_steps_from_a_far_start_like_scipy_cg():
    x0 = np.full(5, 5.0)
    res = cgdopt.minimize(rosen, x0, method="gd", jac=rosen_der,
                          options=dict(line_search="wolfe", maxiter=200))
    assert res.status != LINESEARCH and res.nit == 200
    assert res.fun < 1e-3 * rosen(x0)
    assert np.all(np.diff(res.history["f"]) <= 0)
    assert scipy.optimize.minimize(rosen, x0, method="CG", jac=rosen_der).success  # the peer


# ------------------------------------------ 5: a non-finite probe point is never evaluated
def _finite_only(x):
    assert np.all(np.isfinite(x)), "user code received a non-finite point"
    return x.copy()


def test_5_nonfinite_probe_point_ends_the_run_without_calling_user_code():
    def jac(x):  # of f = |x|
        assert np.all(np.isfinite(x)), "user code received a non-finite point"
        return np.sign(x)

    res = cgdopt.minimize(lambda x: float(np.abs(x).sum()), np.array([1e308]), method="cgd-fd",
                          jac=jac, options=dict(r=1e308, lam=0.1, line_search="fixed", step=0.1))
    assert res.status == NONFINITE and not res.success
    assert "probe point" in res.message
    assert res.x[0] == 1e308 and res.nit == 0


def test_5_armijo_never_evaluates_a_nonfinite_trial_point():
    def f(x):
        assert np.all(np.isfinite(x)), "user code received a non-finite point"
        return 10.0 * float(np.abs(x).sum())

    res = cgdopt.minimize(f, np.array([1e307]), method="gd", jac=lambda x: 10.0 * np.sign(x),
                          options=dict(line_search="armijo", step=1e308, maxiter=3))
    assert res.nit == 3 and np.isfinite(res.fun) and res.fun < f(np.array([1e307]))


def test_5_library_test_function_far_out_ends_with_status_3():
    from cgdopt import testfunctions as tf

    rb = tf.get("rosenbrock")
    res = cgdopt.minimize(rb, np.array([1e100, 1e100]), method="cgd-fd", jac=rb.grad,
                          options=dict(line_search="fixed", step=1e-3, r=1e-3))
    assert res.status == NONFINITE and np.all(np.isfinite(res.x))


# --------------------------------- 8: NaN Hessian-vector product / probe gradient
def test_8_nan_hessian_vector_product_is_nonfinite_not_a_fallback():
    res = cgdopt.minimize(lambda x: float(x @ x), np.ones(3), method="cgd", jac=lambda x: 2 * x,
                          hessp=lambda x, v: np.full(3, np.nan),
                          options=dict(line_search="fixed", step=0.1, safeguard="fallback"))
    assert res.status == NONFINITE and not res.success
    assert "Hessian-vector product" in res.message
    assert res.n_fallbacks == 0 and res.nit == 0


def test_8_nan_probe_gradient_is_nonfinite_not_a_fallback():
    def jac(x):  # finite at the iterates, NaN at the probe point x + r g
        return np.full(1, np.nan) if x[0] > 1.0 else 2 * x

    res = cgdopt.minimize(lambda x: float(x @ x), np.ones(1), method="cgd-fd", jac=jac,
                          options=dict(line_search="fixed", step=0.1, r=-1e-3, lam=0.1,
                                       safeguard="fallback"))
    assert res.status == 0 or res.nit >= 0  # r < 0 probes inside: a finite run
    res = cgdopt.minimize(lambda x: float(x @ x), np.ones(1), method="cgd-fd", jac=jac,
                          options=dict(line_search="fixed", step=0.1, r=1e-3, lam=0.1,
                                       safeguard="fallback"))
    assert res.status == NONFINITE and "probe gradient" in res.message
    assert res.n_fallbacks == 0 and res.nit == 0 and res.x[0] == 1.0


def test_8_nan_hessian_for_newton_is_nonfinite():
    res = cgdopt.minimize(lambda x: float(x @ x), np.ones(2), method="newton",
                          jac=lambda x: 2 * x, hess=lambda x: np.full((2, 2), np.nan))
    assert res.status == NONFINITE and "Hessian" in res.message and res.n_fallbacks == 0


# ---------------------------------------------------------------------- 9: norm=-inf
def test_9_norm_minus_inf_is_refused():
    with pytest.raises(ValueError, match="norm=-inf"):
        cgdopt.minimize(rosen, np.zeros(3), method="gd", jac=rosen_der,
                        options=dict(norm=-np.inf))


@pytest.mark.parametrize("norm", [1, 2, 3.5, np.inf])
@pytest.mark.parametrize("gtol", [0.0, 1e-3, 0.5, 10.0])
def test_9_cheap_gtol_test_agrees_with_the_exact_norm(norm, gtol):
    rng = np.random.default_rng(3)
    A = np.diag(rng.uniform(1, 3, 7))
    res = cgdopt.minimize(lambda x: 0.5 * x @ A @ x, rng.standard_normal(7) * 5, method="gd",
                          jac=lambda x: A @ x,
                          options=dict(line_search="fixed", step=0.1, gtol=gtol, norm=norm,
                                       maxiter=300))
    if res.success:
        assert np.linalg.norm(res.jac, norm) <= gtol
        prev = res.history["grad_norm"][-2]  # Euclidean norm one iterate earlier
        assert np.isnan(prev) or res.nit == 0 or prev > 0
    else:
        assert np.linalg.norm(res.jac, norm) > gtol


# ----------------------------------------------------------- 13: run-time scipy conventions
def test_13_nan_objective_at_x0_is_a_failed_result_not_an_exception():
    res = cgdopt.minimize(lambda x: np.nan, np.zeros(2), method="gd", jac=lambda x: x)
    assert not res.success and res.status == NONFINITE and res.nit == 0


def test_13_constant_function_is_not_reported_as_converged():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # autograd's own warning is not what the user gets
        with pytest.raises(ValueError, match="does not depend on x"):
            cgdopt.minimize(lambda x: 3.0, np.zeros(2), method="gd")


def test_history_grad_norm_is_euclidean():
    res = cgdopt.minimize(lambda x: float(x @ x), np.array([3.0, -4.0]), method="gd",
                          jac=lambda x: 2 * x, options=dict(line_search="fixed", step=0.1,
                                                            maxiter=1))
    assert res.history["grad_norm"][0] == pytest.approx(10.0)


# ---------------------------------------------------------- 7: Newton on singular Hessians
def quartic(x):
    return float(np.sum(x ** 4))


def quartic_jac(x):
    return 4 * x ** 3


def quartic_hess(x):  # singular wherever a coordinate is 0
    return np.diag(12 * x ** 2)


def test_7_newton_with_a_singular_hessian_takes_bounded_regularized_steps():
    x0 = np.array([0.0, 1.0])
    res = cgdopt.minimize(quartic, x0, method="newton", jac=quartic_jac, hess=quartic_hess,
                          options=dict(line_search="fixed", step=1.0, maxiter=100))
    assert res.success, res.message
    assert res.n_fallbacks >= 1 and "fallback" in set(res.history["kind"])
    assert np.all(np.diff(res.history["f"]) < 0)


def test_7_regularized_newton_step_is_a_descent_direction_of_length_at_most_one():
    seen = []
    res = cgdopt.minimize(quartic, np.array([0.0, 3.0]), method="newton", jac=quartic_jac,
                          hess=quartic_hess, callback=lambda xk: seen.append(xk),
                          options=dict(line_search="fixed", step=1.0, maxiter=3, gtol=0))
    steps = np.diff(np.vstack([[0.0, 3.0]] + seen), axis=0)
    assert res.n_fallbacks == 3
    assert np.all(np.linalg.norm(steps, axis=1) <= 1.0 + 1e-12)


def test_7_newton_without_safeguard_reports_the_singular_system():
    res = cgdopt.minimize(quartic, np.array([0.0, 1.0]), method="newton", jac=quartic_jac,
                          hess=lambda x: np.zeros((2, 2)),
                          options=dict(line_search="fixed", safeguard="none"))
    assert res.status == SINGULAR and not res.success and "singular" in res.message


def test_7_newton_cg_on_negative_curvature_steps_at_most_unit_length():
    f = lambda x: float(np.cos(x[0]) + x[1] ** 2)  # noqa: E731
    jac = lambda x: np.array([-np.sin(x[0]), 2 * x[1]])  # noqa: E731
    hessp = lambda x, v: np.array([-np.cos(x[0]) * v[0], 2 * v[1]])  # noqa: E731
    res = cgdopt.minimize(f, np.array([0.1, 0.0]), method="newton", jac=jac, hessp=hessp,
                          options=dict(line_search="fixed", step=1.0, maxiter=1, gtol=0))
    assert res.n_fallbacks == 1 and res.history["kind"][1] == "fallback"
    assert 0 < abs(res.x[0] - 0.1) <= 1.0 and res.fun < f(np.array([0.1, 0.0]))


# ------------------------------------------------- 10: Lemma 1, artificial stationary points
def _forrester_run(method, monkeypatch=None):
    from cgdopt import testfunctions as tf

    fo = tf.get("forrester")  # f'' = -1/(2 lam) = -50 at x = 0.3134, where f' = 0.51
    return cgdopt.minimize(fo, np.array([0.32]), method=method, jac=fo.grad,
                           hessp=fo.hessp if method == "cgd" else None,
                           options=dict(lam=0.01, safeguard="fallback", step=1e-3,
                                        line_search="fixed", maxiter=5000, switch_after=None))


@pytest.mark.parametrize("method", ["cgd", "cgd-fd"])
def test_10_fallback_leaves_the_artificial_stationary_point_of_g(method):
    res = _forrester_run(method)
    assert res.success, res.message
    assert abs(res.x[0] - 0.3134) > 0.1  # it left (to the global minimum at 0.1426)
    assert res.n_fallbacks >= 1 and res.lam_scale < 1.0


@pytest.mark.parametrize("method", ["cgd", "cgd-fd"])
def test_10_without_the_lemma1_check_the_run_stalls_there(method, monkeypatch):
    import cgdopt._solver

    monkeypatch.setattr(cgdopt._solver, "LEMMA1_RATIO", 0.0)
    res = _forrester_run(method)
    assert res.status == 5 and abs(res.x[0] - 0.3134) < 1e-3 and abs(res.jac[0]) > 0.5


def test_10_with_switch_the_lemma1_check_stops_regularizing():
    from cgdopt import testfunctions as tf

    fo = tf.get("forrester")
    res = cgdopt.minimize(fo, np.array([0.32]), method="cgd-fd", jac=fo.grad,
                          options=dict(lam=0.01, safeguard="switch", step=1e-3,
                                       line_search="fixed", maxiter=5000, switch_after=None))
    assert res.success and res.switch_reason == "safeguard" and res.lam_scale == 1.0
    k = res.switch_iteration
    assert set(res.history["kind"][k + 2:]) == {"gd"}


# ------------- 6 (Jennrich-Sampson): an overflowing probe gradient under a safeguard
def _overflowing_probe_jac(x):  # finite at the iterates, +inf (no NaN) at the probe x + r g
    return np.full(1, np.inf) if x[0] > 1.0 else 2 * x


@pytest.mark.parametrize("safeguard, reason", [("fallback", None), ("switch", "overflow")])
def test_6_overflowing_probe_gradient_is_rejected_by_the_safeguard(safeguard, reason):
    res = cgdopt.minimize(lambda x: float(x @ x), np.ones(1), method="cgd-fd",
                          jac=_overflowing_probe_jac,
                          options=dict(line_search="fixed", step=0.1, r=1e-3, lam=0.1,
                                       safeguard=safeguard, maxiter=1))
    assert res.status == 1 and np.isfinite(res.fun)
    assert res.history["kind"][1] == "fallback"  # stepped along -grad f at iteration 0
    assert res.x[0] == 0.8  # x - 0.1 * 2x
    assert res.n_overflows == 1 and res.n_fallbacks == 1
    assert "overflowed" in res.message
    assert res.switch_reason == reason


def test_6_overflowing_probe_gradient_without_safeguard_ends_the_run():
    res = cgdopt.minimize(lambda x: float(x @ x), np.ones(1), method="cgd-fd",
                          jac=_overflowing_probe_jac,
                          options=dict(line_search="fixed", step=0.1, r=1e-3, lam=0.1,
                                       safeguard="none"))
    assert res.status == NONFINITE and "probe gradient" in res.message
    assert res.nit == 0 and res.n_overflows == 0


def test_6_jennrich_sampson_default_run_reaches_its_minimum():
    f = tf.get("jennrich_sampson")
    with np.errstate(all="ignore"):
        res = cgdopt.minimize(f, f.x0, jac=f.grad)
    assert res.status != NONFINITE and res.n_overflows == 1
    assert res.fun == pytest.approx(f.f_opt, rel=f.f_opt_rtol)  # published to 6 digits


# ---------------------- 6 (Forrester, Hoelder table): Armijo's first trial step
def test_armijo_first_trial_moves_about_unit_length_on_the_first_iteration():
    f = tf.get("forrester")  # |f'(x0)| = 7.5: step 1.0 would move 7.5 out of [0, 1]
    new = cgdopt.minimize(f, f.x0, method="gd", jac=f.grad, options=dict(maxiter=1))
    assert new.nit == 1 and abs(new.x[0] - f.x0[0]) <= 1.01 + 1e-12
    old = cgdopt.minimize(f, f.x0, method="gd", jac=f.grad,
                          options=dict(maxiter=1, init_step="step"))
    assert abs(old.x[0] - f.x0[0]) > 1.01  # the pre-0.2 rule jumps out of the domain


@pytest.mark.parametrize("name", ["forrester", "holder_table"])
def test_6_unbounded_below_outside_domain_default_run_stays_finite(name):
    f = tf.get(name)
    with np.errstate(all="ignore"):
        res = cgdopt.minimize(f, f.x0, jac=f.grad)
    assert res.status in (0, 1, 4, 5), res.message
    assert np.isfinite(res.fun) and res.fun <= f(f.x0)
    assert np.linalg.norm(f.grad(res.x)) <= 1e-3 or res.status != 0


def test_init_step_is_validated():
    with pytest.raises(ValueError, match="init_step"):
        cgdopt.minimize(lambda x: float(x @ x), np.ones(2), jac=lambda x: 2 * x,
                        options=dict(init_step="previous"))


def test_1_probe_points_reach_jac_uncopied_but_a_jac_that_mutates_them_changes_nothing():
    """CGD-FD's probe point x + r g is a temporary the solver never reads again, so it is
    handed to ``jac`` without a copy; a ``jac`` that mutates its argument gives the same run."""
    seen = []

    def clean(x):
        return 2.0 * (x - TARGET)

    def mutating(x):
        seen.append(x)
        x -= TARGET
        x *= 2.0
        return x

    opts = dict(line_search="fixed", step=0.05, lam=0.01, maxiter=50, gtol=0.0,
                switch_after=None)
    a = cgdopt.minimize(lambda x: float((x - TARGET) @ (x - TARGET)), np.zeros(5),
                        method="cgd-fd", jac=clean, options=opts)
    b = cgdopt.minimize(lambda x: float((x - TARGET) @ (x - TARGET)), np.zeros(5),
                        method="cgd-fd", jac=mutating, options=opts)
    np.testing.assert_array_equal(a.x, b.x)
    assert a.njev == b.njev == len(seen)
