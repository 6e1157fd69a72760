"""The register (SPEC §4): the plan as a workbook the coordinator edits in Excel.

``read_register`` reads ``ke-hoach.xlsx`` (python-calamine, fast even for a large plan) into a Plan
together with the "5 rõ" findings of ``plan check``. Writing it and ``--fix`` live in ``register_write``
(openpyxl), so a collect never pays for importing openpyxl.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from automation.domain.dates import parse_deadline_words, parse_person_date
from automation.domain.model import CheckResult, Finding, Plan, Severity, Task, Unit
from automation.domain.text import clean_text, fold, nfc
from automation.errors import FileError
from automation.i18n.messages import N_, t
from automation.plan.register_layout import (
    _EMAIL,
    _UNIT_CODE,
    COL_ADJUSTED,
    COL_ADJUSTMENT_BASIS,
    COL_ALIASES,
    COL_CODE,
    COL_CONTENT,
    COL_COORD,
    COL_DEADLINE,
    COL_EMAIL,
    COL_GROUP,
    COL_HOLIDAY_DATE,
    COL_HOLIDAY_NAME,
    COL_LEAD,
    COL_PRODUCT,
    COL_RECURRING,
    COL_UNIT_CODE,
    COL_UNIT_NAME,
    COL_UPPER,
    COL_WORDS,
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
    PLAN_KEYS,
    REPORT_KEYS,
    SHEET_HOLIDAYS,
    SHEET_PLAN,
    SHEET_TASKS,
    SHEET_UNITS,
    TASK_COLUMNS,
    TASK_ESSENTIAL,
    UNIT_COLUMNS,
    UNIT_ESSENTIAL,
    UPPER_KEYS,
)
from automation.plan.register_sheets import (
    _codes,
    _header,
    _is_recurring_mark,
    _lines,
    _open,
    _read_plan_keys,
    _Row,
    _rows,
    _Sheet,
    _sheet,
    _split_list,
)


@dataclass
class RegisterReading:
    """A Plan read from the register and what ``plan check`` found in it."""

    plan: Plan
    check: CheckResult = field(default_factory=CheckResult)


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
    missing = missing_report_keys(plan)
    if missing:  # one line: the report to the province shows blanks for them
        add("warning", N_("plan.missing_report_keys"), SHEET_PLAN, None, keys=", ".join(missing))
    return RegisterReading(plan, CheckResult(findings))


def missing_report_keys(plan: Plan) -> list[str]:
    """The ``Kế hoạch`` keys the report to the province needs and the plan lacks (``Thẩm quyền ký`` is
    blank when the head signs, so it is never missing)."""
    values = (
        (KEY_PARENT, plan.parent_body),
        (KEY_SYMBOL, plan.agency_symbol),
        (KEY_PLACE, plan.place),
        (KEY_ADDRESSEE, plan.addressee),
        (KEY_RECIPIENTS, plan.recipients),
        (KEY_SIGNER_TITLE, plan.signer_title),
        (KEY_SIGNER, plan.signer_name),
    )
    return [key for key, value in values if not value]


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
