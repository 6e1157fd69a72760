"""Files that went through real LibreOffice (.xlsx, .xls, .ods) get the same verdicts as Excel-made ones."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from automation.cli import main
from automation.domain.dates import Period
from automation.plan.register import read_register
from automation.run.collect import collect
from automation.run.workspace import init_workspace
from automation.settings import Settings
from automation.templates.generate import COL_DONE_ON, COL_PROGRESS, COL_RESULTS, COL_STATUS, write_templates
from automation.templates.sample_files import fill_template
from tests.support.libreoffice import convert

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MAY = Period(2025, 5)
ROWS = {
    "TCBC": {"2.1": {COL_STATUS: "Hoàn thành", COL_DONE_ON: "05/05/2025", COL_PROGRESS: "100%",
                     COL_RESULTS: "Đã trình phương án"}},
    "VP": {
        "2.2": {COL_STATUS: "Đang thực hiện", COL_PROGRESS: 60, COL_RESULTS: "Đã rà soát 12/20 quy trình"},
        "3.1": {COL_STATUS: "đang triển khai", COL_PROGRESS: 30, COL_RESULTS: "Đang khảo sát"},
        "3.2": {COL_STATUS: "HT", COL_DONE_ON: dt.datetime(2025, 5, 10), COL_PROGRESS: 100, COL_RESULTS: "Xong"},
        "3.4": {COL_STATUS: "Chưa triển khai", COL_PROGRESS: 0},
    },
    "TDKT": {"1.1": {COL_STATUS: "Hoàn thành", COL_DONE_ON: "28/03/2025", COL_PROGRESS: 100, COL_RESULTS: "Xong"},
             "1.2": {COL_STATUS: "Đang thực hiện", COL_RESULTS: "Đang rà soát"}},
}  # fmt: skip


def _verdicts(result) -> dict:
    units = {u.unit.code: u.submission for u in result.units}
    tasks = {
        e.task.code: (e.evaluation, e.flags, e.report.status if e.report else None)
        for e in result.evaluations
    }
    rules = sorted((f.unit, f.task, f.rule, f.severity) for f in result.findings)
    return {"units": units, "tasks": tasks, "rules": rules}


def _workspace(root: Path) -> tuple[Settings, object]:
    init_workspace(root)
    settings = Settings.load(root)
    plan = read_register(settings.register_path).plan
    write_templates(
        plan,
        settings.master_path,
        settings.period_dir(MAY) / "mau",
        MAY,
        16,
        dt.datetime(2025, 5, 1, tzinfo=TZ),
    )
    return settings, plan


@pytest.mark.parametrize("target", ["xlsx", "xls", "ods"])
def test_libreoffice_saved_files_get_the_same_verdicts(tmp_path: Path, target: str):
    excel_settings, plan = _workspace(tmp_path / "excel")
    office_settings, _ = _workspace(tmp_path / "office")
    made = []
    for unit, rows in ROWS.items():
        template = excel_settings.period_dir(MAY) / "mau" / f"{unit}_{MAY}.xlsx"
        made.append(fill_template(template, excel_settings.inbox_dir / f"{unit}_{MAY}.xlsx", rows))
    converted = convert(made, target, office_settings.inbox_dir)
    received = dt.datetime(2025, 5, 14, 9, tzinfo=TZ).timestamp()
    for path in [*made, *converted]:
        os.utime(path, (received, received))
    as_of = dt.datetime(2025, 5, 16, 8, tzinfo=TZ)
    excel = collect(excel_settings, plan, MAY, as_of, now=as_of).result
    office = collect(office_settings, plan, MAY, as_of, now=as_of).result
    assert [f.outcome for f in office.files] == ["accepted"] * 3
    assert _verdicts(office) == _verdicts(excel)
    assert _verdicts(office)["units"] == {
        "TDKT": "on_time",
        "TCBC": "on_time",
        "VP": "on_time",
        "CCVC": "missing",
    }


def test_demo_command_runs_end_to_end(tmp_path: Path, capsys):
    assert main(["demo", str(tmp_path / "demo")]) == 0
    out = capsys.readouterr().out
    assert "Đơn vị (4): 2 đúng hạn, 1 muộn, 0 không hợp lệ, 1 chưa nộp." in out
    assert (tmp_path / "demo" / "outbox" / "2025-05" / "tong-hop_2025-05.xlsx").is_file()
    # running it again replaces the previous demo; any other non-empty folder is refused
    assert main(["demo", str(tmp_path / "demo")]) == 0
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("x", encoding="utf-8")
    assert main(["demo", str(tmp_path / "mine")]) == 1
