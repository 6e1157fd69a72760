"""Validate stage of the monthly collect (SPEC §6 "Row rules"): a unit's rows become task reports.

``validate_rows`` is a pure function of the parsed sheet, the register, the identified unit and period,
and the file's received time. Every problem is a ``Finding`` with its rule code, cell and a Vietnamese
message saying what is wrong and how to fix it; a bad row never stops the others. The decisions taken
where the SPEC is silent are listed in ``docs/validation-rules.md``. Reading single cells (status words,
progress, dates) lives in ``people_input``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from automation.check.cells import (
    STATUS_LABELS,
    cell_text,
    error_value,
    has_words,
    is_blank,
    normalize_role,
    normalize_status,
    parse_cell_date,
    parse_progress,
    task_code_text,
)
from automation.domain.contract import (
    COL_CODE,
    COL_DIFFICULTIES,
    COL_DONE_ON,
    COL_EVIDENCE,
    COL_EXTENSION,
    COL_PROGRESS,
    COL_PROPOSALS,
    COL_RESULTS,
    COL_ROLE,
    COL_STATUS,
    INPUT_LABELS,
    STATUS_VALUES,
)
from automation.domain.model import (
    Finding,
    ParsedReport,
    ParsedRow,
    Plan,
    ReportedStatus,
    Severity,
    Task,
    TaskReport,
)
from automation.i18n.messages import N_, t

__all__ = ["normalize_status", "parse_progress", "validate_rows"]

# A spreadsheet error in one of these cells leaves the row without a task or a status: the row is not used.
_ESSENTIAL = (COL_CODE, COL_STATUS)


@dataclass
class _Context:
    parsed: ParsedReport
    plan: Plan
    unit: str
    period: str
    received_at: dt.datetime
    file: str
    plan_start: dt.date | None


@dataclass
class _Row:
    """What one sheet row came to: the report (None when not usable) and its findings."""

    ctx: _Context
    source: ParsedRow
    code: str = ""  # the task code as written (the plan's code once matched)
    task: str | None = None  # the plan's code, when the row names a task of the plan
    role: str | None = None
    report: TaskReport | None = None
    blank: bool = False  # no input cell filled in
    findings: list[Finding] = field(default_factory=list)

    def add(self, severity: Severity, rule: str, label: str | None, /, **params: object) -> None:
        """A finding on this row's ``label`` cell; the message gets ``task`` unless given."""
        ctx = self.ctx
        params.setdefault("task", self.code)
        cell = _ref(ctx.parsed, self.source, label) if label else None
        message = t(rule, **params)
        sheet, task = ctx.parsed.sheet, self.code or None
        self.findings.append(
            Finding(severity, rule, message, file=ctx.file, unit=ctx.unit, sheet=sheet, cell=cell, task=task)
        )


def _ref(parsed: ParsedReport, row: ParsedRow, label: str) -> str | None:
    if label in row.refs:
        return row.refs[label]
    column = parsed.columns.get(label)
    return f"{column}{row.number}" if column else None


def _shown(value: object) -> str:
    text = cell_text(value)
    return text if len(text) <= 60 else text[:57] + "…"


def validate_rows(
    parsed: ParsedReport,
    plan: Plan,
    unit: str,
    period: str,
    received_at: dt.datetime,
    *,
    file: str,
    plan_start: dt.date | None,
) -> tuple[list[TaskReport], list[Finding]]:
    """The usable task reports of one unit's file and every finding about its rows (SPEC §6).

    ``received_at`` is the file's received time in local time (completion dates after its day are in
    the future); ``plan_start`` is the earliest believable completion date (None: not checked).
    Reports come in sheet order; findings in sheet order, then ``task.missing_row`` in plan order.
    """
    ctx = _Context(parsed, plan, unit, period, received_at, file, plan_start)
    rows = [row for row in (_check_row(ctx, source) for source in parsed.rows) if row is not None]
    _resolve_duplicates(rows)
    reports = [row.report for row in rows if row.report is not None]
    findings = [finding for row in rows for finding in row.findings]
    named = {row.task for row in rows if row.task}
    for task in plan.tasks_led_by(unit):
        if task.code not in named:
            findings.append(
                Finding(
                    "warning",
                    "task.missing_row",
                    t("task.missing_row", task=task.code),
                    file=file,
                    unit=unit,
                    sheet=parsed.sheet,
                    cell=None,
                    task=task.code,
                )
            )
    return reports, findings


def _check_row(ctx: _Context, source: ParsedRow) -> _Row | None:
    row = _Row(ctx, source)
    values = dict(source.values)
    had_input = any(not is_blank(values.get(label)) for label in INPUT_LABELS)
    written_code = "" if error_value(values.get(COL_CODE)) else task_code_text(values.get(COL_CODE))
    row.code = written_code

    for label, cell in source.refs.items():
        if cell in ctx.parsed.formula_cells:
            row.add("warning", N_("row.formula"), label, column=label)
    broken = False
    for label in (COL_CODE, COL_ROLE, *INPUT_LABELS):
        error = error_value(values.get(label))
        if error:
            essential = label in _ESSENTIAL
            row.add(
                "error" if essential else "warning", N_("row.error_value"), label, value=error, column=label
            )
            values[label] = None
            broken = broken or essential
    row.blank = not any(not is_blank(values.get(label)) for label in INPUT_LABELS)

    if not written_code:
        if had_input and not error_value(source.values.get(COL_CODE)):
            row.add("error", N_("row.missing_task"), COL_CODE)
        return row if row.findings else None
    task = _plan_task(ctx.plan, written_code)
    if task is None:
        row.add("error", N_("row.unknown_task"), COL_CODE, codes=_code_hint(ctx.plan))
        return row
    row.task = row.code = task.code
    row.role = _role(row, values.get(COL_ROLE), task.lead)
    results = cell_text(values.get(COL_RESULTS))
    status = _status(row, values.get(COL_STATUS), broken, has_words(results))
    completed_on = _completed_on(row, values.get(COL_DONE_ON), status)
    progress = _progress(row, values.get(COL_PROGRESS), status)
    if status in ("in_progress", "done") and not has_words(results):
        row.add("warning", N_("row.missing_results"), COL_RESULTS)
    extension_to = _extension(row, values.get(COL_EXTENSION))
    if status is None or broken:
        return row
    row.report = TaskReport(
        period=ctx.period,
        unit=ctx.unit,
        task=task.code,
        role=row.role,
        status=status,
        completed_on=completed_on,
        progress=progress,
        results=results,
        difficulties=cell_text(values.get(COL_DIFFICULTIES)),
        proposals=cell_text(values.get(COL_PROPOSALS)),
        evidence=cell_text(values.get(COL_EVIDENCE)),
        file=ctx.file,
        row=source.number,
        received_at=ctx.received_at,
        extension_to=extension_to,
    )
    return row


def _code_hint(plan: Plan, shown: int = 30) -> str:
    """The plan's task codes for a message; a large plan's list is cut (the register has them all)."""
    codes = [task.code for task in plan.tasks[:shown]]
    return ", ".join(codes) + (" …" if len(plan.tasks) > shown else "")


def _plan_task(plan: Plan, code: str) -> Task | None:
    return plan.task(code)


def _role(row: _Row, raw: object, lead: str) -> str:
    """``lead`` or ``support``: as written when it fits the register, else what the register says."""
    leads = lead == row.ctx.unit
    role = normalize_role(raw)
    if role is None and not is_blank(raw):
        row.add("warning", N_("row.bad_role"), COL_ROLE, value=_shown(raw))
    if role is None:
        return "lead" if leads else "support"
    if role == "lead" and not leads:
        lead_unit = row.ctx.plan.unit(lead)
        row.add("warning", N_("row.not_lead"), COL_ROLE, lead=lead_unit.name if lead_unit else lead)
        return "support"
    if role == "support" and leads:
        row.add("warning", N_("row.role_is_lead"), COL_ROLE)
        return "lead"
    return role


def _status(row: _Row, raw: object, broken: bool, has_results: bool) -> ReportedStatus | None:
    allowed = ", ".join(STATUS_VALUES)
    if broken:
        return None
    if is_blank(raw):
        if row.role == "support" and has_results:
            return "in_progress"  # a contribution described in words; the status is optional there
        row.add("error", N_("row.missing_status"), COL_STATUS, allowed=allowed)
        return None
    status, variant = normalize_status(raw)
    if status is None:
        row.add("error", N_("row.bad_status"), COL_STATUS, value=_shown(raw), allowed=allowed)
    elif variant:
        row.add(
            "info", N_("row.status_corrected"), COL_STATUS, value=_shown(raw), status=STATUS_LABELS[status]
        )
    return status


def _extension(row: _Row, raw: object) -> dt.date | None:
    """Đề nghị gia hạn đến (SPEC §15, an optional column): the date the unit asks the deadline moved to."""
    day, readable = parse_cell_date(raw)
    if not readable:
        row.add("warning", N_("row.bad_extension_date"), COL_EXTENSION, value=_shown(raw))
        return None
    return day


def _completed_on(row: _Row, raw: object, status: ReportedStatus | None) -> dt.date | None:
    ctx = row.ctx
    received = ctx.received_at.strftime("%d/%m/%Y")
    day, readable = parse_cell_date(raw)
    if not readable:
        row.add("warning", N_("row.bad_date"), COL_DONE_ON, value=_shown(raw))
        return None
    if day is None:
        if status == "done":
            row.add("warning", N_("row.missing_completion_date"), COL_DONE_ON, received=received)
        return None
    shown = day.strftime("%d/%m/%Y")
    if day > ctx.received_at.date():
        row.add("warning", N_("row.future_date"), COL_DONE_ON, date=shown, received=received)
        return None
    if ctx.plan_start is not None and day < ctx.plan_start:
        row.add(
            "warning",
            N_("row.date_before_plan"),
            COL_DONE_ON,
            date=shown,
            start=ctx.plan_start.strftime("%d/%m/%Y"),
        )
        return None
    if status is not None and status != "done":
        row.add("warning", N_("row.date_not_done"), COL_DONE_ON, date=shown, status=STATUS_LABELS[status])
        return None
    return day


def _progress(row: _Row, raw: object, status: ReportedStatus | None) -> int | None:
    progress, problem = parse_progress(raw)
    if problem in ("out_of_range", "not_a_number"):
        row.add("warning", N_("row.bad_progress"), COL_PROGRESS, value=_shown(raw))
    elif problem is not None:
        row.add("info", N_("row.progress_corrected"), COL_PROGRESS, value=_shown(raw), progress=progress)
    if status == "done":
        if progress is None:
            return 100
        if progress < 100:
            row.add("warning", N_("row.done_below_full"), COL_PROGRESS, progress=progress)
    return progress


def _resolve_duplicates(rows: list[_Row]) -> None:
    """One report per task and role: the first usable row is kept, later usable ones are errors.

    A left-blank row of a task that another row reports (the pre-filled row unused because the unit
    wrote the task again lower down) is reported as the duplicate, not as a missing status.
    """
    kept: dict[tuple[str, str], _Row] = {}
    for row in rows:
        if row.report is not None and row.task and row.role:
            kept.setdefault((row.task, row.role), row)
    for row in rows:
        if not row.task or not row.role:
            continue
        first = kept.get((row.task, row.role))
        if first is None or first is row:
            continue
        if row.report is not None:
            row.report = None
        elif row.blank:
            row.findings = [f for f in row.findings if f.rule != "row.missing_status"]
        else:
            continue
        row.add("error", N_("row.duplicate_task"), COL_CODE, row=first.source.number)
