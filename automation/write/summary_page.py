"""Write stage (SPEC §7): the grid of the one-page ``Tóm tắt`` sheet, shared by its figures (``summary``) and
its named lists (``summary_lists``): seven columns A–G, rows written top to bottom with their heights kept
(LibreOffice does not grow rows by itself, and the chart beside the figures is sized from them).
"""

from __future__ import annotations

from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from automation.write.xlsx_parts import Styles, wrapped_lines

WIDTHS = (6, 40, 11, 15, 20, 20, 20)  # A: TT/code, B: label, C: count, D: change, E–G: chart / details
LAST = len(WIDTHS) - 1
LINE = 15.0  # points per line of 11 pt Times New Roman
CELL: dict[str, object] = {"border": 1, "border_color": "#A6A6A6", "valign": "vcenter", "text_wrap": True}


def lines(text: str, width: float, size: float = 11) -> int:
    """Lines ``text`` takes in a merged cell ``width`` units wide at ``size`` pt."""
    # merged cells of a page scaled to fit wrap earlier than a plain column: count a little wider text
    return wrapped_lines(text, width * 0.85 * 11 / size)


def shorten(text: str, limit: int = 110) -> str:
    """``text`` on one line, cut at a word before ``limit`` characters with "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: text.rfind(" ", 0, limit - 1) if " " in text[: limit - 1] else limit - 1] + "…"


def span(first: int, last: int) -> float:
    """The width of columns ``first``..``last``."""
    return float(sum(WIDTHS[first : last + 1]))


class Page:
    """Writes the sheet top to bottom, one row at a time, keeping the rows' heights for the chart's size."""

    def __init__(self, ws: Worksheet, styles: Styles) -> None:
        self.ws = ws
        self.st = styles
        self.row = 0
        self.heights: dict[int, float] = {}

    def height(self, row: int, points: float) -> None:
        self.heights[row] = points
        self.ws.set_row(row, points)

    def text(self, row: int, first: int, last: int, text: str, fmt: Format) -> None:
        """Text in A..G-style spans: merged when it covers several columns, always written as a string."""
        if last > first:
            self.ws.merge_range(row, first, row, last, "", fmt)
        self.ws.write_string(row, first, text, fmt)

    def line(self, text: str, fmt: Format, lines_width: float | None = None, size: float = 11) -> int:
        """``text`` across the page on a row of its own, as tall as its wrapped lines."""
        row = self.row
        self.text(row, 0, LAST, text, fmt)
        width = lines_width if lines_width is not None else sum(WIDTHS)
        self.height(row, lines(text, width, size) * LINE * size / 11 + 3)
        self.row += 1
        return row

    def gap(self, points: float = 8) -> None:
        self.height(self.row, points)
        self.row += 1

    def section(self, text: str) -> None:
        """A section heading (``I. …``)."""
        self.line(
            text, self.st(bold=True, font_size=12, font_color="#1F4E78"), WIDTHS[0] + WIDTHS[1] + 25, 12
        )

    def header(self, cells: list[tuple[int, int, str]], rows: int = 2) -> None:
        """A table's header row: (first column, last column, text) per cell."""
        fmt = self.st.header()
        for first, last, text in cells:
            self.text(self.row, first, last, text, fmt)
        self.height(self.row, rows * LINE + 2)
        self.row += 1

    def note(self, text: str) -> None:
        """A small italic line under a table (a definition, "… và N … khác")."""
        self.line(text, self.st(italic=True, font_size=9, text_wrap=True, valign="top"), size=9)
