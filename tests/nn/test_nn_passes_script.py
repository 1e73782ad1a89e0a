"""benchmarks/nn_passes.py: a tiny run reports every pass and an estimate that follows from
them (no timing asserted); bad arguments exit 2 with one line."""
import json

import pytest

torch = pytest.importorskip("torch")


@pytest.fixture
def run(run_benchmark):
    """``run(*args, timeout=180)``: benchmarks/nn_passes.py in a subprocess."""
    return lambda *args, **kw: run_benchmark("nn_passes", *args, **kw)


def test_tiny_run_reports_the_passes_and_their_sum(tmp_path, run):
    out = tmp_path / "p.json"
    res = run("--models", "MLP-2,MLP-4", "--width", "16", "--batch", "4", "--repeats", "3",
              "--flush-mb", "1", "--out", str(out))
    assert res.returncode == 0, res.stderr
    data = json.loads(out.read_text())
    assert [r["model"] for r in data["rows"]] == ["MLP-2", "MLP-4"]
    for r in data["rows"]:
        med = r["median_ms"]
        assert list(med) == ["screen", "offset", "removal", "lerp", "SGD update", "SGD step"]
        assert all(len(t) == 3 and min(t) > 0 for t in r["times_ms"].values())
        extra = 2 * med["screen"] + med["offset"] + med["removal"] + med["lerp"] - med["SGD update"]
        assert r["extra_ms"] == pytest.approx(extra)
        assert r["estimate"] == pytest.approx(2 + extra / med["SGD step"])
    # MLP-4 has two more 16x16 layers than MLP-2: 2 * (256 + 16) parameters of 4 bytes
    assert data["rows"][1]["mb_per_list"] - data["rows"][0]["mb_per_list"] == pytest.approx(2 * 272 * 4 / 1e6)
    assert "| MLP-4 |" in res.stdout and "estimate of F-GR-lean/SGD" in res.stdout
    assert "every pass from a cold cache (1 MB written before it)" in res.stdout


@pytest.fixture(scope="module")
def nn_passes(benchmark_script):
    return benchmark_script("nn_passes")


def test_the_passes_change_the_lists_as_gr_does(nn_passes):
    """The timed closures are GR's own kernels: offset then removal leave theta within
    rounding, and the lerp forms a g + b g_probe with GR's coefficients."""
    passes, theta, g, gp, eps, (a, b) = nn_passes.setup("MLP-2", 8, 2)
    theta0, g0, gp0 = ([t.clone() for t in ts] for ts in (theta, g, gp))
    passes["offset"]()
    for t, t0, gi in zip(theta, theta0, g0):
        torch.testing.assert_close(t, t0 + eps * gi)
    passes["removal"]()
    for t, t0 in zip(theta, theta0):
        torch.testing.assert_close(t, t0)
    passes["lerp"]()
    for G, gi, pi in zip(gp, g0, gp0):
        torch.testing.assert_close(G, a * gi + b * pi)
    assert passes["screen"]() is None


@pytest.mark.parametrize("args,message", [
    (["--models", "MLP-3"], "--models: unknown MLP-3"),
    (["--models", ""], "--models: unknown (empty)"),
    (["--repeats", "1"], "--repeats must be >= 2, got 1"),
    (["--threads", "0"], "--threads must be >= 1, got 0"),
    (["--flush-mb", "-1"], "--flush-mb must be >= 0, got -1"),
    (["--width", "0"], "--width must be >= 1, got 0"),
    (["--batch", "0"], "--batch must be >= 1, got 0"),
    (["--repeats", "x"], "argument --repeats: invalid int value: 'x'"),
])
def test_bad_arguments_exit_2_with_one_line(nn_passes, capsys, args, message):
    with pytest.raises(SystemExit) as exc:
        nn_passes.main(args)
    assert exc.value.code == 2
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert ": error: " in last and message in last
