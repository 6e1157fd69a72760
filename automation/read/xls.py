"""Read stage of collect (SPEC §6, §12): the OLE compound file of an .xls (BIFF5/8) workbook.

Libraries first: the compound file (header, FAT, directory, stream chains) is read with ``olefile``;
whether the file is encrypted (an .xls whose globals hold FILEPASS, or an encrypted OOXML package, which
is an OLE file holding EncryptionInfo and EncryptedPackage) is msoffcrypto-tool's answer
(``OfficeFile(f).is_encrypted()``), ``file.encrypted``. olefile reads a file cut short without complaint
(it shrinks its FAT to the bytes it has) and calamine panics on one, so a file shorter than the smallest
compound file, or whose streams (by olefile's directory) need more sectors than it holds, is
``file.truncated``.

Hand-written, and kept small, only for what no maintained library gives: python-calamine drops formulas,
error cells and number formats (python-calamine issues #105, #107) and loads every sheet of an .xls on
opening, trusting a forged DIMENSIONS record so far that it aborts the process; xlrd (unmaintained) gives
error cells and formats but not formulas. So one walk over each sheet's BIFF substream (records are
type, size, body) refuses a DIMENSIONS record out of range or a sheet whose cells span more than
``ReadLimits.max_cells`` before calamine sees the file, and keeps the sheet's FORMULA records and error
values (a FORMULA's cached error, a BOOLERR error); percent-formatted cells are found from the XF and
FORMAT records when asked.
"""

from __future__ import annotations

import io
import logging
import struct
from collections.abc import Iterator

import olefile

from automation.domain.text import nfc
from automation.i18n.messages import N_, t
from automation.read.container import (
    FILE_ERRORS,
    MB,
    Container,
    ReadLimits,
    Reject,
    Scan,
    cell_ref,
    check_area,
    detail,
    is_percent_format,
)


class OleContainer(Container):
    """An OLE compound file: a BIFF5/8 workbook (.xls), or an encrypted OOXML package."""

    def __init__(self, data: bytes, limits: ReadLimits) -> None:
        self.data = data
        self.limits = limits
        self._stream: bytes | None = None
        self._sheets: dict[str, tuple[int, Scan]] = {}
        _check_compound_file(data)
        if self.encrypted():  # before the BIFF walk: an encrypted workbook's records are ciphertext
            raise Reject(N_("file.encrypted"))
        try:
            # what calamine opens must be a compound file olefile finds correct (not merely unusual):
            # calamine trusts the header and directory, and a file olefile reads as incorrect made calamine
            # ask for gigabytes and abort the process (found by tests/test_read_fuzz.py)
            self._ole = olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT)
            stream = self._workbook_stream()
            if stream is None:  # no workbook: a Word or PowerPoint file, or damage; calamine is not asked
                raise Reject(N_("file.unreadable"), detail=t("file.detail.not_spreadsheet"))
            self._sheets = _walk_biff(stream, limits)
        except FILE_ERRORS as exc:
            raise Reject(N_("file.unreadable"), detail=detail(exc)) from None

    def _workbook_stream(self) -> bytes | None:
        if self._stream is None:
            name = next((s for s in ("Workbook", "Book") if self._ole.exists(s)), None)
            self._stream = b"" if name is None else self._ole.openstream(name).read()
        return self._stream or None

    def encrypted(self) -> bool:
        """msoffcrypto-tool's answer: an encrypted OOXML package, or an .xls whose globals hold FILEPASS."""
        import msoffcrypto  # type: ignore[import-untyped]  # only OLE files need it (it loads cryptography)

        try:
            return bool(msoffcrypto.OfficeFile(io.BytesIO(self.data)).is_encrypted())
        except Exception as exc:
            # msoffcrypto raises what it meets on a damaged or non-Office file (FileFormatError,
            # AssertionError, an XML or struct error): it cannot say, and the BIFF walk and calamine judge
            _log.debug("msoffcrypto cannot tell: %s: %s", type(exc).__name__, exc)
            return False

    def scan_sheet(self, sheet: str, rows: int, cols: int, percent_wanted: set[str]) -> Scan:
        position, scan = self._sheets.get(nfc(sheet), (0, Scan()))
        stream = self._workbook_stream()
        if percent_wanted and stream is not None:
            scan.percent = _biff_percent(stream, position, percent_wanted)
        return scan


_log = logging.getLogger(__name__)
_END_OF_CHAIN = 0xFFFFFFFE


def _check_compound_file(data: bytes) -> None:
    """Refuse a compound file cut short (``file.truncated``), or one olefile cannot read even leniently
    (``file.unreadable``)."""
    if len(data) < olefile.MINIMAL_OLEFILE_SIZE:  # header, one FAT sector and one directory sector
        raise Reject(N_("file.truncated"))
    ole = olefile.OleFileIO()
    try:
        ole.open(io.BytesIO(data))
    except FILE_ERRORS as exc:
        if _cut_short(ole):
            raise Reject(N_("file.truncated")) from None
        raise Reject(N_("file.unreadable"), detail=detail(exc)) from None
    if _cut_short(ole):
        raise Reject(N_("file.truncated"))


def _cut_short(ole: olefile.OleFileIO) -> bool:
    """Whether what olefile read of the header and directory asks for more sectors than the file holds
    (``nb_sect``, counting a last sector written short): its FAT or directory starts past the end, or its
    streams, the FAT and the directory need more sectors than there are."""
    sectors = getattr(ole, "nb_sect", None)
    if sectors is None:  # not even a header olefile knows
        return False
    first_dir = getattr(ole, "first_dir_sector", _END_OF_CHAIN)
    # types-olefile leaves out the header fields loadheader() sets (num_fat_sectors, sectorsize, minisectorcutoff)
    if ole.num_fat_sectors > sectors or (first_dir != _END_OF_CHAIN and first_dir >= sectors):  # type: ignore[attr-defined]
        return True
    entries = [e for e in getattr(ole, "direntries", None) or [] if e is not None]
    if not entries:
        return False
    size = ole.sectorsize  # type: ignore[attr-defined]  # as above
    in_fat = [  # the streams kept in the FAT; the root entry's size is the mini stream's
        e.size
        for e in entries
        if e.entry_type == olefile.STGTY_ROOT
        or (e.entry_type == olefile.STGTY_STREAM and e.size >= ole.minisectorcutoff)  # type: ignore[attr-defined]
    ]
    directory = -(-len(entries) * 128 // size)
    return sum(-(-n // size) for n in in_fat) + ole.num_fat_sectors + directory > sectors  # type: ignore[attr-defined]


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
# a FORMULA's cached error and a BOOLERR's error, by BIFF error code
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


def _walk_biff(stream: bytes, limits: ReadLimits) -> dict[str, tuple[int, Scan]]:
    """Each sheet's substream offset and formula and error cells, in one pass over its records.

    Refuses an .xls whose DIMENSIONS records or cell positions would make calamine allocate more than
    ``max_cells`` cells: calamine reads every sheet when it opens an .xls, and a forged DIMENSIONS record
    makes it ask for terabytes and abort.
    """
    biff8, sheets = _boundsheets(stream)
    dimensions = struct.Struct("<IIHH" if biff8 else "<HHHH")
    unpack = _HEADER.unpack_from
    budget = 4 * len(stream) + MB  # overlapping substreams must not make the walk quadratic
    result: dict[str, tuple[int, Scan]] = {}
    for name, position in dict.fromkeys(sheets):
        scan = Scan()
        rows = cols = depth = 0
        for kind, start, size in _records(stream, position):
            budget -= 4 + size
            if budget < 0:
                raise Reject(N_("file.unreadable"), detail=t("file.detail.bad_sheet_list"))
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
                    ref = cell_ref(row, col)
                    scan.formulas.add(ref)
                    if (
                        size >= 14
                        and stream[start + 12 : start + 14] == b"\xff\xff"
                        and stream[start + 6] == 2
                    ):
                        scan.errors[ref] = _BIFF_ERRORS.get(stream[start + 8], "#N/A")
                elif kind == _BOOLERR and size >= 8 and stream[start + 7] == 1:
                    scan.errors[cell_ref(row, col)] = _BIFF_ERRORS.get(stream[start + 6], "#N/A")
            elif kind == _DIMENSIONS and size >= dimensions.size:
                first_row, last_row, first_col, last_col = dimensions.unpack_from(stream, start)
                if not (first_row <= last_row <= 65536 and first_col <= last_col <= 256):
                    raise Reject(N_("file.unreadable"), detail=t("file.detail.bad_dimensions", sheet=name))
                rows, cols = max(rows, last_row), max(cols, last_col)
        check_area(name, rows, cols, limits)
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
        i for i, f in enumerate(xf_formats) if f in (9, 10) or is_percent_format(formats.get(f, ""))
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
                    cell = cell_ref(row, col + k)
                    if (
                        cell in wanted
                        and struct.unpack_from("<H", stream, start + 4 + 6 * k)[0] in percent_xf
                    ):
                        found.add(cell)
            elif xf in percent_xf and cell_ref(row, col) in wanted:
                found.add(cell_ref(row, col))
    return found
