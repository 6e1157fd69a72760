"""Write stage (SPEC §14): the facts of the report to the province, from the run report (every figure),
the register (names, groups, the header keys) and the period's accepted rows (the units' own words).

Pure: data in, data out — the same facts whether the report is written by the collect or again by
``baocao report`` from the ledger.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from automation.domain.dates import Period
from automation.domain.model import Plan, TaskReport
from automation.domain.text import clean_text
from automation.i18n.messages import N_, t

# the official categories of SPEC §14, each the evaluations it counts
CATEGORIES = (
    (N_("report.cat.done_on_time"), ("completed_on_time",)),
    (N_("report.cat.done_late"), ("completed_late",)),
    (N_("report.cat.open_in_time"), ("in_progress", "not_started")),
    (N_("report.cat.open_overdue"), ("overdue",)),
    (N_("report.cat.recurring"), ("recurring",)),
    (N_("report.cat.not_reported"), ("not_reported",)),
)
SHORT_CONTENT = 160  # characters of a task's content quoted in a sentence


@dataclass
class TaskLine:
    code: str
    group: str
    content: str
    lead: str
    lead_name: str
    deadline: dt.date | None  # the deadline in force (an extension granted, SPEC §15)
    recurring: bool
    evaluation: str
    completed: bool
    results: str = ""
    difficulties: str = ""
    proposals: str = ""
    original_deadline: dt.date | None = None  # the plan's, when an extension is in force

    @property
    def short_content(self) -> str:
        text = self.content.rstrip(" .;")
        return text if len(text) <= SHORT_CONTENT else text[: SHORT_CONTENT - 1].rstrip() + "…"


@dataclass
class ReportFacts:
    plan: Plan
    period: str
    department: str
    plan_name: str
    total: int
    categories: list[tuple[str, int]]
    lines: list[TaskLine]
    direction: str
    difficulties: list[str] = field(default_factory=list)
    proposals: list[str] = field(default_factory=list)

    @property
    def groups(self) -> list[tuple[str, list[TaskLine]]]:
        """Task lines grouped as in the plan (groups in the order they first appear)."""
        grouped: dict[str, list[TaskLine]] = {}
        for line in self.lines:
            grouped.setdefault(line.group, []).append(line)
        return list(grouped.items())

    @property
    def next_month(self) -> Period:
        return Period.parse(self.period).next()

    @property
    def next_month_label(self) -> str:
        return self.next_month.label

    @property
    def due_next_month(self) -> list[TaskLine]:
        month = self.next_month
        return [
            line
            for line in self.lines
            if line.deadline
            and (line.deadline.year, line.deadline.month) == (month.year, month.month)
            and not line.completed
        ]

    @property
    def overdue(self) -> list[TaskLine]:
        return [line for line in self.lines if line.evaluation == "overdue"]

    @property
    def recurring(self) -> list[TaskLine]:
        return [line for line in self.lines if line.recurring]


def department_name(plan: Plan) -> str:
    """The department as its header writes it: the issuer without its province."""
    issuer = clean_text(plan.issuer)
    index = issuer.find(" tỉnh ")
    return issuer[:index] if index > 0 and plan.parent_body else issuer


def plan_name(plan: Plan) -> str:
    """``Kế hoạch số 45/KH-SNV …`` as the summary line names it."""
    number = plan.number if any(ch.isdigit() for ch in plan.number) else ""
    title = clean_text(plan.title)
    title = title[:1].lower() + title[1:] if title[:2].istitle() else title
    return " ".join(part for part in ("Kế hoạch", f"số {number}" if number else "", title) if part)


def report_facts(plan: Plan, report: dict, rows: Iterable[TaskReport]) -> ReportFacts:
    """The report's facts for the run report ``report`` of one period."""
    period = str(report["period"])
    units = {u.code: u.name for u in plan.units}
    units.update({u["code"]: u["name"] for u in report.get("units", [])})
    this_period = [r for r in rows if r.period == period]
    lead_rows = {(r.unit, r.task): r for r in this_period if r.role == "lead"}
    lines: list[TaskLine] = []
    for entry in report["tasks"]:
        task = plan.task(entry["code"])
        lead = entry["lead_unit"]
        row = lead_rows.get((lead, entry["code"]))
        deadline = dt.date.fromisoformat(entry["deadline"]) if entry.get("deadline") else None
        lines.append(
            TaskLine(
                code=entry["code"],
                group=task.group if task else "",
                content=task.content if task else entry["code"],
                lead=lead,
                lead_name=units.get(lead, lead),
                deadline=deadline,
                recurring=bool(entry.get("recurring")),
                evaluation=entry["evaluation"],
                completed=entry["evaluation"] in ("completed_on_time", "completed_late"),
                results=_sentence(row.results) if row else "",
                difficulties=clean_text(row.difficulties) if row else "",
                proposals=clean_text(row.proposals) if row else "",
                original_deadline=(
                    dt.date.fromisoformat(entry["original_deadline"])
                    if entry.get("original_deadline")
                    else None
                ),
            )
        )
    counts = Counter(line.evaluation for line in lines)
    categories = [(t(key), sum(counts[e] for e in evaluations)) for key, evaluations in CATEGORIES]
    submissions = Counter(u["submission"] for u in report.get("units", []))
    department = department_name(plan)
    direction = t(
        "report.direction",
        month=Period.parse(period).label,
        department=department or t("report.the_department"),
        plan=plan_name(plan),
        on_time=submissions["on_time"],
        late=submissions["late"],
        units=len(report.get("units", [])),
    )
    return ReportFacts(
        plan=plan,
        period=period,
        department=department,
        plan_name=plan_name(plan),
        total=len(lines),
        categories=categories,
        lines=lines,
        direction=direction,
        difficulties=_attributed(this_period, "difficulties", units),
        proposals=_attributed(this_period, "proposals", units),
    )


def _attributed(rows: list[TaskReport], attribute: str, units: dict[str, str]) -> list[str]:
    """Each unit's texts (difficulties or proposals), once per text, with the unit and the tasks."""
    found: dict[tuple[str, str], list[str]] = {}
    for row in sorted(rows, key=lambda r: (r.unit, r.task)):
        text = clean_text(getattr(row, attribute)).rstrip(" .;")
        if text:
            found.setdefault((row.unit, text), []).append(row.task)
    return [
        t("report.attributed", unit=units.get(unit, unit), text=text, tasks=", ".join(tasks))
        for (unit, text), tasks in found.items()
    ]


def _sentence(text: str) -> str:
    """A unit's text as a sentence of the report: trimmed, ending with a full stop."""
    text = clean_text(text).rstrip(" ;,")
    return text if not text or text.endswith((".", "!", "?", "…")) else text + "."


def report_path(folder: Path, period: str) -> Path:
    """Where the draft of ``period`` is written in the period's folder ``folder``."""
    return folder / f"bao-cao_{period}.docx"
