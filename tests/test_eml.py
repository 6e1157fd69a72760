"""Email intake: spreadsheet attachments of a message, their decoded names and safe names."""

from __future__ import annotations

import base64
import datetime as dt
import unicodedata
from email.message import EmailMessage

import pytest
from hypothesis import given
from hypothesis import strategies as st

from automation.intake.eml import MAX_NAME_BYTES, read_eml, safe_filename

XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _message(
    *attachments: tuple[bytes, str, tuple[str, str]], subject: str = "Báo cáo tháng 5/2025"
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = '"Văn phòng Sở" <VanPhong.SNV@HaiDuong.gov.vn>'
    message["To"] = "tonghop@haiduong.gov.vn"
    message["Subject"] = subject
    message["Date"] = "Thu, 15 May 2025 16:30:00 +0700"
    message.set_content("Kính gửi Phòng CCVC, đơn vị gửi báo cáo tháng 5.")
    for data, name, (maintype, subtype) in attachments:
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message


def test_sender_subject_and_date_are_decoded():
    message = read_eml(_message(subject="Báo cáo tiến độ tháng 5/2025 — Văn phòng Sở").as_bytes())
    assert message.sender == "vanphong.snv@haiduong.gov.vn"
    assert message.subject == "Báo cáo tiến độ tháng 5/2025 — Văn phòng Sở"
    assert message.date == dt.datetime(2025, 5, 15, 16, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    assert message.date.utcoffset() == dt.timedelta(hours=7)


def test_vietnamese_name_in_rfc_2231_is_decoded():
    raw = _message((b"PK-data", "Báo cáo tháng 5 - Văn phòng.xlsx", XLSX)).as_bytes()
    assert b"filename*0*=utf-8''" in raw  # RFC 2231, split into continuations
    (attachment,) = read_eml(raw).attachments
    assert attachment.name == "Báo cáo tháng 5 - Văn phòng.xlsx"
    assert attachment.safe_name == "Báo cáo tháng 5 - Văn phòng.xlsx"
    assert attachment.data == b"PK-data"


def test_vietnamese_name_in_rfc_2047_encoded_words_is_decoded():
    name = "Báo cáo CCVC tháng 05.xls"
    encoded = "=?UTF-8?B?" + base64.b64encode(name.encode()).decode() + "?="
    raw = (
        "From: Phong CCVC <ccvc@haiduong.gov.vn>\r\n"
        "Subject: =?UTF-8?Q?B=C3=A1o_c=C3=A1o?=\r\n"
        "Date: Wed, 14 May 2025 09:00:00 +0700\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n'
        "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nGửi báo cáo\r\n"
        f'--b1\r\nContent-Type: application/vnd.ms-excel; name="{encoded}"\r\n'
        f'Content-Disposition: attachment; filename="{encoded}"\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\n"
        f"{base64.b64encode(b'xls-bytes').decode()}\r\n--b1--\r\n"
    ).encode()
    message = read_eml(raw)
    assert message.subject == "Báo cáo"
    (attachment,) = message.attachments
    assert attachment.name == name and attachment.data == b"xls-bytes"


def test_nfd_names_become_nfc():
    (attachment,) = read_eml(
        _message(
            (
                b"x",
                unicodedata.normalize("NFD", "Báo cáo.ods"),
                ("application", "vnd.oasis.opendocument.spreadsheet"),
            )
        ).as_bytes()
    ).attachments
    assert attachment.name == "Báo cáo.ods" and unicodedata.is_normalized("NFC", attachment.safe_name)


def test_path_traversal_in_the_name_is_cut_to_the_last_component():
    (attachment,) = read_eml(_message((b"x", "../../etc/passwd.xlsx", XLSX)).as_bytes()).attachments
    assert attachment.name == "../../etc/passwd.xlsx"
    assert attachment.safe_name == "passwd.xlsx"


def test_control_characters_in_the_name_are_removed():
    (attachment,) = read_eml(_message((b"x", "VP\x07_2025\x1b-05\x00.xlsx", XLSX)).as_bytes()).attachments
    assert not any(unicodedata.category(ch) == "Cc" for ch in attachment.safe_name)
    assert attachment.safe_name.endswith(".xlsx") and attachment.safe_name.startswith("VP")


def test_only_spreadsheet_attachments_are_taken():
    message = read_eml(
        _message(
            (b"a", "VP_2025-05.XLSX", XLSX),
            (b"b", "macro.xlsm", ("application", "vnd.ms-excel.sheet.macroEnabled.12")),
            (b"c", "cong-van.pdf", ("application", "pdf")),
            (
                b"d",
                "bao-cao.docx",
                ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
            ),
            (b"e", "anh.png", ("image", "png")),
            (b"f", "xlsx", ("application", "octet-stream")),
        ).as_bytes()
    )
    assert [(a.name, a.data) for a in message.attachments] == [
        ("VP_2025-05.XLSX", b"a"),
        ("macro.xlsm", b"b"),
    ]


def test_message_without_attachments_has_none():
    message = read_eml(_message().as_bytes())
    assert message.attachments == [] and message.sender == "vanphong.snv@haiduong.gov.vn"


def test_forwarded_message_attachments_are_taken():
    inner = _message((b"inner", "CCVC_2025-05.xlsx", XLSX))
    outer = _message()
    outer.add_attachment(inner)
    assert [a.name for a in read_eml(outer.as_bytes()).attachments] == ["CCVC_2025-05.xlsx"]


def test_broken_headers_never_raise():
    message = read_eml(b"From: not an address\r\nDate: yesterday\r\nSubject: =?bogus?Q?x?=\r\n\r\nbody")
    assert message.date is None and message.attachments == []
    assert read_eml(b"").attachments == []


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("Báo cáo tháng 5.xlsx", "Báo cáo tháng 5.xlsx"),
        ("../../etc/passwd.xlsx", "passwd.xlsx"),
        ("C:\\Users\\VP\\Báo cáo.xlsm", "Báo cáo.xlsm"),
        ("CON.xlsx", "_CON.xlsx"),
        ("nul", "_nul"),
        ("lpt1.tar.xls", "_lpt1.tar.xls"),
        ('a<b>c:d"e|f?g*.ods', "a_b_c_d_e_f_g_.ods"),
        (".hidden.xlsx", "hidden.xlsx"),
        ("..", "tep-dinh-kem"),
        (".xlsx", "tep-dinh-kem.xlsx"),
        ("", "tep-dinh-kem"),
        ("bao..cao...xlsx", "bao.cao.xlsx"),
        ("tên\u202efdp.xlsx", "tên fdp.xlsx"),
    ],
)
def test_safe_filename(name, safe):
    assert safe_filename(name) == safe


def test_safe_filename_caps_the_length_and_keeps_the_extension():
    safe = safe_filename("Báo cáo " * 60 + ".xlsx")
    assert len(safe.encode()) <= MAX_NAME_BYTES and safe.endswith(".xlsx") and safe.startswith("Báo cáo")


@given(st.text())
def test_safe_filename_is_always_a_plain_name(name):
    safe = safe_filename(name)
    assert safe and safe == safe.strip() and not safe.startswith(".")
    assert "/" not in safe and "\\" not in safe and ".." not in safe
    assert not any(unicodedata.category(ch) in ("Cc", "Cf") for ch in safe)
    assert not any(ch in safe for ch in '<>:"|?*')
    assert len(safe.encode()) <= MAX_NAME_BYTES
    assert unicodedata.is_normalized("NFC", safe)
