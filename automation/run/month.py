"""The month's use cases, each written once and called by both the CLI and the scheduler (SPEC §8, §10,
§11): load the register, collect then mail, remind, fetch the mailbox, poll, close a period.

Each returns what happened as data; the caller renders it (the CLI prints, the scheduler logs).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from automation.check.identify import known_sender
from automation.domain.dates import Period
from automation.domain.model import CollectOutput, Plan, RunResult, Unit, UnitStatus
from automation.errors import BaocaoError
from automation.intake.imap import FetchResult
from automation.intake.imap import fetch_mail as fetch_mailbox
from automation.notify.mail import SendResult, send_after_collect, send_reminders
from automation.plan.register import ensure_readable_plan, read_register
from automation.run.collect import collect
from automation.run.scan import ScanResult, scan
from automation.settings import Settings
from automation.state.ledger import LEDGER_NAME, Ledger
from automation.state.lock import workspace_lock
from automation.state.periods import Closed, close_period

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
    return Collected(output, to_send, sent)


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


def poll(settings: Settings, now: dt.datetime) -> Polled:
    """Fetch the mailbox (when configured), then scan the inbox; a mail failure still lets the scan run
    and is raised after it."""
    fetched, failure = None, None
    if settings.imap_host:
        try:
            fetched = fetch_mail(settings, now)
        except BaocaoError as exc:
            failure = exc
    scanned = scan(settings, now)
    if failure is not None:
        raise failure
    return Polled(fetched, scanned)


def close(settings: Settings, period: Period, now: dt.datetime, reason: str | None = None) -> Closed:
    """Close ``period`` once its report is sent (SPEC §12)."""
    with workspace_lock(settings, "collect"), Ledger(settings.state_dir / LEDGER_NAME) as ledger:
        return close_period(ledger, str(period), now, reason)
