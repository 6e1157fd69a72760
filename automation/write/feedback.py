"""Write stage (SPEC §3, §6): the feedback file a unit gets for each file it sent,
``outbox/YYYY-MM/phan-hoi/<UNIT>_YYYY-MM.xlsx``.

Sheet ``Báo cáo`` is the unit's report sheet as received, every value at the cell it came from (a finding
about ``E7`` is shown on ``E7``), each problem cell filled red (error), amber (warning) or light blue
(corrected automatically) with a comment holding the messages. Sheet ``Kết quả kiểm tra`` says what became
of the file — outcome and reason, received time, on time or late, what to do next — and lists every finding.
A file that could not be read (no grid) gets only the second sheet. Everything the unit typed is
written back as text, never as a formula. Pure function of its inputs: no clock is read.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from automation.domain.contract import COLUMN_WIDTHS, SHEET_REPORT
from automation.domain.model import SEVERITY_ORDER, FileRecord, Finding, ParsedReport, RunResult, Severity
from automation.domain.text import fold
from automation.i18n.messages import t
from automation.state.files import atomic_save
from automation.write import labels
from automation.write.run_report import cell_key, ordered_findings
from automation.write.xlsx_lite import Page, Sheet, Style, Workbook
from automation.write.xlsx_parts import CHARS_PER_UNIT, FONT, row_height, text_width, wrapped_lines

SHEET_RESULT = "Kết quả kiểm tra"
_TOP = Style(valign="top")
_CELL = Style(border=1, border_colour="A6A6A6", valign="top", wrap=True)
_HEAD = _CELL._replace(bold=True, align="center", valign="center", fill="D9E1F2")
_CENTRED = _CELL._replace(align="center")
_TITLE, _HEADING = Style(bold=True, size=14), Style(bold=True, size=12)
_LABEL, _VALUE = Style(bold=True, valign="top"), Style(valign="top", wrap=True)


def file_findings(record: FileRecord, result: RunResult) -> list[Finding]:
    """The findings about this file: its own, and the run's that name it; each once, errors first."""
    seen: dict[Finding, None] = {}
    for finding in [*record.findings, *(f for f in result.findings if f.file == record.path)]:
        seen.setdefault(finding, None)
    return ordered_findings(seen)


def write_feedback(record: FileRecord, unit_name: str, result: RunResult, path: Path) -> None:
    """Write the feedback workbook for ``record`` (sent by ``unit_name``) to ``path``, atomically."""
    atomic_save(path, feedback_workbook(record, unit_name, result).save)


def feedback_workbook(record: FileRecord, unit_name: str, result: RunResult) -> Workbook:
    """The feedback workbook in memory: the report sheet (when the file was read), then the check result."""
    findings = file_findings(record, result)
    period = labels.period_label(record.period or result.period)
    title = t("out.feedback.title_doc", unit=unit_name, period=period)
    workbook = Workbook(result.as_of, title=title, author="baocao", font=FONT, size=11)
    page = _page(unit_name, t("out.period_value", period=period))
    if record.parsed is not None and record.parsed.grid:  # nothing could be read: no empty copy of it
        _report_sheet(workbook.add_sheet(SHEET_REPORT), record.parsed, findings, page)
    _result_sheet(workbook.add_sheet(SHEET_RESULT), record, unit_name, result, findings, page)
    return workbook  # the first sheet is the active one: the report when there is one


def _page(left: str, right: str) -> Page:
    """A4 landscape, fit to the page width, the unit and period in the header, "Trang &P/&N" in the footer."""
    font = f'&"{FONT},Regular"&9'
    left, right = left.replace("&", "&&"), right.replace("&", "&&")
    return Page(
        landscape=True,
        fit=(1, 0),
        margins=(0.5, 0.5, 0.75, 0.75),
        header=f"&L{font}{left}&R{font}{right}",
        footer=f"&C{font}{t('template.page_footer')}",
    )


def _placed(parsed: ParsedReport, finding: Finding) -> bool:
    """A finding is shown on the report sheet when it names a cell of that sheet."""
    if not finding.cell or cell_key(finding.cell) == (0, 0):
        return False
    return finding.sheet is None or fold(finding.sheet) in (fold(parsed.sheet), fold(SHEET_REPORT))


def _report_widths(parsed: ParsedReport, columns: int) -> list[float]:
    """The template's widths for its known columns (so the sheet looks like the one the unit filled), the
    text's for any other column of the table."""
    widths = [8.0] * columns
    known = {}
    for label, letter in parsed.columns.items():
        index = _column_index(letter)
        if label in COLUMN_WIDTHS and 0 <= index < columns:
            known[index] = COLUMN_WIDTHS[label]
    if len(known) < columns:
        for row in parsed.grid[parsed.header_row or 0 :]:
            for c, value in enumerate(row[:columns]):
                widths[c] = max(widths[c], min(text_width(value) + 2, 40))
    for index, width in known.items():
        widths[index] = width
    return widths


@lru_cache(maxsize=256)
def _column_index(letter: str) -> int:
    """0-based index of column ``letter``."""
    return cell_key(f"{letter}1")[1] - 1


def _report_sheet(ws: Sheet, parsed: ParsedReport, findings: list[Finding], page: Page) -> None:
    by_cell: dict[tuple[int, int], list[Finding]] = {}
    for finding in findings:
        if _placed(parsed, finding):
            by_cell.setdefault(cell_key(finding.cell), []).append(finding)
    marks: dict[int, dict[int, list[Finding]]] = {}  # row → column → its findings
    for (r, c), problems in by_cell.items():
        marks.setdefault(r, {})[c] = problems
    grid = parsed.grid
    columns = max([len(row) for row in grid] + [col for _, col in by_cell] + [1])
    rows = max([len(grid)] + [row for row, _ in by_cell])
    header_row = parsed.header_row or 0  # 1-based, like the findings' cells
    widths = _report_widths(parsed, columns)
    spans = _title_spans(grid[: max(header_row - 1, 0)], widths)
    # a text no longer than this fits one line of its column: no need to count its lines
    one_line = [max(1.0, (width - 1) * CHARS_PER_UNIT) for width in widths]
    lines: dict[int, int] = {}
    for r in range(1, rows + 1):
        row = grid[r - 1] if r <= len(grid) else []
        in_table = bool(header_row) and r >= header_row
        base = _HEAD if r == header_row else _CELL if in_table else _TOP
        marked, span = marks.get(r), spans.get(r)
        cells: Iterable[tuple[int, object]]
        if in_table:  # every cell of the table, for its borders
            cells = [*enumerate(row, start=1), *((c, None) for c in range(len(row) + 1, columns + 1))]
        else:  # above the table only what is there: the title block is mostly empty cells
            cells = [
                (c, v)
                for c, v in enumerate(row, start=1)
                if (v is not None and v != "") or c in (marked or ())
            ]
            cells += [(c, None) for c in sorted(marked or ()) if c > len(row)]
        for c, value in cells:
            style = _dated(base) if isinstance(value, dt.date) else base
            if marked and c in marked:
                problems = marked[c]
                worst = min(problems, key=lambda f: SEVERITY_ORDER.get(f.severity, 9)).severity
                style = _marked(style, worst)
                text = "\n".join(f"{labels.severity_label(f.severity)}: {f.message}" for f in problems)
                # xlsxwriter's default note box (128 × 74 px), three times as wide, taller for long text
                height = int(0.5 + 74 * max(1.5, 1 + len(text) / 120))
                ws.comment(r - 1, c - 1, text, width=384, height=height)
            if c == span:
                style = style._replace(wrap=True)
                ws.merge(r - 1, c - 1, r - 1, columns - 1, style)
                lines[r] = wrapped_lines(str(value), sum(widths[c - 1 :]))
            ws.write(r - 1, c - 1, value, style)
            if value.__class__ is str and in_table and (len(value) > one_line[c - 1] or "\n" in value):
                lines[r] = max(lines.get(r, 1), wrapped_lines(value, widths[c - 1]))
    for c, width in enumerate(widths):
        ws.set_width(c, width)
    for r, count in lines.items():
        if count > 1:
            ws.set_height(r - 1, row_height(count))
    if header_row:
        ws.freeze(header_row)
        ws.repeat_rows = (header_row - 1, header_row - 1)
    ws.page = page
    ws.print_area = (0, 0, rows - 1, columns - 1)


@lru_cache(maxsize=64)
def _dated(style: Style) -> Style:
    return style._replace(num_format=labels.DATE_FORMAT, align="center")


@lru_cache(maxsize=64)
def _marked(style: Style, severity: str) -> Style:
    """``style`` filled and framed in the severity's colours."""
    fill, font = labels.SEVERITY_COLOURS.get(severity, labels.GREY)
    return style._replace(fill=fill, colour=font, border=2, border_colour=font)


def _title_spans(rows: list[list[object]], widths: list[float]) -> dict[int, int]:
    """Rows above the header holding one long text alone (a title, the plan's name): row → its column, to be
    merged to the table's right edge and wrapped. Overflowing, they would widen the printed page."""
    spans: dict[int, int] = {}
    for r, row in enumerate(rows, start=1):
        filled = [(c, v) for c, v in enumerate(row, start=1) if v is not None and v != ""]
        if len(filled) == 1:
            c, text = filled[0]
            if isinstance(text, str) and wrapped_lines(text, widths[c - 1]) > 1 and c < len(widths):
                spans[r] = c
    return spans


def _result_sheet(
    ws: Sheet, record: FileRecord, unit_name: str, result: RunResult, findings: list[Finding], page: Page
) -> None:
    zone = result.submission_deadline.tzinfo
    for col, width in enumerate((22, 80, 8, 10)):
        ws.set_width(col, width)
    ws.write(0, 0, t("out.feedback.title"), _TITLE)
    counts = Counter(f.severity for f in findings)
    for_period = labels.period_label(record.period or result.period)
    timeliness, timeliness_colour = "", None
    if record.received_at is not None and record.period in (None, result.period):
        key = "late" if record.received_at >= result.submission_deadline else "on_time"
        timeliness, timeliness_colour = labels.submission_label(key), labels.SUBMISSION_COLOURS[key]
    summary = t("out.feedback.counts_value", errors=counts["error"], warnings=counts["warning"],
                infos=counts["info"])  # fmt: skip
    rows: list[tuple[str, str, tuple[str, str] | None]] = [
        (t("out.feedback.unit"), unit_name, None),
        (t("out.summary.period"), t("out.period_value", period=for_period), None),
        (t("out.col.file"), record.path, None),
        (t("out.col.received_at"), labels.format_local(record.received_at, zone), None),
        (t("out.summary.deadline"), labels.deadline_text(result.submission_deadline, zone), None),
        (t("out.feedback.timeliness"), timeliness, timeliness_colour),
        (t("out.col.outcome"), labels.outcome_label(record.outcome),
         labels.OUTCOME_COLOURS.get(record.outcome, labels.GREY)),
        (t("out.col.reason"), record.reason or "", None),
        (t("out.feedback.counts"), summary, None),
        (t("out.feedback.next"), _next_step(record, counts), None),
    ]  # fmt: skip
    row = 2
    for label, value, colour in rows:
        ws.write(row, 0, label, _LABEL)
        ws.write(row, 1, value, _VALUE if colour is None else _highlighted(colour))
        _fit(ws, row, ((label, 22), (value, 80)))
        row += 1
    row += 1
    ws.write(row, 0, t("out.feedback.findings_heading"), _HEADING)
    row += 1
    if not findings:
        ws.write(row, 0, t("out.feedback.no_findings"), Style(italic=True))
    else:
        head = _HEAD._replace(valign="top")
        for col, text in enumerate(
            (t("out.col.severity"), t("out.col.message"), t("out.col.cell"), t("out.col.task_code"))
        ):
            ws.write(row, col, text, head)
        top = row
        for finding in findings:
            row += 1
            ws.write(row, 0, labels.severity_label(finding.severity), _coloured(finding.severity))
            ws.write(row, 1, finding.message, _CELL)
            _fit(ws, row, ((finding.message, 80),))
            ws.write(row, 2, finding.cell, _CENTRED)
            ws.write(row, 3, finding.task, _CENTRED)
        ws.autofilter = (top, 0, row, 3)
        ws.repeat_rows = (top, top)
    ws.page = page._replace(landscape=False)


@lru_cache(maxsize=8)
def _coloured(severity: str) -> Style:
    """A findings-table cell in the severity's colours."""
    fill, font = labels.SEVERITY_COLOURS.get(severity, labels.GREY)
    return _CELL._replace(fill=fill, colour=font)


@lru_cache(maxsize=16)
def _highlighted(colour: tuple[str, str]) -> Style:
    return _VALUE._replace(fill=colour[0], colour=colour[1], bold=True)


def _fit(ws: Sheet, row: int, texts: tuple[tuple[str, float], ...]) -> None:
    """Make ``row`` tall enough for the longest of ``texts`` (text, column width) wrapped."""
    count = 1
    for text, width in texts:
        if len(text) > (width - 1) * CHARS_PER_UNIT or "\n" in text:  # else it fits one line
            count = max(count, wrapped_lines(text, width))
    if count > 1:
        ws.set_height(row, row_height(count))


def _next_step(record: FileRecord, counts: Counter[Severity]) -> str:
    if record.outcome == "accepted":
        if counts["error"]:
            return t("out.feedback.next.accepted_errors")
        if counts["warning"]:
            return t("out.feedback.next.accepted_warnings")
        return t("out.feedback.next.accepted")
    return {
        "superseded": t("out.feedback.next.superseded"),
        "duplicate": t("out.feedback.next.duplicate"),
        "rejected": t("out.feedback.next.rejected"),
        "other_period": t("out.feedback.next.other_period"),
        "after_as_of": t("out.feedback.next.after_as_of"),
        "ignored": t("out.feedback.next.ignored"),
    }.get(record.outcome, "")
