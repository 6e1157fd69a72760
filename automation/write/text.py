"""What the terminal shows after scan, collect and status: short Vietnamese summaries and the status table
(drawn with ``rich``; this module builds text and tables, the CLI prints them)."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from collections.abc import Sequence

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from automation.domain.model import EVALUATION_ORDER, SEVERITY_ORDER, SUBMISSION_ORDER, Finding, RunResult
from automation.domain.text import nfc
from automation.i18n.messages import t, tn
from automation.write.labels import evaluation_label, outcome_label, severity_label, submission_label


def when(moment: dt.datetime | None) -> str:
    return moment.strftime("%d/%m/%Y %H:%M") if moment else "—"


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
    lines.append(
        t(
            "collect.summary_findings",
            errors=tn("count.error", "count.errors", errors, count=errors),
            warnings=tn("count.warning", "count.warnings", warnings, count=warnings),
        )
    )
    return lines


# The header rule in ASCII: what a file or a pipe receives carries no box-drawing characters.
_PLAIN = box.Box("    \n    \n -  \n    \n    \n -  \n    \n    \n", ascii=True)


def status_head(result: RunResult) -> str:
    """The line above the status table: the period, the time it is computed for and the deadline."""
    return t(
        "status.head",
        period=f"{result.period[5:]}/{result.period[:4]}",
        as_of=when(result.as_of),
        deadline=when(result.submission_deadline),
    )


def status_table(result: RunResult, *, terminal: bool = False) -> Table:
    """Who has sent what, one row per unit, as a ``rich`` table that fits the console it is printed on.

    Long unit names wrap at spaces and long file names fold, so no line is wider than the console;
    ``terminal`` adds a bold header and a drawn rule, otherwise the table is plain text (ASCII rule).
    """
    table = Table(
        box=box.SIMPLE_HEAD if terminal else _PLAIN,
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
        header_style="bold" if terminal else "",
        highlight=False,
    )
    table.add_column(t("status.col_code"), no_wrap=True)
    table.add_column(t("status.col_unit"), ratio=3, min_width=8)
    table.add_column(t("status.col_state"), no_wrap=True)
    table.add_column(t("status.col_received"), min_width=10)
    table.add_column(t("status.col_file"), ratio=4, min_width=8, overflow="fold")
    table.add_column(t("status.col_errors"), justify="right")
    table.add_column(t("status.col_warnings"), justify="right")
    for u in result.units:
        cells = (
            u.unit.code,
            u.unit.name,
            submission_label(u.submission),
            when(u.received_at),
            u.file or "—",
            str(u.errors),
            str(u.warnings),
        )
        table.add_row(*(Text(nfc(cell)) for cell in cells))  # Text: a "[" in a name is not markup
    return table


def status_lines(result: RunResult, width: int = 80) -> list[str]:
    """The status as plain lines no wider than ``width``: the head, then the table (no escape codes)."""
    out = io.StringIO()
    console = Console(file=out, width=width, force_terminal=False, color_system=None, highlight=False)
    console.print(Text(status_head(result)))
    console.print(status_table(result, terminal=False))
    return [line.rstrip() for line in out.getvalue().splitlines()]


def change_lines(changes: dict[str, dict[str, list[str]]]) -> list[str]:
    """One line per kind of change, for the terminal and the summary."""
    lines = []
    for kind, what, line in (
        ("tasks", "added", lambda codes: t("period.changed.tasks.added", codes=codes)),
        ("tasks", "removed", lambda codes: t("period.changed.tasks.removed", codes=codes)),
        ("tasks", "changed", lambda codes: t("period.changed.tasks.changed", codes=codes)),
        ("units", "added", lambda codes: t("period.changed.units.added", codes=codes)),
        ("units", "removed", lambda codes: t("period.changed.units.removed", codes=codes)),
        ("units", "changed", lambda codes: t("period.changed.units.changed", codes=codes)),
    ):
        codes = changes.get(kind, {}).get(what)
        if codes:
            lines.append(line(", ".join(codes)))
    if lines:
        lines.insert(0, t("period.changed.head"))
    return lines


def render_findings(findings: Sequence[Finding]) -> list[str]:
    """One line per finding, errors first: ``Lỗi  Nhiệm vụ!D5 (1.1): message``."""
    lines = []
    for f in sorted(findings, key=lambda f: SEVERITY_ORDER[f.severity]):
        where = f"{f.sheet}!{f.cell}" if f.sheet and f.cell else (f.sheet or "")
        task = f" ({f.task})" if f.task else ""
        lines.append(f"{severity_label(f.severity)}: {where}{task} — {f.message}")
    return lines
