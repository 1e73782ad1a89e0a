"""Direction rules shared by :func:`cgdopt.minimize` and :mod:`cgdopt.nn`.

This module is deliberately small and pure: it knows nothing of counting,
step sizes, results or torch optimizers.  Every formula is written once, in
terms of a handful of primitives provided by an *ops* object, so that the same
code runs on

* a 1-D numpy array (``ARRAY_OPS``, the default),
* a single torch tensor (``ARRAY_OPS`` as well: only operators and
  ``sign``/``abs`` are used, dispatched on the array type),
* a list of torch tensors with multi-tensor kernels (``cgdopt.nn`` supplies an
  ops object built on ``torch._foreach_*``).

Notation (CGD paper, Sections 3 and 3.1 and Appendix A)
-------------------------------------------------------
The regularized objective of the CGD paper [1]_ is
``g(x) = f(x) + lam * h(grad f(x))`` with the L^p penalties

* ``penalty="pow"``:  ``h(v) = ||v||_p^p``   (``g_hat_p``, Eq. 7; p=2 is the
  paper's ``g``),
* ``penalty="norm"``: ``h(v) = ||v||_p``     (``g_p``, Eq. 6).

Lemma 2 gives ``grad g = grad f + lam * c * H u`` with the *penalty vector*
``u = sign(grad f) * |grad f|^(p-1)`` (elementwise; ``u = grad f`` for p=2,
``u = sign(grad f)`` for p=1) and the *penalty coefficient*

* ``c = p``                          for ``"pow"``,
* ``c = 1 / ||grad f||_p^(p-1)``     for ``"norm"`` (``c = 0`` when
  ``grad f = 0``: the zero subgradient, so no NaN is produced).

Writing ``sign(v)|v|^(p-1)`` instead of the paper's ``v * |v|^(p-2)`` is the
same vector but stays finite at zero components.

Finite differences along ``u`` with step ``r`` replace ``H u``; with
``nu = lam * c / r`` the regularized gradient ``G ~ grad g`` becomes

* forward  (F-GR): ``G = (1 - nu) * g0 + nu * g(x + r u)``      (Eq. 10),
* backward (B-GR): ``G = (1 + nu) * g0 - nu * g(x - r u)``,
* central:         ``G = g0 + (nu / 2) * (g(x + r u) - g(x - r u))``.

For the default ``penalty="pow", p=2`` the forward rule is exactly Eq. 10 of
the CGD paper, ``nu = 2 lam / r``; in the notation of Karakida et al. (2023)
it is F-GR [2]_ with ``gamma = 2 lam`` and ``eps = r``.

The descent direction is ``d = -G``; it is a descent direction for ``f`` iff
``<grad f, G> > 0`` (Eq. 3).  :func:`safeguard` falls back to ``G = grad f``
otherwise (Algorithm 1, lines 3-6).

References
----------
.. [1] "CGD: Modifying the loss landscape by gradient regularization",
   Eqs. 6-10, Algorithms 1-2, Lemma 2.
.. [2] R. Karakida, T. Takase, T. Hayase, K. Osawa, "Understanding gradient
   regularization in deep learning: efficient finite-difference computation
   and implicit bias", ICML 2023, Eqs. 3-4.
"""
from __future__ import annotations

import math
import sys
from typing import Any, Protocol, Sequence, Tuple

#: An array of the caller's kind: a numpy array, a torch tensor, or (with the ops object of
#: :mod:`cgdopt.nn`) a list of tensors.  The rules only combine arrays through ``ops``.
Array = Any

PENALTIES = ("pow", "norm")
FD_SCHEMES = ("forward", "backward", "central")
#: "fallback": Algorithm 1 (step along -grad f when the check fails); "switch": Algorithm 2
#: (fall back and stop regularizing); "none": no check
SAFEGUARDS = ("fallback", "switch", "none")

#: probe offsets (in units of ``r * u``) that each scheme evaluates
PROBE_SIGNS = {"forward": (1.0,), "backward": (-1.0,), "central": (1.0, -1.0)}


def _namespace(x: Any) -> Any:
    """numpy for numpy arrays, torch for torch tensors (without importing torch)."""
    torch = sys.modules.get("torch")
    if torch is not None and isinstance(x, torch.Tensor):
        return torch
    import numpy

    return numpy


class Ops(Protocol):
    """The primitives the direction rules need; :class:`ArrayOps` is the default."""

    def axpby(self, a: float, x: Array, b: float, y: Array) -> Array: ...

    def signed_power(self, x: Array, q: float) -> Array: ...

    def dot(self, x: Array, y: Array) -> float: ...

    def sum_abs_pow(self, x: Array, p: float) -> float: ...


class ArrayOps:
    """Primitives on one array (numpy ndarray or a single torch tensor)."""

    @staticmethod
    def axpby(a: float, x: Array, b: float, y: Array) -> Array:
        """Return ``a * x + b * y`` (a new array)."""
        return a * x + b * y

    @staticmethod
    def signed_power(x: Array, q: float) -> Array:
        """Return ``sign(x) * |x|**q`` elementwise (0 at 0 for q >= 0)."""
        if q == 1.0:
            return x
        xp = _namespace(x)
        if q == 0.0:
            return xp.sign(x)
        return xp.sign(x) * xp.abs(x) ** q

    @staticmethod
    def dot(x: Array, y: Array) -> float:
        """Return ``<x, y>`` as a Python float."""
        return float((x * y).sum())

    @staticmethod
    def sum_abs_pow(x: Array, p: float) -> float:
        """Return ``sum |x_i|^p`` as a Python float."""
        xp = _namespace(x)
        if p == 2.0:
            return float((x * x).sum())
        return float((xp.abs(x) ** p).sum())


ARRAY_OPS = ArrayOps()


def check_penalty(penalty: str, p: float) -> None:
    """Raise ``ValueError`` unless ``penalty`` and ``p`` are supported."""
    if penalty not in PENALTIES:
        raise ValueError(f"penalty must be one of {PENALTIES}, got {penalty!r}")
    if isinstance(p, bool) or not (isinstance(p, (int, float)) and math.isfinite(p) and p >= 1):
        raise ValueError(f"p must be a finite number >= 1, got {p!r}")


def check_fd_scheme(fd: str) -> None:
    """Raise ``ValueError`` unless ``fd`` is a known finite-difference scheme."""
    if fd not in FD_SCHEMES:
        raise ValueError(f"fd must be one of {FD_SCHEMES}, got {fd!r}")


def penalty_vector(grad: Array, p: float = 2.0, ops: Ops = ARRAY_OPS) -> Array:
    r"""Penalty vector :math:`u = \mathrm{sign}(\nabla f)\,|\nabla f|^{p-1}`.

    Lemma 2 of the CGD paper writes :math:`\nabla h(\nabla f) = c\,H u`.  For ``p = 2``
    this is ``grad`` itself (no copy), for ``p = 1`` it is ``sign(grad)``.
    """
    return ops.signed_power(grad, float(p) - 1.0)


def penalty_coefficient(grad: Array, penalty: str = "pow", p: float = 2.0,
                        ops: Ops = ARRAY_OPS) -> float:
    r"""Scalar :math:`c` of Lemma 2 so that :math:`\nabla g = \nabla f + \lambda c H u`.

    ``"pow"``: :math:`c = p`.  ``"norm"``: :math:`c = \|\nabla f\|_p^{1-p}`,
    with :math:`c = 0` at :math:`\nabla f = 0` (zero subgradient) and
    :math:`c = 1` for ``p = 1`` (Corollary 1).
    """
    if penalty == "pow":
        return float(p)
    if penalty == "norm":
        if p == 1.0:
            return 1.0
        s = ops.sum_abs_pow(grad, p)
        if s == 0.0:
            return 0.0
        return float(s ** ((1.0 - p) / p))
    raise ValueError(f"penalty must be one of {PENALTIES}, got {penalty!r}")


def penalty_value(grad: Array, penalty: str = "pow", p: float = 2.0,
                  ops: Ops = ARRAY_OPS) -> float:
    r"""The penalty :math:`h(\nabla f)`: :math:`\|\nabla f\|_p^p` or :math:`\|\nabla f\|_p`."""
    s = ops.sum_abs_pow(grad, p)
    return s if penalty == "pow" else float(s ** (1.0 / p))


def fd_weight(lam: float, coef: float, r: float) -> float:
    r""":math:`\nu = \lambda c / r` (``2 lam / r`` for the default penalty; ``gamma / eps`` in F-GR)."""
    return lam * coef / r


def fd_normalized_weight(lam: float, coef: float, r: float, u_norm: float) -> float:
    r""":math:`\nu = \lambda c \|u\| / r` for the normalized probe :math:`x + r\,u/\|u\|`.

    The finite difference along the unit vector :math:`u/\|u\|` estimates
    :math:`H u / \|u\|`, so the weight carries :math:`\|u\|`; with ``penalty="norm", p=2``
    (:math:`c = 1/\|\nabla f\|`, :math:`u = \nabla f`) it is :math:`\lambda / r`.
    """
    return lam * coef * u_norm / r


def fd_combination(nu: float, fd: str = "forward") -> Tuple[float, Tuple[float, ...]]:
    r"""Coefficients ``(a, (b_1, ...))`` with :math:`G = a\,g_0 + \sum_k b_k\, g_k`.

    The probe gradients :math:`g_k` are taken in the order of ``PROBE_SIGNS[fd]``; the same
    rule as :func:`fd_regularized_gradient`, for callers that combine in place.
    """
    if fd == "forward":
        return 1.0 - nu, (nu,)
    if fd == "backward":
        return 1.0 + nu, (-nu,)
    if fd == "central":
        return 1.0, (0.5 * nu, -0.5 * nu)
    raise ValueError(f"fd must be one of {FD_SCHEMES}, got {fd!r}")


def exact_regularized_gradient(grad: Array, hvp_u: Array, lam: float, coef: float,
                               ops: Ops = ARRAY_OPS) -> Array:
    r"""Exact :math:`\nabla g = \nabla f + \lambda c\, H u` (Eq. 9, Lemma 2), given ``hvp_u = H u``."""
    return ops.axpby(1.0, grad, lam * coef, hvp_u)


def fd_regularized_gradient(grad: Array, probe_grads: Sequence[Array], nu: float,
                            fd: str = "forward", ops: Ops = ARRAY_OPS) -> Array:
    r"""Finite-difference estimate of :math:`\nabla g` from probe gradients.

    Parameters
    ----------
    grad : array
        :math:`\nabla f(x)`.
    probe_grads : sequence of arrays
        Gradients at the probe points ``x + s * r * u`` for ``s`` in
        ``PROBE_SIGNS[fd]`` (one for forward/backward, two for central).
    nu : float
        :math:`\nu = \lambda c / r` from :func:`fd_weight`.
    fd : {"forward", "backward", "central"}

    Returns
    -------
    array
        forward :math:`(1-\nu)g_0 + \nu g_+`; backward :math:`(1+\nu)g_0 - \nu g_-`;
        central :math:`g_0 + \tfrac{\nu}{2}(g_+ - g_-)`.
    """
    if fd == "forward":
        return ops.axpby(1.0 - nu, grad, nu, probe_grads[0])
    if fd == "backward":
        return ops.axpby(1.0 + nu, grad, -nu, probe_grads[0])
    if fd == "central":
        return ops.axpby(1.0, grad, 0.5 * nu, ops.axpby(1.0, probe_grads[0], -1.0, probe_grads[1]))
    raise ValueError(f"fd must be one of {FD_SCHEMES}, got {fd!r}")


def is_descent(grad: Array, reg_grad: Array, ops: Ops = ARRAY_OPS) -> bool:
    r"""True iff :math:`d = -G` is a descent direction for f, i.e. :math:`\nabla f^\top G > 0` (Eq. 3)."""
    return ops.dot(grad, reg_grad) > 0.0


def safeguard(grad: Array, reg_grad: Array, ops: Ops = ARRAY_OPS) -> Tuple[Array, bool]:
    r"""Algorithm 1's check: keep ``reg_grad`` if :math:`-G` descends, else fall back to ``grad``.

    Returns
    -------
    (G, fell_back) : (array, bool)
    """
    if is_descent(grad, reg_grad, ops):
        return reg_grad, False
    return grad, True
