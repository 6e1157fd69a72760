"""Write stage (SPEC §7): the xlsxwriter pieces the consolidated workbook and the feedback files share —
the workbook options that keep every string a string, cached formats, typed cell writes, tables whose widths
follow their text, and the A4 print setup.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from automation.domain.model import RunResult
from automation.i18n.messages import t
from automation.write import labels

FONT = "Times New Roman"
HEADER_ROW = 3  # the Excel row of every table's header (1-based); data starts below it
_HEADER = HEADER_ROW - 1  # the same, 0-based, as xlsxwriter counts
WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "default_format_properties": {"font_name": FONT, "font_size": 11},
}
# characters of 11 pt Times New Roman one column-width unit holds, for wrapping estimates: about 1.4 on a
# rendered page; 1.2 leaves room for words that wrap early (a row a little too tall reads better than a
# clipped one)
CHARS_PER_UNIT = 1.2
_BORDER = {"border": 1, "border_color": "#A6A6A6", "valign": "top"}


class Styles:
    """xlsxwriter formats made once per distinct set of properties (a format per cell would bloat the file)."""

    def __init__(self, workbook: Workbook) -> None:
        self._workbook = workbook
        self._cache: dict[tuple[tuple[str, object], ...], Format] = {}

    def __call__(self, *bases: Mapping[str, object], **props: object) -> Format:
        """The format of ``bases`` merged left to right, then ``props``."""
        merged: dict[str, object] = {}
        for base in bases:
            merged.update(base)
        merged.update(props)
        key = tuple(sorted(merged.items()))
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._workbook.add_format(merged)
        return found

    def cell(self, kind: str, colour: tuple[str, str] | None = None, bold: bool = False) -> Format:
        """A table cell: ``text`` (wrapped), ``short`` (one line), ``date``, ``datetime``, ``int``."""
        props: dict[str, object] = dict(_BORDER)
        if kind == "text":
            props["text_wrap"] = True
        elif kind in ("date", "datetime"):
            props.update(
                num_format=labels.DATE_FORMAT if kind == "date" else labels.DATETIME_FORMAT, align="center"
            )
        elif kind == "int":
            props.update(num_format="0", align="center")
        if colour is not None:
            props.update(bg_color="#" + colour[0], font_color="#" + colour[1], text_wrap=True)
        if bold:
            props["bold"] = True
        return self(**props)

    def header(self) -> Format:
        return self(_BORDER, bold=True, text_wrap=True, align="center", valign="vcenter", bg_color="#D9E1F2")


def new_workbook(path: Path, as_of: dt.datetime, title: str) -> tuple[Workbook, Styles]:
    """A workbook with the project's options: no string ever becomes a formula, link or number; Times New
    Roman; the creation date fixed to ``as_of`` so the same run writes the same file."""
    # in_memory: no temporary file per sheet; measured 36 → 6 ms for a small feedback file
    # a deep copy: xlsxwriter mutates the nested default format, which would leak into the next workbook
    workbook = xlsxwriter.Workbook(str(path), {**copy.deepcopy(WORKBOOK_OPTIONS), "in_memory": True})
    created = as_of.astimezone(dt.UTC).replace(tzinfo=None) if as_of.tzinfo else as_of
    workbook.set_properties({"title": title, "author": "baocao", "created": created})
    return workbook, Styles(workbook)


def write_value(ws: Worksheet, row: int, col: int, value: object, fmt: Format) -> None:
    """One cell by the value's type; text always as text (never a formula, link or number)."""
    if value is None or value == "":
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, int | float):
        ws.write_number(row, col, value, fmt)
    elif isinstance(value, dt.datetime):
        ws.write_datetime(row, col, value.replace(tzinfo=None), fmt)
    elif isinstance(value, dt.date):
        ws.write_datetime(row, col, value, fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


def text_width(value: object) -> int:
    """How many characters the widest line of ``value`` needs."""
    if value is None:
        return 0
    if isinstance(value, dt.datetime):
        return 16
    if isinstance(value, dt.date):
        return 10
    text = str(value)
    return max(len(line) for line in text.split("\n")) if "\n" in text else len(text)


def wrapped_lines(text: str, width: float, size: float = 11) -> int:
    """Lines ``text`` takes in a wrapped cell ``width`` units wide (Times New Roman at ``size`` pt)."""
    per_line = max(1.0, (width - 1) * CHARS_PER_UNIT * 11 / size)
    if "\n" not in text:
        return max(1, math.ceil(len(text) / per_line))
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


def row_height(lines: int, size: float = 11) -> float:
    """Points for ``lines`` lines of ``size`` pt text (Excel's limit is 409)."""
    return min(409.0, round(lines * size * 15 / 11 + 3, 1))


def page_setup(ws: Worksheet, header_left: str, header_right: str, landscape: bool = True) -> None:
    """A4, fit to the page width, the page numbers "Trang &P/&N" in the footer, printed gridlines off."""
    ws.set_paper(9)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_margins(left=MARGIN_SIDE, right=MARGIN_SIDE, top=0.75, bottom=0.75)
    ws.hide_gridlines(1)
    left, right = header_left.replace("&", "&&"), header_right.replace("&", "&&")
    ws.set_header(f'&L&"{FONT},Regular"&9{left}&R&"{FONT},Regular"&9{right}')
    ws.set_footer(f'&C&"{FONT},Regular"&9{t("template.page_footer")}')


# Printing legibly (issue 13 item 5): a sheet is fitted to the page width only when its 11 pt text still
# prints at MIN_PRINT_POINTS or more; a wider one prints at PRINT_SCALE and breaks across pages the way a
# person would set it up: the header row and the key columns repeated on every page, pages read across
# first so that one band of rows stays together.
MARGIN_SIDE = 0.5  # inches, left and right
A4_POINTS = (210 / 25.4 * 72, 297 / 25.4 * 72)  # portrait width, landscape width
MIN_PRINT_POINTS = 9.0
PRINT_SCALE = 85  # % (11 pt prints at 9.35 pt)
FONT_POINTS = 11.0


def column_points(width: float) -> float:
    """The printed width, in points at 100 %, of a column ``width`` characters wide (Excel: 7 px a
    character plus 5 px of padding, 96 px an inch)."""
    return int(width * 7 + 5) * 0.75 if width > 0 else 0.0


def fit_scale(widths: Sequence[float], landscape: bool = True) -> float:
    """The scale at which columns of ``widths`` fit the printable width of an A4 page (1 or more: no
    shrinking needed)."""
    printable = A4_POINTS[1 if landscape else 0] - 2 * MARGIN_SIDE * 72
    total = sum(column_points(w) for w in widths)
    return printable / total if total else 1.0


def legible_widths(widths: Sequence[float], kinds: Sequence[str], floor: float = 16) -> list[float] | None:
    """``widths`` with the wrapped text columns narrowed (not below ``floor``, nor below what they are) so
    that the sheet fits an A4 landscape width at MIN_PRINT_POINTS; None when even that is too wide."""
    if FONT_POINTS * min(1.0, fit_scale(widths)) >= MIN_PRINT_POINTS:
        return list(widths)
    target = MIN_PRINT_POINTS * 1.02  # a little over: Excel rounds a stored width to whole pixels
    room = [max(0.0, w - floor) if kind == "text" else 0.0 for w, kind in zip(widths, kinds, strict=True)]
    low, high = 0.0, 1.0  # the share of each text column's room given up
    if FONT_POINTS * fit_scale([w - r for w, r in zip(widths, room, strict=True)]) < target:
        return None
    for _ in range(30):
        middle = (low + high) / 2
        narrowed = [w - r * middle for w, r in zip(widths, room, strict=True)]
        if FONT_POINTS * fit_scale(narrowed) >= target:
            high = middle
        else:
            low = middle
    return [
        math.floor((w - r * high) * 10) / 10 for w, r in zip(widths, room, strict=True)
    ]  # on the fitting side


def print_legibly(
    ws: Worksheet, widths: Sequence[float], title_cols: int = 1, landscape: bool = True
) -> None:
    """Fit the sheet to the page width if its text stays legible, else break it across pages at
    PRINT_SCALE with the first ``title_cols`` columns repeated (the header row is the caller's)."""
    if FONT_POINTS * min(1.0, fit_scale(widths, landscape)) >= MIN_PRINT_POINTS:
        ws.fit_to_pages(1, 0)
        return
    ws.set_print_scale(PRINT_SCALE)
    if title_cols > 0:
        ws.repeat_columns(0, title_cols - 1)
    ws.print_across()


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = "text"  # text, short, date, datetime, int
    cap: int = 40  # widest the column grows; longer text wraps


class Table:
    """One sheet holding a title, a note (or legend), a header row and data rows; widths follow the text."""

    def __init__(
        self,
        workbook: Workbook,
        styles: Styles,
        name: str,
        title: str,
        columns: Sequence[Column],
        note: str = "",
        freeze_col: int = 0,
        print_header: tuple[str, str] = ("", ""),
        title_cols: int = 1,
    ) -> None:
        self.ws = workbook.add_worksheet(name)
        self.styles = styles
        self.columns = list(columns)
        self.freeze_col = freeze_col
        self.title_cols = title_cols  # the key columns repeated on every printed page if it breaks across
        self.print_header = print_header
        self.row = _HEADER + 1
        self.widths: list[float] = [max(6, max(len(w) for w in c.header.split()) + 2) for c in self.columns]
        self.ws.write_string(0, 0, title, styles(bold=True, font_size=13))
        if note:
            self.ws.write_string(1, 0, note, styles(italic=True, font_color="#595959"))
        header = styles.header()
        for col, column in enumerate(self.columns):
            self.ws.write_string(_HEADER, col, column.header, header)
        self._formats = [styles.cell(c.kind) for c in self.columns]
        self._caps = [max(c.cap, w) for c, w in zip(self.columns, self.widths, strict=True)]
        # a text shorter than this fits one line whatever the final width: no need to remember it
        self._one_line = [
            (w - 1) * CHARS_PER_UNIT if c.kind == "text" else 1e9
            for c, w in zip(self.columns, self.widths, strict=True)
        ]
        self._coloured: dict[tuple[int, tuple[str, str]], Format] = {}
        self._wrapped: list[tuple[int, int, str]] = []  # (row, column, text) that may need several lines

    def add(self, values: Sequence[object], colours: dict[int, tuple[str, str]] | None = None) -> None:
        """One data row. Kept lean: a large run writes a few hundred thousand cells through here."""
        ws, row, widths = self.ws, self.row, self.widths
        for col, value in enumerate(values):
            if colours and col in colours:
                key = (col, colours[col])
                fmt = self._coloured.get(key)
                if fmt is None:
                    fmt = self._coloured[key] = self.styles.cell(self.columns[col].kind, colours[col])
                one_line = min(self._one_line[col], (widths[col] - 1) * CHARS_PER_UNIT)
            else:
                fmt = self._formats[col]
                one_line = self._one_line[col]
            if value.__class__ is str:
                if not value:
                    ws.write_blank(row, col, None, fmt)
                    continue
                ws.write_string(row, col, value, fmt)
                size = len(value)
                if size + 2 > widths[col] and widths[col] < self._caps[col]:
                    width = (max(map(len, value.split("\n"))) if "\n" in value else size) + 2
                    widths[col] = min(max(width, widths[col]), self._caps[col])
                if size > one_line or "\n" in value:
                    self._wrapped.append((row, col, value))
            else:
                write_value(ws, row, col, value, fmt)
                width = text_width(value) + 2
                if width > widths[col]:
                    widths[col] = min(width, self._caps[col])
        self.row += 1

    def legend(self, entries: Sequence[tuple[str, tuple[str, str] | None]]) -> None:
        """Row 2: coloured legend cells, each merged over as many columns as its words need (call after the
        rows, when the widths are known)."""
        col = 0
        for text, colour in entries:
            if col >= len(self.widths):
                break
            first, room = col, 0.0
            while col < len(self.widths) and (room < len(text) + 2 or col == first):
                room += self.widths[col]
                col += 1
            props: dict[str, object] = {"border": 1, "border_color": "#A6A6A6", "align": "center"}
            if colour is None:
                props = {"bold": True}
            else:
                props.update(bg_color="#" + colour[0], font_color="#" + colour[1])
            fmt = self.styles(**props)
            if col - 1 > first:
                self.ws.merge_range(1, first, 1, col - 1, "", fmt)
            self.ws.write_string(1, first, text, fmt)

    def finish(self) -> None:
        ws = self.ws
        narrowed = legible_widths(self.widths, [c.kind for c in self.columns])
        if narrowed is not None:  # wrapped text columns a little narrower, so the page width fits legibly
            self.widths = narrowed
        for col, width in enumerate(self.widths):
            ws.set_column(col, col, width)
        # Row heights are set, not left to the reader: LibreOffice does not grow rows for wrapped text
        header_lines = max(wrapped_lines(c.header, w) for c, w in zip(self.columns, self.widths, strict=True))
        ws.set_row(_HEADER, row_height(header_lines))
        lines: dict[int, int] = {}
        for row, col, text in self._wrapped:
            count = wrapped_lines(text, self.widths[col])
            if count > lines.get(row, 1):
                lines[row] = count
        for row, count in lines.items():
            ws.set_row(row, row_height(count))
        last = max(self.row - 1, _HEADER)
        ws.autofilter(_HEADER, 0, last, len(self.columns) - 1)
        ws.freeze_panes(_HEADER + 1, self.freeze_col)
        ws.repeat_rows(_HEADER)
        page_setup(ws, *self.print_header)
        print_legibly(ws, self.widths, self.title_cols)


class UnitNames:
    """A unit's name from its code (the code itself when the register does not know it); a dict, because
    ``Plan.unit`` scans the list and a large run looks names up tens of thousands of times."""

    def __init__(self, result: RunResult) -> None:
        self._names = {unit.code: unit.name for unit in result.plan.units}

    def __call__(self, code: str | None) -> str:
        return self._names.get(code, code) if code else ""
