r"""Schedules for the regularization coefficient :math:`\lambda_k`.

A schedule maps the iteration index ``k = 0, 1, ...`` to a non-negative float.
:func:`cgdopt.minimize` accepts for ``lam`` a float (constant), any callable
``lam(k) -> float``, or one of the classes below.

The CGD paper [1]_ (Section 4) uses constant :math:`\lambda` on convex functions and
``Linear(a, b)``, "an increasing linear schedule of T values going from a to
b", on non-convex ones.  ``Linear`` needs the run length; when ``num`` is not
given, :func:`cgdopt.minimize` binds it to the budget of gradient evaluations
``T`` when one is set (the paper's convention), otherwise to ``maxiter``.

References
----------
.. [1] "CGD: Modifying the loss landscape by gradient regularization",
   Section 4 and Table 1.
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, replace
from typing import Any, Callable, Optional, Union

import numpy as np

from ._errors import InputTypeError as _WrongType

__all__ = ["Schedule", "Constant", "Linear", "as_schedule"]


def _check_value(value: Any, name: str = "lam") -> float:
    """``value`` as a float if it is a real number >= 0 (not bool, not str), else raise."""
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
        value = value.item()
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise _WrongType(f"{name} must be a float, a callable of the iteration or a "
                         f"cgdopt.schedules.Schedule, got {value!r:.60}")
    try:
        v = float(value)
    except OverflowError:
        v = math.inf
    if not math.isfinite(v) or v < 0:
        raise ValueError(f"{name} must be finite and >= 0, got {value!r}")
    return v


def _check_k(k: Any) -> None:
    """The iteration number: an int >= 0 (a negative or fractional k would extrapolate)."""
    if type(k) is not int and (isinstance(k, (bool, np.bool_))
                               or not isinstance(k, numbers.Integral)):
        raise _WrongType(f"the iteration k must be an int >= 0, got {k!r:.40}")
    if k < 0:
        raise ValueError(f"the iteration k must be an int >= 0, got {k!r}")


class Schedule:
    """Base class: ``schedule(k)`` returns :math:`\\lambda_k` for iteration ``k``."""

    def __call__(self, k: int) -> float:  # pragma: no cover - abstract
        raise NotImplementedError

    def bind(self, num: int) -> "Schedule":
        """Return the schedule specialised to a run of ``num`` iterations."""
        return self


@dataclass(frozen=True)
class Constant(Schedule):
    r"""Constant schedule :math:`\lambda_k = \lambda`."""

    value: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", _check_value(self.value, "Constant.value"))

    def __call__(self, k: int) -> float:
        _check_k(k)
        return self.value


@dataclass(frozen=True)
class Linear(Schedule):
    r"""Linear schedule from ``a`` to ``b`` over ``num`` values (the paper's Linear(a, b)).

    .. math:: \lambda_k = a + (b - a)\,\frac{\min(k, num-1)}{num - 1}

    so :math:`\lambda_0 = a`, :math:`\lambda_{num-1} = b`, and the schedule
    stays at ``b`` afterwards.  ``num=None`` lets :func:`cgdopt.minimize` bind
    the run length (the budget, or ``maxiter``).
    """

    a: float
    b: float
    num: Optional[int] = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "a", _check_value(self.a, "Linear.a"))
        object.__setattr__(self, "b", _check_value(self.b, "Linear.b"))
        num = self.num
        if num is not None:
            if not isinstance(num, numbers.Integral) or isinstance(num, (bool, np.bool_)):
                raise _WrongType(f"Linear.num must be a positive integer or None, got {num!r}")
            if num < 1:
                raise ValueError(f"Linear.num must be a positive integer or None, got {num!r}")
            object.__setattr__(self, "num", int(num))

    def bind(self, num: int) -> "Linear":
        return self if self.num is not None else replace(self, num=int(num))

    def __call__(self, k: int) -> float:
        _check_k(k)
        if self.num is None:
            raise RuntimeError("Linear schedule has no length: pass num= or call bind(num)")
        if self.num == 1:
            return self.b
        t = min(k, self.num - 1) / (self.num - 1)
        return self.a + (self.b - self.a) * t


class _Callable(Schedule):
    """Wraps a user callable and checks every value it returns."""

    def __init__(self, fn: Callable[[int], float]) -> None:
        self.fn = fn

    def __call__(self, k: int) -> float:
        _check_k(k)
        return _check_value(self.fn(k), f"lam({k})")

    def __repr__(self) -> str:
        return f"schedule({self.fn!r})"


def as_schedule(lam: Union[float, Callable[[int], float], Schedule]) -> Schedule:
    """Turn a float, callable or :class:`Schedule` into a :class:`Schedule`.

    Raises
    ------
    ValueError
        If a constant is negative or non-finite.
    TypeError
        If ``lam`` is none of the accepted kinds.
    """
    if isinstance(lam, Schedule):
        return lam
    if callable(lam):
        return _Callable(lam)
    return Constant(_check_value(lam, "lam"))
