"""PyTorch gradient-regularization optimizers built on :mod:`cgdopt.directions`.

* :class:`GR` -- finite-difference (F-GR, B-GR, central) and double-backprop gradient
  regularization around any ``torch.optim.Optimizer``.
* :class:`SAM` -- sharpness-aware minimization (and ASAM) around any base optimizer.
* :func:`flooding` -- the flooded loss ``|L - b| + b``.
* :func:`disable_running_stats` -- freeze BatchNorm running statistics in a ``with`` block.
* :class:`ParamGroupLambda`, :class:`LinearWarmup`, :class:`LinearDecay`, :class:`CosineDecay`
  -- schedules for ``gr_gamma``, ``gr_eps``, ``sam_rho`` (any param-group entry).

See ``docs/nn.md`` for the user guide.
"""
try:
    import torch as _torch  # noqa: F401  (only to give a clear error when it is missing)
except ImportError as _exc:
    raise ImportError(
        "cgdopt.nn needs PyTorch, which is not installed. Install it with "
        "`pip install cgdopt[nn]` (from a clone: `pip install -e \".[nn]\"`); for a CPU-only "
        "torch see the install section of docs/getting-started.md.") from _exc

from ._batchnorm import disable_running_stats
from ._flooding import flooding
from ._gr import GR
from ._sam import SAM
from ._schedulers import CosineDecay, LinearDecay, LinearWarmup, ParamGroupLambda

__all__ = ["GR", "SAM", "flooding", "disable_running_stats",
           "ParamGroupLambda", "LinearWarmup", "LinearDecay", "CosineDecay"]
