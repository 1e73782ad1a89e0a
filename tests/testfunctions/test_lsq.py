"""Helpers of the closed-form least-squares derivatives (``cgdopt.testfunctions._lsq``)."""
import numpy as np

from cgdopt import testfunctions as tf
from cgdopt.testfunctions import _lsq


def test_symv_is_the_symmetric_matrix_product_batched():
    rng = np.random.default_rng(0)
    A = rng.standard_normal((5, 3, 3))
    H = A + np.swapaxes(A, -1, -2)
    v = rng.standard_normal((5, 3))
    upper = {(i, j): H[:, i, j] for i in range(3) for j in range(i, 3)}
    np.testing.assert_allclose(_lsq.symv(upper, v), np.einsum("kij,kj->ki", H, v), rtol=1e-14)


def test_an_exact_zero_wins_over_an_overflowing_factor():
    v = np.array([0.0, 2.0])
    assert np.all(_lsq.symv({(0, 0): np.inf, (1, 1): 3.0}, v) == [0.0, 6.0])  # not nan
    assert _lsq.rsum(np.array([0.0, 1.0]), np.array([np.inf, 2.0])) == 2.0


def test_rows_and_vec_build_jacobians():
    J = _lsq.rows((4,), 3, 2, {(0, 0): 1.0, (2, 1): np.arange(4.0)})
    assert J.shape == (4, 3, 2) and np.all(J[:, 2, 1] == np.arange(4.0)) and J[0, 1, 0] == 0.0
    c = _lsq.vec((2, 3), [1.0, np.ones((2, 3))])
    assert c.shape == (2, 3, 2) and np.all(c == 1.0)


def test_hessp_zero_wins_where_a_jacobian_column_is_zero_and_another_overflows():
    f = tf.get("osborne1")  # x3 = 0, x5 = -2.2: t x3 e^{-t x5} = 0, e^{-t x5} up to e^704
    x = np.array([-0.12, 2.5e-4, 0.0, 0.36, -2.2])
    assert np.isfinite(f(x))
    g, hv = f.grad(x), f.hessp(x, np.eye(5)[4])
    assert g[4] == 0.0 and not np.isnan(hv).any()  # d/dx5 = x3 (...) = 0 exactly
