"""The one exception class of the input checks."""
from __future__ import annotations


class InputTypeError(TypeError, ValueError):
    """A value of the wrong type (a bool or str where a number goes, a non-callable ...).

    Subclasses both :class:`TypeError` (what Python raises for a wrong type)
    and :class:`ValueError` (what scipy raises for bad input), as numpy's
    ``AxisError`` subclasses both ``ValueError`` and ``IndexError``: code
    written for either keeps working.
    """
