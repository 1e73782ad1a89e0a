"""Training loop shared by digits, flooding and cgd-fd-vs-egr: a small MLP on ``load_digits``.

Every method is a public optimizer: ``torch.optim.SGD`` (plain SGD), :class:`cgdopt.nn.GR`
(F-GR, B-GR, DB, ``switch_after``), :class:`cgdopt.nn.SAM`, or SGD on :func:`cgdopt.nn.flooding`'s
loss.  Nothing here computes a regularized gradient itself.
"""
from __future__ import annotations

import math

METHODS = ("sgd", "fgr", "bgr", "db", "sam", "flooding")
LABEL = {"sgd": "SGD", "fgr": "F-GR", "bgr": "B-GR", "db": "DB", "sam": "SAM", "flooding": "flooding"}


def mlp(d_in, hidden, depth, classes=10):
    """``depth`` linear layers with ReLU between them (``depth - 1`` hidden layers of ``hidden``)."""
    import torch
    layers, fan = [], d_in
    for _ in range(depth - 1):
        layers += [torch.nn.Linear(fan, hidden), torch.nn.ReLU()]
        fan = hidden
    layers.append(torch.nn.Linear(fan, classes))
    return torch.nn.Sequential(*layers)


def make_optimizer(method, model, lr, momentum=0.0, eps=0.05, gamma=0.05, rho=0.05, switch_after=None):
    """The optimizer of ``method`` (see :data:`METHODS`); flooding uses plain SGD."""
    import torch
    from ..nn import GR, SAM
    params = list(model.parameters())
    if method in ("sgd", "flooding"):
        return torch.optim.SGD(params, lr=lr, momentum=momentum)
    if method == "sam":
        return SAM(params, base=torch.optim.SGD, rho=rho, lr=lr, momentum=momentum, nonfinite="ignore")
    rule = {"fgr": "forward", "bgr": "backward", "db": "double_backprop"}[method]
    kw = {} if rule == "double_backprop" else {"eps": eps}
    return GR(params, base=torch.optim.SGD, lr=lr, momentum=momentum, rule=rule, gamma=gamma,
              switch_after=switch_after, nonfinite="ignore", **kw)


def full_loss_and_grad_norm(model, x, y):
    """Cross-entropy on ``(x, y)`` and the 2-norm of its gradient (the paper's R = |grad L|)."""
    import torch
    model.zero_grad()
    loss = torch.nn.functional.cross_entropy(model(x), y)
    loss.backward()
    gn = math.sqrt(sum(float((p.grad ** 2).sum()) for p in model.parameters()))
    model.zero_grad()
    return float(loss.detach()), gn


def accuracy(model, x, y):
    import torch
    with torch.no_grad():
        return float((model(x).argmax(1) == y).float().mean())


def train(model, opt, method, x, y, *, epochs, batch, seed, flood=0.0, on_epoch=None):
    """Mini-batch training (``batch=None``: full batch); returns ``(status, steps)``.

    The closure recomputes the loss from scratch, as :class:`cgdopt.nn.GR` requires;
    ``method="flooding"`` trains on ``flooding(loss, flood)``.  A non-finite loss ends
    the run with status ``"diverged"``.
    """
    import torch
    from ..nn import flooding
    F = torch.nn.functional
    g = torch.Generator().manual_seed(seed)
    n = len(y)
    db = method == "db"
    steps = 0
    for ep in range(epochs):
        order = torch.randperm(n, generator=g).to(x.device) if batch else torch.arange(n, device=x.device)
        for i in range(0, n, batch or n):
            idx = order[i:i + (batch or n)]
            xb, yb = x[idx], y[idx]

            def closure():
                opt.zero_grad()
                loss = F.cross_entropy(model(xb), yb)
                obj = flooding(loss, flood) if method == "flooding" else loss
                obj.backward(create_graph=db)
                return loss
            loss = opt.step(closure)
            steps += 1
            if not math.isfinite(float(loss.detach())):
                return "diverged", steps
        if on_epoch is not None:
            on_epoch(ep)
    return "done", steps
