"""The ledger (SPEC §3, §12): SQLite state beside the month's flow, in ``.baocao/ledger.sqlite``.

``Ledger`` is the store (``store.py``: opening, migrations in ``schema.py``, transactions, backups) with
its records: it records every arrival (path, bytes, received time), a cache of what the reader made of each distinct
content, every accepted task row per period (the history evaluation carries forward) and every run.
Writes happen in transactions; the schema carries its version in ``PRAGMA user_version`` and is migrated
forward on open.
"""

from __future__ import annotations

import datetime as dt
import json
import pickle
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import replace

from automation.domain.model import FileRecord, ParsedReport, TaskReport
from automation.state.facts import (
    ARRIVAL_FIELDS as ARRIVAL_FIELDS,
)
from automation.state.facts import (
    MAIL_IN_FACTS as MAIL_IN_FACTS,
)
from automation.state.facts import (
    MAIL_IN_FIELDS as MAIL_IN_FIELDS,
)
from automation.state.facts import (
    PERIOD_FACTS as PERIOD_FACTS,
)
from automation.state.facts import Arrival as Arrival
from automation.state.facts import arrival_row, datetime_or_none, iso
from automation.state.facts import (
    facts_path as facts_path,
)
from automation.state.records import MailRecords, ScheduleRecords
from automation.state.store import BACKUPS_DIR as BACKUPS_DIR
from automation.state.store import LEDGER_NAME as LEDGER_NAME
from automation.state.store import Store
from automation.state.store import backups as backups


class Ledger(MailRecords, ScheduleRecords, Store):
    """The SQLite ledger of one workspace. Use as a context manager; each ``transaction`` is atomic."""

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
        ``baocao ledger rebuild`` can recreate it; the ledger is written first, the facts after (in the
        background, done before the ledger is closed).
        """
        rows = [arrival_row(a) for a in arrivals]
        if rows:
            with self.transaction() as db:
                for row in rows:
                    self._insert_arrival(db, row)
                # a file re-touched without changing its bytes keeps its arrival; remember the new stat
                db.executemany(
                    "UPDATE arrivals SET size=?, mtime_ns=? WHERE path=? AND sha256=?",
                    [(r[2], r[3], r[0], r[1]) for r in rows],
                )
        # written beside the archive while the run goes on; waited for at the next flush or at closing
        self.flush_facts(background=True)

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
                        iso(r.completed_on),
                        r.progress,
                        r.results,
                        r.difficulties,
                        r.proposals,
                        r.evidence,
                        r.file,
                        r.row,
                        iso(r.received_at),
                        sha256,
                    )
                    for r in reports
                ],
            )

    def history(self, before_period: str) -> list[TaskReport]:
        """Every recorded row of periods before ``before_period``, oldest first."""
        return self._rows("period < ?", before_period)

    def rows_of(self, period: str) -> list[TaskReport]:
        """The accepted rows recorded for ``period`` (each unit's file in use)."""
        return self._rows("period = ?", period)

    def _rows(self, where: str, period: str) -> list[TaskReport]:
        rows = self.db.execute(
            "SELECT period, unit, task, role, status, completed_on, progress, results, difficulties, proposals,"
            f" evidence, file, row, received_at FROM reports WHERE {where} ORDER BY period, unit, task, row",
            (period,),
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
                received_at=datetime_or_none(received),
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
            assert cursor.lastrowid is not None, "an INSERT sets the row id"
            return cursor.lastrowid

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

    def reports_before(self, period: str) -> list[dict]:
        """The run report of the latest finished run of every period before ``period``, oldest first (the
        trend of the consolidated workbook and its "change against the previous period")."""
        rows = self.db.execute(
            "SELECT report FROM runs WHERE id IN (SELECT MAX(id) FROM runs WHERE finished_at IS NOT NULL"
            " AND report IS NOT NULL AND period < ? GROUP BY period) ORDER BY period",
            (period,),
        )
        found = []
        for (text,) in rows:
            with suppress(ValueError, TypeError):
                found.append(json.loads(text))
        return found
