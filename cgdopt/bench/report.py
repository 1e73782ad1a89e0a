"""Shared report helpers: Markdown tables, ``report.md`` with its header, ``runs.csv``, figure style.

A study's ``report(store, opts, out_dir)`` returns the Markdown body (tables
and image links ``![caption](figures/NAME.png)``); :func:`write_outputs` puts
the header (command, date, machine, versions, how many runs finished) above
it, writes ``report.md`` and ``runs.csv``, and :func:`terminal_text` is what
the CLI prints (the body without image links).
"""
from __future__ import annotations

import datetime
import math
import os
import platform
from pathlib import Path

__all__ = ["markdown_table", "write_outputs", "terminal_text", "machine", "figure_path",
           "savefig", "style", "fmt"]


def fmt(value, digits: int = 3) -> str:
    """A table cell: numbers with ``digits`` significant digits, NaN as ``–``, the rest as ``str``."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "–"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        if value == int(value) and abs(value) < 1e6:
            return str(int(value))
        return f"{value:.{digits}g}"
    try:  # numpy scalars
        import numpy as np

        if isinstance(value, np.integer):
            return str(int(value))
        if isinstance(value, np.floating):
            return fmt(float(value), digits)
    except ImportError:  # pragma: no cover
        pass
    return str(value).replace("|", "\\|")


def markdown_table(df, digits: int = 3, index: bool = False) -> str:
    """A pandas DataFrame as a GitHub Markdown table (no extra dependency such as tabulate)."""
    if index:
        df = df.reset_index()
    cols = [str(c) for c in df.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + "|".join("---" for _ in cols) + "|"]
    for row in df.itertuples(index=False):
        lines.append("| " + " | ".join(fmt(v, digits) for v in row) + " |")
    return "\n".join(lines)


def cpu_model() -> str:
    """The CPU's model name (from /proc/cpuinfo on Linux, else what :mod:`platform` knows)."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> str:
    """``CPU model, N cores, OS`` of this machine (for report headers and docs)."""
    return f"{cpu_model()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}"


def style():
    """Matplotlib with the Agg backend and the bench's figure style; returns ``pyplot``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"figure.dpi": 110, "savefig.dpi": 110, "axes.grid": True,
                         "grid.alpha": 0.3, "axes.titlesize": 11, "axes.labelsize": 10,
                         "legend.fontsize": 8, "xtick.labelsize": 9, "ytick.labelsize": 9})
    return plt


def figure_path(out_dir, name: str) -> Path:
    """``out_dir/figures/name.png`` (the folder is created)."""
    path = Path(out_dir) / "figures" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def savefig(fig, out_dir, name: str, caption: str) -> str:
    """Save ``fig`` as ``figures/name.png`` and return its Markdown: the image and the caption."""
    import matplotlib.pyplot as plt

    path = figure_path(out_dir, name)
    fig.savefig(path, bbox_inches="tight")
    plt.close(fig)
    return f"![{name}](figures/{name}.png)\n\n*{caption}*\n"


def _header(store, module, total: int, interrupted: bool, elapsed: float, command) -> str:
    meta = store.meta
    finished = len(store.done())
    versions = ", ".join(f"{k} {v}" for k, v in meta.get("versions", {}).items())
    command = command or f"cgdopt.bench.run({module.NAME!r}, ...)"
    state = (f"**Interrupted**: {finished} of {total} runs finished; rerun the same command "
             "to resume." if interrupted or finished < total
             else f"{finished} of {total} runs finished.")
    now = datetime.datetime.now(datetime.timezone.utc)
    return (f"# cgdopt.bench {module.NAME}\n\n{module.HELP}\n\n"
            f"- command: `{command}`\n- report written {now:%Y-%m-%d %H:%M} UTC "
            f"(study created {meta.get('created', '?')}), {elapsed:.1f} s of runs in this call\n"
            f"- machine: {machine()}\n- versions: {versions}\n"
            f"- options (config hash {meta.get('config_hash', '?')}): `{meta.get('config')}`\n\n"
            f"{state}\n")


def write_outputs(store, module, opts: dict, out_dir, *, total: int, interrupted: bool = False,
                  elapsed: float = 0.0, command: str | None = None) -> str:
    """Write ``runs.csv`` and ``report.md`` from what ``store`` holds; return the report body.

    A study whose report cannot be made from partial results (e.g. no run
    finished) gets a report saying so instead of a crash: the finished runs
    are always exported.
    """
    store.export_csv()
    try:
        body = module.report(store, opts, out_dir) if len(store.done()) else \
            "No run finished yet: nothing to report."
    except Exception as exc:  # noqa: BLE001 - the report must not lose finished runs
        if not (interrupted or len(store.done()) < total):
            raise
        body = f"The report could not be made from the partial results ({type(exc).__name__}: {exc})."
    text = _header(store, module, total, interrupted, elapsed, command) + "\n" + body.rstrip() + "\n"
    Path(out_dir, "report.md").write_text(text, encoding="utf-8")
    return body


def terminal_text(body: str) -> str:
    """The report body without image lines (what the CLI prints)."""
    return "\n".join(line for line in body.splitlines() if not line.startswith("![")).strip()
