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

from ._base import WrappedOptimizer, check_group_bounds
from ._kernels import NORM_EPS  # noqa: F401  (re-exported: the norm's guard)


def _check_zero_grad(method: str, zero_grad) -> None:
    """A string such as ``"no"`` is truthy: only a bool says whether to zero the gradients."""
    if not isinstance(zero_grad, bool):
        raise TypeError(f"SAM.{method}(zero_grad=...): must be True or False, got {zero_grad!r}")


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
    base_optimizer : type, optional
        The same, under the keyword of ``davda54/sam`` (give one of the two).
    rho : float, default 0.05
        Radius :math:`\rho \ge 0` of the ascent step.
    adaptive : bool, default False
        ASAM (Kwon et al., 2021): scale the ascent step by :math:`|\theta|^2`.  Only
        ``True``/``False`` are accepted.
    foreach, model, nonfinite, every, local_probe, compile :
        As in :class:`cgdopt.nn.GR`; ``compile=`` compiles the first step (norm,
        perturbation, :func:`cgdopt.nn._kernels.sam_ascent_`) and the removal of the
        perturbation (``restore="subtract"``), in :meth:`step` and in the two-step API.
    restore : {"copy", "subtract"}, default "copy"
        ``"copy"`` keeps a copy of :math:`\theta` (bit-exact); ``"subtract"`` keeps the
        perturbation :math:`e` and subtracts it (within rounding; one buffer instead of two).
    **base_kwargs
        Passed to ``base``.

    Notes
    -----
    ``step(closure, grad_scaler=None)`` runs the closure twice (two gradient
    evaluations, counted in ``optimizer.counters["grad_evals"]``) and returns the loss
    of the clean pass.  After the step ``p.grad`` holds :math:`\nabla L(\theta')`.
    ``first_step(zero_grad=False)`` / ``second_step(zero_grad=False)`` are the two halves
    for loops that run the passes themselves (the API of ``davda54/sam``).

    References
    ----------
    .. [1] P. Foret, A. Kleiner, H. Mobahi, B. Neyshabur, "Sharpness-aware minimization
       for efficiently improving generalization", ICLR 2021.
    .. [2] J. Kwon, J. Kim, H. Park, I. K. Choi, "ASAM: adaptive sharpness-aware
       minimization for scale-invariant learning of deep neural networks", ICML 2021.
    """

    _own_keys = ("sam_rho", "sam_adaptive")
    _group_spellings = {"rho": "'sam_rho'", "adaptive": "'sam_adaptive'"}
    _whole_options = WrappedOptimizer._whole_options + ("base_optimizer",)

    def __init__(self, params, base=None, *, base_optimizer=None, rho: float = 0.05,
                 adaptive: bool = False, foreach: Optional[bool] = None,
                 model: Optional[torch.nn.Module] = None, nonfinite: str = "skip",
                 restore: str = "copy", every: int = 1, local_probe: bool = False,
                 compile=False, **base_kwargs: Any) -> None:
        if base is not None and base_optimizer is not None:
            raise TypeError("SAM: give the base optimizer once, as base= or base_optimizer=")
        base = base if base is not None else (base_optimizer or torch.optim.SGD)
        rho = self._check_rho(rho)
        adaptive = self._check_adaptive(adaptive)
        self._pending = None
        super().__init__(params, base, {"sam_rho": rho, "sam_adaptive": adaptive},
                         base_kwargs, model=model, foreach=foreach, nonfinite=nonfinite,
                         restore=restore, every=every, local_probe=local_probe,
                         compile=compile)

    @staticmethod
    def _check_rho(rho) -> float:
        if isinstance(rho, bool) or not isinstance(rho, Real) or not math.isfinite(rho) or rho < 0:
            raise ValueError(f"Invalid rho: {rho!r} (must be a finite number >= 0)")
        return float(rho)

    @staticmethod
    def _check_adaptive(adaptive) -> bool:
        if not isinstance(adaptive, bool):
            raise TypeError(f"Invalid adaptive: {adaptive!r} (must be True or False; "
                            f"a string such as 'no' would otherwise turn ASAM on)")
        return adaptive

    def _normalize_group(self, group: Dict[str, Any]) -> None:
        if "sam_rho" in group:
            group["sam_rho"] = self._check_rho(group["sam_rho"])
        if "sam_adaptive" in group:
            self._check_adaptive(group["sam_adaptive"])

    def _check_loaded_values(self, sd: Dict[str, Any], counters) -> None:
        super()._check_loaded_values(sd, counters)
        for i, group in enumerate(sd["param_groups"]):
            if not isinstance(group["sam_adaptive"], bool):
                raise ValueError(f"SAM.load_state_dict: sam_adaptive={group['sam_adaptive']!r} in "
                                 f"param group {i} must be True or False")

    def __getstate__(self) -> Dict[str, Any]:
        state = super().__getstate__()
        state["_pending"] = None
        return state

    # ------------------------------------------------------------------ the two-step API
    @torch.no_grad()
    def first_step(self, zero_grad: bool = False) -> None:
        """Move to the ascent point :math:`\theta + e` using the gradients in ``p.grad``.

        The two-step API of the widely used ``davda54/sam`` implementation: run
        forward/backward at :math:`\theta`, call ``first_step(zero_grad=True)``, run
        forward/backward again, call ``second_step(zero_grad=True)``.  Each call counts one
        gradient evaluation (the pass that preceded it).  BatchNorm running statistics are
        not frozen for the user's second pass: wrap it in
        :func:`cgdopt.nn.disable_running_stats` (or use :meth:`step` with ``model=``).
        """
        _check_zero_grad("first_step", zero_grad)
        if self._pending is not None:
            raise RuntimeError("SAM.first_step() called twice without second_step()")
        self.counters["grad_evals"] += 1
        self._first(None, None)
        if zero_grad:
            self.zero_grad()

    @torch.no_grad()
    def second_step(self, zero_grad: bool = False) -> None:
        """Return to :math:`\theta` and let the base optimizer step with the gradients in
        ``p.grad`` (those of the ascent point)."""
        _check_zero_grad("second_step", zero_grad)
        if self._pending is None:
            raise RuntimeError("SAM.second_step() needs a first_step() before it")
        self.counters["grad_evals"] += 1  # the user's second pass ran, perturbed or not
        self._second(None, None)
        if zero_grad:
            self.zero_grad()

    # ------------------------------------------------------------------ step
    @torch.no_grad()
    def step(self, closure: Optional[Callable] = None, *, grad_scaler=None):
        """One SAM step; returns the loss of the clean pass (see :meth:`cgdopt.nn.GR.step`)."""
        self._check_closure(closure)
        if self._pending is not None:
            raise RuntimeError("SAM.step() called between first_step() and second_step()")
        scaler, scale_inv = self._scaler(grad_scaler)
        loss = self._evaluate(closure, probe=False)
        self._first(scaler, scale_inv)
        pend = self._pending
        if pend["perturbed"]:
            try:
                self._zero_grads(pend["all_params"], pend["ops"])
                self._evaluate(closure, probe=True)
            except BaseException:
                self._restore_params()
                self._pending = None
                raise
        self._second(scaler, scale_inv)
        return loss

    def _first(self, scaler, scale_inv) -> None:
        check_group_bounds(self.param_groups, ("sam_rho", "lr"))
        for group in self.param_groups:
            self._check_adaptive(group["sam_adaptive"])
        groups = self._groups_with_grad()
        flat_p = [p for _, ps in groups for p in ps]
        ops = self._ops(flat_p)
        check = scaler is not None or self.nonfinite != "ignore"
        found_inf: Dict = {}
        if check:
            self._unscale_check([p.grad for p in flat_p], found_inf, scale_inv)
        perturbed = (bool(flat_p) and self._regularize_now()
                     and any(g["sam_rho"] != 0 for g, _ in groups))
        all_params = [q for group in self.param_groups for q in group["params"]]
        self._pending = dict(flat_p=flat_p, ops=ops, found_inf=found_inf if check else None,
                             perturbed=perturbed, all_params=all_params,
                             had_grad={id(q) for q in flat_p}, theta0=None, e=None,
                             moved_by_subtract=False)
        if perturbed:
            self._ascend(groups, flat_p, ops)

    def _ascend(self, groups, flat_p, ops) -> None:
        pend = self._pending
        if self.restore == "subtract" and pend["found_inf"] and self._any_nonfinite(pend["found_inf"]):
            # a non-finite g: theta + e - e would not be theta.  The step is skipped anyway;
            # the second pass still runs (at theta), as on the other ranks of a distributed job
            return
        # |e_i| <= rho, or <= rho |theta_i| for ASAM: a float16 theta near its range is
        # restored from a copy this step (an overflowed offset cannot be subtracted)
        if self.restore == "copy" or not all(
                self._offset_fits(ps, ps if g["sam_adaptive"] else [torch.ones(())] * len(ps),
                                  g["sam_rho"]) for g, ps in groups):
            pend["theta0"] = ops.clone(flat_p)
        K = self._kernels
        pend["e"] = K.sam_ascent_(ops, [ps for _, ps in groups], [[q.grad for q in ps] for _, ps in groups],
                                  [K.scalar(g["sam_rho"]) for g, _ in groups],
                                  [bool(g["sam_adaptive"]) for g, _ in groups],
                                  pend["theta0"] is None)

    def _restore_params(self) -> None:
        pend = self._pending
        if pend is None or not pend["perturbed"]:
            return
        if pend["theta0"] is not None:
            pend["ops"].copy_(pend["flat_p"], pend["theta0"])
        elif pend["e"] is not None:  # None: theta was not moved (non-finite g, "subtract")
            K = self._kernels
            K.offset_(pend["ops"], pend["flat_p"], pend["e"], K.scalar(-1.0))
            pend["moved_by_subtract"] = True
        pend["theta0"] = pend["e"] = None

    def _second(self, scaler, scale_inv) -> None:
        pend = self._pending
        try:
            self._restore_params()
        finally:
            self._pending = None
        flat_p, found_inf = pend["flat_p"], pend["found_inf"]
        moved = pend["moved_by_subtract"]
        if pend["perturbed"]:
            for q in pend["all_params"]:
                if id(q) not in pend["had_grad"]:
                    q.grad = None
            for q in flat_p:
                if q.grad is None:
                    q.grad = torch.zeros_like(q)
            if found_inf is not None:
                self._unscale_check([q.grad for q in flat_p], found_inf, scale_inv)
        if self.local_probe and flat_p:
            self._allreduce_mean([q.grad for q in flat_p])
            if found_inf is not None:
                found_inf.clear()
                self._unscale_check([q.grad for q in flat_p], found_inf, None)
        self._finish(flat_p, found_inf or {}, scaler, scale_inv, moved)

    def _extra_repr(self) -> str:
        return f"base={type(self.base_optimizer).__name__}"
