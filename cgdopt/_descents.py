r"""The four numpy descents: which vector G to step against (d = -G).

Each descent turns the gradient ``g`` at ``x`` into ``G`` using the pure rules
of :mod:`cgdopt.directions`; the solver loop adds the safeguard, the step
size, counting and stopping.

* ``gd``:     :math:`G = \nabla f` (steepest descent).
* ``cgd``:    :math:`G = \nabla f + \lambda c\,H u` with an exact Hessian-vector
  product (Eq. 9 and Lemma 2 of the CGD paper).
* ``cgd-fd``: :math:`G` from finite differences of the gradient along ``u``
  (Eq. 10; F-GR/B-GR/central).
* ``newton``: :math:`G = H^{-1}\nabla f` (dense solve with ``hess``, or
  conjugate gradients on ``hessp``), a second-order baseline.
"""
from __future__ import annotations

import numpy as np
import scipy.linalg
from scipy.sparse.linalg import LinearOperator, cg

from . import directions as rules


class GradientDescent:
    name = "gd"
    regularizes = False

    def __init__(self, **_):
        pass

    def probe_cost(self) -> int:
        return 0

    def compute(self, obj, x, g, lam):
        return g


class ExactCGD:
    name = "cgd"
    regularizes = True

    def __init__(self, penalty="pow", p=2.0, **_):
        self.penalty, self.p = penalty, float(p)

    def probe_cost(self) -> int:
        return 0

    def compute(self, obj, x, g, lam):
        coef = rules.penalty_coefficient(g, self.penalty, self.p)
        if lam * coef == 0.0:
            return g
        u = rules.penalty_vector(g, self.p)
        return rules.exact_regularized_gradient(g, obj.hvp(x, u), lam, coef)


class FiniteDifferenceCGD:
    name = "cgd-fd"
    regularizes = True

    def __init__(self, penalty="pow", p=2.0, r=1e-3, fd="forward", **_):
        self.penalty, self.p, self.r, self.fd = penalty, float(p), float(r), fd

    def probe_cost(self) -> int:
        return len(rules.PROBE_SIGNS[self.fd])

    def compute(self, obj, x, g, lam):
        coef = rules.penalty_coefficient(g, self.penalty, self.p)
        if lam * coef == 0.0:
            return g  # nothing to regularize: spend no probe
        u = rules.penalty_vector(g, self.p)
        probes = [obj.grad(x + (s * self.r) * u) for s in rules.PROBE_SIGNS[self.fd]]
        nu = rules.fd_weight(lam, coef, self.r)
        return rules.fd_regularized_gradient(g, probes, nu, self.fd)


class Newton:
    name = "newton"
    regularizes = True

    def __init__(self, cg_maxiter=None, cg_rtol=1e-5, **_):
        self.cg_maxiter, self.cg_rtol = cg_maxiter, cg_rtol

    def probe_cost(self) -> int:
        return 0

    def compute(self, obj, x, g, lam):
        if obj.has_hess:
            H = obj.hess(x)
            try:
                return scipy.linalg.solve(H, g, assume_a="sym")
            except (scipy.linalg.LinAlgError, ValueError):
                return np.full_like(g, np.nan)  # singular: the safeguard falls back
        op = LinearOperator((g.size, g.size), matvec=lambda v: obj.hvp(x, np.ravel(v)), dtype=float)
        sol, _ = cg(op, g, rtol=self.cg_rtol, maxiter=self.cg_maxiter)
        return sol


DESCENTS = {cls.name: cls for cls in (GradientDescent, ExactCGD, FiniteDifferenceCGD, Newton)}
