"""What the terminal shows after scan, collect and status: short Vietnamese summaries and a table."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter
from collections.abc import Sequence

from automation.domain.model import EVALUATION_ORDER, SEVERITY_ORDER, SUBMISSION_ORDER, Finding, RunResult
from automation.i18n.messages import t
from automation.write.labels import evaluation_label, outcome_label, submission_label


def when(moment: dt.datetime | None) -> str:
    return moment.strftime("%d/%m/%Y %H:%M") if moment else "—"


def _width(text: str) -> int:
    return sum(0 if unicodedata.combining(ch) else 1 for ch in unicodedata.normalize("NFC", text))


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A plain-text table with columns padded to their widest cell."""
    widths = [max(_width(str(row[i])) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(
            str(c) + " " * (w - _width(str(c))) for c, w in zip(cells, widths, strict=True)
        ).rstrip()

    return [line(header), "  ".join("-" * w for w in widths), *(line(r) for r in rows)]


def summary_lines(result: RunResult) -> list[str]:
    """The few lines a coordinator reads after a collect."""
    units = Counter(u.submission for u in result.units)
    tasks = Counter(e.evaluation for e in result.evaluations)
    outcomes = Counter(f.outcome for f in result.files)
    lines = [
        t(
            "collect.summary_head",
            period=f"{result.period[5:]}/{result.period[:4]}",
            as_of=when(result.as_of),
            deadline=when(result.submission_deadline),
        ),
        t(
            "collect.summary_units",
            total=len(result.units),
            detail=", ".join(f"{units[s]} {submission_label(s).lower()}" for s in SUBMISSION_ORDER),
        ),
        t(
            "collect.summary_tasks",
            total=len(result.evaluations),
            detail=", ".join(
                f"{tasks[e]} {evaluation_label(e).lower()}" for e in EVALUATION_ORDER if tasks[e]
            ),
        ),
        t(
            "collect.summary_files",
            total=len(result.files),
            detail=", ".join(f"{n} {outcome_label(o).lower()}" for o, n in sorted(outcomes.items())),
        ),
    ]
    errors = sum(f.severity == "error" for f in result.findings)
    warnings = sum(f.severity == "warning" for f in result.findings)
    lines.append(t("collect.summary_findings", errors=errors, warnings=warnings))
    return lines


def status_lines(result: RunResult) -> list[str]:
    header = [
        t("status.col_code"),
        t("status.col_unit"),
        t("status.col_state"),
        t("status.col_received"),
        t("status.col_file"),
        t("status.col_errors"),
        t("status.col_warnings"),
    ]
    rows = [
        [
            u.unit.code,
            u.unit.name,
            submission_label(u.submission),
            when(u.received_at),
            u.file or "—",
            str(u.errors),
            str(u.warnings),
        ]
        for u in result.units
    ]
    return [
        t(
            "status.head",
            period=f"{result.period[5:]}/{result.period[:4]}",
            as_of=when(result.as_of),
            deadline=when(result.submission_deadline),
        ),
        *table(header, rows),
    ]


def change_lines(changes: dict[str, dict[str, list[str]]]) -> list[str]:
    """One line per kind of change, for the terminal and the summary."""
    lines = []
    for kind in ("tasks", "units"):
        for what in ("added", "removed", "changed"):
            codes = changes.get(kind, {}).get(what)
            if codes:
                lines.append(t(f"period.changed.{kind}.{what}", codes=", ".join(codes)))
    if lines:
        lines.insert(0, t("period.changed.head"))
    return lines


def render_findings(findings: Sequence[Finding]) -> list[str]:
    """One line per finding, errors first: ``Lỗi  Nhiệm vụ!D5 (1.1): message``."""
    lines = []
    for f in sorted(findings, key=lambda f: SEVERITY_ORDER[f.severity]):
        where = f"{f.sheet}!{f.cell}" if f.sheet and f.cell else (f.sheet or "")
        task = f" ({f.task})" if f.task else ""
        lines.append(f"{t('severity.' + f.severity)}: {where}{task} — {f.message}")
    return lines
