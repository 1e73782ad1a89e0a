"""Machinery shared by the two-pass optimizers :class:`~cgdopt.nn.GR` and :class:`~cgdopt.nn.SAM`.

A :class:`WrappedOptimizer` is a ``torch.optim.Optimizer`` that

* owns a *base* optimizer built on the very same ``param_groups`` (the same
  dict objects, the same list), so learning rates, weight decay, momentum and
  LR schedulers attached to the wrapper work as usual;
* shares the base optimizer's ``state``: ``state_dict()`` is the base
  optimizer's state dict (plus the wrapper's keys in the param groups and a
  top-level ``"cgdopt"`` entry with the counters), so a checkpoint keeps
  momentum buffers / Adam moments and training resumes bit-identically;
  ``optimizer.state`` itself stays keyed by parameters only, as torch tools expect;
* runs the closure for each gradient evaluation (counted in
  ``optimizer.counters["grad_evals"]``), the probe passes with BatchNorm running
  statistics frozen (``model=``), and an optional ``torch.amp.GradScaler``;
* never leaves parameters at a probe point, and checks gradients for
  ``inf``/``nan`` before the base step (``nonfinite=``).
"""
from __future__ import annotations

import contextlib
import difflib
import math
import re
from numbers import Real
from typing import Any, Callable, Dict, List, Optional

import torch
from torch.optim import Optimizer

from ._batchnorm import disable_running_stats
from ._foreach_ops import DDP_BUCKET_BYTES, FOREACH_OPS, LOOP_OPS, buckets, chunks
from ._kernels import EAGER, Kernels, check_compile

#: key of the counters in ``state_dict()``
STATE_KEY = "cgdopt"

NONFINITE = ("skip", "raise", "ignore")
RESTORE = ("copy", "subtract")
#: dtypes whose largest value is below this are screened before a subtract-restored offset
NARROW_MAX = 2.0 ** 17
#: keys of ``state_dict()["cgdopt"]`` that describe the optimizer (the others are counters)
META_KEYS = ("optimizer", "base", "param_shapes", "config")


#: the param-group hyper-parameters with a bound: key -> (lower bound, strict).  GR and SAM
#: check their groups against it at every step (a scheduler or the user may have written
#: them); the schedulers of :mod:`cgdopt.nn` check a new value before writing any group.
GROUP_BOUNDS = {"gr_gamma": (0.0, False), "gr_eps": (0.0, True), "sam_rho": (0.0, False),
                "lr": (0.0, False)}


def group_bound_violation(key: str, value) -> Optional[str]:
    """Why ``value`` cannot stand in a param group as ``key`` (:data:`GROUP_BOUNDS`), or ``None``."""
    if key not in GROUP_BOUNDS:
        return None
    low, strict = GROUP_BOUNDS[key]
    if isinstance(value, torch.Tensor) and value.numel() == 1:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value) \
            or value < low or (strict and value == low):
        return f"must be a finite number {'>' if strict else '>='} {low:g}"
    return None


MAXIMIZE_WHY = ("GR and SAM minimize: the base optimizer would ascend while the probe still "
                "regularizes a minimization -- GR would ascend the penalty, SAM probe towards the "
                "best neighbour; negate the loss in the closure instead")


def check_group_bounds(groups, keys) -> None:
    """Refuse a param group whose ``keys`` break :data:`GROUP_BOUNDS`, naming the group, one
    with ``maximize=True`` or a non-finite hyper-parameter of the base optimizer (written
    after construction: ``group["momentum"] = inf`` would reach the parameters)."""
    for i, group in enumerate(groups):
        if group.get("maximize", False) is not False:
            raise ValueError(f"Invalid maximize in param group {i}: {group['maximize']!r} "
                             f"(must be False: {MAXIMIZE_WHY})")
        for key, value in group.items():
            if key != "params" and key not in keys:
                check_finite_hyper(f"{key} in param group {i}", value)
        for key in keys:
            if key not in group:  # a base without lr
                continue
            why = group_bound_violation(key, group[key])
            if why:
                raise ValueError(f"Invalid {key} in param group {i}: {group[key]!r} ({why})")


def check_bool(key: str, value) -> None:
    """Refuse anything but True/False for the switch ``key`` (a string such as ``"no"`` is truthy)."""
    if not isinstance(value, bool):
        raise TypeError(f"Invalid {key}: {value!r} (must be True or False)")


def check_finite_hyper(key: str, value) -> None:
    """Refuse a non-finite number (or a tuple holding one) as a hyper-parameter ``key``."""
    if isinstance(value, bool):
        return
    if isinstance(value, torch.Tensor):
        if value.numel() == 1 and value.is_floating_point() and not math.isfinite(float(value)):
            raise ValueError(f"Invalid {key}: {value!r} (must be finite)")
        return
    if isinstance(value, Real):
        if not math.isfinite(value):
            raise ValueError(f"Invalid {key}: {value!r} (must be a finite number)")
        return
    if isinstance(value, (tuple, list)) and value and all(
            isinstance(v, Real) and not isinstance(v, bool) for v in value):
        if not all(math.isfinite(v) for v in value):
            raise ValueError(f"Invalid {key}: {value!r} (all entries must be finite numbers)")


#: switches of torch optimizers whose default is ``None`` (decided by torch) rather than a bool
SWITCHES = ("foreach", "fused", "capturable", "differentiable", "maximize", "nesterov",
            "amsgrad", "decoupled_weight_decay")


def type_problem(key: str, value, default) -> Optional[str]:
    """Why ``value`` cannot be the base optimizer's option ``key`` whose default is ``default``:
    a switch takes only a bool (``"no"`` is truthy), a number never a bool (``True`` is 1)."""
    if key in SWITCHES or isinstance(default, bool):
        if isinstance(value, bool) or (value is None and not isinstance(default, bool)):
            return None
        return "must be True or False" + ("" if isinstance(default, bool) else " (or None)")
    numeric = isinstance(default, Real) or (isinstance(default, torch.Tensor) and default.numel() == 1)
    if numeric and isinstance(value, bool):
        return "must be a number, not a bool"
    if numeric and not isinstance(value, Real) and not (
            isinstance(value, torch.Tensor) and value.numel() == 1 and not value.is_complex()):
        return f"must be a number, got {type(value).__name__}"
    if isinstance(default, tuple) and isinstance(value, (tuple, list)) and any(
            isinstance(v, bool) for v in value):
        return "must hold numbers, not bools"
    return None


def base_defaults(base) -> Dict[str, Any]:
    """The keyword defaults of ``base(params, ...)`` from its signature (empty if unknown)."""
    import inspect
    try:
        params = inspect.signature(base).parameters
    except (TypeError, ValueError):
        return {}
    return {k: p.default for k, p in params.items() if p.default is not inspect.Parameter.empty}


def check_every(every) -> int:
    if isinstance(every, bool) or not isinstance(every, int) or every < 1:
        raise ValueError(f"Invalid every: {every!r} (must be an int >= 1: regularize one step in every)")
    return every


def _fresh_counters() -> Dict[str, Any]:
    return {"step": 0, "grad_evals": 0, "hvp_evals": 0, "skipped": 0,
            "fallbacks": 0, "regularizing": True, "switch_step": None, "switch_reason": None}


def _counter_problem(key: str, value) -> Optional[str]:
    """Why ``value`` cannot be the counter ``key`` of a loaded state dict, or ``None``."""
    def count(v) -> bool:
        if isinstance(v, torch.Tensor) and v.dim() == 0 and not v.is_floating_point() \
                and v.dtype is not torch.bool:
            v = v.item()
        return isinstance(v, int) and not isinstance(v, bool) and v >= 0
    if key in ("step", "grad_evals", "hvp_evals", "skipped", "fallbacks"):
        return None if count(value) else "must be an int >= 0"
    if key == "regularizing":
        return None if isinstance(value, bool) else "must be True or False"
    if key == "switch_step":
        return None if value is None or count(value) else "must be None or an int >= 0"
    if key == "switch_reason":
        return None if value in (None, "safeguard", "switch_after") else \
            "must be None, 'safeguard' or 'switch_after'"
    return f"is not a counter of cgdopt.nn (known: {sorted(_fresh_counters())})"


def _unexpected_keyword(cls: type, base, base_kwargs: Dict[str, Any], exc: TypeError) -> TypeError:
    """A clearer error for a keyword argument that neither the wrapper nor its base takes
    (the base's own message names only the base); other TypeErrors are passed on."""
    m = re.search(r"unexpected keyword argument '(\w+)'", str(exc))
    if m is None or m.group(1) not in base_kwargs:
        return exc
    import inspect
    key, name = m.group(1), cls.__name__
    known: List[str] = []
    for fn in (base, cls.__init__):
        try:
            known += [p for p in inspect.signature(fn).parameters
                      if p not in ("self", "params", "base_kwargs")]
        except (TypeError, ValueError):
            pass
    close = difflib.get_close_matches(key, sorted(set(known)), n=1, cutoff=0.75)
    base_name = getattr(base, "__name__", repr(base))
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return TypeError(f"{name}: unexpected keyword argument {key!r}: not an option of {name} "
                     f"nor of its base optimizer {base_name}{hint}")


class WrappedOptimizer(Optimizer):
    """Base class: composition with a base optimizer sharing ``param_groups`` and ``state``."""

    #: keys that the wrapper adds to every param group
    _own_keys: tuple = ()
    #: other spellings of them that a param group may use (translated by _normalize_group)
    _group_aliases: tuple = ()
    #: keywords of the wrapper that set it as a whole: refused as param-group keys (ignored there)
    _whole_options: tuple = ("model", "foreach", "nonfinite", "restore", "every", "local_probe",
                             "compile")
    #: a group key that is a keyword of the wrapper but, in a group, belongs to the base
    #: optimizer -> the group key the wrapper reads instead (refused when the base has none)
    _group_spellings: Dict[str, str] = {}

    def __init__(self, params, base, defaults: Dict[str, Any], base_kwargs: Dict[str, Any], *,
                 model: Optional[torch.nn.Module] = None, foreach: Optional[bool] = None,
                 nonfinite: str = "skip", restore: str = "copy", every: int = 1,
                 local_probe: bool = False, compile=False) -> None:
        name = type(self).__name__
        compile_kwargs = check_compile(compile)
        if isinstance(base, Optimizer):
            raise TypeError(f"{name}: pass the base optimizer class (e.g. torch.optim.SGD) and its "
                            f"keyword arguments, not an instance")
        if not callable(base) or (isinstance(base, type) and not issubclass(base, Optimizer)):
            raise TypeError(f"{name}: base must be a torch.optim.Optimizer subclass (or a "
                            f"function returning an optimizer), got {base!r}")
        if nonfinite not in NONFINITE:
            raise ValueError(f"Invalid nonfinite: {nonfinite!r} (must be one of {NONFINITE})")
        if foreach is not None and not isinstance(foreach, bool):
            raise TypeError(f"Invalid foreach: {foreach!r} (must be None, True or False)")
        if model is not None and not isinstance(model, torch.nn.Module):
            raise TypeError(f"Invalid model: {type(model).__name__} (must be a torch.nn.Module or None)")
        if restore not in RESTORE:
            raise ValueError(f"Invalid restore: {restore!r} (must be one of {RESTORE})")
        every = check_every(every)
        check_bool("local_probe", local_probe)
        if local_probe and not hasattr(model, "no_sync"):
            raise ValueError(f"{name}(local_probe=True) needs model=<the DistributedDataParallel "
                             f"module> (its no_sync() keeps both passes local); got model="
                             f"{type(model).__name__ if model is not None else None}")
        defaults_of_base = base_defaults(base)
        for key, value in base_kwargs.items():
            why = type_problem(key, value, defaults_of_base.get(key))
            if why:
                raise TypeError(f"{name}: invalid {key}={value!r} for the base optimizer "
                                f"{getattr(base, '__name__', base)} ({why})")
            check_finite_hyper(key, value)
        self._base_ready = False
        super().__init__(params, defaults)
        try:
            base_optimizer = base(self.param_groups, **base_kwargs)
        except TypeError as exc:
            clearer = _unexpected_keyword(type(self), base, base_kwargs, exc)
            if clearer is exc:
                raise
            raise clearer from exc
        if not isinstance(base_optimizer, Optimizer):
            raise TypeError(f"{name}: base(...) must return a torch.optim.Optimizer, "
                            f"got {type(base_optimizer).__name__}")
        self._check_base_can_step(base_optimizer)
        self.base_optimizer = base_optimizer
        for i, group in enumerate(base_optimizer.param_groups):
            self._check_group_keys(group, i)
        # one list of groups, one state: what the base optimizer sees is what we see
        self.param_groups = base_optimizer.param_groups
        self.state = base_optimizer.state
        # expose the base defaults too (schedulers such as OneCycleLR look for momentum/betas)
        from torch.optim.optimizer import required
        self.defaults = {**{k: v for k, v in base_optimizer.defaults.items() if v is not required},
                         **defaults}
        self.counters: Dict[str, Any] = _fresh_counters()
        self._base_ready = True
        self.model = model
        self.foreach = foreach
        self.nonfinite = nonfinite
        self.restore = restore
        self.every = every
        self.local_probe = local_probe
        self.compile = compile_kwargs
        self._kernels_cache: Optional[Kernels] = None
        #: GR: the last step's g, kept until the next probe pass takes its memory
        self._spare: Optional[List[torch.Tensor]] = None

    def _check_base_can_step(self, base_optimizer: Optimizer) -> None:
        """Refuse a base optimizer that cannot take the step GR/SAM hand it: one whose
        ``step`` needs a closure (``LBFGS``: it would evaluate the loss itself, at points GR
        does not choose), or one that needs sparse gradients (``SparseAdam``)."""
        import inspect
        name, base = type(self).__name__, type(base_optimizer).__name__
        if isinstance(base_optimizer, torch.optim.SparseAdam):
            raise TypeError(f"{name}: base {base} needs sparse gradients, which {name} does not "
                            f"support; use Adam or AdamW")
        try:
            closure = inspect.signature(base_optimizer.step).parameters.get("closure")
        except (TypeError, ValueError):
            return
        if closure is not None and closure.default is inspect.Parameter.empty:
            raise TypeError(f"{name}: base {base}.step() requires a closure (it evaluates the loss "
                            f"itself); {name} calls base.step() without one after forming its "
                            f"gradient. Use a first-order optimizer (SGD, Adam, ...)")

    # ------------------------------------------------------------------ groups
    def _normalize_group(self, group: Dict[str, Any]) -> None:
        """Hook for subclasses: translate alternative spellings of their group keys."""

    def add_param_group(self, param_group: Dict[str, Any]) -> None:
        """Add a param group to the wrapper *and* the base optimizer (they share the list)."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, got {type(param_group).__name__}")
        if "params" not in param_group:
            raise ValueError(f"{type(self).__name__}: a param group needs a 'params' entry (the "
                             f"parameters of the group), got keys {sorted(map(str, param_group))}")
        params = param_group.get("params")
        if isinstance(params, torch.Tensor):
            param_group["params"] = params = [params]
        elif params is not None and not isinstance(params, (set, list)):
            param_group["params"] = params = list(params)  # a generator is read once
        if isinstance(params, list):
            seen = set()
            for i, q in enumerate(params):
                if isinstance(q, torch.Tensor) and q.is_complex():
                    raise TypeError(f"{type(self).__name__}: parameter {i} of the group is complex "
                                    f"({q.dtype}); GR and SAM take real floating-point parameters "
                                    f"(view a complex one as real: torch.view_as_real)")
                if id(q) in seen:
                    raise ValueError(
                        f"{type(self).__name__}: a parameter appears twice in a param group (at "
                        f"position {i}); the probe would move it twice. List each parameter once")
                seen.add(id(q))
        self._normalize_group(param_group)
        for key, value in param_group.items():
            if key != "params":
                check_finite_hyper(f"{key} (param group)", value)
        if not getattr(self, "_base_ready", False):
            super().add_param_group(param_group)
            return
        self._check_group_keys(param_group, len(self.param_groups))
        for k, v in self.defaults.items():
            param_group.setdefault(k, v)
        self.base_optimizer.add_param_group(param_group)

    def _check_group_keys(self, group: Dict[str, Any], index: int) -> None:
        """Refuse a group key that would be silently ignored: a keyword of the wrapper that in
        a group belongs to the base optimizer, which has no such key (GR's ``eps`` with SGD:
        the group spelling is ``gr_eps``), or a near miss of the wrapper's own group keys
        (``gamam``).  Other unknown keys pass, as in ``torch.optim`` (user metadata)."""
        name, base = type(self).__name__, self.base_optimizer
        own = self._own_keys + self._group_aliases
        for key in group:
            if key in base.defaults and key != "params":
                why = type_problem(key, group[key], base.defaults[key])
                if why:
                    raise TypeError(f"Invalid {key} in param group {index}: {group[key]!r} ({why})")
                if key == "maximize" and group[key]:
                    raise ValueError(f"Invalid maximize in param group {index}: True ({MAXIMIZE_WHY})")
            if key == "params" or key in base.defaults or key in own or not isinstance(key, str):
                continue
            if key in self._whole_options:
                raise ValueError(
                    f"Invalid key {key!r} in param group {index}: {key} is an option of {name} as "
                    f"a whole (a keyword of {name}(...)); a param group would ignore it")
            if key in self._group_spellings:
                raise ValueError(
                    f"Invalid key {key!r} in param group {index}: in a group it is the base "
                    f"optimizer's, and {type(base).__name__} has no {key!r}; {name}'s own is "
                    f"{self._group_spellings[key]}")
            close = difflib.get_close_matches(key, own, n=1, cutoff=0.8)
            if close:
                raise ValueError(f"Invalid key {key!r} in param group {index}: not a key of {name} "
                                 f"or its base optimizer; did you mean {close[0]!r}?")

    def zero_grad(self, set_to_none: bool = True) -> None:
        """``torch.optim.Optimizer.zero_grad``, refusing a ``set_to_none`` that is not a bool
        (a string such as ``"no"`` would be truthy)."""
        check_bool("set_to_none", set_to_none)
        super().zero_grad(set_to_none)

    # ------------------------------------------------------------------ state
    @property
    def grad_evals(self) -> int:
        """Number of gradient evaluations (closure calls = forward+backward passes) so far."""
        return self.counters["grad_evals"]

    def state_dict(self) -> Dict[str, Any]:
        """The base optimizer's state and the shared param groups, plus the counters under ``"cgdopt"``."""
        sd = super().state_dict()
        sd[STATE_KEY] = {k: (v.clone() if isinstance(v, torch.Tensor) else v)
                         for k, v in self.counters.items()}
        sd[STATE_KEY].update(self._meta())
        return sd

    #: the options that define the algorithm: saved in ``state_dict()["cgdopt"]["config"]``,
    #: and a checkpoint saved with other values is refused at load (the others -- restore,
    #: nonfinite, foreach, compile, model -- may change between runs)
    _config_keys: tuple = ("every", "local_probe")

    def _meta(self) -> Dict[str, Any]:
        return {"optimizer": type(self).__name__, "base": type(self.base_optimizer).__name__,
                "param_shapes": [list(p.shape) for g in self.param_groups for p in g["params"]],
                "config": {k: getattr(self, k) for k in self._config_keys}}

    def _check_loaded_values(self, sd: Dict[str, Any], counters: Optional[Dict[str, Any]]) -> None:
        """Refuse impossible group values or counters in a state dict, before anything is loaded."""
        name = type(self).__name__
        for i, group in enumerate(sd["param_groups"]):
            for key in self._own_keys + ("lr",):
                why = group_bound_violation(key, group[key]) if key in group else None
                if why:
                    raise ValueError(f"{name}.load_state_dict: {key}={group[key]!r} in param group "
                                     f"{i} {why}")
        for key, value in (counters or {}).items():
            why = _counter_problem(key, value)
            if why:
                raise ValueError(f"{name}.load_state_dict: counter {key!r}={value!r} in "
                                 f"state_dict()['{STATE_KEY}'] {why}")

    def _check_loadable(self, sd: Dict[str, Any], meta: Dict[str, Any]) -> None:
        """Refuse, at load time, a state dict of another optimizer, base optimizer or model."""
        name, here = type(self).__name__, self._meta()
        if not isinstance(sd, dict) or "param_groups" not in sd or "state" not in sd:
            raise ValueError(f"{name}.load_state_dict: not an optimizer state dict "
                             f"(needs 'state' and 'param_groups')")
        if "optimizer" in meta and meta["optimizer"] != here["optimizer"]:
            raise ValueError(f"{name}.load_state_dict: the state dict was saved by "
                             f"{meta['optimizer']}, not {name}")
        if "base" in meta and meta["base"] != here["base"]:
            raise ValueError(f"{name}.load_state_dict: the state dict was saved with base optimizer "
                             f"{meta['base']}, this {name} uses {here['base']}")
        saved = meta.get("config")
        if saved is not None:
            if not isinstance(saved, dict):
                raise ValueError(f"{name}.load_state_dict: state_dict()['{STATE_KEY}']['config'] "
                                 f"must be a dict, got {type(saved).__name__}")
            differ = [f"{k}={saved[k]!r} in the state dict, {here['config'][k]!r} here"
                      for k in here["config"] if k in saved and saved[k] != here["config"][k]]
            if differ:
                raise ValueError(
                    f"{name}.load_state_dict: the state dict was saved by a {name} configured "
                    f"differently: {'; '.join(differ)}. Build the {name} with the saved options "
                    f"(or delete state_dict['{STATE_KEY}']['config'] to load it anyway)")
        if not isinstance(sd["param_groups"], list):
            raise ValueError(f"{name}.load_state_dict: 'param_groups' must be a list")
        for i, group in enumerate(sd["param_groups"]):
            if not isinstance(group, dict):
                raise ValueError(f"{name}.load_state_dict: param group {i} is a "
                                 f"{type(group).__name__}, not a dict")
            missing = [k for k in self._own_keys if k not in group]
            if missing:
                raise ValueError(f"{name}.load_state_dict: param group {i} of the state dict lacks "
                                 f"{missing}: it was not saved by {name}")
        shapes = meta.get("param_shapes")
        if shapes is None:  # older checkpoints: compare the parameter-shaped state tensors
            ids = [i for g in sd["param_groups"] for i in g["params"]]
            shapes = [None] * len(ids)
            for k, i in enumerate(ids):
                for v in sd["state"].get(i, {}).values():
                    if isinstance(v, torch.Tensor) and v.dim() > 0:
                        shapes[k] = list(v.shape)
        mine = here["param_shapes"]
        if len(shapes) != len(mine):
            raise ValueError(f"{name}.load_state_dict: the state dict has {len(shapes)} parameters, "
                             f"this optimizer {len(mine)}")
        for k, (a, b) in enumerate(zip(shapes, mine)):
            if a is not None and list(a) != b:
                raise ValueError(f"{name}.load_state_dict: parameter {k} has shape {tuple(b)} here "
                                 f"but {tuple(a)} in the state dict (a model of another shape)")

    def load_state_dict(self, state_dict: Dict[str, Any]) -> None:
        """Load a state dict from :meth:`state_dict` into the base optimizer and the wrapper."""
        for pre_hook in self._optimizer_load_state_dict_pre_hooks.values():
            result = pre_hook(self, state_dict)
            if result is not None:
                state_dict = result
        if not isinstance(state_dict, dict):
            raise TypeError(f"{type(self).__name__}.load_state_dict: state_dict must be a dict (from "
                            f"state_dict()), got {type(state_dict).__name__}")
        sd = dict(state_dict)
        counters = sd.pop(STATE_KEY, None)
        counters = dict(counters) if counters is not None else None
        meta = {k: counters.pop(k) for k in META_KEYS if k in counters} if counters else {}
        self._check_loadable(sd, meta)
        self._check_loaded_values(sd, counters)
        self.base_optimizer.load_state_dict(sd)
        self.param_groups = self.base_optimizer.param_groups
        self.state = self.base_optimizer.state
        restored = _fresh_counters()
        if counters:
            restored.update({k: (v.clone() if isinstance(v, torch.Tensor) else v)
                             for k, v in counters.items()})
        self.counters = restored
        for post_hook in self._optimizer_load_state_dict_post_hooks.values():
            post_hook(self)

    def __getstate__(self) -> Dict[str, Any]:
        # torch pickles only defaults/state/param_groups; keep the base optimizer and the
        # settings too (copy.deepcopy keeps the sharing of groups and state with the base)
        # the compiled kernels are rebuilt on first use, not pickled
        return {k: (None if k in ("_kernels_cache", "_spare") else v)
                for k, v in self.__dict__.items() if not k.startswith("_optimizer_")}

    def _extra_repr(self) -> str:
        return f"base={type(self.base_optimizer).__name__}"

    def __repr__(self) -> str:
        text = super().__repr__()
        head, _, rest = text.partition("\n")
        return f"{type(self).__name__} ({self._extra_repr()})\n{rest}"

    # ------------------------------------------------------------------ helpers for step()
    @property
    def _kernels(self) -> Kernels:
        """The element-wise update kernels: eager, or compiled with ``torch.compile`` (``compile=``)."""
        if getattr(self, "compile", None) is None:
            return EAGER
        if self._kernels_cache is None:
            self._kernels_cache = Kernels(self.compile)
        return self._kernels_cache

    def _ops(self, params: List[torch.Tensor]):
        foreach = self.foreach
        if foreach is None:
            foreach = bool(params) and all(p.is_cuda for p in params)
        return FOREACH_OPS if foreach else LOOP_OPS

    def _init_group(self, group, params: List[torch.Tensor], grads: List[torch.Tensor]) -> None:
        """Collect the params of ``group`` that have a gradient, and the gradients (torch.optim style)."""
        for p in group["params"]:
            if p.grad is None:
                continue
            if p.is_meta:
                raise RuntimeError(f"{type(self).__name__}: a parameter is on the meta device (no "
                                   f"values); materialize the model (to_empty and initialize) "
                                   f"before stepping")
            if p.grad.is_sparse:
                raise RuntimeError(f"{type(self).__name__} does not support sparse gradients")
            params.append(p)
            grads.append(p.grad)

    def _groups_with_grad(self):
        """Per group: ``(group, params with a gradient)``.

        The gradients themselves are deliberately not kept: the closure of the next pass
        usually sets ``p.grad = None``, and a list still holding the clean-pass gradients
        would keep one more parameter-sized buffer alive during the probe pass.
        """
        out = []
        for group in self.param_groups:
            ps: List[torch.Tensor] = []
            self._init_group(group, ps, [])
            out.append((group, ps))
        if not any(ps for _, ps in out):
            raise RuntimeError(
                f"{type(self).__name__}: no parameter has a gradient after the closure (or before "
                f"first_step()): did it call loss.backward()?  Nothing was changed")
        return out

    def _regularize_now(self) -> bool:
        """``every=k``: this step (counted from 0) regularizes iff its number is a multiple of k."""
        return self.counters["step"] % self.every == 0

    def _evaluate(self, closure: Callable, probe: bool):
        """One gradient evaluation: run the closure (probe passes with BatchNorm stats frozen;
        with ``local_probe=True`` both passes under the DDP module's ``no_sync()``)."""
        with contextlib.ExitStack() as stack:
            stack.enter_context(torch.enable_grad())
            if probe:
                stack.enter_context(disable_running_stats(self.model))
            if self.local_probe:
                stack.enter_context(self.model.no_sync())
            loss = closure()
        self.counters["grad_evals"] += 1
        return loss

    @staticmethod
    def _grads_are_views(params: List[torch.Tensor]) -> bool:
        """True if a gradient is a view into a larger tensor: DDP's
        ``gradient_as_bucket_view=True`` makes ``p.grad`` a view into its communication
        bucket, which must be kept (zeroed in place, never replaced)."""
        return any(p.grad is not None and p.grad._is_view() for p in params)

    def _zero_grads(self, params: List[torch.Tensor], ops) -> None:
        """Drop the gradients before a probe pass, so that the pass computes its own.

        ``p.grad`` is set to ``None`` (the backward then writes a fresh tensor, no zeroing
        pass, and a tensor the optimizer still holds, such as :math:`g`, is not
        overwritten); a gradient that is a view (DDP bucket, :meth:`_grads_are_views`)
        is zeroed in place instead, so the view stays the bucket's.
        """
        grads = []
        for p in params:
            if p.grad is not None:
                if p.grad.grad_fn is not None or not p.grad._is_view():
                    p.grad = None
                else:  # a view cannot be detach_()ed: it has no graph (grad_fn is None)
                    p.grad.requires_grad_(False)
                    grads.append(p.grad)
        ops.zero_(grads)

    def _any_nonfinite(self, found_inf: Dict) -> bool:
        """Host-side read of the flags of :meth:`_unscale_check` (one synchronization)."""
        return any(bool(v.item()) for v in found_inf.values())

    def _allreduce_mean(self, tensors: List[torch.Tensor], extra: Optional[torch.Tensor] = None):
        """Average ``tensors`` (in place) over the DDP process group; ``extra`` (a 0-dim float
        tensor) is summed, not averaged, riding in the first all-reduce.  Returns the summed ``extra``.

        One all-reduce per chunk of at most the DDP module's ``bucket_bytes_cap`` (its
        ``bucket_cap_mb``, 25 MiB by default) within a (device, dtype) bucket: a chunk of several
        tensors goes through one flat temporary of its size, a tensor larger than the cap is
        all-reduced in place, so the transient memory stays within one DDP bucket.
        """
        import torch.distributed as dist
        if not (dist.is_available() and dist.is_initialized()):
            return extra
        group = getattr(self.model, "process_group", None)
        world = dist.get_world_size(group)
        cap = getattr(self.model, "bucket_bytes_cap", DDP_BUCKET_BYTES)
        from torch._utils import _flatten_dense_tensors, _unflatten_dense_tensors
        summed, pending = extra, extra is not None
        for idx in buckets(tensors):
            for chunk in chunks([tensors[i] for i in idx], cap):
                parts = list(chunk)
                if pending:
                    parts.append(extra.to(chunk[0].dtype).reshape(1) * world)
                if len(parts) == 1 and parts[0].is_contiguous():
                    dist.all_reduce(parts[0], group=group)
                    parts[0].div_(world)
                    continue
                flat = _flatten_dense_tensors(parts)
                dist.all_reduce(flat, group=group)
                flat.div_(world)
                outs = _unflatten_dense_tensors(flat, parts)
                for t, o in zip(chunk, outs):
                    t.copy_(o)
                if pending:
                    summed, pending = outs[-1].reshape(()).to(extra.dtype), False
                del flat, outs
        return summed

    @staticmethod
    def _agree(found_inf: Dict, params: List[torch.Tensor]) -> None:
        """FSDP2 (DTensor parameters): each rank checked its own shards only; take the
        maximum over the device mesh so that every rank skips the same steps."""
        if not found_inf or not params:
            return
        mesh = getattr(params[0], "device_mesh", None)
        if mesh is None:
            return
        import torch.distributed as dist
        for dim in range(mesh.ndim):
            for v in found_inf.values():
                dist.all_reduce(v, op=dist.ReduceOp.MAX, group=mesh.get_group(dim))

    @staticmethod
    def _unscale_check(grads: List[torch.Tensor], found_inf: Dict, inv_scale: Optional[float]) -> None:
        """Flag non-finite gradients per device (and divide by the loss scale, if any), in place.

        The flag is set iff an element is ``inf`` or ``nan``.  On the CPU without a loss
        scale a first screen sums each gradient and adds the sums (one read, cheaper than
        the exact check): a non-finite element makes the total non-finite; only when the
        total is not finite (a non-finite element, or a sum that overflowed) does the
        exact multi-tensor check run and decide.  Elsewhere (CUDA, a GradScaler, DTensor shards) only the exact
        check runs, without host synchronization.
        """
        for idx in buckets(grads):
            gs = [grads[i] for i in idx]
            dev = gs[0].device
            if dev not in found_inf:
                found_inf[dev] = torch.zeros((), dtype=torch.float32, device=dev)
            if (inv_scale is None and dev.type == "cpu"
                    and all(type(g) is torch.Tensor for g in gs)
                    and math.isfinite(float(torch.stack([g.sum() for g in gs]).sum()))):
                continue  # CPU: reading the screen's result costs no synchronization
            inv = torch.full((), 1.0 if inv_scale is None else inv_scale,
                             dtype=torch.float32, device=dev)
            torch._amp_foreach_non_finite_check_and_unscale_(gs, found_inf[dev], inv)

    @staticmethod
    def _offset_fits(params: List[torch.Tensor], offsets: List[torch.Tensor], scale: float) -> bool:
        r"""Whether :math:`\theta + s\,d` (:math:`|s| \le` ``scale``) stays in the range of the
        parameters' dtype, checked for the narrow floating-point dtypes only (``float16``:
        largest value 65504, where :math:`|\theta|` near the limit is plausible).

        ``restore="subtract"`` asks before moving :math:`\theta`: an offset that overflows
        cannot be subtracted again (``inf - x`` is ``inf``).  The wider dtypes are not
        screened (one more read of :math:`\theta` per step, about 5 % of a CPU step on the
        MLPs of ``benchmarks/nn_speed.py``); an overflow there is found after the pass
        (:meth:`_check_restored`).
        """
        for q, d in zip(params, offsets):
            if not q.is_floating_point() or torch.finfo(q.dtype).max >= NARROW_MAX or q.numel() == 0:
                continue
            reach = float(q.detach().abs().amax()) + scale * float(d.detach().abs().amax())
            if not math.isfinite(reach) or reach > torch.finfo(q.dtype).max:
                return False
        return True

    def _check_restored(self, params: List[torch.Tensor]) -> None:
        """After a skipped step under ``restore="subtract"``: refuse to go on if subtracting the
        offset did not bring the parameters back (the offset overflowed their dtype)."""
        bad = [i for i, q in enumerate(params) if not bool(torch.isfinite(q).all())]
        if bad:
            raise FloatingPointError(
                f"{type(self).__name__}: restore='subtract' could not bring the parameters back in "
                f"step {self.counters['step']}: the probe offset overflowed "
                f"{params[bad[0]].dtype} and parameter(s) {bad[:5]} are now inf or NaN. Reload a "
                f"checkpoint; restore='copy' keeps an exact copy of the parameters instead")

    def _check_closure(self, closure) -> None:
        if closure is None:
            raise RuntimeError(
                f"{type(self).__name__}.step() requires a closure that zeroes the gradients, "
                f"computes the loss, calls loss.backward() and returns the loss: it evaluates "
                f"the gradient at more than one point per step")
        if not callable(closure):
            raise TypeError(f"closure must be callable, got {type(closure).__name__}")

    def _scaler(self, grad_scaler):
        if grad_scaler is not None and not isinstance(grad_scaler, torch.amp.GradScaler):
            raise TypeError(f"Invalid grad_scaler: {type(grad_scaler).__name__} (must be a "
                            f"torch.amp.GradScaler or None)")
        if grad_scaler is None or not grad_scaler.is_enabled():
            return None, None
        return grad_scaler, 1.0 / float(grad_scaler.get_scale())

    def _finish(self, flat_params, found_inf: Dict, scaler, scale_inv, moved: bool = False) -> bool:
        """Hand the final gradients in ``p.grad`` to the base optimizer (or skip). True if stepped.

        ``moved``: the parameters were offset and brought back by subtraction in this step;
        when a pass was not finite they are checked (:meth:`_check_restored`).
        """
        c = self.counters
        c["step"] += 1
        self._agree(found_inf, flat_params)
        if moved and found_inf and self._any_nonfinite(found_inf):
            self._check_restored(flat_params)
        if scaler is not None:
            # back to the scaled domain (exact: the scale is a power of two), poisoned with NaN
            # when any pass overflowed, so that the scaler's own check skips the base step
            grads = [p.grad for p in flat_params]
            scale = 1.0 / scale_inv
            for idx in buckets(grads):
                gs = [grads[i] for i in idx]
                dev = gs[0].device
                bad = found_inf.get(dev)
                for g in gs:
                    g.mul_(scale)
                if bad is not None:
                    poison = torch.where(bad > 0, float("nan"), 0.0).to(gs[0].dtype)
                    for g in gs:
                        g.add_(poison)
            scaler.step(self.base_optimizer)
            return True
        if self.nonfinite != "ignore" and found_inf:
            if self._any_nonfinite(found_inf):
                c["skipped"] += 1
                if self.nonfinite == "raise":
                    raise FloatingPointError(
                        f"{type(self).__name__}: non-finite loss or gradient in step {c['step']}; "
                        f"parameters and base optimizer state were left unchanged")
                return False
        self.base_optimizer.step()
        return True
