"""`baocao ledger rebuild` (SPEC §12): recreate the ledger from the facts kept beside the archive.

Every arrival, withdrawal (and its undoing) is appended to ``archive/<ab>/<sha256>.facts.jsonl`` and every
mailbox message taken to ``archive/mail-in.jsonl`` when the ledger records it. From those alone the
ledger's arrivals, withdrawals and mail-in rows are recreated; the runs come back from each period's
``run-report.json`` (so a period's "change against the previous period" survives). Caches are not
rebuilt: the next collect fills them again. An existing ledger is moved aside, never deleted.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from automation.errors import BaocaoError, InputError
from automation.i18n.messages import t, tn
from automation.settings import Settings
from automation.state.ledger import (
    ARRIVAL_FIELDS,
    LEDGER_NAME,
    MAIL_IN_FACTS,
    MAIL_IN_FIELDS,
    PERIOD_FACTS,
    Ledger,
)
from automation.state.lock import workspace_lock


@dataclass(frozen=True)
class RebuildResult:
    ledger: Path
    moved_to: Path | None  # where the old ledger went (``--force``)
    arrivals: int
    withdrawals: int
    messages: int
    runs: int
    period_events: int  # closings and reopenings of periods
    skipped: int  # lines that could not be read (a line cut short by a power cut)
    first_skipped: Path | None

    def lines(self) -> list[str]:
        lines = [t("ledger.rebuild.moved", path=self.moved_to)] if self.moved_to else []
        lines.append(
            t(
                "ledger.rebuild.done",
                path=self.ledger,
                arrivals=tn("count.arrival", "count.arrivals", self.arrivals, count=self.arrivals),
                withdrawals=tn(
                    "count.withdrawal", "count.withdrawals", self.withdrawals, count=self.withdrawals
                ),
                messages=tn(
                    "count.message_taken", "count.messages_taken", self.messages, count=self.messages
                ),
                runs=tn("count.run", "count.runs", self.runs, count=self.runs),
            )
        )
        if self.skipped:
            count = self.skipped
            lines.append(
                tn(
                    "ledger.rebuild.skipped",
                    "ledger.rebuild.skipped.plural",
                    count,
                    count=count,
                    path=self.first_skipped,
                )
            )
        lines.append(t("ledger.rebuild.next"))
        return lines


class _Facts:
    """The readable JSON objects of the facts files, in order, counting the lines that are not."""

    def __init__(self) -> None:
        self.skipped = 0
        self.first_skipped: Path | None = None

    def read(self, path: Path) -> list[dict]:
        found = []
        with open(path, encoding="utf-8", errors="replace") as lines:
            for line in lines:
                if not line.strip():
                    continue
                try:
                    fact = json.loads(line)
                except ValueError:
                    fact = None
                if isinstance(fact, dict):
                    found.append(fact)
                else:
                    self.skipped += 1
                    self.first_skipped = self.first_skipped or path
        return found


def _move_aside(path: Path, now: dt.datetime) -> Path | None:
    """Rename the ledger and its WAL companions to ``ledger.sqlite.old-<time>`` (a stale WAL left beside a
    new ledger would be read into it). Returns the new name of the ledger, or None if there was none."""
    stamp = now.strftime("%Y%m%dT%H%M%S")
    base = path.with_name(f"{path.name}.old-{stamp}")
    number = 1
    while any(Path(f"{base}{suffix}").exists() for suffix in ("", "-wal", "-shm")):
        number += 1
        base = path.with_name(f"{path.name}.old-{stamp}-{number}")
    for suffix in ("-wal", "-shm", ""):
        source = Path(f"{path}{suffix}")
        if source.exists():
            os.replace(source, f"{base}{suffix}")
    return base if base.exists() else None


def rebuild_ledger(settings: Settings, now: dt.datetime, *, force: bool = False) -> RebuildResult:
    """Recreate ``STATE_DIR/ledger.sqlite`` from the archive's facts and the outbox's run reports.

    Refuses if a ledger exists, unless ``force`` (then the old one is renamed, never deleted).
    """
    path = settings.state_dir / LEDGER_NAME
    archive = settings.state_dir / "archive"
    with workspace_lock(settings, "collect"):
        if path.exists() and not force:
            raise InputError(t("ledger.rebuild.exists", path=path))
        if path.exists():  # facts a killed run left queued in a readable ledger: written out first
            with suppress(BaocaoError), Ledger(path) as old:
                old.flush_facts()
        moved = _move_aside(path, now)
        facts = _Facts()
        counts = {"arrivals": 0, "withdrawals": 0, "messages": 0, "runs": 0, "period_events": 0, "": 0}
        with Ledger(path, create=True) as ledger, ledger.transaction() as db:
            arrivals: list[dict] = []
            for sidecar in sorted(archive.glob("*/*.facts.jsonl")) if archive.is_dir() else []:
                for fact in facts.read(sidecar):
                    if fact.get("event") == "arrival":
                        arrivals.append(fact)
                    else:
                        counts[_replay(db, fact)] += 1
            arrivals.sort(key=_first_recorded_first)
            counts["arrivals"] = sum(_restore_arrival(db, fact) for fact in arrivals)
            for name in (MAIL_IN_FACTS, PERIOD_FACTS):
                for fact in facts.read(archive / name) if (archive / name).is_file() else []:
                    counts[_replay(db, fact)] += 1
            counts["runs"] = _import_runs(db, settings)
        counts.pop("", None)
    return RebuildResult(path, moved, **counts, skipped=facts.skipped, first_skipped=facts.first_skipped)


def _first_recorded_first(fact: dict) -> tuple:
    seq = fact.get("seq")
    return (
        (0, seq, "", "")
        if isinstance(seq, int)
        else (1, 0, str(fact.get("received_at")), str(fact.get("path")))
    )


def _restore_arrival(db, fact: dict) -> int:
    """Insert one arrival, under its old rowid when it has one (the order first seen decides which of the
    same bytes counts); 1 if it was new."""
    try:
        row = tuple(fact[name] for name in ARRIVAL_FIELDS)
    except KeyError:
        return 0
    seq = fact.get("seq")
    if isinstance(seq, int) and not db.execute("SELECT 1 FROM arrivals WHERE rowid=?", (seq,)).fetchone():
        columns = ", ".join(("rowid", *ARRIVAL_FIELDS))
        cursor = db.execute(
            f"INSERT OR IGNORE INTO arrivals ({columns}) VALUES (?,?,?,?,?,?,?,?,?)", (seq, *row)
        )
    else:
        cursor = db.execute("INSERT OR IGNORE INTO arrivals VALUES (?,?,?,?,?,?,?,?)", row)
    return 1 if cursor.rowcount else 0


def _replay(db, fact: dict) -> str:
    """Apply one withdrawal, undo or mail fact; the count it adds to ("" for a fact that changes nothing)."""
    event = fact.get("event")
    try:
        if event == "mail_in":
            row = tuple(fact.get(name) for name in MAIL_IN_FIELDS)
            db.execute("INSERT OR REPLACE INTO mail_in VALUES (?,?,?,?,?,?,?,?,?)", row)
            return "messages"
        if event == "period":
            db.execute(
                "INSERT INTO period_events VALUES (?,?,?,?)",
                (fact["period"], fact["what"], fact["at"], fact.get("reason")),
            )
            return "period_events"
        if event == "withdraw":
            cursor = db.execute(  # as Ledger.withdraw: nothing while one is in force
                "INSERT INTO withdrawals (sha256, reason, at) SELECT ?,?,? WHERE NOT EXISTS"
                " (SELECT 1 FROM withdrawals WHERE sha256=? AND undone_at IS NULL)",
                (fact["sha256"], fact["reason"], fact["at"], fact["sha256"]),
            )
            return "withdrawals" if cursor.rowcount else ""
        if event == "undo":
            db.execute(
                "UPDATE withdrawals SET undone_at=?, undo_reason=? WHERE sha256=? AND undone_at IS NULL",
                (fact["at"], fact.get("reason"), fact["sha256"]),
            )
    except KeyError:
        pass  # a fact without its fields: nothing to recreate from it
    return ""


def _import_runs(db, settings: Settings) -> int:
    """Each period's run-report.json as that period's latest finished run."""
    count = 0
    outbox = settings.outbox_dir
    for report in sorted(outbox.glob("*/run-report.json")) if outbox.is_dir() else []:
        try:
            text = report.read_text(encoding="utf-8")
            data = json.loads(text)
            period, as_of = str(data["period"]), str(data["as_of"])
            written = dt.datetime.fromtimestamp(report.stat().st_mtime, settings.timezone).isoformat()
        except (OSError, ValueError, KeyError, TypeError):
            continue  # not a run report this program wrote: the next collect writes one
        db.execute(
            "INSERT INTO runs (period, as_of, started_at, finished_at, report) VALUES (?,?,?,?,?)",
            (period, as_of, written, written, text),
        )
        count += 1
    return count
