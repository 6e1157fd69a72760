"""A collect killed at any point, then run again, gives the verdicts of an undisturbed run (SPEC §12,
issue 5 "Crash safety").

One realistic month is built by code the way units make their files: thirty units of a generated
register, files on time and late, corrected and sent again, invalid, encrypted, truncated, for another
month, from an unknown unit, after the cut-off, the same bytes twice, one by e-mail, lock and system files;
April was collected before May's files arrived. A copy of that workspace is collected undisturbed
(``python -m automation collect`` in a subprocess): the reference. Then, in fresh copies, ``collect`` is
killed with SIGKILL (its whole process group, worker processes included) at many points — at eight points
spread over the CPU time the reference used while it held the workspace lock (CPU time, not the clock, so
that load on the machine does not move the points: scenarios run two at a time), and at moments seen on
disk (half the new files archived, the workbook's temporary file, the first feedback file, the run report
renamed into place) — and sometimes the run that redoes the work is killed too. The run after that must
finish and leave:

- the same run report, consolidated workbook cells and feedback files as the reference;
- the same ledger rows that decide later runs (arrivals and their received times, history, fingerprints,
  the caches' keys), a ledger that passes ``PRAGMA integrity_check``, and as each period's latest finished
  run the reference's report;
- an archive whose every file has the hash its name says;
- no temporary file anywhere, and the same set of files as the reference (SQLite's ``-wal``/``-shm``
  exist only while a connection is open: a clean finish removes them, so they must be gone too);
- the inbox as it was.

No assertion depends on timing: where each kill landed is recorded (``KILLS``, printed with ``-s``) and
only what the rerun leaves is judged. Two gaps found this way (stale output fingerprints, pool workers
outliving a collect killed alone) were fixed in ``collect.write_outputs`` and ``workers._start_worker``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import multiprocessing
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from python_calamine import CalamineWorkbook

from automation.domain.dates import Period
from automation.domain.model import Plan, Task, Unit
from automation.plan.register_write import write_register
from automation.run.workspace import init_workspace
from automation.settings import DEFAULTS, Settings
from automation.templates.generate import (
    COL_DIFFICULTIES,
    COL_DONE_ON,
    COL_PROGRESS,
    COL_PROPOSALS,
    COL_RESULTS,
    COL_STATUS,
    template_name,
    write_templates,
)
from automation.templates.sample_files import fill_template
from tests.support.unit_files import encrypted_ooxml

pytestmark = pytest.mark.skipif(
    not hasattr(os, "killpg") or not Path("/proc/self/stat").is_file(),
    reason="kills process groups and watches them in /proc (Linux)",
)

ROOT = Path(__file__).resolve().parents[1]
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
APRIL, MAY = Period(2025, 4), Period(2025, 5)
AS_OF = "2025-05-19T08:00"
UNITS = 30

# `python -m automation` with the worker pool forced on (collect uses it from PARALLEL_FROM new files).
POOLED = (
    "import sys, automation.run.collect, automation.run.workers\n"
    "for module in list(sys.modules.values()):\n"
    "    if getattr(module, '__name__', '').startswith('automation') and hasattr(module, 'PARALLEL_FROM'):\n"
    "        module.PARALLEL_FROM = 2\n"
    "from automation.cli import main\n"
    "sys.exit(main(sys.argv[1:]))\n"
)


def at(day: int, hour: int = 9, minute: int = 0, month: int = 5) -> dt.datetime:
    return dt.datetime(2025, month, day, hour, minute, tzinfo=TZ)


# --- the month ---------------------------------------------------------------------------------------------


def month_plan() -> Plan:
    units = tuple(
        Unit(f"P{i:02d}", f"Phòng Nghiệp vụ số {i}", emails=(f"p{i:02d}@sonoivu.gov.vn",))
        for i in range(1, UNITS + 1)
    )
    tasks = []
    for i, unit in enumerate(units, start=1):
        month = 3 + i % 5
        tasks.append(
            Task(
                f"{i}.1",
                f"{i}. Nhóm {i}",
                f"Rà soát quy trình nội bộ của {unit.name}",
                unit.code,
                deadline=dt.date(2025, month, 28),
                words=f"Trước ngày 28/{month}/2025",
            )
        )
        tasks.append(
            Task(
                f"{i}.2",
                f"{i}. Nhóm {i}",
                f"Cập nhật hồ sơ của {unit.name}",
                unit.code,
                recurring=True,
                words="Thực hiện thường xuyên",
            )
        )
    return Plan(
        id="KH-THU-01",
        title="Kế hoạch thử nghiệm thu thập báo cáo",
        issuer="Sở Nội vụ",
        signed_on=dt.date(2025, 1, 10),
        coordinator="P01",
        units=units,
        tasks=tuple(tasks),
    )


def unit_rows(i: int, version: int = 1) -> dict[str, dict[str, object]]:
    """Unit ``i``'s rows, typed the various ways people type them."""
    status = ("Hoàn thành", "Đang thực hiện", "đang triển khai", "HT", "Chưa triển khai")[(i + version) % 5]
    first: dict[str, object] = {COL_STATUS: status, COL_RESULTS: f"Đã tổ chức {i + version} cuộc họp rà soát"}
    if status in ("Hoàn thành", "HT"):
        first[COL_DONE_ON] = f"{1 + i % 27:02d}/04/2025" if i % 2 else dt.datetime(2025, 5, 1 + i % 9)
        first[COL_PROGRESS] = 100
    elif status != "Chưa triển khai":
        first[COL_PROGRESS] = ("60%", 45, 0.7, "150")[i % 4]
    if i % 3 == 0:
        first[COL_DIFFICULTIES] = "Thiếu biên chế; =SUM(A1) chưa rõ"
        first[COL_PROPOSALS] = "+ Đề nghị bổ sung kinh phí"
    second = {COL_STATUS: "Đang thực hiện", COL_RESULTS: "Cập nhật đều đặn hằng tháng"}
    if i % 7 == 0:
        second[COL_STATUS] = "tạm dừng"  # not a status: an error on that row, the other row still used
    return {f"{i}.1": first, f"{i}.2": second}


def _mail(sender: str, attachment: bytes, name: str) -> bytes:
    message = EmailMessage()
    message["From"] = f'"Phòng Nghiệp vụ" <{sender}>'
    message["To"] = "tonghop@sonoivu.gov.vn"
    message["Subject"] = "Báo cáo tháng 5/2025"
    message["Date"] = "Wed, 14 May 2025 16:30:00 +0700"
    message.set_content("Kính gửi, đơn vị gửi báo cáo tháng 5.")
    subtype = "vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    message.add_attachment(attachment, maintype="application", subtype=subtype, filename=name)
    return message.as_bytes()


def _stamp(path: Path, moment: dt.datetime) -> Path:
    os.utime(path, (moment.timestamp(), moment.timestamp()))
    return path


def _drop_meta(ws) -> None:
    ws.parent.remove(ws.parent["_meta"])


def _templates(job: tuple[Plan, Path, Path, Period, list[str]]) -> None:
    plan, master, out_dir, period, codes = job
    write_templates(plan, master, out_dir, period, 16, at(1, 8, month=period.month), unit_codes=codes)


def _fill(job: tuple[Path, Path, dict, dt.datetime, dict]) -> None:
    template, out, rows, received, options = job
    edit = _drop_meta if options.pop("drop_meta", False) else None
    fill_template(template, out, rows, received_at=received, edit=edit, **options)


def _may_files(template: Callable[[str], Path], staging: Path) -> list[tuple]:
    """May's unit files as fill jobs, written to ``staging`` (``<unit>/<name>``)."""

    def job(i: int, name: str, received: dt.datetime, version: int = 1, **options) -> tuple:
        code = f"P{i:02d}"
        rows = {} if options.pop("blank", False) else unit_rows(i, version)
        return (template(code), staging / code / name, rows, received, options)

    return [
        *(job(i, f"P{i:02d}_2025-05.xlsx", at(5 + i % 10, 8 + i % 9, i)) for i in range(1, 21)),  # on time
        # corrected and sent again, some after the deadline: the first ones are superseded
        *(job(i, f"P{i:02d}_2025-05_sua.xlsx", at(15 + i % 3, 10), version=2) for i in (3, 8, 12, 17)),
        *(job(i, f"bao cao thang 5 P{i:02d}.xlsx", at(16 + i % 3, 14)) for i in (21, 22, 23)),  # late
        *(job(i, "bao_cao.xlsx", at(12), blank=True) for i in (24, 25)),  # invalid: nothing usable
        job(26, "P26_2025-05.xlsx", at(20, 9)),  # after --as-of: taken by a later run
        job(27, "P27_thang6.xlsx", at(14), period_text="06/2025"),  # another month
        job(28, "khong_ro.xlsx", at(13), unit_text="Phòng Không Tồn Tại", drop_meta=True),  # no such unit
        job(29, "dinh-kem.xlsx", at(14)),  # sent by e-mail (below)
    ]


def build_month(folder: Path) -> Path:
    """A workspace whose April was collected on 18/04, then May's files arrived: returns the workspace.

    Templates and files are made two at a time (forked processes) while April's collect runs.
    """
    init_workspace(folder)
    settings = Settings.load(folder, {})
    plan = month_plan()
    write_register(plan, settings.register_path)
    inbox, staging = settings.inbox_dir, folder.parent / "staging"

    def template(code: str, period: Period = MAY) -> Path:
        return settings.period_dir(period) / "mau" / template_name(code, period)

    codes = [unit.code for unit in plan.units]
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as pool:
        list(
            pool.map(
                _templates,
                [
                    (plan, settings.master_path, template("P01").parent, MAY, codes[::2]),
                    (plan, settings.master_path, template("P01").parent, MAY, codes[1::2]),
                    (plan, settings.master_path, template("P01", APRIL).parent, APRIL, codes[:4]),
                ],
            )
        )
        # April's files, collected last month; still in the inbox (other_period in May)
        april = [
            (template(c, APRIL), inbox / c / f"{c}_2025-04.xlsx", unit_rows(i, 0), at(10, month=4), {})
            for i, c in enumerate(codes[:4], start=1)
        ]
        list(pool.map(_fill, april))
        collecting_april = subprocess.Popen(
            command(folder, "2025-04", "2025-04-18T08:00"),
            env=environment(False),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        list(pool.map(_fill, _may_files(template, staging)))
    assert collecting_april.wait(timeout=120) == 0, collecting_april.stderr.read()
    attached = staging / "P29" / "dinh-kem.xlsx"
    mail = staging / "email" / "thu-p29.eml"
    mail.parent.mkdir(parents=True, exist_ok=True)
    mail.write_bytes(_mail("p29@sonoivu.gov.vn", attached.read_bytes(), "Báo cáo tháng 5 - Phòng 29.xlsx"))
    attached.unlink()
    _stamp(mail, at(14, 16, 31))
    good = staging / "P05" / "P05_2025-05.xlsx"
    shutil.copy2(good, staging / "email" / "P05_2025-05 (1).xlsx")  # the same bytes twice
    _stamp(staging / "email" / "P05_2025-05 (1).xlsx", at(15))
    odd = {
        "P30/P30_2025-05.xlsx": encrypted_ooxml(),  # password-protected
        "P06/P06_cat_ngang.xlsx": good.read_bytes()[:3000],  # truncated in transit
        "P01/~$P01_2025-05.xlsx": b"lock",  # Excel's and LibreOffice's lock files
        "P02/.~lock.P02_2025-05.xlsx#": b"lock",
        "Thumbs.db": b"\0" * 64,
        "ghi chu.txt": "đã gửi bản giấy".encode(),
    }
    for name, data in odd.items():
        (staging / name).parent.mkdir(parents=True, exist_ok=True)
        (staging / name).write_bytes(data)
        _stamp(staging / name, at(13))
    for path in sorted(staging.rglob("*")):  # May's files arrive (renames keep their times)
        if path.is_file():
            target = inbox / path.relative_to(staging)
            target.parent.mkdir(parents=True, exist_ok=True)
            path.rename(target)
    return folder


# --- running and killing collect ---------------------------------------------------------------------------


def command(workspace: Path, period: str = "2025-05", as_of: str = AS_OF, pooled: bool = False) -> list[str]:
    program = [sys.executable, "-c", POOLED] if pooled else [sys.executable, "-m", "automation"]
    return [*program, "collect", "-w", str(workspace), "-p", period, "--as-of", as_of]


def environment(pooled: bool) -> dict[str, str]:
    """The process environment without any setting of ours (the workspace's .env decides), WORKERS=2 for
    the pooled runs."""
    env = {key: value for key, value in os.environ.items() if key not in DEFAULTS}
    if pooled:
        env["WORKERS"] = "2"
    return env


def run_collect(workspace: Path, period: str = "2025-05", as_of: str = AS_OF, pooled: bool = False):
    return subprocess.run(
        command(workspace, period, as_of, pooled),
        capture_output=True,
        text=True,
        env=environment(pooled),
        cwd=ROOT,
        timeout=180,
    )


def _group_alive(group: int) -> bool:
    """Whether any process of ``group`` is still running (zombies waiting to be reaped do not count)."""
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:
                continue
            state, _, pgrp = stat.rsplit(")", 1)[1].split()[:3]
            if int(pgrp) == group and state != "Z":
                return True
    return False


Trigger = Callable[[Path], bool]
_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds(pid: int) -> float | None:
    """The CPU time process ``pid`` has used: a clock of its progress that load on the machine does not
    stretch (two scenarios run at once here)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / _TICK


@dataclass(frozen=True)
class KillPoint:
    """Kill as soon as ``trigger`` holds of the workspace and the process has used ``cpu`` seconds."""

    name: str
    trigger: Trigger | None = None
    cpu: float = 0.0


def lock_taken(ws: Path) -> bool:
    return (ws / ".baocao" / "collect.lock.owner").exists()


def _archive_count(ws: Path) -> int:
    folder = ws / ".baocao" / "archive"
    return sum(1 for sub in os.scandir(folder) for f in os.scandir(sub) if not f.name.endswith(".tmp"))


def archived_more(than: int) -> Trigger:
    return lambda ws: lock_taken(ws) and _archive_count(ws) > than


def workbook_being_written(ws: Path) -> bool:
    return any(name.startswith(".tong-hop") for name in os.listdir(ws / "outbox" / "2025-05"))


def feedback_written(ws: Path) -> bool:
    folder = ws / "outbox" / "2025-05" / "phan-hoi"
    return folder.is_dir() and any(not name.startswith(".") for name in os.listdir(folder))


def report_in_place(ws: Path) -> bool:
    return (ws / "outbox" / "2025-05" / "run-report.json").exists()


@dataclass
class Killed:
    point: str
    killed: bool  # False: the run finished before the kill point came
    cpu: float | None  # the CPU seconds it had used when killed
    left: list[str]  # what it left that an undisturbed run does not (temporary files, -wal, lock owner...)
    outputs: list[str]  # the period's outputs in place when it was killed
    outlived: bool = False  # processes of its group were still running after it died


KILLS: list[tuple[str, Killed]] = []  # every kill of this module and what it left, for the curious (-s)


def _start(workspace: Path, pooled: bool, as_of: str = AS_OF) -> subprocess.Popen:
    return subprocess.Popen(
        command(workspace, as_of=as_of, pooled=pooled),
        env=environment(pooled),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def kill_collect(
    workspace: Path, point: KillPoint, pooled: bool = False, as_of: str = AS_OF, alone: bool = False
) -> Killed:
    """Start collect on ``workspace`` and SIGKILL its process group at ``point`` (``alone``: only its main
    process, as the OOM killer or ``kill PID`` do; then whether the rest outlived it is recorded)."""
    process = _start(workspace, pooled, as_of)
    started, killed, used = time.monotonic(), False, None
    while process.poll() is None and time.monotonic() - started < 120:
        used = cpu_seconds(process.pid)
        if (point.trigger is None or point.trigger(workspace)) and (used or 0) >= point.cpu:
            (os.kill if alone else os.killpg)(process.pid, signal.SIGKILL)
            killed = True
            break
        time.sleep(0.002)
    process.wait(timeout=60)  # not communicate(): workers that outlive it hold its stderr open
    process.stderr.close()
    for _ in range(50):  # what dies with the collect is gone within milliseconds
        if not _group_alive(process.pid):
            break
        time.sleep(0.02)
    outlived = _group_alive(process.pid)
    if outlived:  # this test's own processes, by their group: they must not write during the next run
        os.killpg(process.pid, signal.SIGKILL)
        while _group_alive(process.pid):
            time.sleep(0.005)
    period = workspace / "outbox" / "2025-05"
    return Killed(
        point.name,
        killed and process.returncode == -signal.SIGKILL,
        used,
        sorted(
            str(p.relative_to(workspace))
            for p in workspace.rglob("*")
            if p.name.endswith((".tmp", "-wal", "-shm", "-journal", ".owner"))
        ),
        sorted(str(p.relative_to(period)) for p in period.rglob("*.*") if "mau" not in p.parts),
        outlived,
    )


def work_window(workspace: Path) -> tuple[float, float]:
    """The CPU seconds an undisturbed collect has used when it takes the workspace lock and when it lets it
    go: the work a kill can interrupt lies between them."""
    process = _start(workspace, pooled=False)
    locked = released = None
    while process.poll() is None:
        used = cpu_seconds(process.pid)
        if locked is None and lock_taken(workspace):
            locked = used
        elif locked is not None and released is None and not lock_taken(workspace):
            released = used
        time.sleep(0.0005)
    assert process.wait() == 0, process.stderr.read()
    assert locked is not None and released is not None, "the run was too quick to watch"
    return locked, released


# --- what a finished run leaves --------------------------------------------------------------------------------


def _sheets(path: Path) -> dict[str, list[list[object]]]:
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def _ledger(workspace: Path) -> dict[str, object]:
    """The ledger's rows that decide later runs; caches by their keys (pickles differ between processes)."""
    db = sqlite3.connect(workspace / ".baocao" / "ledger.sqlite")
    try:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        state: dict[str, object] = {}
        for table in tables:
            # caches hold whatever some run read (a killed run with a later as-of read more files); they
            # never decide an outcome, so only the tables that do are compared
            if table in ("runs", "sqlite_sequence", "parsed", "judged"):
                continue
            rows = db.execute(f"SELECT * FROM {table}").fetchall()
            state[table] = sorted(tuple("<blob>" if isinstance(v, bytes) else v for v in row) for row in rows)
        # the latest finished run of each period (its report is the next period's "previous")
        finished = db.execute(
            "SELECT period, as_of, report FROM runs WHERE finished_at IS NOT NULL ORDER BY id"
        )
        state["runs"] = {period: (as_of, json.loads(report)) for period, as_of, report in finished}
        return state
    finally:
        db.close()


def _archive_is_sound(workspace: Path) -> list[str]:
    """The archive's files whose bytes do not have the hash their name says (none, for a sound archive).
    The facts beside them (``*.jsonl``, appended to by the ledger) are not content-addressed."""
    bad = []
    for path in (workspace / ".baocao" / "archive").rglob("*"):
        if path.suffix == ".jsonl":
            continue
        if path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() != path.name.split(".")[0]:
            bad.append(path.name)
    return bad


def _tree(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


@dataclass
class Outcome:
    report: dict
    workbook: dict
    feedback: dict
    ledger: dict
    files: list[str]


def outcome(workspace: Path) -> Outcome:
    period = workspace / "outbox" / "2025-05"
    feedback = {p.name: _sheets(p) for p in sorted((period / "phan-hoi").iterdir())}
    # a finished ledger backup is named for its run's wall-clock time, one per successful run: left out
    backup = re.compile(r"\.baocao/backups/ledger-\d{8}T\d{6}(-\d+)?\.sqlite")
    files = sorted(
        name
        for p in workspace.rglob("*")
        if not backup.fullmatch(name := p.relative_to(workspace).as_posix())
    )
    return Outcome(
        json.loads((period / "run-report.json").read_text(encoding="utf-8")),
        _sheets(period / "tong-hop_2025-05.xlsx"),
        feedback,
        _ledger(workspace),
        files,
    )


def assert_same_as_undisturbed(workspace: Path, reference: Outcome, inbox: dict, label: str) -> None:
    after = outcome(workspace)
    assert [f for f in after.files if f.endswith((".tmp", "-journal", "-wal", "-shm", ".owner"))] == [], label
    assert after.files == reference.files, label
    assert after.report == reference.report, label
    assert after.workbook == reference.workbook, label
    assert after.feedback == reference.feedback, label
    assert after.ledger == reference.ledger, label
    assert _archive_is_sound(workspace) == [], label
    assert _tree(workspace / "inbox") == inbox, label


# --- the tests -------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def month(tmp_path_factory) -> Path:
    return build_month(tmp_path_factory.mktemp("month") / "ws")


def fresh_copy(month: Path, folder: Path) -> Path:
    target = folder / "ws"
    shutil.copytree(month, target, symlinks=True)
    return target


@dataclass
class Reference:
    outcome: Outcome
    window: tuple[float, float]  # CPU seconds the undisturbed run had used when it took and let go the lock
    inbox: dict
    archived: int  # files in the archive before the run
    archived_after: int  # and after it


@pytest.fixture(scope="module")
def reference(month: Path, tmp_path_factory) -> Reference:
    workspace = fresh_copy(month, tmp_path_factory.mktemp("reference"))
    window = work_window(workspace)
    return Reference(
        outcome(workspace), window, _tree(month / "inbox"), _archive_count(month), _archive_count(workspace)
    )


def test_the_month_has_every_outcome_a_real_month_has(reference: Reference):
    report = reference.outcome.report
    outcomes = {f["outcome"] for f in report["files"]}
    assert outcomes == {
        "accepted",
        "superseded",
        "duplicate",
        "rejected",
        "other_period",
        "after_as_of",
        "ignored",
    }
    submissions = {u["code"]: u["submission"] for u in report["units"]}
    assert {submissions[c] for c in ("P01", "P21", "P24", "P26")} == {"on_time", "late", "invalid", "missing"}
    assert submissions["P29"] == "on_time"  # its file came by e-mail
    assert report["counts"]["findings"]["error"] > 0 and len(report["files"]) >= 40
    assert len(reference.outcome.feedback) >= 25 and reference.outcome.ledger["reports"]


# Kill points: ("time", f) is f × the reference's CPU time under the lock, after the lock is taken;
# ("event", e) is as soon as EVENTS[e] is seen on disk.
EVENTS: dict[str, Callable[[Reference], KillPoint]] = {
    "half the new files archived": lambda ref: KillPoint(
        "archive half", archived_more((ref.archived + ref.archived_after) // 2)
    ),
    "workbook being written": lambda ref: KillPoint("workbook tmp", workbook_being_written),
    "first feedback file in place": lambda ref: KillPoint("feedback", feedback_written),
    "run report in place": lambda ref: KillPoint("report", report_in_place),
}
TIMES = (0.05, 0.17, 0.29, 0.41, 0.53, 0.65, 0.77, 0.89)
LATER = "2025-05-21"


def later_report_in_place(ws: Path) -> bool:
    report = ws / "outbox" / "2025-05" / "run-report.json"
    return report.exists() and f'"as_of": "{LATER}' in report.read_text(encoding="utf-8")


@dataclass(frozen=True)
class Scenario:
    kills: tuple[tuple[str, object], ...]  # one after the other, each on the run that redoes the work
    pooled: bool = False
    collected: bool = False  # the reference's command ran to the end before the kills
    as_of: str = AS_OF  # of the killed runs
    alone: bool = False  # only the main process is killed


SCENARIOS: dict[str, Scenario] = {
    **{f"killed at {f:.0%} of the work": Scenario((("time", f),)) for f in TIMES},
    **{f"killed when the {e}": Scenario((("event", e),)) for e in EVENTS},
    "killed when half the files are archived, then again when the workbook is being written": Scenario(
        (("event", "half the new files archived"), ("event", "workbook being written"))
    ),
    "killed when the first feedback file is in place, then again at 29%": Scenario(
        (("event", "first feedback file in place"), ("time", 0.29))
    ),
    "with the worker pool, undisturbed": Scenario((), pooled=True),
    "with the worker pool, killed when the first feedback file is in place": Scenario(
        (("event", "first feedback file in place"),), pooled=True
    ),
}
KNOWN_GAPS: dict[str, Scenario] = {
    "a later as-of killed when its report is in place": Scenario(
        (("event", "later report in place"),), collected=True, as_of=LATER
    ),
    "with the worker pool, the main process killed alone": Scenario(
        (("event", "first feedback file in place"),), pooled=True, alone=True
    ),
}


def _point(reference: Reference, kind: str, value: object) -> KillPoint:
    if kind == "time":
        locked, released = reference.window
        return KillPoint(f"{value:.0%}", lock_taken, locked + (released - locked) * float(value))
    if value == "later report in place":
        return KillPoint("later report", later_report_in_place)
    return EVENTS[str(value)](reference)


@dataclass
class Played:
    kills: list[Killed]
    returncode: int
    stderr: str
    workspace: Path


@pytest.fixture(scope="module")
def played(month: Path, reference: Reference, tmp_path_factory) -> dict[str, Played]:
    """Every scenario, two at a time (each is a subprocess at a time): kill, kill again, run to the end."""

    def play(scenario: Scenario) -> Played:
        workspace = fresh_copy(month, tmp_path_factory.mktemp("killed"))
        if scenario.collected:
            assert run_collect(workspace).returncode == 0
        kills = [
            kill_collect(workspace, _point(reference, *k), scenario.pooled, scenario.as_of, scenario.alone)
            for k in scenario.kills
        ]
        done = run_collect(workspace, pooled=scenario.pooled)
        return Played(kills, done.returncode, done.stderr, workspace)

    with ThreadPoolExecutor(2) as pool:
        futures = {
            name: pool.submit(play, scenario) for name, scenario in {**KNOWN_GAPS, **SCENARIOS}.items()
        }
        results = {name: future.result() for name, future in futures.items()}
    KILLS.extend((name, kill) for name, result in results.items() for kill in result.kills)
    return results


def _assert_undisturbed(result: Played, reference: Reference, name: str) -> None:
    assert result.returncode == 0, result.stderr
    assert_same_as_undisturbed(
        result.workspace, reference.outcome, reference.inbox, f"{name}: {result.kills}"
    )


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_a_collect_killed_at_any_point_and_run_again_gives_the_undisturbed_result(
    played: dict[str, Played], reference: Reference, name: str
):
    _assert_undisturbed(played[name], reference, name)
    assert not any(kill.outlived for kill in played[name].kills), "a process outlived its killed group"


def test_the_kills_landed_in_the_middle_of_the_work(played: dict[str, Played]):
    """Not about timing: kills did land while the work was under way (leaving what only an interrupted run
    leaves), else the test above would prove nothing."""
    kills = [kill for result in played.values() for kill in result.kills]
    for name, kill in KILLS:  # shown with -s: where each kill landed
        print(
            f"{name:90} killed={kill.killed!s:5} cpu={kill.cpu} outputs={len(kill.outputs):3} left={kill.left}"
        )
    assert sum(kill.killed for kill in kills) >= len(kills) // 2
    assert any(kill.left for kill in kills if kill.killed)


def test_a_run_killed_while_replacing_outputs_then_an_earlier_as_of_gives_that_as_ofs_outputs(
    played: dict[str, Played], reference: Reference
):
    """The outputs of as-of T are in place; a collect as of a later day is killed after it replaced the
    workbook and the run report, while it writes the feedback files (its new fingerprints not yet
    recorded); collect as of T again must give T's outputs, not leave the later day's in place."""
    name = "a later as-of killed when its report is in place"
    assert played[name].kills[0].killed
    _assert_undisturbed(played[name], reference, name)


def test_the_workers_of_a_collect_killed_alone_end_with_it(played: dict[str, Played], reference: Reference):
    """Only the main process is killed (not its group) while the pool writes feedback files: the next run
    gives the undisturbed result, and the workers must not outlive the collect that started them."""
    name = "with the worker pool, the main process killed alone"
    (kill,) = played[name].kills
    assert kill.killed
    _assert_undisturbed(played[name], reference, name)
    assert not kill.outlived, "the pool's workers outlived the collect that started them"
