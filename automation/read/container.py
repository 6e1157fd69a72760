"""Read stage of collect (SPEC §6, §12): what the reader and its container parsers share.

``report`` turns a workbook into a ``ParsedReport`` with calamine; ``zip_container`` (.xlsx, .xlsm, .ods:
the standard library's zipfile, with ``ods``) and ``xls`` (OLE: olefile and msoffcrypto-tool, then BIFF
records) look into the file's own parts for what calamine does not say.
Between them: the ``Container`` interface, the ``Scan`` of one sheet, the ``Reject`` that turns a bad
file into a ``file.*`` finding, the area check that keeps calamine from allocating a forged sheet, cell
references (``E9`` ↔ 0-based row and column), and ``sniff_kind``, which names what a file that is no
spreadsheet container really is (a web page or a CSV text saved under a spreadsheet's name).
"""

from __future__ import annotations

import html
import logging
import lzma
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field

import defusedxml.ElementTree as SafeET
from python_calamine import CalamineError

from automation.errors import os_error_reason
from automation.i18n.messages import N_, t

MB = 1024 * 1024
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReadLimits:
    """Bounds for one untrusted file (the defaults match ``.env.example``'s MAX_* settings)."""

    max_file_bytes: int = 25 * MB
    max_inflated_bytes: int = 200 * MB
    # a sanity bound near deflate's limit (1032:1), for members above ratio_floor: a genuine workbook of
    # long repeated text compresses 100-250 times; the defence is max_inflated_bytes and capped inflation
    max_ratio: int = 1000
    ratio_floor: int = 4 * MB
    # rows × columns from A1 to a sheet's last cell: calamine allocates the whole rectangle, and a stray
    # cell at XFD1048576 (or a forged .xls DIMENSIONS record) asks for terabytes and aborts the process
    max_cells: int = 1_000_000


# what a damaged or hostile file can make calamine or the container parsers raise
FILE_ERRORS = (
    CalamineError,
    OSError,  # and bz2's errors
    EOFError,  # zipfile: compressed data cut short
    NotImplementedError,  # zipfile: a compression method it does not know
    lzma.LZMAError,
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
    """What is wrong with the file, for a ``file.unreadable`` message, in the reader's language.

    The library's own words (calamine, zipfile, zlib, olefile, the XML parser: English, and meaningless to
    a unit) go to the log only; the reader gets a catalogue phrase for the kind of damage.
    """
    _log.debug("unreadable file: %s: %s", type(exc).__name__, exc)
    if isinstance(exc, OSError) and exc.errno is not None:
        return os_error_reason(exc)
    if isinstance(exc, zipfile.BadZipFile | zlib.error | EOFError | lzma.LZMAError | NotImplementedError):
        return t("file.detail.damaged_zip")
    if isinstance(exc, SafeET.ParseError):
        return t("file.detail.damaged_xml")
    return t("file.detail.damaged")


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
        raise Reject(N_("file.sheet_too_large"), sheet=sheet, rows=rows, cols=cols)


def xml_text(raw: bytes) -> str:
    """An attribute's value as text, entities resolved."""
    text = raw.decode("utf-8", "replace")
    return html.unescape(text) if "&" in text else text


def is_percent_format(code: str) -> bool:
    unquoted = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", code)
    return "%" in unquoted


# --- what a file that is not a spreadsheet really is ----------------------------------------------------

_SNIFF = 4096
_DELIMITERS = (";", ",", "\t", "|")
_XML_2003 = ("urn:schemas-microsoft-com:office:spreadsheet", 'progid="excel.sheet"')


def sniff_kind(data: bytes) -> str | None:
    """The catalogue key naming what ``data`` really is when it is no zip or OLE container
    (``file.kind.html``, ``file.kind.csv`` …), told by its first bytes; None for binary data."""
    head = data[:_SNIFF]
    if head.startswith(b"%PDF-"):
        return N_("file.kind.pdf")
    if head.startswith(b"{\\rtf"):
        return N_("file.kind.rtf")
    text = _as_text(head)
    if text is None:
        return None
    start = text.lstrip("\ufeff \t\r\n").lower()
    if start.startswith("<?xml") and any(mark in start for mark in _XML_2003):
        return N_("file.kind.xml_2003")
    if start.startswith(("<!doctype html", "<html", "<table", "<head", "<body", "<meta")) or "<html" in start:
        return N_("file.kind.html")
    if start.startswith("mime-version:") and "text/html" in start:  # Excel's "single file web page"
        return N_("file.kind.html")
    lines = [line for line in text.splitlines() if line.strip()]
    if len(data) > _SNIFF and len(lines) > 1:
        lines.pop()  # cut short by the sample
    return N_("file.kind.csv") if _delimited(lines[:20]) else N_("file.kind.text")


def _as_text(head: bytes) -> str | None:
    """``head`` as text (UTF-16 with its BOM, UTF-8, else Windows-1258), or None when it holds control
    characters that no text file has."""
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        text = head[: len(head) // 2 * 2].decode("utf-16", "replace")
    elif not head or b"\0" in head:
        return None
    else:
        try:
            text = head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 3:  # not just a character cut by the sample
                text = head.decode("cp1258", "replace")
            else:
                text = head[: exc.start].decode("utf-8")
    if _CONTROL.search(text):
        return None
    return text


_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _delimited(lines: list[str]) -> bool:
    """Rows of values separated by one delimiter, the same number of them on (nearly) every line."""
    if not lines:
        return False
    for delimiter in _DELIMITERS:
        counts = [line.count(delimiter) for line in lines]
        if counts[0] == 0 or (len(lines) == 1 and counts[0] < 2):
            continue
        if sum(count == counts[0] for count in counts) >= 0.8 * len(counts):
            return True
    return False


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
