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
    # 4: the mailbox's messages taken (by UIDVALIDITY and UID) and the mail sent (never twice)
    """
    CREATE TABLE mail_in (
        folder TEXT NOT NULL,
        uidvalidity INTEGER NOT NULL,
        uid INTEGER NOT NULL,
        message_id TEXT,
        sender TEXT,
        internal_date TEXT,
        files INTEGER NOT NULL,
        note TEXT,
        taken_at TEXT NOT NULL,
        PRIMARY KEY (folder, uidvalidity, uid)
    );
    CREATE TABLE mail_out (
        key TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        recipient TEXT NOT NULL,
        subject TEXT NOT NULL,
        sent_at TEXT NOT NULL,
        refused INTEGER NOT NULL DEFAULT 0
    );
    """,
    # 5: the scheduler: each start (the first one bounds catch-up) and each job's start, end and result
    """
    CREATE TABLE schedule_starts (
        started_at TEXT NOT NULL,
        holder TEXT NOT NULL
    );
    CREATE TABLE schedule_jobs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        period TEXT,
        due_at TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        result TEXT,
        detail TEXT
    );
    CREATE INDEX schedule_jobs_by_key ON schedule_jobs (kind, key, id);
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

    def forget_outputs(self, paths: Iterable[str]) -> None:
        """Drop the fingerprints of outputs about to be rewritten (recorded again once they are written)."""
        keys = [(path,) for path in paths]
        if keys:
            with self.transaction() as db:
                db.executemany("DELETE FROM outputs WHERE path=?", keys)

    def record_outputs(self, fingerprints: dict[str, str]) -> None:
        if fingerprints:
            with self.transaction() as db:
                db.executemany("INSERT OR REPLACE INTO outputs VALUES (?,?)", list(fingerprints.items()))

    # --- mail -------------------------------------------------------------------------------------------

    def mail_uids(self, folder: str, uidvalidity: int) -> set[int]:
        """The UIDs of the messages already taken from ``folder`` under this UIDVALIDITY."""
        query = "SELECT uid FROM mail_in WHERE folder=? AND uidvalidity=?"
        return {uid for (uid,) in self.db.execute(query, (folder, uidvalidity))}

    def emailed(self) -> set[tuple[str, str | None]]:
        """(sha256, sender) of every file that arrived by email."""
        return set(self.db.execute("SELECT sha256, sender FROM arrivals WHERE source='email'"))

    def record_message(
        self,
        folder: str,
        uidvalidity: int,
        uid: int,
        message: tuple[str | None, str | None, dt.datetime | None, int, str | None],
        arrivals: Iterable[Arrival],
        taken_at: dt.datetime,
    ) -> None:
        """One message taken: (message id, sender, INTERNALDATE, files saved, note) and its files'
        arrivals, in one transaction (a message is either fully recorded or taken again next time)."""
        message_id, sender, internal, files, note = message
        with self.transaction() as db:
            db.executemany(
                "INSERT OR IGNORE INTO arrivals VALUES (?,?,?,?,?,?,?,?)",
                [
                    (
                        a.path,
                        a.sha256,
                        a.size,
                        a.mtime_ns,
                        a.source,
                        a.sender,
                        a.received_at.isoformat(),
                        a.seen_by,
                    )
                    for a in arrivals
                ],
            )
            db.execute(
                "INSERT OR REPLACE INTO mail_in VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    folder,
                    uidvalidity,
                    uid,
                    message_id,
                    sender,
                    _iso(internal),
                    files,
                    note,
                    taken_at.isoformat(),
                ),
            )

    def sent_keys(self, keys: Iterable[str]) -> set[str]:
        found: set[str] = set()
        wanted = list(dict.fromkeys(keys))
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            query = f"SELECT key FROM mail_out WHERE key IN ({','.join('?' * len(chunk))})"
            found.update(key for (key,) in self.db.execute(query, chunk))
        return found

    def record_sent(
        self, key: str, kind: str, to: str, subject: str, sent_at: dt.datetime, refused: bool = False
    ) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT OR REPLACE INTO mail_out VALUES (?,?,?,?,?,?)",
                (key, kind, to, subject, sent_at.isoformat(), int(refused)),
            )

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

    # --- scheduler ----------------------------------------------------------------------------------

    def record_schedule_start(self, started_at: dt.datetime, holder: str) -> None:
        with self.transaction() as db:
            db.execute("INSERT INTO schedule_starts VALUES (?,?)", (started_at.isoformat(), holder))

    def schedule_first_start(self) -> dt.datetime | None:
        """When the scheduler first started in this workspace (nothing before it is ever caught up)."""
        rows = self.db.execute("SELECT started_at FROM schedule_starts").fetchall()
        return min((dt.datetime.fromisoformat(r[0]) for r in rows), default=None)

    def schedule_attempts(self) -> list[tuple[str, str, dt.datetime, dt.datetime | None, str | None]]:
        """The latest attempt of each (kind, key): (kind, key, started, finished or None, result or None)."""
        rows = self.db.execute(
            "SELECT kind, key, started_at, finished_at, result FROM schedule_jobs WHERE id IN"
            " (SELECT MAX(id) FROM schedule_jobs GROUP BY kind, key) ORDER BY id"
        )
        return [(k, key, dt.datetime.fromisoformat(s), _datetime(f), r) for k, key, s, f, r in rows]

    def start_job(
        self, kind: str, key: str, period: str | None, due_at: dt.datetime, started_at: dt.datetime
    ) -> int:
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO schedule_jobs (kind, key, period, due_at, started_at) VALUES (?,?,?,?,?)",
                (kind, key, period, due_at.isoformat(), started_at.isoformat()),
            )
            return int(cursor.lastrowid)

    def finish_job(self, job_id: int, finished_at: dt.datetime, result: str, detail: str) -> None:
        with self.transaction() as db:
            db.execute(
                "UPDATE schedule_jobs SET finished_at=?, result=?, detail=? WHERE id=?",
                (finished_at.isoformat(), result, detail, job_id),
            )
            # a poll every few minutes adds up: keep the successful ones of the last 60 days
            cutoff = (finished_at - dt.timedelta(days=60)).isoformat()
            db.execute(
                "DELETE FROM schedule_jobs WHERE kind='poll' AND result='ok' AND started_at < ?"
                " AND id NOT IN (SELECT MAX(id) FROM schedule_jobs WHERE kind='poll')",
                (cutoff,),
            )

    def schedule_jobs(self) -> list[dict]:
        """Every recorded job run, oldest first (for tests and for looking back)."""
        cursor = self.db.execute("SELECT * FROM schedule_jobs ORDER BY id")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor]
