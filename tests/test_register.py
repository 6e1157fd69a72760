"""The register workbook (SPEC §4): round trip, the "5 rõ" checks, and --fix."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.styles import Font

from automation.errors import FileError
from automation.plan.default_plan import default_plan
from automation.plan.register import read_register
from automation.plan.register_layout import SHEET_PLAN, SHEET_TASKS, SHEET_UNITS, TASK_COLUMNS
from automation.plan.register_write import fix_register, write_register

SECTION_4_TABLE = {
    "1.1": ("TDKT", dt.date(2025, 3, 31), False),
    "1.2": ("TDKT", None, True),
    "2.1": ("TCBC", dt.date(2025, 3, 31), False),
    "2.2": ("VP", dt.date(2025, 5, 31), True),
    "3.1": ("VP", dt.date(2025, 6, 30), False),
    "3.2": ("VP", dt.date(2025, 5, 31), False),
    "3.3": ("CCVC", dt.date(2025, 5, 31), False),
    "3.4": ("VP", dt.date(2025, 5, 31), True),
    "4.1": ("CCVC", dt.date(2025, 6, 30), False),
    "4.2": ("CCVC", dt.date(2025, 7, 31), False),
    "4.3": ("CCVC", dt.date(2025, 6, 30), False),
}


@pytest.fixture
def register(tmp_path: Path) -> Path:
    path = tmp_path / "ke-hoach.xlsx"
    write_register(default_plan(), path)
    return path


def _tasks_sheet(path: Path):
    wb = load_workbook(path)
    return wb, wb[SHEET_TASKS]


def _row_of(ws, code: str) -> int:
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == code)


def test_default_plan_is_the_section_4_table():
    plan = default_plan()
    assert {t.code: (t.lead, t.deadline, t.recurring) for t in plan.tasks} == SECTION_4_TABLE
    assert [u.code for u in plan.units] == ["TDKT", "TCBC", "VP", "CCVC"]
    assert (plan.submit_before_day, plan.ubnd_before_day, plan.id) == (16, 18, "KH-SNV-726")


def test_default_plan_content_is_the_seed_text_without_line_breaks_or_page_number():
    tasks = {t.code: t for t in default_plan().tasks}
    assert tasks["4.2"].content.endswith("theo các lĩnh vực, ngành nghề tỉnh có nhu cầu")
    assert "\n" not in "".join(t.content for t in tasks.values())
    assert tasks["2.1"].content.endswith("Nghị quyết số 18-NQ/TW")
    assert tasks["1.1"].coordinating.startswith("các phòng, ban chuyên môn, các đơn vị trực thuộc sở;")
    assert tasks["2.2"].words == "Hoàn thành trong tháng 5/2025 và thực hiện thường xuyên"
    assert tasks["3.1"].group.startswith("3. Phát triển dịch vụ công")


def test_register_round_trip_gives_the_same_plan(register: Path):
    assert read_register(register).plan == default_plan()


def test_register_has_the_three_sheets_with_the_section_4_columns_and_the_days_off(register: Path):
    wb = load_workbook(register)
    assert wb.sheetnames == [SHEET_PLAN, SHEET_UNITS, SHEET_TASKS, "Ngày nghỉ"]  # SPEC §15
    assert [c.value for c in wb["Ngày nghỉ"][1]] == ["Ngày", "Tên"]
    assert [c.value for c in wb[SHEET_TASKS][1]] == list(TASK_COLUMNS)
    assert [c.value for c in wb[SHEET_UNITS][1]] == ["Mã đơn vị", "Tên đơn vị", "Tên gọi khác", "Email"]
    keys = {row[0].value: row[1].value for row in wb[SHEET_PLAN].iter_rows(min_row=3)}
    assert keys["Hạn nộp báo cáo (trước ngày)"] == 16
    assert keys["Hạn báo cáo UBND (trước ngày)"] == 18
    deadline = wb[SHEET_TASKS]["F2"]
    assert deadline.is_date and deadline.number_format == "dd/mm/yyyy"


def test_default_register_has_no_errors_only_missing_product_warnings(register: Path):
    check = read_register(register).check
    assert check.errors == []
    assert {f.rule for f in check.warnings} == {"plan.missing_product"}
    assert check.warnings[0].cell == "I2" and check.warnings[0].sheet == SHEET_TASKS


def test_register_read_finds_columns_by_label_not_position(register: Path):
    wb, ws = _tasks_sheet(register)
    ws.insert_cols(1)
    ws.insert_rows(1, amount=2)
    ws["A1"] = "Ghi chú của người tổng hợp"
    wb.save(register)
    assert read_register(register).plan.tasks == default_plan().tasks


@pytest.mark.parametrize(
    ("column", "value", "rule", "cell"),
    [
        (3, None, "plan.missing_content", "C3"),
        (4, None, "plan.missing_lead", "D3"),
        (4, "XYZ", "plan.unknown_lead", "D3"),
        (6, "sớm nhất", "plan.deadline_not_date", "F3"),
        (7, "có lẽ", "plan.bad_recurring_mark", "G3"),
        (1, "1.1", "plan.duplicate_code", "A3"),
    ],
)
def test_broken_task_row_gives_an_error_at_its_cell(register: Path, column, value, rule, cell):
    wb, ws = _tasks_sheet(register)
    ws.cell(3, column).value = value
    wb.save(register)
    reading = read_register(register)
    errors = [f for f in reading.check.errors if f.rule == rule]
    assert len(errors) == 1
    assert (errors[0].sheet, errors[0].cell) == (SHEET_TASKS, cell)
    assert errors[0].message and "1." in errors[0].message
    assert len(reading.plan.tasks) == 10


def test_task_without_deadline_or_recurring_mark_fails_rõ_thời_gian(register: Path):
    wb, ws = _tasks_sheet(register)
    row = _row_of(ws, "1.2")
    ws.cell(row, 7).value = None
    ws.cell(row, 8).value = None
    wb.save(register)
    errors = read_register(register).check.errors
    assert [(f.rule, f.task, f.cell) for f in errors] == [("plan.missing_deadline", "1.2", f"F{row}")]
    assert "Thường xuyên" in errors[0].message


def test_unreadable_deadline_words_are_a_finding_on_the_words_cell(register: Path):
    wb, ws = _tasks_sheet(register)
    row = _row_of(ws, "3.1")
    ws.cell(row, 6).value = None
    ws.cell(row, 8).value = "khi có chỉ đạo"
    wb.save(register)
    errors = read_register(register).check.errors
    assert [(f.rule, f.cell) for f in errors] == [("plan.deadline_words_unknown", f"H{row}")]
    assert "khi có chỉ đạo" in errors[0].message


def test_deadline_that_disagrees_with_the_words_is_a_warning(register: Path):
    wb, ws = _tasks_sheet(register)
    ws.cell(_row_of(ws, "3.1"), 6).value = dt.datetime(2025, 9, 30)
    wb.save(register)
    warnings = [f for f in read_register(register).check.warnings if f.rule == "plan.deadline_disagrees"]
    assert len(warnings) == 1 and "30/06/2025" in warnings[0].message


def test_fix_fills_deadlines_and_recurring_marks_from_the_plan_words(register: Path):
    wb, ws = _tasks_sheet(register)
    for r in range(2, ws.max_row + 1):
        ws.cell(r, 6).value = None
        ws.cell(r, 7).value = None
    ws.cell(2, 3).font = Font(name="Times New Roman", color="FFFF0000")
    wb.save(register)
    assert {f.rule for f in read_register(register).check.errors} == {"plan.deadline_fillable"}

    assert fix_register(register) == 11
    assert read_register(register).plan == default_plan()
    _, ws = _tasks_sheet(register)
    assert ws.cell(2, 3).font.color.rgb == "FFFF0000"  # the coordinator's styling is kept
    assert ws.cell(2, 6).number_format == "dd/mm/yyyy"
    assert fix_register(register) == 0


def test_fix_never_overwrites_a_date_the_coordinator_typed(register: Path):
    wb, ws = _tasks_sheet(register)
    ws.cell(2, 6).value = dt.datetime(2025, 4, 15)
    wb.save(register)
    fix_register(register)
    assert read_register(register).plan.tasks[0].deadline == dt.date(2025, 4, 15)


def test_unit_codes_must_be_unique_and_ascii(register: Path):
    wb = load_workbook(register)
    ws = wb[SHEET_UNITS]
    ws["A3"] = "TDKT"
    ws["A4"] = "Văn phòng"
    wb.save(register)
    rules = sorted((f.rule, f.cell) for f in read_register(register).check.errors)
    assert ("plan.duplicate_unit", "A3") in rules
    assert ("plan.bad_unit_code", "A4") in rules


def test_a_bad_email_is_a_warning_and_is_left_out(register: Path):
    wb = load_workbook(register)
    wb[SHEET_UNITS]["D2"] = "tdkt@snv.example.vn; not-an-address"
    wb.save(register)
    reading = read_register(register)
    assert reading.plan.unit("TDKT").emails == ("tdkt@snv.example.vn",)
    assert [f.rule for f in reading.check.warnings if f.sheet == SHEET_UNITS] == ["plan.bad_email"]


def test_text_starting_with_equals_is_written_as_text_not_formula(tmp_path: Path):
    plan = default_plan()
    tasks = (replace(plan.tasks[0], content='=HYPERLINK("http://x")'), *plan.tasks[1:])
    path = tmp_path / "ke-hoach.xlsx"
    write_register(replace(plan, tasks=tasks), path)
    cell = load_workbook(path)[SHEET_TASKS]["C2"]
    assert cell.data_type == "s"
    assert read_register(path).plan.tasks[0].content == '=HYPERLINK("http://x")'


def test_a_missing_or_broken_register_is_a_file_error(tmp_path: Path):
    with pytest.raises(FileError, match=r"ke-hoach\.xlsx"):
        read_register(tmp_path / "ke-hoach.xlsx")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(FileError, match="không đọc được"):
        read_register(broken)


def test_a_register_without_the_tasks_sheet_names_the_missing_sheet(register: Path):
    wb = load_workbook(register)
    del wb[SHEET_TASKS]
    wb.save(register)
    with pytest.raises(FileError, match="Nhiệm vụ"):
        read_register(register)
