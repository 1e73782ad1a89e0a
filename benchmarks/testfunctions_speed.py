"""Speed of batched evaluation in ``cgdopt.testfunctions``.

Measures, in one run and on the same points (float64, uniform in the usual
domain, fixed seed):

* ours batched ``f(X)`` vs ours point by point ``[f(x) for x in X]``;
* ours batched vs the PyPI package ``benchmark-functions`` (pure Python, one
  point per call: ``f(x, validate=False)``, its fastest path);
* ours batched vs BoTorch's synthetic test functions on CPU
  (``evaluate_true`` on a float64 tensor, including ``torch.from_numpy``),
  with torch's default intra-op threads (``botorch``) and with one thread
  (``botorch1``): torch's spinning threads degrade badly when a core is busy,
  so both are shown.

Cases: 10**6 points of 2-D functions and 10**4 points of 100-D functions.
Ours is timed with one thread (``ours``, the default) and with one thread per
CPU (``oursN``); like is compared with like (``botorch1``, one torch thread,
against ``ours``; ``botorch`` with torch's default threads against ``oursN``).
Every timing is the median of ``--repeats`` runs.  Loops over points (ours
point by point, benchmark-functions) are timed on the first ``--loop-points``
points (default: 10**5 for the 2-D case, all 10**4 for 100-D) and scaled
linearly to the full set; the per-point cost of a Python loop is flat, and
the printed ``loop pts`` column says what was timed.  Peers that are not
installed are skipped with a message; they are never dependencies of cgdopt.

Usage::

    python benchmarks/testfunctions_speed.py [--repeats 5] [--loop-points N] [--quick]
"""
from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import sys
import time

import numpy as np

from cgdopt import testfunctions as tf

# (our name, benchmark-functions class, botorch class)
CASES_2D = [("levy", None, "Levy"), ("branin", None, "Branin"),
            ("rosenbrock", "Rosenbrock", "Rosenbrock"), ("griewank", "Griewank", "Griewank"),
            ("ackley", "Ackley", "Ackley"), ("rastrigin", "Rastrigin", "Rastrigin")]
CASES_100D = [("levy", None, "Levy"), ("rosenbrock", "Rosenbrock", "Rosenbrock"),
              ("griewank", "Griewank", "Griewank"), ("ackley", "Ackley", "Ackley"),
              ("rastrigin", "Rastrigin", "Rastrigin")]


def median_time(fn, repeats):
    ts = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts)


def load_peers():
    peers, notes = {}, []
    try:
        import benchmark_functions as bf
        peers["bf"] = bf
        notes.append(f"benchmark-functions {_version('benchmark-functions')}")
    except ImportError:
        notes.append("benchmark-functions: not installed, skipped "
                     "(pip install benchmark-functions to include it)")
    try:
        import botorch.test_functions.synthetic as bts
        import torch
        peers["botorch"] = (bts, torch)
        notes.append(f"botorch {_version('botorch')} (torch {torch.__version__}, "
                     f"{torch.get_num_threads()} threads)")
    except ImportError:
        notes.append("botorch: not installed, skipped (pip install botorch to include it)")
    return peers, notes


def _version(dist):
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version(dist)
    except PackageNotFoundError:
        return "?"


def run_case(name, bf_name, bo_name, n, npts, loop_pts, repeats, peers):
    f = tf.get(name, n=n)
    b = f.bounds
    X = b[:, 0] + (b[:, 1] - b[:, 0]) * np.random.default_rng(0).random((npts, n))
    row = {"name": name, "n": n, "npts": npts, "loop_pts": loop_pts}
    ours = f(X)
    try:
        tf.set_num_threads(1)
        row["ours"] = median_time(lambda: f(X), repeats)
        tf.set_num_threads(os.cpu_count() or 1)
        row["oursN"] = median_time(lambda: f(X), repeats)
    finally:
        tf.set_num_threads(None)
    XL = X[:loop_pts]
    scale = npts / loop_pts
    loop = [f(x) for x in XL]
    np.testing.assert_allclose(loop, ours[:loop_pts], rtol=1e-12, atol=1e-12)
    row["pointwise"] = scale * median_time(lambda: [f(x) for x in XL], max(1, repeats // 2))
    if "bf" in peers and bf_name is not None:
        g = getattr(peers["bf"], bf_name)(n_dimensions=n)
        XLl = XL.tolist()
        ref = [g(x, validate=False) for x in XLl]
        np.testing.assert_allclose(ref, ours[:loop_pts], rtol=1e-9, atol=1e-9)
        row["bf"] = scale * median_time(lambda: [g(x, validate=False) for x in XLl],
                                        max(1, repeats // 2))
    if "botorch" in peers and bo_name is not None:
        bts, torch = peers["botorch"]
        kw = {} if bo_name == "Branin" else {"dim": n}
        g = getattr(bts, bo_name)(**kw)
        with torch.no_grad():
            ref = g.evaluate_true(torch.from_numpy(X)).numpy()
            np.testing.assert_allclose(ref, ours, rtol=1e-9, atol=1e-9)
            row["botorch"] = median_time(lambda: g.evaluate_true(torch.from_numpy(X)), repeats)
            nthreads = torch.get_num_threads()
            try:
                torch.set_num_threads(1)
                row["botorch1"] = median_time(lambda: g.evaluate_true(torch.from_numpy(X)),
                                              repeats)
            finally:
                torch.set_num_threads(nthreads)
    return row


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--loop-points", type=int, default=None,
                    help="points timed in Python loops (default 1e5 for 2-D, all for 100-D)")
    ap.add_argument("--quick", action="store_true", help="10x fewer points (smoke test)")
    args = ap.parse_args(argv)
    peers, notes = load_peers()
    div = 10 if args.quick else 1
    n2, n100 = 10**6 // div, 10**4 // div

    print("# cgdopt.testfunctions batched-evaluation benchmark")
    print(f"date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M:%S} UTC")
    print(f"command: python {' '.join([os.path.relpath(sys.argv[0])] + sys.argv[1:])}")
    print(f"machine: {platform.platform()}; {platform.machine()}; "
          f"processor: {platform.processor() or '?'}; cpu count: {os.cpu_count()}")
    print(f"python {platform.python_version()}, numpy {np.__version__}, "
          f"cgdopt {_version('cgdopt')}")
    print(f"cgdopt.testfunctions default threads: {tf.get_num_threads()}; load average before: "
          f"{' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    for note in notes:
        print(f"peer: {note}")
    print(f"timings: median of {args.repeats} repeats (loops: median of "
          f"{max(1, args.repeats // 2)}), seconds for ALL points; ratios > 1 mean ours is faster")
    print("ours = 1 thread (the default), oursN = tf.set_num_threads(cpu count); pointwise, "
          "bench-fn and botorch1 (1 torch thread) are compared with ours, botorch (torch "
          "default threads) with oursN")
    print()
    head = (f"{'function':<11}{'n':>4}{'points':>9}{'loop pts':>9}{'ours [s]':>10}"
            f"{'oursN [s]':>10}{'pointwise':>11}{'x faster':>9}{'bench-fn':>10}{'x faster':>9}"
            f"{'botorch':>10}{'x faster':>9}{'botorch1':>10}{'x faster':>9}")
    print(head)
    print("-" * len(head))
    rows = []
    for cases, n, npts in ((CASES_2D, 2, n2), (CASES_100D, 100, n100)):
        loop_pts = min(npts, args.loop_points or (10**5 // div if n == 2 else npts))
        for name, bf_name, bo_name in cases:
            r = run_case(name, bf_name, bo_name, n, npts, loop_pts, args.repeats, peers)
            rows.append(r)

            def cell(key, base="ours"):
                if key not in r:
                    return f"{'-':>10}{'-':>9}"
                return f"{r[key]:>10.4f}{r[key] / r[base]:>9.1f}"
            print(f"{name:<11}{n:>4}{npts:>9}{loop_pts:>9}{r['ours']:>10.4f}{r['oursN']:>10.4f}"
                  f"{r['pointwise']:>11.3f}{r['pointwise'] / r['ours']:>9.1f}"
                  f"{cell('bf')}{cell('botorch', 'oursN')}{cell('botorch1')}", flush=True)
    print()
    base = {"pointwise": "ours", "bf": "ours", "botorch": "oursN", "botorch1": "ours"}
    worst = {k: min((r[k] / r[base[k]] for r in rows if k in r), default=None)
             for k in ("pointwise", "bf", "botorch", "botorch1")}
    for k, label in (("pointwise", "point by point"), ("bf", "benchmark-functions"),
                     ("botorch", "botorch (both on all cores)"),
                     ("botorch1", "botorch (both on 1 thread)")):
        if worst[k] is not None:
            print(f"smallest speed-up vs {label}: {worst[k]:.2f}x")
    print(f"load average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    return rows


if __name__ == "__main__":
    main()
