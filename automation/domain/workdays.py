"""Working days (SPEC §15): Monday to Friday less the register's ``Ngày nghỉ`` (public holidays, Tết).

Pure functions of dates; the holidays come in as data (the register's sheet, read into ``Plan.holidays``).
``official_holidays`` gives the official days off of Vietnam for given years, from the maintained
``holidays`` package, for ``baocao init`` to fill that sheet with.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable

Holiday = tuple[dt.date, str]  # (date, name) as in the register's ``Ngày nghỉ`` sheet

SATURDAY = 5


def is_working_day(day: dt.date, holidays: Collection[dt.date] = ()) -> bool:
    """Monday–Friday and not one of ``holidays``."""
    return day.weekday() < SATURDAY and day not in holidays


def working_days_before(
    day: dt.date, count: int, holidays: Collection[dt.date] = (), not_before: dt.date | None = None
) -> list[dt.date]:
    """The last ``count`` working days strictly before ``day``, oldest first; none before ``not_before``."""
    found: list[dt.date] = []
    current = day
    floor = not_before or day - dt.timedelta(days=366)
    while len(found) < count:
        current -= dt.timedelta(days=1)
        if current < floor:
            break
        if is_working_day(current, holidays):
            found.append(current)
    return found[::-1]


def official_holidays(years: Iterable[int]) -> tuple[Holiday, ...]:
    """Vietnam's official days off of ``years`` in date order, names in Vietnamese: Tết Dương lịch, the
    Tết Nguyên Đán days, Giỗ Tổ Hùng Vương, 30/4, 1/5, Quốc khánh (two days) and the days the government
    moves or adds (``nghỉ bù``, days swapped for a weekend)."""
    import holidays  # only `baocao init` needs the calendar of official holidays

    calendar = holidays.country_holidays("VN", years=sorted(set(years)), language="vi")
    return tuple(sorted((day, str(name)) for day, name in calendar.items()))
