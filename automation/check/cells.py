"""Validate stage, the cell level: what people type in a unit template, read as values.

Each function takes one raw cell value (whatever the reader found: text, number, date, None) and never
raises: it returns the value understood, or None with a reason the validate rules turn into a finding.
Matching ignores case, accents and spacing (``normalize.fold``) and accepts the variants units write in
practice ("Đã hoàn thành", "HT", "đang triển khai", "60%", "0.6").
"""

from __future__ import annotations

import datetime as dt
import math
import re

from automation.domain.contract import (
    ERROR_VALUES,
    LIBREOFFICE_ERROR,
    ROLE_LEAD,
    ROLE_SUPPORT,
    STATUS_DONE,
    STATUS_IN_PROGRESS,
    STATUS_NOT_STARTED,
)
from automation.domain.dates import parse_person_date
from automation.domain.model import ReportedStatus
from automation.domain.text import fold, nfc

STATUS_LABELS: dict[ReportedStatus, str] = {
    "not_started": STATUS_NOT_STARTED,
    "in_progress": STATUS_IN_PROGRESS,
    "done": STATUS_DONE,
}

# Folded spellings (see ``normalize.fold``), "|"-separated, and what they mean. The three canonical values
# are included: typed in another case or without accents they are still recognised (as a variant).
_DONE_WORDS = (
    "hoan thanh|da hoan thanh|ht|dht|xong|da xong|hoan tat|da hoan tat|da thuc hien xong|thuc hien xong|"
    "da thuc hien|hoan thanh 100%|da hoan thanh 100%|hoan thanh 100|100%|hoan thanh dung han|"
    "hoan thanh qua han|hoan thanh truoc han|da hoan thanh dung han|da hoan thanh qua han|"
    "hoan thanh theo ke hoach|done|completed|complete|finished"
)
_IN_PROGRESS_WORDS = (
    "dang thuc hien|dang trien khai|dang trien khai thuc hien|dth|dtk|dang lam|dang tien hanh|dang|"
    "dang thuc hien trong han|dang trien khai trong han|dang xu ly|chua hoan thanh|thuc hien thuong xuyen|"
    "thuong xuyen|dang thuc hien thuong xuyen|da trien khai|da trien khai thuc hien|in progress|ongoing"
)
_NOT_STARTED_WORDS = (
    "chua trien khai|chua thuc hien|chua|ctk|cth|chua bat dau|chua lam|chua trien khai thuc hien|"
    "chua thuc hien trong han|chua trien khai trong han|not started|0%"
)
_STATUS_WORDS: dict[str, ReportedStatus] = {
    **dict.fromkeys(_DONE_WORDS.split("|"), "done"),
    **dict.fromkeys(_IN_PROGRESS_WORDS.split("|"), "in_progress"),
    **dict.fromkeys(_NOT_STARTED_WORDS.split("|"), "not_started"),
}

_ROLE_WORDS = {
    "lead": {fold(ROLE_LEAD), "ct", "chu tri thuc hien", "don vi chu tri", "co quan chu tri", "lead"},
    "support": {
        fold(ROLE_SUPPORT),
        "ph",
        "phoi hop thuc hien",
        "don vi phoi hop",
        "co quan phoi hop",
        "support",
    },
}

_PROGRESS = re.compile(r"([+-]?\d+(?:[.,]\d+)?)\s*(%?)")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
# Excel serial numbers of 1 January 2000 and 31 December 2100: anything outside is not a plausible date
SERIAL_MIN, SERIAL_MAX = 36526, 73415


def is_blank(value: object) -> bool:
    """None, or text that is only whitespace."""
    return value is None or (isinstance(value, str) and not nfc(value))


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def error_value(value: object) -> str | None:
    """The spreadsheet error (``#REF!``, ``#N/A``, ``Err:502`` …) a cell holds, else None."""
    if value is None or _is_number(value) or isinstance(value, dt.date | bool):
        return None
    text = nfc(value).upper()
    if text in ERROR_VALUES or LIBREOFFICE_ERROR.fullmatch(text.lower()):
        return text
    return None


def normalize_status(value: object) -> tuple[ReportedStatus | None, bool]:
    """The status a ``Tình trạng`` cell means, and whether it was written other than the drop-down's way.

    ``(status, False)`` for a drop-down value as is; ``(status, True)`` for a recognised variant
    (``Đã hoàn thành``, ``HT``, ``hoàn thành 100%``, ``đang triển khai``, ``ĐTH``, ``chưa`` …, or a
    canonical value in another case); ``(None, False)`` for a blank or unrecognised value.
    """
    if not isinstance(value, str):
        return None, False
    text = " ".join(nfc(value).split())
    for status, label in STATUS_LABELS.items():
        if text == label:
            return status, False
    key = fold(text).strip(" .")
    # "(trong hạn)", "- đúng tiến độ": remarks after the status word do not change it
    key = re.sub(r"\s+(dung tien do|theo tien do|theo ke hoach)$", "", key)
    found = _STATUS_WORDS.get(key)
    return (found, True) if found else (None, False)


def normalize_role(value: object) -> str | None:
    """``"lead"`` for ``Chủ trì``, ``"support"`` for ``Phối hợp`` (any case, accents, short forms), else None."""
    key = fold(value).strip(" .")
    for role, words in _ROLE_WORDS.items():
        if key in words:
            return role
    return None


def parse_progress(value: object) -> tuple[int | None, str | None]:
    """A ``Tiến độ (%)`` cell as a whole percentage, and what was wrong with it.

    Returns ``(value, None)`` for a clean value or ``(None, None)`` for a blank. Problems:
    ``"fraction"`` — a number between 0 and 1 that is not whole (``0.6``, a percentage-formatted cell)
    read as ×100 (value given); ``"rounded"`` — not a whole number, rounded (value given);
    ``"out_of_range"`` — below 0 or above 100 (None); ``"not_a_number"`` (None).
    Accepted forms: ``60``, ``60.0``, ``"60"``, ``"60%"``, ``" 60 % "``, ``"60,5"``.
    """
    if is_blank(value):
        return None, None
    percent_sign = False
    if isinstance(value, int) and not isinstance(value, bool):
        return (value, None) if 0 <= value <= 100 else (None, "out_of_range")
    if isinstance(value, float):
        number = value
    elif isinstance(value, str):
        match = _PROGRESS.fullmatch(nfc(value))
        if not match:
            return None, "not_a_number"
        number = float(match.group(1).replace(",", "."))
        percent_sign = bool(match.group(2))
    else:
        return None, "not_a_number"
    if math.isnan(number):
        return None, "not_a_number"
    if number < 0 or number > 100:
        return None, "out_of_range"
    problem = None
    if not percent_sign and 0 < number < 1:
        number *= 100
        problem = "fraction"
    if number != int(number):
        problem = problem or "rounded"
        number = math.floor(number + 0.5)
    return int(number), problem


def parse_cell_date(value: object) -> tuple[dt.date | None, bool]:
    """A date cell: ``(date, True)``, ``(None, True)`` for a blank, ``(None, False)`` for a non-date.

    Takes date and datetime values, day-first text (``05/03/2025``) and Excel serial numbers (a cell that
    lost its date format in another program).
    """
    if is_blank(value):
        return None, True
    if isinstance(value, bool):
        return None, False
    if isinstance(value, int | float):
        if SERIAL_MIN <= value <= SERIAL_MAX:  # NaN compares False
            return serial_date(float(value)), True
        return None, False
    try:
        day = parse_person_date(value)
    except (ValueError, OverflowError):
        day = None
    return day, day is not None


def serial_date(number: float) -> dt.date:
    """The day an Excel serial number (1900 date system) falls on."""
    return _EXCEL_EPOCH + dt.timedelta(days=int(number))


def cell_text(value: object) -> str:
    """A text cell as the unit meant it: NFC, stripped, kept as text (a leading ``=`` stays text).

    Numbers and dates Excel made of typed text are written back the way a person reads them.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float) and math.isfinite(value) and value == int(value):
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return nfc(value)


def has_words(text: str) -> bool:
    """True when ``text`` holds a letter or digit (``-`` or ``.`` alone is no result)."""
    return any(ch.isalnum() for ch in text)


def task_code_text(value: object) -> str:
    """A ``Mã NV`` cell as a code: ``1.1`` typed as the number 1.1, ``1,1``, ``NV 1.1``, ``1.1.`` → ``1.1``."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, float):
        if not math.isfinite(value):
            return ""
        return str(int(value)) if value == int(value) else repr(value)
    text = " ".join(nfc(value).split())
    text = re.sub(r"^(?:nv|nhiệm vụ|nhiem vu)\s*", "", text, flags=re.IGNORECASE)
    text = re.sub(r"(?<=\d),(?=\d)", ".", text)
    return text.rstrip(". ")
