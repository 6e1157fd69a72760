"""Unit files made the way a unit makes them: a generated template opened, its input cells typed in,
saved. Used by ``baocao demo`` (and by the tests' factory) so simulated files go through the same reader
as real ones."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from automation.domain.text import fold
from automation.state.files import find_header_row
from automation.templates.generate import (
    COL_CODE,
    COL_ROLE,
    HEADER_LABELS,
    LABEL_PERIOD,
    LABEL_UNIT,
    OPTIONAL_LABELS,
    ROLE_SUPPORT,
    SHEET_REPORT,
)

CellValue = str | float | bool | dt.date | dt.time | None  # what a unit types (int is a float here)
Row = Mapping[str, CellValue]


def _label_neighbour(ws: Worksheet, label: str):
    for row in ws.iter_rows(min_row=1, max_row=30):
        for cell in row:
            if cell.value is not None and fold(cell.value) == fold(label):
                return ws.cell(cell.row, cell.column + 1)
    raise LookupError(label)


def fill_template(
    template: Path,
    out: Path,
    rows: Mapping[str, Row],
    *,
    support_rows: Sequence[Row] = (),
    unit_text: str | None = None,
    period_text: str | None = None,
    edit: Callable[[Worksheet], None] | None = None,
    received_at: dt.datetime | None = None,
) -> Path:
    """Type ``rows`` (task code → {header label: value}) into the unit's template and save it as ``out``.

    ``support_rows`` go into the empty ``Phối hợp`` rows ({label: value}, including ``Mã NV``);
    ``unit_text``/``period_text`` overwrite the ``Đơn vị:``/``Kỳ báo cáo:`` values; ``edit`` may change the
    sheet further (insert rows, rename it…); ``received_at`` sets the file's modification time.
    """
    wb = load_workbook(template)
    ws = wb[SHEET_REPORT]
    ws.protection.sheet = False
    found = find_header_row(ws, HEADER_LABELS)
    if found is None:
        raise ValueError(f"{template}: no header row")
    header_row, cols = found
    for c in range(1, ws.max_column + 1):  # the optional columns the template has (Đề nghị gia hạn đến)
        value = ws.cell(header_row, c).value
        for label in OPTIONAL_LABELS:
            if isinstance(value, str) and fold(value) == fold(label):
                cols.setdefault(label, c)
    by_code = {
        str(ws.cell(r, cols[COL_CODE]).value or "").strip(): r for r in range(header_row + 1, ws.max_row + 1)
    }
    for code, values in rows.items():
        for label, value in values.items():
            ws.cell(by_code[code], cols[label]).value = value
    free = [
        r
        for r in range(header_row + 1, ws.max_row + 1)
        if ws.cell(r, cols[COL_ROLE]).value == ROLE_SUPPORT and not ws.cell(r, cols[COL_CODE]).value
    ]
    for row_number, values in zip(free, support_rows, strict=False):
        for label, value in values.items():
            ws.cell(row_number, cols[label]).value = value
    if unit_text is not None:
        _label_neighbour(ws, LABEL_UNIT).value = unit_text
    if period_text is not None:
        _label_neighbour(ws, LABEL_PERIOD).value = period_text
    if edit is not None:
        edit(ws)
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    if received_at is not None:
        stamp = received_at.timestamp()
        os.utime(out, (stamp, stamp))
    return out
