"""Counts equal real user calls; budgets are never exceeded and end runs with their status."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import cgdopt
from cgdopt._solver import BUDGET

METHODS = ["gd", "cgd", "cgd-fd", "newton"]
SEARCHES = ["fixed", "armijo", "wolfe"]
#: the methods that use hess/hessp (the others warn when given them, as scipy's do)
HVP = ("cgd", "newton")


def opts_for(method, line_search, **kw):
    o = dict(dict(line_search=line_search, maxiter=15), **kw)
    if method in ("cgd", "cgd-fd"):
        o["lam"] = 0.05
    return o


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("line_search", SEARCHES)
def test_counts_equal_real_calls_separate_callables(quad, method, line_search):
    res = cgdopt.minimize(quad.fun, np.ones(4), method=method, jac=quad.jac,
                          hessp=quad.hessp if method in HVP else None,
                          options=opts_for(method, line_search))
    assert res.nfev == quad.calls["fun"]
    assert res.njev == quad.calls["jac"]
    assert res.nhev == quad.calls["hessp"]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("line_search", SEARCHES)
def test_counts_equal_real_calls_jac_true(quad, method, line_search):
    res = cgdopt.minimize(quad.fun_and_jac, np.ones(4), method=method, jac=True,
                          hess=quad.hess if method in HVP else None,
                          options=opts_for(method, line_search))
    assert res.nfev == quad.calls["fun_and_jac"]
    # every call returned a gradient; probes call fun too
    assert res.njev == quad.calls["fun_and_jac"]
    assert res.nhev == quad.calls["hess"]


def test_memoization_avoids_repeat_calls(quad):
    res = cgdopt.minimize(quad.fun, np.ones(4), method="gd", jac=quad.jac,
                          options=dict(step=0.01, maxiter=10))
    assert res.nfev == 11 and res.njev == 11  # f and grad once per iterate, g at x0..x10


@pytest.mark.parametrize("fd, per_iter", [("forward", 2), ("backward", 2), ("central", 3)])
def test_budget_40_as_in_algorithm_2(quad, fd, per_iter):
    res = cgdopt.minimize(quad.fun, np.ones(4), method="cgd-fd", jac=quad.jac,
                          options=dict(step=0.01, lam=0.4, budget=40, switch_after=10, fd=fd))
    assert res.status == BUDGET and not res.success and "Budget" in res.message
    assert res.njev == quad.calls["jac"] == 40
    ngev = np.diff(res.history["ngev"])
    assert np.all(ngev[:11] == per_iter) and np.all(ngev[11:] == 1)
    assert res.nit == 11 + (40 - 11 * per_iter)


@settings(max_examples=60, deadline=None)
@given(budget=st.integers(3, 60), method=st.sampled_from(METHODS),
       line_search=st.sampled_from(SEARCHES), jac_true=st.booleans(),
       fd=st.sampled_from(["forward", "central"]))
def test_budget_is_never_exceeded(counted_cls, budget, method, line_search, jac_true, fd):
    q = counted_cls(np.diag([1.0, 10.0, 100.0]), np.ones(3))
    opts = opts_for(method, line_search, budget=budget, gtol=0.0, maxiter=10_000)
    if method == "cgd-fd":
        opts["fd"] = fd
    fun, jac = (q.fun_and_jac, True) if jac_true else (q.fun, q.jac)
    hess = q.hess if method in HVP else None
    probes = {"forward": 1, "central": 2}[fd] if method == "cgd-fd" else 0
    if budget < 1 + probes + jac_true:  # less than one iteration: refused at the boundary
        with pytest.raises(ValueError, match="smaller than the cost of one"):
            cgdopt.minimize(fun, np.ones(3), method=method, jac=jac, hess=hess, options=opts)
        assert sum(q.calls.values()) == 0
        return
    res = cgdopt.minimize(fun, np.ones(3), method=method, jac=jac, hess=hess, options=opts)
    real = q.calls["fun_and_jac"] if jac_true else q.calls["jac"]
    assert real == res.njev <= budget
    # budget, exact convergence (newton), non-finite (divergence) or line-search failure or stall
    assert res.status in (BUDGET, 0, 3, 4, 5)
    assert np.all(np.isfinite(res.x))


def test_regularized_step_degrades_to_gd_when_only_one_gradient_is_left(quad):
    res = cgdopt.minimize(quad.fun, np.ones(4), method="cgd-fd", jac=quad.jac,
                          options=dict(step=0.01, lam=0.1, budget=5))
    assert list(res.history["kind"][1:]) == ["cgd-fd", "cgd-fd", "gd"]
    assert res.njev == 5 and res.status == BUDGET


def test_nonfinite_during_run_stops_with_status_and_finite_x():
    f = lambda x: float(np.sum(x ** 4))  # noqa: E731
    res = cgdopt.minimize(f, np.array([3.0, -2.0]), method="gd", jac=lambda x: 4 * x ** 3,
                          options=dict(step=10.0, maxiter=50, line_search="fixed"))
    assert res.status == 3 and not res.success and "non-finite" in res.message
    assert np.all(np.isfinite(res.x)) and np.isfinite(res.fun)


def test_nonfinite_gradient_stops_with_status():
    def jac(x):
        return np.array([np.nan]) if x[0] < 0.5 else 2 * x

    res = cgdopt.minimize(lambda x: float(x @ x), np.array([1.0]), method="gd", jac=jac,
                          options=dict(step=0.3, maxiter=10))
    assert res.status == 3 and "gradient" in res.message and np.all(np.isfinite(res.x))


# ---------------------------------------------------------------- copies for user code
@pytest.mark.parametrize("n", [3, 5000])  # 5000: copies of x are recycled (>= 4096)
def test_user_code_gets_copies_and_results_it_still_holds_are_copied(n):
    from cgdopt._counting import CountedObjective

    seen, held = [], np.empty(n)

    def jac_fresh(x):
        seen.append(x)  # keeps a reference: this copy must never be recycled
        return 2 * x

    obj = CountedObjective(lambda x: float(x @ x), n, jac=jac_fresh)
    x = np.ones(n)
    g = obj.grad(x)
    assert seen[0] is not x and np.shares_memory(seen[0], x) is False
    obj.grad(x + 1.0)
    assert seen[1] is not seen[0] and np.all(seen[0] == 1.0)  # the kept copy was not reused
    np.testing.assert_array_equal(g, 2.0)

    obj = CountedObjective(lambda x: float(x @ x), n, jac=lambda x: np.multiply(x, 2, out=held))
    g1 = obj.grad(np.ones(n))
    obj.grad(np.full(n, 5.0))  # overwrites `held`
    assert g1 is not held and np.all(g1 == 2.0)


def test_memo_is_keyed_on_identity_and_forget_drops_it(quad):
    from cgdopt._counting import CountedObjective

    obj = CountedObjective(quad.fun, 4, jac=quad.jac)
    x = np.ones(4)
    obj.fun(x), obj.fun(x), obj.grad(x), obj.grad(x)
    assert quad.calls["fun"] == 1 and quad.calls["jac"] == 1
    obj.fun(x.copy())  # equal contents, another array: evaluated (the solver never does this)
    assert quad.calls["fun"] == 2
    obj.forget(x)
    obj.grad(x)
    assert quad.calls["jac"] == 2


@pytest.mark.parametrize("jac_true", [False, True])
def test_probe_gradient_is_counted_and_leaves_the_memo_at_x(quad, jac_true):
    """A CGD-FD probe costs one gradient; with a callable jac the gradient at x stays memoized."""
    from cgdopt._counting import CountedObjective
    from cgdopt._signals import BudgetExhausted

    if jac_true:
        obj = CountedObjective(lambda x: (quad.fun(x), quad.jac(x)), 4, jac=True, budget=2)
    else:
        obj = CountedObjective(quad.fun, 4, jac=quad.jac, budget=2)
    x = np.ones(4)
    g = obj.grad(x)
    gp = obj.probe_grad(x + 1e-3 * g)
    np.testing.assert_allclose(gp, quad.jac(x + 1e-3 * g))
    assert obj.njev == 2
    assert obj.grad_is_cached(x) is (not jac_true)  # jac=True memoizes the probe (f came too)
    with pytest.raises(BudgetExhausted):  # a probe is a gradient evaluation: the budget holds
        obj.probe_grad(x - 1e-3 * g)
    assert obj.njev == 2


def test_probe_gradient_reads_a_reused_buffer_before_any_other_user_call():
    """A jac that returns one buffer (and mutates its argument) gives the same run as a clean jac."""
    A = np.diag([1.0, 10.0, 100.0])
    buf = np.empty(3)

    def jac_clean(x):
        return A @ x

    def jac_dirty(x):
        np.matmul(A, x, out=buf)
        x *= -7.0  # the probe point is ours: mutating it cannot reach the run
        return buf

    fun = lambda x: 0.5 * float(x @ A @ x)  # noqa: E731
    opts = dict(lam=0.01, r=1e-3, line_search="fixed", step=5e-3, maxiter=50, gtol=0.0)
    ref = cgdopt.minimize(fun, np.ones(3), method="cgd-fd", jac=jac_clean, options=opts)
    got = cgdopt.minimize(fun, np.ones(3), method="cgd-fd", jac=jac_dirty, options=opts)
    np.testing.assert_array_equal(got.x, ref.x)
    assert got.njev == ref.njev == 2 * 50 + 1


@pytest.mark.parametrize("method", ["gd", "cgd-fd"])
@pytest.mark.parametrize("kw,what", [("hess", r"Hessian information \(hess\)"),
                                     ("hessp", r"Hessian-vector product information \(hessp\)")])
def test_second_derivatives_given_to_a_method_that_does_not_use_them_warn(quad, method, kw, what):
    """As scipy.optimize.minimize does for BFGS and the others: a RuntimeWarning, and the
    callable is never called."""
    given = {"hess": quad.hess, "hessp": quad.hessp}[kw]
    with pytest.warns(RuntimeWarning, match=f"Method {method} does not use {what}"):
        res = cgdopt.minimize(quad.fun, np.ones(4), method=method, jac=quad.jac,
                              options=opts_for(method, "armijo"), **{kw: given})
    assert res.nhev == quad.calls[kw] == 0


def test_second_derivatives_given_to_cgd_and_newton_do_not_warn(quad):
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for method in HVP:
            cgdopt.minimize(quad.fun, np.ones(4), method=method, jac=quad.jac, hessp=quad.hessp,
                            options=opts_for(method, "armijo"))
