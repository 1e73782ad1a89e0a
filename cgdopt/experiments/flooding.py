r"""flooding: flooding lowers the gradient norm more at larger learning rates; Theorem 5.1 on real steps.

Pipeline, part 1 (Karakida et al., Fig. 6b): an MLP on ``load_digits`` trained by mini-batch SGD
on the loss (no flooding) or on :func:`cgdopt.nn.flooding`'s :math:`|L - b| + b`, for several
learning rates -> :math:`\|\nabla L\|_2` on the whole training set after training, test accuracy.
Claim: with flooding the final gradient norm falls as the learning rate grows; without it the
gradient norm ends near zero whatever the learning rate.

Part 2 (Theorem 5.1): full-batch gradient descent on the flooded loss in float64; at the first
step t where the loss crosses the flood level (:math:`L(\theta_t) < b < L(\theta_{t+1})`, and
the first crossing from above), one :class:`cgdopt.nn.GR` step from :math:`\theta_t` with
:math:`\varepsilon = \gamma = \eta` (F-GR from below, B-GR from above) gives
:math:`\theta_{GR} = \theta_t - \eta(g_t + \eta\Delta R)`, and the theorem says
:math:`\theta_{t+2} = \theta_{GR} + \eta g_t` (the F-GR step without its plain-gradient part).
The relative difference is reported; it should be at the level of float64 rounding.
"""
from __future__ import annotations

import math

import numpy as np

from . import common as C
from . import training as T

NAME = "flooding"
ULPS = 16   # "machine precision": at most this many float64 ulps of max|theta|
HELP = "flooding: grad norm vs learning rate with/without flooding (Fig. 6b); Theorem 5.1 on real steps"

PAPER = dict(hidden=512, depth=4, epochs=200, batch=128, flood=0.05,
             lrs=[0.01, 0.02, 0.05, 0.1, 0.2], theorem_lrs=[0.01, 0.05, 0.1], theorem_steps=20000, seeds=3)
DEFAULTS = dict(hidden=128, depth=3, epochs=40, batch=64, flood=0.05,
                lrs=[0.1, 0.2, 0.3, 0.5], theorem_lrs=[0.05, 0.1, 0.2], theorem_steps=5000, seeds=2)
DEPARTURES = [
    "the paper trains ResNet-18 on CIFAR-10 with SGD; here a 3-layer MLP on the bundled digits, "
    "plain SGD (no momentum: Theorem 5.1 is about plain steps), 40 epochs, 2 seeds",
]


def add_arguments(p):
    C.add_training_arguments(p)
    p.add_argument("--flood", type=float, help="flood level b (> 0)")
    p.add_argument("--lrs", type=float, nargs="+", metavar="LR", help="learning rates of Fig. 6b")
    p.add_argument("--theorem-lrs", type=float, nargs="+", metavar="LR", help="learning rates of the Thm 5.1 check")
    p.add_argument("--theorem-steps", type=int, help="full-batch step budget to find the crossings")


def check(o):
    for k in (*C.TRAINING_FLAGS, "theorem_steps"):
        C.check_positive(o, k, integer=True)
    C.check_positive(o, "flood")
    C.check_float_list(o, "lrs")
    C.check_float_list(o, "theorem_lrs")


def config(o):
    return {k: o[k] for k in ("hidden", "depth", "epochs", "batch", "flood", "theorem_steps", "device")}


def tasks(o):
    from ..bench.engine import Task
    hp = dict(hidden=o["hidden"], depth=o["depth"], device=o["device"], threads=o["threads"])
    out = [Task(f"train/lr={lr:g}/flood={b:g}/seed={s}", train_run,
                dict(hp, lr=lr, flood=b, epochs=o["epochs"], batch=o["batch"], seed=s))
           for lr in o["lrs"] for b in (0.0, o["flood"]) for s in range(o["seeds"])]
    out += [Task(f"theorem/lr={lr:g}/seed={s}", theorem_run,
                 dict(hp, lr=lr, flood=o["flood"], steps=o["theorem_steps"], seed=s))
            for lr in o["theorem_lrs"] for s in range(o["seeds"])]
    return out


def train_run(lr, flood, epochs, batch, seed, hidden, depth, device="cpu", threads=None, n_train=None):
    import torch
    C.set_threads(threads)
    xtr, ytr, xte, yte = C.digits_data(seed, n_train=n_train, dtype=torch.float32, device=device)
    C.seed_everything(seed)
    model = T.mlp(xtr.shape[1], hidden, depth).to(device)
    opt = T.make_optimizer("flooding" if flood > 0 else "sgd", model, lr)
    trace = []

    def on_epoch(ep):
        loss, gn = T.full_loss_and_grad_norm(model, xtr, ytr)
        trace.append(dict(epoch=ep, train_loss=loss, grad_norm=gn))
    status, steps = T.train(model, opt, "flooding" if flood > 0 else "sgd", xtr, ytr, epochs=epochs,
                            batch=batch, seed=seed, flood=flood, on_epoch=on_epoch)
    loss, gn = T.full_loss_and_grad_norm(model, xtr, ytr)
    return dict(part="fig6b", lr=lr, flood=flood, seed=seed, status=status, steps=steps, train_loss=loss,
                grad_norm=gn, test_acc=T.accuracy(model, xte, yte)), trace


def _flat(model):
    import torch
    return torch.cat([p.detach().reshape(-1) for p in model.parameters()]).clone()


def _set(model, vec):
    import torch
    with torch.no_grad():
        torch.nn.utils.vector_to_parameters(vec, model.parameters())


def theorem_run(lr, flood, steps, seed, hidden, depth, device="cpu", threads=None, n_train=None):
    """Full-batch flooding in float64; compare the step pairs at the first crossings with GR steps."""
    import torch
    from ..nn import GR
    C.set_threads(threads)
    xtr, ytr, _, _ = C.digits_data(seed, n_train=n_train, dtype=torch.float64, device=device)
    C.seed_everything(seed)
    model = T.mlp(xtr.shape[1], hidden, depth).to(device=device, dtype=torch.float64)
    F = torch.nn.functional
    from ..nn import flooding
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    from collections import deque
    thetas, losses = deque([_flat(model)], maxlen=4), []   # thetas[-1] is theta_{len(losses)}
    kept = {}

    def closure():
        opt.zero_grad()
        loss = F.cross_entropy(model(xtr), ytr)
        flooding(loss, flood).backward()
        return loss
    found = {}
    for t in range(steps):
        losses.append(float(opt.step(closure).detach()))   # L(theta_t); the step makes theta_{t+1}
        thetas.append(_flat(model))
        if len(losses) >= 3:
            s = len(losses) - 3                        # L(theta_s), L(theta_s+1) known; theta_s+2 known
            for rule, crossed in (("forward", losses[s] < flood < losses[s + 1]),
                                  ("backward", losses[s] > flood > losses[s + 1])):
                if crossed and rule not in found:
                    found[rule] = s
                    kept[rule] = (thetas[-4], thetas[-2])     # theta_s, theta_{s+2}
        if len(found) == 2 or not math.isfinite(losses[-1]):
            break
    row = dict(part="theorem", lr=lr, flood=flood, seed=seed, steps=len(losses),
               status="found" if found else "no crossing")
    for rule in ("forward", "backward"):
        if rule not in found:
            row.update({f"{rule}_t": -1, f"{rule}_rel_err": math.nan, f"{rule}_abs_err": math.nan,
                        f"{rule}_ulps": math.nan})
            continue
        s = found[rule]
        probe = T.mlp(xtr.shape[1], hidden, depth).to(device=device, dtype=torch.float64)
        theta_s, actual = kept[rule]
        _set(probe, theta_s)
        gr = GR(probe.parameters(), lr=lr, rule=rule, eps=lr, gamma=lr, nonfinite="ignore")
        g_t = []

        def gr_closure():
            gr.zero_grad()
            loss = F.cross_entropy(probe(xtr), ytr)
            loss.backward()
            if not g_t:
                g_t.append(torch.cat([p.grad.reshape(-1) for p in probe.parameters()]).clone())
            return loss
        gr.step(gr_closure)
        predicted = _flat(probe) + lr * g_t[0]          # theta_GR + eta g_t
        err = float((predicted - actual).abs().max())
        row[f"{rule}_t"] = s
        row[f"{rule}_abs_err"] = err
        row[f"{rule}_rel_err"] = err / float((actual - theta_s).abs().max())
        row[f"{rule}_ulps"] = err / (np.finfo(np.float64).eps * float(actual.abs().max()))
    return row, [dict(step=i, train_loss=v) for i, v in enumerate(losses[:: max(1, len(losses) // 200)])]


def report(store, o, out_dir):
    import matplotlib.pyplot as plt
    runs = C.runs_of(store, o)
    tr = runs[runs["part"] == "fig6b"]
    lines = ["## Gradient norm after training (Fig. 6b)", ""]
    rows = []
    for (lr, b), g in tr.groupby(["lr", "flood"]):
        rows.append(dict(lr=lr, flooding=f"b={b:g}" if b > 0 else "none", runs=len(g),
                         grad_norm=C.mean_std(g["grad_norm"]), train_loss=C.mean_std(g["train_loss"]),
                         test_acc=C.mean_std(g["test_acc"]), _g=g["grad_norm"].mean(), _b=b))
    import pandas as pd
    tab = pd.DataFrame(rows)
    lines += [C.markdown_table(tab.drop(columns=["_g", "_b"])), ""]
    # flooding acts only once the loss reaches b: runs whose mean final loss stays above 1.5 b never flooded
    reached = tr[tr["flood"] > 0].groupby("lr")["train_loss"].mean() < 1.5 * o["flood"]
    act = tab[(tab["_b"] > 0) & tab["lr"].map(reached).fillna(False).astype(bool)].sort_values("lr")
    fl = act["_g"].to_numpy()
    nf = tab[tab["_b"] == 0].sort_values("lr")["_g"].to_numpy()
    never = sorted(set(tab[tab["_b"] > 0]["lr"]) - set(act["lr"]))
    if never:
        lines.append(f"* flooded runs with lr in {never} never reached the flood level (final loss > 1.5 b): "
                     "flooding did not act there; they are left out of the next line")
    if len(fl) > 1:
        lines.append(f"* with flooding (where it acted) the final gradient norm "
                     f"{'falls' if fl[-1] < fl[0] else 'does NOT fall'} from lr={act['lr'].iloc[0]:g} to "
                     f"lr={act['lr'].iloc[-1]:g} ({fl[0]:.3g} -> {fl[-1]:.3g}), "
                     f"{'monotonically' if np.all(np.diff(fl) < 0) else 'not monotonically'} (paper: falls)")
    if len(nf):
        lines.append(f"* without flooding it ends at {nf.min():.3g} ... {nf.max():.3g} (paper: near zero for every lr)")
    fig, ax = plt.subplots(figsize=(5, 3.5))
    for b, style in ((0.0, "s--"), (o["flood"], "o-")):
        s = tab[tab["_b"] == b].sort_values("lr")
        ax.plot(s["lr"], s["_g"], style, label=f"flooding b={b:g}" if b else "no flooding")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("learning rate")
    ax.set_ylabel("|grad L| after training")
    ax.set_title("Karakida et al. Fig. 6b (digits MLP)")
    ax.legend()
    path = C.savefig(fig, out_dir, "flooding_fig6b.png")
    th = runs[runs["part"] == "theorem"]
    cols = ["lr", "seed", "status", "forward_t", "forward_abs_err", "forward_ulps", "backward_t",
            "backward_abs_err", "backward_ulps"]
    lines += ["", "## Theorem 5.1 on real training steps (float64, full batch)", "",
              C.markdown_table(th[cols]), ""]
    errs = th[["forward_ulps", "backward_ulps"]].to_numpy().ravel()
    rel = th[["forward_rel_err", "backward_rel_err"]].to_numpy().ravel()
    errs, rel = errs[np.isfinite(errs)], rel[np.isfinite(rel)]
    if len(errs):
        lines.append(f"* largest difference between the flooding step pair and the GR step (without its "
                     f"plain-gradient part), over {len(errs)} crossings: {errs.max():.1f} ulps of max|theta| "
                     f"(float64), {rel.max():.1e} of the pair's displacement -> "
                     f"{'equal to machine precision' if errs.max() <= ULPS else 'NOT equal to machine precision'} "
                     f"(threshold {ULPS} ulps)")
    if (th["status"] != "found").any():
        lines.append(f"* {(th['status'] != 'found').sum()} runs found no crossing within the step budget")
    lines += ["", f"![](figures/{path.rsplit('/', 1)[-1]})"]
    return "\n".join(lines)
