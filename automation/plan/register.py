"""The register (SPEC §4): the plan as a workbook the coordinator edits in Excel.

``read_register`` reads ``ke-hoach.xlsx`` (python-calamine, fast even for a large plan) into a Plan
together with the "5 rõ" findings of ``plan check``. Writing it and ``--fix`` live in ``register_write``
(openpyxl), so a collect never pays for importing openpyxl.
"""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook

from automation.domain.dates import parse_deadline_words, parse_person_date
from automation.domain.model import CheckResult, Finding, Plan, Task, Unit
from automation.domain.text import clean_text, fold, nfc
from automation.errors import FileError, os_error_reason
from automation.i18n.messages import t
from automation.state.files import column_letter

SHEET_PLAN = "Kế hoạch"
SHEET_UNITS = "Đơn vị"
SHEET_TASKS = "Nhiệm vụ"

KEY_ID = "Mã kế hoạch"
KEY_NUMBER = "Số, ký hiệu"
KEY_TITLE = "Tên kế hoạch"
KEY_ISSUER = "Cơ quan ban hành"
KEY_SIGNED = "Ngày ký"
KEY_SUBMIT_DAY = "Hạn nộp báo cáo (trước ngày)"
KEY_UBND_DAY = "Hạn báo cáo UBND (trước ngày)"
KEY_COORDINATOR = "Đơn vị đầu mối"
PLAN_KEYS = (
    KEY_ID,
    KEY_NUMBER,
    KEY_TITLE,
    KEY_ISSUER,
    KEY_SIGNED,
    KEY_SUBMIT_DAY,
    KEY_UBND_DAY,
    KEY_COORDINATOR,
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
)

DATE_FORMAT = "dd/mm/yyyy"
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
    rows: list[list[object]]


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
            "plan.no_header",
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
                "plan.duplicate_column",
                sheet.title,
                f"{second}{header_row}",
                column=label,
                first=first,
                second=second,
            )
        else:
            columns[label] = column
    readable = True
    missing = [label for label in labels if label not in columns]
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
                "plan.renamed_column",
                sheet.title,
                f"{letter}{header_row}",
                column=label,
                found=text,
                letter=letter,
            )
        else:
            add(
                severity,
                "plan.missing_column",
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
        severity: str, rule: str, sheet: str, cell: str | None, task: str | None = None, **params
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
            add("error", "plan.bad_day", SHEET_PLAN, cell, key=key, value=nfc(raw))
            return default
        return day

    plan_id = key_text(KEY_ID)
    if not plan_id:
        add("error", "plan.missing_plan_id", SHEET_PLAN, keys.get(KEY_ID, (None, None))[1])
    for key in PLAN_KEYS:
        if key != KEY_ID and key not in keys:  # a renamed key would silently fall back to its default
            add("warning", "plan.missing_key", SHEET_PLAN, None, key=key)

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
            add("error", "plan.missing_unit_code", SHEET_UNITS, row.cell(COL_UNIT_CODE), row=row.number)
            continue
        if not _UNIT_CODE.fullmatch(code):
            add("error", "plan.bad_unit_code", SHEET_UNITS, row.cell(COL_UNIT_CODE), code=code)
            continue
        code = code.upper()
        if code in first_unit_row:
            add(
                "error",
                "plan.duplicate_unit",
                SHEET_UNITS,
                row.cell(COL_UNIT_CODE),
                code=code,
                first_row=first_unit_row[code],
            )
            continue
        first_unit_row[code] = row.number
        if not name:
            add("error", "plan.missing_unit_name", SHEET_UNITS, row.cell(COL_UNIT_NAME), code=code)
        emails = _split_list(row.values.get(COL_EMAIL)) if COL_EMAIL in row.columns else ()
        for email in emails:
            if not _EMAIL.fullmatch(email):
                add("warning", "plan.bad_email", SHEET_UNITS, row.cell(COL_EMAIL), code=code, value=email)
        aliases = _split_list(row.values.get(COL_ALIASES)) if COL_ALIASES in row.columns else ()
        units.append(Unit(code, name or code, aliases, tuple(e for e in emails if _EMAIL.fullmatch(e))))
    if unit_header and not unit_rows:
        add("error", "plan.no_units", SHEET_UNITS, None)
    # units unreadable (a column missing, already a finding): lead units cannot be checked against them
    unit_codes = {u.code for u in units} if unit_header else None

    coordinator = key_text(KEY_COORDINATOR).upper()
    if coordinator and unit_codes is not None and coordinator not in unit_codes:
        add("warning", "plan.unknown_coordinator", SHEET_PLAN, keys[KEY_COORDINATOR][1], code=coordinator)

    # tasks
    tasks: list[Task] = []
    first_task_row: dict[str, int] = {}
    task_rows = 0
    task_header = _header(sheet_tasks, TASK_COLUMNS, TASK_ESSENTIAL, add)
    for row in _rows(sheet_tasks, task_header) if task_header else ():
        task_rows += 1
        task = _read_task(row, unit_codes, first_task_row, add)
        if task is not None:
            tasks.append(task)
    if task_header and not task_rows:
        add("error", "plan.no_tasks", SHEET_TASKS, None)

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
    )
    return RegisterReading(plan, CheckResult(findings))


def _read_task(row: _Row, unit_codes: set[str] | None, first_row: dict[str, int], add) -> Task | None:
    code = row.text(COL_CODE).rstrip(".")
    content = row.text(COL_CONTENT)
    if not code:
        add("error", "plan.missing_code", SHEET_TASKS, row.cell(COL_CODE), row=row.number)
        return None
    if code in first_row:
        add("error", "plan.duplicate_code", SHEET_TASKS, row.cell(COL_CODE), code, first_row=first_row[code])
        return None
    first_row[code] = row.number
    usable = True
    if not content:
        add("error", "plan.missing_content", SHEET_TASKS, row.cell(COL_CONTENT), code)
        usable = False
    lead = row.text(COL_LEAD).upper()
    if not lead:
        add("error", "plan.missing_lead", SHEET_TASKS, row.cell(COL_LEAD), code)
        usable = False
    elif unit_codes is not None and lead not in unit_codes:
        add(
            "error",
            "plan.unknown_lead",
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
            "plan.deadline_not_date",
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
            "plan.bad_recurring_mark",
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
            add("error", "plan.deadline_fillable", SHEET_TASKS, row.cell(COL_DEADLINE), code, words=words)
        elif words:
            add("error", "plan.deadline_words_unknown", SHEET_TASKS, row.cell(COL_WORDS), code, words=words)
        else:
            add("error", "plan.missing_deadline", SHEET_TASKS, row.cell(COL_DEADLINE), code)
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
            "plan.deadline_disagrees",
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
            "plan.missing_product",
            SHEET_TASKS,
            row.cell(COL_PRODUCT) if COL_PRODUCT in row.columns else None,
            code,
        )
    if not usable:
        return None
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
    )


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
