r"""Step-size rules, kept apart from the direction rules.

Each rule has the signature ``rule(obj, x, f, g, d, *, step, ...) -> alpha``
and returns the step :math:`\alpha` for the update :math:`x + \alpha d`, or
``None`` when no acceptable step was found.  All evaluations go through the
counting wrapper, so they are counted and charged to the budget.

* ``fixed``: :math:`\alpha = ` ``step`` (the CGD paper's setting).
* ``armijo``: backtracking on f, :math:`\alpha = \text{step}\cdot
  \text{shrink}^j` for the smallest ``j < maxls`` with
  :math:`f(x + \alpha d) \le f(x) + c_1 \alpha \nabla f^\top d`
  (Nocedal & Wright, Algorithm 3.1).
* ``wolfe``: scipy's strong-Wolfe search
  (:func:`scipy.optimize.line_search`, Nocedal & Wright Algorithms 3.5-3.6),
  with its own choice of the first trial step.

References
----------
.. [1] J. Nocedal, S. J. Wright, *Numerical Optimization*, 2nd ed., Ch. 3.
"""
from __future__ import annotations

import warnings

import numpy as np
from scipy.optimize import line_search as _scipy_line_search

try:  # scipy does not re-export it publicly
    from scipy.optimize._linesearch import LineSearchWarning
except ImportError:  # pragma: no cover
    LineSearchWarning = Warning

LINE_SEARCHES = ("fixed", "armijo", "wolfe")


def fixed(obj, x, f, g, d, *, step, **_):
    """Constant step ``alpha = step``; makes no evaluation."""
    return step


def armijo(obj, x, f, g, d, *, step, c1=1e-4, shrink=0.5, maxls=30, **_):
    r"""Backtracking line search on f with the sufficient-decrease condition."""
    slope = float(g @ d)
    if not slope < 0:
        return None
    alpha = step
    for _ in range(maxls):
        f_new = obj.fun(x + alpha * d)
        if np.isfinite(f_new) and f_new <= f + c1 * alpha * slope:
            return alpha
        alpha *= shrink
    return None


def wolfe(obj, x, f, g, d, *, c1=1e-4, c2=0.9, maxls=30, old_fval=None, **_):
    """Strong-Wolfe step from :func:`scipy.optimize.line_search`."""
    if not float(g @ d) < 0:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LineSearchWarning)
        alpha = _scipy_line_search(obj.fun, obj.grad, x, d, gfk=g, old_fval=f,
                                   old_old_fval=old_fval, c1=c1, c2=c2, maxiter=maxls)[0]
    return alpha


RULES = {"fixed": fixed, "armijo": armijo, "wolfe": wolfe}
