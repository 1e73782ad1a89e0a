"""What ``--functions``, ``--methods`` and ``--line-search`` name, and how a run gets its objects.

``--functions`` takes a comma-separated mix of

* ``paper`` (the six functions of the CGD paper's Appendix B), ``all`` (the
  whole :mod:`cgdopt.testfunctions` library),
* registry names (``levy``, ``rosenbrock``...), ``tag:TAG`` (``tag:convex``),
* ``pkg.module:name``: a :class:`~cgdopt.testfunctions.TestFunction` subclass
  or any object with the test-function interface (``f(x)``, ``f.grad``,
  optionally ``f.hessp``, ``f.x0``, ``f.f_opt``, ``f.bounds``/``f.sample_x0``).

``--methods`` takes cgdopt's method names (``gd``, ``cgd``, ``cgd-fd``,
``newton``), ``scipy:NAME`` for scipy's gradient-based methods, and
``pkg.module:callable`` for any scipy custom minimizer (``cgdopt:cgd_fd`` is
one).  Unknown names raise :class:`~cgdopt.bench.errors.BenchInputError`
listing the valid ones and the closest match (:mod:`difflib`).
"""
from __future__ import annotations

import difflib
import importlib
import inspect
import zlib

import numpy as np

from .errors import BenchInputError

__all__ = ["CGDOPT_METHODS", "SCIPY_METHODS", "LINE_SEARCHES", "split_list", "resolve_functions",
           "resolve_methods", "resolve_line_searches", "problem_dims", "make_function",
           "load_object", "start_point"]

CGDOPT_METHODS = ("gd", "cgd", "cgd-fd", "newton")
#: scipy methods that use gradients (the bench budgets gradient evaluations); the value says
#: which second derivatives each needs: None, "hessp" or "hess"
SCIPY_METHODS = {"CG": None, "BFGS": None, "L-BFGS-B": None, "TNC": None, "SLSQP": None,
                 "Newton-CG": "hessp", "trust-ncg": "hessp", "trust-krylov": "hessp",
                 "trust-constr": "hessp", "dogleg": "hess", "trust-exact": "hess"}
_DERIVATIVE_FREE = ("Nelder-Mead", "Powell", "COBYLA", "COBYQA")
LINE_SEARCHES = ("fixed", "armijo", "wolfe")


def _closest(value: str, valid) -> str:
    close = difflib.get_close_matches(value, list(valid), n=1, cutoff=0.4)
    if not close:
        close = difflib.get_close_matches(value.lower(), [v.lower() for v in valid], n=1, cutoff=0.4)
        close = [v for v in valid if v.lower() in close]
    return f"; did you mean {close[0]!r}?" if close else ""


def split_list(value, flag: str) -> list[str]:
    """``"a,b"`` or ``["a", "b"]`` -> ``["a", "b"]`` (stripped, duplicates dropped, order kept)."""
    if isinstance(value, str):
        items = value.split(",")
    elif isinstance(value, (list, tuple)):
        items = list(value)
    else:
        raise BenchInputError(f"{flag}: got {value!r}; accepted: a comma-separated string or a list")
    out = []
    for item in items:
        if not isinstance(item, str):
            raise BenchInputError(f"{flag}: got {item!r} in {value!r}; accepted: names (strings)")
        item = item.strip()
        if not item:
            raise BenchInputError(f"{flag}: empty name in {value!r}")
        if item not in out:
            out.append(item)
    if not out:
        raise BenchInputError(f"{flag}: no names given")
    return out


def load_object(spec: str, flag: str):
    """Import ``pkg.module:name`` (``name`` may be dotted) or raise a one-line error."""
    module_name, _, attr = spec.partition(":")
    try:
        obj = importlib.import_module(module_name)
    except ImportError as exc:
        raise BenchInputError(f"{flag}: cannot import module {module_name!r} of {spec!r} ({exc})") from None
    for part in attr.split("."):
        if not hasattr(obj, part):
            names = [n for n in dir(obj) if not n.startswith("_")]
            raise BenchInputError(f"{flag}: module {module_name!r} has no {attr!r} "
                                  f"(from {spec!r}){_closest(part, names)}")
        obj = getattr(obj, part)
    return obj


def _all_tags(tf) -> list[str]:
    return sorted({t for name in tf.names() for t in tf.get_class(name).tags})


def resolve_functions(spec) -> list[str]:
    """``--functions`` -> function labels (registry names or ``pkg.module:name``), in order."""
    from cgdopt import testfunctions as tf

    out: list[str] = []
    valid = tf.names()
    for item in split_list(spec, "--functions"):
        if item == "paper":
            found = tf.names("paper")
        elif item == "all":
            found = valid
        elif item.startswith("tag:"):
            tag = item[4:]
            tags = _all_tags(tf)
            if tag not in tags:
                raise BenchInputError(f"--functions: unknown tag {tag!r}; accepted tags: "
                                      f"{', '.join(tags)}{_closest(tag, tags)}")
            found = tf.names(tag)
        elif ":" in item:
            obj = load_object(item, "--functions")
            if not callable(obj) or not (hasattr(obj, "grad") or inspect.isclass(obj)):
                raise BenchInputError(f"--functions: {item!r} is not a test function (a callable "
                                      "with .grad, or a TestFunction class)")
            found = [item]
        else:
            key = item.lower().replace("-", "_").replace(" ", "_")
            if key not in valid:
                raise BenchInputError(
                    f"--functions: unknown function {item!r}; accepted: paper, all, tag:TAG, "
                    f"pkg.module:name or one of {', '.join(valid)}{_closest(key, valid)}")
            found = [key]
        out.extend(f for f in found if f not in out)
    return out


def resolve_methods(spec) -> list[str]:
    """``--methods`` -> canonical method labels (``gd``, ``scipy:BFGS``, ``pkg.module:fn``)."""
    out = []
    by_lower = {m.lower(): m for m in SCIPY_METHODS}
    for item in split_list(spec, "--methods"):
        if item.lower() in CGDOPT_METHODS:
            label = item.lower()
        elif item.lower().startswith("scipy:"):
            name = item[6:]
            if name.lower() not in by_lower:
                why = (f"{name} uses no gradients and the bench budgets gradient evaluations; "
                       if name.lower() in (d.lower() for d in _DERIVATIVE_FREE) else "")
                raise BenchInputError(
                    f"--methods: unknown scipy method {item!r}; {why}accepted: "
                    f"{', '.join('scipy:' + m for m in SCIPY_METHODS)}{_closest(name, SCIPY_METHODS)}")
            label = "scipy:" + by_lower[name.lower()]
        elif ":" in item:
            obj = load_object(item, "--methods")
            if not callable(obj):
                raise BenchInputError(f"--methods: {item!r} is not callable (a scipy custom "
                                      "minimizer is called as fn(fun, x0, args, jac, ...))")
            label = item
        else:
            valid = [*CGDOPT_METHODS, *("scipy:" + m for m in SCIPY_METHODS)]
            raise BenchInputError(f"--methods: unknown method {item!r}; accepted: "
                                  f"{', '.join(valid)} or pkg.module:callable{_closest(item, valid)}")
        if label not in out:
            out.append(label)
    return out


def resolve_line_searches(spec) -> list[str]:
    """``--line-search`` -> a list of cgdopt line searches."""
    out = []
    for item in split_list(spec, "--line-search"):
        if item.lower() not in LINE_SEARCHES:
            raise BenchInputError(f"--line-search: unknown line search {item!r}; accepted: "
                                  f"{', '.join(LINE_SEARCHES)}{_closest(item.lower(), LINE_SEARCHES)}")
        if item.lower() not in out:
            out.append(item.lower())
    return out


def _function_class(label: str):
    from cgdopt import testfunctions as tf

    if ":" in label:
        obj = load_object(label, "--functions")
        return obj if inspect.isclass(obj) else None
    return tf.get_class(label)


def problem_dims(label: str, dims) -> list[int]:
    """The dimensions ``label`` runs in: its own for fixed-dimension functions, ``dims`` or the default otherwise."""
    cls = _function_class(label)
    if cls is None:  # an instance: its own n
        obj = load_object(label, "--functions")
        n = getattr(obj, "n", None)
        if n is None and getattr(obj, "bounds", None) is not None:
            n = len(np.asarray(obj.bounds))
        if n is None and getattr(obj, "x0", None) is not None:
            n = np.asarray(obj.x0).size
        if n is None:
            raise BenchInputError(f"--functions: {label!r} has no n, bounds or x0 to tell its dimension")
        return [int(n)]
    if getattr(cls, "dim", None) is not None:
        return [int(cls.dim)]
    return list(dims) if dims else [int(getattr(cls, "default_dim", 2))]


def make_function(label: str, n: int, seed: int = 0):
    """The test-function object of ``label`` in dimension ``n`` (``seed`` for seeded functions)."""
    from cgdopt import testfunctions as tf

    cls = _function_class(label)
    if cls is None:
        return load_object(label, "--functions")
    kwargs = {}
    params = inspect.signature(cls).parameters
    if "n" in params and getattr(cls, "dim", None) is None:
        kwargs["n"] = n
    if "seed" in params:
        kwargs["seed"] = seed
    return cls(**kwargs) if ":" in label else tf.get(label, **kwargs)


def start_point(f, label: str, n: int, seed: int, i: int) -> np.ndarray:
    """Start ``i`` of ``(seed, label, n)``: uniform in the function's usual domain.

    It depends only on ``(seed, label, n, i)``, so more starts extend a study.
    Uses ``f.sample_x0`` when the object has it, else ``f.bounds``.
    """
    if hasattr(f, "sample_x0"):  # TestFunction.sample_x0 seeds row i with (seed, name, n, i)
        return np.asarray(f.sample_x0(i + 1, seed=seed), dtype=float)[i].copy()
    bounds = getattr(f, "bounds", None)
    if bounds is None:
        raise ValueError(f"{label} has neither sample_x0 nor bounds to draw start {i} from")
    b = np.asarray(bounds, dtype=float).reshape(n, 2)
    rng = np.random.default_rng(np.random.SeedSequence([seed, zlib.crc32(label.encode()), n, i]))
    return b[:, 0] + rng.random(n) * (b[:, 1] - b[:, 0])
