"""Algorithm 1 ('fallback'), Algorithm 2 ('switch') and 'none' where -grad g ascends (Figure 2)."""
import numpy as np
import pytest

import cgdopt

# f = cos(x): at x0 = 0.3, f'' = -cos(0.3) < -1/(2 lam) for lam = 1, so
# grad g = f'(1 + 2 lam f'') has the opposite sign of f': -grad g is an ascent direction.
fun = lambda x: float(np.cos(x[0]))  # noqa: E731
jac = lambda x: np.array([-np.sin(x[0])])  # noqa: E731
hessp = lambda x, v: -np.cos(x[0]) * v  # noqa: E731
X0 = np.array([0.3])


def run(method, safeguard, maxiter=40, **kw):
    opts = dict(step=0.5, lam=1.0, safeguard=safeguard, maxiter=maxiter, line_search="fixed",
                switch_after=None, **kw)
    return cgdopt.minimize(fun, X0, method=method, jac=jac,
                           hessp=hessp if method == "cgd" else None, options=opts)


@pytest.mark.parametrize("method", ["cgd", "cgd-fd"])
def test_none_goes_uphill(method):
    res = run(method, "none", maxiter=1)
    assert res.fun > fun(X0)
    assert res.n_fallbacks == 0 and list(res.history["kind"][1:]) == [method]


@pytest.mark.parametrize("method", ["cgd", "cgd-fd"])
def test_fallback_steps_along_minus_grad_then_regularizes_again(method):
    res = run(method, "fallback")
    kinds = list(res.history["kind"][1:])
    assert kinds[0] == "fallback"
    np.testing.assert_allclose(res.history["f"][1], fun(X0 - 0.5 * jac(X0)), rtol=1e-12)
    assert np.all(np.diff(res.history["f"]) < 0)  # every step descends on f
    assert method in kinds  # once f'' > -1/(2 lam) the regularized direction is used again
    assert res.n_fallbacks == kinds.count("fallback") >= 1
    assert res.switch_iteration is None
    assert abs(res.x[0] - np.pi) < 1e-3  # converges to the minimum of cos


@pytest.mark.parametrize("method", ["cgd", "cgd-fd"])
def test_switch_falls_back_once_and_never_regularizes_again(method):
    res = run(method, "switch")
    kinds = list(res.history["kind"][1:])
    assert kinds[0] == "fallback" and set(kinds[1:]) == {"gd"}
    assert res.n_fallbacks == 1 and res.switch_iteration == 0 and res.switch_reason == "safeguard"
    ngev = np.diff(res.history["ngev"])
    if method == "cgd-fd":
        assert ngev[0] == 2 and np.all(ngev[1:] == 1)  # Algorithm 2's cost accounting


def test_switch_after_b_regularizes_iterations_0_to_b():
    quad = lambda x: float(x @ x)  # noqa: E731
    res = cgdopt.minimize(quad, np.ones(3), method="cgd-fd", jac=lambda x: 2 * x,
                          options=dict(step=0.01, lam=0.4, switch_after=3, maxiter=8))
    assert list(res.history["kind"][1:]) == ["cgd-fd"] * 4 + ["gd"] * 4
    assert res.switch_iteration == 3 and res.switch_reason == "switch_after"


def test_artificial_stationary_point_of_g_is_not_a_stop():
    # grad g = f'(1 + 2 lam f'') = 0 at cos(x) = 1/(2 lam) although f' != 0 (Lemma 1 (b))
    lam = 1.0
    x_star = np.array([np.arccos(1 / (2 * lam))])
    res = cgdopt.minimize(fun, x_star, method="cgd", jac=jac, hessp=hessp,
                          options=dict(step=0.5, lam=lam, safeguard="fallback", maxiter=60))
    assert res.success and abs(res.x[0] - np.pi) < 1e-3
    assert res.history["kind"][1] == "fallback"
