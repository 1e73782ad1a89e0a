"""scipy's own minimize tests, ported to the cgdopt minimizers.

Source: scipy/optimize/tests/test_optimize.py (scipy main, fetched 2026-11-23):
``CheckOptimize`` (the entropy problem with exact call counts, "Don't allow them to
increase"), ``test_custom`` and ``test_gh10771`` (custom methods), ``test_callback_stopiteration``
(three callback interfaces), ``test_minimize_callback_copies_array``, ``test_no_increase``,
``test_respect_maxiter``, ``test_minimize_maxiter_noninteger`` (gh-23430),
``test_bfgs_nan_return`` / ``test_nan_values`` (gh-4793), ``test_duplicate_evaluations`` and
``test_x_overwritten_user_function`` (gh-13740).  Every test runs each cgdopt method both
as ``cgdopt.minimize(method=name)`` and as ``scipy.optimize.minimize(method=cgdopt.<callable>)``.

Where the paper's fixed step makes a scipy test inapplicable, the test says so: a fixed
step evaluates no trial point, so "no increase" and convergence from far away do not hold
for it by design; these tests use the default Armijo line search.
"""
import itertools
import threading

import numpy as np
import pytest
import scipy.optimize as so
from numpy.testing import assert_allclose, assert_equal
from scipy.optimize import OptimizeResult

import cgdopt

F = np.array([[1, 1, 1], [1, 1, 0], [1, 0, 1], [1, 0, 0], [1, 0, 0]])
K = np.array([1.0, 0.3, 0.5])
SOLUTION = np.array([0.0, -0.524869316, 0.487525860])


class Entropy:
    """scipy's CheckOptimize problem with its call counters and trace."""

    def __init__(self):
        self.funccalls = self.gradcalls = self.hesscalls = 0
        self.trace = []

    def func(self, x):
        self.funccalls += 1
        self.trace.append(np.copy(x))
        log_pdot = F @ x
        return np.log(np.sum(np.exp(log_pdot))) - K @ x

    def grad(self, x):
        self.gradcalls += 1
        log_pdot = F @ x
        p = np.exp(log_pdot - np.log(np.sum(np.exp(log_pdot))))
        return F.T @ p - K

    def hess(self, x):
        self.hesscalls += 1
        log_pdot = F @ x
        p = np.exp(log_pdot - np.log(np.sum(np.exp(log_pdot))))
        q = F.T @ p
        return F.T @ np.diag(p) @ F - np.outer(q, q)

    def hessp(self, x, v):
        return self.hess(x) @ v


#: method name, scipy callable, which second-order argument it gets
METHODS = [("gd", cgdopt.gd, None), ("cgd", cgdopt.cgd, "hessp"), ("cgd-fd", cgdopt.cgd_fd, None),
           ("newton", cgdopt.newton, "hess")]
#: known-good counts (user calls of func, grad, hess) with the default options, measured
#: 2026-11-23 with the default Armijo line search; don't allow them to increase.
#: (scipy's CG needs 9 and 7, BFGS 10 and 8: first-order methods need more.)
KNOWN_GOOD = {"gd": (46, 46, 0), "cgd": (44, 44, 43), "cgd-fd": (44, 87, 0), "newton": (5, 5, 4)}


def run(name, callable_, second, via, problem=None, **kw):
    p = problem or Entropy()
    extra = {}
    if second == "hessp":
        extra["hessp"] = p.hessp
    elif second == "hess":
        extra["hess"] = p.hess
    extra.update(kw)
    if via == "cgdopt":
        res = cgdopt.minimize(p.func, np.zeros(3), method=name, jac=p.grad, **extra)
    else:
        res = so.minimize(p.func, np.zeros(3), method=callable_, jac=p.grad, **extra)
    return p, res


VIA = ["cgdopt", "scipy"]


@pytest.mark.parametrize("via", VIA)
@pytest.mark.parametrize("name, callable_, second", METHODS, ids=[m[0] for m in METHODS])
def test_entropy_problem_converges_with_exact_counts(name, callable_, second, via):
    p, res = run(name, callable_, second, via)
    # the result's counts are the real numbers of user calls
    assert (res.nfev, res.njev, res.nhev) == (p.funccalls, p.gradcalls, p.hesscalls)
    assert res.success, res.message
    assert_allclose(p.func(res.x), p.func(SOLUTION), atol=1e-6)
    # known-good counts: don't allow them to increase
    f_known, g_known, h_known = KNOWN_GOOD[name]
    assert res.nfev <= f_known and res.njev <= g_known and res.nhev <= h_known


@pytest.mark.parametrize("name, callable_, second", METHODS, ids=[m[0] for m in METHODS])
def test_duplicate_evaluations(name, callable_, second):
    p, res = run(name, callable_, second, "scipy")
    for a, b in zip(p.trace, p.trace[1:]):
        assert not np.array_equal(a, b), f"duplicate evaluation by {name}"


@pytest.mark.slow
def test_custom_method_from_scipy_docs_example():
    """test_custom: a custom method converges on Rosenbrock through scipy.optimize.minimize."""
    x0 = [1.35, 0.9, 0.8, 1.1, 1.2]
    for method in (cgdopt.gd, cgdopt.cgd_fd):  # default options (gtol=1e-5)
        res = so.minimize(so.rosen, x0, method=method, jac=so.rosen_der)
        assert res.success
        assert_allclose(res.x, 1.0, rtol=1e-4, atol=1e-4)
    res = so.minimize(so.rosen, x0, method=cgdopt.newton, jac=so.rosen_der, hess=so.rosen_hess)
    assert_allclose(res.x, 1.0, rtol=1e-4, atol=1e-4)


def test_gh10771_bounds_and_constraints_reach_the_custom_method():
    """scipy passes bounds and constraints unaltered; cgdopt's methods are unconstrained, so
    they accept the empty defaults and refuse anything else by name."""
    res = so.minimize(so.rosen, [1, 1], method=cgdopt.gd, jac=so.rosen_der, bounds=None,
                      constraints=())
    assert res.success
    with pytest.raises(ValueError, match="bounds must be None"):
        so.minimize(so.rosen, [1, 1], method=cgdopt.gd, jac=so.rosen_der, bounds=[(-2, 2), (0, 3)])
    with pytest.raises(ValueError, match="constraints must be empty"):
        so.minimize(so.rosen, [1, 1], method=cgdopt.gd, jac=so.rosen_der, constraints="constraints")


def test_minimize_tol_parameter():
    """test_minimize_tol_parameter: tol= does something (it sets gtol)."""
    def func(z):
        x, y = z
        return x**2 * y**2 + x**4 + 1

    def dfunc(z):
        x, y = z
        return np.array([2 * x * y**2 + 4 * x**3, 2 * x**2 * y])

    for method in (cgdopt.gd, cgdopt.cgd_fd):
        sol1 = so.minimize(func, [2, 2], jac=dfunc, tol=1e-10, method=method)
        sol2 = so.minimize(func, [2, 2], jac=dfunc, tol=1.0, method=method)
        assert func(sol1.x) < func(sol2.x)


class _Callback:
    def __init__(self, check, callback):
        self.check, self.callback = check, callback

    def __call__(self, intermediate_result: OptimizeResult):
        self.check(intermediate_result)
        self.callback()


@pytest.mark.parametrize("via", VIA)
@pytest.mark.parametrize("new_cb_interface", [0, 1, 2])
@pytest.mark.parametrize("name, callable_, second", METHODS, ids=[m[0] for m in METHODS])
def test_callback_stopiteration(name, callable_, second, new_cb_interface, via):
    """StopIteration in the callback ends the run as maxiter would, with status 99."""
    def f(x):
        f.flag = False  # f must not be called after StopIteration
        return so.rosen(x)

    f.flag = False
    maxiter = 5

    def check(ir):
        assert ir.fun == f(ir.x)

    def callback():
        callback.i += 1
        callback.flag = False
        if callback.i == maxiter:
            callback.flag = True
            raise StopIteration()

    callback.i = 0
    callback.flag = False
    if new_cb_interface == 1:
        def interface(*, intermediate_result):
            check(intermediate_result)
            callback()
    elif new_cb_interface == 2:
        interface = _Callback(check, callback)
    else:
        def interface(xk, *args):
            callback()

    kw = dict(jac=so.rosen_der)
    if second == "hessp":
        kw["hessp"] = so.rosen_hess_prod
    elif second == "hess":
        kw["hess"] = so.rosen_hess
    method = name if via == "cgdopt" else callable_
    mini = cgdopt.minimize if via == "cgdopt" else so.minimize
    res = mini(f, [1.1] * 5, method=method, callback=interface, **kw)
    assert callback.flag and not f.flag or callback.flag  # f may have been called by check()
    ref = mini(f, [1.1] * 5, method=method, options=dict(maxiter=maxiter), **kw)
    assert res.message.startswith("`callback` raised `StopIteration`")
    assert res.nit == ref.nit == maxiter
    assert res.fun == ref.fun
    assert_equal(res.x, ref.x)
    assert res.status == 99 and not res.success


@pytest.mark.parametrize("via", VIA)
@pytest.mark.parametrize("name, callable_, second", METHODS, ids=[m[0] for m in METHODS])
def test_minimize_callback_copies_array(name, callable_, second, via):
    """Arrays passed to callbacks are not modified in place by the optimizer afterwards."""
    results = []

    def callback(x, *args, **kwargs):
        assert not isinstance(x, OptimizeResult)
        results.append((x, np.copy(x)))

    kw = dict(jac=so.rosen_der, callback=callback, options=dict(maxiter=5))
    if second == "hessp":
        kw["hessp"] = so.rosen_hess_prod
    elif second == "hess":
        kw["hess"] = so.rosen_hess
    if via == "cgdopt":
        cgdopt.minimize(so.rosen, np.zeros(10), method=name, **kw)
    else:
        so.minimize(so.rosen, np.zeros(10), method=callable_, **kw)
    assert len(results) > 2
    assert all(np.all(x == y) for x, y in results)
    assert not any(np.may_share_memory(x[0], y[0]) for x, y in itertools.combinations(results, 2))


@pytest.mark.parametrize("via", VIA)
@pytest.mark.parametrize("name, callable_, second", METHODS, ids=[m[0] for m in METHODS])
def test_no_increase(name, callable_, second, via):
    """A purposely wrong gradient: the run must not return a point worse than x0.

    Not applicable to ``line_search="fixed"``: a fixed step evaluates no trial point and
    steps uphill along a wrong gradient by design (the paper's protocol)."""
    def func(x):
        return float(np.sum((x - 1) ** 2))

    def bad_grad(x):
        return 2 * (x - 1) * (-1) - 2

    x0 = np.array([2.0])
    kw = dict(jac=bad_grad, options=dict(maxiter=20))
    if second == "hessp":
        kw["hessp"] = lambda x, v: 2 * v
    elif second == "hess":
        kw["hess"] = lambda x: 2 * np.eye(1)
    if via == "cgdopt":
        res = cgdopt.minimize(func, x0, method=name, **kw)
    else:
        res = so.minimize(func, x0, method=callable_, **kw)
    assert res.fun <= func(x0)
    assert func(res.x) <= func(x0)


@pytest.mark.parametrize("maxiter", [4, 100.1])
@pytest.mark.parametrize("name, callable_, second", METHODS, ids=[m[0] for m in METHODS])
def test_respect_maxiter(name, callable_, second, maxiter):
    """test_respect_maxiter and gh-23430 (a non-integer maxiter is accepted)."""
    kw = dict(jac=so.rosen_der)
    if second == "hessp":
        kw["hessp"] = so.rosen_hess_prod
    elif second == "hess":
        kw["hess"] = so.rosen_hess
    x0 = np.zeros(10) if maxiter == 4 else np.array([1.3, 0.7, 0.8, 1.9, 1.2])
    sol = so.minimize(so.rosen, x0, method=callable_, options=dict(maxiter=maxiter), **kw)
    if maxiter == 4:
        assert sol.nit == 4 and sol.status == 1
    else:
        assert sol.nit <= 101


@pytest.mark.parametrize("name, callable_, second", METHODS, ids=[m[0] for m in METHODS])
def test_nan_values(name, callable_, second):
    """test_nan_values / gh-4793: NaN from the first or a later call is a failed result."""
    count = [0]
    rng = np.random.default_rng(123122)

    def func(x):
        return np.nan

    def func2(x):
        count[0] += 1
        return np.nan if count[0] > 2 else rng.random()

    def grad(x):
        return np.array([1.0])

    kw = {}
    if second == "hessp":
        kw["hessp"] = lambda x, v: v
    elif second == "hess":
        kw["hess"] = lambda x: np.array([[1.0]])
    for f in (func, func2):
        count[0] = 0
        with np.errstate(invalid="ignore"):
            sol = so.minimize(f, np.array([1.0]), jac=grad, method=callable_,
                              options=dict(maxiter=20), **kw)
        assert_equal(sol.success, False)
        assert np.all(np.isfinite(sol.x))


def test_bfgs_nan_return_first_call():
    """gh-4793, first case: NaN from the first call gives success=False and fun NaN."""
    with np.errstate(invalid="ignore"):
        result = so.minimize(lambda x: np.nan, 0, method=cgdopt.gd, jac=lambda x: np.ones(1))
    assert np.isnan(result["fun"])
    assert result["success"] is False


@pytest.mark.parametrize("jac", ["callable", "2-point"])
@pytest.mark.parametrize("name, callable_, second", METHODS, ids=[m[0] for m in METHODS])
def test_x_overwritten_user_function(name, callable_, second, jac):
    """gh-13740: a user function that overwrites its argument does not break the run."""
    def fquad(x):
        a = np.arange(np.size(x))
        x -= a
        x *= x
        return np.sum(x)

    def fquad_jac(x):
        a = np.arange(np.size(x))
        x *= 2
        x -= 2 * a
        return x

    kw = {}
    if second == "hessp":
        kw["hessp"] = lambda x, v: 2.0 * v
    elif second == "hess":
        kw["hess"] = lambda x: np.eye(np.size(x)) * 2.0
    x0 = np.ones(5) * 1.5
    opts = dict(gtol=1e-6)
    if jac == "2-point":
        if second is not None:
            pytest.skip("finite-difference gradient with an exact Hessian: covered by callable")
        res = so.minimize(fquad, x0, method=callable_, options=dict(opts, jac_method="2-point"))
    else:
        res = so.minimize(fquad, x0, method=callable_, jac=fquad_jac, options=opts, **kw)
    assert_allclose(res.x, np.arange(np.size(x0)), atol=2e-4)


def test_threads_get_independent_counts():
    """Counts live in each run's own wrapper (scipy's tests use threading.local counters)."""
    out = {}

    def work(i):
        p, res = run("gd", cgdopt.gd, None, "scipy")
        out[i] = (res.nfev, res.njev, p.funccalls, p.gradcalls)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(out.values())) == 1
    nfev, njev, calls_f, calls_g = out[0]
    assert (nfev, njev) == (calls_f, calls_g)
