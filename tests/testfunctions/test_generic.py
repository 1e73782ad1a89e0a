"""Generic checks crossed with every registered function (and some variants).

One table (``conftest.CASES``) x one check per test, in the spirit of
botorch's test-function mixins.
"""
import autograd
import numpy as np
import pytest
from tf_cases import probe_points, sample_points

from cgdopt import testfunctions as tf


def _known(f):
    return np.isfinite(f.f_opt)


def _tol(f):
    return f.f_opt_rtol * abs(f.f_opt) + f.f_opt_atol + 1e-15 * max(1.0, abs(f.f_opt))


def test_registry_has_at_least_40_functions():
    assert len(tf.names()) >= 40
    assert len(tf.names("paper")) == 6
    assert len(tf.names("mgh")) >= 30


def test_metadata_shapes_and_types(fn):
    n = fn.n
    assert isinstance(n, int) and n >= 1
    assert fn.bounds.shape == (n, 2) and fn.bounds.dtype == np.float64
    assert np.all(fn.bounds[:, 0] < fn.bounds[:, 1])
    assert fn.x0.shape == (n,) and fn.x0.dtype == np.float64
    xo = fn.x_opt
    assert xo.ndim == 2 and xo.shape[1] == n and xo.dtype == np.float64
    assert isinstance(fn.f_opt, float)
    assert fn.formula and fn.reference and fn.title and fn.tags
    assert fn.name == fn.name.lower() and " " not in fn.name
    assert type(fn).__doc__ and fn.name in tf.names()


def test_f_at_x_opt_equals_f_opt(fn):
    if not _known(fn):
        pytest.skip(f"{fn!r}: optimum not published for these arguments")
    if len(fn.x_opt) == 0:
        pytest.skip(f"{fn!r}: no minimizer known / found")
    vals = fn(fn.x_opt)
    np.testing.assert_allclose(vals, fn.f_opt, rtol=0, atol=_tol(fn))


def test_x_opt_lies_in_bounds(fn):
    b = fn.bounds
    assert np.all(fn.x_opt >= b[:, 0]) and np.all(fn.x_opt <= b[:, 1])


def test_gradient_vanishes_at_interior_optimum(fn):
    if not (fn.smooth_at_opt and fn.interior_opt) or len(fn.x_opt) == 0:
        pytest.skip("optimum not smooth/interior or unknown")
    for x in fn.x_opt:
        g = fn.grad(x)
        scale = np.where(x != 0, np.abs(x), 1.0)  # first-order change per relative step
        # plus the rounding floor: x_opt is only known to one ulp, and g moves by |H| ulp(x)
        floor = 10 * np.finfo(float).eps * np.abs(x).max() * np.abs(fn.hess(x)).max() * \
            scale.max() if fn.n <= 20 else 0.0
        assert np.max(np.abs(g) * scale) <= 1e-6 * max(1.0, abs(fn.f_opt)) + floor, g


def test_optimum_beats_random_domain_points(fn):
    if not _known(fn):
        pytest.skip("optimum unknown")
    vals = fn(sample_points(fn, 1000, seed=1))
    assert fn.f_opt <= vals.min() + _tol(fn)


def test_x0_is_not_optimal(fn):
    f0 = fn(fn.x0)
    assert np.isfinite(f0)
    if _known(fn):
        assert f0 > fn.f_opt + _tol(fn)


def _fd_grad(f, x, h):
    """Richardson-extrapolated central differences, O(h^4)."""
    def d(hh):
        e = np.eye(f.n) * hh
        return (f(x + e) - f(x - e)) / (2 * hh)
    return (4 * d(h / 2) - d(h)) / 3


# Finite differences cannot resolve these (autograd remains their cross-check).
FD_UNRESOLVABLE = {"weierstrass": "terms of period 3^-20 ~ 3e-10, below any usable step"}


def test_grad_vs_central_differences(fn):
    if fn.name in FD_UNRESOLVABLE:
        pytest.skip(FD_UNRESOLVABLE[fn.name])
    for x in probe_points(fn):
        g = fn.grad(x)
        h = 1e-5 * np.maximum(np.abs(x), 1.0)
        fd = _fd_grad(fn, x, h)
        err = np.abs(g - fd)
        tol = 1e-5 * np.abs(g) + 1e-6 * np.linalg.norm(g) + 1e-9 * (1 + abs(fn(x))) / h
        assert np.all(err <= tol), (x, g, fd)


def test_grad_vs_autograd(fn):
    for x in probe_points(fn, seed=2):
        ref = autograd.grad(lambda z: fn._f(z))(x)
        np.testing.assert_allclose(fn.grad(x), ref, rtol=1e-9, atol=1e-12 * (1 + np.abs(ref).max()))


def test_hessp_vs_finite_differences_of_grad(fn):
    if fn.name in FD_UNRESOLVABLE:
        pytest.skip(FD_UNRESOLVABLE[fn.name])
    rng = np.random.default_rng(3)
    for x in probe_points(fn, seed=3):
        v = rng.standard_normal(fn.n)
        h = 1e-6 * np.maximum(np.abs(x), 1.0)
        d = lambda s: (fn.grad(x + s * v * h) - fn.grad(x - s * v * h)) / (2 * s)  # noqa: E731
        fd = (4 * d(0.5) - d(1.0)) / 3          # H (h * v), Richardson
        hv = fn.hessp(x, v * h)
        tol = 1e-5 * np.linalg.norm(hv) + 1e-8 * (1 + np.linalg.norm(fn.grad(x)))
        assert np.linalg.norm(hv - fd) <= tol, (x, hv, fd)


def test_hess_symmetric_and_equals_hessp_columns(fn):
    if fn.n > 20:
        pytest.skip("dense Hessian only checked for n <= 20")
    x = probe_points(fn, seed=4)[0]
    H = fn.hess(x)
    assert H.shape == (fn.n, fn.n) and H.dtype == np.float64
    scale = 1e-10 * (1 + np.abs(H).max())
    np.testing.assert_allclose(H, H.T, rtol=0, atol=scale)
    for i in range(fn.n):
        np.testing.assert_allclose(H[:, i], fn.hessp(x, np.eye(fn.n)[i]), rtol=0, atol=scale)


def test_batched_equals_pointwise(fn):
    X = sample_points(fn, 12, seed=5).reshape(3, 4, fn.n)
    V = np.random.default_rng(6).standard_normal(X.shape)
    F, G, HV = fn(X), fn.grad(X), fn.hessp(X, V)
    assert F.shape == (3, 4) and G.shape == X.shape and HV.shape == X.shape
    for i in range(3):
        for j in range(4):
            fx = fn(X[i, j])
            assert isinstance(fx, float)
            np.testing.assert_allclose(F[i, j], fx, rtol=1e-13, atol=1e-300)
            np.testing.assert_allclose(G[i, j], fn.grad(X[i, j]), rtol=1e-12,
                                       atol=1e-12 * (1 + np.abs(G[i, j]).max()))
            np.testing.assert_allclose(HV[i, j], fn.hessp(X[i, j], V[i, j]), rtol=1e-10,
                                       atol=1e-10 * (1 + np.abs(HV[i, j]).max()))
    H = fn.hess(X[0, :2])
    assert H.shape == (2, fn.n, fn.n)
    np.testing.assert_allclose(H[1], fn.hess(X[0, 1]), rtol=1e-12,
                               atol=1e-12 * (1 + np.abs(H).max()))


def test_float64_throughout(fn):
    x32 = fn.x0.astype(np.float32)
    assert isinstance(fn(x32), float)
    assert fn(x32[None, :]).dtype == np.float64
    assert fn.grad(x32).dtype == np.float64
    assert fn.hessp(x32, x32).dtype == np.float64
    xi = np.round(fn.x0).astype(np.int64)
    assert fn(xi) == fn(xi.astype(np.float64))


def test_points_outside_the_domain_are_accepted(fn):
    b = fn.bounds
    x = b[:, 1] + 0.5 * (b[:, 1] - b[:, 0])
    y = fn(x)  # no error
    assert isinstance(y, float)


def test_bad_inputs_raise(fn):
    n = fn.n
    with pytest.raises(ValueError, match=f"last dimension n={n}"):
        fn(np.zeros(n + 1))
    with pytest.raises(ValueError, match=f"last dimension n={n}"):
        fn.grad(np.zeros((2, n + 2)))
    with pytest.raises(ValueError, match="last dimension"):
        fn(3.0)
    bad = fn.x0.copy()
    bad[-1] = np.nan
    with pytest.raises(ValueError, match="finite"):
        fn(bad)
    bad[-1] = np.inf
    with pytest.raises(ValueError, match="finite"):
        fn.hessp(fn.x0, bad)
    with pytest.raises(ValueError, match="numeric"):
        fn("x")
    if fn.dim is not None:
        bad_n = fn.dim + 1
    elif fn.dim_range[1] is not None:
        bad_n = fn.dim_range[1] + fn.dim_step
    else:
        bad_n = fn.dim_range[0] - 1
    with pytest.raises(ValueError, match="n must be"):
        type(fn)(n=bad_n)
    with pytest.raises(ValueError, match="n must be an integer"):
        type(fn)(n=float(n) + 0.5)
