"""Templates stage (SPEC §5): one workbook per unit and period, generated from the master template.

The master (``workbook_templates/mau-bao-cao.xlsx``, built by ``master_template.build_master`` and
restyled at will in Excel) holds the layout; this module fills it. The constants below are the file
contract with the units and are imported by the collect stage to read the files back: they stay Vietnamese
whatever ``LANGUAGE`` is.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import math
import zipfile
from copy import copy
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import Alignment, Font, Protection
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.dimensions import ColumnDimension
from openpyxl.worksheet.protection import SheetProtection
from openpyxl.worksheet.worksheet import Worksheet

from automation.domain.contract import (  # noqa: F401 — re-exported: the contract is part of this stage's API
    COL_CODE,
    COL_CONTENT,
    COL_DEADLINE,
    COL_DIFFICULTIES,
    COL_DONE_ON,
    COL_EVIDENCE,
    COL_EXTENSION,
    COL_PROGRESS,
    COL_PROPOSALS,
    COL_RESULTS,
    COL_ROLE,
    COL_STATUS,
    COLUMN_WIDTHS,
    HEADER_LABELS,
    INPUT_LABELS,
    LABEL_PERIOD,
    LABEL_UNIT,
    META_KEYS,
    OPTIONAL_LABELS,
    PREFILLED_LABELS,
    RECURRING_TEXT,
    ROLE_LEAD,
    ROLE_SUPPORT,
    SHEET_GUIDE,
    SHEET_META,
    SHEET_REPORT,
    STATUS_DONE,
    STATUS_IN_PROGRESS,
    STATUS_NOT_STARTED,
    STATUS_VALUES,
    TEMPLATE_INPUT_LABELS,
    TEMPLATE_LABELS,
    TEMPLATE_VERSION,
    plan_short_name,
    plan_start,
    template_name,
)
from automation.domain.dates import Period
from automation.domain.model import Plan, Task, Unit
from automation.domain.text import fold, nfc
from automation.errors import FileError, InputError, os_error_reason
from automation.i18n.messages import N_, t
from automation.state.files import ValidationRule, find_header_row, save_workbook, set_text

SUPPORT_ROWS = 5
DATE_FORMAT = "dd/mm/yyyy"
TEXT_LIMIT = 5000
CODE_LIMIT = 20

# Placeholders the master holds and generation replaces (in the report and guide sheets).
TOKEN_ISSUER = "{co_quan}"
TOKEN_UNIT_UPPER = "{ten_don_vi}"
TOKEN_PLAN = "{ke_hoach}"
TOKEN_PLAN_TITLE = "{trich_yeu}"
TOKEN_MONTH = "{thang}"
TOKEN_UNIT = "{don_vi}"
TOKEN_PERIOD = "{ky}"
TOKEN_DEADLINE = "{han_nop}"
TOKEN_COORDINATOR = "{dau_moi}"
TOKEN_HOW_TO_SEND = "{cach_gui}"
TOKEN_FILE_NAME = "{ten_tep}"

_TEXT_RULE: ValidationRule = {
    "type": "textLength",
    "operator": "lessThanOrEqual",
    "formula1": str(TEXT_LIMIT),
}
# column: (the message ids of its input message (title, text) and error message (title, text), the rule);
# the date rules' lower bounds (the plan's start; the period's first day for an extension) are added at
# generation
_Texts = tuple[str, str, str, str]
_TEXT_ERROR = (N_("template.error.text.title"), N_("template.error.text"))
_RULES: dict[str, tuple[_Texts, ValidationRule]] = {
    COL_STATUS: (
        (
            N_("template.prompt.status.title"),
            N_("template.prompt.status"),
            N_("template.error.status.title"),
            N_("template.error.status"),
        ),
        {"type": "list", "formula1": '"' + ",".join(STATUS_VALUES) + '"'},
    ),
    COL_DONE_ON: (
        (
            N_("template.prompt.date.title"),
            N_("template.prompt.date"),
            N_("template.error.date.title"),
            N_("template.error.date"),
        ),
        {"type": "date", "operator": "greaterThanOrEqual"},
    ),
    COL_PROGRESS: (
        (
            N_("template.prompt.progress.title"),
            N_("template.prompt.progress"),
            N_("template.error.progress.title"),
            N_("template.error.progress"),
        ),
        {"type": "whole", "operator": "between", "formula1": "0"},
    ),
    COL_RESULTS: (
        (N_("template.prompt.results.title"), N_("template.prompt.results"), *_TEXT_ERROR),
        _TEXT_RULE,
    ),
    COL_DIFFICULTIES: (
        (N_("template.prompt.difficulties.title"), N_("template.prompt.difficulties"), *_TEXT_ERROR),
        _TEXT_RULE,
    ),
    COL_PROPOSALS: (
        (N_("template.prompt.proposals.title"), N_("template.prompt.proposals"), *_TEXT_ERROR),
        _TEXT_RULE,
    ),
    COL_EVIDENCE: (
        (N_("template.prompt.evidence.title"), N_("template.prompt.evidence"), *_TEXT_ERROR),
        _TEXT_RULE,
    ),
    COL_EXTENSION: (
        (
            N_("template.prompt.extension.title"),
            N_("template.prompt.extension"),
            N_("template.error.extension.title"),
            N_("template.error.extension"),
        ),
        {"type": "date", "operator": "greaterThanOrEqual"},
    ),
}
# in Phối hợp rows the unit also types the task's code and content
_SUPPORT_RULES: dict[str, tuple[_Texts, ValidationRule]] = {
    COL_CODE: (
        (
            N_("template.prompt.support_code.title"),
            N_("template.prompt.support_code"),
            N_("template.error.support_code.title"),
            N_("template.error.support_code"),
        ),
        {**_TEXT_RULE, "formula1": str(CODE_LIMIT)},
    ),
    COL_CONTENT: (
        (N_("template.prompt.support_content.title"), N_("template.prompt.support_content"), *_TEXT_ERROR),
        _TEXT_RULE,
    ),
}


def submission_deadline(period: Period, submit_before_day: int) -> dt.date:
    """The day files must arrive before: day ``submit_before_day`` of the period's month."""
    return period.day(submit_before_day)


def write_templates(
    plan: Plan,
    master: Path,
    out_dir: Path,
    period: Period,
    submit_before_day: int,
    generated_at: dt.datetime,
    unit_codes: list[str] | None = None,
    how_to_send: str = "",
) -> list[Path]:
    """Write ``out_dir/<UNIT>_<YYYY-MM>.xlsx`` for every unit of ``plan`` (or only ``unit_codes``).

    Codes are checked before anything is written: an unknown one raises InputError listing the valid
    codes. ``None`` or an empty list means every unit. Returns the paths in the register's unit order.
    """
    units = _select_units(plan, unit_codes)
    data = _read_master(master)
    paths: list[Path] = []
    for unit in units:
        wb = _build(plan, data, master, unit, period, submit_before_day, generated_at, how_to_send)
        path = out_dir / template_name(unit.code, period)
        try:
            save_workbook(wb, path)
        except OSError as exc:
            raise FileError(t("template.cannot_write", path=path, reason=os_error_reason(exc))) from None
        paths.append(path)
    return paths


def template_for_unit(
    plan: Plan,
    master: Path,
    unit_code: str,
    period: Period,
    submit_before_day: int,
    generated_at: dt.datetime,
    how_to_send: str = "",
) -> Workbook:
    """The filled template of one unit, as an openpyxl Workbook not yet saved."""
    (unit,) = _select_units(plan, [unit_code])
    return _build(
        plan, _read_master(master), master, unit, period, submit_before_day, generated_at, how_to_send
    )


def _select_units(plan: Plan, unit_codes: list[str] | None) -> list[Unit]:
    if not unit_codes:
        return list(plan.units)
    if isinstance(unit_codes, str):  # one code, not its letters
        unit_codes = [unit_codes]
    wanted: set[str] = set()
    for code in unit_codes:
        unit = plan.unit(nfc(code).upper())
        if unit is None:
            valid = ", ".join(u.code for u in plan.units)
            raise InputError(t("template.unknown_unit", code=nfc(code), codes=valid))
        wanted.add(unit.code)
    return [u for u in plan.units if u.code in wanted]


def _read_master(master: Path) -> bytes:
    try:
        data = master.read_bytes()
    except FileNotFoundError:
        raise FileError(t("template.master_missing", path=master)) from None
    except OSError as exc:
        raise FileError(t("template.master_unreadable", path=master, reason=os_error_reason(exc))) from None
    _load(data, master)  # fail before any file is written, not halfway through the units
    return data


def _load(data: bytes, master: Path) -> Workbook:
    try:
        return load_workbook(io.BytesIO(data))
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        logging.getLogger(__name__).debug("master %s: %s", master, exc)  # the library's words: log only
        raise FileError(
            t("template.master_unreadable", path=master, reason=t("file.detail.damaged"))
        ) from None


def _sheet(wb: Workbook, name: str, master: Path) -> Worksheet:
    for ws in wb.worksheets:
        if fold(ws.title) == fold(name):
            return ws
    raise FileError(t("template.master_no_sheet", path=master, sheet=name))


def _label_value_cell(ws: Worksheet, label: str, above_row: int, master: Path) -> Cell | MergedCell:
    """The cell right of the one holding ``label`` (that is where readers look for the value)."""
    for row in ws.iter_rows(min_row=1, max_row=above_row - 1):
        for cell in row:
            if cell.value is not None and fold(cell.value) == fold(label):
                return ws.cell(cell.row, cell.column + 1)
    raise FileError(t("template.master_no_label", path=master, label=label, sheet=ws.title))


def _replace_tokens(ws: Worksheet, values: dict[str, str], last_row: int) -> None:
    for row in ws.iter_rows(min_row=1, max_row=last_row):
        for cell in row:
            if isinstance(cell.value, str) and "{" in cell.value:
                text = cell.value
                for token, value in values.items():
                    text = text.replace(token, value)
                if text != cell.value:
                    set_text(cell, text)


def column_widths(ws: Worksheet) -> dict[int, float]:
    """{column number: width} as the file sets them, a ``<col min max>`` group (LibreOffice saves columns of
    one width as one) giving each of its columns. Read without ``ws.column_dimensions[letter]``, which adds
    a column of its own that then overlaps the group in the saved file."""
    widths: dict[int, float] = {}
    for dim in ws.column_dimensions.values():
        if dim.width:
            first = dim.min or column_index_from_string(dim.index)  # no min/max before a save or load
            for c in range(first, max(dim.max or first, first) + 1):
                widths[c] = dim.width
    return widths


def fit_row_heights(ws: Worksheet, first_row: int, last_row: int, min_lines: int = 1) -> None:
    """Raise row heights so wrapped text shows whole (never lowers a height the master set).

    Spreadsheet programs do not reliably autofit on opening (LibreOffice keeps the default height, and no
    program autofits merged cells), so the height is estimated from text length and column widths.
    """
    spans = {(m.min_row, m.min_col): m for m in ws.merged_cells.ranges if m.min_row == m.max_row}
    widths = column_widths(ws)
    for r in range(first_row, last_row + 1):
        needed = 0.0
        for cell in ws[r]:
            if not isinstance(cell.value, str) or not (cell.alignment and cell.alignment.wrap_text):
                continue
            merged = spans.get((r, cell.column))
            last_col = merged.max_col if merged else cell.column
            width = sum(widths.get(c, 8.43) for c in range(cell.column, last_col + 1))
            size = float(cell.font.sz or 11)
            # one width unit holds about 1.4 Times New Roman characters at 11 pt (measured on a rendered
            # page), minus a margin for other renderers; capitals and bold run wider
            wide = cell.value.isupper() or cell.font.b
            per_line = max(1.0, (width - 1) * 1.3 * 11.0 / size * (0.75 if wide else 1.0))
            lines = sum(max(1, math.ceil(len(part) / per_line)) for part in cell.value.split("\n"))
            needed = max(needed, lines * size * 1.3 + 5)
        if min_lines > 1:
            needed = max(needed, min_lines * 12 * 1.3 + 5)
        current = ws.row_dimensions[r].height
        if needed and (current is None or current < needed):
            ws.row_dimensions[r].height = round(needed, 1)


def _make_room(ws: Worksheet, sample_row: int, count: int) -> None:
    """Insert ``count - 1`` rows after the sample row, moving what lies below (merges and heights too)."""
    extra = count - 1
    if extra <= 0:
        return
    below = [m for m in ws.merged_cells.ranges if m.min_row > sample_row]
    heights = {r: d.height for r, d in ws.row_dimensions.items() if r > sample_row and d.height}
    for merged in below:
        ws.merged_cells.remove(merged)
    ws.insert_rows(sample_row + 1, extra)
    for merged in below:
        merged.shift(0, extra)
        ws.merged_cells.add(merged)
    for r in sorted(heights, reverse=True):
        ws.row_dimensions[r + extra].height = heights[r]
        ws.row_dimensions[r].height = None


def _add_validations(
    ws: Worksheet,
    cols: dict[str, int],
    first: int,
    last: int,
    support_first: int,
    start: dt.date,
    period_start: dt.date,
) -> None:
    """The input rules of SPEC §5, each with its input message and error message from the catalogue.

    ``start`` bounds ``Ngày hoàn thành`` (the plan's start), ``period_start`` ``Đề nghị gia hạn đến``.
    """
    earliest = {COL_DONE_ON: start, COL_EXTENSION: period_start}
    extra: dict[str, ValidationRule] = {
        label: {"formula1": f"DATE({day.year},{day.month},{day.day})"} for label, day in earliest.items()
    }
    extra[COL_PROGRESS] = {"formula2": "100"}
    ranges = [(label, first, rule) for label, rule in _RULES.items()]
    if support_first <= last:
        ranges += [(label, support_first, rule) for label, rule in _SUPPORT_RULES.items()]
    for label, top, ((prompt_title, prompt, error_title, error), rule) in ranges:
        limit = rule["formula1"] if rule["type"] == "textLength" else ""
        whole: ValidationRule = {**rule, **extra.get(label, {})}  # the extra keys are ones the rule lacks
        dv = DataValidation(
            allow_blank=True,
            showInputMessage=True,
            showErrorMessage=True,
            errorStyle="stop",
            promptTitle=t(prompt_title),
            prompt=t(prompt),
            errorTitle=t(error_title),
            error=t(error, limit=limit, start=earliest.get(label, start).strftime("%d/%m/%Y")),
            **whole,
        )
        letter = get_column_letter(cols[label])
        dv.add(f"{letter}{top}:{letter}{last}")
        ws.add_data_validation(dv)


def _extension_column(ws: Worksheet, guide: Worksheet, header_row: int, cols: dict[str, int]) -> int:
    """The column of ``Đề nghị gia hạn đến`` (SPEC §15), added when the master lacks it.

    A master written before issue 14, or restyled without the column, gains it as the last column (the first
    free header cell after ``Văn bản, minh chứng``), styled like ``Ngày hoàn thành``: header, sample row, a
    width, the title block's merges, and its row in the guide's column table.
    """
    for c in range(1, ws.max_column + 1):
        value = ws.cell(header_row, c).value
        if isinstance(value, str) and fold(value) == fold(COL_EXTENSION):
            return c
    last = max(cols.values())
    col = last + 1
    while ws.cell(header_row, col).value is not None:
        col += 1
    like = cols[COL_DONE_ON]
    for r in (header_row, header_row + 1):
        ws.cell(r, col)._style = copy(ws.cell(r, like)._style)  # type: ignore[union-attr]  # see _write_rows
    set_text(ws.cell(header_row, col), COL_EXTENSION)
    ws.cell(header_row + 1, col).number_format = DATE_FORMAT
    _own_width(ws, col, COLUMN_WIDTHS[COL_EXTENSION])
    if col == last + 1:  # the title block spanned the table: it still does
        for merged in [m for m in ws.merged_cells.ranges if m.max_row < header_row and m.max_col == last]:
            ws.unmerge_cells(merged.coord)
            ws.merge_cells(
                start_row=merged.min_row, start_column=merged.min_col, end_row=merged.max_row, end_column=col
            )
    _guide_row(guide)
    return col


def _own_width(ws: Worksheet, col: int, width: float) -> None:
    """Give column ``col`` its own width, splitting a ``<col min max>`` group that covers it (LibreOffice
    saves the unused columns as one): overlapping groups make a file Excel has to repair."""
    for key, dim in list(ws.column_dimensions.items()):
        first = dim.min or column_index_from_string(dim.index)  # no min/max before a save or load
        last = max(dim.max or first, first)
        if not first <= col <= last:
            continue
        if last > col:
            rest = copy(dim)
            rest.index, rest.min = get_column_letter(col + 1), col + 1
            ws.column_dimensions[rest.index] = rest
        if first < col:
            dim.min, dim.max = first, col - 1
        else:
            del ws.column_dimensions[key]
    letter = get_column_letter(col)
    ws.column_dimensions[letter] = ColumnDimension(ws, index=letter, width=width)


def _guide_row(guide: Worksheet) -> None:
    """The guide's column table gains a row for ``Đề nghị gia hạn đến`` (an older master lacks it): after
    the table's ``Văn bản, minh chứng`` row and styled like it, else below the guide."""
    cells = [c for row in guide.iter_rows() for c in row if isinstance(c.value, str)]
    if any(fold(c.value) == fold(COL_EXTENSION) for c in cells):
        return
    texts = (COL_EXTENSION, t("template.guide.col.extension"))
    evidence = next((c for c in cells if fold(c.value) == fold(COL_EVIDENCE)), None)
    if evidence is None or evidence.column is None:
        r = guide.max_row + 2
        for i, text in enumerate(texts):
            cell = guide.cell(r, 1 + i)
            cell.font = Font(name="Times New Roman", size=12, bold=i == 0)
            cell.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
            set_text(cell, text)
        return
    r, col = evidence.row + 1, evidence.column
    _make_room(guide, evidence.row, 2)  # one new row after the evidence row, what lies below moved down
    for i, text in enumerate(texts):
        cell = guide.cell(r, col + i)
        cell._style = copy(guide.cell(evidence.row, col + i)._style)  # type: ignore[union-attr]  # as above
        set_text(cell, text)


def _task_content(task: Task) -> str:
    """The plan's text; a recurring task with a deadline notes it goes on after the date (the date cell
    can hold only one of the two)."""
    if task.recurring and task.deadline is not None:
        note = t("template.recurring_note", deadline=task.deadline.strftime("%d/%m/%Y"))
        return f"{task.content}\n{note}"
    return task.content


def _write_rows(ws: Worksheet, cols: dict[str, int], sample_row: int, tasks: list[Task]) -> int:
    """Task rows then ``SUPPORT_ROWS`` Phối hợp rows from the sample row; returns the last row."""
    last_col = max(max(cols.values()), ws.max_column)
    # openpyxl's stubs leave out StyleableObject._style (the style array every cell has)
    samples = {c: copy(ws.cell(sample_row, c)._style) for c in range(1, last_col + 1)}  # type: ignore[union-attr]
    sample_height = ws.row_dimensions[sample_row].height
    count = len(tasks) + SUPPORT_ROWS
    _make_room(ws, sample_row, count)
    editable = {cols[label] for label in TEMPLATE_INPUT_LABELS}
    for index in range(count):
        r = sample_row + index
        task = tasks[index] if index < len(tasks) else None
        for c in range(1, last_col + 1):
            cell = ws.cell(r, c)
            cell.value = None
            cell._style = copy(samples[c])  # type: ignore[union-attr]  # as above
        if sample_height:
            ws.row_dimensions[r].height = sample_height
        open_cols = editable | ({cols[COL_CODE], cols[COL_CONTENT]} if task is None else set())
        for c in range(1, last_col + 1):
            ws.cell(r, c).protection = Protection(locked=c not in open_cols)
        set_text(ws.cell(r, cols[COL_ROLE]), ROLE_LEAD if task else ROLE_SUPPORT)
        ws.cell(r, cols[COL_CODE]).number_format = "@"  # "3.1" typed in a Phối hợp row stays text
        for label in (COL_DEADLINE, COL_DONE_ON, COL_EXTENSION):
            ws.cell(r, cols[label]).number_format = DATE_FORMAT
        if task is None:
            continue
        set_text(ws.cell(r, cols[COL_CODE]), task.code)
        set_text(ws.cell(r, cols[COL_CONTENT]), _task_content(task))
        deadline = ws.cell(r, cols[COL_DEADLINE])
        if task.deadline is not None:
            deadline.value = task.deadline
            deadline.number_format = DATE_FORMAT
        elif task.recurring:
            set_text(deadline, RECURRING_TEXT)
    return sample_row + count - 1


def _how_to_send(coordinator: str, how_to_send: str) -> str:
    """``how_to_send``: the workspace's (``Settings.how_to_send``: the mailbox baocao reads, else the shared
    folder); without one (a template written outside a workspace) a general sentence."""
    return how_to_send or t("template.send_any", coordinator=coordinator)


def _write_meta(
    wb: Workbook, plan: Plan, unit: Unit, period: Period, tasks: list[Task], at: dt.datetime
) -> None:
    """The very hidden ``_meta`` sheet: key/value rows, all text. Readers use it only as a first hint."""
    for old in [s for s in wb.worksheets if fold(s.title) == fold(SHEET_META)]:
        wb.remove(old)
    meta = wb.create_sheet(SHEET_META)
    codes = ",".join(task.code for task in tasks)
    values = (TEMPLATE_VERSION, plan.id, unit.code, str(period), codes, at.isoformat(timespec="seconds"))
    for r, (key, value) in enumerate(zip(META_KEYS, values, strict=True), start=1):
        for col, text in ((1, key), (2, value)):
            set_text(meta.cell(r, col), text)
            meta.cell(r, col).font = Font(name="Times New Roman", size=12)
    meta.sheet_state = "veryHidden"


def _build(
    plan: Plan,
    data: bytes,
    master: Path,
    unit: Unit,
    period: Period,
    submit_before_day: int,
    generated_at: dt.datetime,
    how_to_send: str,
) -> Workbook:
    if generated_at.tzinfo is None:  # taken as UTC, so the file never depends on the machine's zone
        generated_at = generated_at.replace(tzinfo=dt.UTC)
    wb = _load(data, master)
    ws = _sheet(wb, SHEET_REPORT, master)
    guide = _sheet(wb, SHEET_GUIDE, master)
    header = find_header_row(ws, HEADER_LABELS)
    if header is None:
        raise FileError(
            t("template.master_no_header", path=master, sheet=ws.title, labels=", ".join(HEADER_LABELS))
        )
    header_row, cols = header
    cols[COL_EXTENSION] = _extension_column(ws, guide, header_row, cols)

    coordinator_unit = plan.unit(plan.coordinator)
    coordinator = coordinator_unit.name if coordinator_unit else t("template.coordinator_default")
    tokens = {
        TOKEN_ISSUER: nfc(plan.issuer).upper(),
        TOKEN_UNIT_UPPER: nfc(unit.name).upper(),
        TOKEN_PLAN_TITLE: nfc(plan.title),
        TOKEN_PLAN: plan_short_name(plan),
        TOKEN_MONTH: period.label,
        TOKEN_UNIT: nfc(unit.name),
        TOKEN_PERIOD: period.label,
        TOKEN_DEADLINE: submission_deadline(period, submit_before_day).strftime("%d/%m/%Y"),
        TOKEN_COORDINATOR: coordinator,
        TOKEN_HOW_TO_SEND: _how_to_send(coordinator, how_to_send),
        TOKEN_FILE_NAME: template_name(unit.code, period),
    }
    _replace_tokens(ws, tokens, header_row)
    _replace_tokens(guide, tokens, guide.max_row)
    set_text(_label_value_cell(ws, LABEL_UNIT, header_row, master), unit.name)
    period_cell = _label_value_cell(ws, LABEL_PERIOD, header_row, master)
    set_text(period_cell, period.label)
    period_cell.number_format = "@"  # "03/2025" must not become a date or a fraction when edited
    fit_row_heights(ws, 1, header_row - 1)
    fit_row_heights(guide, 1, guide.max_row)

    tasks = plan.tasks_led_by(unit.code)
    ws.data_validations.dataValidation = []  # the rules are generation's, sized to the rows written
    last = _write_rows(ws, cols, header_row + 1, tasks)
    fit_row_heights(ws, header_row + 1, last, min_lines=2)
    first = header_row + 1
    _add_validations(ws, cols, first, last, first + len(tasks), plan_start(plan, period), period.day(1))

    _print_setup(ws, header_row, max(cols.values()))
    # a fresh object drops any password the master had; False means "allowed": people may resize to read
    ws.protection = SheetProtection(sheet=True, formatColumns=False, formatRows=False)

    _write_meta(wb, plan, unit, period, tasks, generated_at)
    wb.move_sheet(ws, -wb.index(ws))
    ws.sheet_state = "visible"
    wb.active = 0
    for sheet in wb.worksheets:
        sheet.sheet_view.tabSelected = sheet is ws
    wb.properties.creator = "baocao"
    wb.properties.lastModifiedBy = "baocao"
    wb.properties.title = f"{SHEET_REPORT} {unit.code} {period}"
    wb.properties.created = generated_at.astimezone(dt.UTC).replace(tzinfo=None)
    return wb


def _print_setup(ws: Worksheet, header_row: int, last_col: int) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    fit = ws.sheet_properties.pageSetUpPr
    assert fit is not None  # openpyxl gives every sheet's properties one
    fit.fitToPage = True
    # a master built before issue 13 (or restyled) may leave the page number no room under its footer margin
    margins = ws.page_margins
    if margins.bottom < margins.footer + 0.3:
        margins.footer, margins.bottom = 0.3, max(margins.bottom, 0.75)
    if margins.top < margins.header + 0.3:
        margins.header, margins.top = 0.3, max(margins.top, 0.75)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_area = f"A1:{get_column_letter(last_col)}{ws.max_row}"
    ws.freeze_panes = ws.cell(header_row + 1, 1).coordinate
