r"""cgd-fd-vs-egr: regularize only the first steps (``switch_after=b``) vs throughout vs plain SGD.

The CGD paper (Section 5 and Sec. 3.3) argues that the benefit of gradient regularization comes
mostly from the first steps, so CGD-FD (forward finite differences, two gradients per step) or
EGR (Barrett & Dherin's exact penalty, a Hessian-vector product per step) can switch to plain
steps after ``b`` steps and save gradient evaluations.

Pipeline: the digits MLP (:mod:`.training`) -> mini-batch SGD, or :class:`cgdopt.nn.GR` with the
CGD paper's spelling ``lam``/``r`` (CGD-FD = ``rule="forward"``; EGR = ``rule="double_backprop"``),
regularizing throughout or steps ``0..b`` only (``switch_after=b``) -> gradient evaluations
(``opt.counters``: closure calls, plus Hessian-vector products for EGR), final train/test loss
and test accuracy, mean ± std over seeds.
"""
from __future__ import annotations

from . import common as C
from . import training as T

NAME = "cgd-fd-vs-egr"
HELP = "regularize only the first b steps (switch_after) vs throughout vs SGD: cost and final loss"

PAPER = dict(hidden=256, depth=4, epochs=60, batch=64, lr=0.05, momentum=0.9, lam=0.05, r=0.05,
             switch_after=[20, 100, 500], seeds=5)
DEFAULTS = dict(hidden=128, depth=3, epochs=20, batch=64, lr=0.05, momentum=0.9, lam=0.05, r=0.05,
                switch_after=[20, 100], seeds=3)
DEPARTURES = [
    "the CGD paper makes this point in words (Sec. 5) and shows it on test functions, with no "
    "network experiment to copy; network, data (bundled digits), lam, r and b are our choices",
]


def add_arguments(p):
    C.add_training_arguments(p)
    p.add_argument("--lr", type=float)
    p.add_argument("--momentum", type=float)
    p.add_argument("--lam", type=float, help="CGD penalty weight lambda (gamma = 2 lambda)")
    p.add_argument("--r", type=float, help="CGD-FD probe step r (> 0)")
    p.add_argument("--switch-after", type=int, nargs="+", metavar="B", help="regularize steps 0..B only")


def check(o):
    for k in C.TRAINING_FLAGS:
        C.check_positive(o, k, integer=True)
    for k in ("lr", "r"):
        C.check_positive(o, k)
    for k in ("momentum", "lam"):
        C.check_positive(o, k, allow_zero=True)
    sw = o["switch_after"]
    if not isinstance(sw, list) or not sw or any(isinstance(b, bool) or not isinstance(b, int) or b < 0 for b in sw):
        raise ValueError(f"switch_after must be a non-empty list of ints >= 0, got {sw!r}")


def config(o):
    return {k: o[k] for k in ("hidden", "depth", "epochs", "batch", "lr", "momentum", "lam", "r", "device")}


def tasks(o):
    from ..bench.engine import Task
    hp = {k: o[k] for k in ("hidden", "depth", "epochs", "batch", "lr", "momentum", "lam", "r")}
    variants = [("sgd", None)] + [(m, b) for m in ("cgd-fd", "egr") for b in [None] + list(o["switch_after"])]
    return [Task(f"{m}/b={'all' if b is None else b}/seed={s}", train_run,
                 dict(hp, method=m, switch_after=b, seed=s, device=o["device"], threads=o["threads"]))
            for m, b in variants for s in range(o["seeds"])]


def train_run(method, switch_after, seed, hidden, depth, epochs, batch, lr, momentum, lam, r,
              device="cpu", threads=None, n_train=None):
    import warnings

    import torch
    from ..nn import GR
    C.set_threads(threads)
    xtr, ytr, xte, yte = C.digits_data(seed, n_train=n_train, dtype=torch.float32, device=device)
    C.seed_everything(seed)
    model = T.mlp(xtr.shape[1], hidden, depth).to(device)
    if method == "sgd":
        opt, kind = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum), "sgd"
    else:
        rule = "forward" if method == "cgd-fd" else "double_backprop"
        kw = {"lam": lam, "r": r} if rule == "forward" else {"lam": lam}
        opt = GR(model.parameters(), base=torch.optim.SGD, lr=lr, momentum=momentum, rule=rule,
                 switch_after=switch_after, nonfinite="ignore", **kw)
        kind = "db" if rule == "double_backprop" else "fgr"
    trace = []

    def on_epoch(ep):
        loss, _ = T.full_loss_and_grad_norm(model, xtr, ytr)
        trace.append(dict(epoch=ep, train_loss=loss, grad_evals=int(getattr(opt, "grad_evals", 0))))
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*create_graph=True.*")
        status, steps = T.train(model, opt, kind, xtr, ytr, epochs=epochs, batch=batch, seed=seed,
                                on_epoch=on_epoch)
    counters = getattr(opt, "counters", {"grad_evals": steps, "hvp_evals": 0})
    train_loss, gn = T.full_loss_and_grad_norm(model, xtr, ytr)
    with torch.no_grad():
        test_loss = float(torch.nn.functional.cross_entropy(model(xte), yte))
    return dict(method=method, switch_after=-1 if switch_after is None else switch_after, seed=seed,
                status=status, steps=steps, grad_evals=int(counters["grad_evals"]),
                hvp_evals=int(counters.get("hvp_evals", 0)), train_loss=train_loss, test_loss=test_loss,
                test_acc=T.accuracy(model, xte, yte), grad_norm=gn), trace


def report(store, o, out_dir):
    import matplotlib.pyplot as plt
    import pandas as pd
    runs = C.runs_of(store, o)
    rows = []
    for (m, b), g in runs.groupby(["method", "switch_after"], sort=False):
        rows.append({"method": m.upper() if m != "cgd-fd" else "CGD-FD", "regularized steps":
                     "none" if m == "sgd" else ("all" if b < 0 else f"0..{b}"), "runs": len(g),
                     "grad evals": int(g["grad_evals"].mean()), "HVPs": int(g["hvp_evals"].mean()),
                     "train loss": C.mean_std(g["train_loss"]), "test loss": C.mean_std(g["test_loss"]),
                     "test acc": C.mean_std(g["test_acc"]), "wall s": f"{g['wall_s'].mean():.1f}",
                     "_m": m, "_b": b, "_test": g["test_loss"].mean(), "_cost": g["grad_evals"].mean() + g["hvp_evals"].mean()})
    tab = pd.DataFrame(rows)
    tab["_o"] = tab["_m"].map({"sgd": 0, "cgd-fd": 1, "egr": 2})
    tab = tab.sort_values(["_o", "_b"]).reset_index(drop=True)
    lines = [f"## Cost and final losses (mean ± std over {o['seeds']} seeds; wall time on this machine)", "",
             C.markdown_table(tab[[c for c in tab.columns if not c.startswith("_")]]), ""]
    sgd = tab[tab["_m"] == "sgd"]["_test"].mean()
    for m in ("cgd-fd", "egr"):
        t = tab[tab["_m"] == m]
        full = t[t["_b"] < 0]
        if not len(full):
            continue
        for _, r in t[t["_b"] >= 0].iterrows():
            lines.append(f"* {m.upper()} regularizing steps 0..{r['_b']}: {r['_cost'] / full['_cost'].iloc[0]:.0%} "
                         f"of the throughout run's gradient work; test loss {r['_test']:.4f} vs "
                         f"{full['_test'].iloc[0]:.4f} (throughout) and {sgd:.4f} (SGD)")
    fig, ax = plt.subplots(figsize=(5.5, 3.6))
    for m, mk in (("sgd", "k*"), ("cgd-fd", "o"), ("egr", "s")):
        t = tab[tab["_m"] == m]
        ax.plot(t["_cost"], t["_test"], mk, label=m.upper())
        for _, r in t.iterrows():
            ax.annotate("all" if r["_b"] < 0 else f"b={r['_b']}", (r["_cost"], r["_test"]), fontsize=7)
    ax.set_xlabel("gradient evaluations + HVPs per run")
    ax.set_ylabel("final test loss")
    ax.legend()
    ax.set_title("switch_after=b: cost vs final test loss")
    path = C.savefig(fig, out_dir, "cgd_fd_vs_egr.png")
    lines += ["", f"![](figures/{path.rsplit('/', 1)[-1]})"]
    return "\n".join(lines)
