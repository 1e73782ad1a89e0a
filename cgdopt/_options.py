"""Option tables and their validation: one place for defaults and error messages."""
from __future__ import annotations

import math
import numbers
import warnings

import numpy as np
from scipy.optimize import OptimizeWarning

from . import directions as rules
from .linesearch import LINE_SEARCHES

METHODS = ("gd", "cgd", "cgd-fd", "newton")

COMMON = dict(step=None, line_search="fixed", maxiter=None, gtol=1e-5, norm=np.inf,
              budget=None, c1=1e-4, c2=0.9, shrink=0.5, maxls=30, disp=False)
REGULARIZED = dict(lam=0.1, penalty="pow", p=2.0, safeguard=None, switch_after=None)
DEFAULTS = {
    "gd": dict(COMMON),
    "cgd": dict(COMMON, **REGULARIZED),
    "cgd-fd": dict(COMMON, **REGULARIZED, r=1e-3, fd="forward"),
    "newton": dict(COMMON, safeguard="fallback", switch_after=None, cg_maxiter=None, cg_rtol=1e-5),
}
#: the paper's choice: Algorithm 1 (CGD) falls back, Algorithm 2 (CGD-FD) switches
DEFAULT_SAFEGUARD = {"cgd": "fallback", "cgd-fd": "switch", "newton": "fallback"}
DEFAULT_STEP = {"fixed": 1e-2, "armijo": 1.0, "wolfe": None}
DEFAULT_MAXITER = 1000


def _choice(name, value, allowed):
    if not isinstance(value, str) or value not in allowed:
        raise ValueError(f"{name} must be one of {allowed}, got {value!r}")


def _positive(name, value, *, allow_zero=False, allow_none=False):
    if value is None and allow_none:
        return None
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)
    if not ok or value < 0 or (value == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be a finite number {bound}, got {value!r}")
    return float(value)


def _count(name, value, minimum=0, allow_none=True):
    if value is None and allow_none:
        return None
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}" +
                         (" or None" if allow_none else "") + f", got {value!r}")
    return int(value)


def iteration_cost(method, opts, fun_returns_grad) -> int:
    """Gradient evaluations of one iteration of ``method`` (Algorithm 2's count)."""
    probes = len(rules.PROBE_SIGNS[opts["fd"]]) if method == "cgd-fd" else 0
    return 1 + probes + (1 if fun_returns_grad else 0)


def validate_options(method, options, tol=None):
    """Merge ``options`` with the method's defaults; warn on unknown keys, raise on bad values."""
    _choice("method", method, METHODS)
    options = dict(options or {})
    if tol is not None:
        options.setdefault("gtol", tol)
    options.pop("tol", None)
    defaults = DEFAULTS[method]
    unknown = sorted(set(options) - set(defaults))
    if unknown:
        warnings.warn(f"Unknown solver options: {', '.join(unknown)}", OptimizeWarning, stacklevel=4)
    opts = dict(defaults)
    opts.update({k: v for k, v in options.items() if k in defaults})

    _choice("line_search", opts["line_search"], LINE_SEARCHES)
    if opts["step"] is None:
        opts["step"] = 1.0 if method == "newton" and opts["line_search"] == "fixed" \
            else DEFAULT_STEP[opts["line_search"]]
    else:
        opts["step"] = _positive("step", opts["step"])
    opts["gtol"] = _positive("gtol", opts["gtol"], allow_zero=True)
    if opts["norm"] not in (np.inf, -np.inf) and not (isinstance(opts["norm"], numbers.Real) and opts["norm"] >= 1):
        raise ValueError(f"norm must be a number >= 1 or np.inf, got {opts['norm']!r}")
    opts["budget"] = _count("budget", opts["budget"], minimum=1)
    opts["maxiter"] = _count("maxiter", opts["maxiter"])
    if opts["maxiter"] is None:
        opts["maxiter"] = opts["budget"] if opts["budget"] is not None else DEFAULT_MAXITER
    opts["maxls"] = _count("maxls", opts["maxls"], minimum=1, allow_none=False)
    c1, c2 = opts["c1"], opts["c2"]
    if not (isinstance(c1, numbers.Real) and isinstance(c2, numbers.Real) and 0 < c1 < c2 < 1):
        raise ValueError(f"c1 and c2 must satisfy 0 < c1 < c2 < 1, got c1={c1!r}, c2={c2!r}")
    shrink = opts["shrink"]
    if not (isinstance(shrink, numbers.Real) and 0 < shrink < 1):
        raise ValueError(f"shrink must be in (0, 1), got {shrink!r}")

    if method in ("cgd", "cgd-fd"):
        rules.check_penalty(opts["penalty"], opts["p"])
        opts["p"] = float(opts["p"])
    if "safeguard" in opts:
        if opts["safeguard"] is None:
            opts["safeguard"] = DEFAULT_SAFEGUARD[method]
        _choice("safeguard", opts["safeguard"], rules.SAFEGUARDS)
        opts["switch_after"] = _count("switch_after", opts["switch_after"])
    else:
        opts["safeguard"], opts["switch_after"] = "none", None
    if method == "cgd-fd":
        rules.check_fd_scheme(opts["fd"])
        r = opts["r"]
        if not (isinstance(r, numbers.Real) and math.isfinite(r) and r != 0):
            raise ValueError(f"r must be a finite non-zero number, got {r!r}")
        opts["r"] = float(r)
    if method == "newton":
        opts["cg_maxiter"] = _count("cg_maxiter", opts["cg_maxiter"], minimum=1)
        opts["cg_rtol"] = _positive("cg_rtol", opts["cg_rtol"])
    return opts
