"""Write stage (SPEC §16): the department's own report to the upper plan, typed into the upper level's
template the way a unit types into its own.

``upper_rows`` is pure: each upper task's row from the period's verdicts on the department's tasks linked
to it. ``write_upper_template`` copies the template with only the input cells of those rows changed —
VBA, defined names, data validations, sheet protection, the very hidden ``_meta`` sheet and every style
kept — so the upper level reads the file like any unit's.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.styles.numbers import is_date_format

from automation.domain.contract import (
    COL_DIFFICULTIES,
    COL_DONE_ON,
    COL_EVIDENCE,
    COL_PROGRESS,
    COL_PROPOSALS,
    COL_RESULTS,
    COL_STATUS,
    STATUS_DONE,
    STATUS_IN_PROGRESS,
    STATUS_NOT_STARTED,
)
from automation.domain.text import clean_text
from automation.state.files import atomic_save, set_text

DATE_FORMAT = "dd/mm/yyyy"
TEXT_COLUMNS = (
    ("results", COL_RESULTS),
    ("difficulties", COL_DIFFICULTIES),
    ("proposals", COL_PROPOSALS),
    ("evidence", COL_EVIDENCE),
)


@dataclass(frozen=True)
class LinkedState:
    """One department task linked to an upper task, as the period left it.

    ``status`` is the effective reported status (``done``, ``in_progress``, ``not_started``; None when the
    task was never reported); the texts are this period's accepted row's, blank otherwise.
    """

    code: str
    status: str | None = None
    completed_on: dt.date | None = None
    progress: int | None = None
    results: str = ""
    difficulties: str = ""
    proposals: str = ""
    evidence: str = ""


@dataclass(frozen=True)
class UpperRow:
    """What goes into one upper task's input cells."""

    status: str  # one of the template's three status words
    completed_on: dt.date | None
    progress: int
    results: str
    difficulties: str
    proposals: str
    evidence: str

    def cells(self) -> dict[str, object]:
        """{template header label: value}; None empties the cell."""
        values: dict[str, object] = {
            COL_STATUS: self.status,
            COL_DONE_ON: self.completed_on,
            COL_PROGRESS: self.progress,
        }
        for attribute, label in TEXT_COLUMNS:
            values[label] = getattr(self, attribute) or None
        return values


def upper_row(linked: Sequence[LinkedState]) -> UpperRow:
    """The roll-up of ``linked`` (SPEC §16): ``Hoàn thành`` when every one is completed (the latest
    completion date), ``Đang thực hiện`` when any is started, else ``Chưa triển khai``; progress the mean
    (completed = 100, none reported = 0), rounded half up; texts one line per task, ``1.1: …``."""
    done = [state.status == "done" for state in linked]
    if linked and all(done):
        status = STATUS_DONE
        dates = [state.completed_on for state in linked if state.completed_on is not None]
        completed_on = max(dates) if len(dates) == len(linked) else None
    else:
        started = any(state.status in ("in_progress", "done") for state in linked)
        status, completed_on = (STATUS_IN_PROGRESS if started else STATUS_NOT_STARTED), None
    values = [100 if is_done else (state.progress or 0) for state, is_done in zip(linked, done, strict=True)]
    progress = math.floor(sum(values) / len(values) + 0.5) if values else 0
    texts = {
        attribute: "\n".join(
            f"{state.code}: {text}"
            for state in linked
            if (text := clean_text(getattr(state, attribute)).strip())
        )
        for attribute, _ in TEXT_COLUMNS
    }
    return UpperRow(status, completed_on, max(0, min(100, progress)), **texts)


def write_upper_template(
    template: Path, out: Path, sheet: str, columns: Mapping[str, str], rows: Mapping[int, UpperRow]
) -> None:
    """Save a copy of ``template`` as ``out`` (atomically) with ``rows`` (Excel row number → values) typed
    into the input columns of ``sheet`` (``columns``: header label → column letter). Nothing else changes:
    cell styles stay, a date cell without a date format gets ``dd/mm/yyyy``, text is never a formula."""
    keep_vba = template.suffix.lower() in (".xlsm", ".xltm")
    wb = load_workbook(template, keep_vba=keep_vba, keep_links=True)
    ws = wb[sheet]
    for number, row in rows.items():
        for label, value in row.cells().items():
            letter = columns.get(label)
            if letter is None:
                continue
            cell = ws[f"{letter}{number}"]
            if isinstance(value, str):
                set_text(cell, value)
            elif isinstance(value, dt.date):
                dated = is_date_format(cell.number_format)  # openpyxl gives a date its ISO format otherwise
                cell.value = value
                if not dated:
                    cell.number_format = DATE_FORMAT
            else:
                cell.value = value
    atomic_save(out, wb.save)
