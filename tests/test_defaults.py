"""Defect 6: the default options serve a scipy user on every library function."""
import warnings

import numpy as np
import pytest

import cgdopt
import cgdopt.testfunctions as tf
from cgdopt._options import DEFAULT_MAXITER, validate_options

#: switch_after as the defaults resolve it (T/4 with T = the default maxiter)
DEFAULT_SWITCH = validate_options("cgd-fd", {})["switch_after"]
#: not met: the CGD-FD probe x0 + r grad f(x0) lies far outside the domain (r |grad f| ~ 94 on
#: Jennrich-Sampson), its gradient overflows and the run stops at x0 with status 3 (x, f finite)
PROBE_OVERFLOWS = {"jennrich_sampson"}
#: not met either, and cannot be by a descent method: outside their usual domain these
#: functions are unbounded below (Forrester's (6x-2)^2 sin(12x-4), Hoelder table's
#: exp(|1 - r/pi|)); Armijo steps leave the domain and f decreases until it overflows
#: (status 3 at the last finite iterate, f(res.x) < f(x0)).
UNBOUNDED_BELOW = {"forrester", "holder_table"}


@pytest.mark.parametrize("name", tf.names())
def test_default_run_never_ends_above_f_x0_or_non_finite(name):
    """Armijo steps decrease f at every accepted iterate, so a prefix of the default run shows
    the property of the whole run; 40 iterations keep the test fast."""
    f = tf.get(name)
    x0 = np.asarray(f.x0, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        res = cgdopt.minimize(f, x0, options=dict(maxiter=40, switch_after=DEFAULT_SWITCH))
    f0 = f(x0)
    if name in PROBE_OVERFLOWS | UNBOUNDED_BELOW:
        assert res.status in (0, 1, 3, 4, 5), res.message
    else:
        assert res.status in (0, 1, 4, 5), res.message  # never 3 (non-finite)
    assert np.all(np.isfinite(res.x)) and np.isfinite(res.fun)
    assert res.fun <= f0
    assert np.all(np.diff(res.history["f"]) <= 0)


@pytest.mark.slow
@pytest.mark.parametrize("name, x0", [("rosenbrock", [-1.2, 1.0]), ("beale", [1.0, 1.0])])
def test_default_method_reaches_gtol_1e_5(name, x0):
    f = tf.get(name)
    res = cgdopt.minimize(f, np.array(x0), jac=f.grad)  # every option at its default
    assert res.success, res.message
    assert np.max(np.abs(f.grad(res.x))) <= 1e-5
    assert res.nit < DEFAULT_MAXITER
    np.testing.assert_allclose(res.x, f.x_opt if np.ndim(f.x_opt) == 1 else f.x_opt[0], atol=1e-4)


def test_the_old_fixed_step_default_diverged_where_the_new_default_does_not():
    """The reason for the breaking change: the paper's fixed step 0.01 overflows on Rosenbrock."""
    from scipy.optimize import rosen, rosen_der
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        old = cgdopt.minimize(rosen, [-1.2, 1], jac=rosen_der,
                              options=dict(line_search="fixed", switch_after=None, maxiter=50))
    new = cgdopt.minimize(rosen, [-1.2, 1], jac=rosen_der, options=dict(maxiter=50))
    assert old.status == 3
    assert new.status == 1 and new.fun < rosen(np.array([-1.2, 1]))
