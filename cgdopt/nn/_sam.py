r"""Sharpness-aware minimization (SAM, ASAM) as a wrapper around any torch optimizer.

With :math:`g = \nabla L(\theta)`, SAM (Foret et al., 2021) evaluates the gradient at

.. math:: \theta' = \theta + \rho\, \frac{T^2 g}{\|T g\|_2},\qquad
          T = \mathrm{diag}(|\theta|) \text{ if adaptive (ASAM) else } I,

writes :math:`\nabla L(\theta')` into ``p.grad`` and lets the base optimizer step from
:math:`\theta`.  Without the normalization (:math:`\theta' = \theta + \varepsilon g`)
this is F-GR with :math:`\gamma = \varepsilon` (Karakida et al., 2023, Eq. 19):
use ``GR(..., eps=e, gamma=e)`` for that variant.
"""
from __future__ import annotations

import math
from numbers import Real
from typing import Any, Callable, Dict, Optional

import torch

from ._base import WrappedOptimizer

#: added to the norm, as in the reference implementations, so that g = 0 gives no NaN
NORM_EPS = 1e-12


class SAM(WrappedOptimizer):
    r"""Sharpness-aware minimization around a base optimizer.

    Parameters
    ----------
    params : iterable
        Parameters or param-group dicts; a group may set its own ``sam_rho`` and
        ``sam_adaptive`` (the key ``rho`` inside a group belongs to the base optimizer,
        e.g. Adadelta).
    base : type, default torch.optim.SGD
        Any ``torch.optim.Optimizer`` subclass, built on the same param groups.
    rho : float, default 0.05
        Radius :math:`\rho \ge 0` of the ascent step.
    adaptive : bool, default False
        ASAM (Kwon et al., 2021): scale the ascent step by :math:`|\theta|^2`.
    foreach, model, nonfinite :
        As in :class:`cgdopt.nn.GR`.
    **base_kwargs
        Passed to ``base``.

    Notes
    -----
    ``step(closure, grad_scaler=None)`` runs the closure twice (two gradient
    evaluations, counted in ``optimizer.counters["grad_evals"]``) and returns the loss
    of the clean pass.  After the step ``p.grad`` holds :math:`\nabla L(\theta')`.

    References
    ----------
    .. [1] P. Foret, A. Kleiner, H. Mobahi, B. Neyshabur, "Sharpness-aware minimization
       for efficiently improving generalization", ICLR 2021.
    .. [2] J. Kwon, J. Kim, H. Park, I. K. Choi, "ASAM: adaptive sharpness-aware
       minimization for scale-invariant learning of deep neural networks", ICML 2021.
    """

    def __init__(self, params, base=torch.optim.SGD, *, rho: float = 0.05, adaptive: bool = False,
                 foreach: Optional[bool] = None, model: Optional[torch.nn.Module] = None,
                 nonfinite: str = "skip", **base_kwargs: Any) -> None:
        rho = self._check_rho(rho)
        super().__init__(params, base, {"sam_rho": rho, "sam_adaptive": bool(adaptive)},
                         base_kwargs, model=model, foreach=foreach, nonfinite=nonfinite)

    @staticmethod
    def _check_rho(rho) -> float:
        if isinstance(rho, bool) or not isinstance(rho, Real) or not math.isfinite(rho) or rho < 0:
            raise ValueError(f"Invalid rho: {rho!r} (must be a finite number >= 0)")
        return float(rho)

    def _normalize_group(self, group: Dict[str, Any]) -> None:
        if "sam_rho" in group:
            group["sam_rho"] = self._check_rho(group["sam_rho"])

    @torch.no_grad()
    def step(self, closure: Optional[Callable] = None, *, grad_scaler=None):
        """One SAM step; returns the loss of the clean pass (see :meth:`cgdopt.nn.GR.step`)."""
        self._check_closure(closure)
        scaler, scale_inv = self._scaler(grad_scaler)
        loss = self._evaluate(closure, probe=False)
        groups = self._groups_with_grad()
        flat_p = [p for _, ps in groups for p in ps]
        check = scaler is not None or self.nonfinite != "ignore"
        found_inf: Dict = {}
        if check:
            self._unscale_check([p.grad for p in flat_p], found_inf, scale_inv)
        if flat_p:
            self._ascend_and_probe(closure, groups, flat_p, found_inf if check else None, scale_inv)
        self._finish(flat_p, found_inf, scaler, scale_inv)
        return loss

    def _ascend_and_probe(self, closure, groups, flat_p, found_inf, scale_inv) -> None:
        ops = self._ops(flat_p)
        theta0 = ops.clone(flat_p)
        # T g per group, then one global norm
        tg = []
        for group, ps in groups:
            gs = [q.grad for q in ps]
            if group["sam_adaptive"]:
                tg.extend([q.abs() * g for q, g in zip(ps, gs)])
            else:
                tg.extend(gs)
        scale = 1.0 / (ops.norm(tg) + NORM_EPS)
        all_params = [q for group in self.param_groups for q in group["params"]]
        had_grad = {id(q) for q in flat_p}
        try:
            start = 0
            for group, ps in groups:
                sl = slice(start, start + len(ps))
                start += len(ps)
                e = ops.mul(tg[sl], scale * group["sam_rho"])
                if group["sam_adaptive"]:
                    e = [ei.mul_(q.abs()) for ei, q in zip(e, ps)]
                ops.add_(ps, e)
                del e
            del tg, gs  # during the probe pass only the parameter copy is extra memory
            self._zero_grads(all_params, ops)
            self._evaluate(closure, probe=True)
        finally:
            ops.copy_(flat_p, theta0)
        for q in all_params:
            if id(q) not in had_grad:
                q.grad = None
        for q in flat_p:
            if q.grad is None:
                q.grad = torch.zeros_like(q)
        if found_inf is not None:
            self._unscale_check([q.grad for q in flat_p], found_inf, scale_inv)

    def _extra_repr(self) -> str:
        return f"base={type(self.base_optimizer).__name__}"
