"""Every submission is a permanent record (SPEC §6 "Arrivals are the record", §12): verdicts come from the
ledger's arrivals, not from what the inbox holds today."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import threading
import time
import unicodedata
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from automation.cli import main
from automation.domain.dates import Period
from automation.plan.register import read_register
from automation.run.demo import run_demo
from automation.settings import Settings
from automation.templates.generate import COL_RESULTS, COL_STATUS, write_templates
from automation.templates.sample_files import fill_template

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
AS_OF = "2025-05-18T08:00"


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ)


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    folder = tmp_path / "ws"
    run_demo(folder, now=at(AS_OF))
    return folder


def collect(workspace: Path, capsys, *extra: str, period: str = "2025-05", as_of: str = AS_OF) -> tuple:
    capsys.readouterr()
    code = main(["collect", "-w", str(workspace), "--period", period, "--as-of", as_of, *extra])
    out = capsys.readouterr()
    return code, out.out, out.err


def report(workspace: Path, period: str = "2025-05") -> dict:
    return json.loads((workspace / "outbox" / period / "run-report.json").read_text(encoding="utf-8"))


def units(data: dict) -> dict[str, tuple[str, str | None, str | None]]:
    return {u["code"]: (u["submission"], u["file"], u["received_at"]) for u in data["units"]}


def tasks(data: dict) -> dict[str, tuple]:
    return {t["code"]: (t["evaluation"], t["reported_status"], t["source_file"]) for t in data["tasks"]}


def files(data: dict) -> dict[tuple[str, str | None], dict]:
    return {(f["path"], f["sha256"]): f for f in data["files"]}


def test_deleting_a_received_file_changes_no_verdict_and_keeps_it_listed(demo, capsys):
    before = report(demo)
    (demo / "inbox/TDKT/TDKT_2025-05.xlsx").unlink()
    code, _, _ = collect(demo, capsys)
    after = report(demo)
    assert code == 0
    assert units(after) == units(before)
    assert tasks(after) == tasks(before)
    listed = [f for f in after["files"] if f["path"] == "inbox/TDKT/TDKT_2025-05.xlsx"]
    assert [f["outcome"] for f in listed] == ["accepted"]
    workbook = load_workbook(demo / "outbox/2025-05/tong-hop_2025-05.xlsx", read_only=True)
    progress = [row for row in workbook["Tiến độ nhiệm vụ"].iter_rows(values_only=True) if row[0] == "1.1"]
    assert progress and any("TDKT_2025-05.xlsx" in str(cell) for cell in progress[0] if cell)


def test_moving_a_file_into_a_done_folder_keeps_its_first_received_time(demo, capsys):
    before = units(report(demo))
    done = demo / "inbox/Đã xử lý"
    done.mkdir()
    shutil.move(demo / "inbox/TDKT/TDKT_2025-05.xlsx", done / "TDKT_2025-05.xlsx")
    os.utime(done / "TDKT_2025-05.xlsx")  # a move by hand may also touch the file: today's time
    collect(demo, capsys)
    after = report(demo)
    assert units(after) == before  # on time, same file path and received time
    moved = [f for f in after["files"] if f["path"] == "inbox/Đã xử lý/TDKT_2025-05.xlsx"]
    assert [f["outcome"] for f in moved] == ["duplicate"]
    assert moved[0]["received_at"] == before["TDKT"][2]


def test_april_files_removed_keep_the_carry_forward_into_may(demo, capsys):
    before = tasks(report(demo))
    for path in (demo / "inbox").rglob("*_2025-04.xlsx"):
        path.unlink()
    collect(demo, capsys)
    assert tasks(report(demo)) == before
    collect(demo, capsys, period="2025-04", as_of="2025-04-18T08:00")
    assert {u[0] for u in units(report(demo, "2025-04")).values()} != {"missing"}


def test_a_missing_inbox_stops_collect_and_scan_and_writes_nothing(demo, capsys, monkeypatch):
    outputs = {p: p.read_bytes() for p in (demo / "outbox/2025-05").rglob("*") if p.is_file()}
    ledger = (demo / ".baocao/ledger.sqlite").read_bytes()
    monkeypatch.setenv("INBOX_DIR", "/mnt/khong-co")
    code, _, err = collect(demo, capsys)
    assert code == 1
    assert err.strip().splitlines() == [err.strip()]
    assert "/mnt/khong-co" in err and "Không thấy thư mục nhận" in err and "Traceback" not in err
    assert main(["scan", "-w", str(demo)]) == 1
    assert "/mnt/khong-co" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in (demo / "outbox/2025-05").rglob("*") if p.is_file()} == outputs
    assert (demo / ".baocao/ledger.sqlite").read_bytes() == ledger


def test_an_empty_inbox_warns_and_the_verdicts_stand(demo, capsys):
    before = units(report(demo))
    for path in sorted((demo / "inbox").iterdir()):
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    code, _, err = collect(demo, capsys)
    assert code == 0
    assert "đang trống" in err and str(demo / "inbox") in err
    assert units(report(demo)) == before
    assert report(demo)["warnings"] and "đang trống" in report(demo)["warnings"][0]


def _replace_bytes(
    path: Path, when: dt.datetime, results: str, workspace: Path, unit: str, task: str = "1.1"
) -> None:
    settings = Settings.load(workspace)
    plan = read_register(settings.register_path).plan
    [template] = write_templates(
        plan, settings.master_path, workspace / "tmp-tpl", Period(2025, 5), 16, at("2025-05-01T08:00"), [unit]
    )
    fill_template(template, path, {task: {COL_STATUS: "Hoàn thành", COL_RESULTS: results}}, received_at=when)


def test_new_bytes_under_an_old_name_after_the_deadline_keep_the_unit_on_time(demo, capsys):
    path = demo / "inbox/TDKT/TDKT_2025-05.xlsx"
    first = files(report(demo))
    old_sha = next(sha for (p, sha) in first if p == "inbox/TDKT/TDKT_2025-05.xlsx")
    _replace_bytes(path, at("2025-05-17T10:00"), "Bản sửa sau hạn", demo, "TDKT")
    collect(demo, capsys)
    after = report(demo)
    state, used, received = units(after)["TDKT"]
    assert state == "on_time"  # lateness counts from the first accepted file
    listed = {
        sha: f["outcome"] for (p, sha), f in files(after).items() if p == "inbox/TDKT/TDKT_2025-05.xlsx"
    }
    assert listed[old_sha] == "superseded"
    assert sorted(listed.values()) == ["accepted", "superseded"]
    assert used == "inbox/TDKT/TDKT_2025-05.xlsx" and received.startswith("2025-05-17T10:00")
    feedback = load_workbook(demo / "outbox/2025-05/phan-hoi/TDKT_2025-05.xlsx", read_only=True)
    assert feedback is not None


def test_a_file_still_being_written_is_pending_not_rejected(demo, capsys, monkeypatch):
    monkeypatch.setenv("SETTLE_SECONDS", "2")
    target = demo / "inbox/CCVC/CCVC_2025-05.xlsx"
    source = demo / "inbox/TDKT/TDKT_2025-05.xlsx"
    data = source.read_bytes()
    stop = threading.Event()

    def copy_slowly() -> None:  # a copy over a slow network share: a few bytes at a time
        with target.open("wb") as out:
            for start in range(0, len(data), 200):
                if stop.is_set():
                    return
                out.write(data[start : start + 200])
                out.flush()
                time.sleep(0.05)

    writer = threading.Thread(target=copy_slowly)
    writer.start()
    try:
        time.sleep(0.2)
        code, _, _ = collect(demo, capsys)
    finally:
        stop.set()
        writer.join()
    assert code == 0
    data_after = report(demo)
    pending = [f for f in data_after["files"] if f["path"] == "inbox/CCVC/CCVC_2025-05.xlsx"]
    assert [f["outcome"] for f in pending] == ["pending"] and pending[0]["sha256"] is None
    assert "đang được ghi" in pending[0]["reason"]
    assert units(data_after)["CCVC"][0] == "missing"  # not counted against the unit
    assert not any(f["outcome"] == "rejected" and "CCVC_2025-05" in f["path"] for f in data_after["files"])


def test_a_freshly_copied_whole_file_is_waited_for_and_taken(demo, capsys, monkeypatch):
    monkeypatch.setenv("SETTLE_SECONDS", "1")
    fresh = demo / "inbox/CCVC/CCVC_2025-05.xlsx"
    settings = Settings.load(demo)
    plan = read_register(settings.register_path).plan
    [template] = write_templates(
        plan, settings.master_path, demo / "tpl", Period(2025, 5), 16, at("2025-05-01T08:00"), ["CCVC"]
    )
    rows = {
        code: {COL_STATUS: "Đang thực hiện", COL_RESULTS: "Đang làm"} for code in ("3.3", "4.1", "4.2", "4.3")
    }
    fill_template(template, fresh, rows)  # mtime: now
    code, _, _ = collect(
        demo, capsys, as_of=(dt.datetime.now(TZ) + dt.timedelta(minutes=1)).isoformat(timespec="seconds")
    )
    assert code == 0
    outcome = [f["outcome"] for f in report(demo)["files"] if f["path"] == "inbox/CCVC/CCVC_2025-05.xlsx"]
    assert outcome == ["accepted"]


def test_a_scan_under_a_clock_set_back_uses_the_file_time_and_warns(demo, capsys):
    path = demo / "inbox/CCVC/CCVC_2025-05.xlsx"
    _replace_bytes(path, at("2025-05-14T09:00"), "Bản đúng hạn", demo, "CCVC", "3.3")
    from automation.run.scan import scan

    settings = Settings.load(demo)
    found = scan(settings, at("2000-01-01T08:00"))
    assert found.new == 1
    assert any("đồng hồ" in line.lower() for line in found.warnings)
    collect(demo, capsys)
    ccvc = units(report(demo))["CCVC"]
    assert ccvc[0] == "on_time" and ccvc[2].startswith("2025-05-14T09:00")


def test_names_differing_only_in_unicode_form_are_two_files_on_every_run(demo, capsys):
    nfc = unicodedata.normalize("NFC", "báo cáo VP.xlsx")
    nfd = unicodedata.normalize("NFD", "báo cáo VP.xlsx")
    shutil.copy(demo / "inbox/TDKT/TDKT_2025-04.xlsx", demo / "inbox" / nfc)
    shutil.copy(demo / "inbox/TCBC/TCBC_2025-04.xlsx", demo / "inbox" / nfd)
    for path in (demo / "inbox" / nfc, demo / "inbox" / nfd):
        os.utime(path, (at("2025-05-10T08:00").timestamp(),) * 2)
    shown = []
    for _ in range(2):
        code, _, err = collect(demo, capsys)
        assert code == 0, err
        rows = [f for f in report(demo)["files"] if "báo cáo VP" in f["path"]]
        shown.append(sorted((f["path"], f["sha256"], f["received_at"]) for f in rows))
    assert shown[0] == shown[1]
    assert len({path for path, _, _ in shown[0]}) == 2
    assert all(unicodedata.is_normalized("NFC", path) for path, _, _ in shown[0])


def test_close_freezes_a_period_and_reopen_needs_a_reason(demo, capsys):
    published = (demo / "outbox/2025-05/run-report.json").read_bytes()
    assert main(["close", "-w", str(demo), "--period", "2025-05"]) == 0
    assert "Đã chốt kỳ 05/2025" in capsys.readouterr().out
    (demo / "inbox/TDKT/TDKT_2025-05.xlsx").unlink()
    code, _, err = collect(demo, capsys)
    assert code == 1 and "05/2025 đã chốt" in err and "--reopen" in err
    assert (demo / "outbox/2025-05/run-report.json").read_bytes() == published
    code, _, err = collect(demo, capsys, "--reopen")
    assert code == 1 and "--reason" in err
    code, out, _ = collect(demo, capsys, "--reopen", "--reason", "Đơn vị TDKT bổ sung số liệu")
    assert code == 0 and "Đã mở lại kỳ 05/2025" in out
    from automation.state.ledger import Ledger

    with Ledger(demo / ".baocao/ledger.sqlite") as ledger:
        events = [(event, reason) for event, _, reason in ledger.period_events("2025-05")]
    assert events == [("close", None), ("reopen", "Đơn vị TDKT bổ sung số liệu")]


def test_closing_a_period_never_collected_is_refused(demo, capsys):
    assert main(["close", "-w", str(demo), "--period", "2025-07"]) == 1
    assert "chưa được tổng hợp" in capsys.readouterr().err


def test_a_register_change_is_named_and_removed_units_leave_no_feedback(demo, capsys):
    register = demo / "workbook_templates/ke-hoach.xlsx"
    wb = load_workbook(register)
    tasks_sheet = wb["Nhiệm vụ"]
    header = [c.value for c in tasks_sheet[1]]
    code_col, deadline_col, lead_col = (
        header.index("Mã NV"),
        header.index("Thời hạn"),
        header.index("Chủ trì"),
    )
    for row in tasks_sheet.iter_rows(min_row=2):
        if row[code_col].value == "3.1":
            row[deadline_col].value = dt.datetime(2025, 9, 30)
        if row[lead_col].value == "TDKT":
            row[lead_col].value = "VP"
    units_sheet = wb["Đơn vị"]
    for row in range(units_sheet.max_row, 1, -1):
        if units_sheet.cell(row, 1).value == "TDKT":
            units_sheet.delete_rows(row)
    wb.save(register)
    assert (demo / "outbox/2025-05/phan-hoi/TDKT_2025-05.xlsx").exists()
    code, out, err = collect(demo, capsys)
    assert code == 0, err
    assert "Sổ kế hoạch đã thay đổi" in out and "đơn vị đã bỏ: TDKT" in out
    assert "nhiệm vụ đã sửa: 1.1, 1.2, 3.1" in out
    changes = report(demo)["register_changes"]
    assert changes == {"tasks": {"changed": ["1.1", "1.2", "3.1"]}, "units": {"removed": ["TDKT"]}}
    assert not (demo / "outbox/2025-05/phan-hoi/TDKT_2025-05.xlsx").exists()
    assert "TDKT" not in units(report(demo))
    code, out, _ = collect(demo, capsys)
    assert "Sổ kế hoạch đã thay đổi" not in out and report(demo)["register_changes"] == {}


def test_a_closed_period_stays_closed_after_the_ledger_is_rebuilt(demo, capsys):
    assert main(["close", "-w", str(demo), "--period", "2025-05"]) == 0
    assert main(["ledger", "rebuild", "-w", str(demo), "--force"]) == 0
    code, _, err = collect(demo, capsys)
    assert code == 1 and "05/2025 đã chốt" in err
