"""Working days (SPEC §15): Monday–Friday less the register's ``Ngày nghỉ``; Vietnam's official days off
from the ``holidays`` package for ``baocao init``; the reminders the calendar puts on working days."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from automation.cli import main
from automation.domain.dates import Period
from automation.domain.workdays import is_working_day, official_holidays, working_days_before
from automation.plan.default_plan import default_plan
from automation.plan.register import read_register
from automation.plan.register_layout import SHEET_HOLIDAYS
from automation.plan.register_write import write_register
from automation.run.workspace import init_workspace
from automation.schedule.calendar import REMIND, Calendar
from automation.settings import DEFAULTS, Settings

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
D = dt.date
OFFICIAL = dict(official_holidays([2025, 2026, 2027]))
DAYS_OFF = frozenset(OFFICIAL)


def settings(**values: str) -> Settings:
    return Settings.from_values(Path("/nonexistent/ws"), {**DEFAULTS, **values})


def calendar(**values: str) -> Calendar:
    return Calendar.of(settings(**values), holidays=DAYS_OFF)


# --- the official days off ---------------------------------------------------------------------------------


def test_tet_nguyen_dan_of_2025_2026_2027_is_in_the_official_days_off_with_vietnamese_names():
    assert OFFICIAL[D(2025, 1, 29)] == "Tết Nguyên Đán"
    assert OFFICIAL[D(2026, 2, 17)] == "Tết Nguyên Đán"
    assert OFFICIAL[D(2027, 2, 6)] == "Tết Nguyên Đán"
    # the whole Tết break, eve included
    assert {D(2025, 1, 28), D(2025, 1, 30), D(2025, 1, 31)} <= DAYS_OFF
    assert {D(2026, 2, 16), D(2026, 2, 18), D(2026, 2, 19), D(2026, 2, 20)} <= DAYS_OFF


def test_the_other_official_days_off_are_there_including_the_extra_and_swapped_days():
    assert OFFICIAL[D(2025, 4, 7)] == "Ngày Giỗ Tổ Hùng Vương"  # 10/3 âm lịch
    for year in (2025, 2026, 2027):
        assert {D(year, 1, 1), D(year, 4, 30), D(year, 5, 1), D(year, 9, 2)} <= DAYS_OFF
    assert D(2025, 9, 1) in DAYS_OFF  # Quốc khánh has two days: 1/9 or 3/9 besides 2/9
    assert D(2027, 9, 3) in DAYS_OFF
    assert "nghỉ bù" in OFFICIAL[D(2027, 5, 3)]  # 1/5/2027 is a Saturday
    assert D(2025, 5, 2) in DAYS_OFF  # the day swapped for Saturday 26/04/2025


# --- working days as a pure function ---------------------------------------------------------------------


def test_weekends_and_days_off_are_not_working_days():
    assert is_working_day(D(2025, 3, 14))  # a Friday
    assert not is_working_day(D(2025, 3, 15)) and not is_working_day(D(2025, 3, 16))
    assert not is_working_day(D(2026, 2, 17), DAYS_OFF)
    assert is_working_day(D(2026, 2, 17))  # a Tuesday, when the register names no days off


def test_a_deadline_on_a_sunday_reminds_on_the_thursday_and_friday_before():
    assert working_days_before(D(2025, 3, 16), 2, DAYS_OFF) == [D(2025, 3, 13), D(2025, 3, 14)]
    assert working_days_before(D(2025, 8, 16), 2, DAYS_OFF) == [D(2025, 8, 14), D(2025, 8, 15)]  # a Saturday


def test_tet_pushes_the_reminders_back_past_the_holiday():
    # 16/02/2027 is a Tuesday; 04–10/02/2027 is Tết: Friday 12 and Monday 15, never Sunday 14
    assert working_days_before(D(2027, 2, 16), 2, DAYS_OFF) == [D(2027, 2, 12), D(2027, 2, 15)]
    # 16/02/2026 is itself Tết eve: the Thursday and Friday before
    assert working_days_before(D(2026, 2, 16), 2, DAYS_OFF) == [D(2026, 2, 12), D(2026, 2, 13)]
    # 02/09/2025: 1 and 2 September off, so before Wednesday 03/09 come Thursday 28 and Friday 29 August
    assert working_days_before(D(2025, 9, 3), 2, DAYS_OFF) == [D(2025, 8, 28), D(2025, 8, 29)]


def test_the_calendar_reminds_on_working_days_every_month_of_2025_to_2027():
    cal = calendar()
    for year in (2025, 2026, 2027):
        for month in range(1, 13):
            period = Period(year, month)
            jobs = [job for job in cal.occurrences(period) if job.kind == REMIND]
            days = [job.at.date() for job in jobs]
            assert len(days) == 2 and days == sorted(days)
            assert all(is_working_day(day, DAYS_OFF) and day < D(year, month, 16) for day in days)
            between = [days[1] + dt.timedelta(n) for n in range(1, (D(year, month, 16) - days[1]).days)]
            assert not any(is_working_day(day, DAYS_OFF) for day in between)
            assert all(job.at.time() == dt.time(8, 0) and job.at.tzinfo == TZ for job in jobs)
    february_2027 = [job.at for job in cal.remind_jobs(Period(2027, 2))]
    assert february_2027 == [dt.datetime(2027, 2, 12, 8, tzinfo=TZ), dt.datetime(2027, 2, 15, 8, tzinfo=TZ)]


def test_remind_days_before_counts_working_days_and_stays_in_the_month():
    cal = calendar(REMIND_DAYS_BEFORE="3", REMIND_TIME="07:30")
    assert cal.remind_days(Period(2025, 3)) == [D(2025, 3, 12), D(2025, 3, 13), D(2025, 3, 14)]
    assert calendar(SUBMIT_BEFORE_DAY="2").remind_days(Period(2025, 6)) == []  # no working day left in June
    assert calendar(REMIND_DAYS_BEFORE="0").remind_days(Period(2025, 3)) == []


@given(st.dates(D(2020, 1, 1), D(2030, 12, 31)), st.integers(0, 6))
def test_working_days_before_are_the_nearest_working_days(day: dt.date, count: int):
    found = working_days_before(day, count, DAYS_OFF)
    assert len(found) == count and found == sorted(found) and all(d < day for d in found)
    assert all(is_working_day(d, DAYS_OFF) for d in found)
    if found:  # none skipped between the first found and the day
        span = [found[0] + dt.timedelta(n) for n in range((day - found[0]).days)]
        assert [d for d in span if is_working_day(d, DAYS_OFF)] == found


# --- the register's Ngày nghỉ ---------------------------------------------------------------------------


def test_the_register_keeps_its_days_off_and_warns_of_a_row_that_is_no_date(tmp_path: Path):
    path = tmp_path / "ke-hoach.xlsx"
    days = ((D(2025, 9, 1), "Quốc khánh"), (D(2025, 9, 2), "Quốc khánh"))
    write_register(replace(default_plan(), holidays=days), path)
    assert read_register(path).plan.holidays == days
    wb = load_workbook(path)
    ws = wb[SHEET_HOLIDAYS]
    assert [c.value for c in ws[1]] == ["Ngày", "Tên"]
    ws.append(["30/02/2025", "Ngày gõ nhầm"])
    ws.append(["03/09/2025", "Nghỉ thêm theo quyết định của tỉnh"])  # a date typed as text, day first
    wb.save(path)
    reading = read_register(path)
    assert reading.plan.holidays == (*days, (D(2025, 9, 3), "Nghỉ thêm theo quyết định của tỉnh"))
    (warning,) = [f for f in reading.check.findings if f.rule == "plan.bad_holiday"]
    assert warning.severity == "warning" and warning.sheet == "Ngày nghỉ" and warning.cell == "A4"
    assert "30/02/2025" in warning.message


def test_an_older_register_without_the_sheet_has_no_days_off(tmp_path: Path):
    path = tmp_path / "ke-hoach.xlsx"
    write_register(default_plan(), path)
    wb = load_workbook(path)
    del wb[SHEET_HOLIDAYS]
    wb.save(path)
    reading = read_register(path)
    assert reading.plan.holidays == ()
    assert not [f for f in reading.check.findings if f.sheet == SHEET_HOLIDAYS or "Ngày nghỉ" in f.message]


def test_init_fills_the_official_days_off_of_this_year_and_the_next_and_says_so(tmp_path: Path, capsys):
    result = init_workspace(tmp_path / "a", today=D(2025, 6, 1))
    assert result.years == (2025, 2026)
    plan = read_register(result.register).plan
    days = dict(plan.holidays)
    assert days[D(2025, 1, 29)] == "Tết Nguyên Đán" and days[D(2026, 2, 17)] == "Tết Nguyên Đán"
    assert {day.year for day in days} == {2025, 2026}
    assert main(["init", str(tmp_path / "b")]) == 0
    out = capsys.readouterr().out
    year = dt.date.today().year
    assert f'ngày nghỉ lễ, Tết chính thức năm {year}–{year + 1} vào sheet "Ngày nghỉ"' in out
