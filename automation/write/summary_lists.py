"""Write stage (SPEC §7): the names on the ``Tóm tắt`` sheet, below its figures (``summary``).

III. the units that were late (with when their first accepted file came), sent no usable file, or sent
nothing; IV. the tasks to look at: overdue (deadline passed, not completed; tasks merely not reported yet,
whose deadline has not passed, are only named on one line after them), completed late, whose evaluation
changed since the previous period (from → to), and due next month (deadline in the month after the period,
not completed); V. the three most frequent difficulties and proposals of this period with their units.

Each list stops after a few names (``TASK_LIMIT``/``UNIT_LIMIT``/``TOP``) with "… và N … khác" and the
detail sheet that has them all, so the page stays one A4 page for a plan of 40 tasks and 15 units.
Difficulties and proposals are grouped when their texts are the same after folding case, accents, spacing
and punctuation (``fold``), or nearly the same (``difflib`` ratio ≥ ``NEAR``, among the most frequent
``_NEAR_POOL`` texts, so a month of thousands of rows stays cheap); the text shown is the group's most
frequent spelling.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from automation.domain.model import Evaluation, RunResult, TaskReport, UnitStatus
from automation.domain.text import clean_text, fold
from automation.i18n.messages import t, tn
from automation.write import labels
from automation.write.run_report import natural_key, ordered_evaluations, ordered_units
from automation.write.summary_page import CELL, LAST, LINE, WIDTHS, Page, lines, shorten, span
from automation.write.xlsx_parts import UnitNames

TASK_LIMIT = 3  # tasks named per list of section IV
UNIT_LIMIT = 6  # units named per row of section III
TOP = 3  # difficulties and proposals shown
NEAR = 0.9  # SequenceMatcher ratio from which two folded texts are one difficulty
_NEAR_POOL = 200
SMALL: dict[str, object] = {**CELL, "font_size": 10}  # the lists' rows
COMPLETED = ("completed_on_time", "completed_late")
SHEET_ALERTS, SHEET_UNITS, SHEET_TREND, SHEET_ISSUES = "Cảnh báo", "Đơn vị", "Xu hướng", "Khó khăn - Đề xuất"


def write_lists(page: Page, result: RunResult) -> None:
    """Sections III, IV and V of the summary, from ``page.row`` down."""
    _units(page, result)
    page.gap()
    _tasks(page, result)
    page.gap()
    _issues(page, result)


# --- III. units ---------------------------------------------------------------------------------------


def _units(page: Page, result: RunResult) -> None:
    st = page.st
    zone = result.submission_deadline.tzinfo
    by_status: dict[str, list[UnitStatus]] = {"late": [], "invalid": [], "missing": []}
    for status in ordered_units(result):
        if status.submission in by_status:
            by_status[status.submission].append(status)
    total = sum(len(v) for v in by_status.values())
    page.section(t("out.summary.units_named_heading", count=total))
    if not total:
        page.line(t("out.summary.units_named_none"), st(italic=True))
        return
    page.header([(0, 1, t("out.col.submission")), (2, LAST, t("out.summary.col.units"))], rows=1)
    sent = Counter(record.unit for record in result.files if record.unit)
    for key, statuses in by_status.items():
        if not statuses:
            continue
        names = []
        for status in statuses[:UNIT_LIMIT]:
            if key == "late":
                moment = status.first_received_at or status.received_at
                when = labels.local_time(moment, zone).strftime("%H:%M %d/%m") if moment else ""
                names.append(t("out.summary.late_unit", unit=status.unit.name, time=when))
            elif key == "invalid":
                files = sent.get(status.unit.code, 0)
                names.append(t("out.summary.invalid_unit", unit=status.unit.name,
                               files=tn("count.file", "count.files", files, count=files)))  # fmt: skip
            else:
                names.append(status.unit.name)
        text = "; ".join(names)
        if len(statuses) > UNIT_LIMIT:
            more = len(statuses) - UNIT_LIMIT
            text += "; " + t("out.summary.more_units", count=more)
        colour = labels.SUBMISSION_COLOURS[key]
        label = f"{labels.submission_label(key)} ({len(statuses)})"
        r = page.row
        page.text(r, 0, 1, label, st(CELL, bold=True, bg_color="#" + colour[0], font_color="#" + colour[1]))
        page.text(r, 2, LAST, text, st(CELL, valign="top"))
        page.height(r, max(lines(label, span(0, 1)), lines(text, span(2, LAST))) * LINE + 3)
        page.row += 1


# --- IV. tasks ----------------------------------------------------------------------------------------


@dataclass
class _TaskList:
    title: str
    right: tuple[str, str]  # the headers of columns F and G
    rows: list[tuple[Evaluation, object, object]]  # the task, then the values of F and G
    more: str = ""  # the sheet that has them all
    after: list[str] = field(default_factory=list)  # lines under the list


def task_lists(result: RunResult) -> list[_TaskList]:
    """The four lists of section IV, each in the order a reader looks at it."""
    evaluations = ordered_evaluations(result)
    order = {id(ev): i for i, ev in enumerate(evaluations)}
    overdue = [ev for ev in evaluations if _overdue(ev)]
    overdue.sort(key=lambda ev: (ev.task.deadline or dt.date.max, order[id(ev)]))
    waiting = [ev for ev in evaluations if ev.evaluation == "not_reported" and not _overdue(ev)]
    late = [ev for ev in evaluations if ev.evaluation == "completed_late"]
    deadline_col = t("out.col.deadline")
    first = _TaskList(
        t("out.summary.list.overdue", count=len(overdue)),
        (deadline_col, t("out.col.evaluation")),
        [(ev, ev.task.deadline, ev) for ev in overdue],
        SHEET_ALERTS,
    )
    if waiting:
        codes = ", ".join(ev.task.code for ev in waiting)
        first.after.append(t("out.summary.list.waiting", count=len(waiting), codes=codes))
    lists = [
        first,
        _TaskList(
            t("out.summary.list.completed_late", count=len(late)),
            (deadline_col, t("out.col.completed_on")),
            [(ev, ev.task.deadline, _completed_on(ev)) for ev in late],
            SHEET_ALERTS,
        ),
    ]
    previous = result.previous
    if previous is not None:
        before = {ev.task.code: ev.evaluation for ev in previous.evaluations}
        changed = [ev for ev in evaluations if before.get(ev.task.code, ev.evaluation) != ev.evaluation]
        old = labels.period_label(previous.period)
        lists.append(_TaskList(
            t("out.summary.list.changed", count=len(changed), period=old),
            (t("out.summary.col.in_period", period=old),
             t("out.summary.col.in_period", period=labels.period_label(result.period))),
            [(ev, before[ev.task.code], ev) for ev in changed],
            SHEET_TREND,
        ))  # fmt: skip
    start, end = _next_month(result.period)
    coming = [ev for ev in evaluations if ev.task.deadline and start <= ev.task.deadline <= end
              and ev.evaluation not in COMPLETED]  # fmt: skip
    coming.sort(key=lambda ev: (ev.task.deadline, order[id(ev)]))
    lists.append(_TaskList(
        t("out.summary.list.next_month", count=len(coming), month=start.strftime("%m/%Y")),
        (deadline_col, t("out.summary.col.now")),
        [(ev, ev.task.deadline, ev) for ev in coming],
        SHEET_ALERTS,
    ))  # fmt: skip
    return lists


def _completed_on(ev: Evaluation) -> dt.date | None:
    """The completion date, else the day the report came (as the ``Cảnh báo`` sheet says it)."""
    report = ev.report
    if report is None:
        return None
    return report.completed_on or (report.received_at.date() if report.received_at else None)


def _overdue(ev: Evaluation) -> bool:
    """Deadline passed, not completed: evaluated overdue, or not reported after the deadline."""
    return ev.evaluation == "overdue" or (ev.evaluation == "not_reported" and "late" in ev.flags)


def _next_month(period: str) -> tuple[dt.date, dt.date]:
    year, month = int(period[:4]), int(period[5:7])
    start = dt.date(year + month // 12, month % 12 + 1, 1)
    after = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return start, after - dt.timedelta(days=1)


def _tasks(page: Page, result: RunResult) -> None:
    st = page.st
    page.section(t("out.summary.tasks_named_heading"))
    names = UnitNames(result)
    head = st(CELL, bold=True, bg_color="#D9E1F2", align="center")
    for index, group in enumerate(task_lists(result)):
        title = f"{chr(ord('a') + index)}) {group.title}"
        r = page.row
        if not group.rows:
            page.text(
                r, 0, LAST, title + " " + t("out.summary.list.none"), st(CELL, bold=True, bg_color="#F2F2F2")
            )
            page.height(r, LINE + 3)
            page.row += 1
        else:
            page.text(r, 0, 4, title, st(CELL, bold=True, bg_color="#D9E1F2"))
            page.text(r, 5, 5, group.right[0], head)
            page.text(r, 6, 6, group.right[1], head)
            page.height(
                r, max(lines(title, span(0, 4)), *(lines(h, WIDTHS[5]) for h in group.right)) * LINE + 3
            )
            page.row += 1
            for ev, left, right in group.rows[:TASK_LIMIT]:
                _task_row(page, ev, left, right, names(ev.task.lead))
            if len(group.rows) > TASK_LIMIT:
                page.note(t("out.summary.more_tasks", count=len(group.rows) - TASK_LIMIT, sheet=group.more))
        for text in group.after:
            page.note(text)


def _task_row(page: Page, ev: Evaluation, left: object, right: object, lead: str) -> None:
    """One task of a list, in 10 pt: code, content (cut to two lines), lead unit, then columns F and G: a
    date, an evaluation (coloured) or, for a change, the previous evaluation's key."""
    st = page.st
    r = page.row
    content = shorten(ev.task.content, 90)
    page.ws.write_string(r, 0, ev.task.code, st(SMALL, align="center"))
    page.text(r, 1, 2, content, st(SMALL))
    page.text(r, 3, 4, lead, st(SMALL))
    shown = []
    for col, value in ((5, left), (6, right)):
        if isinstance(value, Evaluation | str):
            key = value.evaluation if isinstance(value, Evaluation) else value
            colour = labels.EVALUATION_COLOURS[key]
            text = labels.evaluation_label(key)
            page.ws.write_string(r, col, text, st(SMALL, align="center", bg_color="#" + colour[0],
                                                  font_color="#" + colour[1]))  # fmt: skip
            shown.append(text)
        elif isinstance(value, dt.date):
            page.ws.write_datetime(r, col, value, st(SMALL, align="center", num_format=labels.DATE_FORMAT))
        elif col == 5 and ev.task.recurring:
            page.ws.write_string(r, col, t("task.recurring_short"), st(SMALL, align="center"))
        else:
            page.ws.write_blank(r, col, None, st(SMALL))
    count = max(lines(content, span(1, 2), 10), lines(lead, span(3, 4), 10),
                *(lines(text, WIDTHS[5], 10) for text in shown))  # fmt: skip
    page.height(r, count * LINE * 10 / 11 + 3)
    page.row += 1


# --- V. difficulties and proposals ---------------------------------------------------------------------


@dataclass
class Issue:
    """One difficulty or proposal as many units wrote it: the text shown, how often, by which units."""

    text: str
    count: int
    units: list[str]


def frequent(reports: list[TaskReport], what: str, unit_order: dict[str, int], top: int = TOP) -> list[Issue]:
    """The ``top`` most frequent texts of ``what`` (``difficulties`` or ``proposals``) in ``reports``."""
    groups: dict[str, list[TaskReport]] = {}
    for report in reports:
        text = clean_text(getattr(report, what))
        key = fold(text)
        if key:
            groups.setdefault(key, []).append(report)
    ranked = sorted(groups, key=lambda k: (-len(groups[k]), k))
    pool, rest = ranked[:_NEAR_POOL], ranked[_NEAR_POOL:]
    merged: dict[str, list[TaskReport]] = {}
    for key in pool:  # most frequent first: a rarer spelling joins the group it nearly repeats
        home = next((k for k in merged if _near(k, key)), key)
        merged.setdefault(home, []).extend(groups[key])
    for key in rest:
        merged[key] = groups[key]
    issues = []
    for members in merged.values():
        spellings = Counter(clean_text(getattr(r, what)) for r in members)
        # the way most units wrote it, preferring a spelling with its accents and a capital letter
        text = min(spellings, key=lambda s: (s.isascii(), not s[:1].isupper(), -spellings[s], len(s), s))
        codes = sorted({r.unit for r in members}, key=lambda c: (unit_order.get(c, len(unit_order)), c))
        issues.append(Issue(text, len(members), codes))
    issues.sort(key=lambda i: (-i.count, -len(i.units), fold(i.text), i.text))
    return issues[:top]


def _near(a: str, b: str) -> bool:
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    return matcher.real_quick_ratio() >= NEAR and matcher.quick_ratio() >= NEAR and matcher.ratio() >= NEAR


def period_reports(result: RunResult) -> list[TaskReport]:
    """This period's rows (lead and Phối hợp) with a difficulty or a proposal, in plan then register order;
    a report carried forward from an earlier period is not this month's word."""
    tasks = {task.code: i for i, task in enumerate(result.plan.tasks)}
    units = {unit.code: i for i, unit in enumerate(result.plan.units)}
    reports = [ev.report for ev in result.evaluations if ev.reported_this_period and ev.report is not None]
    reports += list(result.contributions)
    chosen = [r for r in reports if (r.difficulties or r.proposals) and r.period == result.period]
    return sorted(chosen, key=lambda r: (tasks.get(r.task, len(tasks)), natural_key(r.task), r.role != "lead",
                                         units.get(r.unit, len(units)), r.unit, r.file, r.row or 0))  # fmt: skip


def _issues(page: Page, result: RunResult) -> None:
    st = page.st
    page.section(t("out.summary.issues_heading"))
    reports = period_reports(result)
    order = {unit.code: i for i, unit in enumerate(result.plan.units)}
    names = UnitNames(result)
    head = st(CELL, bold=True, bg_color="#D9E1F2", align="center")
    for what, title in (("difficulties", t("out.col.difficulties")), ("proposals", t("out.col.proposals"))):
        found = frequent(reports, what, order)
        r = page.row
        if not found:
            none = t("out.summary.issues_none")
            page.text(r, 0, LAST, f"{title}: {none}", st(CELL, bold=True, bg_color="#F2F2F2"))
            page.height(r, LINE + 3)
            page.row += 1
            continue
        page.text(r, 0, 2, title, st(CELL, bold=True, bg_color="#D9E1F2"))
        page.text(r, 3, 3, t("out.summary.col.times"), head)
        page.text(r, 4, 6, t("out.summary.col.units"), head)
        page.height(r, LINE + 3)
        page.row += 1
        for rank, issue in enumerate(found, start=1):
            r = page.row
            text = shorten(issue.text, 100)
            who = ", ".join(names(code) for code in issue.units[:2])
            if len(issue.units) > 2:
                who += " " + t("out.summary.more_units_short", count=len(issue.units) - 2)
            page.ws.write_number(r, 0, rank, st(SMALL, align="center"))
            page.text(r, 1, 2, text, st(SMALL))
            page.ws.write_number(r, 3, issue.count, st(SMALL, align="center"))
            page.text(r, 4, 6, who, st(SMALL))
            count = max(lines(text, span(1, 2), 10), lines(who, span(4, 6), 10))
            page.height(r, count * LINE * 10 / 11 + 3)
            page.row += 1
    _extensions(page, result)
    if reports:
        page.note(t("out.summary.issues_note", sheet=SHEET_ISSUES))


def _extensions(page: Page, result: RunResult) -> None:
    """The deadline extensions the units ask for this period (SPEC §15): task, unit, date asked, reason."""
    st = page.st
    names = UnitNames(result)
    tasks = {task.code: i for i, task in enumerate(result.plan.tasks)}
    reports = [ev.report for ev in result.evaluations if ev.reported_this_period and ev.report is not None]
    reports += list(result.contributions)
    asked = sorted(
        (r for r in reports if r.extension_to is not None and r.period == result.period),
        key=lambda r: (tasks.get(r.task, len(tasks)), natural_key(r.task), r.role != "lead", r.unit),
    )
    if not asked:
        return
    r = page.row
    page.text(r, 0, LAST, t("out.summary.extensions_heading", count=len(asked)), st(CELL, bold=True,
              bg_color="#D9E1F2"))  # fmt: skip
    page.height(r, LINE + 3)
    page.row += 1
    for report in asked:
        r = page.row
        what = t(
            "out.summary.extension_row",
            task=report.task,
            unit=names(report.unit),
            date=labels.format_date(report.extension_to),
            reason=shorten(report.proposals, 100) if report.proposals else t("out.alert.extension_no_reason"),
        )
        page.text(r, 0, LAST, what, st(SMALL))
        page.height(r, lines(what, span(0, LAST), 10) * LINE * 10 / 11 + 3)
        page.row += 1
