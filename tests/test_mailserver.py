"""The mail servers the email tests run against (tests/support/mailserver.py) do what those tests rely on.

Real servers throughout: Dovecot IMAP (plain and TLS), a proxy that drops connections, aiosmtpd.
"""

from __future__ import annotations

import imaplib
import os
import re
import smtplib
import socket
import ssl
import subprocess
import sys
import time
import unicodedata
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import pytest

from tests.support.mailserver import (
    HOSTILE_XLSX_NAME,
    VIETNAMESE_XLSX_NAME,
    Dovecot,
    DropProxy,
    SmtpSink,
    require_dovecot,
    unit_mail,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
RECEIVED = datetime(2025, 6, 14, 9, 30, 15, tzinfo=VN)
XLSX = b"PK\x03\x04 not really a workbook \x00\xff" * 10


def _mail(n: int = 0) -> bytes:
    return unit_mail("phongtochuc@example.vn", f"Báo cáo tháng 5 số {n}", [(VIETNAMESE_XLSX_NAME, XLSX)])


def _raw_fetch(conn: imaplib.IMAP4, uid: int, item: str) -> bytes:
    typ, data = conn.uid("FETCH", str(uid), f"({item})")
    assert typ == "OK", data
    return data[0][0] if isinstance(data[0], tuple) else data[0]


# ------------------------------------------------------------------------------------------- Dovecot


def test_append_keeps_the_given_internaldate(dovecot: Dovecot):
    uid = dovecot.append(_mail(), RECEIVED)
    with dovecot.session() as conn:
        conn.select("INBOX", readonly=True)
        line = _raw_fetch(conn, uid, "INTERNALDATE")
    date = re.search(rb'INTERNALDATE "([^"]+)"', line).group(1).decode()  # type: ignore[union-attr]
    assert datetime.strptime(date, "%d-%b-%Y %H:%M:%S %z") == RECEIVED
    (stored,) = dovecot.messages()
    assert stored.uid == uid
    assert stored.internaldate == RECEIVED  # same instant, whatever offset the server reports
    assert stored.flags == frozenset()


def test_seen_flag_as_if_read_in_a_mail_client(dovecot: Dovecot):
    read = dovecot.append(_mail(1), RECEIVED, flags="\\Seen")
    unread = dovecot.append(_mail(2), RECEIVED + timedelta(minutes=1))
    flags = dovecot.flags()
    assert "\\Seen" in flags[read]
    assert "\\Seen" not in flags[unread]
    # Reading the flags (and BODY.PEEK) leaves them alone.
    with dovecot.session() as conn:
        conn.select("INBOX")
        _raw_fetch(conn, unread, "BODY.PEEK[]")
    assert "\\Seen" not in dovecot.flags()[unread]
    assert dovecot.unseen_count() == 1


def test_user_and_password_from_settings_env_log_in_and_a_wrong_password_does_not(dovecot: Dovecot):
    env = dovecot.settings_env()
    assert env["IMAP_SECURITY"] == "none"
    assert env["IMAP_FOLDER"] == "INBOX"
    conn = imaplib.IMAP4(env["IMAP_HOST"], int(env["IMAP_PORT"]))
    assert conn.login(env["IMAP_USER"], env["IMAP_PASSWORD"])[0] == "OK"
    conn.logout()
    conn = imaplib.IMAP4(env["IMAP_HOST"], int(env["IMAP_PORT"]))
    with pytest.raises(imaplib.IMAP4.error):
        conn.login(env["IMAP_USER"], "wrong")
    conn.logout()


def test_uidvalidity_changes_in_place_keeping_uids(dovecot: Dovecot):
    uids = dovecot.append_many([(_mail(i), RECEIVED) for i in range(3)])
    old = dovecot.uidvalidity()
    new = dovecot.change_uidvalidity()
    assert new != old
    assert dovecot.uidvalidity() == new
    assert [m.uid for m in dovecot.messages()] == uids
    assert dovecot.change_uidvalidity(4242) == 4242


def test_uidvalidity_change_with_renumbering_moves_uids_to_other_messages(dovecot: Dovecot):
    dates = [RECEIVED + timedelta(hours=i) for i in range(3)]
    dovecot.append_many([(_mail(i), d, "\\Seen" if i == 2 else "") for i, d in enumerate(dates)])
    with dovecot.session() as conn:  # expunge UID 1, so after renumbering UID 1 is another message
        conn.select("INBOX")
        conn.uid("STORE", "1", "+FLAGS.SILENT", "(\\Deleted)")
        conn.expunge()
    old = dovecot.uidvalidity()
    assert [m.uid for m in dovecot.messages()] == [2, 3]
    new = dovecot.change_uidvalidity(renumber=True)
    assert new != old
    after = dovecot.messages()
    assert [m.uid for m in after] == [1, 2]
    assert [m.internaldate for m in after] == dates[1:]
    assert ["\\Seen" in m.flags for m in after] == [False, True]
    with dovecot.session() as conn:
        conn.select("INBOX", readonly=True)
        _, data = conn.uid("FETCH", "1", "(BODY.PEEK[])")
    assert message_from_bytes(data[0][1], policy=policy.default)["Subject"] == "Báo cáo tháng 5 số 1"


def test_five_hundred_appends_over_one_connection(dovecot: Dovecot):
    uids = dovecot.append_many(
        [(f"Subject: {i}\r\nFrom: a@example.vn\r\n\r\nx\r\n".encode(), RECEIVED) for i in range(500)]
    )
    assert uids == list(range(1, 501))
    assert len(dovecot.messages()) == 500


def test_a_25_mb_attachment_goes_in_and_comes_back_whole(dovecot: Dovecot):
    big = os.urandom(25 * 1024 * 1024)
    uid = dovecot.append(unit_mail("a@example.vn", "Tệp lớn", [("lớn.xlsx", big)]), RECEIVED)
    with dovecot.session() as conn:
        conn.select("INBOX", readonly=True)
        _, data = conn.uid("FETCH", str(uid), "(BODY.PEEK[])")
    (part,) = message_from_bytes(data[0][1], policy=policy.default).iter_attachments()
    assert part.get_content() == big


def test_server_stops_cleanly_and_leaves_nothing_behind():
    require_dovecot()
    with Dovecot() as server:
        pid = server._proc.pid  # type: ignore[union-attr]
        root, port = server.root, server.port
        server.stop()
        with pytest.raises(OSError):
            socket.create_connection((server.host, port), timeout=1)
        server.start()  # same port, same mail
        assert server.port == port
        server.append(_mail(), RECEIVED)
        pid = server._proc.pid  # type: ignore[union-attr]
    assert _group_gone(pid), "Dovecot processes outlived the fixture"
    assert not root.exists()


def _group_gone(pid: int, within: float = 10.0) -> bool:
    """Whether process group ``pid`` is empty within ``within`` seconds (orphans are reaped by init, later
    on a loaded machine)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.killpg(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


# ----------------------------------------------------------------------------------------------- TLS

_TLS_CLIENT = """
import imaplib, ssl, sys
try:
    conn = imaplib.IMAP4_SSL(sys.argv[1], int(sys.argv[2]), ssl_context=ssl.create_default_context())
    print(conn.login(sys.argv[3], sys.argv[4])[0])
except Exception as exc:
    print(type(exc).__name__)
"""


def _tls_client(server: Dovecot, env: dict[str, str]) -> str:
    args = [server.host, str(server.ssl_port), server.user, server.password]
    done = subprocess.run(
        [sys.executable, "-c", _TLS_CLIENT, *args], env=env, capture_output=True, text=True, timeout=30
    )
    return done.stdout.strip() + done.stderr


def test_tls_is_trusted_through_ssl_cert_file_and_only_then(dovecot_tls: Dovecot):
    assert dovecot_tls.settings_env()["IMAP_SECURITY"] == "ssl"
    assert dovecot_tls.settings_env()["IMAP_PORT"] == str(dovecot_tls.ssl_port)
    base = {k: v for k, v in os.environ.items() if k not in ("SSL_CERT_FILE", "SSL_CERT_DIR")}
    assert _tls_client(dovecot_tls, base | dovecot_tls.trust_env()) == "OK"
    assert _tls_client(dovecot_tls, base) == "SSLCertVerificationError"


def test_ssl_cert_file_also_works_when_set_inside_the_test_process(
    dovecot_tls: Dovecot, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("SSL_CERT_FILE", str(dovecot_tls.cert_path))
    context = ssl.create_default_context()
    conn = imaplib.IMAP4_SSL(dovecot_tls.host, dovecot_tls.ssl_port, ssl_context=context)
    assert conn.login(dovecot_tls.user, dovecot_tls.password)[0] == "OK"
    conn.logout()


def test_starttls_works_on_the_plain_port(dovecot_tls: Dovecot):
    conn = imaplib.IMAP4(dovecot_tls.host, dovecot_tls.port)
    assert "STARTTLS" in conn.capabilities
    conn.logout()
    with dovecot_tls.session(security="starttls") as conn:
        assert conn.select("INBOX")[0] == "OK"
    assert dovecot_tls.settings_env("starttls")["IMAP_PORT"] == str(dovecot_tls.port)


# ----------------------------------------------------------------------------------------- DropProxy


def _proxied(proxy: DropProxy, server: Dovecot) -> imaplib.IMAP4:
    conn = imaplib.IMAP4(proxy.host, proxy.port, timeout=10)
    conn.login(server.user, server.password)
    conn.select("INBOX", readonly=True)
    return conn


def test_drop_proxy_cuts_the_third_body_download_then_lets_the_next_connection_through(
    dovecot: Dovecot, drop_proxy: DropProxy
):
    dovecot.append_many([(_mail(i), RECEIVED) for i in range(5)])
    assert drop_proxy.settings_env()["IMAP_PORT"] == str(drop_proxy.port)
    drop_proxy.cut_in_body(3)
    conn = _proxied(drop_proxy, dovecot)
    got = []
    with pytest.raises((imaplib.IMAP4.abort, OSError)):
        for uid in range(1, 6):
            _raw_fetch(conn, uid, "BODY.PEEK[]")
            got.append(uid)
    assert got == [1, 2]
    assert drop_proxy.cuts == 1
    conn = _proxied(drop_proxy, dovecot)
    for uid in range(1, 6):
        _raw_fetch(conn, uid, "BODY.PEEK[]")
    conn.logout()


def test_drop_proxy_cuts_inside_one_multi_message_fetch(dovecot: Dovecot, drop_proxy: DropProxy):
    dovecot.append_many([(_mail(i), RECEIVED) for i in range(5)])
    drop_proxy.cut_in_fetch(4, reset=True)
    conn = _proxied(drop_proxy, dovecot)
    with pytest.raises((imaplib.IMAP4.abort, OSError)):
        conn.uid("FETCH", "1:*", "(UID INTERNALDATE BODY.PEEK[])")
    assert drop_proxy.cuts == 1


def test_drop_proxy_can_stall_a_connection_until_healed(dovecot: Dovecot, drop_proxy: DropProxy):
    dovecot.append(_mail(), RECEIVED)
    drop_proxy.cut_in_body(1, stall=True)
    conn = _proxied(drop_proxy, dovecot)
    conn.sock.settimeout(0.5)
    with pytest.raises((TimeoutError, imaplib.IMAP4.abort)):
        _raw_fetch(conn, 1, "BODY.PEEK[]")
    drop_proxy.heal()
    conn = _proxied(drop_proxy, dovecot)
    assert b"BODY[]" in _raw_fetch(conn, 1, "BODY.PEEK[]")
    conn.logout()


def test_drop_proxy_cuts_after_n_bytes(dovecot: Dovecot, drop_proxy: DropProxy):
    drop_proxy.cut_after_bytes(10)
    with pytest.raises((imaplib.IMAP4.abort, imaplib.IMAP4.error, OSError)):
        imaplib.IMAP4(drop_proxy.host, drop_proxy.port, timeout=10)
    _proxied(drop_proxy, dovecot).logout()
    assert drop_proxy.connections == 2


# ------------------------------------------------------------------------------------------ SmtpSink


def _send(sink: SmtpSink, subject: str, *, login: bool = True, password: str | None = None) -> None:
    env = sink.settings_env()
    msg = EmailMessage()
    msg["From"] = env["SMTP_FROM"]
    msg["To"] = "Phòng Tổ chức <phongtochuc@example.vn>"
    msg["Subject"] = subject
    msg.set_content("Đã nhận báo cáo của đơn vị.")
    msg.add_attachment(XLSX, "application", "octet-stream", filename=VIETNAMESE_XLSX_NAME)
    with smtplib.SMTP(env["SMTP_HOST"], int(env["SMTP_PORT"]), timeout=10) as smtp:
        if login:
            smtp.login(env["SMTP_USER"], password if password is not None else env["SMTP_PASSWORD"])
        smtp.send_message(msg)


def test_smtp_sink_receives_a_vietnamese_message_after_auth(smtp_sink: SmtpSink):
    subject = "Biên nhận: Báo cáo tháng 5/2025 — Phòng Tổ chức đã được tiếp nhận"
    _send(smtp_sink, subject)
    (mail,) = smtp_sink.messages
    assert mail.subject == subject
    assert mail.rcpt_tos == mail.to == ["phongtochuc@example.vn"]
    assert mail.mail_from == "baocao@example.vn"
    assert mail.login == smtp_sink.user
    assert "Đã nhận báo cáo" in mail.body()
    assert mail.attachments() == [(VIETNAMESE_XLSX_NAME, XLSX)]
    assert mail.data.split(b"\r\n\r\n")[0].isascii()  # headers encoded for the wire (RFC 2047)
    assert smtp_sink.logins == [("PLAIN", smtp_sink.user, True)]


def test_smtp_sink_requires_auth_and_checks_the_password(smtp_sink: SmtpSink):
    with pytest.raises(smtplib.SMTPAuthenticationError):
        _send(smtp_sink, "x", password="sai mật khẩu".encode("ascii", "replace").decode())
    with pytest.raises(smtplib.SMTPException):
        _send(smtp_sink, "x", login=False)
    assert smtp_sink.messages == []


def test_smtp_sink_refuses_while_stopped_and_takes_mail_again_after(smtp_sink: SmtpSink):
    smtp_sink.stop()
    with pytest.raises(ConnectionRefusedError):
        _send(smtp_sink, "không gửi được")
    smtp_sink.start()
    smtp_sink.fail_next()
    with pytest.raises(smtplib.SMTPDataError) as failure:
        _send(smtp_sink, "tạm thời lỗi")
    assert failure.value.smtp_code == 451
    _send(smtp_sink, "gửi lại")
    assert [m.subject for m in smtp_sink.messages] == ["gửi lại"]


# ---------------------------------------------------------------------------------------- unit_mail


@pytest.mark.parametrize("style", ["rfc2231", "rfc2047", "utf8"])
def test_unit_mail_filename_styles(style: str):
    raw = unit_mail(
        "Phòng Tổ chức <phongtochuc@example.vn>",
        "Báo cáo tháng 5",
        [(VIETNAMESE_XLSX_NAME, XLSX), (HOSTILE_XLSX_NAME, b"evil")],
        datetime(2025, 6, 14, 9, 0, tzinfo=VN),
        filename_style=style,
    )
    if style == "rfc2231":
        assert b"filename*0*=utf-8''B%C3%A1o" in raw
    elif style == "rfc2047":
        assert b'filename="=?utf-8?B?' in raw and b'name="=?utf-8?B?' in raw
    else:
        assert f'filename="{VIETNAMESE_XLSX_NAME}"'.encode() in raw
    assert b'filename="../../etc/x.xlsx"' in raw
    if style == "rfc2047":
        assert (
            unit_mail("a@example.vn", "x", [(VIETNAMESE_XLSX_NAME, XLSX)], outlook=True).count(b"?utf-8?B?")
            >= 2
        )
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    msg = message_from_bytes(raw, policy=policy.default)
    assert msg["Date"].datetime == datetime(2025, 6, 14, 9, 0, tzinfo=VN)
    names = [part.get_filename() for part in msg.iter_attachments()]
    if style == "utf8":  # raw UTF-8 in a header: the stdlib gives surrogate escapes; products must cope
        assert names[0].encode("utf-8", "surrogateescape").decode("utf-8") == VIETNAMESE_XLSX_NAME
    else:
        assert names[0] == VIETNAMESE_XLSX_NAME
    assert names[1] == HOSTILE_XLSX_NAME
    assert [part.get_content() for part in msg.iter_attachments()] == [XLSX, b"evil"]


def test_unit_mail_nfd_names_and_the_round_trip_through_dovecot(dovecot: Dovecot):
    raw = unit_mail("a@example.vn", "Báo cáo", [(VIETNAMESE_XLSX_NAME, XLSX)], normalization="NFD")
    uid = dovecot.append(raw, RECEIVED)
    with dovecot.session() as conn:
        conn.select("INBOX", readonly=True)
        _, data = conn.uid("FETCH", str(uid), "(BODY.PEEK[])")
    assert data[0][1] == raw
    (part,) = message_from_bytes(data[0][1], policy=policy.default).iter_attachments()
    assert part.get_filename() != VIETNAMESE_XLSX_NAME
    assert unicodedata.normalize("NFC", part.get_filename()) == VIETNAMESE_XLSX_NAME
