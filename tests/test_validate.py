"""Validate stage (SPEC §6 "Row rules"): each rule with its cell, severity and what happens to the row."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from automation.check.validate import normalize_status, parse_progress, validate_rows
from automation.domain.model import Finding, ParsedReport, ParsedRow
from automation.i18n import messages
from automation.plan.default_plan import default_plan
from automation.templates.generate import (
    COL_CODE,
    COL_CONTENT,
    COL_DIFFICULTIES,
    COL_DONE_ON,
    COL_EVIDENCE,
    COL_PROGRESS,
    COL_PROPOSALS,
    COL_RESULTS,
    COL_ROLE,
    COL_STATUS,
    HEADER_LABELS,
)

PLAN = default_plan()
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
RECEIVED = dt.datetime(2025, 3, 14, 9, 30, tzinfo=TZ)
PLAN_START = dt.date(2025, 2, 20)
FILE = "inbox/VP_2025-03.xlsx"
SHEET = "Báo cáo"
COLUMNS = dict(zip(HEADER_LABELS, "ABCDEFGHIJK", strict=True))

_FIELDS = {
    "code": COL_CODE,
    "content": COL_CONTENT,
    "role": COL_ROLE,
    "status": COL_STATUS,
    "done_on": COL_DONE_ON,
    "progress": COL_PROGRESS,
    "results": COL_RESULTS,
    "difficulties": COL_DIFFICULTIES,
    "proposals": COL_PROPOSALS,
    "evidence": COL_EVIDENCE,
}


def row(number: int, code: object = None, **fields: object) -> ParsedRow:
    """A sheet row as the reader hands it over: every header label, blank unless given."""
    values: dict[str, object] = dict.fromkeys(HEADER_LABELS)
    values[COL_CODE] = code
    for name, value in fields.items():
        values[_FIELDS[name]] = value
    refs = {label: f"{letter}{number}" for label, letter in COLUMNS.items()}
    return ParsedRow(number=number, values=values, refs=refs)


def in_progress(number: int, code: str, **fields: object) -> ParsedRow:
    base = {"role": "Chủ trì", "status": "Đang thực hiện", "progress": 50, "results": "Đã rà soát quy trình"}
    return row(number, code, **{**base, **fields})


def vp_rows(**changes: object) -> list[ParsedRow]:
    """Văn phòng Sở's four tasks (2.2, 3.1, 3.2, 3.4) properly filled; ``changes`` apply to 3.1 (row 8)."""
    return [
        in_progress(7, "2.2"),
        in_progress(8, "3.1", **changes),
        row(
            9,
            "3.2",
            role="Chủ trì",
            status="Hoàn thành",
            done_on=dt.date(2025, 3, 10),
            progress=100,
            results="100% thủ tục trực tuyến",
            evidence="Công văn số 123/SNV-VP ngày 10/03/2025",
        ),
        in_progress(10, "3.4"),
        row(11, role="Phối hợp"),  # the template's empty contribution rows
        row(12, role="Phối hợp"),
    ]


def validate(
    rows: list[ParsedRow], formulas: set[str] | None = None, plan_start: dt.date | None = PLAN_START
):
    """Validate the rows as Văn phòng Sở's March file, received on 14 March."""
    parsed = ParsedReport(
        sheet=SHEET, header_row=6, columns=dict(COLUMNS), rows=rows, formula_cells=formulas or set()
    )
    return validate_rows(parsed, PLAN, "VP", "2025-03", RECEIVED, file=FILE, plan_start=plan_start)


def only(findings: list[Finding], rule: str) -> Finding:
    matching = [f for f in findings if f.rule == rule]
    assert len(matching) == 1, findings
    return matching[0]


def report_for(reports, task: str, role: str = "lead"):
    matching = [r for r in reports if r.task == task and r.role == role]
    return matching[0] if matching else None


# --- a good file ----------------------------------------------------------------------------------------


def test_complete_file_gives_one_report_per_lead_task_and_no_findings():
    reports, findings = validate(vp_rows())
    assert findings == []
    assert [(r.task, r.role, r.status) for r in reports] == [
        ("2.2", "lead", "in_progress"),
        ("3.1", "lead", "in_progress"),
        ("3.2", "lead", "done"),
        ("3.4", "lead", "in_progress"),
    ]


def test_report_carries_period_unit_file_row_and_received_time():
    reports, _ = validate(vp_rows())
    done = report_for(reports, "3.2")
    assert (done.period, done.unit, done.file, done.row, done.received_at) == (
        "2025-03",
        "VP",
        FILE,
        9,
        RECEIVED,
    )
    assert (done.completed_on, done.progress) == (dt.date(2025, 3, 10), 100)
    assert done.evidence == "Công văn số 123/SNV-VP ngày 10/03/2025"


def test_text_fields_are_nfc_stripped_and_a_leading_equals_stays_text():
    decomposed = unicodedata.normalize("NFD", "  Đã rà soát  ")
    reports, _ = validate(
        vp_rows(results=decomposed, difficulties="=SUM(A1)", proposals=" Không ", evidence=12345.0)
    )
    task = report_for(reports, "3.1")
    assert task.results == "Đã rà soát"
    assert unicodedata.is_normalized("NFC", task.results)
    assert (task.difficulties, task.proposals, task.evidence) == ("=SUM(A1)", "Không", "12345")


def test_every_finding_names_rule_file_unit_sheet_and_has_a_vietnamese_message():
    _, findings = validate(
        [*vp_rows(status="abc", progress=150, done_on="hôm qua"), row(13, "9.9", status="x")]
    )
    assert findings
    for finding in findings:
        assert re.fullmatch(r"(file|row|task|plan)\.[a-z_]+", finding.rule)
        assert (finding.file, finding.unit, finding.sheet) == (FILE, "VP", SHEET)
        assert unicodedata.is_normalized("NFC", finding.message)
        assert any(ord(ch) > 127 for ch in finding.message)


# --- task codes ------------------------------------------------------------------------------------------


def test_unknown_task_code_is_an_error_on_the_code_cell():
    reports, findings = validate([*vp_rows(), in_progress(13, "9.9")])
    finding = only(findings, "row.unknown_task")
    assert (finding.severity, finding.cell, finding.task) == ("error", "A13", "9.9")
    assert "9.9" in finding.message and "3.4" in finding.message
    assert len(reports) == 4


def test_task_code_typed_as_a_number_or_with_a_comma_is_the_plans_code():
    rows = vp_rows()
    rows[1] = in_progress(8, 3.1)
    rows[3] = in_progress(10, "3,4")
    reports, findings = validate(rows)
    assert findings == []
    assert [r.task for r in reports] == ["2.2", "3.1", "3.2", "3.4"]


def test_row_with_content_but_no_task_code_is_an_error():
    _, findings = validate([*vp_rows(), row(13, role="Phối hợp", status="Đang thực hiện", results="Góp ý")])
    finding = only(findings, "row.missing_task")
    assert (finding.severity, finding.cell) == ("error", "A13")


def test_empty_contribution_rows_of_the_template_give_nothing():
    reports, findings = validate(vp_rows())
    assert findings == [] and all(r.row < 11 for r in reports)


def test_duplicate_task_row_keeps_the_first_and_rejects_the_later():
    rows = [*vp_rows(), in_progress(13, "3.1", results="Báo cáo lần hai")]
    reports, findings = validate(rows)
    finding = only(findings, "row.duplicate_task")
    assert (finding.severity, finding.cell, finding.task) == ("error", "A13", "3.1")
    assert "8" in finding.message
    assert report_for(reports, "3.1").row == 8


def test_blank_prefilled_row_with_the_task_written_again_lower_is_the_duplicate():
    rows = vp_rows(status=None, progress=None, results=None)
    rows.append(in_progress(13, "3.1", results="Viết lại ở dòng dưới"))
    reports, findings = validate(rows)
    assert [f.rule for f in findings] == ["row.duplicate_task"]
    assert findings[0].cell == "A8" and "13" in findings[0].message
    assert report_for(reports, "3.1").row == 13


def test_task_the_unit_leads_with_no_row_is_a_warning_without_a_cell():
    rows = [r for r in vp_rows() if r.values[COL_CODE] != "3.4"]
    reports, findings = validate(rows)
    finding = only(findings, "task.missing_row")
    assert (finding.severity, finding.cell, finding.task, finding.sheet) == ("warning", None, "3.4", SHEET)
    assert finding.message == (
        "Nhiệm vụ 3.4 do đơn vị chủ trì nhưng không có dòng báo cáo trong tệp. Hãy dùng mẫu của kỳ này "
        'hoặc thêm dòng có Mã NV 3.4 và Vai trò "Chủ trì".'
    )
    assert len(reports) == 3


# --- status ----------------------------------------------------------------------------------------------


def test_missing_status_is_an_error_and_the_other_rows_are_still_used():
    reports, findings = validate(vp_rows(status=None, progress=None, results=None))
    finding = only(findings, "row.missing_status")
    assert (finding.severity, finding.cell, finding.task) == ("error", "E8", "3.1")
    assert "Hoàn thành" in finding.message
    assert [r.task for r in reports] == ["2.2", "3.2", "3.4"]


def test_status_variant_da_hoan_thanh_is_done():
    reports, findings = validate(vp_rows(status="Đã hoàn thành", done_on=dt.date(2025, 3, 5), progress=100))
    assert report_for(reports, "3.1").status == "done"
    finding = only(findings, "row.status_corrected")
    assert (finding.severity, finding.cell) == ("info", "E8")
    assert "Hoàn thành" in finding.message and "Đã hoàn thành" in finding.message


@pytest.mark.parametrize(
    ("written", "status"),
    [
        ("Đã hoàn thành", "done"),
        ("HT", "done"),
        ("hoàn thành 100%", "done"),
        ("xong", "done"),
        ("HOÀN THÀNH", "done"),
        ("hoan thanh", "done"),
        ("Đã xong.", "done"),
        ("đang triển khai", "in_progress"),
        ("đang thực hiện", "in_progress"),
        ("ĐTH", "in_progress"),
        ("đang làm", "in_progress"),
        ("Đang thực hiện (trong hạn)", "in_progress"),
        ("Thường xuyên", "in_progress"),
        ("chưa thực hiện", "not_started"),
        ("chưa triển khai", "not_started"),
        ("chưa", "not_started"),
        ("CHƯA TRIỂN KHAI", "not_started"),
    ],
)
def test_status_variants_are_recognised(written, status):
    assert normalize_status(written) == (status, True)


@pytest.mark.parametrize(
    ("written", "status"),
    [("Hoàn thành", "done"), ("Đang thực hiện", "in_progress"), ("Chưa triển khai", "not_started")],
)
def test_the_three_dropdown_values_are_taken_as_they_are(written, status):
    """Spacing and Unicode form are not the unit's mistake: no finding."""
    assert normalize_status(written) == (status, False)
    assert normalize_status(f" {written} ") == (status, False)
    assert normalize_status(written.replace(" ", "   ")) == (status, False)
    assert normalize_status(unicodedata.normalize("NFD", written)) == (status, False)


def test_unrecognised_status_is_an_error_listing_the_three_values():
    reports, findings = validate(vp_rows(status="Tạm dừng"))
    finding = only(findings, "row.bad_status")
    assert (finding.severity, finding.cell, finding.task) == ("error", "E8", "3.1")
    for value in ("Tạm dừng", "Chưa triển khai", "Đang thực hiện", "Hoàn thành"):
        assert value in finding.message
    assert report_for(reports, "3.1") is None and len(reports) == 3


@pytest.mark.parametrize("value", [None, "", "   ", "Tạm dừng", 1, 100.0, True, dt.date(2025, 3, 1)])
def test_blank_or_unknown_status_is_no_status(value):
    assert normalize_status(value) == (None, False)


# --- completion date ------------------------------------------------------------------------------------


def test_done_without_completion_date_is_a_warning_and_the_row_is_used():
    reports, findings = validate(vp_rows(status="Hoàn thành", progress=100))
    finding = only(findings, "row.missing_completion_date")
    assert (finding.severity, finding.cell) == ("warning", "F8")
    assert "14/03/2025" in finding.message  # the received date stands in
    task = report_for(reports, "3.1")
    assert (task.status, task.completed_on) == ("done", None)


@pytest.mark.parametrize(
    "value",
    [dt.date(2025, 3, 5), dt.datetime(2025, 3, 5, 16, 20), "05/03/2025", "5-3-2025", "2025-03-05", 45721],
)
def test_completion_date_accepts_dates_day_first_text_and_serial_numbers(value):
    reports, findings = validate(vp_rows(status="Hoàn thành", progress=100, done_on=value))
    assert findings == []
    assert report_for(reports, "3.1").completed_on == dt.date(2025, 3, 5)


def test_completion_date_that_is_not_a_date_is_a_warning_and_is_ignored():
    reports, findings = validate(vp_rows(status="Hoàn thành", progress=100, done_on="đầu tháng 3"))
    finding = only(findings, "row.bad_date")
    assert (finding.severity, finding.cell) == ("warning", "F8")
    assert "đầu tháng 3" in finding.message and "dd/mm/yyyy" in finding.message
    assert report_for(reports, "3.1").completed_on is None
    assert not [f for f in findings if f.rule == "row.missing_completion_date"]


def test_completion_date_after_the_received_time_is_a_warning_and_is_ignored():
    reports, findings = validate(vp_rows(status="Hoàn thành", progress=100, done_on=dt.date(2025, 3, 15)))
    finding = only(findings, "row.future_date")
    assert (finding.severity, finding.cell) == ("warning", "F8")
    assert "15/03/2025" in finding.message and "14/03/2025" in finding.message
    assert report_for(reports, "3.1").completed_on is None


def test_completion_date_on_the_received_day_is_accepted():
    reports, findings = validate(vp_rows(status="Hoàn thành", progress=100, done_on=dt.date(2025, 3, 14)))
    assert findings == [] and report_for(reports, "3.1").completed_on == dt.date(2025, 3, 14)


def test_completion_date_before_the_plan_is_a_warning_and_is_ignored():
    reports, findings = validate(vp_rows(status="Hoàn thành", progress=100, done_on="05/03/2024"))
    finding = only(findings, "row.date_before_plan")
    assert (finding.severity, finding.cell) == ("warning", "F8")
    assert "20/02/2025" in finding.message
    assert report_for(reports, "3.1").completed_on is None


def test_without_a_plan_start_the_early_date_is_not_checked():
    reports, findings = validate(
        vp_rows(status="Hoàn thành", progress=100, done_on="05/03/2024"), plan_start=None
    )
    assert findings == [] and report_for(reports, "3.1").completed_on == dt.date(2024, 3, 5)


def test_completion_date_on_a_task_not_done_is_a_warning_and_is_ignored():
    reports, findings = validate(vp_rows(done_on=dt.date(2025, 3, 5)))
    finding = only(findings, "row.date_not_done")
    assert (finding.severity, finding.cell) == ("warning", "F8")
    assert report_for(reports, "3.1").completed_on is None


# --- progress --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (60, (60, None)),
        (60.0, (60, None)),
        ("60", (60, None)),
        ("60%", (60, None)),
        (" 60 % ", (60, None)),
        (0, (0, None)),
        (100, (100, None)),
        ("100%", (100, None)),
        (None, (None, None)),
        ("  ", (None, None)),
        (1, (1, None)),
        (0.6, (60, "fraction")),
        ("0.6", (60, "fraction")),
        (0.05, (5, "fraction")),
        (60.4, (60, "rounded")),
        ("60,5", (61, "rounded")),
        ("0.5%", (1, "rounded")),
        (150, (None, "out_of_range")),
        (-5, (None, "out_of_range")),
        ("120%", (None, "out_of_range")),
        (float("inf"), (None, "out_of_range")),
        (float("nan"), (None, "not_a_number")),
        ("khoảng 60", (None, "not_a_number")),
        ("#REF!", (None, "not_a_number")),
        (True, (None, "not_a_number")),
        (dt.date(2025, 3, 1), (None, "not_a_number")),
    ],
)
def test_progress_forms(value, expected):
    assert parse_progress(value) == expected


def test_progress_outside_0_to_100_is_a_warning_and_is_ignored():
    reports, findings = validate(vp_rows(progress=150))
    finding = only(findings, "row.bad_progress")
    assert (finding.severity, finding.cell, finding.task) == ("warning", "G8", "3.1")
    assert "150" in finding.message
    assert report_for(reports, "3.1").progress is None


def test_progress_as_a_fraction_is_read_as_percent_with_an_info():
    reports, findings = validate(vp_rows(progress=0.6))
    finding = only(findings, "row.progress_corrected")
    assert (finding.severity, finding.cell) == ("info", "G8")
    assert "60%" in finding.message
    assert report_for(reports, "3.1").progress == 60


def test_done_below_100_is_a_warning_and_the_reported_figures_stand():
    reports, findings = validate(vp_rows(status="Hoàn thành", done_on=dt.date(2025, 3, 5), progress=80))
    finding = only(findings, "row.done_below_full")
    assert (finding.severity, finding.cell) == ("warning", "G8")
    task = report_for(reports, "3.1")
    assert (task.status, task.progress) == ("done", 80)


def test_done_without_progress_counts_as_100():
    reports, findings = validate(vp_rows(status="Hoàn thành", done_on=dt.date(2025, 3, 5), progress=None))
    assert findings == [] and report_for(reports, "3.1").progress == 100


# --- results ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("results", [None, "", " - ", "."])
def test_started_task_without_results_is_a_warning(results):
    reports, findings = validate(vp_rows(results=results))
    finding = only(findings, "row.missing_results")
    assert (finding.severity, finding.cell, finding.task) == ("warning", "H8", "3.1")
    assert report_for(reports, "3.1") is not None


def test_task_not_started_needs_no_results():
    _, findings = validate(
        vp_rows(status="Chưa triển khai", progress=0, results=None, difficulties="Chờ hướng dẫn của Bộ")
    )
    assert findings == []


# --- error values and formulas ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "error", ["#REF!", "#N/A", "#VALUE!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!", "Err:502"]
)
def test_error_value_in_the_status_cell_is_an_error_and_the_row_is_not_used(error):
    reports, findings = validate(vp_rows(status=error))
    finding = only(findings, "row.error_value")
    assert (finding.severity, finding.cell) == ("error", "E8")
    assert error.upper() in finding.message
    assert report_for(reports, "3.1") is None
    assert not [f for f in findings if f.rule == "row.missing_status"]


def test_error_value_in_a_text_cell_is_ignored_and_the_row_is_used():
    reports, findings = validate(vp_rows(difficulties="#N/A"))
    finding = only(findings, "row.error_value")
    assert (finding.severity, finding.cell) == ("warning", "I8")
    assert report_for(reports, "3.1").difficulties == ""


def test_error_value_in_the_code_cell_is_an_error_and_the_row_is_not_used():
    rows = vp_rows()
    rows[1] = in_progress(8, "#REF!")
    reports, findings = validate(rows)
    finding = only(findings, "row.error_value")
    assert (finding.severity, finding.cell) == ("error", "A8")
    assert "row.missing_task" not in {f.rule for f in findings}
    assert report_for(reports, "3.1") is None
    assert only(findings, "task.missing_row").task == "3.1"


def test_formula_in_an_input_cell_is_a_warning_and_its_value_is_used():
    reports, findings = validate(vp_rows(progress=70), formulas={"G8"})
    finding = only(findings, "row.formula")
    assert (finding.severity, finding.cell, finding.task) == ("warning", "G8", "3.1")
    assert report_for(reports, "3.1").progress == 70


# --- roles -----------------------------------------------------------------------------------------------


def test_blank_role_is_lead_for_a_task_the_unit_leads():
    reports, findings = validate(vp_rows(role=None))
    assert findings == [] and report_for(reports, "3.1").role == "lead"


def test_contribution_row_for_another_units_task_is_support():
    rows = [*vp_rows(), row(13, "4.1", role="Phối hợp", status="Đang thực hiện", results="Cử 2 cán bộ")]
    reports, findings = validate(rows)
    assert findings == []
    support = report_for(reports, "4.1", "support")
    assert (support.unit, support.status, support.results) == ("VP", "in_progress", "Cử 2 cán bộ")


def test_blank_role_for_another_units_task_is_support():
    reports, _ = validate([*vp_rows(), row(13, "4.1", status="Đang thực hiện", results="Góp ý")])
    assert report_for(reports, "4.1", "support") is not None


def test_claiming_to_lead_another_units_task_is_a_warning_and_counts_as_support():
    reports, findings = validate([*vp_rows(), in_progress(13, "4.1", role="Chủ trì")])
    finding = only(findings, "row.not_lead")
    assert (finding.severity, finding.cell, finding.task) == ("warning", "C13", "4.1")
    assert "Phòng Công chức, viên chức" in finding.message
    assert report_for(reports, "4.1", "support") is not None and report_for(reports, "4.1") is None


def test_phoi_hop_on_the_units_own_task_is_a_warning_and_counts_as_lead():
    reports, findings = validate(vp_rows(role="Phối hợp"))
    finding = only(findings, "row.role_is_lead")
    assert (finding.severity, finding.cell) == ("warning", "C8")
    assert report_for(reports, "3.1").role == "lead"


@pytest.mark.parametrize("written", ["chủ trì", "CHỦ TRÌ", "Chu tri", "CT"])
def test_role_spellings_are_recognised(written):
    _, findings = validate(vp_rows(role=written))
    assert findings == []


def test_unknown_role_is_a_warning_and_the_plan_decides():
    reports, findings = validate(vp_rows(role="Thực hiện"))
    finding = only(findings, "row.bad_role")
    assert (finding.severity, finding.cell) == ("warning", "C8")
    assert report_for(reports, "3.1").role == "lead"


def test_contribution_with_results_but_no_status_is_still_used():
    reports, findings = validate([*vp_rows(), row(13, "4.1", role="Phối hợp", results="Cung cấp số liệu")])
    assert findings == []
    assert report_for(reports, "4.1", "support").status == "in_progress"


def test_contribution_with_neither_status_nor_results_is_missing_its_status():
    _, findings = validate([*vp_rows(), row(13, "4.1", role="Phối hợp")])
    assert (only(findings, "row.missing_status").cell) == "E13"


def test_messages_switch_to_english():
    messages.set_language("en")
    _, findings = validate(vp_rows(status="Tạm dừng"))
    assert only(findings, "row.bad_status").message.startswith("Status")


# --- properties ------------------------------------------------------------------------------------------

_ANY_CELL = st.one_of(
    st.none(),
    st.text(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.sampled_from(["Hoàn thành", "HT", "60%", " 0,5 ", "#REF!", "Err:502", "1e400", "9" * 400]),
)


@given(_ANY_CELL)
def test_normalize_status_never_raises_and_returns_a_status_or_none(value):
    status, variant = normalize_status(value)
    assert status in (None, "not_started", "in_progress", "done")
    assert not (status is None and variant)


@given(_ANY_CELL)
def test_parse_progress_never_raises_and_returns_a_value_or_a_problem(value):
    progress, problem = parse_progress(value)
    assert problem in (None, "fraction", "rounded", "out_of_range", "not_a_number")
    if progress is not None:
        assert isinstance(progress, int) and 0 <= progress <= 100
        assert problem in (None, "fraction", "rounded")
    else:
        assert problem in (None, "out_of_range", "not_a_number")


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["2.2", "3.1", "4.1", "9.9", None, 3.1]),
            _ANY_CELL,
            _ANY_CELL,
            _ANY_CELL,
            _ANY_CELL,
        ),
        max_size=6,
    )
)
def test_validate_rows_never_raises_and_every_error_row_is_left_out(cells):
    rows = [
        row(7 + i, code, status=status, done_on=done_on, progress=progress, results=results)
        for i, (code, status, done_on, progress, results) in enumerate(cells)
    ]
    reports, findings = validate(rows)
    rejected = {f.cell[1:] for f in findings if f.severity == "error" and f.cell}
    assert not {str(r.row) for r in reports} & rejected
    assert all(re.fullmatch(r"(row|task)\.[a-z_]+", f.rule) for f in findings)


def test_every_row_and_task_rule_in_the_catalogue_fits_the_run_report_pattern():
    rules = [key for key in messages.MESSAGES if key.startswith(("row.", "task."))]
    assert "row.bad_status" in rules and "task.missing_row" in rules
    assert [rule for rule in rules if not re.fullmatch(r"(row|task)\.[a-z_]+", rule)] == []
