"""Tests for cgdopt.schedules."""
import numpy as np
import pytest

import cgdopt
from cgdopt.schedules import Constant, Linear, as_schedule


def test_constant_and_float():
    assert as_schedule(0.3)(17) == 0.3 and Constant(0.5)(0) == 0.5


def test_linear_goes_from_a_to_b_over_num_values_then_stays():
    s = Linear(0.01, 0.1, num=10)
    vals = [s(k) for k in range(12)]
    assert vals[0] == 0.01 and vals[9] == pytest.approx(0.1) and vals[11] == pytest.approx(0.1)
    assert np.all(np.diff(vals[:10]) > 0)


def test_linear_without_num_is_bound_to_the_budget():
    seen = []

    class Spy(Linear):
        def __call__(self, k):
            seen.append((self.num, k))
            return super().__call__(k)

    cgdopt.minimize(lambda x: float(x @ x), np.ones(2), method="cgd-fd", jac=lambda x: 2 * x,
                    options=dict(lam=Spy(0.01, 0.1), budget=40, switch_after=10))
    assert {num for num, _ in seen} == {40}


def test_linear_unbound_raises():
    with pytest.raises(RuntimeError, match="no length"):
        Linear(0.0, 1.0)(3)


@pytest.mark.parametrize("bad", [dict(a=-1, b=1), dict(a=0, b=np.inf), dict(a=0, b=1, num=0)])
def test_linear_rejects_bad_values(bad):
    with pytest.raises(ValueError):
        Linear(**bad)


def test_callable_values_are_checked_each_iteration():
    lam = lambda k: 0.1 if k < 2 else -0.1  # noqa: E731
    with pytest.raises(ValueError, match=r"lam\(2\) must be finite and >= 0"):
        cgdopt.minimize(lambda x: float(x @ x), np.ones(2), method="cgd-fd", jac=lambda x: 2 * x,
                        options=dict(lam=lam, maxiter=5, switch_after=None))


@pytest.mark.parametrize("schedule", [Constant(0.1), Linear(0.0, 1.0, num=5),
                                      as_schedule(lambda k: 0.1)])
@pytest.mark.parametrize("k,error", [(-1, ValueError), (2.5, TypeError), (True, TypeError),
                                     ("3", TypeError)])
def test_a_schedule_refuses_an_iteration_that_is_not_an_int_ge_0(schedule, k, error):
    """Linear(0, 1, num=5)(-1) extrapolated to -0.25, a negative lambda."""
    with pytest.raises(error, match="the iteration k must be an int >= 0"):
        schedule(k)
    assert schedule(np.int64(2)) == schedule(2)
