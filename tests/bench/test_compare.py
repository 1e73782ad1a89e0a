"""The compare study: skipped combinations, user functions/methods, Python API, crashed runs, Dask."""
import textwrap

import pandas as pd
import pytest

import cgdopt.bench
from cgdopt.bench.errors import BenchInputError
from cgdopt.bench.studies import compare


def _run(tmp_path, name="c", **kw):
    opts = dict(functions="matyas,extended_rosenbrock", methods=["gd", "cgd", "scipy:Newton-CG"],
                line_search="armijo", budget=12, starts=2, dims=[2, 3], workers=1, quiet=True)
    opts.update(kw)
    return cgdopt.bench.run("compare", out=tmp_path / name, **opts)


def test_python_api_rows_and_skips(tmp_path):
    df = _run(tmp_path)
    # matyas (n=2 only) + extended_rosenbrock n=2 and n=3: 3 problems x 3 methods x 2 starts
    assert len(df) == 18
    skipped = df[df.status == "skipped"]
    assert set(skipped.function) == {"extended_rosenbrock"} and set(skipped.n) == {3}
    assert skipped.message.str.contains("n=3").all()
    ran = df[df.status != "skipped"]
    assert (ran.ngev <= 12).all() and (ran.nfev > 0).all()
    assert {"function", "n", "method", "line_search", "options", "seed", "start", "status",
            "fun", "f_err", "ngev", "nfev", "nit", "wall_s"} <= set(df.columns)
    loaded = cgdopt.bench.load(tmp_path / "c")
    assert loaded.drop(columns="wall_s").equals(df.drop(columns="wall_s"))


def test_python_api_bad_options(tmp_path):
    with pytest.raises(BenchInputError, match="did you mean 'line_search'"):
        cgdopt.bench.run("compare", out=tmp_path / "x", line_serch="wolfe")
    with pytest.raises(BenchInputError, match="did you mean 'compare'"):
        cgdopt.bench.run("compar", out=tmp_path / "x")
    with pytest.raises(BenchInputError, match="--starts"):
        cgdopt.bench.run("compare", out=tmp_path / "x", starts=0)
    with pytest.raises(BenchInputError, match=r"--line-search: got 'armijo', but --methods \(scipy:BFGS\) "
                                              r"has no cgdopt method"):
        cgdopt.bench.run("compare", out=tmp_path / "x", methods="scipy:BFGS", line_search="armijo")
    assert not (tmp_path / "x").exists()


def test_missing_hessp_is_skipped_with_reason(tmp_path, monkeypatch):
    (tmp_path / "mine_bench_fns.py").write_text(textwrap.dedent("""
        import numpy as np

        class Bowl:
            n, f_opt = 2, 0.0
            bounds = np.array([[-2.0, 2.0], [-2.0, 2.0]])
            def __call__(self, x):
                return float(x @ x)
            def grad(self, x):
                return 2 * x

        bowl = Bowl()

        def my_gd(fun, x0, args=(), jac=None, callback=None, **options):
            from scipy.optimize import OptimizeResult
            x = np.array(x0, float)
            for k in range(100):
                x = x - 0.25 * jac(x)
                if callback is not None:
                    callback(OptimizeResult(x=x, fun=fun(x)))
            return OptimizeResult(x=x, fun=fun(x), success=True, nit=100, message="done")
    """))
    monkeypatch.syspath_prepend(str(tmp_path))
    df = _run(tmp_path, functions="mine_bench_fns:bowl",
              methods="gd,cgd,newton,mine_bench_fns:my_gd", dims=None)
    by = df.set_index(["method", "start"]).status
    assert by["cgd"].eq("skipped").all() and by["newton"].eq("skipped").all()
    assert df[df.method == "cgd"].message.str.contains("needs hessp").all()
    mine = df[df.method == "mine_bench_fns:my_gd"]
    assert (mine.status == "budget").all() and (mine.ngev == 12).all()
    assert (mine.fun < 1e-6).all()


def test_tasks_are_keyed_and_scipy_runs_once_per_start():
    opts = compare.check(dict(functions="matyas", methods="gd,scipy:BFGS",
                              line_search="fixed,wolfe", budget=5, starts=3, dims=None,
                              options="{}", seed=0))
    keys = [t.key for t in compare.tasks(opts)]
    assert len(keys) == len(set(keys)) == 2 * 3 + 3
    assert "matyas|n=2|scipy:BFGS|-|start=2" in keys


@pytest.mark.slow
def test_dask_local_cluster_gives_the_serial_results(tmp_path):
    kw = dict(functions="matyas,booth", methods=["gd", "scipy:BFGS"], line_search="armijo",
              budget=10, starts=2, dims=None)
    serial = _run(tmp_path, "serial", **kw)
    dask = _run(tmp_path, "dask", dask="local", workers=2, **kw)
    cols = [c for c in serial.columns if c not in ("wall_s", "cpu_s")]  # timings differ
    a = serial[cols].sort_values("key").reset_index(drop=True)
    b = dask[cols].sort_values("key").reset_index(drop=True)
    assert len(a) == 8
    pd.testing.assert_frame_equal(a, b, check_exact=True)


def test_crashed_runs_are_counted_in_the_report(tmp_path, monkeypatch):
    def crash_on_start_1(**kwargs):
        if kwargs["start"] == 1:
            raise RuntimeError("boom")
        return real(**kwargs)

    real = compare.run_one
    monkeypatch.setattr(compare, "run_one", crash_on_start_1)
    df = _run(tmp_path, functions="matyas", methods=["gd"], dims=None)
    assert (df.status == "error").sum() == 1 and df.error.dropna().str.contains("boom").all()
    report = (tmp_path / "c" / "report.md").read_text()
    assert "### Errors" in report and "RuntimeError: boom" in report
    assert "| gd (armijo) | 1 | 1 |" in report  # columns: budget, error
