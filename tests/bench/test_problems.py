"""cgdopt.bench.problems: name resolution with close-match errors, dimensions, starts."""
import numpy as np
import pytest

from cgdopt import testfunctions as tf
from cgdopt.bench.errors import BenchInputError
from cgdopt.bench.problems import (make_function, problem_dims, resolve_functions,
                                   resolve_line_searches, resolve_methods, split_list,
                                   start_point)


def test_function_sets_and_tags():
    assert resolve_functions("paper") == tf.names("paper")
    assert resolve_functions("all") == tf.names()
    assert resolve_functions("tag:convex") == tf.names("convex")
    # a mix keeps order and drops duplicates
    assert resolve_functions("levy,paper,Levy") == ["levy"] + [n for n in tf.names("paper") if n != "levy"]
    assert resolve_functions(["rosenbrock", "beale"]) == ["rosenbrock", "beale"]


@pytest.mark.parametrize("spec, words", [
    ("rosenbrok", ["unknown function 'rosenbrok'", "did you mean 'rosenbrock'"]),
    ("tag:convx", ["unknown tag 'convx'", "did you mean 'convex'", "multimodal"]),
    ("", ["empty name"]),
    ("nosuchmodule_xyz:f", ["cannot import module 'nosuchmodule_xyz'"]),
    ("cgdopt.testfunctions:Rosenbrok", ["has no 'Rosenbrok'", "did you mean 'Rosenbrock'"]),
])
def test_bad_function_names(spec, words):
    with pytest.raises(BenchInputError) as err:
        resolve_functions(spec)
    msg = str(err.value)
    assert msg.startswith("--functions") and "\n" not in msg
    for w in words:
        assert w in msg


def test_methods():
    assert resolve_methods("GD,cgd-fd,scipy:bfgs,scipy:L-BFGS-B") == ["gd", "cgd-fd", "scipy:BFGS",
                                                                       "scipy:L-BFGS-B"]
    assert resolve_methods("cgdopt:cgd_fd") == ["cgdopt:cgd_fd"]


@pytest.mark.parametrize("spec, words", [
    ("cgd_fd", ["unknown method 'cgd_fd'", "did you mean 'cgd-fd'"]),
    ("scipy:BFSG", ["unknown scipy method", "did you mean 'BFGS'"]),
    ("scipy:Nelder-Mead", ["uses no gradients"]),
    ("cgdopt:nope", ["has no 'nope'"]),
    ("cgdopt:__version__", ["is not callable"]),
])
def test_bad_methods(spec, words):
    with pytest.raises(BenchInputError) as err:
        resolve_methods(spec)
    for w in words:
        assert w in str(err.value)


def test_line_searches():
    assert resolve_line_searches("fixed,Armijo") == ["fixed", "armijo"]
    with pytest.raises(BenchInputError, match="did you mean 'wolfe'"):
        resolve_line_searches("wolf")
    with pytest.raises(BenchInputError, match="comma-separated"):
        split_list(3, "--methods")


def test_dims_and_functions():
    assert problem_dims("levy", None) == [tf.get_class("levy").default_dim]
    assert problem_dims("levy", [3, 5]) == [3, 5]
    assert problem_dims("branin", [3, 5]) == [2]  # fixed dimension: its own
    f = make_function("quadratic", 2, seed=1)
    assert f.n == 2
    with pytest.raises(ValueError):
        make_function("extended_rosenbrock", 3)  # odd n: the run records it as skipped


def test_starts_extend_and_lie_in_domain():
    f = tf.get("levy", n=3)
    a = [start_point(f, "levy", 3, 7, i) for i in range(4)]
    b = start_point(f, "levy", 3, 7, 2)
    np.testing.assert_array_equal(a[2], b)
    assert not np.array_equal(a[0], a[1])
    lo, hi = f.bounds.T
    assert all(np.all((x >= lo) & (x <= hi)) for x in a)


def test_start_from_bounds_without_sample_x0():
    class F:
        bounds = np.array([[0.0, 1.0], [10.0, 20.0]])

    x = [start_point(F(), "mine", 2, 0, i) for i in range(3)]
    assert all(0 <= v[0] <= 1 and 10 <= v[1] <= 20 for v in x)
    np.testing.assert_array_equal(x[1], start_point(F(), "mine", 2, 0, 1))
