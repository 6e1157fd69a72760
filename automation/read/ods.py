"""Read stage of collect (SPEC §6, §12): an .ods file's content.xml, for what calamine does not say.

``ods_extents`` measures every table (rows × columns up to its last value, repeated rows and cells
counted without expanding them) before calamine loads the workbook; ``scan_ods_content`` finds a table's
formula cells (``table:formula``), their error results and its percentage cells.

Why by hand: python-calamine drops formulas, error results and percent formats (python-calamine issues
#105, #107), and it loads every table of an .ods when it opens the file, allocating each table's whole
rectangle; no maintained library measures a table without expanding its repeated rows and cells (odfpy
and pandas' odf reader expand them). So ``ods_extents`` is one regular-expression pass over content.xml
(DTDs are refused before, by ``read.zip_container``), and ``scan_ods_content`` parses with defusedxml.
"""

from __future__ import annotations

import io
import re

import defusedxml.ElementTree as SafeET

from automation.domain.text import nfc
from automation.read.container import Scan, cell_ref, xml_text

_ODS_TABLE = re.compile(rb"<table:table\s([^>]*)>")
_ODS_ROW = re.compile(rb"<table:table-row(?=[\s/>])([^>]*?)(/?)>")
_ODS_CELL_REPEAT = re.compile(
    rb'<table:(?:covered-)?table-cell(?=[\s/>])(?:[^>]*?number-columns-repeated="(\d+)")?'
)
_ODS_ROWS = re.compile(rb'number-rows-repeated="(\d+)"')
_ODS_NAME = re.compile(rb'table:name="([^"]*)"')


def ods_extents(xml: bytes) -> dict[str, tuple[int, int]]:
    """Each table's rows × columns from A1 to its last cell with a value, counting repeated rows and
    cells without expanding them (an .ods may repeat one cell a million times). One step per row; the
    cells of a row are counted only up to its last value."""
    extents: dict[str, tuple[int, int]] = {}
    for table in _ODS_TABLE.finditer(xml):
        end = xml.find(b"</table:table>", table.end())
        end = len(xml) if end < 0 else end
        name = _ODS_NAME.search(table.group(1))
        row = last_row = last_col = 0
        position = table.end()
        while (match := _ODS_ROW.search(xml, position, end)) is not None:
            repeat = _ODS_ROWS.search(match.group(1))
            count = int(repeat.group(1)) if repeat else 1
            position = match.end()
            if not match.group(2):  # a row with cells: up to its end tag
                close = xml.find(b"</table:table-row>", position, end)
                close = end if close < 0 else close
                last_value = xml.rfind(b"value-type=", position, close)
                if last_value >= 0:
                    repeats = _ODS_CELL_REPEAT.findall(xml, position, last_value)
                    last_col = max(last_col, sum(int(n) if n else 1 for n in repeats))
                    last_row = row + count
                position = close
            row += count
        extents[nfc(xml_text(name.group(1))) if name else ""] = (last_row, last_col)
    return extents


_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_CALCEXT = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"


def scan_ods_content(xml: bytes, sheet: str, rows: int, cols: int) -> Scan:
    """Formulas, error results and percent cells of table ``sheet`` in an .ods content.xml, counting
    repeated rows and columns; positions beyond the used area (``rows`` × ``cols``) are not expanded."""
    scan = Scan()
    inside = False
    row = 0
    col = 0
    row_marks: list[tuple[int, int, str, str | None]] = []  # (col, repeat, kind, error text)
    for event, elem in SafeET.iterparse(io.BytesIO(xml), events=("start", "end"), forbid_dtd=True):
        tag = elem.tag
        if tag == f"{{{_TABLE}}}table":
            if event == "start":
                inside = nfc(elem.get(f"{{{_TABLE}}}name")) == nfc(sheet)
            elif inside:
                break
            continue
        if not inside:
            if event == "end" and tag == f"{{{_TABLE}}}table-row":
                elem.clear()
            continue
        if event == "start":
            if tag == f"{{{_TABLE}}}table-row":
                col = 0
                row_marks = []
            continue
        if tag in (f"{{{_TABLE}}}table-cell", f"{{{_TABLE}}}covered-table-cell"):
            repeat = int(elem.get(f"{{{_TABLE}}}number-columns-repeated") or 1)
            if elem.get(f"{{{_TABLE}}}formula") is not None:
                error = None
                if elem.get(f"{{{_CALCEXT}}}value-type") == "error":
                    error = nfc("".join(elem.itertext())) or "#N/A"
                row_marks.append((col, repeat, "formula", error))
            if elem.get(f"{{{_OFFICE}}}value-type") == "percentage":
                row_marks.append((col, repeat, "percent", None))
            col += repeat
        elif tag == f"{{{_TABLE}}}table-row":
            repeat = int(elem.get(f"{{{_TABLE}}}number-rows-repeated") or 1)
            for r in range(row, min(row + repeat, rows)):
                for first, count, kind, error in row_marks:
                    for c in range(first, min(first + count, cols)):
                        ref = cell_ref(r, c)
                        if kind == "percent":
                            scan.percent.add(ref)
                            continue
                        scan.formulas.add(ref)
                        if error is not None:
                            scan.errors[ref] = error
            row += repeat
            elem.clear()
    return scan
