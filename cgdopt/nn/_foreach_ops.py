"""Ops objects that let :mod:`cgdopt.directions` run on lists of tensors.

The direction rules in :mod:`cgdopt.directions` are written once against four
primitives (``axpby``, ``signed_power``, ``dot``, ``sum_abs_pow``).  Here a
*vector* is a flat Python list of tensors (the parameters of an optimizer, or
their gradients); it may mix devices and dtypes.

* :class:`ForeachOps` uses the multi-tensor kernels ``torch._foreach_*``, one
  launch per (device, dtype) bucket, like ``torch.optim``'s foreach paths.
* :class:`LoopOps` does the same arithmetic with a Python ``for`` loop over
  the tensors (the reference implementation; parity is tested).

Both perform the *same* elementwise operations in the same order, so their
results agree bit for bit on CPU.

Reductions
----------
``dot`` returns a 0-dim tensor (on the device of the first tensor), never a
Python float, so that :func:`cgdopt.directions.is_descent` (``dot > 0``)
stays on the device and does not synchronize a GPU.  ``sum_abs_pow`` returns
a Python float: it is only used by ``penalty="norm"``, whose coefficient
``c = ||g||_p^(1-p)`` is branched on in :func:`~cgdopt.directions.penalty_coefficient`
(``c = 0`` at ``g = 0``) and therefore needs the value on the host anyway.

Beyond the four primitives of the rules, the optimizers use a few helpers
(``add_``, ``copy_``, ``lerp_``, ``zero_``, ``clone``, ``mul``, ``mul_``, ``select``, ``norm``) that
are defined here as well, so that the whole step runs through one ops object.
"""
from __future__ import annotations

from typing import Callable, Iterator, List, Sequence

import torch

Tensors = List[torch.Tensor]

__all__ = ["ForeachOps", "LoopOps", "FOREACH_OPS", "LOOP_OPS", "buckets", "chunks",
           "DDP_BUCKET_BYTES"]

#: ``DistributedDataParallel``'s default ``bucket_cap_mb`` (25 MiB), in bytes
DDP_BUCKET_BYTES = 25 * 2**20


def buckets(tensors: Sequence[torch.Tensor]) -> List[List[int]]:
    """Indices of ``tensors`` grouped by ``(device, dtype)`` (one group when homogeneous)."""
    if not tensors:
        return []
    d0, t0 = tensors[0].device, tensors[0].dtype
    if all(t.device == d0 and t.dtype == t0 for t in tensors):
        return [list(range(len(tensors)))]
    groups: dict = {}
    for i, t in enumerate(tensors):
        groups.setdefault((t.device, t.dtype), []).append(i)
    return list(groups.values())


def chunks(tensors: Sequence[torch.Tensor], cap: int) -> Iterator[List[torch.Tensor]]:
    """Consecutive runs of ``tensors`` of at most ``cap`` bytes each (a larger tensor alone).

    >>> [len(c) for c in chunks([torch.zeros(4), torch.zeros(4), torch.zeros(9)], cap=32)]
    [2, 1]
    """
    run: List[torch.Tensor] = []
    size = 0
    for t in tensors:
        nbytes = t.numel() * t.element_size()
        if run and size + nbytes > cap:
            yield run
            run, size = [], 0
        run.append(t)
        size += nbytes
    if run:
        yield run


def _scalar_on(s, device):
    """A Python number stays a number; a tensor scalar is moved to ``device``."""
    if isinstance(s, torch.Tensor):
        return s.to(device)
    return s


def _reduction_dtype(t: torch.Tensor):
    """``float32`` for the half-precision dtypes, else ``None`` (the tensor's own): a norm of
    ``float16`` values above 256 squares to more than its largest value, 65504."""
    return torch.float32 if t.dtype in (torch.float16, torch.bfloat16) else None


class _OpsBase:
    """Shared bookkeeping: bucketing and the reduction across buckets."""

    foreach = False

    # -- per-bucket kernels, overridden by the two subclasses ------------------
    def _axpby(self, a, xs: Tensors, b, ys: Tensors) -> Tensors:  # pragma: no cover
        raise NotImplementedError

    # -- helpers ---------------------------------------------------------------
    @staticmethod
    def _map(fn: Callable, *lists: Sequence[torch.Tensor]) -> Tensors:
        x = lists[0]
        if not x:
            return []
        groups = buckets(x)
        if len(groups) == 1:
            return list(fn(*[list(l) for l in lists]))
        out: list = [None] * len(x)
        for idx in groups:
            res = fn(*[[l[i] for i in idx] for l in lists])
            for i, r in zip(idx, res):
                out[i] = r
        return out

    @staticmethod
    def _each(fn: Callable, *lists: Sequence[torch.Tensor]) -> None:
        x = lists[0]
        if not x:
            return
        groups = buckets(x)
        if len(groups) == 1:
            fn(*[list(l) for l in lists])
            return
        for idx in groups:
            fn(*[[l[i] for i in idx] for l in lists])

    @staticmethod
    def _sum_scalars(parts: Sequence[torch.Tensor]) -> torch.Tensor:
        total = parts[0]
        for s in parts[1:]:
            total = total + s.to(total.device)
        return total

    @staticmethod
    def _dot(xs, ys):
        # one vdot per tensor: no parameter-sized temporary (a foreach product plus a
        # concatenation would hold two); the same kernel in both paths keeps them bit-identical
        return torch.stack([torch.vdot(x.reshape(-1), y.reshape(-1)) for x, y in zip(xs, ys)]).sum()

    # -- the four primitives of cgdopt.directions --------------------------------
    def axpby(self, a, x: Tensors, b, y: Tensors) -> Tensors:
        """Return the new list ``a * x + b * y`` (``a``, ``b``: numbers or 0-dim tensors)."""
        return self._map(lambda xs, ys: self._axpby(a, xs, b, ys), x, y)

    def signed_power(self, x: Tensors, q: float) -> Tensors:
        """Return ``sign(x) * |x|**q`` (``x`` itself for ``q == 1``, no copy)."""
        if q == 1.0:
            return x
        return self._map(lambda xs: self._signed_power(xs, q), x)

    def dot(self, x: Tensors, y: Tensors) -> torch.Tensor:
        """Return ``<x, y>`` as a 0-dim tensor (no host synchronization)."""
        if not x:
            return torch.zeros(())
        parts = []
        for idx in buckets(x):
            parts.append(self._dot([x[i] for i in idx], [y[i] for i in idx]))
        return self._sum_scalars(parts)

    def sum_abs_pow(self, x: Tensors, p: float) -> float:
        """Return ``sum_i |x_i|^p`` over all elements as a Python float."""
        if not x:
            return 0.0
        total = 0.0
        for idx in buckets(x):
            norms = self._norms([x[i] for i in idx], float(p), _reduction_dtype(x[idx[0]]))
            total += float(torch.stack([n.double() for n in norms]).pow(float(p)).sum())
        return total

    # -- helpers used by the optimizers ------------------------------------------
    def norm(self, x: Tensors) -> torch.Tensor:
        """Euclidean norm of the whole list as a 0-dim tensor (no synchronization)."""
        if not x:
            return torch.zeros(())
        parts = []
        for idx in buckets(x):
            norms = self._norms([x[i] for i in idx], 2.0, _reduction_dtype(x[idx[0]]))
            parts.append(torch.stack(norms).square().sum())
        return self._sum_scalars(parts).sqrt()

    def select(self, cond, x: Tensors, y: Tensors) -> Tensors:
        """``x if cond else y`` for a scalar condition: a bool, or a 0-dim bool tensor.

        A plain tensor on the CPU is read (no synchronization to wait for) and one of the
        lists returned, with no pass over the elements; elsewhere (CUDA, DTensor) the
        choice is made on the device without synchronization and written into ``x``.
        """
        if not isinstance(cond, torch.Tensor):
            return x if cond else y
        if type(cond) is torch.Tensor and cond.device.type == "cpu":
            # one torch.where per tensor costs 0.9 ms on MLP-2's 1.6 M parameters (timed
            # alone, one thread): 4 % of its SGD step
            return x if bool(cond) else y
        for xi, yi in zip(x, y):
            torch.where(cond.to(xi.device), xi, yi, out=xi)
        return x


class ForeachOps(_OpsBase):
    """Multi-tensor primitives on ``torch._foreach_*`` kernels, bucketed by device and dtype."""

    foreach = True

    @staticmethod
    def _axpby(a, xs, b, ys):
        d = xs[0].device
        out = torch._foreach_mul(xs, _scalar_on(a, d))
        if isinstance(b, torch.Tensor):
            torch._foreach_add_(out, torch._foreach_mul(ys, b.to(d)))
        else:
            torch._foreach_add_(out, ys, alpha=b)
        return out

    @staticmethod
    def _signed_power(xs, q):
        if q == 0.0:
            return torch._foreach_sign(xs)
        out = torch._foreach_abs(xs)
        torch._foreach_pow_(out, q)
        torch._foreach_mul_(out, torch._foreach_sign(xs))
        return out


    @staticmethod
    def _norms(xs, p, dtype=None):
        return list(torch._foreach_norm(xs, p, dtype=dtype))

    def add_(self, x: Tensors, y: Tensors, alpha=1.0) -> None:
        """In place ``x += alpha * y``."""
        if isinstance(alpha, torch.Tensor):
            self._each(lambda xs, ys: torch._foreach_add_(
                xs, torch._foreach_mul(ys, alpha.to(xs[0].device))), x, y)
        else:
            self._each(lambda xs, ys: torch._foreach_add_(xs, ys, alpha=alpha), x, y)

    def copy_(self, dst: Tensors, src: Tensors) -> None:
        """In place ``dst[i] <- src[i]``."""
        self._each(lambda ds, ss: torch._foreach_copy_(ds, ss), dst, src)

    def lerp_(self, x: Tensors, y: Tensors, w: float) -> None:
        """In place ``x <- x + w * (y - x)`` (one pass; ``w`` a number of any sign, or a 0-dim tensor)."""
        self._each(lambda xs, ys: torch._foreach_lerp_(xs, ys, _scalar_on(w, xs[0].device)), x, y)

    def clone(self, x: Tensors) -> Tensors:
        """New tensors with the values of ``x`` (one multi-tensor copy per bucket)."""
        return self._map(lambda xs: torch._foreach_mul(xs, 1.0), x)

    def zero_(self, x: Tensors) -> None:
        """In place ``x <- 0``."""
        self._each(torch._foreach_zero_, x)

    def mul(self, x: Tensors, s) -> Tensors:
        """New list ``s * x`` (``s`` a number or a 0-dim tensor)."""
        return self._map(lambda xs: torch._foreach_mul(xs, _scalar_on(s, xs[0].device)), x)

    def mul_(self, x: Tensors, s) -> None:
        """In place ``x *= s``."""
        self._each(lambda xs: torch._foreach_mul_(xs, _scalar_on(s, xs[0].device)), x)


class LoopOps(_OpsBase):
    """The same primitives as :class:`ForeachOps`, one tensor at a time."""

    foreach = False

    @staticmethod
    def _axpby(a, xs, b, ys):
        d = xs[0].device
        a = _scalar_on(a, d)
        out = [x.mul(a) for x in xs]
        if isinstance(b, torch.Tensor):
            b = b.to(d)
            for o, y in zip(out, ys):
                o.add_(y.mul(b))
        else:
            for o, y in zip(out, ys):
                o.add_(y, alpha=b)
        return out

    @staticmethod
    def _signed_power(xs, q):
        if q == 0.0:
            return [x.sign() for x in xs]
        return [x.abs().pow_(q).mul_(x.sign()) for x in xs]


    @staticmethod
    def _norms(xs, p, dtype=None):
        return [torch.linalg.vector_norm(x, p, dtype=dtype) for x in xs]

    def add_(self, x: Tensors, y: Tensors, alpha=1.0) -> None:
        """In place ``x += alpha * y``."""
        for xi, yi in zip(x, y):
            if isinstance(alpha, torch.Tensor):
                xi.add_(yi.mul(alpha.to(xi.device)))
            else:
                xi.add_(yi, alpha=alpha)

    def copy_(self, dst: Tensors, src: Tensors) -> None:
        """In place ``dst[i] <- src[i]``."""
        for d, s in zip(dst, src):
            d.copy_(s)

    def lerp_(self, x: Tensors, y: Tensors, w: float) -> None:
        """In place ``x <- x + w * (y - x)`` (one pass; ``w`` a number of any sign, or a 0-dim tensor)."""
        for xi, yi in zip(x, y):
            xi.lerp_(yi, _scalar_on(w, xi.device))

    def clone(self, x: Tensors) -> Tensors:
        """New tensors with the values of ``x``."""
        return [t.mul(1.0) for t in x]

    def zero_(self, x: Tensors) -> None:
        """In place ``x <- 0``."""
        for t in x:
            t.zero_()

    def mul(self, x: Tensors, s) -> Tensors:
        """New list ``s * x``."""
        return [t.mul(_scalar_on(s, t.device)) for t in x]

    def mul_(self, x: Tensors, s) -> None:
        """In place ``x *= s``."""
        for t in x:
            t.mul_(_scalar_on(s, t.device))


FOREACH_OPS = ForeachOps()
LOOP_OPS = LoopOps()
