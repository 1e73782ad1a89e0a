"""A user's typed code, checked with ``mypy --strict`` against the package (see setup.cfg [mypy]).

Not a test module (its name does not start with ``test_``); ``tests/test_packaging.py``
runs mypy on it.
"""
from __future__ import annotations

import numpy as np
import scipy.optimize
from numpy.typing import NDArray

import cgdopt
from cgdopt import directions, schedules
from cgdopt import testfunctions as tf


def fun(x: NDArray[np.float64]) -> float:
    return float(x @ x)


def grad(x: NDArray[np.float64]) -> NDArray[np.float64]:
    return 2.0 * x


res: scipy.optimize.OptimizeResult = cgdopt.minimize(
    fun, np.ones(3), method="cgd-fd", jac=grad, options={"lam": 0.1, "r": 1e-3, "budget": 20})
x: NDArray[np.float64] = res.x
same = scipy.optimize.minimize(fun, np.ones(3), method=cgdopt.cgd_fd, jac=grad)
message: str = cgdopt.STATUS_MESSAGES[0]
version: str = cgdopt.__version__

g = np.array([3.0, 4.0])
u = directions.penalty_vector(g, p=2.0)
c: float = directions.penalty_coefficient(g, "pow", 2.0)
nu: float = directions.fd_weight(0.1, c, 1e-3)
G = directions.fd_regularized_gradient(g, [g], nu, fd="forward")
ok: bool = directions.is_descent(g, G)

lam: schedules.Schedule = schedules.as_schedule(0.5)
value: float = lam(3)
lin = schedules.Linear(0.0, 1.0, num=10)

f = tf.get("rosenbrock", n=2)
fx: float = f(f.x0)
names: list[str] = tf.names()
