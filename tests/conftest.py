"""Shared fixtures: small problems with closed-form derivatives and call counters."""
import os

import numpy as np
import pytest
from hypothesis import settings

# CI (CI=true) runs hypothesis derandomized, so that a landing never depends on the draw;
# local runs keep exploring new examples.
settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


class Counted:
    """A quadratic f = 1/2 x'Ax - b'x whose fun/jac/hessp/hess count their real calls."""

    def __init__(self, A, b):
        self.A, self.b = np.asarray(A, float), np.asarray(b, float)
        self.calls = dict(fun=0, jac=0, hessp=0, hess=0, fun_and_jac=0)

    def fun(self, x):
        self.calls["fun"] += 1
        return 0.5 * x @ self.A @ x - self.b @ x

    def jac(self, x):
        self.calls["jac"] += 1
        return self.A @ x - self.b

    def fun_and_jac(self, x):
        self.calls["fun_and_jac"] += 1
        return 0.5 * x @ self.A @ x - self.b @ x, self.A @ x - self.b

    def hessp(self, x, v):
        self.calls["hessp"] += 1
        return self.A @ v

    def hess(self, x):
        self.calls["hess"] += 1
        return self.A.copy()


@pytest.fixture
def quad():
    rng = np.random.default_rng(0)
    M = rng.standard_normal((4, 4))
    return Counted(M @ M.T + 4 * np.eye(4), np.arange(1.0, 5.0))


@pytest.fixture(scope="session")
def counted_cls():
    """The :class:`Counted` class itself, for tests that build many problems (hypothesis)."""
    return Counted
