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


def _complex_step_watson(n=9):
    """Watson without its closed forms: the complex-step path a user's ``analytic = True``
    function gets (no registered function uses it any more, so it is tested on this one)."""
    from cgdopt.testfunctions import LeastSquaresFunction

    cls = type(tf.get("watson"))
    body = dict(_grad=LeastSquaresFunction._grad, _hessp=LeastSquaresFunction._hessp,
                _rjac=None, _rhessp=None, analytic=True, analytic_grad=False)
    return type("ComplexStepWatson", (cls,), body)(n)


def test_complex_step_batched_matches_pointwise():
    f = _complex_step_watson()  # complex-step gradient, blocked over points
    assert f.grad_source == "complex-step" and f.hessp_source == "autograd"
    X = f.sample_x0(300, seed=1)
    G = f.grad(X)
    np.testing.assert_allclose(G[[0, 137, 299]], [f.grad(X[i]) for i in (0, 137, 299)],
                               rtol=1e-14, atol=1e-14)
    closed = tf.get("watson", n=9)
    np.testing.assert_allclose(G, closed.grad(X), rtol=1e-12, atol=1e-12 * np.abs(G).max())
    v = np.linspace(-1.0, 1.0, 9)
    np.testing.assert_allclose(f.hessp(X[0], v), closed.hessp(X[0], v), rtol=1e-9,
                               atol=1e-12 * np.abs(closed.hessp(X[0], v)).max())


def test_every_registered_function_has_closed_form_derivatives():
    """Issue 8: closed-form gradients and Hessian-vector products for every function."""
    other = [(n, tf.get(n).grad_source, tf.get(n).hessp_source) for n in tf.names()
             if (tf.get(n).grad_source, tf.get(n).hessp_source) != ("closed-form",) * 2]
    assert other == []


def _domain_frame(f):
    """Centre and widths of the usual domain, and the alternating signs (+1, -1, ...)."""
    b = f.bounds
    return b.mean(axis=1), b[:, 1] - b[:, 0], np.where(np.arange(f.n) % 2, -1.0, 1.0)


def _autograd_refs(f, x, v):
    """Autograd's gradient and Hessian-vector product of the value body at x (the cross-check)."""
    g = autograd.elementwise_grad(f._f)
    return autograd.grad(f._f)(x), autograd.elementwise_grad(lambda z: anp.sum(g(z) * v))(x)


def _assert_close_to(ref_g, ref_h, got_g, got_h, rtol_g=1e-9):
    np.testing.assert_allclose(got_g, ref_g, rtol=rtol_g, atol=1e-12 * (1 + np.abs(ref_g).max()))
    np.testing.assert_allclose(got_h, ref_h, rtol=1e-8, atol=1e-10 * (1 + np.abs(ref_h).max()))


def _assert_matches_autograd(f, X, V):
    """grad and hessp at each row of X (with V), pointwise and batched, against autograd."""
    G, HV = f.grad(X), f.hessp(X, V)  # batched
    for x, v, gb, hb in zip(X, V, G, HV):
        ref_g, ref_h = _autograd_refs(f, x, v)
        for got_g, got_h in ((f.grad(x), f.hessp(x, v)), (gb, hb)):
            _assert_close_to(ref_g, ref_h, got_g, got_h)


def _assert_no_nan_where_finite(f, points, v):
    """No nan in grad or hessp (along v) at any point where the value itself is finite."""
    for x in points:
        with np.errstate(all="ignore"):
            if np.isfinite(f(x)):
                assert not np.isnan(f.grad(x)).any(), x
                assert not np.isnan(f.hessp(x, v)).any(), x


SFU_EXTRA = [("bohachevsky2", {}), ("bohachevsky3", {}), ("de_jong5", {}), ("gramacy_lee", {}),
             ("langermann", {}), ("perm_d_beta", {}), ("perm_d_beta", {"n": 5}),
             ("power_sum", {}), ("shubert", {}), ("mccormick", {}), ("perm0", {}),
             ("perm0", {"n": 4}), ("himmelblau", {}), ("trefethen4", {}), ("weierstrass", {}),
             ("weierstrass", {"n": 3})]


@pytest.mark.parametrize("name, kw", SFU_EXTRA, ids=[
    n + "".join(f"-{k}{v}" for k, v in kw.items()) for n, kw in SFU_EXTRA])
def test_closed_form_sfu_extra(name, kw):
    """Issue 8: closed-form gradient and hessp, checked against autograd at a zero coordinate
    and far outside the domain, and free of nan wherever the value is finite."""
    f = tf.get(name, **kw)
    assert f.grad_source == "closed-form" and f.hessp_source == "closed-form"
    mid, width, alt = _domain_frame(f)
    x_zero = f.x0.copy()
    x_zero[0] = 0.0
    rng = np.random.default_rng(11)
    for x in (x_zero, mid + 10.0 * width * alt):
        v = rng.standard_normal(f.n)
        if name == "gramacy_lee" and x[0] == 0.0:
            # autograd's sinc derivative is 0/0 at 0; the limits are f' = -4 and
            # f'' = -500 pi^3 / 3 + 12 (Taylor series of 5 pi sin(10 pi x) / (10 pi x))
            assert f.grad(x)[0] == pytest.approx(-4.0, rel=1e-15)
            assert f.hessp(x, v)[0] == pytest.approx((12.0 - 500.0 * np.pi ** 3 / 3.0) * v[0],
                                                     rel=1e-14)
            x = np.array([1e-3])  # series side of the switch (|10 pi x| < 1)
        _assert_close_to(*_autograd_refs(f, x, v), f.grad(x), f.hessp(x, v), rtol_g=1e-8)
    # extreme points: no nan in grad or hessp where f is finite (de_jong5's gradient was
    # 0 * inf = nan at |x| = 1e300 before, where its true value underflows to 0)
    _assert_no_nan_where_finite(f, [s * alt for s in (1e20, 1e100, 1e300)], alt)


MGH_VARIABLE = [("watson", {}), ("watson", {"n": 12}), ("extended_rosenbrock", {}),
                ("extended_rosenbrock", {"n": 20}), ("extended_powell", {}),
                ("extended_powell", {"n": 12}), ("penalty1", {}), ("penalty1", {"n": 20}),
                ("penalty2", {}), ("penalty2", {"n": 12}), ("trigonometric", {}),
                ("trigonometric", {"n": 20}), ("variably_dimensioned", {}),
                ("variably_dimensioned", {"n": 20}), ("broyden_banded", {}),
                ("broyden_banded", {"n": 3}), ("broyden_banded", {"n": 40}),
                ("broyden_tridiagonal", {}), ("broyden_tridiagonal", {"n": 20}), ("chebyquad", {}),
                ("chebyquad", {"n": 12}), ("chebyquad", {"n": 5, "m": 12}),
                ("discrete_boundary_value", {}), ("discrete_boundary_value", {"n": 20}),
                ("discrete_integral_equation", {}), ("discrete_integral_equation", {"n": 20}),
                ("linear_full_rank", {}), ("linear_full_rank", {"n": 12, "m": 20}),
                ("linear_rank1", {}), ("linear_rank1", {"n": 12, "m": 15}),
                ("linear_rank1_zero", {}), ("linear_rank1_zero", {"n": 12, "m": 20})]


@pytest.mark.parametrize("name, kw", MGH_VARIABLE, ids=[
    n + "".join(f"-{k}{v}" for k, v in kw.items()) for n, kw in MGH_VARIABLE])
def test_closed_form_mgh_variable(name, kw):
    """Issue 8: closed-form gradient and hessp for the variable-dimension MGH problems,
    checked against autograd (pointwise and batched) at a random domain point, at ``x0``
    with zero coordinates, and far outside the domain; no nan where the value is finite."""
    f = tf.get(name, **kw)
    assert f.grad_source == "closed-form" and f.hessp_source == "closed-form"
    n = f.n
    mid, width, alt = _domain_frame(f)
    x_zero = f.x0.copy()
    x_zero[[0, n // 2]] = 0.0
    rng = np.random.default_rng(12)
    X = np.array([f.sample_x0(1, seed=3)[0], x_zero, mid + 100.0 * width * alt])
    _assert_matches_autograd(f, X, rng.standard_normal(X.shape))
    _assert_no_nan_where_finite(f, [s * alt for s in (1e20, 1e100, 1e300)], alt)


SFU_MULTIMODAL = ["cross_in_tray", "eggholder", "holder_table", "schaffer_n4", "drop_wave",
                  "easom", "levy_n13", "michalewicz", "schaffer_n2", "goldstein_price",
                  "forrester", "shekel", "bdqrtic", "cube", "heart8", "mancino"]


@pytest.mark.parametrize("name", SFU_MULTIMODAL)
def test_closed_form_sfu_multimodal(name):
    """Issue 8: closed-form gradient and hessp (SFU multimodal and kinked, others, Moré-Wild),
    checked against autograd (pointwise and batched) at a random domain point, at ``x0``
    with a zero coordinate and 10 domain widths outside; no nan where f is finite."""
    f = tf.get(name)
    assert f.grad_source == "closed-form" and f.hessp_source == "closed-form"
    mid, width, alt = _domain_frame(f)
    x_zero = f.x0.copy()
    x_zero[0] = 0.0
    X = np.array([f.sample_x0(1, seed=4)[0], x_zero, mid + 10.0 * width * alt])
    V = np.random.default_rng(13).standard_normal(X.shape)
    if name == "cross_in_tray":
        # x1 = 0 is the kink s = sin x1 sin x2 = 0, where autograd gives 0 * inf = nan
        # (through log|s|).  There f = -1e-4 for every x2 and |s| has sign(0) = 0: the
        # gradient and (the derivative of the gradient formula) hessp are 0.
        assert np.all(f.grad(x_zero) == 0.0) and np.all(f.hessp(x_zero, V[1]) == 0.0)
        X[1, 0] = 1e-3  # next to the kink instead
    _assert_matches_autograd(f, X, V)
    _assert_no_nan_where_finite(f, [mid + 1e3 * width * alt, mid - 1e3 * width, 1e20 * alt,
                                    1e100 * alt, 1e300 * alt], alt)


MGH_FIXED = ["freudenstein_roth", "powell_badly_scaled", "brown_badly_scaled", "jennrich_sampson",
             "bard", "gaussian", "meyer", "gulf_research", "powell_singular", "wood",
             "kowalik_osborne", "brown_dennis", "osborne1", "osborne2"]

# x0 with x_j = 0 where autograd is not the reference (named with the reason)
MGH_FIXED_ZERO = {("gulf_research", 0): "undefined: the formula divides by x1 (nan, tested)",
                  ("gulf_research", 2): "autograd's power VJP uses x**where(y, y - 1, 1), so its"
                  " derivative in the exponent y is wrong at y = 0 exactly: central differences"}


@pytest.mark.parametrize("name", MGH_FIXED)
def test_closed_form_mgh_fixed(name):
    """Issue 8: closed-form gradient and hessp for the fixed-dimension MGH problems
    (MGH problems 2-20), checked against autograd (pointwise and batched) at a random
    domain point, at ``x0`` with each coordinate in turn set to 0, and 10 and 1000 domain
    widths outside; no nan where f is finite; a written-out ``_grad`` equals 2 J^T r."""
    f = tf.get(name)
    assert f.grad_source == "closed-form" and f.hessp_source == "closed-form"
    n = f.n
    mid, width, alt = _domain_frame(f)
    pts = [f.sample_x0(1, seed=5)[0]]
    for j in range(n):
        x = f.x0.copy()
        x[j] = 0.0
        why = MGH_FIXED_ZERO.get((name, j))
        if why is None:
            pts.append(x)
        elif j == 0:  # gulf_research at x1 = 0
            with np.errstate(all="ignore"):
                assert np.isnan(f.grad(x)).all() and np.isnan(f.hessp(x, alt)).all()
        else:  # gulf_research at x3 = 0: hessp against central differences of the gradient
            h, v = 1e-6, np.linspace(-1.0, 1.0, n)
            fd = (f.grad(x + h * v) - f.grad(x - h * v)) / (2 * h)
            np.testing.assert_allclose(f.hessp(x, v), fd, rtol=1e-6)
            pts.append(x + np.r_[0.0, 0.0, 1e-9])  # autograd is right off y = 0
    far = []
    with np.errstate(all="ignore"):
        for s in (10.0, 1e3):
            for x in (mid + s * width, mid - s * width, mid + s * width * alt):
                if np.isfinite(f(x)):
                    far.append(x)
    assert far, "no far point with a finite value"
    X = np.array(pts + far)
    V = np.random.default_rng(14).standard_normal(X.shape)
    with np.errstate(all="ignore"):  # hessp evaluates the residuals, which overflow far out
        G, HV = f.grad(X), f.hessp(X, V)  # batched
    compared = 0
    for x, v, gb, hb in zip(X, V, G, HV):
        assert not np.isnan(gb).any() and not np.isnan(hb).any(), x
        with np.errstate(all="ignore"):
            ref_g, ref_h = _autograd_refs(f, x, v)
        if not (np.isfinite(ref_g).all() and np.isfinite(ref_h).all()):
            # gulf_research 1000 widths out: |u|^x3 / x1 is +-inf or +-0, so e^{-z} is 0 or 1
            # with a zero derivative (to far below 1e-300); autograd forms 0 * inf there
            assert name == "gulf_research" and np.all(gb == 0.0) and np.all(hb == 0.0), x
            continue
        compared += 1
        for got_g, got_h in ((f.grad(x), f.hessp(x, v)), (gb, hb)):
            _assert_close_to(ref_g, ref_h, got_g, got_h)
        J, r = f._rjac(x), f.residuals(x)  # the written-out gradient is 2 J^T r
        np.testing.assert_allclose(f.grad(x), 2.0 * J.T @ r, rtol=1e-10,
                                   atol=1e-12 * (1 + np.abs(ref_g).max()))
    assert compared >= len(X) - (3 if name == "gulf_research" else 0)
    _assert_no_nan_where_finite(f, [s * alt for s in (1e20, 1e100, 1e300)], alt)
