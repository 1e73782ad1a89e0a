"""The two-parameter model of Barrett & Dherin (2021), Section 5 and Appendix A.4.

D. G. T. Barrett, B. Dherin, "Implicit Gradient Regularization", ICLR 2021.
One data point ``(x, y)`` and the model ``f(x; a, b) = a b x`` give the loss
``E(a, b) = (y - a b x)^2 / 2``: an over-parameterized model whose global
minima form the hyperbola ``a b = y / x`` (a "line attractor"), which makes
the implicit regularizer ``R_IG = |grad E|^2 / 2 = (a^2 + b^2) x^2 E`` visible in
the plane.
"""
from __future__ import annotations

import math
import numbers
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._base import TestFunction
from ._registry import register

__all__ = ["TwoParam"]

BD = ("Barrett & Dherin, Implicit Gradient Regularization, ICLR 2021, Section 5, "
      "Figure 1, Appendix A.4 (Eq. A.24, Table A.1)")


def _real(name, v):
    if isinstance(v, bool) or not isinstance(v, numbers.Real) or not math.isfinite(v):
        raise ValueError(f"two_param: {name} must be a finite real number, got {v!r}")
    return float(v)


@register
class TwoParam(TestFunction):
    r"""Barrett & Dherin's two-parameter model ``E(a, b) = (y - a b x)^2 / 2``.

    .. math:: E(a, b) = \tfrac12 (y - a b x)^2,\qquad
              \nabla E = -x r\,(b, a),\quad r = y - a b x,\qquad
              \nabla^2 E = \begin{pmatrix} b^2 x^2 & a b x^2 - x r \\
                           a b x^2 - x r & a^2 x^2 \end{pmatrix}

    The point is ``(a, b)``; the training datum ``(x, y)`` is a constructor
    parameter, by default ``(1, 0.6)`` as in Table A.1 of the paper.

    **The global minimizers form a curve**: every point of the hyperbola
    ``a b = y / x`` has ``E = 0`` (``f_opt = 0``), so ``x_opt`` lists sample
    points only and ``x_opt_complete`` is ``False``.  The first two rows are
    the minimum-norm (flattest) minimizers ``±(√(y/x), √(y/x))`` (for
    ``y/x < 0``: ``±(√(-y/x), -√(-y/x))``), marked by a cross in the paper's
    Figure 1a; the other rows are ``(t, y/(x t))`` for a few ``t``.
    :meth:`curve_b` gives the curve itself for plotting.  For ``y = 0`` the
    minimizers are the two axes ``a b = 0``.  The origin is a saddle point
    (gradient 0, Hessian eigenvalues ``±x y``) when ``y != 0``.

    The implicit regularizer of gradient descent with learning rate ``h`` is
    ``R_IG = |∇E|^2 / m = (a^2 + b^2) x^2 E`` with ``m = 2`` parameters
    (Eq. 4 and A.25, :meth:`r_ig`), with rate ``λ = m h / 4 = h / 2`` (Eq. A.26):
    the modified loss is ``E + λ R_IG = E + (h/4) |∇E|^2``.

    Parameters
    ----------
    n : int, optional
        Must be ``None`` or 2.
    x, y : float, optional
        The training datum (defaults ``x = 1``, ``y = 0.6``); ``x != 0``
        (for ``x = 0`` the loss does not depend on ``(a, b)``).

    Notes
    -----
    Usual domain (a library choice covering the paper's Figure 1a):
    ``[-L, L]^2`` with ``L = max(5, 3 √|y/x|)``.  ``x0 = (2.8, 3.5)`` is the
    paper's initial point I (Table A.1); initial point II ``(75, 74.925)``
    lies outside the usual domain and is :attr:`x0_far`.

    References
    ----------
    Barrett & Dherin, "Implicit Gradient Regularization", ICLR 2021,
    Section 5 and Appendix A.4.
    """

    name = "two_param"
    title = "Two-parameter model (Barrett & Dherin)"
    dim = 2
    tags = ("barrett-dherin", "valley", "nonconvex", "continuum-of-minima")
    formula = "0.5 (y - a b x)^2, point (a, b), datum (x, y) = (1, 0.6) by default"
    reference = BD
    source = "Barrett & Dherin"
    x0_note = "initial point I of Barrett & Dherin, Table A.1 (point II: x0_far)"
    x_opt_complete = False
    x_opt_note = ("the minimizers form the hyperbola a b = y/x (a curve); rows are sample "
                  "points, the first two the minimum-norm ones")
    x0_far = np.array([75.0, 74.925])

    def __init__(self, n: int | None = None, x: float = 1.0, y: float = 0.6) -> None:
        super().__init__(n)
        self.x = _real("x", x)
        self.y = _real("y", y)
        if self.x == 0.0:
            raise ValueError("two_param: x must be non-zero (for x = 0 the loss is constant), "
                             "got 0.0")
        self._c = self.y / self.x  # the hyperbola a b = c

    def __repr__(self):
        return f"TwoParam(x={self.x!r}, y={self.y!r})"

    def _bounds(self):
        L = max(5.0, 3.0 * math.sqrt(abs(self._c)))
        return (-L, L)

    def _x0(self):
        return [2.8, 3.5]

    def _f(self, p):
        r = self.y - p[..., 0] * p[..., 1] * self.x
        return 0.5 * r * r

    def _grad(self, p):
        a, b = p[..., 0], p[..., 1]
        s = -self.x * (self.y - a * b * self.x)
        return np.stack([s * b, s * a], axis=-1)

    def _hessp(self, p, v):
        a, b = p[..., 0], p[..., 1]
        x2 = self.x * self.x
        off = a * b * x2 - self.x * (self.y - a * b * self.x)
        v1, v2 = v[..., 0], v[..., 1]
        return np.stack([b * b * x2 * v1 + off * v2, off * v1 + a * a * x2 * v2], axis=-1)

    def _x_opt(self):
        c = self._c
        if c == 0.0:
            return [[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [-2.0, 0.0], [0.0, -2.0]]
        t = math.sqrt(abs(c))
        s = 1.0 if c > 0 else -1.0
        pts = [[t, s * t], [-t, -s * t]]
        for k in (2.0, 0.5, -2.0, -0.5):
            pts.append([k * t, c / (k * t)])
        return pts

    def _x_saddle(self):
        return [[0.0, 0.0]] if self._c != 0.0 else np.zeros((0, 2))

    def curve_b(self, a: ArrayLike) -> np.ndarray:
        """``b = y / (x a)``: the curve of global minimizers as a function of ``a != 0``."""
        a = np.asarray(a, dtype=np.float64)
        with np.errstate(divide="ignore"):
            return self._c / a

    def r_ig(self, p: ArrayLike) -> Any:  # float for one point, ndarray for a batch
        """Implicit regularizer ``R_IG = |∇E|^2 / 2 = (a^2 + b^2) x^2 E`` (Eq. A.25)."""
        q = self._points(p, arg="p")
        out = (q[..., 0] ** 2 + q[..., 1] ** 2) * self.x ** 2 * self._f(q)
        return float(out) if q.ndim == 1 else out
