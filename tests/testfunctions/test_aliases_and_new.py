"""Aliases and the functions added for issue 8 ("test-function library: complete")."""
import numpy as np
import pytest

from cgdopt import testfunctions as tf

PAPER = {"quadratic", "rotated_hyper_ellipsoid", "matyas", "branin", "levy", "griewank"}
NEW = ["gramacy_lee", "langermann", "shubert", "bohachevsky2", "bohachevsky3", "perm_d_beta",
       "power_sum", "de_jong5", "hartmann4", "himmelblau", "schwefel_1_2", "schwefel_2_21",
       "schwefel_2_22", "salomon", "alpine1", "qing", "trefethen4", "weierstrass", "bdqrtic",
       "cube", "mancino", "heart8", "two_param"]


def test_paper_tag_is_exactly_the_six_cgd_functions():
    assert set(tf.names("paper")) == PAPER


def test_new_functions_registered():
    assert set(NEW) <= set(tf.names())


@pytest.mark.parametrize("alias, name", sorted(tf.aliases().items()))
def test_alias_resolves_but_is_not_listed(alias, name):
    assert alias not in tf.names() and name in tf.names()
    kw = {"n": 8} if name == "extended_powell" else {}
    f, g = tf.get(alias, **kw), tf.get(name, **kw)
    assert type(f) is type(g)
    x = g.sample_x0(3, seed=0)
    np.testing.assert_array_equal(f(x), g(x))


def test_alias_spellings_are_normalised():
    assert isinstance(tf.get("Schwefel 2.26"), tf.Schwefel)
    assert isinstance(tf.get("de-jong-1"), tf.SphereFunction)
    with pytest.raises(ValueError, match="did you mean"):
        tf.get("colvile")


def test_colville_is_sfu_colville():
    """SFU's Colville formula, written out, equals MGH's Wood (its alias target)."""
    f = tf.get("colville")
    X = np.random.default_rng(0).uniform(-10, 10, (50, 4))
    x1, x2, x3, x4 = X.T
    sfu = (100 * (x1 ** 2 - x2) ** 2 + (x1 - 1) ** 2 + (x3 - 1) ** 2 + 90 * (x3 ** 2 - x4) ** 2
           + 10.1 * ((x2 - 1) ** 2 + (x4 - 1) ** 2) + 19.8 * (x2 - 1) * (x4 - 1))
    np.testing.assert_allclose(f(X), sfu, rtol=1e-12)


def test_powell_alias_needs_n_divisible_by_4():
    assert tf.get("powell", n=12).n == 12
    with pytest.raises(ValueError, match="multiple of 4"):
        tf.get("powell", n=6)


@pytest.mark.parametrize("name, published, rtol", [
    ("shubert", -186.7309, 1e-6),                    # SFU
    ("trefethen4", -3.30686864747523728, 1e-14),    # Trefethen (2002), 100-digit challenge
    ("de_jong5", 0.998003838, 1e-9),                 # e.g. Jamil & Yang f_Shekel foxholes
    ("gramacy_lee", -0.869011134989500, 1e-12),
    ("langermann", -4.15580929184779, 1e-12),
])
def test_published_minimum_values(name, published, rtol):
    assert tf.get(name).f_opt == pytest.approx(published, rel=rtol)


def test_exact_minimizers():
    h = tf.get("himmelblau")
    assert h([3.0, 2.0]) == 0.0 and len(h.x_opt) == 4 and len(h.x_saddle) == 4
    p = tf.get("power_sum")
    assert len(p.x_opt) == 12 and np.all(p(p.x_opt) == 0.0)
    assert np.all(tf.get("perm_d_beta", n=5)(np.arange(1.0, 6.0)) == 0.0)
    q = tf.get("qing", n=3)
    assert len(q.x_opt) == 8 and np.all(q(q.x_opt) < 1e-28)
    w = tf.get("weierstrass", n=3)
    assert w(np.zeros(3)) == 0.0 and np.all(w.grad(np.zeros(3)) == 0.0)
    assert tf.get("cube", n=6)(np.ones(6)) == 0.0


def test_weierstrass_equals_the_literal_formula():
    w = tf.get("weierstrass", n=2)
    x = np.array([0.1234, -0.31])
    a, b = 0.5 ** np.arange(21), 3.0 ** np.arange(21)
    lit = sum((a * np.cos(2 * np.pi * b * (xi + 0.5))).sum() for xi in x) \
        - 2 * (a * np.cos(np.pi * b)).sum()
    assert w(x) == pytest.approx(lit, abs=1e-9)


@pytest.mark.parametrize("name", ["schwefel_2_21", "schwefel_2_22", "alpine1", "salomon"])
def test_nonsmooth_functions_are_tagged_and_return_subgradients(name):
    f = tf.get(name, n=3)
    assert "nonsmooth" in f.tags and not f.smooth_at_opt
    np.testing.assert_array_equal(f.grad(np.zeros(3)), 0.0)  # documented choice at the kink
    # a subgradient: f(y) >= f(x) + g.(y - x) holds for the convex ones
    if "convex" in f.tags:
        rng = np.random.default_rng(1)
        X, Y = rng.uniform(-5, 5, (200, 3)), rng.uniform(-5, 5, (200, 3))
        assert np.all(f(Y) >= f(X) + np.sum(f.grad(X) * (Y - X), axis=-1) - 1e-9)


def test_schwefel_2_21_gradient_choice_on_ties():
    f = tf.get("schwefel_2_21", n=3)
    np.testing.assert_array_equal(f.grad([2.0, -2.0, 1.0]), [1.0, 0.0, 0.0])  # first argmax
    np.testing.assert_array_equal(f.grad([0.5, -3.0, 1.0]), [0.0, -1.0, 0.0])


def test_more_wild_starting_points():
    np.testing.assert_array_equal(tf.get("heart8").x0,
                                  [-0.3, -0.39, 0.3, -0.344, -1.2, 2.69, 1.59, -1.5])
    np.testing.assert_array_equal(tf.get("cube").x0, np.full(5, 0.5))
    assert tf.get("bdqrtic", n=10).m == 12 and np.isnan(tf.get("bdqrtic").f_opt)
    m = tf.get("mancino", n=5)
    assert m.x0[0] == pytest.approx(102.4824, rel=1e-6)  # -8.710996e-4 ((1-50)^3 + sum ...)
    assert m.f_opt == 0.0 and m(m.x_opt[0]) < 1e-18
