"""The unit templates after a trip through real LibreOffice "Save as" (.xlsx, .xls, .ods), read back the way
the collect stage reads files: with python-calamine, by label, never by fixed row (SPEC §5).

One soffice call per target format (module-scoped fixture); without LibreOffice these tests skip, and fail
under BAOCAO_REQUIRE_ALL=1.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import zipfile
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook, SheetVisibleEnum

from automation.check.validate import validate_rows
from automation.domain.dates import Period
from automation.plan.default_plan import default_plan
from automation.read.report import read_report
from automation.settings import MASTER_NAME
from automation.templates.generate import (
    COL_CODE,
    COL_CONTENT,
    COL_DEADLINE,
    COL_EVIDENCE,
    COL_EXTENSION,
    COL_PROGRESS,
    COL_PROPOSALS,
    COL_RESULTS,
    COL_ROLE,
    COL_STATUS,
    HEADER_LABELS,
    LABEL_PERIOD,
    LABEL_UNIT,
    ROLE_LEAD,
    SHEET_META,
    SHEET_REPORT,
    STATUS_VALUES,
    write_templates,
)
from automation.templates.master import build_master
from automation.templates.sample_files import fill_template
from tests.support.libreoffice import convert
from tests.support.old_master import master_without_extension

pytestmark = pytest.mark.libreoffice

PERIOD = Period(2025, 3)
GENERATED_AT = dt.datetime(2025, 3, 1, 8, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
FORMATS = ("xlsx", "xls", "ods")
MASTERS = ("master", "master-old")  # converted to .xlsx only
REQUEST = {  # VP's task 2.2, asking for its deadline (31/05/2025) to move to 31/07/2025
    COL_STATUS: "Đang thực hiện",
    COL_PROGRESS: 50,
    COL_RESULTS: "Đã xây dựng dự thảo",
    COL_PROPOSALS: "Chờ hướng dẫn của Bộ Nội vụ",
    COL_EXTENSION: dt.datetime(2025, 7, 31),
}


@pytest.fixture(scope="module")
def originals(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("lo-src")
    master = root / MASTER_NAME
    build_master(master)
    old = master_without_extension(master, root / "mau-cu.xlsx")
    paths = write_templates(default_plan(), master, root / "mau", PERIOD, 16, GENERATED_AT)
    units = {p.name.split("_")[0]: p for p in paths}
    filled = fill_template(units["VP"], root / "da-dien" / "VP-da-dien_2025-03.xlsx", {"2.2": REQUEST})
    return {"master": master, "master-old": old} | units | {"filled": filled}


@pytest.fixture(scope="module")
def converted(originals, tmp_path_factory) -> dict[str, dict[str, Path]]:
    """{format: {unit code or "master": converted path}}; the master rides along in the .xlsx call."""
    result: dict[str, dict[str, Path]] = {}
    for fmt in FORMATS:
        keys = list(originals) if fmt == "xlsx" else [k for k in originals if k not in MASTERS]
        outputs = convert([originals[k] for k in keys], fmt, tmp_path_factory.mktemp(f"lo-{fmt}"))
        result[fmt] = dict(zip(keys, outputs, strict=True))
    return result


def _report(path: Path) -> list[list[object]]:
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(SHEET_REPORT)
    return sheet.to_python(skip_empty_area=False)


def _header(rows: list[list[object]]) -> tuple[int, dict[str, int]]:
    for index, row in enumerate(rows):
        cols = {str(v).strip(): i for i, v in enumerate(row) if isinstance(v, str)}
        if all(label in cols for label in HEADER_LABELS):
            return index, {label: cols[label] for label in HEADER_LABELS}
    raise AssertionError("no header row")


def _right_of(rows: list[list[object]], label: str) -> object:
    for row in rows:
        for i, value in enumerate(row):
            if isinstance(value, str) and value.strip() == label:
                return row[i + 1]
    raise AssertionError(f"no {label}")


def _lead_rows(rows: list[list[object]]) -> list[dict[str, object]]:
    index, cols = _header(rows)
    found = []
    for row in rows[index + 1 :]:
        if row[cols[COL_ROLE]] == ROLE_LEAD:
            found.append({label: row[col] for label, col in cols.items()})
    return found


@pytest.mark.parametrize("fmt", FORMATS)
def test_header_labels_survive_in_order(converted, fmt):
    for path in converted[fmt].values():
        if path.stem.startswith("mau"):
            continue
        rows = _report(path)
        index, cols = _header(rows)
        assert [rows[index][c] for c in sorted(cols.values())] == list(HEADER_LABELS)


@pytest.mark.parametrize("fmt", FORMATS)
def test_prefilled_task_rows_survive_with_deadlines_as_dates(converted, fmt):
    plan = default_plan()
    for code in ("TDKT", "TCBC", "VP", "CCVC"):
        tasks = plan.tasks_led_by(code)
        rows = _lead_rows(_report(converted[fmt][code]))
        assert [r[COL_CODE] for r in rows] == [t.code for t in tasks]
        for row, task in zip(rows, tasks, strict=True):
            assert str(row[COL_CONTENT]).startswith(task.content)
            if task.deadline is not None:
                value = row[COL_DEADLINE]
                assert isinstance(value, dt.date), (fmt, task.code, value)
                day = value.date() if isinstance(value, dt.datetime) else value
                assert day == task.deadline
            else:
                assert row[COL_DEADLINE] == "Thường xuyên"


@pytest.mark.parametrize("fmt", FORMATS)
def test_period_value_survives_as_text_03_2025(converted, fmt):
    for code in ("TDKT", "VP"):
        assert _right_of(_report(converted[fmt][code]), LABEL_PERIOD) == "03/2025"


@pytest.mark.parametrize("fmt", FORMATS)
def test_unit_name_survives(converted, fmt):
    names = {u.code: u.name for u in default_plan().units}
    for code in names:
        assert _right_of(_report(converted[fmt][code]), LABEL_UNIT) == names[code]


@pytest.mark.parametrize("fmt", FORMATS)
def test_meta_sheet_stays_hidden(converted, fmt):
    meta = {m.name: m for m in CalamineWorkbook.from_path(str(converted[fmt]["VP"])).sheets_metadata}
    assert SHEET_META in meta
    # LibreOffice has no "very hidden": it keeps the sheet hidden, which is what matters to a unit
    assert meta[SHEET_META].visible in (SheetVisibleEnum.Hidden, SheetVisibleEnum.VeryHidden)
    assert meta[SHEET_REPORT].visible == SheetVisibleEnum.Visible


def test_status_dropdown_survives_in_libreoffice_xlsx(converted):
    wb = load_workbook(converted["xlsx"]["VP"])
    ws = wb[SHEET_REPORT]
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert len(lists) == 1
    assert lists[0].formula1 == '"' + ",".join(STATUS_VALUES) + '"'
    assert lists[0].prompt  # the input message survives too
    assert ws.protection.sheet


def test_status_dropdown_survives_in_ods(converted):
    with zipfile.ZipFile(converted["ods"]["VP"]) as zf:
        content = zf.read("content.xml").decode("utf-8")
    validations = re.findall(r"<table:content-validation .*?</table:content-validation>", content, re.S)
    assert validations
    lists = [v for v in validations if "cell-content-is-in-list" in v]
    assert len(lists) == 1
    assert all(f"&quot;{status}&quot;" in lists[0] or f'"{status}"' in lists[0] for status in STATUS_VALUES)


def test_master_saved_by_libreoffice_still_generates_templates(converted, tmp_path):
    (path,) = write_templates(
        default_plan(), converted["xlsx"]["master"], tmp_path, PERIOD, 16, GENERATED_AT, unit_codes=["VP"]
    )
    rows = _report(path)
    assert [r[COL_CODE] for r in _lead_rows(rows)] == ["2.2", "3.1", "3.2", "3.4"]
    assert _right_of(rows, LABEL_PERIOD) == "03/2025"
    assert _right_of(rows, LABEL_UNIT) == "Văn phòng Sở"
    ws = load_workbook(path)[SHEET_REPORT]
    assert any(dv.type == "list" for dv in ws.data_validations.dataValidation)
    assert COL_STATUS in [c.value for row in ws.iter_rows() for c in row]


# --- the extension request column (SPEC §15) -------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_extension_column_survives_last_and_a_date_typed_in_it_is_the_request(converted, fmt):
    for key in ("VP", "filled"):
        rows = _report(converted[fmt][key])
        index, cols = _header(rows)
        header = [v.strip() if isinstance(v, str) else v for v in rows[index]]
        column = header.index(COL_EXTENSION)
        assert column == cols[COL_EVIDENCE] + 1 and not [v for v in header[column + 1 :] if v]
    parsed = read_report(converted[fmt]["filled"], f"VP_2025-03.{fmt}")
    assert COL_EXTENSION in parsed.columns
    received = dt.datetime(2025, 3, 10, 9, 0)
    reports, findings = validate_rows(
        parsed, default_plan(), "VP", "2025-03", received, file="VP", plan_start=None
    )
    (report,) = [r for r in reports if r.task == "2.2"]
    assert report.extension_to == dt.date(2025, 7, 31), (fmt, report)
    assert report.proposals == REQUEST[COL_PROPOSALS]
    assert not [f for f in findings if f.rule == "row.bad_extension_date"]
    assert {r.extension_to for r in reports if r.task != "2.2"} <= {None}


def test_the_extension_date_rule_and_message_survive_in_libreoffice_xlsx(converted):
    ws = load_workbook(converted["xlsx"]["VP"])[SHEET_REPORT]
    header_row = next(r for r in range(1, 30) if ws.cell(r, 1).value == COL_CODE)
    letter = next(c.column_letter for c in ws[header_row] if c.value == COL_EXTENSION)
    rules = [dv for dv in ws.data_validations.dataValidation if letter in str(dv.sqref)]
    assert len(rules) == 1 and rules[0].type == "date"
    assert "Chỉ điền khi đề nghị điều chỉnh thời hạn" in rules[0].prompt
    assert not ws.cell(header_row + 1, ws[f"{letter}1"].column).protection.locked


def test_an_older_master_saved_by_libreoffice_gains_the_column(converted, tmp_path):
    (path,) = write_templates(
        default_plan(), converted["xlsx"]["master-old"], tmp_path, PERIOD, 16, GENERATED_AT, unit_codes=["VP"]
    )
    rows = _report(path)
    index, cols = _header(rows)
    assert [v for v in rows[index] if v][-1] == COL_EXTENSION
    ws = load_workbook(path)[SHEET_REPORT]
    spans = sorted((d.min, d.max) for d in ws.column_dimensions.values() if d.min)
    assert all(a[1] < b[0] for a, b in itertools.pairwise(spans)), spans  # no overlapping groups
    column = cols[COL_EVIDENCE] + 2  # 1-based, right after Văn bản, minh chứng
    assert (column, column) in spans
    assert [dv.type for dv in ws.data_validations.dataValidation].count("date") == 2
