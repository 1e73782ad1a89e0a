"""Base class of the synthetic test functions.

Every function is a subclass of :class:`TestFunction` that declares its
metadata as class attributes and writes its body once, in :meth:`_f`, with
``autograd.numpy`` on an array of points of shape ``(..., n)``.  The same body
gives values (plain numpy arrays pass straight through ``autograd.numpy``),
gradients and Hessian-vector products (autograd, reverse-over-reverse), so
there is a single source of truth for each formula.  Subclasses may override
:meth:`_grad`, :meth:`_hessp` with analytic versions.

Conventions
-----------
* ``x`` of shape ``(n,)`` is one point and gives a Python ``float``; ``x`` of
  shape ``(..., n)`` is a batch and gives an array of shape ``(...)``.
* Everything is computed in ``float64``; integer input is converted.
* ``bounds`` has shape ``(n, 2)``: row ``i`` is ``(lower_i, upper_i)`` of the
  *usual domain* (the box in which the function is usually studied, and in
  which ``x_opt`` is the global minimizer).  It is metadata only: functions
  are defined on all of R^n and never refuse a point outside it.
* ``x_opt`` has shape ``(k, n)``: all known global minimizers (``k`` may be 0
  where none is known, see :attr:`TestFunction.x_opt_note`).
"""
from __future__ import annotations

import numbers
import zlib
from typing import Any

import autograd.numpy as anp
import numpy as np
from numpy.typing import ArrayLike
from autograd import elementwise_grad

from ._blocks import blocked

__all__ = ["TestFunction"]


class TestFunction:
    """A scalar test function on R^n with metadata and derivatives.

    Parameters
    ----------
    n : int, optional
        Dimension.  Fixed-dimension functions accept only ``None`` or their
        dimension; variable-dimension functions accept any integer in
        ``dim_range`` that is a multiple of ``dim_step`` (default
        ``default_dim``).

    Attributes
    ----------
    name : str
        Registry name (snake_case of the function's usual name).
    title : str
        Human-readable name.
    dim : int or None
        Fixed dimension, or ``None`` for variable-dimension functions.
    default_dim : int
        Dimension used when ``n`` is not given.
    dim_range : tuple (int, int or None)
        Allowed dimensions, inclusive; ``None`` means unbounded above.
    dim_step : int
        ``n`` must be a multiple of this.
    tags : tuple of str
        Any of ``convex``, ``unimodal``, ``multimodal``, ``separable``,
        ``bowl``, ``plate``, ``valley``, ``ridges``, ``many-local-minima``,
        ``least-squares``, ``nonsmooth``, ``boundary-optimum``, ``paper``,
        ``sfu``, ``mgh``.
    formula : str
        The formula in plain text/LaTeX-like notation (used by the catalog).
    reference : str
        Where the definition, domain, optimum and starting point come from.
    f_opt_is_published_best : bool
        ``True`` when ``f_opt`` is the best *published* value (no closed form
        is known); it is then exact only to ``f_opt_rtol``.
    f_opt_rtol : float
        Relative precision of ``f_opt`` (``1e-10`` when it is exact).
    f_opt_atol : float
        Absolute precision of ``f_opt`` (used when ``f_opt`` is 0).
    x_opt_approximate : bool
        ``True`` when ``x_opt`` was found numerically (to the precision
        implied by ``f_opt_rtol``) rather than in closed form.
    x_opt_note : str
        Remarks on minimizers that cannot be listed (continua, unknown).
    x_opt_complete : bool
        ``False`` when ``x_opt`` does not list every global minimizer: they
        form a continuum (a curve, a hyperplane), a lattice, or a set of
        permutations, and ``x_opt`` holds sample points (see ``x_opt_note``).
    x_local : ndarray of shape (k, n)
        Published (or closed-form) local, non-global minimizers; may be empty.
    x_saddle : ndarray of shape (k, n)
        Published (or closed-form) saddle points; may be empty.
    x0_note : str
        Where the starting point ``x0`` comes from.
    smooth_at_opt : bool
        ``False`` when the gradient does not exist (or autograd cannot
        evaluate it) at the minimizers.
    interior_opt : bool
        ``False`` when the minimizer lies on the boundary of ``bounds`` (the
        gradient does not vanish there).
    """

    __test__ = False  # not a pytest test class despite the name

    name: str = ""
    title: str = ""
    dim: int | None = None
    default_dim: int = 2
    dim_range: tuple = (1, None)
    dim_step: int = 1
    tags: tuple = ()
    formula: str = ""
    reference: str = ""
    source: str = ""  # short source label for the catalog (default: from the tags)
    domain: tuple | None = None
    f_opt_is_published_best: bool = False
    f_opt_rtol: float = 1e-10
    f_opt_atol: float = 1e-12
    x_opt_approximate: bool = False
    x_opt_note: str = ""
    x_opt_complete: bool = True
    x0_note: str = ("library choice: lower + 0.75 (upper - lower) of the usual "
                    "domain in every coordinate")
    smooth_at_opt: bool = True
    interior_opt: bool = True
    f_opt_published: str | None = None

    # ------------------------------------------------------------------ setup
    def __init__(self, n: int | None = None) -> None:
        self.n = self._check_dim(n)
        self._x_opt_cache = None

    @classmethod
    def _check_dim(cls, n):
        if n is None:
            return int(cls.dim if cls.dim is not None else cls.default_dim)
        if isinstance(n, bool) or not isinstance(n, numbers.Integral):
            raise ValueError(
                f"{cls.name}: n must be an integer, got {n!r} ({type(n).__name__})")
        n = int(n)
        if cls.dim is not None:
            if n != cls.dim:
                raise ValueError(
                    f"{cls.name}: n must be {cls.dim} (fixed dimension), got {n}")
            return n
        lo, hi = cls.dim_range
        if n < lo or (hi is not None and n > hi) or n % cls.dim_step:
            raise ValueError(
                f"{cls.name}: n must be {cls.dims_text()}, got {n}")
        return n

    @classmethod
    def dims_text(cls) -> str:
        """Human-readable allowed dimensions, e.g. ``'an integer in [2, inf)'``."""
        if cls.dim is not None:
            return f"{cls.dim}"
        lo, hi = cls.dim_range
        s = f"an integer in [{lo}, inf)" if hi is None else f"an integer in [{lo}, {hi}]"
        if cls.dim_step > 1:
            s += f" that is a multiple of {cls.dim_step}"
        return s

    def __repr__(self):
        return f"{type(self).__name__}(n={self.n})"

    # --------------------------------------------------------------- metadata
    @property
    def bounds(self) -> np.ndarray:
        """Usual domain, shape ``(n, 2)`` of ``(lower, upper)`` rows."""
        b = np.asarray(self._bounds(), dtype=np.float64)
        if b.shape == (2,):
            b = np.tile(b, (self.n, 1))
        return b.copy()

    def _bounds(self):
        return self.domain

    @property
    def x0(self) -> np.ndarray:
        """Standard starting point, shape ``(n,)`` (see ``x0_note``)."""
        return np.asarray(self._x0(), dtype=np.float64).reshape(self.n).copy()

    def _x0(self):
        b = self.bounds
        return b[:, 0] + 0.75 * (b[:, 1] - b[:, 0])

    def sample_x0(self, k: int, seed: int | None = None) -> np.ndarray:
        """Seeded random starting points, uniform in the usual domain.

        Row ``i`` is ``lower + (upper - lower) * u`` with ``u`` drawn by its own
        generator ``numpy.random.default_rng(SeedSequence([seed, h, n, i]))``,
        where ``h`` is the CRC-32 of :attr:`name` (a stable hash, unlike Python's
        salted ``hash``).  So start ``i`` depends only on ``(seed, name, n, i)``:
        the first ``j`` rows are the same for every ``k >= j``, and the starts do
        not depend on other constructor arguments (``m``, ``seed`` of
        ``quadratic``).

        Parameters
        ----------
        k : int
            Number of points, ``k >= 1``.
        seed : int or None, optional
            Non-negative integer seed; ``None`` draws fresh OS entropy (not
            reproducible).

        Returns
        -------
        ndarray of shape (k, n)
            Points in ``bounds`` (float64).

        Examples
        --------
        >>> from cgdopt import testfunctions as tf
        >>> f = tf.get("rosenbrock", n=3)
        >>> X = f.sample_x0(5, seed=0)
        >>> X.shape, bool((f.sample_x0(2, seed=0) == X[:2]).all())
        ((5, 3), True)
        """
        if isinstance(k, bool) or not isinstance(k, numbers.Integral) or k < 1:
            raise ValueError(
                f"{self.name}: k must be an integer >= 1, got {k!r} ({type(k).__name__})")
        if seed is None:
            seed = int(np.random.SeedSequence().entropy)
        elif isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
            raise ValueError(
                f"{self.name}: seed must be None or an integer >= 0, got {seed!r} "
                f"({type(seed).__name__})")
        h = zlib.crc32(self.name.encode("utf-8"))
        u = np.empty((int(k), self.n))
        for i in range(int(k)):
            ss = np.random.SeedSequence([int(seed), h, self.n, i])
            u[i] = np.random.default_rng(ss).random(self.n)
        b = self.bounds
        return b[:, 0] + (b[:, 1] - b[:, 0]) * u

    @property
    def x_opt(self) -> np.ndarray:
        """All known global minimizers, shape ``(k, n)``."""
        if self._x_opt_cache is None:
            xs = self._x_opt()
            xs = np.asarray(xs, dtype=np.float64).reshape(-1, self.n)
            self._x_opt_cache = xs
        return self._x_opt_cache.copy()

    def _x_opt(self):
        return np.zeros((1, self.n))

    @property
    def x_local(self) -> np.ndarray:
        """Known local, non-global minimizers, shape ``(k, n)`` (``k`` may be 0)."""
        return np.asarray(self._x_local(), dtype=np.float64).reshape(-1, self.n).copy()

    def _x_local(self):
        return np.zeros((0, self.n))

    @property
    def x_saddle(self) -> np.ndarray:
        """Known saddle points, shape ``(k, n)`` (``k`` may be 0)."""
        return np.asarray(self._x_saddle(), dtype=np.float64).reshape(-1, self.n).copy()

    def _x_saddle(self):
        return np.zeros((0, self.n))

    @property
    def f_opt(self) -> float:
        """Global minimum value (or the best published value, see flags)."""
        return float(self._f_opt())

    def _f_opt(self):
        return 0.0

    # ------------------------------------------------------------- evaluation
    def _points(self, x, arg="x"):
        if isinstance(x, (str, bytes)):
            raise ValueError(f"{self.name}: {arg} must be a numeric array, got {x!r}")
        kind = getattr(getattr(x, "dtype", None), "kind", None)  # core-B: bool/object/None
        if x is None or isinstance(x, bool) or kind in ("b", "O", "S", "U", "V", "M", "m"):
            hint = (" (autograd cannot trace a cgdopt test function: use f.grad and f.hessp)"
                    if type(x).__name__ == "ArrayBox" else "")
            raise ValueError(f"{self.name}: {arg} must be an array of real numbers, got "
                             f"{type(x).__name__} of dtype {kind and x.dtype}{hint}")
        try:
            if np.iscomplexobj(x):
                raise ValueError(f"{self.name}: {arg} must be real, got complex input")
            a = np.asarray(x, dtype=np.float64)
        except (TypeError, ValueError) as err:
            if "must be real" in str(err):
                raise
            raise ValueError(
                f"{self.name}: {arg} must be a numeric array of shape (..., {self.n})"
            ) from err
        if a.ndim == 0 or a.shape[-1] != self.n:
            raise ValueError(
                f"{self.name}: {arg} must have last dimension n={self.n}, "
                f"got shape {a.shape}")
        if not np.isfinite(a).all():
            raise ValueError(f"{self.name}: {arg} must be finite (no NaN or inf)")
        return a

    def __call__(self, x: ArrayLike) -> Any:  # float for shape (n,), ndarray for (..., n)
        """Value at ``x``: shape ``(n,)`` -> float, ``(..., n)`` -> ``(...)``."""
        a = self._points(x)
        if a.ndim == 1:
            return float(self._f(a))
        return np.asarray(blocked(self._f, a), dtype=np.float64)

    def _f(self, x):  # pragma: no cover - abstract
        raise NotImplementedError

    def grad(self, x: ArrayLike) -> np.ndarray:
        """Gradient, same shape as ``x`` (batched over leading axes)."""
        a = self._points(x)
        if a.ndim == 1:
            return np.asarray(self._grad(a), dtype=np.float64)
        return np.asarray(blocked(self._grad, a, vector=True), dtype=np.float64)

    def _grad(self, x):
        if self.analytic:
            return _complex_step_grad(self._f, x)
        return elementwise_grad(self._f)(x)

    # ------------------------------------------------------ derivative sources
    analytic: bool = False
    analytic_grad: bool = False

    def _closed_grad(self):
        return type(self)._grad is not TestFunction._grad

    def _closed_hessp(self):
        return type(self)._hessp is not TestFunction._hessp

    @property
    def grad_source(self) -> str:
        """How :meth:`grad` is computed: ``'closed-form'``, ``'complex-step'`` or ``'autograd'``.

        ``'complex-step'``: ``Im f(x + i h e_j) / h`` with ``h = 1e-100`` on a
        function whose body is holomorphic (``analytic = True``), exact to
        rounding (no subtractive cancellation; Squire & Trapp, SIAM Rev. 40
        (1998) 110-112).  Autograd stays the cross-check in the tests.
        """
        if self._closed_grad():
            return "closed-form"
        return "complex-step" if self.analytic else "autograd"

    @property
    def hessp_source(self) -> str:
        """How :meth:`hessp` is computed: ``'closed-form'``, ``'complex-step'`` (of the
        closed-form gradient, ``Im g(x + i h v) / h``) or ``'autograd'``."""
        if self._closed_hessp():
            return "closed-form"
        if self.analytic_grad and self._closed_grad():
            return "complex-step"
        return "autograd"

    def hessp(self, x: ArrayLike, v: ArrayLike) -> np.ndarray:
        """Hessian-vector product ``H(x) v``; ``x``, ``v`` broadcast, shape ``(..., n)``."""
        a = self._points(x)
        p = self._points(v, arg="v")
        try:
            a, p = np.broadcast_arrays(a, p)
        except ValueError:  # core-B: name the arguments, not numpy's broadcast
            raise ValueError(f"{self.name}: x and v must have broadcastable shapes (..., {self.n}), "
                             f"got {a.shape} and {p.shape}") from None
        if a.ndim == 1:
            return np.asarray(self._hessp(a, p), dtype=np.float64)
        return np.asarray(blocked(self._hessp, np.ascontiguousarray(a), np.ascontiguousarray(p),
                                  vector=True), dtype=np.float64)

    def _hessp(self, x, v):
        if self.analytic_grad and self._closed_grad():
            with np.errstate(all="ignore"):
                return (self._grad(x + _H * 1j * v)).imag / _H
        g = elementwise_grad(self._f)
        return elementwise_grad(lambda z: anp.sum(g(z) * v))(x)

    def hess(self, x: ArrayLike) -> np.ndarray:
        """Dense Hessian, shape ``(..., n, n)`` (meant for small ``n``)."""
        a = self._points(x)
        xs = np.broadcast_to(a[..., None, :], a.shape[:-1] + (self.n, self.n))
        eye = np.broadcast_to(np.eye(self.n), xs.shape)
        # row i is H e_i; H is symmetric up to rounding (tested)
        return np.asarray(self._hessp(np.ascontiguousarray(xs), np.ascontiguousarray(eye)),
                          dtype=np.float64)

    def grid(self, xlim: ArrayLike | None = None, ylim: ArrayLike | None = None,
             num: int | tuple[int, int] = 200, dims: tuple[int, int] = (0, 1),
             base: ArrayLike | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Evaluate on a 2-D grid for contour plots; see :func:`cgdopt.testfunctions.grid`."""
        from ._grid import grid
        return grid(self, xlim=xlim, ylim=ylim, num=num, dims=dims, base=base)


_H = 1e-100  # complex step: exact to rounding for any h this small (no cancellation)


_EYE: dict = {}


def _complex_step_grad(f, x):
    """``Im f(x + i h e_j) / h`` for every ``j``, in blocks of about 2**18 complex numbers."""
    n = x.shape[-1]
    eye = _EYE.get(n)
    if eye is None:
        eye = _EYE[n] = _H * 1j * np.eye(n)
    if x.ndim == 1:  # one point: one batched call on the n complex-shifted copies
        with np.errstate(all="ignore"):
            return f(x + eye).imag * (1.0 / _H)
    flat = x.reshape(-1, n)
    out = np.empty(flat.shape)
    step = max(1, (1 << 18) // (n * n))
    with np.errstate(all="ignore"):
        for i in range(0, flat.shape[0], step):
            z = flat[i:i + step, None, :] + eye
            out[i:i + step] = np.imag(f(z)) / _H
    return out.reshape(x.shape)
