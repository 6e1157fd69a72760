"""Identify stage (SPEC §6 "Unit", "Period"): sources in order, and a warning when they disagree."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from automation.check.identify import identify_period, identify_unit, parse_period_text
from automation.domain.model import ParsedReport
from automation.plan.default_plan import default_plan

FILE = "inbox/x.xlsx"
SHEET = "Báo cáo"
PLAN = default_plan()
PLAN_WITH_EMAILS = dataclasses.replace(
    PLAN,
    units=tuple(
        dataclasses.replace(unit, emails=(f"{unit.code.lower()}@snv.gov.vn",)) for unit in PLAN.units
    ),
)


def parsed(
    unit_text: str | None = None, period: object = None, meta: dict[str, str] | None = None
) -> ParsedReport:
    """What the reader found: the label cells (B3, B4) and the _meta sheet when it survived."""
    return ParsedReport(
        sheet=SHEET,
        header_row=6,
        unit_text=unit_text,
        unit_cell="B3",
        period_value=period,
        period_cell="B4",
        meta=meta or {},
    )


def unit_of(report: ParsedReport, file_name: str = "bao-cao.xlsx", sender: str | None = None, plan=PLAN):
    return identify_unit(report, file_name, sender, plan, file=FILE)


# --- unit ------------------------------------------------------------------------------------------------


def test_unit_from_meta_comes_first():
    assert unit_of(parsed("Văn phòng Sở", meta={"unit_code": "VP"}), "VP_2025-03.xlsx") == ("VP", [])


def test_meta_code_that_is_not_a_unit_of_the_plan_is_passed_over():
    assert unit_of(parsed("Phòng Công chức, viên chức", meta={"unit_code": "XYZ"})) == ("CCVC", [])


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("Văn phòng Sở", "VP"),
        ("VĂN PHÒNG SỞ", "VP"),
        ("van phong so", "VP"),
        ("  Văn   phòng\nSở ", "VP"),
        (unicodedata.normalize("NFD", "Văn phòng Sở"), "VP"),
        ("VP", "VP"),
        ("VĂN PHÒNG SỞ NỘI VỤ", "VP"),
        ("Văn phòng Sở Nội vụ tỉnh Hải Dương", "VP"),
        ("Phòng TCBC và CCHC", "TCBC"),
        ("Phòng Tổ chức biên chế và Cải cách hành chính", "TCBC"),
        ("Ban TĐKT", "TDKT"),
        ("Ban Thi đua - Khen thưởng", "TDKT"),
        ("Phòng Công chức viên chức", "CCVC"),
    ],
)
def test_unit_cell_matches_names_codes_and_aliases_whatever_the_case_accents_or_spacing(text, unit):
    assert unit_of(parsed(text)) == (unit, [])


def test_unit_cell_naming_two_units_is_ambiguous_and_the_next_source_decides():
    report = parsed("Văn phòng Sở và Phòng Công chức, viên chức")
    assert unit_of(report, "TCBC_2025-03.xlsx") == ("TCBC", [])


@pytest.mark.parametrize(
    ("file_name", "unit"),
    [
        ("VP_2025-05.xlsx", "VP"),
        ("inbox/email/msg.eml/vp_2025-05.xlsx", "VP"),
        ("bao cao thang 5 - Van phong So.xls", "VP"),
        ("Báo cáo tháng 3 Phòng CCVC.ods", "CCVC"),
        ("TDKT.xlsx", "TDKT"),
        ("TCBC-T3.2025.xlsx", "TCBC"),
    ],
)
def test_unit_from_a_code_or_alias_in_the_file_name(file_name, unit):
    assert unit_of(parsed(), file_name) == (unit, [])


@pytest.mark.parametrize(
    "file_name", ["VPS_2025-05.xlsx", "BaoCaoVP.xlsx", "kpvp.xlsx", "bao cao thang 3.xlsx"]
)
def test_a_code_inside_another_word_of_the_file_name_is_not_a_match(file_name):
    unit, findings = unit_of(parsed(), file_name)
    assert unit is None and [f.rule for f in findings] == ["file.unknown_unit"]


def test_unit_from_the_senders_address_last():
    assert unit_of(parsed(), "bao-cao.xlsx", "Văn thư <VP@snv.gov.vn>", PLAN_WITH_EMAILS) == ("VP", [])


def test_sender_that_is_no_units_address_gives_no_unit():
    unit, findings = unit_of(parsed(), "bao-cao.xlsx", "ai.do@gmail.com", PLAN_WITH_EMAILS)
    assert unit is None and findings[0].rule == "file.unknown_unit"


def test_sources_that_disagree_give_a_warning_naming_both_and_the_first_wins():
    unit, findings = unit_of(
        parsed("Phòng Công chức, viên chức", meta={"unit_code": "VP"}), "VP_2025-03.xlsx"
    )
    assert unit == "VP"
    (finding,) = findings
    assert (finding.severity, finding.rule, finding.unit, finding.cell) == (
        "warning",
        "file.unit_mismatch",
        "VP",
        "B3",
    )
    assert "Văn phòng Sở (VP)" in finding.message and "Phòng Công chức, viên chức (CCVC)" in finding.message
    assert "_meta" in finding.message


def test_file_name_disagreeing_with_the_unit_cell_is_a_warning():
    unit, findings = unit_of(parsed("Ban Thi đua - Khen thưởng"), "VP_2025-03.xlsx")
    assert unit == "TDKT"
    assert [(f.rule, f.severity) for f in findings] == [("file.unit_mismatch", "warning")]
    assert "tên tệp" in findings[0].message


def test_sender_disagreeing_is_a_warning_too():
    unit, findings = unit_of(parsed("Văn phòng Sở"), "x.xlsx", "ccvc@snv.gov.vn", PLAN_WITH_EMAILS)
    assert unit == "VP" and findings[0].rule == "file.unit_mismatch"


def test_no_unit_is_an_error_telling_the_unit_to_use_its_template():
    unit, findings = unit_of(parsed("Sở Nội vụ"), "bao-cao.xlsx")
    assert unit is None
    (finding,) = findings
    assert (finding.severity, finding.rule, finding.file, finding.sheet, finding.cell) == (
        "error",
        "file.unknown_unit",
        FILE,
        SHEET,
        "B3",
    )
    assert "Sở Nội vụ" in finding.message and "mẫu" in finding.message and "Đơn vị:" in finding.message


# --- period ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "03/2025",
        "3/2025",
        "tháng 3/2025",
        "Tháng 03 năm 2025",
        "THÁNG 03/2025",
        "T3/2025",
        "T03-2025",
        "2025-03",
        "3.2025",
        " 03 / 2025 ",
        "Kỳ 3/2025",
        "15/03/2025",
        "2025-03-15",
        dt.date(2025, 3, 1),
        dt.datetime(2025, 3, 1, 0, 0),
        45717,
        45717.0,
        3.2025,
        202503,
    ],
)
def test_period_cell_forms(value):
    assert parse_period_text(value) == "2025-03"


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "abc",
        "13/2025",
        "tháng 3",
        "Quý 1/2025",
        "726/2025",
        "tháng 2/2025 và 3/2025",
        True,
        7,
        -1.5,
        float("nan"),
        10**400,
    ],
)
def test_period_text_without_one_month_is_none(value):
    assert parse_period_text(value) is None


@pytest.mark.parametrize(
    ("file_name", "period"),
    [
        ("VP_2025-03.xlsx", "2025-03"),
        ("bao cao thang 3-2025.xlsx", "2025-03"),
        ("CCVC T3.2025.ods", "2025-03"),
        ("TDKT_thang_12_2024.xls", "2024-12"),
    ],
)
def test_period_from_the_file_name_last(file_name, period):
    assert identify_period(parsed(), file_name, file=FILE) == (period, [])


def test_period_from_the_cell_comes_first():
    report = parsed(period="03/2025", meta={"period": "2025-03"})
    assert identify_period(report, "VP_2025-02.xlsx", file=FILE) == ("2025-03", [])


def test_period_from_meta_when_the_cell_is_blank():
    assert identify_period(parsed(meta={"period": "2025-04"}), "VP_2025-03.xlsx", file=FILE) == (
        "2025-04",
        [],
    )


def test_cell_and_meta_disagreeing_is_a_warning_and_the_cell_wins():
    period, findings = identify_period(
        parsed(period="04/2025", meta={"period": "2025-03"}), "x.xlsx", file=FILE
    )
    assert period == "2025-04"
    (finding,) = findings
    assert (finding.severity, finding.rule, finding.cell, finding.sheet) == (
        "warning",
        "file.period_mismatch",
        "B4",
        SHEET,
    )
    assert "04/2025" in finding.message and "03/2025" in finding.message


def test_unreadable_cell_falls_back_with_a_warning():
    period, findings = identify_period(parsed(period="tháng này"), "VP_2025-03.xlsx", file=FILE)
    assert period == "2025-03"
    assert [(f.rule, f.severity, f.cell) for f in findings] == [("file.bad_period", "warning", "B4")]
    assert "tháng này" in findings[0].message and "tên tệp" in findings[0].message


def test_no_period_is_an_error_asking_for_mm_yyyy():
    period, findings = identify_period(parsed(period="tháng này"), "bao-cao.xlsx", file=FILE)
    assert period is None
    (finding,) = findings
    assert (finding.severity, finding.rule, finding.file, finding.cell) == (
        "error",
        "file.unknown_period",
        FILE,
        "B4",
    )
    assert "MM/YYYY" in finding.message and "tháng này" in finding.message


# --- properties ------------------------------------------------------------------------------------------

_PERIOD = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


@given(
    st.one_of(
        st.none(),
        st.text(),
        st.integers(),
        st.floats(),
        st.booleans(),
        st.dates(),
        st.datetimes(),
        st.from_regex(r"(T|tháng |Tháng )?\d{1,3}[/.-]\d{1,5}", fullmatch=True),
    )
)
def test_parse_period_text_never_raises_and_returns_yyyy_mm_or_none(value):
    result = parse_period_text(value)
    assert result is None or _PERIOD.fullmatch(result)


@given(
    st.integers(2000, 2100),
    st.integers(1, 12),
    st.sampled_from(["{m}/{y}", "{m:02d}/{y}", "tháng {m}/{y}", "T{m}/{y}", "T{m:02d}-{y}", "{y}-{m:02d}"]),
)
def test_every_written_form_gives_back_its_month(year, month, form):
    assert parse_period_text(form.format(m=month, y=year)) == f"{year:04d}-{month:02d}"


def test_known_sender_matches_a_unit_address_with_or_without_a_display_name():
    from dataclasses import replace

    from automation.check.identify import known_sender
    from automation.plan.default_plan import default_plan

    base = default_plan()
    plan = replace(base, units=(replace(base.units[2], emails=("vanphong@snv.example.vn",)), *base.units[3:]))
    assert known_sender("VanPhong@SNV.example.vn", plan)
    assert known_sender("Văn phòng Sở <vanphong@snv.example.vn>", plan)
    assert not known_sender("la@example.com", plan)
    assert not known_sender(None, plan)
