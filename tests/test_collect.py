"""The monthly collect end to end (SPEC §6, §7, §9) on files made the way units make them."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from automation.cli import main
from automation.domain.dates import Period
from automation.plan.register import read_register
from automation.run.collect import collect
from automation.run.demo import run_demo
from automation.run.workspace import init_workspace
from automation.settings import Settings
from automation.state.ledger import LEDGER_NAME, Ledger
from automation.templates.generate import COL_DONE_ON, COL_PROGRESS, COL_RESULTS, COL_STATUS, write_templates
from automation.templates.sample_files import fill_template

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MAY = Period(2025, 5)


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("demo") / "ws"
    run_demo(folder, now=at("2025-05-18T08:00"))
    return folder


def report(workspace: Path, period: str = "2025-05") -> dict:
    return json.loads((workspace / "outbox" / period / "run-report.json").read_text(encoding="utf-8"))


def by(items: list[dict], key: str = "code") -> dict[str, dict]:
    return {item[key]: item for item in items}


def test_demo_month_gets_the_section_6_submission_verdicts(demo: Path):
    units = by(report(demo)["units"])
    assert {code: u["submission"] for code, u in units.items()} == {
        "TDKT": "on_time",
        "TCBC": "on_time",
        "VP": "late",
        "CCVC": "missing",
    }
    assert units["VP"]["file"] == "inbox/VP/VP_2025-05_sua.xlsx"
    assert units["VP"]["received_at"].startswith("2025-05-17T09:20")
    assert units["CCVC"]["file"] is None and units["CCVC"]["received_at"] is None


def test_demo_month_gets_the_section_6_task_verdicts(demo: Path):
    tasks = by(report(demo)["tasks"])
    verdicts = {code: (t["evaluation"], sorted(t["flags"])) for code, t in tasks.items()}
    assert verdicts == {
        "1.1": ("completed_on_time", []),
        "1.2": ("recurring", []),
        "2.1": ("completed_late", ["late"]),
        "2.2": ("completed_on_time", []),
        "3.1": ("in_progress", ["due_soon"]),
        "3.2": ("completed_on_time", []),
        "3.3": ("not_reported", ["due_soon", "missing"]),
        "3.4": ("in_progress", ["due_soon"]),
        "4.1": ("not_reported", ["due_soon", "missing"]),
        "4.2": ("not_reported", ["missing"]),
        "4.3": ("not_reported", ["due_soon", "missing"]),
    }
    assert tasks["2.1"]["reported_status"] == "done" and tasks["2.1"]["completed_on"] == "2025-05-05"
    assert tasks["2.1"]["progress"] == 100
    assert tasks["3.3"]["source_file"] is None or "CCVC" in tasks["3.3"]["source_file"]


def test_every_file_ends_with_its_outcome_and_reason(demo: Path):
    files = by(report(demo)["files"], "path")
    outcomes = {path: f["outcome"] for path, f in files.items()}
    assert outcomes["inbox/TDKT/TDKT_2025-05.xlsx"] == "accepted"
    assert outcomes["inbox/TCBC/bao cao thang 5 TCBC.xlsx"] == "accepted"
    assert outcomes["inbox/VP/VP_2025-05.xlsx"] == "rejected"
    assert outcomes["inbox/VP/VP_2025-05_sua.xlsx"] == "accepted"
    assert outcomes["inbox/scan_bao_cao_thang5.xlsx"] == "rejected"
    assert outcomes["inbox/VP/~$VP_2025-05.xlsx"] == "ignored"
    assert outcomes["inbox/TDKT/TDKT_2025-04.xlsx"] == "other_period"
    for path, f in files.items():
        if f["outcome"] != "accepted":
            assert f["reason"], path
    assert len(files) == 10


def test_typing_variants_are_corrected_with_info_findings(demo: Path):
    findings = [f for f in report(demo)["findings"] if f["unit"] == "TCBC"]
    corrected = [f for f in findings if f["severity"] == "info"]
    assert any(f["rule"] == "row.status_corrected" and f["task"] == "2.1" for f in corrected)
    assert all(f["cell"] and f["sheet"] for f in corrected)


def test_done_without_completion_date_is_a_warning_at_its_cell(demo: Path):
    findings = report(demo)["findings"]
    warning = next(f for f in findings if f["rule"] == "row.missing_completion_date")
    assert (warning["unit"], warning["task"], warning["severity"]) == ("VP", "3.2", "warning")
    assert warning["cell"].startswith("F")


def test_run_report_counts_match_the_lists(demo: Path):
    data = report(demo)
    assert data["counts"]["units"] == {"on_time": 2, "late": 1, "invalid": 0, "missing": 1}
    assert (
        sum(
            data["counts"]["tasks"][k]
            for k in (
                "completed_on_time",
                "completed_late",
                "in_progress",
                "not_started",
                "overdue",
                "recurring",
                "not_reported",
            )
        )
        == 11
    )
    assert data["workbook"] == "outbox/2025-05/tong-hop_2025-05.xlsx"
    assert data["as_of"] == "2025-05-18T08:00:00+07:00"
    assert data["submission_deadline"] == "2025-05-16T00:00:00+07:00"
    assert data["evaluation_date"] == "2025-05-16"


def test_consolidated_workbook_has_the_seven_sheets_and_feedback_per_sender(demo: Path):
    wb = load_workbook(demo / "outbox" / "2025-05" / "tong-hop_2025-05.xlsx")
    assert wb.sheetnames == [
        "Tóm tắt",
        "Xu hướng",
        "Tiến độ nhiệm vụ",
        "Đơn vị",
        "Cảnh báo",
        "Khó khăn - Đề xuất",
        "Lỗi dữ liệu",
        "Tệp đã nhận",
    ]
    feedback = sorted(p.name for p in (demo / "outbox" / "2025-05" / "phan-hoi").iterdir())
    assert feedback == ["TCBC_2025-05.xlsx", "TDKT_2025-05.xlsx", "VP_2025-05.xlsx"]


def test_the_inbox_is_never_modified(demo: Path, tmp_path: Path):
    inbox = demo / "inbox"
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in inbox.rglob("*") if p.is_file()}
    settings = Settings.load(demo)
    plan = read_register(settings.register_path).plan
    collect(settings, plan, MAY, at("2025-05-18T08:00"), now=at("2025-05-18T08:00"), dry_run=True)
    after = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in inbox.rglob("*") if p.is_file()}
    assert before == after
    archived = list((demo / ".baocao" / "archive").rglob("*.*"))
    assert len(archived) >= 9


def test_a_rerun_gives_the_same_report_and_workbook_contents(demo: Path, tmp_path: Path):
    copy = tmp_path / "ws"
    shutil.copytree(demo, copy)
    first = report(copy)
    assert main(["collect", "-w", str(copy), "--period", "2025-05", "--as-of", "2025-05-18T08:00"]) == 0
    second = report(copy)
    assert second == first

    def cells(path: Path) -> dict:
        wb = load_workbook(path)
        return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}

    book = copy / "outbox" / "2025-05" / "tong-hop_2025-05.xlsx"
    assert cells(book) == cells(demo / "outbox" / "2025-05" / "tong-hop_2025-05.xlsx")


def test_as_of_before_a_file_arrived_leaves_it_out(demo: Path, tmp_path: Path):
    copy = tmp_path / "ws"
    shutil.copytree(demo, copy)
    assert main(["collect", "-w", str(copy), "-p", "2025-05", "--as-of", "2025-05-16T08:00"]) == 0
    data = report(copy)
    files = by(data["files"], "path")
    assert files["inbox/VP/VP_2025-05_sua.xlsx"]["outcome"] == "after_as_of"
    assert by(data["units"])["VP"]["submission"] == "invalid"


@pytest.fixture
def workspace(tmp_path: Path):
    folder = tmp_path / "ws"
    init_workspace(folder)
    settings = Settings.load(folder)
    plan = read_register(settings.register_path).plan
    for period in (Period(2025, 4), MAY):
        write_templates(
            plan,
            settings.master_path,
            settings.period_dir(period) / "mau",
            period,
            16,
            at(f"{period}-01T08:00"),
        )
    return settings, plan


def template(settings: Settings, unit: str, period: Period = MAY) -> Path:
    return settings.period_dir(period) / "mau" / f"{unit}_{period}.xlsx"


def test_task_completed_in_an_earlier_period_carries_forward(workspace):
    settings, plan = workspace
    april = Period(2025, 4)
    fill_template(
        template(settings, "TDKT", april),
        settings.inbox_dir / "TDKT_2025-04.xlsx",
        {
            "1.1": {
                COL_STATUS: "Hoàn thành",
                COL_DONE_ON: "20/03/2025",
                COL_PROGRESS: 100,
                COL_RESULTS: "Đã phát động",
            },
            "1.2": {COL_STATUS: "Đang thực hiện", COL_RESULTS: "Đang rà soát"},
        },
        received_at=at("2025-04-10T09:00"),
    )
    collect(settings, plan, april, at("2025-04-16T08:00"), now=at("2025-04-16T08:00"))
    fill_template(
        template(settings, "TDKT"),
        settings.inbox_dir / "TDKT_2025-05.xlsx",
        {"1.2": {COL_STATUS: "Đang thực hiện", COL_RESULTS: "Tiếp tục rà soát"}},
        received_at=at("2025-05-12T09:00"),
    )
    result = collect(settings, plan, MAY, at("2025-05-16T08:00"), now=at("2025-05-16T08:00")).result
    verdicts = {e.task.code: e for e in result.evaluations}
    assert verdicts["1.1"].evaluation == "completed_on_time"
    assert verdicts["1.1"].report.period == "2025-04"
    assert not verdicts["1.1"].reported_this_period
    assert verdicts["1.2"].evaluation == "recurring"
    assert result.previous is not None and result.previous.period == "2025-04"


def test_a_unit_whose_only_file_is_invalid_is_invalid(workspace):
    settings, plan = workspace
    fill_template(
        template(settings, "CCVC"),
        settings.inbox_dir / "CCVC_2025-05.xlsx",
        {},
        received_at=at("2025-05-10T09:00"),
    )
    result = collect(settings, plan, MAY, at("2025-05-16T08:00"), now=at("2025-05-16T08:00")).result
    status = next(u for u in result.units if u.unit.code == "CCVC")
    assert status.submission == "invalid"
    assert result.files[0].outcome == "rejected"


def test_a_unit_whose_only_file_is_broken_is_invalid_not_missing(workspace):
    """A file that cannot be read is still put down to the unit its name says: the unit sent something."""
    settings, plan = workspace
    for name, when in (("VP_2025-05.xlsx", "2025-05-10T09:00"), ("TCBC_2025-04.xlsx", "2025-05-11T09:00")):
        path = settings.inbox_dir / name
        path.write_bytes(b"PK\x03\x04 cut off while copying " + name.encode())
        os.utime(path, (at(when).timestamp(),) * 2)
    result = collect(settings, plan, MAY, at("2025-05-16T08:00"), now=at("2025-05-16T08:00")).result
    units = {u.unit.code: u.submission for u in result.units}
    assert units["VP"] == "invalid" and units["TCBC"] == "missing"
    files = {f.path: f for f in result.files}
    vp = files["inbox/VP_2025-05.xlsx"]
    assert vp.outcome == "rejected" and vp.unit == "VP" and vp.reason.startswith("Tệp bị cắt cụt")
    assert [f.rule for f in vp.findings if f.severity == "error"] == ["file.truncated"]
    april = files["inbox/TCBC_2025-04.xlsx"]
    assert april.outcome == "other_period" and april.unit == "TCBC"
    feedback = settings.period_dir(MAY) / "phan-hoi" / "VP_2025-05.xlsx"
    assert load_workbook(feedback).sheetnames == ["Kết quả kiểm tra"]


def test_resubmission_latest_content_wins_lateness_from_the_first(workspace):
    settings, plan = workspace
    rows = {"2.1": {COL_STATUS: "Đang thực hiện", COL_PROGRESS: 50, COL_RESULTS: "Đang làm"}}
    fill_template(
        template(settings, "TCBC"), settings.inbox_dir / "a.xlsx", rows, received_at=at("2025-05-10T09:00")
    )
    rows = {
        "2.1": {COL_STATUS: "Hoàn thành", COL_DONE_ON: "14/05/2025", COL_PROGRESS: 100, COL_RESULTS: "Xong"}
    }
    fill_template(
        template(settings, "TCBC"), settings.inbox_dir / "b.xlsx", rows, received_at=at("2025-05-17T09:00")
    )
    result = collect(settings, plan, MAY, at("2025-05-18T08:00"), now=at("2025-05-18T08:00")).result
    status = next(u for u in result.units if u.unit.code == "TCBC")
    assert (status.submission, status.file) == ("on_time", "inbox/b.xlsx")
    assert {f.path: f.outcome for f in result.files} == {
        "inbox/a.xlsx": "superseded",
        "inbox/b.xlsx": "accepted",
    }
    assert next(e for e in result.evaluations if e.task.code == "2.1").evaluation == "completed_late"


def test_the_same_bytes_twice_the_earliest_is_used(workspace):
    settings, plan = workspace
    rows = {"2.1": {COL_STATUS: "Đang thực hiện", COL_PROGRESS: 50, COL_RESULTS: "Đang làm"}}
    first = fill_template(
        template(settings, "TCBC"), settings.inbox_dir / "x.xlsx", rows, received_at=at("2025-05-10T09:00")
    )
    copy = settings.inbox_dir / "sub" / "copy.xlsx"
    copy.parent.mkdir()
    shutil.copy2(first, copy)
    import os

    os.utime(copy, (at("2025-05-11T09:00").timestamp(),) * 2)
    result = collect(settings, plan, MAY, at("2025-05-16T08:00"), now=at("2025-05-16T08:00")).result
    outcomes = {f.path: (f.outcome, f.reason) for f in result.files}
    assert outcomes["inbox/x.xlsx"][0] == "accepted"
    assert (
        outcomes["inbox/sub/copy.xlsx"][0] == "duplicate"
        and "inbox/x.xlsx" in outcomes["inbox/sub/copy.xlsx"][1]
    )


def test_unit_identified_from_file_name_when_the_cell_is_blank(workspace):
    settings, plan = workspace
    rows = {"2.1": {COL_STATUS: "Đang thực hiện", COL_PROGRESS: 50, COL_RESULTS: "Đang làm"}}

    def blank_meta(ws):
        del ws.parent["_meta"]

    fill_template(
        template(settings, "TCBC"),
        settings.inbox_dir / "TCBC - bao cao.xlsx",
        rows,
        unit_text="",
        edit=blank_meta,
        received_at=at("2025-05-10T09:00"),
    )
    result = collect(settings, plan, MAY, at("2025-05-16T08:00"), now=at("2025-05-16T08:00")).result
    assert result.files[0].unit == "TCBC" and result.files[0].outcome == "accepted"


def test_dry_run_writes_no_outputs(workspace, capsys):
    settings, _ = workspace
    assert (
        main(
            ["collect", "-w", str(settings.workspace), "-p", "2025-05", "--as-of", "2025-05-16", "--dry-run"]
        )
        == 0
    )
    assert not (settings.period_dir(MAY) / "run-report.json").exists()
    assert "--dry-run" in capsys.readouterr().out


def test_status_prints_units_by_state(demo: Path, capsys):
    assert main(["status", "-w", str(demo), "-p", "2025-05", "--as-of", "2025-05-18T08:00"]) == 0
    out = capsys.readouterr().out
    assert "Tình hình nộp báo cáo kỳ 05/2025" in out
    lines = {line.split()[0]: line for line in out.splitlines()[3:] if line.strip()}
    assert "Chưa nộp" in lines["CCVC"] and "Muộn" in lines["VP"]


@pytest.mark.parametrize("width", [80, 120])
def test_status_to_a_file_or_pipe_fits_the_width_with_no_escape_codes(demo: Path, capsys, monkeypatch, width):
    monkeypatch.setenv("COLUMNS", str(width))
    monkeypatch.setenv("FORCE_COLOR", "1")  # not a terminal all the same: nothing is drawn
    assert main(["status", "-w", str(demo), "-p", "2025-05", "--as-of", "2025-05-18T08:00"]) == 0
    captured = capsys.readouterr()
    assert "\x1b[" not in captured.out and "\x1b[" not in captured.err
    assert max(len(line) for line in captured.out.splitlines()) <= width
    for code in ("TDKT", "TCBC", "VP", "CCVC"):
        assert any(line.startswith(code + " ") for line in captured.out.splitlines())


def test_scan_records_first_seen_time_which_becomes_the_received_time(workspace, capsys):
    settings, plan = workspace
    path = fill_template(
        template(settings, "TCBC"),
        settings.inbox_dir / "t.xlsx",
        {"2.1": {COL_STATUS: "Đang thực hiện", COL_RESULTS: "x"}},
        received_at=at("2025-05-14T09:00"),  # saved on the 14th, seen by the scan on the 15th
    )
    from automation.run.scan import scan

    assert scan(settings, at("2025-05-15T10:00")).new == 1
    assert scan(settings, at("2025-05-15T11:00")).new == 0
    result = collect(settings, plan, MAY, at("2025-05-16T08:00"), now=at("2025-05-16T08:00")).result
    assert result.files[0].received_at == at("2025-05-15T10:00")
    assert result.units[1].submission == "on_time"
    assert path.exists()


def _fill_month(settings: Settings) -> None:
    rows = {
        "TDKT": {"1.1": {COL_STATUS: "HT", COL_DONE_ON: "20/03/2025", COL_RESULTS: "Xong"}},
        "TCBC": {"2.1": {COL_STATUS: "đang triển khai", COL_PROGRESS: "60%", COL_RESULTS: "Đang làm"}},
        "VP": {"3.1": {COL_STATUS: "Đang thực hiện", COL_PROGRESS: 150, COL_RESULTS: "Đang làm"}},
    }
    for unit, unit_rows in rows.items():
        fill_template(template(settings, unit), settings.inbox_dir / f"{unit}.xlsx", unit_rows,
                      received_at=at("2025-05-12T09:00"))  # fmt: skip


def _outcome(settings: Settings, plan) -> tuple:
    result = collect(settings, plan, MAY, at("2025-05-16T08:00"), now=at("2025-05-16T08:00")).result
    return (
        [(u.unit.code, u.submission) for u in result.units],
        [(e.task.code, e.evaluation, e.flags) for e in result.evaluations],
        sorted((f.file or "", f.cell or "", f.rule, f.message) for f in result.findings),
    )


def test_the_worker_pool_gives_the_same_result_in_the_runs_language(workspace, monkeypatch, tmp_path):
    from automation.i18n import messages
    from automation.run import verdicts as verdicts_module
    from automation.run import workers

    settings, plan = workspace
    _fill_month(settings)
    messages.set_language("en")
    alone = _outcome(Settings.load(settings.workspace, {"WORKERS": "1"}), plan)
    shutil.rmtree(settings.state_dir)
    monkeypatch.setattr(verdicts_module, "PARALLEL_FROM", 2)
    monkeypatch.setattr(workers, "PARALLEL_FROM", 2)
    pooled = _outcome(Settings.load(settings.workspace, {"WORKERS": "2"}), plan)
    assert pooled == alone
    assert _outcome(Settings.load(settings.workspace, {"WORKERS": "2"}), plan) == alone  # judged from cache
    assert any("corrected" in message.lower() or "read as" in message.lower() for *_, message in pooled[2])
    assert not any("Đã" in message for *_, message in pooled[2])
    feedback = sorted(p.name for p in (settings.period_dir(MAY) / "phan-hoi").iterdir())
    assert feedback == ["TCBC_2025-05.xlsx", "TDKT_2025-05.xlsx", "VP_2025-05.xlsx"]


def test_files_judged_while_the_inbox_is_walked_give_the_same_result(workspace, monkeypatch):
    """With the pool already started, intake hands each new file to it as soon as it is read: the verdicts
    use those judgements, and they are the ones a single process makes."""
    from automation.run import collect as collect_module
    from automation.run import early as early_module
    from automation.run import verdicts as verdicts_module
    from automation.run import workers

    settings, plan = workspace
    _fill_month(settings)
    alone = _outcome(Settings.load(settings.workspace, {"WORKERS": "1"}), plan)
    shutil.rmtree(settings.state_dir)
    monkeypatch.setattr(verdicts_module, "PARALLEL_FROM", 2)
    monkeypatch.setattr(workers, "PARALLEL_FROM", 2)
    real_pool, real_results = collect_module.worker_pool, early_module.EarlyJudge.results

    def started_pool(*args):
        pool = real_pool(*args)
        assert pool is not None
        pool.for_jobs(10**6)  # started before intake begins
        return pool

    made: list[int] = []

    def results(self):
        found = real_results(self)
        made.append(len(found))
        return found

    monkeypatch.setattr(collect_module, "worker_pool", started_pool)
    monkeypatch.setattr(early_module.EarlyJudge, "results", results)
    early = _outcome(Settings.load(settings.workspace, {"WORKERS": "2"}), plan)
    spreadsheets = [p for p in settings.inbox_dir.rglob("*") if p.suffix.lower() in (".xlsx", ".xls", ".ods")]
    assert made == [len(spreadsheets)]
    assert early == alone


def test_cached_judgements_follow_the_register(workspace):
    """A re-run reuses each file's judgement from the ledger only while nothing it depends on changed."""
    settings, plan = workspace
    _fill_month(settings)
    first = _outcome(settings, plan)
    assert _outcome(settings, plan) == first
    # the register changes: VP's task 3.1 now belongs to TCBC, so VP's row is no longer its own
    moved = replace(plan, tasks=tuple(replace(t, lead="TCBC") if t.code == "3.1" else t for t in plan.tasks))
    changed = _outcome(settings, moved)
    assert changed != first
    shutil.rmtree(settings.state_dir)
    assert _outcome(settings, moved) == changed  # the same as judged with no cache at all
    assert _outcome(settings, plan) == first


def test_an_unchanged_rerun_leaves_outputs_alone_and_a_new_as_of_rewrites_them(workspace):
    settings, plan = workspace
    _fill_month(settings)
    collect(settings, plan, MAY, at("2025-05-16T08:00"), now=at("2025-05-16T08:00"))
    outputs = [settings.period_dir(MAY) / "tong-hop_2025-05.xlsx", settings.period_dir(MAY) / "run-report.json",
               settings.period_dir(MAY) / "phan-hoi" / "VP_2025-05.xlsx"]  # fmt: skip
    stamps = [p.stat().st_mtime_ns for p in outputs]
    collect(settings, plan, MAY, at("2025-05-16T08:00"), now=at("2025-05-16T09:00"))
    assert [p.stat().st_mtime_ns for p in outputs] == stamps
    collect(settings, plan, MAY, at("2025-05-17T08:00"), now=at("2025-05-17T08:00"))
    assert all(p.stat().st_mtime_ns != s for p, s in zip(outputs, stamps, strict=True))
    assert json.loads(outputs[1].read_text(encoding="utf-8"))["as_of"] == "2025-05-17T08:00:00+07:00"


def test_an_archive_copy_cut_short_is_written_again_not_trusted(workspace):
    """After a power cut an archive copy may be shorter than the file: the next run copies it again."""
    settings, plan = workspace
    _fill_month(settings)
    first = _outcome(settings, plan)
    copies = sorted((settings.state_dir / "archive").rglob("*.xlsx"))
    assert copies
    whole = copies[0].read_bytes()
    copies[0].write_bytes(whole[: len(whole) // 2])
    assert _outcome(settings, plan) == first
    assert copies[0].read_bytes() == whole


def test_temporary_files_left_by_a_killed_run_are_swept(workspace):
    settings, plan = workspace
    _fill_month(settings)
    leftovers = [settings.period_dir(MAY) / ".tong-hop_2025-05.xlsx.4242-0.tmp",
                 settings.period_dir(MAY) / "phan-hoi" / ".VP_2025-05.xlsx.4242-3.tmp",
                 settings.state_dir / "archive" / "ab" / ".abcdef.xlsx.4242-7.tmp"]  # fmt: skip
    for path in leftovers:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"half written")
    collect(settings, plan, MAY, at("2025-05-16T08:00"), now=at("2025-05-16T08:00"))
    assert [p for p in leftovers if p.exists()] == []
    assert list(settings.workspace.rglob("*.tmp")) == []


def test_collect_hands_the_earlier_periods_reports_to_the_trend(demo: Path):
    wb = load_workbook(demo / "outbox" / "2025-05" / "tong-hop_2025-05.xlsx")
    ws = wb["Xu hướng"]
    assert [c.value for c in ws[3][2:4]] == ["04/2025", "05/2025"]  # April from the ledger, May from this run
    with Ledger(demo / ".baocao" / LEDGER_NAME) as ledger:
        assert [r["period"] for r in ledger.reports_before("2025-05")] == ["2025-04"]
        assert ledger.reports_before("2025-04") == []
