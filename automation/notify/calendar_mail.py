"""The month's calendar by mail (SPEC §10, §15): each unit's template on the period's first day, the
reminders on the last working days before the deadline, the coordinator's digest of who is still missing
after it and the coordinator's reminder the day before the report to the province is due.

Units are always told to send their file to the mailbox baocao reads (``Settings.how_to_send``), never to
COORDINATOR_EMAIL; each message is recorded in the ledger under its key (see ``mail``), so it goes once.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from automation.domain.contract import template_name
from automation.domain.dates import Period
from automation.domain.model import Plan, RunResult, Task, Unit, UnitStatus
from automation.i18n.messages import t
from automation.notify.mail import Outgoing, SendResult, _when, send_items, smtp_configured
from automation.settings import Settings
from automation.state.ledger import LEDGER_NAME, Ledger
from automation.write.labels import period_label, remind_state_label

MAX_TASKS_IN_BODY = 30


def _task_lines(tasks: list[Task]) -> str:
    """``- 1.2 — Rà soát … (hạn 30/06/2025)``, one line a task, long contents shortened."""
    lines = []
    for task in tasks[:MAX_TASKS_IN_BODY]:
        content = task.content if len(task.content) <= 120 else task.content[:117].rstrip() + "…"
        deadline = t("mail.task.deadline", deadline=f"{task.deadline:%d/%m/%Y}") if task.deadline else ""
        lines.append(f"- {task.code} — {content}{deadline}")
    if len(tasks) > MAX_TASKS_IN_BODY:
        lines.append(t("mail.task.more", count=len(tasks) - MAX_TASKS_IN_BODY))
    return "\n".join(lines) or t("mail.task.none")


def _unreported_tasks(result: RunResult, unit: str) -> list[Task]:
    """The tasks ``unit`` leads that have no report this period (its period's tasks when evaluated)."""
    evaluated = [e for e in result.evaluations if e.task.lead == unit]
    if evaluated:
        return [e.task for e in evaluated if not e.reported_this_period]
    return result.plan.tasks_led_by(unit)


def _ensure_templates(
    settings: Settings, plan: Plan, period: Period, codes: list[str], now: dt.datetime
) -> Path:
    """The period's template folder, with the templates of ``codes`` written if they are not there yet."""
    folder = settings.period_dir(period) / "mau"
    missing = [code for code in codes if not (folder / template_name(code, period)).is_file()]
    if missing:
        from automation.templates.generate import (
            write_templates,  # openpyxl: only when a template must be written
        )

        day = settings.submit_before_day or plan.submit_before_day
        write_templates(plan, settings.master_path, folder, period, day, now, missing, settings.how_to_send())
    return folder


def send_reminders(
    settings: Settings, plan: Plan, result: RunResult, now: dt.datetime
) -> tuple[SendResult | None, list[UnitStatus], list[Unit]]:
    """A reminder to each unit with nothing accepted for the period yet (missing or only invalid files),
    naming the deadline, the tasks still without a report and where to send the file (the mailbox baocao
    reads, else the shared folder), with the unit's template attached (written first if it is not there).

    Returns (what was sent, or None without SMTP_HOST; the units due a reminder; those with no address in
    the register). At most one reminder per unit and day.
    """
    period = Period.parse(result.period)
    due = [status for status in result.units if status.submission in ("missing", "invalid")]
    reachable = [status for status in due if status.unit.emails]
    without = [status.unit for status in due if not status.unit.emails]
    if not smtp_configured(settings):
        return None, due, without
    folder = _ensure_templates(settings, plan, period, [s.unit.code for s in reachable], now)
    deadline = result.submission_deadline.astimezone(settings.timezone)
    last_day = deadline - dt.timedelta(days=1)  # "before the 16th" = by the end of the 15th
    items = [
        Outgoing(
            key=f"remind:{result.period}:{status.unit.code}:{now.astimezone(settings.timezone).date()}",
            kind="remind",
            to=", ".join(status.unit.emails),
            subject=t(
                "mail.remind.subject", period=period_label(result.period), deadline=f"{deadline:%d/%m/%Y}"
            ),
            body=t(
                "mail.remind.tasks_body",
                unit=status.unit.name,
                period=period_label(result.period),
                deadline=f"{deadline:%d/%m/%Y}",
                last_day=f"{last_day:%d/%m/%Y}",
                state=remind_state_label(status.submission),
                tasks=_task_lines(_unreported_tasks(result, status.unit.code)),
                template=template_name(status.unit.code, period),
                how=settings.how_to_send(),
            ),
            attachments=[folder / template_name(status.unit.code, period)],
            reply_to=settings.report_mailbox,
            unit=status.unit.code,
        )
        for status in reachable
    ]
    return send_items(settings, items, now), due, without


# --- the period's templates (SPEC §15) -------------------------------------------------------------------


def _template_key(period: Period, unit: Unit) -> str:
    return f"templates:{period}:{unit.code}"


def units_without_template_mail(settings: Settings, plan: Plan, period: Period) -> list[Unit]:
    """The units with an address whose template for ``period`` has not been mailed (a unit added later)."""
    reachable = [unit for unit in plan.units if unit.emails]
    if not reachable:
        return []
    with Ledger(settings.state_dir / LEDGER_NAME) as ledger:
        sent = ledger.sent_keys([_template_key(period, unit) for unit in reachable])
    return [unit for unit in reachable if _template_key(period, unit) not in sent]


def send_templates_mail(
    settings: Settings, plan: Plan, period: Period, units: list[Unit], deadline: dt.date, now: dt.datetime
) -> SendResult | None:
    """Mail each of ``units`` its own template for ``period`` (already written in ``outbox/P/mau``), the
    guide and the deadline in the body; once per unit and period. None without SMTP_HOST."""
    folder = settings.period_dir(period) / "mau"
    last_day = deadline - dt.timedelta(days=1)
    items = [
        Outgoing(
            key=_template_key(period, unit),
            kind="templates",
            to=", ".join(unit.emails),
            subject=t("mail.templates.subject", period=period.label, deadline=f"{deadline:%d/%m/%Y}"),
            body=t(
                "mail.templates.body",
                unit=unit.name,
                period=period.label,
                deadline=f"{deadline:%d/%m/%Y}",
                last_day=f"{last_day:%d/%m/%Y}",
                template=template_name(unit.code, period),
                how=settings.how_to_send(),
            ),
            attachments=[folder / template_name(unit.code, period)],
            reply_to=settings.report_mailbox,
            unit=unit.code,
        )
        for unit in units
        if unit.emails
    ]
    return send_items(settings, items, now)


# --- the coordinator after the deadline (SPEC §15) ----------------------------------------------------


def send_digest(
    settings: Settings, result: RunResult, run: str, now: dt.datetime
) -> tuple[list[UnitStatus], SendResult | None]:
    """After the deadline, one mail to COORDINATOR_EMAIL per re-collect ``run``: the units still missing or
    invalid, with their addresses. Nothing when every unit has an accepted file or no coordinator is set.

    Returns (the units listed, what was sent: None without SMTP_HOST)."""
    due = [status for status in result.units if status.submission in ("missing", "invalid")]
    if not due or not settings.coordinator_email:
        return due, SendResult() if smtp_configured(settings) else None
    deadline = result.submission_deadline.astimezone(settings.timezone)
    lines = [
        t(
            "mail.digest.line",
            code=status.unit.code,
            unit=status.unit.name,
            state=remind_state_label(status.submission),
            emails=", ".join(status.unit.emails) or t("mail.digest.no_address"),
        )
        for status in due
    ]
    item = Outgoing(
        key=f"digest:{result.period}:{run}",
        kind="digest",
        to=settings.coordinator_email,
        subject=t("mail.digest.subject", period=period_label(result.period), count=len(due)),
        body=t(
            "mail.digest.body",
            period=period_label(result.period),
            deadline=f"{deadline:%d/%m/%Y}",
            as_of=_when(result.as_of, settings),
            count=len(due),
            units="\n".join(lines),
        ),
    )
    return due, send_items(settings, [item], now)


def send_ubnd_reminder(
    settings: Settings, period: Period, due_before: dt.date, draft: Path | None, now: dt.datetime
) -> SendResult | None:
    """The coordinator's reminder the day before the report to the province is due (``due_before``), the
    report draft attached when collect has written it. Once per period. None without SMTP_HOST."""
    item = Outgoing(
        key=f"ubnd:{period}",
        kind="ubnd",
        to=settings.coordinator_email,
        subject=t("mail.ubnd.subject", period=period.label, deadline=f"{due_before:%d/%m/%Y}"),
        body=t(
            "mail.ubnd.body",
            period=period.label,
            deadline=f"{due_before:%d/%m/%Y}",
            draft=t("mail.ubnd.draft", name=draft.name) if draft else t("mail.ubnd.no_draft"),
            period_arg=str(period),
        ),
        attachments=[draft] if draft else [],
    )
    return send_items(settings, [item], now)
