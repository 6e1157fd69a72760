"""Write stage (SPEC §7): the ``Tóm tắt`` sheet, the one page of the consolidated workbook leadership reads.

One A4 portrait page (``fit_to_pages(1, 1)``), top to bottom: the title with the plan, the period, the
submission cut-off and the time the figures were taken; I. the units' submissions with the on-time and
reporting rates; II. the tasks per evaluation with the completion rate, beside a native bar chart of those
counts (coloured as the evaluation cells of the ``Tiến độ nhiệm vụ`` sheet); III. the overdue and missing
tasks with their lead units; IV. the units that have not reported; a column with the change against the
previous period ("Chưa có kỳ trước" when there is none). Lists are cut at a few rows (the page must stay
one page at 5,000 units) with a line saying how many more and which sheet has them all.

Rates (a zero denominator shows "—"):
- on-time rate = units on time ÷ units expected (every unit of the register);
- reporting rate = units that reported (on time or late) ÷ units expected;
- completion rate = tasks completed (on time or late) ÷ tasks that have a deadline. A purely recurring
  task (recurring, no deadline) is never "completed" (SPEC §6 rule 1), so it is left out of both; a
  recurring task with a deadline counts, since it has a date by which its first part must be done.
Changes: counts as ``+2``/``-1``, rates in percentage points.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from automation.domain.contract import plan_short_name
from automation.domain.model import EVALUATION_ORDER, SUBMISSION_ORDER, RunResult
from automation.i18n.messages import t
from automation.write import labels
from automation.write.run_report import ordered_units
from automation.write.xlsx_parts import FONT, Styles, UnitNames, page_setup, wrapped_lines

WIDTHS = (6, 36, 11, 14, 16, 16, 16)  # A: TT/code, B: label, C: count, D: change, E–G: chart / details
LIST_LIMIT = 10  # rows of section III and IV shown on the page; the rest are on the detail sheets
_LAST = len(WIDTHS) - 1
_LINE = 15.0  # points per line of 11 pt Times New Roman


@dataclass(frozen=True)
class Figures:
    """The counts and rates of one run (this one or the previous one)."""

    units: dict[str, int]
    tasks: dict[str, int]
    expected: int
    total_tasks: int
    completed: int
    completable: int

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
        return self.completed / self.completable if self.completable else None


def figures(result: RunResult) -> Figures:
    units = Counter(status.submission for status in result.units)
    tasks = Counter(ev.evaluation for ev in result.evaluations)
    return Figures(
        units={key: units.get(key, 0) for key in SUBMISSION_ORDER},
        tasks={key: tasks.get(key, 0) for key in EVALUATION_ORDER},
        expected=len(result.units),
        total_tasks=len(result.evaluations),
        completed=tasks.get("completed_on_time", 0) + tasks.get("completed_late", 0),
        completable=sum(1 for ev in result.evaluations if ev.task.deadline is not None),
    )


def _lines(text: str, width: float) -> int:
    # merged cells of a page scaled to fit wrap earlier than a plain column: count a little wider text
    return wrapped_lines(text, width * 0.85)


def _shorten(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: text.rfind(" ", 0, limit - 1) if " " in text[: limit - 1] else limit - 1] + "…"


class _Page:
    """Writes the sheet top to bottom, one row at a time, keeping the rows' heights for the chart's size."""

    def __init__(self, ws: Worksheet, styles: Styles) -> None:
        self.ws = ws
        self.st = styles
        self.row = 0
        self.heights: dict[int, float] = {}

    def height(self, row: int, points: float) -> None:
        self.heights[row] = points
        self.ws.set_row(row, points)

    def text(self, row: int, first: int, last: int, text: str, fmt: Format) -> None:
        """Text in A..G-style spans: merged when it covers several columns, always written as a string."""
        if last > first:
            self.ws.merge_range(row, first, row, last, "", fmt)
        self.ws.write_string(row, first, text, fmt)

    def line(self, text: str, fmt: Format, lines_width: float | None = None, size: float = 11) -> int:
        row = self.row
        self.text(row, 0, _LAST, text, fmt)
        width = lines_width if lines_width is not None else sum(WIDTHS)
        self.height(row, _lines(text, width * 11 / size) * _LINE * size / 11 + 3)
        self.row += 1
        return row

    def gap(self, points: float = 8) -> None:
        self.height(self.row, points)
        self.row += 1


def write_summary(
    workbook: Workbook, styles: Styles, result: RunResult, name: str, header: tuple[str, str]
) -> None:
    """Add the summary sheet ``name`` to ``workbook`` (first sheet, active, one printed page)."""
    ws = workbook.add_worksheet(name)
    ws.activate()
    ws.hide_gridlines(2)
    for col, width in enumerate(WIDTHS):
        ws.set_column(col, col, width)
    page = _Page(ws, styles)
    now = figures(result)
    before = figures(result.previous) if result.previous is not None else None
    _heading(page, result)
    units_top = page.row
    _units_block(page, now, before, result)
    page.gap()
    evals_first = _tasks_block(page, now, before, result)
    _chart(workbook, page, name, units_top, evals_first, page.row - 1)
    page.gap()
    _late_tasks(page, result)
    page.gap()
    _silent_units(page, result)
    page.gap()
    page.line(
        t("out.summary.rate_note"), styles(italic=True, font_size=9, text_wrap=True, valign="top"), size=9
    )
    page.line(
        t("out.summary.details_note"), styles(italic=True, font_size=9, text_wrap=True, valign="top"), size=9
    )
    page_setup(ws, *header, landscape=False)
    ws.center_horizontally()
    ws.fit_to_pages(1, 1)
    ws.print_area(0, 0, page.row - 1, _LAST)


def _heading(page: _Page, result: RunResult) -> None:
    st = page.st
    zone = result.submission_deadline.tzinfo
    period = labels.period_label(result.period)
    if result.plan.issuer:
        page.line(result.plan.issuer.upper(), st(bold=True, font_size=11))
    title = t("out.summary.title_full", plan=plan_short_name(result.plan), period=period)
    page.line(title, st(bold=True, font_size=14, align="center", valign="vcenter", text_wrap=True), size=14)
    plan_line = t("out.summary.plan_line", id=result.plan.id, title=result.plan.title)
    page.line(plan_line, st(italic=True, align="center", valign="top", text_wrap=True))
    page.gap(6)
    as_of = labels.local_time(result.as_of, zone)
    rows = [
        (t("out.summary.period"), t("out.period_value", period=period)),
        (t("out.summary.deadline"), labels.deadline_text(result.submission_deadline, zone)),
        (
            t("out.summary.as_of"),
            t("out.at_time", time=as_of.strftime("%H:%M"), date=as_of.strftime("%d/%m/%Y")),
        ),
        (t("out.summary.evaluation_date"), labels.format_date(result.evaluation_date)),
    ]
    for label, value in rows:
        page.text(page.row, 0, 1, label, st(bold=True))
        page.text(page.row, 2, _LAST, value, st())
        page.height(page.row, _LINE + 1)
        page.row += 1
    page.gap()


def _table_header(page: _Page, cells: list[tuple[int, int, str]]) -> None:
    fmt = page.st.header()
    for first, last, text in cells:
        page.text(page.row, first, last, text, fmt)
    page.height(page.row, 2 * _LINE + 2)
    page.row += 1


def _section(page: _Page, text: str) -> None:
    page.line(text, page.st(bold=True, font_size=12, font_color="#1F4E78"), WIDTHS[0] + WIDTHS[1] + 25, 12)


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
    page: _Page, heading: str, what: tuple[str, str], rows: list[_Figure], before: RunResult | None
) -> int:
    """A section of STT | label | value | change rows; returns the row of the first figure."""
    st = page.st
    _section(page, heading)
    change = (t("out.summary.col.change_from", period=labels.period_label(before.period)) if before
              else t("out.summary.col.change"))  # fmt: skip
    _table_header(
        page, [(0, 0, t("out.summary.col.index")), (1, 1, what[0]), (2, 2, what[1]), (3, 3, change)]
    )
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
        page.height(r, _LINE + 3)
        page.row += 1
    if before is None:
        fmt = st(cell, italic=True, font_color="#7F7F7F", text_wrap=True)
        page.ws.merge_range(first, 3, page.row - 1, 3, "", fmt)
        page.ws.write_string(first, 3, t("out.summary.no_previous"), fmt)
    return first


def _units_block(page: _Page, now: Figures, old: Figures | None, result: RunResult) -> None:
    rows = [_figure(t("out.summary.expected"), now.expected, old and old.expected)]
    rows += [_figure(t(f"out.summary.units.{key}"), now.units[key], old and old.units[key],
                     colour=labels.SUBMISSION_COLOURS[key]) for key in SUBMISSION_ORDER]  # fmt: skip
    rows += [
        _figure(t("out.summary.on_time_rate"), now.on_time_rate, old and old.on_time_rate, rate=True),
        _figure(t("out.summary.reporting_rate"), now.reporting_rate, old and old.reporting_rate, rate=True),
    ]
    what = (t("out.summary.col.indicator"), t("out.summary.col.count"))
    _figure_rows(page, t("out.summary.units_heading"), what, rows, result.previous)


def _tasks_block(page: _Page, now: Figures, old: Figures | None, result: RunResult) -> int:
    """Section II; returns the row of its first evaluation (the chart reads from there)."""
    rows = [_figure(labels.evaluation_label(key), now.tasks[key], old and old.tasks[key],
                    colour=labels.EVALUATION_COLOURS[key]) for key in labels.EVALUATION_DISPLAY_ORDER]  # fmt: skip
    rows += [
        _figure(t("out.summary.total_tasks"), now.total_tasks, old and old.total_tasks),
        _figure(
            t("out.summary.completion_rate"), now.completion_rate, old and old.completion_rate, rate=True
        ),
    ]
    heading = t("out.summary.tasks_heading", date=labels.format_date(result.evaluation_date))
    what = (t("out.summary.col.evaluation"), t("out.summary.col.tasks"))
    return _figure_rows(page, heading, what, rows, result.previous)


def _chart(workbook: Workbook, page: _Page, sheet: str, top: int, first: int, bottom: int) -> None:
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


def _late_tasks(page: _Page, result: RunResult) -> None:
    st = page.st
    chosen = [ev for ev in result.evaluations if ev.evaluation == "overdue" or "missing" in ev.flags]
    position = {value: i for i, value in enumerate(("overdue", "not_reported"))}
    chosen.sort(key=lambda ev: position.get(ev.evaluation, len(position)))
    _section(page, t("out.summary.late_heading", count=len(chosen)))
    if not chosen:
        page.line(t("out.summary.late_none"), st(italic=True))
        return
    _table_header(
        page,
        [
            (0, 0, t("out.col.task_code")),
            (1, 2, t("out.col.content")),
            (3, 4, t("out.col.lead")),
            (5, 5, t("out.col.deadline")),
            (6, 6, t("out.col.evaluation")),
        ],
    )
    cell = {"border": 1, "border_color": "#A6A6A6", "valign": "vcenter", "text_wrap": True}
    names = UnitNames(result)
    for ev in chosen[:LIST_LIMIT]:
        r = page.row
        content = _shorten(ev.task.content)
        lead = names(ev.task.lead)
        page.ws.write_string(r, 0, ev.task.code, st(cell, align="center"))
        page.text(r, 1, 2, content, st(cell))
        page.text(r, 3, 4, lead, st(cell))
        if ev.task.deadline is not None:
            page.ws.write_datetime(
                r, 5, ev.task.deadline, st(cell, align="center", num_format=labels.DATE_FORMAT)
            )
        else:
            page.ws.write_string(r, 5, t("task.recurring_short"), st(cell, align="center"))
        colour = labels.EVALUATION_COLOURS[ev.evaluation]
        page.ws.write_string(
            r,
            6,
            labels.evaluation_label(ev.evaluation),
            st(cell, align="center", bg_color="#" + colour[0], font_color="#" + colour[1]),
        )
        lines = max(
            _lines(content, WIDTHS[1] + WIDTHS[2]),
            _lines(lead, WIDTHS[3] + WIDTHS[4]),
            _lines(labels.evaluation_label(ev.evaluation), WIDTHS[6]),
        )
        page.height(r, lines * _LINE + 3)
        page.row += 1
    if len(chosen) > LIST_LIMIT:
        page.line(
            t("out.summary.more_tasks", count=len(chosen) - LIST_LIMIT),
            st(italic=True, font_size=10),
            size=10,
        )


def _silent_units(page: _Page, result: RunResult) -> None:
    st = page.st
    silent = [s for s in ordered_units(result) if s.submission in ("missing", "invalid")]
    _section(page, t("out.summary.silent_heading", count=len(silent)))
    if not silent:
        page.line(t("out.summary.silent_none"), st(italic=True))
        return
    _table_header(
        page,
        [
            (0, 0, t("out.summary.col.index")),
            (1, 1, t("out.col.unit_name")),
            (2, 3, t("out.col.submission")),
            (4, 6, t("out.summary.col.note")),
        ],
    )
    cell = {"border": 1, "border_color": "#A6A6A6", "valign": "vcenter", "text_wrap": True}
    sent = Counter(record.unit for record in result.files if record.unit)
    for index, status in enumerate(silent[:LIST_LIMIT], start=1):
        r = page.row
        colour = labels.SUBMISSION_COLOURS[status.submission]
        page.ws.write_number(r, 0, index, st(cell, align="center"))
        page.ws.write_string(r, 1, status.unit.name, st(cell))
        page.text(
            r,
            2,
            3,
            labels.submission_label(status.submission),
            st(cell, align="center", bg_color="#" + colour[0], font_color="#" + colour[1]),
        )
        note = (
            t("out.summary.invalid_note", count=sent.get(status.unit.code, 0))
            if status.submission == "invalid"
            else t("out.summary.missing_note")
        )
        page.text(r, 4, 6, note, st(cell))
        lines = max(_lines(status.unit.name, WIDTHS[1]), _lines(note, sum(WIDTHS[4:])))
        page.height(r, lines * _LINE + 3)
        page.row += 1
    if len(silent) > LIST_LIMIT:
        page.line(
            t("out.summary.more_units", count=len(silent) - LIST_LIMIT),
            st(italic=True, font_size=10),
            size=10,
        )
