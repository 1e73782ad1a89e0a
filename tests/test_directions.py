"""Tests for cgdopt.directions: Lemma 2, finite differences, the safeguard, backends."""
import autograd
import autograd.numpy as anp
import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import arrays

from cgdopt import directions as rules


def f(x):
    return anp.sum(anp.sin(x) * x ** 2) + 0.3 * anp.sum(x[:-1] * x[1:]) + anp.sum(anp.exp(0.2 * x))


grad_f = autograd.grad(f)
hvp_f = autograd.hessian_vector_product(f)


def g_pow(x, lam, p):
    return f(x) + lam * anp.sum(anp.abs(grad_f(x)) ** p)


def g_norm(x, lam, p):
    return f(x) + lam * anp.sum(anp.abs(grad_f(x)) ** p) ** (1.0 / p)


@pytest.mark.parametrize("penalty, g", [("pow", g_pow), ("norm", g_norm)])
@pytest.mark.parametrize("p", [1.5, 2.0, 3.0, 4.5])
def test_lemma2_matches_autograd_of_g(penalty, g, p):
    x = np.array([0.7, -1.2, 0.4, 2.0])
    lam = 0.37
    gr = grad_f(x)
    u = rules.penalty_vector(gr, p)
    c = rules.penalty_coefficient(gr, penalty, p)
    G = rules.exact_regularized_gradient(gr, hvp_f(x, u), lam, c)
    np.testing.assert_allclose(G, autograd.grad(g)(x, lam, p), rtol=1e-10, atol=1e-12)


def test_p1_is_sign_form_corollary1():
    gr = np.array([0.5, -2.0, 0.0])
    np.testing.assert_array_equal(rules.penalty_vector(gr, 1.0), [1.0, -1.0, 0.0])
    assert rules.penalty_coefficient(gr, "norm", 1.0) == 1.0
    assert rules.penalty_coefficient(gr, "pow", 1.0) == 1.0


@pytest.mark.parametrize("penalty", ["pow", "norm"])
@pytest.mark.parametrize("p", [1.0, 1.5, 2.0, 3.0])
def test_zero_gradient_gives_no_nan(penalty, p):
    zero = np.zeros(3)
    u = rules.penalty_vector(zero, p)
    c = rules.penalty_coefficient(zero, penalty, p)
    assert np.all(np.isfinite(u)) and np.isfinite(c)
    partly = np.array([0.0, 1.0, -2.0])
    assert np.all(np.isfinite(rules.penalty_vector(partly, p)))
    assert np.all(np.isfinite(rules.fd_regularized_gradient(zero, [zero], 5.0, "forward")))


def test_default_forward_rule_is_equation_10():
    x = np.array([0.3, -0.8, 1.1, 0.2])
    lam, r = 0.4, 1e-3
    gr = grad_f(x)
    nu = rules.fd_weight(lam, rules.penalty_coefficient(gr), r)
    assert nu == pytest.approx(2 * lam / r)
    G = rules.fd_regularized_gradient(gr, [grad_f(x + r * rules.penalty_vector(gr))], nu)
    expected = (1 - 2 * lam / r) * gr + (2 * lam / r) * grad_f(x + r * gr)
    np.testing.assert_allclose(G, expected, rtol=1e-12)


@pytest.mark.parametrize("fd, order", [("forward", 1), ("backward", 1), ("central", 2)])
def test_fd_converges_to_exact_with_its_order(fd, order):
    x = np.array([0.3, -0.8, 1.1, 0.2])
    lam, gr = 0.25, grad_f(x)
    exact = rules.exact_regularized_gradient(gr, hvp_f(x, gr), lam, 2.0)
    errors = []
    for r in (1e-2, 5e-3):
        probes = [grad_f(x + s * r * gr) for s in rules.PROBE_SIGNS[fd]]
        G = rules.fd_regularized_gradient(gr, probes, rules.fd_weight(lam, 2.0, r), fd)
        errors.append(np.linalg.norm(G - exact))
    assert errors[1] < errors[0]
    assert errors[0] / errors[1] == pytest.approx(2.0 ** order, rel=0.15)


def test_backward_equals_forward_with_negative_step():
    x = np.array([0.3, -0.8, 1.1, 0.2])
    gr, r, lam = grad_f(x), 0.05, 0.3
    back = rules.fd_regularized_gradient(gr, [grad_f(x - r * gr)], rules.fd_weight(lam, 2, r), "backward")
    fwd_neg = rules.fd_regularized_gradient(gr, [grad_f(x - r * gr)], rules.fd_weight(lam, 2, -r), "forward")
    np.testing.assert_allclose(back, fwd_neg, rtol=1e-13)


# magnitudes below 1e-100 would make <g, g> underflow to 0 in floating point
finite = st.floats(-1e3, 1e3, allow_nan=False).filter(lambda v: v == 0 or abs(v) > 1e-100)


@settings(max_examples=200, deadline=None)
@given(arrays(float, 5, elements=finite), arrays(float, 5, elements=finite))
def test_safeguarded_direction_is_always_descent(grad, reg):
    G, fell_back = rules.safeguard(grad, reg)
    if np.any(grad != 0):
        assert grad @ G > 0  # d = -G satisfies Eq. 3
    assert fell_back == (not grad @ reg > 0)
    assert (G is grad) if fell_back else (G is reg)


def test_torch_tensor_backend_matches_numpy():
    gr = np.array([0.5, -2.0, 0.0, 3.0])
    probe = np.array([0.1, 0.2, -0.3, 0.4])
    t, tp = torch.tensor(gr), torch.tensor(probe)
    for p in (1.0, 1.5, 2.0, 3.0):
        np.testing.assert_allclose(rules.penalty_vector(t, p).numpy(), rules.penalty_vector(gr, p))
        for penalty in rules.PENALTIES:
            assert rules.penalty_coefficient(t, penalty, p) == pytest.approx(
                rules.penalty_coefficient(gr, penalty, p))
    for fd in rules.FD_SCHEMES:
        probes = [probe, -probe][: len(rules.PROBE_SIGNS[fd])]
        tprobes = [tp, -tp][: len(rules.PROBE_SIGNS[fd])]
        np.testing.assert_allclose(rules.fd_regularized_gradient(t, tprobes, 3.0, fd).numpy(),
                                   rules.fd_regularized_gradient(gr, probes, 3.0, fd))


@pytest.mark.parametrize("bad", [dict(penalty="l2", p=2), dict(penalty="pow", p=0.5),
                                 dict(penalty="norm", p=float("nan")), dict(penalty="pow", p=True)])
def test_check_penalty_rejects(bad):
    with pytest.raises(ValueError, match="penalty|p must"):
        rules.check_penalty(**bad)


def test_check_fd_rejects_unknown():
    with pytest.raises(ValueError, match="fd must be one of"):
        rules.check_fd_scheme("centered")
