"""The guard of ``automation.write.xlsx_lite``: each feedback file it writes must look, part by part, like
the same feedback written by xlsxwriter (``tests/support/feedback_xlsxwriter.py``, fed the same calls by the
same ``feedback`` code). Both files are read back by openpyxl and compared sheet by sheet: every cell's
value, type, font, fill, border, alignment and number format; merges, notes, column widths, row heights,
frozen panes, print setup, print area and titles, autofilter, data validations; sheet names, order,
visibility and the active sheet; the document's title and author.

One spelling that means the same is evened out (``_colour``): xlsxwriter names the default text colour as
theme colour 1, xlsx_lite writes none (automatic: the same black). The font's family class (xlsxwriter
writes ``family 2``, a hint for when the font is missing) is not compared. The packaging differs by design
(xlsxwriter adds a theme and shared strings) and is not compared either: what a reader shows is.
"""

from __future__ import annotations

import dataclasses
import io

import openpyxl
import pytest

from automation.domain.model import Finding
from automation.write.feedback import feedback_workbook
from tests.support import feedback_xlsxwriter
from tests.support.run_results import F_CCVC, F_TDKT, F_UNKNOWN, F_VP, build_run_result

MANY = 120  # findings in the "many findings" case


def _colour(colour) -> object:
    """A colour as what it shows: ``RRGGBB``; no colour (automatic) and theme colour 1 alike."""
    if colour is None:
        return "auto"
    if colour.type == "rgb":
        return (colour.rgb or "")[-6:].upper()
    if (colour.type, colour.value) == ("theme", 1):
        return "auto"
    return (colour.type, colour.value, colour.tint)


def _font(font) -> tuple:
    return (
        font.name,
        font.sz,
        bool(font.b),
        bool(font.i),
        bool(font.u),
        bool(font.strike),
        _colour(font.color),
        font.vertAlign,
    )


def _fill(fill) -> tuple:
    if fill.fill_type in (None, "none"):
        return (None,)
    return (fill.fill_type, _colour(fill.fgColor))


def _border(border) -> tuple:
    sides = (border.left, border.right, border.top, border.bottom, border.diagonal)
    return tuple((side.style, _colour(side.color) if side.style else None) for side in sides)


def _alignment(alignment) -> tuple:
    return (
        alignment.horizontal,
        alignment.vertical,
        bool(alignment.wrap_text),
        bool(alignment.shrink_to_fit),
        alignment.indent,
        alignment.textRotation,
    )


def _cell(cell) -> dict[str, object]:
    return {
        "value": cell.value,
        "type": cell.data_type,
        "font": _font(cell.font),
        "fill": _fill(cell.fill),
        "border": _border(cell.border),
        "alignment": _alignment(cell.alignment),
        "number_format": cell.number_format,
        "protection": (cell.protection.locked, cell.protection.hidden),
        "note": (cell.comment.text, cell.comment.author) if cell.comment else None,
    }


def _header_footer(item) -> tuple:
    return tuple((part.text, part.font, part.size) for part in (item.left, item.center, item.right))


def _widths(ws) -> dict[int, float]:
    """Column → width; a run of columns of one width (xlsxwriter writes it as one ``<col>``) column by column."""
    out = {}
    for key, dimension in ws.column_dimensions.items():
        if dimension.customWidth:
            first = dimension.min or openpyxl.utils.column_index_from_string(key)
            for col in range(first, max(first, dimension.max or first) + 1):
                out[col] = round(dimension.width, 4)
    return out


def _sheet(ws) -> dict[str, object]:
    setup, margins, options = ws.page_setup, ws.page_margins, ws.print_options
    return {
        "state": ws.sheet_state,
        "merged": sorted(str(r) for r in ws.merged_cells.ranges),
        "widths": _widths(ws),
        "heights": {k: d.height for k, d in ws.row_dimensions.items() if d.height is not None},
        "freeze_panes": ws.freeze_panes,
        "selected": bool(ws.sheet_view.tabSelected),
        "page_setup": (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight, setup.scale),
        "fit_to_page": bool(ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage),
        "print_options": (
            options.horizontalCentered,
            options.verticalCentered,
            options.gridLines,
            options.headings,
        ),
        "margins": (margins.left, margins.right, margins.top, margins.bottom, margins.header, margins.footer),
        "header": _header_footer(ws.oddHeader),
        "footer": _header_footer(ws.oddFooter),
        "print_title_rows": ws.print_title_rows,
        "print_title_cols": ws.print_title_cols,
        "print_area": ws.print_area,
        "autofilter": ws.auto_filter.ref,
        "validations": [(v.sqref, v.type, v.formula1) for v in ws.data_validations.dataValidation],
        "note_cells": sorted(c.coordinate for row in ws.iter_rows() for c in row if c.comment),
    }


def differences(lite: bytes, twin: bytes) -> list[str]:
    """Every way the two workbooks differ, one line each; empty when they look the same."""
    a, b = (openpyxl.load_workbook(io.BytesIO(data)) for data in (lite, twin))
    out = []
    for what, x, y in (
        ("sheets", a.sheetnames, b.sheetnames),
        ("active sheet", a.active.title, b.active.title),
        ("title", a.properties.title, b.properties.title),
        ("author", a.properties.creator, b.properties.creator),
        ("created", a.properties.created, b.properties.created),
    ):
        if x != y:
            out.append(f"{what}: {x!r} != {y!r}")
    for name in a.sheetnames:
        if name not in b.sheetnames:
            continue
        wa, wb = a[name], b[name]
        sa, sb = _sheet(wa), _sheet(wb)
        out += [f"{name} {key}: {sa[key]!r} != {sb[key]!r}" for key in sa if sa[key] != sb[key]]
        rows = max(wa.max_row, wb.max_row)
        cols = max(wa.max_column, wb.max_column)
        for r in range(1, rows + 1):
            for c in range(1, cols + 1):
                ca, cb = _cell(wa.cell(r, c)), _cell(wb.cell(r, c))
                for key in ca:
                    if ca[key] != cb[key]:
                        out.append(f"{name}!{wa.cell(r, c).coordinate} {key}: {ca[key]!r} != {cb[key]!r}")
    return out


@pytest.fixture(scope="module")
def result():
    return build_run_result()


def _record(result, path):
    return next(record for record in result.files if record.path == path)


def _many_findings(result):
    """CCVC's rejected file with many more findings: on most cells of its table, several on some cells,
    in Vietnamese, some text looking like formulas; and on the title block above the table."""
    record = _record(result, F_CCVC)
    extra = []
    for i in range(MANY):
        severity = ("error", "warning", "info")[i % 3]
        cell = f"{'ABCDEFGHIJK'[i % 11]}{11 + (i // 11) % 4}" if i % 7 else None
        message = f"Phát hiện số {i + 1}: ô này cần sửa lại theo hướng dẫn của Sở Nội vụ." + (
            " =1+1" if i % 5 == 0 else ""
        )
        extra.append(
            Finding(severity, "row.test", message, F_CCVC, "CCVC", "Báo cáo", cell, f"{1 + i % 4}.{i % 5}")
        )
    extra.append(Finding("warning", "file.title", "=1+1", F_CCVC, "CCVC", "Báo cáo", "A4", None))
    return dataclasses.replace(record, findings=[*record.findings, *extra])


def _formula_text(result):
    """TDKT's accepted file where the unit typed formula-looking text in the cells and the messages quote it."""
    record = _record(result, F_TDKT)
    grid = [list(row) for row in record.parsed.grid]
    grid[10][7], grid[11][7] = "=1+1", "=SUM(A1:A3)"
    parsed = dataclasses.replace(record.parsed, grid=grid)
    findings = [
        *record.findings,
        Finding("warning", "row.test", "=1+1", F_TDKT, "TDKT", "Báo cáo", "H11", "1.1"),
    ]
    return dataclasses.replace(record, parsed=parsed, findings=findings)


CASES = {
    "rejected, with errors": (lambda r: _record(r, F_CCVC), "Phòng Công chức, viên chức"),
    "accepted, with warnings": (lambda r: _record(r, F_TDKT), "Ban Thi đua - Khen thưởng"),
    "accepted, warning on the file": (lambda r: _record(r, F_VP), "Văn phòng Sở"),
    "unreadable (no report sheet)": (lambda r: _record(r, F_UNKNOWN), "someone@example.com"),
    "many findings": (_many_findings, "Phòng Công chức, viên chức"),
    "formula-looking text": (_formula_text, "Ban Thi đua & Khen thưởng"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_xlsx_lite_writes_the_feedback_xlsxwriter_would(result, case):
    make, unit = CASES[case]
    record = make(result)
    lite = feedback_workbook(record, unit, result).to_bytes()
    twin = feedback_xlsxwriter.feedback_workbook(record, unit, result).to_bytes()
    assert differences(lite, twin) == []


def test_the_comparison_sees_a_difference(result):
    """The guard itself: a changed style, value or note is reported."""
    record = _record(result, F_CCVC)
    twin = feedback_xlsxwriter.feedback_workbook(record, "Phòng Công chức, viên chức", result)
    lite = feedback_workbook(record, "Phòng Công chức, viên chức", result)
    sheet = twin.sheets[0]
    value, style = sheet.cells[(10, 4)]
    sheet.cells[(10, 4)] = (value, style._replace(bold=True))
    sheet.cells[(10, 0)] = ("3.3 ", sheet.cells[(10, 0)][1])
    sheet.notes.pop((12, 4))
    sheet.set_width(1, 99)
    found = differences(lite.to_bytes(), twin.to_bytes())
    assert any(line.startswith("Báo cáo!E11 font") for line in found)
    assert any(line.startswith("Báo cáo!A11 value") for line in found)
    assert any(line.startswith("Báo cáo!E13 note") for line in found)
    assert any(line.startswith("Báo cáo widths") for line in found)


def test_the_formula_looking_text_is_text_in_both(result):
    make, unit = CASES["formula-looking text"]
    record = make(result)
    for data in (
        feedback_workbook(record, unit, result).to_bytes(),
        feedback_xlsxwriter.feedback_workbook(record, unit, result).to_bytes(),
    ):
        ws = openpyxl.load_workbook(io.BytesIO(data))["Báo cáo"]
        assert (ws["H11"].value, ws["H11"].data_type) == ("=1+1", "s")
        assert (ws["H12"].value, ws["H12"].data_type) == ("=SUM(A1:A3)", "s")
        assert "=1+1" in ws["H11"].comment.text
