r"""Schedules for the regularization hyper-parameters stored in the param groups.

:class:`~cgdopt.nn.GR` keeps :math:`\gamma` and :math:`\varepsilon` in every param group as
``gr_gamma`` and ``gr_eps``, and :class:`~cgdopt.nn.SAM` keeps :math:`\rho` as ``sam_rho``,
exactly as ``torch.optim`` keeps ``lr``: any object that writes ``group[key]`` between steps
drives them.  The schedulers here do that for a given ``key``, in the manner of
``torch.optim.lr_scheduler``: each remembers the initial value as ``group["initial_<key>"]``,
applies the factor for step 0 when constructed, and the factor for step :math:`t` at its
:math:`t`-th ``step()`` (call it after ``optimizer.step()``):

.. math:: v_t = v_0 \cdot f(t).

* :class:`ParamGroupLambda` -- any :math:`f`;
* :class:`LinearWarmup` -- :math:`f(t) = s + (1-s)\min(t, W)/W` (warm-up from :math:`s v_0`);
* :class:`LinearDecay` -- :math:`f(t) = 1 + (e-1)\min(t, T)/T`;
* :class:`CosineDecay` -- :math:`f(t) = m + (1-m)\,\tfrac12\bigl(1 + \cos(\pi \min(t,T)/T)\bigr)`
  (Loshchilov & Hutter, 2017, without restarts).

The names differ from :mod:`cgdopt.schedules` (schedules of :math:`\lambda` for
:func:`cgdopt.minimize`, functions of the iteration), which these are not.
"""
from __future__ import annotations

import math
from numbers import Real
from typing import Any, Callable, Dict

import torch

from ._base import group_bound_violation

__all__ = ["ParamGroupLambda", "LinearWarmup", "LinearDecay", "CosineDecay"]


def _check_steps(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"Invalid {name}: {value!r} (must be an int >= 1)")
    return value


def _check_factor(name: str, value, *, other: str, positive: bool = False) -> float:
    """A factor of the initial value, in [0, 1] (in (0, 1] when ``positive``): a warm-up rises
    to the initial value and a decay falls from it, as torch's ``LinearLR`` requires of its
    factors; ``other`` names the scheduler that goes the other way."""
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value) \
            or value < 0 or (positive and value == 0) or value > 1:
        raise ValueError(f"Invalid {name}: {value!r} (must be a finite number in "
                         f"{'(0, 1]' if positive else '[0, 1]'}, a factor of the initial value; "
                         f"for the other direction use {other} or ParamGroupLambda)")
    return float(value)


class ParamGroupLambda:
    r"""Set ``group[key] = group["initial_<key>"] * factor(t)`` at step :math:`t`.

    Parameters
    ----------
    optimizer : torch.optim.Optimizer
        Usually :class:`cgdopt.nn.GR` or :class:`cgdopt.nn.SAM`; every group must hold ``key``.
    factor : callable
        ``factor(t) -> float`` for the step number ``t = 0, 1, ...``.
    key : str, default "gr_gamma"
        The group entry to drive: ``"gr_gamma"``, ``"gr_eps"``, ``"sam_rho"`` (or ``"lr"``...).

    Notes
    -----
    ``state_dict()`` holds the key, the step count and the schedule (class and parameters,
    refused by :meth:`load_state_dict` of another schedule); the initial values live in the
    param groups (saved with the optimizer), as ``initial_lr`` does for torch's LR schedulers.
    """

    #: what ``state_dict()`` records of the schedule besides its class (set by subclasses)
    _schedule: Dict[str, Any] = {}

    def __init__(self, optimizer, factor: Callable[[int], float], key: str = "gr_gamma") -> None:
        if not callable(factor):
            raise TypeError(f"Invalid factor: {factor!r} (must be callable: step -> float)")
        if not isinstance(key, str) or key == "params" or key.startswith("initial_"):
            raise TypeError(f"Invalid key: {key!r} (must be a param-group key holding a number, "
                            f"such as 'gr_gamma')")
        groups = getattr(optimizer, "param_groups", None)
        if groups is None:
            raise TypeError(f"Invalid optimizer: {type(optimizer).__name__} (has no param_groups)")
        if key == "gr_eps" and getattr(optimizer, "rule", None) == "double_backprop":
            raise ValueError("Invalid key: 'gr_eps' of GR(rule='double_backprop'), which has no "
                             "probe point: a schedule of it would have no effect")
        for i, group in enumerate(groups):
            self._check_group(key, group, i)
        self.optimizer, self.key, self.factor = optimizer, key, factor
        self.last_step = -1
        self.step()

    @staticmethod
    def _check_group(key: str, group, index: int) -> None:
        """``key`` must be in the group and hold a number (a schedule multiplies it)."""
        if key not in group:
            raise ValueError(f"Invalid key: {key!r} is not in param group {index} "
                             f"(has {sorted(k for k in group if k != 'params')})")
        for k in (key, f"initial_{key}"):
            v = group.get(k, 0.0)
            if isinstance(v, torch.Tensor) and v.numel() == 1 and v.is_floating_point():
                continue
            if isinstance(v, bool) or not isinstance(v, Real):
                raise ValueError(f"Invalid key: {key!r} holds {k}={v!r} in param group {index}, "
                                 f"not a number: a schedule multiplies it by a factor")

    def _value(self, group, index: int, t: int, initial) -> float:
        f = self.factor(t)
        if isinstance(f, bool) or not isinstance(f, Real) or not math.isfinite(f):
            raise ValueError(f"{type(self).__name__}: factor({t}) = {f!r} is not a finite number")
        value = initial * float(f)
        why = group_bound_violation(self.key, value)
        if why:
            raise ValueError(f"{type(self).__name__}: factor({t}) = {f!r} gives "
                             f"{self.key} = {value!r} in param group {index} ({why})")
        return value

    def step(self) -> None:
        """Advance one step and write the new values into the param groups (all or none).

        A group added to the optimizer after the scheduler was built starts from its value
        at that moment (it becomes its ``initial_<key>``).  If a value is refused nothing
        changes, not even the step count.
        """
        t = self.last_step + 1
        groups = self.optimizer.param_groups
        initial = []
        for i, group in enumerate(groups):
            self._check_group(self.key, group, i)
            initial.append(group.get(f"initial_{self.key}", group[self.key]))
        values = [self._value(group, i, t, v0) for i, (group, v0) in enumerate(zip(groups, initial))]
        for group, v0, value in zip(groups, initial, values):
            group.setdefault(f"initial_{self.key}", v0)
            group[self.key] = value
        self.last_step = t

    def get_last_value(self) -> list:
        """The current value of ``key`` in each param group."""
        return [group[self.key] for group in self.optimizer.param_groups]

    def _description(self) -> Dict[str, Any]:
        return {"class": type(self).__name__, **self._schedule}

    def state_dict(self) -> Dict[str, Any]:
        """``key``, ``last_step`` and ``schedule`` (the class and its parameters; the factor
        of a :class:`ParamGroupLambda` is a function and is not saved)."""
        return {"key": self.key, "last_step": self.last_step, "schedule": self._description()}

    def load_state_dict(self, state_dict: Dict[str, Any]) -> None:
        """Resume at the saved step; refuse a state of another key or another schedule (a
        state without ``schedule``, from an older version, is checked by its key only)."""
        name = type(self).__name__
        keys = set(state_dict) if isinstance(state_dict, dict) else None
        if keys not in ({"key", "last_step"}, {"key", "last_step", "schedule"}):
            got = (f"a dict with keys {sorted(map(str, state_dict))}" if isinstance(state_dict, dict)
                   else type(state_dict).__name__)
            raise ValueError(f"{name}.load_state_dict: not a state of this scheduler (a dict with "
                             f"'key', 'last_step' and 'schedule' from state_dict()), got {got}")
        last = state_dict["last_step"]
        if isinstance(last, bool) or not isinstance(last, int) or last < 0:
            raise ValueError(f"{name}.load_state_dict: last_step must be an int >= 0, got {last!r}")
        if state_dict.get("key") != self.key:
            raise ValueError(f"{name}.load_state_dict: the state drives "
                             f"{state_dict.get('key')!r}, this scheduler {self.key!r}")
        saved, here = state_dict.get("schedule"), self._description()
        if saved is not None and saved != here:
            raise ValueError(f"{name}.load_state_dict: the state is of the schedule {saved}, "
                             f"this scheduler is {here}")
        previous = self.last_step
        self.last_step = last - 1
        try:
            self.step()
        except BaseException:
            self.last_step = previous
            raise


class LinearWarmup(ParamGroupLambda):
    r"""Linear warm-up: :math:`f(t) = s + (1-s)\min(t, W)/W`, then constant.

    Parameters
    ----------
    optimizer : torch.optim.Optimizer
    warmup_steps : int
        :math:`W \ge 1`.
    key : str, default "gr_gamma"
    start_factor : float, default 0.0
        :math:`0 \le s \le 1`; must be :math:`> 0` for ``key="gr_eps"`` (the probe step stays
        positive).  A factor above 1 is refused: that would be a decay (:class:`LinearDecay`).
    """

    def __init__(self, optimizer, warmup_steps: int, key: str = "gr_gamma",
                 start_factor: float = 0.0) -> None:
        W = _check_steps("warmup_steps", warmup_steps)
        s = _check_factor("start_factor", start_factor, positive=(key == "gr_eps"),
                          other="LinearDecay")
        self._schedule = {"warmup_steps": W, "start_factor": s}
        super().__init__(optimizer, lambda t: s + (1.0 - s) * min(t, W) / W, key)


class LinearDecay(ParamGroupLambda):
    r"""Linear decay to ``end_factor`` over ``total_steps``: :math:`f(t) = 1 + (e-1)\min(t,T)/T`,
    :math:`0 \le e \le 1` (:math:`e > 0` for ``key="gr_eps"``; a rise is :class:`LinearWarmup`)."""

    def __init__(self, optimizer, total_steps: int, key: str = "gr_gamma",
                 end_factor: float = 0.0) -> None:
        T = _check_steps("total_steps", total_steps)
        e = _check_factor("end_factor", end_factor, positive=(key == "gr_eps"), other="LinearWarmup")
        self._schedule = {"total_steps": T, "end_factor": e}
        super().__init__(optimizer, lambda t: 1.0 + (e - 1.0) * min(t, T) / T, key)


class CosineDecay(ParamGroupLambda):
    r"""Cosine annealing to ``min_factor``: :math:`f(t) = m + (1-m)(1+\cos(\pi\min(t,T)/T))/2`,
    :math:`0 \le m \le 1` (:math:`m > 0` for ``key="gr_eps"``).

    References
    ----------
    .. [1] I. Loshchilov, F. Hutter, "SGDR: stochastic gradient descent with warm restarts",
       ICLR 2017.
    """

    def __init__(self, optimizer, total_steps: int, key: str = "gr_gamma",
                 min_factor: float = 0.0) -> None:
        T = _check_steps("total_steps", total_steps)
        m = _check_factor("min_factor", min_factor, positive=(key == "gr_eps"), other="LinearWarmup")
        self._schedule = {"total_steps": T, "min_factor": m}
        super().__init__(
            optimizer, lambda t: m + (1.0 - m) * 0.5 * (1.0 + math.cos(math.pi * min(t, T) / T)), key)
