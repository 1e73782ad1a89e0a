"""Resolve ``jac``, ``hess`` and ``hessp`` into callables.

Accepted forms (see :func:`cgdopt.minimize`):

* ``jac``: a callable ``jac(x, *args)``; ``True`` (``fun`` returns
  ``(f, grad)``); ``None``/``False`` or ``"autograd"`` (differentiate ``fun``
  with autograd, or use the closed-form gradient of a
  :mod:`cgdopt.testfunctions` function); ``"2-point"``, ``"3-point"`` or
  ``"cs"`` (finite differences with scipy's
  ``scipy.optimize._numdiff.approx_derivative``, the routine behind
  ``scipy.optimize.minimize(jac='2-point')`` and
  :func:`scipy.optimize.approx_fprime`; relative steps
  :math:`h_i = \\epsilon^{1/2}\\max(1, |x_i|)` for ``2-point`` and ``cs``,
  :math:`\\epsilon^{1/3}\\max(1, |x_i|)` for ``3-point``).
* ``hess``: a callable ``hess(x, *args)`` returning the dense Hessian, or
  ``"autograd"``.
* ``hessp``: a callable ``hessp(x, v, *args)``, or ``"autograd"``.  When
  neither ``hess`` nor ``hessp`` is given and the gradient comes from autograd,
  Hessian-vector products come from autograd too (reverse-over-reverse,
  :func:`autograd.hessian_vector_product`).

autograd differentiates functions written with ``autograd.numpy`` (``import
autograd.numpy as np``); plain-numpy functions that call ``np.sum``, ``np.sin``
etc. on the traced array fail, and the error says so.

References
----------
.. [1] scipy.optimize.minimize, ``jac`` parameter; scipy.optimize._numdiff.
"""
from __future__ import annotations

import inspect
from types import SimpleNamespace
from typing import Any, Callable, Optional, Tuple

import numpy as np
from scipy.optimize._numdiff import approx_derivative  # what scipy's own minimize uses

from ._errors import InputTypeError
from ._options import FD_METHODS

JAC_FORMS = "a callable, True, None, 'autograd', '2-point', '3-point' or 'cs'"
AUTOGRAD_HINT = (
    "jac was not given (jac=None; scipy.optimize.minimize also passes jac=None to a custom "
    "method when it was given jac='2-point', '3-point' or 'cs') or was 'autograd', so cgdopt "
    "differentiates fun with autograd, and autograd could not differentiate fun: {exc}. Pass jac= a "
    "callable, or jac='2-point' for finite differences (through scipy.optimize.minimize: "
    "options={{'jac_method': '2-point'}}), or write fun with autograd.numpy.")


def _autograd() -> Any:
    import autograd

    return autograd


def _autograd_value_and_grad(fun: Callable[..., Any]) -> Callable[..., Any]:
    """autograd's ``value_and_grad(fun)``; its first failure says why and what to pass instead.

    :func:`cgdopt.minimize` evaluates ``fun(x0)`` plainly first, so a failure of the
    first traced call is autograd's, not the function's.
    """
    traced = _autograd().value_and_grad(fun)
    first = [True]

    def value_and_grad(x: Any, *args: Any) -> Any:
        if not first[0]:
            return traced(x, *args)
        try:
            out = traced(x, *args)
        except Exception as exc:
            raise InputTypeError(AUTOGRAD_HINT.format(exc=f"{type(exc).__name__}: {exc}")) from exc
        first[0] = False
        return out

    return value_and_grad


def _test_function(fun: Any) -> bool:
    """True for a :class:`cgdopt.testfunctions.TestFunction` (closed-form derivatives)."""
    import sys

    tf = sys.modules.get("cgdopt.testfunctions")
    return tf is not None and isinstance(fun, tf.TestFunction)


def _pair(fun: Callable[..., Any]) -> Callable[..., Any]:
    """``fun`` for ``jac=True``, checked to return a pair ``(f, grad)``."""

    def value_and_grad(x: Any, *args: Any) -> Any:
        out = fun(x, *args)
        if not isinstance(out, (tuple, list)) or len(out) != 2:
            raise InputTypeError("with jac=True, fun must return a pair (f, grad); got "
                                 f"{type(out).__name__} {out!r:.80}")
        return out

    return value_and_grad


def fd_gradient(call: Callable[[np.ndarray], Any], x: np.ndarray, method: str,
                f0: Optional[float]) -> np.ndarray:
    """Gradient of ``call`` at ``x`` by finite differences (``method`` in :data:`FD_METHODS`).

    ``call(x)`` is the counted user function; ``f0 = f(x)`` saves one call for
    ``2-point``.  Calls of ``call``: n (``2-point``), 2n (``3-point``), n
    (``cs``, at complex points).
    """
    if method == "cs":
        def checked(z: np.ndarray) -> np.ndarray:
            v = call(z)
            a = np.asarray(v)
            if a.size != 1 or (a.dtype.kind != "c" and np.iscomplexobj(z)):
                raise InputTypeError(
                    "jac='cs' (complex step) needs fun to accept a complex x and return a "
                    f"complex scalar; at a complex point it returned {type(v).__name__} of "
                    f"dtype {a.dtype} and shape {a.shape}: use jac='2-point' instead")
            return a.reshape(())
        return np.asarray(approx_derivative(checked, x, method="cs", f0=f0))
    return np.asarray(approx_derivative(call, x, method=method, f0=f0))


def check_signature(name: str, fn: Any, form: str, nargs: int) -> None:
    """Refuse a callable that cannot take ``nargs`` positional arguments, naming it.

    Callables without an inspectable signature (some builtins) are let through.
    """
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return
    try:
        sig.bind(*([None] * nargs))
    except TypeError as exc:
        raise InputTypeError(f"{name} must be callable as {form} ({nargs} positional "
                             f"argument{'s' if nargs > 1 else ''}); got {fn!r:.60}, which "
                             f"cannot take them: {exc}") from None


def resolve_derivatives(fun: Any, args: Tuple[Any, ...], jac: Any, hess: Any,
                        hessp: Any) -> SimpleNamespace:
    """Return a namespace ``fun, value_and_grad, grad, hess, hessp, jac_kind``.

    ``jac_kind`` is ``"callable"``, ``"fun"`` (``jac=True``), ``"autograd"``,
    ``"closed-form"`` (a test function's own ``grad``) or one of
    :data:`FD_METHODS`.
    """
    if not callable(fun):
        raise InputTypeError(f"fun must be callable, got {type(fun).__name__} {fun!r:.60}")
    extra = ", *args" if args else ""
    check_signature("fun", fun, f"fun(x{extra})", 1 + len(args))
    out = SimpleNamespace(fun=fun, value_and_grad=None, grad=None, hess=None, hessp=None)
    if callable(jac):
        check_signature("jac", jac, f"jac(x{extra})", 1 + len(args))
        out.grad, out.jac_kind = jac, "callable"
    elif jac is True:
        out.value_and_grad, out.jac_kind = _pair(fun), "fun"
        out.fun = None
    elif (jac is None or jac is False) and _test_function(fun):
        out.grad, out.jac_kind = fun.grad, "closed-form"
        if hess is None and hessp is None:
            hessp = fun.hessp
    elif jac is None or jac is False or (isinstance(jac, str) and jac == "autograd"):
        out.value_and_grad = _autograd_value_and_grad(fun)
        out.jac_kind = "autograd"
    elif isinstance(jac, str) and jac in FD_METHODS:
        out.jac_kind = jac
    else:
        exc = ValueError if isinstance(jac, str) else InputTypeError
        raise exc(f"jac must be {JAC_FORMS}; got {jac!r:.60}")

    for name, value in (("hess", hess), ("hessp", hessp)):
        if value is None or callable(value):
            continue
        if isinstance(value, str) and value == "autograd":
            continue
        exc = ValueError if isinstance(value, str) else InputTypeError
        raise exc(f"{name} must be a callable, 'autograd' or None; got {value!r:.60}")
    if callable(hess):
        check_signature("hess", hess, f"hess(x{extra})", 1 + len(args))
        out.hess = hess
    elif hess == "autograd":
        out.hess = _autograd().hessian(fun)
    if callable(hessp):
        check_signature("hessp", hessp, f"hessp(x, v{extra})", 2 + len(args))
        out.hessp = hessp
    elif hessp == "autograd" or (hessp is None and hess is None and out.jac_kind == "autograd"):
        hvp = _autograd().hessian_vector_product(fun)
        out.hessp = lambda x, v, *a: hvp(x, *a, v)
    return out
