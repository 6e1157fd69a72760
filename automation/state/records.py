"""Ledger records beside the month's verdicts: the mailbox's messages taken and the mail sent (never
twice), and the scheduler's starts and jobs. Mixed into ``Ledger``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from automation.state.facts import MAIL_IN_FACTS, MAIL_IN_FIELDS, Arrival, arrival_row, datetime_or_none, iso
from automation.state.store import Store


class MailRecords(Store):
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
            iso(internal),
            files,
            note,
            taken_at.isoformat(),
        )
        fact = {"event": "mail_in", **dict(zip(MAIL_IN_FIELDS, row, strict=True))}
        with self.transaction() as db:
            for arrival in map(arrival_row, arrivals):
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


class ScheduleRecords(Store):
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
        return [(k, key, dt.datetime.fromisoformat(s), datetime_or_none(f), r) for k, key, s, f, r in rows]

    def start_job(
        self, kind: str, key: str, period: str | None, due_at: dt.datetime, started_at: dt.datetime
    ) -> int:
        with self.transaction() as db:
            cursor = db.execute(
                "INSERT INTO schedule_jobs (kind, key, period, due_at, started_at) VALUES (?,?,?,?,?)",
                (kind, key, period, due_at.isoformat(), started_at.isoformat()),
            )
            assert cursor.lastrowid is not None, "an INSERT sets the row id"
            return cursor.lastrowid

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
