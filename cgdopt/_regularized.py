r"""The gradient-regularized objective g of the CGD paper and the stationary points of f and g.

:func:`regularized_objective` evaluates

.. math:: g(x) = f(x) + \lambda\, h(\nabla f(x)), \qquad
          \nabla g(x) = \nabla f(x) + \lambda\, c\, H(x)\, u(x)

with ``h(v) = ||v||_p^p`` (``penalty="pow"``, Eq. 7; ``p = 2`` is the paper's
``g`` of Eq. 8) or ``h(v) = ||v||_p`` (``penalty="norm"``, Eq. 6), the penalty
vector ``u = sign(grad f)|grad f|^(p-1)`` and coefficient ``c`` of Lemma 2
taken from :mod:`cgdopt.directions` (one implementation), and ``H u`` from one
Hessian-vector product (Pearlmutter), never a dense Hessian.

:func:`stationary_points` finds and classifies the stationary points of a
function on an interval (sign changes of the derivative on a grid, refined with
:func:`scipy.optimize.brentq`) or on a box in 2-D (:func:`scipy.optimize.root`
started from a grid).  With it, Lemma 1 can be checked: every stationary point
of f is one of g, and a stationary point of g where ``grad f != 0`` (an
*artificial* one) has ``H grad f = -grad f / (2 lam)``.

References
----------
.. [1] "CGD: Modifying the loss landscape by gradient regularization", Eqs. 6-9,
   Lemma 1, Lemma 2, Figures 1-2.
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np
from scipy import optimize

from . import directions as rules
from ._derivatives import resolve_derivatives

__all__ = ["RegularizedObjective", "regularized_objective", "StationaryPoint",
           "stationary_points"]

KINDS = ("min", "max", "saddle", "degenerate")


def _as_point(x):
    return np.atleast_1d(np.asarray(x, dtype=float))


class RegularizedObjective:
    r"""``g(x) = f(x) + lam * h(grad f(x))`` as a callable with :meth:`grad` (see :func:`regularized_objective`)."""

    def __init__(self, fun, grad, hessp, lam, penalty, p):
        self.fun, self.jac, self.hessp = fun, grad, hessp
        self.lam, self.penalty, self.p = lam, penalty, p

    def __repr__(self):
        return f"RegularizedObjective(lam={self.lam!r}, penalty={self.penalty!r}, p={self.p!r})"

    def _grad_f(self, x):
        return _as_point(self.jac(x))

    def __call__(self, x):
        """:math:`g(x) = f(x) + \\lambda h(\\nabla f(x))`."""
        x = _as_point(x)
        return float(np.squeeze(self.fun(x))) + self.lam * rules.penalty_value(
            self._grad_f(x), self.penalty, self.p)

    def grad(self, x):
        r""":math:`\nabla g = \nabla f + \lambda c H u` (Lemma 2): one gradient and one Hessian-vector product."""
        x = _as_point(x)
        gf = self._grad_f(x)
        u = rules.penalty_vector(gf, self.p)
        c = rules.penalty_coefficient(gf, self.penalty, self.p)
        hu = _as_point(self.hessp(x, u))
        return rules.exact_regularized_gradient(gf, hu, self.lam, c)

    def grad_f(self, x):
        """:math:`\\nabla f(x)` (the original gradient), as a 1-D array."""
        return self._grad_f(_as_point(x))

    def is_artificial(self, x, atol=1e-6):
        """True when ``x`` is not stationary for f: ``||grad f(x)|| > atol`` (Lemma 1, case b).

        ``atol`` must be a finite number >= 0 (a negative one would call every point artificial).
        """
        if isinstance(atol, bool) or not isinstance(atol, numbers.Real) or not math.isfinite(atol) \
                or atol < 0:
            raise ValueError(f"atol must be a finite number >= 0, got {atol!r}")
        return bool(np.linalg.norm(self.grad_f(x)) > atol)


def regularized_objective(fun, jac=None, hessp=None, *, lam, penalty="pow", p=2, hess=None):
    r"""The gradient-regularized objective :math:`g = f + \lambda h(\nabla f)` of the CGD paper.

    .. math:: g(x) = f(x) + \lambda h(\nabla f(x)), \qquad
              \nabla g(x) = \nabla f(x) + \lambda c\, H(x) u(x),

    with :math:`h(v) = \|v\|_p^p` (``"pow"``) or :math:`\|v\|_p` (``"norm"``),
    :math:`u = \mathrm{sign}(\nabla f)|\nabla f|^{p-1}` and :math:`c = p`
    (``"pow"``) or :math:`c = \|\nabla f\|_p^{1-p}` (``"norm"``), as in
    :func:`cgdopt.directions.penalty_vector` and
    :func:`~cgdopt.directions.penalty_coefficient`.  For ``p = 2``,
    ``"pow"``: :math:`g = f + \lambda\|\nabla f\|^2` and
    :math:`\nabla g = (I + 2\lambda H)\nabla f` (Eqs. 8-9).

    Parameters
    ----------
    fun : callable
        ``fun(x) -> float`` for ``x`` of shape ``(n,)``.  A
        :mod:`cgdopt.testfunctions` function (or any object with ``grad`` and
        ``hessp`` methods) supplies its own derivatives when ``jac`` is None.
    jac : callable, True, None or "autograd", optional
        Gradient ``jac(x)``; ``True``: ``fun`` returns ``(f, grad)``.  ``None``:
        the object's ``grad``, else autograd.  Finite differences are refused
        (``H u`` would be a difference of differences).
    hessp : callable, None or "autograd", optional
        Hessian-vector product ``hessp(x, v)``.  ``None``: the object's
        ``hessp``, ``hess`` if given, else autograd when ``jac`` is autograd's.
    lam : float
        Regularization coefficient :math:`\lambda \ge 0` (keyword-only, required).
    penalty : {"pow", "norm"}, optional
        ``"pow"``: :math:`\|\nabla f\|_p^p` (default); ``"norm"``: :math:`\|\nabla f\|_p`.
    p : float, optional
        Order of the norm, ``p >= 1`` (default 2).
    hess : callable or "autograd", optional
        Dense Hessian ``hess(x)``, used for the product when ``hessp`` is not given.

    Returns
    -------
    RegularizedObjective
        ``g(x) -> float``, ``g.grad(x) -> ndarray`` (:math:`\nabla g`),
        ``g.grad_f(x)`` (:math:`\nabla f`) and ``g.is_artificial(x)``.

    Raises
    ------
    ValueError
        ``lam`` not a finite number >= 0, unknown ``penalty``, ``p < 1``, or no
        way to form Hessian-vector products.

    References
    ----------
    .. [1] "CGD: Modifying the loss landscape by gradient regularization",
       Eqs. 6-9, Lemma 2.

    Examples
    --------
    >>> import numpy as np
    >>> from cgdopt import regularized_objective
    >>> g = regularized_objective(lambda x: x[0]**2 + 2*x[1]**2,
    ...                           jac=lambda x: np.array([2*x[0], 4*x[1]]),
    ...                           hessp=lambda x, v: np.array([2*v[0], 4*v[1]]), lam=0.4)
    >>> g(np.array([1.0, 1.0]))       # (1 + 4 lam) + 2 (1 + 8 lam)
    11.0
    """
    if not callable(fun):
        raise TypeError(f"fun must be callable, got {type(fun).__name__}")
    if isinstance(lam, bool) or not isinstance(lam, numbers.Real) or not math.isfinite(lam) \
            or lam < 0:
        raise ValueError(f"lam must be a finite number >= 0, got {lam!r}")
    rules.check_penalty(penalty, p)
    if jac is None and callable(getattr(fun, "grad", None)):
        jac = fun.grad
        if hessp is None and hess is None:
            hessp = getattr(fun, "hessp", None)
            if not callable(hessp):
                raise ValueError("fun has a grad method but no hessp method: pass hessp= or hess=")
    d = resolve_derivatives(fun, (), jac, hess, hessp)
    if d.jac_kind not in ("callable", "fun", "autograd", "closed-form"):
        raise ValueError(f"jac={jac!r} (finite differences) is not accepted here: pass a "
                         "callable, True, None or 'autograd'")
    grad, value = d.grad, fun
    if grad is None:  # autograd's value_and_grad, or fun returning (f, grad) for jac=True
        vg = d.value_and_grad
        grad = lambda x: vg(x)[1]  # noqa: E731
        if d.jac_kind == "fun":
            value = lambda x: vg(x)[0]  # noqa: E731
    hvp = d.hessp
    if hvp is None and d.hess is not None:
        dense = d.hess
        hvp = lambda x, v: np.asarray(dense(x)) @ v  # noqa: E731
    if hvp is None:
        raise ValueError("regularized_objective needs Hessian-vector products: pass hessp= or "
                         "hess= (callables or 'autograd'), or omit jac so autograd provides them")
    return RegularizedObjective(value, grad, hvp, float(lam), penalty, float(p))


@dataclass(frozen=True)
class StationaryPoint:
    """A stationary point ``x`` (shape ``(n,)``), its ``kind`` and the Hessian's eigenvalues there."""

    x: np.ndarray
    kind: str
    value: float
    eigenvalues: np.ndarray


def _check_bounds(bounds):
    try:
        b = np.asarray(bounds, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"bounds must be (low, high) or [(low, high), (low, high)], "
                         f"got {bounds!r}") from None
    if b.shape == (2,):
        b = b[None, :]
    if b.ndim != 2 or b.shape[1] != 2 or b.shape[0] not in (1, 2):
        raise ValueError("bounds must be (low, high) for an interval or "
                         f"[(low, high), (low, high)] for a 2-D box, got {bounds!r}")
    if not np.all(np.isfinite(b)) or np.any(b[:, 0] >= b[:, 1]):
        raise ValueError(f"bounds must be finite with low < high, got {bounds!r}")
    return b


def _hessian(grad, x, hess=None):
    """Dense Hessian: ``hess(x)`` if given, else central differences of ``grad`` (symmetrized)."""
    n = x.size
    if hess is not None:
        h = np.asarray(hess(x), dtype=float).reshape(n, n)
    else:
        h = np.empty((n, n))
        for i in range(n):
            e = np.zeros(n)
            step = 1e-5 * max(1.0, abs(x[i]))
            e[i] = step
            h[:, i] = (_as_point(grad(x + e)) - _as_point(grad(x - e))) / (2 * step)
    return 0.5 * (h + h.T)


def _classify(eig, rtol):
    scale = max(1.0, float(np.max(np.abs(eig))))
    tol = rtol * scale
    if np.any(np.abs(eig) <= tol):
        return "degenerate"
    if np.all(eig > 0):
        return "min"
    if np.all(eig < 0):
        return "max"
    return "saddle"


def stationary_points(fun, grad, bounds, *, hess=None, num=401, xtol=1e-10, rtol=1e-6):
    r"""Find and classify the stationary points of ``fun`` on an interval or a 2-D box.

    1-D (``bounds=(a, b)``): the derivative is evaluated on ``num`` equally
    spaced points; each sign change is refined with
    :func:`scipy.optimize.brentq`, and grid points where it is exactly 0 are
    kept.  2-D (``bounds=[(a, b), (c, d)]``): :func:`scipy.optimize.root`
    (``hybr``) on ``grad`` is started from a ``k x k`` grid,
    ``k = ceil(sqrt(num))``; converged roots inside the box are merged when
    closer than ``1e-6`` of the box size.  Each point is classified from the
    eigenvalues of the Hessian (``hess`` if given, else central differences of
    ``grad``): all positive ``"min"``, all negative ``"max"``, both ``"saddle"``,
    any within ``rtol`` of zero ``"degenerate"``.

    Roots between two grid points of the same sign (a pair closer than the
    grid spacing, or a tangency) can be missed in 1-D: raise ``num``.

    Parameters
    ----------
    fun : callable
        ``fun(x)`` for ``x`` of shape ``(n,)``, ``n = 1`` or 2 (for the values only).
    grad : callable
        ``grad(x)``, shape ``(n,)`` (a scalar is accepted in 1-D).
    bounds : (float, float) or [(float, float), (float, float)]
    hess : callable, optional
        Dense Hessian ``hess(x)``.
    num : int, optional
        Grid size (default 401).
    xtol : float, optional
        Tolerance of ``brentq`` / ``root``.
    rtol : float, optional
        Relative tolerance for a zero eigenvalue.

    Returns
    -------
    list of StationaryPoint
        Sorted by coordinates.

    References
    ----------
    .. [1] "CGD: Modifying the loss landscape by gradient regularization", Lemma 1, Figure 2.
    """
    b = _check_bounds(bounds)
    if isinstance(num, bool) or not isinstance(num, numbers.Integral) or num < 3:
        raise ValueError(f"num must be an integer >= 3, got {num!r}")
    if not callable(fun) or not callable(grad):
        raise TypeError("fun and grad must be callable")
    roots = _roots_1d(grad, b[0], int(num), xtol) if b.shape[0] == 1 \
        else _roots_2d(grad, b, int(num), xtol)
    out = []
    for x in roots:
        eig = np.linalg.eigvalsh(_hessian(grad, x, hess))
        out.append(StationaryPoint(x=x, kind=_classify(eig, rtol),
                                   value=float(np.squeeze(fun(x))), eigenvalues=eig))
    return out


def _roots_1d(grad, interval, num, xtol):
    d = lambda t: float(np.squeeze(grad(np.array([t]))))  # noqa: E731
    ts = np.linspace(interval[0], interval[1], num)
    vals = np.array([d(t) for t in ts])
    roots = [t for t, v in zip(ts, vals) if v == 0.0]
    for i in np.nonzero(np.sign(vals[:-1]) * np.sign(vals[1:]) < 0)[0]:
        roots.append(optimize.brentq(d, ts[i], ts[i + 1], xtol=xtol))
    return [np.array([t]) for t in sorted(roots)]


def _roots_2d(grad, box, num, xtol):
    k = max(3, math.ceil(math.sqrt(num)))
    axes = [np.linspace(lo, hi, k) for lo, hi in box]
    merge = 1e-6 * float(np.max(box[:, 1] - box[:, 0]))
    starts = np.stack(np.meshgrid(*axes, indexing="ij"), -1).reshape(-1, 2)
    scale = max(1.0, max(float(np.linalg.norm(_as_point(grad(x0)))) for x0 in starts))
    found: list[np.ndarray] = []
    for x0 in starts:
        sol = optimize.root(lambda x: _as_point(grad(x)), x0, method="hybr", tol=xtol)
        x = sol.x
        if not sol.success or np.any(x < box[:, 0]) or np.any(x > box[:, 1]):
            continue
        if np.linalg.norm(_as_point(grad(x))) > 1e-8 * scale:
            continue
        if all(np.linalg.norm(x - y) > merge for y in found):
            found.append(x)
    return sorted(found, key=lambda x: tuple(x))
