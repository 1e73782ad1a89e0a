#!/usr/bin/env python
"""Time per training step against MLP depth (cf. Karakida et al. 2023, Figure 2a).

Used by ``nn_speed.py --plot``; can also re-plot a saved JSON result::

    python benchmarks/plot_nn_depth.py docs/nn_speed_cpu.json docs/figures/nn_time_vs_depth_cpu.png
"""
from __future__ import annotations

import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

STYLE = {"SGD": ("k", "o"), "F-GR": ("tab:blue", "s"), "B-GR": ("tab:cyan", "v"),
         "DB": ("tab:red", "D"), "SAM": ("tab:green", "^"),
         "F-GR-lean": ("tab:purple", "s"), "SAM-lean": ("tab:olive", "^")}


def plot(results, path):
    """Left: median ms per step (IQR bars) against depth; right: the same relative to SGD.

    Solid lines: wall time.  Dashed lines (CPU runs only): process CPU time,
    which other processes on the machine do not inflate (``--threads 1``).
    """
    rows = [r for r in results["rows"] if r["depth"] is not None]
    meta = results["meta"]
    fig, (ax, axr) = plt.subplots(1, 2, figsize=(10, 4.2))
    with_cpu = bool(rows) and rows[0].get("cpu_median_ms") is not None
    sgd = {r["depth"]: r for r in rows if r["method"] == "SGD"}
    top = 3.0
    for method, (color, marker) in STYLE.items():
        rs = sorted((r for r in rows if r["method"] == method), key=lambda r: r["depth"])
        if not rs:
            continue
        d = [r["depth"] for r in rs]
        med = [r["median_ms"] for r in rs]
        err = [[m - r["q1_ms"] for m, r in zip(med, rs)], [r["q3_ms"] - m for m, r in zip(med, rs)]]
        ax.errorbar(d, med, yerr=err, color=color, marker=marker, capsize=3, label=method)
        rel = [m / sgd[x]["median_ms"] for x, m in zip(d, med)]
        axr.plot(d, rel, color=color, marker=marker, label=method)
        top = max(top, *rel)
        if with_cpu:
            cpu = [r["cpu_median_ms"] for r in rs]
            ax.plot(d, cpu, color=color, ls="--", lw=1, marker=marker, mfc="none", alpha=0.8)
            rel = [c / sgd[x]["cpu_median_ms"] for x, c in zip(d, cpu)]
            axr.plot(d, rel, color=color, ls="--", lw=1, marker=marker, mfc="none", alpha=0.8)
            top = max(top, *rel)
    for y, text, va in ((2.0, "F-GR, SAM: 6L/3L = 2", "top"), (3.0, "DB: 9L/3L = 3", "bottom")):
        axr.axhline(y, color="0.6", ls=":", lw=1)
        axr.text(0.99, y, text, transform=axr.get_yaxis_transform(), ha="right", va=va,
                 fontsize=8, color="0.4")
    batch = rows[0]["batch"] if rows else "?"
    ax.set(xlabel="depth L (linear layers)", ylabel="time per step [ms]",
           title=f"MLP width 512, batch {batch}: median (IQR)")
    axr.set(xlabel="depth L (linear layers)", ylabel="time per step / SGD",
            title="relative to SGD (same run)", ylim=(0, 1.1 * top))
    for a in (ax, axr):
        a.set_xticks(sorted({r["depth"] for r in rows}))
        a.grid(alpha=0.3)
    ax.set_ylim(bottom=0)
    ax.legend(title="solid: wall, dashed: CPU time" if with_cpu else None, fontsize=8,
              title_fontsize=8)
    fig.suptitle(f"{meta['device_name']} ({meta['device']}, torch {meta['torch']}, "
                 f"{meta['threads']} thread(s)), {meta['date']}", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[1]) as fh:
        plot(json.load(fh), sys.argv[2])
