"""Front door: :func:`minimize` and the scipy custom minimizers ``gd``, ``cgd``, ``cgd_fd``, ``newton``.

Every argument is checked here, before any iteration, with an error that
names the argument, what was given and what is accepted (see
``docs/minimize.md``, "Options and defaults").
"""
from __future__ import annotations

import inspect
import math
import numbers
import warnings
from typing import Any, Callable, Mapping, Optional, Union

import numpy as np
import numpy.typing as npt
from scipy.optimize import OptimizeResult, OptimizeWarning

from ._counting import CountedObjective
from ._derivatives import check_signature
from ._descents import DESCENTS
from ._errors import InputTypeError
from ._options import METHODS, iteration_cost, real, validate_options
from ._solver import HISTORY_KEYS, NONFINITE, STATUS_MESSAGES, solve
from .schedules import Linear, as_schedule

__all__ = ["minimize", "gd", "cgd", "cgd_fd", "newton"]

Callback = Callable[..., Any]
Method = Union[str, Callable[..., OptimizeResult], None]


def _check_x0(x0: Any) -> np.ndarray:
    accepted = "a non-empty 1-D array of finite real numbers"
    try:
        x = np.atleast_1d(np.asarray(x0))
    except (ValueError, TypeError) as exc:  # ragged nested sequences
        raise ValueError(f"x0 must be {accepted}, got {x0!r:.60} ({exc})") from None
    if x.dtype.kind == "c":
        raise ValueError(f"x0 must be real, got a complex array {x0!r:.60}")
    if x.dtype.kind not in "iuf":
        raise InputTypeError(f"x0 must be a real 1-D array of numbers ({accepted}), got "
                             f"{type(x0).__name__} with dtype {x.dtype}: {x0!r:.60}")
    if x.ndim != 1:
        raise ValueError(f"x0 must be 1-D, got an array of shape {x.shape}")
    if x.size == 0:
        raise ValueError(f"x0 must not be empty ({accepted})")
    x = x.astype(float)
    if not np.all(np.isfinite(x)):
        raise ValueError(f"x0 must be finite (no NaN or inf), got {x0!r:.60}")
    return x


def _wrap_callback(callback: Optional[Callback]) -> Optional[Callable[[np.ndarray, float, int], bool]]:
    """Return ``cb(x, f, k) -> stop`` for both scipy callback signatures."""
    if callback is None:
        return None
    if not callable(callback):
        raise InputTypeError(f"callback must be callable or None, got "
                             f"{type(callback).__name__} {callback!r:.60}")
    try:
        params = list(inspect.signature(callback).parameters)
    except (TypeError, ValueError):
        params = []
    new_style = params == ["intermediate_result"]
    if not new_style:
        check_signature("callback", callback, "callback(xk) or callback(intermediate_result)", 1)

    def cb(x: np.ndarray, f: float, k: int) -> bool:
        try:
            if new_style:
                callback(intermediate_result=OptimizeResult(x=x.copy(), fun=f, nit=k))
            else:
                callback(x.copy())
        except StopIteration:
            return True
        return False

    return cb


def _check_unconstrained(bounds: Any, constraints: Any) -> None:
    if bounds is not None:
        raise ValueError(f"bounds must be None (cgdopt methods are unconstrained), got "
                         f"{bounds!r:.60}")
    if constraints is None:
        return
    empty = isinstance(constraints, (tuple, list, dict)) and len(constraints) == 0
    if not empty:
        raise ValueError("constraints must be empty or None (cgdopt methods are "
                         f"unconstrained), got {constraints!r:.60}")


def _nonfinite_at_x0(x0: np.ndarray, f0: float, obj: CountedObjective) -> OptimizeResult:
    """scipy's convention: a non-finite f(x0) is a failed result, not an exception."""
    values = (0, obj.njev, obj.nfev, f0, np.nan, np.nan, "")
    history = {k: np.asarray([v]) for k, v in zip(HISTORY_KEYS, values)}
    return OptimizeResult(x=x0, fun=f0, jac=None, nit=0, nfev=obj.nfev, njev=obj.njev,
                          nhev=obj.nhev, status=NONFINITE, success=False,
                          message=STATUS_MESSAGES[NONFINITE] + f": f(x0) = {f0!r}.",
                          history=history, n_fallbacks=0, n_overflows=0, switch_iteration=None,
                          switch_reason=None, lam_scale=1.0)


def _report(res: OptimizeResult) -> None:
    """``disp=True``: print like scipy; a failure is an OptimizeWarning (scipy gh-1953)."""
    if res.success:
        print(res.message)
    else:
        warnings.warn(res.message, OptimizeWarning, stacklevel=4)
    print(f"         Current function value: {res.fun:.6g}\n         Iterations: {res.nit}\n"
          f"         Function evaluations: {res.nfev}\n"
          f"         Gradient evaluations: {res.njev}")


def _warn_unused_hessian(method: str, hess: Any, hessp: Any) -> None:
    """``hess``/``hessp`` given to a method that does not use them (``gd``; ``cgd-fd``, whose
    Hessian-vector product is the finite difference itself): a ``RuntimeWarning`` in
    scipy's words, as ``scipy.optimize.minimize`` gives for BFGS and the others."""
    if method in ("cgd", "newton"):
        return
    if hess is not None:
        warnings.warn(f"Method {method} does not use Hessian information (hess).",
                      RuntimeWarning, stacklevel=4)
    if hessp is not None:
        warnings.warn(f"Method {method} does not use Hessian-vector product information (hessp).",
                      RuntimeWarning, stacklevel=4)


def _run(method: str, fun: Any, x0: Any, args: Any, jac: Any, hess: Any, hessp: Any,
         bounds: Any, constraints: Any, callback: Optional[Callback], tol: Any,
         options: Mapping[str, Any]) -> OptimizeResult:
    _check_unconstrained(bounds, constraints)
    x0 = _check_x0(x0)
    args = args if isinstance(args, tuple) else (args,)
    cb = _wrap_callback(callback)
    opts = validate_options(method, options, tol)
    opt_jac = opts.pop("jac_method")
    if opt_jac is not None:
        if jac is not None and jac is not False and not (isinstance(jac, str) and jac == opt_jac):
            raise ValueError(f"jac={jac!r:.40} and options['jac_method']={opt_jac!r} disagree: "
                             "give one of them")
        jac = opt_jac
    _warn_unused_hessian(method, hess, hessp)
    obj = CountedObjective(fun, x0.size, args, jac, hess, hessp, budget=opts["budget"])
    if method in ("cgd", "newton") and not obj.has_hvp:
        raise ValueError(f"method={method!r} needs Hessian-vector products: pass hessp= or hess= "
                         "(callables or 'autograd'), or omit jac so autograd provides them")
    cost = iteration_cost(method, opts, obj.fun_returns_grad)
    if opts["budget"] is not None and opts["budget"] < cost:
        raise ValueError(f"budget={opts['budget']} is smaller than the cost of one {method} "
                         f"iteration ({cost} gradient evaluations)")
    schedule = as_schedule(opts.get("lam", 0.0))
    if isinstance(schedule, Linear) and schedule.num is None:
        T = opts["budget"] if opts["budget"] is not None else opts["maxiter"]
        if not math.isfinite(T):
            raise ValueError("lam=Linear(a, b) without num needs a finite maxiter or a budget "
                             "to bind its length; got maxiter=inf: pass Linear(a, b, num=...)")
        schedule = schedule.bind(max(int(T), 1))
    schedule(0)  # a bad callable fails here, at the boundary
    f0 = obj.fun(x0)
    ngev0 = obj.njev
    if not np.isfinite(f0):
        res = _nonfinite_at_x0(x0, f0, obj)
    else:
        descent = DESCENTS[method](**opts)
        res = solve(obj, x0, descent, schedule, opts, cb, ngev0)
    if opts["disp"]:
        _report(res)
    return res


def _custom_minimizer(method: str, doc: str) -> Callable[..., OptimizeResult]:
    """A scipy custom minimizer: ``scipy.optimize.minimize(fun, x0, method=<it>, ...)`` calls it."""

    def custom(fun: Callable[..., Any], x0: npt.ArrayLike, args: Any = (), jac: Any = None,
               hess: Any = None, hessp: Any = None, bounds: Any = None, constraints: Any = (),
               callback: Optional[Callback] = None, **options: Any) -> OptimizeResult:
        if "options" in options:  # called directly with options={...}, like cgdopt.minimize
            nested = options.pop("options")
            if nested is not None and not isinstance(nested, Mapping):
                raise InputTypeError(f"options must be a dict or None, got {nested!r:.60}")
            both = set(nested or {}) & set(options)
            if both:
                raise ValueError(f"options given twice, as keywords and in options=: {sorted(both)}")
            options.update(nested or {})
        return _run(method, fun, x0, args, jac, hess, hessp, bounds, constraints, callback,
                    None, options)

    custom.__name__ = custom.__qualname__ = method.replace("-", "_")
    custom.__doc__ = doc + """

    A scipy custom minimizer: ``scipy.optimize.minimize(fun, x0, method=cgdopt.{name}, ...)``
    gives the same result as ``cgdopt.minimize(fun, x0, method="{method}", ...)``; the
    options are those of :func:`cgdopt.minimize`, passed as keywords (scipy passes
    ``options`` that way; ``options={{...}}`` is accepted too when called directly).
    scipy hands a custom method ``jac=None`` for ``jac='2-point'``: pass
    ``options={{'jac_method': '2-point'}}`` instead.
    """.format(name=custom.__name__, method=method)
    return custom


gd = _custom_minimizer("gd", r"""Steepest descent, :math:`x_{k+1} = x_k - \alpha \nabla f_k`.""")
cgd = _custom_minimizer("cgd", r"""Exact CGD (Algorithm 1), :math:`p = -(\nabla f + \lambda c H u)`.

    Needs ``hessp`` or ``hess`` (or autograd).""")
cgd_fd = _custom_minimizer("cgd-fd", r"""CGD-FD (Algorithm 2), :math:`p = -[(1-\nu)\nabla f(x) + \nu\nabla f(x + r\nabla f)]`.""")
newton = _custom_minimizer("newton", r"""Newton's method, :math:`p = -H^{-1}\nabla f` (dense solve or CG on ``hessp``).""")


_BY_CALLABLE = {gd: "gd", cgd: "cgd", cgd_fd: "cgd-fd", newton: "newton"}
DEFAULT_METHOD = "cgd-fd"


def _method_name(method: Method) -> str:
    accepted = (f"one of {', '.join(map(repr, METHODS))} (any case), None, or the cgdopt "
                "callables gd, cgd, cgd_fd, newton")
    if method is None:
        return DEFAULT_METHOD
    if isinstance(method, str):
        if method.lower() not in METHODS:
            raise ValueError(f"method must be {accepted}; got {method!r}")
        return method.lower()
    if callable(method) and method in _BY_CALLABLE:
        return _BY_CALLABLE[method]
    exc = ValueError if callable(method) else InputTypeError
    raise exc(f"method must be {accepted}; got {method!r:.60}")


def minimize(fun: Callable[..., Any], x0: npt.ArrayLike, args: Any = (),
             method: Method = DEFAULT_METHOD, jac: Any = None, hess: Any = None,
             hessp: Any = None, tol: Optional[float] = None, callback: Optional[Callback] = None,
             options: Optional[Mapping[str, Any]] = None) -> OptimizeResult:
    r"""Minimize a scalar function with a (gradient-regularized) line-search method.

    Parameters
    ----------
    fun : callable
        ``fun(x, *args) -> float``; with ``jac=True`` it returns ``(f, grad)``.
    x0 : array_like, shape (n,)
        Starting point (1-D, finite, non-empty; integers are converted to float).
    args : tuple, optional
        Extra arguments passed to ``fun``, ``jac``, ``hess`` and ``hessp``
        (a non-tuple is wrapped in a tuple, as in scipy).
    method : {"cgd-fd", "cgd", "gd", "newton"}, None, or one of :func:`gd`, :func:`cgd`, :func:`cgd_fd`, :func:`newton`
        ``"gd"``: :math:`p = -\nabla f`.  ``"cgd"``: :math:`p = -(\nabla f + \lambda c Hu)`
        (Eq. 9 and Lemma 2).  ``"cgd-fd"`` (default; also for None): Hu by
        finite differences (Eq. 10).  ``"newton"``: :math:`p = -H^{-1}\nabla f`.
    jac : callable, True, None, "autograd", "2-point", "3-point" or "cs"
        Gradient.  ``None`` (default) differentiates ``fun`` with autograd (a
        :mod:`cgdopt.testfunctions` function uses its closed-form ``grad``);
        the strings are scipy's finite differences (each function call counted
        in ``nfev``, each gradient once in ``njev`` and the budget).
    hess, hessp : callable or "autograd", optional
        Dense Hessian ``hess(x, *args)`` or product ``hessp(x, v, *args)``;
        needed by ``cgd`` and ``newton`` (autograd supplies ``hessp`` when
        ``jac`` comes from autograd).
    tol : float, optional
        Sets ``gtol`` unless given in ``options``.
    callback : callable, optional
        ``callback(intermediate_result: OptimizeResult)`` or ``callback(xk)``
        (a copy of x), called after each iteration; raising ``StopIteration``
        ends the run with ``status=99``.
    options : dict, optional
        Defaults: ``line_search="armijo"`` (first trial from the last decrease of f,
        at most ``step=1.0``: ``init_step="decrease"``; ``"step"`` for Newton),
        ``maxiter=20000`` (the budget when one is given), ``gtol=1e-5``,
        ``lam=0.1``, ``switch_after="auto"`` (Algorithm 2's b = T/4 with T the
        budget, else ``maxiter``).  Also ``norm``, ``budget`` (gradient
        evaluations), ``c1``, ``c2``, ``shrink``, ``maxls``, ``init_step``, ``disp``,
        ``jac_method`` (``"2-point"``, ``"3-point"``, ``"cs"``: the way to ask
        scipy.optimize.minimize for finite differences, since scipy hands a
        custom method ``jac=None`` for these strings); ``penalty``, ``p``, ``safeguard`` for ``cgd``/``cgd-fd``;
        ``r``, ``fd`` for ``cgd-fd``; ``safeguard``, ``cg_maxiter``,
        ``cg_rtol`` for ``newton``.  The paper's protocol is
        ``line_search="fixed"`` with its ``step``.  See ``docs/minimize.md``
        for every formula, default and accepted value.

    Returns
    -------
    scipy.optimize.OptimizeResult
        ``x, fun, jac, nit, nfev, njev, nhev, status, success, message``,
        plus ``history`` (dict of per-iterate arrays ``iteration, ngev, nfev,
        f, grad_norm, step, kind``), ``n_fallbacks``, ``n_overflows`` (CGD-FD
        directions rejected because their probe gradient overflowed),
        ``switch_iteration``, ``switch_reason`` and ``lam_scale``.

    Raises
    ------
    ValueError, TypeError
        For any bad argument, before the first iteration; the message names
        the argument, the value given and what is accepted.  Wrong types
        raise an error that is both a ``TypeError`` and a ``ValueError``.

    References
    ----------
    .. [1] "CGD: Modifying the loss landscape by gradient regularization",
       Algorithms 1-2, Eqs. 6-10, Lemma 2.
    """
    name = _method_name(method)
    if options is not None and not isinstance(options, Mapping):
        raise InputTypeError("options must be a dict (a mapping of option names to values) "
                             f"or None, got {type(options).__name__} {options!r:.60}")
    if tol is not None:
        real(0)("tol", tol)
    return _run(name, fun, x0, args, jac, hess, hessp, None, (), callback, tol, options or {})
