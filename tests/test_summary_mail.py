"""The month's summary mail for leadership and the coordinator (SPEC §10, §14; issue 13 item 4).

After each collect, every LEADERSHIP_EMAIL address and COORDINATOR_EMAIL get one message: the summary as
HTML readable on a 390 px phone (measured in real headless Chromium) with a plain-text alternative, the
workbook and the report draft attached; it is not sent again while the verdicts stay the same.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from automation.cli import main
from automation.domain.model import RunResult
from automation.i18n import messages
from automation.notify.summary_mail import month_summary, summary_html, summary_text
from automation.settings import Settings
from tests.support.chromium import png_size, render
from tests.support.demo_workspace import AS_OF, copy_demo, make_demo
from tests.support.run_results import F_VP, build_run_result

COORDINATOR = "dieuphoi@sonoivu.example.vn"
LEADERS = "giamdoc@sonoivu.example.vn; phogiamdoc@sonoivu.example.vn"
SUBJECT = "Tổng hợp báo cáo tiến độ kỳ 05/2025 (số liệu đến 08:00 19/05/2025)"

LONG_VP = "Văn phòng Sở Nội vụ tỉnh Hải Dương (bộ phận tiếp nhận và trả kết quả thủ tục hành chính một cửa)"
LONG_CCVC = "PhòngCôngchức,viênchứcvàĐàotạo,bồidưỡngcánbộ,côngchức,viênchứccấpxãtrênđịabàntỉnhHảiDương"
SCRIPT_NAME = "<script>document.title='hacked'</script>Ban Thi đua <b>Khen thưởng</b>"
LONG_FILE = (
    "inbox/email/BaoCaoTienDoThucHienKeHoachChuyenDoiSoThang05Nam2025_VanPhongSo_BanChinhThucDaSuaLan3.xlsx"
)


# --- what the summary says ----------------------------------------------------------------------------------


def test_the_summary_names_late_units_with_their_first_file_and_the_overdue_tasks_with_their_leads():
    result = build_run_result()
    text = summary_text(month_summary(result, ["tong-hop_2025-05.xlsx"]))
    # VP's first accepted file came at 10:00 on the 16th (the one in use on the 17th replaced it)
    assert "Văn phòng Sở — tệp nhận lúc 16/05/2025 10:00: VP_2025-05.xlsx" in text
    assert "  Hạn nộp báo cáo: trước 00:00 ngày 16/05/2025" in text
    assert (
        "  Nộp muộn: 1" in text and "  Chưa nộp: 1" in text and "  Đã gửi nhưng tệp không hợp lệ: 1" in text
    )
    assert "- Chưa nộp (1)\n    Phòng Tổ chức biên chế và Cải cách hành chính" in text
    assert "  Tỷ lệ nộp đúng hạn: 25,0%" in text
    assert "III. NHIỆM VỤ QUÁ HẠN (1)\n- 1.1 — " in text
    assert "    Đơn vị chủ trì: Ban Thi đua - Khen thưởng\n    Thời hạn: 31/03/2025" in text
    # the month's difficulties and proposals, of lead and supporting units, as the units wrote them
    assert "- 3.2 — Văn phòng Sở\n    Khó khăn, vướng mắc: Chờ hướng dẫn của Bộ Nội vụ" in text
    assert "- 3.3 — Ban Thi đua - Khen thưởng\n    Khó khăn, vướng mắc: Thiếu kinh phí số hóa hồ sơ\n" in text
    assert "    Đề xuất, kiến nghị: =1+1" in text
    assert text.rstrip().endswith("(sheet Tóm tắt).") and "Đính kèm: tong-hop_2025-05.xlsx." in text


def test_without_difficulties_the_section_is_left_out_and_no_overdue_task_is_said():
    result = build_run_result()
    result.evaluations = [ev for ev in result.evaluations if ev.evaluation != "overdue"]
    result.evaluations = [dataclasses.replace(ev, reported_this_period=False) for ev in result.evaluations]
    result.contributions = []
    text = summary_text(month_summary(result, []))
    assert "III. NHIỆM VỤ QUÁ HẠN (0)\n  Không có nhiệm vụ quá hạn." in text
    assert "KHÓ KHĂN" not in text and "Đính kèm" not in text


def test_the_summary_reads_in_english_with_language_en():
    messages.set_language("en")
    text = summary_text(month_summary(build_run_result(), ["tong-hop_2025-05.xlsx"]))
    assert "Văn phòng Sở — file received at 16/05/2025 10:00: VP_2025-05.xlsx" in text
    assert "III. OVERDUE TASKS (1)" in text and "On-time rate: 25.0%" in text


def _hostile(result: RunResult) -> RunResult:
    """Long Vietnamese names (one without a single space), a very long file name, markup in a name."""
    names = {"VP": LONG_VP, "CCVC": LONG_CCVC, "TDKT": SCRIPT_NAME}
    units = tuple(dataclasses.replace(u, name=names.get(u.code, u.name)) for u in result.plan.units)
    result.plan = dataclasses.replace(result.plan, units=units)
    by_code = {u.code: u for u in units}
    for status in result.units:
        status.unit = by_code[status.unit.code]
    for record in result.files:
        if record.path == "inbox/email/VP_2025-05.xlsx":
            record.path = LONG_FILE
    result.units = [dataclasses.replace(s, file=LONG_FILE) if s.file == F_VP else s for s in result.units]
    return result


def test_unit_text_is_escaped_in_the_html():
    result = _hostile(build_run_result())
    page = summary_html(month_summary(result, ["tong-hop_2025-05.xlsx"]), SUBJECT)
    assert "<script>" not in page and "<b>Khen" not in page
    assert (
        "&lt;script&gt;document.title=&#x27;hacked&#x27;&lt;/script&gt;Ban Thi đua &lt;b&gt;Khen thưởng"
        in page
    )
    assert "=1+1" in page and "Đề xuất, kiến nghị: =1+1" in page  # a formula-looking text is just text
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "<style" not in page  # inline styles only: some mail clients strip <style>


def test_leadership_email_takes_several_addresses(tmp_path: Path):
    settings = Settings.load(tmp_path, {"LEADERSHIP_EMAIL": " a@x.vn; b@x.vn ,A@x.vn,, c@x.vn;"})
    assert settings.leadership_emails == ("a@x.vn", "b@x.vn", "c@x.vn")
    assert Settings.load(tmp_path, {}).leadership_emails == ()


# --- on a phone, in real Chromium -----------------------------------------------------------------------------


def test_the_summary_fits_a_390_px_phone_without_sideways_scrolling(tmp_path: Path):
    result = _hostile(build_run_result())
    page = summary_html(month_summary(result, ["tong-hop_2025-05.xlsx", "bao-cao_2025-05.docx"]), SUBJECT)
    assert LONG_CCVC in page and LONG_FILE.rsplit("/", 1)[1] in page
    html_file = tmp_path / "summary.html"
    html_file.write_text(page, encoding="utf-8")
    layout = render(html_file, tmp_path / "summary.png", width=390)
    assert layout.viewport == 390
    assert layout.scroll_width <= 390, layout
    assert layout.overflowing == 0, layout
    assert layout.scripts == 0 and layout.title == SUBJECT  # the <script> in a unit's name is only text
    assert png_size(tmp_path / "summary.png") == (390, layout.height)


def test_the_phone_measurement_sees_a_page_that_is_too_wide(tmp_path: Path):
    """The check above can fail: a fixed 600 px table scrolls sideways on the same phone."""
    wide = tmp_path / "wide.html"
    wide.write_text(
        '<!DOCTYPE html><html><head><meta name="viewport" content="width=device-width, initial-scale=1">'
        '</head><body><table style="width:600px"><tr><td>Văn phòng Sở</td></tr></table></body></html>',
        encoding="utf-8",
    )
    assert render(wide, width=390).scroll_width > 390


# --- end to end over SMTP ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory) -> Path:
    return make_demo(tmp_path_factory.mktemp("demo") / "ws")


def _collect(folder: Path) -> int:
    return main(["collect", "-w", str(folder), "-p", "2025-05", "--as-of", AS_OF])


def test_leadership_and_the_coordinator_each_get_one_summary_mail_once(
    demo_template, tmp_path, smtp_sink, monkeypatch
):
    folder = copy_demo(demo_template, tmp_path / "ws")
    month = folder / "outbox" / "2025-05"
    draft = month / "bao-cao_2025-05.docx"
    if not draft.exists():  # the report draft, as the collect's report stage leaves it
        draft.write_bytes(b"PK\x03\x04 bao cao")
    env = {**smtp_sink.settings_env(), "COORDINATOR_EMAIL": COORDINATOR, "LEADERSHIP_EMAIL": LEADERS}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert _collect(folder) == 0
    received = smtp_sink.messages
    leaders = ["giamdoc@sonoivu.example.vn", "phogiamdoc@sonoivu.example.vn"]
    assert sorted(m.to[0] for m in received) == sorted([COORDINATOR, *leaders])
    for mail in received:
        message = mail.message
        assert message.get_content_type() == "multipart/mixed"
        alternative = next(p for p in message.walk() if p.get_content_type() == "multipart/alternative")
        assert [p.get_content_type() for p in alternative.iter_parts()] == ["text/plain", "text/html"]
        text = message.get_body(preferencelist=("plain",)).get_content()
        page = message.get_body(preferencelist=("html",)).get_content()
        late = "Văn phòng Sở — tệp nhận lúc 17/05/2025 09:20: VP_2025-05_sua.xlsx"
        assert late in text and late in page
        assert "  Hoàn thành đúng hạn: 3\n  Hoàn thành quá hạn: 1\n" in text
        rate = re.search(r"^  Tỷ lệ hoàn thành: (\d+,\d%)$", text, re.M)
        assert rate is not None and f">{rate.group(1)}</td>" in page  # the same figure in both parts
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
        attachments = dict(mail.attachments())
        assert list(attachments) == ["tong-hop_2025-05.xlsx", "bao-cao_2025-05.docx"]
        assert attachments["tong-hop_2025-05.xlsx"] == (month / "tong-hop_2025-05.xlsx").read_bytes()
        assert attachments["bao-cao_2025-05.docx"] == draft.read_bytes()
        assert mail.subject.startswith("Tổng hợp báo cáo tiến độ kỳ 05/2025")
        raw_subject = mail.raw.split(b"\r\nSubject: ", 1)[1].split(b"\r\n", 1)[0]
        assert raw_subject.isascii() and b"=?utf-8?" in raw_subject.lower()
    assert _collect(folder) == 0  # nothing changed: nobody is mailed again
    assert len(smtp_sink.messages) == 3
    # a leader added later gets this month's summary once; the others are not mailed again
    monkeypatch.setenv("LEADERSHIP_EMAIL", f"{LEADERS}, vanthu@sonoivu.example.vn")
    assert _collect(folder) == 0
    assert [m.to[0] for m in smtp_sink.messages[3:]] == ["vanthu@sonoivu.example.vn"]
