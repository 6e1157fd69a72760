"""The register (SPEC §4): the plan as a workbook the coordinator edits in Excel.

``read_register`` reads ``ke-hoach.xlsx`` (python-calamine, fast even for a large plan) into a Plan
together with the "5 rõ" findings of ``plan check``. Writing it and ``--fix`` live in ``register_write``
(openpyxl), so a collect never pays for importing openpyxl.
"""

from __future__ import annotations

import datetime as dt
import difflib
import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook

from automation.domain.dates import parse_deadline_words, parse_person_date
from automation.domain.model import CheckResult, Finding, Plan, Severity, Task, Unit
from automation.domain.text import clean_text, fold, nfc
from automation.errors import FileError, os_error_reason
from automation.i18n.messages import N_, t
from automation.state.files import column_letter

SHEET_PLAN = "Kế hoạch"
SHEET_UNITS = "Đơn vị"
SHEET_TASKS = "Nhiệm vụ"
SHEET_HOLIDAYS = "Ngày nghỉ"  # optional (SPEC §15): days off besides weekends

KEY_ID = "Mã kế hoạch"
KEY_NUMBER = "Số, ký hiệu"
KEY_TITLE = "Tên kế hoạch"
KEY_ISSUER = "Cơ quan ban hành"
KEY_SIGNED = "Ngày ký"
KEY_SUBMIT_DAY = "Hạn nộp báo cáo (trước ngày)"
KEY_UBND_DAY = "Hạn báo cáo UBND (trước ngày)"
KEY_COORDINATOR = "Đơn vị đầu mối"
# what the report to the province needs (SPEC §14): optional, the report shows blanks without them
KEY_PARENT = "Cơ quan chủ quản"
KEY_SYMBOL = "Ký hiệu cơ quan"
KEY_PLACE = "Địa danh"
KEY_ADDRESSEE = "Kính gửi"
KEY_RECIPIENTS = "Nơi nhận"
KEY_SIGNER_TITLE = "Chức vụ người ký"
KEY_SIGNER = "Người ký"
KEY_AUTHORITY = "Thẩm quyền ký"
REPORT_KEYS = (
    KEY_PARENT,
    KEY_SYMBOL,
    KEY_PLACE,
    KEY_ADDRESSEE,
    KEY_RECIPIENTS,
    KEY_SIGNER_TITLE,
    KEY_SIGNER,
    KEY_AUTHORITY,
)
# the roll-up to the upper plan (SPEC §16): optional, no finding when absent
KEY_UPPER_PLAN = "Kế hoạch cấp trên"
KEY_UPPER_UNIT = "Mã đơn vị ở cấp trên"
UPPER_KEYS = (KEY_UPPER_PLAN, KEY_UPPER_UNIT)
PLAN_KEYS = (
    KEY_ID,
    KEY_NUMBER,
    KEY_TITLE,
    KEY_ISSUER,
    KEY_SIGNED,
    KEY_SUBMIT_DAY,
    KEY_UBND_DAY,
    KEY_COORDINATOR,
    *REPORT_KEYS,
    *UPPER_KEYS,
)

COL_UNIT_CODE = "Mã đơn vị"
COL_UNIT_NAME = "Tên đơn vị"
COL_ALIASES = "Tên gọi khác"
COL_EMAIL = "Email"
UNIT_COLUMNS = (COL_UNIT_CODE, COL_UNIT_NAME, COL_ALIASES, COL_EMAIL)

COL_CODE = "Mã NV"
COL_GROUP = "Nhóm"
COL_CONTENT = "Nội dung nhiệm vụ"
COL_LEAD = "Chủ trì"
COL_COORD = "Phối hợp"
COL_DEADLINE = "Thời hạn"
COL_RECURRING = "Thường xuyên"
COL_WORDS = "Thời gian (nguyên văn)"
COL_PRODUCT = "Sản phẩm"
COL_UPPER = "Nhiệm vụ cấp trên"  # the upper plan's task codes, ";"-separated (SPEC §16)
COL_ADJUSTED = "Thời hạn điều chỉnh"  # a deadline extension granted (SPEC §15), a date
COL_ADJUSTMENT_BASIS = "Căn cứ điều chỉnh"  # the document granting it: Công văn 123/SNV-VP ngày 10/05/2025
TASK_COLUMNS = (
    COL_CODE,
    COL_GROUP,
    COL_CONTENT,
    COL_LEAD,
    COL_COORD,
    COL_DEADLINE,
    COL_RECURRING,
    COL_WORDS,
    COL_PRODUCT,
    COL_UPPER,
    COL_ADJUSTED,
    COL_ADJUSTMENT_BASIS,
)
# optional columns a register may lack without any finding (older registers, plans with no upper plan,
# no extension granted)
QUIET_COLUMNS = (COL_UPPER, COL_ADJUSTED, COL_ADJUSTMENT_BASIS)

DATE_FORMAT = "dd/mm/yyyy"
COL_HOLIDAY_DATE = "Ngày"
COL_HOLIDAY_NAME = "Tên"
HOLIDAY_COLUMNS = (COL_HOLIDAY_DATE, COL_HOLIDAY_NAME)
_log = logging.getLogger(__name__)
_UNIT_CODE = re.compile(r"[A-Za-z0-9_-]{1,20}")
_EMAIL = re.compile(r"[^@\s;,]+@[^@\s;,]+\.[^@\s;,]+")


@dataclass
class _Row:
    number: int
    values: dict[str, object]
    columns: dict[str, int]

    def cell(self, label: str) -> str:
        return f"{column_letter(self.columns[label])}{self.number}"

    def text(self, label: str) -> str:
        return clean_text(self.values.get(label))


@dataclass
class RegisterReading:
    """A Plan read from the register and what ``plan check`` found in it."""

    plan: Plan
    check: CheckResult = field(default_factory=CheckResult)


def _split_list(value: object) -> tuple[str, ...]:
    return tuple(part for part in (clean_text(p) for p in re.split(r"[;\n]", nfc(value))) if part)


def _codes(value: object) -> tuple[str, ...]:
    """Task codes typed in one cell: ``1.5; 2.3`` (``;``, ``,`` or new lines), without a trailing dot."""
    parts = (clean_text(p).rstrip(".") for p in re.split(r"[;,\n]", nfc(value)))
    return tuple(dict.fromkeys(part for part in parts if part))


def _is_recurring_mark(value: object) -> bool | None:
    """``x`` (any case, or common ticks) → True, blank → False, anything else → None (a finding)."""
    text = fold(value)
    if not text:
        return False
    if text in ("x", "co", "v", "yes", "1", "true", "thuong xuyen"):
        return True
    return None


@dataclass
class _Sheet:
    """A sheet's values from A1 (python-calamine), so every value keeps its true cell reference."""

    title: str
    rows: Sequence[Sequence[object]]


# Columns without which a sheet's rows cannot be read; the others are optional (a warning when missing).
UNIT_ESSENTIAL = (COL_UNIT_CODE, COL_UNIT_NAME)
TASK_ESSENTIAL = (COL_CODE, COL_CONTENT, COL_LEAD, COL_DEADLINE, COL_RECURRING)


def _header(
    sheet: _Sheet, labels: tuple[str, ...], essential: tuple[str, ...], add
) -> tuple[int, dict] | None:
    """The header row of ``sheet`` (the top row holding most of ``labels``) and {label: column}.

    Every renamed, missing or duplicated column is a finding naming the column and the sheet; None when an
    essential column is missing (the rows cannot be read without it).
    """
    wanted = {fold(label): label for label in labels}
    best: tuple[int, int] = (0, 0)  # (labels found, row number)
    for number, row in enumerate(sheet.rows[:40], start=1):
        found = {wanted[fold(v)] for v in row if v not in (None, "") and fold(v) in wanted}
        if len(found) > best[0]:
            best = (len(found), number)
    if best[0] < 2:
        add(
            "error",
            N_("plan.no_header"),
            sheet.title,
            None,
            columns=", ".join(f'"{label}"' for label in labels),
        )
        return None
    header_row = best[1]
    columns: dict[str, int] = {}
    unknown: dict[str, int] = {}  # header texts that are none of the labels: perhaps a renamed column
    for column, value in enumerate(sheet.rows[header_row - 1], start=1):
        if value in (None, ""):
            continue
        label = wanted.get(fold(value))
        if label is None:
            unknown.setdefault(fold(value), column)
        elif label in columns:
            severity = "error" if label in essential else "warning"
            first, second = column_letter(columns[label]), column_letter(column)
            add(
                severity,
                N_("plan.duplicate_column"),
                sheet.title,
                f"{second}{header_row}",
                column=label,
                first=first,
                second=second,
            )
        else:
            columns[label] = column
    readable = True
    missing = [label for label in labels if label not in columns and label not in QUIET_COLUMNS]
    for label in missing:
        severity = "error" if label in essential else "warning"
        readable = readable and label not in essential
        # the header it most likely became: a similar text, one holding the other, or the only stranger left
        close = (
            difflib.get_close_matches(fold(label), list(unknown), n=1, cutoff=0.5)
            or [u for u in unknown if u in fold(label) or fold(label) in u][:1]
        )
        if not close and len(missing) == 1 and len(unknown) == 1:
            close = list(unknown)
        if close:
            column = unknown.pop(close[0])
            letter = column_letter(column)
            text = clean_text(sheet.rows[header_row - 1][column - 1])
            add(
                severity,
                N_("plan.renamed_column"),
                sheet.title,
                f"{letter}{header_row}",
                column=label,
                found=text,
                letter=letter,
            )
        else:
            add(
                severity,
                N_("plan.missing_column"),
                sheet.title,
                None,
                column=label,
                row=header_row,
            )
    return (header_row, columns) if readable else None


def _rows(sheet: _Sheet, header: tuple[int, dict[str, int]]) -> Iterator[_Row]:
    header_row, columns = header
    for number, row in enumerate(sheet.rows[header_row:], start=header_row + 1):
        values = {label: row[col - 1] if col - 1 < len(row) else None for label, col in columns.items()}
        if any(nfc(v) for v in values.values()):
            yield _Row(number, values, columns)


def _open(path: Path) -> dict[str, _Sheet]:
    """Every sheet of the register by folded name. python-calamine: a large register reads in milliseconds."""
    if not path.is_file():
        raise FileError(t("workspace.not_found", path=path))
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        return {
            fold(name): _Sheet(name, workbook.get_sheet_by_name(name).to_python(skip_empty_area=False))
            for name in workbook.sheet_names
        }
    except FileNotFoundError:
        raise FileError(t("workspace.not_found", path=path)) from None
    except OSError as exc:
        raise FileError(t("register.cannot_open", path=path, reason=os_error_reason(exc))) from None
    except (CalamineError, ValueError) as exc:  # the library's words go to the log, never to the reader
        _log.debug("register %s: %s", path, exc)
        raise FileError(t("register.cannot_read", path=path)) from None


def _sheet(sheets: dict[str, _Sheet], name: str, path: Path) -> _Sheet:
    try:
        return sheets[fold(name)]
    except KeyError:
        raise FileError(t("register.missing_sheet", path=path, sheet=name)) from None


def _read_plan_keys(sheet: _Sheet) -> dict[str, tuple[object, str]]:
    wanted = {fold(key): key for key in PLAN_KEYS}
    found: dict[str, tuple[object, str]] = {}
    for number, row in enumerate(sheet.rows[:60], start=1):
        for column, value in enumerate(row[:3], start=1):
            key = wanted.get(fold(value)) if value not in (None, "") else None
            if key and key not in found:
                found[key] = (
                    row[column] if column < len(row) else None,
                    f"{column_letter(column + 1)}{number}",
                )
    return found


def read_register(path: Path) -> RegisterReading:
    """Read the register at ``path``: the Plan (bad rows left out) and every "5 rõ" finding."""
    sheets = _open(path)
    findings: list[Finding] = []
    sheet_plan, sheet_units, sheet_tasks = (
        _sheet(sheets, n, path) for n in (SHEET_PLAN, SHEET_UNITS, SHEET_TASKS)
    )

    def add(
        severity: Severity, rule: str, sheet: str, cell: str | None, task: str | None = None, **params
    ) -> None:
        if task is not None:
            params["task"] = task
        message = t(rule, sheet=sheet, **params)  # format() ignores what a message does not use
        findings.append(Finding(severity, rule, message, file=path.name, sheet=sheet, cell=cell, task=task))

    keys = _read_plan_keys(sheet_plan)

    def key_text(key: str) -> str:
        return clean_text(keys.get(key, (None, None))[0])

    def key_day(key: str, default: int) -> int:
        raw, cell = keys.get(key, (None, None))
        if raw is None or nfc(raw) == "":
            return default
        try:
            day = int(float(nfc(raw)))
        except ValueError:
            day = 0
        if not 1 <= day <= 28:
            add("error", N_("plan.bad_day"), SHEET_PLAN, cell, key=key, value=nfc(raw))
            return default
        return day

    plan_id = key_text(KEY_ID)
    if not plan_id:
        add("error", N_("plan.missing_plan_id"), SHEET_PLAN, keys.get(KEY_ID, (None, None))[1])
    absent = [key for key in REPORT_KEYS if key not in keys or not key_text(key)]
    if [key for key in absent if key != KEY_AUTHORITY]:  # one line: the report shows blanks for them
        add("warning", N_("plan.missing_report_keys"), SHEET_PLAN, None, keys=", ".join(absent))
    for key in PLAN_KEYS:
        if key not in (*REPORT_KEYS, *UPPER_KEYS, KEY_ID) and key not in keys:  # a renamed key: its default
            add("warning", N_("plan.missing_key"), SHEET_PLAN, None, key=key)

    # units
    units: list[Unit] = []
    first_unit_row: dict[str, int] = {}
    unit_rows = 0
    unit_header = _header(sheet_units, UNIT_COLUMNS, UNIT_ESSENTIAL, add)
    for row in _rows(sheet_units, unit_header) if unit_header else ():
        unit_rows += 1
        code = row.text(COL_UNIT_CODE)
        name = row.text(COL_UNIT_NAME)
        if not code:
            add("error", N_("plan.missing_unit_code"), SHEET_UNITS, row.cell(COL_UNIT_CODE), row=row.number)
            continue
        if not _UNIT_CODE.fullmatch(code):
            add("error", N_("plan.bad_unit_code"), SHEET_UNITS, row.cell(COL_UNIT_CODE), code=code)
            continue
        code = code.upper()
        if code in first_unit_row:
            add(
                "error",
                N_("plan.duplicate_unit"),
                SHEET_UNITS,
                row.cell(COL_UNIT_CODE),
                code=code,
                first_row=first_unit_row[code],
            )
            continue
        first_unit_row[code] = row.number
        if not name:
            add("error", N_("plan.missing_unit_name"), SHEET_UNITS, row.cell(COL_UNIT_NAME), code=code)
        emails = _split_list(row.values.get(COL_EMAIL)) if COL_EMAIL in row.columns else ()
        for email in emails:
            if not _EMAIL.fullmatch(email):
                add("warning", N_("plan.bad_email"), SHEET_UNITS, row.cell(COL_EMAIL), code=code, value=email)
        aliases = _split_list(row.values.get(COL_ALIASES)) if COL_ALIASES in row.columns else ()
        units.append(Unit(code, name or code, aliases, tuple(e for e in emails if _EMAIL.fullmatch(e))))
    if unit_header and not unit_rows:
        add("error", N_("plan.no_units"), SHEET_UNITS, None)
    # units unreadable (a column missing, already a finding): lead units cannot be checked against them
    unit_codes = {u.code for u in units} if unit_header else None

    coordinator = key_text(KEY_COORDINATOR).upper()
    if coordinator and unit_codes is not None and coordinator not in unit_codes:
        add("warning", N_("plan.unknown_coordinator"), SHEET_PLAN, keys[KEY_COORDINATOR][1], code=coordinator)

    # tasks
    tasks: list[Task] = []
    first_task_row: dict[str, int] = {}
    task_rows = 0
    task_cells: dict[str, str] = {}  # code → the cell its upper links are (or would be) in
    task_header = _header(sheet_tasks, TASK_COLUMNS, TASK_ESSENTIAL, add)
    for row in _rows(sheet_tasks, task_header) if task_header else ():
        task_rows += 1
        task = _read_task(row, unit_codes, first_task_row, add)
        if task is not None:
            tasks.append(task)
            task_cells[task.code] = row.cell(COL_UPPER if COL_UPPER in row.columns else COL_CODE)
    if task_header and not task_rows:
        add("error", N_("plan.no_tasks"), SHEET_TASKS, None)
    upper_plan = key_text(KEY_UPPER_PLAN)
    if upper_plan and tasks:
        _check_upper_links(tasks, task_cells, upper_plan, add)

    holidays = _read_holidays(sheets, add)
    signed = parse_person_date(keys.get(KEY_SIGNED, (None, None))[0])
    plan = Plan(
        id=plan_id,
        title=key_text(KEY_TITLE),
        number=key_text(KEY_NUMBER),
        issuer=key_text(KEY_ISSUER),
        signed_on=signed,
        submit_before_day=key_day(KEY_SUBMIT_DAY, 16),
        ubnd_before_day=key_day(KEY_UBND_DAY, 18),
        coordinator=coordinator,
        units=tuple(units),
        tasks=tuple(tasks),
        parent_body=key_text(KEY_PARENT),
        agency_symbol=key_text(KEY_SYMBOL),
        place=key_text(KEY_PLACE),
        addressee=key_text(KEY_ADDRESSEE),
        recipients=_lines(keys.get(KEY_RECIPIENTS, (None, None))[0]),
        signer_title=key_text(KEY_SIGNER_TITLE),
        signer_name=key_text(KEY_SIGNER),
        signing_authority=key_text(KEY_AUTHORITY),
        upper_plan=upper_plan,
        upper_unit=key_text(KEY_UPPER_UNIT).upper(),
        holidays=holidays,
    )
    return RegisterReading(plan, CheckResult(findings))


def _read_holidays(sheets: dict[str, _Sheet], add) -> tuple[tuple[dt.date, str], ...]:
    """The ``Ngày nghỉ`` sheet (SPEC §15): (date, name) in date order; a row whose date is not one is a
    warning (the day counts as a working day). An older register without the sheet has no days off."""
    sheet = sheets.get(fold(SHEET_HOLIDAYS))
    if sheet is None:
        return ()
    header = _header(sheet, HOLIDAY_COLUMNS, (COL_HOLIDAY_DATE,), add)
    found: dict[dt.date, str] = {}
    for row in _rows(sheet, header) if header else ():
        raw = row.values.get(COL_HOLIDAY_DATE)
        day = parse_person_date(raw)
        name = row.text(COL_HOLIDAY_NAME) if COL_HOLIDAY_NAME in row.columns else ""
        if day is None:
            if raw not in (None, "") or name:
                add(
                    "warning",
                    N_("plan.bad_holiday"),
                    sheet.title,
                    row.cell(COL_HOLIDAY_DATE),
                    value=nfc(raw) if raw is not None else "",
                )
            continue
        found.setdefault(day, name)
    return tuple(sorted(found.items()))


def _check_upper_links(tasks: list[Task], cells: dict[str, str], upper_plan: str, add) -> None:
    """With an upper plan set, each task that names none of its tasks is a warning at its cell (SPEC §16).

    While no task names one yet (a register just written by ``init`` or ``plan import``), one ``info``
    line says how to link them instead of a warning per task: the linking has not begun.
    """
    if not any(task.upper for task in tasks):
        add("info", N_("plan.upper_no_links"), SHEET_TASKS, None, plan=upper_plan, column=COL_UPPER)
        return
    for task in tasks:
        if not task.upper:
            add(
                "warning",
                N_("plan.upper_unlinked"),
                SHEET_TASKS,
                cells[task.code],
                task.code,
                plan=upper_plan,
                column=COL_UPPER,
            )


def _lines(value: object) -> tuple[str, ...]:
    """A cell of several lines (``Nơi nhận``): one entry per line or per ``;``, without list marks."""
    parts = re.split(r"[\n;]", nfc(value)) if value is not None else []
    return tuple(text for text in (clean_text(p).lstrip("-–+ ").rstrip(" ;.,") for p in parts) if text)


def _read_task(row: _Row, unit_codes: set[str] | None, first_row: dict[str, int], add) -> Task | None:
    code = row.text(COL_CODE).rstrip(".")
    content = row.text(COL_CONTENT)
    if not code:
        add("error", N_("plan.missing_code"), SHEET_TASKS, row.cell(COL_CODE), row=row.number)
        return None
    if code in first_row:
        add(
            "error",
            N_("plan.duplicate_code"),
            SHEET_TASKS,
            row.cell(COL_CODE),
            code,
            first_row=first_row[code],
        )
        return None
    first_row[code] = row.number
    usable = True
    if not content:
        add("error", N_("plan.missing_content"), SHEET_TASKS, row.cell(COL_CONTENT), code)
        usable = False
    lead = row.text(COL_LEAD).upper()
    if not lead:
        add("error", N_("plan.missing_lead"), SHEET_TASKS, row.cell(COL_LEAD), code)
        usable = False
    elif unit_codes is not None and lead not in unit_codes:
        add(
            "error",
            N_("plan.unknown_lead"),
            SHEET_TASKS,
            row.cell(COL_LEAD),
            code,
            lead=lead,
            codes=", ".join(sorted(unit_codes)),
        )
        usable = False

    words = row.text(COL_WORDS) if COL_WORDS in row.columns else ""
    raw_deadline = row.values.get(COL_DEADLINE)
    deadline = parse_person_date(raw_deadline)
    if raw_deadline not in (None, "") and deadline is None:
        add(
            "error",
            N_("plan.deadline_not_date"),
            SHEET_TASKS,
            row.cell(COL_DEADLINE),
            code,
            value=nfc(raw_deadline),
        )
        usable = False
    recurring = _is_recurring_mark(row.values.get(COL_RECURRING)) if COL_RECURRING in row.columns else False
    if recurring is None:
        add(
            "error",
            N_("plan.bad_recurring_mark"),
            SHEET_TASKS,
            row.cell(COL_RECURRING),
            code,
            value=nfc(row.values.get(COL_RECURRING)),
        )
        recurring = False
        usable = False

    meaning = parse_deadline_words(words) if words else None
    if deadline is None and not recurring and raw_deadline in (None, ""):
        if meaning is not None and meaning.understood:
            add("error", N_("plan.deadline_fillable"), SHEET_TASKS, row.cell(COL_DEADLINE), code, words=words)
        elif words:
            add(
                "error",
                N_("plan.deadline_words_unknown"),
                SHEET_TASKS,
                row.cell(COL_WORDS),
                code,
                words=words,
            )
        else:
            add("error", N_("plan.missing_deadline"), SHEET_TASKS, row.cell(COL_DEADLINE), code)
        usable = False
    elif (
        meaning is not None
        and meaning.understood
        and deadline is not None
        and meaning.deadline is not None
        and meaning.deadline != deadline
    ):
        add(
            "warning",
            N_("plan.deadline_disagrees"),
            SHEET_TASKS,
            row.cell(COL_DEADLINE),
            code,
            deadline=deadline.strftime("%d/%m/%Y"),
            words=words,
            expected=meaning.deadline.strftime("%d/%m/%Y"),
        )

    product = row.text(COL_PRODUCT) if COL_PRODUCT in row.columns else ""
    if usable and not product:
        add(
            "warning",
            N_("plan.missing_product"),
            SHEET_TASKS,
            row.cell(COL_PRODUCT) if COL_PRODUCT in row.columns else None,
            code,
        )
    adjusted = _adjusted_deadline(row, code, add)
    if not usable:
        return None
    basis = row.text(COL_ADJUSTMENT_BASIS) if COL_ADJUSTMENT_BASIS in row.columns else ""
    if adjusted is not None:  # the extension is the deadline in force; the register's stays as the original
        deadline, original = adjusted, deadline
    else:
        original = None
    return Task(
        code=code,
        group=row.text(COL_GROUP),
        content=content,
        lead=lead,
        coordinating=row.text(COL_COORD),
        deadline=deadline,
        recurring=bool(recurring),
        words=words,
        product=product,
        upper=_codes(row.values.get(COL_UPPER)) if COL_UPPER in row.columns else (),
        original_deadline=original,
        adjustment_basis=basis if adjusted is not None else "",
    )


def _adjusted_deadline(row: _Row, code: str, add) -> dt.date | None:
    """Thời hạn điều chỉnh (SPEC §15): a date, or nothing; anything else is an error on that cell."""
    if COL_ADJUSTED not in row.columns:
        return None
    raw = row.values.get(COL_ADJUSTED)
    adjusted = parse_person_date(raw)
    if raw not in (None, "") and adjusted is None:
        add("error", N_("plan.adjusted_not_date"), SHEET_TASKS, row.cell(COL_ADJUSTED), code, value=nfc(raw))
    return adjusted


class RegisterRefused(FileError):
    """The register has errors: ``findings`` are what to fix (the CLI lists them above the one line)."""

    def __init__(self, message: str, findings: tuple[Finding, ...]) -> None:
        super().__init__(message)
        self.findings = findings


def ensure_readable_plan(reading: RegisterReading) -> Plan:
    """The Plan when the register has no errors, else a RegisterRefused carrying the errors to fix."""
    errors = tuple(reading.check.errors)
    if errors:
        raise RegisterRefused(t("plan.check_failed", errors=len(errors)), errors)
    return reading.plan
