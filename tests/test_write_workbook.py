"""The consolidated workbook (SPEC §7), read back as a person and another program would see it."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from automation.i18n import messages
from automation.write.workbook import SHEETS, write_consolidated
from tests.support.run_results import INJECTIONS, build_large_run_result, build_run_result

TABLE_SHEETS = SHEETS[2:]  # after Tóm tắt and Xu hướng
GREEN, AMBER, RED, BLUE, GREY = "C6EFCE", "FFEB9C", "FFC7CE", "DDEBF7", "EDEDED"


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    messages.set_language("vi")
    path = tmp_path_factory.mktemp("out") / "tong-hop_2025-05.xlsx"
    write_consolidated(build_run_result(), path)
    return path


@pytest.fixture(scope="module")
def book(written):
    return openpyxl.load_workbook(written)


def _row_of(ws, label: str, column: str = "B") -> int:
    for cell in ws[column]:
        if cell.value == label:
            return cell.row
    raise AssertionError(f"{label!r} not found in column {column} of {ws.title}")


def _texts(ws) -> list[str]:
    return [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


def _header(ws) -> dict[str, int]:
    return {c.value: c.column for c in ws[3] if c.value}


def _fill(cell) -> str:
    return (cell.fill.fgColor.rgb or "")[-6:] if cell.fill.fill_type == "solid" else ""


def test_sheets_are_the_seven_of_the_spec_in_order_with_the_trend_after_the_summary(book):
    assert book.sheetnames == [
        "Tóm tắt", "Xu hướng", "Tiến độ nhiệm vụ", "Đơn vị", "Cảnh báo", "Khó khăn - Đề xuất", "Lỗi dữ liệu",
        "Tệp đã nhận",
    ]  # fmt: skip
    assert book.active.title == "Tóm tắt"


def test_summary_names_the_period_the_cut_off_and_the_time_of_the_figures(book):
    texts = _texts(book["Tóm tắt"])
    assert "BÁO CÁO TỔNG HỢP TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH THÁNG 05/2025" in texts
    assert any(text.startswith("Kế hoạch KH-SNV-726: Tổ chức thực hiện") for text in texts)
    assert "trước 00:00 ngày 16/05/2025" in texts
    assert "08:00 ngày 19/05/2025" in texts
    assert "Tháng 05/2025" in texts


def test_summary_counts_units_by_submission_with_rates(book):
    ws = book["Tóm tắt"]
    value = {label: ws.cell(_row_of(ws, label), 3).value for label in (
        "Số đơn vị phải báo cáo", "Nộp đúng hạn", "Nộp muộn", "Đã gửi nhưng tệp không hợp lệ", "Chưa nộp",
        "Tỷ lệ nộp đúng hạn", "Tỷ lệ đã báo cáo (đúng hạn và muộn)")}  # fmt: skip
    assert value == {
        "Số đơn vị phải báo cáo": 4, "Nộp đúng hạn": 1, "Nộp muộn": 1, "Đã gửi nhưng tệp không hợp lệ": 1,
        "Chưa nộp": 1, "Tỷ lệ nộp đúng hạn": 0.25, "Tỷ lệ đã báo cáo (đúng hạn và muộn)": 0.5,
    }  # fmt: skip
    assert ws.cell(_row_of(ws, "Tỷ lệ nộp đúng hạn"), 3).number_format == "0.0%"


def test_summary_counts_tasks_per_evaluation_and_the_completion_rate(book):
    ws = book["Tóm tắt"]
    expected = {
        "Hoàn thành đúng hạn": 2, "Hoàn thành quá hạn": 1, "Đang thực hiện (trong hạn)": 2,
        "Chưa triển khai (trong hạn)": 1, "Thực hiện thường xuyên": 1, "Quá hạn, chưa hoàn thành": 1,
        "Chưa báo cáo": 3, "Tổng số nhiệm vụ": 11,
    }  # fmt: skip
    assert {label: ws.cell(_row_of(ws, label), 3).value for label in expected} == expected
    # due by 16/05 (the evaluation date): 1.1 (overdue) and 2.1 (completed late); 3.1 and 3.3, completed
    # before their deadlines, are not due yet and do not count
    assert ws.cell(_row_of(ws, "Số nhiệm vụ đã đến hạn"), 3).value == 2
    assert ws.cell(_row_of(ws, "Tỷ lệ hoàn thành"), 3).value == pytest.approx(0.5)
    assert _fill(ws.cell(_row_of(ws, "Quá hạn, chưa hoàn thành"), 2)) == RED


def _rows_under(ws, label: str, count: int, columns: tuple[int, ...] = (1, 2, 4, 6, 7)) -> list[tuple]:
    top = next(c.row for c in ws["A"] if isinstance(c.value, str) and c.value.startswith(label))
    return [tuple(ws.cell(r, col).value for col in columns) for r in range(top + 1, top + 1 + count)]


def test_summary_names_the_late_invalid_and_missing_units_with_when_the_late_file_came(book):
    ws = book["Tóm tắt"]
    top = _row_of(ws, "III. ĐƠN VỊ NỘP MUỘN, KHÔNG HỢP LỆ, CHƯA NỘP (3)", "A")
    rows = {ws.cell(r, 1).value: ws.cell(r, 3).value for r in range(top + 2, top + 5)}
    assert rows == {
        "Muộn (1)": "Văn phòng Sở (nhận lúc 10:00 16/05)",  # lateness counts from the first accepted file
        "Không hợp lệ (1)": "Phòng Công chức, viên chức (đã gửi 1 tệp, không tệp nào dùng được)",
        "Chưa nộp (1)": "Phòng Tổ chức biên chế và Cải cách hành chính",
    }


def test_summary_overdue_tasks_leave_out_tasks_merely_not_reported_before_their_deadline(book):
    ws = book["Tóm tắt"]
    assert _rows_under(ws, "a) Quá hạn, chưa hoàn thành (1)", 1) == [
        ("1.1", ws.cell(_row_of(ws, "1.1", "A"), 2).value, "Ban Thi đua - Khen thưởng", dt.datetime(2025, 3, 31),
         "Quá hạn, chưa hoàn thành"),
    ]  # fmt: skip
    texts = _texts(ws)
    assert "Chưa báo cáo nhưng chưa đến hạn, không tính là quá hạn (3): 4.1, 4.2, 4.3." in texts


def test_summary_names_tasks_completed_late_changed_since_last_period_and_due_next_month(book):
    ws = book["Tóm tắt"]
    code_lead_f_g = (1, 4, 6, 7)
    assert _rows_under(ws, "b) Hoàn thành quá hạn (1)", 1, code_lead_f_g) == [
        ("2.1", "Phòng Tổ chức biên chế và Cải cách hành chính", dt.datetime(2025, 3, 31), dt.datetime(2025, 4, 5)),
    ]  # fmt: skip
    heading = next(v for v in _texts(ws) if v.startswith("c) Thay đổi kết quả đánh giá so với kỳ 04/2025"))
    changed = _rows_under(ws, heading, 3, (1, 6, 7))
    assert changed[0] == ("2.2", "Chưa báo cáo", "Đang thực hiện (trong hạn)")  # from → to
    assert _rows_under(ws, "d) Đến hạn trong tháng 06/2025, chưa hoàn thành (2)", 2, code_lead_f_g) == [
        ("4.1", "Phòng Công chức, viên chức", dt.datetime(2025, 6, 30), "Chưa báo cáo"),
        ("4.3", "Phòng Công chức, viên chức", dt.datetime(2025, 6, 30), "Chưa báo cáo"),
    ]  # 3.1, due 30/06 too, is completed


def test_summary_definition_of_the_completion_rate_is_under_the_table(book):
    ws = book["Tóm tắt"]
    note = ws.cell(_row_of(ws, "Tỷ lệ hoàn thành") + 1, 1).value
    assert (
        note.startswith("Tỷ lệ nộp đúng hạn = ")
        and "đã đến hạn (thời hạn trước hoặc đúng ngày đánh giá)" in note
    )


def test_summary_shows_the_change_against_the_previous_period(book):
    ws = book["Tóm tắt"]
    assert ws.cell(_row_of(ws, "Chỉ tiêu"), 4).value == "So với kỳ 04/2025"
    # April: 3 on time, VP missing; 1 on time now
    assert ws.cell(_row_of(ws, "Nộp đúng hạn"), 4).value == -2
    assert ws.cell(_row_of(ws, "Nộp đúng hạn"), 4).number_format == "+0;-0;0"
    assert ws.cell(_row_of(ws, "Tỷ lệ nộp đúng hạn"), 4).value == pytest.approx(-50.0)
    assert ws.cell(_row_of(ws, "Chưa báo cáo"), 4).value == -3


def test_summary_without_a_previous_period_says_so(tmp_path):
    path = tmp_path / "t.xlsx"
    write_consolidated(build_run_result(with_previous=False), path)
    ws = openpyxl.load_workbook(path)["Tóm tắt"]
    assert ws.cell(_row_of(ws, "Số đơn vị phải báo cáo"), 4).value == "Chưa có kỳ trước"
    assert ws.cell(_row_of(ws, "Chỉ tiêu"), 4).value == "So với kỳ trước"


def test_summary_has_a_native_chart_of_the_evaluation_counts(book, written):
    ws = book["Tóm tắt"]
    assert len(ws._charts) == 1
    with zipfile.ZipFile(written) as z:
        chart = z.read("xl/charts/chart1.xml").decode()
    first = _row_of(ws, "Hoàn thành đúng hạn")
    assert f"'Tóm tắt'!$C${first}:$C${first + 6}" in chart
    assert f"'Tóm tắt'!$B${first}:$B${first + 6}" in chart


def test_summary_prints_on_one_a4_page(book, written):
    ws = book["Tóm tắt"]
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth or 1) == 1 and (ws.page_setup.fitToHeight or 1) == 1
    assert int(ws.page_setup.paperSize) == 9
    with zipfile.ZipFile(written) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert re.search(r'<pageSetup[^>]*paperSize="9"', sheet) and 'fitToHeight="0"' not in sheet


def test_task_rows_in_plan_order_with_vietnamese_values(book):
    ws = book["Tiến độ nhiệm vụ"]
    col = _header(ws)
    codes = [ws.cell(r, 1).value for r in range(4, ws.max_row + 1)]
    assert codes == ["1.1", "1.2", "2.1", "2.2", "3.1", "3.2", "3.3", "3.4", "4.1", "4.2", "4.3"]
    row = {code: r for r, code in enumerate(codes, start=4)}
    assert ws.cell(row["1.2"], col["Thời hạn"]).value == "Thường xuyên"
    assert ws.cell(row["3.1"], col["Thời hạn"]).value == dt.datetime(2025, 6, 30)
    assert ws.cell(row["3.1"], col["Thời hạn"]).number_format == "dd/mm/yyyy"
    assert ws.cell(row["3.1"], col["Tình trạng báo cáo"]).value == "Hoàn thành"
    assert ws.cell(row["3.1"], col["Ngày hoàn thành"]).value == dt.datetime(2025, 5, 10)
    assert ws.cell(row["3.1"], col["Tiến độ (%)"]).value == 100
    assert ws.cell(row["3.2"], col["Cảnh báo"]).value == "Lùi tiến độ, Sắp đến hạn"
    assert ws.cell(row["4.1"], col["Cảnh báo"]).value == "Thiếu báo cáo, Sắp đến hạn"
    assert ws.cell(row["3.1"], col["Đơn vị chủ trì"]).value == "Văn phòng Sở"
    # 2.1 is TCBC's April report carried forward
    assert ws.cell(row["2.1"], col["Lấy từ báo cáo kỳ"]).value == "04/2025"
    assert ws.cell(row["2.1"], col["Tệp báo cáo"]).value == "inbox/TCBC_2025-04.xlsx"
    assert ws.cell(row["3.1"], col["Lấy từ báo cáo kỳ"]).value is None


def test_evaluation_cells_are_coloured_by_evaluation(book):
    ws = book["Tiến độ nhiệm vụ"]
    col = _header(ws)["Đánh giá"]
    colours = {ws.cell(r, col).value: _fill(ws.cell(r, col)) for r in range(4, ws.max_row + 1)}
    assert colours == {
        "Quá hạn, chưa hoàn thành": RED, "Chưa báo cáo": RED, "Hoàn thành quá hạn": AMBER,
        "Hoàn thành đúng hạn": GREEN, "Đang thực hiện (trong hạn)": BLUE, "Chưa triển khai (trong hạn)": GREY,
        "Thực hiện thường xuyên": GREY,
    }  # fmt: skip
    legend = {c.value: _fill(c) for c in ws[2] if c.value}
    assert legend["Hoàn thành đúng hạn"] == GREEN and legend["Chưa báo cáo"] == RED


def test_units_sheet_gives_submission_received_time_and_counts(book):
    ws = book["Đơn vị"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    assert [r[0] for r in rows] == ["TDKT", "TCBC", "VP", "CCVC"]
    assert rows[2] == ["VP", "Văn phòng Sở", "Muộn", dt.datetime(2025, 5, 17, 14, 0),
                       "inbox/email/VP_2025-05 (2).xlsx", 0, 1]  # fmt: skip
    assert rows[3][2:4] == ["Không hợp lệ", None] and rows[3][5] == 5
    assert ws.cell(7, 4).number_format == "dd/mm/yyyy hh:mm"
    assert [_fill(ws.cell(r, 3)) for r in range(4, 8)] == [GREEN, RED, AMBER, "F8CBAD"]


def test_alerts_sorted_by_severity_then_task_code(book):
    ws = book["Cảnh báo"]
    rows = [(r[0].value, r[4].value) for r in ws.iter_rows(min_row=4)]
    assert rows == [
        ("1.1", "Trễ hạn"), ("2.1", "Trễ hạn"),
        ("4.1", "Thiếu báo cáo"), ("4.2", "Thiếu báo cáo"), ("4.3", "Thiếu báo cáo"),
        ("3.2", "Lùi tiến độ"),
        ("2.2", "Sắp đến hạn"), ("3.2", "Sắp đến hạn"), ("3.4", "Sắp đến hạn"), ("4.1", "Sắp đến hạn"),
        ("4.3", "Sắp đến hạn"),
    ]  # fmt: skip
    explanations = {(r[0].value, r[4].value): r[5].value for r in ws.iter_rows(min_row=4)}
    assert explanations[("2.1", "Trễ hạn")] == "Hoàn thành ngày 05/04/2025, sau thời hạn 31/03/2025."
    assert explanations[("2.2", "Sắp đến hạn")] == "Thời hạn 31/05/2025, còn 15 ngày kể từ ngày đánh giá."


def test_difficulties_and_proposals_from_lead_and_support_rows(book):
    ws = book["Khó khăn - Đề xuất"]
    rows = [(r[0].value, r[2].value, r[3].value) for r in ws.iter_rows(min_row=4)]
    assert rows == [
        ("1.1", "Ban Thi đua - Khen thưởng", "Chủ trì"),
        ("3.2", "Văn phòng Sở", "Chủ trì"),
        ("3.3", "Ban Thi đua - Khen thưởng", "Phối hợp"),
        ("3.4", "Văn phòng Sở", "Chủ trì"),
        ("4.1", "Văn phòng Sở", "Phối hợp"),
    ]


def test_findings_sheet_lists_every_finding_errors_first(book):
    ws = book["Lỗi dữ liệu"]
    assert list(_header(ws)) == ["Mức độ", "Quy tắc", "Tệp", "Đơn vị", "Trang tính", "Ô", "Mã NV", "Nội dung"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    assert len(rows) == 11
    severities = [r[0] for r in rows]
    assert severities == sorted(severities, key=["Lỗi", "Cảnh báo", "Đã tự sửa"].index)
    assert ["Lỗi", "row.bad_date", "inbox/CCVC_2025-05.xlsx", "Phòng Công chức, viên chức", "Báo cáo", "F12",
            "4.1"] == rows[2][:7]  # fmt: skip
    assert rows[0][5] is None  # a finding about the whole file comes before the file's cells
    assert _fill(ws.cell(4, 1)) == RED


def test_files_sheet_lists_every_file_sorted_with_its_outcome(book):
    ws = book["Tệp đã nhận"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    assert [r[0] for r in rows] == sorted(r[0] for r in rows) and len(rows) == 9
    by_path = {r[0]: r for r in rows}
    assert by_path["inbox/email/VP_2025-05.xlsx"][2:7] == ["Thư điện tử", "vanphong@snv.example.vn",
                                                            "Văn phòng Sở", "05/2025", "Bị thay thế"]  # fmt: skip
    assert {r[6] for r in rows} == {"Đã nhận", "Bị thay thế", "Trùng lặp", "Bị từ chối", "Kỳ khác",
                                    "Nhận sau thời điểm tổng hợp", "Bỏ qua"}  # fmt: skip
    assert by_path["inbox/~$TDKT_2025-05.xlsx"][1] is None


@pytest.mark.parametrize("name", TABLE_SHEETS)
def test_every_table_has_frozen_header_filter_and_print_setup(book, name):
    ws = book[name]
    assert ws.freeze_panes in ("A4", "B4")
    assert ws.auto_filter.ref.startswith("A3:")
    assert ws.print_title_rows == "$3:$3"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert "Trang &P/&N" in ws.oddFooter.center.text  # the scale or fit: tests/test_print_legibility.py
    assert ws.cell(3, 1).font.name == "Times New Roman" and ws.cell(3, 1).font.b
    widths = [ws.column_dimensions[letter].width for letter in "ABC"]
    assert all(6 <= w <= 80 for w in widths)


def test_unit_text_that_looks_like_a_formula_stays_text(book, written):
    found = [c for name in ("Tiến độ nhiệm vụ", "Khó khăn - Đề xuất") for row in book[name].iter_rows()
             for c in row if c.value in (*INJECTIONS, "=1+1")]  # fmt: skip
    assert {c.value for c in found} == {*INJECTIONS, "=1+1"}
    assert all(c.data_type == "s" for c in found)
    with zipfile.ZipFile(written) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any("<f>" in z.read(n).decode() for n in sheets)
        rels = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/_rels")]
        assert not any("hyperlink" in text for text in rels)


def test_same_result_gives_the_same_workbook(tmp_path, written):
    again = tmp_path / "again.xlsx"
    write_consolidated(build_run_result(), again)
    first, second = openpyxl.load_workbook(written), openpyxl.load_workbook(again)
    for name in SHEETS:
        values = [[c.value for c in row] for row in first[name].iter_rows()]
        assert values == [[c.value for c in row] for row in second[name].iter_rows()], name
    assert first.properties.created == dt.datetime(2025, 5, 19, 1, 0)
    assert written.read_bytes() == again.read_bytes()


def test_written_atomically_leaving_no_temporary_file(tmp_path):
    path = tmp_path / "out" / "tong-hop.xlsx"
    write_consolidated(build_run_result(), path)
    write_consolidated(build_run_result(), path)
    assert [p.name for p in path.parent.iterdir()] == ["tong-hop.xlsx"]


def test_english_headers_keep_the_vietnamese_sheet_names(tmp_path):
    messages.set_language("en")
    path = tmp_path / "en.xlsx"
    write_consolidated(build_run_result(), path)
    book = openpyxl.load_workbook(path)
    assert tuple(book.sheetnames) == SHEETS
    assert "Evaluation" in _header(book["Tiến độ nhiệm vụ"])
    assert "Overdue, not completed" in _texts(book["Tóm tắt"])


def test_summary_cuts_long_lists_and_points_to_the_detail_sheets(tmp_path):
    path = tmp_path / "big.xlsx"
    write_consolidated(build_large_run_result(units=60, tasks=70, findings=100), path)
    book = openpyxl.load_workbook(path)
    ws = book["Tóm tắt"]
    texts = _texts(ws)
    assert [text for text in texts if text.startswith("III. ")] == [
        "III. ĐƠN VỊ NỘP MUỘN, KHÔNG HỢP LỆ, CHƯA NỘP (45)"
    ]
    assert "a) Quá hạn, chưa hoàn thành (10)" in texts
    assert '… và 7 nhiệm vụ khác: xem trang "Cảnh báo".' in texts  # 3 named, 7 more
    unit_rows = [text for text in texts if text.endswith('… và 9 đơn vị khác: xem trang "Đơn vị".')]
    assert len(unit_rows) == 3  # late, invalid and missing: 6 named each, 9 more each
    assert (ws.page_setup.fitToHeight or 1) == 1
    assert book["Lỗi dữ liệu"].max_row == 3 + 100
    assert book["Tiến độ nhiệm vụ"].max_row == 3 + 70
