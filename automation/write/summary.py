"""Write stage (SPEC §7): the ``Tóm tắt`` sheet, the one page of the consolidated workbook leadership reads.

One A4 portrait page (``fit_to_pages(1, 1)``), top to bottom: the title with the plan, the period, the
submission cut-off and the time the figures were taken; I. the units' submissions with the on-time and
reporting rates; II. the tasks per evaluation with the completion rate and its definition, beside a native
bar chart of those counts (coloured as the evaluation cells of the ``Tiến độ nhiệm vụ`` sheet); then the
names (``summary_lists``): III. the late, invalid and missing units; IV. the overdue tasks, the tasks
completed late, the tasks whose evaluation changed since the previous period and next month's deadlines;
V. the most frequent difficulties and proposals. The figures have a column with the change against the
previous period ("Chưa có kỳ trước" when there is none). Lists are cut at a few rows (the page must stay
one page, also at 5,000 units) with a line saying how many more and which sheet has them all.

Rates (a zero denominator shows "—"):
- on-time rate = units on time ÷ units expected (every unit of the register);
- reporting rate = units that reported (on time or late) ÷ units expected;
- completion rate = tasks already due that are completed (on time or late) ÷ tasks already due, a task
  being due when its deadline is on or before the evaluation date. A task not yet due does not count,
  completed or not: the rate says how much of what should be done by now is done. A purely recurring task
  (no deadline) is never due.
Changes: counts as ``+2``/``-1``, rates in percentage points.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from xlsxwriter.workbook import Workbook

from automation.domain.contract import plan_short_name
from automation.domain.model import EVALUATION_ORDER, SUBMISSION_ORDER, RunResult
from automation.i18n.messages import t
from automation.write import labels
from automation.write.summary_lists import COMPLETED, write_lists
from automation.write.summary_page import LAST, LINE, WIDTHS, Page, lines, shorten, span
from automation.write.xlsx_parts import FONT, Styles, page_setup


@dataclass(frozen=True)
class Figures:
    """The counts and rates of one run (this one or the previous one)."""

    units: dict[str, int]
    tasks: dict[str, int]
    expected: int
    total_tasks: int
    completed: int  # tasks already due and completed
    due: int  # tasks already due (deadline on or before the evaluation date)

    @property
    def reported(self) -> int:
        return self.units["on_time"] + self.units["late"]

    @property
    def on_time_rate(self) -> float | None:
        return self.units["on_time"] / self.expected if self.expected else None

    @property
    def reporting_rate(self) -> float | None:
        return self.reported / self.expected if self.expected else None

    @property
    def completion_rate(self) -> float | None:
        return self.completed / self.due if self.due else None


def completion(tasks: Iterable[tuple[dt.date | None, str]], on: dt.date) -> tuple[int, int]:
    """(completed, due) of ``tasks`` given as (deadline, evaluation): the terms of the completion rate."""
    completed = due = 0
    for deadline, evaluation in tasks:
        if deadline is not None and deadline <= on:
            due += 1
            completed += evaluation in COMPLETED
    return completed, due


def figures(result: RunResult) -> Figures:
    units = Counter(status.submission for status in result.units)
    tasks = Counter(ev.evaluation for ev in result.evaluations)
    completed, due = completion(
        ((ev.task.deadline, ev.evaluation) for ev in result.evaluations), result.evaluation_date
    )
    return Figures(
        units={key: units.get(key, 0) for key in SUBMISSION_ORDER},
        tasks={key: tasks.get(key, 0) for key in EVALUATION_ORDER},
        expected=len(result.units),
        total_tasks=len(result.evaluations),
        completed=completed,
        due=due,
    )


def write_summary(
    workbook: Workbook, styles: Styles, result: RunResult, name: str, header: tuple[str, str]
) -> None:
    """Add the summary sheet ``name`` to ``workbook`` (first sheet, active, one printed page)."""
    ws = workbook.add_worksheet(name)
    ws.activate()
    ws.hide_gridlines(2)
    for col, width in enumerate(WIDTHS):
        ws.set_column(col, col, width)
    page = Page(ws, styles)
    now = figures(result)
    before = figures(result.previous) if result.previous is not None else None
    _heading(page, result)
    units_top = page.row
    _units_block(page, now, before, result)
    page.gap()
    evals_first = _tasks_block(page, now, before, result)
    _chart(workbook, page, name, units_top, evals_first, page.row - 1)
    page.note(t("out.summary.rate_note"))
    page.gap()
    write_lists(page, result)
    page.gap()
    page.note(t("out.summary.details_note"))
    page_setup(ws, *header, landscape=False)
    ws.center_horizontally()
    ws.fit_to_pages(1, 1)
    ws.print_area(0, 0, page.row - 1, LAST)


def _heading(page: Page, result: RunResult) -> None:
    st = page.st
    zone = result.submission_deadline.tzinfo
    period = labels.period_label(result.period)
    if result.plan.issuer:
        page.line(result.plan.issuer.upper(), st(bold=True, font_size=11))
    title = t("out.summary.title_full", plan=plan_short_name(result.plan), period=period)
    page.line(title, st(bold=True, font_size=14, align="center", valign="vcenter", text_wrap=True), size=14)
    plan_line = t("out.summary.plan_line", id=result.plan.id, title=shorten(result.plan.title, 150))
    page.line(plan_line, st(italic=True, align="center", valign="top", text_wrap=True))
    page.gap(6)
    as_of = labels.local_time(result.as_of, zone)
    at_time = t("out.at_time", time=as_of.strftime("%H:%M"), date=as_of.strftime("%d/%m/%Y"))
    pairs = [  # two label-value pairs a row: (A:B, C:D) and (E, F:G)
        (t("out.summary.period"), t("out.period_value", period=period),
         t("out.summary.deadline"), labels.deadline_text(result.submission_deadline, zone)),
        (t("out.summary.evaluation_date"), labels.format_date(result.evaluation_date),
         t("out.summary.as_of"), at_time),
    ]  # fmt: skip
    for label, value, label2, value2 in pairs:
        wrapped = st(bold=True, text_wrap=True, valign="top")
        page.text(page.row, 0, 1, label, wrapped)
        page.text(page.row, 2, 3, value, st(valign="top"))
        page.text(page.row, 4, 4, label2, wrapped)
        page.text(page.row, 5, LAST, value2, st(valign="top"))
        page.height(page.row, max(lines(label, span(0, 1)), lines(label2, span(4, 4))) * LINE + 1)
        page.row += 1
    page.gap()


@dataclass(frozen=True)
class _Figure:
    """One row of sections I and II: the label, this period's value and the change (None: not computable)."""

    label: str
    value: float | None
    change: float | None
    rate: bool = False
    colour: tuple[str, str] | None = None


def _figure(label: str, now: float | None, before: float | None, rate: bool = False,
            colour: tuple[str, str] | None = None) -> _Figure:  # fmt: skip
    change = None
    if now is not None and before is not None:
        change = round((now - before) * 100, 1) if rate else now - before
    return _Figure(label, now, change, rate, colour)


def _figure_rows(
    page: Page, heading: str, what: tuple[str, str], rows: list[_Figure], before: RunResult | None
) -> int:
    """A section of STT | label | value | change rows; returns the row of the first figure."""
    st = page.st
    page.section(heading)
    change = (t("out.summary.col.change_from", period=labels.period_label(before.period)) if before
              else t("out.summary.col.change"))  # fmt: skip
    page.header([(0, 0, t("out.summary.col.index")), (1, 1, what[0]), (2, 2, what[1]), (3, 3, change)])
    cell = {"border": 1, "border_color": "#A6A6A6", "valign": "vcenter", "align": "center"}
    points = t("out.summary.points")
    first = page.row
    for index, row in enumerate(rows, start=1):
        r = page.row
        page.ws.write_number(r, 0, index, st(cell))
        colours = {"bg_color": "#" + row.colour[0], "font_color": "#" + row.colour[1]} if row.colour else {}
        page.ws.write_string(r, 1, row.label, st(cell, colours, align="left", bold=row.rate))
        if row.value is None:
            page.ws.write_string(r, 2, "—", st(cell))
        else:
            page.ws.write_number(
                r, 2, row.value, st(cell, num_format="0.0%" if row.rate else "0", bold=row.rate)
            )
        if before is not None and row.change is None:
            page.ws.write_string(r, 3, "—", st(cell))
        elif before is not None:
            change_format = f'+0.0" {points}";-0.0" {points}";0.0" {points}"' if row.rate else "+0;-0;0"
            page.ws.write_number(r, 3, row.change, st(cell, num_format=change_format))
        page.height(r, LINE + 1)
        page.row += 1
    if before is None:
        fmt = st(cell, italic=True, font_color="#7F7F7F", text_wrap=True)
        page.ws.merge_range(first, 3, page.row - 1, 3, "", fmt)
        page.ws.write_string(first, 3, t("out.summary.no_previous"), fmt)
    return first


def _units_block(page: Page, now: Figures, old: Figures | None, result: RunResult) -> None:
    rows = [_figure(t("out.summary.expected"), now.expected, old.expected if old else None)]
    names = {
        "on_time": t("out.summary.units.on_time"),
        "late": t("out.summary.units.late"),
        "invalid": t("out.summary.units.invalid"),
        "missing": t("out.summary.units.missing"),
    }
    rows += [_figure(names[key], now.units[key], old.units[key] if old else None,
                     colour=labels.SUBMISSION_COLOURS[key]) for key in SUBMISSION_ORDER]  # fmt: skip
    rows += [
        _figure(
            t("out.summary.on_time_rate"), now.on_time_rate, old.on_time_rate if old else None, rate=True
        ),
        _figure(
            t("out.summary.reporting_rate"),
            now.reporting_rate,
            old.reporting_rate if old else None,
            rate=True,
        ),
    ]
    what = (t("out.summary.col.indicator"), t("out.summary.col.count"))
    _figure_rows(page, t("out.summary.units_heading"), what, rows, result.previous)


def _tasks_block(page: Page, now: Figures, old: Figures | None, result: RunResult) -> int:
    """Section II; returns the row of its first evaluation (the chart reads from there)."""
    rows = [_figure(labels.evaluation_label(key), now.tasks[key], old.tasks[key] if old else None,
                    colour=labels.EVALUATION_COLOURS[key]) for key in labels.EVALUATION_DISPLAY_ORDER]  # fmt: skip
    rows += [
        _figure(t("out.summary.total_tasks"), now.total_tasks, old.total_tasks if old else None),
        _figure(t("out.summary.due_tasks"), now.due, old.due if old else None),
        _figure(
            t("out.summary.completion_rate"),
            now.completion_rate,
            old.completion_rate if old else None,
            rate=True,
        ),
    ]
    heading = t("out.summary.tasks_heading", date=labels.format_date(result.evaluation_date))
    what = (t("out.summary.col.evaluation"), t("out.summary.col.tasks"))
    return _figure_rows(page, heading, what, rows, result.previous)


def _chart(workbook: Workbook, page: Page, sheet: str, top: int, first: int, bottom: int) -> None:
    """A bar chart of the task evaluations beside sections I and II, reading the counts cells."""
    count = len(labels.EVALUATION_DISPLAY_ORDER)
    chart = workbook.add_chart({"type": "bar"})
    font = {"name": FONT, "size": 9}
    chart.add_series({
        "name": t("out.summary.chart_series"),
        "categories": [sheet, first, 1, first + count - 1, 1],
        "values": [sheet, first, 2, first + count - 1, 2],
        "points": [{"fill": {"color": "#" + labels.EVALUATION_COLOURS[key][0]},
                    "border": {"color": "#" + labels.EVALUATION_COLOURS[key][1]}}
                   for key in labels.EVALUATION_DISPLAY_ORDER],
        "data_labels": {"value": True, "font": {"name": FONT, "size": 9, "bold": True}},
        "gap": 40,
    })  # fmt: skip
    chart.set_title(
        {"name": t("out.summary.chart_title"), "name_font": {"name": FONT, "size": 11, "bold": True}}
    )
    chart.set_legend({"none": True})
    chart.set_y_axis({"reverse": True, "num_font": font})
    # every bar carries its value: the value axis would only repeat it (and crowds at large counts)
    chart.set_x_axis({"visible": False, "min": 0, "major_gridlines": {"visible": False}})
    chart.set_chartarea({"border": {"color": "#A6A6A6"}})
    width = sum(int(w * 7 + 5) for w in WIDTHS[4:]) - 10
    height = sum(page.heights.get(r, 15) * 4 / 3 for r in range(top, bottom + 1)) - 4
    chart.set_size({"width": int(width), "height": int(height)})
    page.ws.insert_chart(top, 4, chart, {"x_offset": 8, "y_offset": 2, "object_position": 3})
