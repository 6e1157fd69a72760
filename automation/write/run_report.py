"""Write stage (SPEC §9): ``run-report.json``, the machine-readable record of one collect.

A pure function of the ``RunResult`` (``run_report``) and an atomic write of it (``write_run_report``). The
order of every list is fixed so the same run gives the same bytes: files by path, units in register order,
tasks in plan order, findings by severity then place (``ordered_findings``, also used by the workbook).

Fields beyond the contract (the schema allows additions): per file ``findings`` (counts by severity), per
unit ``first_received_at``, ``errors``, ``warnings``, per task ``reported_this_period`` and ``report_period``,
and ``counts.flags`` and ``counts.files`` next to the required ``counts.units/tasks/findings``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from automation.domain.model import (
    EVALUATION_ORDER,
    FLAG_ORDER,
    OUTCOMES,
    SEVERITY_ORDER,
    SUBMISSION_ORDER,
    Evaluation,
    FileRecord,
    Finding,
    RunResult,
    UnitStatus,
)
from automation.state.files import atomic_save

SCHEMA_VERSION = "1"
SEVERITIES = ("error", "warning", "info")
_CELL = re.compile(r"([A-Z]{1,3})([0-9]+)")


def natural_key(text: str | None) -> tuple[tuple[int, int | str], ...]:
    """Sort key that puts task ``1.9`` before ``1.10`` and ``E9`` before ``E10``."""
    parts = re.split(r"(\d+)", text or "")
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts if p)


def cell_key(ref: str | None) -> tuple[int, int]:
    """(row, column) of ``E7``; a finding without a cell sorts first (it is about the whole file)."""
    match = _CELL.fullmatch(ref or "")
    if not match:
        return (0, 0)
    column = 0
    for letter in match.group(1):
        column = column * 26 + ord(letter) - 64
    return (int(match.group(2)), column)


def _finding_key(finding: Finding) -> tuple[object, ...]:
    return (
        SEVERITY_ORDER.get(finding.severity, 9),
        finding.file or "",
        finding.unit or "",
        finding.sheet or "",
        cell_key(finding.cell),
        natural_key(finding.task),
        finding.rule,
        finding.message,
    )


def ordered_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Findings by severity (errors first), then file, unit, sheet, cell (row by row), task, rule, message:
    a total order, so the input's order never shows in the output."""
    return sorted(findings, key=_finding_key)


def ordered_files(files: Iterable[FileRecord]) -> list[FileRecord]:
    return sorted(files, key=lambda f: (f.path, _instant(f.received_at), f.sha256 or "", f.outcome))


def ordered_units(result: RunResult) -> list[UnitStatus]:
    """Units in register order; a unit the register no longer lists comes last, by code."""
    position = {unit.code: index for index, unit in enumerate(result.plan.units)}
    return sorted(result.units, key=lambda s: (position.get(s.unit.code, len(position)), s.unit.code))


def ordered_evaluations(result: RunResult) -> list[Evaluation]:
    """Evaluations in plan order (a task the plan no longer lists comes last, by code)."""
    position = {task.code: index for index, task in enumerate(result.plan.tasks)}
    return sorted(result.evaluations, key=lambda ev: (position.get(ev.task.code, len(position)),
                                                      natural_key(ev.task.code)))  # fmt: skip


def _instant(moment: dt.datetime | None) -> str:
    return moment.astimezone(dt.UTC).isoformat() if moment is not None and moment.tzinfo else str(moment)


def _iso(moment: dt.datetime | None, zone: dt.tzinfo | None) -> str | None:
    """ISO 8601 with the offset; a naive time (never expected) is taken as local to the run."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone or dt.UTC)
    return moment.isoformat()


def _date(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _counts(values: Iterable[str], keys: Iterable[str]) -> dict[str, int]:
    counter = Counter(values)
    return {key: counter.get(key, 0) for key in keys}


def run_report(result: RunResult, workbook: str) -> dict[str, object]:
    """The run report of ``result`` as a JSON-ready dict (schema ``run-report.schema.json``, version 1).

    ``workbook`` is the consolidated workbook's path relative to the workspace, "/"-separated.
    """
    zone = result.submission_deadline.tzinfo
    files = ordered_files(result.files)
    units = ordered_units(result)
    findings = ordered_findings(result.findings)
    tasks = []
    for ev in ordered_evaluations(result):
        report = ev.report
        tasks.append(
            {
                "code": ev.task.code,
                "lead_unit": ev.task.lead,
                "deadline": _date(ev.task.deadline),
                "original_deadline": _date(ev.task.original_deadline),  # an extension in force (SPEC §15)
                "recurring": ev.task.recurring,
                "reported_status": report.status if report else None,
                "completed_on": _date(report.completed_on) if report else None,
                "progress": report.progress if report else None,
                "evaluation": ev.evaluation,
                "flags": [flag for flag in FLAG_ORDER if flag in ev.flags],
                "source_file": (report.file or None) if report else None,
                "reported_this_period": ev.reported_this_period,
                "report_period": report.period if report else None,
            }
        )
    return {
        "schema_version": SCHEMA_VERSION,
        "period": result.period,
        "as_of": _iso(result.as_of, zone),
        "submission_deadline": _iso(result.submission_deadline, zone),
        "evaluation_date": result.evaluation_date.isoformat(),
        "plan": {"id": result.plan.id, "title": result.plan.title},
        "workbook": workbook.replace("\\", "/"),
        "files": [
            {
                "path": record.path,
                "sha256": record.sha256,
                "received_at": _iso(record.received_at, zone),
                "source": record.source,
                "sender": record.sender,
                "unit": record.unit,
                "period": record.period,
                "outcome": record.outcome,
                "reason": record.reason,
                "findings": _counts((f.severity for f in record.findings), SEVERITIES),
            }
            for record in files
        ],
        "units": [
            {
                "code": status.unit.code,
                "name": status.unit.name,
                "submission": status.submission,
                "received_at": _iso(status.received_at, zone),
                "file": status.file,
                "first_received_at": _iso(status.first_received_at, zone),
                "errors": status.errors,
                "warnings": status.warnings,
            }
            for status in units
        ],
        "tasks": tasks,
        "findings": [finding.as_dict() for finding in findings],
        "warnings": list(result.warnings),
        "register_changes": result.register_changes,
        "counts": {
            "units": _counts((s.submission for s in units), SUBMISSION_ORDER),
            "tasks": _counts((ev.evaluation for ev in result.evaluations), EVALUATION_ORDER),
            "flags": _counts((flag for ev in result.evaluations for flag in ev.flags), FLAG_ORDER),
            "findings": _counts((f.severity for f in findings), SEVERITIES),
            "files": _counts((record.outcome for record in files), OUTCOMES),
        },
    }


def report_json(result: RunResult, workbook: str) -> str:
    """The run report as the text written to disk (UTF-8, two-space indent, a final newline)."""
    return dump_report(run_report(result, workbook))


_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode  # the C encoder: no indent


def dump_report(report: dict[str, object]) -> str:
    """A run report dict as the text written to disk: one top-level key per line, and each element of a
    top-level list (a file, a unit, a task, a finding) on a line of its own. Readable in a text editor
    and diff-friendly, and written by json's C encoder (``indent=2`` makes json use its Python one, ten
    times slower on a 1,000-unit report)."""
    lines = ["{"]
    last = len(report) - 1
    for number, (key, value) in enumerate(report.items()):
        comma = "," if number < last else ""
        if isinstance(value, list) and value:
            lines.append(f"  {_ENCODE(key)}: [")
            lines.extend(f"    {_ENCODE(element)}," for element in value[:-1])
            lines.append(f"    {_ENCODE(value[-1])}")
            lines.append(f"  ]{comma}")
        else:
            lines.append(f"  {_ENCODE(key)}: {_ENCODE(value)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def write_run_report(result: RunResult, workbook: str, path: Path) -> None:
    """Write ``run-report.json`` to ``path`` atomically (a temporary file renamed into place)."""
    save_report_text(report_json(result, workbook), path)


def save_report_text(text: str, path: Path) -> None:
    """Write a run report's text to ``path`` atomically, UTF-8 with Unix line ends."""
    atomic_save(path, lambda tmp: tmp.write_text(text, encoding="utf-8", newline="\n"))
