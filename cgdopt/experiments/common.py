"""Shared pieces of the experiments: options, device and seeding, data, tables, figures.

Nothing here implements an optimizer: the experiments train with :mod:`cgdopt.nn`
(``GR``, ``SAM``, ``flooding``) and :func:`cgdopt.minimize`.
"""
from __future__ import annotations

import datetime
import math
import os
from numbers import Integral, Real

import numpy as np

__all__ = ["resolve_device", "seed_everything", "set_threads", "digits_data", "dln_data",
           "markdown_table", "mean_std", "TRAINING_FLAGS", "add_training_arguments", "machine_line",
           "check_positive", "check_float_list", "savefig", "runs_of"]


# ----------------------------------------------------------------------------- validation
#: the MLP-training flags shared by digits, flooding and cgd-fd-vs-egr
TRAINING_FLAGS = ("hidden", "depth", "epochs", "batch")


def add_training_arguments(p) -> None:
    """The MLP-training flags ``--hidden --depth --epochs --batch`` (see :data:`TRAINING_FLAGS`)."""
    p.add_argument("--hidden", type=int, help="hidden width")
    p.add_argument("--depth", type=int, help="number of linear layers")
    p.add_argument("--epochs", type=int, help="passes over the training set")
    p.add_argument("--batch", type=int, help="mini-batch size")


def check_positive(opts: dict, name: str, *, integer: bool = False, allow_zero: bool = False):
    """Raise ``ValueError`` unless ``opts[name]`` is a finite number > 0 (>= 0 with allow_zero)."""
    v = opts[name]
    kind = "an int" if integer else "a number"
    ok_type = isinstance(v, Integral) if integer else isinstance(v, Real)
    if isinstance(v, bool) or not ok_type or not math.isfinite(v) or v < 0 or (v == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be {kind} {bound}, got {v!r}")


def check_float_list(opts: dict, name: str, *, positive: bool = True, allow_zero: bool = False,
                     nonempty: bool = True):
    """Raise ``ValueError`` unless ``opts[name]`` is a list of finite numbers (> 0 when positive)."""
    v = opts[name]
    if not isinstance(v, (list, tuple)) or (nonempty and len(v) == 0):
        raise ValueError(f"{name} must be a non-empty list of numbers, got {v!r}")
    for x in v:
        if isinstance(x, bool) or not isinstance(x, Real) or not math.isfinite(x):
            raise ValueError(f"{name} must hold finite numbers, got {x!r} in {list(v)!r}")
        if positive and (x < 0 or (x == 0 and not allow_zero)):
            raise ValueError(f"{name} must hold numbers {'>= 0' if allow_zero else '> 0'}, "
                             f"got {x!r} in {list(v)!r}")


# ----------------------------------------------------------------------------- device, seeds
def resolve_device(device):
    """``None`` -> ``"cuda"`` when available else ``"cpu"``; ``"cuda"`` without CUDA is an error."""
    import torch
    if device is None:
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device not in ("cpu", "cuda"):
        raise ValueError(f"device must be 'cpu' or 'cuda', got {device!r}")
    if device == "cuda" and not torch.cuda.is_available():
        raise ValueError("device='cuda' was asked for but CUDA is not available "
                         "(torch.cuda.is_available() is False); use --device cpu")
    return device


def seed_everything(seed: int):
    """Seed numpy and torch (CPU and CUDA) for one run."""
    import torch
    np.random.seed(seed)
    torch.manual_seed(seed)


def set_threads(threads):
    """``torch.set_num_threads(threads)`` when given (1 inside parallel workers)."""
    if threads:
        import torch
        torch.set_num_threads(int(threads))


# ----------------------------------------------------------------------------- data
def digits_data(seed: int, n_train=None, dtype=None, device="cpu"):
    """scikit-learn's bundled ``load_digits`` (1797 8x8 images, 10 classes), no download.

    Split 2/3 train, 1/3 test, stratified, shuffled by ``seed``; pixels standardized
    with the training set's mean and standard deviation.  ``n_train`` keeps only the
    first ``n_train`` training images (tiny test runs).  Pixels that are constant in the
    training set are centred, not scaled (dividing by a zero standard deviation would blow
    up the few test images where they are not).  Returns torch tensors
    ``(x_train, y_train, x_test, y_test)``.
    """
    import torch
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split
    data = load_digits()
    xtr, xte, ytr, yte = train_test_split(data.data, data.target, test_size=1 / 3,
                                          random_state=seed, stratify=data.target)
    if n_train is not None:
        xtr, ytr = xtr[:n_train], ytr[:n_train]
    mu, sd = xtr.mean(0), xtr.std(0)
    sd[sd == 0] = 1.0          # pixels constant in the training set (always 0 there) stay as they are
    dtype = dtype or torch.get_default_dtype()
    f = lambda a: torch.as_tensor((a - mu) / sd, dtype=dtype, device=device)  # noqa: E731
    i = lambda a: torch.as_tensor(a, dtype=torch.long, device=device)  # noqa: E731
    return f(xtr), i(ytr), f(xte), i(yte)


def dln_data(seed: int, d: int, n: int, k: int = 5, mu: float = 5.0, sigma2: float = 5.0,
             noise_var: float = 0.01, alpha0_var: float = 0.01, n_test: int = 1000):
    r"""Sparse regression data of Karakida et al. (2023), Section 4.3 and Appendix B.3.

    :math:`x \sim \mathcal N(\mu 1, \sigma^2 I)`, :math:`y \sim \mathcal N(\langle\beta^*, x\rangle,
    0.01)`, :math:`\beta^*` k-sparse with entries :math:`1/\sqrt k`, initialization
    :math:`\alpha_{0,i} \sim \mathcal N(0, 0.01)`.  Returns float64 numpy arrays
    ``(X, y, X_test, y_test, alpha0, beta_star)``.
    """
    rng = np.random.default_rng(seed)
    beta = np.zeros(d)
    beta[:k] = 1 / math.sqrt(k)
    X = mu + math.sqrt(sigma2) * rng.standard_normal((n, d))
    y = X @ beta + math.sqrt(noise_var) * rng.standard_normal(n)
    Xt = mu + math.sqrt(sigma2) * rng.standard_normal((n_test, d))
    yt = Xt @ beta + math.sqrt(noise_var) * rng.standard_normal(n_test)
    alpha0 = math.sqrt(alpha0_var) * rng.standard_normal(d)
    return X, y, Xt, yt, alpha0, beta


# ----------------------------------------------------------------------------- reporting
def mean_std(values) -> str:
    """``"m ± s"`` over the finite values (``"diverged"`` when none, ``"(k diverged)"`` noted)."""
    v = np.asarray([x for x in values if x is not None], dtype=float)
    ok = v[np.isfinite(v)]
    bad = len(v) - len(ok)
    if len(ok) == 0:
        return "diverged" if len(v) else "-"
    s = f"{ok.mean():.4g} ± {ok.std(ddof=1) if len(ok) > 1 else 0.0:.2g}"
    return s + (f" ({bad} diverged)" if bad else "")


def markdown_table(df) -> str:
    """A pandas DataFrame as a GitHub Markdown table: the bench's table, numbers to 4 digits."""
    from cgdopt.bench.report import markdown_table as bench_table

    return bench_table(df, digits=4)


def machine_line() -> str:
    """Date, CPU model, core count and load: what a figure or table must state."""
    from cgdopt.bench.report import cpu_model

    model = cpu_model()
    try:
        load = "load %.2f %.2f %.2f" % os.getloadavg()
    except OSError:
        load = "load unknown"
    now = datetime.datetime.now(datetime.timezone.utc)
    gpu = ""
    try:
        import torch
        if torch.cuda.is_available():
            gpu = f", GPU {torch.cuda.get_device_name(0)}"
    except Exception:  # pragma: no cover - torch is an extra
        pass
    return f"{now:%Y-%m-%d %H:%M} UTC, {model}, {os.cpu_count()} CPUs{gpu}, {load}"


def savefig(fig, out_dir, name: str):
    """Save ``fig`` as ``out_dir/figures/name`` (PNG, 110 dpi) and close it; return the path."""
    import matplotlib.pyplot as plt
    path = os.path.join(str(out_dir), "figures", name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)
    return path


def runs_of(store, o):
    """The finished runs of the current option set (a store may hold more seeds), errors dropped."""
    runs = store.runs()
    if "_keys" in o:
        runs = runs[runs["key"].isin(o["_keys"])]
    if "status" in runs:
        runs = runs[runs["status"] != "error"]
    return runs.reset_index(drop=True)
