"""Every bad input of issue 2 gets a clear error naming the argument."""
import warnings

import autograd.numpy as anp
import numpy as np
import pytest
from scipy.optimize import OptimizeWarning

import cgdopt

f = lambda x: float(x @ x)  # noqa: E731
g = lambda x: 2 * x  # noqa: E731


def call(x0=np.ones(2), fun=f, method="cgd-fd", jac=g, **options):
    return cgdopt.minimize(fun, x0, method=method, jac=jac, options=options)


BAD = [
    (dict(x0=np.ones((2, 2))), ValueError, "x0 must be 1-D"),
    (dict(x0=np.array([1.0, np.nan])), ValueError, "x0 must be finite"),
    (dict(x0=np.array([1.0, np.inf])), ValueError, "x0 must be finite"),
    (dict(x0=np.array([])), ValueError, "x0 must not be empty"),
    (dict(x0=np.array([1 + 1j, 0])), ValueError, "x0 must be real"),
    (dict(x0=np.array(["a", "b"])), ValueError, "x0 must be a real"),
    (dict(fun=42), TypeError, "fun must be callable"),
    (dict(fun=lambda x: x), ValueError, "fun must return a real scalar"),
    (dict(fun=lambda x: "1.0"), ValueError, "fun must return a real scalar"),
    (dict(fun=lambda x: np.nan), ValueError, "fun must be finite at x0"),
    (dict(fun=lambda x: np.inf), ValueError, "fun must be finite at x0"),
    (dict(jac=lambda x: np.ones(3)), ValueError, r"jac must return an array of shape \(2,\)"),
    (dict(jac="3-point"), ValueError, "jac must be"),
    (dict(lam=-0.1), ValueError, "lam must be finite and >= 0"),
    (dict(lam=np.nan), ValueError, "lam must be finite and >= 0"),
    (dict(lam=lambda k: -1.0), ValueError, r"lam\(0\) must be finite"),
    (dict(lam="big"), TypeError, "lam must be a float"),
    (dict(step=0.0), ValueError, "step must be a finite number > 0"),
    (dict(step=-1.0), ValueError, "step must be a finite number > 0"),
    (dict(step=np.inf), ValueError, "step must be a finite number > 0"),
    (dict(r=0.0), ValueError, "r must be a finite non-zero number"),
    (dict(r=np.nan), ValueError, "r must be a finite non-zero number"),
    (dict(p=0.5), ValueError, "p must be a finite number >= 1"),
    (dict(method="bfgs"), ValueError, "method must be one of"),
    (dict(method=print), ValueError, "method must be one of"),
    (dict(penalty="l2"), ValueError, "penalty must be one of"),
    (dict(fd="centered"), ValueError, "fd must be one of"),
    (dict(safeguard="always"), ValueError, "safeguard must be one of"),
    (dict(line_search="exact"), ValueError, "line_search must be one of"),
    (dict(budget=1), ValueError, r"budget=1 is smaller than the cost of one cgd-fd iteration \(2"),
    (dict(budget=2, fd="central"), ValueError, r"cost of one cgd-fd iteration \(3"),
    (dict(budget=0), ValueError, "budget must be an integer >= 1"),
    (dict(budget=2.5), ValueError, "budget must be an integer"),
    (dict(maxiter=-1), ValueError, "maxiter must be an integer >= 0"),
    (dict(switch_after=-2), ValueError, "switch_after must be an integer >= 0"),
    (dict(gtol=-1.0), ValueError, "gtol must be a finite number >= 0"),
    (dict(c1=0.95, line_search="wolfe"), ValueError, "c1 and c2 must satisfy"),
    (dict(shrink=1.5, line_search="armijo"), ValueError, "shrink must be in"),
    (dict(method="cgd"), ValueError, "method='cgd' needs Hessian-vector products"),
    (dict(method="newton"), ValueError, "method='newton' needs Hessian-vector products"),
]


@pytest.mark.parametrize("kwargs, exc, match", BAD, ids=[m for _, _, m in BAD])
def test_bad_input_raises_clear_error(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        call(**kwargs)


def test_bounds_and_constraints_are_refused():
    with pytest.raises(ValueError, match="bounds"):
        cgdopt.gd(f, np.ones(2), jac=g, bounds=[(0, 1)] * 2)
    with pytest.raises(ValueError, match="constraints"):
        cgdopt.gd(f, np.ones(2), jac=g, constraints=[{"type": "eq", "fun": f}])


def test_unknown_option_warns_like_scipy():
    with pytest.warns(OptimizeWarning, match="Unknown solver options: lamda"):
        call(lamda=0.3, maxiter=2)


def test_gd_warns_on_regularization_options():
    with pytest.warns(OptimizeWarning, match="Unknown solver options: lam"):
        call(method="gd", lam=0.3, maxiter=2)


def test_autograd_failure_says_what_to_do():
    plain = lambda x: float(np.sum(np.sin(x)))  # noqa: E731  (plain numpy: not traceable)
    with pytest.raises(TypeError, match="autograd could not differentiate fun"):
        cgdopt.minimize(plain, np.ones(2), method="gd")


def test_integer_x0_is_converted_and_scalar_x0_is_1d():
    res = call(x0=np.array([1, 2]), maxiter=1)
    assert res.x.dtype == float
    res = cgdopt.minimize(lambda x: anp.sum(x ** 2), 3.0, method="gd", options=dict(maxiter=1))
    assert res.x.shape == (1,)


def test_valid_call_emits_no_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        call(lam=0.1, r=1e-3, fd="central", maxiter=3)
