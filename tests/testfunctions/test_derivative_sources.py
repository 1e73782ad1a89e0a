"""Closed-form and complex-step derivatives, cross-checked against autograd."""
import autograd
import autograd.numpy as anp
import numpy as np
import pytest
from tf_cases import probe_points

from cgdopt import testfunctions as tf

SOURCES = {"closed-form", "complex-step", "autograd"}


def test_sources_are_reported(fn):
    assert fn.grad_source in SOURCES and fn.hessp_source in SOURCES
    if fn.hessp_source == "complex-step":
        assert fn.grad_source == "closed-form"


def test_hessp_vs_autograd(fn):
    if fn.hessp_source == "autograd":
        pytest.skip("hessp is autograd itself")
    rng = np.random.default_rng(7)
    g = autograd.elementwise_grad(fn._f)
    for x in probe_points(fn, seed=8):
        v = rng.standard_normal(fn.n)
        ref = autograd.elementwise_grad(lambda z: anp.sum(g(z) * v))(x)
        np.testing.assert_allclose(fn.hessp(x, v), ref, rtol=1e-8,
                                   atol=1e-10 * (1 + np.abs(ref).max()))


@pytest.mark.parametrize("name", ["ackley", "griewank", "levy", "rosenbrock", "rastrigin",
                                  "dixon_price", "michalewicz", "hartmann6", "branin",
                                  "matyas", "styblinski_tang", "six_hump_camel"])
def test_named_functions_have_closed_form_gradients(name):
    """The functions issue 8 names (and the paper's) never go through autograd."""
    f = tf.get(name)
    assert f.grad_source == "closed-form" and f.hessp_source != "autograd"


def test_complex_step_batched_matches_pointwise():
    f = tf.get("watson", n=9)  # complex-step gradient, blocked over points
    X = f.sample_x0(300, seed=1)
    G = f.grad(X)
    np.testing.assert_allclose(G[[0, 137, 299]], [f.grad(X[i]) for i in (0, 137, 299)],
                               rtol=1e-14, atol=1e-14)
