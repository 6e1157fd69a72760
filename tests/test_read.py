"""Read stage: cells found by header label, true references, and bad files turned into findings."""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from automation.read.report import ReadLimits, is_error_value, read_report, read_report_bytes
from automation.templates.generate import (
    COL_CODE,
    COL_DIFFICULTIES,
    COL_DONE_ON,
    COL_EVIDENCE,
    COL_PROGRESS,
    COL_RESULTS,
    COL_ROLE,
    COL_STATUS,
    HEADER_LABELS,
    SHEET_META,
    TEMPLATE_LABELS,
)
from tests.support import hostile_files as hostile
from tests.support.unit_files import (
    encrypted_ooxml,
    encrypted_xls,
    fill_template,
    forged_xls_dimensions,
    insert_cols,
    insert_rows,
    make_templates,
)

DONE = {
    COL_STATUS: "Hoàn thành",
    COL_DONE_ON: dt.date(2025, 5, 10),
    COL_PROGRESS: 100,
    COL_RESULTS: "Đã ban hành quy trình nội bộ",
}
DOING = {
    COL_STATUS: "Đang thực hiện",
    COL_PROGRESS: 60,
    COL_RESULTS: "Đang rà soát",
    COL_DIFFICULTIES: "Thiếu kinh phí",
}


@pytest.fixture(scope="module")
def templates(tmp_path_factory) -> dict[str, Path]:
    return make_templates(tmp_path_factory.mktemp("templates"))


@pytest.fixture
def vp(templates) -> Path:
    return templates["VP"]


def _read(path: Path):
    return read_report(path, f"inbox/{path.name}")


def _row(report, code: str):
    return next(row for row in report.rows if row.values[COL_CODE] == code)


def _rules(report) -> list[str]:
    return [f.rule for f in report.findings]


# --- a filled template ---------------------------------------------------------------------------------


def test_filled_template_values_by_label_with_true_refs(vp, tmp_path):
    path = fill_template(
        vp,
        tmp_path / "VP.xlsx",
        {"2.2": DONE, "3.1": DOING},
        extra_rows=[{COL_CODE: "1.1", "Nội dung nhiệm vụ": "Góp ý dự thảo", COL_STATUS: "Hoàn thành"}],
    )
    report = _read(path)

    assert report.findings == [] and report.readable
    assert report.sheet == "Báo cáo"
    assert report.header_row == 10
    # the eleven labels and the optional last column Đề nghị gia hạn đến (SPEC §15)
    assert report.columns == dict(zip(TEMPLATE_LABELS, "ABCDEFGHIJKL", strict=True))
    done = _row(report, "2.2")
    assert done.number == 11
    assert done.values[COL_STATUS] == "Hoàn thành"
    assert done.values[COL_DONE_ON] == dt.date(2025, 5, 10)
    assert done.values[COL_PROGRESS] == 100
    assert done.values[COL_RESULTS] == "Đã ban hành quy trình nội bộ"
    assert done.values[COL_EVIDENCE] is None
    assert done.values[COL_ROLE] == "Chủ trì"
    assert done.refs[COL_STATUS] == "E11" and done.refs[COL_PROGRESS] == "G11"
    doing = _row(report, "3.1")
    assert doing.refs[COL_DIFFICULTIES] == "I12" and doing.values[COL_DIFFICULTIES] == "Thiếu kinh phí"
    support = _row(report, "1.1")
    assert support.values[COL_ROLE] == "Phối hợp" and support.number == 15
    assert report.unit_text == "Văn phòng Sở" and report.unit_cell == "B7"
    assert report.period_value == "05/2025" and report.period_cell == "B8"
    assert report.meta["unit_code"] == "VP" and report.meta["period"] == "2025-05"
    assert report.meta["task_codes"] == "2.2,3.1,3.2,3.4"
    assert report.formula_cells == set()


def test_empty_rows_are_skipped_and_every_non_empty_row_is_kept(vp, tmp_path):
    path = fill_template(vp, tmp_path / "VP.xlsx", {"3.4": DOING})
    report = _read(path)
    # four task rows and five Phối hợp rows (their Vai trò is pre-filled): nothing else
    assert [row.number for row in report.rows] == list(range(11, 20))
    assert [row.values[COL_CODE] for row in report.rows[:4]] == ["2.2", "3.1", "3.2", "3.4"]


def test_grid_is_the_report_sheet_from_a1(vp, tmp_path):
    report = _read(fill_template(vp, tmp_path / "VP.xlsx", {"2.2": DONE}))
    assert report.grid[6][0] == "Đơn vị:" and report.grid[6][1] == "Văn phòng Sở"
    assert report.grid[9] == list(TEMPLATE_LABELS)
    assert report.grid[10][4] == "Hoàn thành"
    assert len(report.grid) == 19 and {len(row) for row in report.grid} == {12}


# --- cells found by label, never by position ---------------------------------------------------------------


def test_inserted_rows_and_column_keep_true_refs(vp, tmp_path):
    def edit(ws):
        insert_rows(ws, 1, 3)  # empty rows at the top: calamine would skip them by default
        insert_cols(ws, 1)  # an empty column A
        ws.cell(13, 13).value = "Ghi chú"  # a column of the unit's own, right of the table

    report = _read(fill_template(vp, tmp_path / "VP.xlsx", {"2.2": DONE}, edit=edit))
    assert report.header_row == 13
    assert report.columns[COL_CODE] == "B" and report.columns[COL_STATUS] == "F"
    done = _row(report, "2.2")
    assert done.number == 14 and done.refs[COL_STATUS] == "F14" and done.values[COL_STATUS] == "Hoàn thành"
    assert report.unit_cell == "C10" and report.unit_text == "Văn phòng Sở"
    assert report.period_cell == "C11"


def test_renamed_sheet_is_found_by_its_header(vp, tmp_path):
    def edit(ws):
        ws.title = "Sheet1"

    report = _read(fill_template(vp, tmp_path / "VP.xlsx", {"2.2": DONE}, edit=edit))
    assert report.sheet == "Sheet1" and report.readable
    assert _row(report, "2.2").values[COL_STATUS] == "Hoàn thành"


def test_moved_header_and_reordered_columns(vp, tmp_path):
    def edit(ws):
        insert_rows(ws, 9, 4)  # the table starts lower
        for r in range(14, ws.max_row + 1):  # swap Tình trạng (E) and Kết quả thực hiện (H)
            e, h = ws.cell(r, 5), ws.cell(r, 8)
            e.value, h.value = h.value, e.value

    report = _read(fill_template(vp, tmp_path / "VP.xlsx", {"2.2": DONE}, edit=edit))
    assert report.header_row == 14
    assert report.columns[COL_STATUS] == "H" and report.columns[COL_RESULTS] == "E"
    done = _row(report, "2.2")
    assert done.values[COL_STATUS] == "Hoàn thành" and done.refs[COL_STATUS] == "H15"
    assert done.values[COL_RESULTS] == "Đã ban hành quy trình nội bộ"


def test_sheet_named_bao_cao_is_preferred_over_an_earlier_copy(vp, tmp_path):
    def edit(ws):
        copy = ws.parent.copy_worksheet(ws)
        copy.title = "Bản nháp"
        ws.parent.move_sheet(copy, -ws.parent.index(copy))
        copy["E11"] = "Chưa triển khai"

    report = _read(fill_template(vp, tmp_path / "VP.xlsx", {"2.2": DONE}, edit=edit))
    assert report.sheet == "Báo cáo"
    assert _row(report, "2.2").values[COL_STATUS] == "Hoàn thành"


def test_header_labels_tolerate_case_accents_spacing_and_percent_form(vp, tmp_path):
    def edit(ws):
        ws["A10"] = "  MÃ nv "
        ws["E10"] = unicodedata.normalize("NFD", "Tình   trạng")
        ws["G10"] = "Tiến độ %"
        ws["H10"] = "Kết quả\nthực hiện"

    report = _read(fill_template(vp, tmp_path / "VP.xlsx", {"2.2": DONE}, edit=edit))
    assert report.findings == []
    assert report.columns[COL_STATUS] == "E" and report.columns[COL_PROGRESS] == "G"
    assert _row(report, "2.2").values[COL_PROGRESS] == 100


def test_merged_cells_value_belongs_to_top_left(vp, tmp_path):
    def edit(ws):
        ws.merge_cells("H11:I11")  # results typed across the difficulties column
        ws.merge_cells("E12:E13")  # one status for two rows

    rows = {"2.2": {**DONE, COL_RESULTS: "Kết quả dài"}, "3.1": {COL_STATUS: "Đang thực hiện"}}
    report = _read(fill_template(vp, tmp_path / "VP.xlsx", rows, edit=edit))
    first = _row(report, "2.2")
    assert first.values[COL_RESULTS] == "Kết quả dài" and first.values[COL_DIFFICULTIES] is None
    assert _row(report, "3.1").values[COL_STATUS] == "Đang thực hiện"
    assert _row(report, "3.2").values[COL_STATUS] is None


def test_repeated_header_row_is_not_data(vp, tmp_path):
    def edit(ws):
        for c, label in enumerate(HEADER_LABELS, start=1):
            ws.cell(21, c).value = label
        ws.cell(22, 1).value = "4.1"
        ws.cell(22, 5).value = "Đang thực hiện"

    report = _read(fill_template(vp, tmp_path / "VP.xlsx", {}, edit=edit))
    assert [row.number for row in report.rows][-1] == 22
    assert all(row.values[COL_CODE] != "Mã NV" for row in report.rows)


# --- values as people type them --------------------------------------------------------------------------


def test_nfd_text_and_trailing_spaces_are_normalised(vp, tmp_path):
    rows = {
        "2.2": {
            COL_STATUS: unicodedata.normalize("NFD", "Hoàn thành") + "   ",
            COL_RESULTS: "  " + unicodedata.normalize("NFD", "Đã xong việc") + "\n",
        }
    }
    report = _read(
        fill_template(vp, tmp_path / "VP.xlsx", rows, unit_text=unicodedata.normalize("NFD", "Văn phòng Sở "))
    )
    row = _row(report, "2.2")
    assert row.values[COL_STATUS] == "Hoàn thành" and unicodedata.is_normalized("NFC", row.values[COL_STATUS])
    assert row.values[COL_RESULTS] == "Đã xong việc"
    assert report.unit_text == "Văn phòng Sở"
    assert all(
        unicodedata.is_normalized("NFC", v) for line in report.grid for v in line if isinstance(v, str)
    )


def test_numbers_stored_as_text_and_percent_text_stay_text(vp, tmp_path):
    rows = {"2.2": {COL_PROGRESS: "60"}, "3.1": {COL_PROGRESS: "60%"}, "3.2": {COL_PROGRESS: " 75 "}}
    report = _read(fill_template(vp, tmp_path / "VP.xlsx", rows))
    assert _row(report, "2.2").values[COL_PROGRESS] == "60"
    assert _row(report, "3.1").values[COL_PROGRESS] == "60%"
    assert _row(report, "3.2").values[COL_PROGRESS] == "75"


def test_percent_typed_in_a_number_cell_reads_as_typed(vp, tmp_path):
    def edit(ws):
        for ref, value in (("G11", 0.6), ("G12", 1)):
            ws[ref] = value
            ws[ref].number_format = "0%"
        ws["G13"] = 1  # a plain 1 stays the number 1
        ws["G14"] = 0.5
        ws["G14"].number_format = '0.0"%"'  # a literal "%" is not a percentage

    report = _read(fill_template(vp, tmp_path / "VP.xlsx", {}, edit=edit))
    assert _row(report, "2.2").values[COL_PROGRESS] == "60%"
    assert _row(report, "3.1").values[COL_PROGRESS] == "100%"
    assert _row(report, "3.2").values[COL_PROGRESS] == 1
    assert _row(report, "3.4").values[COL_PROGRESS] == 0.5


def test_text_dates_stay_text_and_date_cells_are_dates(vp, tmp_path):
    rows = {
        "2.2": {COL_DONE_ON: "05/03/2025"},
        "3.1": {COL_DONE_ON: dt.date(2025, 3, 5)},
        "3.2": {COL_DONE_ON: dt.datetime(2025, 3, 5, 9, 30)},
    }
    report = _read(fill_template(vp, tmp_path / "VP.xlsx", rows))
    assert _row(report, "2.2").values[COL_DONE_ON] == "05/03/2025"
    assert _row(report, "3.1").values[COL_DONE_ON] == dt.date(2025, 3, 5)
    assert _row(report, "3.2").values[COL_DONE_ON] == dt.datetime(2025, 3, 5, 9, 30)


def test_formulas_are_detected_even_without_cached_values(vp, tmp_path):
    rows = {"2.2": {**DONE, COL_PROGRESS: "=1+1"}, "3.1": {COL_DONE_ON: "=TODAY()"}}
    report = _read(fill_template(vp, tmp_path / "VP.xlsx", rows))
    assert report.formula_cells == {"G11", "F12"}
    assert _row(report, "2.2").values[COL_PROGRESS] is None  # openpyxl writes no cached value


def test_error_values_read_as_excel_shows_them(vp, tmp_path):
    rows = {"2.2": {COL_PROGRESS: "#REF!"}, "3.1": {COL_DONE_ON: "#N/A"}}
    path = fill_template(vp, tmp_path / "VP.xlsx", rows)
    assert load_workbook(path)["Báo cáo"]["G11"].data_type == "e"  # real error cells, not text
    report = _read(path)
    assert _row(report, "2.2").values[COL_PROGRESS] == "#REF!"
    assert _row(report, "3.1").values[COL_DONE_ON] == "#N/A"
    assert is_error_value("#REF!") and is_error_value("#N/A") and is_error_value("Err:502")
    assert not is_error_value("Hoàn thành") and not is_error_value(60.0) and not is_error_value("#1")


def test_unit_and_period_in_the_label_cell_after_the_colon(vp, tmp_path):
    def edit(ws):
        ws.unmerge_cells("B7:D7")
        ws["A7"], ws["B7"] = "Đơn vị: Văn phòng Sở", None
        ws["A8"], ws["B8"] = "Kỳ báo cáo: tháng 5/2025", None

    report = _read(fill_template(vp, tmp_path / "VP.xlsx", {}, edit=edit))
    assert (report.unit_text, report.unit_cell) == ("Văn phòng Sở", "A7")
    assert (report.period_value, report.period_cell) == ("tháng 5/2025", "A8")


def test_unit_value_below_its_label_and_period_as_a_date(vp, tmp_path):
    def edit(ws):
        ws.unmerge_cells("B7:D7")
        ws["A7"], ws["B7"] = None, None
        ws["F6"], ws["F7"] = "ĐƠN VỊ:", "Văn phòng Sở"
        ws["B8"] = dt.date(2025, 5, 1)

    report = _read(fill_template(vp, tmp_path / "VP.xlsx", {}, edit=edit))
    assert (report.unit_text, report.unit_cell) == ("Văn phòng Sở", "F7")
    assert (report.period_value, report.period_cell) == (dt.date(2025, 5, 1), "B8")


def test_empty_unit_cell_points_where_the_value_belongs(vp, tmp_path):
    report = _read(fill_template(vp, tmp_path / "VP.xlsx", {}, unit_text=""))
    assert report.unit_text is None and report.unit_cell == "B7"


def test_missing_meta_sheet_reads_the_rest(vp, tmp_path):
    def edit(ws):
        ws.parent.remove(ws.parent[SHEET_META])

    report = _read(fill_template(vp, tmp_path / "VP.xlsx", {"2.2": DONE}, edit=edit))
    assert report.meta == {} and report.readable
    assert _row(report, "2.2").values[COL_STATUS] == "Hoàn thành"


# --- files that are not usable reports --------------------------------------------------------------------


def test_missing_optional_column_is_a_warning_naming_it(vp, tmp_path):
    def edit(ws):
        ws.delete_cols(11)  # Văn bản, minh chứng

    report = _read(fill_template(vp, tmp_path / "VP.xlsx", {"2.2": DONE}, edit=edit))
    assert _rules(report) == ["file.missing_column"]
    finding = report.findings[0]
    assert (
        finding.severity == "warning" and COL_EVIDENCE in finding.message and finding.file == "inbox/VP.xlsx"
    )
    assert report.readable and _row(report, "2.2").values[COL_STATUS] == "Hoàn thành"
    assert COL_EVIDENCE not in _row(report, "2.2").values


def test_missing_status_column_is_an_error(vp, tmp_path):
    def edit(ws):
        ws.delete_cols(5)  # Tình trạng

    report = _read(fill_template(vp, tmp_path / "VP.xlsx", {"2.2": DONE}, edit=edit))
    assert [(f.rule, f.severity) for f in report.findings] == [("file.missing_column", "error")]
    assert COL_STATUS in report.findings[0].message and not report.readable


def test_workbook_without_the_header_is_not_a_report(tmp_path):
    wb = Workbook()
    wb.active.append(["Họ tên", "Ghi chú"])
    wb.active.append(["Nguyễn Văn A", "Mã NV"])
    wb.save(tmp_path / "danh-sach.xlsx")
    report = _read(tmp_path / "danh-sach.xlsx")
    assert _rules(report) == ["file.no_report_sheet"] and report.findings[0].severity == "error"
    assert "Mã NV" in report.findings[0].message and not report.readable


def test_random_bytes_named_xlsx_are_unreadable(tmp_path):
    path = tmp_path / "bao-cao.xlsx"
    path.write_bytes(bytes(range(256)) * 40)
    report = _read(path)
    assert _rules(report) == ["file.unreadable"] and not report.readable
    assert "Excel" in report.findings[0].message


def test_empty_file(tmp_path):
    path = tmp_path / "VP.xlsx"
    path.write_bytes(b"")
    assert _rules(_read(path)) == ["file.empty"]


def test_truncated_workbook_says_it_is_cut_short(vp, tmp_path):
    path = tmp_path / "VP.xlsx"
    path.write_bytes(vp.read_bytes()[:3000])
    report = _read(path)
    assert _rules(report) == ["file.truncated"] and "cắt cụt" in report.findings[0].message


def test_word_document_renamed_xlsx_is_unreadable(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    report = read_report_bytes(buffer.getvalue(), "bao-cao.xlsx")
    assert _rules(report) == ["file.unreadable"] and "bảng tính" in report.findings[0].message


def test_password_protected_files_ask_for_an_unprotected_copy(tmp_path):
    for name, data in (("VP.xlsx", encrypted_ooxml()), ("VP.xls", encrypted_xls())):
        report = read_report_bytes(data, name)
        assert _rules(report) == ["file.encrypted"], name
        assert "mật khẩu" in report.findings[0].message


def test_password_protected_ods_asks_for_an_unprotected_copy():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr(
            "META-INF/manifest.xml",
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">'
            '<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="x"/>'
            "</manifest:file-entry></manifest:manifest>",
        )
        archive.writestr("content.xml", bytes(range(256)) * 8, zipfile.ZIP_DEFLATED)
    assert _rules(read_report_bytes(buffer.getvalue(), "VP.ods")) == ["file.encrypted"]


def test_xml_part_declaring_a_dtd_is_rejected(vp, tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(vp) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = (
                    b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "aaaa">]>\n' + data.split(b"?>", 1)[-1]
                )
            target.writestr(info, data)
    report = read_report_bytes(buffer.getvalue(), "VP.xlsx")
    assert _rules(report) == ["file.unsafe"] and "sheet1.xml" in report.findings[0].message


def test_zip_bomb_is_rejected_before_inflating(vp):
    buffer = io.BytesIO()
    with zipfile.ZipFile(vp) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("xl/media/padding.bin", b"\0" * (8 * 1024 * 1024))
    data = buffer.getvalue()
    report = read_report_bytes(data, "VP.xlsx")  # 8 MB at a ratio of ~1027, deflate's own limit
    assert _rules(report) == ["file.zip_bomb"] and "xl/media/padding.bin" in report.findings[0].message
    too_big = ReadLimits(max_inflated_bytes=2 * 1024 * 1024, max_ratio=10_000)
    [finding] = read_report_bytes(data, "VP.xlsx", limits=too_big).findings
    assert (finding.rule, "giải nén ra 9 MB, giới hạn 2 MB" in finding.message) == ("file.zip_bomb", True)
    generous = ReadLimits(max_ratio=10_000)
    assert read_report_bytes(data, "VP.xlsx", limits=generous).readable


def test_zip_part_inflating_to_more_than_it_declares_is_a_zip_bomb(vp):
    members = hostile.members_of(vp)
    part = next(m for m in members if m.name == "xl/worksheets/sheet1.xml")
    # far fewer bytes declared than even its compressed data: refused from the directory, nothing inflated
    told_tiny = part._replace(size=100)
    # more bytes declared than compressed, fewer than it inflates to: refused while inflating, at the cap
    told_short = part._replace(size=len(part.compressed) + 10)
    for member in (told_tiny, told_short):
        data = hostile.zip_bytes(hostile.replaced(members, part.name, member))
        report = read_report_bytes(data, "VP.xlsx")
        assert _rules(report) == ["file.zip_bomb"], member.size
        assert "xl/worksheets/sheet1.xml" in report.findings[0].message


LOOK_ALIKES = {
    "web page": (hostile.HTML_AS_XLS, "một trang web (HTML)"),
    "web page with BOM": (b"\xef\xbb\xbf<!DOCTYPE html>\n<html><body></body></html>", "một trang web (HTML)"),
    "single-file web page": (b"MIME-Version: 1.0\r\nContent-Type: multipart/related; type=\"text/html\"\r\n",
                             "một trang web (HTML)"),
    "CSV UTF-8": (hostile.CSV_AS_XLSX, "một tệp văn bản CSV"),
    "tab text UTF-16": ("Mã NV\tTình trạng\r\n2.1\tHoàn thành\r\n".encode("utf-16"), "một tệp văn bản CSV"),
    "CSV Windows-1258": ("Đơn vi,Trang thai\n2.1,Đang làm\n".encode("cp1258"), "một tệp văn bản CSV"),
    "XML Spreadsheet 2003": (hostile.XML_2003_AS_XLS, "một tệp XML Spreadsheet 2003"),
    "PDF": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "một tài liệu PDF"),
    "plain text": ("Báo cáo tháng 5 gửi kèm thư.\n".encode(), "một tệp văn bản thuần"),
}  # fmt: skip


@pytest.mark.parametrize("look_alike", sorted(LOOK_ALIKES))
def test_a_file_that_only_looks_like_a_spreadsheet_is_named_for_what_it_is(look_alike):
    data, kind = LOOK_ALIKES[look_alike]
    report = read_report_bytes(data, "VP_2025-05.xls")
    assert _rules(report) == ["file.wrong_format"] and not report.readable
    assert f"thực chất là {kind}" in report.findings[0].message


def test_a_truncated_xls_says_it_is_cut_short():
    data = encrypted_xls()  # any compound file: cut anywhere before its last sector
    for cut in (100, 700, len(data) // 2, len(data) - 512):
        assert _rules(read_report_bytes(data[:cut], "VP.xls")) == ["file.truncated"], cut


def test_stray_cell_far_from_the_table_is_refused_before_loading(vp, tmp_path):
    def edit(ws):
        ws["XFD1048576"] = "x"  # calamine would allocate 17 billion cells and abort the process

    report = _read(fill_template(vp, tmp_path / "VP.xlsx", {"2.2": DONE}, edit=edit))
    assert _rules(report) == ["file.sheet_too_large"]
    assert "Báo cáo" in report.findings[0].message and "Ctrl+End" in report.findings[0].message


def test_stray_cell_within_bounds_is_read(vp, tmp_path):
    def edit(ws):
        ws["K5000"] = "ghi chú lạc"

    report = _read(fill_template(vp, tmp_path / "VP.xlsx", {"2.2": DONE}, edit=edit))
    assert report.readable and report.rows[-1].number == 5000 and len(report.grid) == 5000


def test_forged_xls_dimensions_are_refused_before_calamine_opens_the_file():
    report = read_report_bytes(forged_xls_dimensions(), "VP.xls")
    assert _rules(report) == ["file.unreadable"]


def test_oversized_file_is_rejected(vp, tmp_path):
    report = read_report(vp, "VP.xlsx", limits=ReadLimits(max_file_bytes=1000))
    assert _rules(report) == ["file.too_large"]


def test_missing_file_is_unreadable(tmp_path):
    assert _rules(read_report(tmp_path / "gone.xlsx", "gone.xlsx")) == ["file.unreadable"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_damaged_files_become_findings_never_exceptions(vp, data):
    original = bytearray(vp.read_bytes())
    for _ in range(data.draw(st.integers(1, 8))):
        position = data.draw(st.integers(0, len(original) - 1))
        original[position] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(1, len(original)))
    report = read_report_bytes(bytes(original[:cut]), "VP.xlsx")
    assert report.readable or any(
        f.severity == "error" and f.rule.startswith("file.") for f in report.findings
    )


def test_formulas_are_looked_for_in_the_report_sheets_own_part(vp, tmp_path):
    def edit(ws):
        wb = ws.parent
        wb.move_sheet(ws, offset=len(wb.sheetnames) - 1)  # the report is now the last sheet part
        wb["Hướng dẫn"]["G11"] = "=2+2"  # a formula elsewhere is not the report's
        ws["G12"] = "=1+1"

    report = _read(fill_template(vp, tmp_path / "VP.xlsx", {}, edit=edit))
    assert report.sheet == "Báo cáo" and report.formula_cells == {"G12"}


def test_cells_without_references_are_placed_in_order(vp, tmp_path):
    source = fill_template(vp, tmp_path / "VP.xlsx", {"3.1": {COL_PROGRESS: "=1+1", COL_STATUS: "#N/A"}})
    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in archive.infolist():
            data = archive.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":  # r="E12" is optional on <c>
                data = re.sub(rb'(<c) r="[A-Z]+\d+"', rb"\1", data)
            target.writestr(info, data)
    report = read_report_bytes(buffer.getvalue(), "VP.xlsx")
    assert report.formula_cells == {"G12"}
    assert _row(report, "3.1").values[COL_STATUS] == "#N/A" and _row(report, "3.1").refs[COL_STATUS] == "E12"
