"""Every parser of people's input, under hypothesis (SPEC §12, issue 5): dates, status words, roles,
percentages, task codes, period strings, deadline words, unit names, ``--period``/``--as-of`` and the
``.env`` values.

Two kinds of property. *Never raises*: whatever a cell, a file name or a command line holds (any Unicode
text, NFD, control characters, huge numbers, NaN and infinities, dates, times, booleans, None) the parser
returns a value or its "not understood" answer (None, a problem code, a finding), as its docstring says.
*Round trips*: what a person really writes (a date as dd/mm/yyyy, ``60%``, a status word in any case, with
or without accents, spaced any way) comes back as the value they meant.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import re
import unicodedata
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from automation.check.cells import (
    SERIAL_MAX,
    SERIAL_MIN,
    cell_text,
    error_value,
    has_words,
    is_blank,
    normalize_role,
    normalize_status,
    parse_cell_date,
    parse_progress,
    serial_date,
    task_code_text,
)
from automation.check.identify import identify_period, identify_unit, known_sender, parse_period_text
from automation.check.validate import validate_rows
from automation.cli import _as_of, _period
from automation.domain.contract import (
    ERROR_VALUES,
    ROLE_LEAD,
    ROLE_SUPPORT,
    STATUS_DONE,
    STATUS_IN_PROGRESS,
    STATUS_NOT_STARTED,
    is_error_value,
)
from automation.domain.dates import Period, month_end, parse_deadline_words, parse_person_date, quarter_end
from automation.domain.model import ParsedReport, ParsedRow
from automation.domain.text import clean_text, fold, nfc, strip_accents
from automation.errors import InputError
from automation.i18n.messages import MESSAGES
from automation.plan.default_plan import default_plan
from automation.plan.register import _is_recurring_mark
from automation.settings import DEFAULTS, Settings
from automation.templates.generate import HEADER_LABELS

PLAN = default_plan()
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
FILE = "inbox/x.xlsx"
EXCEL_EPOCH = dt.date(1899, 12, 30)
FAST = settings(max_examples=70, deadline=None)
QUICK = settings(max_examples=40, deadline=None)

# --- what people put in cells ------------------------------------------------------------------------------

_WORDS = (
    "Hoàn thành", "Đang thực hiện", "Chưa triển khai", "đã hoàn thành", "HT", "ĐTH", "tháng", "năm", "quý",
    "ngày", "Phòng", "Văn phòng Sở", "Ban Thi đua - Khen thưởng", "trước", "thường xuyên", "60%", "0,5",
    "05/03/2025", "3/2025", "T3", "II", "=SUM(A1)", "#REF!", "Err:502", "@", "+", "-", "Kỳ báo cáo:",
)  # fmt: skip
_SPACES = st.sampled_from([" ", "  ", "\t", "\n", "\xa0", "\u3000", "\r\n", ""])


def _nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# Text a unit may type or paste: Vietnamese words in any form, digits, punctuation, and any Unicode.
PEOPLE_TEXT = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x2FF)),  # control characters, Latin
    st.lists(
        st.tuples(
            st.sampled_from(_WORDS),
            st.sampled_from([str, str.upper, str.lower, strip_accents, _nfd]),
            _SPACES,
        ),
        max_size=6,
    ).map(lambda parts: "".join(form(word) + space for word, form, space in parts)),
    st.from_regex(r"[ \t]*[+-]?\d{1,6}([.,/ -]\d{0,5}){0,3}[ %]*", fullmatch=True),
    st.sampled_from(
        ["9" * 400, "1e400", "-0", "nan", "inf", "0" * 5000 + "1", "\u0000", "\ufeff60%", "٣/٢٠٢٥"]
    ),
)
HUGE_INTS = st.sampled_from([10**5000, -(10**5000), 2**63, -(2**63) - 1, 10**308, 10**400])
# Any value a reader may hand over for a cell (python-calamine: str, int, float, bool, date, datetime,
# time, timedelta; None for a blank), plus ints larger than any cell holds.
ANY_CELL = st.one_of(
    st.none(),
    PEOPLE_TEXT,
    st.integers(),
    HUGE_INTS,
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.datetimes(timezones=st.just(TZ)),
    st.times(),
    st.timedeltas(),
)
# Dates written with a four-digit year (a person's year is never 0025 for 25 AD)
REAL_DATES = st.dates(dt.date(1000, 1, 1), dt.date(9999, 12, 31))


def _shuffle_case(text: str, flags: list[bool]) -> str:
    return "".join(ch.upper() if up else ch.lower() for ch, up in zip(text, flags, strict=False))


@st.composite
def retyped(draw, text: str, full_stop: bool = True) -> str:
    """``text`` as a person might type it: any case, with or without accents (or decomposed), words spaced
    by any whitespace, spaces around it and (``full_stop``) maybe a final full stop."""
    words = text.split()
    if draw(st.booleans()):
        words = [strip_accents(word) for word in words]
    case = draw(st.sampled_from(["as is", "upper", "lower", "title", "mixed"]))
    if case == "mixed":
        flags = draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
        words = [_shuffle_case(word, flags) for word in words]
    elif case != "as is":
        words = [getattr(word, case)() for word in words]
    if draw(st.booleans()):
        words = [_nfd(word) for word in words]
    gaps = [draw(st.sampled_from([" ", "  ", "\t", "\xa0", " \n "])) for _ in words[1:]]
    joined = words[0] + "".join(gap + word for gap, word in zip(gaps, words[1:], strict=True))
    endings = ["", " ", "\t", "\xa0"] + ([".", " ."] if full_stop else [])
    before, after = draw(_SPACES), draw(st.sampled_from(endings))
    return before + joined + after


# --- dates typed by people (SPEC §4: day first, never month first) -----------------------------------------


@FAST
@given(ANY_CELL)
@example("31/02/2025")
@example("ngày 00 tháng 00 năm 0000")
@example(10**5000)
def test_person_date_never_raises_and_gives_a_date_or_none(value):
    result = parse_person_date(value)
    assert result is None or type(result) is dt.date


@FAST
@given(
    REAL_DATES,
    st.sampled_from(
        [
            "{d:02d}/{m:02d}/{y:04d}",
            "{d}/{m}/{y:04d}",
            "{d}-{m}-{y:04d}",
            "{d:02d}.{m:02d}.{y:04d}",
            " {d} / {m} / {y:04d} ",
            "ngày {d} tháng {m} năm {y:04d}",
            "Ngày {d:02d} tháng {m:02d} năm {y:04d}",
            "{y:04d}-{m:02d}-{d:02d}",
            "{d:02d}/{m:02d}/{y:04d} 08:30",
            "{y:04d}-{m:02d}-{d:02d} 08:30:15",
        ]
    ),
    st.sampled_from([str, str.upper, strip_accents, _nfd]),
)
def test_a_date_written_day_first_parses_back_to_itself(day, form, retype):
    text = retype(form.format(d=day.day, m=day.month, y=day.year))
    assert parse_person_date(text) == day
    assert parse_cell_date(text) == (day, True)


@FAST
@given(st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)))
def test_a_two_digit_year_is_this_century(day):
    assert parse_person_date(f"{day.day}/{day.month}/{day.year % 100:02d}") == day


@FAST
@given(st.dates(dt.date(1000, 1, 1)).filter(lambda d: d.day <= 12 and d.day != d.month))
def test_an_ambiguous_date_is_read_day_first(day):
    assert parse_person_date(f"{day.day:02d}/{day.month:02d}/{day.year}") == day


@FAST
@given(st.integers(1000, 9999), st.integers(1, 12), st.integers(1, 40))
def test_a_day_the_month_does_not_have_is_not_a_date(year, month, day):
    text = f"{day}/{month}/{year}"
    if day > month_end(year, month).day:
        assert parse_person_date(text) is None
    else:
        assert parse_person_date(text) == dt.date(year, month, day)


@FAST
@given(st.one_of(st.dates(), st.datetimes(), st.datetimes(timezones=st.just(TZ))))
def test_a_real_date_value_is_taken_as_it_is(value):
    expected = value.date() if isinstance(value, dt.datetime) else value
    assert parse_person_date(value) == expected
    assert parse_cell_date(value) == (expected, True)


@FAST
@given(ANY_CELL)
@example(float("nan"))
@example(float("inf"))
@example(SERIAL_MAX + 0.999)
@example(10**5000)
def test_date_cell_never_raises_and_keeps_its_contract(value):
    day, readable = parse_cell_date(value)
    assert day is None or type(day) is dt.date
    assert isinstance(readable, bool)
    if day is not None:
        assert readable
    if is_blank(value):
        assert (day, readable) == (None, True)
    if isinstance(value, bool):
        assert (day, readable) == (None, False)


@FAST
@given(st.dates(dt.date(2000, 1, 1), dt.date(2100, 12, 30)), st.floats(0, 0.999))
def test_a_serial_number_is_the_day_excel_meant(day, time_of_day):
    serial = (day - EXCEL_EPOCH).days
    assert parse_cell_date(serial) == (day, True)
    assert parse_cell_date(serial + time_of_day) == (day, True)
    assert serial_date(serial) == day


@FAST
@given(st.one_of(st.integers(), st.floats()).filter(lambda n: not SERIAL_MIN <= n <= SERIAL_MAX))
def test_a_number_that_is_no_plausible_serial_is_not_a_date(number):
    assert parse_cell_date(number) == (None, False)


# --- status words and roles (SPEC §5, §6 "Row rules") --------------------------------------------------------

STATUS_SPELLINGS = {
    STATUS_DONE: "done",
    "Đã hoàn thành": "done",
    "HT": "done",
    "Hoàn thành 100%": "done",
    "đã thực hiện xong": "done",
    "hoàn thành đúng hạn": "done",
    STATUS_IN_PROGRESS: "in_progress",
    "đang triển khai": "in_progress",
    "ĐTH": "in_progress",
    "Đang thực hiện - đúng tiến độ": "in_progress",
    "chưa hoàn thành": "in_progress",
    STATUS_NOT_STARTED: "not_started",
    "chưa thực hiện": "not_started",
    "Chưa bắt đầu": "not_started",
}
CANONICAL = {STATUS_DONE, STATUS_IN_PROGRESS, STATUS_NOT_STARTED}


@FAST
@given(ANY_CELL)
@example("\u0000Hoàn thành")
@example(10**5000)
def test_status_never_raises_and_gives_a_status_or_none(value):
    status, variant = normalize_status(value)
    assert status in (None, "not_started", "in_progress", "done")
    assert isinstance(variant, bool)
    assert not (status is None and variant)


@FAST
@given(st.data(), st.sampled_from(sorted(STATUS_SPELLINGS)))
def test_a_status_word_in_any_case_accents_or_spacing_is_the_same_status(data, spelling):
    typed = data.draw(retyped(spelling))
    status, variant = normalize_status(typed)
    assert status == STATUS_SPELLINGS[spelling], typed
    # the drop-down's own value, NFC and single-spaced, is no variant; anything else is reported as corrected
    assert variant == (" ".join(nfc(typed).split()) not in CANONICAL)


@FAST
@given(st.sampled_from(sorted(CANONICAL)))
def test_the_drop_down_values_are_taken_as_they_are(label):
    assert normalize_status(label)[1] is False


@FAST
@given(PEOPLE_TEXT)
def test_a_status_depends_only_on_the_folded_words(text):
    # case, accents, punctuation and spacing never change what a cell means
    assert normalize_status(text)[0] == normalize_status(fold(text))[0]


@FAST
@given(ANY_CELL)
@example(10**5000)
def test_role_never_raises(value):
    assert normalize_role(value) in (None, "lead", "support")


@FAST
@given(
    st.data(),
    st.sampled_from([(ROLE_LEAD, "lead"), (ROLE_SUPPORT, "support"), ("Phối hợp thực hiện", "support")]),
)
def test_a_role_word_in_any_case_accents_or_spacing_is_the_same_role(data, case):
    word, role = case
    assert normalize_role(data.draw(retyped(word))) == role


# --- progress (Tiến độ %) ------------------------------------------------------------------------------------


@FAST
@given(ANY_CELL)
@example("9" * 400)
@example("0" * 5000 + "1")
@example(float("-inf"))
@example(10**5000)
def test_progress_never_raises_and_gives_a_value_or_a_problem(value):
    progress, problem = parse_progress(value)
    assert problem in (None, "fraction", "rounded", "out_of_range", "not_a_number")
    if progress is not None:
        assert type(progress) is int and 0 <= progress <= 100
        assert problem in (None, "fraction", "rounded")
    else:
        assert problem in (None, "out_of_range", "not_a_number")
        assert (problem is None) == is_blank(value)


@FAST
@given(st.integers(0, 100), st.sampled_from(["{p}%", "{p}", " {p} % ", "{p} %", "{p}.0", "{p},0%"]))
def test_a_whole_percentage_as_typed_gives_itself(p, form):
    assert parse_progress(form.format(p=p)) == (p, None)
    assert parse_progress(p) == (p, None)
    assert parse_progress(float(p)) == (p, None)


@FAST
@given(st.integers(0, 10000))
def test_a_percentage_with_decimals_is_rounded_half_up(hundredths):
    value = hundredths / 100
    expected = math.floor(value + 0.5)
    problem = None if value == int(value) else "rounded"
    assert parse_progress(f"{hundredths // 100},{hundredths % 100:02d}%") == (expected, problem)


@FAST
@given(st.floats(0, 1, exclude_min=True, exclude_max=True))
def test_a_fraction_is_read_as_a_percentage_formatted_cell(fraction):
    assert parse_progress(fraction) == (math.floor(fraction * 100 + 0.5), "fraction")


@FAST
@given(st.one_of(st.integers(max_value=-1), st.integers(min_value=101), HUGE_INTS))
def test_a_whole_number_outside_0_to_100_is_out_of_range(number):
    assert parse_progress(number) == (None, "out_of_range")
    if abs(number) < 10**300:
        assert parse_progress(f"{number}%") == (None, "out_of_range")


# --- other cells: text, task codes, error values -------------------------------------------------------------


@FAST
@given(ANY_CELL)
@example(10**5000)
@example(float("nan"))
def test_cell_text_never_raises_and_gives_nfc_text(value):
    text = cell_text(value)
    assert isinstance(text, str) and text == text.strip()
    assert unicodedata.is_normalized("NFC", text)
    if isinstance(value, str):
        assert text == nfc(value)  # a leading "=", "+", "-" or "@" stays text


@FAST
@given(REAL_DATES)
def test_a_date_shown_as_text_reads_back_as_the_same_date(day):
    assert parse_cell_date(cell_text(day)) == (day, True)


@FAST
@given(ANY_CELL)
@example(10**5000)
def test_task_code_never_raises(value):
    assert isinstance(task_code_text(value), str)


@FAST
@given(
    st.integers(1, 99),
    st.integers(1, 99),
    st.sampled_from(["{a}.{b}", "{a},{b}", "NV {a}.{b}", "nhiệm vụ {a}.{b}.", " {a}.{b} ", "NV{a}.{b}"]),
)
def test_a_task_code_as_people_write_it_is_the_plans_code(a, b, form):
    assert task_code_text(form.format(a=a, b=b)) == f"{a}.{b}"


@FAST
@given(ANY_CELL)
@example(10**5000)
def test_error_values_never_raise(value):
    found = error_value(value)
    assert found is None or found in ERROR_VALUES or re.fullmatch(r"ERR:\d{3}", found)
    assert isinstance(is_error_value(value), bool)
    assert isinstance(is_blank(value), bool)
    if isinstance(value, str):
        assert isinstance(has_words(value), bool)


@FAST
@given(st.data(), st.sampled_from(sorted(ERROR_VALUES)))
def test_an_error_value_is_recognised_in_any_case_and_spacing(data, error):
    cased = "".join(data.draw(st.sampled_from([ch.upper(), ch.lower()])) for ch in error)
    assert error_value(f" {cased} ") == error


# --- period strings: the Kỳ báo cáo cell, _meta, file names, --period ----------------------------------------

PERIOD = re.compile(r"(20\d\d|2100)-(0[1-9]|1[0-2])")


@FAST
@given(ANY_CELL)
@example("tháng 13/2025")
@example("03/0000")
@example("٣/٢٠٢٥")
@example(10**5000)
def test_period_text_never_raises_and_gives_yyyy_mm_or_none(value):
    result = parse_period_text(value)
    assert result is None or PERIOD.fullmatch(result)


@FAST
@given(
    st.data(),
    st.integers(2000, 2100),
    st.integers(1, 12),
    st.sampled_from(
        [
            "{m:02d}/{y}",
            "{m}/{y}",
            "tháng {m}/{y}",
            "Tháng {m:02d} năm {y}",
            "T{m}/{y}",
            "T{m:02d}-{y}",
            "T{m}.{y}",
            "{y}-{m:02d}",
            "Kỳ {m}/{y}",
            "15/{m:02d}/{y}",
            "báo cáo tháng {m} năm {y}",
        ]
    ),
)
def test_every_written_form_of_a_month_gives_it_back(data, year, month, form):
    typed = data.draw(retyped(form.format(m=month, y=year)))
    assert parse_period_text(typed) == f"{year:04d}-{month:02d}", typed


@FAST
@given(st.integers(2000, 2100), st.integers(1, 12))
def test_a_month_as_a_value_gives_it_back(year, month):
    expected = f"{year:04d}-{month:02d}"
    first = dt.date(year, month, 1)
    assert parse_period_text(first) == expected
    assert parse_period_text(dt.datetime(year, month, 28, 17, 5)) == expected
    assert parse_period_text(year * 100 + month) == expected  # 202503 typed in a number cell
    assert parse_period_text(float(f"{month}.{year}")) == expected  # "3.2025" that became 3.2025
    if (first - EXCEL_EPOCH).days <= SERIAL_MAX:
        assert (
            parse_period_text((first - EXCEL_EPOCH).days + 14) == expected
        )  # a date cell that lost its format


@FAST
@given(
    st.sampled_from([u.code for u in PLAN.units]),
    st.integers(2000, 2100),
    st.integers(1, 12),
    st.sampled_from(["{u}_{y}-{m:02d}.xlsx", "{u} bao cao thang {m}-{y}.xls", "Báo cáo T{m}.{y} - {u}.ods"]),
)
def test_a_file_name_gives_its_month(unit, year, month, name):
    report = ParsedReport(sheet="Báo cáo")
    file_name = name.format(u=unit, y=year, m=month)
    assert identify_period(report, file_name, file=FILE) == (f"{year:04d}-{month:02d}", [])


@FAST
@given(st.one_of(st.none(), ANY_CELL), st.one_of(st.none(), PEOPLE_TEXT), PEOPLE_TEXT)
def test_identify_period_gives_a_month_or_one_error_finding(cell, meta, file_name):
    report = ParsedReport(
        sheet="Báo cáo", period_value=cell, period_cell="C4", meta={"period": meta} if meta else {}
    )
    period, findings = identify_period(report, file_name, file=FILE)
    errors = [f for f in findings if f.severity == "error"]
    if period is None:
        assert [f.rule for f in errors] == ["file.unknown_period"]
    else:
        assert PERIOD.fullmatch(period) and errors == []
    assert all(f.file == FILE and f.message and f.rule in MESSAGES for f in findings)


@FAST
@given(st.text())
@example("0000-05")
@example("9999-12")
@example("2025-3")
@example(" 2025-03\n")
@example("٢٠٢٥-٠٣")
def test_period_argument_is_a_period_or_a_value_error(text):
    try:
        period = Period.parse(text)
    except ValueError:
        with pytest.raises(argparse.ArgumentTypeError):
            _period(text)
        return
    assert 1 <= period.month <= 12
    # every period the command line accepts can be collected: its days, neighbours and plan start exist
    assert dt.date(period.year - 1, 1, 1) < period.previous().day(1) < period.day(31) < period.next().day(31)
    assert _period(text) == period


@FAST
@given(st.integers(2000, 2100), st.integers(1, 12))
def test_a_period_written_yyyy_mm_parses_back_to_itself(year, month):
    period = Period(year, month)
    assert Period.parse(str(period)) == period
    assert Period.parse(f"{year}-{month}") == period
    assert parse_period_text(period.label) == str(period)  # what the template's Kỳ báo cáo cell shows
    assert period.next().previous() == period


@FAST
@given(st.text())
@example("2025-05-18T08:00")
@example("2025-05-18 08:00:00+07:00")
@example("9999-12-31T23:59:59-23:59")
def test_as_of_argument_is_a_moment_or_a_bad_argument(text):
    try:
        moment = _as_of(text)
    except argparse.ArgumentTypeError:
        return
    assert isinstance(moment, dt.datetime)


# --- the plan's deadline words (SPEC §4) ---------------------------------------------------------------------


@FAST
@given(st.one_of(PEOPLE_TEXT, ANY_CELL))
@example("hoàn thành trong tháng 3/0000")
@example("năm 0000")
@example("quý II/0000")
@example("6 tháng đầu năm 0000")
@example("0000 - 0000")
@example("trước ngày 31/12/9999, năm 9999")
@example(10**5000)
def test_deadline_words_never_raise_and_keep_their_contract(words):
    meaning = parse_deadline_words(words)
    assert meaning.deadline is None or type(meaning.deadline) is dt.date
    assert isinstance(meaning.recurring, bool) and isinstance(meaning.understood, bool)
    if meaning.understood:
        assert meaning.deadline is not None or meaning.recurring


ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@FAST
@given(st.data(), st.integers(1000, 9999), st.integers(1, 12), st.integers(1, 4))
def test_deadline_words_in_any_case_or_accents_mean_the_same(data, year, month, quarter):
    cases = {
        f"Hoàn thành trong tháng {month}/{year}": (month_end(year, month), False),
        "Thực hiện thường xuyên": (None, True),
        f"Hoàn thành trong tháng {month}/{year} và thực hiện thường xuyên": (month_end(year, month), True),
        f"Trước ngày {month_end(year, month).day}/{month}/{year}": (month_end(year, month), False),
        f"{month_end(year, month):%d/%m/%Y}": (month_end(year, month), False),
        f"Quý {ROMAN[quarter]}/{year}": (quarter_end(year, quarter), False),
        f"quý {quarter} năm {year}": (quarter_end(year, quarter), False),
        f"Năm {year}": (dt.date(year, 12, 31), False),
    }
    words = data.draw(st.sampled_from(sorted(cases)))
    meaning = parse_deadline_words(data.draw(retyped(words)))
    assert (meaning.deadline, meaning.recurring, meaning.understood) == (*cases[words], True), words


# --- unit names: the Đơn vị cell, file names, senders ----------------------------------------------------------


@FAST
@given(ANY_CELL, PEOPLE_TEXT, st.one_of(st.none(), PEOPLE_TEXT), st.one_of(st.none(), PEOPLE_TEXT))
@example(10**5000, "x.xlsx", None, None)
def test_identify_unit_gives_a_unit_of_the_plan_or_one_error_finding(cell, file_name, sender, meta_code):
    report = ParsedReport(
        sheet="Báo cáo", unit_text=cell, unit_cell="C3", meta={"unit_code": meta_code} if meta_code else {}
    )
    unit, findings = identify_unit(report, file_name, sender, PLAN, file=FILE)
    errors = [f for f in findings if f.severity == "error"]
    if unit is None:
        assert [f.rule for f in errors] == ["file.unknown_unit"]
    else:
        assert PLAN.unit(unit) is not None and errors == []
    assert isinstance(known_sender(sender, PLAN), bool)


UNIT_SPELLINGS = [(unit.code, text) for unit in PLAN.units for text in (unit.name, unit.code, *unit.aliases)]


@FAST
@given(st.data(), st.sampled_from(UNIT_SPELLINGS))
def test_a_unit_name_in_any_case_accents_or_spacing_is_that_unit(data, spelling):
    code, text = spelling
    typed = data.draw(retyped(text))
    report = ParsedReport(sheet="Báo cáo", unit_text=typed, unit_cell="C3")
    assert identify_unit(report, "bao-cao.xlsx", None, PLAN, file=FILE) == (code, []), typed


# --- whole rows, with every cell hostile -----------------------------------------------------------------------


@QUICK
@given(
    st.lists(
        st.tuples(st.sampled_from(["2.2", "3.1", "NV 3.2", 3.4, None, "9.9"]), *[ANY_CELL] * 5), max_size=5
    )
)
def test_rows_of_hostile_cells_give_reports_and_findings_never_an_exception(cells):
    rows = []
    for number, (code, role, status, done_on, progress, results) in enumerate(cells, start=7):
        values = dict.fromkeys(HEADER_LABELS)
        values.update(zip(HEADER_LABELS[0:1] + HEADER_LABELS[2:3] + HEADER_LABELS[4:8],
                          (code, role, status, done_on, progress, results), strict=True))  # fmt: skip
        refs = {label: f"{chr(65 + i)}{number}" for i, label in enumerate(HEADER_LABELS)}
        rows.append(ParsedRow(number=number, values=values, refs=refs))
    parsed = ParsedReport(sheet="Báo cáo", header_row=6, rows=rows)
    received = dt.datetime(2025, 3, 14, 9, 0, tzinfo=TZ)
    reports, findings = validate_rows(
        parsed, PLAN, "VP", "2025-03", received, file=FILE, plan_start=dt.date(2024, 1, 1)
    )
    for report in reports:
        assert report.status in ("not_started", "in_progress", "done")
        assert report.progress is None or 0 <= report.progress <= 100
        assert report.completed_on is None or report.completed_on <= received.date()
        assert unicodedata.is_normalized("NFC", report.results)
    assert all(
        f.rule in MESSAGES and f.message and f.severity in ("error", "warning", "info") for f in findings
    )


# --- the register's marks and the coordinator's .env -------------------------------------------------------------


@FAST
@given(ANY_CELL)
@example(10**5000)
def test_recurring_mark_is_yes_no_or_not_understood(value):
    assert _is_recurring_mark(value) in (True, False, None)


@FAST
@given(st.data(), st.sampled_from(["x", "X", "có", "Thường xuyên"]))
def test_a_recurring_mark_in_any_form_is_yes(data, mark):
    assert _is_recurring_mark(data.draw(retyped(mark, full_stop=False))) is True


SETTING_KEYS = sorted(k for k in DEFAULTS if k != "TIMEZONE" and not k.endswith("_DIR"))


@QUICK
@given(st.dictionaries(st.sampled_from(SETTING_KEYS), PEOPLE_TEXT, max_size=4))
@example({"MAX_FILE_MB": "9" * 5000})
@example({"REMIND_TIME": "٠٨:٣٠"})
@example({"WORKERS": " 2 "})
def test_env_values_give_settings_or_one_input_error(values):
    try:
        loaded = Settings.from_values(Path("/nonexistent-workspace"), values)
    except InputError as error:
        assert error.message
        return
    assert loaded.max_file_mb >= 1 and loaded.lock_timeout_seconds >= 0


@pytest.mark.parametrize("zone", ["Asia/Ho_Chi_Minh", "UTC", "Asia/", "../etc/passwd", "Không có"])
def test_a_timezone_is_a_zone_or_an_input_error(zone):
    try:
        loaded = Settings.from_values(Path("/nonexistent-workspace"), {"TIMEZONE": zone})
    except InputError:
        assert zone not in ("Asia/Ho_Chi_Minh", "UTC")
        return
    assert str(loaded.timezone) == zone


@pytest.mark.parametrize("zone", ["Asia", "a" * 300], ids=["a-folder", "too-long"])
def test_a_timezone_that_names_a_folder_or_is_too_long_is_an_input_error(zone):
    with pytest.raises(InputError):
        Settings.from_values(Path("/nonexistent-workspace"), {"TIMEZONE": zone})


# --- the text normalisers everything above relies on --------------------------------------------------------------


@FAST
@given(ANY_CELL)
@example(10**5000)
def test_normalisers_never_raise_and_are_idempotent(value):
    text = nfc(value)
    assert nfc(text) == text
    key = fold(value)
    assert fold(key) == key and key == key.strip()
    assert clean_text(clean_text(value)) == clean_text(value)
