"""Notify stage (SPEC §10, §14): the month's summary as leadership reads it on a phone.

After each collect, ``LEADERSHIP_EMAIL`` and ``COORDINATOR_EMAIL`` get one mail whose HTML body is the
summary of the month (the period, the cut-off; the units on time, late — with when their file came —,
invalid and missing; the tasks per evaluation and the completion rate; the overdue tasks with their lead
units; the month's difficulties and proposals) and whose plain-text part says the same. Both are drawn
from one list of sections built from the ``RunResult``, so they never disagree.

Phone-readable: one column, ``max-width`` containers, ``width:100%`` tables with ``table-layout:fixed``,
long names broken anywhere, inline CSS only (some mail clients strip ``<style>``). Every text that comes
from a unit or the register goes through ``html.escape``: a ``<script>`` or ``=HYPERLINK(…)`` shows as text.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from automation.domain.contract import plan_short_name
from automation.domain.model import SUBMISSION_ORDER, RunResult
from automation.domain.text import nfc
from automation.i18n.messages import current_language, t
from automation.write import labels
from automation.write.run_report import natural_key, ordered_units
from automation.write.summary import figures
from automation.write.xlsx_parts import UnitNames

LIST_LIMIT = 30  # units per state, overdue tasks, difficulties: the rest are in the attached workbook
TEXT_LIMIT = 400  # characters of one task's content or one difficulty
FONT = "Arial, Helvetica, sans-serif"
BREAK = "overflow-wrap:anywhere;word-break:break-word;"


@dataclass(frozen=True)
class Figure:
    """A label and its value (a count, a rate, a date), with the colour of its category if it has one."""

    label: str
    value: str
    colour: tuple[str, str] | None = None
    strong: bool = False


@dataclass(frozen=True)
class Item:
    """One unit, task or difficulty: a title line and the lines under it."""

    title: str
    lines: tuple[str, ...] = ()
    colour: tuple[str, str] | None = None


@dataclass
class Section:
    heading: str
    figures: list[Figure] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class MonthSummary:
    title: str
    subtitle: str
    sections: list[Section]
    footer: list[str]


def _rate(value: float | None) -> str:
    if value is None:
        return "—"
    text = f"{value * 100:.1f}%"
    return text.replace(".", ",") if current_language() == "vi" else text  # 85,7% in Vietnamese


def _shorten(text: str, limit: int = TEXT_LIMIT) -> str:
    text = " ".join(nfc(text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _more(section: Section, shown: int, total: int) -> None:
    if total > shown:
        section.notes.append(t("mail.summary.more", count=total - shown))


def _head(result: RunResult) -> Section:
    zone = result.submission_deadline.tzinfo
    as_of = labels.local_time(result.as_of, zone)
    period = labels.period_label(result.period)
    return Section(
        "",
        figures=[
            Figure(t("out.summary.period"), t("out.period_value", period=period)),
            Figure(t("out.summary.deadline"), labels.deadline_text(result.submission_deadline, zone)),
            Figure(
                t("out.summary.as_of"),
                t("out.at_time", time=as_of.strftime("%H:%M"), date=as_of.strftime("%d/%m/%Y")),
            ),
            Figure(t("out.summary.evaluation_date"), labels.format_date(result.evaluation_date)),
        ],
    )


def _state_name(state: str) -> str:
    return {
        "on_time": t("out.summary.units.on_time"),
        "late": t("out.summary.units.late"),
        "invalid": t("out.summary.units.invalid"),
        "missing": t("out.summary.units.missing"),
    }[state]


def _units(result: RunResult) -> Section:
    now = figures(result)
    section = Section(t("out.summary.units_heading"))
    section.figures.append(Figure(t("out.summary.expected"), str(now.expected)))
    section.figures += [
        Figure(_state_name(s), str(now.units[s]), labels.SUBMISSION_COLOURS[s]) for s in SUBMISSION_ORDER
    ]
    section.figures += [
        Figure(t("out.summary.on_time_rate"), _rate(now.on_time_rate), strong=True),
        Figure(t("out.summary.reporting_rate"), _rate(now.reporting_rate), strong=True),
    ]
    zone = result.submission_deadline.tzinfo
    by_state = {
        state: [u for u in ordered_units(result) if u.submission == state] for state in SUBMISSION_ORDER
    }
    for state in ("late", "missing", "invalid", "on_time"):  # what leadership acts on first
        units = by_state[state]
        if not units:
            continue
        lines = []
        for status in units[:LIST_LIMIT]:
            name = nfc(status.unit.name or status.unit.code)
            if state == "late":  # late from its first accepted file: name that one with its time
                first = status.first_received_at or status.received_at
                path = next((f.path for f in result.files if f.unit == status.unit.code and f.received_at == first
                             and f.outcome in ("accepted", "superseded")), status.file)  # fmt: skip
                received, file = labels.format_local(first, zone), (path or "").rsplit("/", 1)[-1]
                lines.append(t("mail.summary.late_unit", unit=name, received=received, file=file))
            else:
                lines.append(name)
        if len(units) > LIST_LIMIT:
            lines.append(t("mail.summary.more", count=len(units) - LIST_LIMIT))
        title = f"{_state_name(state)} ({len(units)})"
        section.items.append(Item(title, tuple(lines), labels.SUBMISSION_COLOURS[state]))
    return section


def _tasks(result: RunResult) -> Section:
    now = figures(result)
    section = Section(t("out.summary.tasks_heading", date=labels.format_date(result.evaluation_date)))
    section.figures = [
        Figure(labels.evaluation_label(key), str(now.tasks[key]), labels.EVALUATION_COLOURS[key])
        for key in labels.EVALUATION_DISPLAY_ORDER
    ]
    section.figures += [
        Figure(t("out.summary.total_tasks"), str(now.total_tasks)),
        Figure(t("out.summary.completion_rate"), _rate(now.completion_rate), strong=True),
    ]
    return section


def _overdue(result: RunResult) -> Section:
    overdue = [ev for ev in result.evaluations if ev.evaluation == "overdue"]
    section = Section(t("mail.summary.overdue_heading", count=len(overdue)))
    if not overdue:
        section.notes.append(t("mail.summary.overdue_none"))
        return section
    names = UnitNames(result)
    for ev in overdue[:LIST_LIMIT]:
        deadline = labels.format_date(ev.task.deadline) if ev.task.deadline else t("task.recurring_short")
        lines = (
            f"{t('out.col.lead')}: {nfc(names(ev.task.lead)) or '—'}",
            f"{t('out.col.deadline')}: {deadline}",
        )
        section.items.append(
            Item(f"{ev.task.code} — {_shorten(ev.task.content)}", lines, labels.EVALUATION_COLOURS["overdue"])
        )
    _more(section, LIST_LIMIT, len(overdue))
    return section


def _issues(result: RunResult) -> Section | None:
    """The difficulties and proposals reported for this period, by lead and supporting units."""
    names = UnitNames(result)
    reports = [ev.report for ev in result.evaluations if ev.reported_this_period and ev.report is not None]
    reports += [c for c in result.contributions if c.period == result.period]
    reports.sort(key=lambda report: natural_key(report.task))  # by task; the lead unit before supporters
    seen = set()
    items = []
    for report in reports:
        if report is None or not (report.difficulties.strip() or report.proposals.strip()):
            continue
        key = (report.task, report.unit, report.difficulties, report.proposals)
        if key in seen:
            continue
        seen.add(key)
        lines = []
        if report.difficulties.strip():
            lines.append(f"{t('out.col.difficulties')}: {_shorten(report.difficulties)}")
        if report.proposals.strip():
            lines.append(f"{t('out.col.proposals')}: {_shorten(report.proposals)}")
        items.append(Item(f"{report.task} — {nfc(names(report.unit))}", tuple(lines)))
    if not items:
        return None
    section = Section(t("mail.summary.issues_heading", count=len(items)), items=items[:LIST_LIMIT])
    _more(section, LIST_LIMIT, len(items))
    return section


def month_summary(result: RunResult, attachments: list[str]) -> MonthSummary:
    """What the leadership mail says, in order, for ``result`` with ``attachments`` (file names)."""
    period = labels.period_label(result.period)
    sections = [_head(result), _units(result), _tasks(result), _overdue(result)]
    issues = _issues(result)
    if issues is not None:
        sections.append(issues)
    footer = [t("mail.summary.attachments", files=", ".join(attachments))] if attachments else []
    footer.append(t("mail.summary.footer"))
    return MonthSummary(
        title=t("out.summary.title_full", plan=plan_short_name(result.plan), period=period),
        subtitle=t("out.summary.plan_line", id=result.plan.id, title=result.plan.title),
        sections=sections,
        footer=footer,
    )


# --- plain text -------------------------------------------------------------------------------------------


def summary_text(summary: MonthSummary) -> str:
    """The plain-text alternative: the same sections, one fact per line."""
    lines = [summary.title, summary.subtitle]
    for section in summary.sections:
        lines.append("")
        if section.heading:
            lines.append(section.heading)
        lines += [f"  {f.label}: {f.value}" for f in section.figures]
        for item in section.items:
            lines.append(f"- {item.title}")
            lines += [f"    {line}" for line in item.lines]
        lines += [f"  {note}" for note in section.notes]
    lines.append("")
    lines += summary.footer
    return "\n".join(lines) + "\n"


# --- HTML -------------------------------------------------------------------------------------------------


def _e(text: str) -> str:
    return html.escape(nfc(text), quote=True)


def _figures_html(rows: list[Figure]) -> str:
    cells = []
    for row in rows:
        dot = ""
        if row.colour:
            dot = (f'<span style="display:inline-block;width:10px;height:10px;margin-right:6px;'
                   f'border-radius:2px;background:#{row.colour[0]};border:1px solid #{row.colour[1]};"></span>')  # fmt: skip
        weight = "font-weight:bold;" if row.strong else ""
        cells.append(
            "<tr>"
            f'<td style="padding:6px 4px;border-bottom:1px solid #e5e7eb;vertical-align:top;{BREAK}{weight}">'
            f"{dot}{_e(row.label)}</td>"
            f'<td style="padding:6px 4px;border-bottom:1px solid #e5e7eb;vertical-align:top;text-align:right;'
            f'width:38%;{BREAK}{weight}">{_e(row.value)}</td>'
            "</tr>"
        )
    return (
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" '
        'style="width:100%;max-width:100%;border-collapse:collapse;table-layout:fixed;margin:4px 0 10px 0;">'
        + "".join(cells)
        + "</table>"
    )


def _item_html(item: Item) -> str:
    border = f"#{item.colour[1]}" if item.colour else "#9ca3af"
    background = f"#{item.colour[0]}" if item.colour else "#f9fafb"
    lines = "".join(f'<div style="margin-top:3px;{BREAK}">{_e(line)}</div>' for line in item.lines)
    return (
        f'<div style="margin:0 0 8px 0;padding:8px 10px;border-left:4px solid {border};'
        f'background:{background};{BREAK}">'
        f'<div style="font-weight:bold;{BREAK}">{_e(item.title)}</div>{lines}</div>'
    )


def summary_html(summary: MonthSummary, subject: str) -> str:
    """The HTML body: one column no wider than the screen, inline styles only."""
    parts = [
        f'<h1 style="font-size:19px;line-height:1.3;margin:0 0 6px 0;color:#1F4E78;{BREAK}">'
        f"{_e(summary.title)}</h1>",
        f'<p style="margin:0 0 12px 0;font-style:italic;color:#4b5563;{BREAK}">{_e(summary.subtitle)}</p>',
    ]
    for section in summary.sections:
        if section.heading:
            parts.append(
                f'<h2 style="font-size:16px;line-height:1.3;margin:16px 0 6px 0;color:#1F4E78;{BREAK}">'
                f"{_e(section.heading)}</h2>"
            )
        if section.figures:
            parts.append(_figures_html(section.figures))
        parts += [_item_html(item) for item in section.items]
        parts += [
            f'<p style="margin:4px 0;font-style:italic;{BREAK}">{_e(note)}</p>' for note in section.notes
        ]
    parts += [
        f'<p style="margin:14px 0 0 0;font-size:13px;color:#4b5563;{BREAK}">{_e(line)}</p>'
        for line in summary.footer
    ]
    body = "\n".join(parts)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{current_language()}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(subject)}</title></head>\n"
        '<body style="margin:0;padding:0;background:#f3f4f6;">\n'
        f'<div style="max-width:640px;margin:0 auto;padding:12px;box-sizing:border-box;background:#ffffff;'
        f'font-family:{FONT};font-size:15px;line-height:1.45;color:#111827;{BREAK}">\n'
        f"{body}\n</div>\n</body></html>\n"
    )
