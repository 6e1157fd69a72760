"""Small openpyxl helpers shared by the register and the templates: find a header row by its labels,
write text that can never become a formula, save atomically."""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypedDict

from automation.domain.text import fold, nfc

if TYPE_CHECKING:  # openpyxl is imported by the modules that write with it, not by readers
    from openpyxl.cell.cell import Cell, MergedCell
    from openpyxl.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet


TMP_SUFFIX = ".tmp"
_TMP_COUNTER = itertools.count()


def column_letter(number: int) -> str:
    """``1`` → ``A``, ``27`` → ``AA``: the letters of a 1-based column number."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class ValidationRule(TypedDict, total=False):
    """The keyword arguments of an openpyxl ``DataValidation`` that make a rule (the rest are messages)."""

    type: Literal["whole", "decimal", "list", "date", "time", "textLength", "custom"]
    operator: Literal[
        "between",
        "notBetween",
        "equal",
        "notEqual",
        "lessThan",
        "lessThanOrEqual",
        "greaterThan",
        "greaterThanOrEqual",
    ]
    formula1: str
    formula2: str


def set_text(cell: Cell | MergedCell, value: object) -> None:
    """Write ``value`` as plain text: a leading ``=`` stays text, never a formula (SPEC §7).

    A cell merged into another (not its top-left one) holds no value: writing one raises AttributeError,
    as openpyxl does."""
    from openpyxl.cell.cell import MergedCell  # only writers call this, and they have openpyxl loaded

    if isinstance(cell, MergedCell):
        raise AttributeError("'MergedCell' object attribute 'value' is read-only")
    cell.value = nfc(value)
    cell.data_type = "s"


def find_header(rows: Iterable[Sequence[object]], labels: Iterable[str]) -> tuple[int, dict[str, int]] | None:
    """The first of ``rows`` (values, from row 1) that holds every label (compared by ``fold``).

    Returns (row number, {label: column number}), both 1-based, or None. Labels may be anywhere in the
    row, so inserted columns and a moved header still work.
    """
    wanted = {fold(label): label for label in labels}
    for number, row in enumerate(rows, start=1):
        found: dict[str, int] = {}
        for column, value in enumerate(row, start=1):
            key = fold(value) if value is not None and value != "" else ""
            if key in wanted and wanted[key] not in found:
                found[wanted[key]] = column
        if len(found) == len(wanted):
            return number, found
    return None


def find_header_row(
    ws: Worksheet, labels: Iterable[str], search_rows: int = 40
) -> tuple[int, dict[str, int]] | None:
    """``find_header`` on the top ``search_rows`` rows of an openpyxl worksheet."""
    return find_header(ws.iter_rows(min_row=1, max_row=search_rows, values_only=True), labels)


def atomic_save(path: Path, write: Callable[[Path], object]) -> None:
    """Call ``write(tmp)`` on a temporary file beside ``path`` and rename it into place.

    A reader never sees a half-written file, and a crash leaves the old file intact. The temporary name
    is unique to this process and call (``.name.<pid>-<n>.tmp``); it is created by ``write`` with the
    usual permissions, so an output in a shared folder is readable there.
    """
    if not path.parent.is_dir():
        path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{next(_TMP_COUNTER)}{TMP_SUFFIX}")
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def save_workbook(wb: Workbook, path: Path) -> None:
    atomic_save(path, wb.save)
