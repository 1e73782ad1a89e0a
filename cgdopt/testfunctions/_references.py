"""Reference prefixes shared by the test-function modules (their ``reference`` strings).

Each ``reference`` is a prefix below plus the page or problem number, e.g.
``SFU + "Ackley Function"`` or ``MGH + "8"``.
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
