"""The issue's usage: test functions plug straight into cgdopt.minimize."""
import numpy as np
import pytest

import cgdopt
from cgdopt import testfunctions as tf


@pytest.mark.parametrize("name", tf.names("paper"))
@pytest.mark.parametrize("method", ["gd", "cgd", "cgd-fd", "newton"])
def test_minimize_accepts_function_and_derivatives(name, method):
    f = tf.get(name)
    opts = dict(line_search="armijo", maxiter=30)
    if method in ("cgd", "cgd-fd"):
        opts["lam"] = 0.01
    if method in ("gd", "cgd-fd"):  # they do not use hessp, and say so as scipy's methods do
        with pytest.warns(RuntimeWarning, match=f"Method {method} does not use Hessian-vector"):
            res = cgdopt.minimize(f, f.x0, jac=f.grad, hessp=f.hessp, method=method, options=opts)
    else:
        res = cgdopt.minimize(f, f.x0, jac=f.grad, hessp=f.hessp, method=method, options=opts)
    assert res.fun < f(f.x0)  # Armijo steps decrease f
    assert np.isfinite(res.fun) and res.njev >= 1


def test_lazy_attribute_access():
    assert cgdopt.testfunctions.get("branin").n == 2
