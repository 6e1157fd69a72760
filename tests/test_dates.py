"""The §4 deadline words, people's day-first dates and the reporting period."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from automation.domain.dates import Period, parse_deadline_words, parse_person_date
from automation.domain.text import strip_accents

D = dt.date

# (words, deadline, recurring) — every row of SPEC §4 plus the forms the foundation issue names
DEADLINE_TABLE = [
    ("hoàn thành trong tháng 3/2025", D(2025, 3, 31), False),
    ("thực hiện thường xuyên", None, True),
    ("hoàn thành trong tháng 5/2025 và thực hiện thường xuyên", D(2025, 5, 31), True),
    ("trước ngày 30/6/2025", D(2025, 6, 30), False),
    ("30/06/2025", D(2025, 6, 30), False),
    ("quý II/2025", D(2025, 6, 30), False),
    ("quý 2 năm 2025", D(2025, 6, 30), False),
    ("năm 2025", D(2025, 12, 31), False),
    ("Tháng 3 năm 2025", D(2025, 3, 31), False),
    ("quý IV/2025", D(2025, 12, 31), False),
    ("quý I/2026", D(2026, 3, 31), False),
    ("6 tháng đầu năm 2025", D(2025, 6, 30), False),
    ("6 tháng cuối năm 2025", D(2025, 12, 31), False),
    ("30/6/2025", D(2025, 6, 30), False),
    ("trước 30/6/2025", D(2025, 6, 30), False),
    ("Hoàn thành trong tháng 2/2024", D(2024, 2, 29), False),
    ("tháng 02/2025", D(2025, 2, 28), False),
    ("T3/2025", D(2025, 3, 31), False),
    ("giai đoạn 2025 - 2030", D(2030, 12, 31), False),
    ("ngày 15 tháng 4 năm 2025", D(2025, 4, 15), False),
    ("định kỳ hằng tháng", None, True),
    ("thực hiện thường xuyên.", None, True),
]


@pytest.mark.parametrize(("words", "deadline", "recurring"), DEADLINE_TABLE)
def test_deadline_words_resolve_as_the_spec_table_says(words, deadline, recurring):
    meaning = parse_deadline_words(words)
    assert (meaning.deadline, meaning.recurring, meaning.understood) == (deadline, recurring, True)


@pytest.mark.parametrize(("words", "deadline", "recurring"), DEADLINE_TABLE)
def test_deadline_words_without_diacritics_and_in_upper_case_mean_the_same(words, deadline, recurring):
    for variant in (strip_accents(words), words.upper(), strip_accents(words).upper(), f"  {words}  "):
        meaning = parse_deadline_words(variant)
        assert (meaning.deadline, meaning.recurring) == (deadline, recurring), variant


def test_deadline_words_written_in_decomposed_unicode_mean_the_same():
    import unicodedata

    nfd = unicodedata.normalize("NFD", "hoàn thành trong tháng 3/2025 và thực hiện thường xuyên")
    assert parse_deadline_words(nfd).deadline == D(2025, 3, 31)
    assert parse_deadline_words(nfd).recurring


@pytest.mark.parametrize("words", ["sắp tới", "khi có yêu cầu", "", "31/02/2025", "tháng 13/2025"])
def test_unknown_deadline_words_give_no_date_and_are_not_understood(words):
    meaning = parse_deadline_words(words)
    assert meaning.deadline is None
    assert meaning.understood is False


def test_several_dates_in_one_phrase_resolve_to_the_latest():
    assert parse_deadline_words("từ tháng 3/2025 đến tháng 6/2025").deadline == D(2025, 6, 30)


def test_month_words_are_not_also_read_as_the_whole_year():
    assert parse_deadline_words("tháng 3 năm 2025").deadline == D(2025, 3, 31)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05/03/2025", D(2025, 3, 5)),
        ("5/3/2025", D(2025, 3, 5)),
        ("05-03-2025", D(2025, 3, 5)),
        ("5.3.2025", D(2025, 3, 5)),
        ("05/03/25", D(2025, 3, 5)),
        ("ngày 5 tháng 3 năm 2025", D(2025, 3, 5)),
        ("2025-03-05", D(2025, 3, 5)),
        ("13/12/2025", D(2025, 12, 13)),
        (dt.datetime(2025, 3, 5, 10, 30), D(2025, 3, 5)),
        (D(2025, 3, 5), D(2025, 3, 5)),
    ],
)
def test_people_write_dates_day_first(text, expected):
    assert parse_person_date(text) == expected


@pytest.mark.parametrize("text", ["", None, "12/13/2025", "31/02/2025", "hôm qua", "2025", "5/3"])
def test_text_that_is_not_one_date_gives_none(text):
    assert parse_person_date(text) is None


def test_period_parse_and_labels():
    period = Period.parse("2025-03")
    assert (str(period), period.label) == ("2025-03", "03/2025")
    assert period.day(16) == D(2025, 3, 16)
    assert Period.parse("2025-02").day(31) == D(2025, 2, 28)
    assert Period.parse("2025-01").previous() == Period(2024, 12)
    assert Period.parse("2025-12").next() == Period(2026, 1)


@pytest.mark.parametrize("text", ["2025-13", "2025-00", "25-03", "03/2025", "", "2025-3-1"])
def test_period_rejects_anything_but_year_dash_month(text):
    with pytest.raises(ValueError):
        Period.parse(text)


@given(st.text())
def test_deadline_words_never_raise(text):
    meaning = parse_deadline_words(text)
    assert meaning.deadline is None or isinstance(meaning.deadline, dt.date)
    assert isinstance(meaning.recurring, bool)
    if meaning.understood:
        assert meaning.deadline is not None or meaning.recurring


@given(st.text())
def test_person_dates_never_raise(text):
    result = parse_person_date(text)
    assert result is None or isinstance(result, dt.date)
