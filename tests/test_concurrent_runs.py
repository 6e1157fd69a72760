"""Two collects at once on one workspace (SPEC §11, §12; issue 5): the workspace lock lets one run; the other
waits up to LOCK_TIMEOUT_SECONDS and then exits 1 naming the process that holds the lock, or runs after it.
Nothing is corrupted either way: the ledger passes its integrity check, the outputs are whole, and a later
run gives the same report.

Real ``baocao collect`` processes. The first is frozen (SIGSTOP) as soon as it holds the lock, so the second
meets a held lock whatever the machine's speed; no assertion depends on a duration.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from jsonschema import Draft202012Validator
from openpyxl import load_workbook

from automation.contracts import run_report_schema
from automation.domain.dates import Period
from automation.i18n.messages import t
from automation.plan.register import read_register
from automation.run.workspace import init_workspace
from automation.settings import Settings
from automation.templates.generate import COL_DONE_ON, COL_PROGRESS, COL_RESULTS, COL_STATUS, write_templates
from automation.templates.sample_files import fill_template

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGSTOP"), reason="needs POSIX job-control signals")

ROOT = Path(__file__).resolve().parents[1]
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MAY = Period(2025, 5)
AS_OF = "2025-05-16T08:00"
ROWS = {
    "TDKT": {"1.1": {COL_STATUS: "Hoàn thành", COL_DONE_ON: "20/03/2025", COL_PROGRESS: 100, COL_RESULTS: "Xong"}},
    "TCBC": {"2.1": {COL_STATUS: "Đang thực hiện", COL_PROGRESS: 70, COL_RESULTS: "Đã trình dự thảo"}},
    "VP": {"2.2": {COL_STATUS: "đang triển khai", COL_PROGRESS: 60, COL_RESULTS: "Đã rà soát"}},
}  # fmt: skip


@pytest.fixture
def workspace(tmp_path: Path) -> Settings:
    init_workspace(tmp_path / "ws")
    settings = Settings.load(tmp_path / "ws")
    plan = read_register(settings.register_path).plan
    at = dt.datetime(2025, 5, 10, 9, tzinfo=TZ)
    write_templates(plan, settings.master_path, settings.period_dir(MAY) / "mau", MAY, 16, at)
    for unit, rows in ROWS.items():
        template = settings.period_dir(MAY) / "mau" / f"{unit}_{MAY}.xlsx"
        fill_template(template, settings.inbox_dir / f"{unit}_{MAY}.xlsx", rows, received_at=at)
    return settings


def start_collect(settings: Settings, lock_timeout: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "LANGUAGE"}
    env["LOCK_TIMEOUT_SECONDS"] = str(lock_timeout)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "automation", "collect", "-w", str(settings.workspace), "-p", str(MAY),
               "--as-of", AS_OF]  # fmt: skip
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT
    )


def frozen_holding_the_lock(settings: Settings) -> tuple[subprocess.Popen, str]:
    """A collect stopped (SIGSTOP) while it holds the workspace lock, and the holder line it wrote."""
    owner = settings.state_dir / "collect.lock.owner"
    for _ in range(5):  # a run that got through before it was caught is simply started again
        first = start_collect(settings, 30)
        while first.poll() is None:
            holder = _read(owner)
            if holder.startswith(f"pid {first.pid} "):
                os.kill(first.pid, signal.SIGSTOP)
                if _read(owner) == holder:
                    return first, holder
                os.kill(first.pid, signal.SIGCONT)  # it let go just before it stopped: catch it again
            time.sleep(0.001)
        first.communicate()
    raise AssertionError("the first collect never held the lock long enough to be caught")


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ""


def _report(settings: Settings) -> dict:
    return json.loads((settings.period_dir(MAY) / "run-report.json").read_text(encoding="utf-8"))


def _assert_nothing_corrupted(settings: Settings) -> None:
    with sqlite3.connect(settings.state_dir / "ledger.sqlite") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT COUNT(*) FROM runs WHERE finished_at IS NULL").fetchone() == (0,)
    schema = run_report_schema()
    assert sorted(Draft202012Validator(schema).iter_errors(_report(settings)), key=str) == []
    book = load_workbook(settings.period_dir(MAY) / f"tong-hop_{MAY}.xlsx", read_only=True)
    assert book.sheetnames[:3] == ["Tóm tắt", "Xu hướng", "Tiến độ nhiệm vụ"] and len(book.sheetnames) == 8
    feedback = sorted(p.name for p in (settings.period_dir(MAY) / "phan-hoi").iterdir())
    assert feedback == [f"{unit}_{MAY}.xlsx" for unit in sorted(ROWS)]
    assert list(settings.workspace.rglob("*.tmp")) == []


def test_a_second_collect_gives_up_after_the_timeout_naming_the_holder(workspace):
    first, holder = frozen_holding_the_lock(workspace)
    try:
        second = start_collect(workspace, 1)
        out, err = second.communicate(timeout=120)
    finally:
        os.kill(first.pid, signal.SIGCONT)
    assert second.returncode == 1 and out == ""
    busy = t("lock.busy", name="collect", holder=holder.strip(), seconds=1)
    assert err == t("cli.error", message=busy) + "\n"
    assert f"pid {first.pid} @ " in err and "đã chờ 1 giây" in err
    _, first_err = first.communicate(timeout=120)
    assert first.returncode == 0, first_err
    _assert_nothing_corrupted(workspace)
    report = _report(workspace)
    assert {u["code"]: u["submission"] for u in report["units"]} == {
        "TDKT": "on_time",
        "TCBC": "on_time",
        "VP": "on_time",
        "CCVC": "missing",
    }
    third = start_collect(workspace, 1)
    assert third.communicate(timeout=120)[1] == "" and third.returncode == 0
    assert _report(workspace) == report


def test_a_second_collect_waits_for_the_first_then_runs(workspace):
    first, _ = frozen_holding_the_lock(workspace)
    try:
        second = start_collect(workspace, 600)
        with pytest.raises(subprocess.TimeoutExpired):  # it waits: it cannot finish while the first is frozen
            second.communicate(timeout=2)
    finally:
        os.kill(first.pid, signal.SIGCONT)
    assert first.communicate(timeout=120)[1] == "" and first.returncode == 0
    report = _report(workspace)
    assert second.communicate(timeout=120)[1] == "" and second.returncode == 0
    _assert_nothing_corrupted(workspace)
    with sqlite3.connect(workspace.state_dir / "ledger.sqlite") as db:
        runs = db.execute("SELECT started_at, finished_at FROM runs ORDER BY id").fetchall()
    assert len(runs) == 2 and runs[0][1] <= runs[1][0]  # one after the other, never overlapping
    assert _report(workspace) == report


def test_an_owner_draft_left_by_a_killed_holder_is_removed_by_the_next(tmp_path: Path):
    """The holder's line is written to a draft and renamed; a holder killed in between leaves the draft,
    which the next holder of that lock removes."""
    from automation.state.lock import lock_holder, workspace_lock

    settings = Settings.load(tmp_path)
    settings.state_dir.mkdir(parents=True)
    left = settings.state_dir / ".collect.lock.owner.4242"
    left.write_text("pid 4242 @ gone", encoding="utf-8")
    with workspace_lock(settings, "collect", timeout=1):
        assert not left.exists()
        assert lock_holder(settings, "collect").startswith(f"pid {os.getpid()} @")
    assert [p.name for p in settings.state_dir.iterdir() if "owner" in p.name] == []
