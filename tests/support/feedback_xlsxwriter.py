"""The feedback file written by xlsxwriter instead of ``automation.write.xlsx_lite``, for
``tests/test_feedback_twin.py``.

``automation.write.feedback`` describes the file as calls on an ``xlsx_lite.Workbook`` (sheets, typed
cells with a ``Style``, notes, merges, sizes, frozen panes, a ``Page``, print area, repeated rows,
autofilter). ``Workbook`` here takes the same calls, with the meaning ``xlsx_lite`` documents for each, and
makes them with xlsxwriter, the library xlsx_lite stands in for. ``feedback_workbook`` builds a unit's
feedback through it, from the same inputs and by the same code as the real one; only the writer differs.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from pathlib import Path
from unittest import mock

import xlsxwriter

from automation.domain.model import FileRecord, RunResult
from automation.write import feedback
from automation.write.xlsx_lite import Page, Style

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")  # what XML 1.0 forbids
_VALIGN = {"top": "top", "center": "vcenter", "bottom": "bottom"}


def _text(value: str) -> str:
    """Text as a cell can hold it (the rule xlsx_lite documents): no character XML 1.0 forbids."""
    return _ILLEGAL.sub("", value)


class Sheet:
    """xlsx_lite's ``Sheet`` calls, recorded; made into an xlsxwriter worksheet by ``Workbook.to_bytes``."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.page: Page | None = None
        self.print_area: tuple[int, int, int, int] | None = None
        self.repeat_rows: tuple[int, int] | None = None
        self.autofilter: tuple[int, int, int, int] | None = None
        self.cells: dict[tuple[int, int], tuple[object, Style | None]] = {}
        self.notes: dict[tuple[int, int], tuple[str, int, int]] = {}
        self.merges: list[tuple[int, int, int, int]] = []
        self.widths: dict[int, float] = {}
        self.heights: dict[int, float] = {}
        self.frozen = (0, 0)

    def write(self, row: int, col: int, value: object, style: Style | None = None) -> None:
        if (value is None or value == "") and style is None:
            self.cells.pop((row, col), None)  # xlsx_lite: an unstyled blank is no cell
        else:
            self.cells[(row, col)] = (value, style)

    def comment(self, row: int, col: int, text: str, width: int = 128, height: int = 74) -> None:
        self.notes[(row, col)] = (text, width, height)

    def merge(self, r1: int, c1: int, r2: int, c2: int, style: Style | None = None) -> None:
        self.merges.append((r1, c1, r2, c2))
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if style is not None and (r, c) not in self.cells:
                    self.cells[(r, c)] = (None, style)

    def set_width(self, col: int, width: float) -> None:
        self.widths[col] = width

    def set_height(self, row: int, points: float) -> None:
        self.heights[row] = min(points, 409.0)

    def freeze(self, rows: int, cols: int = 0) -> None:
        self.frozen = (rows, cols)


class Workbook:
    """xlsx_lite's ``Workbook`` calls, written by xlsxwriter with the project's options (no text ever
    becomes a formula, link or number; the workbook's font as the default format)."""

    def __init__(self, created: dt.datetime, title: str = "", author: str = "", font: str = "Calibri",
                 size: float = 11) -> None:  # fmt: skip
        self.sheets: list[Sheet] = []
        self.active = 0
        self.created, self.title, self.author, self.font, self.size = created, title, author, font, size

    def add_sheet(self, name: str) -> Sheet:
        self.sheets.append(Sheet(name))
        return self.sheets[-1]

    def to_bytes(self, compress: bool = False) -> bytes:
        out = io.BytesIO()
        options = {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "default_format_properties": {"font_name": self.font, "font_size": self.size},
        }
        book = xlsxwriter.Workbook(out, options)
        created = (
            self.created.astimezone(dt.UTC).replace(tzinfo=None) if self.created.tzinfo else self.created
        )
        book.set_properties({"title": self.title, "author": self.author, "created": created})
        formats: dict[Style, object] = {}

        def fmt(style: Style | None):
            if style is None or style == Style():
                return None
            if style not in formats:
                formats[style] = book.add_format(self._format_properties(style))
            return formats[style]

        for sheet in self.sheets:
            self._write_sheet(book.add_worksheet(sheet.name), sheet, fmt)
        book.worksheets()[self.active].activate()
        book.close()
        return out.getvalue()

    def save(self, path: Path, compress: bool = False) -> None:
        path.write_bytes(self.to_bytes(compress))

    def _format_properties(self, style: Style) -> dict[str, object]:
        props: dict[str, object] = {"font_name": self.font, "font_size": style.size or self.size}
        if style.bold:
            props["bold"] = True
        if style.italic:
            props["italic"] = True
        if style.colour:
            props["font_color"] = "#" + style.colour
        if style.fill:
            props.update(pattern=1, bg_color="#" + style.fill)
        if style.border:
            props["border"] = 1 if style.border == 1 else 2  # xlsxwriter: 1 thin, 2 medium
            if style.border_colour:
                props["border_color"] = "#" + style.border_colour
        if style.align:
            props["align"] = style.align
        if style.valign:
            props["valign"] = _VALIGN[style.valign]
        if style.wrap:
            props["text_wrap"] = True
        if style.num_format:
            props["num_format"] = style.num_format
        return props

    def _write_sheet(self, ws, sheet: Sheet, fmt) -> None:
        for r1, c1, r2, c2 in sheet.merges:  # its cells are written (again) below, with their own values
            ws.merge_range(r1, c1, r2, c2, None, fmt(sheet.cells.get((r1, c1), (None, None))[1]))
        for (row, col), (value, style) in sorted(sheet.cells.items()):
            self._write_cell(ws, row, col, value, style, fmt)
        for (row, col), (text, width, height) in sorted(sheet.notes.items()):
            ws.write_comment(row, col, _text(text), {"author": self.author, "width": width, "height": height,
                                                     "font_name": self.font, "font_size": 10})  # fmt: skip
        for col, width in sorted(sheet.widths.items()):
            ws.set_column(col, col, width)
        for row, points in sorted(sheet.heights.items()):
            ws.set_row(row, points)
        if any(sheet.frozen):
            ws.freeze_panes(*sheet.frozen)
        if sheet.page is not None:
            page = sheet.page
            if page.landscape:
                ws.set_landscape()
            else:
                ws.set_portrait()
            ws.set_paper(page.paper)
            if page.fit:
                ws.fit_to_pages(*page.fit)
            ws.set_margins(*page.margins)
            if page.header:
                ws.set_header(_text(page.header))  # xlsxwriter leaves out one over 255 characters, as Excel
            if page.footer:
                ws.set_footer(_text(page.footer))
        if sheet.print_area:
            ws.print_area(*sheet.print_area)
        if sheet.repeat_rows:
            ws.repeat_rows(*sheet.repeat_rows)
        if sheet.autofilter:
            ws.autofilter(*sheet.autofilter)

    @staticmethod
    def _write_cell(ws, row: int, col: int, value: object, style: Style | None, fmt) -> None:
        """As ``xlsx_lite.Sheet.write`` documents: text always text, a date shown dd/mm/yyyy [hh:mm] unless
        the style says otherwise, what Excel cannot hold (NaN, a date before 1900) as text."""
        if value is None or value == "":
            ws.write_blank(row, col, None, fmt(style))
        elif isinstance(value, bool):
            ws.write_boolean(row, col, value, fmt(style))
        elif isinstance(value, int | float) and math.isfinite(value):
            ws.write_number(row, col, value, fmt(style))
        elif isinstance(value, dt.date) and value.year >= 1900:
            if style is None or style.num_format is None:
                code = "dd/mm/yyyy hh:mm" if isinstance(value, dt.datetime) else "dd/mm/yyyy"
                style = (style or Style())._replace(num_format=code)
            moment = value.replace(tzinfo=None) if isinstance(value, dt.datetime) else value
            ws.write_datetime(row, col, moment, fmt(style))
        else:
            ws.write_string(row, col, _text(str(value)), fmt(style))


def feedback_workbook(record: FileRecord, unit_name: str, result: RunResult) -> Workbook:
    """``feedback.feedback_workbook`` with this module's ``Workbook`` in place of xlsx_lite's."""
    with mock.patch.object(feedback, "Workbook", Workbook):
        return feedback.feedback_workbook(record, unit_name, result)  # type: ignore[return-value]
