"""The ledger (SPEC §3, §12): SQLite state beside the month's flow, in ``.baocao/ledger.sqlite``.

It records every arrival (path, bytes, received time), a cache of what the reader made of each distinct
content, every accepted task row per period (the history evaluation carries forward) and every run.
Writes happen in transactions; the schema carries its version in ``PRAGMA user_version`` and is migrated
forward on open.
"""

from __future__ import annotations

import datetime as dt
import json
import pickle
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from automation.model import FileRecord, ParsedReport, TaskReport

LEDGER_NAME = "ledger.sqlite"

_MIGRATIONS: tuple[str, ...] = (
    # 1: arrivals, parse cache, history of accepted rows, runs
    """
    CREATE TABLE arrivals (
        path TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        source TEXT NOT NULL,
        sender TEXT,
        received_at TEXT NOT NULL,
        seen_by TEXT NOT NULL,
        PRIMARY KEY (path, sha256)
    );
    CREATE INDEX arrivals_by_stat ON arrivals (path, size, mtime_ns);
    CREATE TABLE parsed (
        sha256 TEXT NOT NULL,
        reader_version TEXT NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (sha256, reader_version)
    );
    CREATE TABLE reports (
        period TEXT NOT NULL,
        unit TEXT NOT NULL,
        task TEXT NOT NULL,
        role TEXT NOT NULL,
        status TEXT NOT NULL,
        completed_on TEXT,
        progress INTEGER,
        results TEXT NOT NULL,
        difficulties TEXT NOT NULL,
        proposals TEXT NOT NULL,
        evidence TEXT NOT NULL,
        file TEXT NOT NULL,
        row INTEGER,
        received_at TEXT,
        sha256 TEXT NOT NULL
    );
    CREATE INDEX reports_by_period ON reports (period, unit);
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        period TEXT NOT NULL,
        as_of TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        report TEXT
    );
    """,
    # 2: fingerprints of written outputs, so an unchanged feedback file is not written again
    """
    CREATE TABLE outputs (
        path TEXT PRIMARY KEY,
        fingerprint TEXT NOT NULL
    );
    """,
    # 3: each file's identification and validation, keyed by everything they depend on
    """
    CREATE TABLE judged (
        key TEXT PRIMARY KEY,
        data BLOB NOT NULL
    );
    """,
)


@dataclass(frozen=True)
class Arrival:
    path: str
    sha256: str
    size: int
    mtime_ns: int
    source: str
    sender: str | None
    received_at: dt.datetime
    seen_by: str  # "scan", "collect" or "mail"


def _iso(value: dt.datetime | dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _datetime(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


class Ledger:
    """The SQLite ledger of one workspace. Use as a context manager; each ``transaction`` is atomic."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(path, timeout=60, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self._migrate()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        for number, script in enumerate(_MIGRATIONS[version:], start=version + 1):
            with self.transaction():
                for statement in script.split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {number}")

    @property
    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # --- arrivals ---------------------------------------------------------------------------------

    def known_paths(self) -> int:
        """How many distinct paths have ever arrived."""
        return int(self.db.execute("SELECT COUNT(DISTINCT path) FROM arrivals").fetchone()[0])

    def arrivals(self) -> list[Arrival]:
        return [
            self._arrival(r) for r in self.db.execute("SELECT * FROM arrivals ORDER BY path, received_at")
        ]

    @staticmethod
    def _arrival(row: tuple) -> Arrival:
        path, sha, size, mtime_ns, source, sender, received, seen_by = row
        return Arrival(
            path, sha, size, mtime_ns, source, sender, dt.datetime.fromisoformat(received), seen_by
        )

    def record_arrivals(self, arrivals: Iterable[Arrival]) -> None:
        """Record arrivals not yet known. A known (path, bytes) keeps its first received time forever."""
        rows = [
            (a.path, a.sha256, a.size, a.mtime_ns, a.source, a.sender, a.received_at.isoformat(), a.seen_by)
            for a in arrivals
        ]
        if rows:
            with self.transaction() as db:
                db.executemany("INSERT OR IGNORE INTO arrivals VALUES (?,?,?,?,?,?,?,?)", rows)
                # a file re-touched without changing its bytes keeps its arrival; remember the new stat
                db.executemany(
                    "UPDATE arrivals SET size=?, mtime_ns=? WHERE path=? AND sha256=?",
                    [(r[2], r[3], r[0], r[1]) for r in rows],
                )

    # --- parse cache ------------------------------------------------------------------------------

    def parsed(self, sha256s: Iterable[str], reader_version: str) -> dict[str, ParsedReport]:
        """Cached reader results for these contents (what is missing or unreadable is simply absent)."""
        found: dict[str, ParsedReport] = {}
        wanted = list(dict.fromkeys(sha256s))
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            query = f"SELECT sha256, data FROM parsed WHERE reader_version=? AND sha256 IN ({marks})"
            for sha, data in self.db.execute(query, (reader_version, *chunk)):
                try:
                    found[sha] = pickle.loads(data)  # our own cache, written below by this program
                except Exception:  # an unreadable cache entry is re-parsed, never trusted
                    continue
        return found

    def store_parsed(
        self, items: dict[str, ParsedReport], reader_version: str, judged: dict[str, FileRecord] | None = None
    ) -> None:
        """Cache readings by content and, in the same transaction, judgements (``judged``) by their key.

        A judged record is stored without its reading (``parsed``): that is cached once, by content.
        """
        if items or judged:
            with self.transaction() as db:
                db.executemany(
                    "INSERT OR REPLACE INTO parsed VALUES (?,?,?)",
                    [(sha, reader_version, pickle.dumps(p, protocol=5)) for sha, p in items.items()],
                )
                db.executemany(
                    "INSERT OR REPLACE INTO judged VALUES (?,?)",
                    [
                        (key, pickle.dumps(replace(r, parsed=None), protocol=5))
                        for key, r in (judged or {}).items()
                    ],
                )

    def judged(self, keys: Iterable[str]) -> dict[str, FileRecord]:
        """Cached judgements (see ``store_parsed``) for these keys; what is missing is simply absent."""
        found: dict[str, FileRecord] = {}
        wanted = list(dict.fromkeys(keys))
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            query = f"SELECT key, data FROM judged WHERE key IN ({','.join('?' * len(chunk))})"
            for key, data in self.db.execute(query, chunk):
                try:
                    found[key] = pickle.loads(data)  # our own cache, written by store_parsed
                except Exception:  # an unreadable entry is judged again, never trusted
                    continue
        return found

    # --- history of accepted rows ------------------------------------------------------------------

    def replace_reports(self, period: str, unit: str, reports: Iterable[TaskReport], sha256: str) -> None:
        """Make ``reports`` (from one accepted file) the unit's rows for ``period``."""
        with self.transaction() as db:
            db.execute("DELETE FROM reports WHERE period=? AND unit=?", (period, unit))
            db.executemany(
                "INSERT INTO reports VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (
                        r.period,
                        r.unit,
                        r.task,
                        r.role,
                        r.status,
                        _iso(r.completed_on),
                        r.progress,
                        r.results,
                        r.difficulties,
                        r.proposals,
                        r.evidence,
                        r.file,
                        r.row,
                        _iso(r.received_at),
                        sha256,
                    )
                    for r in reports
                ],
            )

    def history(self, before_period: str) -> list[TaskReport]:
        """Every recorded row of periods before ``before_period``, oldest first."""
        rows = self.db.execute(
            "SELECT period, unit, task, role, status, completed_on, progress, results, difficulties, proposals,"
            " evidence, file, row, received_at FROM reports WHERE period < ? ORDER BY period, unit, task, row",
            (before_period,),
        )
        return [
            TaskReport(
                period=p,
                unit=u,
                task=t,
                role=role,
                status=status,
                completed_on=dt.date.fromisoformat(done) if done else None,
                progress=progress,
                results=results,
                difficulties=difficulties,
                proposals=proposals,
                evidence=evidence,
                file=file,
                row=row,
                received_at=_datetime(received),
            )
            for (
                p,
                u,
                t,
                role,
                status,
                done,
                progress,
                results,
                difficulties,
                proposals,
                evidence,
                file,
                row,
                received,
            ) in rows
        ]

    # --- outputs -----------------------------------------------------------------------------------------

    def output_fingerprints(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT path, fingerprint FROM outputs"))

    def record_outputs(self, fingerprints: dict[str, str]) -> None:
        if fingerprints:
            with self.transaction() as db:
                db.executemany("INSERT OR REPLACE INTO outputs VALUES (?,?)", list(fingerprints.items()))

    # --- runs ---------------------------------------------------------------------------------------

    def start_run(self, period: str, as_of: dt.datetime, started_at: dt.datetime) -> int:
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO runs (period, as_of, started_at) VALUES (?,?,?)",
                (period, as_of.isoformat(), started_at.isoformat()),
            )
            return int(cursor.lastrowid)

    def finish_run(self, run_id: int, finished_at: dt.datetime, report: str | None) -> None:
        """Record the run's end and its report (the JSON text as written to run-report.json)."""
        with self.transaction() as db:
            db.execute(
                "UPDATE runs SET finished_at=?, report=? WHERE id=?",
                (finished_at.isoformat(), report, run_id),
            )

    def last_report(self, period: str) -> dict | None:
        """The run report of the latest finished run of ``period``."""
        row = self.db.execute(
            "SELECT report FROM runs WHERE period=? AND finished_at IS NOT NULL ORDER BY id DESC LIMIT 1",
            (period,),
        ).fetchone()
        return json.loads(row[0]) if row and row[0] else None
