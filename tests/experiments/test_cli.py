"""The command line and run(): bad input exits 2 before any work; outputs; resume."""
import os
import subprocess
import sys

import pytest

from cgdopt.experiments import EXPERIMENTS, load, run
from cgdopt.experiments.cli import main

torch = pytest.importorskip("torch")


def cli(argv):
    try:
        return main(argv)
    except SystemExit as exc:        # argparse usage errors
        return exc.code


BAD = [
    (["nope"], "invalid choice: 'nope'"),
    (["dln", "--n", "200", "--d", "100"], "n must be <= d"),
    (["dln", "--eps-forward", "-0.1"], "eps_forward must hold numbers > 0"),
    (["dln", "--eps-backward", "0.01", "-0.02"], "eps_backward must hold numbers > 0"),
    (["dln", "--heatmap-eps", "0"], "heatmap_eps must be non-zero"),
    (["dln", "--gamma", "-1"], "gamma must be a number >= 0"),
    (["dln", "--lr", "nan"], "lr must be a number > 0"),
    (["dln", "--seeds", "0"], "seeds must be an int > 0"),
    (["dln", "--workers", "0"], "workers must be an int > 0"),
    (["dln", "--device", "tpu"], "device must be 'cpu' or 'cuda'"),
    (["digits", "--eps", "-0.05"], "eps must be a number > 0"),
    (["digits", "--eps-sweep", "0.1", "-0.2"], "eps_sweep must hold numbers > 0"),
    (["flooding", "--flood", "0"], "flood must be a number > 0"),
    (["two-param", "--inits", "III"], "invalid choice: 'III'"),
    (["cgd-fd-vs-egr", "--switch-after", "-1"], "switch_after must be a non-empty list of ints >= 0"),
    (["cost", "--depths", "0"], "depths must be a list of ints >= 1"),
    (["cost", "--repeats", "2.5"], "invalid int value"),
    (["cost", "--depths", "2", "2"], "depths: 2 is given twice in [2, 2]; give each value once"),
    (["dln", "--eps-forward", "0.01", "0.01"], "eps_forward: 0.01 is given twice"),
    (["cgd-fd-vs-egr", "--switch-after", "3", "1", "3"], "switch_after: 3 is given twice"),
    (["two-param", "--seeds", "3"], "seeds: two-param draws nothing at random"),
    (["cost", "--seeds", "2"], "seeds: cost draws nothing at random"),
    (["two-param", "--device", "cuda"], "device: two-param runs in numpy on the CPU"),
]


@pytest.mark.parametrize("argv,message", BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_input_exits_2_with_one_line_before_any_work(argv, message, tmp_path, capsys):
    out = tmp_path / "out"
    code = cli(argv + ["--out", str(out)] if argv[0] in EXPERIMENTS else argv)
    err = capsys.readouterr().err
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not out.exists()                          # nothing was written


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has CUDA")
def test_cuda_without_cuda_exits_2(tmp_path, capsys):
    assert cli(["dln", "--device", "cuda", "--out", str(tmp_path / "o")]) == 2
    assert "CUDA is not available" in capsys.readouterr().err


def test_module_entry_point_and_help():
    p = subprocess.run([sys.executable, "-m", "cgdopt.experiments", "nope"], capture_output=True, text=True)
    assert p.returncode == 2 and "Traceback" not in p.stderr
    p = subprocess.run([sys.executable, "-m", "cgdopt.experiments", "--help"], capture_output=True, text=True)
    assert p.returncode == 0
    for name in EXPERIMENTS:
        assert name in p.stdout


def test_run_rejects_unknown_option(tmp_path):
    with pytest.raises(ValueError, match="unknown option.*bogus"):
        run("two-param", out=str(tmp_path), bogus=1)
    with pytest.raises(ValueError, match="unknown experiment"):
        run("nope")


TINY_TP = dict(inits=["I"], max_steps=20000, egr_step=1e-2, quiet=True, workers=1, device="cpu")


def test_outputs_and_resume(tmp_path):
    out = str(tmp_path / "tp")
    first = run("two-param", out=out, sweep_h=[0.01], **TINY_TP)
    for f in ("results.sqlite", "runs.csv", "report.md", "figures/two_param_fig1b.png",
              "figures/two_param_phase_I.png"):
        assert os.path.exists(os.path.join(out, f)), f
    assert "falls" in open(os.path.join(out, "report.md")).read() or len(first) > 0
    # extending the sweep reuses every finished run (same wall_s) and adds the new one
    second = run("two-param", out=out, sweep_h=[0.01, 0.02], **TINY_TP)
    assert len(second) == len(first) + 1
    merged = second.set_index("key").loc[first["key"], "wall_s"]
    assert list(merged) == list(first["wall_s"])
    assert len(load(out)) == len(second)


def test_changed_settings_in_same_out_exit_2(tmp_path, capsys):
    out = str(tmp_path / "tp")
    run("two-param", out=out, sweep_h=[0.01], **TINY_TP)
    code = cli(["two-param", "--out", out, "--max-steps", "100", "--quiet", "--workers", "1",
                "--egr-step", "0.01", "--sweep-h", "0.01", "--device", "cpu"])
    err = capsys.readouterr().err
    assert code == 2 and "max_steps" in err and "--force" in err


def test_report_covers_only_the_requested_seeds(tmp_path):
    kw = dict(d=10, n=5, steps=50, eps_forward=[0.01], eps_backward=[0.01], heatmap_gammas=[],
              heatmap_eps=[], quiet=True, workers=1, device="cpu", out=str(tmp_path / "dln"))
    assert len(run("dln", seeds=2, **kw)) == 8
    runs = run("dln", seeds=1, **kw)                  # store keeps 8 runs, the report uses 4
    assert len(runs) == 8
    assert "| GD | 0 | 1 |" in open(tmp_path / "dln" / "report.md").read()


def test_ctrl_c_keeps_finished_runs_writes_report_and_exits_130(tmp_path, monkeypatch, capsys):
    import cgdopt.bench.engine as engine
    real = engine.run_tasks

    def interrupted(tasks, store, **kw):
        real(tasks[:2], store, **kw)                   # two runs finish, then Ctrl-C
        raise KeyboardInterrupt
    monkeypatch.setattr(engine, "run_tasks", interrupted)
    out = tmp_path / "tp"
    argv = ["two-param", "--out", str(out), "--quiet", "--workers", "1", "--device", "cpu",
            "--max-steps", "20000", "--egr-step", "0.01", "--sweep-h", "0.01"]
    assert cli(argv) == 130
    assert "interrupted" in capsys.readouterr().err
    assert (out / "report.md").exists()
    first = load(str(out))
    assert len(first) == 2
    monkeypatch.setattr(engine, "run_tasks", real)
    assert cli(argv) == 0                              # resume: the rest runs, the two are kept
    done = load(str(out)).set_index("key")
    assert len(done) == 5
    assert list(done.loc[first["key"], "wall_s"]) == list(first["wall_s"])


def test_a_dead_worker_exits_1_with_one_line_and_keeps_the_runs(tmp_path, monkeypatch, capsys):
    import cgdopt.bench.engine as engine
    real = engine.run_tasks

    def worker_died(tasks, store, **kw):
        real(tasks[:2], store, **kw)
        raise engine.RunAborted("a worker died (TerminatedWorkerError); 2 runs finished in this "
                                "call are kept: rerun the same command to resume")
    monkeypatch.setattr(engine, "run_tasks", worker_died)
    out = tmp_path / "tp"
    argv = ["two-param", "--out", str(out), "--quiet", "--workers", "1", "--device", "cpu",
            "--max-steps", "20000", "--egr-step", "0.01", "--sweep-h", "0.01"]
    assert cli(argv) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "two-param: error: a worker died (TerminatedWorkerError)" in err and str(out) in err
    assert len(load(str(out))) == 2
