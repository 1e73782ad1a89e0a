"""``two_param``: Barrett & Dherin's model E(a, b) = (y - a b x)^2 / 2 (ICLR 2021, Sec. 5)."""
import numpy as np
import pytest

from cgdopt import testfunctions as tf


def test_defaults_are_table_a1():
    f = tf.get("two_param")
    assert (f.x, f.y) == (1.0, 0.6) and f.n == 2
    np.testing.assert_array_equal(f.x0, [2.8, 3.5])
    np.testing.assert_array_equal(f.x0_far, [75.0, 74.925])
    assert f.f_opt == 0.0 and not f.x_opt_complete and "hyperbola" in f.x_opt_note
    assert "paper" not in f.tags


@pytest.mark.parametrize("x, y", [(1.0, 0.6), (0.5, 0.6), (2.0, -3.0), (-1.5, 0.2), (1.0, 0.0)])
def test_minimizers_lie_on_the_hyperbola_and_are_critical(x, y):
    f = tf.TwoParam(x=x, y=y)
    xo = f.x_opt
    assert len(xo) >= 2
    np.testing.assert_allclose(xo[:, 0] * xo[:, 1], y / x, atol=1e-15)
    np.testing.assert_allclose(f(xo), 0.0, atol=1e-30)
    np.testing.assert_allclose(f.grad(xo), 0.0, atol=1e-14)
    b = f.bounds
    assert np.all(xo >= b[:, 0]) and np.all(xo <= b[:, 1])
    if y != 0:  # the first two are the minimum-norm points of the hyperbola
        a = np.linspace(0.05, 5, 20001) * np.sign(y / x)
        norms = np.hypot(a, f.curve_b(a))
        assert np.linalg.norm(xo[0]) <= norms.min() + 1e-15
        np.testing.assert_allclose(np.linalg.norm(xo[0]), np.sqrt(2 * abs(y / x)))


def test_formula_gradient_hessian_and_regularizer_in_closed_form():
    f = tf.TwoParam(x=1.3, y=0.7)
    a, b = 0.4, -2.1
    r = 0.7 - a * b * 1.3
    assert f([a, b]) == pytest.approx(0.5 * r * r, rel=1e-15)
    np.testing.assert_allclose(f.grad([a, b]), [-b * 1.3 * r, -a * 1.3 * r], rtol=1e-14)
    off = a * b * 1.3 ** 2 - 1.3 * r
    np.testing.assert_allclose(f.hess([a, b]),
                               [[b * b * 1.69, off], [off, a * a * 1.69]], rtol=1e-14)
    # Eq. 4 / A.25 with m = 2 parameters: R_IG = |grad E|^2 / 2 = (a^2 + b^2) x^2 E
    assert f.r_ig([a, b]) == pytest.approx(0.5 * np.sum(f.grad([a, b]) ** 2), rel=1e-14)
    assert f.r_ig([a, b]) == pytest.approx((a * a + b * b) * 1.69 * f([a, b]), rel=1e-14)
    assert f.r_ig(np.array([[a, b]] * 3)).shape == (3,)


def test_origin_is_a_saddle():
    f = tf.get("two_param")
    np.testing.assert_array_equal(f.x_saddle, [[0.0, 0.0]])
    ev = np.linalg.eigvalsh(f.hess(f.x_saddle[0]))
    np.testing.assert_allclose(ev, [-0.6, 0.6])


def test_gradient_descent_converges_to_the_curve():
    """Plain GD from the paper's point I (h_S = 1e-3 is slow; h_M = 2.5e-2 here)."""
    f = tf.get("two_param")
    p = f.x0
    for _ in range(2000):
        p = p - 2.5e-2 * f.grad(p)
    assert f(p) < 1e-20 and p[0] * p[1] == pytest.approx(0.6, rel=1e-9)


@pytest.mark.parametrize("kw, msg", [
    (dict(x=0.0), "x must be non-zero"), (dict(x="1"), "x must be a finite real"),
    (dict(y=np.nan), "y must be a finite real"), (dict(y=True), "y must be a finite real"),
    (dict(n=3), "n must be 2"),
])
def test_bad_arguments(kw, msg):
    with pytest.raises(ValueError, match=msg):
        tf.get("two_param", **kw)
