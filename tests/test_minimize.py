"""First iterates against closed forms, the scipy custom-method path, callbacks, results."""
import autograd.numpy as anp
import numpy as np
import pytest
import scipy.optimize
from scipy.optimize import OptimizeResult

import cgdopt

OPTS = dict(step=0.01, lam=0.4, r=1e-3, maxiter=1, safeguard="none", line_search="fixed")


def one_step(quad, method, **kw):
    opts = dict(OPTS, **kw)
    if method == "gd":
        for k in ("lam", "r", "safeguard"):
            opts.pop(k)
    if method == "cgd":
        opts.pop("r")
    return cgdopt.minimize(quad.fun, np.ones(4), method=method, jac=quad.jac,
                           hessp=quad.hessp if method == "cgd" else None, options=opts)


def test_gd_first_iterate(quad):
    x0 = np.ones(4)
    res = one_step(quad, "gd")
    np.testing.assert_allclose(res.x, x0 - 0.01 * (quad.A @ x0 - quad.b), rtol=1e-14)


def test_cgd_first_iterate_is_i_plus_2_lambda_h(quad):
    x0, A = np.ones(4), quad.A
    g = A @ x0 - quad.b
    expected = x0 - 0.01 * (np.eye(4) + 2 * 0.4 * A) @ g
    np.testing.assert_allclose(one_step(quad, "cgd").x, expected, rtol=1e-13)


@pytest.mark.parametrize("fd", ["forward", "backward", "central"])
def test_cgd_fd_first_iterate_closed_form(quad, fd):
    x0, A, r, lam = np.ones(4), quad.A, 1e-3, 0.4
    g = A @ x0 - quad.b
    nu = 2 * lam / r
    grad = lambda x: A @ x - quad.b  # noqa: E731
    G = {"forward": (1 - nu) * g + nu * grad(x0 + r * g),
         "backward": (1 + nu) * g - nu * grad(x0 - r * g),
         "central": g + nu / 2 * (grad(x0 + r * g) - grad(x0 - r * g))}[fd]
    res = one_step(quad, "cgd-fd", fd=fd)
    np.testing.assert_allclose(res.x, x0 - 0.01 * G, rtol=1e-9)
    # on a quadratic every scheme equals exact CGD up to rounding
    np.testing.assert_allclose(res.x, one_step(quad, "cgd").x, rtol=1e-8)


def test_negative_r_forward_equals_backward(quad):
    a = one_step(quad, "cgd-fd", r=-1e-2, fd="forward")
    b = one_step(quad, "cgd-fd", r=1e-2, fd="backward")
    np.testing.assert_allclose(a.x, b.x, rtol=1e-14)


def nonquadratic(x):
    return anp.sum(anp.cos(x) * x ** 2) + anp.sum(x ** 4) / 10


@pytest.mark.parametrize("penalty, p", [("pow", 2), ("pow", 3), ("norm", 2), ("norm", 1.5)])
def test_cgd_fd_tends_to_cgd_as_r_to_zero(penalty, p):
    x0 = np.array([0.4, -0.9, 1.3])
    kw = dict(method="cgd", options=dict(step=0.05, lam=0.2, penalty=penalty, p=p, maxiter=3))
    exact = cgdopt.minimize(nonquadratic, x0, **kw).x
    errs = []
    for r in (1e-2, 1e-3, 1e-4):
        kw_fd = dict(kw, method="cgd-fd")
        kw_fd["options"] = dict(kw["options"], r=r)
        errs.append(np.linalg.norm(cgdopt.minimize(nonquadratic, x0, **kw_fd).x - exact))
    assert errs[0] > errs[1] > errs[2]
    assert errs[2] < 1e-4


@pytest.mark.parametrize("method", [cgdopt.gd, cgdopt.cgd, cgdopt.cgd_fd, cgdopt.newton])
@pytest.mark.parametrize("line_search", ["fixed", "armijo", "wolfe"])
def test_scipy_custom_method_gives_identical_result(quad, method, line_search):
    opts = dict(line_search=line_search, maxiter=25)
    if method is not cgdopt.gd and method is not cgdopt.newton:
        opts["lam"] = 0.05
    hvp = quad.hessp if method in (cgdopt.cgd, cgdopt.newton) else None
    ours = cgdopt.minimize(quad.fun, np.ones(4), method=method, jac=quad.jac, hessp=hvp,
                           options=opts)
    theirs = scipy.optimize.minimize(quad.fun, np.ones(4), method=method, jac=quad.jac,
                                     hessp=hvp, options=opts)
    np.testing.assert_array_equal(ours.x, theirs.x)
    for key in ("fun", "nit", "nfev", "njev", "nhev", "status"):
        assert ours[key] == theirs[key]


def test_scipy_tol_is_gtol(quad):
    res = scipy.optimize.minimize(quad.fun, np.ones(4), method=cgdopt.gd, jac=quad.jac, tol=1e-3,
                                  options=dict(step=0.05))
    assert res.success and np.max(np.abs(res.jac)) <= 1e-3
    assert np.max(np.abs(quad.jac(res.x))) <= 1e-3


def test_result_fields_and_history(quad):
    res = cgdopt.minimize(quad.fun, np.ones(4), method="cgd-fd", jac=quad.jac,
                          options=dict(step=0.01, lam=0.1, maxiter=5, line_search="fixed",
                                       switch_after=None))
    assert isinstance(res, OptimizeResult)
    h = res.history
    assert list(h["iteration"]) == list(range(6))
    np.testing.assert_allclose(h["f"][-1], res.fun)
    assert h["ngev"][-1] <= res.njev and h["nfev"][-1] == res.nfev
    assert list(h["kind"]) == [""] + ["cgd-fd"] * 5
    assert np.isnan(h["step"][0]) and np.all(h["step"][1:] == 0.01)
    assert np.all(np.diff(h["ngev"]) == 2)  # Algorithm 2: two gradients per CGD-FD step
    assert res.status == 1 and not res.success and res.nit == 5


def test_converges_on_f_not_g_and_reports_success(quad):
    res = cgdopt.minimize(quad.fun, np.ones(4), method="cgd", jac=quad.jac, hessp=quad.hessp,
                          options=dict(step=0.02, lam=0.05, gtol=1e-8, line_search="fixed",
                                       switch_after=None))
    assert res.success and res.status == 0
    np.testing.assert_allclose(res.x, np.linalg.solve(quad.A, quad.b), atol=1e-7)


def test_newton_dense_and_hessp_agree(quad):
    a = cgdopt.minimize(quad.fun, np.ones(4), method="newton", jac=quad.jac, hess=quad.hess)
    b = cgdopt.minimize(quad.fun, np.ones(4), method="newton", jac=quad.jac, hessp=quad.hessp)
    np.testing.assert_allclose(a.x, np.linalg.solve(quad.A, quad.b), atol=1e-10)
    np.testing.assert_allclose(b.x, a.x, atol=1e-6)
    assert a.nit == 1


def test_autograd_default_gradients():
    res = cgdopt.minimize(nonquadratic, np.array([0.4, -0.9, 1.3]), method="cgd",
                          options=dict(line_search="armijo", lam=0.01))
    assert res.success


def test_two_point_jac_counts_function_calls(quad):
    res = cgdopt.minimize(quad.fun, np.ones(4), method="gd", jac="2-point",
                          options=dict(step=0.05, maxiter=3, line_search="fixed"))
    assert res.njev == 4
    # f at x0..x3 (memoized, reused as f(x) by the difference), n more calls per gradient
    assert quad.calls["fun"] == res.nfev == 1 + 3 + 4 * 4


class TestCallback:
    def test_new_style_gets_intermediate_result(self, quad):
        seen = []
        cgdopt.minimize(quad.fun, np.ones(4), method="gd", jac=quad.jac, options=dict(maxiter=3),
                        callback=lambda intermediate_result: seen.append(intermediate_result))
        assert [r.nit for r in seen] == [1, 2, 3]
        assert all(isinstance(r, OptimizeResult) and np.isfinite(r.fun) for r in seen)

    def test_old_style_gets_a_copy_of_x(self, quad):
        seen = []

        def cb(xk):
            seen.append(xk)
            xk[:] = 1e6  # must not affect the run

        res = cgdopt.minimize(quad.fun, np.ones(4), method="gd", jac=quad.jac,
                              options=dict(maxiter=3), callback=cb)
        assert len(seen) == 3 and np.all(np.abs(res.x) < 10)

    def test_stop_iteration_ends_with_status_99(self, quad):
        def cb(intermediate_result):
            if intermediate_result.nit == 2:
                raise StopIteration

        res = cgdopt.minimize(quad.fun, np.ones(4), method="cgd-fd", jac=quad.jac, callback=cb)
        assert res.status == 99 and not res.success and res.nit == 2

    def test_stop_iteration_through_scipy(self, quad):
        def cb(xk):
            raise StopIteration

        res = scipy.optimize.minimize(quad.fun, np.ones(4), method=cgdopt.gd, jac=quad.jac,
                                      callback=cb)
        assert res.status == 99 and res.nit == 1


def test_lambda_schedules_change_the_iterates(quad):
    base = dict(step=0.01, r=1e-4, maxiter=4, safeguard="none", line_search="fixed",
                switch_after=None)
    seen = []

    def lam(k):
        seen.append(k)
        return 0.1 * k

    a = cgdopt.minimize(quad.fun, np.ones(4), method="cgd-fd", jac=quad.jac, options=dict(base, lam=lam))
    b = cgdopt.minimize(quad.fun, np.ones(4), method="cgd-fd", jac=quad.jac,
                        options=dict(base, lam=cgdopt.schedules.Linear(0.0, 0.3, num=4)))
    np.testing.assert_allclose(a.x, b.x, rtol=1e-9)
    assert seen[-4:] == [0, 1, 2, 3]
    # lam_0 = 0 spends no probe: 1 + 2 + 2 + 2 gradients, plus none at the final point
    assert a.history["ngev"][-1] == 7


@pytest.mark.parametrize("method", ["cgd", "cgd-fd"])
@pytest.mark.parametrize("penalty, p", [("pow", 1.0), ("pow", 1.5), ("norm", 1.0), ("norm", 1.5),
                                        ("norm", 2.0)])
def test_zero_gradient_components_give_no_nan(method, penalty, p):
    # x0 = (0, 1): the first gradient component is exactly zero
    fun = lambda x: anp.sum(x ** 2) + anp.sum(x ** 4)  # noqa: E731
    res = cgdopt.minimize(fun, np.array([0.0, 1.0]), method=method,
                          options=dict(lam=0.1, penalty=penalty, p=p, step=0.05, maxiter=20))
    assert np.all(np.isfinite(res.x)) and res.status in (0, 1)
    assert res.x[0] == 0.0 and abs(res.x[1]) < 1.0
    # at the minimizer itself (grad f = 0) the run stops at once without NaN
    at_min = cgdopt.minimize(fun, np.zeros(2), method=method,
                             options=dict(lam=0.1, penalty=penalty, p=p))
    assert at_min.success and at_min.nit == 0 and np.all(at_min.x == 0)


@pytest.mark.parametrize("scheme, calls_per_gradient", [("2-point", 4), ("3-point", 8), ("cs", 4)])
def test_finite_difference_jac_counts_every_call(quad, scheme, calls_per_gradient):
    """Defect 4: scipy's finite differences, each function call counted, each gradient once."""
    calls = []
    fun = (lambda x: (calls.append(1), 0.5 * x @ quad.A @ x - quad.b @ x)[1])  # complex-safe
    res = cgdopt.minimize(fun, np.ones(4), method="gd", jac=scheme,
                          options=dict(step=0.05, maxiter=3, line_search="fixed"))
    assert res.njev == 4
    assert len(calls) == res.nfev == 4 + 4 * calls_per_gradient  # f(x0..x3) + the differences
    exact = cgdopt.minimize(quad.fun, np.ones(4), method="gd", jac=quad.jac,
                            options=dict(step=0.05, maxiter=3, line_search="fixed"))
    tol = {"2-point": 1e-6, "3-point": 1e-9, "cs": 1e-13}[scheme]
    np.testing.assert_allclose(res.x, exact.x, rtol=tol, atol=tol)


@pytest.mark.parametrize("method", [cgdopt.gd, cgdopt.cgd_fd])
def test_jac_method_carries_finite_differences_through_scipy(quad, method):
    """Defect 4: scipy hands a custom method jac=None for '2-point'; jac_method is kept."""
    opts = dict(maxiter=5, jac_method="2-point")
    theirs = scipy.optimize.minimize(quad.fun, np.ones(4), method=method, options=opts)
    name = {cgdopt.gd: "gd", cgdopt.cgd_fd: "cgd-fd"}[method]
    ours = cgdopt.minimize(quad.fun, np.ones(4), method=name, jac="2-point",
                           options=dict(maxiter=5))
    np.testing.assert_array_equal(ours.x, theirs.x)
    assert (ours.nfev, ours.njev) == (theirs.nfev, theirs.njev)
    assert ours.nfev > 4 * ours.njev  # the differences were counted, not autograd's gradients


def test_finite_difference_budget_counts_gradients(quad):
    res = cgdopt.minimize(quad.fun, np.ones(4), method="cgd-fd", jac="2-point",
                          options=dict(budget=10, gtol=0.0))
    assert res.njev == 10 and res.status == 2
    assert res.nfev >= 10 * 4


def test_a_test_function_without_jac_uses_its_closed_form_derivatives():
    """Defect 14: a cgdopt test function passed without jac= runs (it used to blame x)."""
    import cgdopt.testfunctions as tf
    f = tf.get("rosenbrock")
    grad, hessp = f.grad, f.hessp
    res = cgdopt.minimize(f, f.x0, method="cgd", options=dict(maxiter=3))
    assert res.nit == 3 and res.nhev == 3 and np.isfinite(res.fun)
    ref = cgdopt.minimize(f, f.x0, method="cgd", jac=grad, hessp=hessp, options=dict(maxiter=3))
    np.testing.assert_array_equal(res.x, ref.x)


def test_nan_objective_at_x0_is_a_failed_result_not_an_error():
    """Defect 13 (scipy gh-4793): status 3, success False, fun is the value found."""
    res = cgdopt.minimize(lambda x: np.nan, np.ones(2), jac=lambda x: np.ones(2))
    assert res.status == 3 and res.success is False and np.isnan(res.fun) and res.nit == 0
    assert "f(x0) = nan" in res.message
    np.testing.assert_array_equal(res.x, np.ones(2))
    ok = cgdopt.minimize(lambda x: float(x @ x), np.ones(2), jac=lambda x: 2 * x,
                         options=dict(maxiter=1))
    assert set(res) == set(ok)  # the same fields as any other result
