"""Plan import (SPEC §4, §8): the plan document read into the register.

Seeds as .txt, a Word file with an appendix table built here, the reporting rule, broken files.
Seed 000 through real LibreOffice (.docx, .pdf) is in ``test_plan_import_libreoffice.py``.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
import zipfile
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from automation.errors import FileError, InputError
from automation.i18n import messages
from automation.plan import documents
from automation.plan.default_plan import default_plan
from automation.plan.documents import Document, decode_text, marker, read_document
from automation.plan.importer import extract_plan, import_to_register
from automation.plan.register import read_register

SEEDS = Path(__file__).parent / "fixtures" / "plans"  # the two real plans of SPEC §1, byte for byte
SEED_000 = SEEDS / "000_4221608ed0af568e.txt"
SEED_003 = SEEDS / "003_9311f3a128bba493.txt"


def _in_memory(lines: list[str]) -> Document:
    return Document(Path("ke-hoach.txt"), "txt", tuple(lines))


def _plan_text(body: str, reporting: str = "") -> list[str]:
    return [
        "KẾ HOẠCH",
        "Thực hiện chuyển đổi số năm 2025",
        "Căn cứ Kế hoạch số 726/KH-UBND của UBND tỉnh Hải Dương, Sở Nội vụ ban hành Kế hoạch như sau:",
        "I. NỘI DUNG",
        *body.strip().splitlines(),
        "II. TỔ CHỨC THỰC HIỆN",
        reporting,
    ]


# --- seed 000: the default register ---------------------------------------------------------------------


def test_seed_000_txt_reproduces_the_default_register(tmp_path):
    out = tmp_path / "ke-hoach.xlsx"
    report = import_to_register(SEED_000, out)
    reading = read_register(out)
    assert reading.plan == default_plan()
    assert report.plan == default_plan()
    assert not reading.check.errors
    assert {f.rule for f in reading.check.warnings} == {"plan.missing_product"}


def test_seed_000_units_get_short_ascii_codes_in_the_order_the_plan_names_them(tmp_path):
    report = import_to_register(SEED_000, tmp_path / "ke-hoach.xlsx")
    assert [(u.code, u.name) for u in report.plan.units] == [
        ("TDKT", "Ban Thi đua - Khen thưởng"),
        ("TCBC", "Phòng Tổ chức biên chế và Cải cách hành chính"),
        ("VP", "Văn phòng Sở"),
        ("CCVC", "Phòng Công chức, viên chức"),
    ]
    assert report.plan.coordinator == "CCVC"


def test_group_headings_and_the_items_of_purpose_and_organisation_sections_are_not_tasks(tmp_path):
    plan = import_to_register(SEED_000, tmp_path / "ke-hoach.xlsx").plan
    assert [t.code for t in plan.tasks] == [
        "1.1",
        "1.2",
        "2.1",
        "2.2",
        "3.1",
        "3.2",
        "3.3",
        "3.4",
        "4.1",
        "4.2",
        "4.3",
    ]
    contents = " ".join(t.content for t in plan.tasks)
    assert "Tổ chức cụ thể hóa" not in contents  # I. MỤC ĐÍCH, YÊU CẦU
    assert "Chịu trách nhiệm theo dõi" not in contents  # III. TỔ CHỨC THỰC HIỆN
    assert plan.tasks[0].group.startswith("1. Nâng cao nhận thức")
    assert plan.tasks[-1].group.endswith("Tập trung nguồn lực đâu tư phục vụ chuyển đôi số")


def test_seed_000_summary_says_what_was_found_and_what_each_task_lacks(tmp_path):
    out = tmp_path / "ke-hoach.xlsx"
    lines = import_to_register(SEED_000, out).lines()
    text = "\n".join(lines)
    assert "  Mã kế hoạch: KH-SNV-726" in lines
    assert "  Cơ quan ban hành: Sở Nội vụ tỉnh Hải Dương" in lines
    assert "Nhiệm vụ (11):" in lines
    assert "Đơn vị (4):" in lines
    assert "  VP — Văn phòng Sở" in lines
    assert 'trước ngày 16 hằng tháng (kế hoạch ghi "trước ngày 16 hàng tháng")' in text
    assert 'trước ngày 18 hằng tháng (kế hoạch ghi "trước ngày 18 hàng tháng")' in text
    assert "  Nhiệm vụ 1.1: chưa có sản phẩm (rõ kết quả)" in lines
    assert f"Đã ghi sổ kế hoạch: {out}" in lines
    assert "baocao plan check" in lines[-1]
    assert all(unicodedata.is_normalized("NFC", line) for line in lines)


def test_summary_is_english_with_language_en(tmp_path):
    messages.set_language("en")
    lines = import_to_register(SEED_000, tmp_path / "ke-hoach.xlsx").lines()
    assert "Tasks (11):" in lines
    assert "  Task 1.1: no expected product" in lines


# --- seed 003: general tasks, appendix absent ------------------------------------------------------------


def test_seed_003_writes_its_general_tasks_and_says_the_appendix_is_absent(tmp_path):
    out = tmp_path / "ke-hoach.xlsx"
    report = import_to_register(SEED_003, out)
    plan = report.plan
    assert report.appendix_missing
    assert [t.code for t in plan.tasks] == ["1", "2", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7"]
    assert plan.tasks[0].group == "III. CÁC NHIỆM VỤ CHUNG"
    assert (
        plan.tasks[0].content
        == "Quán triệt đầy đủ, sâu sắc các mục tiêu, nhiệm vụ, giải pháp của Kế hoạch số 726/KH-UBND"
    )
    assert plan.tasks[2].group.startswith("3. Tổ chức thực hiện đúng tiến độ")
    assert plan.tasks[2].content.startswith(
        "Thực hiện đồng bộ các giải pháp tăng cường giáo dục và hướng nghiệp STEM"
    )
    assert all(t.lead == "" and t.deadline is None and not t.recurring for t in plan.tasks)
    assert (plan.id, plan.issuer) == ("KH-SGDDT-726", "Sở Giáo dục và Đào tạo tỉnh Hải Dương")
    assert (plan.submit_before_day, plan.ubnd_before_day, plan.coordinator) == (16, 18, "VP")
    assert [(u.code, u.name) for u in plan.units] == [("VP", "Văn phòng Sở")]

    lines = report.lines()
    assert any("Phụ lục không có trong tài liệu này" in line and "9 nhiệm vụ chung" in line for line in lines)
    assert any(line.startswith("  3.1. Thực hiện đồng bộ") for line in lines)
    assert (
        "  Nhiệm vụ 3.7: chưa có cơ quan chủ trì (rõ người); chưa có thời hạn (rõ thời gian); chưa có sản phẩm "
        "(rõ kết quả)" in lines
    )
    assert {f.rule for f in report.findings} >= {
        "plan.import_appendix_missing",
        "plan.missing_lead",
        "plan.missing_deadline",
    }

    rows = list(load_workbook(out)["Nhiệm vụ"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[3], r[5]) for r in rows] == [(t.code, None, None) for t in plan.tasks]
    reading = read_register(out)
    assert sorted(f.task for f in reading.check.errors if f.rule == "plan.missing_lead") == sorted(
        t.code for t in plan.tasks
    )


# --- .txt encodings and the untidiness of text copied from a PDF -----------------------------------------


def _cp1258(text: str) -> bytes:
    """Windows-1258 as old Vietnamese Windows wrote it: base letter + combining tone mark."""
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", ch)
            tone = next(c for c in decomposed if c in "\u0300\u0301\u0303\u0309\u0323")
            out.append(
                (unicodedata.normalize("NFC", decomposed.replace(tone, "", 1)) + tone).encode("cp1258")
            )
    return b"".join(out)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "cp1258"])
def test_txt_in_other_encodings_reads_the_same_plan(tmp_path, encoding):
    text = SEED_000.read_text(encoding="utf-8").replace("\n", "\r\n")
    source = tmp_path / "ke-hoach.txt"
    source.write_bytes(_cp1258(text) if encoding == "cp1258" else text.encode(encoding))
    assert import_to_register(source, tmp_path / "ke-hoach.xlsx").plan == default_plan()


def test_decode_text_refuses_binary_bytes():
    assert decode_text(bytes(range(256)) * 4) is None


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.integers(0, 400), st.sampled_from(["", "   ", "7", "- 3 -", "Trang 2"])), max_size=12
    ),
    st.lists(st.integers(0, 400), max_size=12),
)
def test_blank_lines_page_numbers_and_stray_spaces_do_not_change_the_plan(noise, spaced):
    lines = SEED_000.read_text(encoding="utf-8").split("\n")
    for position in spaced:
        index = position % len(lines)
        lines[index] = f"  {lines[index]}   ".replace(", ", ",  ", 1)
    for position, extra in sorted(noise, reverse=True):
        index = position % len(lines)
        if not lines[index - 1].rstrip().endswith(("số", "ngày")):  # "số 7" would be a real number
            lines.insert(index, extra)
    assert extract_plan(_in_memory(lines)).plan.tasks == default_plan().tasks


@pytest.mark.parametrize(
    ("line", "kind", "code"),
    [
        ("II. NỘI DUNG", "roman", "II"),
        ("IV.CÁC NHIỆM VỤ CỤ THỂ", "roman", "IV"),
        ("1. Nâng cao nhận thức", "number", "1"),
        (" 3.2. Đảm bảo 100% thủ tục", "number", "3.2"),
        ("1.1 Tham mưu phát động", "number", "1.1"),
        ("2.1.Rà soát, tham mưu", "number", "2.1"),
        ("a) Tổ chức hội nghị", "letter", "a"),
        ("- Cơ quan chủ trì: Văn phòng sở", "bullet", ""),
        ("+ Tuyên truyền", "bullet", ""),
    ],
)
def test_a_marked_line_starts_a_paragraph(line, kind, code):
    para = marker(line)
    assert para is not None
    assert (para.kind, para.code) == (kind, code)


@pytest.mark.parametrize(
    "line",
    [
        "5 rõ (rõ người, rõ việc)",
        "5/2025.",
        "100% thủ tục hành chính",
        "NQ/TW",
        "VIỆT NAM",
        "2025 và các năm",
    ],
)
def test_a_wrapped_line_that_begins_with_a_number_carries_on_the_paragraph(line):
    assert marker(line) is None


def test_typos_in_labels_and_headings_are_still_understood():
    plan = extract_plan(
        _in_memory(
            [
                "KẾ HOẠCH",
                "Chuyển đổi số",
                "I. NÔI DUNG",
                "1.Số hóa",
                "1.1.Số hóa hồ sơ công chức",
                "- Cơ quan chủ tri: Phòng Công chức, viên chức.",
                "- Thời gian thưc hiện: hoàn thành trong thang 6/2025",
                "- San pham: Cơ sở dữ liệu",
            ]
        )
    ).plan
    task = plan.tasks[0]
    assert (task.code, task.group, task.lead, task.deadline, task.product) == (
        "1.1",
        "1. Số hóa",
        "CCVC",
        dt.date(2025, 6, 30),
        "Cơ sở dữ liệu",
    )


# --- a Word file with the tasks in an appendix table ----------------------------------------------------------


def _appendix_docx(path: Path) -> Path:
    document = docx.Document()
    header = document.add_table(rows=1, cols=2)
    header.cell(0, 0).text = "UBND TỈNH HẢI DƯƠNG\nSỞ KẾ HOẠCH VÀ ĐẦU TƯ\nSố: 45/KH-SKHĐT"
    header.cell(
        0, 1
    ).text = (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nHải Dương, ngày 05 tháng 3 năm 2025"
    )
    for text in (
        "KẾ HOẠCH",
        "Triển khai nhiệm vụ chuyển đổi số năm 2025",
        "Căn cứ Kế hoạch số 726/KH-UBND ngày 20/02/2025 của UBND tỉnh Hải Dương, Sở Kế hoạch và Đầu tư ban hành "
        "Kế hoạch như sau:",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "- Phân công nhiệm vụ cụ thể cho các phòng.",
        "II. NHIỆM VỤ CHUNG",
        "1. Quán triệt Kế hoạch đến toàn thể công chức.",
        "III. NHIỆM VỤ CỤ THỂ (Chi tiết tại Phụ lục kèm theo)",
        "IV. TỔ CHỨC THỰC HIỆN",
        "Định kỳ hằng tháng, các phòng báo cáo kết quả về Văn phòng Sở trước ngày 20 hằng tháng để tổng hợp, "
        "báo cáo UBND tỉnh trước ngày 25 hằng tháng.",
        "Nơi nhận:",
        "- Lưu: VT, VP.",
        "PHỤ LỤC",
        "DANH MỤC NHIỆM VỤ",
    ):
        document.add_paragraph(text)
    rows = [
        ("STT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian hoàn thành", "Sản phẩm"),
        ("(1)", "(2)", "(3)", "(4)", "(5)", "(6)"),
        ("I", "NÂNG CAO NHẬN THỨC, ĐỔI MỚI TƯ DUY", "", "", "", ""),
        (
            "1",
            "Tổ chức hội nghị quán triệt Kế hoạch",
            "Văn phòng Sở",
            "Các phòng thuộc Sở",
            "hoàn thành trong tháng 3/2025",
            "Hội nghị được tổ chức",
        ),
        (
            "2",
            "Tuyên truyền trên Cổng thông tin của Sở",
            "Văn phòng Sở",
            "",
            "thực hiện thường xuyên",
            "Tin, bài",
        ),
        ("II. HOÀN THIỆN THỂ CHẾ", "", "", "", "", ""),
        (
            "1",
            "Rà soát quy trình nội bộ",
            "Phòng Kế hoạch - Tài chính",
            "Văn phòng Sở",
            "hoàn thành trong tháng 5/2025 và thực hiện thường xuyên",
            "Quy trình được ban hành",
        ),
        ("2", "Xây dựng dự toán kinh phí", "", "", "trước ngày 30/6/2025", "Dự toán"),
        ("3", "Thanh tra việc thực hiện", "Thanh tra Sở", "", "30/06/2025", "Kết luận thanh tra"),
        ("III", "PHÁT TRIỂN NHÂN LỰC", "", "", "", ""),
        ("1", "Tập huấn kỹ năng số", "Phòng Quản lý đầu tư", "", "quý II/2025", "Lớp tập huấn"),
        ("2", "Sơ kết 6 tháng", "Phòng Đăng ký kinh doanh", "Các phòng", "quý 2 năm 2025", ""),
        ("3", "Tổng kết năm", "", "", "năm 2025", "Báo cáo tổng kết"),
    ]
    table = document.add_table(rows=len(rows), cols=6)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if value:
                table.cell(r, c).text = value
    table.cell(2, 1).merge(table.cell(2, 5))  # group I: STT, then one cell across the rest
    table.cell(5, 0).merge(table.cell(5, 5))  # group II: one cell across the whole row
    table.cell(9, 1).merge(table.cell(9, 5))
    table.cell(6, 2).merge(table.cell(7, 2))  # one lead for two tasks, merged down
    document.save(str(path))
    return path


def test_appendix_table_with_group_rows_merged_cells_and_every_deadline_form(tmp_path):
    source = _appendix_docx(tmp_path / "ke-hoach-phu-luc.docx")
    out = tmp_path / "ke-hoach.xlsx"
    report = import_to_register(source, out)
    plan = report.plan
    d = dt.date
    assert [(t.code, t.group, t.lead, t.deadline, t.recurring, t.words) for t in plan.tasks] == [
        (
            "1.1",
            "I. NÂNG CAO NHẬN THỨC, ĐỔI MỚI TƯ DUY",
            "VP",
            d(2025, 3, 31),
            False,
            "Hoàn thành trong tháng 3/2025",
        ),
        ("1.2", "I. NÂNG CAO NHẬN THỨC, ĐỔI MỚI TƯ DUY", "VP", None, True, "Thực hiện thường xuyên"),
        (
            "2.1",
            "II. HOÀN THIỆN THỂ CHẾ",
            "KHTC",
            d(2025, 5, 31),
            True,
            "Hoàn thành trong tháng 5/2025 và thực hiện thường xuyên",
        ),
        ("2.2", "II. HOÀN THIỆN THỂ CHẾ", "KHTC", d(2025, 6, 30), False, "Trước ngày 30/6/2025"),
        ("2.3", "II. HOÀN THIỆN THỂ CHẾ", "TTRA", d(2025, 6, 30), False, "30/06/2025"),
        ("3.1", "III. PHÁT TRIỂN NHÂN LỰC", "QLDT", d(2025, 6, 30), False, "Quý II/2025"),
        ("3.2", "III. PHÁT TRIỂN NHÂN LỰC", "DKKD", d(2025, 6, 30), False, "Quý 2 năm 2025"),
        ("3.3", "III. PHÁT TRIỂN NHÂN LỰC", "", d(2025, 12, 31), False, "Năm 2025"),
    ]
    assert plan.tasks[0].content == "Tổ chức hội nghị quán triệt Kế hoạch"
    assert (plan.tasks[0].coordinating, plan.tasks[0].product) == (
        "Các phòng thuộc Sở",
        "Hội nghị được tổ chức",
    )
    assert [(u.code, u.name) for u in plan.units] == [
        ("VP", "Văn phòng Sở"),
        ("KHTC", "Phòng Kế hoạch - Tài chính"),
        ("TTRA", "Thanh tra Sở"),
        ("QLDT", "Phòng Quản lý đầu tư"),
        ("DKKD", "Phòng Đăng ký kinh doanh"),
    ]
    assert (plan.id, plan.number, plan.signed_on) == ("KH-SKHDT-45", "45/KH-SKHĐT", d(2025, 3, 5))
    assert plan.title == "Triển khai nhiệm vụ chuyển đổi số năm 2025"
    assert plan.issuer == "Sở Kế hoạch và Đầu tư tỉnh Hải Dương"
    assert (plan.submit_before_day, plan.ubnd_before_day, plan.coordinator) == (20, 25, "VP")
    assert not report.appendix_missing
    missing = {(f.task, f.rule) for f in report.findings if f.task}
    assert missing == {("3.2", "plan.missing_product"), ("3.3", "plan.missing_lead")}
    assert "plan.import_general_skipped" in {f.rule for f in report.findings}

    reading = read_register(out)
    assert [t.code for t in reading.plan.tasks] == ["1.1", "1.2", "2.1", "2.2", "2.3", "3.1", "3.2"]
    assert [(f.task, f.rule) for f in reading.check.errors] == [("3.3", "plan.missing_lead")]


def test_a_table_with_a_two_row_header_and_numbered_parent_rows_keeps_the_plan_codes(tmp_path):
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH Cải cách hành chính năm 2025")
    rows = [
        ("TT", "Nội dung công việc", "Cơ quan chủ trì", "Thời gian", "Kết quả/sản phẩm"),
        ("", "", "", "Hoàn thành", ""),
        ("1", "Cải cách thể chế", "", "", ""),
        ("1.1", "Rà soát văn bản quy phạm", "Thanh tra Sở", "Quý II/2025", "Báo cáo rà soát"),
        ("1.2", "Tự kiểm tra thủ tục", "Phòng Tổ chức cán bộ", "năm 2025", "Báo cáo"),
    ]
    table = document.add_table(rows=len(rows), cols=5)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if value:
                table.cell(r, c).text = value
    for col in (0, 1, 2, 4):  # the header's own cells run down over its second row
        table.cell(0, col).merge(table.cell(1, col))
    source = tmp_path / "ke-hoach.docx"
    document.save(str(source))
    plan = extract_plan(read_document(source)).plan
    assert plan.title == "Cải cách hành chính năm 2025"
    assert [(t.code, t.group, t.lead, t.deadline) for t in plan.tasks] == [
        ("1.1", "1. Cải cách thể chế", "TTRA", dt.date(2025, 6, 30)),
        ("1.2", "1. Cải cách thể chế", "TCCB", dt.date(2025, 12, 31)),
    ]


def test_utf8_text_with_a_few_damaged_bytes_stays_utf8():
    data = SEED_000.read_bytes()
    damaged = data[:500] + b"\xff" + data[500:]
    text = decode_text(damaged)
    assert text is not None
    assert "Tổ chức thực hiện Kế hoạch số 726/KH-UBND" in text


# --- leads, reporting rule, appendix in plain text -----------------------------------------------------------


def test_a_task_with_two_leads_takes_the_first_and_moves_the_other_to_coordinating():
    plan = extract_plan(
        _in_memory(
            _plan_text("""
1. Chuyển đổi số
1.1. Số hóa hồ sơ
- Cơ quan chủ trì: Văn phòng Sở; Phòng Kế hoạch - Tài chính
- Cơ quan phối hợp: các phòng thuộc sở
- Thời gian thực hiện: năm 2025
- Sản phẩm: Hồ sơ số
""")
        )
    ).plan
    task = plan.tasks[0]
    assert (task.lead, task.coordinating, task.product) == (
        "VP",
        "Phòng Kế hoạch - Tài chính; các phòng thuộc sở",
        "Hồ sơ số",
    )
    assert [u.code for u in plan.units] == ["VP"]


@pytest.mark.parametrize(
    ("sentence", "submit", "ubnd"),
    [
        (
            "Các phòng báo cáo trước ngày 16 hàng tháng để tổng hợp báo cáo UBND tỉnh trước ngày 18 hàng tháng.",
            16,
            18,
        ),
        ("Các phòng báo cáo kết quả, báo cáo Ủy ban nhân dân tỉnh trong ngày 15 hàng tháng./.", 16, 18),
        ("Định kỳ hằng tháng, các phòng gửi báo cáo trước ngày 20 hằng tháng.", 20, 22),
        (
            "Các đơn vị báo cáo hằng tháng chậm nhất ngày 10, Sở báo cáo UBND tỉnh trước ngày 14 hằng tháng.",
            11,
            14,
        ),
    ],
)
def test_reporting_rule_words_give_the_day_reports_are_due_before(sentence, submit, ubnd):
    report = extract_plan(_in_memory(_plan_text("1. Việc A", sentence)))
    assert (report.plan.submit_before_day, report.plan.ubnd_before_day) == (submit, ubnd)


def test_no_reporting_rule_uses_the_defaults_and_says_so():
    report = extract_plan(_in_memory(_plan_text("1. Việc A")))
    assert (report.plan.submit_before_day, report.plan.ubnd_before_day) == (16, 18)
    assert "plan.import_no_report_day" in {f.rule for f in report.findings}
    assert any("mặc định, kế hoạch không ghi" in line for line in report.lines())


def test_an_appendix_present_only_as_text_is_reported_as_unreadable():
    lines = _plan_text("1. Việc chung\nII. NHIỆM VỤ CỤ THỂ (Chi tiết tại Phụ lục kèm theo)")
    report = extract_plan(
        _in_memory([*lines, "PHỤ LỤC", "STT Nhiệm vụ Chủ trì Thời gian", "1 Việc X VP 2025"])
    )
    assert report.appendix_missing
    assert [f.rule for f in report.findings if f.rule.startswith("plan.import_appendix")] == [
        "plan.import_appendix_unreadable"
    ]


def test_a_document_without_tasks_is_a_finding_not_a_failure(tmp_path):
    source = tmp_path / "cong-van.txt"
    source.write_text("CÔNG VĂN\nVề việc họp giao ban tháng 3.\n", encoding="utf-8")
    report = import_to_register(source, tmp_path / "ke-hoach.xlsx")
    assert report.plan.tasks == ()
    assert "plan.import_no_tasks" in {f.rule for f in report.findings}
    assert (tmp_path / "ke-hoach.xlsx").exists()


# --- broken, unsupported, existing --------------------------------------------------------------------------


def _zip_that_is_not_a_docx(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    return path


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("rong.txt", b"", "rỗng"),
        ("rong.docx", b"", "rỗng"),
        ("hong.docx", None, "không phải tệp Word .docx hợp lệ"),
        ("hong.pdf", b"%PDF-1.4\n garbage \x00\x01\x02 not a pdf at all", "không phải tệp PDF hợp lệ"),
        ("rac.pdf", b"\x89PNG\r\n\x1a\n" + bytes(200), "không phải tệp PDF hợp lệ"),
        ("nhi-phan.txt", bytes(range(256)) * 8, "không phải tệp văn bản"),
        ("ke-hoach.odt", b"PK\x03\x04 odt", 'không đọc được định dạng ".odt"'),
        ("ke-hoach.xlsx", b"PK\x03\x04 xlsx", 'không đọc được định dạng ".xlsx"'),
        ("ke-hoach.doc", b"\xd0\xcf\x11\xe0 old word", "tệp Word cũ (.doc)"),
    ],
)
def test_a_broken_or_unsupported_file_is_a_clear_vietnamese_error(tmp_path, name, content, words):
    source = tmp_path / name
    if content is None:
        _zip_that_is_not_a_docx(source)
    else:
        source.write_bytes(content)
    out = tmp_path / "ke-hoach-moi.xlsx"
    with pytest.raises(FileError) as caught:
        import_to_register(source, out)
    assert words in caught.value.message
    assert name in caught.value.message
    assert "\n" not in caught.value.message
    assert not out.exists()


def test_a_pdf_without_text_or_with_a_password_is_a_clear_error(tmp_path):
    from pypdf import PdfWriter

    scan = PdfWriter()
    scan.add_blank_page(595, 842)
    scan.write(tmp_path / "ban-chup.pdf")
    with pytest.raises(FileError, match="không có lớp chữ"):
        import_to_register(tmp_path / "ban-chup.pdf", tmp_path / "ke-hoach.xlsx")
    locked = PdfWriter()
    locked.add_blank_page(595, 842)
    locked.encrypt("mat-khau")
    locked.write(tmp_path / "co-mat-khau.pdf")
    with pytest.raises(FileError, match="có mật khẩu"):
        import_to_register(tmp_path / "co-mat-khau.pdf", tmp_path / "ke-hoach.xlsx")


def _pdf(path: Path, content: bytes) -> Path:
    """A one-page PDF drawing ``content`` with Helvetica (WinAnsi: each byte is its own letter)."""
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 5 0 R>>>>/Contents 4 0 R>>",
        b"<</Length %d>>stream\n%s\nendstream" % (len(content), content),
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def test_pdf_text_is_read_in_reading_order_with_the_actual_text_of_marked_spans(tmp_path):
    """As LibreOffice writes it: the line's main run first, leaving gaps; the letters its font lacks drawn
    afterwards, placed by ``Tm``, each as base glyph plus mark with the real letter in ``/ActualText``."""
    # Helvetica at 12 pt: B 8.004, C 8.664, O 9.336, N 8.664, G 9.336, H 8.664, a 6.672, space 3.336 wide
    content = (
        b"BT /F1 12 Tf 1 0 0 1 72 700 Tm (C) Tj 1 0 0 1 90 700 Tm (NG H) Tj 1 0 0 1 129.336 700 Tm (A) Tj\n"
        b"1 0 0 1 72 680 Tm (B) Tj 1 0 0 1 86.676 680 Tm (n) Tj\n"
        b"/Span<</ActualText<FEFF1ED8>>> BDC 1 0 0 1 80.664 700 Tm [(O) 469 (^)] TJ EMC\n"
        b"/Span<</ActualText<FEFF00D2>>> BDC 1 0 0 1 120 700 Tm (O`) Tj EMC\n"
        b"/Span<</ActualText<FEFF1EA1>>> BDC 1 0 0 1 80.004 680 Tm (a.) Tj EMC ET"
    )
    lines = [b for b in read_document(_pdf(tmp_path / "ke-hoach.pdf", content)).blocks if isinstance(b, str)]
    assert lines == ["CỘNG HÒA", "Bạn"]


def test_a_docx_that_unpacks_beyond_the_limit_is_refused(tmp_path, monkeypatch):
    source = _appendix_docx(tmp_path / "ke-hoach.docx")
    monkeypatch.setattr(documents, "MAX_UNCOMPRESSED_BYTES", 1024)
    with pytest.raises(FileError, match="quá lớn"):
        import_to_register(source, tmp_path / "ke-hoach.xlsx")


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(FileError, match="không tìm thấy tệp"):
        import_to_register(tmp_path / "khong-co.docx", tmp_path / "ke-hoach.xlsx")


def test_an_existing_register_is_never_overwritten_without_force(tmp_path):
    out = tmp_path / "ke-hoach.xlsx"
    out.write_bytes(b"the coordinator's own register")
    with pytest.raises(InputError) as caught:
        import_to_register(SEED_000, out)
    assert "--force" in caught.value.message
    assert out.read_bytes() == b"the coordinator's own register"
    import_to_register(SEED_000, out, force=True)
    assert read_register(out).plan == default_plan()
