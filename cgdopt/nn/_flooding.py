r"""Flooding (Ishida et al., 2020): keep the training loss around a flood level.

:math:`\tilde L = |L - b| + b`.  Its gradient is :math:`\mathrm{sign}(L-b)\nabla L`: gradient
descent above the flood level, ascent below.  Karakida et al. (2023, Theorem 5.1) show that
two full-batch gradient-descent steps with learning rate :math:`\eta` that cross the flood
level from below equal one F-GR step with :math:`\varepsilon = \gamma = \eta` (B-GR when
crossing from above), without the plain-gradient part:
:math:`\theta_{t+2} = \theta_t - \eta\,\gamma\,\Delta R_F(\varepsilon)`.
"""
from __future__ import annotations

import math
from numbers import Real

import torch

__all__ = ["flooding"]


def flooding(loss: torch.Tensor, b) -> torch.Tensor:
    r"""Flooded loss :math:`|L - b| + b`.

    Parameters
    ----------
    loss : torch.Tensor
        The training loss :math:`L`, usually a scalar; a tensor of several losses (e.g. one
        per sample) is flooded element by element, to be reduced afterwards.
    b : float or torch.Tensor
        The flood level :math:`b \ge 0`.

    Returns
    -------
    torch.Tensor
        Equal to ``loss`` when ``loss >= b``; ``2 b - loss`` below the flood level.

    References
    ----------
    .. [1] T. Ishida, I. Yamane, T. Sakai, G. Niu, M. Sugiyama, "Do we need zero training
       loss after achieving zero training error?", ICML 2020.
    .. [2] R. Karakida et al., "Understanding gradient regularization in deep learning",
       ICML 2023, Theorem 5.1.
    """
    if not isinstance(loss, torch.Tensor):
        raise TypeError(f"Invalid loss: {type(loss).__name__} (must be a torch.Tensor, the loss "
                        f"before backward())")
    if not loss.is_floating_point():
        raise TypeError(f"Invalid loss: dtype {loss.dtype} (must be a real floating-point tensor)")
    if isinstance(b, torch.Tensor):
        if b.dtype == torch.bool or b.is_complex():
            raise TypeError(f"Invalid flood level b: dtype {b.dtype} (must be a real number or a "
                            f"real tensor)")
        try:
            fits = torch.broadcast_shapes(loss.shape, b.shape) == loss.shape
        except RuntimeError:
            fits = False
        if not fits:
            raise ValueError(f"Invalid flood level b: shape {tuple(b.shape)} (must be a number or a "
                             f"tensor that broadcasts to the loss's shape {tuple(loss.shape)})")
        # one host synchronization; flooding is applied once per loss evaluation
        if not bool(torch.isfinite(b).all()) or bool((b < 0).any()):
            raise ValueError(f"Invalid flood level b: {b!r} (must be finite and >= 0)")
    elif isinstance(b, bool) or not isinstance(b, Real) or not math.isfinite(b) or b < 0:
        raise ValueError(f"Invalid flood level b: {b!r} (must be a finite number >= 0)")
    return (loss - b).abs() + b
