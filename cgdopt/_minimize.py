"""Front door: :func:`minimize` and the scipy custom minimizers ``gd``, ``cgd``, ``cgd_fd``, ``newton``."""
from __future__ import annotations

import inspect

import numpy as np
from scipy.optimize import OptimizeResult

from ._counting import CountedObjective
from ._descents import DESCENTS
from ._options import DEFAULT_MAXITER, iteration_cost, validate_options
from ._solver import solve
from .schedules import Linear, as_schedule

__all__ = ["minimize", "gd", "cgd", "cgd_fd", "newton"]


def _check_x0(x0):
    x = np.atleast_1d(np.asarray(x0))
    if x.dtype.kind == "c":
        raise ValueError("x0 must be real, got a complex array")
    if x.dtype.kind not in "biuf":
        raise ValueError(f"x0 must be a real 1-D array of numbers, got dtype {x.dtype}")
    if x.ndim != 1:
        raise ValueError(f"x0 must be 1-D, got an array of shape {x.shape}")
    if x.size == 0:
        raise ValueError("x0 must not be empty")
    x = x.astype(float)
    if not np.all(np.isfinite(x)):
        raise ValueError("x0 must be finite (no NaN or inf)")
    return x


def _wrap_callback(callback):
    """Return ``cb(x, f, k) -> stop`` for both scipy callback signatures."""
    if callback is None:
        return None
    if not callable(callback):
        raise TypeError(f"callback must be callable or None, got {type(callback).__name__}")
    try:
        params = list(inspect.signature(callback).parameters)
    except (TypeError, ValueError):
        params = []
    new_style = params == ["intermediate_result"]

    def cb(x, f, k):
        try:
            if new_style:
                callback(intermediate_result=OptimizeResult(x=x.copy(), fun=f, nit=k))
            else:
                callback(x.copy())
        except StopIteration:
            return True
        return False

    return cb


def _run(method, fun, x0, args=(), jac=None, hess=None, hessp=None, bounds=None,
         constraints=(), callback=None, tol=None, **options):
    if bounds is not None:
        raise ValueError("bounds are not supported: cgdopt methods are unconstrained (bounds must be None)")
    if constraints is not None and len(constraints) > 0:
        raise ValueError("constraints are not supported: cgdopt methods are unconstrained")
    x0 = _check_x0(x0)
    args = args if isinstance(args, tuple) else (args,)
    opts = validate_options(method, options, tol)
    obj = CountedObjective(fun, x0.size, args, jac, hess, hessp, budget=opts["budget"])
    if method in ("cgd", "newton") and not obj.has_hvp:
        raise ValueError(f"method={method!r} needs Hessian-vector products: pass hessp= or hess= "
                         "(callables or 'autograd'), or omit jac so autograd provides them")
    cost = iteration_cost(method, opts, obj.fun_returns_grad)
    if opts["budget"] is not None and opts["budget"] < cost:
        raise ValueError(f"budget={opts['budget']} is smaller than the cost of one {method} "
                         f"iteration ({cost} gradient evaluations)")
    lam = opts.get("lam", 0.0)
    schedule = as_schedule(lam)
    if isinstance(schedule, Linear):
        schedule = schedule.bind(opts["budget"] or opts["maxiter"] or DEFAULT_MAXITER)
    schedule(0)  # a bad callable fails here, at the boundary
    f0 = obj.fun(x0)
    ngev0 = obj.njev
    if not np.isfinite(f0):
        raise ValueError(f"fun must be finite at x0, got {f0!r}")
    try:
        obj.grad(x0)  # checks the gradient's shape; memoized, so not charged twice
    except TypeError as exc:
        if obj.jac_kind == "autograd":
            raise TypeError("jac was not given, and autograd could not differentiate fun "
                            f"({exc}); write fun with autograd.numpy or pass jac=") from exc
        raise
    descent = DESCENTS[method](**opts)
    res = solve(obj, x0, descent, schedule, opts, _wrap_callback(callback), ngev0)
    if opts["disp"]:
        print(f"{res.message}\n         Current function value: {res.fun:.6g}\n"
              f"         Iterations: {res.nit}\n         Function evaluations: {res.nfev}\n"
              f"         Gradient evaluations: {res.njev}")
    return res


def _custom_minimizer(method: str, doc: str):
    """A scipy custom minimizer: ``scipy.optimize.minimize(fun, x0, method=<it>, ...)`` calls it."""

    def custom(fun, x0, args=(), jac=None, hess=None, hessp=None, bounds=None, constraints=(),
               callback=None, **options):
        return _run(method, fun, x0, args, jac, hess, hessp, bounds, constraints, callback, **options)

    custom.__name__ = custom.__qualname__ = method.replace("-", "_")
    custom.__doc__ = doc + """

    A scipy custom minimizer: ``scipy.optimize.minimize(fun, x0, method=cgdopt.{name}, ...)``
    gives the same result as ``cgdopt.minimize(fun, x0, method="{method}", ...)``; the
    options are those of :func:`cgdopt.minimize`.
    """.format(name=custom.__name__, method=method)
    return custom


gd = _custom_minimizer("gd", r"""Steepest descent, :math:`x_{k+1} = x_k - \alpha \nabla f_k`.""")
cgd = _custom_minimizer("cgd", r"""Exact CGD (Algorithm 1), :math:`p = -(\nabla f + \lambda c H u)`.

    Needs ``hessp`` or ``hess`` (or autograd).""")
cgd_fd = _custom_minimizer("cgd-fd", r"""CGD-FD (Algorithm 2), :math:`p = -[(1-\nu)\nabla f(x) + \nu\nabla f(x + r\nabla f)]`.""")
newton = _custom_minimizer("newton", r"""Newton's method, :math:`p = -H^{-1}\nabla f` (dense solve or CG on ``hessp``).""")


_BY_CALLABLE = {gd: "gd", cgd: "cgd", cgd_fd: "cgd-fd", newton: "newton"}


def minimize(fun, x0, args=(), method="cgd-fd", jac=None, hess=None, hessp=None,
             tol=None, callback=None, options=None):
    r"""Minimize a scalar function with a (gradient-regularized) line-search method.

    Parameters
    ----------
    fun : callable
        ``fun(x, *args) -> float``; with ``jac=True`` it returns ``(f, grad)``.
    x0 : array_like, shape (n,)
        Starting point (1-D, finite, non-empty; integers are converted to float).
    args : tuple, optional
        Extra arguments passed to ``fun``, ``jac``, ``hess`` and ``hessp``.
    method : {"gd", "cgd", "cgd-fd", "newton"} or one of :func:`gd`, :func:`cgd`, :func:`cgd_fd`, :func:`newton`
        ``"gd"``: :math:`p = -\nabla f`.  ``"cgd"``: :math:`p = -(\nabla f + \lambda c Hu)`
        (Eq. 9 and Lemma 2).  ``"cgd-fd"``: Hu by finite differences (Eq. 10).
        ``"newton"``: :math:`p = -H^{-1}\nabla f`.
    jac : callable, True, None, "autograd" or "2-point"
        Gradient.  ``None`` (default) differentiates ``fun`` with autograd.
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
        ``step`` (fixed step, or the first Armijo trial), ``line_search``
        ("fixed", "armijo", "wolfe"), ``maxiter``, ``gtol`` (on
        :math:`\|\nabla f\|`, never on the regularized gradient), ``norm``,
        ``budget`` (gradient evaluations), ``c1``, ``c2``, ``shrink``,
        ``maxls``, ``disp``; for ``cgd``/``cgd-fd``: ``lam`` (float,
        callable of k, or schedule), ``penalty`` ("pow", "norm"), ``p``,
        ``safeguard`` ("fallback", "switch", "none"), ``switch_after``; for
        ``cgd-fd``: ``r``, ``fd`` ("forward", "backward", "central"); for
        ``newton``: ``safeguard``, ``cg_maxiter``, ``cg_rtol``.  See
        ``docs/minimize.md`` for every formula and default.

    Returns
    -------
    scipy.optimize.OptimizeResult
        ``x, fun, jac, nit, nfev, njev, nhev, status, success, message``,
        plus ``history`` (dict of per-iterate arrays ``iteration, ngev, nfev,
        f, grad_norm, step, kind``), ``n_fallbacks``, ``switch_iteration``
        and ``switch_reason``.

    References
    ----------
    .. [1] "CGD: Modifying the loss landscape by gradient regularization",
       Algorithms 1-2, Eqs. 6-10, Lemma 2.
    """
    if callable(method):
        if method not in _BY_CALLABLE:
            raise ValueError("method must be one of 'gd', 'cgd', 'cgd-fd', 'newton' or the "
                             f"cgdopt callables gd, cgd, cgd_fd, newton; got {method!r}")
        method = _BY_CALLABLE[method]
    if not isinstance(method, str):
        raise ValueError(f"method must be a string or a cgdopt method callable, got {method!r}")
    return _run(method.lower(), fun, x0, args, jac, hess, hessp, None, (), callback, tol=tol,
                **(options or {}))
