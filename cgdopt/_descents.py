r"""The four numpy descents: which vector G to step against (d = -G).

Each descent turns the gradient ``g`` at ``x`` into ``G`` using the pure rules
of :mod:`cgdopt.directions`; the solver loop adds the safeguard, the step
size, counting and stopping.  ``compute(obj, x, g, lam) -> (G, modified)``;
``modified`` is True when the descent itself replaced its direction by a safe
one (Newton on a Hessian that is not positive definite).

* ``gd``:     :math:`G = \nabla f` (steepest descent).
* ``cgd``:    :math:`G = \nabla f + \lambda c\,H u` with an exact Hessian-vector
  product (Eq. 9 and Lemma 2 of the CGD paper).
* ``cgd-fd``: :math:`G` from finite differences of the gradient along ``u``
  (Eq. 10; F-GR/B-GR/central).  A probe point with a NaN or inf is never
  passed to the user's function: the run ends with status 3.
* ``newton``: :math:`G = H^{-1}\nabla f` (Cholesky with ``hess``, or
  truncated conjugate gradients on ``hessp``).  Where H is not positive
  definite (singular or indefinite) and the safeguard is on, the step is the
  regularized Newton step :math:`G = (H + \tau I)^{-1}\nabla f` with
  :math:`\tau = \max(0, -\lambda_{\min}(H)) + \|\nabla f\|_2`, so that
  :math:`H + \tau I \succeq \|\nabla f\|_2 I`: a descent direction with
  :math:`\|G\|_2 \le 1` (Levenberg-Marquardt; Nocedal & Wright [1]_ Sec. 3.4,
  Ueda & Yamashita [2]_).  On ``hessp`` the conjugate gradients stop at
  negative curvature (Nocedal & Wright Algorithm 7.1); negative curvature at
  the first CG step gives :math:`G = \nabla f \min(\|\nabla f\|^2 / |\nabla
  f^\top H \nabla f|, 1/\|\nabla f\|)` (scipy's Newton-CG scaling, capped at
  unit length).

References
----------
.. [1] J. Nocedal, S. J. Wright, *Numerical Optimization*, 2nd ed., Sec. 3.4, Alg. 7.1.
.. [2] K. Ueda, N. Yamashita, "Convergence properties of the regularized Newton
   method for the unconstrained nonconvex optimization", Appl. Math. Optim. 62 (2010).
"""
from __future__ import annotations

import math
from typing import Any, List, Optional, Tuple

import numpy as np
import scipy.linalg

from . import directions as rules
from ._signals import NonFinite

Direction = Tuple[np.ndarray, bool]


class NewtonSystemSingular(Exception):
    """``safeguard='none'`` and the Hessian is singular: no Newton step exists."""


class GradientDescent:
    name = "gd"
    regularizes = False

    def __init__(self, **_: Any) -> None:
        pass

    def probe_cost(self) -> int:
        return 0

    def compute(self, obj: Any, x: np.ndarray, g: np.ndarray, lam: float) -> Direction:
        return g, False


class ExactCGD:
    name = "cgd"
    regularizes = True

    @staticmethod
    def overflowed() -> bool:  # an exact H u that overflows ends the run (status 3)
        return False

    def __init__(self, penalty: str = "pow", p: float = 2.0, **_: Any) -> None:
        self.penalty, self.p = penalty, float(p)

    def probe_cost(self) -> int:
        return 0

    def compute(self, obj: Any, x: np.ndarray, g: np.ndarray, lam: float) -> Direction:
        coef = rules.penalty_coefficient(g, self.penalty, self.p)
        if lam * coef == 0.0:
            return g, False
        u = rules.penalty_vector(g, self.p)
        return rules.exact_regularized_gradient(g, obj.hvp(x, u), lam, coef), False


class FiniteDifferenceCGD:
    name = "cgd-fd"
    regularizes = True

    def __init__(self, penalty: str = "pow", p: float = 2.0, r: float = 1e-3,
                 fd: str = "forward", **_: Any) -> None:
        self.penalty, self.p, self.r, self.fd = penalty, float(p), float(r), fd
        self.signs = rules.PROBE_SIGNS[fd]
        self.one_probe = len(self.signs) == 1
        # s r of the first probe x + s r u, as a 0-d array: numpy multiplies an array by a
        # 0-d float64 array faster than by a Python float (no scalar conversion), same result
        self.first_offset = np.array(self.signs[0] * self.r)
        self.squared = penalty == "pow" and self.p == 2.0
        #: ||x||^2 of the current iterate, kept up to date by the solver (inf: unknown)
        self.x_sq = math.inf
        self._probes: Tuple[np.ndarray, ...] = ()
        self._weights_of = (math.nan, math.nan)  # (lam, coef) the cached weights are for
        self._weights = (np.array(1.0), np.array(0.0))

    def probe_cost(self) -> int:
        return len(self.signs)

    def _one_probe_weights(self, lam: float, coef: float) -> Tuple[np.ndarray, np.ndarray]:
        """``(a, b)`` of ``G = a g + b g_1`` (:func:`cgdopt.directions.fd_combination`), 0-d arrays.

        Cached for the last ``(lam, coef)``: constant for a constant lambda and the
        paper's penalty, so the loop computes them once.
        """
        if (lam, coef) != self._weights_of:
            a, (b,) = rules.fd_combination(rules.fd_weight(lam, coef, self.r), self.fd)
            self._weights_of, self._weights = (lam, coef), (np.array(a), np.array(b))
        return self._weights

    def compute(self, obj: Any, x: np.ndarray, g: np.ndarray, lam: float) -> Direction:
        if self.squared:  # the paper's g: c = 2, u = grad f
            coef, u = 2.0, g
        else:
            coef = rules.penalty_coefficient(g, self.penalty, self.p)
            u = rules.penalty_vector(g, self.p)
        if lam * coef == 0.0:
            return g, False  # nothing to regularize: spend no probe
        # x + s r u is surely finite when ||x|| + |r| ||u|| is far below the overflow
        # threshold: ||x||^2 < 1e290 and r^2 ||u||^2 < 1e290 give ||x|| + |r| ||u|| < 2e145
        # (x_sq: the solver's ||x||^2, or a bound on it); only otherwise is the point scanned
        r = self.r
        sure = u is g and self.x_sq < 1e290 and r * r * obj.grad_sq < 1e290
        if self.one_probe:  # forward or backward: one probe (the common case, unrolled)
            point = self.first_offset * u
            point += x  # x + s r u, one temporary
            if not (sure or math.isfinite(point.dot(point)) or np.isfinite(point).all()):
                raise NonFinite("probe point x + r u")
            # the probe point is ours and dropped after the call: no copy for user code
            probe = obj.probe_grad(point)
            self._probes = (probe,)
            a, b = self._one_probe_weights(lam, coef)
            G = a * g  # fd_regularized_gradient's a g + b g_1, with one temporary less
            G += b * probe
            return G, False
        found = []
        for s in self.signs:
            point = x + (s * r) * u
            if not (sure or math.isfinite(point.dot(point)) or np.isfinite(point).all()):
                raise NonFinite("probe point x + r u")
            found.append(obj.probe_grad(point))
        self._probes = probes = tuple(found)
        nu = rules.fd_weight(lam, coef, r)
        return rules.fd_regularized_gradient(g, probes, nu, self.fd), False

    def overflowed(self) -> bool:
        """True when the last probe gradients hold no NaN (a non-finite G came from an overflow)."""
        return not any(np.isnan(p).any() for p in self._probes)

    def blame(self) -> str:
        """Name the non-finite input of the last G (a probe gradient, or an overflow in G)."""
        if any(not np.isfinite(p).all() for p in self._probes):
            return "probe gradient at x + r u"
        return "search direction"


class Newton:
    name = "newton"
    regularizes = True

    @staticmethod
    def overflowed() -> bool:
        return False

    def __init__(self, cg_maxiter: Optional[int] = None, cg_rtol: float = 1e-5,
                 safeguard: str = "fallback", **_: Any) -> None:
        self.cg_maxiter, self.cg_rtol = cg_maxiter, cg_rtol
        self.safe = safeguard != "none"

    def probe_cost(self) -> int:
        return 0

    def compute(self, obj: Any, x: np.ndarray, g: np.ndarray, lam: float) -> Direction:
        if obj.has_hess:
            return self._dense(obj.hess(x), g)
        return self._truncated_cg(lambda v: obj.hvp(x, v), g)

    def _dense(self, H: np.ndarray, g: np.ndarray) -> Direction:
        try:
            return scipy.linalg.cho_solve(scipy.linalg.cho_factor(H), g), False
        except scipy.linalg.LinAlgError:
            pass
        if not self.safe:
            try:
                return scipy.linalg.solve(H, g, assume_a="sym"), False
            except (scipy.linalg.LinAlgError, ValueError):
                raise NewtonSystemSingular from None
        Hs = 0.5 * (H + H.T)
        lmin = float(scipy.linalg.eigvalsh(Hs, subset_by_index=[0, 0])[0])
        tau = max(0.0, -lmin) + math.sqrt(g.dot(g))
        Hs[np.diag_indices_from(Hs)] += tau
        try:
            return scipy.linalg.cho_solve(scipy.linalg.cho_factor(Hs), g), True
        except scipy.linalg.LinAlgError:  # rounding at the edge: one more shift
            Hs[np.diag_indices_from(Hs)] += tau
            return scipy.linalg.cho_solve(scipy.linalg.cho_factor(Hs), g), True

    def _truncated_cg(self, hvp: Any, g: np.ndarray) -> Direction:
        """Solve H p = g by CG, stopping at negative curvature (N&W Algorithm 7.1)."""
        n = g.size
        maxiter = self.cg_maxiter if self.cg_maxiter is not None else 20 * n
        gnorm = math.sqrt(g.dot(g))
        tol = self.cg_rtol * gnorm
        p = np.zeros_like(g)
        r = g.copy()  # residual g - H p
        d = r.copy()
        rr = r.dot(r)
        for i in range(maxiter):
            Hd = hvp(d)
            curv = d.dot(Hd)
            if curv <= 0.0:
                if i > 0:  # Newton-CG's usual truncation: p is a descent direction
                    return p, False
                if not self.safe:
                    raise NewtonSystemSingular
                scale = 1.0 / gnorm if curv == 0.0 else min(rr / -curv, 1.0 / gnorm)
                return g * scale, True
            a = rr / curv
            p += a * d
            r -= a * Hd
            rr_new = r.dot(r)
            if math.sqrt(rr_new) <= tol:
                break
            d *= rr_new / rr
            d += r
            rr = rr_new
        return p, False


DESCENTS = {cls.name: cls for cls in (GradientDescent, ExactCGD, FiniteDifferenceCGD, Newton)}
