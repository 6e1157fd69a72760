"""The month's use cases, each written once and called by both the CLI and the scheduler (SPEC §8, §10,
§11): load the register, collect then mail, remind, fetch the mailbox, poll, close a period.

Each returns what happened as data; the caller renders it (the CLI prints, the scheduler logs).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from automation.check.identify import known_sender
from automation.domain.dates import Period
from automation.domain.model import CollectOutput, Plan, RunResult, Unit, UnitStatus
from automation.errors import BaocaoError
from automation.intake.imap import FetchResult
from automation.intake.imap import fetch_mail as fetch_mailbox
from automation.notify.calendar_mail import send_digest, send_reminders, send_ubnd_reminder
from automation.notify.mail import SendResult, send_after_collect
from automation.plan.register import ensure_readable_plan, read_register
from automation.run.acknowledge import Acknowledged, scan_and_acknowledge
from automation.run.collect import collect
from automation.run.scan import ScanResult
from automation.settings import Settings
from automation.state.ledger import LEDGER_NAME, Ledger
from automation.state.lock import workspace_lock
from automation.state.periods import Closed, close_period

if TYPE_CHECKING:  # the roll-up loads openpyxl: only when ROLLUP_AFTER_COLLECT asks for it
    from automation.run.rollup import Rolled

Progress = Callable[[str, int, int], None]


def load_plan(settings: Settings) -> Plan:
    """The register's plan, or a ``RegisterRefused`` listing its problems."""
    return ensure_readable_plan(read_register(settings.register_path))


@dataclass
class Collected:
    """A collect and the mail sent after it: ``to_send`` messages were due (before looking at what earlier
    runs sent); ``sent`` is None when SMTP_HOST is not set."""

    output: CollectOutput
    to_send: int = 0
    sent: SendResult | None = None
    rolled: Rolled | None = None  # the roll-up after it (ROLLUP_AFTER_COLLECT, SPEC §16)
    rollup_failed: str | None = None  # why the roll-up could not be written; the collect still stands


def collect_and_mail(
    settings: Settings,
    period: Period,
    as_of: dt.datetime,
    now: dt.datetime,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    reopen: str | None = None,
) -> Collected:
    """Collect ``period`` as of ``as_of``, then (unless a dry run) mail the receipts and the results."""
    plan = load_plan(settings)
    output = collect(
        settings, plan, period, as_of, now=now, dry_run=dry_run, progress=progress, reopen=reopen
    )
    if dry_run:
        return Collected(output)
    to_send, sent = send_after_collect(settings, output, now)
    done = Collected(output, to_send, sent)
    if settings.rollup_after_collect is not None:
        from automation.run.rollup import rollup

        try:
            done.rolled = rollup(
                settings,
                period,
                settings.rollup_after_collect,
                now,
                send=bool(settings.upper_email),
                plan=plan,
            )
        except BaocaoError as exc:
            done.rollup_failed = str(exc)
    return done


def live_result(
    settings: Settings, period: Period, as_of: dt.datetime, now: dt.datetime, progress: Progress | None = None
) -> RunResult:
    """Who has sent what for ``period`` as of ``as_of``, without writing anything (status, remind)."""
    plan = load_plan(settings)
    return collect(settings, plan, period, as_of, now=now, dry_run=True, progress=progress).result


@dataclass
class Reminded:
    due: list[UnitStatus]  # units with nothing accepted yet
    without_address: list[Unit]
    sent: SendResult | None  # None when SMTP_HOST is not set


def remind(
    settings: Settings, period: Period, as_of: dt.datetime, now: dt.datetime, progress: Progress | None = None
) -> Reminded:
    """Mail a reminder to each unit with nothing accepted for ``period`` as of ``as_of``."""
    plan = load_plan(settings)
    result = collect(settings, plan, period, as_of, now=now, dry_run=True, progress=progress).result
    sent, due, without = send_reminders(settings, plan, result, now)
    return Reminded(due, without, sent)


@dataclass
class Digested:
    due: list[UnitStatus]  # units still missing or invalid
    to: str  # COORDINATOR_EMAIL ("" when not set: nothing sent)
    sent: SendResult | None  # None when SMTP_HOST is not set


def mail_digest(settings: Settings, result: RunResult, run: str, now: dt.datetime) -> Digested:
    """After the deadline: mail the coordinator the units still missing or invalid in ``result``, once per
    re-collect ``run`` (its schedule key); nothing when there are none."""
    due, sent = send_digest(settings, result, run, now)
    return Digested(due, settings.coordinator_email if due else "", sent)


@dataclass
class CoordinatorReminded:
    closed: bool  # the period is closed: nothing to remind
    to: str  # COORDINATOR_EMAIL ("" when not set: nothing sent)
    draft: Path | None  # the report draft attached (None when no collect has written it)
    sent: SendResult | None = None  # None when SMTP_HOST is not set


def remind_coordinator(settings: Settings, period: Period, now: dt.datetime) -> CoordinatorReminded:
    """The day before the report to the province is due: unless ``period`` is closed, remind the
    coordinator, with the draft ``outbox/P/bao-cao_P.docx`` attached."""
    plan = load_plan(settings)
    with Ledger(settings.state_dir / LEDGER_NAME) as ledger:
        closed = ledger.period_closed(str(period)) is not None
    draft: Path | None = settings.period_dir(period) / f"bao-cao_{period}.docx"
    if draft is not None and not draft.is_file():
        draft = None
    if closed or not settings.coordinator_email:
        return CoordinatorReminded(closed, "", draft)
    due_before = period.day(plan.ubnd_before_day)
    sent = send_ubnd_reminder(settings, period, due_before, draft, now)
    return CoordinatorReminded(False, settings.coordinator_email, draft, sent)


@dataclass
class Fetched:
    result: FetchResult
    unknown_senders: int  # files saved from addresses that are no unit's (rejected unless accepted)


def fetch_mail(settings: Settings, now: dt.datetime, progress: Progress | None = None) -> Fetched:
    """Take the units' emails from the mailbox into the inbox; count the senders no unit has."""
    result = fetch_mailbox(settings, now, progress=progress)
    unknown = 0
    if result.saved and not settings.accept_unknown_senders:
        try:
            plan: Plan | None = read_register(settings.register_path).plan
        except BaocaoError:
            plan = None
        if plan is not None:
            unknown = sum(1 for _, sender in result.saved if not known_sender(sender, plan))
    return Fetched(result, unknown)


@dataclass
class Polled:
    fetched: Fetched | None  # None when no mailbox is configured
    scanned: ScanResult
    acknowledged: Acknowledged | None = None  # the files judged and answered (SPEC §15)


def scan_and_answer(settings: Settings, now: dt.datetime) -> Acknowledged:
    """Scan the inbox, then judge the files that arrived since the last scan: each unit's feedback
    written, each file's receipt mailed (SPEC §15). With a register that cannot be read the scan still
    records the arrivals; the register's problem is in ``register_error`` and nothing is judged."""
    try:
        plan: Plan | None = load_plan(settings)
        problem = None
    except BaocaoError as exc:
        plan, problem = None, str(exc)
    done = scan_and_acknowledge(settings, plan, now)
    done.register_error = problem
    return done


def poll(settings: Settings, now: dt.datetime) -> Polled:
    """Fetch the mailbox (when configured), then scan the inbox and answer the new files; a mail failure
    still lets the scan run and is raised after it."""
    fetched, failure = None, None
    if settings.imap_host:
        try:
            fetched = fetch_mail(settings, now)
        except BaocaoError as exc:
            failure = exc
    answered = scan_and_answer(settings, now)
    if failure is not None:
        raise failure
    return Polled(fetched, answered.scanned, answered)


def close(settings: Settings, period: Period, now: dt.datetime, reason: str | None = None) -> Closed:
    """Close ``period`` once its report is sent (SPEC §12)."""
    with workspace_lock(settings, "collect"), Ledger(settings.state_dir / LEDGER_NAME) as ledger:
        return close_period(ledger, str(period), now, reason)
