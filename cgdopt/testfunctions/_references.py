"""Reference prefixes shared by the test-function modules (their ``reference`` strings).

Each ``reference`` is a prefix below plus the page or problem number, e.g.
``SFU + "Ackley Function"`` or ``MGH + "8"``.

The ``sfu_*`` modules: definitions, usual domains and optima follow Surjanovic
& Bingham, Virtual Library of Simulation Experiments: Test Functions and
Datasets, Simon Fraser University, https://www.sfu.ca/~ssurjano/optimization.html
(page named in each ``reference``).  Where SFU gives the optimum to a few digits
only, the minimizer was refined numerically (``x_opt_approximate``) and
``f_opt`` is the refined value; ``f_opt_published`` keeps SFU's digits and the
tests check that both agree to the published precision.  Where SFU gives no
minimizer, or only a rounded one (the module says which), ``x_opt`` was found by
the library (:data:`NUMERIC`): a dense grid over the usual domain, then Newton
steps on the closed-form gradient and Hessian (``x_opt_approximate``; ``f_opt``
is the value there).
"""
from __future__ import annotations

__all__ = ["SFU", "MGH", "JY", "NUMERIC"]

#: Surjanovic & Bingham, Virtual Library of Simulation Experiments (SFU).
SFU = "Surjanovic & Bingham, Virtual Library of Simulation Experiments (SFU), "
#: Moré, Garbow & Hillstrom, ACM Trans. Math. Softw. 7(1) (1981) 17-41 (MGH).
MGH = "More, Garbow & Hillstrom, ACM TOMS 7 (1981) 17-41, problem "
#: Jamil & Yang, Int. J. Math. Model. Numer. Optim. 4(2) (2013) 150-194 (JY).
JY = "Jamil & Yang, Int. J. Math. Model. Numer. Optim. 4 (2013) 150-194, "
#: Where a minimizer was found by the library rather than published by SFU.
NUMERIC = "found by the library (grid + Newton steps), not published by SFU"
