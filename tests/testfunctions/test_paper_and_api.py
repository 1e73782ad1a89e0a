"""CGD paper Appendix B specifics, registry API, bad input, grid helper."""
import numpy as np
import pytest
import scipy.optimize as so
from hypothesis import given, settings
from hypothesis import strategies as st

from cgdopt import testfunctions as tf

PI = np.pi


# ------------------------------------------------------------------ paper
def test_quadratic_matches_appendix_b_construction():
    f = tf.Quadratic(n=4, seed=7)
    u = np.random.default_rng(7).random((4, 4))
    A = 0.5 * (u + u.T) + 4 * np.eye(4)
    np.testing.assert_array_equal(f.A, A)
    np.testing.assert_array_equal(f.b, [1.0, 2, 3, 4])
    x = np.array([0.3, -1.0, 2.0, 0.5])
    assert f(x) == pytest.approx(0.5 * x @ A @ x - f.b @ x + 0.5, rel=1e-14)
    np.testing.assert_allclose(f.x_opt[0], np.linalg.solve(A, f.b), rtol=1e-14)
    assert np.all(np.linalg.eigvalsh(A) > 0)
    np.testing.assert_allclose(f.hess(x), A, rtol=1e-14)


def test_quadratic_seed_is_reproducible_and_matters():
    a, b, c = tf.Quadratic(n=5), tf.Quadratic(n=5, seed=0), tf.Quadratic(n=5, seed=1)
    np.testing.assert_array_equal(a.A, b.A)
    assert not np.array_equal(a.A, c.A)
    assert a.seed == 0 and "seed=0" in repr(a)


def test_quadratic_optimum_agrees_with_scipy_minimize():
    f = tf.Quadratic(n=8, seed=3)
    res = so.minimize(f, f.x0, jac=f.grad, hessp=f.hessp, method="trust-ncg", tol=1e-12)
    np.testing.assert_allclose(res.x, f.x_opt[0], atol=1e-8)
    assert res.fun == pytest.approx(f.f_opt, rel=1e-10)


def test_branin_optimum_is_exactly_5_over_4pi():
    f = tf.Branin()
    assert f.f_opt == 5 / (4 * PI)
    np.testing.assert_allclose(f.x_opt, [[-PI, 12.275], [PI, 2.275], [3 * PI, 2.475]])
    np.testing.assert_allclose(f(f.x_opt), 5 / (4 * PI), rtol=1e-14)


def test_paper_functions_against_written_out_formulas():
    rng = np.random.default_rng(0)
    x = rng.uniform(-3, 3, (10, 3))
    w = 1 + (x - 1) / 4
    levy = (np.sin(PI * w[:, 0]) ** 2
            + ((w[:, :2] - 1) ** 2 * (1 + 10 * np.sin(PI * w[:, :2] + 1) ** 2)).sum(1)
            + (w[:, 2] - 1) ** 2 * (1 + np.sin(2 * PI * w[:, 2]) ** 2))
    np.testing.assert_allclose(tf.Levy(n=3)(x), levy, rtol=1e-13)
    grie = (x**2).sum(1) / 4000 - np.cos(x[:, 0]) * np.cos(x[:, 1] / np.sqrt(2)) * np.cos(
        x[:, 2] / np.sqrt(3)) + 1
    np.testing.assert_allclose(tf.Griewank(n=3)(x), grie, rtol=1e-13)
    rhe = x[:, 0] ** 2 + (x[:, 0] ** 2 + x[:, 1] ** 2) + (x**2).sum(1)
    np.testing.assert_allclose(tf.RotatedHyperEllipsoid(n=3)(x), rhe, rtol=1e-13)
    y = x[:, :2]
    np.testing.assert_allclose(tf.Matyas()(y), 0.26 * (y**2).sum(1) - 0.48 * y[:, 0] * y[:, 1],
                               rtol=1e-13, atol=1e-15)


# --------------------------------------------------------------- registry
def test_names_are_snake_case_and_include_issue_examples():
    names = tf.names()
    for n in ["quadratic", "rotated_hyper_ellipsoid", "levy", "branin", "griewank", "matyas",
              "rosenbrock", "six_hump_camel", "styblinski_tang"]:
        assert n in names
    assert all(n.replace("_", "").isalnum() and n == n.lower() for n in names)
    assert names == sorted(names)
    assert set(tf.names("paper")) == {"quadratic", "rotated_hyper_ellipsoid", "matyas",
                                      "branin", "levy", "griewank"}


def test_get_and_classes_agree():
    f = tf.get("levy", n=2)
    assert isinstance(f, tf.Levy) and f.n == 2
    assert isinstance(tf.get("Six-Hump Camel"), tf.SixHumpCamel)
    assert tf.get_class("wood") is tf.Wood
    assert tf.get("shekel", m=7).m == 7


def test_unknown_name_lists_close_matches():
    with pytest.raises(ValueError, match="unknown test function name 'rosenbrok'.*'rosenbrock'"):
        tf.get("rosenbrok")
    with pytest.raises(ValueError, match="names()"):
        tf.get("zzzzqqq")
    with pytest.raises(ValueError, match="name must be a string"):
        tf.get(3)


def test_dimension_errors():
    with pytest.raises(ValueError, match=r"branin: n must be 2 \(fixed dimension\), got 3"):
        tf.Branin(n=3)
    with pytest.raises(ValueError, match=r"rosenbrock: n must be an integer in \[2, inf\), got 1"):
        tf.Rosenbrock(n=1)
    with pytest.raises(ValueError, match="multiple of 4"):
        tf.ExtendedPowell(n=6)
    with pytest.raises(ValueError, match=r"watson: n must be an integer in \[2, 31\], got 32"):
        tf.Watson(n=32)
    with pytest.raises(ValueError, match="n must be an integer, got True"):
        tf.Levy(n=True)
    with pytest.raises(ValueError, match="n must be an integer, got '3'"):
        tf.Levy(n="3")
    assert tf.Levy(n=np.int64(3)).n == 3


def test_other_argument_errors():
    with pytest.raises(ValueError, match=r"m must be an integer in \[5, inf\) for n=5, got 4"):
        tf.LinearFullRank(n=5, m=4)
    with pytest.raises(ValueError, match=r"m must be an integer in \[3, 100\]"):
        tf.GulfResearch(m=101)
    with pytest.raises(ValueError, match="m must be one of 5, 7, 10"):
        tf.Shekel(m=6)
    with pytest.raises(ValueError, match="seed must be a non-negative integer"):
        tf.Quadratic(seed=-1)
    with pytest.raises(ValueError, match="must be real"):
        tf.Levy()(np.array([1 + 1j, 2.0]))
    with pytest.raises(ValueError, match="v must have last dimension n=2"):
        tf.Levy().hessp(np.zeros(2), np.zeros(3))


def test_least_squares_residuals_sum_to_f():
    for name in tf.names("least-squares"):
        f = tf.get(name)
        r = f.residuals(f.x0)
        assert r.shape == (f.m,)
        assert f(f.x0) == pytest.approx(float(r @ r), rel=1e-13)


def test_unknown_optimum_is_nan_with_empty_x_opt():
    f = tf.Watson(n=5)
    assert np.isnan(f.f_opt) and f.x_opt.shape == (0, 5)


def test_brown_almost_linear_minimizers_satisfy_the_root_equation():
    for n in (3, 5, 10):
        f = tf.BrownAlmostLinear(n=n)
        assert len(f.x_opt) >= 1 and np.any(np.all(f.x_opt == 1.0, axis=1))
        for x in f.x_opt:
            a = x[0]
            assert abs(n * a**n - (n + 1) * a ** (n - 1) + 1) < 1e-10
            assert f(x) < 1e-20


# ------------------------------------------------------------------- grid
def test_grid_values_and_shapes():
    f = tf.Branin()
    X, Y, Z = tf.grid(f, num=(30, 20))
    assert X.shape == Y.shape == Z.shape == (20, 30)
    assert X[0, 0] == -5 and X[0, -1] == 10 and Y[0, 0] == 0 and Y[-1, 0] == 15
    assert Z[7, 11] == f([X[7, 11], Y[7, 11]])
    X2, Y2, Z2 = f.grid(xlim=(-1, 1), ylim=(0, 2), num=5)
    assert Z2.shape == (5, 5) and X2.min() == -1 and Y2.max() == 2


def test_grid_slices_higher_dimensional_functions():
    f = tf.Levy(n=4)
    X, Y, Z = tf.grid(f, num=10, dims=(1, 3))
    p = np.ones(4)
    p[1], p[3] = X[2, 5], Y[2, 5]
    assert Z[2, 5] == f(p)
    with pytest.raises(ValueError, match="dims must be two different"):
        tf.grid(f, dims=(1, 1))
    with pytest.raises(ValueError, match="grid needs n >= 2"):
        tf.grid(tf.Forrester())


# ------------------------------------------------------------- hypothesis
@settings(max_examples=60, deadline=None)
@given(name=st.sampled_from(["levy", "griewank", "rastrigin", "ackley", "rosenbrock",
                             "styblinski_tang", "sphere", "zakharov", "dixon_price"]),
       n=st.integers(2, 12), seed=st.integers(0, 2**32 - 1))
def test_property_nothing_beats_f_opt_and_batch_matches(name, n, seed):
    f = tf.get(name, n=n)
    b = f.bounds
    x = b[:, 0] + (b[:, 1] - b[:, 0]) * np.random.default_rng(seed).random((5, n))
    vals = f(x)
    assert np.all(vals >= f.f_opt - 1e-12 * max(1, abs(f.f_opt)))
    assert vals[3] == pytest.approx(f(x[3]), rel=1e-13, abs=1e-300)


# -------------------------------------------------------------- threading
def test_threaded_blocks_give_identical_results():
    f = tf.Levy(n=3)
    X = np.random.default_rng(0).uniform(-10, 10, (2, 50_000, 3))  # several blocks
    try:
        tf.set_num_threads(1)
        one = f(X)
        tf.set_num_threads(2)
        two = f(X)
    finally:
        tf.set_num_threads(None)
    assert one.shape == (2, 50_000)
    np.testing.assert_array_equal(one, two)
    np.testing.assert_array_equal(two[1, 123], f(X[1, 123]))
    with pytest.raises(ValueError, match="k must be a positive integer"):
        tf.set_num_threads(0)
    assert tf.get_num_threads() >= 1


# ---------------------------------------------------------------- catalog
def test_docs_catalog_is_up_to_date():
    import pathlib

    from cgdopt.testfunctions.catalog import catalog_markdown
    page = pathlib.Path(__file__).resolve().parents[2] / "docs" / "testfunctions-catalog.md"
    if not page.exists():
        pytest.skip("docs/testfunctions-catalog.md not present (installed package?)")
    text = catalog_markdown()
    for name in tf.names():
        assert f"\n## {name}\n" in text

    def stable(t):  # digits of numerically refined minimizers may differ across BLAS builds
        return [ln for ln in t.splitlines() if "(numerical)" not in ln]
    assert stable(page.read_text()) == stable(text), (
        "regenerate: python -m cgdopt.testfunctions.catalog > docs/testfunctions-catalog.md")


# ------------------------------------------------------- use with optimizers
@pytest.mark.parametrize("name", ["rosenbrock", "wood", "quadratic", "beale", "helical_valley"])
def test_derivatives_drive_a_newton_cg_optimizer_to_x_opt(name):
    # the calling convention of the issue: minimize(f, f.x0, jac=f.grad, hessp=f.hessp)
    f = tf.get(name)
    res = so.minimize(f, f.x0, jac=f.grad, hessp=f.hessp, method="trust-ncg",
                      options=dict(gtol=1e-10, maxiter=2000))
    assert res.fun == pytest.approx(f.f_opt, abs=1e-10)
    assert np.min(np.linalg.norm(f.x_opt - res.x, axis=1)) < 1e-5


# ------------------------------------------------------------ fast kernels
def test_fast_trig_kernels_match_numpy_to_one_ulp():
    from autograd import elementwise_grad as eg

    from cgdopt.testfunctions import _kernels as K
    rng = np.random.default_rng(0)
    special = np.array([0.0, PI, -PI, PI / 2, 3 * PI, 1e-300, -1e-12, 2 * PI, 1e5, -600.0])
    for x in [rng.uniform(-10, 10, 10**5), rng.uniform(-1e5, 1e5, 10**5), special]:
        np.testing.assert_allclose(K.cos(x), np.cos(x), rtol=0, atol=2.3e-16)
        np.testing.assert_allclose(K.sin(x), np.sin(x), rtol=0, atol=2.3e-16)
        np.testing.assert_allclose(K.sin2(x), np.sin(x) ** 2, rtol=0, atol=2.3e-16)
        np.testing.assert_allclose(eg(K.cos)(x), -np.sin(x), rtol=0, atol=2.3e-16)
        np.testing.assert_allclose(eg(K.sin)(x), np.cos(x), rtol=0, atol=2.3e-16)
        np.testing.assert_allclose(eg(K.sin2)(x), np.sin(2 * x), rtol=0, atol=2.3e-16)
        np.testing.assert_allclose(eg(eg(K.cos))(x), -np.cos(x), rtol=0, atol=2.3e-16)
    assert K.cos(0.0) == 1.0 and K.sin(0.0) == 0.0 and K.sin2(0.0) == 0.0
    a = rng.standard_normal((7, 3))
    np.testing.assert_allclose(K.rowsum(a), a.sum(-1), rtol=1e-15)
    np.testing.assert_allclose(K.rowprod(a), a.prod(-1), rtol=1e-15)
    b = rng.standard_normal((7, 9))
    np.testing.assert_allclose(K.rowsum(b), b.sum(-1), rtol=1e-15)


def test_names_refuses_a_tag_no_function_carries():
    """A misspelled tag used to give an empty list."""
    with pytest.raises(ValueError, match=r"unknown tag 'papr'; did you mean \['paper'\]\? "
                                         r"\(tags in use: .*\bpaper\b"):
        tf.names("papr")
    with pytest.raises(ValueError, match="tag must be a string or None, got 3"):
        tf.names(3)
    assert len(tf.names("paper")) == 6 and tf.names(None) == tf.names()


def test_get_names_an_unknown_keyword_and_the_accepted_ones():
    with pytest.raises(TypeError, match=r"rosenbrock: unexpected keyword argument\(s\) \['m'\] "
                                        r"\(accepted: \['n'\]\)"):
        tf.get("rosenbrock", m=3)
    assert tf.get("rosenbrock", n=5).n == 5
