"""cgdopt.bench.engine: parallel runs, resume, errors as rows, interruption, Dask."""
import math

import pytest

from cgdopt.bench.engine import EngineError, Task, check_dask, run_tasks
from cgdopt.bench.store import Store

from . import _engine_tasks as T


def _tasks(n, **kw):
    return [Task(f"r{i:02d}", T.square, dict(i=i, **kw)) for i in range(n)]


def _rows(store):
    runs = store.runs().sort_values("key").drop(columns=["wall_s"]).reset_index(drop=True)
    return runs, store.traces().sort_values(["key", "i"]).reset_index(drop=True)


def test_serial_run_commits_every_task_and_resume_runs_nothing(tmp_path):
    with Store(tmp_path, "demo", {}) as st:
        assert run_tasks(_tasks(5), st, workers=1, quiet=True) == 5
        runs = st.runs()
        assert sorted(runs["value"]) == [0, 1, 4, 9, 16] and (runs["wall_s"] >= 0).all()
        assert math.isnan(runs["nan"][0]) and runs["inf"][0] == math.inf
        assert len(st.traces()) == 15
        assert run_tasks(_tasks(5), st, workers=1, quiet=True) == 0
        assert run_tasks(_tasks(7), st, workers=1, quiet=True) == 2  # more tasks extend the study


def test_two_local_processes_give_the_serial_results(tmp_path):
    with Store(tmp_path / "a", "demo", {}) as a, Store(tmp_path / "b", "demo", {}) as b:
        run_tasks(_tasks(6), a, workers=1, quiet=True)
        run_tasks(_tasks(6), b, workers=2, quiet=True)
        ra, ta = _rows(a)
        rb, tb = _rows(b)
        assert ra.equals(rb) and ta.equals(tb)


def test_an_exception_in_a_run_is_a_row_not_a_crash(tmp_path):
    with Store(tmp_path, "demo", {}) as st:
        run_tasks([Task("bad", T.square, dict(i=1, fail=True))] + _tasks(2), st, workers=1, quiet=True)
        runs = st.runs().set_index("key")
        assert runs.loc["bad", "status"] == "error"
        assert runs.loc["bad", "error"] == "RuntimeError: run 1 failed on purpose"
        assert runs.loc["r01", "value"] == 1


def test_interrupt_keeps_finished_runs_and_rerun_completes(tmp_path):
    with Store(tmp_path, "demo", {}) as st:
        with pytest.raises(KeyboardInterrupt):
            run_tasks(_tasks(6, interrupt_at=3), st, workers=1, quiet=True)
        assert st.done() == {"r00", "r01", "r02"}
        assert run_tasks(_tasks(6), st, workers=1, quiet=True) == 3
        assert len(st.done()) == 6


def test_bad_arguments_fail_before_work(tmp_path):
    with Store(tmp_path, "demo", {}) as st:
        with pytest.raises(EngineError, match="unique"):
            run_tasks(_tasks(2) + _tasks(1), st, workers=1, quiet=True)
        for bad in (0, -1, 1.5, True, "2"):
            with pytest.raises(EngineError, match="--workers must be a whole number >= 1"):
                run_tasks(_tasks(1), st, workers=bad, quiet=True)
        assert st.done() == set()


def test_dask_address_that_does_not_answer_is_refused_at_once():
    pytest.importorskip("distributed")
    with pytest.raises(EngineError, match="does not answer"):
        check_dask("tcp://127.0.0.1:9")
    with pytest.raises(EngineError, match="'local' or a scheduler address"):
        check_dask("")
    check_dask(None)
    check_dask("local")


@pytest.mark.slow
def test_dask_local_cluster_gives_exactly_the_serial_results(tmp_path):
    pytest.importorskip("distributed")
    with Store(tmp_path / "a", "demo", {}) as a, Store(tmp_path / "b", "demo", {}) as b:
        run_tasks(_tasks(6), a, workers=1, quiet=True)
        assert run_tasks(_tasks(6), b, workers=2, dask="local", quiet=True) == 6
        ra, ta = _rows(a)
        rb, tb = _rows(b)
        assert ra.equals(rb) and ta.equals(tb)


def test_a_dask_cluster_that_cannot_start_ends_with_run_aborted(tmp_path, monkeypatch):
    pytest.importorskip("distributed")
    from cgdopt.bench import engine

    def broken(address, workers):
        raise RuntimeError("Nanny failed to start")

    monkeypatch.setattr(engine, "_dask_backend", broken)
    with Store(tmp_path, "demo", {}) as st:
        with pytest.raises(engine.RunAborted, match="could not be used: RuntimeError: Nanny failed to start"):
            run_tasks(_tasks(2), st, workers=1, dask="local", quiet=True)
        assert st.done() == set()


def _ctrl_c_tasks(n, **kw):
    return [Task(f"c{i:02d}", T.ctrl_c, dict(i=i, **kw)) for i in range(n)]


def test_a_first_ctrl_c_lets_the_run_in_flight_finish_and_commits_it(tmp_path, capsys):
    with Store(tmp_path, "demo", {}) as st:
        with pytest.raises(KeyboardInterrupt):
            run_tasks(_ctrl_c_tasks(8, at=3), st, workers=1, quiet=True)
        assert st.done() == {"c00", "c01", "c02", "c03"}  # c03 got the Ctrl-C and still finished
    assert "Ctrl-C again to stop now" in capsys.readouterr().err


def test_a_second_ctrl_c_stops_at_once(tmp_path):
    with Store(tmp_path, "demo", {}) as st:
        with pytest.raises(KeyboardInterrupt):
            run_tasks(_ctrl_c_tasks(8, at=3, times=2), st, workers=1, quiet=True)
        assert st.done() == {"c00", "c01", "c02"}  # c03 was stopped inside


def test_ctrl_c_with_worker_processes_commits_every_run_that_finished(tmp_path):
    with Store(tmp_path, "demo", {}) as st:
        with pytest.raises(KeyboardInterrupt):
            run_tasks(_ctrl_c_tasks(40, at=5, to_parent=True), st, workers=2, quiet=True)
        done = st.done()
        assert "c05" in done  # the worker that sent the signal ignored it and finished its run
        n = len(done)
    with Store(tmp_path, "demo", {}) as st:  # the rest resumes
        assert run_tasks(_ctrl_c_tasks(40, at=-1), st, workers=2, quiet=True) == 40 - n


def test_one_run_left_with_two_workers_still_drains_on_ctrl_c(tmp_path):
    # joblib runs a single task in this process: it must not start ignoring SIGINT here
    with Store(tmp_path, "demo", {}) as st:
        with pytest.raises(KeyboardInterrupt):
            run_tasks(_ctrl_c_tasks(1, at=0), st, workers=2, quiet=True)
        assert st.done() == {"c00"}
    import signal
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
