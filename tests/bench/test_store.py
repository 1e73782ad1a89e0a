"""cgdopt.bench.store: one row per finished run, resume checks, directory checks."""
import math

import pytest

from cgdopt.bench.store import OutputDirError, Store, StudyMismatch


def test_round_trip_of_rows_and_traces(tmp_path):
    with Store(tmp_path / "s", "demo", {"budget": 10}) as st:
        st.add("a", {"f": 1.5, "n": 3, "nan": math.nan, "inf": -math.inf, "ok": True,
                     "opts": {"lam": 0.1}}, [{"f": 2.0}, {"f": 1.0, "g": 3}])
        st.add("b", {"f": 0.5, "extra": "x"})
        runs = st.runs()
        assert list(runs["key"]) == ["a", "b"]
        assert runs.loc[0, "f"] == 1.5 and runs.loc[0, "n"] == 3
        assert math.isnan(runs.loc[0, "nan"]) and runs.loc[0, "inf"] == -math.inf
        assert runs.loc[0, "opts"] == '{"lam":0.1}' and runs.loc[1, "extra"] == "x"
        tr = st.traces()
        assert list(tr["key"]) == ["a", "a"] and list(tr["i"]) == [0, 1]
        assert list(tr["f"]) == [2.0, 1.0] and math.isnan(tr.loc[0, "g"])
        assert st.done() == {"a", "b"}


def test_resume_same_config_keeps_runs_and_mismatch_says_what_differs(tmp_path):
    out = tmp_path / "s"
    with Store(out, "demo", {"budget": 10, "seed": 0}) as st:
        st.add("a", {"f": 1.0})
    with Store(out, "demo", {"seed": 0, "budget": 10}) as st:  # key order does not matter
        assert st.done() == {"a"}
    with pytest.raises(StudyMismatch, match=r"config\.budget: stored 10, now 20.*--force"):
        Store(out, "demo", {"budget": 20, "seed": 0})
    with pytest.raises(StudyMismatch, match=r"study: stored 'demo', now 'other'"):
        Store(out, "other", {"budget": 10, "seed": 0})
    with pytest.raises(StudyMismatch, match=r"versions\.numpy: stored '.*', now '0\.0'"):
        Store(out, "demo", {"budget": 10, "seed": 0}, versions={"numpy": "0.0"})
    with Store(out, "demo", {"budget": 20}, force=True) as st:
        assert st.done() == set()


def test_rows_replace_on_the_same_key_and_trace_follows(tmp_path):
    with Store(tmp_path, "demo", {}) as st:
        st.add("a", {"f": 1.0}, [{"f": 1.0}] * 3)
        st.add("a", {"f": 2.0}, [{"f": 2.0}])
        assert list(st.runs()["f"]) == [2.0]
        assert list(st.traces()["f"]) == [2.0]


def test_foreign_or_unusable_directories_are_refused(tmp_path):
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    with pytest.raises(OutputDirError, match="not empty and holds no results.sqlite"):
        Store(foreign, "demo", {})
    a_file = tmp_path / "file"
    a_file.write_text("x")
    with pytest.raises(OutputDirError, match="is a file"):
        Store(a_file, "demo", {})
    not_db = tmp_path / "bad"
    not_db.mkdir()
    (not_db / "results.sqlite").write_text("this is not sqlite")
    with pytest.raises(OutputDirError, match="not a cgdopt results database"):
        Store(not_db, "demo", {})


def test_directory_that_cannot_be_created_is_refused(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputDirError, match="cannot be created"):
        Store(tmp_path / "file" / "sub", "demo", {})


def test_open_existing_reads_and_refuses_writes(tmp_path):
    with Store(tmp_path, "demo", {"x": 1}) as st:
        st.add("a", {"f": 1.0})
    ro = Store.open_existing(tmp_path)
    assert ro.meta["study"] == "demo" and ro.meta["config"] == {"x": 1}
    assert set(ro.meta["versions"]) >= {"cgdopt", "numpy", "scipy", "python"}
    assert list(ro.runs()["key"]) == ["a"]
    with pytest.raises(ValueError, match="read-only"):
        ro.add("b", {})
    with pytest.raises(OutputDirError, match="not found"):
        Store.open_existing(tmp_path / "nothing")


def test_export_csv(tmp_path):
    with Store(tmp_path, "demo", {}) as st:
        st.add("a", {"f": 1.0})
        path = st.export_csv()
    assert path.name == "runs.csv" and path.read_text().splitlines()[0].startswith("key,f")


def test_mismatch_on_long_lists_names_only_what_changed(tmp_path):
    names = [f"function_{i}" for i in range(60)]
    with Store(tmp_path, "demo", {"functions": names}):
        pass
    with pytest.raises(StudyMismatch) as err:
        Store(tmp_path, "demo", {"functions": names[1:] + ["new_one"]})
    message = str(err.value)
    assert "config.functions: now also ['new_one'], no longer ['function_0']" in message
    assert len(message) < 250
