"""Write stage (SPEC §7): the ``Xu hướng`` sheet, the plan over every period collected up to this one.

Built from the run reports of the earlier periods (``RunResult.history``: the latest finished run of each
period, as the ledger keeps them) and this run, keeping only the periods of this plan (same plan id). Top to
bottom, with the periods as columns from C:

1. per period: tasks already due, of them completed, the completion rate (the summary's definition:
   completed ÷ due, due = deadline on or before that period's evaluation date), units expected, of them on
   time, the on-time rate; a line chart of the two rates;
2. tasks × periods: each task's evaluation, coloured as on ``Tiến độ nhiệm vụ`` (blank: not in the plan
   then);
3. units × periods: each unit's submission, then its periods on time and its on-time rate = periods on
   time ÷ periods the unit was expected (in the register): the figure the emulation ranking ("thi đua")
   starts from.

The pivots are two dictionaries (code → period → value): a few dozen tasks over a few dozen periods need no
data-frame library, and importing pandas would cost each collect about a second. Same inputs, same sheet:
rows follow the plan (tasks and units no longer in it come last, by code), columns the periods in order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from automation.domain.model import RunResult
from automation.i18n.messages import t
from automation.write import labels
from automation.write.run_report import natural_key, ordered_evaluations, ordered_units
from automation.write.summary import completion
from automation.write.xlsx_parts import FONT, Styles, page_setup, print_legibly, row_height, wrapped_lines

PERIOD_WIDTH = 15
KEY_WIDTHS = (10, 40)  # A: code, B: content or name
_BORDER = {"border": 1, "border_color": "#A6A6A6", "valign": "vcenter", "text_wrap": True}


@dataclass
class Trend:
    """The sheet's three tables, as plain values."""

    periods: list[str]
    rates: list[tuple[str, list[float | int | None], bool]]  # label, one value per period, is a rate
    tasks: list[tuple[str, str, list[str | None]]]  # code, content, evaluation per period
    units: list[
        tuple[str, str, list[str | None], int, float | None]
    ]  # code, name, submissions, on time, rate


def snapshot(result: RunResult) -> dict[str, Any]:
    """This run in the shape of a run report, as far as the trend reads one."""
    return {
        "period": result.period,
        "evaluation_date": result.evaluation_date.isoformat(),
        "plan": {"id": result.plan.id},
        "units": [
            {"code": s.unit.code, "name": s.unit.name, "submission": s.submission}
            for s in ordered_units(result)
        ],
        "tasks": [
            {
                "code": ev.task.code,
                "deadline": ev.task.deadline.isoformat() if ev.task.deadline else None,
                "evaluation": ev.evaluation,
            }
            for ev in ordered_evaluations(result)
        ],
    }


def trend_tables(result: RunResult) -> Trend:
    """The trend of ``result``'s plan over its earlier periods (``result.history``) and this one."""
    reports = [
        r
        for r in result.history
        if r.get("period", "") < result.period and r.get("plan", {}).get("id") == result.plan.id
    ]
    reports.append(snapshot(result))
    periods = [r["period"] for r in reports]
    task_grid = _pivot(reports, "tasks", "evaluation")
    unit_grid = _pivot(reports, "units", "submission")
    task_order = _order([task.code for task in result.plan.tasks], task_grid)
    unit_order = _order([unit.code for unit in result.plan.units], unit_grid)
    on_time = {code: sum(v == "on_time" for v in unit_grid[code].values()) for code in unit_order}
    expected = {code: len(unit_grid[code]) for code in unit_order}

    due_row: list[float | int | None] = []
    done_row: list[float | int | None] = []
    expected_row: list[float | int | None] = []
    on_time_row: list[float | int | None] = []
    for r in reports:
        on = dt.date.fromisoformat(r["evaluation_date"])
        done, due = completion(((_date(x.get("deadline")), x["evaluation"]) for x in r.get("tasks", ())), on)
        due_row.append(due)
        done_row.append(done)
        expected_row.append(len(r.get("units", ())))
        on_time_row.append(sum(u["submission"] == "on_time" for u in r.get("units", ())))
    rates: list[tuple[str, list[float | int | None], bool]] = [
        (t("out.summary.due_tasks"), due_row, False),
        (t("out.trend.completed"), done_row, False),
        (t("out.summary.completion_rate"), _ratios(done_row, due_row), True),
        (t("out.summary.expected"), expected_row, False),
        (t("out.summary.units.on_time"), on_time_row, False),
        (t("out.summary.on_time_rate"), _ratios(on_time_row, expected_row), True),
    ]
    contents = {task.code: task.content for task in result.plan.tasks}
    names = {u["code"]: u.get("name", u["code"]) for r in reports for u in r.get("units", ())}
    names.update({unit.code: unit.name for unit in result.plan.units})
    return Trend(
        periods=periods,
        rates=rates,
        tasks=[(code, contents.get(code, ""), _row(task_grid[code], periods)) for code in task_order],
        units=[
            (
                code,
                names.get(code, code),
                _row(unit_grid[code], periods),
                on_time[code],
                on_time[code] / expected[code] if expected[code] else None,
            )
            for code in unit_order
        ],
    )


def _order(plan_codes: list[str], found: Any) -> list[str]:
    """The plan's codes that occur, in plan order, then the others by code."""
    present = set(found)
    known = [code for code in plan_codes if code in present]
    return known + sorted(present - set(known), key=natural_key)


def _pivot(reports: list[dict[str, Any]], kind: str, value: str) -> dict[str, dict[str, str]]:
    """code → period → value (a task's evaluation, a unit's submission); the last entry of a period wins."""
    grid: dict[str, dict[str, str]] = {}
    for report in reports:
        for entry in report.get(kind, ()):
            grid.setdefault(entry["code"], {})[report["period"]] = entry[value]
    return grid


def _row(values: dict[str, str], periods: list[str]) -> list[str | None]:
    """One row of a pivot, a cell per period (None: not in the plan then)."""
    return [values.get(period) for period in periods]


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _ratios(top: list[float | int | None], bottom: list[float | int | None]) -> list[float | int | None]:
    return [a / b if a is not None and b else None for a, b in zip(top, bottom, strict=True)]


def write_trend(
    workbook: Workbook, styles: Styles, result: RunResult, name: str, header: tuple[str, str]
) -> None:
    """Add the ``Xu hướng`` sheet ``name`` to ``workbook``."""
    trend = trend_tables(result)
    ws = workbook.add_worksheet(name)
    count = len(trend.periods)
    ws.set_column(0, 0, KEY_WIDTHS[0])
    ws.set_column(1, 1, KEY_WIDTHS[1])
    ws.set_column(2, 1 + count, PERIOD_WIDTH)
    ws.set_column(2 + count, 3 + count, 12)
    first, last = labels.period_label(trend.periods[0]), labels.period_label(trend.periods[-1])
    ws.write_string(0, 0, t("out.trend.title", first=first, last=last), styles(bold=True, font_size=13))
    note, span = t("out.trend.note"), [*KEY_WIDTHS, *[PERIOD_WIDTH] * count]
    ws.merge_range(
        1, 0, 1, 1 + count, "", styles(italic=True, font_color="#595959", text_wrap=True, valign="top")
    )
    ws.write_string(1, 0, note, styles(italic=True, font_color="#595959", text_wrap=True, valign="top"))
    ws.set_row(1, row_height(wrapped_lines(note, sum(span))))
    head = styles.header()
    period_labels = [labels.period_label(p) for p in trend.periods]
    row = 2
    # 1. rates per period, and the chart of the two rates under them
    ws.merge_range(row, 0, row, 1, "", head)
    ws.write_string(row, 0, t("out.summary.col.indicator"), head)
    for col, text in enumerate(period_labels, start=2):
        ws.write_string(row, col, text, head)
    header_row = row
    rate_rows: list[int] = []
    for label, values, is_rate in trend.rates:
        row += 1
        fmt = styles(_BORDER, align="center", num_format="0.0%" if is_rate else "0", bold=is_rate)
        ws.merge_range(row, 0, row, 1, "", styles(_BORDER, bold=is_rate))
        ws.write_string(row, 0, label, styles(_BORDER, bold=is_rate))
        for col, value in enumerate(values, start=2):
            if value is None:
                ws.write_string(row, col, "—", fmt)
            else:
                ws.write_number(row, col, value, fmt)
        if is_rate:
            rate_rows.append(row)
    row += 1
    chart_rows = 16
    _chart(workbook, ws, name, header_row, rate_rows, count, row + 1)
    row += chart_rows + 2
    # 2. tasks × periods
    row = _grid_header(ws, styles, row, t("out.trend.tasks_heading"), (t("out.col.task_code"), t("out.col.content")),
                       period_labels, ())  # fmt: skip
    code_fmt, content_fmt = styles(_BORDER, align="center"), styles(_BORDER, valign="top")
    evaluation = _Cells(styles, labels.evaluation_label, labels.EVALUATION_COLOURS)
    for code, content, evaluations in trend.tasks:
        ws.write_string(row, 0, code, code_fmt)
        ws.write_string(row, 1, content, content_fmt)
        lines = wrapped_lines(content, KEY_WIDTHS[1])
        for col, state in enumerate(evaluations, start=2):
            lines = max(lines, evaluation.write(ws, row, col, state))
        ws.set_row(row, row_height(min(lines, 4)))
        row += 1
    row += 1
    # 3. units × periods, with each unit's on-time count and rate
    extra = (t("out.trend.periods_on_time"), t("out.trend.on_time_rate"))
    row = _grid_header(ws, styles, row, t("out.trend.units_heading"), (t("out.col.unit_code"), t("out.col.unit_name")),
                       period_labels, extra)  # fmt: skip
    name_fmt, count_fmt = styles(_BORDER), styles(_BORDER, align="center", num_format="0")
    rate_fmt = styles(_BORDER, align="center", num_format="0.0%", bold=True)
    submission = _Cells(styles, labels.submission_label, labels.SUBMISSION_COLOURS)
    for code, unit_name, submissions, on_time, rate in trend.units:
        ws.write_string(row, 0, code, code_fmt)
        ws.write_string(row, 1, unit_name, name_fmt)
        for col, state in enumerate(submissions, start=2):
            submission.write(ws, row, col, state)
        ws.write_number(row, 2 + count, on_time, count_fmt)
        if rate is None:
            ws.write_string(row, 3 + count, "—", code_fmt)
        else:
            ws.write_number(row, 3 + count, rate, rate_fmt)
        ws.set_row(row, row_height(wrapped_lines(unit_name, KEY_WIDTHS[1])))
        row += 1
    ws.write_string(
        row, 0, t("out.trend.on_time_note"), styles(italic=True, font_size=9, font_color="#595959")
    )
    ws.freeze_panes(0, 2)
    ws.repeat_rows(header_row)
    page_setup(ws, *header)
    widths = [*KEY_WIDTHS, *[PERIOD_WIDTH] * count, 12, 12]
    print_legibly(ws, widths, title_cols=2)
    ws.print_area(0, 0, row, len(widths) - 1)


def _grid_header(
    ws: Worksheet,
    styles: Styles,
    row: int,
    heading: str,
    keys: tuple[str, str],
    periods: list[str],
    extra: tuple[str, ...],
) -> int:
    """A grid's heading and header row at ``row``; returns the first data row."""
    ws.write_string(row, 0, heading, styles(bold=True, font_size=12, font_color="#1F4E78"))
    row += 1
    head = styles.header()
    for col, text in enumerate((*keys, *periods, *extra)):
        ws.write_string(row, col, text, head)
    ws.set_row(row, row_height(max(wrapped_lines(text, 12) for text in (*keys, *periods, *extra))))
    return row + 1


class _Cells:
    """A grid's coloured state cells: each state's label, format and wrapped height worked out once."""

    def __init__(self, styles: Styles, label: Any, colours: dict[str, tuple[str, str]]) -> None:
        self._styles, self._label, self._colours = styles, label, colours
        self._blank = styles(_BORDER)
        self._known: dict[str, tuple[str, Format, int]] = {}

    def write(self, ws: Worksheet, row: int, col: int, value: str | None) -> int:
        """Write ``value``'s cell; returns the lines its label takes."""
        if value is None:
            ws.write_blank(row, col, None, self._blank)
            return 1
        known = self._known.get(value)
        if known is None:
            colour = self._colours.get(value, labels.GREY)
            fmt = self._styles(
                _BORDER, align="center", font_size=10, bg_color="#" + colour[0], font_color="#" + colour[1]
            )
            text = self._label(value)
            known = self._known[value] = (text, fmt, wrapped_lines(text, PERIOD_WIDTH))
        ws.write_string(row, col, known[0], known[1])
        return known[2]


def _chart(
    workbook: Workbook, ws: Worksheet, sheet: str, header_row: int, rate_rows: list[int], count: int, top: int
) -> None:
    """A line chart of the completion and on-time rates per period, reading the rate rows."""
    chart = workbook.add_chart({"type": "line"})
    font = {"name": FONT, "size": 9}
    for row, colour in zip(rate_rows, ("1F4E78", "C55A11"), strict=False):
        chart.add_series({
            "name": [sheet, row, 0],
            "categories": [sheet, header_row, 2, header_row, 1 + count],
            "values": [sheet, row, 2, row, 1 + count],
            "line": {"color": "#" + colour, "width": 2.25},
            "marker": {"type": "circle", "size": 6, "fill": {"color": "#" + colour}, "border": {"color": "#" + colour}},
            "data_labels": {"value": True, "num_format": "0%", "position": "above", "font": font},
        })  # fmt: skip
    chart.set_title(
        {"name": t("out.trend.chart_title"), "name_font": {"name": FONT, "size": 11, "bold": True}}
    )
    chart.set_y_axis({"min": 0, "max": 1, "num_format": "0%", "num_font": font,
                      "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})  # fmt: skip
    chart.set_x_axis({"num_font": font})
    chart.set_legend({"position": "bottom", "font": font})
    chart.set_chartarea({"border": {"color": "#A6A6A6"}})
    chart.set_size({"width": 640, "height": 300})
    ws.insert_chart(top, 0, chart, {"x_offset": 4, "y_offset": 0, "object_position": 3})
