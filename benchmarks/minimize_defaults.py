"""cgdopt.minimize with its default options against scipy's BFGS and L-BFGS-B (docs/minimize.md).

Run: ``python benchmarks/minimize_defaults.py``.  Counts, not times: iterations, function
and gradient evaluations to reach gtol = 1e-5 from the standard starts of Rosenbrock
(-1.2, 1) and Beale (1, 1).  The first-order methods need hundreds to thousands of
times more evaluations than the quasi-Newton ones on these smooth, ill-conditioned
problems: that is where BFGS-type methods are the better tool.
"""
import scipy.optimize as so

import cgdopt
from cgdopt import testfunctions as tf


def main() -> None:
    for name, x0 in [("rosenbrock", [-1.2, 1.0]), ("beale", [1.0, 1.0])]:
        f = tf.get(name)
        runs = [("cgdopt cgd-fd (defaults)", lambda: cgdopt.minimize(f, x0)),
                ("cgdopt gd (defaults)", lambda: cgdopt.minimize(f, x0, method="gd")),
                ("scipy BFGS", lambda: so.minimize(f, x0, jac=f.grad, method="BFGS")),
                ("scipy L-BFGS-B", lambda: so.minimize(f, x0, jac=f.grad, method="L-BFGS-B"))]
        for label, run in runs:
            r = run()
            print(f"{name:10s} {label:26s} success={r.success!s:5s} nit={r.nit:6d} "
                  f"nfev={r.nfev:7d} njev={r.njev:6d}")


if __name__ == "__main__":
    main()
