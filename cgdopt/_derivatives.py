"""Resolve ``jac``, ``hess`` and ``hessp`` into callables.

Accepted forms (see :func:`cgdopt.minimize`):

* ``jac``: a callable ``jac(x, *args)``; ``True`` (``fun`` returns
  ``(f, grad)``); ``None`` or ``"autograd"`` (differentiate ``fun`` with
  autograd); ``"2-point"`` (forward differences with
  :func:`scipy.optimize.approx_fprime`).
* ``hess``: a callable ``hess(x, *args)`` returning the dense Hessian, or
  ``"autograd"``.
* ``hessp``: a callable ``hessp(x, v, *args)``, or ``"autograd"``.  When
  neither ``hess`` nor ``hessp`` is given and the gradient comes from autograd,
  Hessian-vector products come from autograd too (forward-over-reverse is not
  available in autograd; it uses reverse-over-reverse,
  :func:`autograd.hessian_vector_product`).

autograd differentiates functions written with ``autograd.numpy`` (``import
autograd.numpy as np``); plain-numpy functions that call ``np.sum``, ``np.sin``
etc. on the traced array fail, and the error says so.
"""
from __future__ import annotations

from types import SimpleNamespace

JAC_FORMS = "a callable, True, None, 'autograd' or '2-point'"


def _autograd():
    import autograd

    return autograd


def resolve_derivatives(fun, args, jac, hess, hessp) -> SimpleNamespace:
    """Return a namespace ``fun, value_and_grad, grad, hess, hessp, jac_kind``."""
    if not callable(fun):
        raise TypeError(f"fun must be callable, got {type(fun).__name__}")
    out = SimpleNamespace(fun=fun, value_and_grad=None, grad=None, hess=None, hessp=None)
    if callable(jac):
        out.grad, out.jac_kind = jac, "callable"
    elif jac is True:
        out.value_and_grad, out.jac_kind = fun, "fun"
        out.fun = None
    elif jac is None or (isinstance(jac, str) and jac == "autograd"):
        out.value_and_grad = _autograd().value_and_grad(fun)
        out.jac_kind = "autograd"
    elif isinstance(jac, str) and jac == "2-point":
        out.jac_kind = "2-point"
    else:
        raise ValueError(f"jac must be {JAC_FORMS}; got {jac!r}")

    for name, value in (("hess", hess), ("hessp", hessp)):
        if value is not None and not callable(value) and value != "autograd":
            raise ValueError(f"{name} must be a callable, 'autograd' or None; got {value!r}")
    if callable(hess):
        out.hess = hess
    elif hess == "autograd":
        out.hess = _autograd().hessian(fun)
    if callable(hessp):
        out.hessp = hessp
    elif hessp == "autograd" or (hessp is None and hess is None and out.jac_kind == "autograd"):
        hvp = _autograd().hessian_vector_product(fun)
        out.hessp = lambda x, v, *a: hvp(x, *a, v)
    return out
