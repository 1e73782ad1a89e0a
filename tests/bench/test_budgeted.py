"""cgdopt.bench.budgeted: every method under the same counted, budget-capped callables."""
import numpy as np
import pytest

from cgdopt import testfunctions as tf
from cgdopt.bench.budgeted import Capped, run_method


class Counting:
    """Wraps a test function and counts its real gradient and Hessian-vector calls."""

    def __init__(self, f):
        self.f, self.n, self.f_opt, self.bounds = f, f.n, f.f_opt, f.bounds
        self.grads = self.hvps = 0

    def __call__(self, x):
        return self.f(x)

    def grad(self, x):
        self.grads += 1
        return self.f.grad(x)

    def hessp(self, x, v):
        self.hvps += 1
        return self.f.hessp(x, v)

    def hess(self, x):
        self.hvps += self.n
        return self.f.hess(x)


@pytest.mark.parametrize("method", ["scipy:BFGS", "scipy:CG", "scipy:L-BFGS-B", "scipy:Newton-CG",
                                    "scipy:trust-ncg", "scipy:trust-exact", "gd", "cgd", "newton",
                                    "cgdopt:cgd_fd"])
@pytest.mark.parametrize("budget", [1, 7, 25])
def test_budget_is_never_exceeded(method, budget):
    f = Counting(tf.get("rosenbrock", n=4))
    x0 = tf.get("rosenbrock", n=4).sample_x0(1, seed=3)[0]
    row, trace = run_method(f, x0, method, budget=budget, line_search="armijo", f_opt=0.0)
    real = f.grads + f.hvps
    assert real == row["ngev"] == row["njev"] + row["nhev"] <= budget
    assert row["status"] in ("budget", "converged", "stopped", "diverged", "skipped")
    ngev = [t["ngev"] for t in trace]
    assert ngev[0] == 0 and ngev == sorted(ngev) and ngev[-1] <= budget
    assert row["fun"] <= row["f0"] and row["fun"] == min(t["f"] for t in trace)


def test_budget_stop_keeps_best_point():
    f = tf.get("rosenbrock", n=2)
    row, trace = run_method(f, np.array([-1.2, 1.0]), "scipy:BFGS", budget=10, f_opt=0.0)
    assert row["status"] == "budget" and row["ngev"] == 10
    assert row["fun"] < row["f0"]


def test_non_finite_points_end_the_run_as_diverged():
    class Blows:
        n, f_opt = 1, 0.0

        def __call__(self, x):
            return float(-np.exp(50 * x[0]))

        def grad(self, x):
            return np.array([-50 * np.exp(50 * x[0])])

    row, trace = run_method(Blows(), np.array([1.0]), "gd", budget=50, line_search="fixed",
                            options={"step": 1.0})
    assert row["status"] == "diverged" and np.isfinite(row["fun"]) and row["ngev"] <= 50
    cap = Capped(tf.get("sphere", n=2), budget=5)
    with pytest.raises(Exception) as err:
        cap.hessp(np.zeros(2), np.array([np.nan, 0.0]))
    assert type(err.value).__name__ == "_NonFinitePoint" and cap.nhev == 0


def test_capped_refuses_before_evaluating():
    f = tf.get("sphere", n=3)
    cap = Capped(f, budget=4)
    cap.hess(np.ones(3))  # a dense Hessian costs n = 3
    assert cap.ngev == 3
    cap.hessp(np.ones(3), np.ones(3))
    with pytest.raises(Exception) as err:
        cap.jac(np.ones(3))
    assert type(err.value).__name__ == "_BudgetReached" and cap.ngev == 4
    assert cap.fun(np.zeros(3)) == 0.0 and cap.best_f == 0.0 and cap.nfev == 1
