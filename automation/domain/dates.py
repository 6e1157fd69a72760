"""Dates as people write them, and the plan's deadline words (SPEC §4).

One function, ``parse_deadline_words``, resolves a plan's timeline text ("hoàn thành trong tháng 3/2025",
"quý II/2025", "thực hiện thường xuyên") for the register check and the plan importer alike. Dates written
by people are always day-first: ``05/03/2025`` is 5 March.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from automation.domain.text import as_text, nfc, strip_accents

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
# The years a reporting period can be in: the months a file can name (``identify``) and that every date a
# collect derives from its period (the plan start a year before, the next month) can be computed for.
PERIOD_YEARS = range(2000, 2101)
_SEP = r"\s*(?:/|-|\.|nam)\s*"


@dataclass(frozen=True, order=True)
class Period:
    """A reporting period: one calendar month."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Period:
        """``YYYY-MM`` (the command-line and file form), a year of ``PERIOD_YEARS``. Raises ValueError
        otherwise."""
        match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", text or "")
        if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) not in PERIOD_YEARS:
            raise ValueError(text)
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def containing(cls, day: dt.date) -> Period:
        return cls(day.year, day.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        """``MM/YYYY``, as written in the template's ``Kỳ báo cáo:`` cell."""
        return f"{self.month:02d}/{self.year:04d}"

    def day(self, number: int) -> dt.date:
        """Day ``number`` of this month, clamped to its last day (day 31 of February is the 28th/29th)."""
        return dt.date(self.year, self.month, min(number, month_end(self.year, self.month).day))

    def previous(self) -> Period:
        return Period(self.year - 1, 12) if self.month == 1 else Period(self.year, self.month - 1)

    def next(self) -> Period:
        return Period(self.year + 1, 1) if self.month == 12 else Period(self.year, self.month + 1)


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def quarter_end(year: int, quarter: int) -> dt.date:
    return month_end(year, quarter * 3)


def _ascii_lower(text: str) -> str:
    return re.sub(r"\s+", " ", strip_accents(nfc(text)).lower())


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _year(text: str) -> int:
    value = int(text)
    return value + 2000 if value < 100 else value


def parse_person_date(value: object) -> dt.date | None:
    """A date typed by a person, day first: ``05/03/2025``, ``5-3-2025``, ``5.3.25``,
    ``ngày 5 tháng 3 năm 2025``, ISO ``2025-03-05``; a ``date``/``datetime`` is taken as it is.
    Returns None when the text is not one unambiguous date.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _ascii_lower(as_text(value or "")).strip()
    if not text:
        return None
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?", text)
    if iso:
        return _safe_date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    text = re.sub(r"^ngay\s+", "", text)
    match = re.fullmatch(
        r"(\d{1,2})\s*(?:[/.-]|\s+thang\s+)\s*(\d{1,2})\s*(?:[/.-]|\s+nam\s+)\s*(\d{4}|\d{2})"
        r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?",
        text,
    )
    if not match:
        return None
    return _safe_date(_year(match.group(3)), int(match.group(2)), int(match.group(1)))


@dataclass(frozen=True)
class DeadlineWords:
    """What a plan's timeline words mean: the deadline (if any) and the recurring mark.

    ``understood`` is False when the words name neither a date nor a recurring duty; the caller turns
    that into a finding with its own location.
    """

    deadline: dt.date | None
    recurring: bool
    understood: bool


_RECURRING = re.compile(r"thuong xuyen|hang thang|hang quy|hang nam|hang tuan|dinh ky|lien tuc|hang ngay")

# Most specific first; each match blanks its span so "tháng 3 năm 2025" is not also read as "năm 2025".
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("day", re.compile(r"(?<!\d)(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?!\d)")),
    ("day", re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})")),
    ("half", re.compile(r"(6|sau)\s+thang\s+(dau|cuoi)\s+(?:nam\s+)?(\d{4})")),
    ("quarter", re.compile(r"quy\s+(iv|iii|ii|i|[1-4])" + _SEP + r"(\d{4})")),
    ("month", re.compile(r"(?:thang|(?<![a-z])t)\s*(\d{1,2})" + _SEP + r"(\d{4})")),
    ("month", re.compile(r"(?<![\d/])(\d{1,2})\s*/\s*(\d{4})(?!\d)")),
    ("span", re.compile(r"(?<!\d)(\d{4})\s*(?:-|den|toi)\s*(?:nam\s+)?(\d{4})(?!\d)")),
    ("year", re.compile(r"nam\s+(\d{4})(?!\d)")),
    ("year", re.compile(r"^\s*(\d{4})\s*$")),
]


def _resolve(kind: str, groups: tuple[str, ...]) -> dt.date | None:
    """The date a pattern's match names, or None when there is no such day (31/02, a year 0000)."""
    year = int(groups[-1])
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        return None
    if kind == "day":
        return _safe_date(int(groups[2]), int(groups[1]), int(groups[0]))
    if kind == "half":
        return month_end(int(groups[2]), 6 if groups[1] == "dau" else 12)
    if kind == "quarter":
        quarter = _ROMAN.get(groups[0]) or int(groups[0])
        return quarter_end(int(groups[1]), quarter)
    if kind == "month":
        month = int(groups[0])
        return month_end(int(groups[1]), month) if 1 <= month <= 12 else None
    if kind == "span":
        return month_end(int(groups[1]), 12)
    return month_end(int(groups[0]), 12)


def parse_deadline_words(words: object) -> DeadlineWords:
    """Resolve a plan's timeline words (SPEC §4 table) into a deadline and a recurring mark.

    Several dates in one phrase ("từ tháng 3 đến tháng 6/2025") resolve to the latest: the task is due
    when its last part is. Accents, case and spacing do not matter.
    """
    return _parse_deadline_text(_ascii_lower(as_text(words or "")))


@lru_cache(maxsize=4096)  # a plan repeats a handful of phrases across all its tasks
def _parse_deadline_text(text: str) -> DeadlineWords:
    recurring = bool(_RECURRING.search(text))
    found: list[dt.date] = []
    invalid = False
    for kind, pattern in _PATTERNS:
        matches = list(pattern.finditer(text))
        if not matches:
            continue
        for match in matches:
            resolved = _resolve(kind, match.groups())
            if resolved is None:
                invalid = True
            else:
                found.append(resolved)
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    deadline = max(found) if found else None
    understood = (deadline is not None or recurring) and not invalid
    return DeadlineWords(deadline=deadline, recurring=recurring, understood=understood)
