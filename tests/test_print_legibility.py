"""Every sheet of the consolidated workbook prints legibly (issue 13 item 5), read back with openpyxl as
Excel and LibreOffice read the print settings: A4, the detail sheets landscape, their 11 pt text at 9 pt or
more once fitted or scaled; a sheet too wide for that breaks across pages with its header row and key
columns repeated; the summary one portrait page."""

from __future__ import annotations

import openpyxl
import pytest

from automation.i18n import messages
from automation.write.workbook import SHEETS, write_consolidated
from automation.write.xlsx_parts import fit_scale, legible_widths, print_legibly
from tests.support.run_results import build_large_run_result, build_run_result

DETAIL_SHEETS = SHEETS[1:]


def effective_points(ws) -> float:
    """The printed size of the sheet's 11 pt text: fitted to the page width, or at its print scale."""
    widths: dict[int, float] = {}
    for dim in ws.column_dimensions.values():
        if dim.width and dim.min:
            for col in range(dim.min, dim.max + 1):
                widths[col] = dim.width
    used = [widths.get(col, 8.43) for col in range(1, ws.max_column + 1)]
    # a stored width already holds the column's padding: Excel draws it ``trunc(width * 7 + 0.5)`` px wide
    total = sum(int(w * 7 + 0.5) * 0.75 for w in used)
    paper = 841.89 if ws.page_setup.orientation == "landscape" else 595.28
    printable = paper - (ws.page_margins.left + ws.page_margins.right) * 72
    if ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage:
        assert (ws.page_setup.fitToWidth or 1) == 1
        return 11 * min(1.0, printable / total)
    return 11 * (ws.page_setup.scale or 100) / 100


@pytest.fixture(scope="module", params=["example", "large"])
def book(request, tmp_path_factory):
    messages.set_language("vi")
    path = tmp_path_factory.mktemp("print") / "tong-hop.xlsx"
    result = build_run_result() if request.param == "example" else build_large_run_result(60, 70, 100)
    write_consolidated(result, path)
    return openpyxl.load_workbook(path)


@pytest.mark.parametrize("name", DETAIL_SHEETS)
def test_detail_sheet_prints_a4_landscape_at_9_pt_or_more(book, name):
    ws = book[name]
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "landscape"
    assert effective_points(ws) >= 9
    assert ws.print_title_rows  # the header row on every page
    assert ws.page_margins.bottom >= ws.page_margins.footer + 0.3


@pytest.mark.parametrize("name", DETAIL_SHEETS)
def test_a_sheet_too_wide_to_fit_repeats_its_key_columns_and_reads_across(book, name):
    ws = book[name]
    if ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage:
        pytest.skip(f"{name} fits the page width legibly")
    assert ws.print_title_cols
    assert ws.page_setup.pageOrder == "overThenDown"


def test_the_task_sheet_breaks_across_pages_with_code_group_and_content_repeated(book):
    ws = book["Tiến độ nhiệm vụ"]  # 16 columns: fitted to one width they printed at about 5.8 pt
    assert not (ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage)
    assert ws.page_setup.scale == 85 and effective_points(ws) == pytest.approx(9.35)
    assert ws.print_title_cols == "$A:$C" and ws.print_title_rows == "$3:$3"


def test_the_units_sheet_fits_one_page_width(book):
    ws = book["Đơn vị"]
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0


def test_the_summary_is_one_portrait_page(book):
    ws = book["Tóm tắt"]
    assert ws.page_setup.orientation == "portrait" and int(ws.page_setup.paperSize) == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth or 1) == 1 and (ws.page_setup.fitToHeight or 1) == 1


def test_text_columns_narrow_to_fit_only_down_to_a_readable_width():
    widths, kinds = [10, 60, 30, 14, 18, 60], ["short", "text", "text", "date", "text", "text"]
    narrowed = legible_widths(widths, kinds)
    assert narrowed is not None and 11 * fit_scale(narrowed) >= 9
    assert narrowed[0] == 10 and narrowed[3] == 14  # codes and dates keep their width
    assert all(w >= 16 for w, kind in zip(narrowed, kinds, strict=True) if kind == "text")
    assert legible_widths([8] * 6 + [40] * 10, ["short"] * 6 + ["text"] * 10) is None


class _Sheet:
    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def __getattr__(self, name):
        return lambda *args: self.calls.append((name, *args))


def test_print_legibly_fits_a_narrow_sheet_and_breaks_a_wide_one():
    narrow, wide = _Sheet(), _Sheet()
    print_legibly(narrow, [10, 40, 20], title_cols=2)
    print_legibly(wide, [20] * 14, title_cols=2)
    assert narrow.calls == [("fit_to_pages", 1, 0)]
    assert wide.calls == [("set_print_scale", 85), ("repeat_columns", 0, 1), ("print_across",)]
