"""The result store: one SQLite database per study, one row per finished run.

A study's output directory holds ``results.sqlite`` with three tables:

``meta``
    one row: the study's name, its configuration (JSON), a hash of it, the
    versions it ran with and when it was created;
``runs``
    one row per finished run, keyed by the run's ``key``; columns are added as
    new fields appear, so every study keeps its own columns;
``traces``
    per-iteration records of each run (``key``, ``i`` and the trace's fields).

Each run is committed in its own transaction as soon as it finishes, so an
interrupted study keeps everything that finished (the pattern of COCO's
observer and optuna's storage: running and reading are separate).  Opening the
same directory with the same configuration and versions resumes the study;
anything else is refused with a message saying what differs.
"""
from __future__ import annotations

import datetime
import hashlib
import json
import math
import os
import platform
import shutil
import sqlite3
from pathlib import Path
from typing import Any, Iterable, Mapping

import pandas as pd

__all__ = ["Store", "StoreError", "StudyMismatch", "OutputDirError", "DB_NAME", "default_versions"]

DB_NAME = "results.sqlite"
_SQLITE_SIDE_FILES = (DB_NAME + "-journal", DB_NAME + "-wal", DB_NAME + "-shm")


class StoreError(ValueError):
    """A study's output directory cannot be used."""


class StudyMismatch(StoreError):
    """The output directory holds a study with other options or other versions."""


class OutputDirError(StoreError):
    """The output directory is unwritable, or holds files that are not a study's."""


def default_versions() -> dict[str, str]:
    """Versions recorded with every study: cgdopt, numpy, scipy and python."""
    import numpy
    import scipy

    import cgdopt

    return {"cgdopt": cgdopt.__version__, "numpy": numpy.__version__,
            "scipy": scipy.__version__, "python": platform.python_version()}


def _jsonable(value: Any) -> Any:
    """Make ``value`` JSON-serializable in a stable way (tuples as lists, numpy scalars as numbers)."""
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "item") and callable(value.item) and getattr(value, "ndim", 1) == 0:
        return value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return repr(value)


def _dumps(value: Any) -> str:
    return json.dumps(_jsonable(value), sort_keys=True, separators=(",", ":"))


def _cell(value: Any) -> Any:
    """One SQLite cell: numbers, text or None; ±inf are stored as such, NaN reads back as NaN (NULL)."""
    if hasattr(value, "item") and callable(value.item) and getattr(value, "ndim", 1) == 0:
        value = value.item()
    if isinstance(value, bool):
        return int(value)
    if value is None or isinstance(value, (int, float, str)):
        return value
    return _dumps(value)


def _quote(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


class Store:
    """The SQLite store of one study in ``out_dir``.

    Parameters
    ----------
    out_dir : str or Path
        The study's output directory; created (with ``figures/``) when missing.
    study : str
        The study's name, e.g. ``"paper"``.
    config : dict
        Everything that must match to resume: options that change results.
        Options that only extend a study (more starts) or do not change results
        (workers, progress display) stay out of it.
    force : bool, optional
        Delete earlier results in ``out_dir`` and start over.
    versions : dict, optional
        Versions to record and compare on resume; defaults to
        :func:`default_versions`, and extra entries (e.g. ``torch``) are added to it.

    Raises
    ------
    OutputDirError
        ``out_dir`` is not a directory, is not writable, or is non-empty but
        holds no ``results.sqlite``.
    StudyMismatch
        ``out_dir`` holds another study, or this study with another
        configuration or other versions.
    """

    def __init__(self, out_dir: str | os.PathLike[str], study: str, config: Mapping[str, Any], *,
                 force: bool = False, versions: Mapping[str, str] | None = None) -> None:
        self.out_dir = Path(out_dir)
        self.path = self.out_dir / DB_NAME
        self._readonly = False
        wanted_versions = {**default_versions(), **dict(versions or {})}
        meta = {"study": study, "config": _jsonable(dict(config)),
                "config_hash": hashlib.sha256(_dumps(config).encode()).hexdigest()[:16],
                "versions": _jsonable(wanted_versions)}
        self._prepare_dir(force)
        self._con = sqlite3.connect(self.path)
        try:
            self._init_schema()
        except sqlite3.DatabaseError:
            self._con.close()
            raise OutputDirError(f"{self.path} is not a cgdopt results database") from None
        stored = self._read_meta()
        if stored is None:
            meta["created"] = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
            with self._con:
                self._con.execute("INSERT INTO meta (id, json) VALUES (1, ?)", (_dumps(meta),))
            self.meta = meta
        else:
            differences = _differences(stored, meta)
            if differences:
                self._con.close()
                raise StudyMismatch(
                    f"{self.out_dir} holds results of another run ({'; '.join(differences)}): "
                    "use another --out, or --force to start over")
            self.meta = stored

    # -- opening -----------------------------------------------------------------------------
    @classmethod
    def open_existing(cls, out_dir: str | os.PathLike[str]) -> "Store":
        """Open a finished or interrupted study for reading, without any checks of its options."""
        path = Path(out_dir) / DB_NAME
        if not path.is_file():
            raise OutputDirError(f"no study in {out_dir}: {DB_NAME} not found")
        self = cls.__new__(cls)
        self.out_dir, self.path, self._readonly = Path(out_dir), path, True
        self._con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        meta = self._read_meta()
        if meta is None:
            raise OutputDirError(f"{path} is not a finished or interrupted study (no meta record)")
        self.meta = meta
        return self

    def _prepare_dir(self, force: bool) -> None:
        d = self.out_dir
        if d.exists() and not d.is_dir():
            raise OutputDirError(f"--out {d} is a file, not a directory")
        if force and d.is_dir():
            for name in (DB_NAME, *_SQLITE_SIDE_FILES):
                (d / name).unlink(missing_ok=True)
            for name in ("runs.csv", "report.md"):
                (d / name).unlink(missing_ok=True)
            shutil.rmtree(d / "figures", ignore_errors=True)
        if d.is_dir() and any(d.iterdir()) and not (d / DB_NAME).is_file():
            raise OutputDirError(f"--out {d} is not empty and holds no {DB_NAME}: "
                                 "choose an empty or new directory")
        try:
            (d / "figures").mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputDirError(f"--out {d} cannot be created: {exc.strerror or exc}") from None
        if not os.access(d, os.W_OK | os.X_OK):
            raise OutputDirError(f"--out {d} is not writable")

    def _init_schema(self) -> None:
        with self._con:
            self._con.execute("CREATE TABLE IF NOT EXISTS meta (id INTEGER PRIMARY KEY, json TEXT)")
            self._con.execute("CREATE TABLE IF NOT EXISTS runs (key TEXT PRIMARY KEY)")
            self._con.execute("CREATE TABLE IF NOT EXISTS traces (key TEXT, i INTEGER)")
            self._con.execute("CREATE INDEX IF NOT EXISTS traces_key ON traces (key, i)")

    def _read_meta(self) -> dict[str, Any] | None:
        try:
            row = self._con.execute("SELECT json FROM meta WHERE id = 1").fetchone()
        except sqlite3.DatabaseError:
            raise OutputDirError(f"{self.path} is not a cgdopt results database") from None
        return None if row is None else json.loads(row[0])

    # -- writing -----------------------------------------------------------------------------
    def _columns(self, table: str) -> set[str]:
        return {r[1] for r in self._con.execute(f"PRAGMA table_info({table})")}

    def _ensure_columns(self, table: str, names: Iterable[str]) -> None:
        missing = [n for n in dict.fromkeys(names) if n not in self._columns(table)]
        for name in missing:
            self._con.execute(f"ALTER TABLE {table} ADD COLUMN {_quote(name)}")

    def add(self, key: str, row: Mapping[str, Any], trace: list[Mapping[str, Any]] | None = None) -> None:
        """Commit one finished run (its row and its per-iteration trace) in one transaction."""
        if self._readonly:
            raise StoreError("this store was opened read-only (Store.open_existing)")
        row = {k: v for k, v in row.items() if k != "key"}
        with self._con:
            self._ensure_columns("runs", row)
            cols = ["key", *row]
            self._con.execute(
                f"INSERT OR REPLACE INTO runs ({', '.join(map(_quote, cols))}) "
                f"VALUES ({', '.join('?' * len(cols))})", [key, *(_cell(v) for v in row.values())])
            self._con.execute("DELETE FROM traces WHERE key = ?", (key,))
            if trace:
                fields = list(dict.fromkeys(f for rec in trace for f in rec if f not in ("key", "i")))
                self._ensure_columns("traces", fields)
                cols = ["key", "i", *fields]
                self._con.executemany(
                    f"INSERT INTO traces ({', '.join(map(_quote, cols))}) "
                    f"VALUES ({', '.join('?' * len(cols))})",
                    [[key, i, *(_cell(rec.get(f)) for f in fields)] for i, rec in enumerate(trace)])

    # -- reading -----------------------------------------------------------------------------
    def done(self) -> set[str]:
        """Keys of the finished runs."""
        return {r[0] for r in self._con.execute("SELECT key FROM runs")}

    def runs(self) -> pd.DataFrame:
        """One row per finished run, in the order they finished."""
        return _missing_as_nan(pd.read_sql_query("SELECT * FROM runs ORDER BY rowid", self._con))

    def traces(self) -> pd.DataFrame:
        """Per-iteration records of every run, ordered by ``key`` and ``i``."""
        return _missing_as_nan(pd.read_sql_query("SELECT * FROM traces ORDER BY key, i", self._con))

    def export_csv(self, path: str | os.PathLike[str] | None = None) -> Path:
        """Write the runs table as CSV (``out_dir/runs.csv`` by default) and return its path."""
        target = Path(path) if path is not None else self.out_dir / "runs.csv"
        self.runs().to_csv(target, index=False)
        return target

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _missing_as_nan(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns holding only NULLs (NaN results, absent fields) read back as float NaN, not None."""
    for col in frame.columns:
        if frame[col].isna().all():
            frame[col] = frame[col].astype(float)
    return frame


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 5] + " ...]"[-5 if text.startswith("[") else -4:]


def _describe(key: str, old: Any, new: Any) -> str:
    """One difference, short enough for a one-line error: lists say what was added and removed."""
    if isinstance(old, list) and isinstance(new, list):
        added = [v for v in new if v not in old]
        removed = [v for v in old if v not in new]
        if added or removed:
            parts = [f"now also {_short(added)}" if added else "", f"no longer {_short(removed)}" if removed else ""]
            return f"{key}: " + ", ".join(p for p in parts if p)
        return f"{key}: same entries in another order"
    return f"{key}: stored {_short(old)}, now {_short(new)}"


def _differences(stored: Mapping[str, Any], wanted: Mapping[str, Any]) -> list[str]:
    """Human-readable differences between a stored meta record and the wanted one."""
    out = []
    if stored.get("study") != wanted["study"]:
        out.append(f"study: stored {stored.get('study')!r}, now {wanted['study']!r}")
        return out
    for section in ("config", "versions"):
        a, b = stored.get(section) or {}, wanted[section]
        for k in sorted(set(a) | set(b)):
            if a.get(k) != b.get(k):
                out.append(_describe(f"{section}.{k}", a.get(k, "(absent)"), b.get(k, "(absent)")))
    return out
