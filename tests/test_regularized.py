"""Tests for cgdopt.regularized_objective and cgdopt.stationary_points (Lemma 1)."""
import autograd
import autograd.numpy as anp
import numpy as np
import pytest

import cgdopt
from cgdopt import regularized_objective, stationary_points
from cgdopt import testfunctions as tf


def rosen(x):
    return anp.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


def reference_g(f, lam, penalty, p):
    """g written directly with autograd (no Lemma 2), as the independent reference."""
    gf = autograd.grad(f)

    def g(x):
        v = gf(x)
        s = anp.sum(anp.abs(v) ** p)
        return f(x) + lam * (s if penalty == "pow" else s ** (1.0 / p))

    return g


@pytest.mark.parametrize("penalty", ["pow", "norm"])
@pytest.mark.parametrize("p", [1.5, 2.0, 3.0])
def test_value_and_gradient_match_autograd(penalty, p):
    x = np.array([-1.2, 1.0, 0.7])
    ref = reference_g(rosen, 0.3, penalty, p)
    g = regularized_objective(rosen, lam=0.3, penalty=penalty, p=p)
    assert g(x) == pytest.approx(float(ref(x)), rel=1e-12)
    np.testing.assert_allclose(g.grad(x), autograd.grad(ref)(x), rtol=1e-9)


def test_explicit_derivatives_and_testfunction_objects():
    f = tf.get("branin")
    x = np.array([1.0, 4.0])
    g_obj = regularized_objective(f, lam=0.07)                       # f.grad, f.hessp
    g_expl = regularized_objective(f, jac=f.grad, hessp=f.hessp, lam=0.07)
    g_dense = regularized_objective(f, jac=f.grad, hess=f.hess, lam=0.07)
    expected = f(x) + 0.07 * float(f.grad(x) @ f.grad(x))
    for g in (g_obj, g_expl, g_dense):
        assert g(x) == pytest.approx(expected, rel=1e-12)
        np.testing.assert_allclose(g.grad(x), f.grad(x) + 0.14 * f.hessp(x, f.grad(x)),
                                   rtol=1e-10)


def test_figure1_closed_form():
    """f2 = (1 + 4 lam) x1^2 + 2 (1 + 8 lam) x2^2 (Section 3)."""
    g = regularized_objective(lambda x: x[0] ** 2 + 2 * x[1] ** 2, lam=0.4)
    x = np.array([0.3, -1.7])
    assert g(x) == pytest.approx(2.6 * 0.09 + 2 * 4.2 * 1.7 ** 2)
    np.testing.assert_allclose(g.grad(x), [2 * 2.6 * 0.3, -4 * 4.2 * 1.7])


def test_fun_returning_value_and_gradient():
    vg = autograd.value_and_grad(rosen)
    hvp = autograd.hessian_vector_product(rosen)
    g = regularized_objective(vg, jac=True, hessp=hvp, lam=0.3)
    ref = regularized_objective(rosen, lam=0.3)
    x = np.array([0.3, -0.2, 1.1])
    assert g(x) == pytest.approx(ref(x)) and g.grad(x) == pytest.approx(ref.grad(x))


def test_zero_lambda_is_f():
    g = regularized_objective(rosen, lam=0.0)
    x = np.array([0.5, 0.1])
    assert g(x) == pytest.approx(float(rosen(x)))
    np.testing.assert_allclose(g.grad(x), autograd.grad(rosen)(x))


@pytest.mark.parametrize("kwargs, match", [
    (dict(lam=-0.1), "lam must be a finite number >= 0, got -0.1"),
    (dict(lam=float("nan")), "lam must be"),
    (dict(lam=True), "lam must be"),
    (dict(lam=0.1, penalty="l2"), "penalty must be one of"),
    (dict(lam=0.1, p=0.5), "p must be a finite number >= 1"),
    (dict(lam=0.1, jac=lambda x: 2 * x), "needs Hessian-vector products"),
    (dict(lam=0.1, jac="2-point"), "finite differences"),
    (dict(lam=0.1, jac="3-point"), "finite differences"),
])
def test_bad_arguments_are_refused(kwargs, match):
    with pytest.raises(ValueError, match=match):
        regularized_objective(rosen, **kwargs)


def test_lam_is_required_and_fun_callable():
    with pytest.raises(TypeError):
        regularized_objective(rosen)
    with pytest.raises(TypeError, match="fun must be callable"):
        regularized_objective(3.0, lam=0.1)


def test_stationary_points_1d_known_function():
    # f = x^3 - 3x: max at -1, min at +1
    f = lambda x: anp.sum(x ** 3 - 3 * x)  # noqa: E731
    pts = stationary_points(f, autograd.grad(f), (-3, 3))
    assert [p.kind for p in pts] == ["max", "min"]
    np.testing.assert_allclose([p.x[0] for p in pts], [-1, 1], atol=1e-9)
    assert pts[0].value == pytest.approx(2.0)


def test_stationary_points_2d_saddle_and_minima():
    # f = (x^2 - 1)^2 + y^2: minima (+-1, 0), saddle (0, 0)
    f = lambda x: (x[0] ** 2 - 1) ** 2 + x[1] ** 2  # noqa: E731
    pts = stationary_points(f, autograd.grad(f), [(-2, 2), (-2, 2)], num=49)
    assert [p.kind for p in pts] == ["min", "saddle", "min"]
    np.testing.assert_allclose([p.x for p in pts], [[-1, 0], [0, 0], [1, 0]], atol=1e-8)


def test_lemma1_artificial_points_of_g():
    """Every stationary point of f is one of g; the others satisfy f'' = -1/(2 lam) (1-D Lemma 1)."""
    f = lambda x: anp.sum(anp.sin(x) + 0.05 * x ** 2)  # noqa: E731
    lam = 0.8
    g = regularized_objective(f, lam=lam)
    sf = stationary_points(f, autograd.grad(f), (-10, 10))
    sg = stationary_points(g, g.grad, (-10, 10))
    gx = np.array([p.x[0] for p in sg])
    for p in sf:
        assert np.min(np.abs(gx - p.x[0])) < 1e-7
    artificial = [p for p in sg if g.is_artificial(p.x)]
    assert len(artificial) == len(sg) - len(sf) >= 2
    f2 = autograd.grad(autograd.grad(f))
    for p in artificial:
        assert f2(p.x)[0] == pytest.approx(-1 / (2 * lam), rel=1e-6)
    # a local maximum of f (near -5.27) becomes a local minimum of g
    kinds_f = {round(p.x[0], 3): p.kind for p in sf}
    kinds_g = {round(p.x[0], 3): p.kind for p in sg}
    assert any(kinds_f[k] == "max" and kinds_g.get(k) == "min" for k in kinds_f)


@pytest.mark.parametrize("bounds", [(1, 0), (0, np.inf), [(0, 1)] * 3, "ab"])
def test_stationary_points_bad_bounds(bounds):
    with pytest.raises(ValueError, match="bounds"):
        stationary_points(rosen, autograd.grad(rosen), bounds)


def test_exported_from_package():
    assert cgdopt.regularized_objective is regularized_objective
    assert "stationary_points" in cgdopt.__all__


@pytest.mark.parametrize("atol", [-1.0, float("nan"), float("inf"), "1e-6", True])
def test_is_artificial_refuses_a_bad_atol(atol):
    g = cgdopt.regularized_objective(lambda x: float(np.sum(x ** 2)), lambda x: 2 * x,
                                     lambda x, v: 2 * v, lam=0.1)
    with pytest.raises(ValueError, match="atol must be a finite number >= 0"):
        g.is_artificial(np.ones(2), atol=atol)
    assert g.is_artificial(np.ones(2), atol=0.0) and not g.is_artificial(np.zeros(2), atol=0.0)
