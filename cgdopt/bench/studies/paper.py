r"""The ``paper`` study: the CGD paper's Section 4 protocol, measured from random starts.

Pipeline: Table 1 settings -> one task per (function, method, reading, start)
-> first-step improvement per run -> Table 2 as a distribution with a verdict
per function -> Figure 3 as median curves with inter-quartile bands -> a small
``compare`` of seven methods on the same six functions, with its profile.

Protocol (Table 1): budget T = 40 gradient evaluations, CGD-FD regularizes
iterations 0..b with b = T/4 (``switch_after=b``), Algorithm 2
(``safeguard="switch"``), forward differences with step ``r`` (not stated in
the paper; ``--r``, default 1e-3), a fixed step α (passed explicitly:
``line_search="fixed"``).  Start i of a function is row i of
``f.sample_x0(i + 1, seed)``, uniform in the usual domain, so it depends only
on (seed, function, n, i).  The quadratic's matrix is drawn with the study's
seed (Appendix B), the same for every start.

Improvement (Section 4): :math:`I = (f(x_0) - f(x_1)) / f(x_0) \cdot 100`.
It is *ill-defined* at a start when :math:`f(x_0) \le 0`, or when
:math:`f(x_0)` is near :math:`f^*` on the scale of :math:`f^*`
(:math:`|f^*| > 0.1\,(f(x_0) - f^*)`: the two denominators differ by more than
10 %); the gap-relative :math:`I^* = (f(x_0) - f(x_1)) / (f(x_0) - f^*) \cdot 100`
is always reported beside it.

Verdict on Table 2's claim "CGD-FD's first step improves more than GD's",
from the fraction w of starts at which :math:`f(x_1^{CGD-FD}) < f(x_1^{GD})`
(independent of the denominator; a tie, when Algorithm 2's check rejected
CGD-FD's first direction and it took GD's step, is not a win): **holds** if
w >= 0.9, **does not hold** if w < 0.5 (CGD-FD is not better at the median
start), else **depends on the start**.
"""
from __future__ import annotations

import numpy as np

import cgdopt
from cgdopt.schedules import Linear

from .. import problems
from ..engine import Task
from ..errors import BenchInputError

NAME = "paper"
HELP = ("the CGD paper's Tables 1-2 and Figure 3 from random starts (distributions and "
        "verdicts), and which method wins on its six functions")

BUDGET = 40                 # T
SWITCH_AFTER = BUDGET // 4  # b
#: Table 1: function -> (n, lambda, alpha); lambda ("linear", a, b) is Linear(a, b)
TABLE1 = {
    "quadratic": (10, 0.4, 0.01),
    "rotated_hyper_ellipsoid": (5, 0.5, 0.01),
    "levy": (2, ("linear", 0.01, 0.1), 0.05),
    "branin": (2, 0.07, 0.01),
    "griewank": (2, 40.0, 0.01),
    "matyas": (2, 10.0, 0.01),
}
#: Table 2 of the paper: first-step improvement in % (GD, CGD-FD)
PAPER_TABLE2 = {"quadratic": (18.89, 97.91), "rotated_hyper_ellipsoid": (15.94, 82.76),
                "levy": (23.73, 63.21), "branin": (37.53, 87.07), "griewank": (0.01, 0.08),
                "matyas": (1.83, 34.40)}
#: readings of Linear(a, b): "T" = T values over the iterations (the paper's words,
#: "a schedule of T values"), "b" = b + 1 values, reaching b at the last regularized iteration
READINGS = {"T": BUDGET, "b": SWITCH_AFTER + 1}
HOLDS, DEPENDS = 0.9, 0.5
#: the small compare of the default run: methods (``--methods`` syntax) and cgdopt line searches
COMPARE_METHODS = "gd,cgd,cgd-fd,newton,scipy:BFGS,scipy:CG,scipy:L-BFGS-B"
COMPARE_LINE_SEARCHES = ("armijo", "wolfe")
ILL_DEFINED_RATIO = 0.1


def add_arguments(parser) -> None:
    parser.add_argument("--starts", metavar="N", type=int, default=20,
                        help="random starts per function (default: 20); more starts extend a study")
    parser.add_argument("--r", metavar="R", type=float, default=1e-3,
                        help="finite-difference step of CGD-FD (default: 1e-3; the paper does not "
                             "state it)")
    parser.add_argument("--no-compare", dest="compare", action="store_false",
                        help="only the paper's protocol, not the comparison of seven methods")


def check(opts: dict) -> dict:
    opts = dict(opts)
    starts = opts.get("starts", 20)
    if isinstance(starts, bool) or not isinstance(starts, (int, np.integer)) or starts < 1:
        raise BenchInputError(f"--starts: got {starts!r}; accepted: an integer >= 1")
    r = opts.get("r", 1e-3)
    if isinstance(r, bool) or not isinstance(r, (int, float)) or not np.isfinite(r) or r <= 0:
        raise BenchInputError(f"--r: got {r!r}; accepted: a finite number > 0")
    seed = opts.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise BenchInputError(f"--seed: got {seed!r}; accepted: an integer >= 0")
    opts.update(starts=int(starts), r=float(r), seed=int(seed),
                compare=bool(opts.get("compare", True)))
    return opts


def config(opts: dict) -> dict:
    """What must match to resume; ``starts`` only extends the study."""
    return {"seed": opts["seed"], "r": opts["r"], "budget": BUDGET, "switch_after": SWITCH_AFTER,
            "compare": [COMPARE_METHODS, *COMPARE_LINE_SEARCHES] if opts["compare"] else False,
            "table1": {k: list(map(str, v)) for k, v in TABLE1.items()}}


def make_function(name: str, n: int, seed: int):
    """The Appendix B function; the quadratic's matrix is drawn with ``seed`` (:func:`~cgdopt.bench.problems.make_function`)."""
    return problems.make_function(name, n, seed)


def start_point(fn, seed: int, i: int) -> np.ndarray:
    """Start i, row i of ``fn.sample_x0(i + 1, seed)``: independent of the number of starts."""
    return problems.start_point(fn, fn.name, fn.n, seed, i)


def lam_value(lam, reading: str = "T"):
    """Table 1's λ as a cgdopt option: a float, or ``Linear(a, b, num)`` for the reading."""
    if isinstance(lam, (tuple, list)):
        return Linear(float(lam[1]), float(lam[2]), num=READINGS[reading])
    return float(lam)


def protocol_run(function, n, method, lam, step, r, seed, start, reading="T"):
    """One run of the protocol; returns ``(row, trace)`` for the store."""
    fn = make_function(function, n, seed)
    x0 = start_point(fn, seed, start)
    options = dict(line_search="fixed", step=step, budget=BUDGET, gtol=0.0)
    if method == "cgd-fd":
        options.update(lam=lam_value(lam, reading), r=r, fd="forward", safeguard="switch",
                       switch_after=SWITCH_AFTER)
    res = cgdopt.minimize(fn, x0, method=method, jac=fn.grad, options=options)
    h = res.history
    f_opt = fn.f_opt
    f0 = float(h["f"][0])
    f1 = float(h["f"][1]) if len(h["f"]) > 1 else f0
    row = dict(part="protocol", function=function, n=n, method=method, reading=reading,
               start=start, seed=seed, f0=f0, f1=f1, f_opt=f_opt, fun=float(res.fun),
               gap=float(res.fun - f_opt), ngev=int(res.njev), nfev=int(res.nfev),
               nit=int(res.nit), status=int(res.status),
               switch_iteration=res.switch_iteration,
               improvement=improvement(f0, f1), improvement_gap=improvement(f0, f1, f_opt),
               ill_defined=ill_defined(f0, f_opt))
    trace = [dict(ngev=int(e), nfev=int(v), gap=float(f - f_opt), kind=str(k))
             for e, v, f, k in zip(h["ngev"], h["nfev"], h["f"], h["kind"])]
    return row, trace


def improvement(f0, f1, f_opt=None) -> float:
    """(f0 - f1) / f0 * 100, or (f0 - f1) / (f0 - f*) * 100 when ``f_opt`` is given (NaN for 0 / 0)."""
    den = f0 if f_opt is None else f0 - f_opt
    return float((f0 - f1) / den * 100.0) if den != 0 else float("nan")


def ill_defined(f0, f_opt) -> bool:
    """True when (f0 - f1) / f0 does not measure progress: f0 <= 0, or |f*| > 0.1 (f0 - f*)."""
    return bool(f0 <= 0 or abs(f_opt) > ILL_DEFINED_RATIO * (f0 - f_opt))


def verdict(wins) -> str:
    """Verdict from per-start booleans "CGD-FD's first step beats GD's" (see the module docstring)."""
    w = float(np.mean(np.asarray(wins, dtype=bool)))
    if w >= HOLDS:
        return "holds"
    if w < DEPENDS:
        return "does not hold"
    return "depends on the start"


def tasks(opts: dict) -> list:
    out = []
    for name, (n, lam, step) in TABLE1.items():
        readings = ("T", "b") if isinstance(lam, tuple) else ("T",)
        for i in range(opts["starts"]):
            kw = dict(function=name, n=n, lam=lam, step=step, r=opts["r"], seed=opts["seed"],
                      start=i)
            out.append(Task(f"protocol/{name}/gd/s{i}", protocol_run,
                            dict(kw, method="gd")))
            for rd in readings:
                suffix = "" if rd == "T" else f"/linear-{rd}"
                out.append(Task(f"protocol/{name}/cgd-fd{suffix}/s{i}", protocol_run,
                                dict(kw, method="cgd-fd", reading=rd)))
    if opts["compare"]:
        out += compare_tasks(opts)
    return out


def compare_tasks(opts: dict) -> list:
    """The small compare: :data:`COMPARE_METHODS` on the six functions (Table 1's n), budget T."""
    from . import compare

    out = []
    for name, (n, _, _) in TABLE1.items():
        out += compare.make_tasks([name], [n], compare.resolve_methods(COMPARE_METHODS),
                                  list(COMPARE_LINE_SEARCHES), BUDGET, opts["starts"],
                                  opts["seed"], {}, study=NAME)
    return out


class _CompareView:
    """The store seen by :func:`compare.profile_report`: only the compare runs (keys ``a|b|...``)."""

    def __init__(self, store):
        self._store = store

    def runs(self):
        runs = self._store.runs()
        return runs[runs["key"].str.contains("|", regex=False)]

    def traces(self):
        traces = self._store.traces()
        return traces[traces["key"].str.contains("|", regex=False)]


def _default_lam():
    from cgdopt._options import DEFAULTS

    return DEFAULTS["cgd"]["lam"]


def compare_report(store, opts: dict, out_dir) -> str:
    from . import compare

    caption = (f"the six paper functions (Table 1's n), {opts['starts']} starts (seed "
               f"{opts['seed']}), budget T = {BUDGET} gradient evaluations")
    return ("## Which method wins on the paper's functions\n\n"
            f"{', '.join(COMPARE_METHODS.split(','))}; cgdopt methods with the "
            f"{' and '.join(COMPARE_LINE_SEARCHES)} line searches and minimize's defaults otherwise "
            f"(λ = {_default_lam()} for cgd and cgd-fd, not Table 1's), scipy methods with their own; "
            f"all under the same budget of T = {BUDGET} gradient evaluations (a Hessian-vector "
            "product counts as one).\n\n"
            + compare.profile_report(_CompareView(store), out_dir, budget=BUDGET, caption=caption,
                                     prefix="paper_compare"))


def report(store, opts: dict, out_dir) -> str:
    from . import _paper_report

    return _paper_report.report(store, opts, out_dir)
