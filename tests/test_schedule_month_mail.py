"""The month's calendar by mail (SPEC §15) under libfaketime, with the real aiosmtpd sink: templates on
the 1st at 08:00, reminders on the last two working days before the deadline (Thursday 13 and Friday
14/03/2025, the 16th being a Sunday), none on the weekend, the coordinator's digest after the deadline
and the coordinator's reminder, draft attached, the day before the report to the province is due."""

from __future__ import annotations

import datetime as dt
import os
import sys
from dataclasses import replace
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest

from automation.domain.dates import Period
from automation.domain.model import Unit
from automation.plan.register import read_register
from automation.plan.register_write import write_register
from automation.run.plan_tasks import send_templates
from automation.run.workspace import init_workspace
from automation.schedule.calendar import COLLECT, OK, REMIND, TEMPLATES, UBND
from automation.settings import Settings
from automation.state.ledger import LEDGER_NAME, Ledger
from automation.templates.generate import COL_PROGRESS, COL_RESULTS, COL_STATUS
from automation.templates.sample_files import fill_template
from tests.support.mailserver import SmtpSink
from tests.test_schedule import TZ, _env, _faketime, _kill, _log, _start, _stop, _wait_for, at

MARCH = Period(2025, 3)
ADDRESSES = {"TDKT": "tdkt@snv.example.vn", "TCBC": "tcbc@snv.example.vn", "VP": "vanphong@snv.example.vn"}
COORDINATOR = "tonghop@snv.example.vn"


@pytest.fixture
def sink():
    with SmtpSink(auth=False) as server:
        yield server


@pytest.fixture
def workspace(tmp_path: Path) -> Settings:
    """TDKT, TCBC and VP have an address (CCVC none); the register's days off are 2025's."""
    folder = tmp_path / "ws"
    init_workspace(folder, today=dt.date(2025, 1, 2))
    config = Settings.load(folder)
    plan = read_register(config.register_path).plan
    units = tuple(replace(u, emails=(ADDRESSES[u.code],)) if u.code in ADDRESSES else u for u in plan.units)
    write_register(replace(plan, units=units), config.register_path)
    return config


def _run(config: Settings, env: dict[str, str], start: str, done: str, out: Path, speed: int = 20) -> str:
    """``baocao schedule`` from ``start`` (fake local time) until the log says ``done``; the log."""
    command = [
        *_faketime(start, speed),
        sys.executable,
        "-m",
        "automation",
        "schedule",
        "-w",
        str(config.workspace),
    ]
    process = _start(command, env, out)
    try:
        _wait_for(lambda: done in _log(config), 90, process)
        assert _stop(process) == 0
    finally:
        _kill(process)
    return _log(config)


def _jobs(config: Settings) -> list[tuple[str, str, str, str]]:
    with Ledger(config.state_dir / LEDGER_NAME) as ledger:
        return [
            (j["kind"], j["key"], j["result"], j["started_at"])
            for j in ledger.schedule_jobs()
            if j["kind"] != "poll"
        ]


def _local(message) -> dt.datetime:
    return parsedate_to_datetime(message.message["Date"]).astimezone(TZ)


@pytest.mark.skipif(sys.platform == "win32", reason="libfaketime")
def test_the_month_by_mail_under_faketime(workspace: Settings, sink: SmtpSink, tmp_path: Path):
    env = _env(COORDINATOR_EMAIL=COORDINATOR, **sink.settings_env())

    # 1 March, 08:00: each unit with an address gets its own template, the guide and the deadline
    _run(workspace, env, "2025-03-01 07:58:00", "Xong: gửi mẫu báo cáo kỳ 03/2025", tmp_path / "1.out")
    assert [job[:3] for job in _jobs(workspace)] == [(TEMPLATES, "2025-03@2025-03-01", OK)]
    assert _jobs(workspace)[0][3] == "2025-03-01T08:00:00+07:00"
    mails = {m.to[0]: m for m in sink.messages}
    assert set(mails) == set(ADDRESSES.values())  # CCVC has no address; the coordinator gets none
    vp = mails[ADDRESSES["VP"]]
    assert vp.subject == "Mẫu báo cáo tiến độ kỳ 03/2025 — hạn nộp trước ngày 16/03/2025"
    assert [name for name, _ in vp.attachments()] == ["VP_2025-03.xlsx"]
    body = vp.body()
    assert "Kính gửi Văn phòng Sở" in body and "trước ngày 16/03/2025 (chậm nhất hết ngày 15/03/2025)" in body
    assert "Sheet Hướng dẫn giải thích từng cột" in body
    # no mailbox is configured: units are told the shared folder, never the coordinator's address
    assert "chép tệp vào thư mục dùng chung «inbox»" in body and COORDINATOR not in body
    assert (_local(vp).date(), _local(vp).hour) == (dt.date(2025, 3, 1), 8)
    sink.clear()

    # a unit added to the register later gets its template at the next poll; TDKT sends its report
    plan = read_register(workspace.register_path).plan
    added = Unit("KHTC", "Phòng Kế hoạch - Tài chính", (), ("khtc@snv.example.vn",))
    write_register(replace(plan, units=(*plan.units, added)), workspace.register_path)
    report = workspace.inbox_dir / "TDKT_2025-03.xlsx"
    values = {"1.1": {COL_STATUS: "Đang thực hiện", COL_PROGRESS: 60, COL_RESULTS: "Đã triển khai"}}
    fill_template(workspace.period_dir(MARCH) / "mau" / "TDKT_2025-03.xlsx", report, values)
    os.utime(report, (at("2025-03-10T09:00").timestamp(),) * 2)

    # Thursday 13 and Friday 14 March, 08:00: reminders to the units with nothing accepted
    _run(
        workspace,
        env,
        "2025-03-13 07:58:00",
        "Xong: nhắc các đơn vị chưa nộp kỳ 03/2025",
        tmp_path / "13.out",
    )
    new = [
        m for m in sink.messages if m.to == ["khtc@snv.example.vn"] and m.subject.startswith("Mẫu báo cáo")
    ]
    assert len(new) == 1
    assert [name for name, _ in new[0].attachments()] == ["KHTC_2025-03.xlsx"]
    reminders = [m for m in sink.messages if m.subject.startswith("Nhắc nộp")]
    assert sorted(m.to[0] for m in reminders) == sorted(
        [ADDRESSES["TCBC"], ADDRESSES["VP"], "khtc@snv.example.vn"]
    )
    vp = next(m for m in reminders if m.to == [ADDRESSES["VP"]])
    assert "Các nhiệm vụ đơn vị chủ trì còn chưa có báo cáo:\n- 2.2 — " in vp.body()
    assert "\n- 3.1 — " in vp.body() and "- 1.1 — " not in vp.body()  # VP's own tasks
    assert "chép tệp vào thư mục dùng chung «inbox»" in vp.body() and COORDINATOR not in vp.body()
    assert {(_local(m).date(), _local(m).hour) for m in reminders} == {(dt.date(2025, 3, 13), 8)}
    sink.clear()
    _run(
        workspace,
        env,
        "2025-03-14 07:58:00",
        "Xong: nhắc các đơn vị chưa nộp kỳ 03/2025 (lịch 14/03",
        tmp_path / "14.out",
    )
    assert len([m for m in sink.messages if m.subject.startswith("Nhắc nộp")]) == 3
    sink.clear()

    # Saturday 15: the scheduler runs over 08:00 and reminds nobody
    polls = lambda: _log(workspace).count("Xong: kiểm tra thư")  # noqa: E731
    seen = polls()
    _run(
        workspace,
        dict(env, POLL_MINUTES="1"),
        "2025-03-15 07:58:00",
        "2025-03-15 08:02",
        tmp_path / "15.out",
        30,
    )
    assert polls() > seen and sink.messages == []
    reminds = [job for job in _jobs(workspace) if job[0] == REMIND]
    assert [key for _, key, _, _ in reminds] == ["2025-03@2025-03-13", "2025-03@2025-03-14"]

    # Monday 17: the 16th's collect caught up, the re-collect mails the coordinator who is still missing,
    # then the coordinator's reminder (the report to the province is due before the 18th), draft attached
    _run(workspace, env, "2025-03-17 07:58:00", "Xong: nhắc người tổng hợp", tmp_path / "17.out")
    jobs = [job[:3] for job in _jobs(workspace) if job[0] in (COLLECT, UBND)]
    assert jobs == [
        (COLLECT, "2025-03@2025-03-16", OK),
        (COLLECT, "2025-03@2025-03-17", OK),
        (UBND, "2025-03@2025-03-17", OK),
    ]
    to_coordinator = [m for m in sink.messages if m.to == [COORDINATOR]]
    digests = [m for m in to_coordinator if "đơn vị chưa nộp hoặc nộp chưa hợp lệ" in m.subject]
    assert len(digests) == 1  # the 16th's collect is no re-collect: one digest, the 17th's
    digest = digests[0]
    assert digest.subject == "Kỳ 03/2025: còn 4 đơn vị chưa nộp hoặc nộp chưa hợp lệ"
    for code in ("TCBC", "VP", "CCVC", "KHTC"):
        assert f"- {code} — " in digest.body()
    assert "- TDKT — " not in digest.body() and "chưa có trong sổ kế hoạch" in digest.body()  # CCVC
    (ubnd,) = [m for m in to_coordinator if m.subject.startswith("Nhắc: hạn báo cáo UBND")]
    assert ubnd.subject == "Nhắc: hạn báo cáo UBND tỉnh kỳ 03/2025 là trước ngày 18/03/2025"
    assert [name for name, _ in ubnd.attachments()] == ["bao-cao_2025-03.docx"]
    assert "baocao close --period 2025-03" in ubnd.body()
    assert (_local(ubnd).date(), _local(ubnd).hour) == (dt.date(2025, 3, 17), 8)


def test_templates_send_names_the_mailbox_baocao_reads_and_goes_once(workspace: Settings, sink: SmtpSink):
    values = {
        **sink.settings_env(), "IMAP_HOST": "imap.snv.example.vn", "IMAP_USER": "baocao@snv.example.vn",
        "COORDINATOR_EMAIL": COORDINATOR,
    }  # fmt: skip
    config = Settings.load(workspace.workspace, values)
    done = send_templates(config, MARCH, at("2025-03-01T08:00"))
    assert [u.code for u in done.without_address] == ["CCVC"]
    assert done.sent is not None and len(done.sent.sent) == 3
    message = next(m for m in sink.messages if m.to == [ADDRESSES["TCBC"]])
    assert "gửi tệp qua email tới baocao@snv.example.vn" in message.body()
    assert message.message["Reply-To"] == "baocao@snv.example.vn" and COORDINATOR not in message.body()
    again = send_templates(config, MARCH, at("2025-03-02T08:00"))  # by hand once more: nobody twice
    assert again.sent is not None and again.sent.sent == [] and again.sent.already == 3
    assert len(sink.messages) == 3
    other = Settings.load(workspace.workspace, {**values, "REPORT_ADDRESS": "nopbaocao@snv.example.vn"})
    assert other.how_to_send() == "gửi tệp qua email tới nopbaocao@snv.example.vn"
