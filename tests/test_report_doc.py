"""The report to the province (SPEC §14): ``bao-cao_YYYY-MM.docx`` read back part by part with python-docx
— page setup, fonts, the header table, sections I–V, Nơi nhận, the signer, the appendix against the run
report — and, with LibreOffice, converted to PDF."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm
from openpyxl import load_workbook

from automation.cli import main
from automation.run.demo import run_demo
from automation.write.labels import evaluation_label
from tests.support import require_tool

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("report") / "ws"
    run_demo(folder, now=dt.datetime(2025, 5, 18, 8, 0, tzinfo=TZ))
    return folder


def _doc(demo: Path, period: str = "2025-05"):
    return Document(str(demo / "outbox" / period / f"bao-cao_{period}.docx"))


def _report(demo: Path, period: str = "2025-05") -> dict:
    return json.loads((demo / "outbox" / period / "run-report.json").read_text(encoding="utf-8"))


def _texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def test_every_collect_writes_the_draft_beside_the_workbook(demo):
    for period in ("2025-04", "2025-05"):
        assert (demo / "outbox" / period / f"bao-cao_{period}.docx").is_file()


def test_the_page_is_a4_portrait_with_the_decree_margins(demo):
    section = _doc(demo).sections[0]
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)
    assert Mm(20) <= section.top_margin <= Mm(25) and Mm(20) <= section.bottom_margin <= Mm(25)
    assert Mm(30) <= section.left_margin <= Mm(35) and Mm(15) <= section.right_margin <= Mm(20)
    assert section.different_first_page_header_footer
    header_xml = section.header._element.xml
    assert "PAGE" in header_xml and section.header.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_every_run_is_times_new_roman_and_black(demo):
    doc = _doc(demo)
    normal = doc.styles["Normal"].font
    assert normal.name == "Times New Roman" and 13 <= normal.size.pt <= 14
    runs = [r for p in doc.paragraphs for r in p.runs]
    runs += [r for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs]
    assert runs and all(r.font.name in (None, "Times New Roman") for r in runs)
    assert all(r.font.color.rgb in (None, (0, 0, 0)) for r in runs)


def test_the_header_block_is_a_borderless_two_column_table(demo):
    table = _doc(demo).tables[0]
    left, right = (cell.text.splitlines() for cell in table.rows[0].cells)
    assert left[0] == "UBND TỈNH HẢI DƯƠNG"
    assert left[1] == "SỞ NỘI VỤ"
    assert left[-1].replace(" ", "") == "Số:/BC-SNV"  # the number left blank for the clerk
    assert right[0] == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert right[1] == "Độc lập - Tự do - Hạnh phúc"
    assert right[-1].startswith("Hải Dương, ngày") and right[-1].endswith("tháng 05 năm 2025")
    department = table.rows[0].cells[0].paragraphs[1].runs[0]
    assert department.bold
    assert all(r.italic for r in table.rows[0].cells[1].paragraphs[-1].runs)
    assert "w:tblBorders" in table._tbl.xml and 'w:val="nil"' in table._tbl.xml


def test_the_title_summary_line_and_addressee(demo):
    texts = _texts(_doc(demo))
    kind = texts.index("BÁO CÁO")
    assert texts[kind + 1].startswith("Kết quả thực hiện Kế hoạch") and texts[kind + 1].endswith(
        "tháng 05/2025"
    )
    assert "Kính gửi: Ủy ban nhân dân tỉnh Hải Dương." in texts


def test_sections_one_to_five_in_order_with_the_run_reports_figures(demo):
    texts = _texts(_doc(demo))
    heads = [
        next(i for i, text in enumerate(texts) if text.startswith(prefix))
        for prefix in ("I. ", "II. ", "III. ", "IV. ", "V. ")
    ]
    assert heads == sorted(heads)
    report = _report(demo)
    evaluations = [t["evaluation"] for t in report["tasks"]]
    assert f"1. Tổng số nhiệm vụ: {len(evaluations)}, trong đó:" in texts
    expected = {
        "Hoàn thành đúng hạn": evaluations.count("completed_on_time"),
        "Hoàn thành quá hạn": evaluations.count("completed_late"),
        "Chưa hoàn thành, trong hạn": evaluations.count("in_progress") + evaluations.count("not_started"),
        "Chưa hoàn thành, quá hạn": evaluations.count("overdue"),
        "Thực hiện thường xuyên": evaluations.count("recurring"),
        "Chưa báo cáo": evaluations.count("not_reported"),
    }
    for label, count in expected.items():
        assert f"- {label}: {count} nhiệm vụ;" in texts
    assert sum(expected.values()) == len(evaluations)
    body = "\n".join(texts)
    for task in report["tasks"]:
        assert f"Nhiệm vụ {task['code']} (" in body
    assert "IV. NHIỆM VỤ TRỌNG TÂM THÁNG 06/2025" in texts


def test_results_are_the_lead_units_words_of_the_month_and_difficulties_are_attributed(demo):
    workbook = load_workbook(demo / "outbox/2025-05/tong-hop_2025-05.xlsx", read_only=True)
    rows = list(workbook["Tiến độ nhiệm vụ"].iter_rows(values_only=True))
    header = next(r for r in rows if r and "Mã NV" in r)
    results_col = next(i for i, v in enumerate(header) if v == "Kết quả thực hiện")
    code_col = header.index("Mã NV")
    results = {r[code_col]: r[results_col] for r in rows[rows.index(header) + 1 :] if r and r[results_col]}
    this_month = {t["code"] for t in _report(demo)["tasks"] if t["reported_this_period"]}
    body = "\n".join(_texts(_doc(demo)))
    quoted = {code: text for code, text in results.items() if code in this_month}
    assert quoted and all(f"{str(text).strip().rstrip('.')}." in body for text in quoted.values())
    section_three = body.split("III. ")[1].split("IV. ")[0]
    assert "(nhiệm vụ " in section_three or "chưa báo cáo khó khăn" in section_three


def test_nơi_nhận_and_the_signer(demo):
    doc = _doc(demo)
    closing = doc.tables[1]
    left, right = closing.rows[0].cells
    label = left.paragraphs[0].runs[0]
    assert left.paragraphs[0].text == "Nơi nhận:" and label.bold and label.italic and label.font.size.pt == 12
    listed = [p.text for p in left.paragraphs[1:]]
    assert listed[0] == "- UBND tỉnh (để báo cáo);" and listed[-1] == "- Lưu: VT, VP."
    assert all(r.font.size.pt == 11 for p in left.paragraphs[1:] for r in p.runs)
    signer = [p.text for p in right.paragraphs if p.text]
    assert signer == ["GIÁM ĐỐC", "Sái Thị Yến"]


def test_the_appendix_is_a_landscape_table_with_one_row_per_task(demo):
    doc = _doc(demo)
    appendix = doc.sections[-1]
    assert len(doc.sections) == 2 and appendix.orientation == WD_ORIENT.LANDSCAPE
    assert appendix.page_width > appendix.page_height
    table = doc.tables[-1] if "STT" in doc.tables[-1].rows[0].cells[0].text else doc.tables[1]
    header = [c.text for c in table.rows[0].cells]
    assert header == [
        "STT",
        "Mã NV",
        "Nhiệm vụ",
        "Chủ trì",
        "Thời hạn",
        "Kết quả trong tháng",
        "Đánh giá",
        "Khó khăn, đề xuất",
    ]
    report = _report(demo)
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert [r[1] for r in rows] == [t["code"] for t in report["tasks"]]
    assert [r[6] for r in rows] == [evaluation_label(t["evaluation"]) for t in report["tasks"]]
    deadlines = [
        dt.date.fromisoformat(t["deadline"]).strftime("%d/%m/%Y") if t["deadline"] else "Thường xuyên"
        for t in report["tasks"]
    ]
    assert [r[4] for r in rows] == deadlines
    assert "w:tblHeader" in table.rows[0]._tr.xml  # the header row repeats on every page


def test_report_command_writes_the_same_draft_from_the_ledger_alone(demo, tmp_path, capsys):
    before = [p.text for p in _doc(demo).paragraphs]
    inbox = demo / "inbox"
    moved = tmp_path / "inbox-away"
    shutil.move(inbox, moved)  # no unit file can be read
    try:
        assert main(["report", "-w", str(demo), "--period", "2025-05"]) == 0
    finally:
        shutil.move(moved, inbox)
    assert "bao-cao_2025-05.docx" in capsys.readouterr().out
    assert [p.text for p in _doc(demo).paragraphs] == before


def test_report_of_a_period_never_collected_is_one_line(demo, capsys):
    assert main(["report", "-w", str(demo), "--period", "2024-01"]) == 1
    err = capsys.readouterr().err
    assert "chưa được tổng hợp" in err and len(err.strip().splitlines()) == 1


def test_a_register_without_the_report_keys_gets_blanks_and_a_warning(tmp_path, capsys):
    from automation.plan.default_plan import default_plan
    from automation.plan.register_write import write_register

    folder = tmp_path / "ws"
    run_demo(folder, now=dt.datetime(2025, 5, 18, 8, 0, tzinfo=TZ))
    plan = default_plan()
    bare = type(plan)(
        **{**plan.__dict__, "parent_body": "", "addressee": "", "recipients": (), "signer_name": ""}
    )
    write_register(bare, folder / "workbook_templates" / "ke-hoach.xlsx")
    assert main(["report", "-w", str(folder), "--period", "2025-05"]) == 0
    err = capsys.readouterr().err
    assert "Cơ quan chủ quản" in err and "Kính gửi" in err and "Người ký" in err
    doc = _doc(folder)
    assert doc.tables[0].rows[0].cells[0].paragraphs[0].text == "…………"
    assert "Kính gửi: …………." in _texts(doc)


@pytest.mark.libreoffice
def test_report_pdf_through_libreoffice(demo, capsys):
    require_tool("soffice", "libreoffice")
    assert main(["report", "-w", str(demo), "--period", "2025-05", "--pdf"]) == 0
    pdf = demo / "outbox/2025-05/bao-cao_2025-05.pdf"
    assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF")
    from pypdf import PdfReader

    pages = PdfReader(str(pdf)).pages
    assert 2 <= len(pages) <= 12
    assert pages[-1].mediabox.width > pages[-1].mediabox.height  # the appendix is landscape


def test_a_units_line_breaks_tabs_and_control_characters_reach_the_draft_as_word_keeps_them(demo, tmp_path):
    """A unit's cell may hold line breaks (Alt+Enter), tabs, XML's special characters and characters XML
    1.0 forbids: the draft keeps the breaks and tabs, escapes the specials and drops the forbidden ones
    (rather than failing the whole run), in section II and in the appendix alike."""
    from dataclasses import replace

    from automation.plan.register import read_register
    from automation.run.report import draft_job
    from automation.settings import Settings
    from automation.state.ledger import LEDGER_NAME, Ledger
    from automation.write.report_doc import write_report_doc

    settings = Settings.load(demo)
    plan = read_register(settings.register_path).plan
    with Ledger(settings.state_dir / LEDGER_NAME) as ledger:
        _, job = draft_job(settings, ledger, plan, "2025-05", force=True)
    assert job is not None
    typed = "Đã xong <phần 1> & 2\nphần 3\tbảng\x0bcuối\x01"
    first = replace(job.facts.lines[0], results=typed, content="Nội dung <a & b>")
    facts = replace(job.facts, lines=[first, *job.facts.lines[1:]])
    path = tmp_path / "bao-cao.docx"
    write_report_doc(facts, path)
    doc = Document(str(path))
    row = doc.tables[-1].rows[1]
    assert row.cells[2].text == "Nội dung <a & b>"
    assert row.cells[5].text == "Đã xong <phần 1> & 2\nphần 3\tbảngcuối"
    sentence = next(p.text for p in doc.paragraphs if "Đã xong <phần 1>" in p.text)
    assert "& 2\nphần 3\tbảngcuối" in sentence and "\x0b" not in sentence
