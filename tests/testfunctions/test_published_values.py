"""Values at documented points against independently published values.

Each case cites where its number comes from.  "SFU" is Surjanovic & Bingham,
Virtual Library of Simulation Experiments, https://www.sfu.ca/~ssurjano/
(the function's page); "MGH" is Moré, Garbow & Hillstrom, ACM TOMS 7 (1981)
17-41.  Points given to a few digits are evaluated as published, so the
tolerance reflects the published rounding.
"""
import numpy as np
import pytest
import scipy.optimize as so

from cgdopt import testfunctions as tf

PI = np.pi

# (name, kwargs, point, published value, abs tolerance, source)
AT_POINTS = [
    # SFU Branin page: f* = 0.397887 at (-pi, 12.275), (pi, 2.275), (9.42478, 2.475)
    ("branin", {}, [-PI, 12.275], 0.397887, 1e-6, "SFU Branin"),
    ("branin", {}, [PI, 2.275], 0.397887, 1e-6, "SFU Branin"),
    ("branin", {}, [9.42478, 2.475], 0.397887, 1e-6, "SFU Branin"),
    # SFU Goldstein-Price page: f* = 3 at (0, -1)
    ("goldstein_price", {}, [0.0, -1.0], 3.0, 1e-12, "SFU Goldstein-Price"),
    # SFU Hartmann 3-D / 6-D pages
    ("hartmann3", {}, [0.114614, 0.555649, 0.852547], -3.86278, 1e-5, "SFU Hartmann 3-D"),
    ("hartmann6", {}, [0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573], -3.32237, 1e-5,
     "SFU Hartmann 6-D"),
    # SFU Cross-in-tray, Holder table, Eggholder, Six-hump camel, Michalewicz pages
    ("cross_in_tray", {}, [1.3491, -1.3491], -2.06261, 1e-5, "SFU Cross-in-Tray"),
    ("holder_table", {}, [-8.05502, 9.66459], -19.2085, 1e-4, "SFU Holder Table"),
    ("eggholder", {}, [512.0, 404.2319], -959.6407, 1e-4, "SFU Eggholder"),
    ("six_hump_camel", {}, [-0.0898, 0.7126], -1.0316, 1e-4, "SFU Six-Hump Camel"),
    ("michalewicz", {}, [2.20, 1.57], -1.8013, 5e-4, "SFU Michalewicz (x* given to 3 digits)"),
    # SFU Shekel page: f* = -10.1532 / -10.4029 / -10.5364 at (4, 4, 4, 4) (x* rounded)
    ("shekel", dict(m=5), [4.0, 4, 4, 4], -10.1532, 1e-4, "SFU Shekel"),
    ("shekel", dict(m=7), [4.0, 4, 4, 4], -10.4029, 2e-4, "SFU Shekel"),
    ("shekel", dict(m=10), [4.0, 4, 4, 4], -10.5364, 2e-4, "SFU Shekel"),
    # SFU Forrester et al. (2008) page: -6.02074 at 0.75725
    ("forrester", {}, [0.75725], -6.02074, 1e-5, "SFU Forrester"),
    # SFU McCormick page: -1.9133 at (-0.54719, -1.54719)
    ("mccormick", {}, [-0.54719, -1.54719], -1.9133, 1e-4, "SFU McCormick"),
    # Schaffer N.4: 0.292579 at (0, 1.25313) (Jamil & Yang 2013, function 136)
    ("schaffer_n4", {}, [0.0, 1.25313], 0.292579, 1e-6, "Jamil & Yang (2013)"),
    # SFU Trid page: f* = -50 (d = 6) at x_i = i (d + 1 - i).  (SFU also prints
    # -200 for d = 10, but its own minimizer gives -210 = -d(d+4)(d-1)/6: the
    # gradient 2(x_i - 1) - x_{i-1} - x_{i+1} vanishes there, checked by hand.)
    ("trid", dict(n=6), [6.0, 10, 12, 12, 10, 6], -50.0, 1e-12, "SFU Trid"),
    ("trid", dict(n=10), [10.0, 18, 24, 28, 30, 30, 28, 24, 18, 10], -210.0, 1e-12,
     "SFU Trid minimizer, value by hand"),
    # SFU Schwefel page: f* ~ 0 at x_i = 420.9687 (exactly 1.2728e-5 per coordinate)
    ("schwefel", dict(n=1), [420.9687], 0.0, 2e-5, "SFU Schwefel"),
    # MGH problem 1 (Rosenbrock) start; hand computation: 100*(1-1.44)^2 + 2.2^2 = 24.2
    ("rosenbrock", {}, [-1.2, 1.0], 24.2, 1e-12, "MGH 1, hand computation"),
    # MGH 2 start (0.5, -2): r = (19.5, -4.5) -> 380.25 + 20.25
    ("freudenstein_roth", {}, [0.5, -2.0], 400.5, 1e-12, "MGH 2, hand computation"),
    # MGH 4 start (1, 1): (1 - 1e6)^2 + (1 - 2e-6)^2 + 1
    ("brown_badly_scaled", {}, [1.0, 1.0], (1 - 1e6) ** 2 + (1 - 2e-6) ** 2 + 1.0, 1e-3,
     "MGH 4, hand computation"),
    # MGH 5 start (1, 1): 1.5^2 + 2.25^2 + 2.625^2
    ("beale", {}, [1.0, 1.0], 14.203125, 1e-12, "MGH 5, hand computation"),
    # MGH 7 start (-1, 0, 0): theta = 1/2 -> r1 = -50
    ("helical_valley", {}, [-1.0, 0.0, 0.0], 2500.0, 1e-12, "MGH 7, hand computation"),
    # MGH 13 start (3, -1, 0, 1): 49 + 5 + 1 + 160
    ("powell_singular", {}, [3.0, -1, 0, 1], 215.0, 1e-12, "MGH 13, hand computation"),
    # MGH 14 start (-3, -1, -3, -1): 10000 + 16 + 9000 + 16 + 160 + 0
    ("wood", {}, [-3.0, -1, -3, -1], 19192.0, 1e-9, "MGH 14, hand computation"),
    # MGH 20 (n = 6) start 0: 29 residuals -1, r30 = 0, r31 = -1
    ("watson", {}, [0.0] * 6, 30.0, 1e-12, "MGH 20, hand computation"),
    # MGH 32 (n = 5, m = 10) start 1: five residuals -1, five residuals -2
    ("linear_full_rank", {}, [1.0] * 5, 25.0, 1e-12, "MGH 32, hand computation"),
    # SFU Styblinski-Tang page gives x_i = -2.903534; the formula there gives
    # 0.5 (t^4 - 16 t^2 + 5 t) = -39.166166 per coordinate (SFU prints -39.16599).
    ("styblinski_tang", dict(n=1), [-2.903534], -39.166166, 1e-6, "SFU Styblinski-Tang"),
]


@pytest.mark.parametrize("name,kw,x,value,atol,source", AT_POINTS,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(AT_POINTS)])
def test_value_at_documented_point(name, kw, x, value, atol, source):
    assert abs(tf.get(name, **kw)(np.array(x)) - value) <= atol, source


# MGH (1981) Table of results: minima reached from the standard start.  Our
# x_opt is found by Levenberg-Marquardt from x0, independently of these numbers.
MGH_MINIMA = [
    ("bard", {}, 8.21487e-3), ("gaussian", {}, 1.12793e-8), ("meyer", {}, 87.9458),
    ("jennrich_sampson", {}, 124.362), ("kowalik_osborne", {}, 3.07505e-4),
    ("brown_dennis", {}, 85822.2), ("osborne1", {}, 5.46489e-5), ("osborne2", {}, 4.01377e-2),
    ("watson", dict(n=6), 2.28767e-3), ("watson", dict(n=9), 1.39976e-6),
    ("watson", dict(n=12), 4.72238e-10),
    ("penalty1", dict(n=4), 2.24998e-5), ("penalty1", dict(n=10), 7.08765e-5),
    ("penalty2", dict(n=4), 9.37629e-6), ("penalty2", dict(n=10), 2.93660e-4),
    ("chebyquad", dict(n=8), 3.51687e-3), ("chebyquad", dict(n=10), 6.50395e-3),
]


@pytest.mark.parametrize("name,kw,value", MGH_MINIMA, ids=[f"{c[0]}-{c[1]}" for c in MGH_MINIMA])
def test_mgh_published_minimum_is_reproduced(name, kw, value):
    f = tf.get(name, **kw)
    assert f.f_opt == value and f.f_opt_is_published_best
    assert len(f.x_opt) == 1
    # six significant digits as published
    assert abs(f(f.x_opt[0]) - value) <= 6e-6 * value


def test_rosenbrock_matches_scipy_reference_implementation():
    # scipy.optimize.rosen / rosen_der / rosen_hess_prod: an independent implementation
    rng = np.random.default_rng(0)
    for n in (2, 3, 7):
        f = tf.Rosenbrock(n=n)
        for _ in range(5):
            x, v = rng.uniform(-2, 2, n), rng.standard_normal(n)
            assert f(x) == pytest.approx(so.rosen(x), rel=1e-14)
            np.testing.assert_allclose(f.grad(x), so.rosen_der(x), rtol=1e-12, atol=1e-12)
            np.testing.assert_allclose(f.hessp(x, v), so.rosen_hess_prod(x, v),
                                       rtol=1e-10, atol=1e-10)
            np.testing.assert_allclose(f.hess(x), so.rosen_hess(x), rtol=1e-10, atol=1e-10)


def test_rosenbrock_n2_equals_extended_rosenbrock_n2():
    # MGH 1 and MGH 21 with n = 2 are the same function
    x = np.random.default_rng(1).uniform(-2, 2, (20, 2))
    np.testing.assert_allclose(tf.Rosenbrock()(x), tf.ExtendedRosenbrock(n=2)(x), rtol=1e-14)


def test_wood_equals_sfu_colville_formula():
    # SFU "Colville Function" written out independently
    x = np.random.default_rng(2).uniform(-10, 10, (50, 4))
    x1, x2, x3, x4 = x.T
    colville = (100 * (x1**2 - x2) ** 2 + (x1 - 1) ** 2 + (x3 - 1) ** 2 + 90 * (x3**2 - x4) ** 2
                + 10.1 * ((x2 - 1) ** 2 + (x4 - 1) ** 2) + 19.8 * (x2 - 1) * (x4 - 1))
    np.testing.assert_allclose(tf.Wood()(x), colville, rtol=1e-12)
