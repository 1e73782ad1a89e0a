"""Option tables and their validation: one table holds every option's methods, default and check.

Each option has one row in :data:`OPTIONS`: the methods that read it, its
default, and a *checker* (built by the factories below) that accepts or
refuses a value with one uniform message, ``"<name> must be <accepted>, got
<value!r>"``.  Numbers accept Python and numpy integers and floats (and 0-d
real arrays), never ``bool`` or ``str``.

Unknown option names follow scipy: a name that is an option of another scipy
method (``xtol``, ``return_all``, ...) or of another cgdopt method warns with
:class:`scipy.optimize.OptimizeWarning`; any other name that is a near miss
(:func:`difflib.get_close_matches`) of one of this method's options, or else of
any cgdopt option, is an error that suggests the name; the rest warn as scipy does.
"""
from __future__ import annotations

import difflib
import inspect
import math
import numbers
import warnings
from dataclasses import dataclass
from typing import Any, Callable, Dict, FrozenSet, List, Mapping, Optional, Tuple

import numpy as np
from scipy.optimize import OptimizeWarning

from . import directions as rules
from ._errors import InputTypeError

__all__ = ["OPTIONS", "DEFAULTS", "FD_METHODS", "InputTypeError", "validate_options",
           "iteration_cost", "option_names"]
from .linesearch import LINE_SEARCHES
from .schedules import Schedule

METHODS = ("gd", "cgd", "cgd-fd", "newton")
ALL = frozenset(METHODS)
REG = frozenset(("cgd", "cgd-fd"))
#: maxiter when neither ``maxiter`` nor ``budget`` is given; steepest descent
#: with Armijo steps needs about 11 000 iterations on Rosenbrock from (-1.2, 1)
DEFAULT_MAXITER = 20000
#: ``switch_after="auto"``: Algorithm 2's b = T/4, with T the budget, or the default
#: maxiter when no budget is given (never ``maxiter`` itself: as in scipy, maxiter
#: only cuts a run short and never changes its path)
#: the paper's choice: Algorithm 1 (CGD) falls back, Algorithm 2 (CGD-FD) switches
DEFAULT_SAFEGUARD = {"cgd": "fallback", "cgd-fd": "switch", "newton": "fallback"}
DEFAULT_STEP = {"fixed": 1e-2, "armijo": 1.0, "wolfe": None}
#: finite-difference gradients (scipy's names), accepted as ``jac=`` or ``options['jac_method']``
#: (scipy.optimize.minimize hands a custom method jac=None for these strings, and an
#: ``options['jac']`` would collide with the ``jac`` keyword in its call)
FD_METHODS = ("2-point", "3-point", "cs")
#: options of scipy's own methods: passing one to a cgdopt method warns, as scipy does
SCIPY_OPTIONS = frozenset((
    "accuracy", "adaptive", "barrier_tol", "catol", "direc", "eps", "eta", "f_target",
    "factorization_method", "fatol", "feasibility_tol", "final_tr_radius",
    "finite_diff_rel_step", "ftol", "hess_inv0", "inexact", "initial_barrier_parameter",
    "initial_barrier_tolerance", "initial_constr_penalty", "initial_simplex",
    "initial_tr_radius", "initial_trust_radius", "iprint", "max_trust_radius", "maxcor",
    "maxfev", "maxfun", "minfev", "offset", "rescale", "return_all", "rhobeg", "scale",
    "sparse_jacobian", "stepmx", "subproblem_maxiter", "verbose", "workers", "xatol",
    "xrtol", "xtol"))


def _refuse(name: str, accepted: str, value: Any, exc: type = ValueError) -> None:
    raise exc(f"{name} must be {accepted}, got {value!r}")


def as_real(name: str, value: Any, accepted: str) -> float:
    """``value`` as a float if it is a real number (not bool or str), else InputTypeError."""
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
        value = value.item()
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        _refuse(name, accepted, value, InputTypeError)
    try:
        return float(value)
    except OverflowError:  # an int beyond float range
        _refuse(name, accepted, value)
        raise  # unreachable


# ---------------------------------------------------------------- checkers
Checker = Callable[[str, Any], Any]


def real(lo: float = -math.inf, hi: float = math.inf, *, lo_open: bool = False,
         hi_open: bool = False, finite: bool = True, nonzero: bool = False,
         none: bool = False) -> Checker:
    """A real number in the interval; ``finite`` refuses +-inf and NaN always."""
    parts = ["a finite number" if finite else "a number"]
    if lo > -math.inf:
        parts.append(f"{'>' if lo_open else '>='} {lo:g}")
    if hi < math.inf:
        parts.append(f"{'and ' if lo > -math.inf else ''}{'<' if hi_open else '<='} {hi:g}")
    if nonzero:
        parts.append("other than 0")
    accepted = " ".join(parts) + (" or None" if none else "")

    def check(name: str, value: Any) -> Optional[float]:
        if value is None and none:
            return None
        v = as_real(name, value, accepted)
        bad = (math.isnan(v) or (finite and not math.isfinite(v)) or v < lo or v > hi
               or (lo_open and v == lo) or (hi_open and v == hi) or (nonzero and v == 0))
        if bad:
            _refuse(name, accepted, value)
        return v

    return check


def integer(minimum: int, *, none: bool = True) -> Checker:
    """An integer >= minimum (an integral float such as 40.0 is accepted)."""
    accepted = f"an integer >= {minimum}" + (" or None" if none else "")

    def check(name: str, value: Any) -> Optional[int]:
        if value is None and none:
            return None
        v = as_real(name, value, accepted)
        if not math.isfinite(v) or v != int(v) or v < minimum:
            _refuse(name, accepted, value)
        return int(v)

    return check


def iterations(name: str, value: Any) -> Any:
    """maxiter as scipy reads it (``k < maxiter``): any number >= 0, inf included."""
    accepted = "a number >= 0 (np.inf for no limit) or None"
    if value is None:
        return None
    v = as_real(name, value, accepted)
    if math.isnan(v) or v < 0:
        _refuse(name, accepted, value)
    return v if math.isinf(v) else math.ceil(v)


def choice(*allowed: Any) -> Checker:
    def check(name: str, value: Any) -> Any:
        if not isinstance(value, str) or value not in allowed:
            _refuse(name, "one of " + ", ".join(map(repr, allowed)), value,
                    ValueError if isinstance(value, str) else InputTypeError)
        return value

    return check


def flag(name: str, value: Any) -> bool:
    """A bool (numpy's too) or the integers 0 and 1, as scipy's ``disp`` is used."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, numbers.Integral) and value in (0, 1):
        return bool(value)
    _refuse(name, "True or False", value, InputTypeError)
    return False  # unreachable


def norm_order(name: str, value: Any) -> float:
    accepted = "a number >= 1 or np.inf"
    v = as_real(name, value, accepted)
    if v == -math.inf:  # core-A (issue 8, defect 9): min|g_i| is no norm
        raise ValueError(f"{name} must be {accepted}, got -inf ({name}=-inf is min_i |g_i|, not a "
                         "norm: a run would stop as converged as soon as one gradient component "
                         "is small; scipy's CG/BFGS accept it with that meaning)")
    if not v >= 1:
        _refuse(name, accepted, value)
    return v


def lam_value(name: str, value: Any) -> Any:
    """A float >= 0, a callable ``lam(k)`` or a :class:`cgdopt.schedules.Schedule`."""
    if isinstance(value, Schedule):
        return value
    if callable(value):
        try:
            inspect.signature(value).bind(0)
        except ValueError:  # no inspectable signature: let it through
            pass
        except TypeError as exc:
            raise InputTypeError(f"{name} must be a number, a Schedule or a callable {name}(k) of "
                                 f"the iteration k; {value!r:.60} cannot take one argument "
                                 f"({exc})") from None
        return value
    accepted = "a finite number >= 0, a callable lam(k) or a cgdopt.schedules.Schedule"
    v = as_real(name, value, accepted)
    if not (math.isfinite(v) and v >= 0):
        _refuse(name, accepted, value)
    return v


def switch_iteration(name: str, value: Any) -> Any:
    """``"auto"`` (Algorithm 2's b = T/4, see DEFAULT_MAXITER), None (never) or an integer >= 0."""
    if isinstance(value, str) and value == "auto":
        return value
    try:
        return integer(0)(name, value)
    except ValueError as exc:
        raise type(exc)(str(exc).replace("or None", "None or 'auto'")) from None


def jac_method(name: str, value: Any) -> Any:
    return choice(*FD_METHODS, "autograd")(name, value)


@dataclass(frozen=True)
class Option:
    methods: FrozenSet[str]
    default: Any
    check: Checker


OPTIONS: Dict[str, Option] = {
    "step": Option(ALL, None, real(0, lo_open=True, none=True)),
    "line_search": Option(ALL, "armijo", choice(*LINE_SEARCHES)),
    "maxiter": Option(ALL, None, iterations),
    "gtol": Option(ALL, 1e-5, real(0)),
    "norm": Option(ALL, math.inf, norm_order),
    "budget": Option(ALL, None, integer(1)),
    "c1": Option(ALL, 1e-4, real(0, 1, lo_open=True, hi_open=True)),
    "c2": Option(ALL, 0.9, real(0, 1, lo_open=True, hi_open=True)),
    "shrink": Option(ALL, 0.5, real(0, 1, lo_open=True, hi_open=True)),
    "maxls": Option(ALL, 30, integer(1, none=False)),
    "init_step": Option(ALL, None, lambda n, v: None if v is None else
                        choice("decrease", "step")(n, v)),
    "disp": Option(ALL, False, flag),
    "jac_method": Option(ALL, None, jac_method),
    "lam": Option(REG, 0.1, lam_value),
    "penalty": Option(REG, "pow", choice(*rules.PENALTIES)),
    "p": Option(REG, 2.0, real(1)),
    "safeguard": Option(REG | {"newton"}, None, lambda n, v: None if v is None else
                        choice(*rules.SAFEGUARDS)(n, v)),
    "switch_after": Option(REG | {"newton"}, "auto", switch_iteration),
    "r": Option(frozenset({"cgd-fd"}), 1e-3, real(nonzero=True)),
    "fd": Option(frozenset({"cgd-fd"}), "forward", choice(*rules.PROBE_SIGNS)),
    "cg_maxiter": Option(frozenset({"newton"}), None, integer(1)),
    "cg_rtol": Option(frozenset({"newton"}), 1e-5, real(0, lo_open=True)),
}
DEFAULTS = {m: {k: o.default for k, o in OPTIONS.items() if m in o.methods} for m in METHODS}


def iteration_cost(method: str, opts: Mapping[str, Any], fun_returns_grad: bool) -> int:
    """Gradient evaluations of one iteration of ``method`` (Algorithm 2's count)."""
    probes = len(rules.PROBE_SIGNS[opts["fd"]]) if method == "cgd-fd" else 0
    return 1 + probes + (1 if fun_returns_grad else 0)


def _unknown(method: str, names: List[Any]) -> None:
    """Warn (scipy's way) or, for a near miss of a cgdopt option name, raise."""
    own = sorted(DEFAULTS[method])
    warn = []
    for name in names:
        if not isinstance(name, str):
            raise InputTypeError(f"options keys must be strings, got {name!r}")
        if name in OPTIONS:
            others = ", ".join(m for m in METHODS if m in OPTIONS[name].methods)
            warn.append(f"{name} (an option of {others}, not of {method})")
            continue
        if name in SCIPY_OPTIONS:
            warn.append(name)
            continue
        close = (difflib.get_close_matches(name, own, n=1)
                 or difflib.get_close_matches(name, sorted(OPTIONS), n=1))
        if close:
            whose = "" if close[0] in own else " (an option of " + ", ".join(
                m for m in METHODS if m in OPTIONS[close[0]].methods) + ")"
            raise ValueError(f"options: unknown option {name!r} for method {method!r}; "
                             f"did you mean {close[0]!r}{whose}? Accepted: {', '.join(own)}")
        warn.append(name)
    if warn:
        warnings.warn(f"Unknown solver options: {', '.join(warn)}", OptimizeWarning, stacklevel=5)


def validate_options(method: str, options: Optional[Mapping[str, Any]],
                     tol: Any = None) -> Dict[str, Any]:
    """Merge ``options`` with the method's defaults; warn on unknown keys, raise on bad values.

    Returns a new dict holding every option of ``method`` (plus ``safeguard``
    and ``switch_after``, always present), with defaults resolved.
    """
    choice(*METHODS)("method", method)
    if options is None:
        options = {}
    if not isinstance(options, Mapping):
        raise InputTypeError(f"options must be a dict (a mapping of option names to values) "
                             f"or None, got {type(options).__name__}")
    options = dict(options)
    if tol is not None:
        options.setdefault("gtol", real(0)("tol", tol))
    if "tol" in options:  # scipy passes minimize(tol=) to a custom method as options['tol']
        options.setdefault("gtol", real(0)("tol", options.pop("tol")))
    defaults = DEFAULTS[method]
    _unknown(method, sorted((k for k in options if k not in defaults), key=str))
    opts = dict(defaults)
    for key, value in options.items():
        if key in defaults:
            opts[key] = OPTIONS[key].check(key, value)

    if opts["step"] is None:
        opts["step"] = 1.0 if method == "newton" and opts["line_search"] == "fixed" \
            else DEFAULT_STEP[opts["line_search"]]
    if opts["init_step"] is None:  # Newton's unit step is its natural first trial
        opts["init_step"] = "step" if method == "newton" else "decrease"
    if opts["maxiter"] is None:
        opts["maxiter"] = opts["budget"] if opts["budget"] is not None else DEFAULT_MAXITER
    if not opts["c1"] < opts["c2"]:
        raise ValueError(f"c1 and c2 must satisfy 0 < c1 < c2 < 1, got c1={opts['c1']!r}, "
                         f"c2={opts['c2']!r}")
    if method in REG:
        rules.check_penalty(opts["penalty"], opts["p"])
    if "safeguard" in opts:
        if opts["safeguard"] is None:
            opts["safeguard"] = DEFAULT_SAFEGUARD[method]
        if opts["switch_after"] == "auto":  # Algorithm 2: b = T/4 for CGD, never for newton
            T = opts["budget"] if opts["budget"] is not None else DEFAULT_MAXITER
            opts["switch_after"] = T // 4 if method in REG else None
    else:
        opts["safeguard"], opts["switch_after"] = "none", None
    return opts


def option_names(method: str) -> Tuple[str, ...]:
    """The options ``method`` reads, in table order."""
    return tuple(DEFAULTS[method])
