"""Read stage of collect (SPEC §6, §12): the OLE compound file of an .xls (BIFF5/8) workbook.

Opening the file walks each sheet's BIFF substream once: a DIMENSIONS record out of range or a sheet
whose cells span more than ``ReadLimits.max_cells`` is refused before calamine (which loads every sheet
of an .xls on opening, and aborts on a forged DIMENSIONS record) sees it. The walk also keeps each
sheet's FORMULA records and error values (a FORMULA's cached error, a BOOLERR error). An encrypted file
(FILEPASS in the globals, or an encrypted OOXML package, which is an OLE file too) is recognised for
``file.encrypted``; percent-formatted cells are found from the XF and FORMAT records when asked. A file
cut short (its header, FAT or directory pointing past its end) is ``file.truncated`` before olefile or
calamine opens it.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

from automation.domain.text import nfc
from automation.i18n.messages import t
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
        self._ole = None
        self._stream: bytes | None = None
        self._sheets: dict[str, tuple[int, Scan]] = {}
        if _truncated(data):
            raise Reject("file.truncated")
        try:
            stream = self._workbook_stream()
            self._sheets = _walk_biff(stream, limits) if stream is not None else {}
        except FILE_ERRORS as exc:
            raise Reject("file.unreadable", detail=detail(exc)) from None

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

    def scan_sheet(self, sheet: str, rows: int, cols: int, percent_wanted: set[str]) -> Scan:
        position, scan = self._sheets.get(nfc(sheet), (0, Scan()))
        stream = self._workbook_stream()
        if percent_wanted and stream is not None:
            scan.percent = _biff_percent(stream, position, percent_wanted)
        return scan


_FREE_SECTOR, _END_OF_CHAIN = 0xFFFFFFFF, 0xFFFFFFFE


def _truncated(data: bytes) -> bool:
    """Whether the compound file is cut short: a sector its header or FAT marks as used lies beyond the end
    of the bytes, or the directory's last sector is cut (olefile and calamine fail obscurely on such a
    file, calamine with a panic). A data sector written short at the very end is allowed."""
    if len(data) < 512:
        return True
    shift = struct.unpack_from("<H", data, 0x1E)[0]
    if shift not in (9, 12):
        return False  # not a layout this check knows; olefile judges it
    size = 1 << shift
    sectors = -(-(len(data) - size) // size)
    fat_count, directory = struct.unpack_from("<2I", data, 0x2C)
    fat = [s for s in struct.unpack_from("<109I", data, 0x4C)[: min(fat_count, 109)] if s != _FREE_SECTOR]
    if any(sector >= sectors for sector in fat) or (directory != _END_OF_CHAIN and directory >= sectors):
        return True
    table = b"".join(data[size + sector * size : size + (sector + 1) * size] for sector in fat)
    if (len(table.rstrip(b"\xff")) + 3) // 4 > sectors:  # the last sector the FAT marks as used
        return True
    sector, steps = directory, 0
    while sector < len(table) // 4 and steps <= sectors:  # the directory chain, whole sectors only
        if size + (sector + 1) * size > len(data):
            return True
        sector, steps = struct.unpack_from("<I", table, 4 * sector)[0], steps + 1
    return False


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
                raise Reject("file.unreadable", detail=t("file.detail.bad_sheet_list"))
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
                    raise Reject("file.unreadable", detail=t("file.detail.bad_dimensions", sheet=name))
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
