"""Reference models for the :mod:`cgdopt.nn` benchmarks and examples.

Two families, both taking CIFAR-sized input ``(N, 3, 32, 32)``:

* :func:`mlp` -- a fully connected ReLU network of a given depth, as in the
  depth sweep of Karakida et al. (2023) [1]_, Figure 2a (width 512).
* :class:`ResNet18` -- the CIFAR variant of ResNet-18 (3x3 stem convolution,
  no max-pooling, BasicBlocks ``[2, 2, 2, 2]``, BatchNorm), following the
  widely used layout of ``kuangliu/pytorch-cifar`` after He et al. [2]_; ``width`` scales the
  channel counts for small CPU runs.

References
----------
.. [1] R. Karakida, T. Takase, T. Hayase, K. Osawa, "Understanding gradient
   regularization in deep learning: efficient finite-difference computation
   and implicit bias", ICML 2023, Section 3 and Figure 2.
.. [2] K. He, X. Zhang, S. Ren, J. Sun, "Deep residual learning for image
   recognition", CVPR 2016.
"""
from __future__ import annotations

import math
from numbers import Real
from typing import Callable

import torch
from torch import nn
import torch.nn.functional as F

__all__ = ["mlp", "BasicBlock", "ResNet18", "count_parameters"]


def _check_size(key: str, value) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{key} must be an int >= 1, got {value!r}")


def mlp(depth: int, width: int = 512, in_features: int = 3 * 32 * 32,
        num_classes: int = 10, activation: Callable[[], nn.Module] = nn.ReLU) -> nn.Sequential:
    """Fully connected network with ``depth`` linear layers.

    The input is flattened, then passes through ``depth - 1`` hidden layers
    ``Linear -> activation`` of size ``width`` and a linear output layer, so
    ``depth`` counts weight matrices, the ``L`` of the 6L (F-GR) versus 9L
    (double backpropagation) matrix-multiplication estimate of Karakida et al. (2023).

    Parameters
    ----------
    depth : int
        Number of ``nn.Linear`` layers (``>= 1``; ``depth=1`` is a linear model).
    width : int, optional
        Hidden width (default 512, as in Karakida et al. (2023)).
    in_features : int, optional
        Size of the flattened input (default ``3 * 32 * 32``).
    num_classes : int, optional
        Number of outputs (default 10).
    activation : callable, optional
        Zero-argument factory of the activation module (default ``nn.ReLU``).

    Returns
    -------
    torch.nn.Sequential
        ``Flatten, Linear, act, ..., Linear``.

    Examples
    --------
    >>> net = mlp(4, width=64)
    >>> sum(isinstance(m, nn.Linear) for m in net)
    4
    >>> net(torch.zeros(2, 3, 32, 32)).shape
    torch.Size([2, 10])
    """
    for key, value in (("depth", depth), ("width", width), ("in_features", in_features),
                       ("num_classes", num_classes)):
        _check_size(key, value)
    if isinstance(activation, nn.Module) or not callable(activation):
        raise TypeError(f"activation must be a zero-argument factory of a module (the class "
                        f"nn.ReLU, not an instance nn.ReLU()), got {activation!r}")
    sample = activation()
    if not isinstance(sample, nn.Module):
        raise TypeError(f"activation() must return a torch.nn.Module, got "
                        f"{type(sample).__name__}")
    layers: list[nn.Module] = [nn.Flatten()]
    fan_in = in_features
    for _ in range(depth - 1):
        layers += [nn.Linear(fan_in, width), activation()]
        fan_in = width
    layers.append(nn.Linear(fan_in, num_classes))
    return nn.Sequential(*layers)


class BasicBlock(nn.Module):
    """Two 3x3 convolutions with BatchNorm and an identity/projection shortcut.

    Parameters
    ----------
    in_planes, planes : int
        Input and output channels.
    stride : int, optional
        Stride of the first convolution (and of the 1x1 projection shortcut,
        used whenever the shape changes).
    """

    expansion = 1

    def __init__(self, in_planes: int, planes: int, stride: int = 1):
        super().__init__()
        for key, value in (("in_planes", in_planes), ("planes", planes), ("stride", stride)):
            _check_size(key, value)
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = nn.Sequential()
        if stride != 1 or in_planes != planes:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_planes, planes, 1, stride=stride, bias=False),
                nn.BatchNorm2d(planes),
            )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))


class ResNet18(nn.Module):
    """CIFAR-style ResNet-18 (about 11.17M parameters for 10 classes).

    3x3 stem convolution (stride 1, no max-pooling), four stages of two
    :class:`BasicBlock` each with ``64, 128, 256, 512`` channels (times
    ``width``) and strides ``1, 2, 2, 2``, global average pooling and a
    linear classifier.

    Parameters
    ----------
    num_classes : int, optional
        Number of outputs (default 10).
    width : float, optional
        Channel multiplier (default 1.0, the standard network); e.g. 0.25
        gives channels ``16, 32, 64, 128`` for quick CPU runs.
    in_channels : int, optional
        Input channels (default 3).

    Examples
    --------
    >>> net = ResNet18(width=0.25)
    >>> net(torch.zeros(2, 3, 32, 32)).shape
    torch.Size([2, 10])
    """

    def __init__(self, num_classes: int = 10, width: float = 1.0, in_channels: int = 3):
        super().__init__()
        if isinstance(width, bool) or not isinstance(width, Real) or not math.isfinite(width) \
                or width <= 0:
            raise ValueError(f"width must be a finite number > 0, got {width!r}")
        _check_size("num_classes", num_classes)
        _check_size("in_channels", in_channels)
        c = [max(1, int(round(64 * width * 2 ** i))) for i in range(4)]
        self.in_planes = c[0]
        self.conv1 = nn.Conv2d(in_channels, c[0], 3, stride=1, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(c[0])
        self.layer1 = self._make_layer(c[0], 2, stride=1)
        self.layer2 = self._make_layer(c[1], 2, stride=2)
        self.layer3 = self._make_layer(c[2], 2, stride=2)
        self.layer4 = self._make_layer(c[3], 2, stride=2)
        self.linear = nn.Linear(c[3] * BasicBlock.expansion, num_classes)

    def _make_layer(self, planes: int, num_blocks: int, stride: int) -> nn.Sequential:
        blocks = []
        for s in [stride] + [1] * (num_blocks - 1):
            blocks.append(BasicBlock(self.in_planes, planes, s))
            self.in_planes = planes * BasicBlock.expansion
        return nn.Sequential(*blocks)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.layer4(self.layer3(self.layer2(self.layer1(out))))
        out = F.adaptive_avg_pool2d(out, 1).flatten(1)
        return self.linear(out)


def count_parameters(model: nn.Module, trainable_only: bool = True) -> int:
    """Number of (trainable) scalar parameters of ``model``."""
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    if not isinstance(trainable_only, bool):
        raise TypeError(f"trainable_only must be True or False, got {trainable_only!r}")
    return sum(p.numel() for p in model.parameters() if p.requires_grad or not trainable_only)
