"""Published local minimizers (``x_local``) and saddle points (``x_saddle``)."""
import numpy as np
import pytest

from cgdopt import testfunctions as tf

WITH_POINTS = [n for n in tf.names() if len(tf.get(n).x_local) or len(tf.get(n).x_saddle)]


def test_some_functions_publish_critical_points():
    assert "two_param" in WITH_POINTS


@pytest.mark.parametrize("name", WITH_POINTS)
def test_critical_points_are_critical_with_the_right_curvature(name):
    f = tf.get(name)
    for kind, xs in (("local", f.x_local), ("saddle", f.x_saddle)):
        assert xs.ndim == 2 and xs.shape[1] == f.n
        for x in xs:
            g = f.grad(x)
            scale = np.where(x != 0, np.abs(x), 1.0)
            assert np.max(np.abs(g) * scale) <= 1e-5 * max(1.0, abs(f(x))), (kind, x, g)
            ev = np.linalg.eigvalsh(f.hess(x))
            tol = 1e-8 * max(1.0, np.abs(ev).max())
            if kind == "local":
                assert ev.min() >= -tol, (x, ev)
                assert f(x) > f.f_opt + 1e-8 * max(1.0, abs(f.f_opt))
            else:
                assert ev.min() < -tol and ev.max() > tol, (x, ev)


def test_brown_almost_linear_n3_published_local_minimum_is_a_saddle():
    """MGH's local minimum (0, ..., 0, n + 1) is a saddle for n = 3 (listed as such)."""
    f = tf.get("brown_almost_linear", n=3)
    x = f.x_saddle[0]
    np.testing.assert_array_equal(x, [0.0, 0.0, 4.0])
    assert f(x) == 1.0 and np.all(f.grad(x) == 0.0)
    assert np.linalg.eigvalsh(f.hess(x)).min() < -1.0
    assert len(f.x_local) == 0 and len(tf.get("brown_almost_linear", n=4).x_local) == 1
