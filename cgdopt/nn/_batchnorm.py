"""Keep BatchNorm running statistics out of the probe passes.

A gradient-regularization step evaluates the loss at the clean point ``theta``
and at one or two *probe* points ``theta +- eps * u``.  In training mode every
forward pass through a BatchNorm layer updates ``running_mean``,
``running_var`` and ``num_batches_tracked``; without care they are updated
twice (or three times) per step, once from a perturbed network.

:func:`disable_running_stats` switches ``track_running_stats`` off on every
``torch.nn.modules.batchnorm._BatchNorm`` (``BatchNorm1d/2d/3d``,
``SyncBatchNorm``, the lazy variants) for the duration of a ``with`` block.
In training mode such a layer still normalizes with the statistics of the
current mini-batch (exactly as in the clean pass) but passes ``None`` buffers
to ``F.batch_norm`` and does not increment ``num_batches_tracked``: the
buffers are not touched at all.  In eval mode the running statistics are used
for normalization as usual.  :class:`cgdopt.nn.GR` and :class:`cgdopt.nn.SAM`
wrap their probe passes in it when given ``model=``.
"""
from __future__ import annotations

import contextlib
from typing import Iterator

import torch
from torch.nn.modules.batchnorm import _BatchNorm

__all__ = ["disable_running_stats"]


@contextlib.contextmanager
def disable_running_stats(model: torch.nn.Module | None) -> Iterator[None]:
    """Context manager: BatchNorm layers of ``model`` do not update their running statistics.

    Parameters
    ----------
    model : torch.nn.Module or None
        Searched with ``model.modules()`` (so a ``DistributedDataParallel``
        wrapper works too).  ``None`` does nothing.

    Examples
    --------
    >>> import torch
    >>> net = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4))
    >>> before = net[1].running_mean.clone()
    >>> with disable_running_stats(net):
    ...     _ = net(torch.randn(8, 3))
    >>> bool((net[1].running_mean == before).all()), int(net[1].num_batches_tracked)
    (True, 0)
    """
    if model is None:
        yield
        return
    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"disable_running_stats: model must be a torch.nn.Module or None, got "
                        f"{type(model).__name__}")
    switched = []
    for m in model.modules():
        if isinstance(m, _BatchNorm) and m.track_running_stats:
            m.track_running_stats = False
            switched.append(m)
    try:
        yield
    finally:
        for m in switched:
            m.track_running_stats = True
