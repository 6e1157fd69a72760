"""The scheduler (SPEC §11): the calendar as a pure function walked over simulated years, the ledger's
memory across restarts, the real loop in a subprocess, and the whole thing under libfaketime."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from automation.cli import main
from automation.domain.dates import Period
from automation.plan.register import read_register
from automation.run.workspace import init_workspace
from automation.schedule.calendar import (
    COLLECT,
    FAILED,
    OK,
    POLL,
    REMIND,
    TEMPLATES,
    UBND,
    Attempt,
    Calendar,
    Job,
    State,
    due,
    due_on,
    upcoming,
)
from automation.schedule.loop import _read_state, calendar_line, plan_lines
from automation.settings import DEFAULTS, Settings
from automation.state.ledger import LEDGER_NAME, Ledger
from automation.templates.generate import COL_DONE_ON, COL_PROGRESS, COL_RESULTS, COL_STATUS, write_templates
from automation.templates.sample_files import fill_template
from tests.support import require_tool

ROOT = Path(__file__).resolve().parents[1]
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MINUTE = dt.timedelta(minutes=1)


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ)


def settings(**values: str) -> Settings:
    return Settings.from_values(Path("/nonexistent/ws"), {**DEFAULTS, **values})


class Machine:
    """The office machine over a simulated clock: the scheduler's memory (as the ledger keeps it) and
    every job it ran. ``fail`` decides which attempts fail."""

    def __init__(self, config: Settings | None = None, fail=lambda job, now: False) -> None:
        self.cal = Calendar.of(config or settings())
        self.first_start: dt.datetime | None = None
        self.latest: dict[tuple[str, str], Attempt] = {}
        self.ran: list[tuple[dt.datetime, Job, str]] = []
        self.fail = fail

    def state(self) -> State:
        return State(self.first_start, self.latest)

    def tick(self, now: dt.datetime) -> list[Job]:
        if self.first_start is None:
            self.first_start = now
        jobs = due_on(now, self.cal, self.state())
        for job in jobs:
            result = FAILED if self.fail(job, now) else OK
            self.latest[(job.kind, job.key)] = Attempt(job.kind, job.key, now, now, result)
            self.ran.append((now, job, result))
        return jobs

    def run(self, start: dt.datetime, end: dt.datetime, step: dt.timedelta = 10 * MINUTE, off=()) -> None:
        """Tick every ``step`` from ``start`` to ``end``, except while the machine is off."""
        now = start
        while now < end:
            if not any(down <= now < up for down, up in off):
                self.tick(now)
            now += step

    def runs(self, kind: str) -> list[tuple[dt.datetime, Job, str]]:
        return [(when, job, result) for when, job, result in self.ran if job.kind == kind]


# --- the calendar over a whole year ----------------------------------------------------------------


@pytest.fixture(scope="module")
def leap_year() -> Machine:
    machine = Machine()
    machine.run(at("2028-01-01T00:00"), at("2029-01-01T00:00"))
    return machine


def test_a_whole_leap_year_collects_on_the_16th_at_0800_then_three_days_more(leap_year: Machine):
    collects = leap_year.runs(COLLECT)
    assert len(collects) == 12 * 4
    for month in range(1, 13):
        runs = [(when, job) for when, job, _ in collects if job.period == Period(2028, month)]
        assert [when for when, _ in runs] == [at(f"2028-{month:02d}-{d}T08:00") for d in (16, 17, 18, 19)]
        assert [job.recollect for _, job in runs] == [0, 1, 2, 3]


def test_a_whole_leap_year_reminds_at_0800_on_the_last_two_working_days_before_the_16th(leap_year: Machine):
    reminds = leap_year.runs(REMIND)
    assert len(reminds) == 24
    for month in range(1, 13):
        days = [when for when, job, _ in reminds if job.period == Period(2028, month)]
        assert [when.time() for when in days] == [dt.time(8, 0)] * 2
        assert all(when.weekday() < 5 and when.day < 16 for when in days)
        between = [dt.date(2028, month, d) for d in range(days[1].day + 1, 16)]
        assert all(day.weekday() >= 5 for day in between)  # nothing but a weekend after the second one
    # 16/01/2028 is a Sunday: Thursday 13 and Friday 14; 16/02/2028 a Wednesday: Monday 14 and Tuesday 15
    assert [when.day for when, job, _ in reminds if job.period.month in (1, 2)] == [13, 14, 14, 15]


def test_a_whole_leap_year_polls_every_ten_minutes_and_nothing_runs_twice(leap_year: Machine):
    polls = [when for when, _, _ in leap_year.runs(POLL)]
    assert len(polls) == 366 * 24 * 6
    assert {b - a for a, b in itertools.pairwise(polls)} == {10 * MINUTE}
    keys = Counter((job.kind, job.key) for _, job, _ in leap_year.ran if job.kind != POLL)
    assert max(keys.values()) == 1


def test_the_16th_on_a_saturday_still_collects_that_day():
    machine = Machine()
    machine.run(at("2025-08-01T00:00"), at("2025-08-31T00:00"))  # 16/08/2025 is a Saturday
    first = machine.runs(COLLECT)[0]
    assert first[0] == at("2025-08-16T08:00") and first[0].weekday() == 5
    assert calendar_line(first[1]) == "16/08/2025 08:00 (thứ Bảy) — tổng hợp kỳ 08/2025"


def test_collect_day_31_is_the_last_day_of_every_month_and_recollects_cross_the_month_end():
    machine = Machine(settings(COLLECT_DAY="31"))
    machine.run(at("2028-01-01T00:00"), at("2029-01-01T00:00"))
    firsts = {job.period.month: when.date() for when, job, _ in machine.runs(COLLECT) if job.recollect == 0}
    assert firsts[2] == dt.date(2028, 2, 29)  # leap year
    assert [firsts[m].day for m in range(1, 13)] == [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    april = [when for when, job, _ in machine.runs(COLLECT) if job.period == Period(2028, 4)]
    assert april == [
        at(t) for t in ("2028-04-30T08:00", "2028-05-01T08:00", "2028-05-02T08:00", "2028-05-03T08:00")
    ]
    # the reminders stay on the two working days before the submission day (16), whatever the collect day
    assert {when.day for when, _, _ in machine.runs(REMIND)} <= {12, 13, 14, 15}
    assert len(machine.runs(REMIND)) == 24


def test_february_of_a_common_year_clamps_collect_day_31_to_the_28th():
    machine = Machine(settings(COLLECT_DAY="31", LATE_RECOLLECT_DAYS="1"))
    machine.run(at("2027-02-01T00:00"), at("2027-03-05T00:00"))
    feb = [when for when, job, _ in machine.runs(COLLECT) if job.period == Period(2027, 2)]
    assert feb == [at("2027-02-28T08:00"), at("2027-03-01T08:00")]


def test_settings_move_the_calendar():
    config = settings(
        SUBMIT_BEFORE_DAY="20", REMIND_DAYS_BEFORE="3", REMIND_TIME="07:30", COLLECT_TIME="17:45",
        LATE_RECOLLECT_DAYS="0", POLL_MINUTES="30",
    )  # fmt: skip
    machine = Machine(config)
    machine.run(at("2025-05-01T00:00"), at("2025-06-01T00:00"), step=15 * MINUTE)
    # the last three working days before Tuesday 20/05/2025: Thursday 15, Friday 16, Monday 19
    assert [when for when, _, _ in machine.runs(REMIND)] == [
        at("2025-05-15T07:30"),
        at("2025-05-16T07:30"),
        at("2025-05-19T07:30"),
    ]
    assert [when for when, _, _ in machine.runs(COLLECT)] == [at("2025-05-20T17:45")]
    polls = [when for when, _, _ in machine.runs(POLL)]
    assert {b - a for a, b in itertools.pairwise(polls)} == {30 * MINUTE}


# --- catch-up ----------------------------------------------------------------------------------------


def test_machine_off_over_the_16th_catches_up_once_and_only_the_latest_collect():
    machine = Machine()
    off = [(at("2025-05-15T18:00"), at("2025-05-18T10:00"))]  # missed 16, 17 and 18 at 08:00
    machine.run(at("2025-05-01T00:00"), at("2025-05-31T00:00"), off=off)
    assert [(when, job.key) for when, job, _ in machine.runs(COLLECT)] == [
        (at("2025-05-18T10:00"), "2025-05@2025-05-18"),  # at once on start, the latest one only
        (at("2025-05-19T08:00"), "2025-05@2025-05-19"),
    ]


def test_a_16th_on_a_weekend_with_the_machine_off_is_caught_up_on_monday_morning():
    machine = Machine()
    off = [(at("2025-08-15T17:30"), at("2025-08-18T07:30"))]  # Friday evening to Monday 07:30
    machine.run(at("2025-08-01T00:00"), at("2025-08-31T00:00"), off=off)
    runs = [(when, job.key, job.recollect) for when, job, _ in machine.runs(COLLECT)]
    assert runs == [
        (at("2025-08-18T07:30"), "2025-08@2025-08-17", 1),  # Sunday's re-collect, once, on start
        (at("2025-08-18T08:00"), "2025-08@2025-08-18", 2),
        (at("2025-08-19T08:00"), "2025-08@2025-08-19", 3),
    ]


def test_a_reminder_missed_is_caught_up_before_the_deadline_but_not_after():
    before = Machine()
    before.run(
        at("2025-05-01T00:00"), at("2025-05-20T00:00"), off=[(at("2025-05-13T18:00"), at("2025-05-15T09:00"))]
    )
    assert [when for when, _, _ in before.runs(REMIND)] == [at("2025-05-15T09:00")]
    after = Machine()
    after.run(
        at("2025-05-01T00:00"), at("2025-05-20T00:00"), off=[(at("2025-05-13T18:00"), at("2025-05-16T09:00"))]
    )
    assert after.runs(REMIND) == []
    assert next(when for when, _, _ in after.runs(COLLECT)) == at("2025-05-16T09:00")


def test_nothing_due_before_the_first_start_is_caught_up():
    machine = Machine()
    machine.run(at("2025-05-16T09:00"), at("2025-06-01T00:00"))  # installed an hour after the collect
    assert machine.first_start == at("2025-05-16T09:00")
    assert machine.runs(REMIND) == []
    assert [job.key for _, job, _ in machine.runs(COLLECT)] == [f"2025-05@2025-05-{d}" for d in (17, 18, 19)]


def test_first_start_just_before_the_collect_runs_it_on_time():
    machine = Machine()
    machine.run(at("2025-05-16T07:58"), at("2025-05-16T08:30"), step=MINUTE)
    assert [when for when, _, _ in machine.runs(COLLECT)] == [at("2025-05-16T08:00")]


def test_a_month_off_runs_only_the_latest_collect_of_the_missed_ones():
    machine = Machine()
    machine.run(at("2025-04-01T00:00"), at("2025-04-02T00:00"))
    machine.run(at("2025-06-10T12:00"), at("2025-06-10T13:00"))  # off from 2 April to 10 June
    assert [(when, job.key) for when, job, _ in machine.runs(COLLECT)] == [
        (at("2025-06-10T12:00"), "2025-05@2025-05-19")
    ]


# --- failures ---------------------------------------------------------------------------------------


def test_a_failed_collect_is_retried_at_the_next_poll_not_in_a_tight_loop():
    failures = {at("2025-05-16T08:00"), at("2025-05-16T08:10")}
    machine = Machine(fail=lambda job, now: job.kind == COLLECT and now in failures)
    machine.run(at("2025-05-16T07:00"), at("2025-05-16T12:00"), step=MINUTE)  # the loop wakes every minute
    assert [(when, result, job.retry) for when, job, result in machine.runs(COLLECT)] == [
        (at("2025-05-16T08:00"), FAILED, False),
        (at("2025-05-16T08:10"), FAILED, True),
        (at("2025-05-16T08:20"), OK, True),
    ]


def test_a_collect_failing_until_the_next_day_gives_way_to_that_days_recollect():
    machine = Machine(fail=lambda job, now: job.key == "2025-05@2025-05-16")
    machine.run(at("2025-05-16T07:00"), at("2025-05-17T12:00"))
    runs = [(job.key, result) for _, job, result in machine.runs(COLLECT)]
    assert runs.count(("2025-05@2025-05-16", FAILED)) == 24 * 6  # every poll from 08:00 to 07:50 next day
    assert runs[-1] == ("2025-05@2025-05-17", OK)


def test_a_job_that_never_finished_is_retried_with_the_next_poll():
    cal = Calendar.of(settings())
    started = at("2025-05-16T08:00")
    state = State.of(
        started, [Attempt(POLL, POLL, started, started, OK), Attempt(COLLECT, "2025-05@2025-05-16", started)]
    )  # the power went
    assert due_on(at("2025-05-16T08:05"), cal, state) == []  # restarted at once: no tight crash loop
    again = due_on(at("2025-05-16T08:10"), cal, state)
    assert [(j.kind, j.key, j.retry) for j in again] == [
        (POLL, POLL, False),
        (COLLECT, "2025-05@2025-05-16", True),
    ]


def test_due_orders_poll_then_templates_remind_collect_ubnd_and_needs_an_aware_clock():
    config = settings(SUBMIT_BEFORE_DAY="16", COLLECT_DAY="15", TEMPLATES_DAY="15")
    jobs = due(at("2025-05-15T08:00"), config, State(first_start=at("2025-05-01T00:00")), ubnd_day=16)
    assert [job.kind for job in jobs] == [POLL, TEMPLATES, REMIND, COLLECT, UBND]
    with pytest.raises(ValueError):
        due(dt.datetime(2025, 5, 16, 8), config, State())


def test_the_register_submission_day_moves_the_calendar_unless_the_setting_says_otherwise():
    assert Calendar.of(settings(), 15).collect_day == 15
    assert [job.at for job in Calendar.of(settings(), 15).remind_jobs(Period(2025, 5))] == [
        at("2025-05-13T08:00"),
        at("2025-05-14T08:00"),
    ]
    assert Calendar.of(settings(SUBMIT_BEFORE_DAY="18"), 15).collect_day == 18


# --- the ledger's memory across restarts -------------------------------------------------------------


def test_restarts_in_a_loop_repeat_nothing_and_lose_nothing(tmp_path: Path):
    """The machine restarts every few minutes for a week around the 16th; each start reads the ledger."""
    config = Settings.from_values(tmp_path, {**DEFAULTS, "POLL_MINUTES": "5"})
    cal, rng = Calendar.of(config), random.Random(7)
    path = config.state_dir / LEDGER_NAME
    now, end = at("2025-05-13T20:00"), at("2025-05-19T09:00")
    down: list[tuple[dt.datetime, dt.datetime]] = []
    while now < end:
        with Ledger(path) as ledger:  # a start
            ledger.record_schedule_start(now, "test")
        for _ in range(rng.randint(1, 40)):  # runs for a while, waking every minute
            for job in due_on(now, cal, _read_state(config)):
                with Ledger(path) as ledger:
                    ledger.finish_job(ledger.start_job(job.kind, job.key, None, job.at, now), now, OK, "")
            now += MINUTE
        off = dt.timedelta(minutes=rng.choice([0, 1, 3, 30, 90]))
        down.append((now, now + off))
        now += off
    with Ledger(path) as ledger:
        jobs = ledger.schedule_jobs()
    runs = Counter((j["kind"], j["key"]) for j in jobs if j["kind"] != POLL)
    assert max(runs.values()) == 1
    # every occurrence not swallowed by a later one while the machine was off ran, at its minute if on
    occurrences = [j for j in cal.occurrences(Period(2025, 5)) if j.at >= at("2025-05-13T20:00")]
    ran = {(j["kind"], j["key"]): dt.datetime.fromisoformat(j["started_at"]) for j in jobs}
    for job in occurrences:
        machine_on = not any(a <= job.at < b for a, b in down)
        if machine_on:
            assert ran[(job.kind, job.key)] == job.at
    assert all((job.kind, job.key) in ran or any(a <= job.at < b for a, b in down) for job in occurrences)
    polls = sorted(dt.datetime.fromisoformat(j["started_at"]) for j in jobs if j["kind"] == POLL)
    assert min(b - a for a, b in itertools.pairwise(polls)) >= 5 * MINUTE


def test_ledger_keeps_the_first_start_and_the_latest_attempt_of_each_job(tmp_path: Path):
    config = Settings.from_values(tmp_path, dict(DEFAULTS))
    with Ledger(config.state_dir / LEDGER_NAME) as ledger:
        assert ledger.schema_version >= 5  # the scheduler's tables came with migration 5
        ledger.record_schedule_start(at("2025-05-10T09:00"), "pid 1")
        ledger.record_schedule_start(at("2025-05-17T10:00"), "pid 2")
        first = ledger.start_job(
            COLLECT, "2025-05@2025-05-16", "2025-05", at("2025-05-16T08:00"), at("2025-05-16T08:00")
        )
        ledger.finish_job(first, at("2025-05-16T08:01"), FAILED, "hỏng")
        second = ledger.start_job(
            COLLECT, "2025-05@2025-05-16", "2025-05", at("2025-05-16T08:00"), at("2025-05-16T08:10")
        )
        ledger.finish_job(second, at("2025-05-16T08:11"), OK, "xong")
    state = _read_state(config)
    assert state.first_start == at("2025-05-10T09:00")
    assert state.latest[(COLLECT, "2025-05@2025-05-16")] == Attempt(
        COLLECT, "2025-05@2025-05-16", at("2025-05-16T08:10"), at("2025-05-16T08:11"), OK
    )


# --- --plan --------------------------------------------------------------------------------------------


@pytest.fixture
def workspace(tmp_path: Path) -> Settings:
    """A workspace whose units filled their May templates on the 10th (files in the inbox)."""
    folder = tmp_path / "ws"
    init_workspace(folder)
    config = Settings.load(folder)
    plan = read_register(config.register_path).plan
    may, tenth = Period(2025, 5), at("2025-05-10T09:00")
    write_templates(plan, config.master_path, config.period_dir(may) / "mau", may, 16, tenth)
    rows = {
        "TDKT": {"1.1": {COL_STATUS: "Hoàn thành", COL_DONE_ON: "20/03/2025", COL_PROGRESS: 100, COL_RESULTS: "Xong"}},
        "TCBC": {"2.1": {COL_STATUS: "Đang thực hiện", COL_PROGRESS: 70, COL_RESULTS: "Đã trình dự thảo"}},
    }  # fmt: skip
    for unit, values in rows.items():
        template = config.period_dir(may) / "mau" / f"{unit}_{may}.xlsx"
        fill_template(template, config.inbox_dir / f"{unit}_{may}.xlsx", values, received_at=tenth)
    return config


def test_plan_prints_the_next_runs_in_vietnamese(workspace: Settings):
    lines = plan_lines(workspace, at("2025-05-10T09:00"))
    text = "\n".join(lines)
    assert "Mỗi 10 phút: quét thư mục" in text
    assert "Chưa chạy theo lịch lần nào ở thư mục này" in text
    assert "Chưa cấu hình SMTP_HOST" in text
    assert "Ngày nhắc kỳ 05/2025 (ngày làm việc: thứ Hai–thứ Sáu, trừ " in text and "): 14/05, 15/05." in text
    assert lines[-12:] == [
        "  14/05/2025 08:00 (thứ Tư) — nhắc các đơn vị chưa nộp kỳ 05/2025",
        "  15/05/2025 08:00 (thứ Năm) — nhắc các đơn vị chưa nộp kỳ 05/2025",
        "  16/05/2025 08:00 (thứ Sáu) — tổng hợp kỳ 05/2025",
        "  17/05/2025 08:00 (thứ Bảy) — tổng hợp lại kỳ 05/2025 (lần 1, nhận tệp nộp muộn)",
        "  17/05/2025 08:00 (thứ Bảy) — nhắc người tổng hợp gửi báo cáo UBND tỉnh kỳ 05/2025",
        "  18/05/2025 08:00 (Chủ nhật) — tổng hợp lại kỳ 05/2025 (lần 2, nhận tệp nộp muộn)",
        "  19/05/2025 08:00 (thứ Hai) — tổng hợp lại kỳ 05/2025 (lần 3, nhận tệp nộp muộn)",
        "  01/06/2025 08:00 (Chủ nhật) — gửi mẫu báo cáo kỳ 06/2025 cho các đơn vị",
        "  12/06/2025 08:00 (thứ Năm) — nhắc các đơn vị chưa nộp kỳ 06/2025",
        "  13/06/2025 08:00 (thứ Sáu) — nhắc các đơn vị chưa nộp kỳ 06/2025",
        "  16/06/2025 08:00 (thứ Hai) — tổng hợp kỳ 06/2025",
        "  17/06/2025 08:00 (thứ Ba) — tổng hợp lại kỳ 06/2025 (lần 1, nhận tệp nộp muộn)",
    ]


def test_plan_shows_what_a_start_would_catch_up(workspace: Settings):
    with Ledger(workspace.state_dir / LEDGER_NAME) as ledger:
        ledger.record_schedule_start(at("2025-05-10T09:00"), "pid 1")
    lines = plan_lines(workspace, at("2025-05-17T10:00"), count=2)
    assert "Chạy theo lịch lần đầu ở thư mục này lúc 10/05/2025 09:00." in lines
    assert (
        "Đã đến hạn, sẽ chạy ngay khi khởi động: 17/05/2025 08:00 (thứ Bảy) — tổng hợp lại kỳ 05/2025 "
        "(lần 1, nhận tệp nộp muộn)"
    ) in lines
    assert (
        "Đã đến hạn, sẽ chạy ngay khi khởi động: 17/05/2025 08:00 (thứ Bảy) — nhắc người tổng hợp gửi báo cáo "
        "UBND tỉnh kỳ 05/2025"
    ) in lines
    assert lines[-2:] == [
        "  18/05/2025 08:00 (Chủ nhật) — tổng hợp lại kỳ 05/2025 (lần 2, nhận tệp nộp muộn)",
        "  19/05/2025 08:00 (thứ Hai) — tổng hợp lại kỳ 05/2025 (lần 3, nhận tệp nộp muộn)",
    ]


def test_schedule_plan_command_exits_0_and_prints_the_calendar(workspace: Settings, capsys):
    assert main(["schedule", "--plan", "-w", str(workspace.workspace)]) == 0
    out = capsys.readouterr().out
    assert "Lịch chạy của baocao (múi giờ Asia/Ho_Chi_Minh)" in out and "— tổng hợp kỳ " in out
    assert not (workspace.state_dir / LEDGER_NAME).exists()  # looking at the calendar changes nothing


def test_upcoming_counts_across_years():
    jobs = upcoming(at("2025-12-20T00:00"), settings(), 9)
    assert [(job.at.date().isoformat(), job.kind) for job in jobs] == [
        ("2026-01-01", TEMPLATES), ("2026-01-14", REMIND), ("2026-01-15", REMIND), ("2026-01-16", COLLECT),
        ("2026-01-17", COLLECT), ("2026-01-17", UBND), ("2026-01-18", COLLECT), ("2026-01-19", COLLECT),
        ("2026-02-01", TEMPLATES),
    ]  # fmt: skip


# --- the real loop in a subprocess ------------------------------------------------------------------


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAKETIME")}
    env.update(LANGUAGE="vi", WORKERS="1", PYTHONUTF8="1", TZ="Asia/Ho_Chi_Minh", **extra)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    return env


def _start(command: list[str], env: dict[str, str], out: Path) -> subprocess.Popen:
    with out.open("w", encoding="utf-8") as sink:
        return subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, env=env, cwd=ROOT)


def _wait_for(predicate, timeout: float, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        if process is not None and process.poll() is not None:
            break
        time.sleep(0.1)
    raise AssertionError("timed out" if process is None or process.poll() is None else "the scheduler exited")


def _log(config: Settings) -> str:
    try:
        return (config.state_dir / "baocao.log").read_text(encoding="utf-8")
    except OSError:
        return ""


def _python_of(process: subprocess.Popen) -> int:
    """The pid of the scheduler itself: the process, or the child Debian's faketime wrapper forked (the
    wrapper does not pass SIGTERM on)."""
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    if children.exists():
        found = children.read_text().split()
        if found:
            return int(found[0])
    return process.pid


def _stop(process: subprocess.Popen, timeout: float = 30) -> int:
    os.kill(_python_of(process), signal.SIGTERM)
    return process.wait(timeout)


def _kill(process: subprocess.Popen) -> None:
    if process.poll() is None:
        child = _python_of(process)
        for pid in dict.fromkeys((child, process.pid)):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        process.wait(10)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_second_instance_exits_1_naming_the_holder_and_sigterm_stops_cleanly(workspace: Settings, tmp_path):
    command = [sys.executable, "-m", "automation", "schedule", "-w", str(workspace.workspace)]
    first = _start(command, _env(), tmp_path / "first.out")
    try:
        _wait_for(lambda: "Xong: kiểm tra thư và thư mục nhận tệp" in _log(workspace), 60, first)
        second = subprocess.run(command, capture_output=True, text=True, env=_env(), cwd=ROOT, timeout=60)
        assert second.returncode == 1
        assert f"pid {first.pid} @ " in second.stderr and "(schedule, " in second.stderr
        assert _stop(first) == 0
    finally:
        _kill(first)
    log = _log(workspace)
    assert "Nhận tín hiệu SIGTERM" in log and log.rstrip().endswith("Đã dừng chạy theo lịch.")
    assert "thư mục nhận tệp: 2 tệp mới, tổng 2 tệp" in log
    console = (tmp_path / "first.out").read_text(encoding="utf-8")
    assert "Đã dừng chạy theo lịch." in console  # the console gets the same lines
    with Ledger(workspace.state_dir / LEDGER_NAME) as ledger:
        assert [(j["kind"], j["result"]) for j in ledger.schedule_jobs()] == [(POLL, OK)]


# --- end to end under libfaketime -------------------------------------------------------------------


def _faketime(start: str, speed: int) -> list[str]:
    """Debian's ``faketime``: the clock starts at ``start`` (local time, TZ) and runs ``speed`` times as
    fast; libfaketime scales sleeps too, so a one-second sleep of the loop lasts 1/speed s of real time."""
    return [require_tool("faketime"), "-f", f"@{start} x{speed}"]


def _report(config: Settings) -> dict:
    return json.loads((config.period_dir("2025-05") / "run-report.json").read_text(encoding="utf-8"))


@pytest.mark.skipif(sys.platform == "win32", reason="libfaketime")
def test_under_faketime_the_collect_happens_at_0800_on_the_16th(workspace: Settings, tmp_path):
    tool = _faketime("2025-05-10 09:00:00", 1)[0]
    ws = str(workspace.workspace)
    # the units' files were first seen by a scan on the 10th: they are on time
    scan = subprocess.run([tool, "2025-05-10 09:00:00", sys.executable, "-m", "automation", "scan", "-w", ws],
                          capture_output=True, text=True, env=_env(), cwd=ROOT, timeout=60)  # fmt: skip
    assert scan.returncode == 0, scan.stderr
    # 07:58 at 20× speed: the two minutes to 08:00 last six real seconds, room for Python to start
    command = [
        *_faketime("2025-05-16 07:58:00", 20),
        sys.executable,
        "-m",
        "automation",
        "schedule",
        "-w",
        ws,
    ]
    process = _start(command, _env(), tmp_path / "schedule.out")
    try:
        _wait_for(lambda: "Xong: tổng hợp kỳ 05/2025" in _log(workspace), 60, process)
        assert _stop(process) == 0
    finally:
        _kill(process)
    log = _log(workspace)
    poll = re.search(r"^2025-05-16 (07:5\d:\d\d) INFO Xong: kiểm tra thư", log, re.M)
    assert poll, log  # it was running before 08:00 ...
    start = re.search(
        r"^2025-05-16 (\d\d:\d\d):\d\d INFO Bắt đầu: tổng hợp kỳ 05/2025 \(lịch 16/05/2025 08:00\)", log, re.M
    )
    assert start and start.group(1) == "08:00", log  # ... and the collect started at 08:00
    report = _report(workspace)
    assert report["as_of"] == "2025-05-16T08:00:00+07:00"
    units = {u["code"]: u["submission"] for u in report["units"]}
    assert units == {"TDKT": "on_time", "TCBC": "on_time", "VP": "missing", "CCVC": "missing"}
    assert "Nhận tín hiệu SIGTERM" in log and log.rstrip().endswith("Đã dừng chạy theo lịch.")
    with Ledger(workspace.state_dir / LEDGER_NAME) as ledger:
        collects = [j for j in ledger.schedule_jobs() if j["kind"] == COLLECT]
    assert [(j["key"], j["result"], j["started_at"]) for j in collects] == [
        ("2025-05@2025-05-16", OK, "2025-05-16T08:00:00+07:00")
    ]


@pytest.mark.skipif(sys.platform == "win32", reason="libfaketime")
def test_under_faketime_after_a_night_off_the_missed_collect_is_caught_up_once(workspace: Settings, tmp_path):
    ws = str(workspace.workspace)
    env = _env(POLL_MINUTES="1")
    # first started on the 10th (its first poll records the units' files), then stopped
    first = _start([*_faketime("2025-05-10 09:00:00", 60), sys.executable, "-m", "automation", "schedule", "-w", ws],
                   env, tmp_path / "first.out")  # fmt: skip
    try:
        _wait_for(lambda: "Xong: kiểm tra thư" in _log(workspace), 60, first)
        assert _stop(first) == 0
    finally:
        _kill(first)
    # the machine was off over the 16th and the 17th at 08:00; it starts again on the 17th at 10:00
    again = _start([*_faketime("2025-05-17 10:00:00", 60), sys.executable, "-m", "automation", "schedule", "-w", ws],
                   env, tmp_path / "again.out")  # fmt: skip
    try:
        _wait_for(lambda: "Xong: tổng hợp lại kỳ 05/2025" in _log(workspace), 60, again)
        polls = lambda: _log(workspace).count("Xong: kiểm tra thư")  # noqa: E731
        seen = polls()
        _wait_for(lambda: polls() >= seen + 3, 60, again)  # three more fake minutes, three more polls
        assert _stop(again) == 0
    finally:
        _kill(again)
    log = _log(workspace)
    assert re.search(
        r"^2025-05-17 10:0\d:\d\d INFO Bắt đầu: tổng hợp lại kỳ 05/2025 \(lần 1, nhận tệp nộp muộn\) "
        r"\(chạy bù: đến hạn lúc 17/05/2025 08:00 khi chương trình không chạy\)$",
        log,
        re.M,
    ), log
    with Ledger(workspace.state_dir / LEDGER_NAME) as ledger:
        jobs = ledger.schedule_jobs()
    assert [(j["kind"], j["key"], j["result"]) for j in jobs if j["kind"] != POLL] == [
        (
            COLLECT,
            "2025-05@2025-05-17",
            OK,
        ),  # once; not the 16th's as well, and no reminder after the deadline
        (UBND, "2025-05@2025-05-17", OK),  # the coordinator's, due the day before the 18th: not expired
    ]
    report = _report(workspace)
    assert report["as_of"].startswith("2025-05-17T10:0")
    assert {u["code"]: u["submission"] for u in report["units"]}["TDKT"] == "on_time"


@pytest.mark.skipif(sys.platform == "win32", reason="libfaketime")
def test_under_faketime_a_failing_collect_is_logged_and_retried_at_each_poll(workspace: Settings, tmp_path):
    workspace.register_path.unlink()  # the coordinator moved the register away: every collect fails
    command = [*_faketime("2025-05-16 07:59:00", 60), sys.executable, "-m", "automation", "schedule", "-w",
               str(workspace.workspace)]  # fmt: skip
    process = _start(command, _env(POLL_MINUTES="1"), tmp_path / "schedule.out")
    try:
        _wait_for(lambda: _log(workspace).count("ERROR Lỗi: tổng hợp kỳ 05/2025") >= 2, 60, process)
        assert _stop(process) == 0  # the loop survived its failures
    finally:
        _kill(process)
    log = _log(workspace)
    assert "WARNING Không đọc được sổ kế hoạch" in log and "tạm tính hạn nộp là trước ngày 16" in log
    failed = re.findall(
        r"^2025-05-16 (\d\d:\d\d):\d\d ERROR Lỗi: tổng hợp kỳ 05/2025 \(lịch 16/05/2025 08:00(.*)", log, re.M
    )
    first, second = (minute for minute, _ in failed[:2])
    # retried with the next poll, not at once (the clock runs 60× fast: a busy machine may add a minute)
    assert "08:00" <= first < second <= "08:03"
    polls = re.findall(r"^2025-05-16 (\d\d:\d\d):\d\d INFO Xong: kiểm tra thư", log, re.M)
    assert any(first <= minute <= second for minute in polls)
    assert "chạy lại sau lần lỗi trước" in failed[1][1] and "Sẽ chạy lại ở lần kiểm tra sau" in failed[0][1]
    assert "không tìm thấy sổ kế hoạch" in log
    with Ledger(workspace.state_dir / LEDGER_NAME) as ledger:
        jobs = ledger.schedule_jobs()
    assert {j["result"] for j in jobs if j["kind"] == COLLECT} == {FAILED}
    assert {j["result"] for j in jobs if j["kind"] == POLL} == {OK}
    assert "ERROR Lỗi: tổng hợp kỳ 05/2025" in (tmp_path / "schedule.out").read_text(encoding="utf-8")
