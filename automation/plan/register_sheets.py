"""Reading the register's sheets (SPEC §4): each sheet's header row found by its labels (renamed, missing or
duplicated columns named), its rows as values by column label, the ``Kế hoạch`` keys, list cells.
"""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook

from automation.domain.text import clean_text, fold, nfc
from automation.errors import FileError, os_error_reason
from automation.i18n.messages import N_, t
from automation.plan.register_layout import (
    PLAN_KEYS,
    QUIET_COLUMNS,
)
from automation.state.files import column_letter

_log = logging.getLogger(__name__)


@dataclass
class _Row:
    number: int
    values: dict[str, object]
    columns: dict[str, int]

    def cell(self, label: str) -> str:
        return f"{column_letter(self.columns[label])}{self.number}"

    def text(self, label: str) -> str:
        return clean_text(self.values.get(label))


def _split_list(value: object) -> tuple[str, ...]:
    return tuple(part for part in (clean_text(p) for p in re.split(r"[;\n]", nfc(value))) if part)


def _codes(value: object) -> tuple[str, ...]:
    """Task codes typed in one cell: ``1.5; 2.3`` (``;``, ``,`` or new lines), without a trailing dot."""
    parts = (clean_text(p).rstrip(".") for p in re.split(r"[;,\n]", nfc(value)))
    return tuple(dict.fromkeys(part for part in parts if part))


def _is_recurring_mark(value: object) -> bool | None:
    """``x`` (any case, or common ticks) → True, blank → False, anything else → None (a finding)."""
    text = fold(value)
    if not text:
        return False
    if text in ("x", "co", "v", "yes", "1", "true", "thuong xuyen"):
        return True
    return None


@dataclass
class _Sheet:
    """A sheet's values from A1 (python-calamine), so every value keeps its true cell reference."""

    title: str
    rows: Sequence[Sequence[object]]


# Columns without which a sheet's rows cannot be read; the others are optional (a warning when missing).


def _header(
    sheet: _Sheet, labels: tuple[str, ...], essential: tuple[str, ...], add
) -> tuple[int, dict] | None:
    """The header row of ``sheet`` (the top row holding most of ``labels``) and {label: column}.

    Every renamed, missing or duplicated column is a finding naming the column and the sheet; None when an
    essential column is missing (the rows cannot be read without it).
    """
    wanted = {fold(label): label for label in labels}
    best: tuple[int, int] = (0, 0)  # (labels found, row number)
    for number, row in enumerate(sheet.rows[:40], start=1):
        found = {wanted[fold(v)] for v in row if v not in (None, "") and fold(v) in wanted}
        if len(found) > best[0]:
            best = (len(found), number)
    if best[0] < 2:
        add(
            "error",
            N_("plan.no_header"),
            sheet.title,
            None,
            columns=", ".join(f'"{label}"' for label in labels),
        )
        return None
    header_row = best[1]
    columns: dict[str, int] = {}
    unknown: dict[str, int] = {}  # header texts that are none of the labels: perhaps a renamed column
    for column, value in enumerate(sheet.rows[header_row - 1], start=1):
        if value in (None, ""):
            continue
        label = wanted.get(fold(value))
        if label is None:
            unknown.setdefault(fold(value), column)
        elif label in columns:
            severity = "error" if label in essential else "warning"
            first, second = column_letter(columns[label]), column_letter(column)
            add(
                severity,
                N_("plan.duplicate_column"),
                sheet.title,
                f"{second}{header_row}",
                column=label,
                first=first,
                second=second,
            )
        else:
            columns[label] = column
    readable = True
    missing = [label for label in labels if label not in columns and label not in QUIET_COLUMNS]
    for label in missing:
        severity = "error" if label in essential else "warning"
        readable = readable and label not in essential
        # the header it most likely became: a similar text, one holding the other, or the only stranger left
        close = (
            difflib.get_close_matches(fold(label), list(unknown), n=1, cutoff=0.5)
            or [u for u in unknown if u in fold(label) or fold(label) in u][:1]
        )
        if not close and len(missing) == 1 and len(unknown) == 1:
            close = list(unknown)
        if close:
            column = unknown.pop(close[0])
            letter = column_letter(column)
            text = clean_text(sheet.rows[header_row - 1][column - 1])
            add(
                severity,
                N_("plan.renamed_column"),
                sheet.title,
                f"{letter}{header_row}",
                column=label,
                found=text,
                letter=letter,
            )
        else:
            add(
                severity,
                N_("plan.missing_column"),
                sheet.title,
                None,
                column=label,
                row=header_row,
            )
    return (header_row, columns) if readable else None


def _rows(sheet: _Sheet, header: tuple[int, dict[str, int]]) -> Iterator[_Row]:
    header_row, columns = header
    for number, row in enumerate(sheet.rows[header_row:], start=header_row + 1):
        values = {label: row[col - 1] if col - 1 < len(row) else None for label, col in columns.items()}
        if any(nfc(v) for v in values.values()):
            yield _Row(number, values, columns)


def _open(path: Path) -> dict[str, _Sheet]:
    """Every sheet of the register by folded name. python-calamine: a large register reads in milliseconds."""
    if not path.is_file():
        raise FileError(t("workspace.not_found", path=path))
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        return {
            fold(name): _Sheet(name, workbook.get_sheet_by_name(name).to_python(skip_empty_area=False))
            for name in workbook.sheet_names
        }
    except FileNotFoundError:
        raise FileError(t("workspace.not_found", path=path)) from None
    except OSError as exc:
        raise FileError(t("register.cannot_open", path=path, reason=os_error_reason(exc))) from None
    except (CalamineError, ValueError) as exc:  # the library's words go to the log, never to the reader
        _log.debug("register %s: %s", path, exc)
        raise FileError(t("register.cannot_read", path=path)) from None


def _sheet(sheets: dict[str, _Sheet], name: str, path: Path) -> _Sheet:
    try:
        return sheets[fold(name)]
    except KeyError:
        raise FileError(t("register.missing_sheet", path=path, sheet=name)) from None


def _read_plan_keys(sheet: _Sheet) -> dict[str, tuple[object, str]]:
    wanted = {fold(key): key for key in PLAN_KEYS}
    found: dict[str, tuple[object, str]] = {}
    for number, row in enumerate(sheet.rows[:60], start=1):
        for column, value in enumerate(row[:3], start=1):
            key = wanted.get(fold(value)) if value not in (None, "") else None
            if key and key not in found:
                found[key] = (
                    row[column] if column < len(row) else None,
                    f"{column_letter(column + 1)}{number}",
                )
    return found


def _lines(value: object) -> tuple[str, ...]:
    """A cell of several lines (``Nơi nhận``): one entry per line or per ``;``, without list marks."""
    parts = re.split(r"[\n;]", nfc(value)) if value is not None else []
    return tuple(text for text in (clean_text(p).lstrip("-–+ ").rstrip(" ;.,") for p in parts) if text)
