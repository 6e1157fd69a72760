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

Things calamine does not say, recovered from the file's own parts (``zip_container`` and ``ods`` for
.xlsx/.xlsm/.ods, ``xls`` for .xls) with one pass over the report sheet (skipped when a byte scan
shows the sheet has no formula and no error cell):

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
``error`` and a ``file.*`` rule. The container modules check a file against ``ReadLimits`` before
calamine inflates anything, and measure each sheet's extent before calamine loads it: calamine allocates
a sheet's whole rectangle and *aborts the process* when that fails (a stray cell at XFD1048576, a forged
.xls DIMENSIONS record); more than ``ReadLimits.max_cells`` is ``file.sheet_too_large``.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import struct
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

from automation.domain.contract import (
    COL_CODE,
    COL_PROGRESS,
    COL_STATUS,
    HEADER_LABELS,
    OPTIONAL_LABELS,
    SHEET_META,
    SHEET_REPORT,
)

# the one list of error values lives with validation's cell parsing; re-exported for the reader's callers
from automation.domain.contract import ERROR_VALUES as ERROR_VALUES
from automation.domain.contract import is_error_value as is_error_value
from automation.domain.model import Finding, ParsedReport, ParsedRow, Severity
from automation.domain.text import fold, nfc, strip_accents
from automation.errors import os_error_reason
from automation.i18n.messages import N_, t
from automation.read.container import (
    FILE_ERRORS,
    Container,
    Reject,
    check_area,
    column_letter,
    detail,
    parse_ref,
    sniff_kind,
    to_mb,
)
from automation.read.container import MB as MB
from automation.read.container import ReadLimits as ReadLimits
from automation.read.xls import OleContainer
from automation.read.zip_container import ZipContainer

REQUIRED_LABELS = (COL_CODE, COL_STATUS)
# Header words people retype instead of the template's label (folded form → label).
LABEL_ALIASES = {"ma nhiem vu": COL_CODE, "tien do": COL_PROGRESS, "trang thai": COL_STATUS}
# fold is slow (~14 µs) and the same few labels and sheet names come back in every file: remember them
_fold = functools.lru_cache(maxsize=4096)(fold)
HEADER_MIN_LABELS = 3  # a row holding fewer of the labels is not the table's header
HEADER_SEARCH_ROWS = 200


def read_report(path: Path, name: str, *, limits: ReadLimits | None = None) -> ParsedReport:
    """Read the unit report in ``path``; ``name`` is the display path used in findings. Never raises
    for bad input: problems are ``file.*`` findings in the result."""
    limits = limits or ReadLimits()
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            return _rejected(
                name, Reject("file.too_large", size=to_mb(size), limit=to_mb(limits.max_file_bytes))
            )
        data = path.read_bytes()
    except OSError as exc:
        return _rejected(name, Reject(N_("file.unreadable"), detail=os_error_reason(exc)))
    return read_report_bytes(data, name, limits=limits)


def read_report_bytes(data: bytes, name: str, *, limits: ReadLimits | None = None) -> ParsedReport:
    """``read_report`` for a file already in memory (an email attachment)."""
    limits = limits or ReadLimits()
    try:
        return _read(data, name, limits)
    except Reject as reject:
        return _rejected(name, reject)


def _rejected(name: str, reject: Reject) -> ParsedReport:
    report = ParsedReport()
    report.findings.append(Finding("error", reject.rule, t(reject.rule, **reject.params), file=name))
    return report


# --- the workbook ------------------------------------------------------------------------------------


def _read(data: bytes, name: str, limits: ReadLimits) -> ParsedReport:
    if not data:
        raise Reject(N_("file.empty"))
    if len(data) > limits.max_file_bytes:
        raise Reject("file.too_large", size=to_mb(len(data)), limit=to_mb(limits.max_file_bytes))
    container = _container(data, limits)
    workbook = _open_workbook(data, container)
    report = ParsedReport()
    try:
        found = _choose_sheet(workbook, container)
        if found is None:
            raise Reject(N_("file.no_report_sheet"), labels=", ".join(REQUIRED_LABELS), sheet=SHEET_REPORT)
        sheet_name, grid, merged, header_row, cols = found
        report.meta = _read_meta(workbook, container)
    except (Reject, KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except BaseException as exc:
        if not isinstance(exc, FILE_ERRORS) and type(exc).__name__ != "PanicException":
            raise  # the program's own failure, not the file's
        raise Reject(N_("file.unreadable"), detail=detail(exc)) from None
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
    except Reject:
        raise
    except FILE_ERRORS as exc:
        raise Reject(N_("file.unreadable"), detail=detail(exc)) from None
    for ref, code in scan.errors.items():
        r, c = parse_ref(ref)
        if r < len(grid) and c < len(grid[r]) and grid[r][c] == "":  # calamine's reading of an error
            grid[r][c] = code
    for ref in scan.percent & percent_wanted:
        r, c = parse_ref(ref)
        grid[r][c] = f"{round(float(grid[r][c]) * 100, 6):g}%"
    _normalise(grid)

    report.sheet = sheet_name
    report.header_row = header_row + 1
    report.columns = {label: column_letter(c) for label, c in cols.items()}
    report.formula_cells = scan.formulas
    report.grid = grid
    report.rows = _data_rows(grid, header_row, cols)
    _find_labels(report, grid, header_row)
    for label in HEADER_LABELS:
        if label not in cols:
            severity: Severity = "error" if label in REQUIRED_LABELS else "warning"
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


def _open_workbook(data: bytes, container: Container) -> CalamineWorkbook:
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError:
        raise Reject(N_("file.encrypted")) from None
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except BaseException as exc:  # calamine's Rust panics arrive as pyo3's PanicException (a BaseException)
        if container.encrypted():
            raise Reject(N_("file.encrypted")) from None
        raise Reject(N_("file.unreadable"), detail=container.not_a_spreadsheet or detail(exc)) from None


def _container(data: bytes, limits: ReadLimits) -> Container:
    """The file's container, told by its first bytes (whatever its extension says)."""
    if data[:4] == b"PK\x03\x04":
        return ZipContainer(data, limits)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return OleContainer(data, limits)
    if is_old_biff(data):  # Excel 2.x–4.0: no reader opens it, the person can save it again
        raise Reject(N_("file.old_format"))
    kind = sniff_kind(data)  # a web page, a CSV or other text saved under a spreadsheet's name
    if kind is not None:
        raise Reject(N_("file.wrong_format"), kind=t(kind))
    raise Reject(N_("file.unreadable"), detail=t("file.detail.not_spreadsheet"))


# BOF record types of a worksheet or workbook saved by Excel 2.x (0x0009), 3.0 (0x0209), 4.0 (0x0409) and a
# bare BIFF5+ stream (0x0809, Excel 4.0 workbooks and 5.0 files without their OLE wrapper); the BOF's
# sheet type (globals, VB module, worksheet, chart, macro sheet, workspace) tells it from random bytes.
_OLD_BOF_TYPES = (0x0009, 0x0209, 0x0409, 0x0809)
_OLD_BOF_SHEET_TYPES = (0x0005, 0x0006, 0x0010, 0x0020, 0x0040, 0x0100)


def is_old_biff(data: bytes) -> bool:
    """Whether ``data`` starts with the BOF record of an Excel 2.x–4.0 file (BIFF2/3/4, no OLE wrapper)."""
    if len(data) < 8:
        return False
    kind, size, _version, sheet_type = struct.unpack_from("<4H", data)
    return kind in _OLD_BOF_TYPES and 4 <= size <= 20 and sheet_type in _OLD_BOF_SHEET_TYPES


def _choose_sheet(wb: CalamineWorkbook, container: Container):
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
            check_area(meta.name, sheet.end[0] + 1, sheet.end[1] + 1, container.limits)
        grid = sheet.to_python(skip_empty_area=False)
        header = _find_header(grid)
        if header is not None:
            return meta.name, grid, sheet.merged_cell_ranges or [], header[0], header[1]
    return None


_LABEL_KEYS = {fold(label): label for label in (*HEADER_LABELS, *OPTIONAL_LABELS)} | LABEL_ALIASES


def _header_labels(row: Sequence[object]) -> dict[str, int]:
    found: dict[str, int] = {}
    for c, value in enumerate(row):
        if isinstance(value, str) and 0 < len(value) <= 80:
            label = _LABEL_KEYS.get(_fold(value))
            if label is not None and label not in found:
                found[label] = c
    return found


def _find_header(grid: Sequence[Sequence[object]]) -> tuple[int, dict[str, int]] | None:
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
    columns = [(label, c, column_letter(c)) for label, c in cols.items()]
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
    letter = column_letter(c)
    return {
        f"{letter}{r + 1}"
        for r in range(header_row + 1, len(grid))
        if c < len(grid[r]) and (type(v := grid[r][c]) is int or type(v) is float) and 0 < v <= 1
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
        return after, f"{column_letter(c)}{r + 1}"
    row = grid[r]
    for k in range(c + 1, len(row)):
        if row[k] is not None:
            if _label_kind(row[k]) is not None:
                break
            return _clean(row[k]), f"{column_letter(k)}{r + 1}"
    if r + 1 < header_row and c < len(grid[r + 1]):
        below = grid[r + 1][c]
        if below is not None and _label_kind(below) is None:
            return _clean(below), f"{column_letter(c)}{r + 2}"
    return None, f"{column_letter(c + 1)}{r + 1}"


def _meta_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return nfc(value)


def _read_meta(wb: CalamineWorkbook, container: Container) -> dict[str, str]:
    for name in wb.sheet_names:
        if _fold(name) == _fold(SHEET_META):
            container.check_sheet(name)
            meta: dict[str, str] = {}
            for row in wb.get_sheet_by_name(name).to_python():
                if len(row) >= 2 and (key := _meta_text(row[0])) and key not in meta:
                    meta[key] = _meta_text(row[1])
            return meta
    return {}
