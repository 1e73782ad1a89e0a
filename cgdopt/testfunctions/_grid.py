"""Grid evaluation helper for contour plots."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

if TYPE_CHECKING:
    from ._base import TestFunction

__all__ = ["grid"]


def grid(f: TestFunction, xlim: ArrayLike | None = None, ylim: ArrayLike | None = None,
         num: int | tuple[int, int] = 200, dims: tuple[int, int] = (0, 1),
         base: ArrayLike | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Evaluate ``f`` on a 2-D grid (one vectorized call), e.g. for ``contourf``.

    Parameters
    ----------
    f : TestFunction
        The function; for ``f.n > 2`` a 2-D slice through ``base`` is taken.
    xlim, ylim : (float, float), optional
        Limits of the two plotted coordinates; default: ``f.bounds`` rows
        ``dims[0]`` and ``dims[1]``.
    num : int or (int, int), optional
        Grid points per axis (default 200).
    dims : (int, int), optional
        The two coordinates that vary (default ``(0, 1)``).
    base : array_like of shape (n,), optional
        Values of the other coordinates; default ``f.x_opt[0]`` (or the
        centre of ``f.bounds`` if no minimizer is known).

    Returns
    -------
    X, Y, Z : ndarray of shape (num_y, num_x)
        ``numpy.meshgrid`` coordinates and the values, ready for
        ``plt.contour(X, Y, Z)``.

    Examples
    --------
    >>> from cgdopt import testfunctions as tf
    >>> X, Y, Z = tf.grid(tf.get("branin"), num=50)
    >>> Z.shape
    (50, 50)
    """
    n = f.n
    if n < 2:
        raise ValueError(f"{f.name}: grid needs n >= 2, got n={n}")
    i, j = (int(d) for d in dims)
    if not (0 <= i < n and 0 <= j < n) or i == j:
        raise ValueError(f"dims must be two different coordinates in [0, {n - 1}], got {dims!r}")
    nx, ny = (num, num) if np.isscalar(num) else num
    if int(nx) < 2 or int(ny) < 2:
        raise ValueError(f"num must be >= 2 points per axis, got {num!r}")
    b = f.bounds
    xlim = b[i] if xlim is None else xlim
    ylim = b[j] if ylim is None else ylim
    if base is None:
        xo = f.x_opt
        base = xo[0] if len(xo) else b.mean(axis=1)
    base = np.asarray(base, dtype=np.float64)
    if base.shape != (n,):
        raise ValueError(f"base must have shape ({n},), got {base.shape}")
    xs = np.linspace(float(xlim[0]), float(xlim[1]), int(nx))
    ys = np.linspace(float(ylim[0]), float(ylim[1]), int(ny))
    X, Y = np.meshgrid(xs, ys)
    P = np.broadcast_to(base, X.shape + (n,)).copy()
    P[..., i] = X
    P[..., j] = Y
    return X, Y, f(P)
