"""The bench CLI: help, version, one-line errors before any work (exit 2), resume, Ctrl-C (exit 130)."""
import os
import signal
import subprocess
import sys
import time

import pytest

import cgdopt
from cgdopt.bench.cli import main
from cgdopt.bench.studies import compare

SMALL = ["compare", "--functions", "matyas,booth", "--methods", "gd,scipy:BFGS",
         "--line-search", "armijo", "--budget", "8", "--starts", "2", "--workers", "1", "--quiet"]


def test_help_lists_every_study_and_option(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for word in ("compare", "--functions", "--methods", "--line-search", "--budget", "--starts",
                 "--dims", "--options", "--out", "--workers", "--dask", "--seed", "--force",
                 "--quiet"):
        assert word in out
    assert "``" not in out and ":func:" not in out  # no raw markup


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"cgdopt {cgdopt.__version__}"


@pytest.mark.parametrize("args, words", [
    (["compare", "--functions", "rosenbrok"], ["--functions", "did you mean 'rosenbrock'"]),
    (["compare", "--functions", "tag:nope"], ["unknown tag 'nope'"]),
    (["compare", "--methods", "cgdfd"], ["--methods", "did you mean 'cgd-fd'"]),
    (["compare", "--methods", "scipy:BFSG"], ["did you mean 'BFGS'"]),
    (["compare", "--line-search", "wolf"], ["--line-search", "did you mean 'wolfe'"]),
    (["compare", "--budget", "0"], ["--budget: got 0", "integer >= 1"]),
    (["compare", "--budget", "ten"], ["--budget", "invalid int value"]),
    (["compare", "--starts", "0"], ["--starts: got 0"]),
    (["compare", "--workers", "0"], ["--workers: got 0"]),
    (["compare", "--dims", "0"], ["--dims"]),
    (["compare", "--options", "{bad"], ["--options: not valid JSON"]),
    (["compare", "--options", '{"scipy:TNC": {}}'], ["'scipy:TNC' is not among --methods"]),
    (["compare", "--options", '{"gd": {"stepp": 1}}'], ["--options: gd", "stepp"]),
    (["compare", "--options", '{"scipy:BFGS": {"gtoll": 1}}'], ["--options: scipy:BFGS", "gtoll"]),
    (["compare", "--dask", "tcp://127.0.0.1:9"], ["--dask", "does not answer"]),
    (["compar"], ["invalid choice"]),
])
def test_bad_input_exits_2_with_one_line(args, words, capsys, tmp_path):
    out = tmp_path / "out"
    assert main([*args, "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    for w in words:
        assert w in err
    assert not (out / "results.sqlite").exists()  # no work started


def test_foreign_and_unwritable_out(tmp_path, capsys):
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    assert main([*SMALL, "--out", str(foreign)]) == 2
    assert "results.sqlite" in capsys.readouterr().err
    afile = tmp_path / "afile"
    afile.write_text("x")
    assert main([*SMALL, "--out", str(afile / "sub")]) == 2
    assert capsys.readouterr().err.startswith("error:")


def test_run_resume_and_mismatch(tmp_path, capsys):
    out = tmp_path / "c"
    assert main([*SMALL, "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "Fraction of problems solved" in text and "# 8 runs now, 8 of 8 finished" in text
    for name in ("results.sqlite", "runs.csv", "report.md", "figures/compare_data_profiles.png",
                 "figures/compare_performance_profiles.png"):
        assert (out / name).exists(), name
    assert "](figures/compare_performance_profiles.png)" in (out / "report.md").read_text()
    assert main([*SMALL, "--out", str(out)]) == 0  # same command: resumes, nothing to run
    assert "# 0 runs now, 8 of 8 finished" in capsys.readouterr().out
    more = [a if a != "2" else "3" for a in SMALL]  # --starts 3 extends the study
    assert main([*more, "--out", str(out)]) == 0
    assert "# 4 runs now, 12 of 12 finished" in capsys.readouterr().out
    assert main([*SMALL, "--budget", "9", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "config.budget: stored 8, now 9" in err and "--force" in err
    assert main([*SMALL, "--budget", "9", "--out", str(out), "--force"]) == 0


def test_ctrl_c_keeps_finished_runs_and_writes_report(tmp_path, capsys, monkeypatch):
    calls = {"n": 0}
    real = compare.run_one

    def interrupted_after_3(**kwargs):
        calls["n"] += 1
        if calls["n"] > 3:
            raise KeyboardInterrupt
        return real(**kwargs)

    monkeypatch.setattr(compare, "run_one", interrupted_after_3)
    out = tmp_path / "c"
    assert main([*SMALL, "--out", str(out)]) == 130
    assert "interrupted: 3 of 8 runs finished" in capsys.readouterr().err
    assert "Interrupted" in (out / "report.md").read_text()
    assert len((out / "runs.csv").read_text().splitlines()) == 1 + 3
    monkeypatch.setattr(compare, "run_one", real)
    assert main([*SMALL, "--out", str(out)]) == 0  # resumes: only the 5 missing runs
    assert "# 5 runs now, 8 of 8 finished" in capsys.readouterr().out


@pytest.mark.slow
def test_sigint_to_a_running_process(tmp_path):
    """A real Ctrl-C (SIGINT) to ``python -m cgdopt.bench``: exit 130, finished runs kept."""
    out = tmp_path / "c"
    args = [sys.executable, "-m", "cgdopt.bench", "compare", "--functions", "all", "--methods",
            "gd", "--line-search", "armijo", "--budget", "50", "--starts", "3", "--workers", "1",
            "--quiet", "--out", str(out)]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    db = out / "runs.csv"
    deadline = time.time() + 60
    import sqlite3
    while time.time() < deadline:  # wait until some runs are committed
        time.sleep(0.5)
        try:
            con = sqlite3.connect(out / "results.sqlite")
            n = con.execute("SELECT count(*) FROM runs").fetchone()[0]
            con.close()
        except sqlite3.Error:
            n = 0
        if n >= 5:
            break
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr and "rerun the same command" in stderr
    finished = len(db.read_text().splitlines()) - 1
    assert finished >= 5
    assert "Interrupted" in (out / "report.md").read_text()


def test_a_dead_worker_exits_1_with_one_line_and_writes_what_finished(tmp_path, capsys, monkeypatch):
    import cgdopt.bench.engine as engine
    real = engine.run_tasks

    def worker_died(tasks, store, **kw):
        real(tasks[:3], store, **kw)
        raise engine.RunAborted("a worker died (TerminatedWorkerError); 3 runs finished in this "
                                "call are kept: rerun the same command to resume")
    monkeypatch.setattr(engine, "run_tasks", worker_died)
    out = tmp_path / "c"
    assert main([*SMALL, "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert err.count("rerun the same command") == 1 and str(out) in err
    assert len((out / "runs.csv").read_text().splitlines()) == 1 + 3
    assert "Interrupted" in (out / "report.md").read_text()
