"""The words of the domain (SPEC §2) as plain data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning", "info"]
SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    aliases: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()


@dataclass(frozen=True)
class Task:
    code: str
    group: str
    content: str
    lead: str
    coordinating: str = ""
    deadline: dt.date | None = None
    recurring: bool = False
    words: str = ""
    product: str = ""
    upper: tuple[str, ...] = ()  # Nhiệm vụ cấp trên: the upper plan's task codes it carries out (SPEC §16)
    # a deadline extension granted in the register (SPEC §15): ``deadline`` is then the adjusted one, in
    # force everywhere (evaluation, outputs); ``original_deadline`` the register's Thời hạn
    original_deadline: dt.date | None = None
    adjustment_basis: str = ""  # Căn cứ điều chỉnh: Công văn 123/SNV-VP ngày 10/05/2025

    @property
    def adjusted_deadline(self) -> dt.date | None:
        """Thời hạn điều chỉnh: the extended deadline when one is granted, else None."""
        return self.deadline if self.original_deadline is not None else None


@dataclass(frozen=True)
class Plan:
    id: str
    title: str
    number: str = ""
    issuer: str = ""
    signed_on: dt.date | None = None
    submit_before_day: int = 16
    ubnd_before_day: int = 18
    coordinator: str = ""
    units: tuple[Unit, ...] = ()
    tasks: tuple[Task, ...] = ()
    # what the report to the province needs (SPEC §14), from the register's Kế hoạch sheet
    parent_body: str = ""  # Cơ quan chủ quản: UBND TỈNH HẢI DƯƠNG
    agency_symbol: str = ""  # Ký hiệu cơ quan: SNV (Số: …/BC-SNV)
    place: str = ""  # Địa danh: Hải Dương
    addressee: str = ""  # Kính gửi
    recipients: tuple[str, ...] = ()  # Nơi nhận, one per line
    signer_title: str = ""  # Chức vụ người ký: GIÁM ĐỐC
    signer_name: str = ""  # Người ký
    signing_authority: str = ""  # Thẩm quyền ký: KT. GIÁM ĐỐC (blank when the head signs)
    # the register's Ngày nghỉ sheet (SPEC §15): days off besides weekends, (date, name) in date order
    holidays: tuple[tuple[dt.date, str], ...] = ()
    # the roll-up to the upper plan (SPEC §16)
    upper_plan: str = ""  # Kế hoạch cấp trên: the upper plan's id, as its register names it (KH-UBND-726)
    upper_unit: str = ""  # Mã đơn vị ở cấp trên: this department's unit code in the upper register

    @cached_property
    def _units_by_code(self) -> dict[str, Unit]:
        return {u.code: u for u in self.units}

    def unit(self, code: str) -> Unit | None:
        return self._units_by_code.get(code)

    @cached_property
    def _tasks_by_code(self) -> dict[str, Task]:
        return {t.code: t for t in self.tasks}

    @cached_property
    def _tasks_by_folded_code(self) -> dict[str, Task]:
        folded: dict[str, Task] = {}
        for t in self.tasks:
            folded.setdefault(t.code.casefold(), t)
        return folded

    @cached_property
    def _tasks_by_lead(self) -> dict[str, list[Task]]:
        led: dict[str, list[Task]] = {}
        for t in self.tasks:
            led.setdefault(t.lead, []).append(t)
        return led

    def task(self, code: str) -> Task | None:
        """The task with this code; a code differing only in case matches too (``1.A`` vs ``1.a``)."""
        return self._tasks_by_code.get(code) or self._tasks_by_folded_code.get(code.casefold())

    def tasks_led_by(self, code: str) -> list[Task]:
        return list(self._tasks_by_lead.get(code, ()))


@dataclass(frozen=True)
class Finding:
    """One problem found (SPEC §2): a report item, never an exception."""

    severity: Severity
    rule: str
    message: str
    file: str | None = None
    unit: str | None = None
    sheet: str | None = None
    cell: str | None = None
    task: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {
            "severity": self.severity,
            "rule": self.rule,
            "file": self.file,
            "unit": self.unit,
            "sheet": self.sheet,
            "cell": self.cell,
            "task": self.task,
            "message": self.message,
        }


@dataclass
class CheckResult:
    """Findings of a check, with counts by severity."""

    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]


# --- collect (SPEC §6) ------------------------------------------------------------------------------

ReportedStatus = Literal["not_started", "in_progress", "done"]
EvaluationValue = Literal[
    "completed_on_time",
    "completed_late",
    "in_progress",
    "not_started",
    "overdue",
    "recurring",
    "not_reported",
]
Flag = Literal["late", "missing", "due_soon", "regressed"]
FLAG_ORDER: tuple[str, ...] = ("late", "missing", "regressed", "due_soon")
EVALUATION_ORDER: tuple[EvaluationValue, ...] = (
    "overdue",
    "not_reported",
    "completed_late",
    "in_progress",
    "not_started",
    "recurring",
    "completed_on_time",
)
SUBMISSION_ORDER: tuple[str, ...] = ("on_time", "late", "invalid", "missing")
OUTCOMES: tuple[str, ...] = (
    "accepted",
    "superseded",
    "duplicate",
    "rejected",
    "other_period",
    "after_as_of",
    "ignored",
    "pending",
    "withdrawn",
)


@dataclass(frozen=True)
class TaskReport:
    """One usable row of a unit's file: what the unit says about one task in one period."""

    period: str
    unit: str
    task: str
    role: str  # "lead" (Chủ trì) or "support" (Phối hợp)
    status: ReportedStatus
    completed_on: dt.date | None = None
    progress: int | None = None
    results: str = ""
    difficulties: str = ""
    proposals: str = ""
    evidence: str = ""
    file: str = ""
    row: int | None = None
    received_at: dt.datetime | None = None
    extension_to: dt.date | None = None  # Đề nghị gia hạn đến: the deadline the unit asks for (SPEC §15)


@dataclass(frozen=True)
class Evaluation:
    """The verdict on one task for one period (SPEC §6)."""

    task: Task
    evaluation: EvaluationValue
    flags: tuple[Flag, ...]
    report: TaskReport | None  # the effective report (this period's, else the latest earlier one)
    reported_this_period: bool


@dataclass
class ParsedRow:
    """One data row below the header, values keyed by header label, with each cell's true reference."""

    number: int  # the Excel row number
    values: dict[str, object]
    refs: dict[str, str]  # label → "E7"


@dataclass
class ParsedReport:
    """What the reader found in one spreadsheet, before any judgement (read stage → identify/validate)."""

    sheet: str | None = None  # the report sheet's name as found (it may be renamed)
    header_row: int | None = None
    columns: dict[str, str] = field(default_factory=dict)  # header label → column letter
    rows: list[ParsedRow] = field(default_factory=list)
    unit_text: str | None = None  # the value beside "Đơn vị:"
    unit_cell: str | None = None
    period_value: object | None = None  # the value beside "Kỳ báo cáo:"
    period_cell: str | None = None
    meta: dict[str, str] = field(default_factory=dict)  # the _meta sheet, when it survived
    formula_cells: set[str] = field(default_factory=set)  # refs of cells holding a formula
    grid: list[list[object]] = field(default_factory=list)  # the report sheet from A1, for feedback files
    findings: list[Finding] = field(default_factory=list)  # file.* problems found while reading

    @property
    def readable(self) -> bool:
        return self.header_row is not None and not any(f.severity == "error" for f in self.findings)


@dataclass
class FileRecord:
    """One considered file of a run and its outcome (SPEC §6, run report ``files``)."""

    path: str  # relative to the workspace, "/" separated; an attachment is "inbox/x.eml/name.xlsx"
    sha256: str | None
    received_at: dt.datetime | None
    source: str  # "folder" or "email"
    sender: str | None = None
    unit: str | None = None
    period: str | None = None
    outcome: str = "ignored"
    reason: str | None = None
    findings: list[Finding] = field(default_factory=list)
    reports: list[TaskReport] = field(default_factory=list)
    parsed: ParsedReport | None = None


@dataclass
class UnitStatus:
    """A unit's submission for the period (SPEC §6): on_time, late, invalid or missing."""

    unit: Unit
    submission: str
    received_at: dt.datetime | None = None  # of the file in use (the latest accepted)
    first_received_at: dt.datetime | None = None  # of the first accepted file: lateness counts from it
    file: str | None = None
    errors: int = 0
    warnings: int = 0
    sha256: str | None = None  # of the file in use: a path can have held other bytes earlier


@dataclass
class RunResult:
    """Everything one collect decided: the input of every output (workbook, feedback, run report)."""

    period: str
    as_of: dt.datetime
    submission_deadline: dt.datetime
    evaluation_date: dt.date
    plan: Plan
    files: list[FileRecord]
    units: list[UnitStatus]
    evaluations: list[Evaluation]
    contributions: list[TaskReport] = field(default_factory=list)  # Phối hợp rows
    findings: list[Finding] = field(default_factory=list)  # every finding, files' and the run's own
    previous: RunResult | None = None  # the previous period's result, for "change against" figures
    # the run reports (dicts) of the earlier periods, oldest first, the latest finished run of each: the trend
    history: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # the run's own warnings (empty inbox, clock, …)
    register_changes: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # since the last run


@dataclass
class CollectOutput:
    result: RunResult
    workbook: Path | None = None
    report: Path | None = None
    feedback: list[Path] = field(default_factory=list)
    report_data: dict | None = None  # the run report as written
    report_text: str | None = None  # and its text
    report_doc: Path | None = None  # the report draft to the province (SPEC §14)
