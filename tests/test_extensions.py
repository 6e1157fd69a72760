"""Deadline extensions (SPEC §15, issue 14 item 4): a unit asks in the optional last column ``Đề nghị gia
hạn đến``; the coordinator grants one in the register's ``Thời hạn điều chỉnh`` / ``Căn cứ điều chỉnh``;
evaluation then uses the adjusted deadline and the outputs show both."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo

from docx import Document
from openpyxl import load_workbook

from automation.cli import main
from automation.domain.contract import COL_EXTENSION, COL_PROPOSALS
from automation.domain.dates import Period
from automation.plan.register import read_register
from automation.plan.register_write import write_register
from automation.run.workspace import init_workspace
from automation.settings import Settings
from automation.templates.generate import COL_PROGRESS, COL_RESULTS, COL_STATUS, write_templates
from automation.templates.sample_files import fill_template

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MAY = Period(2025, 5)
BASIS = "Công văn 123/SNV-VP ngày 10/05/2025"


def _workspace(tmp_path: Path, granted: bool, old_template: bool = False) -> Path:
    """Collect a TDKT file whose task 1.1 (deadline 30/04/2025) asks in ``Đề nghị gia hạn đến`` for 31/07/2025;
    ``old_template``: the file comes from a template without that column (written before issue 14)."""
    folder = tmp_path / "ws"
    init_workspace(folder)
    settings = Settings.load(folder)
    plan = read_register(settings.register_path).plan
    tasks = []
    for task in plan.tasks:
        if task.code == "1.1":
            task = replace(task, deadline=dt.date(2025, 4, 30), recurring=False)
            if granted:
                task = replace(task, deadline=dt.date(2025, 6, 30), original_deadline=dt.date(2025, 4, 30),
                               adjustment_basis=BASIS)  # fmt: skip
        tasks.append(task)
    write_register(replace(plan, tasks=tuple(tasks)), settings.register_path)
    plan = read_register(settings.register_path).plan
    assert plan.task("1.1").original_deadline == (dt.date(2025, 4, 30) if granted else None)
    start = dt.datetime(2025, 5, 1, 8, tzinfo=TZ)
    write_templates(plan, settings.master_path, settings.period_dir(MAY) / "mau", MAY, 16, start)
    template = settings.period_dir(MAY) / "mau" / "TDKT_2025-05.xlsx"

    def drop_extension(ws) -> None:  # an older template: no optional last column
        header = next(r for r in range(1, 30) if ws.cell(r, 1).value == "Mã NV")
        column = next(c for c in range(1, 30) if ws.cell(header, c).value == COL_EXTENSION)
        ws.delete_cols(column)

    row = {COL_STATUS: "Đang thực hiện", COL_PROGRESS: 60, COL_RESULTS: "Đã triển khai",
           COL_PROPOSALS: "Chờ ý kiến của Bộ"}  # fmt: skip
    if not old_template:
        row[COL_EXTENSION] = dt.datetime(2025, 7, 31)  # typed in the template's own column
    fill_template(template, folder / "inbox" / "TDKT_2025-05.xlsx", {"1.1": row},
                  edit=drop_extension if old_template else None,
                  received_at=dt.datetime(2025, 5, 10, 9, tzinfo=TZ))  # fmt: skip
    assert main(["collect", "-w", str(folder), "-p", "2025-05", "--as-of", "2025-05-16T08:00"]) == 0
    return folder


def _task(folder: Path) -> dict:
    report = json.loads((folder / "outbox" / "2025-05" / "run-report.json").read_text(encoding="utf-8"))
    return next(t for t in report["tasks"] if t["code"] == "1.1")


def test_a_request_in_a_unit_file_is_listed_in_canh_bao_and_tom_tat(tmp_path):
    folder = _workspace(tmp_path, granted=False)
    assert _task(folder)["evaluation"] == "overdue" and _task(folder)["original_deadline"] is None
    wb = load_workbook(folder / "outbox" / "2025-05" / "tong-hop_2025-05.xlsx")
    alerts = [[str(v) for v in row if v is not None] for row in wb["Cảnh báo"].iter_rows(values_only=True)]
    asked = [row for row in alerts if "Đề nghị gia hạn" in row]
    assert len(asked) == 1 and asked[0][0] == "1.1"
    assert "31/07/2025" in asked[0][-1] and "Chờ ý kiến của Bộ" in asked[0][-1]
    summary = " ".join(str(v) for row in wb["Tóm tắt"].iter_rows(values_only=True) for v in row if v)
    assert "Đề nghị gia hạn (1)" in summary and "đề nghị gia hạn đến 31/07/2025" in summary


def test_an_extension_granted_in_the_register_turns_overdue_into_in_progress_with_both_deadlines(tmp_path):
    folder = _workspace(tmp_path, granted=True)
    task = _task(folder)
    assert task["evaluation"] == "in_progress"
    assert task["deadline"] == "2025-06-30" and task["original_deadline"] == "2025-04-30"
    wb = load_workbook(folder / "outbox" / "2025-05" / "tong-hop_2025-05.xlsx")
    rows = list(wb["Tiến độ nhiệm vụ"].iter_rows(values_only=True))
    header = next(r for r in rows if r and r[0] == "Mã NV")
    line = dict(zip(header, next(r for r in rows if r and r[0] == "1.1"), strict=False))
    assert line["Thời hạn"].date() == dt.date(2025, 6, 30)
    assert line["Thời hạn ban đầu"].date() == dt.date(2025, 4, 30)
    assert line["Căn cứ điều chỉnh"] == BASIS
    draft = Document(str(folder / "outbox" / "2025-05" / "bao-cao_2025-05.docx"))
    cells = [cell.text for table in draft.tables for row in table.rows for cell in row.cells]
    assert "30/06/2025 (điều chỉnh; ban đầu 30/04/2025)" in cells


def test_a_file_from_an_older_template_without_the_column_still_collects(tmp_path):
    folder = _workspace(tmp_path, granted=False, old_template=True)
    report = json.loads((folder / "outbox" / "2025-05" / "run-report.json").read_text(encoding="utf-8"))
    (unit,) = [u for u in report["units"] if u["code"] == "TDKT"]
    assert unit["submission"] == "on_time"
    task = _task(folder)
    assert task["evaluation"] == "overdue" and task["original_deadline"] is None
    assert not [f for f in report["findings"] if f["rule"] == "row.bad_extension_date"]
    wb = load_workbook(folder / "outbox" / "2025-05" / "tong-hop_2025-05.xlsx")
    values = [str(v) for row in wb["Cảnh báo"].iter_rows(values_only=True) for v in row if v is not None]
    assert not [v for v in values if "Đề nghị gia hạn" in v]
