"""Exceptions that end a run with a status (raised inside the loop, caught by the solver)."""
from __future__ import annotations


class BudgetExhausted(Exception):
    """Raised instead of making a gradient evaluation beyond the budget (status 2)."""


class NonFinite(Exception):
    """A NaN or inf where the run cannot go on (status 3); ``what`` names the value."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


class ConstantFunction(ValueError):
    """autograd found that ``fun`` does not depend on x: its zero gradient proves nothing."""
