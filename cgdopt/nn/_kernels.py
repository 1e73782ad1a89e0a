r"""The element-wise update kernels of GR and SAM, plain functions that ``torch.compile`` can take.

A GR/SAM step is: gradient evaluations (the user's closure, never compiled here: a step
that takes a closure is not compilable as a whole), cheap checks, and a few element-wise
*kernels* over all parameters.  Those kernels live here, one function each, written
against an ops object of :mod:`cgdopt.nn._foreach_ops` (loop or ``torch._foreach_*``):

* :func:`offset_` -- :math:`\theta \mathrel{+}= \alpha\,u`: GR's probe offset and its removal
  (``restore="subtract"``), SAM's removal of :math:`e`;
* :func:`fd_combine_` -- GR's combination :math:`G = a\,g_0 + \sum_k b_k g_k`, written into
  the last probe gradient (one ``lerp_`` when there is one probe, :math:`a + b = 1`);
* :func:`sam_ascent_` -- SAM's first step: :math:`e = \rho\,T^2 g / (\|T g\|_2 + 10^{-12})`,
  :math:`\theta \mathrel{+}= e` (norm and scaling on the device, no host synchronization).

:class:`Kernels` hands them to the optimizers either as they are (eager, the default) or
wrapped in ``torch.compile`` (``GR(..., compile=True)`` / ``SAM(..., compile=...)``).
Compiled, every number that changes between steps (probe step, combination weights,
radius) is passed as a 0-dim tensor, so a schedule for ``gr_eps``/``sam_rho`` does not
trigger recompilation (TorchDynamo specializes on Python floats), and ``fullgraph=True``
is the default: the kernels contain no host synchronization and no graph break.  The
non-finite checks (``torch._amp_foreach_non_finite_check_and_unscale_``), the safeguard's
dot product, the host read of the non-finite flag and the base optimizer's step stay
eager, between the compiled kernels.

References
----------
.. [1] PyTorch, "torch.compile", https://pytorch.org/docs/stable/generated/torch.compile.html
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence

import torch

Tensors = List[torch.Tensor]

#: added to the norm, as in the reference implementations, so that g = 0 gives no NaN
NORM_EPS = 1e-12


def offset_(ops, params: Tensors, u: Tensors, alpha) -> None:
    r"""In place :math:`\theta \mathrel{+}= \alpha\, u` (``alpha``: a number or a 0-dim tensor)."""
    ops.add_(params, u, alpha=alpha)


def fd_combine_(ops, G: Tensors, g0: Tensors, probes: Sequence[Tensors], a, bs) -> None:
    r"""In place :math:`G \leftarrow a\,g_0 + \sum_k b_k\,g_k` where ``G`` is the last probe
    gradient :math:`g_K` and ``probes`` the earlier ones (coefficients from
    :func:`cgdopt.directions.fd_combination`).

    With one probe (F-GR, B-GR) :math:`a + b = 1` and this is one pass,
    :math:`G \leftarrow g_1 + a\,(g_0 - g_1)` (``lerp_``).
    """
    if len(bs) == 1:
        ops.lerp_(G, g0, a)
        return
    ops.mul_(G, bs[-1])
    for pr, b in zip(probes, bs[:-1]):
        ops.add_(G, pr, alpha=b)
    ops.add_(G, g0, alpha=a)


def sam_ascent_(ops, groups: Sequence[Tensors], grads: Sequence[Tensors], rhos: Sequence[Any],
                adaptive: Sequence[bool], keep: bool) -> Optional[Tensors]:
    r"""SAM's first step (Foret et al., 2021; ASAM, Kwon et al., 2021), in place on the parameters.

    :math:`e = \rho\, T^2 g / (\|T g\|_2 + 10^{-12})` with :math:`T = \mathrm{diag}(|\theta|)`
    for an adaptive group, else :math:`T = I`; the norm is taken over all groups.  Adds
    :math:`e` to :math:`\theta` and returns the list of :math:`e` if ``keep`` (for
    ``restore="subtract"``), else ``None``.
    """
    tg: List[torch.Tensor] = []
    for ps, gs, ada in zip(groups, grads, adaptive):
        tg.extend([q.abs() * g for q, g in zip(ps, gs)] if ada else gs)
    scale = 1.0 / (ops.norm(tg) + NORM_EPS)
    out: List[torch.Tensor] = []
    start = 0
    for ps, ada, rho in zip(groups, adaptive, rhos):
        e = ops.mul(tg[start:start + len(ps)], scale * rho)
        start += len(ps)
        if ada:
            e = [ei.mul_(q.abs()) for ei, q in zip(e, ps)]
        ops.add_(ps, e)
        if keep:
            out.extend(e)
    return out if keep else None


def _scalar(x):
    """A number as a 0-dim float64 tensor (compiled kernels take numbers as tensors)."""
    if isinstance(x, torch.Tensor) or isinstance(x, bool):
        return x
    return torch.tensor(float(x), dtype=torch.float64)


def check_compile(compile) -> Optional[Dict[str, Any]]:
    """``compile=`` of GR/SAM: ``False`` (eager), ``True`` (``torch.compile`` with its
    defaults and ``fullgraph=True``) or a dict of ``torch.compile`` keyword arguments."""
    if compile is False or compile is None:
        return None
    if compile is True:
        return {"fullgraph": True}
    if isinstance(compile, dict):
        allowed = ("backend", "mode", "options", "fullgraph", "dynamic", "disable")
        unknown = [k for k in compile if k not in allowed]
        if unknown:
            raise ValueError(f"Invalid compile: unknown torch.compile keyword(s) {unknown} "
                             f"(accepted: {allowed})")
        return {"fullgraph": True, **compile}
    raise TypeError(f"Invalid compile: {compile!r} (must be False, True or a dict of "
                    f"torch.compile keyword arguments such as {{'backend': 'aot_eager'}})")


class Kernels:
    """The kernels of this module, eager (``compile_kwargs=None``) or compiled by ``torch.compile``.

    ``scalar(x)`` is what a caller passes for a number that may change between steps:
    the number itself when eager (the fastest eager path), a 0-dim tensor when compiled
    (no recompilation when the value changes).
    """

    NAMES = ("offset_", "fd_combine_", "sam_ascent_")

    def __init__(self, compile_kwargs: Optional[Dict[str, Any]] = None) -> None:
        self.compiled = compile_kwargs is not None
        for name in self.NAMES:
            fn = globals()[name]
            setattr(self, name, torch.compile(fn, **compile_kwargs) if self.compiled else fn)

    def scalar(self, x):
        return _scalar(x) if self.compiled else x


EAGER = Kernels()
