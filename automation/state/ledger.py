"""The ledger (SPEC §3, §12): SQLite state beside the month's flow, in ``.baocao/ledger.sqlite``.

It records every arrival (path, bytes, received time), a cache of what the reader made of each distinct
content, every accepted task row per period (the history evaluation carries forward) and every run.
Writes happen in transactions; the schema carries its version in ``PRAGMA user_version`` and is migrated
forward on open.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import re
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from pathlib import Path

from automation.domain.model import FileRecord, ParsedReport, TaskReport
from automation.errors import FileError
from automation.i18n.messages import t

LEDGER_NAME = "ledger.sqlite"
BACKUPS_DIR = "backups"
MAIL_IN_FACTS = "mail-in.jsonl"
PERIOD_FACTS = "periods.jsonl"  # closing and reopening periods
_BACKUP_NAME = re.compile(r"^ledger-(\d{8}T\d{6})(?:-(\d+))?\.sqlite$")


def facts_path(state_dir: Path, sha256: str) -> Path:
    """The append-only facts of one content, beside its archived copy (``archive_path`` in intake)."""
    return state_dir / "archive" / sha256[:2] / f"{sha256}.facts.jsonl"


def append_facts(path: Path, lines: Iterable[str]) -> None:
    """Append these JSON lines to ``path`` and force them to disk."""
    text = "".join(line + "\n" for line in lines)
    if not text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())


def archive_has_files(state_dir: Path) -> bool:
    """Whether anything was ever archived (a ledger missing beside it must be rebuilt, not replaced)."""
    folder = state_dir / "archive"  # a hidden name is a copy a killed run left half written, not a record
    return folder.is_dir() and any(p.is_file() and not p.name.startswith(".") for p in folder.rglob("*"))


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
    # 6: files taken out of the record by `baocao withdraw`, with their undoing: history, never deleted
    """
    CREATE TABLE withdrawals (
        sha256 TEXT NOT NULL,
        reason TEXT NOT NULL,
        at TEXT NOT NULL,
        undone_at TEXT,
        undo_reason TEXT
    );
    CREATE INDEX withdrawals_by_sha256 ON withdrawals (sha256, undone_at);
    CREATE TABLE facts_outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        file TEXT NOT NULL,
        fact TEXT NOT NULL
    );
    """,
    # 7: closed periods (close / reopen, with reasons) and the register each run used
    """
    CREATE TABLE period_events (
        period TEXT NOT NULL,
        event TEXT NOT NULL,
        at TEXT NOT NULL,
        reason TEXT
    );
    CREATE INDEX period_events_by_period ON period_events (period);
    ALTER TABLE runs ADD COLUMN register TEXT;
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


# the columns of the arrivals and mail_in tables, in order: the keys of their facts in the archive
ARRIVAL_FIELDS = ("path", "sha256", "size", "mtime_ns", "source", "sender", "received_at", "seen_by")
MAIL_IN_FIELDS = (
    "folder", "uidvalidity", "uid", "message_id", "sender", "internal_date", "files", "note", "taken_at",
)  # fmt: skip


def _arrival_row(a: Arrival) -> tuple:
    return (a.path, a.sha256, a.size, a.mtime_ns, a.source, a.sender, a.received_at.isoformat(), a.seen_by)


def _iso(value: dt.datetime | dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _datetime(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


class Ledger:
    """The SQLite ledger of one workspace. Use as a context manager; each ``transaction`` is atomic."""

    def __init__(self, path: Path, *, create: bool = False) -> None:
        """Open the ledger at ``path``, migrating an older schema forward.

        A missing ledger is created only in a workspace that never archived anything, or with ``create``
        (``baocao ledger rebuild``): beside a non-empty archive an empty ledger would silently forget every
        arrival. A corrupt ledger, or one written by a newer baocao, is a ``FileError``.
        """
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        if not create and not path.exists() and archive_has_files(path.parent):
            raise FileError(t("ledger.missing", path=path, archive=path.parent / "archive"))
        try:
            self.db = sqlite3.connect(path, timeout=60, isolation_level=None)
        except sqlite3.Error:
            raise FileError(t("ledger.cannot_open", path=path)) from None
        try:
            self._open()
        except BaseException:
            self.db.close()
            raise

    def _open(self) -> None:
        try:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            # a few milliseconds per MB: cheap next to a damaged ledger deciding a month's verdicts
            check = self.db.execute("PRAGMA quick_check").fetchall()
            version = self.schema_version
        except sqlite3.OperationalError as exc:
            if "malformed" in str(exc) or "not a database" in str(exc):
                raise self._corrupt() from None
            raise FileError(t("ledger.cannot_open", path=self.path)) from None
        except sqlite3.DatabaseError:
            raise self._corrupt() from None
        if check != [("ok",)]:
            raise self._corrupt()
        if version > len(_MIGRATIONS):
            raise FileError(t("ledger.too_new", path=self.path, version=version, known=len(_MIGRATIONS)))
        try:
            self._migrate()
        except sqlite3.OperationalError:
            raise FileError(t("ledger.cannot_open", path=self.path)) from None
        except sqlite3.DatabaseError:
            raise self._corrupt() from None

    def _corrupt(self) -> FileError:
        return FileError(t("ledger.corrupt", path=self.path, backups=self.path.parent / BACKUPS_DIR))

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
            self._arrival(r)
            for r in self.db.execute("SELECT * FROM arrivals ORDER BY rowid")  # first recorded first
        ]

    @staticmethod
    def _arrival(row: tuple) -> Arrival:
        path, sha, size, mtime_ns, source, sender, received, seen_by = row
        return Arrival(
            path, sha, size, mtime_ns, source, sender, dt.datetime.fromisoformat(received), seen_by
        )

    def record_arrivals(self, arrivals: Iterable[Arrival]) -> None:
        """Record arrivals not yet known. A known (path, bytes) keeps its first received time forever.

        Each new arrival's facts are then appended beside its archived copy (``facts_path``), so that
        ``baocao ledger rebuild`` can recreate it; the ledger is written first, the facts after.
        """
        rows = [_arrival_row(a) for a in arrivals]
        if rows:
            with self.transaction() as db:
                for row in rows:
                    self._insert_arrival(db, row)
                # a file re-touched without changing its bytes keeps its arrival; remember the new stat
                db.executemany(
                    "UPDATE arrivals SET size=?, mtime_ns=? WHERE path=? AND sha256=?",
                    [(r[2], r[3], r[0], r[1]) for r in rows],
                )
        self.flush_facts()

    def _insert_arrival(self, db: sqlite3.Connection, row: tuple) -> None:
        """Insert one arrival row if new, queueing its fact; ``seq`` (the rowid) keeps the order arrivals
        were first recorded in (first seen first), which the rebuild restores."""
        cursor = db.execute("INSERT OR IGNORE INTO arrivals VALUES (?,?,?,?,?,?,?,?)", row)
        if cursor.rowcount and row[1]:
            fields = dict(zip(ARRIVAL_FIELDS, row, strict=True))
            fact = {"event": "arrival", "seq": cursor.lastrowid, **fields}
            self._queue_fact(db, facts_path(self.path.parent, row[1]), fact)

    def _queue_fact(self, db: sqlite3.Connection, path: Path, fact: dict) -> None:
        """Queue ``fact`` for ``path`` in the current transaction: it is written by ``flush_facts`` after
        the commit, and a run killed in between writes it at the next ledger write (never lost)."""
        relative = path.relative_to(self.path.parent).as_posix()
        db.execute(
            "INSERT INTO facts_outbox (file, fact) VALUES (?,?)",
            (relative, json.dumps(fact, ensure_ascii=False, sort_keys=True)),
        )

    def flush_facts(self) -> int:
        """Append the queued facts to their files beside the archive, then forget them. How many."""
        rows = self.db.execute("SELECT id, file, fact FROM facts_outbox ORDER BY id").fetchall()
        if not rows:
            return 0
        by_file: dict[str, list[str]] = {}
        for _, file, fact in rows:
            by_file.setdefault(file, []).append(fact)
        for file, lines in by_file.items():
            append_facts(self.path.parent / file, lines)
        with self.transaction() as db:
            db.execute("DELETE FROM facts_outbox WHERE id <= ?", (rows[-1][0],))
        return len(rows)

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
        row = (
            folder,
            uidvalidity,
            uid,
            message_id,
            sender,
            _iso(internal),
            files,
            note,
            taken_at.isoformat(),
        )
        fact = {"event": "mail_in", **dict(zip(MAIL_IN_FIELDS, row, strict=True))}
        with self.transaction() as db:
            for arrival in map(_arrival_row, arrivals):
                self._insert_arrival(db, arrival)
            db.execute("INSERT OR REPLACE INTO mail_in VALUES (?,?,?,?,?,?,?,?,?)", row)
            self._queue_fact(db, self.path.parent / "archive" / MAIL_IN_FACTS, fact)
        self.flush_facts()

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

    # --- withdrawals (`baocao withdraw`) -----------------------------------------------------------

    def withdrawals(self) -> dict[str, str]:
        """sha256 → reason of every withdrawal in force (not undone)."""
        query = "SELECT sha256, reason FROM withdrawals WHERE undone_at IS NULL ORDER BY at"
        return dict(self.db.execute(query).fetchall())

    def withdraw(self, sha256: str, reason: str, at: dt.datetime) -> None:
        """Take the content ``sha256`` out of the record for ``reason``; nothing if it is already out."""
        with self.transaction() as db:
            if db.execute(
                "SELECT 1 FROM withdrawals WHERE sha256=? AND undone_at IS NULL", (sha256,)
            ).fetchone():
                return
            db.execute(
                "INSERT INTO withdrawals (sha256, reason, at) VALUES (?,?,?)",
                (sha256, reason, at.isoformat()),
            )
            fact = {"event": "withdraw", "sha256": sha256, "reason": reason, "at": at.isoformat()}
            self._queue_fact(db, facts_path(self.path.parent, sha256), fact)
        self.flush_facts()

    def undo_withdraw(self, sha256: str, at: dt.datetime, reason: str | None = None) -> bool:
        """Put the content ``sha256`` back in the record; False when it was not withdrawn. The withdrawal
        stays in the history, marked undone."""
        with self.transaction() as db:
            cursor = db.execute(
                "UPDATE withdrawals SET undone_at=?, undo_reason=? WHERE sha256=? AND undone_at IS NULL",
                (at.isoformat(), reason, sha256),
            )
            if not cursor.rowcount:
                return False
            fact = {"event": "undo", "sha256": sha256, "reason": reason, "at": at.isoformat()}
            self._queue_fact(db, facts_path(self.path.parent, sha256), fact)
        self.flush_facts()
        return True

    # --- runs ---------------------------------------------------------------------------------------

    def latest_reports(self) -> list[dict]:
        """The run report of the latest finished run of every period, oldest period first."""
        rows = self.db.execute(
            "SELECT report FROM runs WHERE id IN (SELECT MAX(id) FROM runs WHERE finished_at IS NOT NULL"
            " GROUP BY period) ORDER BY period"
        )
        found = []
        for (text,) in rows:
            with suppress(ValueError, TypeError):
                found.append(json.loads(text))
        return found

    def start_run(self, period: str, as_of: dt.datetime, started_at: dt.datetime) -> int:
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO runs (period, as_of, started_at) VALUES (?,?,?)",
                (period, as_of.isoformat(), started_at.isoformat()),
            )
            return int(cursor.lastrowid)

    def finish_run(
        self, run_id: int, finished_at: dt.datetime, report: str | None, register: dict | None = None
    ) -> None:
        """Record the run's end, its report (the JSON text as written to run-report.json) and the
        snapshot of the register it used."""
        with self.transaction() as db:
            db.execute(
                "UPDATE runs SET finished_at=?, report=?, register=? WHERE id=?",
                (finished_at.isoformat(), report, json.dumps(register) if register else None, run_id),
            )

    def last_register(self, period: str) -> dict | None:
        """The register snapshot of the latest finished run of ``period`` that kept one."""
        row = self.db.execute(
            "SELECT register FROM runs WHERE period=? AND finished_at IS NOT NULL AND register IS NOT NULL"
            " ORDER BY id DESC LIMIT 1",
            (period,),
        ).fetchone()
        return json.loads(row[0]) if row else None

    # --- closed periods ---------------------------------------------------------------------------

    def record_period_event(self, period: str, event: str, at: dt.datetime, reason: str | None) -> None:
        """Record a close or a reopen, also beside the archive (``periods.jsonl``) for the rebuild."""
        row = (period, event, at.isoformat(), reason)
        fact = {"event": "period", "period": period, "what": event, "at": row[2], "reason": reason}
        with self.transaction() as db:
            db.execute("INSERT INTO period_events VALUES (?,?,?,?)", row)
            self._queue_fact(db, self.path.parent / "archive" / PERIOD_FACTS, fact)
        self.flush_facts()

    def period_closed(self, period: str) -> tuple[dt.datetime, str | None] | None:
        """(when, reason) if ``period`` is closed now (its latest event is a close), else None."""
        row = self.db.execute(
            "SELECT event, at, reason FROM period_events WHERE period=? ORDER BY rowid DESC LIMIT 1",
            (period,),
        ).fetchone()
        return (dt.datetime.fromisoformat(row[1]), row[2]) if row and row[0] == "close" else None

    def period_events(self, period: str) -> list[tuple[str, dt.datetime, str | None]]:
        rows = self.db.execute(
            "SELECT event, at, reason FROM period_events WHERE period=? ORDER BY rowid", (period,)
        )
        return [(event, dt.datetime.fromisoformat(at), reason) for event, at, reason in rows]

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

    # --- backups ------------------------------------------------------------------------------------

    def backup(self, now: dt.datetime, keep: int = 10) -> Path:
        """A consistent copy of the ledger in ``backups/ledger-YYYYMMDDTHHMMSS.sqlite`` beside it (SQLite's
        backup API: safe while others read), keeping only the newest ``keep``. Returns the copy's path."""
        folder = self.path.parent / BACKUPS_DIR
        folder.mkdir(parents=True, exist_ok=True)
        stamp = now.strftime("%Y%m%dT%H%M%S")
        target = folder / f"ledger-{stamp}.sqlite"
        number = 1
        while target.exists():  # two backups in one second
            number += 1
            target = folder / f"ledger-{stamp}-{number}.sqlite"
        for stale in folder.glob(".ledger-*"):  # a draft (and its journal) a killed run left behind
            stale.unlink(missing_ok=True)
        draft = folder / f".{target.name}.{os.getpid()}.tmp"
        try:
            copy = sqlite3.connect(draft)
            try:
                self.db.backup(copy)
                copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            finally:
                copy.close()
            os.replace(draft, target)
        finally:
            draft.unlink(missing_ok=True)
        for old in backups(self.path.parent)[:-keep] if keep > 0 else []:
            old.unlink(missing_ok=True)
        return target


def backups(state_dir: Path) -> list[Path]:
    """The ledger's backups in ``state_dir``, oldest first."""
    folder = state_dir / BACKUPS_DIR
    found = []
    for path in folder.glob("ledger-*.sqlite") if folder.is_dir() else []:
        match = _BACKUP_NAME.match(path.name)
        if match:
            found.append(((match[1], int(match[2] or 1)), path))
    return [path for _, path in sorted(found)]
