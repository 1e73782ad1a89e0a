r"""The ``figures`` study: the CGD paper's illustrative Figure 1 and the Lemma 1 picture (Figure 2).

Pipeline: two tasks (their data go to the store) -> two figures and tables.

* **Figure 1.** :math:`f_1(x) = x_1^2 + 2x_2^2` and the penalized
  :math:`f_2 = f_1 + \lambda\|\nabla f_1\|^2 = (1+4\lambda)x_1^2 + 2(1+8\lambda)x_2^2`
  (λ = 0.4, Section 3), built with :func:`cgdopt.regularized_objective`; GD
  with fixed step α = 0.05 for 5 iterations on f1 and on f2 (GD on f2 is CGD
  on f1), drawn on f1's contours over the heat-map of :math:`\|\nabla f_1\|`.
  The paper does not give the start; ours is ``--x0`` (default (-4, 3)).
  The table lists f1 and :math:`\|\nabla f_1\|` at each iterate of both runs
  (the paper's claim: the CGD iterates have lower gradient norm).
* **Lemma 1 (Figure 2).** The paper does not name its 1-D function; the
  Levy function with n = 1 from :mod:`cgdopt.testfunctions` with λ = 0.2
  reproduces every feature its caption lists (artificial stationary points of
  g near -7.6 and -6.5, both maxima; f's maximum near -8.1 turned into a
  minimum of g; -f' and -g' of opposite sign at x = -7.7).  Stationary points
  of f and g come from :func:`cgdopt.stationary_points` and are classified;
  the artificial ones (:math:`f' \ne 0`) are checked against Lemma 1
  (:math:`f'' = -1/(2\lambda)`).
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from cgdopt import regularized_objective, stationary_points
from cgdopt import testfunctions as tf

from .. import report as rep
from ..engine import Task
from ..errors import BenchInputError

NAME = "figures"
HELP = "the CGD paper's Figure 1 (GD on f1 and on the penalized f2) and the Lemma 1 picture"

LEMMA1_INTERVAL = (-10.0, -5.0)


def add_arguments(parser) -> None:
    parser.add_argument("--lam", metavar="L", type=float, default=0.4,
                        help="lambda of Figure 1's penalized f2 (default: 0.4, the paper's)")
    parser.add_argument("--x0", metavar="X1,X2", default="-4,3",
                        help="start of Figure 1's GD runs (default: -4,3; the paper gives none)")
    parser.add_argument("--lemma1-lam", metavar="L", type=float, default=0.2,
                        help="lambda of the Lemma 1 picture (default: 0.2)")
    parser.add_argument("--at", metavar="X", type=float, default=-7.7,
                        help="where the Lemma 1 picture draws -f' and -g' (default: -7.7, the paper's)")


def _positive(value, flag, zero_ok=False):
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if not ok or value < 0 or (value == 0 and not zero_ok):
        raise BenchInputError(f"{flag}: got {value!r}; accepted: a finite number "
                              f"{'>= 0' if zero_ok else '> 0'}")
    return float(value)


def check(opts: dict) -> dict:
    opts = dict(opts)
    x0 = opts.get("x0", "-4,3")
    try:
        x0 = [float(v) for v in (x0.split(",") if isinstance(x0, str) else x0)]
    except (TypeError, ValueError):
        x0 = None
    if x0 is None or len(x0) != 2 or not all(map(math.isfinite, x0)):
        raise BenchInputError(f"--x0: got {opts.get('x0')!r}; accepted: two finite numbers X1,X2")
    at = opts.get("at", -7.7)
    if not (isinstance(at, (int, float)) and LEMMA1_INTERVAL[0] < at < LEMMA1_INTERVAL[1]):
        raise BenchInputError(f"--at: got {at!r}; accepted: a number in the open interval "
                              f"{LEMMA1_INTERVAL}")
    if opts.get("seed", 0) != 0:  # 0: the default of every study
        raise BenchInputError(f"--seed: got {opts['seed']!r}, but figures draws no random starts "
                              f"(its runs start at --x0); leave --seed out")
    opts.update(lam=_positive(opts.get("lam", 0.4), "--lam", zero_ok=True), x0=x0,
                lemma1_lam=_positive(opts.get("lemma1_lam", 0.2), "--lemma1-lam"), at=float(at),
                seed=0)
    return opts


def config(opts: dict) -> dict:
    return {k: opts[k] for k in ("lam", "x0", "lemma1_lam", "at")}


def f1(x):
    """:math:`f_1(x) = x_1^2 + 2x_2^2` (Figure 1)."""
    return x[0] ** 2 + 2 * x[1] ** 2


def f1_grad(x):
    return np.array([2 * x[0], 4 * x[1]])


def f1_hessp(x, v):
    return np.array([2 * v[0], 4 * v[1]])


def figure1_run(lam, x0, step=0.05, iters=5):
    """GD with a fixed step on f1 and on f2 = f1 + lam ||grad f1||^2; trace rows per iterate."""
    g = regularized_objective(f1, jac=f1_grad, hessp=f1_hessp, lam=lam)
    trace = []
    for name, grad in (("f1", f1_grad), ("f2", g.grad)):
        x = np.asarray(x0, dtype=float)
        for k in range(iters + 1):
            trace.append(dict(on=name, k=k, x1=float(x[0]), x2=float(x[1]), f1=float(f1(x)),
                              grad_norm_f1=float(np.linalg.norm(f1_grad(x)))))
            x = x - step * grad(x)
    last = {t["on"]: t for t in trace if t["k"] == iters}
    row = dict(part="figure1", lam=lam, step=step, iters=iters,
               f1_after_gd_on_f1=last["f1"]["f1"], f1_after_gd_on_f2=last["f2"]["f1"])
    return row, trace


def lemma1_run(lam, at):
    """Stationary points of 1-D Levy f and of g = f + lam f'^2 on the interval, classified."""
    f = tf.get("levy", n=1)
    g = regularized_objective(f, lam=lam)
    trace = []
    for name, fun, grad in (("f", f, f.grad), ("g", g, g.grad)):
        for p in stationary_points(fun, grad, LEMMA1_INTERVAL, num=601):
            fpp = float(f.hessp(p.x, np.ones(1))[0])
            trace.append(dict(of=name, x=float(p.x[0]), kind=p.kind, value=p.value,
                              artificial=bool(name == "g" and g.is_artificial(p.x)),
                              fpp=fpp, lemma1_rhs=-1.0 / (2 * lam)))
    xa = np.array([at])
    row = dict(part="lemma1", lam=lam, at=at, fprime=float(f.grad(xa)[0]),
               gprime=float(g.grad(xa)[0]),
               n_artificial=sum(t["artificial"] for t in trace))
    return row, trace


def tasks(opts: dict) -> list:
    return [Task("figure1", figure1_run, dict(lam=opts["lam"], x0=opts["x0"])),
            Task("lemma1", lemma1_run, dict(lam=opts["lemma1_lam"], at=opts["at"]))]


def _figure1(tr: pd.DataFrame, opts, out_dir) -> str:
    plt = rep.style()
    lam = opts["lam"]
    xs = np.linspace(-5, 5, 301)
    X, Y = np.meshgrid(xs, xs)
    F1 = X ** 2 + 2 * Y ** 2
    F2 = (1 + 4 * lam) * X ** 2 + 2 * (1 + 8 * lam) * Y ** 2
    G = np.hypot(2 * X, 4 * Y)
    fig, (a, b) = plt.subplots(1, 2, figsize=(12, 5))
    for ax in (a, b):
        im = ax.pcolormesh(X, Y, G, cmap="magma_r", shading="auto", alpha=0.6)
        cs = ax.contour(X, Y, F1, levels=[1, 4, 10, 20, 35, 50], colors="k", linewidths=0.8)
        ax.clabel(cs, fontsize=7)
        ax.set_xlabel("x1")
        ax.set_ylabel("x2")
        ax.set_aspect("equal")
        ax.grid(False)
    cs2 = a.contour(X, Y, F2, levels=[4, 10, 20, 35, 50], colors="tab:blue", linestyles="--",
                    linewidths=0.9)
    a.clabel(cs2, fontsize=7)
    a.plot([], [], "k-", lw=0.8, label="f1 = x1² + 2x2²")
    a.plot([], [], "--", color="tab:blue", label=f"f2 = f1 + λ‖∇f1‖², λ={lam:g}")
    a.legend(loc="upper right")
    a.set_title("contours of f1 and f2 over ‖∇f1‖")
    for name, style, label in (("f1", "o-", "GD on f1"), ("f2", "s-", "GD on f2 (= CGD on f1)")):
        d = tr[tr["on"] == name].sort_values("k")
        b.plot(d["x1"], d["x2"], style, ms=5, label=label)
    b.plot(*opts["x0"], "k*", ms=12, label=f"start {tuple(opts['x0'])}")
    b.plot(0, 0, "kx", ms=9, label="minimizer (0, 0)")
    b.legend(loc="upper right")
    b.set_title("5 GD iterations, fixed step α = 0.05, on f1's contours")
    fig.colorbar(im, ax=[a, b], label="‖∇f1(x)‖", shrink=0.85)
    caption = (f"CGD paper Figure 1: f1 = x1² + 2x2², f2 = f1 + λ‖∇f1‖² with λ = {lam:g} "
               f"(built with cgdopt.regularized_objective); 5 GD iterations with α = 0.05 from "
               f"{tuple(opts['x0'])} (our start; the paper gives none). Heat-map: ‖∇f1‖.")
    return rep.savefig(fig, out_dir, "figure1", caption)


def _lemma1(tr: pd.DataFrame, row, out_dir) -> str:
    plt = rep.style()
    f = tf.get("levy", n=1)
    lam, at = float(row["lam"]), float(row["at"])
    g = regularized_objective(f, lam=lam)
    xs = np.linspace(*LEMMA1_INTERVAL, 501)
    fv = np.array([f(np.array([x])) for x in xs])
    gv = np.array([g(np.array([x])) for x in xs])
    fig, ax = plt.subplots(figsize=(10, 5.5))
    ax.plot(xs, fv, color="tab:blue", label="f: Levy, n = 1")
    ax.plot(xs, gv, color="tab:red", label=f"g = f + λ f′², λ = {lam:g}")
    marks = {"min": "v", "max": "^", "saddle": "D", "degenerate": "o"}
    for (of, kind, art), d in tr.groupby(["of", "kind", "artificial"]):
        color = "tab:blue" if of == "f" else ("k" if art else "tab:red")
        face = "none" if art else color
        what = "artificial " if art else ""
        ax.scatter(d["x"], d["value"], marker=marks.get(kind, "o"), s=150 if of == "f" else 50,
                   zorder=2 if of == "f" else 3,
                   edgecolors=color, facecolors=face,
                   label=f"{what}local {kind} of {of}" if kind in ("min", "max") else f"{kind} of {of}")
    xa = np.array([at])
    fa, ga = float(f(xa)), float(g(xa))
    span = 0.35
    for val, d, color, name in ((fa, -row["fprime"], "tab:blue", "−f′"),
                                (ga, -row["gprime"], "tab:red", "−g′")):
        ax.annotate("", xy=(at + span * np.sign(d), val), xytext=(at, val),
                    arrowprops=dict(arrowstyle="->", color=color, lw=2))
        ax.text(at + span * np.sign(d), val, f" {name} = {d:.2g}", color=color, va="center",
                ha="left" if d > 0 else "right", fontsize=9)
    ax.axvline(at, color="grey", ls=":", lw=1)
    ax.set_xlabel("x")
    ax.set_ylabel("function value")
    ax.set_title(f"Lemma 1: stationary points of f and of g = f + λ f′² (λ = {lam:g})")
    ax.legend(loc="upper right", fontsize=8, ncol=2)
    caption = (f"Lemma 1 / the paper's Figure 2 on Levy (n = 1) over {LEMMA1_INTERVAL}, λ = {lam:g}. "
               "Filled markers: stationary points of f (blue) and of g (red) found by "
               "cgdopt.stationary_points and classified by the second derivative; hollow black: "
               "artificial stationary points of g (f′ ≠ 0, where f″ = −1/(2λ)). Arrows: the descent "
               f"directions −f′ and −g′ at x = {at:g}.")
    return rep.savefig(fig, out_dir, "lemma1", caption)


def report(store, opts: dict, out_dir) -> str:
    runs = store.runs().set_index("key")
    traces = store.traces()
    parts = []
    if "figure1" in runs.index:
        tr = traces[traces["key"] == "figure1"]
        wide = tr.pivot(index="k", columns="on", values=["f1", "grad_norm_f1"])
        wide.columns = [f"{'f1' if v == 'f1' else '‖∇f1‖'} (GD on {on})" for v, on in wide.columns]
        parts += ["## Figure 1\n", rep.markdown_table(wide.reset_index()), "",
                  _figure1(tr, opts, out_dir)]
    if "lemma1" in runs.index:
        tr = traces[traces["key"] == "lemma1"].copy()
        tr["artificial"] = tr["artificial"].astype(bool)
        row = runs.loc["lemma1"]
        table = tr[["of", "x", "kind", "value", "artificial", "fpp", "lemma1_rhs"]].rename(
            columns={"fpp": "f''(x)", "lemma1_rhs": "-1/(2 lam)"})
        parts += ["## Lemma 1 (the paper's Figure 2)\n",
                  f"At x = {row['at']:g}: f′ = {row['fprime']:.3g}, g′ = {row['gprime']:.3g} "
                  f"({'opposite signs: −g′ ascends on f' if row['fprime'] * row['gprime'] < 0 else 'same sign'}). "
                  f"{int(row['n_artificial'])} artificial stationary points of g.\n",
                  rep.markdown_table(table), "", _lemma1(tr, row, out_dir)]
    return "\n".join(parts)
