"""The small .xlsx writer: every feature it has, read back by openpyxl, python-calamine and real LibreOffice,
and unit text that tries to break the file."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from automation.write.xlsx_lite import Page, Style, Workbook
from tests.support.libreoffice import convert

CREATED = dt.datetime(2025, 5, 19, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
NFD = unicodedata.normalize("NFD", "Báo cáo tiến độ của Phòng Tổ chức")
LONG = "Kết quả thực hiện 😀 " * 2000  # 40,000 characters, 42,000 UTF-16 units
# what a unit may type, and what the file must keep of it (control characters dropped)
HOSTILE = {
    "=1+1": "=1+1",
    '=HYPERLINK("http://evil.example/x","Bấm")': '=HYPERLINK("http://evil.example/x","Bấm")',
    "+1 cán bộ": "+1 cán bộ",
    "-2 hồ sơ": "-2 hồ sơ",
    "@SUM(A1)": "@SUM(A1)",
    "<script>alert('x')</script> & </t></is>": "<script>alert('x')</script> & </t></is>",
    "bell\x07 null\x00 esc\x1b vt\x0b end": "bell null esc vt end",
    "  leading and trailing spaces  ": "  leading and trailing spaces  ",
    "dòng 1\ndòng 2\tcột": "dòng 1\ndòng 2\tcột",
    "emoji 😀👍🏽 ok": "emoji 😀👍🏽 ok",
    NFD: NFD,
    "lone surrogate \ud800 and \ufffe gone": "lone surrogate  and  gone",
}
HEAD = Style(
    bold=True, fill="D9E1F2", border=1, border_colour="A6A6A6", align="center", valign="center", wrap=True
)
CELL = Style(border=1, border_colour="A6A6A6", valign="top", wrap=True)
ERROR = CELL._replace(fill="FFC7CE", colour="9C0006", border=2, border_colour="9C0006")
NOTE = Style(italic=True, size=9, colour="595959")
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def build(path: Path, compress: bool = False) -> None:
    """A workbook using every feature: the data sheet (first) and a second sheet, which is active."""
    wb = Workbook(CREATED, title="Thử <nghiệm> & kiểm tra", author="baocao", font="Times New Roman")
    ws = wb.add_sheet("Dữ liệu")
    ws.merge(0, 0, 0, 4, HEAD._replace(size=14))
    ws.write(0, 0, "Tiêu đề gộp qua năm cột", HEAD._replace(size=14))
    for col, label in enumerate(("Mã", "Nội dung", "Ngày", "Số", "Xong")):
        ws.write(1, col, label, HEAD)
    ws.write(2, 0, "1.1", CELL)
    ws.write(2, 1, "Nội dung dài, xuống dòng trong ô", CELL)
    ws.write(2, 2, dt.date(2025, 5, 31), CELL._replace(num_format="dd/mm/yyyy", align="center"))
    ws.write(2, 3, 60, CELL)
    ws.write(2, 4, True, CELL)
    ws.write(3, 0, "1.2", CELL)
    ws.write(3, 1, None, ERROR)  # a styled blank: the problem is that it is empty
    ws.write(3, 2, dt.datetime(2025, 5, 16, 14, 30), CELL)  # no format given: dd/mm/yyyy hh:mm
    ws.write(3, 3, 12.5, CELL)
    ws.write(3, 4, "", CELL)
    ws.comment(3, 1, "Lỗi: chưa ghi nội dung.\nCảnh báo: <b>&amp;</b> bell\x07", width=384, height=111)
    ws.comment(2, 3, "=1+1 trong ghi chú")
    for offset, text in enumerate(HOSTILE):
        ws.write(5 + offset, 1, text, NOTE)
    ws.write(5 + len(HOSTILE), 1, LONG)
    ws.write(6 + len(HOSTILE), 1, float("nan"))
    ws.write(7 + len(HOSTILE), 1, dt.date(1899, 12, 1))
    for col, width in enumerate((8, 40, 12, 8, 6)):
        ws.set_width(col, width)
    ws.set_height(2, 33)
    ws.set_height(40, 20)  # a height on a row without cells
    ws.freeze(2, 1)
    ws.repeat_rows = (1, 1)
    ws.print_area = (0, 0, 3, 4)
    ws.autofilter = (1, 0, 3, 4)
    header = '&L&"Times New Roman,Regular"&9Phòng A && B&R&"Times New Roman,Regular"&9Tháng 05/2025'
    ws.page = Page(
        landscape=True, fit=(1, 0), margins=(0.5, 0.5, 0.75, 0.75), header=header, footer="&CTrang &P/&N"
    )
    other = wb.add_sheet("Kết quả kiểm tra")
    other.write(0, 0, "Kết quả", Style(bold=True, size=14))
    other.page = Page(header="x" * 300)  # too long for Excel: left out
    wb.active = 1
    wb.save(path, compress=compress)


@pytest.fixture(scope="module")
def path(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("lite") / "every-feature.xlsx"
    build(target)
    return target


@pytest.fixture(scope="module")
def book(path):
    return openpyxl.load_workbook(path)


def _rgb(colour) -> str:
    return (colour.rgb or "")[-6:] if colour is not None and colour.type == "rgb" else ""


def test_sheets_in_order_and_the_active_one(book):
    assert book.sheetnames == ["Dữ liệu", "Kết quả kiểm tra"]
    assert book.active.title == "Kết quả kiểm tra"
    assert book["Kết quả kiểm tra"].sheet_view.tabSelected and not book["Dữ liệu"].sheet_view.tabSelected


def test_values_keep_their_types(book):
    ws = book["Dữ liệu"]
    assert [c.value for c in ws[2]] == ["Mã", "Nội dung", "Ngày", "Số", "Xong"]
    assert (ws["A3"].value, ws["A3"].data_type) == ("1.1", "s")
    assert ws["D3"].value == 60 and ws["D3"].data_type == "n"
    assert ws["E3"].value is True and ws["D4"].value == 12.5
    assert ws["B4"].value is None and ws["E4"].value is None
    assert ws["F3"].value is None  # nothing beyond what was written


def test_dates_are_dates_shown_day_first(book):
    ws = book["Dữ liệu"]
    assert ws["C3"].value == dt.datetime(2025, 5, 31) and ws["C3"].number_format == "dd/mm/yyyy"
    assert ws["C4"].value == dt.datetime(2025, 5, 16, 14, 30) and ws["C4"].number_format == "dd/mm/yyyy hh:mm"


def test_styles_fonts_fills_borders_alignment(book):
    ws = book["Dữ liệu"]
    head = ws["B2"]
    assert head.font.b and head.font.name == "Times New Roman" and head.font.sz == 11
    assert head.fill.fill_type == "solid" and _rgb(head.fill.fgColor) == "D9E1F2"
    assert head.border.left.style == "thin" and _rgb(head.border.bottom.color) == "A6A6A6"
    assert (head.alignment.horizontal, head.alignment.vertical, head.alignment.wrap_text) == (
        "center",
        "center",
        True,
    )
    error = ws["B4"]
    assert _rgb(error.fill.fgColor) == "FFC7CE" and _rgb(error.font.color) == "9C0006"
    assert error.border.top.style == "medium" and _rgb(error.border.top.color) == "9C0006"
    note = ws["B6"]
    assert note.font.i and note.font.sz == 9 and _rgb(note.font.color) == "595959" and not note.font.b
    assert ws["A1"].font.sz == 14 and ws["A3"].alignment.vertical == "top" and ws["A3"].fill.fill_type is None


def test_styles_are_written_once_each(path):
    with zipfile.ZipFile(path) as archive:
        styles = ElementTree.fromstring(archive.read("xl/styles.xml"))
    ns = NS
    # default, title, head, cell, date, error, datetime, note, the second sheet's title
    assert len(styles.findall("m:cellXfs/m:xf", ns)) == 9
    assert len(styles.findall("m:fills/m:fill", ns)) == 4  # none, gray125, D9E1F2, FFC7CE


def test_comments_sit_on_their_cells(book):
    ws = book["Dữ liệu"]
    notes = {c.coordinate: c.comment.text for row in ws.iter_rows() for c in row if c.comment}
    assert notes == {"B4": "Lỗi: chưa ghi nội dung.\nCảnh báo: <b>&amp;</b> bell", "D3": "=1+1 trong ghi chú"}
    assert ws["B4"].comment.author == "baocao"


def test_merges_widths_heights(book, path):
    ws = book["Dữ liệu"]
    assert [str(r) for r in ws.merged_cells.ranges] == ["A1:E1"]
    with zipfile.ZipFile(path) as archive:
        sheet = ElementTree.fromstring(archive.read("xl/worksheets/sheet1.xml"))
    row = sheet.find("m:sheetData/m:row", NS)
    # the covered cells carry the range's style, so its borders and fill reach the right edge
    assert [(c.get("r"), c.get("s")) for c in row] == [
        (ref, row[0].get("s")) for ref in ("A1", "B1", "C1", "D1", "E1")
    ]
    assert ws.column_dimensions["B"].width == pytest.approx(40.71, abs=0.01)
    assert ws.column_dimensions["E"].width == pytest.approx(6.71, abs=0.01)
    assert ws.row_dimensions[3].height == 33 and ws.row_dimensions[41].height == 20


def test_view_and_print_setup(book):
    ws = book["Dữ liệu"]
    assert ws.freeze_panes == "B3"
    assert ws.print_title_rows == "$2:$2"
    assert ws.print_area == "'Dữ liệu'!$A$1:$E$4"
    assert ws.auto_filter.ref == "A2:E4"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (None, 0)  # 1 page wide is the default
    assert (ws.page_setup.orientation, ws.page_setup.paperSize) == ("landscape", 9)
    assert (ws.page_margins.left, ws.page_margins.top) == (0.5, 0.75)
    assert ws.oddHeader.left.text == "Phòng A && B" and ws.oddHeader.right.text == "Tháng 05/2025"
    assert ws.oddFooter.center.text == "Trang &P/&N"
    other = book["Kết quả kiểm tra"]
    assert other.page_setup.orientation == "portrait" and not other.sheet_properties.pageSetUpPr.fitToPage
    assert (
        other.oddHeader.left.text is None and other.oddHeader.center.text is None
    )  # 300 characters: left out


def test_hostile_text_stays_text_and_the_file_stays_whole(book, path):
    ws = book["Dữ liệu"]
    for offset, expected in enumerate(HOSTILE.values()):
        cell = ws.cell(6 + offset, 2)
        assert (cell.value, cell.data_type) == (expected, "s")
    long = ws.cell(6 + len(HOSTILE), 2).value
    assert len(long.encode("utf-16-le")) // 2 <= 32767 and LONG.startswith(long) and len(long) > 30000
    assert ws.cell(7 + len(HOSTILE), 2).value == "nan"  # Excel has no NaN
    assert ws.cell(8 + len(HOSTILE), 2).value == "1899-12-01"  # nor days before 1900
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        for name in archive.namelist():
            if name.endswith((".xml", ".rels", ".vml")):
                ElementTree.fromstring(archive.read(name))  # every part is well-formed XML
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and 't="inlineStr"' in sheet  # no formula anywhere


def test_excel_escape_lookalikes_are_kept_literal(tmp_path):
    """Excel reads "_x0041_" in a string as "A"; the writer escapes the underscore, as Excel does."""
    wb = Workbook(CREATED)
    wb.add_sheet("S").write(0, 0, "mã _x0041_ giữ nguyên")
    wb.save(tmp_path / "x.xlsx")
    sheet = CalamineWorkbook.from_path(str(tmp_path / "x.xlsx")).get_sheet_by_name("S")
    assert sheet.to_python() == [["mã _x0041_ giữ nguyên"]]


def test_calamine_reads_values_dates_and_merges(path):
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Dữ liệu")
    rows = sheet.to_python(skip_empty_area=False)
    assert rows[1] == ["Mã", "Nội dung", "Ngày", "Số", "Xong"]
    assert rows[2] == ["1.1", "Nội dung dài, xuống dòng trong ô", dt.date(2025, 5, 31), 60.0, True]
    assert rows[3][2] == dt.datetime(2025, 5, 16, 14, 30) and rows[3][3] == 12.5
    assert [rows[5 + i][1] for i in range(len(HOSTILE))] == list(HOSTILE.values())
    assert sheet.merged_cell_ranges == [((0, 0), (0, 4))]


def test_same_calls_give_the_same_bytes(tmp_path, path):
    build(tmp_path / "again.xlsx")
    assert (tmp_path / "again.xlsx").read_bytes() == path.read_bytes()
    with zipfile.ZipFile(path) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert '<dcterms:created xsi:type="dcterms:W3CDTF">2025-05-19T01:00:00Z</dcterms:created>' in core
    assert "<dc:title>Thử &lt;nghiệm&gt; &amp; kiểm tra</dc:title>" in core


def test_deflated_file_holds_the_same_workbook(tmp_path, path):
    build(tmp_path / "small.xlsx", compress=True)
    assert (tmp_path / "small.xlsx").stat().st_size < path.stat().st_size / 2
    small, plain = openpyxl.load_workbook(tmp_path / "small.xlsx"), openpyxl.load_workbook(path)
    values = [[c.value for row in wb["Dữ liệu"].iter_rows() for c in row] for wb in (small, plain)]
    assert values[0] == values[1]


@pytest.mark.parametrize(
    "mistake",
    [
        lambda wb: wb.add_sheet("a/b"),
        lambda wb: wb.add_sheet("x" * 32),
        lambda wb: wb.add_sheet("'quoted'"),
        lambda wb: wb.add_sheet("bell\x07"),
        lambda wb: (wb.add_sheet("Báo cáo"), wb.add_sheet("BÁO CÁO")),
        lambda wb: wb.add_sheet("S").merge(0, 0, 0, 0),
        lambda wb: (ws := wb.add_sheet("S"), ws.merge(0, 0, 1, 1), ws.merge(1, 1, 2, 2)),
        lambda wb: wb.add_sheet("S").write(0, 16384, "x"),
        lambda wb: wb.add_sheet("S").write(-1, 0, "x"),
    ],
)
def test_mistakes_that_would_break_the_file_are_refused(mistake):
    with pytest.raises(ValueError):
        mistake(Workbook(CREATED))


def test_bad_colour_and_active_sheet_are_refused():
    wb = Workbook(CREATED)
    wb.add_sheet("S").write(0, 0, "x", Style(fill="red"))
    with pytest.raises(ValueError, match="RRGGBB"):
        wb.to_bytes()
    wb = Workbook(CREATED)
    wb.add_sheet("S")
    wb.active = 1
    with pytest.raises(ValueError):
        wb.to_bytes()


@pytest.fixture(scope="module")
def libreoffice(path, tmp_path_factory) -> dict[str, Path]:
    """The workbook opened by real LibreOffice and saved as .ods and as .xlsx."""
    out = tmp_path_factory.mktemp("lo")
    return {target: convert([path], target, out / target)[0] for target in ("ods", "xlsx")}


@pytest.mark.libreoffice
def test_libreoffice_opens_it_with_the_same_values(libreoffice):
    rows = CalamineWorkbook.from_path(str(libreoffice["ods"])).get_sheet_by_name("Dữ liệu").to_python()
    assert rows[0][0] == "Tiêu đề gộp qua năm cột"
    assert rows[2] == ["1.1", "Nội dung dài, xuống dòng trong ô", dt.date(2025, 5, 31), 60.0, True]
    assert rows[3][2] == dt.datetime(2025, 5, 16, 14, 30) and rows[3][3] == 12.5
    # LibreOffice drops a tab inside a cell's text (it does so for xlsxwriter's files too)
    expected = [text.replace("\t", "") for text in HOSTILE.values()]
    assert [rows[5 + i][1] for i in range(len(HOSTILE))] == expected


@pytest.mark.libreoffice
def test_libreoffice_keeps_notes_merges_and_highlights(libreoffice):
    book = openpyxl.load_workbook(libreoffice["xlsx"])
    ws = book["Dữ liệu"]
    notes = {c.coordinate: c.comment.text for row in ws.iter_rows() for c in row if c.comment}
    assert notes == {"B4": "Lỗi: chưa ghi nội dung.\nCảnh báo: <b>&amp;</b> bell", "D3": "=1+1 trong ghi chú"}
    assert "A1:E1" in {str(r) for r in ws.merged_cells.ranges}
    assert _rgb(ws["B4"].fill.fgColor) == "FFC7CE" and ws["B2"].font.b
    assert (
        book.active.title == "Kết quả kiểm tra"
    )  # (headless LibreOffice saves no frozen panes, for any file)
    assert ws["C3"].number_format.lower().startswith("dd/mm/yy")


def test_zip_entries_are_stored_or_deflated_as_documented(path):
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
        methods = {info.filename: info.compress_type for info in archive.infolist()}
    assert methods["xl/worksheets/sheet1.xml"] == zipfile.ZIP_STORED
    assert methods["xl/styles.xml"] == methods["[Content_Types].xml"] == zipfile.ZIP_DEFLATED
    assert next(iter(methods)) == "[Content_Types].xml"
