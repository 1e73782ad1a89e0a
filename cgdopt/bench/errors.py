"""The bench's input error: raised before any work starts, shown by the CLI as one line (exit 2)."""
from __future__ import annotations

__all__ = ["BenchInputError"]


class BenchInputError(ValueError):
    """Bad bench input (unknown name, bad number, bad output directory).

    The message is one line naming the flag, the value given, what is
    accepted and, where there is one, the closest valid name.
    """
