"""Read stage of collect (SPEC §6, §12): what the reader and its container parsers share.

``read`` turns a workbook into a ``ParsedReport`` with calamine; ``read_zip`` (.xlsx, .xlsm, .ods, with
``read_ods``) and ``read_xls`` (OLE/BIFF) look into the file's own parts for what calamine does not say.
Between them: the ``Container`` interface, the ``Scan`` of one sheet, the ``Reject`` that turns a bad
file into a ``file.*`` finding, the area check that keeps calamine from allocating a forged sheet, and
cell references (``E9`` ↔ 0-based row and column).
"""

from __future__ import annotations

import html
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import defusedxml.ElementTree as SafeET
from python_calamine import CalamineError

from automation.normalize import nfc

if TYPE_CHECKING:
    from automation.read import ReadLimits

MB = 1024 * 1024

# what a damaged or hostile file can make calamine or the container parsers raise
FILE_ERRORS = (
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


class Reject(Exception):
    """A reason the file cannot be read, as a rule code and message parameters."""

    def __init__(self, rule: str, **params: object) -> None:
        super().__init__(rule)
        self.rule = rule
        self.params = params


def to_mb(size: int) -> int:
    """Whole megabytes, rounded up (a 25.3 MB file is not shown as "25 MB, limit 25 MB")."""
    return -(-size // MB)


def detail(exc: BaseException) -> str:
    """An exception's first line, for a ``file.unreadable`` message."""
    text = nfc(str(exc)).splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]


# --- the container -------------------------------------------------------------------------------------


@dataclass
class Scan:
    """What one sheet's parts say that calamine does not: formula cells, error cells, percent cells."""

    formulas: set[str] = field(default_factory=set)
    errors: dict[str, str] = field(default_factory=dict)
    percent: set[str] = field(default_factory=set)


class Container:
    """The file's container, for what calamine does not tell: formulas, error cells, formats."""

    not_a_spreadsheet: str | None = None
    limits: ReadLimits

    def encrypted(self) -> bool:
        return False

    def check_sheet(self, sheet: str) -> None:
        """Raise Reject if calamine must not load ``sheet`` (its rectangle is too large)."""

    def scan_sheet(self, sheet: str, rows: int, cols: int, percent_wanted: set[str]) -> Scan:
        return Scan()


def check_area(sheet: str, rows: int, cols: int, limits: ReadLimits) -> None:
    if rows * cols > limits.max_cells:
        raise Reject("file.sheet_too_large", sheet=sheet, rows=rows, cols=cols)


def xml_text(raw: bytes) -> str:
    """An attribute's value as text, entities resolved."""
    text = raw.decode("utf-8", "replace")
    return html.unescape(text) if "&" in text else text


def is_percent_format(code: str) -> bool:
    unquoted = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", code)
    return "%" in unquoted


# --- cell references -----------------------------------------------------------------------------------


def column_letter(col: int) -> str:
    """0-based column index → Excel letters (0 → A, 26 → AA)."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d{1,7})")


def parse_ref(ref: str) -> tuple[int, int]:
    """``E9`` → (8, 4), 0-based row and column."""
    match = _REF.fullmatch(ref)
    if not match:
        raise ValueError(ref)
    col = 0
    for ch in match.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return int(match.group(2)) - 1, col - 1


def column_index(letters: bytes | str) -> int:
    """``b"E"`` → 4, 0-based."""
    col = 0
    for ch in letters.upper() if isinstance(letters, str) else letters.decode().upper():
        col = col * 26 + ord(ch) - 64
    return col - 1


def cell_ref(r: int, c: int) -> str:
    """(8, 4) → ``E9``."""
    return f"{column_letter(c)}{r + 1}"
