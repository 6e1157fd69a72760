"""Feedback on every file within one poll (SPEC §15, issue 14): each ``baocao scan`` and each poll of the
scheduler judges the files that arrived since the last one, writes the unit's feedback workbook and mails
the receipt, never twice for the same file — not at the next scan, nor at the collect.

Real servers: an aiosmtpd SMTP sink and, for the emailed file, Dovecot (``tests/support/mailserver.py``).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import sqlite3
from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from automation.cli import main
from automation.domain.dates import Period
from automation.plan.register import read_register
from automation.plan.register_write import write_register
from automation.run.month import poll
from automation.run.workspace import init_workspace
from automation.settings import Settings
from automation.templates.generate import COL_PROGRESS, COL_RESULTS, COL_STATUS, write_templates
from automation.templates.sample_files import fill_template
from automation.write.feedback import SHEET_RESULT
from tests.support.mailserver import unit_mail

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MAY = Period(2025, 5)
ADDRESSES = {"TDKT": "tdkt@sonoivu.example.vn", "VP": "vanphong@sonoivu.example.vn"}


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A workspace whose register gives TDKT and VP an address, with May's templates."""
    folder = tmp_path / "ws"
    init_workspace(folder)
    settings = Settings.load(folder)
    plan = read_register(settings.register_path).plan
    units = tuple(replace(u, emails=(ADDRESSES[u.code],)) if u.code in ADDRESSES else u for u in plan.units)
    write_register(replace(plan, units=units), settings.register_path)
    plan = read_register(settings.register_path).plan
    write_templates(
        plan, settings.master_path, settings.period_dir(MAY) / "mau", MAY, 16, at("2025-05-01T08:00")
    )
    return folder


def _filled(folder: Path, unit: str, code: str, status: str, out: Path) -> bytes:
    template = folder / "outbox" / "2025-05" / "mau" / f"{unit}_2025-05.xlsx"
    fill_template(template, out, {code: {COL_STATUS: status, COL_PROGRESS: 50, COL_RESULTS: "Đã triển khai"}})
    return out.read_bytes()


def _drop(folder: Path, data: bytes, name: str, modified: dt.datetime) -> Path:
    """A file copied into the shared folder, last modified at ``modified`` (settled long ago)."""
    path = folder / "inbox" / name
    path.write_bytes(data)
    os.utime(path, (modified.timestamp(), modified.timestamp()))
    return path


def _settings(folder: Path, *envs: dict[str, str]) -> Settings:
    values: dict[str, str] = {}
    for env in envs:
        values.update(env)
    return Settings.load(folder, values)


def _result_sheet(data: bytes) -> dict[str, str]:
    """The feedback workbook's check result: label → value."""
    ws = load_workbook(io.BytesIO(data))[SHEET_RESULT]
    return {
        str(row[0]): str(row[1] or "") for row in ws.iter_rows(values_only=True) if row[0] and len(row) > 1
    }


def test_a_broken_file_in_the_folder_is_answered_at_the_next_scan_then_its_correction_once(
    workspace, smtp_sink, tmp_path, capsys, monkeypatch
):
    folder = workspace
    settings = _settings(folder, smtp_sink.settings_env())
    broken = _filled(folder, "TDKT", "1.1", "Xong xuôi", tmp_path / "broken.xlsx")
    _drop(folder, broken, "TDKT_2025-05.xlsx", at("2025-05-14T08:55"))

    polled = poll(settings, at("2025-05-14T09:00"))

    answered = polled.acknowledged
    assert answered is not None and [r.outcome for r in answered.files] == ["rejected"]
    feedback = folder / "outbox" / "2025-05" / "phan-hoi" / "TDKT_2025-05.xlsx"
    sheet = _result_sheet(feedback.read_bytes())
    assert "Bị từ chối" in sheet.values() and "inbox/TDKT_2025-05.xlsx" in sheet.values()
    [receipt] = smtp_sink.messages
    assert receipt.to == [ADDRESSES["TDKT"]]  # a folder file: the unit's registered address
    assert receipt.subject == "Biên nhận báo cáo: TDKT_2025-05.xlsx — Bị từ chối"
    body = receipt.body()
    assert "Bị từ chối — Đúng hạn" in body
    assert "Báo cáo!E" in body and "Xong xuôi" in body  # the finding, with its cell
    assert [name for name, _ in receipt.attachments()] == ["TDKT_2025-05.xlsx"]
    assert receipt.attachments()[0][1] == feedback.read_bytes()
    # nothing of the collect's: no run, no rows, no consolidated workbook
    with sqlite3.connect(folder / ".baocao" / "ledger.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 0
        assert db.execute("SELECT COUNT(*) FROM reports").fetchone()[0] == 0
    assert not (folder / "outbox" / "2025-05" / "tong-hop_2025-05.xlsx").exists()

    corrected = _filled(folder, "TDKT", "1.1", "Đang thực hiện", tmp_path / "fixed.xlsx")
    _drop(folder, corrected, "TDKT_2025-05.xlsx", at("2025-05-15T10:00"))
    polled = poll(settings, at("2025-05-15T10:05"))
    assert polled.acknowledged is not None and [r.outcome for r in polled.acknowledged.files] == ["accepted"]
    assert len(smtp_sink.messages) == 2
    second = smtp_sink.messages[1]
    assert second.subject == "Biên nhận báo cáo: TDKT_2025-05.xlsx — Đã nhận"
    assert "Đã nhận — Đúng hạn" in second.body() and "Báo cáo!E" in second.body()  # 1.2 is left blank
    sheet = _result_sheet(feedback.read_bytes())
    assert "Đã nhận" in sheet.values() and "Đúng hạn" in sheet.values()

    # the following poll and the scan command: nothing new, nothing sent again
    assert poll(settings, at("2025-05-15T10:10")).acknowledged.files == []  # type: ignore[union-attr]
    for key, value in smtp_sink.settings_env().items():
        monkeypatch.setenv(key, value)
    capsys.readouterr()
    assert main(["scan", "-w", str(folder)]) == 0
    assert "Đã kiểm tra và phản hồi 0 tệp mới" in capsys.readouterr().out
    assert len(smtp_sink.messages) == 2

    # status shows the same picture; the collect sends no receipt for a file already answered
    assert main(["status", "-w", str(folder), "-p", "2025-05", "--as-of", "2025-05-15T11:00"]) == 0
    status = capsys.readouterr().out
    tdkt = next(line for line in status.splitlines() if "TDKT" in line)
    assert "Đúng hạn" in tdkt
    assert main(["collect", "-w", str(folder), "-p", "2025-05", "--as-of", "2025-05-16T08:00"]) == 0
    assert len(smtp_sink.messages) == 2
    report = json.loads((folder / "outbox" / "2025-05" / "run-report.json").read_text(encoding="utf-8"))
    files = {f["path"]: f["outcome"] for f in report["files"]}
    assert files["inbox/TDKT_2025-05.xlsx"] == "accepted"


def test_an_emailed_file_is_answered_at_the_poll_and_the_collect_sends_no_second_receipt(
    workspace, dovecot, smtp_sink, tmp_path, capsys, monkeypatch
):
    folder = workspace
    data = _filled(folder, "VP", "3.1", "Đang thực hiện", tmp_path / "vp.xlsx")
    dovecot.append(
        unit_mail(ADDRESSES["VP"], "Báo cáo tháng 5", [("Báo cáo VP.xlsx", data)]), at("2025-05-15T16:30")
    )
    settings = _settings(folder, dovecot.settings_env(), smtp_sink.settings_env())

    polled = poll(settings, at("2025-05-15T16:35"))

    assert polled.fetched is not None and polled.acknowledged is not None
    assert [r.outcome for r in polled.acknowledged.files] == ["accepted"]
    [receipt] = smtp_sink.messages
    assert receipt.to == [ADDRESSES["VP"]] and "Đã nhận — Đúng hạn" in receipt.body()
    assert [name for name, _ in receipt.attachments()] == ["VP_2025-05.xlsx"]

    for env in (dovecot.settings_env(), smtp_sink.settings_env()):
        for key, value in env.items():
            monkeypatch.setenv(key, value)
    assert main(["collect", "-w", str(folder), "-p", "2025-05", "--as-of", "2025-05-16T08:00"]) == 0
    assert len(smtp_sink.messages) == 1  # the receipt is the poll's: the collect sends none
    assert "Đã gửi 0 thư" in capsys.readouterr().out


def test_a_scan_without_smtp_writes_the_feedback_and_says_nothing_was_mailed(workspace, tmp_path, capsys):
    folder = workspace
    data = _filled(folder, "TDKT", "1.1", "Đang thực hiện", tmp_path / "a.xlsx")
    _drop(folder, data, "TDKT_2025-05.xlsx", dt.datetime.now(TZ) - dt.timedelta(minutes=5))
    assert main(["scan", "-w", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "Đã kiểm tra và phản hồi 1 tệp mới" in out
    assert (folder / "outbox" / "2025-05" / "phan-hoi" / "TDKT_2025-05.xlsx").is_file()
    assert main(["scan", "-w", str(folder)]) == 0
    assert "Đã kiểm tra và phản hồi 0 tệp mới" in capsys.readouterr().out
