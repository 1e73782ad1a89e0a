"""Table of test-function instances and sampling helpers (shared by the tests)."""
import numpy as np
import pytest

from cgdopt import testfunctions as tf

# Non-default constructor arguments worth covering (dimension / m variants
# with published optima, and the paper quadratic with another seed).
EXTRA = [
    ("quadratic", dict(n=3, seed=1)),
    ("levy", dict(n=5)),
    ("griewank", dict(n=7)),
    ("rotated_hyper_ellipsoid", dict(n=6)),
    ("rosenbrock", dict(n=5)),
    ("rastrigin", dict(n=4)),
    ("dixon_price", dict(n=4)),
    ("trid", dict(n=6)),
    ("styblinski_tang", dict(n=3)),
    ("perm0", dict(n=4)),
    ("shekel", dict(m=5)),
    ("shekel", dict(m=7)),
    ("watson", dict(n=9)),
    ("watson", dict(n=12)),
    ("penalty1", dict(n=10)),
    ("penalty2", dict(n=10)),
    ("chebyquad", dict(n=4)),
    ("chebyquad", dict(n=10)),
    ("extended_rosenbrock", dict(n=4)),
    ("extended_powell", dict(n=4)),
    ("linear_full_rank", dict(n=4, m=4)),
    ("linear_rank1", dict(n=3, m=7)),
    ("box_3d", dict(m=20)),
    ("gulf_research", dict(m=10)),
    ("brown_almost_linear", dict(n=5)),
    ("discrete_integral_equation", dict(n=4)),
]


def _cases():
    cases = [(name, {}) for name in tf.names()] + EXTRA
    ids = [name + "".join(f"-{k}{v}" for k, v in kw.items()) for name, kw in cases]
    return cases, ids


CASES, IDS = _cases()
_CACHE = {}


def instance(name, kw):
    key = (name, tuple(sorted(kw.items())))
    if key not in _CACHE:
        _CACHE[key] = tf.get(name, **kw)
    return _CACHE[key]


@pytest.fixture(params=CASES, ids=IDS)
def fn(request):
    name, kw = request.param
    return instance(name, kw)


def sample_points(f, k, seed=0):
    """``k`` deterministic points uniform in ``f.bounds``, shape (k, n)."""
    rng = np.random.default_rng(seed)
    b = f.bounds
    return b[:, 0] + (b[:, 1] - b[:, 0]) * rng.random((k, f.n))


def probe_points(f, seed=0):
    """Points for derivative checks: one in the domain, one near x0, one near x_opt."""
    rng = np.random.default_rng(seed)
    b = f.bounds
    width = b[:, 1] - b[:, 0]
    pts = [sample_points(f, 1, seed)[0], f.x0 + 0.01 * width * rng.uniform(-1, 1, f.n)]
    if len(f.x_opt):
        pts.append(f.x_opt[0] + 0.01 * width * rng.uniform(-1, 1, f.n))
    return np.array(pts)
