"""Make the shared helper module ``tf_cases`` importable (``--import-mode=importlib``)."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

from tf_cases import fn  # noqa: E402,F401  (fixture)
