"""``python -m cgdopt.bench``: the CGD paper's study (gd vs cgd-fd) on the built-in functions."""
from __future__ import annotations

import argparse
import datetime
import platform

import numpy as np
import scipy

from .paper import BUDGET, R, SWITCH_AFTER, format_table, plot_figure3, run_study


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m cgdopt.bench", description=__doc__)
    parser.add_argument("--plot", metavar="PNG", help="save the Figure 3 reproduction here")
    args = parser.parse_args(argv)
    print(f"# cgdopt.bench: CGD paper Tables 1-2 protocol (budget T={BUDGET}, switch after "
          f"b={SWITCH_AFTER}, forward FD, r={R})")
    print(f"# {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M UTC}, "
          f"{platform.platform()}, python {platform.python_version()}, numpy {np.__version__}, "
          f"scipy {scipy.__version__}")
    rows = run_study()
    print(format_table(rows))
    if args.plot:
        plot_figure3(rows, args.plot)
        print(f"# figure written to {args.plot}")


if __name__ == "__main__":
    main()
