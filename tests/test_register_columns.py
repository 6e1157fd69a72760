"""A register whose columns were renamed, deleted or doubled (issue 11): the column and the sheet are named,
and every command that refuses the register lists what to fix (SPEC §4, §12)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from automation.cli import main
from automation.i18n import messages
from automation.plan.register import RegisterRefused, ensure_readable_plan, read_register
from automation.plan.register_layout import SHEET_PLAN, SHEET_TASKS, SHEET_UNITS
from automation.plan.register_write import fix_register

RENAMED_DEADLINE = (
    'Trang "Nhiệm vụ" không có cột "Thời hạn"; cột F có tiêu đề "Hạn". '
    'Nếu đó là cột này, hãy sửa tiêu đề cột F thành "Thời hạn".'
)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    assert main(["init", str(tmp_path / "ws")]) == 0
    return tmp_path / "ws"


def _register(workspace: Path) -> Path:
    return workspace / "workbook_templates" / "ke-hoach.xlsx"


def _edit(path: Path, sheet: str, edit) -> None:
    wb = load_workbook(path)
    edit(wb[sheet])
    wb.save(path)


def _header_cell(ws, label: str):
    return next(c for c in ws[1] if c.value == label)


def _rename(path: Path, sheet: str, label: str, new: str) -> None:
    _edit(path, sheet, lambda ws: setattr(_header_cell(ws, label), "value", new))


def test_a_renamed_deadline_column_is_named_with_its_sheet_and_the_header_found(workspace: Path):
    _rename(_register(workspace), SHEET_TASKS, "Thời hạn", "Hạn")
    reading = read_register(_register(workspace))
    [error] = reading.check.errors
    assert (error.rule, error.sheet, error.cell, error.message) == (
        "plan.renamed_column",
        SHEET_TASKS,
        "F1",
        RENAMED_DEADLINE,
    )
    assert reading.plan.tasks == ()  # no row is judged without its deadline column: no noise per row


def test_a_deleted_column_is_named_with_the_header_row(workspace: Path):
    _edit(_register(workspace), SHEET_TASKS, lambda ws: ws.delete_cols(4))  # Chủ trì
    [error] = read_register(_register(workspace)).check.errors
    assert (error.rule, error.sheet, error.cell) == ("plan.missing_column", SHEET_TASKS, None)
    assert error.message == (
        'Trang "Nhiệm vụ" không có cột "Chủ trì" (dòng tiêu đề là dòng 1). '
        'Thêm lại cột "Chủ trì" vào dòng tiêu đề, đúng tên như trong sổ mẫu.'
    )


def test_a_duplicated_column_is_an_error_at_the_second_header(workspace: Path):
    _edit(_register(workspace), SHEET_TASKS, lambda ws: setattr(ws["J1"], "value", "Thời hạn"))
    reading = read_register(_register(workspace))
    [error] = reading.check.errors
    assert (error.rule, error.sheet, error.cell) == ("plan.duplicate_column", SHEET_TASKS, "J1")
    assert error.message == (
        'Trang "Nhiệm vụ" có hai cột cùng tên "Thời hạn" (cột F và cột J). '
        "Xoá hoặc đổi tên một cột; hiện đang dùng cột F."
    )


def test_a_renamed_unit_column_names_the_units_sheet_and_no_task_is_blamed(workspace: Path):
    _rename(_register(workspace), SHEET_UNITS, "Mã đơn vị", "Mã")
    errors = read_register(_register(workspace)).check.errors
    assert [(e.rule, e.sheet, e.cell) for e in errors] == [("plan.renamed_column", SHEET_UNITS, "A1")]
    assert errors[0].message == (
        'Trang "Đơn vị" không có cột "Mã đơn vị"; cột A có tiêu đề "Mã". '
        'Nếu đó là cột này, hãy sửa tiêu đề cột A thành "Mã đơn vị".'
    )


def test_a_renamed_optional_column_is_a_warning_and_the_tasks_are_still_read(workspace: Path):
    _rename(_register(workspace), SHEET_TASKS, "Sản phẩm", "Kết quả")
    reading = read_register(_register(workspace))
    assert reading.check.errors == []
    renamed = [w for w in reading.check.warnings if w.rule == "plan.renamed_column"]
    assert [(w.sheet, w.cell) for w in renamed] == [(SHEET_TASKS, "I1")]
    assert '"Sản phẩm"' in renamed[0].message and '"Kết quả"' in renamed[0].message
    assert len(reading.plan.tasks) == 11


def test_a_sheet_without_a_header_row_lists_the_columns_it_needs(workspace: Path):
    def blank_header(ws):
        for cell in ws[1]:
            cell.value = None

    _edit(_register(workspace), SHEET_UNITS, blank_header)
    [error] = read_register(_register(workspace)).check.errors
    assert (error.rule, error.sheet) == ("plan.no_header", SHEET_UNITS)
    assert error.message == (
        'Trang "Đơn vị" không có dòng tiêu đề: không thấy các cột "Mã đơn vị", "Tên đơn vị", '
        '"Tên gọi khác", "Email" ở 40 dòng đầu. Ghi lại dòng tiêu đề đúng tên các cột như trong sổ mẫu.'
    )


def test_a_renamed_key_of_the_plan_sheet_is_a_warning_naming_the_key(workspace: Path):
    def rename_key(ws):
        cell = next(c for row in ws.iter_rows() for c in row if c.value == "Hạn nộp báo cáo (trước ngày)")
        cell.value = "Hạn nộp"

    _edit(_register(workspace), SHEET_PLAN, rename_key)
    reading = read_register(_register(workspace))
    [warning] = [w for w in reading.check.warnings if w.rule == "plan.missing_key"]
    assert warning.sheet == SHEET_PLAN
    assert warning.message == (
        'Trang "Kế hoạch" không có dòng "Hạn nộp báo cáo (trước ngày)"; giá trị mặc định sẽ được dùng. '
        "Thêm lại dòng này (đúng tên như trong sổ mẫu) nếu cần."
    )


def test_the_column_messages_read_in_english_with_language_en(workspace: Path):
    _rename(_register(workspace), SHEET_TASKS, "Thời hạn", "Hạn")
    messages.set_language("en")
    [error] = read_register(_register(workspace)).check.errors
    assert error.message == (
        'Sheet "Nhiệm vụ" has no column "Thời hạn"; column F is headed "Hạn". '
        'If that is the one, rename the header of column F to "Thời hạn".'
    )


def test_ensure_readable_plan_refuses_with_the_findings_to_fix(workspace: Path):
    _rename(_register(workspace), SHEET_TASKS, "Thời hạn", "Hạn")
    with pytest.raises(RegisterRefused) as refused:
        ensure_readable_plan(read_register(_register(workspace)))
    assert [f.message for f in refused.value.findings] == [RENAMED_DEADLINE]


@pytest.mark.parametrize("command", [["templates"], ["collect"], ["status"], ["plan", "check"]])
def test_every_command_that_refuses_the_register_prints_its_problems(workspace: Path, capsys, command):
    _rename(_register(workspace), SHEET_TASKS, "Thời hạn", "Hạn")
    capsys.readouterr()
    assert main([*command, "--workspace", str(workspace)]) == 1
    captured = capsys.readouterr()
    lines = (captured.out + captured.err).splitlines()
    assert f"Lỗi: {SHEET_TASKS}!F1 — {RENAMED_DEADLINE}" in lines
    assert lines[-1] == "Lỗi: sổ kế hoạch có 1 lỗi, cần sửa trước khi dùng (xem danh sách ở trên)"
    assert "KeyError" not in captured.err and "Traceback" not in captured.err


def test_fix_names_the_column_really_missing(workspace: Path):
    _rename(_register(workspace), SHEET_TASKS, "Thời hạn", "Hạn")
    with pytest.raises(Exception, match='thiếu cột "Thời hạn"'):
        fix_register(_register(workspace))


def test_a_register_that_is_not_a_workbook_gets_no_library_words(tmp_path: Path):
    path = tmp_path / "ke-hoach.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(Exception) as refused:
        read_register(path)
    assert refused.value.message == (
        f"không đọc được sổ kế hoạch {path}: tệp bị hỏng hoặc không phải tệp Excel .xlsx. Hãy mở tệp "
        "bằng Excel rồi lưu lại dạng .xlsx (Excel Workbook), hoặc lấy lại bản sao lưu của sổ"
    )
