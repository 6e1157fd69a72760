"""Email in and out (SPEC §10) against a real Dovecot IMAP server and a real aiosmtpd SMTP server on 127.0.0.1.

Unit emails are built the way mail clients build them (Vietnamese attachment names in RFC 2231 and in
Outlook's RFC 2047 style, a hostile ``../`` name) and put into the mailbox with IMAP APPEND, which sets
the server's received time (INTERNALDATE) as a real delivery would.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from automation.cli import main
from automation.domain.dates import Period
from automation.errors import InputError
from automation.intake.imap import fetch_mail
from automation.plan.register import read_register
from automation.plan.register_write import write_register
from automation.run.workspace import init_workspace
from automation.settings import Settings
from automation.templates.generate import COL_DONE_ON, COL_PROGRESS, COL_RESULTS, COL_STATUS, write_templates
from automation.templates.sample_files import fill_template
from tests.support.mailserver import unit_mail

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MAY = Period(2025, 5)
ADDRESSES = {
    "TDKT": "tdkt@sonoivu.example.vn",
    "TCBC": "tcbc@sonoivu.example.vn",
    "VP": "vanphong@sonoivu.example.vn",
}
COORDINATOR = "dieuphoi@sonoivu.example.vn"
PASSWORD_MARK = "Mật-khẩu"  # part of every test password: must never be printed


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=TZ)


@pytest.fixture
def workspace(tmp_path: Path):
    """A workspace whose register gives TDKT, TCBC and VP an address (CCVC has none), with May's templates."""
    folder = tmp_path / "ws"
    init_workspace(folder)
    settings = Settings.load(folder)
    plan = read_register(settings.register_path).plan
    units = tuple(replace(u, emails=(ADDRESSES[u.code],)) if u.code in ADDRESSES else u for u in plan.units)
    plan = replace(plan, units=units)
    write_register(plan, settings.register_path)
    plan = read_register(settings.register_path).plan
    assert plan.unit("VP").emails == (ADDRESSES["VP"],)
    write_templates(
        plan, settings.master_path, settings.period_dir(MAY) / "mau", MAY, 16, at("2025-05-01T08:00")
    )
    return folder, plan


def _settings(folder: Path, *envs: dict[str, str], **extra: str) -> Settings:
    values: dict[str, str] = {}
    for env in envs:
        values.update(env)
    values.update(extra)
    return Settings.load(folder, values)


def _report(folder: Path, unit: str, out: Path, rows: dict | None = None) -> bytes:
    template = folder / "outbox" / "2025-05" / "mau" / f"{unit}_2025-05.xlsx"
    code = {"TDKT": "1.1", "TCBC": "2.1", "VP": "3.1"}[unit]
    values = rows or {code: {COL_STATUS: "Đang thực hiện", COL_PROGRESS: 50, COL_RESULTS: "Đã triển khai"}}
    fill_template(template, out, values)
    return out.read_bytes()


def _ledger(folder: Path) -> sqlite3.Connection:
    return sqlite3.connect(folder / ".baocao" / "ledger.sqlite")


# --- without servers ------------------------------------------------------------------------------------


def test_fetch_mail_without_a_mailbox_says_so(workspace, capsys):
    folder, _ = workspace
    with pytest.raises(InputError, match="IMAP_HOST"):
        fetch_mail(Settings.load(folder), at("2025-05-14T10:00"))
    assert main(["fetch-mail", "-w", str(folder)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "Chưa cấu hình hộp thư" in err[0]


def test_remind_without_smtp_lists_the_units_and_fails(workspace, capsys):
    folder, _ = workspace
    assert main(["remind", "-w", str(folder), "-p", "2025-05", "--as-of", "2025-05-14T08:00"]) == 1
    captured = capsys.readouterr()
    assert "TDKT" in captured.out and "CCVC" in captured.out and "SMTP_HOST" in captured.err


def test_a_mailbox_that_refuses_connections_is_one_line_and_loses_nothing(workspace, capsys, monkeypatch):
    folder, _ = workspace
    env = {"IMAP_HOST": "127.0.0.1", "IMAP_PORT": "9", "IMAP_SECURITY": "none", "IMAP_USER": "u",
           "IMAP_PASSWORD": f"{PASSWORD_MARK}-1"}  # fmt: skip
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert main(["fetch-mail", "-w", str(folder)]) == 1
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and "Không kết nối được máy chủ thư 127.0.0.1:9" in lines[0]
    assert PASSWORD_MARK not in captured.out + captured.err


# --- fetch-mail against Dovecot ------------------------------------------------------------------------


def _append_month(dovecot, folder: Path, tmp_path: Path) -> dict[str, bytes]:
    """TDKT on the 14th (already read in a mail client), VP with an Outlook-style name and a hostile one,
    a stranger, and a message without a spreadsheet."""
    files = {
        "TDKT": _report(folder, "TDKT", tmp_path / "a.xlsx"),
        "VP": _report(folder, "VP", tmp_path / "b.xlsx"),
        "STRANGER": _report(folder, "TCBC", tmp_path / "c.xlsx"),
    }
    dovecot.append(
        unit_mail(
            ADDRESSES["TDKT"],
            "Báo cáo tháng 5/2025",
            [("Báo cáo tháng 5 - Phòng Thi đua.xlsx", files["TDKT"])],
        ),
        at("2025-05-14T09:00"),
        flags="\\Seen",
    )
    dovecot.append(
        unit_mail(
            ADDRESSES["VP"], "V/v gửi báo cáo", [("../../Văn phòng/báo cáo.xlsx", files["VP"])], outlook=True
        ),
        at("2025-05-15T16:30"),
    )
    dovecot.append(
        unit_mail("la@example.com", "Báo cáo", [("bao-cao.xlsx", files["STRANGER"])]), at("2025-05-15T17:00")
    )
    dovecot.append(unit_mail(ADDRESSES["TCBC"], "Xin gia hạn nộp báo cáo", []), at("2025-05-15T18:00"))
    return files


def test_fetch_takes_each_message_once_with_its_internaldate_and_a_safe_name(workspace, dovecot, tmp_path):
    folder, _ = workspace
    files = _append_month(dovecot, folder, tmp_path)
    settings = _settings(folder, dovecot.settings_env())
    result = fetch_mail(settings, at("2025-05-15T19:00"))
    assert result.messages == 4 and result.without_spreadsheet == 1 and len(result.saved) == 3
    saved = {path.name: (path, sender) for path, sender in result.saved}
    for path, _ in saved.values():
        assert path.parent == folder / "inbox" / "email"
        assert ".." not in path.name and "/" not in path.name
    tdkt = next(p for p, s in saved.values() if s == ADDRESSES["TDKT"])
    assert tdkt.name.endswith("_Báo cáo tháng 5 - Phòng Thi đua.xlsx") and tdkt.name.startswith(
        "2025-05-14_090000_"
    )
    assert tdkt.read_bytes() == files["TDKT"]
    vp = next(p for p, s in saved.values() if s == ADDRESSES["VP"])
    assert vp.name.endswith("_báo cáo.xlsx") and vp.read_bytes() == files["VP"]
    with _ledger(folder) as db:
        arrivals = {
            row[0]: row[1:] for row in db.execute("SELECT path, source, sender, received_at FROM arrivals")
        }
        taken = db.execute("SELECT COUNT(*) FROM mail_in").fetchone()[0]
    assert arrivals[f"inbox/email/{tdkt.name}"] == ("email", ADDRESSES["TDKT"], "2025-05-14T09:00:00+07:00")
    assert taken == 4
    # nothing marked read or moved: the unread messages are still unread
    assert dovecot.unseen_count() == 3
    again = fetch_mail(settings, at("2025-05-15T19:10"))
    assert again.messages == 0 and again.saved == []


def _use(monkeypatch, *envs: dict[str, str]) -> None:
    for env in envs:
        for key, value in env.items():
            monkeypatch.setenv(key, value)


def _collect(folder: Path, as_of: str = "2025-05-16T08:00") -> int:
    return main(["collect", "-w", str(folder), "-p", "2025-05", "--as-of", as_of])


def _report_json(folder: Path) -> dict:
    return json.loads((folder / "outbox" / "2025-05" / "run-report.json").read_text(encoding="utf-8"))


def test_a_unit_email_on_the_14th_is_on_time_and_everyone_gets_their_mail(
    workspace, dovecot, smtp_sink, tmp_path, capsys, monkeypatch
):
    folder, _ = workspace
    _append_month(dovecot, folder, tmp_path)
    _use(monkeypatch, dovecot.settings_env(), smtp_sink.settings_env(), {"COORDINATOR_EMAIL": COORDINATOR})
    assert main(["fetch-mail", "-w", str(folder)]) == 0
    assert "1 tệp đến từ địa chỉ không có trong sổ đăng ký" in capsys.readouterr().out
    assert _collect(folder) == 0
    out = capsys.readouterr().out
    assert "Đã gửi 4 thư" in out
    received = list(smtp_sink.messages)
    assert _collect(folder) == 0  # the same run again: nothing is sent twice
    assert len(smtp_sink.messages) == len(received)

    report = _report_json(folder)
    units = {u["code"]: u for u in report["units"]}
    assert units["TDKT"]["submission"] == "on_time" and units["TDKT"]["received_at"].startswith(
        "2025-05-14T09:00"
    )
    assert units["VP"]["submission"] == "on_time" and units["VP"]["received_at"].startswith(
        "2025-05-15T16:30"
    )
    stranger = next(f for f in report["files"] if f["path"].endswith("_bao-cao.xlsx"))
    assert stranger["outcome"] == "rejected" and "la@example.com" in stranger["reason"]

    by_to = {m.to[0]: m for m in received}
    assert set(by_to) == {ADDRESSES["TDKT"], ADDRESSES["VP"], "la@example.com", COORDINATOR}
    tdkt = by_to[ADDRESSES["TDKT"]]
    assert (
        tdkt.subject
        == "Biên nhận báo cáo: 2025-05-14_090000_1_Báo cáo tháng 5 - Phòng Thi đua.xlsx — Đã nhận"
    )
    assert [name for name, _ in tdkt.attachments()] == ["TDKT_2025-05.xlsx"]
    assert "Kính gửi Ban Thi đua - Khen thưởng," in tdkt.body() and "14/05/2025" in tdkt.body()
    refused = by_to["la@example.com"]
    assert "Bị từ chối" in refused.subject and "la@example.com" in refused.body()
    # its file is TCBC's template: the feedback on this very file goes back to whoever sent it
    assert [name for name, _ in refused.attachments()] == ["TCBC_2025-05.xlsx"]
    coordinator = by_to[COORDINATOR]
    # the month's summary (SPEC §14): the workbook and the report draft the collect wrote
    assert [name for name, _ in coordinator.attachments()] == [
        "tong-hop_2025-05.xlsx",
        "bao-cao_2025-05.docx",
    ]
    assert coordinator.subject.startswith("Tổng hợp báo cáo tiến độ kỳ 05/2025")
    raw_subject = by_to[ADDRESSES["VP"]].raw.split(b"\r\nSubject: ", 1)[1].split(b"\r\n", 1)[0]
    assert raw_subject.isascii() and b"=?utf-8?" in raw_subject.lower()


def test_a_read_message_and_a_rebuilt_folder_are_taken_once(workspace, dovecot, tmp_path):
    folder, _ = workspace
    _append_month(dovecot, folder, tmp_path)
    settings = _settings(folder, dovecot.settings_env())
    first = fetch_mail(settings, at("2025-05-15T19:00"))
    assert len(first.saved) == 3
    dovecot.change_uidvalidity(renumber=True)  # the server rebuilt the folder: every UID is new
    again = fetch_mail(settings, at("2025-05-15T19:30"))
    assert again.messages == 4 and again.saved == [] and again.repeats == 3
    assert len(list((folder / "inbox" / "email").iterdir())) == 3
    late = _report(
        folder,
        "TDKT",
        tmp_path / "late.xlsx",
        {"1.1": {COL_STATUS: "Hoàn thành", COL_DONE_ON: "15/05/2025", COL_RESULTS: "Xong"}},
    )
    dovecot.append(unit_mail(ADDRESSES["TDKT"], "Bổ sung", [("TDKT.xlsx", late)]), at("2025-05-17T08:00"))
    third = fetch_mail(settings, at("2025-05-17T09:00"))
    assert third.messages == 1 and len(third.saved) == 1


def test_a_dropped_connection_mid_fetch_loses_nothing_and_duplicates_nothing(
    workspace, dovecot, drop_proxy, tmp_path, capsys, monkeypatch
):
    folder, _ = workspace
    body = _report(folder, "TDKT", tmp_path / "a.xlsx")
    for number in range(6):
        dovecot.append(unit_mail(ADDRESSES["TDKT"], f"Lần {number}", [(f"bao-cao-{number}.xlsx", body + bytes([number]))]),
                       at(f"2025-05-1{number}T09:00"))  # fmt: skip
    drop_proxy.cut_in_body(3)  # the third message's body is cut half-way
    _use(monkeypatch, drop_proxy.settings_env())
    assert main(["fetch-mail", "-w", str(folder)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "Mất kết nối" in err[0] and "Đã nhận đủ 2 thư" in err[0]
    saved = sorted(p.name for p in (folder / "inbox" / "email").iterdir())
    assert len(saved) == 2 and not any(name.startswith(".") for name in saved)
    assert main(["fetch-mail", "-w", str(folder)]) == 0
    saved = sorted((folder / "inbox" / "email").iterdir())
    assert len(saved) == 6
    assert sorted(p.read_bytes()[-1] for p in saved) == list(range(6))
    with _ledger(folder) as db:
        assert db.execute("SELECT COUNT(*) FROM mail_in").fetchone()[0] == 6


def test_five_hundred_messages_in_one_fetch(workspace, dovecot, tmp_path):
    folder, _ = workspace
    body = _report(folder, "TDKT", tmp_path / "a.xlsx")
    messages = [
        (unit_mail(ADDRESSES["TDKT"], f"Báo cáo số {n}", [(f"bao-cao-{n}.xlsx", body + n.to_bytes(2, "big"))]),
         at("2025-05-14T09:00") + dt.timedelta(minutes=n))
        for n in range(500)
    ]  # fmt: skip
    dovecot.append_many(messages)
    result = fetch_mail(_settings(folder, dovecot.settings_env()), at("2025-05-15T09:00"))
    assert result.messages == 500 and len(result.saved) == 500
    assert len({p.read_bytes() for p, _ in result.saved}) == 500
    assert fetch_mail(_settings(folder, dovecot.settings_env()), at("2025-05-15T09:10")).messages == 0


def test_a_25_mb_attachment_arrives_whole(workspace, dovecot):
    folder, _ = workspace
    big = bytes(range(256)) * (25 * 1024 * 4)  # 25 MiB
    dovecot.append(unit_mail(ADDRESSES["VP"], "Tệp lớn", [("bao-cao-lon.xlsx", big)]), at("2025-05-14T09:00"))
    result = fetch_mail(_settings(folder, dovecot.settings_env()), at("2025-05-15T09:00"))
    assert len(result.saved) == 1 and result.saved[0][0].read_bytes() == big


def test_tls_with_a_trusted_certificate_and_a_one_line_error_without(
    workspace, dovecot_tls, tmp_path, capsys, monkeypatch
):
    folder, _ = workspace
    dovecot_tls.append(unit_mail(ADDRESSES["VP"], "Báo cáo", [("vp.xlsx", _report(folder, "VP", tmp_path / "v.xlsx"))]),
                       at("2025-05-14T09:00"))  # fmt: skip
    _use(monkeypatch, dovecot_tls.settings_env(security="ssl"))
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    assert main(["fetch-mail", "-w", str(folder)]) == 1
    captured = capsys.readouterr()
    assert len(captured.err.strip().splitlines()) == 1 and "TLS" in captured.err
    assert dovecot_tls.password not in captured.out + captured.err
    _use(monkeypatch, dovecot_tls.trust_env())
    assert main(["fetch-mail", "-w", str(folder)]) == 0
    assert len(list((folder / "inbox" / "email").iterdir())) == 1
    _use(monkeypatch, dovecot_tls.settings_env(security="starttls"))  # the same mailbox by STARTTLS
    dovecot_tls.append(
        unit_mail(ADDRESSES["VP"], "Bổ sung", [("vp2.xlsx", b"PK\x03\x04 second")]), at("2025-05-15T09:00")
    )
    assert main(["fetch-mail", "-w", str(folder)]) == 0
    assert len(list((folder / "inbox" / "email").iterdir())) == 2


def test_a_refused_login_is_one_line_without_the_password(workspace, dovecot, capsys, monkeypatch):
    folder, _ = workspace
    _use(monkeypatch, dovecot.settings_env(), {"IMAP_PASSWORD": f"{PASSWORD_MARK} sai"})
    assert main(["fetch-mail", "-w", str(folder)]) == 1
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and "từ chối đăng nhập" in lines[0] and dovecot.user in lines[0]
    assert PASSWORD_MARK not in captured.out + captured.err


def test_receipts_not_sent_while_smtp_is_down_are_sent_next_time_once(
    workspace, dovecot, smtp_sink, tmp_path, capsys, monkeypatch
):
    folder, _ = workspace
    _append_month(dovecot, folder, tmp_path)
    _use(monkeypatch, dovecot.settings_env(), smtp_sink.settings_env())
    assert main(["fetch-mail", "-w", str(folder)]) == 0
    smtp_sink.stop()
    assert _collect(folder) == 1
    captured = capsys.readouterr()
    assert (
        "Không kết nối được máy chủ gửi thư" in captured.err and len(captured.err.strip().splitlines()) == 1
    )
    assert smtp_sink.settings_env()["SMTP_PASSWORD"] not in captured.out + captured.err
    assert (folder / "outbox" / "2025-05" / "tong-hop_2025-05.xlsx").is_file()  # the results are there
    smtp_sink.start()
    assert _collect(folder, "2025-05-16T09:00") == 0
    assert sorted(m.to[0] for m in smtp_sink.messages) == sorted(
        [ADDRESSES["TDKT"], ADDRESSES["VP"], "la@example.com"]
    )
    assert _collect(folder, "2025-05-17T08:00") == 0
    assert len(smtp_sink.messages) == 3


def test_reminders_go_only_to_units_with_nothing_accepted_once_a_day(
    workspace, smtp_sink, tmp_path, capsys, monkeypatch
):
    folder, _ = workspace
    inbox = folder / "inbox"
    accepted = inbox / "TDKT_2025-05.xlsx"
    _report(folder, "TDKT", accepted)
    os.utime(accepted, (at("2025-05-12T09:00").timestamp(),) * 2)  # saved into the folder on the 12th
    invalid = inbox / "VP_2025-05.xlsx"  # VP: only a file that cannot be used (sent back empty)
    fill_template(folder / "outbox" / "2025-05" / "mau" / "VP_2025-05.xlsx", invalid, {})
    os.utime(invalid, (at("2025-05-13T09:00").timestamp(),) * 2)
    _use(monkeypatch, smtp_sink.settings_env())
    args = ["remind", "-w", str(folder), "-p", "2025-05", "--as-of", "2025-05-14T08:00"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "CCVC" in out and "Không có địa chỉ thư" in out  # CCVC has no address in the register
    sent = {m.to[0]: m for m in smtp_sink.messages}
    assert set(sent) == {ADDRESSES["VP"], ADDRESSES["TCBC"]}
    vp = sent[ADDRESSES["VP"]]
    assert vp.subject == "Nhắc nộp báo cáo tiến độ kỳ 05/2025 — hạn trước ngày 16/05/2025"
    assert "không hợp lệ" in vp.body() and "15/05/2025" in vp.body()
    assert [name for name, _ in vp.attachments()] == ["VP_2025-05.xlsx"]
    assert [name for name, _ in sent[ADDRESSES["TCBC"]].attachments()] == ["TCBC_2025-05.xlsx"]
    assert main(args) == 0  # again the same day: nobody is reminded twice
    assert len(smtp_sink.messages) == 2


@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_results_go_out_over_tls_to_a_trusted_server_and_fail_in_one_line_otherwise(
    workspace, mail_certificate, security, capsys, monkeypatch
):
    from tests.support.mailserver import SmtpSink

    folder, _ = workspace
    with SmtpSink(certificate=mail_certificate, security=security) as sink:
        _use(monkeypatch, sink.settings_env(), {"COORDINATOR_EMAIL": COORDINATOR})
        monkeypatch.delenv("SSL_CERT_FILE", raising=False)
        assert _collect(folder) == 1  # the server's certificate is not trusted
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "TLS" in err[0] and sink.password not in err[0]
        assert sink.messages == []
        _use(monkeypatch, mail_certificate.trust_env())
        assert _collect(folder) == 0  # the results not sent last time go now
        assert [m.to[0] for m in sink.messages] == [COORDINATOR]
        assert [name for name, _ in sink.messages[0].attachments()] == [
            "tong-hop_2025-05.xlsx",
            "bao-cao_2025-05.docx",
        ]
