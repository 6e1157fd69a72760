"""Read stage on files that went through real LibreOffice ("Save as" .xlsx, .xls, .ods), as units' do."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest

from automation.read.report import read_report, read_report_bytes
from automation.templates.generate import (
    COL_CODE,
    COL_CONTENT,
    COL_DIFFICULTIES,
    COL_DONE_ON,
    COL_PROGRESS,
    COL_RESULTS,
    COL_ROLE,
    COL_STATUS,
    HEADER_LABELS,
    TEMPLATE_LABELS,
)
from tests.support.unit_files import fill_template, make_templates, round_trip

pytestmark = pytest.mark.libreoffice

FORMATS = ("xlsx", "xls", "ods")


def _percent(ws) -> None:
    ws["G12"] = 0.6  # CCVC's second task (4.1): "60%" typed into a number cell
    ws["G12"].number_format = "0%"


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, dict[str, Path]]:
    """The filled templates of two units, and the same files saved by LibreOffice in each format."""
    tmp = tmp_path_factory.mktemp("libreoffice")
    templates = make_templates(tmp)
    filled = tmp / "filled"
    vp = fill_template(
        templates["VP"],
        filled / "VP_2025-05.xlsx",
        {
            "2.2": {
                COL_STATUS: "Hoàn thành",
                COL_DONE_ON: dt.date(2025, 5, 10),
                COL_PROGRESS: 100,
                COL_RESULTS: "Đã ban hành quy trình nội bộ",
            },
            "3.1": {COL_STATUS: "Đang thực hiện", COL_PROGRESS: 60, COL_DIFFICULTIES: "Thiếu kinh phí"},
            "3.2": {COL_STATUS: "Hoàn thành", COL_DONE_ON: "05/03/2025", COL_PROGRESS: "100"},
            "3.4": {COL_STATUS: "Đang thực hiện", COL_PROGRESS: "=1+1"},
        },
    )
    ccvc = fill_template(
        templates["CCVC"],
        filled / "CCVC_2025-05.xlsx",
        {
            "3.3": {COL_STATUS: "Hoàn thành", COL_DONE_ON: dt.date(2025, 5, 20), COL_PROGRESS: 100},
            "4.1": {COL_STATUS: "Đang thực hiện"},
            "4.2": {COL_STATUS: "Đang thực hiện", COL_RESULTS: "#N/A"},
        },
        extra_rows=[{COL_CODE: "2.1", COL_CONTENT: "Góp ý quy trình", COL_STATUS: "Hoàn thành"}],
        edit=_percent,
    )
    result = {"original": {"VP": vp, "CCVC": ccvc}}
    for target in FORMATS:
        converted = round_trip([vp, ccvc], target, tmp / target)
        result[target] = dict(zip(("VP", "CCVC"), converted, strict=True))
    return result


def _row(report, code: str):
    return next(row for row in report.rows if row.values[COL_CODE] == code)


@pytest.mark.parametrize("target", FORMATS)
def test_round_tripped_files_read_the_same_values_and_refs(files, target):
    for unit in ("VP", "CCVC"):
        original = read_report(files["original"][unit], f"{unit}.xlsx")
        converted = read_report(files[target][unit], f"{unit}.{target}")
        assert converted.findings == [], (unit, target)
        assert converted.sheet == "Báo cáo" and converted.header_row == original.header_row == 10
        assert converted.columns == dict(zip(TEMPLATE_LABELS, "ABCDEFGHIJKL", strict=True))
        assert (converted.unit_text, converted.unit_cell) == (original.unit_text, original.unit_cell)
        assert (converted.period_value, converted.period_cell) == ("05/2025", "B8")
        assert converted.meta == original.meta and converted.meta["unit_code"] == unit
        assert [row.number for row in converted.rows] == [row.number for row in original.rows]
        for before, after in zip(original.rows, converted.rows, strict=True):
            assert after.refs == before.refs
            for label in HEADER_LABELS:
                if before.refs[label] in original.formula_cells:
                    continue  # openpyxl wrote no cached value; LibreOffice computed one
                assert after.values[label] == before.values[label], (unit, target, before.refs[label])


@pytest.mark.parametrize("target", FORMATS)
def test_round_tripped_values_keep_their_kinds(files, target):
    vp = read_report(files[target]["VP"], "VP")
    done = _row(vp, "2.2")
    assert done.values[COL_DONE_ON] == dt.date(2025, 5, 10) and done.values[COL_PROGRESS] == 100
    assert done.refs[COL_STATUS] == "E11" and done.values[COL_STATUS] == "Hoàn thành"
    assert _row(vp, "3.2").values[COL_DONE_ON] == "05/03/2025"  # text dates stay text
    assert _row(vp, "3.2").values[COL_PROGRESS] == "100"
    assert vp.unit_text == "Văn phòng Sở" and vp.unit_cell == "B7"
    ccvc = read_report(files[target]["CCVC"], "CCVC")
    assert ccvc.unit_text == "Phòng Công chức, viên chức"
    assert _row(ccvc, "4.1").values[COL_PROGRESS] == "60%"
    support = _row(ccvc, "2.1")
    assert support.values[COL_ROLE] == "Phối hợp" and support.values[COL_STATUS] == "Hoàn thành"


@pytest.mark.parametrize("target", FORMATS)
def test_formula_is_detected_and_its_cached_value_read(files, target):
    original = read_report(files["original"]["VP"], "VP")
    assert original.formula_cells == {"G14"} and _row(original, "3.4").values[COL_PROGRESS] is None
    vp = read_report(files[target]["VP"], "VP")
    assert vp.formula_cells == {"G14"}
    assert _row(vp, "3.4").values[COL_PROGRESS] == 2  # LibreOffice computed and cached =1+1


@pytest.mark.parametrize("target", FORMATS)
def test_error_value_survives_the_round_trip(files, target):
    ccvc = read_report(files[target]["CCVC"], "CCVC")
    row = _row(ccvc, "4.2")
    assert row.values[COL_RESULTS] == "#N/A"
    # LibreOffice stores an error constant as the formula =#N/A
    assert row.refs[COL_RESULTS] in ccvc.formula_cells


def test_ods_row_repeated_a_million_times_is_refused_before_loading(files):
    source = files["ods"]["VP"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in archive.infolist():
            data = archive.read(info)
            if info.filename == "content.xml":  # the first task row, repeated as LibreOffice repeats rows
                row = data.find(b"<table:table-row", data.find("Văn bản, minh chứng".encode()))
                data = (
                    data[:row] + b'<table:table-row table:number-rows-repeated="1000000"' + data[row + 16 :]
                )
            target.writestr(info, data, compress_type=info.compress_type)
    report = read_report_bytes(buffer.getvalue(), "VP.ods")
    assert [f.rule for f in report.findings] == ["file.sheet_too_large"]
