"""Feedback for a unit's file: its own cells, the problems marked where they are, and a plain summary."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from automation.write.feedback import SHEET_RESULT, file_findings, write_feedback
from tests.support.libreoffice import convert
from tests.support.run_results import F_CCVC, F_TDKT, F_UNKNOWN, HYPERLINK, build_run_result

RED, AMBER, LIGHT_BLUE = "FFC7CE", "FFEB9C", "DEEAF6"


def _record(result, path):
    return next(record for record in result.files if record.path == path)


def _fill(cell) -> str:
    return (cell.fill.fgColor.rgb or "")[-6:] if cell.fill.fill_type == "solid" else ""


@pytest.fixture(scope="module")
def result():
    return build_run_result()


@pytest.fixture(scope="module")
def ccvc_path(result, tmp_path_factory):
    path = tmp_path_factory.mktemp("fb") / "CCVC_2025-05.xlsx"
    write_feedback(_record(result, F_CCVC), "Phòng Công chức, viên chức", result, path)
    return path


@pytest.fixture(scope="module")
def ccvc(ccvc_path):
    return openpyxl.load_workbook(ccvc_path)


@pytest.fixture(scope="module")
def tdkt(result, tmp_path_factory):
    path = tmp_path_factory.mktemp("fb") / "TDKT_2025-05.xlsx"
    write_feedback(_record(result, F_TDKT), "Ban Thi đua - Khen thưởng", result, path)
    return openpyxl.load_workbook(path)


def test_feedback_has_the_report_then_the_check_result(ccvc):
    assert ccvc.sheetnames == ["Báo cáo", SHEET_RESULT]


def test_report_cells_stay_where_the_unit_put_them(ccvc):
    ws = ccvc["Báo cáo"]
    assert ws["A6"].value == "Đơn vị:" and ws["B6"].value == "Phòng Công chức, viên chức"
    assert ws["A10"].value == "Mã NV" and ws["K10"].value == "Văn bản, minh chứng"
    assert ws["A11"].value == "3.3" and ws["E12"].value == "Hoàn thành" and ws["F12"].value == "31/13/2025"
    assert ws["G14"].value == "85%"
    assert ws.freeze_panes == "A11"
    # a long title alone on its row is wrapped over the table's width instead of widening the page
    assert {str(r) for r in ws.merged_cells.ranges} == {"A4:K4"}
    assert ws.print_area == "'Báo cáo'!$A$1:$K$14"


def test_each_problem_cell_has_its_comment_and_severity_colour(ccvc):
    ws = ccvc["Báo cáo"]
    assert "Chưa chọn Tình trạng cho nhiệm vụ 3.3" in ws["E11"].comment.text
    assert ws["E11"].comment.text.startswith("Lỗi: ")
    assert "31/13/2025" in ws["F12"].comment.text
    assert "Xong rồi" in ws["E13"].comment.text
    assert {_fill(ws[ref]) for ref in ("E11", "F12", "E13")} == {RED}
    # two findings on one cell: both messages, the worse colour
    assert ws["G14"].comment.text.count("\n") == 1
    assert "Lỗi: " in ws["G14"].comment.text and "Cảnh báo: " in ws["G14"].comment.text
    assert _fill(ws["G14"]) == RED
    commented = {c.coordinate for row in ws.iter_rows() for c in row if c.comment}
    assert commented == {"E11", "F12", "E13", "G14"}
    assert _fill(ws["A11"]) == ""


def test_warning_is_amber_and_automatic_correction_light_blue(tdkt):
    ws = tdkt["Báo cáo"]
    assert _fill(ws["H12"]) == AMBER and ws["H12"].comment.text.startswith("Cảnh báo: ")
    assert _fill(ws["E11"]) == LIGHT_BLUE and ws["E11"].comment.text.startswith("Đã tự sửa: ")


def test_unit_text_is_written_back_as_text(ccvc, tdkt):
    cell = ccvc["Báo cáo"]["H13"]
    assert cell.value == HYPERLINK and cell.data_type == "s"
    assert ccvc["Báo cáo"]["H14"].value == "-2" and ccvc["Báo cáo"]["H14"].data_type == "s"
    assert tdkt["Báo cáo"]["N11"].value is None  # nothing invented beyond the grid
    assert tdkt["Báo cáo"]["K11"].value == "@SUM(A1)" and tdkt["Báo cáo"]["K11"].data_type == "s"


def test_check_result_sheet_says_what_became_of_the_file(ccvc):
    ws = ccvc[SHEET_RESULT]
    pairs = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(3, 13)}
    assert pairs["Đơn vị"] == "Phòng Công chức, viên chức"
    assert pairs["Tệp"] == F_CCVC
    assert pairs["Thời điểm nhận"] == "14/05/2025 16:45"
    assert pairs["Hạn nộp báo cáo"] == "trước 00:00 ngày 16/05/2025"
    assert pairs["Thời gian nộp"] == "Đúng hạn"
    assert pairs["Kết quả"] == "Bị từ chối"
    assert pairs["Lý do"] == "Không có dòng báo cáo nào dùng được: mọi dòng đều có lỗi"
    assert pairs["Số lỗi, cảnh báo"] == "5 lỗi, 1 cảnh báo, 0 chỗ đã tự sửa"
    assert pairs["Việc cần làm"].startswith("Tệp không được tổng hợp")


def test_check_result_lists_every_finding_with_cell_and_task(ccvc, result):
    ws = ccvc[SHEET_RESULT]
    start = next(c.row for c in ws["A"] if c.value == "Mức độ")
    rows = [[c.value for c in row[:4]] for row in ws.iter_rows(min_row=start + 1)]
    expected = file_findings(_record(result, F_CCVC), result)
    assert [r[1] for r in rows] == [f.message for f in expected]
    assert rows[0] == ["Lỗi", expected[0].message, None, "4.4"]  # the file-level finding first
    assert ["Lỗi", "F12", "4.1"] == [rows[2][0], rows[2][2], rows[2][3]]
    assert ws.auto_filter.ref == f"A{start}:D{start + len(rows)}"


def test_unreadable_file_gets_only_the_check_result(result, tmp_path):
    path = tmp_path / "unknown.xlsx"
    write_feedback(_record(result, F_UNKNOWN), "someone@example.com", result, path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [SHEET_RESULT]
    texts = [c.value for row in book[SHEET_RESULT].iter_rows() for c in row if c.value]
    assert "Bị từ chối" in texts and any("không phải địa chỉ của đơn vị nào" in str(t) for t in texts)


def test_accepted_file_with_warnings_says_it_was_used(tdkt):
    values = [c.value for row in tdkt[SHEET_RESULT].iter_rows() for c in row if c.value]
    assert "Đã nhận" in values
    assert any(str(v).startswith("Báo cáo đã được tổng hợp. Các ô tô màu vàng") for v in values)


def test_same_inputs_give_the_same_file(result, tmp_path):
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    for path in (first, second):
        write_feedback(_record(result, F_CCVC), "Phòng Công chức, viên chức", result, path)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        core = archive.read("docProps/core.xml").decode()
    assert "2025-05-19T01:00:00Z</dcterms:created>" in core  # the run's as-of (08:00 in Hà Nội), no clock


def test_report_sheet_opens_as_the_first_tab_with_the_header_frozen(ccvc):
    assert ccvc.active.title == "Báo cáo"
    ws = ccvc["Báo cáo"]
    assert ws.print_title_rows == "$10:$10"
    assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
    assert (
        ws.oddHeader.left.text == "Phòng Công chức, viên chức" and ws.oddFooter.center.text == "Trang &P/&N"
    )
    assert ws["D11"].is_date and ws["D11"].number_format == "dd/mm/yyyy"
    assert ws["A10"].font.b and ws["A10"].font.name == "Times New Roman"


def test_calamine_reads_the_cells_where_they_were(ccvc_path):
    rows = CalamineWorkbook.from_path(str(ccvc_path)).get_sheet_by_name("Báo cáo").to_python()
    assert rows[5][:2] == ["Đơn vị:", "Phòng Công chức, viên chức"]
    assert rows[12][7] == HYPERLINK and rows[13][6] == "85%" and rows[13][7] == "-2"


@pytest.mark.libreoffice
def test_libreoffice_shows_the_notes_and_highlights(ccvc_path, tmp_path):
    """Opened and saved again by real LibreOffice: the notes, colours and title are still there."""
    book = openpyxl.load_workbook(convert([ccvc_path], "xlsx", tmp_path)[0])
    ws = book["Báo cáo"]
    commented = {c.coordinate for row in ws.iter_rows() for c in row if c.comment}
    assert commented == {"E11", "F12", "E13", "G14"}
    assert ws["G14"].comment.text.count("\n") == 1 and ws["E11"].comment.text.startswith("Lỗi: ")
    assert {_fill(ws[ref]) for ref in ("E11", "F12", "E13", "G14")} == {RED}
    assert {str(r) for r in ws.merged_cells.ranges} == {"A4:K4"}
    assert ws["H13"].value == HYPERLINK and ws["H13"].data_type == "s"
    assert book[SHEET_RESULT].auto_filter.ref is not None
