"""Files "from units": the project's own templates, filled in the way a person fills them.

``make_templates`` writes the default plan's templates exactly as ``baocao templates`` does;
``fill_template`` types into one of them with openpyxl (values as a person types them: ``"Hoàn thành"``,
``"05/03/2025"`` as text or a real date, ``60`` or ``"60%"``; a string starting with ``=`` becomes a
formula, as it does when typed); ``round_trip`` passes files through real LibreOffice ("Save as").
``ole_file`` builds an OLE compound file, the container of .xls files and of password-protected
Office files, for the cases LibreOffice cannot produce headless.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import struct
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from automation.domain.dates import Period
from automation.domain.text import fold
from automation.plan.default_plan import default_plan
from automation.state.files import find_header_row
from automation.templates.generate import (
    COL_CODE,
    COL_ROLE,
    HEADER_LABELS,
    LABEL_PERIOD,
    LABEL_UNIT,
    ROLE_SUPPORT,
    SHEET_REPORT,
    write_templates,
)
from automation.templates.master import build_master
from tests.support.libreoffice import convert

GENERATED_AT = dt.datetime(2025, 4, 25, 8, 0, tzinfo=dt.UTC)


def make_templates(tmp_path: Path, period: str = "2025-05") -> dict[str, Path]:
    """The default plan's unit templates for ``period``, by unit code (master written first)."""
    plan = default_plan()
    master = tmp_path / "workbook_templates" / "mau-bao-cao.xlsx"
    master.parent.mkdir(parents=True, exist_ok=True)
    build_master(master)
    paths = write_templates(
        plan, master, tmp_path / "mau", Period.parse(period), plan.submit_before_day, GENERATED_AT
    )
    return {path.name.split("_")[0]: path for path in paths}


def report_sheet(wb) -> Worksheet:
    return next(ws for ws in wb.worksheets if fold(ws.title) == fold(SHEET_REPORT))


def _label_value_cell(ws: Worksheet, label: str, header_row: int):
    for row in ws.iter_rows(min_row=1, max_row=header_row - 1):
        for cell in row:
            if cell.value is not None and fold(cell.value) == fold(label):
                return ws.cell(cell.row, cell.column + 1)
    raise ValueError(f"no {label!r} cell above row {header_row}")


def fill_template(
    template: Path,
    out: Path,
    rows: dict[str, dict[str, object]],
    *,
    unit_text: str | None = None,
    period_text: str | None = None,
    extra_rows: Iterable[dict[str, object]] = (),
    edit: Callable[[Worksheet], None] | None = None,
) -> Path:
    """Fill ``template`` and save it as ``out``.

    ``rows`` maps a task code to {header label: value} for its row; ``extra_rows`` fill the Phối hợp rows
    in order (keys include ``Mã NV``); ``unit_text``/``period_text`` retype the ``Đơn vị:`` and
    ``Kỳ báo cáo:`` values; ``edit`` gets the report sheet last, for odd cases (insert rows or columns,
    rename the sheet, merge cells, write formulas).
    """
    wb = load_workbook(template)
    ws = report_sheet(wb)
    found = find_header_row(ws, HEADER_LABELS)
    if found is None:
        raise ValueError(f"{template}: no header row")
    header_row, cols = found
    task_rows: dict[str, int] = {}
    support_rows: list[int] = []
    for r in range(header_row + 1, ws.max_row + 1):
        code = ws.cell(r, cols[COL_CODE]).value
        if code:
            task_rows[str(code)] = r
        elif ws.cell(r, cols[COL_ROLE]).value == ROLE_SUPPORT:
            support_rows.append(r)
    for code, values in rows.items():
        if code not in task_rows:
            raise KeyError(f"task {code} is not in {template.name}: {sorted(task_rows)}")
        _put_values(ws, cols, task_rows[code], values)
    next_row = ws.max_row + 1
    for values in extra_rows:
        if support_rows:
            r = support_rows.pop(0)
        else:
            r, next_row = next_row, next_row + 1
            ws.cell(r, cols[COL_ROLE]).value = ROLE_SUPPORT
        _put_values(ws, cols, r, values)
    if unit_text is not None:
        _label_value_cell(ws, LABEL_UNIT, header_row).value = unit_text
    if period_text is not None:
        _label_value_cell(ws, LABEL_PERIOD, header_row).value = period_text
    if edit is not None:
        edit(ws)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


def _put_values(ws: Worksheet, cols: dict[str, int], r: int, values: dict[str, object]) -> None:
    for label, value in values.items():
        if label not in cols:
            raise KeyError(f"no column {label!r}: {list(cols)}")
        ws.cell(r, cols[label]).value = value


def round_trip(paths: list[Path], target: str, out_dir: Path) -> list[Path]:
    """``paths`` saved by real LibreOffice as ``target`` (xlsx, xls, ods) into ``out_dir``, in one call."""
    return convert(paths, target, out_dir)


# --- OLE compound files ---------------------------------------------------------------------------------

_SECTOR = 512
_FREE, _END, _FAT_SECTOR, _NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def ole_file(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE compound file (version 3) holding ``streams`` in its root storage.

    Streams are padded to 4096 bytes so none lives in the mini stream; up to three streams.
    """
    names = list(streams)
    if not 1 <= len(names) <= 3:
        raise ValueError("one to three streams")
    bodies = [streams[n].ljust(4096, b"\0") for n in names]
    counts = [-(-len(b) // _SECTOR) for b in bodies]
    first = 2  # sector 0: FAT, sector 1: directory
    fat = [_FAT_SECTOR, _END]
    starts = []
    for count in counts:
        starts.append(first)
        fat += [first + k + 1 for k in range(count - 1)] + [_END]
        first += count
    if len(fat) > _SECTOR // 4:
        raise ValueError("streams too large for one FAT sector")
    fat += [_FREE] * (_SECTOR // 4 - len(fat))

    def entry(name: str, kind: int, left: int, right: int, child: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0"
        return (
            raw.ljust(64, b"\0")
            + struct.pack("<HBB3I", len(raw) if name else 0, kind, 1, left, right, child)
            + b"\0" * 16
            + b"\0" * 4
            + b"\0" * 16
            + struct.pack("<IQ", start, size)
        )

    # siblings as a simple chain ordered by (length, upper-case name), as the format sorts them
    order = sorted(range(len(names)), key=lambda i: (len(names[i]), names[i].upper()))
    entries = [entry("Root Entry", 5, _NO_STREAM, _NO_STREAM, order[0] + 1, _END, 0)]
    for i, name in enumerate(names):
        position = order.index(i)
        right = order[position + 1] + 1 if position + 1 < len(order) else _NO_STREAM
        entries.append(entry(name, 2, _NO_STREAM, right, _NO_STREAM, starts[i], len(bodies[i])))
    while len(entries) < 4:
        entries.append(
            b"\0" * 64
            + struct.pack("<HBB3I", 0, 0, 0, _NO_STREAM, _NO_STREAM, _NO_STREAM)
            + b"\0" * 36
            + struct.pack("<IQ", 0, 0)
        )
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, _END, 0, _END, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", _FREE) * 108
    )
    return header + struct.pack(f"<{_SECTOR // 4}I", *fat) + b"".join(entries) + b"".join(bodies)


@functools.cache
def encrypted_ooxml() -> bytes:
    """A password-protected .xlsx as Excel writes it (agile encryption, made by msoffcrypto-tool): an OLE
    file holding EncryptionInfo and EncryptedPackage."""
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        archive.writestr("xl/workbook.xml", "<workbook/>")
    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(plain.getvalue())).encrypt("mat-khau", encrypted)
    return encrypted.getvalue()


def biff_record(kind: int, body: bytes) -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def encrypted_xls() -> bytes:
    """An .xls whose Workbook stream starts with BOF and FILEPASS (RC4 encryption), as Excel writes it."""
    bof = biff_record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0x06))
    filepass = biff_record(0x002F, struct.pack("<HHH", 1, 1, 1) + b"\x11" * 48)
    return ole_file({"Workbook": bof + filepass + b"\x22" * 200 + biff_record(0x000A, b"")})


# --- edits a person makes that openpyxl does not do whole --------------------------------------------------


def insert_rows(ws: Worksheet, index: int, amount: int = 1) -> None:
    """Insert rows before ``index`` the way Excel does: merged ranges below move down with their cells."""
    _insert(ws, lambda m: m.min_row >= index, lambda: ws.insert_rows(index, amount), rows=amount)


def insert_cols(ws: Worksheet, index: int, amount: int = 1) -> None:
    """Insert columns before ``index`` (1-based) the way Excel does, merged ranges moving right."""
    _insert(ws, lambda m: m.min_col >= index, lambda: ws.insert_cols(index, amount), cols=amount)


def _insert(
    ws: Worksheet, moves: Callable[[object], bool], insert: Callable[[], None], rows: int = 0, cols: int = 0
) -> None:
    moving = [m for m in ws.merged_cells.ranges if moves(m)]
    for merged in moving:
        ws.unmerge_cells(merged.coord)
    insert()
    for m in moving:
        ws.merge_cells(
            start_row=m.min_row + rows,
            start_column=m.min_col + cols,
            end_row=m.max_row + rows,
            end_column=m.max_col + cols,
        )


def forged_xls_dimensions() -> bytes:
    """A hostile .xls: one sheet whose DIMENSIONS record claims first row 1,310,720 and last row 20.

    python-calamine trusts the record, asks for terabytes and aborts the whole process (measured with
    0.9.1); the reader must refuse the file before calamine opens it.
    """
    bof_globals = biff_record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0x06))
    name = "Báo cáo".encode("utf-16-le")

    def boundsheet(position: int) -> bytes:
        return biff_record(0x0085, struct.pack("<IBBBB", position, 0, 0, 7, 1) + name)

    sheet_at = len(bof_globals) + len(boundsheet(0)) + 4
    sheet = (
        biff_record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 0x06))
        + biff_record(0x0200, struct.pack("<IIHHH", 0x140000, 20, 0, 11, 0))
        + biff_record(0x000A, b"")
    )
    return ole_file({"Workbook": bof_globals + boundsheet(sheet_at) + biff_record(0x000A, b"") + sheet})
