"""``python -m cgdopt.bench``: see :mod:`cgdopt.bench.cli`."""
import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
