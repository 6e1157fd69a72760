"""The words of the domain (SPEC §2) as plain data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
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

    def unit(self, code: str) -> Unit | None:
        return next((u for u in self.units if u.code == code), None)

    def tasks_led_by(self, code: str) -> list[Task]:
        return [t for t in self.tasks if t.lead == code]


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

    @property
    def ok(self) -> bool:
        return not self.errors
