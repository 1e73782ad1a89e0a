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
from ._batchnorm import disable_running_stats
from ._flooding import flooding
from ._gr import GR
from ._sam import SAM
from ._schedulers import CosineDecay, LinearDecay, LinearWarmup, ParamGroupLambda

__all__ = ["GR", "SAM", "flooding", "disable_running_stats",
           "ParamGroupLambda", "LinearWarmup", "LinearDecay", "CosineDecay"]
