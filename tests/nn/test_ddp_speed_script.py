"""benchmarks/ddp_speed.py: it runs on two gloo processes and counts the all-reduces it claims
(no timing asserted); bad arguments exit 2 with one line."""
import json

import pytest

torch = pytest.importorskip("torch")
dist = pytest.importorskip("torch.distributed")


@pytest.fixture
def run(run_benchmark):
    """``run(*args, timeout=180)``: benchmarks/ddp_speed.py in a subprocess."""
    return lambda *args, **kw: run_benchmark("ddp_speed", *args, **kw)


@pytest.mark.skipif(not dist.is_available() or not dist.is_gloo_available(),
                    reason="torch.distributed with gloo is not available")
def test_tiny_run_counts_one_all_reduce_with_a_local_probe(tmp_path, run):
    out = tmp_path / "r.json"
    res = run("--models", "MLP-2", "--width", "8", "--batch", "4", "--warmup", "0",
              "--repeats", "2", "--count-steps", "2", "--memory-repeats", "2",
              "--methods", "F-GR,F-GR-lean-local,SAM-local",
              "--out", str(out), "--out", str(tmp_path / "r.md"))
    assert res.returncode == 0, res.stderr
    rows = {r["method"]: r for r in json.loads(out.read_text())["rows"]}
    assert list(rows) == ["SGD", "F-GR", "F-GR-lean-local", "SAM-local"]
    buckets = rows["SGD"]["ddp_calls"]
    assert buckets >= 1 and rows["SGD"]["own_calls"] == 0
    assert (rows["F-GR"]["ddp_calls"], rows["F-GR"]["own_calls"]) == (2 * buckets, 0)
    from cgdopt.nn.models import count_parameters, mlp
    nbytes = 4 * count_parameters(mlp(2, width=8))
    assert rows["SGD"]["ddp_bytes"] == nbytes
    for m in ("F-GR-lean-local", "SAM-local"):
        # both passes under no_sync, one flat all-reduce of G (+ the 4-byte fallback flag slot
        # only when a safeguard is on: not here)
        assert (rows[m]["ddp_calls"], rows[m]["own_calls"], rows[m]["own_bytes"]) == (0, 1, nbytes)
    for r in rows.values():
        assert len(r["times_ms"]) == 2 and all(t > 0 for t in r["times_ms"])
        assert len(r["peak_bytes"]) == 2 and min(r["peak_bytes"]) > nbytes  # params + grads at least
    md = (tmp_path / "r.md").read_text()
    assert f"| MLP-2 | {nbytes // 4:,} | F-GR |" in md
    assert "all-reduces 2 -> 1 per step" not in md  # F-GR-lean-local's global pair not asked
    assert "F-GR-lean-local" in md


@pytest.mark.parametrize("args,message", [
    (["--models", "MLP-3"], "--models: unknown MLP-3"),
    (["--methods", "SGD-local"], "--methods: unknown SGD-local"),
    (["--repeats", "1"], "--repeats must be >= 2, got 1"),
    (["--batch", "0"], "--batch must be >= 1, got 0"),
    (["--warmup", "-1"], "--warmup must be >= 0, got -1"),
    (["--memory-repeats", "-2"], "--memory-repeats must be >= 0, got -2"),
])
def test_bad_arguments_exit_2_with_one_line(args, message, run):
    res = run(*args, timeout=60)
    assert res.returncode == 2
    assert message in res.stderr and "Traceback" not in res.stderr
