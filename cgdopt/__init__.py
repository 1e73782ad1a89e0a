"""cgdopt: gradient-regularized optimization.

* :func:`minimize` with the methods ``gd``, ``cgd``, ``cgd-fd`` and ``newton``
  (also usable as scipy custom minimizers: :func:`gd`, :func:`cgd`,
  :func:`cgd_fd`, :func:`newton`);
* :mod:`cgdopt.directions`: the direction rules shared with :mod:`cgdopt.nn`;
* :mod:`cgdopt.schedules`: schedules for the regularization coefficient;
* :mod:`cgdopt.testfunctions`: synthetic test functions with metadata;
* :mod:`cgdopt.nn`: PyTorch optimizers (imported on demand; needs torch).
"""
from types import ModuleType

from . import directions, linesearch, schedules
from ._minimize import cgd, cgd_fd, gd, minimize, newton
from ._solver import STATUS_MESSAGES
from ._regularized import regularized_objective, stationary_points

#: The version, the single source: setup.cfg reads it (``version = attr: cgdopt.__version__``).
#: ``.devN`` while the release is being prepared (CHANGELOG.md, "unreleased").
__version__ = "0.2.0.dev0"

_LAZY = ("testfunctions", "nn", "bench")


def __getattr__(name: str) -> ModuleType:
    """Import the subpackages on first use: ``cgdopt.nn`` needs torch, which stays optional."""
    if name in _LAZY:
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
__all__ = ["minimize", "gd", "cgd", "cgd_fd", "newton", "directions", "schedules",
           "linesearch", "STATUS_MESSAGES"]
__all__ += ["regularized_objective", "stationary_points"]
