"""Feedback on every file within one poll (SPEC §15): each poll of the scheduler and each ``baocao scan``
judges the files that arrived since the last one, for the period each belongs to, writes that unit's
feedback workbook in ``outbox/YYYY-MM/phan-hoi/`` and mails the receipt — to the sender of an emailed
file, to the unit's registered addresses for a file dropped in the folder — saying accepted or not, on
time or not, with every finding and the feedback workbook attached.

Never twice for the same file: a file is acknowledged once its receipt is sent (the receipt's ledger key is
the one the collect uses, so the collect sends no second one) or, with no receipt to send (SMTP not set, no
address), once its feedback is written; that is remembered in the ledger under ``ack:<path>:<sha256>``.
On the first poll of a workspace, the files the latest collect already judged are taken as acknowledged.

Like a dry run of the collect: the judgements go to the ledger's cache (so the collect reuses them) and
the feedback files are written, but no report rows, no run, no workbook, run report nor report draft.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

from automation.check.evaluate import evaluation_date
from automation.domain.dates import Period
from automation.domain.model import FileRecord, Plan, RunResult
from automation.intake.folder import check_inbox
from automation.notify.mail import SendResult, receipt_key, receipts, send_all, smtp_configured
from automation.run.outputs import write_feedback_files
from automation.run.scan import ScanResult, scan_locked
from automation.run.verdicts import decide, judge_items, submission_deadline, unit_statuses, worker_pool
from automation.settings import Settings
from automation.state.ledger import LEDGER_NAME, Ledger
from automation.state.lock import workspace_lock

# The outcomes of a judged file: those a unit is told about.
JUDGED = ("accepted", "rejected", "superseded", "duplicate", "other_period")
# Recorded once the first poll has acknowledged: before it, what the latest collect judged was answered.
ACK_STARTED = "ack:started"


@dataclass
class Acknowledged:
    """What one poll or scan did: the scan, the files acknowledged now, the feedback files of their units,
    the receipts due and what was sent (None when SMTP_HOST is not set)."""

    scanned: ScanResult
    files: list[FileRecord] = field(default_factory=list)
    feedback: list[Path] = field(default_factory=list)
    to_send: int = 0
    sent: SendResult | None = None
    without_address: list[str] = field(default_factory=list)  # units of folder files with no address
    register_error: str | None = None  # the register could not be read: nothing was judged


def ack_key(record: FileRecord) -> str:
    return f"ack:{record.path}:{record.sha256}"


def scan_and_acknowledge(settings: Settings, plan: Plan | None, now: dt.datetime) -> Acknowledged:
    """Scan the inbox, then (with a ``plan``) acknowledge every file not acknowledged yet, as of ``now``.

    A mail failure (``MailError``) is raised after the feedback is written; the files whose receipt was
    not sent are acknowledged by the next poll."""
    check_inbox(settings)
    with workspace_lock(settings, "collect"), Ledger(settings.state_dir / LEDGER_NAME) as ledger:
        scanned, items = scan_locked(settings, ledger, now)
        done = Acknowledged(scanned)
        if plan is None:
            return done
        pool = worker_pool(settings, plan, ledger)
        try:
            records = judge_items(settings, plan, now, items, ledger, pool=pool)
        finally:
            if pool is not None:
                pool.shutdown()
        fresh = _unacknowledged(ledger, records, now)
        if not fresh:
            return done
        outgoing = []
        for period in sorted({_period_of(settings, record) for record in fresh}):
            result = _answer(settings, plan, period, records, fresh, now, ledger)
            folder = settings.period_dir(period) / "phan-hoi"
            feedback = {
                status.file: folder / f"{status.unit.code}_{period}.xlsx"
                for status in result.units
                if status.file
            }
            done.feedback += feedback.values()
            mails = receipts(
                settings, result, {k: v for k, v in feedback.items() if v.is_file()}, folder=True
            )
            outgoing += mails
            addressed = {item.key for item in mails}
            done.without_address += sorted(
                {
                    r.unit or "?"
                    for r in result.files
                    if r.source != "email" and receipt_key(r) not in addressed
                }
            )
            done.files += result.files
        done.to_send = len(outgoing)
        if smtp_configured(settings) and outgoing:
            done.sent = send_all(settings, ledger, outgoing, now)  # a failure leaves the rest to next time
        elif smtp_configured(settings):
            done.sent = SendResult()
        for record in done.files:
            ledger.record_sent(ack_key(record), "ack", "", "", now)
        return done


def _unacknowledged(ledger: Ledger, records: list[FileRecord], now: dt.datetime) -> list[FileRecord]:
    """The judged files not acknowledged yet (no ``ack:`` key, no receipt sent)."""
    judged = [r for r in records if r.sha256 and r.outcome in JUDGED]
    keys = [key for r in judged for key in (ack_key(r), receipt_key(r))]
    known = ledger.sent_keys([*keys, ACK_STARTED])
    if ACK_STARTED not in known:  # the first poll: what the latest collect judged was answered by it
        ledger.record_sent(ACK_STARTED, "ack", "", "", now)
        as_of = max((dt.datetime.fromisoformat(r["as_of"]) for r in ledger.latest_reports()), default=None)
        if as_of is not None:
            judged = [r for r in judged if r.received_at is not None and r.received_at > as_of]
    return [r for r in judged if ack_key(r) not in known and receipt_key(r) not in known]


def _period_of(settings: Settings, record: FileRecord) -> str:
    """The period a file belongs to: its own, else the month it was received in."""
    if record.period:
        return record.period
    assert record.received_at is not None, "a judged file has a received time"
    return str(Period.containing(record.received_at.astimezone(settings.timezone).date()))


def _answer(
    settings: Settings,
    plan: Plan,
    period: str,
    records: list[FileRecord],
    fresh: list[FileRecord],
    now: dt.datetime,
    ledger: Ledger,
) -> RunResult:
    """For ``period``: the verdict on each of its ``fresh`` files between all the files (as the collect
    decides them) and the feedback of their units written. Returns the result holding only the fresh
    files and the statuses of their units."""
    copies = {id(record): replace(record) for record in records}  # the decision sets outcomes in place
    everything = list(copies.values())
    chosen = decide(everything, period)
    day = settings.submit_before_day or plan.submit_before_day
    deadline = submission_deadline(settings, plan, Period.parse(period))
    statuses = unit_statuses(plan, everything, chosen, period, deadline)
    new = [copies[id(r)] for r in fresh if _period_of(settings, r) == period]
    touched = {r.unit for r in new}
    result = RunResult(
        period=period,
        as_of=now.astimezone(settings.timezone),
        submission_deadline=deadline,
        evaluation_date=evaluation_date(Period.parse(period), day),
        plan=plan,
        files=everything,
        units=[status for status in statuses if status.unit.code in touched and status.file],
        evaluations=[],
    )
    write_feedback_files(settings, result, ledger)
    return replace(result, files=new)
