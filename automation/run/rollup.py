"""``baocao rollup`` (SPEC §16): the department reports up the chain with nothing retyped.

The upper level's template for this department (a baocao template of the upper workspace, or any workbook
with the §5 header labels) is read by the reader, like a unit's file; each upper task listed in it is
filled from this period's verdicts on the department's tasks linked to it (register column ``Nhiệm vụ cấp
trên``): the latest run report of the period and the accepted rows, from the ledger only. The copy goes to
``outbox/YYYY-MM/cap-tren/`` and, with ``--send``, to ``UPPER_EMAIL`` — once per content.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from automation.check.identify import parse_period_text
from automation.domain.contract import COL_CODE, INPUT_LABELS
from automation.domain.dates import Period
from automation.domain.model import Plan, TaskReport
from automation.domain.text import clean_text, nfc
from automation.errors import InputError
from automation.i18n.messages import t
from automation.notify.mail import Outgoing, SendResult, send_all, smtp_configured
from automation.plan.register import read_register
from automation.read.report import read_report
from automation.settings import Settings
from automation.state.ledger import LEDGER_NAME, Ledger
from automation.state.lock import workspace_lock
from automation.write.labels import period_label
from automation.write.upper_template import LinkedState, UpperRow, upper_row, write_upper_template

FOLDER = "cap-tren"
REQUIRED = (COL_CODE, *INPUT_LABELS)


@dataclass
class Stale:
    """A linked task with no accepted report this period: its lead unit, and the period whose state is
    used instead (None: never reported, counted as not started)."""

    task: str
    lead: str
    previous: str | None


@dataclass
class Rolled:
    """What ``rollup`` did: the file written, the upper tasks filled and those left empty, the linked tasks
    not reported this period, links to upper tasks the template does not list, and the mail."""

    period: str
    out: Path
    filled: list[str] = field(default_factory=list)
    unlinked: list[str] = field(default_factory=list)
    stale: list[Stale] = field(default_factory=list)
    unknown_links: dict[str, list[str]] = field(default_factory=dict)  # upper code → department tasks
    warnings: list[str] = field(default_factory=list)
    send: bool = False
    sent: SendResult | None = None  # None: not sent (no --send, or SMTP/UPPER_EMAIL not set: a warning)

    def lines(self) -> list[str]:
        """The lines the CLI prints (and the scheduler logs)."""
        label = period_label(self.period)
        out = [t("rollup.written", path=self.out, count=len(self.filled), period=label)]
        if self.unlinked:
            out.append(t("rollup.unlinked", codes=", ".join(self.unlinked)))
        for item in self.stale:
            if item.previous:
                out.append(
                    t(
                        "rollup.stale_previous",
                        task=item.task,
                        unit=item.lead,
                        period=label,
                        previous=period_label(item.previous),
                    )
                )
            else:
                out.append(t("rollup.stale_never", task=item.task, unit=item.lead, period=label))
        for code, tasks in self.unknown_links.items():
            out.append(t("rollup.unknown_link", code=code, tasks=", ".join(tasks)))
        out += self.warnings
        if self.sent is not None:
            if self.sent.sent:
                out.append(t("rollup.sent", to=self.sent.sent[0].to))
            elif self.sent.refused:
                out.append(t("mail.sent.refused", to=self.sent.refused[0].to))
            else:
                out.append(t("rollup.already_sent"))
        return out


def default_out(settings: Settings, period: Period, template: Path) -> Path:
    """``outbox/YYYY-MM/cap-tren/<the template's file name>``."""
    return settings.period_dir(period) / FOLDER / template.name


def rollup(
    settings: Settings,
    period: Period,
    template: Path,
    now: dt.datetime,
    *,
    out: Path | None = None,
    send: bool = False,
    plan: Plan | None = None,
) -> Rolled:
    """Fill the upper level's ``template`` for ``period`` from the ledger (SPEC §16); mail it with ``send``.

    Raises InputError when the template is not one (no §5 header) or the period was never collected.
    """
    template = template if template.is_absolute() else settings.workspace / template
    if not template.is_file():
        raise InputError(t("rollup.no_template", path=template))
    parsed = read_report(template, template.name)
    missing = [label for label in REQUIRED if label not in parsed.columns]
    if parsed.header_row is None or parsed.sheet is None or missing:
        raise InputError(t("rollup.not_a_template", path=template, labels=", ".join(REQUIRED)))
    if plan is None:
        plan = read_register(settings.register_path).plan
    with workspace_lock(settings, "collect"), Ledger(settings.state_dir / LEDGER_NAME) as ledger:
        report = ledger.last_report(str(period))
        rows = ledger.rows_of(str(period))
    if report is None:
        raise InputError(t("rollup.not_collected", period=period.label))
    target = out if out is not None else default_out(settings, period, template)
    rolled = Rolled(str(period), target, send=send)
    rolled.warnings += _template_warnings(parsed.period_value, parsed.meta, plan, period, template)

    entries = {entry["code"]: entry for entry in report.get("tasks", [])}
    this_period = {(r.unit, r.task): r for r in rows if r.period == str(period) and r.role == "lead"}
    fills: dict[int, UpperRow] = {}
    listed: set[str] = set()
    for parsed_row in parsed.rows:
        code = clean_text(parsed_row.values.get(COL_CODE)).rstrip(".")
        if not code or code.casefold() in listed:
            continue
        listed.add(code.casefold())
        linked = [task for task in plan.tasks if code.casefold() in {u.casefold() for u in task.upper}]
        if not linked:
            rolled.unlinked.append(code)
            continue
        states = [_state(task.code, task.lead, entries, this_period, rolled) for task in linked]
        fills[parsed_row.number] = upper_row(states)
        rolled.filled.append(code)
    for task in plan.tasks:
        for code in task.upper:
            if code.casefold() not in listed:
                rolled.unknown_links.setdefault(code, []).append(task.code)
    rolled.stale = list({item.task: item for item in rolled.stale}.values())  # a task linked twice: once
    write_upper_template(template, target, parsed.sheet, parsed.columns, fills)
    if send:
        rolled.sent = _send(settings, rolled, fills, now)
    return rolled


def _state(
    code: str, lead: str, entries: dict[str, dict], rows: dict[tuple[str, str], TaskReport], rolled: Rolled
) -> LinkedState:
    """The period's state of one linked task: this period's accepted row, else the effective (earlier)
    state the run report holds, else nothing reported."""
    entry = entries.get(code)
    lead = entry["lead_unit"] if entry else lead
    status = entry.get("reported_status") if entry else None
    done_on = entry.get("completed_on") if entry else None
    state = LinkedState(
        code=code,
        status=status,
        completed_on=dt.date.fromisoformat(done_on) if done_on else None,
        progress=entry.get("progress") if entry else None,
    )
    if entry and entry.get("reported_this_period"):
        row = rows.get((lead, code))
        if row is not None:
            return LinkedState(
                code,
                state.status,
                state.completed_on,
                state.progress,
                row.results,
                row.difficulties,
                row.proposals,
                row.evidence,
            )
        return state
    previous = entry.get("report_period") if entry and status else None
    rolled.stale.append(Stale(code, lead, previous))
    return state


def _template_warnings(
    period_value: object, meta: dict[str, str], plan: Plan, period: Period, template: Path
) -> list[str]:
    """A template made for another month or another unit still gets filled; the coordinator is told."""
    warnings = []
    found = parse_period_text(period_value) or parse_period_text(meta.get("period"))
    if found and found != str(period):
        warnings.append(
            t("rollup.other_period", path=template.name, found=period_label(found), period=period.label)
        )
    unit = nfc(meta.get("unit_code", "")).upper()
    if unit and plan.upper_unit and unit != plan.upper_unit:
        warnings.append(t("rollup.other_unit", path=template.name, found=unit, unit=plan.upper_unit))
    if plan.upper_plan and meta.get("plan_id") and nfc(meta["plan_id"]) != plan.upper_plan:
        warnings.append(
            t("rollup.other_plan", path=template.name, found=nfc(meta["plan_id"]), plan=plan.upper_plan)
        )
    return warnings


def _send(
    settings: Settings, rolled: Rolled, fills: dict[int, UpperRow], now: dt.datetime
) -> SendResult | None:
    """Mail the filled template to UPPER_EMAIL, once per content (the filled values, not the file's bytes,
    whose save time changes every run)."""
    if not settings.upper_email or not smtp_configured(settings):
        rolled.warnings.append(t("rollup.cannot_send"))
        return None
    content = {
        "template": rolled.out.name,
        "to": settings.upper_email.lower(),
        "rows": {str(number): row.cells() for number, row in sorted(fills.items())},
    }
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, default=str)
    key = f"rollup:{rolled.period}:{hashlib.sha256(text.encode()).hexdigest()}"
    label = period_label(rolled.period)
    item = Outgoing(
        key=key,
        kind="rollup",
        to=settings.upper_email,
        subject=t("mail.rollup.subject", period=label, file=rolled.out.name),
        body=t("mail.rollup.body", period=label, file=rolled.out.name, count=len(rolled.filled)),
        attachments=[rolled.out],
    )
    with workspace_lock(settings, "collect"), Ledger(settings.state_dir / LEDGER_NAME) as ledger:
        return send_all(settings, ledger, [item], now)
