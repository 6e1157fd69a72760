"""Read stage of collect (SPEC §5, §6, §12): one unit's spreadsheet in, a ``ParsedReport`` out.

One reader for .xlsx, .xlsm, .xls and .ods (and the spreadsheet attachments of an .eml, given as bytes):
python-calamine reads the cells of all four, whatever the file's extension says. Cells are found by
their header labels (``templates.HEADER_LABELS``, compared with ``normalize.fold``), never by position,
so inserted rows or columns, a renamed sheet, a moved header and a retyped label all work. Values are
read from A1, so every reference (``E9``) is the cell's true Excel reference.

What comes out is what the unit wrote, before any judgement: strings are NFC and stripped, empty cells
are ``None``, and numbers, dates and datetimes stay as calamine gives them (integers arrive as floats
``60.0``, except from .xls; a date cell is a ``date``, or a ``datetime`` when it has a time). Text dates
(``05/03/2025``), numbers stored as text (``"60"``) and ``"60%"`` stay text: validation parses them.

Things calamine does not say, recovered here from the file's own parts with one pass over the report
sheet (skipped when a byte scan shows the sheet has no formula and no error cell):

- **Formulas.** calamine returns only the cached value (none at all for files written by openpyxl);
  ``formula_cells`` lists the references of cells holding a formula (xlsx/xlsm: ``<f>`` in the sheet part;
  ods: ``table:formula``; xls: FORMULA records of the sheet's BIFF substream).
- **Error values.** calamine returns an error cell (``#REF!``, ``#N/A``, ``#DIV/0!`` …, cached or
  literal) as ``''``, indistinguishable from an empty cell. The reader puts the error back as the plain
  string Excel shows (``"#REF!"``; LibreOffice's own codes look like ``"Err:502"``), so validation
  recognises it with ``is_error_value``.
- **Percentages.** ``60%`` typed into a number cell becomes 0.6 with a percent format, which calamine
  drops. A ``Tiến độ (%)`` value between 0 and 1 whose cell has a percent format is given as the text the
  person typed (``"60%"``), so 100% is never mistaken for 1.

Merged cells: a value belongs to the range's top-left cell; the covered cells read as empty.
Macros are never run: calamine and this module only read the file's data, they execute nothing.

Untrusted input never raises: an empty, corrupt, encrypted or oversized file, an XML part declaring a
DTD (defusedxml semantics), or a workbook without the header labels becomes a ``Finding`` with severity
``error`` and a ``file.*`` rule. Zip containers are checked against ``ReadLimits`` from the central
directory before calamine inflates anything, and every inflation done here is capped (a part that
inflates to another size than declared is refused). calamine allocates a sheet's whole rectangle and
*aborts the process* when that fails (a stray cell at XFD1048576, a forged .xls DIMENSIONS record), so a
sheet's extent is measured from the file before calamine loads it: .xlsx sheets from their cell
references, every .ods table and .xls sheet (calamine loads those whole on opening) from content.xml and
the BIFF records; more than ``ReadLimits.max_cells`` is ``file.sheet_too_large``.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import io
import posixpath
import re
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

import defusedxml.ElementTree as SafeET
from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

from automation.messages import t
from automation.model import Finding, ParsedReport, ParsedRow
from automation.normalize import fold, nfc, strip_accents
from automation.templates import (
    COL_CODE,
    COL_PROGRESS,
    COL_STATUS,
    HEADER_LABELS,
    SHEET_META,
    SHEET_REPORT,
)

MB = 1024 * 1024

REQUIRED_LABELS = (COL_CODE, COL_STATUS)
# Header words people retype instead of the template's label (folded form → label).
LABEL_ALIASES = {"ma nhiem vu": COL_CODE, "tien do": COL_PROGRESS, "trang thai": COL_STATUS}
# fold is slow (~14 µs) and the same few labels and sheet names come back in every file: remember them
_fold = functools.lru_cache(maxsize=4096)(fold)
HEADER_MIN_LABELS = 3  # a row holding fewer of the labels is not the table's header
HEADER_SEARCH_ROWS = 200

# What Excel shows for an error cell, and LibreOffice's own "Err:5xx" codes.
ERROR_VALUES = frozenset(
    {
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
    }
)
_LO_ERROR = re.compile(r"Err:\d{3}")
_BIFF_ERRORS = {
    0x00: "#NULL!",
    0x07: "#DIV/0!",
    0x0F: "#VALUE!",
    0x17: "#REF!",
    0x1D: "#NAME?",
    0x24: "#NUM!",
    0x2A: "#N/A",
    0x2B: "#GETTING_DATA",
}


def is_error_value(value: object) -> bool:
    """True for a spreadsheet error value as the reader gives it (``"#REF!"``, ``"#N/A"``, ``"Err:502"``)."""
    return isinstance(value, str) and (value.upper() in ERROR_VALUES or bool(_LO_ERROR.fullmatch(value)))


@dataclass(frozen=True)
class ReadLimits:
    """Bounds for one untrusted file (the defaults match ``.env.example``'s MAX_* settings)."""

    max_file_bytes: int = 25 * MB
    max_inflated_bytes: int = 200 * MB
    max_ratio: int = 100  # checked for members above ratio_floor: small XML parts compress very well
    ratio_floor: int = 1 * MB
    # rows × columns from A1 to a sheet's last cell: calamine allocates the whole rectangle, and a stray
    # cell at XFD1048576 (or a forged .xls DIMENSIONS record) asks for terabytes and aborts the process
    max_cells: int = 1_000_000


# what a damaged or hostile file can make calamine or the container parsers below raise
_FILE_ERRORS = (
    CalamineError,
    OSError,
    ValueError,
    KeyError,
    IndexError,
    OverflowError,
    struct.error,
    zlib.error,
    zipfile.BadZipFile,
    SafeET.ParseError,
)


class _Reject(Exception):
    """A reason the file cannot be read, as a rule code and message parameters."""

    def __init__(self, rule: str, **params: object) -> None:
        super().__init__(rule)
        self.rule = rule
        self.params = params


def read_report(path: Path, name: str, *, limits: ReadLimits | None = None) -> ParsedReport:
    """Read the unit report in ``path``; ``name`` is the display path used in findings. Never raises
    for bad input: problems are ``file.*`` findings in the result."""
    limits = limits or ReadLimits()
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            return _rejected(
                name, _Reject("file.too_large", size=_mb(size), limit=_mb(limits.max_file_bytes))
            )
        data = path.read_bytes()
    except OSError as exc:
        return _rejected(name, _Reject("file.unreadable", detail=exc.strerror or type(exc).__name__))
    return read_report_bytes(data, name, limits=limits)


def read_report_bytes(data: bytes, name: str, *, limits: ReadLimits | None = None) -> ParsedReport:
    """``read_report`` for a file already in memory (an email attachment)."""
    limits = limits or ReadLimits()
    try:
        return _read(data, name, limits)
    except _Reject as reject:
        return _rejected(name, reject)


def _rejected(name: str, reject: _Reject) -> ParsedReport:
    report = ParsedReport()
    report.findings.append(Finding("error", reject.rule, t(reject.rule, **reject.params), file=name))
    return report


def _mb(size: int) -> int:
    """Whole megabytes, rounded up (a 25.3 MB file is not shown as "25 MB, limit 25 MB")."""
    return -(-size // MB)


# --- the workbook ------------------------------------------------------------------------------------


def _read(data: bytes, name: str, limits: ReadLimits) -> ParsedReport:
    if not data:
        raise _Reject("file.empty")
    if len(data) > limits.max_file_bytes:
        raise _Reject("file.too_large", size=_mb(len(data)), limit=_mb(limits.max_file_bytes))
    container = _Container.sniff(data, limits)
    workbook = _open_workbook(data, container)
    report = ParsedReport()
    try:
        found = _choose_sheet(workbook, container)
        if found is None:
            raise _Reject("file.no_report_sheet", labels=", ".join(REQUIRED_LABELS), sheet=SHEET_REPORT)
        sheet_name, grid, merged, header_row, cols = found
        report.meta = _read_meta(workbook, container)
    except (_Reject, KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except BaseException as exc:
        if not isinstance(exc, _FILE_ERRORS) and type(exc).__name__ != "PanicException":
            raise  # the program's own failure, not the file's
        raise _Reject("file.unreadable", detail=_detail(exc)) from None
    finally:
        workbook.close()

    for (r0, c0), (r1, c1) in merged:  # a merged range's value belongs to its top-left cell
        for r in range(r0, min(r1, len(grid) - 1) + 1):
            row = grid[r]
            for c in range(c0, min(c1, len(row) - 1) + 1):
                if (r, c) != (r0, c0):
                    row[c] = ""
    percent_wanted = _percent_candidates(grid, header_row, cols)
    try:
        scan = container.scan_sheet(sheet_name, len(grid), max(map(len, grid), default=0), percent_wanted)
    except _Reject:
        raise
    except _FILE_ERRORS as exc:
        raise _Reject("file.unreadable", detail=_detail(exc)) from None
    for ref, code in scan.errors.items():
        r, c = _parse_ref(ref)
        if r < len(grid) and c < len(grid[r]) and grid[r][c] == "":  # calamine's reading of an error
            grid[r][c] = code
    for ref in scan.percent & percent_wanted:
        r, c = _parse_ref(ref)
        grid[r][c] = f"{round(float(grid[r][c]) * 100, 6):g}%"
    _normalise(grid)

    report.sheet = sheet_name
    report.header_row = header_row + 1
    report.columns = {label: _letter(c) for label, c in cols.items()}
    report.formula_cells = scan.formulas
    report.grid = grid
    report.rows = _data_rows(grid, header_row, cols)
    _find_labels(report, grid, header_row)
    for label in HEADER_LABELS:
        if label not in cols:
            severity = "error" if label in REQUIRED_LABELS else "warning"
            message = t("file.missing_column", column=label, sheet=sheet_name, row=header_row + 1)
            report.findings.append(
                Finding(
                    severity,
                    "file.missing_column",
                    message,
                    file=name,
                    sheet=sheet_name,
                    cell=f"A{header_row + 1}",
                )
            )
    return report


def _detail(exc: BaseException) -> str:
    text = nfc(str(exc)).splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]


def _open_workbook(data: bytes, container: _Container) -> CalamineWorkbook:
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError:
        raise _Reject("file.encrypted") from None
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except BaseException as exc:  # calamine's Rust panics arrive as pyo3's PanicException (a BaseException)
        if container.encrypted():
            raise _Reject("file.encrypted") from None
        raise _Reject("file.unreadable", detail=container.not_a_spreadsheet or _detail(exc)) from None


def _choose_sheet(wb: CalamineWorkbook, container: _Container):
    """The report sheet: a visible sheet named like "Báo cáo", else the first sheet (visible ones first)
    whose rows hold the header labels. Returns (name, grid, merged ranges, header row, columns) or None."""
    sheets = [
        (i, m)
        for i, m in enumerate(wb.sheets_metadata)
        if m.typ == SheetTypeEnum.WorkSheet and _fold(m.name) != _fold(SHEET_META)
    ]
    visible = [(i, m) for i, m in sheets if m.visible == SheetVisibleEnum.Visible]
    named = [(i, m) for i, m in visible if _fold(m.name) == _fold(SHEET_REPORT)]
    seen: set[int] = set()
    for index, meta in named + visible + sheets:
        if index in seen:
            continue
        seen.add(index)
        container.check_sheet(meta.name)
        sheet = wb.get_sheet_by_index(index)
        if sheet.end is not None:  # before the Python grid is built from A1 (an .ods is checked only here)
            _check_area(meta.name, sheet.end[0] + 1, sheet.end[1] + 1, container.limits)
        grid = sheet.to_python(skip_empty_area=False)
        header = _find_header(grid)
        if header is not None:
            return meta.name, grid, sheet.merged_cell_ranges or [], header[0], header[1]
    return None


_LABEL_KEYS = {fold(label): label for label in HEADER_LABELS} | LABEL_ALIASES


def _header_labels(row: list[object]) -> dict[str, int]:
    found: dict[str, int] = {}
    for c, value in enumerate(row):
        if isinstance(value, str) and 0 < len(value) <= 80:
            label = _LABEL_KEYS.get(_fold(value))
            if label is not None and label not in found:
                found[label] = c
    return found


def _find_header(grid: list[list[object]]) -> tuple[int, dict[str, int]] | None:
    best: tuple[int, dict[str, int]] | None = None
    for r, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        found = _header_labels(row)
        if len(found) >= HEADER_MIN_LABELS and (best is None or len(found) > len(best[1])):
            best = (r, found)
            if len(found) == len(HEADER_LABELS):
                break
    return best


def _clean(value: object) -> object:
    """A cell's value for a row or a label: text stripped (the grid is NFC already), blank → None."""
    if type(value) is str:
        return value.strip() or None
    return value


def _data_rows(grid: list[list[object]], header_row: int, cols: dict[str, int]) -> list[ParsedRow]:
    columns = [(label, c, _letter(c)) for label, c in cols.items()]
    rows: list[ParsedRow] = []
    for r in range(header_row + 1, len(grid)):
        row = grid[r]
        width = len(row)
        values: dict[str, object] = {}
        filled = False
        for label, c, _ in columns:
            value = _clean(row[c]) if c < width else None
            values[label] = value
            filled = filled or value is not None
        if not filled:
            continue
        code = values.get(COL_CODE)
        if isinstance(code, str) and code[:1] in "Mm" and _LABEL_KEYS.get(_fold(code)) == COL_CODE:
            continue  # the header repeated further down (a page break, a pasted block)
        number = r + 1
        rows.append(ParsedRow(number, values, {label: f"{letter}{number}" for label, _, letter in columns}))
    return rows


def _percent_candidates(grid: list[list[object]], header_row: int, cols: dict[str, int]) -> set[str]:
    """Progress cells holding a number in (0, 1]: the ones that may be a percentage typed as ``60%``."""
    c = cols.get(COL_PROGRESS)
    if c is None:
        return set()
    letter = _letter(c)
    return {
        f"{letter}{r + 1}"
        for r in range(header_row + 1, len(grid))
        if c < len(grid[r]) and type(grid[r][c]) in (int, float) and 0 < grid[r][c] <= 1
    }


def _normalise(grid: list[list[object]]) -> None:
    """Empty cells to None, strings to NFC (not stripped: the grid is the sheet as the unit left it), the
    grid cut to the used area."""
    normalize = unicodedata.normalize
    for row in grid:
        for c, value in enumerate(row):
            if type(value) is str:
                if not value:
                    row[c] = None
                elif not value.isascii():
                    row[c] = normalize("NFC", value)
    while grid and all(v is None for v in grid[-1]):
        grid.pop()
    width = max(
        (
            len(row) - next((k for k, v in enumerate(reversed(row)) if v is not None), len(row))
            for row in grid
        ),
        default=0,
    )
    for row in grid:
        del row[width:]


# --- the "Đơn vị:" and "Kỳ báo cáo:" cells --------------------------------------------------------------

_UNIT_LABEL = re.compile(r"\s*don\s*vi(?:\s*(?:bao\s*cao|thuc\s*hien))?\s*(?::.*)?", re.S)
_PERIOD_LABEL = re.compile(r"\s*ky\s*bao\s*cao\s*(?::.*)?", re.S)


def _label_kind(value: object) -> str | None:
    if not isinstance(value, str) or not value or len(value) > 200:
        return None
    return _label_kind_of(value)


@functools.lru_cache(maxsize=4096)
def _label_kind_of(value: str) -> str | None:
    text = strip_accents(nfc(value)).lower()
    if _UNIT_LABEL.fullmatch(text):
        return "unit"
    if _PERIOD_LABEL.fullmatch(text):
        return "period"
    return None


def _find_labels(report: ParsedReport, grid: list[list[object]], header_row: int) -> None:
    """Fill unit_text/unit_cell and period_value/period_cell: the value right of the label cell, else
    below it, else in the label cell itself after the colon ("Đơn vị: Văn phòng Sở")."""
    found: dict[str, tuple[object, str]] = {}
    for r in range(min(header_row, len(grid))):
        row = grid[r]
        for c, value in enumerate(row):
            if value is None:
                continue
            kind = _label_kind(value)
            if kind is None or (kind in found and found[kind][0] is not None):
                continue
            value_and_cell = _label_value(grid, r, c, str(value), header_row)
            if kind not in found or value_and_cell[0] is not None:  # a later label with a value wins
                found[kind] = value_and_cell
    if "unit" in found:
        value, report.unit_cell = found["unit"]
        report.unit_text = None if value is None else (value if isinstance(value, str) else _meta_text(value))
    if "period" in found:
        report.period_value, report.period_cell = found["period"]


def _label_value(grid: list[list[object]], r: int, c: int, text: str, header_row: int) -> tuple[object, str]:
    after = nfc(text.split(":", 1)[1]) if ":" in text else ""
    if after:
        return after, f"{_letter(c)}{r + 1}"
    row = grid[r]
    for k in range(c + 1, len(row)):
        if row[k] is not None:
            if _label_kind(row[k]) is not None:
                break
            return _clean(row[k]), f"{_letter(k)}{r + 1}"
    if r + 1 < header_row and c < len(grid[r + 1]):
        below = grid[r + 1][c]
        if below is not None and _label_kind(below) is None:
            return _clean(below), f"{_letter(c)}{r + 2}"
    return None, f"{_letter(c + 1)}{r + 1}"


def _meta_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return nfc(value)


def _read_meta(wb: CalamineWorkbook, container: _Container) -> dict[str, str]:
    for name in wb.sheet_names:
        if _fold(name) == _fold(SHEET_META):
            container.check_sheet(name)
            meta: dict[str, str] = {}
            for row in wb.get_sheet_by_name(name).to_python():
                if len(row) >= 2 and (key := _meta_text(row[0])) and key not in meta:
                    meta[key] = _meta_text(row[1])
            return meta
    return {}


# --- cell references ---------------------------------------------------------------------------------


def _letter(col: int) -> str:
    """0-based column index → Excel letters (0 → A, 26 → AA)."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d{1,7})")


def _parse_ref(ref: str) -> tuple[int, int]:
    """``E9`` → (8, 4), 0-based row and column."""
    match = _REF.fullmatch(ref)
    if not match:
        raise ValueError(ref)
    col = 0
    for ch in match.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(match.group(2)) - 1, col - 1


def _column(letters: bytes | str) -> int:
    """``b"E"`` → 4, 0-based."""
    col = 0
    for ch in letters.upper() if isinstance(letters, str) else letters.decode().upper():
        col = col * 26 + ord(ch) - 64
    return col - 1


def _ref(r: int, c: int) -> str:
    return f"{_letter(c)}{r + 1}"


# --- containers: zip (xlsx, xlsm, ods) and OLE (xls) ---------------------------------------------------


@dataclass
class _Scan:
    formulas: set[str] = field(default_factory=set)
    errors: dict[str, str] = field(default_factory=dict)
    percent: set[str] = field(default_factory=set)


class _Container:
    """The file's container, for what calamine does not tell: formulas, error cells, formats."""

    not_a_spreadsheet: str | None = None
    limits: ReadLimits

    @staticmethod
    def sniff(data: bytes, limits: ReadLimits) -> _Container:
        if data[:4] == b"PK\x03\x04":
            return _Zip(data, limits)
        if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            return _Ole(data, limits)
        raise _Reject("file.unreadable", detail=t("file.detail.not_spreadsheet"))

    def encrypted(self) -> bool:
        return False

    def check_sheet(self, sheet: str) -> None:
        """Raise _Reject if calamine must not load ``sheet`` (its rectangle is too large)."""

    def scan_sheet(self, sheet: str, rows: int, cols: int, percent_wanted: set[str]) -> _Scan:
        return _Scan()


def _check_area(sheet: str, rows: int, cols: int, limits: ReadLimits) -> None:
    if rows * cols > limits.max_cells:
        raise _Reject("file.sheet_too_large", sheet=sheet, rows=rows, cols=cols)


_XML_PROLOG = re.compile(rb"(?:\xef\xbb\xbf)?(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.S)
# a formula element (</f>, maybe namespace-prefixed) or an error cell (t="e"); a false alarm costs a scan
# (every formula has an end tag, or is a shared formula's dependent beside its master's end tag). Excel,
# LibreOffice, WPS and openpyxl all quote attributes with ", so t='e' is not looked for.
_CELL_MARKERS = (b"f>", b't="e"')
_HEAD = 512


# the XML parts calamine parses when it opens a workbook (lower case); a worksheet part is inflated and
# checked here before calamine loads that sheet
_OPENING_PARTS = frozenset(
    {
        "[content_types].xml",
        "_rels/.rels",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "xl/styles.xml",
        "xl/sharedstrings.xml",
        "content.xml",
        "styles.xml",
        "meta.xml",
        "settings.xml",
        "meta-inf/manifest.xml",
    }
)


# the parts that decide where each sheet lives (a cache key for the sheet → part map)
_WORKBOOK_PARTS = ("workbook.xml", "workbook.xml.rels", "_rels/.rels")


def _refuse_dtd(part: str, head: bytes) -> None:
    """Reject a part whose prolog declares a DTD (where entities are declared): defusedxml's rule."""
    rest = head[_XML_PROLOG.match(head).end() :]
    if rest[:9] == b"<!DOCTYPE" or (len(head) >= _HEAD and rest[:4] == b"<!--"):
        raise _Reject("file.unsafe", part=part)


class _Member(NamedTuple):
    filename: str
    flag_bits: int
    compress_type: int
    compress_size: int
    file_size: int
    header_offset: int
    crc: int

    @property
    def key(self) -> tuple[str, int, int]:
        """What identifies this part's content across files (the units' files share most parts)."""
        return self.filename, self.crc, self.file_size


# Work done on parts shared by every file made from the same template, remembered across files: parts
# whose prolog was checked, and workbooks' sheet → part maps. Keyed by name, CRC-32 and size (a forged
# CRC could only skip a DTD check on a part calamine parses, and calamine never expands entities).
_CHECKED_PARTS: set[tuple[str, int, int]] = set()
_SHEET_PARTS: dict[tuple[tuple[str, int, int], ...], dict[str, str]] = {}
_CACHE_SIZE = 4096


def _remember(cache: set | dict, key: object, value: object = None) -> None:
    if len(cache) >= _CACHE_SIZE:
        cache.clear()
    if isinstance(cache, set):
        cache.add(key)
    else:
        cache[key] = value


def _zip_directory(data: bytes) -> list[_Member]:
    """The zip's central directory, read directly (4× cheaper than ``zipfile``); anything unusual
    (zip64, a prefix before the archive) goes through ``zipfile`` instead."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end >= 0 and len(data) >= end + 22:
        count, size, offset = struct.unpack_from("<HII", data, end + 10)
        if count != 0xFFFF and offset != 0xFFFFFFFF and offset + size == end:
            members: list[_Member] = []
            position = offset
            for _ in range(count):
                if data[position : position + 4] != b"PK\x01\x02":
                    break
                (flags, method, crc, csize, usize, name_len, extra_len, comment_len, local) = (
                    struct.unpack_from("<2H4x3I3H8xI", data, position + 8)
                )
                if 0xFFFFFFFF in (csize, usize, local):
                    break  # zip64 fields
                raw = data[position + 46 : position + 46 + name_len]
                name = raw.decode("utf-8" if flags & 0x800 else "cp437", "replace")
                members.append(_Member(name, flags, method, csize, usize, local, crc))
                position += 46 + name_len + extra_len + comment_len
            else:
                return members
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [
            _Member(
                i.filename, i.flag_bits, i.compress_type, i.compress_size, i.file_size, i.header_offset, i.CRC
            )
            for i in archive.infolist()
        ]


class _Zip(_Container):
    def __init__(self, data: bytes, limits: ReadLimits) -> None:
        self.data = data
        self.view = memoryview(data)
        self.limits = limits
        self._xml: dict[str, bytes | None] = {}  # sheet name → its worksheet part, inflated
        self._content: bytes | None = None  # an .ods content.xml, inflated
        self._parts: dict[str, str] | None = None  # sheet name → worksheet part
        try:
            infos = _zip_directory(data)
        except (zipfile.BadZipFile, ValueError, OSError, EOFError, struct.error) as exc:
            raise _Reject("file.unreadable", detail=_detail(exc)) from None
        self.members = {info.filename: info for info in infos}
        if len(self.members) != len(infos):  # which of two same-named parts would calamine read?
            raise _Reject("file.unreadable", detail="duplicate zip entries")
        total = 0
        for info in infos:
            total += info.file_size
            if info.flag_bits & 0x1:
                raise _Reject("file.encrypted")
            if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(
                info.compress_size, 1
            ):
                raise _Reject(
                    "file.too_large", size=_mb(info.file_size), limit=_mb(limits.max_inflated_bytes)
                )
        if total > limits.max_inflated_bytes:
            raise _Reject("file.too_large", size=_mb(total), limit=_mb(limits.max_inflated_bytes))
        if not {"xl/workbook.xml", "xl/workbook.bin", "content.xml"} & self.members.keys():
            self.not_a_spreadsheet = t("file.detail.not_spreadsheet")
        try:
            for info in infos:  # the parts parsed on opening; worksheets are checked when inflated
                if (
                    info.file_size
                    and info.filename.lower() in _OPENING_PARTS
                    and info.key not in _CHECKED_PARTS
                ):
                    _refuse_dtd(info.filename, self.inflate(info, _HEAD))
                    _remember(_CHECKED_PARTS, info.key)
            if "content.xml" in self.members:  # calamine loads every table of an .ods when it opens it
                if self.encrypted():
                    raise _Reject("file.encrypted")
                self._content = self.member("content.xml")
                for sheet, (rows, cols) in _ods_extents(self._content or b"").items():
                    _check_area(sheet, rows, cols, limits)
        except _FILE_ERRORS as exc:
            raise _Reject("file.unreadable", detail=_detail(exc)) from None

    def inflate(self, info: _Member, limit: int) -> bytes:
        """At most ``limit`` bytes of a member, inflated straight from the file's bytes."""
        offset = info.header_offset
        header = self.data[offset : offset + 30]
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            raise zipfile.BadZipFile(info.filename)
        name_len, extra_len = struct.unpack("<HH", header[26:30])
        start = offset + 30 + name_len + extra_len
        compressed = self.view[start : start + info.compress_size]
        if info.compress_type == zipfile.ZIP_STORED:
            return bytes(compressed[:limit])
        if info.compress_type != zipfile.ZIP_DEFLATED:
            raise zipfile.BadZipFile(f"{info.filename}: compression {info.compress_type}")
        if limit <= _HEAD:
            compressed = compressed[: limit * 4]
        return zlib.decompressobj(-15).decompress(compressed, limit)

    def member(self, name: str) -> bytes | None:
        info = self.members.get(name)
        if info is None:
            return None
        data = self.inflate(info, min(info.file_size, self.limits.max_inflated_bytes) + 1)
        if len(data) != info.file_size:  # the directory lied about the size: a zip bomb's trick
            raise zipfile.BadZipFile(f"{name}: {info.file_size} bytes declared, {len(data)}+ inflated")
        _refuse_dtd(name, data[:_HEAD])
        return data

    def encrypted(self) -> bool:
        manifest = self.members.get("META-INF/manifest.xml")
        try:
            return manifest is not None and b"encryption-data" in self.inflate(manifest, 1 * MB)
        except (zipfile.BadZipFile, zlib.error):
            return False

    def check_sheet(self, sheet: str) -> None:
        """An .xlsx sheet's extent from its cells' references (calamine loads an .xlsx sheet on demand;
        an .ods is loaded whole when opened, so its tables are checked before, in ``__init__``)."""
        xml = self._sheet_xml(sheet)
        if xml is None:
            return
        refs = _CELL_REF.findall(xml)
        if refs:
            rows = max(map(int, map(itemgetter(1), refs)))
            cols = max(map(_column, set(map(itemgetter(0), refs)))) + 1
            _check_area(sheet, rows, cols, self.limits)

    def _sheet_xml(self, sheet: str) -> bytes | None:
        if "content.xml" in self.members:
            return None
        if sheet not in self._xml:
            part = self._sheet_part(sheet)
            self._xml[sheet] = self.member(part) if part else None
        return self._xml[sheet]

    def scan_sheet(self, sheet: str, rows: int, cols: int, percent_wanted: set[str]) -> _Scan:
        if "content.xml" in self.members:
            return self._scan_ods(sheet, rows, cols, percent_wanted)
        xml = self._sheet_xml(sheet)
        if xml is None:
            return _Scan()
        percent_styles = self._percent_styles() if percent_wanted else set()
        if not percent_styles and not any(marker in xml for marker in _CELL_MARKERS):
            return _Scan()
        return _scan_xlsx_sheet(xml, percent_wanted, percent_styles)

    def _sheet_part(self, sheet: str) -> str | None:
        """The zip member of sheet ``sheet``, by workbook.xml and its relationships (read with regular
        expressions: small machine-written parts, where an XML parser costs more than the whole scan)."""
        if self._parts is None:
            key = tuple(info.key for name, info in self.members.items() if name.endswith(_WORKBOOK_PARTS))
            self._parts = _SHEET_PARTS.get(key)
            if self._parts is None:
                self._parts = self._read_sheet_parts()
                _remember(_SHEET_PARTS, key, self._parts)
        return self._parts.get(nfc(sheet)) or None

    def _read_sheet_parts(self) -> dict[str, str]:
        workbook = "xl/workbook.xml"
        if workbook not in self.members:  # a package that puts it elsewhere says where in _rels/.rels
            roots = self._relationships("").values()
            workbook = next((target for kind, target in roots if kind.endswith("/officeDocument")), "")
        targets = self._relationships(workbook)
        parts: dict[str, str] = {}
        for tag in _SHEET_TAG.finditer(self.member(workbook) or b""):
            name, rel_id = _NAME_ATTR.search(tag.group(1)), _ID_ATTR.search(tag.group(1))
            if name and rel_id:
                parts[nfc(_xml_text(name.group(1)))] = targets.get(_xml_text(rel_id.group(1)), ("", ""))[1]
        return parts

    def _relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """The relationships of ``part``: Id → (Type, the member its Target resolves to)."""
        folder, _, base = part.rpartition("/")
        rels = self.member(f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels")
        found: dict[str, tuple[str, str]] = {}
        for tag in _REL_TAG.finditer(rels or b""):
            attributes = tag.group(1)
            rel_id, kind, target = (_REL_ATTRS[k].search(attributes) for k in ("Id", "Type", "Target"))
            if rel_id and target:
                path = _xml_text(target.group(1))
                path = path.lstrip("/") if path.startswith("/") else posixpath.normpath(f"{folder}/{path}")
                found[_xml_text(rel_id.group(1))] = (
                    _xml_text(kind.group(1)) if kind else "",
                    path.lstrip("/"),
                )
        return found

    def _percent_styles(self) -> set[int]:
        """Indexes of cellXfs whose number format shows a percentage."""
        styles = self.member("xl/styles.xml")
        if styles is None:
            return set()
        root = SafeET.fromstring(styles, forbid_dtd=True)
        custom: dict[str, str] = {}
        percent: set[int] = set()
        for elem in root.iter():
            tag = _local(elem.tag)
            if tag == "numFmt":
                custom[elem.get("numFmtId", "")] = elem.get("formatCode", "")
            elif tag == "cellXfs":
                for index, xf in enumerate(x for x in elem if _local(x.tag) == "xf"):
                    fmt = xf.get("numFmtId", "0")
                    if fmt in ("9", "10") or _is_percent_format(custom.get(fmt, "")):
                        percent.add(index)
        return percent

    def _scan_ods(self, sheet: str, rows: int, cols: int, percent_wanted: set[str]) -> _Scan:
        xml = self._content
        if xml is None or (b"formula=" not in xml and not (percent_wanted and b"percentage" in xml)):
            return _Scan()
        return _scan_ods_content(xml, sheet, rows, cols)


# a cell's reference (r="E9"); row elements' r="9" and other attributes never match. It starts with a
# literal so the regex engine can skip ahead: \b or \s first makes it 10× slower
_CELL_REF = re.compile(rb'r="([A-Z]{1,3})(\d{1,7})"')
_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\s([^>]*)>")
_REL_TAG = re.compile(rb"<(?:\w+:)?Relationship\s([^>]*)>")
_NAME_ATTR = re.compile(rb"""(?:^|\s)name\s*=\s*["']([^"']*)["']""")
_ID_ATTR = re.compile(rb"""\s[\w.-]+:id\s*=\s*["']([^"']*)["']""")  # r:id, whatever the prefix
_REL_ATTRS = {
    key: re.compile(rb"(?:^|\s)" + key.encode() + rb"""\s*=\s*["']([^"']*)["']""")
    for key in ("Id", "Type", "Target")
}


def _xml_text(raw: bytes) -> str:
    """An attribute's value as text, entities resolved."""
    text = raw.decode("utf-8", "replace")
    return html.unescape(text) if "&" in text else text


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _is_percent_format(code: str) -> bool:
    unquoted = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", code)
    return "%" in unquoted


_XLSX_TAG = re.compile(rb"<(?:\w+:)?(row|c)(?=[\s/>])([^>]*?)(/?)>")
_XLSX_CELL_END = re.compile(rb"</(?:\w+:)?c>")
_XLSX_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_XLSX_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)<")


def _attribute(attributes: bytes, name: bytes) -> str | None:
    match = re.search(rb"(?:^|\s)" + name + rb"""\s*=\s*["']([^"']*)["']""", attributes)
    return match.group(1).decode("ascii", "replace") if match else None


def _scan_xlsx_sheet(xml: bytes, percent_wanted: set[str], percent_styles: set[int]) -> _Scan:
    """Formula cells, error cells and percent-formatted wanted cells of a worksheet part, in one pass of
    a tokenizer over its <row> and <c> tags (an XML parser is ~50× slower here). Cells without an ``r``
    attribute are placed after the previous one, as Excel does."""
    scan = _Scan()
    row = col = -1
    for match in _XLSX_TAG.finditer(xml):
        attributes = match.group(2)
        if match.group(1) == b"row":
            number = _attribute(attributes, b"r")
            row = int(number) - 1 if number else row + 1
            col = -1
            continue
        ref = _attribute(attributes, b"r")
        if ref:
            row, col = _parse_ref(ref)
            ref = _ref(row, col)
        else:
            col += 1
            ref = _ref(row, col)
        if ref in percent_wanted and int(_attribute(attributes, b"s") or 0) in percent_styles:
            scan.percent.add(ref)
        if match.group(3):  # <c .../>: no content
            continue
        end = _XLSX_CELL_END.search(xml, match.end())
        content = xml[match.end() : end.start() if end else len(xml)]
        if _XLSX_FORMULA.search(content):
            scan.formulas.add(ref)
        if _attribute(attributes, b"t") == "e":
            value = _XLSX_VALUE.search(content)
            scan.errors[ref] = (
                html.unescape(value.group(1).decode("utf-8", "replace")).strip() if value else "#N/A"
            )
    return scan


_ODS_TABLE = re.compile(rb"<table:table\s([^>]*)>")
_ODS_ROW = re.compile(rb"<table:table-row(?=[\s/>])([^>]*?)(/?)>")
_ODS_CELL_REPEAT = re.compile(
    rb'<table:(?:covered-)?table-cell(?=[\s/>])(?:[^>]*?number-columns-repeated="(\d+)")?'
)
_ODS_ROWS = re.compile(rb'number-rows-repeated="(\d+)"')
_ODS_NAME = re.compile(rb'table:name="([^"]*)"')


def _ods_extents(xml: bytes) -> dict[str, tuple[int, int]]:
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
        extents[nfc(_xml_text(name.group(1))) if name else ""] = (last_row, last_col)
    return extents


_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_CALCEXT = "urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"


def _scan_ods_content(xml: bytes, sheet: str, rows: int, cols: int) -> _Scan:
    """Formulas, error results and percent cells of table ``sheet`` in an .ods content.xml, counting
    repeated rows and columns; positions beyond the used area (``rows`` × ``cols``) are not expanded."""
    scan = _Scan()
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
                        ref = _ref(r, c)
                        if kind == "percent":
                            scan.percent.add(ref)
                            continue
                        scan.formulas.add(ref)
                        if error is not None:
                            scan.errors[ref] = error
            row += repeat
            elem.clear()
    return scan


class _Ole(_Container):
    """An OLE compound file: a BIFF5/8 workbook (.xls), or an encrypted OOXML package."""

    def __init__(self, data: bytes, limits: ReadLimits) -> None:
        self.data = data
        self.limits = limits
        self._ole = None
        self._stream: bytes | None = None
        self._sheets: dict[str, tuple[int, _Scan]] = {}
        try:
            stream = self._workbook_stream()
            self._sheets = _walk_biff(stream, limits) if stream is not None else {}
        except _FILE_ERRORS as exc:
            raise _Reject("file.unreadable", detail=_detail(exc)) from None

    def _file(self):
        if self._ole is None:
            import olefile  # only .xls files and encrypted packages need it

            self._ole = olefile.OleFileIO(self.data)
        return self._ole

    def _workbook_stream(self) -> bytes | None:
        if self._stream is None:
            ole = self._file()
            name = next((s for s in ("Workbook", "Book") if ole.exists(s)), None)
            self._stream = b"" if name is None else ole.openstream(name).read()
        return self._stream or None

    def encrypted(self) -> bool:
        """An encrypted OOXML package (EncryptedPackage stream), or an .xls whose globals hold FILEPASS."""
        try:
            if self._file().exists("EncryptedPackage"):
                return True
            stream = self._workbook_stream()
        except (OSError, ValueError, struct.error):
            return False
        for kind, _, _ in _records(stream or b"", 0):
            if kind == _FILEPASS:
                return True
            if kind in (_BOUNDSHEET, _EOF):
                break
        return False

    def scan_sheet(self, sheet: str, rows: int, cols: int, percent_wanted: set[str]) -> _Scan:
        position, scan = self._sheets.get(nfc(sheet), (0, _Scan()))
        stream = self._workbook_stream()
        if percent_wanted and stream is not None:
            scan.percent = _biff_percent(stream, position, percent_wanted)
        return scan


_BOF, _EOF, _BOUNDSHEET, _FORMULA, _BOOLERR, _FILEPASS = 0x0809, 0x000A, 0x0085, 0x0006, 0x0205, 0x002F
_XF, _FORMAT, _NUMBER, _RK, _MULRK, _MULBLANK, _DIMENSIONS = (
    0x00E0,
    0x041E,
    0x0203,
    0x027E,
    0x00BD,
    0x00BE,
    0x0200,
)
# cell records: row and column are their first two 16-bit fields (MULRK/MULBLANK end with the last column)
_CELL_RECORDS = frozenset({0x0006, 0x00BD, 0x00BE, 0x00D6, 0x00FD, 0x0201, 0x0203, 0x0204, 0x0205, 0x027E})
_HEADER = struct.Struct("<HH")


def _records(stream: bytes, offset: int) -> Iterator[tuple[int, int, int]]:
    """(type, body offset, body size) of each BIFF record from ``offset`` on."""
    unpack = _HEADER.unpack_from
    end = len(stream) - 4
    while offset <= end:
        kind, size = unpack(stream, offset)
        yield kind, offset + 4, size
        offset += 4 + size


def _boundsheets(stream: bytes) -> tuple[bool, list[tuple[str, int]]]:
    """Whether the stream is BIFF8, and its sheets' names and substream offsets (BOUNDSHEET records)."""
    sheets: list[tuple[str, int]] = []
    biff8 = True
    for kind, start, size in _records(stream, 0):
        body = stream[start : start + size]
        if kind == _BOF and size >= 2 and not sheets:
            biff8 = struct.unpack_from("<H", body)[0] == 0x0600
        elif kind == _BOUNDSHEET and size >= 7:
            position, length = struct.unpack_from("<I", body)[0], body[6]
            if biff8 and size >= 8:
                wide = body[7] & 1
                name = body[8 : 8 + length * (2 if wide else 1)].decode(
                    "utf-16-le" if wide else "latin-1", "replace"
                )
            else:
                name = body[7 : 7 + length].decode("cp1252", "replace")
            sheets.append((nfc(name), position))
        elif kind in (_FILEPASS, _EOF):
            break  # an encrypted workbook goes no further: calamine refuses it
    return biff8, sheets


def _walk_biff(stream: bytes, limits: ReadLimits) -> dict[str, tuple[int, _Scan]]:
    """Each sheet's substream offset and formula and error cells, in one pass over its records.

    Refuses an .xls whose DIMENSIONS records or cell positions would make calamine allocate more than
    ``max_cells`` cells: calamine reads every sheet when it opens an .xls, and a forged DIMENSIONS record
    makes it ask for terabytes and abort.
    """
    biff8, sheets = _boundsheets(stream)
    dimensions = struct.Struct("<IIHH" if biff8 else "<HHHH")
    unpack = _HEADER.unpack_from
    budget = 4 * len(stream) + MB  # overlapping substreams must not make the walk quadratic
    result: dict[str, tuple[int, _Scan]] = {}
    for name, position in dict.fromkeys(sheets):
        scan = _Scan()
        rows = cols = depth = 0
        for kind, start, size in _records(stream, position):
            budget -= 4 + size
            if budget < 0:
                raise _Reject("file.unreadable", detail="BOUNDSHEET")
            if kind == _BOF:
                depth += 1
            elif kind == _EOF:
                depth -= 1
                if depth <= 0:
                    break
            elif depth != 1:
                continue
            elif kind in _CELL_RECORDS and size >= 6:
                row, col = unpack(stream, start)
                if kind in (_MULRK, _MULBLANK):
                    col = unpack(stream, start + size - 4)[1]
                rows, cols = max(rows, row + 1), max(cols, col + 1)
                if kind == _FORMULA:
                    ref = _ref(row, col)
                    scan.formulas.add(ref)
                    if (
                        size >= 14
                        and stream[start + 12 : start + 14] == b"\xff\xff"
                        and stream[start + 6] == 2
                    ):
                        scan.errors[ref] = _BIFF_ERRORS.get(stream[start + 8], "#N/A")
                elif kind == _BOOLERR and size >= 8 and stream[start + 7] == 1:
                    scan.errors[_ref(row, col)] = _BIFF_ERRORS.get(stream[start + 6], "#N/A")
            elif kind == _DIMENSIONS and size >= dimensions.size:
                first_row, last_row, first_col, last_col = dimensions.unpack_from(stream, start)
                if not (first_row <= last_row <= 65536 and first_col <= last_col <= 256):
                    raise _Reject("file.unreadable", detail=f"DIMENSIONS {first_row}-{last_row}")
                rows, cols = max(rows, last_row), max(cols, last_col)
        _check_area(name, rows, cols, limits)
        result.setdefault(name, (position, scan))
    return result


def _biff_percent(stream: bytes, position: int, wanted: set[str]) -> set[str]:
    """The ``wanted`` cells of the sheet at ``position`` whose XF record's number format is a percentage."""
    biff8 = True
    formats: dict[int, str] = {}
    xf_formats: list[int] = []
    for kind, start, size in _records(stream, 0):
        body = stream[start : start + size]
        if kind == _BOF and size >= 2:
            biff8 = struct.unpack_from("<H", body)[0] == 0x0600
        elif kind == _XF and size >= 4:
            xf_formats.append(struct.unpack_from("<H", body, 2)[0])
        elif kind == _FORMAT and size > 4:
            index = struct.unpack_from("<H", body)[0]
            if biff8:
                length, flags = struct.unpack_from("<HB", body, 2)
                raw = body[5 : 5 + length * (2 if flags & 1 else 1)]
                formats[index] = raw.decode("utf-16-le" if flags & 1 else "latin-1", "replace")
            else:
                formats[index] = body[3 : 3 + body[2]].decode("cp1252", "replace")
        elif kind == _EOF:
            break
    percent_xf = {
        i for i, f in enumerate(xf_formats) if f in (9, 10) or _is_percent_format(formats.get(f, ""))
    }
    found: set[str] = set()
    depth = 0
    for kind, start, size in _records(stream, position):
        if kind == _BOF:
            depth += 1
        elif kind == _EOF:
            depth -= 1
            if depth <= 0:
                break
        elif depth == 1 and kind in (_FORMULA, _NUMBER, _RK, _MULRK) and size >= 6:
            row, col, xf = struct.unpack_from("<HHH", stream, start)
            if kind == _MULRK:  # row, first column, then (XF, RK) pairs
                for k in range((size - 6) // 6):
                    cell = _ref(row, col + k)
                    if (
                        cell in wanted
                        and struct.unpack_from("<H", stream, start + 4 + 6 * k)[0] in percent_xf
                    ):
                        found.add(cell)
            elif xf in percent_xf and _ref(row, col) in wanted:
                found.add(_ref(row, col))
    return found
