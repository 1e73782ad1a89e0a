r"""Gradient regularization (F-GR, B-GR, central, DB) as a wrapper around any torch optimizer.

The regularized objective is :math:`\tilde L(\theta) = L(\theta) + \lambda\, h(\nabla L(\theta))`
with :math:`h(v) = \|v\|_p^p` (``penalty="pow"``) or :math:`\|v\|_p` (``"norm"``).
With :math:`g = \nabla L(\theta)`, the penalty vector :math:`u = \mathrm{sign}(g)|g|^{p-1}`,
the coefficient :math:`c` and :math:`\nu = \lambda c / \varepsilon` (all from
:mod:`cgdopt.directions`), a step writes into ``p.grad``

* ``"forward"`` (F-GR):  :math:`G = (1-\nu) g + \nu \nabla L(\theta + \varepsilon u)`,
* ``"backward"`` (B-GR): :math:`G = (1+\nu) g - \nu \nabla L(\theta - \varepsilon u)`,
* ``"central"``:         :math:`G = g + \tfrac{\nu}{2}(\nabla L(\theta+\varepsilon u) - \nabla L(\theta-\varepsilon u))`,
* ``"double_backprop"``: :math:`G = g + \lambda c\, H u` (exact, by double backpropagation),

and then calls the base optimizer.  For the default ``penalty="pow", p=2``
(:math:`u = g`, :math:`c = 2`) and :math:`\gamma = 2\lambda`, these are exactly the
F-GR / B-GR / DB gradients :math:`g + \gamma\,\Delta R` of Karakida et al. (2023)
with ascent step :math:`\varepsilon`, and F-GR is CGD-FD's Eq. 10 with
:math:`r = \varepsilon`.
"""
from __future__ import annotations

import inspect
import math
import warnings
from numbers import Real
from typing import Any, Callable, Dict, Optional

import torch

from .. import directions as D
from ._base import WrappedOptimizer, check_bool, check_group_bounds

RULES = D.FD_SCHEMES + ("double_backprop",)
DEFAULT_EPS = 0.05
DEFAULT_GAMMA = 0.05


def _check_number(name: str, value, *, positive: bool) -> float:
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
        raise ValueError(f"Invalid {name}: {value!r} (must be a finite real number)")
    if positive and value <= 0:
        raise ValueError(f"Invalid {name}: {value} (must be > 0; the probe step is never zero, "
                         f"and rule='backward' keeps it positive and probes at theta - eps*u)")
    if not positive and value < 0:
        raise ValueError(f"Invalid {name}: {value} (must be >= 0)")
    return float(value)


def resolve_step(eps=None, gamma=None, lam=None, r=None, *, default_eps=DEFAULT_EPS,
                 default_gamma=DEFAULT_GAMMA):
    r"""Return ``(gamma, eps)`` from either spelling: ``(eps, gamma)`` or the CGD paper's ``(lam, r)``.

    :math:`\gamma = 2\lambda`, :math:`\varepsilon = r`.  Mixing the spellings is an error;
    missing values take the defaults.
    """
    if (eps is not None or gamma is not None) and (lam is not None or r is not None):
        raise ValueError("Give the regularization either as eps/gamma (Karakida et al.) or as "
                         "lam/r (CGD paper; gamma = 2*lam, eps = r), not both")
    if lam is not None:
        gamma = 2.0 * _check_number("lam", lam, positive=False)
    if r is not None:
        eps = _check_number("r", r, positive=True)
    gamma = default_gamma if gamma is None else _check_number("gamma", gamma, positive=False)
    eps = default_eps if eps is None else _check_number("eps", eps, positive=True)
    return gamma, eps


#: an explicit GR ``eps`` below this, with a base optimizer that has its own ``eps`` and no
#: ``base_eps=``, is taken for a misplaced optimizer epsilon (Adam's is 1e-8) and refused
EPS_TRAP_BELOW = 1e-3


def _takes_eps(base, unknown: bool = True) -> bool:
    """Whether ``base(...)`` has an ``eps`` parameter; ``unknown`` where that cannot be told
    (no signature, or only ``**kwargs``)."""
    try:
        params = inspect.signature(base).parameters
    except (TypeError, ValueError):
        return unknown
    if "eps" in params:
        return True
    return unknown and any(p.kind is p.VAR_KEYWORD for p in params.values())


def _check_eps_trap(base, eps, base_eps) -> None:
    """``GR(base=AdamW, eps=1e-8)``: that ``eps`` is GR's probe step, not Adam's epsilon."""
    if eps is None or base_eps is not None or isinstance(eps, bool) or not isinstance(eps, Real):
        return
    if _takes_eps(base, unknown=False) and 0 < eps < EPS_TRAP_BELOW:
        name = getattr(base, "__name__", repr(base))
        raise ValueError(
            f"GR: eps={eps!r} is GR's finite-difference probe step, but it looks like {name}'s "
            f"own epsilon. Pass the base optimizer's epsilon as base_eps={eps!r}; to really probe "
            f"with a step below {EPS_TRAP_BELOW:g}, give base_eps= explicitly as well (or use r=)")


def _refuse_probe_options(**given) -> None:
    """``rule="double_backprop"`` has no probe point: the options that only shape the probe
    would be ignored, so giving them is an error (defaults and ``None`` pass)."""
    defaults = {"eps": None, "r": None, "normalize": False, "restore": "copy", "compile": False}
    bad = [f"{k}={v!r}" for k, v in given.items() if v is not None and v != defaults[k]]
    if bad:
        raise ValueError(
            f"GR(rule='double_backprop') computes H u by double backpropagation and has no probe "
            f"point, so {', '.join(bad)} would have no effect; leave "
            f"{'it' if len(bad) == 1 else 'them'} out or use a finite-difference rule")


class GR(WrappedOptimizer):
    r"""Gradient regularization around a base optimizer (F-GR, B-GR, central, DB).

    Parameters
    ----------
    params : iterable
        Parameters or param-group dicts.  A group may set its own ``gamma``/``gr_eps``
        (or ``lam``/``r``); inside a group the key ``eps`` belongs to the base optimizer
        (e.g. Adam's epsilon), so the GR step is stored as ``gr_eps`` and ``gr_gamma``.
    base : type, default torch.optim.SGD
        Any ``torch.optim.Optimizer`` subclass (or factory); built as
        ``base(self.param_groups, **base_kwargs)`` on the *same* param groups.
    rule : {"forward", "backward", "central", "double_backprop"}, default "forward"
        How :math:`\Delta R` is computed (module docstring).  ``"double_backprop"``
        needs a closure that calls ``loss.backward(create_graph=True)``.
    eps, gamma : float, optional
        Probe step :math:`\varepsilon > 0` and strength :math:`\gamma \ge 0` (defaults
        0.05 and 0.05).  ``"double_backprop"`` has no probe: giving ``eps`` (or ``r``,
        ``normalize=True``, ``restore="subtract"``, ``compile=``) with it is an error.
    lam, r : float, optional
        The same in the CGD paper's terms: :math:`\gamma = 2\lambda`, :math:`\varepsilon = r`.
        Giving both spellings is an error.
    penalty : {"pow", "norm"}, default "pow"
        :math:`h(v) = \|v\|_p^p` or :math:`\|v\|_p` (CGD paper, Eqs. 6-7).
    p : float, default 2
        Exponent of the penalty, :math:`p \ge 1`.
    safeguard : {"none", "fallback", "switch"}, default "none"
        ``"fallback"``: use the plain gradient on steps where
        :math:`\langle g, G\rangle \le 0` (CGD Algorithm 1; decided on the device, no
        synchronization).  ``"switch"``: additionally stop regularizing after the first
        fallback (CGD Algorithm 2; one host synchronization per regularized step).
    switch_after : int, optional
        ``b``: regularize steps ``0, 1, ..., b`` and take plain steps (one gradient
        evaluation) afterwards -- Algorithm 2, line 20, with the same meaning as in
        :func:`cgdopt.minimize`.
    foreach : bool, optional
        Multi-tensor ``torch._foreach_*`` kernels (default: when all params are on CUDA).
    model : torch.nn.Module, optional
        If given, BatchNorm running statistics are frozen during the probe passes
        (:func:`cgdopt.nn.disable_running_stats`): they change once per step, from the clean pass.
        ``"double_backprop"`` has no probe pass, so its statistics change once per step
        anyway; ``model=`` is accepted there so that one training loop serves every rule.
    nonfinite : {"skip", "raise", "ignore"}, default "skip"
        Non-finite gradients in any pass: skip the step (parameters and base state untouched,
        ``counters["skipped"]`` counts it), raise ``FloatingPointError``, or do not
        check (no synchronization).  Under a ``GradScaler`` the scaler decides.
    base_eps : float, optional
        Passed to the base optimizer as its ``eps`` (Adam's epsilon), since ``eps`` is GR's.
        An explicit ``eps`` below ``1e-3`` with a base that has its own ``eps`` and no
        ``base_eps`` raises ``ValueError`` (it looks like a misplaced optimizer epsilon).
    restore : {"copy", "subtract"}, default "copy"
        How :math:`\theta` comes back after a probe pass: from a copy (bit-exact, one more
        parameter-sized buffer) or by subtracting the perturbation :math:`\varepsilon u`
        (within rounding; F-GR/B-GR then hold one extra buffer, central two).
    every : int, default 1
        Regularize the steps whose number is a multiple of ``every`` (one in ``every``);
        the others are plain one-pass steps.
    normalize : bool, default False
        Probe at :math:`\theta + \varepsilon u/\|u\|_2` with
        :math:`\nu = \lambda c\|u\|_2/\varepsilon` (the same target :math:`g + \lambda c H u`);
        with ``penalty="norm", p=2`` this is the gradient-norm-penalty update
        :math:`G = (1-\lambda/\varepsilon) g + (\lambda/\varepsilon)\nabla L(\theta + \varepsilon g/\|g\|)`.
        One host synchronization per step (the norm).
    local_probe : bool, default False
        With ``model=<DistributedDataParallel module>``: both passes run under
        ``model.no_sync()`` on the rank's own shard of the batch (per-worker probe, as in
        m-sharpness) and :math:`G` is averaged over the ranks with one all-reduce per step.
    compile : bool or dict, default False
        ``True`` or a dict of ``torch.compile`` keyword arguments (e.g.
        ``{"backend": "aot_eager"}``; ``fullgraph=True`` unless given): the element-wise
        update kernels (probe offset and its removal, the combination of the gradients;
        :mod:`cgdopt.nn._kernels`) run compiled by ``torch.compile``.  The closure, the non-finite
        checks, the safeguard and the base optimizer's step stay eager.
    **base_kwargs
        Passed to ``base`` (``lr``, ``momentum``, ``weight_decay``, ...).

    Notes
    -----
    ``step(closure, grad_scaler=None)`` runs the closure 2 times (``"forward"``,
    ``"backward"``), 3 times (``"central"``) or once plus one Hessian-vector product
    (``"double_backprop"``), counted in ``optimizer.counters["grad_evals"]`` / ``["hvp_evals"]``.
    The closure must compute the full gradient from scratch; GR zeroes the gradients
    before each probe pass.  After the step ``p.grad`` holds :math:`G`.

    References
    ----------
    .. [1] R. Karakida, T. Takase, T. Hayase, K. Osawa, "Understanding gradient
       regularization in deep learning: efficient finite-difference computation and
       implicit bias", ICML 2023, Eqs. 3-5, Algorithm 1.
    .. [2] "CGD: Modifying the loss landscape by gradient regularization", Eq. 10,
       Algorithms 1-2, Lemma 2.
    """

    _own_keys = ("gr_gamma", "gr_eps")
    _config_keys = ("rule", "penalty", "p", "safeguard", "switch_after", "normalize", "every",
                    "local_probe")
    _group_aliases = ("gamma", "lam", "r")
    _group_spellings = {"eps": "'gr_eps' (or 'r')"}
    _whole_options = WrappedOptimizer._whole_options + (
        "rule", "penalty", "p", "safeguard", "switch_after", "normalize", "base_eps")

    def __init__(self, params, base=torch.optim.SGD, *, rule: str = "forward",
                 eps: Optional[float] = None, gamma: Optional[float] = None,
                 lam: Optional[float] = None, r: Optional[float] = None,
                 penalty: str = "pow", p: float = 2, safeguard: str = "none",
                 switch_after: Optional[int] = None, foreach: Optional[bool] = None,
                 model: Optional[torch.nn.Module] = None, nonfinite: str = "skip",
                 base_eps: Optional[float] = None, restore: str = "copy", every: int = 1,
                 normalize: bool = False, local_probe: bool = False, compile=False,
                 **base_kwargs: Any) -> None:
        if rule not in RULES:
            raise ValueError(f"Invalid rule: {rule!r} (must be one of {RULES})")
        D.check_penalty(penalty, p)
        if safeguard not in D.SAFEGUARDS:
            raise ValueError(f"Invalid safeguard: {safeguard!r} (must be one of {D.SAFEGUARDS})")
        if switch_after is not None and (isinstance(switch_after, bool)
                                         or not isinstance(switch_after, int) or switch_after < 0):
            raise ValueError(f"Invalid switch_after: {switch_after!r} (must be None or an int >= 0)")
        check_bool("normalize", normalize)
        if local_probe and rule == "double_backprop":
            raise ValueError("GR(local_probe=True) needs a finite-difference rule, not 'double_backprop'")
        _check_eps_trap(base, eps, base_eps)
        eps_given = eps
        gamma, eps = resolve_step(eps, gamma, lam, r)
        if base_eps is not None:
            if isinstance(base_eps, bool) or not isinstance(base_eps, Real):
                raise TypeError(f"Invalid base_eps: {base_eps!r} (must be a number)")
            if not _takes_eps(base):
                raise TypeError(f"Invalid base_eps: {base_eps!r} ({getattr(base, '__name__', base)} "
                                f"takes no eps; base_eps= is the base optimizer's own epsilon)")
            base_kwargs["eps"] = base_eps
        self.rule, self.penalty, self.p = rule, penalty, float(p)
        self.safeguard, self.switch_after = safeguard, switch_after
        self.normalize = normalize
        super().__init__(params, base, {"gr_gamma": gamma, "gr_eps": eps}, base_kwargs,
                         model=model, foreach=foreach, nonfinite=nonfinite, restore=restore,
                         every=every, local_probe=local_probe, compile=compile)
        if rule == "double_backprop":
            _refuse_probe_options(eps=eps_given, r=r, normalize=normalize, restore=restore,
                                  compile=compile)

    # ------------------------------------------------------------------ groups
    def _normalize_group(self, group: Dict[str, Any]) -> None:
        names = ("gamma", "lam", "r", "gr_gamma", "gr_eps")
        given = {k: group.pop(k) for k in names if k in group}
        if not given:
            return
        if self.rule == "double_backprop" and ("gr_eps" in given or "r" in given):
            _refuse_probe_options(eps=given.get("gr_eps"), r=given.get("r"))
        if "gr_gamma" in given and ("gamma" in given or "lam" in given):
            raise ValueError("param group: give gamma once (gamma, gr_gamma or lam)")
        if "gr_eps" in given and "r" in given:
            raise ValueError("param group: give the probe step once (gr_eps or r)")
        gamma = given.get("gamma", given.get("gr_gamma"))
        eps, lam, r = given.get("gr_eps"), given.get("lam"), given.get("r")
        nan = object()
        gamma_out, eps_out = resolve_step(eps, gamma, lam, r, default_eps=nan, default_gamma=nan)
        if gamma_out is not nan:
            group["gr_gamma"] = gamma_out
        if eps_out is not nan:
            group["gr_eps"] = eps_out

    def _extra_repr(self) -> str:
        return (f"base={type(self.base_optimizer).__name__}, rule={self.rule!r}, "
                f"penalty={self.penalty!r}, p={self.p:g}, safeguard={self.safeguard!r}, "
                f"switch_after={self.switch_after}")

    # ------------------------------------------------------------------ step
    def _regularizing(self) -> bool:
        """Whether this step regularizes; ``switch_after=b``: steps ``0, ..., b`` do (Algorithm 2, line 20)."""
        c = self.counters
        if not c["regularizing"]:
            return False
        if self.switch_after is not None and c["step"] > self.switch_after:
            c.update(regularizing=False, switch_step=c["step"] - 1, switch_reason="switch_after")
            return False
        return True

    def _check_groups(self) -> None:
        """Group values may have been changed by a scheduler: refuse impossible ones here."""
        check_group_bounds(self.param_groups, self._own_keys + ("lr",))

    @torch.no_grad()
    def step(self, closure: Optional[Callable] = None, *, grad_scaler=None):
        """One GR step; returns the loss of the clean pass.

        Parameters
        ----------
        closure : callable
            Zeroes the gradients, computes the loss, calls ``backward()`` (with
            ``create_graph=True`` for ``"double_backprop"``; through
            ``grad_scaler.scale(loss)`` when a scaler is used) and returns the loss.
        grad_scaler : torch.amp.GradScaler, optional
            Each pass is unscaled and checked for inf/NaN; an overflow in any pass makes
            the scaler skip the base step.  Call ``grad_scaler.update()`` afterwards.
        """
        self._check_closure(closure)
        self._check_groups()
        scaler, scale_inv = self._scaler(grad_scaler)
        if scaler is not None and self.rule == "double_backprop":
            raise RuntimeError("GR(rule='double_backprop') does not support a GradScaler; "
                               "use a finite-difference rule or bfloat16 autocast")
        with warnings.catch_warnings():
            if self.rule == "double_backprop":
                # the closure's backward(create_graph=True) warns of a parameter <-> gradient
                # reference cycle; GR breaks it by detaching p.grad after the step
                warnings.filterwarnings("ignore", message=r"Using backward\(\) with create_graph=True")
            loss = self._evaluate(closure, probe=False)
        groups = self._groups_with_grad()
        flat_p = [p for _, ps in groups for p in ps]
        regularize = (bool(flat_p) and self._regularize_now()
                      and any(g["gr_gamma"] != 0 for g, _ in groups) and self._regularizing())
        if self.rule == "double_backprop":
            found_inf = self._double_backprop(groups, flat_p, regularize)
            self._finish(flat_p, found_inf, None, None)
            return loss
        check = scaler is not None or self.nonfinite != "ignore"
        found_inf: Dict = {}
        if check:
            self._unscale_check([p.grad for p in flat_p], found_inf, scale_inv)
        if not regularize:
            self._spare = None
        moved = False
        if regularize:
            moved = self._finite_difference(closure, groups, flat_p, found_inf if check else None,
                                            scale_inv)
        elif self.local_probe and flat_p:
            self._allreduce_mean([p.grad for p in flat_p])
        if self.local_probe and check and flat_p:  # the averaged gradients decide, on every rank
            found_inf = {}
            self._unscale_check([p.grad for p in flat_p], found_inf, None)
        self._finish(flat_p, found_inf, scaler, scale_inv, moved)
        return loss

    def _finite_difference(self, closure, groups, flat_p, found_inf, scale_inv) -> bool:
        """The probe passes and the combination, written into the last probe's ``p.grad``.

        Element-wise passes over the parameters, F-GR: the probe offset and its removal
        (``restore="subtract"``; a copy and a copy back with ``"copy"``), one non-finite
        check per pass (on the CPU the safeguard's dot product checks the probe gradients,
        below) and one ``lerp_`` for :math:`G` (the kernels of
        :mod:`cgdopt.nn._kernels`, compiled with ``compile=``).  :math:`g` is the tensor the clean
        pass left in ``p.grad`` itself (``p.grad`` is then set to ``None``, so the probe
        pass allocates its own), except when the gradients are views into DDP buckets
        (``gradient_as_bucket_view=True``): then :math:`g` is copied and the views are
        zeroed in place.  Returns whether the parameters were moved and brought back by
        subtraction (``restore="subtract"``; :meth:`_finish` then checks them on a skipped step).
        """
        ops, K = self._ops(flat_p), self._kernels
        views = self._grads_are_views(flat_p)
        g0 = [p.grad for p in flat_p]
        if views:
            g0 = ops.clone(g0)
        u = D.penalty_vector(g0, self.p, ops)
        coef = D.penalty_coefficient(g0, self.penalty, self.p, ops)
        unit = 1.0  # the probe is theta + sign * eps * unit * u
        if self.normalize:
            u_norm = float(ops.norm(u))
            unit = 1.0 / u_norm if u_norm > 0 else 0.0
        slices, start = [], 0
        for group, ps in groups:
            slices.append((group, slice(start, start + len(ps))))
            start += len(ps)
        all_params = [q for group in self.param_groups for q in group["params"]]
        had_grad = {id(q) for q in flat_p}
        theta0 = ops.clone(flat_p) if self.restore == "copy" else None
        signs = D.PROBE_SIGNS[self.rule]
        if theta0 is not None or found_inf is None:
            move = True
        else:
            # restore="subtract": theta + eps*u - eps*u is theta only if the offset is finite.
            # g is checked; u = sign(g)|g|^(p-1) may overflow where g does not (p > 2).
            if u is not g0:
                self._unscale_check(u, found_inf, None)
            # A non-finite g or u: the step is skipped anyway; the probe passes still run (at
            # theta), so that all ranks of a distributed job run the same passes and collectives.
            move = not self._any_nonfinite(found_inf)
            # central goes from theta + eps*u to theta - eps*u in one offset of 2*eps*u
            reach = (2.0 if len(signs) > 1 else 1.0) * unit * max(g["gr_eps"] for g, _ in groups)
            if move and not self._offset_fits(flat_p, u, reach):
                theta0 = ops.clone(flat_p)  # float16 near its range: restore from a copy this step
        moved = move and theta0 is None
        probes = []
        # On the CPU without a loss scale, the safeguard's dot product g.G screens the probe
        # gradients for free: g is finite here (checked), and a NaN or inf in any probe
        # gradient makes G, hence g.G, non-finite; only then are they checked exactly.
        # It saves one read of the gradients per probe (the screen of g, timed inside the
        # step, costs 0.6-1.0 ms of a 21-23 ms step on MLP-2 of benchmarks/nn_speed.py).
        deferred = (found_inf is not None and scale_inv is None and self.safeguard != "none"
                    and all(type(t) is torch.Tensor and t.device.type == "cpu" for t in g0))
        at = 0.0  # where the parameters are now, in units of eps * unit * u
        try:
            for k, sign in enumerate(signs):
                if move:
                    for group, sl in slices:
                        K.offset_(ops, flat_p[sl], u[sl],
                                  K.scalar((sign - at) * group["gr_eps"] * unit))
                    at = sign
                self._zero_grads(all_params, ops)
                self._spare = None  # last step's g: its memory now takes the probe gradient
                self._evaluate(closure, probe=True)
                gk = [q.grad if q.grad is not None else torch.zeros_like(q) for q in flat_p]
                if found_inf is not None and not (
                        deferred and all(type(q) is torch.Tensor for q in gk)):
                    deferred = False
                    self._unscale_check(gk, found_inf, scale_inv)
                # a view (DDP bucket) is zeroed by the next pass: keep a copy of it
                probes.append(ops.clone(gk) if views and k + 1 < len(signs) else gk)
                del gk  # the closure of the next pass may drop p.grad: do not keep it alive
        finally:
            if theta0 is not None:
                ops.copy_(flat_p, theta0)
            elif at:
                for group, sl in slices:
                    K.offset_(ops, flat_p[sl], u[sl], K.scalar(-at * group["gr_eps"] * unit))
        # restore="copy": free the parameter copy (and u for p != 2) before G is formed; G is
        # written into the last probe gradient, so the extra memory stays at g0 (+ theta0)
        del theta0, u
        G = probes[-1]
        for group, sl in slices:
            lam = 0.5 * group["gr_gamma"]
            if self.normalize:
                nu = D.fd_normalized_weight(lam, coef, group["gr_eps"], u_norm)
            else:
                nu = D.fd_weight(lam, coef, group["gr_eps"])
            a, bs = D.fd_combination(nu, self.rule)
            K.fd_combine_(ops, G[sl], g0[sl], [pr[sl] for pr in probes[:-1]], K.scalar(a),
                          tuple(K.scalar(b) for b in bs))
        del probes
        dot = None
        if deferred:
            dot = ops.dot(g0, G)
            if not math.isfinite(float(dot)):  # a non-finite G (or a dot that overflowed)
                self._unscale_check(G, found_inf, None)
        if found_inf:
            self._agree(found_inf, flat_p)
        G = self._apply_safeguard(g0, G, ops, found_inf, dot)
        if not views:
            # keep g's tensors until the next probe pass, whose gradient then takes their
            # memory: without it the allocator hands two gradient-sized blocks back to the OS
            # at the end of each step and page-faults them in again in the next (measured on
            # the MLPs of benchmarks/nn_speed.py: 380-1160 minor faults per step without it,
            # 0-190 with it, up to 5 % of a step).  Peak memory is unchanged (g and the probe gradient coexist
            # anyway); between steps one more gradient-sized buffer stays allocated.
            self._spare = g0
        for q in all_params:
            if id(q) not in had_grad:
                q.grad = None
        for q, Gi in zip(flat_p, G):
            if q.grad is not Gi:
                q.grad = Gi
        return moved

    def _double_backprop(self, groups, flat_p, regularize) -> Dict:
        grads = [q.grad for q in flat_p]
        gd = [g.detach() for g in grads]
        found_inf: Dict = {}
        if self.nonfinite != "ignore":
            self._unscale_check(gd, found_inf, None)
        if regularize:
            with_graph = [i for i, g in enumerate(grads) if g.requires_grad]
            if not with_graph:
                raise RuntimeError(
                    "GR(rule='double_backprop'): the gradients carry no graph; the closure must "
                    "call loss.backward(create_graph=True)")
            ops = self._ops(flat_p)
            u = D.penalty_vector(gd, self.p, ops)
            coef = D.penalty_coefficient(gd, self.penalty, self.p, ops)
            with torch.enable_grad():
                hu = torch.autograd.grad([grads[i] for i in with_graph], flat_p,
                                         grad_outputs=[u[i].detach() for i in with_graph],
                                         allow_unused=True)
            self.counters["hvp_evals"] += 1
            hu = [h if h is not None else torch.zeros_like(q) for h, q in zip(hu, flat_p)]
            if self.nonfinite != "ignore":
                self._unscale_check(hu, found_inf, None)
            G, start = [], 0
            for group, ps in groups:
                sl = slice(start, start + len(ps))
                start += len(ps)
                G.extend(D.exact_regularized_gradient(gd[sl], hu[sl], 0.5 * group["gr_gamma"],
                                                      coef, ops))
            G = self._apply_safeguard(gd, G, ops, found_inf if self.nonfinite != "ignore" else None)
        else:
            G = gd
        for q, Gi in zip(flat_p, G):
            q.grad = Gi.detach()
        if self.nonfinite != "ignore":
            self._unscale_check([q.grad for q in flat_p], found_inf, None)
        return found_inf

    def _apply_safeguard(self, g0, G, ops, found_inf=None, dot=None):
        """Algorithm 1/2's check on the device; with ``local_probe`` the G of all ranks are
        averaged here (one all-reduce, carrying the fallback flag so all ranks agree).
        ``dot``: the dot product g.G if the caller computed it already.

        A step whose gradients are not finite is skipped by :meth:`_finish`; it is not a
        fallback, and under ``"switch"`` it does not stop the regularization.
        """
        c = self.counters
        fell_back = None
        if self.safeguard != "none":
            # Eq. 3 (cgdopt.directions.is_descent), from the caller's dot product if given
            ok = D.is_descent(g0, G, ops) if dot is None else dot > 0.0
            G = ops.select(ok, G, g0)
            fell_back = (~ok).to(torch.float32)
            if found_inf:
                bad = sum(v.to(fell_back.device) for v in found_inf.values()) > 0
                fell_back = torch.where(bad, 0.0, fell_back)
        if self.local_probe:
            fell_back = self._allreduce_mean(G, fell_back)
        if fell_back is None:
            return G
        if self.safeguard == "switch":
            if bool(fell_back > 0):
                c.update(regularizing=False, switch_step=c["step"], switch_reason="safeguard")
        inc = (fell_back > 0).to(torch.int64)
        fb = c["fallbacks"]
        c["fallbacks"] = inc + (fb.to(inc.device) if isinstance(fb, torch.Tensor) else fb)
        return G
