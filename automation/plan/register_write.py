"""The register, written (SPEC §4): ``write_register`` writes a Plan as ``ke-hoach.xlsx``;
``fix_register`` fills blank deadline columns from the plan's own words with the shared
``parse_deadline_words``, keeping the coordinator's styles. Reading is in ``register``."""

from __future__ import annotations

import datetime as dt
import logging
import zipfile
from pathlib import Path
from typing import Unpack

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from automation.domain.dates import parse_deadline_words
from automation.domain.model import Plan
from automation.domain.text import clean_text, fold
from automation.errors import FileError, os_error_reason
from automation.i18n.messages import t
from automation.plan.register_layout import (
    COL_CODE,
    COL_DEADLINE,
    COL_LEAD,
    COL_RECURRING,
    COL_WORDS,
    DATE_FORMAT,
    HOLIDAY_COLUMNS,
    KEY_ADDRESSEE,
    KEY_AUTHORITY,
    KEY_COORDINATOR,
    KEY_ID,
    KEY_ISSUER,
    KEY_NUMBER,
    KEY_PARENT,
    KEY_PLACE,
    KEY_RECIPIENTS,
    KEY_SIGNED,
    KEY_SIGNER,
    KEY_SIGNER_TITLE,
    KEY_SUBMIT_DAY,
    KEY_SYMBOL,
    KEY_TITLE,
    KEY_UBND_DAY,
    KEY_UPPER_PLAN,
    KEY_UPPER_UNIT,
    SHEET_HOLIDAYS,
    SHEET_PLAN,
    SHEET_TASKS,
    SHEET_UNITS,
    TASK_COLUMNS,
    UNIT_COLUMNS,
)
from automation.state.files import ValidationRule, find_header_row, save_workbook, set_text


def fix_register(path: Path) -> int:
    """Fill blank ``Thời hạn``/``Thường xuyên`` cells from ``Thời gian (nguyên văn)``; keep everything else.

    Returns the number of tasks filled. The workbook keeps the coordinator's styles.
    """
    try:
        wb = load_workbook(path)
    except FileNotFoundError:
        raise FileError(t("workspace.not_found", path=path)) from None
    except OSError as exc:
        raise FileError(t("register.cannot_open", path=path, reason=os_error_reason(exc))) from None
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError) as exc:
        logging.getLogger(__name__).debug("register %s: %s", path, exc)  # the library's words: log only
        raise FileError(t("register.cannot_read", path=path)) from None
    ws = next((ws for ws in wb.worksheets if fold(ws.title) == fold(SHEET_TASKS)), None)
    if ws is None:
        raise FileError(t("register.missing_sheet", path=path, sheet=SHEET_TASKS))
    needed = (COL_CODE, COL_DEADLINE, COL_RECURRING, COL_WORDS)
    header = find_header_row(ws, needed)
    if header is None:  # name the column really missing: the header row is the one holding most of them
        labels = {fold(c) for c in needed}
        rows = ({fold(v) for v in row if v is not None} for row in ws.iter_rows(max_row=40, values_only=True))
        present = max(rows, key=lambda row: len(row & labels), default=set())
        missing = next((c for c in needed if fold(c) not in present), COL_WORDS)
        raise FileError(t("register.missing_column", sheet=SHEET_TASKS, path=path, column=missing))
    header_row, cols = header
    filled = 0
    for r in range(header_row + 1, ws.max_row + 1):
        deadline_cell = ws.cell(r, cols[COL_DEADLINE])
        recurring_cell = ws.cell(r, cols[COL_RECURRING])
        words = clean_text(ws.cell(r, cols[COL_WORDS]).value)
        if not words or deadline_cell.value not in (None, "") or fold(recurring_cell.value):
            continue
        meaning = parse_deadline_words(words)
        if not meaning.understood:
            continue
        if meaning.deadline is not None:
            deadline_cell.value = meaning.deadline
            deadline_cell.number_format = DATE_FORMAT
        if meaning.recurring:
            recurring_cell.value = "x"
        filled += 1
    if filled:
        save_workbook(wb, path)
    return filled


_FONT = "Times New Roman"
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _header(ws: Worksheet, row: int, labels: tuple[str, ...], widths: tuple[int, ...]) -> None:
    for col, (label, width) in enumerate(zip(labels, widths, strict=True), start=1):
        cell = ws.cell(row, col)
        set_text(cell, label)
        cell.font = Font(name=_FONT, bold=True, size=12)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(row + 1, 1).coordinate


def _body_cell(ws: Worksheet, row: int, col: int, value: object, date: bool = False) -> None:
    cell = ws.cell(row, col)
    if date and isinstance(value, dt.date):  # a date column holds a date or nothing
        cell.value = value
        cell.number_format = DATE_FORMAT
    elif value not in (None, ""):
        set_text(cell, value)
    cell.font = Font(name=_FONT, size=12)
    cell.border = _BORDER
    cell.alignment = Alignment(vertical="top", wrap_text=True)


def _rule(ws: Worksheet, cells: str, column: str, message: str, **rule: Unpack[ValidationRule]) -> None:
    """A data-validation rule on ``cells`` whose error names the column and says how to fix it."""
    validation = DataValidation(
        allow_blank=True, showErrorMessage=True, errorTitle=column, error=message, **rule
    )
    validation.add(cells)
    ws.add_data_validation(validation)


def write_register(plan: Plan, path: Path) -> None:
    """Write ``plan`` as the register workbook of SPEC §4 (replacing ``path`` atomically)."""
    wb = Workbook()
    ws = wb.worksheets[0]  # a new workbook's one sheet, the active one
    ws.title = SHEET_PLAN
    title = ws.cell(1, 1)
    set_text(title, t("register.title"))
    title.font = Font(name=_FONT, bold=True, size=14)
    _header(ws, 2, (t("register.col_key"), t("register.col_value")), (34, 110))
    values: list[tuple[str, object]] = [
        (KEY_ID, plan.id),
        (KEY_NUMBER, plan.number),
        (KEY_TITLE, plan.title),
        (KEY_ISSUER, plan.issuer),
        (KEY_SIGNED, plan.signed_on),
        (KEY_SUBMIT_DAY, plan.submit_before_day),
        (KEY_UBND_DAY, plan.ubnd_before_day),
        (KEY_COORDINATOR, plan.coordinator),
        (KEY_PARENT, plan.parent_body),
        (KEY_SYMBOL, plan.agency_symbol),
        (KEY_PLACE, plan.place),
        (KEY_ADDRESSEE, plan.addressee),
        (KEY_RECIPIENTS, "\n".join(plan.recipients)),
        (KEY_SIGNER_TITLE, plan.signer_title),
        (KEY_SIGNER, plan.signer_name),
        (KEY_AUTHORITY, plan.signing_authority),
        (KEY_UPPER_PLAN, plan.upper_plan),
        (KEY_UPPER_UNIT, plan.upper_unit),
    ]
    for offset, (key, value) in enumerate(values):
        r = 3 + offset
        _body_cell(ws, r, 1, key)
        ws.cell(r, 1).font = Font(name=_FONT, bold=True, size=12)
        if isinstance(value, int):
            _body_cell(ws, r, 2, None)
            ws.cell(r, 2).value = value
        else:
            _body_cell(ws, r, 2, value, date=key == KEY_SIGNED)

    units = wb.create_sheet(SHEET_UNITS)
    _header(units, 1, UNIT_COLUMNS, (14, 48, 48, 48))
    for r, unit in enumerate(plan.units, start=2):
        for col, value in enumerate(
            (unit.code, unit.name, "; ".join(unit.aliases), "; ".join(unit.emails)), 1
        ):
            _body_cell(units, r, col, value)
    units.auto_filter.ref = f"A1:D{max(2, len(plan.units) + 1)}"

    tasks = wb.create_sheet(SHEET_TASKS)
    _header(tasks, 1, TASK_COLUMNS, (9, 40, 70, 11, 40, 13, 12, 34, 30, 16, 13, 34))
    for r, task in enumerate(plan.tasks, start=2):
        row = (
            task.code,
            task.group,
            task.content,
            task.lead,
            task.coordinating,
            task.original_deadline or task.deadline,  # the register's Thời hạn; an extension beside it
            "x" if task.recurring else "",
            task.words,
            task.product,
            "; ".join(task.upper),
            task.adjusted_deadline,
            task.adjustment_basis,
        )
        for col, value in enumerate(row, start=1):
            _body_cell(tasks, r, col, value, date=col in (6, 11))
    last = max(200, len(plan.tasks) + 50)
    tasks.auto_filter.ref = f"A1:{get_column_letter(len(TASK_COLUMNS))}{len(plan.tasks) + 1}"
    if plan.units:
        units_range = f"='{SHEET_UNITS}'!$A$2:$A${len(plan.units) + 50}"
        _rule(tasks, f"D2:D{last}", COL_LEAD, t("register.rule_lead"), type="list", formula1=units_range)
    _rule(tasks, f"G2:G{last}", COL_RECURRING, t("register.rule_recurring"), type="list", formula1='"x"')
    _rule(tasks, f"F2:F{last}", COL_DEADLINE, t("register.rule_deadline"), type="date", operator="greaterThan",
          formula1="DATE(2000,1,1)")  # fmt: skip
    days_off = wb.create_sheet(SHEET_HOLIDAYS)
    _header(days_off, 1, HOLIDAY_COLUMNS, (14, 60))
    for r, (day, name) in enumerate(plan.holidays, start=2):
        _body_cell(days_off, r, 1, day, date=True)
        _body_cell(days_off, r, 2, name)
    _rule(days_off, "A2:A1000", HOLIDAY_COLUMNS[0], t("register.rule_holiday"), type="date",
          operator="greaterThan", formula1="DATE(2000,1,1)")  # fmt: skip
    for sheet in (ws, units, tasks, days_off):
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        fit = sheet.sheet_properties.pageSetUpPr
        assert fit is not None  # openpyxl gives every sheet's properties one
        fit.fitToPage = True
    tasks.print_title_rows = "1:1"
    units.print_title_rows = "1:1"
    days_off.print_title_rows = "1:1"
    wb.active = 2
    save_workbook(wb, path)
