"""The unit template (SPEC §5): generated from the master for the default plan, read back with openpyxl."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from automation.domain.dates import Period
from automation.domain.model import Task
from automation.errors import FileError, InputError
from automation.i18n import messages
from automation.plan.default_plan import default_plan
from automation.settings import DEFAULTS, MASTER_NAME, Settings
from automation.state.files import find_header_row
from automation.templates.generate import (
    COL_CODE,
    COL_CONTENT,
    COL_DEADLINE,
    COL_DONE_ON,
    COL_EVIDENCE,
    COL_EXTENSION,
    COL_PROGRESS,
    COL_ROLE,
    COL_STATUS,
    HEADER_LABELS,
    INPUT_LABELS,
    LABEL_PERIOD,
    LABEL_UNIT,
    META_KEYS,
    PREFILLED_LABELS,
    RECURRING_TEXT,
    ROLE_LEAD,
    ROLE_SUPPORT,
    SHEET_GUIDE,
    SHEET_META,
    SHEET_REPORT,
    STATUS_VALUES,
    SUPPORT_ROWS,
    TEMPLATE_INPUT_LABELS,
    TEMPLATE_LABELS,
    TEMPLATE_VERSION,
    template_for_unit,
    write_templates,
)
from automation.templates.master import build_master
from tests.support.old_master import master_without_extension

PERIOD = Period(2025, 3)
GENERATED_AT = dt.datetime(2025, 3, 1, 8, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
EXPECTED_TASKS = {
    "TDKT": ["1.1", "1.2"],
    "TCBC": ["2.1"],
    "VP": ["2.2", "3.1", "3.2", "3.4"],
    "CCVC": ["3.3", "4.1", "4.2", "4.3"],
}
REPO_MASTER = Path(__file__).resolve().parents[1] / "workbook_templates" / MASTER_NAME
VIETNAMESE = set("ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")


@pytest.fixture(scope="module")
def master(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("master") / MASTER_NAME
    build_master(path)
    return path


@pytest.fixture(scope="module")
def generated(master, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("mau")
    paths = write_templates(default_plan(), master, out, PERIOD, 16, GENERATED_AT)
    return {path.name.split("_")[0]: path for path in paths}


@pytest.fixture(scope="module")
def books(generated) -> dict[str, Workbook]:
    return {code: load_workbook(path) for code, path in generated.items()}


def _header(ws: Worksheet) -> tuple[int, dict[str, int]]:
    found = find_header_row(ws, HEADER_LABELS)
    assert found is not None
    return found


def _rows(ws: Worksheet) -> list[dict[str, object]]:
    """The data rows under the header, as {label: value}, until the Vai trò column is empty."""
    header_row, cols = _header(ws)
    rows = []
    for r in range(header_row + 1, ws.max_row + 1):
        if ws.cell(r, cols[COL_ROLE]).value is None:
            break
        rows.append({label: ws.cell(r, col).value for label, col in cols.items()} | {"_row": r})
    return rows


def _value_right_of(ws: Worksheet, label: str):
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == label:
                return ws.cell(cell.row, cell.column + 1)
    raise AssertionError(f"no {label}")


def _validation(ws: Worksheet, column: int, row: int):
    ref = f"{get_column_letter(column)}{row}"
    matches = [dv for dv in ws.data_validations.dataValidation if ref in dv.sqref]
    assert len(matches) == 1, matches
    return matches[0]


def _all_values(wb: Workbook) -> dict[str, list[tuple]]:
    return {ws.title: [tuple(c.value for c in row) for row in ws.iter_rows()] for ws in wb.worksheets}


# --- files and sheets --------------------------------------------------------------------------------


def test_one_template_per_unit_named_unit_underscore_period(generated):
    assert sorted(p.name for p in generated.values()) == sorted(
        f"{code}_2025-03.xlsx" for code in ("TDKT", "TCBC", "VP", "CCVC")
    )


def test_sheets_are_bao_cao_then_huong_dan_then_meta(books):
    for wb in books.values():
        assert wb.sheetnames == [SHEET_REPORT, SHEET_GUIDE, SHEET_META]


def test_bao_cao_is_the_active_visible_first_sheet(books):
    for wb in books.values():
        assert wb.active.title == SHEET_REPORT
        assert wb[SHEET_REPORT].sheet_state == "visible"
        assert wb[SHEET_GUIDE].sheet_state == "visible"


def test_header_row_has_the_eleven_labels_in_order(books):
    ws = books["VP"][SHEET_REPORT]
    header_row, _ = _header(ws)
    assert [ws.cell(header_row, c).value for c in range(1, 12)] == list(HEADER_LABELS)
    assert list(HEADER_LABELS) == [
        "Mã NV",
        "Nội dung nhiệm vụ",
        "Vai trò",
        "Thời hạn",
        "Tình trạng",
        "Ngày hoàn thành",
        "Tiến độ (%)",
        "Kết quả thực hiện",
        "Khó khăn, vướng mắc",
        "Đề xuất, kiến nghị",
        "Văn bản, minh chứng",
    ]


def test_don_vi_cell_holds_the_unit_full_name(books):
    names = {u.code: u.name for u in default_plan().units}
    for code, wb in books.items():
        assert _value_right_of(wb[SHEET_REPORT], LABEL_UNIT).value == names[code]


def test_ky_bao_cao_cell_holds_month_slash_year_as_text(books):
    cell = _value_right_of(books["TCBC"][SHEET_REPORT], LABEL_PERIOD)
    assert cell.value == "03/2025"
    assert cell.data_type == "s"
    assert cell.number_format == "@"


def test_header_block_names_issuer_unit_motto_and_month(books):
    values = [c.value for row in books["TCBC"][SHEET_REPORT].iter_rows(max_row=6) for c in row if c.value]
    assert "SỞ NỘI VỤ TỈNH HẢI DƯƠNG" in values
    assert "PHÒNG TỔ CHỨC BIÊN CHẾ VÀ CẢI CÁCH HÀNH CHÍNH" in values
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in values
    assert "Độc lập - Tự do - Hạnh phúc" in values
    assert "BÁO CÁO KẾT QUẢ THỰC HIỆN KẾ HOẠCH THÁNG 03/2025" in values
    assert not [v for v in values if "{" in str(v)]


def test_title_names_the_plan_number_when_it_has_one(master, tmp_path):
    plan = dataclasses.replace(default_plan(), number="45/KH-SNV")
    wb = template_for_unit(plan, master, "VP", PERIOD, 16, GENERATED_AT)
    values = [c.value for row in wb[SHEET_REPORT].iter_rows(max_row=6) for c in row]
    assert "BÁO CÁO KẾT QUẢ THỰC HIỆN KẾ HOẠCH SỐ 45/KH-SNV THÁNG 03/2025" in values


# --- rows ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", sorted(EXPECTED_TASKS))
def test_each_unit_gets_one_chu_tri_row_per_task_it_leads(books, code):
    lead_rows = [r for r in _rows(books[code][SHEET_REPORT]) if r[COL_ROLE] == ROLE_LEAD]
    assert [r[COL_CODE] for r in lead_rows] == EXPECTED_TASKS[code]
    contents = {t.code: t.content for t in default_plan().tasks}
    for row in lead_rows:
        assert str(row[COL_CONTENT]).startswith(contents[str(row[COL_CODE])])


def test_deadlines_are_real_date_cells_shown_day_first(books):
    ws = books["CCVC"][SHEET_REPORT]
    rows = {r[COL_CODE]: r for r in _rows(ws)}
    assert {code: rows[code][COL_DEADLINE] for code in EXPECTED_TASKS["CCVC"]} == {
        "3.3": dt.datetime(2025, 5, 31),
        "4.1": dt.datetime(2025, 6, 30),
        "4.2": dt.datetime(2025, 7, 31),
        "4.3": dt.datetime(2025, 6, 30),
    }
    _, cols = _header(ws)
    assert ws.cell(rows["4.2"]["_row"], cols[COL_DEADLINE]).number_format == "dd/mm/yyyy"
    assert ws.cell(rows["4.2"]["_row"], cols[COL_DEADLINE]).is_date


def test_purely_recurring_task_shows_thuong_xuyen_instead_of_a_date(books):
    rows = {r[COL_CODE]: r for r in _rows(books["TDKT"][SHEET_REPORT])}
    assert rows["1.2"][COL_DEADLINE] == RECURRING_TEXT
    assert rows["1.1"][COL_DEADLINE] == dt.datetime(2025, 3, 31)


def test_recurring_task_with_deadline_shows_the_date_and_notes_it_goes_on(books):
    rows = {r[COL_CODE]: r for r in _rows(books["VP"][SHEET_REPORT])}
    assert rows["2.2"][COL_DEADLINE] == dt.datetime(2025, 5, 31)
    assert "thực hiện thường xuyên" in rows["2.2"][COL_CONTENT]
    assert "thường xuyên" not in rows["3.2"][COL_CONTENT]


@pytest.mark.parametrize("code", sorted(EXPECTED_TASKS))
def test_five_empty_phoi_hop_rows_follow_the_tasks(books, code):
    rows = _rows(books[code][SHEET_REPORT])
    expected = [ROLE_LEAD] * len(EXPECTED_TASKS[code]) + [ROLE_SUPPORT] * SUPPORT_ROWS
    assert [r[COL_ROLE] for r in rows] == expected
    for row in rows[-SUPPORT_ROWS:]:
        assert all(row[label] is None for label in HEADER_LABELS if label != COL_ROLE)


def test_input_cells_start_empty(books):
    for row in _rows(books["VP"][SHEET_REPORT]):
        assert all(row[label] is None for label in INPUT_LABELS)


def test_task_text_starting_with_equals_stays_text(master, tmp_path):
    plan = default_plan()
    evil = Task(
        code="9.9", group="", content='=HYPERLINK("http://x","bấm")', lead="VP", deadline=dt.date(2025, 6, 30)
    )
    plan = dataclasses.replace(plan, tasks=(*plan.tasks, evil))
    (path,) = write_templates(plan, master, tmp_path, PERIOD, 16, GENERATED_AT, unit_codes=["VP"])
    ws = load_workbook(path)[SHEET_REPORT]
    row = next(r for r in _rows(ws) if r[COL_CODE] == "9.9")
    _, cols = _header(ws)
    cell = ws.cell(row["_row"], cols[COL_CONTENT])
    assert cell.value == evil.content
    assert cell.data_type == "s"
    with zipfile.ZipFile(path) as zf:
        assert "<f>" not in zf.read("xl/worksheets/sheet1.xml").decode()


# --- validation, protection -------------------------------------------------------------------------


def test_status_column_has_dropdown_of_three_values(books):
    ws = books["VP"][SHEET_REPORT]
    _, cols = _header(ws)
    for row in _rows(ws):
        dv = _validation(ws, cols[COL_STATUS], row["_row"])
        assert dv.type == "list"
        assert dv.formula1 == '"Chưa triển khai,Đang thực hiện,Hoàn thành"'
        assert not dv.showDropDown  # in the file format, True would hide the arrow
        assert dv.showErrorMessage and dv.errorStyle == "stop"
    assert STATUS_VALUES == ("Chưa triển khai", "Đang thực hiện", "Hoàn thành")


def test_completion_date_has_a_date_rule_from_the_plan_start_shown_day_first(books, master):
    ws = books["TDKT"][SHEET_REPORT]
    _, cols = _header(ws)
    first = _rows(ws)[0]["_row"]
    dv = _validation(ws, cols[COL_DONE_ON], first)
    assert (dv.type, dv.operator, dv.formula1) == ("date", "greaterThanOrEqual", "DATE(2024,1,1)")
    assert "01/01/2024" in dv.error
    assert ws.cell(first, cols[COL_DONE_ON]).number_format == "dd/mm/yyyy"

    signed = dataclasses.replace(default_plan(), signed_on=dt.date(2025, 2, 25))
    ws2 = template_for_unit(signed, master, "TDKT", PERIOD, 16, GENERATED_AT)[SHEET_REPORT]
    assert _validation(ws2, cols[COL_DONE_ON], first).formula1 == "DATE(2025,2,25)"


def test_progress_is_a_whole_number_from_0_to_100(books):
    ws = books["TCBC"][SHEET_REPORT]
    _, cols = _header(ws)
    dv = _validation(ws, cols[COL_PROGRESS], _rows(ws)[0]["_row"])
    assert (dv.type, dv.operator, dv.formula1, dv.formula2) == ("whole", "between", "0", "100")


def test_every_input_column_has_a_vietnamese_input_and_error_message(books):
    ws = books["VP"][SHEET_REPORT]
    _, cols = _header(ws)
    rows = _rows(ws)
    for label in INPUT_LABELS:
        for row in (rows[0], rows[-1]):
            dv = _validation(ws, cols[label], row["_row"])
            assert dv.showInputMessage and dv.showErrorMessage
            assert 0 < len(dv.promptTitle) <= 32 and 0 < len(dv.prompt) <= 255
            assert 0 < len(dv.errorTitle) <= 32 and 0 < len(dv.error) <= 255
            assert VIETNAMESE & set((dv.prompt + dv.error).lower()), label


def test_phoi_hop_rows_code_and_content_have_input_messages(books):
    ws = books["VP"][SHEET_REPORT]
    _, cols = _header(ws)
    support = _rows(ws)[-1]["_row"]
    for label in (COL_CODE, COL_CONTENT):
        dv = _validation(ws, cols[label], support)
        assert dv.prompt and len(dv.prompt) <= 255 and len(dv.promptTitle) <= 32
    lead = _rows(ws)[0]["_row"]
    assert not [dv for dv in ws.data_validations.dataValidation if f"A{lead}" in dv.sqref]


def test_prefilled_cells_locked_and_input_cells_unlocked(books):
    ws = books["CCVC"][SHEET_REPORT]
    _, cols = _header(ws)
    for row in _rows(ws):
        support = row[COL_ROLE] == ROLE_SUPPORT
        for label in HEADER_LABELS:
            locked = ws.cell(row["_row"], cols[label]).protection.locked
            open_in_support = support and label in (COL_CODE, COL_CONTENT)
            assert locked == (label in PREFILLED_LABELS and not open_in_support), (row["_row"], label)
    assert _value_right_of(ws, LABEL_UNIT).protection.locked


def test_sheet_is_protected_without_password_and_allows_resizing(books):
    protection = books["TDKT"][SHEET_REPORT].protection
    assert protection.sheet
    assert not protection.password
    assert protection.formatColumns is False and protection.formatRows is False


# --- the extension request column (SPEC §15) --------------------------------------------------------------


def _extension_col(ws: Worksheet) -> int:
    header_row, cols = _header(ws)
    found = [c for c in range(1, ws.max_column + 1) if ws.cell(header_row, c).value == COL_EXTENSION]
    assert len(found) == 1
    assert found[0] == cols[COL_EVIDENCE] + 1
    assert not [c for c in range(found[0] + 1, ws.max_column + 1) if ws.cell(header_row, c).value]
    return found[0]


def _check_extension_column(ws: Worksheet, period_start: str = "DATE(2025,3,1)") -> None:
    """The last column: labelled after Văn bản, minh chứng, styled like the other input headers, open in
    every row, a date rule with its Vietnamese message, shown dd/mm/yyyy, printed."""
    header_row, cols = _header(ws)
    col = _extension_col(ws)
    head, evidence = ws.cell(header_row, col), ws.cell(header_row, cols[COL_EVIDENCE])
    assert (head.font.b, head.font.name, head.fill.fgColor.rgb) == (
        True,
        "Times New Roman",
        evidence.fill.fgColor.rgb,
    )
    assert head.border.left.style == evidence.border.left.style and head.alignment.wrap_text
    assert 10 <= ws.column_dimensions[get_column_letter(col)].width <= 14
    for row in _rows(ws):
        cell = ws.cell(row["_row"], col)
        assert not cell.protection.locked and cell.value is None
        assert cell.number_format == "dd/mm/yyyy"
        dv = _validation(ws, col, row["_row"])
        assert (dv.type, dv.operator, dv.formula1) == ("date", "greaterThanOrEqual", period_start)
        assert dv.showInputMessage and dv.showErrorMessage and dv.errorStyle == "stop"
        assert dv.promptTitle == "Đề nghị gia hạn đến" and len(dv.prompt) <= 255 and len(dv.error) <= 255
        assert "Chỉ điền khi đề nghị điều chỉnh thời hạn; ghi lý do ở cột Đề xuất, kiến nghị" in dv.prompt
        assert "dd/mm/yyyy" in dv.prompt and "dd/mm/yyyy" in dv.error
    assert ws.print_area.endswith(f"$A$1:${get_column_letter(col)}${ws.max_row}")
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "landscape"


def _guide_explains_extension(wb: Workbook) -> None:
    rows = [[str(c.value) for c in row if c.value] for row in wb[SHEET_GUIDE].iter_rows()]
    labels = [row[0] for row in rows if row]
    assert labels.index(COL_EXTENSION) == labels.index(COL_EVIDENCE) + 1
    (how,) = [row[1] for row in rows if row and row[0] == COL_EXTENSION]
    assert "dd/mm/yyyy" in how and '"Đề xuất, kiến nghị"' in how
    assert '"Thời hạn điều chỉnh"' in how and '"Căn cứ điều chỉnh"' in how


def test_the_extension_request_is_the_last_column_a_date_open_to_the_unit(books):
    for wb in books.values():
        _check_extension_column(wb[SHEET_REPORT])
    assert TEMPLATE_LABELS == (*HEADER_LABELS, COL_EXTENSION)
    assert TEMPLATE_INPUT_LABELS == (*INPUT_LABELS, COL_EXTENSION)


def test_the_guide_explains_how_to_ask_for_an_extension(books):
    _guide_explains_extension(books["VP"])


def test_the_title_block_spans_the_extension_column(books):
    ws = books["VP"][SHEET_REPORT]
    letter = get_column_letter(_extension_col(ws))
    merged = {str(m) for m in ws.merged_cells.ranges}
    assert {f"F1:{letter}1", f"A4:{letter}4"} <= merged


def _printed_points(ws: Worksheet, size: float = 12) -> float:
    """The printed size of the template's 12 pt text, fitted to the A4 landscape page width (as in
    tests/test_print_legibility.py: Excel draws a width w ``trunc(w * 7 + 0.5)`` px wide)."""
    last = _extension_col(ws)
    widths = [ws.column_dimensions[get_column_letter(c)].width for c in range(1, last + 1)]
    total = sum(int(w * 7 + 0.5) * 0.75 for w in widths)
    printable = 841.89 - (ws.page_margins.left + ws.page_margins.right) * 72
    assert ws.sheet_properties.pageSetUpPr.fitToPage and int(ws.page_setup.fitToWidth) == 1
    return size * min(1.0, printable / total)


def test_the_twelve_columns_print_at_9_pt_or_more(books):
    ws = books["CCVC"][SHEET_REPORT]
    assert _printed_points(ws) >= 9
    assert max(c.font.sz for row in _rows(ws) for c in ws[row["_row"]] if c.font) == 12


def test_an_older_master_without_the_column_gains_it(master, tmp_path):
    old = master_without_extension(master, tmp_path / "cu.xlsx")
    ws = load_workbook(old)[SHEET_REPORT]
    assert COL_EXTENSION not in [c.value for row in ws.iter_rows() for c in row]
    (path,) = write_templates(default_plan(), old, tmp_path / "out", PERIOD, 16, GENERATED_AT, ["CCVC"])
    wb = load_workbook(path)
    _check_extension_column(wb[SHEET_REPORT])
    _guide_explains_extension(wb)
    assert _printed_points(wb[SHEET_REPORT]) >= 9
    letter = get_column_letter(_extension_col(wb[SHEET_REPORT]))
    assert f"A4:{letter}4" in {str(m) for m in wb[SHEET_REPORT].merged_cells.ranges}
    guide = "\n".join(str(c.value) for row in wb[SHEET_GUIDE].iter_rows() for c in row if c.value)
    assert guide.count(COL_EXTENSION) >= 1 and "{" not in guide


def test_the_column_is_added_once_whatever_groups_the_master_has(master, tmp_path):
    old = master_without_extension(master, tmp_path / "cu.xlsx")
    wb = load_workbook(old)
    ws = wb[SHEET_REPORT]
    dim = ws.column_dimensions[
        "K"
    ]  # Văn bản, minh chứng and the unused columns as one group, as saved by some
    dim.min, dim.max = 11, 30
    wb.save(old)
    (path,) = write_templates(default_plan(), old, tmp_path / "out", PERIOD, 16, GENERATED_AT, ["VP"])
    out = load_workbook(path)[SHEET_REPORT]
    col = _extension_col(out)
    spans = sorted((d.min, d.max) for d in out.column_dimensions.values() if d.min)
    assert all(a[1] < b[0] for a, b in itertools.pairwise(spans)), spans
    assert (col, col) in spans and out.column_dimensions["K"].width == 17


# --- print, view, fonts -------------------------------------------------------------------------------


def test_print_setup_is_a4_landscape_fit_to_width_with_header_repeated(books):
    ws = books["VP"][SHEET_REPORT]
    header_row, _ = _header(ws)
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (int(ws.page_setup.fitToWidth), int(ws.page_setup.fitToHeight)) == (1, 0)
    assert ws.print_title_rows.replace("$", "") == f"{header_row}:{header_row}"


def test_panes_are_frozen_below_the_header_row(books):
    ws = books["TCBC"][SHEET_REPORT]
    header_row, _ = _header(ws)
    assert ws.freeze_panes == f"A{header_row + 1}"


def test_every_cell_with_text_is_times_new_roman_and_data_wraps(books):
    wb = books["VP"]
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    assert cell.font.name == "Times New Roman", (ws.title, cell.coordinate)
    ws = wb[SHEET_REPORT]
    for row in _rows(ws):
        for col in _header(ws)[1].values():
            assert ws.cell(row["_row"], col).alignment.wrap_text


def test_long_task_content_gets_a_row_tall_enough(books):
    ws = books["CCVC"][SHEET_REPORT]
    rows = {r[COL_CODE]: r["_row"] for r in _rows(ws)}
    assert ws.row_dimensions[rows["4.3"]].height > 3 * ws.row_dimensions[rows["3.3"]].height / 2


# --- _meta and Hướng dẫn -------------------------------------------------------------------------------


def test_meta_sheet_is_very_hidden_with_the_template_facts(books):
    ws = books["VP"][SHEET_META]
    assert ws.sheet_state == "veryHidden"
    assert {row[0]: row[1] for row in ws.iter_rows(values_only=True)} == {
        "template_version": TEMPLATE_VERSION,
        "plan_id": "KH-SNV-726",
        "unit_code": "VP",
        "period": "2025-03",
        "task_codes": "2.2,3.1,3.2,3.4",
        "generated_at": "2025-03-01T08:30:00+07:00",
    }
    assert [row[0] for row in ws.iter_rows(values_only=True)] == list(META_KEYS)


def test_guide_gives_the_deadline_unit_period_coordinator_and_file_name(books):
    text = "\n".join(str(c.value) for row in books["VP"][SHEET_GUIDE].iter_rows() for c in row if c.value)
    assert "trước ngày 16/03/2025" in text
    assert "Văn phòng Sở" in text and "03/2025" in text
    assert "Phòng Công chức, viên chức" in text  # the coordinator
    assert "VP_2025-03.xlsx" in text and ".xlsx" in text
    assert all(status in text for status in STATUS_VALUES)
    assert all(label in text for label in HEADER_LABELS)
    assert "{" not in text


def test_guide_deadline_follows_submit_before_day(master, tmp_path):
    wb = template_for_unit(default_plan(), master, "VP", Period(2025, 2), 28, GENERATED_AT)
    text = " ".join(str(c.value) for row in wb[SHEET_GUIDE].iter_rows() for c in row if c.value)
    assert "trước ngày 28/02/2025" in text


def _guide_text(wb) -> str:
    return " ".join(str(c.value) for row in wb[SHEET_GUIDE].iter_rows() for c in row if c.value)


def test_guide_names_the_mailbox_baocao_reads_not_the_coordinator(master, tmp_path):
    values = {
        **DEFAULTS, "IMAP_HOST": "mail.snv.example.vn", "IMAP_USER": "baocao@snv.example.vn",
        "COORDINATOR_EMAIL": "tonghop@snv.example.vn",
    }  # fmt: skip
    config = Settings.from_values(tmp_path, values)
    text = _guide_text(
        template_for_unit(default_plan(), master, "VP", PERIOD, 16, GENERATED_AT, config.how_to_send())
    )
    assert "gửi tệp qua email tới baocao@snv.example.vn" in text
    assert "tonghop@snv.example.vn" not in text
    other = Settings.from_values(tmp_path, {**values, "REPORT_ADDRESS": "nopbaocao@snv.example.vn"})
    text = _guide_text(
        template_for_unit(default_plan(), master, "VP", PERIOD, 16, GENERATED_AT, other.how_to_send())
    )
    assert "nopbaocao@snv.example.vn" in text and "baocao@snv.example.vn" not in text.replace("nopbaocao", "")


def test_guide_without_a_mailbox_names_the_shared_folder_never_an_empty_address(master, tmp_path):
    values = {**DEFAULTS, "INBOX_DIR": "//may-chu/BaoCaoThang", "COORDINATOR_EMAIL": "tonghop@snv.example.vn"}
    config = Settings.from_values(tmp_path, values)
    text = _guide_text(
        template_for_unit(default_plan(), master, "VP", PERIOD, 16, GENERATED_AT, config.how_to_send())
    )
    assert "chép tệp vào thư mục dùng chung «//may-chu/BaoCaoThang»" in text
    assert "tonghop@snv.example.vn" not in text and "tới ." not in text and "tới  " not in text


# --- choosing units, errors ------------------------------------------------------------------------------


def test_unit_filter_writes_only_the_given_units(master, tmp_path):
    paths = write_templates(
        default_plan(), master, tmp_path, PERIOD, 16, GENERATED_AT, unit_codes=["vp", "TDKT"]
    )
    assert [p.name for p in paths] == ["TDKT_2025-03.xlsx", "VP_2025-03.xlsx"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["TDKT_2025-03.xlsx", "VP_2025-03.xlsx"]


def test_unknown_unit_is_an_input_error_listing_valid_codes_and_writes_nothing(master, tmp_path):
    with pytest.raises(InputError) as raised:
        write_templates(default_plan(), master, tmp_path, PERIOD, 16, GENERATED_AT, unit_codes=["VP", "XYZ"])
    assert "XYZ" in raised.value.message
    assert "TDKT, TCBC, VP, CCVC" in raised.value.message
    assert "đơn vị" in raised.value.message
    assert list(tmp_path.iterdir()) == []


def test_missing_master_is_a_file_error(tmp_path):
    with pytest.raises(FileError) as raised:
        write_templates(default_plan(), tmp_path / "khong-co.xlsx", tmp_path, PERIOD, 16, GENERATED_AT)
    assert "mẫu báo cáo gốc" in raised.value.message


def test_broken_master_is_a_file_error(tmp_path):
    broken = tmp_path / "hong.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(FileError) as raised:
        write_templates(default_plan(), broken, tmp_path / "out", PERIOD, 16, GENERATED_AT)
    assert "không đọc được" in raised.value.message
    assert not (tmp_path / "out").exists()


def test_master_without_the_header_labels_is_a_file_error(master, tmp_path):
    wb = load_workbook(master)
    header_row, cols = _header(wb[SHEET_REPORT])
    wb[SHEET_REPORT].cell(header_row, cols[COL_STATUS]).value = "Trạng thái"
    edited = tmp_path / "sua.xlsx"
    wb.save(edited)
    with pytest.raises(FileError) as raised:
        write_templates(default_plan(), edited, tmp_path, PERIOD, 16, GENERATED_AT)
    assert "Tình trạng" in raised.value.message


# --- the master ----------------------------------------------------------------------------------------------


def test_restyling_the_master_sample_row_restyles_every_generated_row(master, tmp_path):
    wb = load_workbook(master)
    ws = wb[SHEET_REPORT]
    header_row, cols = _header(ws)
    for col in cols.values():
        ws.cell(header_row + 1, col).font = Font(name="Times New Roman", size=13, color="FF1F4E79")
    ws.column_dimensions["H"].width = 45
    restyled = tmp_path / "restyled.xlsx"
    wb.save(restyled)
    (path,) = write_templates(default_plan(), restyled, tmp_path / "out", PERIOD, 16, GENERATED_AT, ["CCVC"])
    out = load_workbook(path)[SHEET_REPORT]
    for row in _rows(out):
        for col in cols.values():
            font = out.cell(row["_row"], col).font
            assert (font.sz, font.color.rgb) == (13, "FF1F4E79")
    assert out.column_dimensions["H"].width == 45


def test_header_row_is_found_by_its_labels_wherever_the_master_puts_it(master, tmp_path):
    wb = load_workbook(master)
    ws = wb[SHEET_REPORT]
    header_row, _ = _header(ws)
    ws.insert_rows(header_row - 1, 3)
    moved = tmp_path / "moved.xlsx"
    wb.save(moved)
    (path,) = write_templates(default_plan(), moved, tmp_path / "out", PERIOD, 16, GENERATED_AT, ["VP"])
    out = load_workbook(path)[SHEET_REPORT]
    new_row, _ = _header(out)
    assert new_row == header_row + 3
    assert [r[COL_CODE] for r in _rows(out)][:4] == EXPECTED_TASKS["VP"]
    assert out.freeze_panes == f"A{new_row + 1}"
    assert out.print_title_rows.replace("$", "") == f"{new_row}:{new_row}"


def test_content_below_the_sample_row_moves_down_intact(master, tmp_path):
    wb = load_workbook(master)
    ws = wb[SHEET_REPORT]
    header_row, _ = _header(ws)
    ws.cell(header_row + 3, 8).value = "NGƯỜI LẬP BIỂU"
    ws.merge_cells(start_row=header_row + 3, start_column=8, end_row=header_row + 3, end_column=10)
    footer = tmp_path / "footer.xlsx"
    wb.save(footer)
    (path,) = write_templates(default_plan(), footer, tmp_path / "out", PERIOD, 16, GENERATED_AT, ["VP"])
    out = load_workbook(path)[SHEET_REPORT]
    last = _rows(out)[-1]["_row"]
    assert last == header_row + 4 + SUPPORT_ROWS
    assert out.cell(last + 2, 8).value == "NGƯỜI LẬP BIỂU"
    assert f"H{last + 2}:J{last + 2}" in {str(m) for m in out.merged_cells.ranges}


def test_committed_master_is_what_build_master_writes(master):
    committed, fresh = load_workbook(REPO_MASTER), load_workbook(master)
    assert _all_values(committed) == _all_values(fresh), "rebuild workbook_templates/ with build_master"


def test_master_has_the_header_and_one_styled_sample_row(master):
    ws = load_workbook(master)[SHEET_REPORT]
    header_row, cols = _header(ws)
    sample = [ws.cell(header_row + 1, c) for c in cols.values()]
    assert all(c.font.name == "Times New Roman" and c.border.left.style for c in sample)
    assert ws.cell(header_row + 1, cols[COL_DEADLINE]).number_format == "dd/mm/yyyy"
    assert ws.cell(header_row + 2, cols[COL_CODE]).value is None


# --- determinism and language -------------------------------------------------------------------------


def test_same_inputs_give_the_same_workbook(master, generated, tmp_path):
    again = write_templates(default_plan(), master, tmp_path, PERIOD, 16, GENERATED_AT)
    for path in again:
        first, second = load_workbook(generated[path.name.split("_")[0]]), load_workbook(path)
        assert _all_values(first) == _all_values(second)
        dvs = [
            [(dv.sqref, dv.formula1, dv.prompt) for dv in wb[SHEET_REPORT].data_validations.dataValidation]
            for wb in (first, second)
        ]
        assert dvs[0] == dvs[1]
        heights = [
            {r: d.height for r, d in wb[SHEET_REPORT].row_dimensions.items()} for wb in (first, second)
        ]
        assert heights[0] == heights[1]


def test_english_keeps_the_file_contract_vietnamese(master, tmp_path):
    messages.set_language("en")
    wb = template_for_unit(default_plan(), master, "VP", PERIOD, 16, GENERATED_AT)
    ws = wb[SHEET_REPORT]
    header_row, cols = _header(ws)
    assert [ws.cell(header_row, c).value for c in cols.values()] == list(HEADER_LABELS)
    dv = _validation(ws, cols[COL_STATUS], header_row + 1)
    assert dv.formula1 == '"Chưa triển khai,Đang thực hiện,Hoàn thành"'
    assert dv.promptTitle == "Status"
    assert [s.title for s in wb.worksheets] == [SHEET_REPORT, SHEET_GUIDE, SHEET_META]
