"""A master template as written before issue 14: without the optional last column ``Đề nghị gia hạn đến``
(SPEC §15) and without its row in the guide — what a coordinator's restyled older master looks like."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from automation.domain.contract import COL_EXTENSION, HEADER_LABELS, SHEET_GUIDE, SHEET_REPORT
from automation.state.files import find_header_row


def master_without_extension(master: Path, out: Path) -> Path:
    """``master`` with the column, its width and its guide row removed, the title block spanning what is
    left; saved as ``out``."""
    wb = load_workbook(master)
    ws = wb[SHEET_REPORT]
    found = find_header_row(ws, HEADER_LABELS)
    assert found is not None
    header_row = found[0]
    col = next(c for c in range(1, ws.max_column + 1) if ws.cell(header_row, c).value == COL_EXTENSION)
    last = get_column_letter(col - 1)
    for merged in [m for m in ws.merged_cells.ranges if m.max_col == col]:
        ws.unmerge_cells(str(merged))
        ws.merge_cells(f"{get_column_letter(merged.min_col)}{merged.min_row}:{last}{merged.max_row}")
    ws.delete_cols(col)
    del ws.column_dimensions[get_column_letter(col)]
    guide = wb[SHEET_GUIDE]
    (row,) = [c.row for r in guide.iter_rows() for c in r if c.value == COL_EXTENSION]
    guide.delete_rows(row)
    wb.save(out)
    return out
