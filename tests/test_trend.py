"""The ``Xu hướng`` sheet (SPEC §7, issue 13): the plan over every period collected so far, from the
earlier periods' run reports (``RunResult.history``) and this run."""

from __future__ import annotations

import dataclasses
import json
import zipfile

import openpyxl
import pytest

from automation.i18n import messages
from automation.write.run_report import run_report
from automation.write.trend import trend_tables
from automation.write.workbook import write_consolidated
from tests.support.run_results import build_previous, build_run_result

GREEN, RED, AMBER = "C6EFCE", "FFC7CE", "FFEB9C"


def _with_history():
    previous = build_previous()
    march = json.loads(json.dumps(run_report(previous, "x.xlsx")))
    march["period"], march["evaluation_date"] = "2025-03", "2025-03-16"
    other_plan = dict(march, period="2025-02", plan={"id": "KH-KHAC", "title": "Kế hoạch khác"})
    april = json.loads(json.dumps(run_report(previous, "x.xlsx")))
    return dataclasses.replace(build_run_result(), history=[other_plan, march, april])


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    messages.set_language("vi")
    path = tmp_path_factory.mktemp("trend") / "tong-hop_2025-05.xlsx"
    write_consolidated(_with_history(), path)
    return path, openpyxl.load_workbook(path)


def _fill(cell) -> str:
    return (cell.fill.fgColor.rgb or "")[-6:] if cell.fill.fill_type == "solid" else ""


def test_periods_are_every_period_of_the_plan_up_to_this_one_in_order():
    trend = trend_tables(_with_history())
    assert trend.periods == ["2025-03", "2025-04", "2025-05"]  # February belongs to another plan


def test_rates_per_period_use_the_summarys_definitions():
    rates = {label: values for label, values, _ in trend_tables(_with_history()).rates}
    # May: 1.1 and 2.1 due by 16/05, 2.1 completed; 1 of 4 units on time
    assert rates["Tỷ lệ hoàn thành"][-1] == pytest.approx(0.5)
    assert rates["Số nhiệm vụ đã đến hạn"][-1] == 2
    assert rates["Tỷ lệ nộp đúng hạn"] == [pytest.approx(0.75), pytest.approx(0.75), pytest.approx(0.25)]


def test_each_units_on_time_rate_is_periods_on_time_over_periods_expected():
    units = {
        code: (values, on_time, rate)
        for code, _, values, on_time, rate in trend_tables(_with_history()).units
    }
    assert units["VP"] == (["missing", "missing", "late"], 0, 0.0)
    assert units["TDKT"][1:] == (3, 1.0)


def test_sheet_follows_the_summary_with_coloured_evaluations_per_period(book):
    _, wb = book
    assert wb.sheetnames[:2] == ["Tóm tắt", "Xu hướng"]
    ws = wb["Xu hướng"]
    header = next(r for r in ws.iter_rows() if r[0].value == "Mã NV")
    assert [c.value for c in header[:5]] == ["Mã NV", "Nội dung nhiệm vụ", "03/2025", "04/2025", "05/2025"]
    row = next(r for r in ws.iter_rows(min_row=header[0].row) if r[0].value == "3.1")
    assert row[4].value == "Hoàn thành đúng hạn" and _fill(row[4]) == GREEN
    late = next(r for r in ws.iter_rows(min_row=header[0].row) if r[0].value == "2.1")
    assert _fill(late[4]) == AMBER
    unit_header = next(r for r in ws.iter_rows() if r[0].value == "Mã đơn vị")
    assert [c.value for c in unit_header[5:7]] == ["Số kỳ nộp đúng hạn", "Tỷ lệ kỳ nộp đúng hạn"]


def test_sheet_has_a_line_chart_of_the_two_rates(book):
    path, _ = book
    with zipfile.ZipFile(path) as z:
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    line = [c for c in charts if "<c:lineChart>" in c]
    assert len(line) == 1 and line[0].count("<c:ser>") == 2
    assert "'Xu hướng'!$C$3:$E$3" in line[0]


def test_first_period_shows_only_itself():
    trend = trend_tables(dataclasses.replace(build_run_result(), history=[]))
    assert trend.periods == ["2025-05"]
