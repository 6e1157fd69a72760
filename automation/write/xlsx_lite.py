"""Write stage (SPEC §7): a small SpreadsheetML (.xlsx) writer for the feedback files, one per unit.

Why it exists: xlsxwriter spends 7–20 ms on a small workbook, nearly all of it fixed packaging, and a
collect writes a thousand of these; this writer is about 7× cheaper a file. It does only what the feedback
file needs — typed cells, styles, notes, merges, sizes, frozen panes, print setup, autofilter — with no
theme and no shared strings, the parts that seldom change compressed once per process. Rows and columns
are 0-based, as in xlsxwriter. The styles part is made in ``xlsx_lite_styles``.

It may stay only while ``tests/test_feedback_twin.py`` passes: that test writes real feedback files (accepted
with warnings, rejected with errors, many findings, Vietnamese text, formula-looking text) both with this
writer and with xlsxwriter (``tests/support/feedback_xlsxwriter.py``, the same calls from the same
``feedback`` code) and compares them part by part — values and types, fonts, fills, borders, alignment,
number formats, merges, notes, widths, heights, panes, print setup, sheets. A feature added here needs its
xlsxwriter twin there.

Every text is an inline string, never a formula, whatever it starts with; characters XML 1.0 forbids are
dropped and text beyond Excel's cell limit is cut, so no unit's text can break the file. The same calls
give the same bytes: the zip entries are dated 1980-01-01 and the created date is passed in.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import struct
import zlib
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from automation.domain.text import xml_safe
from automation.write.xlsx_lite_styles import MAIN as _MAIN
from automation.write.xlsx_lite_styles import XML as _XML
from automation.write.xlsx_lite_styles import Style, styles_xml
from automation.write.xlsx_lite_styles import attr as _attr
from automation.write.xlsx_lite_styles import escape as _escape

_X_ESCAPE = re.compile("(_x[0-9A-Fa-f]{4}_)")  # Excel reads "_x0041_" as "A"; "_x005F" is its escape of "_"
_SPACES, _PRESERVE = " \t\n\r", ' xml:space="preserve"'
_BAD_SHEET_NAME = re.compile(r"[\[\]:*?/\\\x00-\x1f]|^'|'$")
_MAX_TEXT = 32767  # UTF-16 units Excel keeps in a cell or a note
_MAX_ROW, _MAX_COL = 1048576, 16384
_EPOCH = dt.datetime(1899, 12, 30)
_SHARED_PARTS = {"[Content_Types].xml", "docProps/app.xml", "xl/styles.xml"}
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_RELS = f'{_XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
_CT = "application/vnd.openxmlformats-"
_ROOT_RELS = (
    f'{_RELS}<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
    f'core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="{_REL}/extended-properties" '
    'Target="docProps/app.xml"/></Relationships>'
).encode()
# LibreOffice applies its Excel-compatibility rules to files that say Excel wrote them (as xlsxwriter's do)
_APP = (
    f'{_XML}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>Microsoft Excel</Application></Properties>"
).encode()
# notes need a legacy VML box each: this is xlsxwriter's (and Excel's) shape, hidden until hovered
_VML_HEAD = (
    '<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout v:ext="edit"><o:idmap v:ext="edit" '
    'data="{ids}"/></o:shapelayout><v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" '
    'path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/><v:path gradientshapeok="t" '
    'o:connecttype="rect"/></v:shapetype>'
)
_VML_SHAPE = (
    'fillcolor="#ffffe1" o:insetmode="auto"><v:fill color2="#ffffe1"/><v:shadow on="t" color="black" '
    'obscured="t"/><v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto"><div '
    'style="text-align:left"></div></v:textbox><x:ClientData ObjectType="Note"><x:MoveWithCells/>'
    "<x:SizeWithCells/>"
)


class Page(NamedTuple):
    """Print setup: paper 9 (A4), portrait unless ``landscape``; ``fit`` = (pages wide, pages tall; 0 = as
    many as needed), None to print at 100 %; margins in inches (left, right, top, bottom); header and footer
    in Excel's ``&L…&C…&R…`` codes, at most 255 characters (a longer one is left out: Excel refuses it)."""

    landscape: bool = False
    paper: int = 9
    fit: tuple[int, int] | None = None
    margins: tuple[float, float, float, float] = (0.7, 0.7, 0.75, 0.75)
    header: str = ""
    footer: str = ""


def clean(text: str) -> str:
    """``text`` as a cell can hold it: no character XML 1.0 forbids, at most 32,767 UTF-16 units."""
    text = xml_safe(text)
    if len(text) > _MAX_TEXT // 2 and len(text.encode("utf-16-le")) > 2 * _MAX_TEXT:
        text = text.encode("utf-16-le")[: 2 * _MAX_TEXT].decode("utf-16-le", "ignore")
    return text


def _escaped(text: str) -> str:
    """``text`` cleaned and escaped for XML: the same object in the usual case, where nothing needs doing
    (these checks are the fastest found to tell; a regex takes 3×)."""
    if text.isprintable() and not ("&" in text or "<" in text or ">" in text or "_x" in text):
        if len(text) <= _MAX_TEXT // 2:
            return text
    return _escape(_X_ESCAPE.sub(r"_x005F\1", clean(text)))


def _t(text: str) -> str:
    """The ``<t>`` element of a cell or note, its spaces kept."""
    text = _escaped(text)
    return f"<t{_PRESERVE if text and (text[0] in _SPACES or text[-1] in _SPACES) else ''}>{text}</t>"


class _Letters(dict[int, str]):
    """Column index → letters (0 → ``A``, 26 → ``AA``), each made on first use."""

    def __missing__(self, col: int) -> str:
        name, n = "", col + 1
        while n:
            n, rest = divmod(n - 1, 26)
            name = chr(65 + rest) + name
        self[col] = name
        return name


_LETTERS = _Letters()


def _range(r1: int, c1: int, r2: int, c2: int, absolute: bool = False) -> str:
    d = "$" if absolute else ""
    return f"{d}{_LETTERS[c1]}{d}{r1 + 1}:{d}{_LETTERS[c2]}{d}{r2 + 1}"


def _serial(value: dt.date) -> float | None:
    """Excel's day number of ``value`` (the 1900 system, with its phantom 29/02/1900); None before 1900."""
    moment = value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month, value.day)
    delta = moment.replace(tzinfo=None) - _EPOCH
    days = delta.days - (delta.days < 61)
    seconds = delta.seconds + delta.microseconds / 1e6
    return None if days < 1 else days + seconds / 86400 if seconds else days


def _pixels(width: float) -> int:
    """Screen pixels of a column ``width`` characters wide (an 11 pt digit is 7 px, plus 5 px padding)."""
    return int(width * 12 + 0.5) if width < 1 else int(width * 7 + 0.5) + 5


class Sheet:
    """One worksheet, made by ``Workbook.add_sheet``. Ranges are (first row, first col, last row, last col),
    inclusive; ``page``, ``print_area``, ``repeat_rows`` (first, last) and ``autofilter`` are set directly."""

    def __init__(self, workbook: Workbook, name: str) -> None:
        self.name = name
        self.page: Page | None = None
        self.print_area: tuple[int, int, int, int] | None = None
        self.repeat_rows: tuple[int, int] | None = None
        self.autofilter: tuple[int, int, int, int] | None = None
        self._styles = workbook._styles
        self._rows: dict[int, dict[int, str]] = {}
        self._widths: dict[int, float] = {}
        self._heights: dict[int, float] = {}
        self._merges: list[tuple[int, int, int, int]] = []
        self._notes: dict[tuple[int, int], tuple[str, int, int]] = {}
        self._freeze = (0, 0)
        self._last_style, self._last_xf = Style(), 0

    def write(self, row: int, col: int, value: object, style: Style | None = None) -> None:
        """One cell, typed by ``value``: text (always a string), number, bool, date or datetime (shown with
        ``style.num_format``, else dd/mm/yyyy [hh:mm]), None or "" (a styled blank; nothing without a style).
        A date before 1900 and a NaN or infinity, which Excel cannot hold, are written as text."""
        if not (0 <= row < _MAX_ROW and 0 <= col < _MAX_COL):
            raise ValueError(f"cell ({row}, {col}) is outside the sheet")
        if style is None:
            xf = 0
        elif style is self._last_style:  # most cells repeat the style before them: skip the tuple hash
            xf = self._last_xf
        else:
            xf = self._last_xf = self._styles.setdefault(style, len(self._styles))
            self._last_style = style
        cells = self._rows.get(row) or self._rows.setdefault(row, {})
        kind = value.__class__
        if kind is str and value:  # the usual cell, in one string
            text = _escaped(value)  # type: ignore[arg-type]
            keep = _PRESERVE if text and (text[0] in _SPACES or text[-1] in _SPACES) else ""
            s = f' s="{xf}"' if xf else ""
            cells[col] = f'<c r="{_LETTERS[col]}{row + 1}"{s} t="inlineStr"><is><t{keep}>{text}</t></is></c>'
            return
        if value is None or value == "":
            if style is None:
                cells.pop(col, None)
                return
            body = "/>"
        elif kind is int or (kind is float and math.isfinite(value)):  # type: ignore[arg-type]
            body = f"><v>{value!r}</v></c>"
        elif isinstance(value, bool):
            body = f' t="b"><v>{value:d}</v></c>'
        elif isinstance(value, int | float) and math.isfinite(value):  # numpy's and other subclasses
            body = (
                f"><v>{float(value)!r}</v></c>" if isinstance(value, float) else f"><v>{int(value)}</v></c>"
            )
        elif isinstance(value, dt.date) and (serial := _serial(value)) is not None:
            body = f"><v>{serial!r}</v></c>"
            if style is None or style.num_format is None:
                code = "dd/mm/yyyy hh:mm" if isinstance(value, dt.datetime) else "dd/mm/yyyy"
                xf = self._styles.setdefault((style or Style())._replace(num_format=code), len(self._styles))
        else:
            body = f' t="inlineStr"><is>{_t(str(value))}</is></c>'
        cells[col] = (
            f'<c r="{_LETTERS[col]}{row + 1}" s="{xf}"{body}'
            if xf
            else f'<c r="{_LETTERS[col]}{row + 1}"{body}'
        )

    def comment(self, row: int, col: int, text: str, width: int = 128, height: int = 74) -> None:
        """A note on the cell, shown on hover in a box ``width`` × ``height`` pixels."""
        self._notes[(row, col)] = (text, width, height)

    def merge(self, r1: int, c1: int, r2: int, c2: int, style: Style | None = None) -> None:
        """Merge the range; its cells not written yet get ``style`` (so borders and fills cover it all)."""
        if (r1, c1) == (r2, c2) or r1 > r2 or c1 > c2:
            raise ValueError("a merged range needs at least two cells, top-left first")
        if any(r1 <= b2 and b1 <= r2 and c1 <= d2 and d1 <= c2 for b1, d1, b2, d2 in self._merges):
            raise ValueError(f"{_range(r1, c1, r2, c2)} overlaps a merged range")
        self._merges.append((r1, c1, r2, c2))
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                if style is not None and c not in self._rows.get(r, {}):
                    self.write(r, c, None, style)

    def set_width(self, col: int, width: float) -> None:
        """Column width in characters, as Excel's column dialog shows it."""
        self._widths[col] = width

    def set_height(self, row: int, points: float) -> None:
        self._heights[row] = min(points, 409.0)

    def freeze(self, rows: int, cols: int = 0) -> None:
        """Keep the top ``rows`` and left ``cols`` in view when scrolling."""
        self._freeze = (rows, cols)

    def _xml(self, selected: bool) -> str:
        out = [f'{_XML}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">']
        if self.page and self.page.fit:
            out.append('<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>')
        rows = [r for r, cells in self._rows.items() if cells] or [0]
        cols = set().union(*self._rows.values()) or {0}
        out.append(f'<dimension ref="{_range(min(rows), min(cols), max(rows), max(cols))}"/><sheetViews>')
        out.append(
            '<sheetView tabSelected="1" workbookViewId="0"' if selected else '<sheetView workbookViewId="0"'
        )
        frow, fcol = self._freeze
        if frow or fcol:
            pane = "bottomRight" if frow and fcol else "bottomLeft" if frow else "topRight"
            split = (f' xSplit="{fcol}"' if fcol else "") + (f' ySplit="{frow}"' if frow else "")
            out.append(f'><pane{split} topLeftCell="{_LETTERS[fcol]}{frow + 1}" activePane="{pane}" '
                       f'state="frozen"/><selection pane="{pane}"/></sheetView>')  # fmt: skip
        else:
            out.append("/>")
        out.append('</sheetViews><sheetFormatPr defaultRowHeight="15"/>')
        if self._widths:
            columns = "".join(_col_xml(col, self._widths[col]) for col in sorted(self._widths))
            out.append(f"<cols>{columns}</cols>")
        out.append("<sheetData>")
        for r in sorted({r for r, cells in self._rows.items() if cells} | self._heights.keys()):
            height = f' ht="{self._heights[r]:g}" customHeight="1"' if r in self._heights else ""
            cells = self._rows.get(r)
            cells_xml = "".join([cells[c] for c in sorted(cells)]) if cells else ""
            out.append(f'<row r="{r + 1}"{height}>{cells_xml}</row>')
        out.append("</sheetData>")
        if self.autofilter:
            out.append(f'<autoFilter ref="{_range(*self.autofilter)}"/>')
        if self._merges:
            refs = "".join(f'<mergeCell ref="{_range(*m)}"/>' for m in self._merges)
            out.append(f'<mergeCells count="{len(self._merges)}">{refs}</mergeCells>')
        if self.page:
            out.append(_page_xml(self.page))
        if self._notes:
            out.append('<legacyDrawing r:id="rId1"/>')
        out.append("</worksheet>")
        return "".join(out)

    def _notes_xml(self, font: str, author: str) -> str:
        run = f'<r><rPr><sz val="10"/><color indexed="81"/><rFont val={_attr(font)}/></rPr>'
        notes = "".join(
            f'<comment ref="{_LETTERS[col]}{row + 1}" authorId="0"><text>{run}{_t(text)}</r></text></comment>'
            for (row, col), (text, _, _) in sorted(self._notes.items())
        )
        return (f'{_XML}<comments xmlns="{_MAIN}"><authors><author>{_escape(clean(author))}</author></authors>'
                f"<commentList>{notes}</commentList></comments>")  # fmt: skip

    def _vml(self, block: int) -> tuple[str, int]:
        """The notes' VML drawing, shape ids from ``block`` × 1024; and the next free block."""
        blocks = 1 + len(self._notes) // 1024
        out = [_VML_HEAD.format(ids=",".join(str(block + i) for i in range(blocks)))]
        notes = sorted(self._notes.items())
        widths, heights = self._widths, self._heights
        last_col = max(col for (_, col), _ in notes) + 2 + max(w for _, (_, w, _) in notes) // 8
        last_row = max(row for (row, _), _ in notes) + 1 + max(h for _, (_, _, h) in notes) // 8
        px = (
            [_pixels(widths[c]) if c in widths else 64 for c in range(min(last_col, _MAX_COL))],
            [int(heights[r] * 4 / 3 + 0.5) if r in heights else 20 for r in range(min(last_row, _MAX_ROW))],
        )
        for z, ((row, col), (_, width, height)) in enumerate(notes, start=1):
            out.append(_note_shape(row, col, width, height, *px, block * 1024 + z, z))
        out.append("</xml>")
        return "".join(out), block + blocks


def _note_shape(
    row: int, col: int, width: int, height: int, col_px: list[int], row_px: list[int], shape: int, z: int
) -> str:
    """A note's VML box, placed as Excel places it: 15 px into the next column, 10 px into the row above;
    the anchor is (column, x, row, y) of its top-left and bottom-right corners. ``col_px``, ``row_px``: the
    pixels of each column and row, far enough."""
    col0, row0, x1, y1 = min(col + 1, _MAX_COL - 4), max(row - 1, 0), 15, (10 if row else 2)
    col1, row1, x2, y2 = col0, row0, width + x1, height + y1
    while x2 >= col_px[col1] and col1 < len(col_px) - 1:
        x2, col1 = x2 - col_px[col1], col1 + 1
    while y2 >= row_px[row1] and row1 < len(row_px) - 1:
        y2, row1 = y2 - row_px[row1], row1 + 1
    left, top = (sum(col_px[:col0]) + x1) * 0.75, (sum(row_px[:row0]) + y1) * 0.75
    return (
        f'<v:shape id="_x0000_s{shape}" type="#_x0000_t202" style="position:absolute;margin-left:{left:.15g}pt;'
        f"margin-top:{top:.15g}pt;width:{width * 0.75:.15g}pt;height:{height * 0.75:.15g}pt;z-index:{z};"
        f'visibility:hidden" {_VML_SHAPE}<x:Anchor>{col0}, {x1}, {row0}, {y1}, {col1}, {x2}, {row1}, {y2}'
        f"</x:Anchor><x:AutoFill>False</x:AutoFill><x:Row>{row}</x:Row><x:Column>{col}</x:Column></x:ClientData>"
        "</v:shape>"
    )


@lru_cache(maxsize=1024)
def _col_xml(col: int, width: float) -> str:
    return f'<col min="{col + 1}" max="{col + 1}" width="{int(_pixels(width) * 256 / 7) / 256:.16g}" customWidth="1"/>'


@lru_cache(maxsize=256)
def _page_xml(page: Page) -> str:
    left, right, top, bottom = page.margins
    wide, tall = page.fit or (1, 1)
    fit = (f' fitToWidth="{wide}"' if wide != 1 else "") + (f' fitToHeight="{tall}"' if tall != 1 else "")
    out = [
        f'<pageMargins left="{left}" right="{right}" top="{top}" bottom="{bottom}" header="0.3" footer="0.3"/>'
        f'<pageSetup paperSize="{page.paper}"{fit} orientation="{"landscape" if page.landscape else "portrait"}"/>'
    ]
    header, footer = (
        _escape(text) if len(text) <= 255 else "" for text in map(clean, (page.header, page.footer))
    )
    if header or footer:
        out.append(f"<headerFooter>{f'<oddHeader>{header}</oddHeader>' if header else ''}"
                   f"{f'<oddFooter>{footer}</oddFooter>' if footer else ''}</headerFooter>")  # fmt: skip
    return "".join(out)


def _deflate(data: bytes) -> tuple[int, int, bytes]:
    packer = zlib.compressobj(1, zlib.DEFLATED, -15)
    return 8, zlib.crc32(data), packer.compress(data) + packer.flush()


_deflate_shared = lru_cache(maxsize=256)(_deflate)


def zip_parts(parts: list[tuple[str, bytes]], compress: bool = False) -> bytes:
    """A zip archive of ``parts``, every entry dated 1980-01-01 (no clock is read). Deflate costs ~10 µs a
    KB here, more than all the rest of a small workbook: unless ``compress``, only the parts that repeat from
    workbook to workbook (compressed once, cached) are deflated, the sheets stored."""
    local, central, offset = [], [], 0
    for name, data in parts:
        if compress:
            method, crc, packed = _deflate(data)
        elif name in _SHARED_PARTS or name.endswith(".rels"):
            method, crc, packed = _deflate_shared(data)
        else:
            method, crc, packed = 0, zlib.crc32(data), data
        raw = name.encode()
        fields = (20, 0, method, 0, 0x21, crc, len(packed), len(data), len(raw))
        local += [struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields, 0), raw, packed]
        central += [struct.pack("<IH5H3I5H2I", 0x02014B50, 20, *fields, 0, 0, 0, 0, 0, offset), raw]
        offset += 30 + len(raw) + len(packed)
    directory = b"".join(central)
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(parts), len(parts), len(directory), offset, 0)
    return b"".join([*local, directory, end])


class Workbook:
    """A workbook in memory. Text is set in ``font`` at ``size`` pt unless a style says otherwise;
    ``created``, ``title`` and ``author`` (also the notes' author) go to the document properties."""

    def __init__(self, created: dt.datetime, title: str = "", author: str = "", font: str = "Calibri",
                 size: float = 11) -> None:  # fmt: skip
        self.sheets: list[Sheet] = []
        self.active = 0  # index of the sheet shown when the file opens
        self._created = created.astimezone(dt.UTC) if created.tzinfo else created
        self._title, self._author, self._font, self._size = title, author, font, size
        self._styles: dict[Style, int] = {Style(): 0}

    def add_sheet(self, name: str) -> Sheet:
        """A new sheet at the end. ``name``: 1–31 characters, none of ``[]:*?/\\``, unique ignoring case."""
        taken = {sheet.name.casefold() for sheet in self.sheets}
        if not 0 < len(name) <= 31 or _BAD_SHEET_NAME.search(name) or clean(name) != name:
            raise ValueError(f"{name!r} cannot name a sheet")
        if name.casefold() in taken:
            raise ValueError(f"{name!r} cannot name a sheet")
        self.sheets.append(Sheet(self, name))
        return self.sheets[-1]

    def _workbook_xml(self) -> str:
        sheets, names = [], []
        for i, sheet in enumerate(self.sheets):
            sheets.append(f'<sheet name={_attr(sheet.name)} sheetId="{i + 1}" r:id="rId{i + 1}"/>')
            on = "'" + sheet.name.replace("'", "''") + "'!"
            if sheet.autofilter:  # Excel keeps an autofilter's range in this hidden name too
                names.append(
                    ("_xlnm._FilterDatabase", i, ' hidden="1"', on + _range(*sheet.autofilter, True))
                )
            if sheet.print_area:
                names.append(("_xlnm.Print_Area", i, "", on + _range(*sheet.print_area, True)))
            if sheet.repeat_rows:
                first, last = sheet.repeat_rows
                names.append(("_xlnm.Print_Titles", i, "", f"{on}${first + 1}:${last + 1}"))
        defined = "".join(f'<definedName name="{name}" localSheetId="{i}"{hidden}>{_escape(formula)}</definedName>'
                          for name, i, hidden, formula in sorted(names))  # fmt: skip
        return (f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView activeTab="{self.active}"/>'
                f"</bookViews><sheets>{''.join(sheets)}</sheets>"
                f"{f'<definedNames>{defined}</definedNames>' if defined else ''}</workbook>")  # fmt: skip

    def _core_xml(self) -> str:
        when, author = self._created.strftime("%Y-%m-%dT%H:%M:%SZ"), _escape(clean(self._author))
        return (
            f'{_XML}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
            'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/'
            'terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{_escape(clean(self._title))}</dc:title><dc:creator>{author}</dc:creator>"
            f'<cp:lastModifiedBy>{author}</cp:lastModifiedBy><dcterms:created xsi:type="dcterms:W3CDTF">{when}'
            f'</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified>'
            "</cp:coreProperties>"
        )

    def parts(self) -> list[tuple[str, bytes]]:
        """The package's parts, (name, bytes), in zip order."""
        if not 0 <= self.active < len(self.sheets):
            raise ValueError("a workbook needs a sheet, and the active one among its sheets")
        ml = "officedocument.spreadsheetml."
        types = [("/xl/workbook.xml", ml + "sheet.main+xml"), ("/xl/styles.xml", ml + "styles+xml")]
        sheet_parts: list[tuple[str, bytes]] = []
        book_rels, block, drawings = [_RELS], 1, 0
        for i, sheet in enumerate(self.sheets, start=1):
            sheet_parts.append((f"xl/worksheets/sheet{i}.xml", sheet._xml(i - 1 == self.active).encode()))
            types.append((f"/xl/worksheets/sheet{i}.xml", ml + "worksheet+xml"))
            target = f"worksheets/sheet{i}.xml"
            book_rels.append(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="{target}"/>')
            if sheet._notes:
                drawings += 1
                vml, block = sheet._vml(block)
                notes = f"xl/comments{drawings}.xml"
                sheet_parts.append((f"xl/drawings/vmlDrawing{drawings}.vml", vml.encode()))
                sheet_parts.append((notes, sheet._notes_xml(self._font, self._author).encode()))
                types.append(("/" + notes, ml + "comments+xml"))
                rels = (f'{_RELS}<Relationship Id="rId1" Type="{_REL}/vmlDrawing" Target="../drawings/vmlDrawing'
                        f'{drawings}.vml"/><Relationship Id="rId2" Type="{_REL}/comments" Target="../{notes[3:]}"/>'
                        "</Relationships>")  # fmt: skip
                sheet_parts.append((f"xl/worksheets/_rels/sheet{i}.xml.rels", rels.encode()))
        rid = len(self.sheets) + 1
        book_rels.append(f'<Relationship Id="rId{rid}" Type="{_REL}/styles" Target="styles.xml"/>')
        book_rels.append("</Relationships>")
        content_types = (
            f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default '
            f'Extension="rels" ContentType="{_CT}package.relationships+xml"/><Default Extension="xml" ContentType='
            f'"application/xml"/><Default Extension="vml" ContentType="{_CT}officedocument.vmlDrawing"/>'
            f'<Override PartName="/docProps/core.xml" ContentType="{_CT}package.core-properties+xml"/><Override '
            f'PartName="/docProps/app.xml" ContentType="{_CT}officedocument.extended-properties+xml"/>'
            + "".join(f'<Override PartName="{p}" ContentType="{_CT}{t}"/>' for p, t in types)
            + "</Types>"
        )
        return [
            ("[Content_Types].xml", content_types.encode()), ("_rels/.rels", _ROOT_RELS),
            ("docProps/app.xml", _APP), ("docProps/core.xml", self._core_xml().encode()),
            ("xl/workbook.xml", self._workbook_xml().encode()),
            ("xl/_rels/workbook.xml.rels", "".join(book_rels).encode()),
            ("xl/styles.xml", styles_xml(tuple(self._styles), self._font, self._size)), *sheet_parts,
        ]  # fmt: skip

    def to_bytes(self, compress: bool = False) -> bytes:
        """The .xlsx file's bytes; ``compress`` deflates the sheets too (a third of the size, slower)."""
        return zip_parts(self.parts(), compress)

    def save(self, path: Path, compress: bool = False) -> None:
        """Write the .xlsx to ``path`` (for ``workbook_io.atomic_save``)."""
        path.write_bytes(self.to_bytes(compress))
