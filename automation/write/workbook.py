"""Write stage (SPEC §7): the consolidated workbook ``tong-hop_YYYY-MM.xlsx`` of one collect.

``write_consolidated(result, path)`` is a pure function of the ``RunResult``: every time shown comes from it
(the document's creation date is ``result.as_of``), so the same run gives the same workbook. Sheets, in this
order (the names are a contract and stay Vietnamese in every language):

1. ``Tóm tắt`` — the one-page summary for leadership (``write_summary``);
   ``Xu hướng`` — the plan over every period collected so far (``write_trend``), right after it;
2. ``Tiến độ nhiệm vụ`` — one row per task, in plan order, the evaluation cell coloured, a colour legend;
3. ``Đơn vị`` — one row per unit, in register order, the submission cell coloured;
4. ``Cảnh báo`` — one row per flag, by severity (late, missing, regressed, due soon) then task code;
5. ``Khó khăn - Đề xuất`` — difficulties and proposals of this period's rows, lead rows and Phối hợp rows;
   a report carried forward from an earlier period is not repeated here (its words are not this month's);
6. ``Lỗi dữ liệu`` — every finding, errors first (the run report's order);
7. ``Tệp đã nhận`` — every considered file, by path, with its outcome.

Every table has its title in row 1, a note or legend in row 2, the header in row 3 (``write_xlsx.HEADER_ROW``),
data from row 4, frozen panes below the header, a filter, widths from the text (capped, wrapped), row heights
estimated from the text (LibreOffice does not grow rows by itself) and A4 landscape print settings: fitted to
the page width when the text still prints at 9 pt or more (wrapped text columns narrowed a little if that
is enough), else printed at 85 % across several pages with the header row and the key columns (code, name)
repeated on each (``xlsx_parts.print_legibly``). The rates on the summary (and how the completion rate treats recurring tasks) are defined in
``write_summary``. Text that came from units or files is written with ``write_string`` (and the
workbook refuses to turn strings into formulas, links or numbers anyway), so ``=HYPERLINK(…)`` stays text.
Times are shown in the time zone of the submission deadline (the run's local time).
"""

from __future__ import annotations

from pathlib import Path

from xlsxwriter.workbook import Workbook

from automation.domain.model import FLAG_ORDER, Evaluation, RunResult, Task, TaskReport
from automation.i18n.messages import t
from automation.state.files import atomic_save
from automation.write import labels
from automation.write.run_report import (
    natural_key,
    ordered_evaluations,
    ordered_files,
    ordered_findings,
    ordered_units,
)
from automation.write.summary import write_summary
from automation.write.trend import write_trend
from automation.write.xlsx_parts import Column, Styles, Table, UnitNames, new_workbook

SHEET_SUMMARY = "Tóm tắt"
SHEET_TREND = "Xu hướng"
SHEET_TASKS = "Tiến độ nhiệm vụ"
SHEET_UNITS = "Đơn vị"
SHEET_ALERTS = "Cảnh báo"
SHEET_ISSUES = "Khó khăn - Đề xuất"
SHEET_FINDINGS = "Lỗi dữ liệu"
SHEET_FILES = "Tệp đã nhận"
SHEETS = (
    SHEET_SUMMARY, SHEET_TREND, SHEET_TASKS, SHEET_UNITS, SHEET_ALERTS, SHEET_ISSUES, SHEET_FINDINGS, SHEET_FILES,
)  # fmt: skip


def write_consolidated(result: RunResult, path: Path) -> None:
    """Write the consolidated workbook of ``result`` to ``path`` (a temporary file renamed into place)."""
    atomic_save(path, lambda tmp: _write(result, tmp))


def _write(result: RunResult, path: Path) -> None:
    period = labels.period_label(result.period)
    workbook, styles = new_workbook(path, result.as_of, t("out.summary.title", period=period))
    header = (result.plan.id, t("out.period_value", period=period))
    write_summary(workbook, styles, result, SHEET_SUMMARY, header)
    write_trend(workbook, styles, result, SHEET_TREND, header)
    _tasks_sheet(workbook, styles, result, header)
    _units_sheet(workbook, styles, result, header)
    _alerts_sheet(workbook, styles, result, header)
    _issues_sheet(workbook, styles, result, header)
    _findings_sheet(workbook, styles, result, header)
    _files_sheet(workbook, styles, result, header)
    workbook.close()


def _tasks_sheet(workbook: Workbook, styles: Styles, result: RunResult, header: tuple[str, str]) -> None:
    names = UnitNames(result)
    columns = [
        Column(t("out.col.task_code"), "short", 8),
        Column(t("out.col.group"), "text", 22),
        Column(t("out.col.content"), "text", 45),
        Column(t("out.col.lead"), "text", 20),
        Column(t("out.col.deadline"), "date", 12),
        Column(t("out.col.original_deadline"), "date", 12),
        Column(t("out.col.adjustment_basis"), "text", 24),
        Column(t("out.col.status"), "text", 14),
        Column(t("out.col.completed_on"), "date", 12),
        Column(t("out.col.progress"), "int", 9),
        Column(t("out.col.evaluation"), "text", 18),
        Column(t("out.col.flags"), "text", 16),
        Column(t("out.col.results"), "text", 40),
        Column(t("out.col.difficulties"), "text", 30),
        Column(t("out.col.proposals"), "text", 30),
        Column(t("out.col.evidence"), "text", 24),
        Column(t("out.col.source_file"), "text", 26),
        Column(t("out.col.report_period"), "short", 10),
    ]
    title = t(
        "out.tasks.title",
        period=labels.period_label(result.period),
        date=labels.format_date(result.evaluation_date),
    )
    table = Table(
        workbook, styles, SHEET_TASKS, title, columns, freeze_col=1, print_header=header, title_cols=3
    )
    evaluation_col = 10
    for ev in ordered_evaluations(result):
        task, report = ev.task, ev.report
        carried = report is not None and not ev.reported_this_period
        table.add(
            [
                task.code,
                task.group,
                task.content,
                names(task.lead),
                _deadline(task),
                task.original_deadline,  # the plan's, when an extension is in force (SPEC §15)
                task.adjustment_basis,
                labels.status_label(report.status) if report else "",
                report.completed_on if report else None,
                report.progress if report else None,
                labels.evaluation_label(ev.evaluation),
                ", ".join(labels.flag_label(f) for f in FLAG_ORDER if f in ev.flags),
                report.results if report else "",
                report.difficulties if report else "",
                report.proposals if report else "",
                report.evidence if report else "",
                report.file if report else "",
                labels.period_label(report.period) if carried and report else "",
            ],
            {evaluation_col: labels.EVALUATION_COLOURS[ev.evaluation]},
        )
    entries: list[tuple[str, tuple[str, str] | None]] = [(t("out.legend"), None)]
    entries += [
        (labels.evaluation_label(v), labels.EVALUATION_COLOURS[v]) for v in labels.EVALUATION_DISPLAY_ORDER
    ]
    table.legend(entries)
    table.finish()


def _deadline(task: Task) -> object:
    """The deadline as a date cell, or "Thường xuyên" for a task that has none because it is recurring."""
    if task.deadline is not None:
        return task.deadline
    return t("task.recurring_short") if task.recurring else ""


def _units_sheet(workbook: Workbook, styles: Styles, result: RunResult, header: tuple[str, str]) -> None:
    columns = [
        Column(t("out.col.unit_code"), "short", 12),
        Column(t("out.col.unit_name"), "text", 40),
        Column(t("out.col.submission"), "text", 16),
        Column(t("out.col.received_at"), "datetime", 18),
        Column(t("out.col.file"), "text", 50),
        Column(t("out.col.errors"), "int", 10),
        Column(t("out.col.warnings"), "int", 10),
    ]
    zone = result.submission_deadline.tzinfo
    note = t("out.units.note", deadline=labels.deadline_text(result.submission_deadline, zone))
    table = Table(workbook, styles, SHEET_UNITS, t("out.units.title"), columns, note, 1, header, title_cols=2)
    for status in ordered_units(result):
        received = labels.local_time(status.received_at, zone) if status.received_at else None
        table.add(
            [
                status.unit.code,
                status.unit.name,
                labels.submission_label(status.submission),
                received,
                status.file or "",
                status.errors,
                status.warnings,
            ],
            {2: labels.SUBMISSION_COLOURS.get(status.submission, labels.GREY)},
        )
    table.finish()


def _alert_reason(result: RunResult, flag: str, ev: Evaluation) -> str:
    task, report = ev.task, ev.report
    deadline = labels.format_date(task.deadline)
    period = labels.period_label(result.period)
    if flag == "late":
        if ev.evaluation == "completed_late" and report is not None:
            done = report.completed_on or (report.received_at.date() if report.received_at else None)
            return t("out.alert.completed_late", deadline=deadline, done=labels.format_date(done))
        if ev.evaluation == "not_reported":
            return t("out.alert.late_not_reported", deadline=deadline)
        return t("out.alert.overdue", deadline=deadline)
    if flag == "missing":
        return t("out.alert.missing", period=period)
    if flag == "regressed":
        return t("out.alert.regressed", status=labels.status_label(report.status if report else None))
    days = (task.deadline - result.evaluation_date).days if task.deadline else 0
    return t("out.alert.due_soon", deadline=deadline, days=days)


def _alerts_sheet(workbook: Workbook, styles: Styles, result: RunResult, header: tuple[str, str]) -> None:
    names = UnitNames(result)
    columns = [
        Column(t("out.col.task_code"), "short", 10),
        Column(t("out.col.content"), "text", 60),
        Column(t("out.col.lead"), "text", 30),
        Column(t("out.col.deadline"), "date", 14),
        Column(t("out.col.flag"), "text", 18),
        Column(t("out.col.explanation"), "text", 60),
    ]
    rows = sorted(
        (
            (FLAG_ORDER.index(flag), natural_key(ev.task.code), index, flag, ev)
            for index, ev in enumerate(result.evaluations)
            for flag in ev.flags
        ),
        key=lambda item: item[:3],
    )
    order = ", ".join(labels.flag_label(f) for f in FLAG_ORDER)
    table = Table(
        workbook,
        styles,
        SHEET_ALERTS,
        t("out.alerts.title"),
        columns,
        t("out.alerts.note", order=order),
        1,
        header,
        title_cols=2,
    )
    for _, _, _, flag, ev in rows:
        table.add(
            [
                ev.task.code,
                ev.task.content,
                names(ev.task.lead),
                _deadline(ev.task),
                labels.flag_label(flag),
                _alert_reason(result, flag, ev),
            ],
            {4: labels.FLAG_COLOURS[flag]},
        )
    for report in extension_requests(result):
        task = result.plan.task(report.task)
        table.add(
            [
                report.task,
                task.content if task else "",
                names(report.unit),
                _deadline(task) if task else "",
                t("out.flag.extension"),
                _extension_reason(report),
            ],
            {4: labels.GREY},
        )
    table.finish()


def extension_requests(result: RunResult) -> list[TaskReport]:
    """This period's rows asking for a deadline extension (``Đề nghị gia hạn đến``, SPEC §15), in plan
    order: lead rows then Phối hợp rows."""
    reports = [ev.report for ev in result.evaluations if ev.reported_this_period and ev.report is not None]
    reports += list(result.contributions)
    position = {task.code: i for i, task in enumerate(result.plan.tasks)}
    chosen = [r for r in reports if r.extension_to is not None and r.period == result.period]
    return sorted(chosen, key=lambda r: (position.get(r.task, len(position)), r.role != "lead", r.unit))


def _extension_reason(report: TaskReport) -> str:
    return t(
        "out.alert.extension",
        date=labels.format_date(report.extension_to),
        reason=report.proposals or t("out.alert.extension_no_reason"),
    )


def _issue_rows(result: RunResult) -> list[TaskReport]:
    """This period's rows with a difficulty or a proposal: lead rows then Phối hợp rows of each task, in plan
    order, units in register order."""
    task_position = {task.code: i for i, task in enumerate(result.plan.tasks)}
    unit_position = {unit.code: i for i, unit in enumerate(result.plan.units)}
    reports = [ev.report for ev in result.evaluations if ev.reported_this_period and ev.report is not None]
    reports += list(result.contributions)
    chosen = [r for r in reports if (r.difficulties or r.proposals) and r.period == result.period]
    return sorted(
        chosen,
        key=lambda r: (
            task_position.get(r.task, len(task_position)),
            natural_key(r.task),
            r.role != "lead",
            unit_position.get(r.unit, len(unit_position)),
            r.unit,
            r.file,
            r.row or 0,
        ),
    )


def _issues_sheet(workbook: Workbook, styles: Styles, result: RunResult, header: tuple[str, str]) -> None:
    names = UnitNames(result)
    columns = [
        Column(t("out.col.task_code"), "short", 10),
        Column(t("out.col.content"), "text", 50),
        Column(t("out.col.unit"), "text", 30),
        Column(t("out.col.role"), "short", 10),
        Column(t("out.col.difficulties"), "text", 60),
        Column(t("out.col.proposals"), "text", 60),
        Column(t("out.col.file"), "text", 40),
    ]
    rows = _issue_rows(result)
    note = "" if rows else t("out.issues.none")
    table = Table(
        workbook, styles, SHEET_ISSUES, t("out.issues.title"), columns, note, 1, header, title_cols=2
    )
    contents = {task.code: task.content for task in result.plan.tasks}
    for report in rows:
        table.add(
            [
                report.task,
                contents.get(report.task, ""),
                names(report.unit),
                labels.role_label(report.role),
                report.difficulties,
                report.proposals,
                report.file,
            ]
        )
    table.finish()


def _findings_sheet(workbook: Workbook, styles: Styles, result: RunResult, header: tuple[str, str]) -> None:
    names = UnitNames(result)
    columns = [
        Column(t("out.col.severity"), "short", 12),
        Column(t("out.col.rule"), "short", 28),
        Column(t("out.col.file"), "text", 40),
        Column(t("out.col.unit"), "text", 30),
        Column(t("out.col.sheet"), "short", 16),
        Column(t("out.col.cell"), "short", 8),
        Column(t("out.col.task_code"), "short", 10),
        Column(t("out.col.message"), "text", 80),
    ]
    findings = ordered_findings(result.findings)
    note = t("out.findings.note") if findings else t("out.findings.none")
    table = Table(workbook, styles, SHEET_FINDINGS, t("out.findings.title"), columns, note, 1, header)
    for f in findings:
        table.add(
            [
                labels.severity_label(f.severity),
                f.rule,
                f.file or "",
                names(f.unit),
                f.sheet or "",
                f.cell or "",
                f.task or "",
                f.message,
            ],
            {0: labels.SEVERITY_COLOURS.get(f.severity, labels.GREY)},
        )
    table.finish()


def _files_sheet(workbook: Workbook, styles: Styles, result: RunResult, header: tuple[str, str]) -> None:
    names = UnitNames(result)
    columns = [
        Column(t("out.col.file"), "text", 50),
        Column(t("out.col.received_at"), "datetime", 18),
        Column(t("out.col.source"), "short", 10),
        Column(t("out.col.sender"), "text", 30),
        Column(t("out.col.unit"), "text", 30),
        Column(t("out.col.period"), "short", 12),
        Column(t("out.col.outcome"), "text", 18),
        Column(t("out.col.reason"), "text", 60),
    ]
    zone = result.submission_deadline.tzinfo
    files = ordered_files(result.files)
    note = "" if files else t("out.files.none")
    table = Table(workbook, styles, SHEET_FILES, t("out.files.title"), columns, note, 1, header)
    for record in files:
        received = labels.local_time(record.received_at, zone) if record.received_at else None
        table.add(
            [
                record.path,
                received,
                labels.source_label(record.source),
                record.sender or "",
                names(record.unit),
                labels.period_label(record.period),
                labels.outcome_label(record.outcome),
                record.reason or "",
            ],
            {6: labels.OUTCOME_COLOURS.get(record.outcome, labels.GREY)},
        )
    table.finish()
