"""What the reader says about a file it cannot use (issue 11): catalogue words only, never a library's
English; Excel 2.x–4.0 files are told to be saved again; a genuine workbook of repeated text is no zip bomb.
"""

from __future__ import annotations

import json
import random
import re
import string
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from automation.domain.contract import HEADER_LABELS
from automation.i18n.messages import MESSAGES
from automation.read.report import ReadLimits, read_report, read_report_bytes
from automation.templates.generate import COL_PROGRESS, COL_RESULTS, COL_STATUS
from automation.templates.sample_files import fill_template
from tests.support import hostile_files as hostile
from tests.support.unit_files import biff_record, make_templates, ole_file

ROOT = Path(__file__).resolve().parents[1]
OLD_FORMAT = (
    "Tệp được lưu bằng định dạng Excel quá cũ (Excel 2.x–4.0, trước năm 1993) nên không đọc được. Hãy mở "
    "tệp bằng Excel hoặc LibreOffice, chọn Lưu thành (Save As) dạng Sổ làm việc Excel (.xlsx) rồi gửi lại."
)
# words of the libraries' own messages and of Python's exception reprs
LIBRARY_WORDS = re.compile(
    r"Cannot|Error|Bad|Invalid|magic|Traceback|Exception|Errno|not a zip|zip file|central directory|"
    r"OLE2|olefile|calamine|xlrd|struct|unpack|decompress|BOUNDSHEET|DIMENSIONS|expected|found|"
    r"duplicate zip|detect|codec|\bat line\b"
)


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{[^}]*\}", template)
    return re.compile("(?s)" + "(.+?)".join(re.escape(p) for p in parts))


def _from_catalogue(rule: str, message: str) -> bool:
    """``message`` is the catalogue text of ``rule`` (either language), its parameters filled in."""
    return any(_pattern(text).fullmatch(message) for text in MESSAGES[rule])


# --- Excel 2.x–4.0 ---------------------------------------------------------------------------------------


def _old_biff(bof_type: int, sheet_type: int, version: int) -> bytes:
    body = struct.pack("<HH", version, sheet_type) + (b"" if bof_type == 0x0009 else b"\x00\x00")
    label = struct.pack("<HHBBBB", 0, 0, 0, 0, 0, 5) + b"Ma NV"  # a LABEL cell, as BIFF2 writes it
    return biff_record(bof_type, body) + biff_record(0x0004, label) + biff_record(0x000A, b"")


@pytest.mark.parametrize(
    ("bof_type", "sheet_type", "version"),
    [
        (0x0009, 0x0010, 0x0002),  # Excel 2.x worksheet
        (0x0209, 0x0010, 0x0003),  # Excel 3.0 worksheet
        (0x0409, 0x0010, 0x0004),  # Excel 4.0 worksheet
        (0x0409, 0x0100, 0x0004),  # Excel 4.0 workbook
        (0x0809, 0x0100, 0x0000),  # a bare BIFF stream of a workbook, no OLE wrapper
    ],
    ids=["excel2", "excel3", "excel4", "excel4-workbook", "bare-biff-workbook"],
)
def test_an_excel_2_to_4_file_is_told_to_be_saved_as_xlsx(bof_type, sheet_type, version):
    report = read_report_bytes(_old_biff(bof_type, sheet_type, version), "VP_2025-05.xls")
    [finding] = report.findings
    assert (finding.severity, finding.rule, finding.message) == ("error", "file.old_format", OLD_FORMAT)


def test_bytes_that_only_start_like_a_bof_are_not_an_old_excel_file():
    data = struct.pack("<HHHH", 0x0009, 4, 2, 0x7777) + b"\x01\x02\x03" * 20  # no known sheet type
    [finding] = read_report_bytes(data, "x.xls").findings
    assert finding.rule == "file.unreadable"


# --- zip bombs: absolute size and a capped inflation, not the ratio ----------------------------------------


def _repeated_text_workbook(tmp_path: Path) -> bytes:
    """A genuine report whose cells hold long repeated text, with a notes sheet of more of it (openpyxl)."""
    template = make_templates(tmp_path)["VP"]
    text = lambda i: "".join(f"Đã hoàn thành hạng mục {i}, đợt {j % 10}; " for j in range(900))  # noqa: E731
    rows = {c: {COL_STATUS: "Đang thực hiện", COL_PROGRESS: 50, COL_RESULTS: text(c)} for c in ("3.1", "3.2")}

    def notes(ws):
        sheet = ws.parent.create_sheet("Ghi chú")
        for i in range(200):
            sheet.cell(i + 1, 1).value = text(i)

    return fill_template(template, tmp_path / "VP.xlsx", rows, edit=notes).read_bytes()


def test_a_genuine_workbook_compressed_100_to_250_times_is_read(tmp_path: Path):
    data = _repeated_text_workbook(tmp_path)
    with zipfile.ZipFile(tmp_path / "VP.xlsx") as archive:
        biggest = max(archive.infolist(), key=lambda i: i.file_size)
    assert biggest.file_size > 4 * 1024 * 1024 and 100 <= biggest.file_size / biggest.compress_size <= 250
    report = read_report_bytes(data, "VP.xlsx")
    assert report.findings == [] and report.readable
    assert [row.values["Mã NV"] for row in report.rows[:4]] == ["2.2", "3.1", "3.2", "3.4"]
    # the old rule (a part over 1 MB compressed more than 100 times) called this very file a zip bomb
    old = ReadLimits(max_ratio=100, ratio_floor=1024 * 1024)
    assert [f.rule for f in read_report_bytes(data, "VP.xlsx", limits=old).findings] == ["file.zip_bomb"]


def test_a_part_that_inflates_past_its_declared_size_is_stopped_before_calamine(tmp_path: Path):
    """A part calamine inflates (not the report sheet) that lies about its size: inflated here in pieces,
    stopped one byte past what it declares, when lies could push the package over the limit."""
    _repeated_text_workbook(tmp_path)
    members = hostile.members_of(tmp_path / "VP.xlsx")
    notes = max(members, key=lambda m: m.size)
    lying = notes._replace(size=len(notes.compressed) * 2)  # believable for deflate, far below the truth
    data = hostile.zip_bytes(hostile.replaced(members, notes.name, lying))
    limits = ReadLimits(max_inflated_bytes=8 * 1024 * 1024)  # lies could reach more than this
    [finding] = read_report_bytes(data, "VP.xlsx", limits=limits).findings
    assert finding.rule == "file.zip_bomb" and notes.name in finding.message
    assert _from_catalogue("file.zip_bomb", finding.message)


# --- no library words in any reason ------------------------------------------------------------------------


def _xls(rows: list[list[str]]) -> bytes:
    """A small BIFF8 workbook in an OLE file, written record by record (LABEL cells)."""
    globals_bof = biff_record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0x06))
    name = "Báo cáo".encode("utf-16-le")

    def boundsheet(position: int) -> bytes:
        return biff_record(0x0085, struct.pack("<IBBBB", position, 0, 0, 7, 1) + name)

    cells = b"".join(
        biff_record(0x0204, struct.pack("<HHHHB", r, c, 15, len(v), 1) + v.encode("utf-16-le"))
        for r, row in enumerate(rows)
        for c, v in enumerate(row)
        if v
    )
    sheet = (
        biff_record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 0x06))
        + biff_record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, len(rows[0]), 0))
        + cells
        + biff_record(0x000A, b"")
    )
    at = len(globals_bof) + len(boundsheet(0)) + 4
    return ole_file({"Workbook": globals_bof + boundsheet(at) + biff_record(0x000A, b"") + sheet})


def _ods(rows: list[list[str]]) -> bytes:
    """A small OpenDocument spreadsheet, written part by part."""
    cell = '<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>'
    body = "".join(
        "<table:table-row>" + "".join(cell.format(v) for v in row) + "</table:table-row>" for row in rows
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="Báo cáo">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


ROWS = [list(HEADER_LABELS), ["3.1", "Nội dung", "Chủ trì", "", "Đang thực hiện", "", "50", "Đã làm"]]


def _corpus(tmp_path: Path) -> dict[str, bytes]:
    """Damaged copies of real workbooks of all three kinds, and containers holding the wrong things."""
    rng = random.Random(20251103)
    xlsx = make_templates(tmp_path)["VP"]
    sources = {"xlsx": xlsx.read_bytes(), "xls": _xls(ROWS), "ods": _ods(ROWS)}
    for kind, data in sources.items():  # the sources themselves must read cleanly
        assert read_report_bytes(data, f"x.{kind}").readable, kind
    corpus: dict[str, bytes] = {}
    for i in range(40):
        corpus[f"random-{i}.xlsx"] = rng.randbytes(rng.choice((3, 50, 700, 5000)))
    for kind, data in sources.items():
        for i in range(25):
            corpus[f"truncated-{i}.{kind}"] = data[: rng.randrange(1, len(data))]
        for i in range(60):
            flipped = bytearray(data)
            for _ in range(rng.choice((1, 2, 8, 40))):
                flipped[rng.randrange(len(flipped))] ^= 1 << rng.randrange(8)
            corpus[f"flipped-{i}.{kind}"] = bytes(flipped)
        for i in range(10):  # a run of garbage overwriting part of the file
            start = rng.randrange(len(data))
            junk = rng.randbytes(rng.randrange(1, 400))
            corpus[f"overwritten-{i}.{kind}"] = data[:start] + junk + data[start + len(junk) :]
    # zips with the wrong contents
    for name, parts in {
        "zip-of-text": {"readme.txt": b"hello"},
        "zip-workbook-garbage": {"xl/workbook.xml": b"\x00\x01garbage", "[Content_Types].xml": b"<x/>"},
        "zip-content-garbage": {
            "mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
            "content.xml": b"<a",
        },
        "zip-empty": {},
    }.items():
        import io

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for part, body in parts.items():
                archive.writestr(part, body)
        corpus[f"{name}.xlsx"] = buffer.getvalue()
    # OLE files with garbage streams
    for i in range(10):
        body = rng.randbytes(rng.randrange(10, 3000))
        corpus[f"ole-garbage-{i}.xls"] = ole_file({rng.choice(("Workbook", "Book", "Other")): body})
    corpus["ole-bof-then-garbage.xls"] = ole_file(
        {
            "Workbook": biff_record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0, 0, 0, 6))
            + rng.randbytes(900)
        }
    )
    return corpus


_READER = """
import json, sys
from pathlib import Path
from automation.read.report import read_report
for path in sorted(Path(sys.argv[1]).iterdir()):
    report = read_report(path, path.name)
    print(json.dumps([path.name, [[f.rule, f.message] for f in report.findings]], ensure_ascii=False), flush=True)
"""


def test_no_reason_from_a_damaged_file_carries_a_librarys_words(tmp_path: Path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    corpus = _corpus(tmp_path / "sources")
    for name, data in corpus.items():
        (folder / name).write_bytes(data)
    # in a process of its own: were a damaged file to abort calamine, the test says which one
    done = subprocess.run(
        [sys.executable, "-c", _READER, str(folder)], capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    results = dict(json.loads(line) for line in done.stdout.splitlines())
    assert done.returncode == 0, (done.stderr[-2000:], sorted(set(corpus) - set(results))[:1])
    assert set(results) == set(corpus)
    bad = []
    for name, findings in results.items():
        for rule, message in findings:
            if rule not in MESSAGES or not _from_catalogue(rule, message) or LIBRARY_WORDS.search(message):
                bad.append((name, rule, message))
    assert bad == []
    rules = {rule for findings in results.values() for rule, _ in findings}
    assert {"file.unreadable", "file.truncated"} <= rules  # the corpus reaches the failure paths


def test_an_unreadable_path_gets_a_vietnamese_reason(tmp_path: Path):
    [finding] = read_report(tmp_path, "thu-muc.xlsx").findings  # a folder where a file was expected
    assert finding.message == (
        "Không đọc được tệp (đây là một thư mục, không phải tệp). Hãy mở tệp bằng Excel hoặc LibreOffice để "
        "kiểm tra, lưu lại dạng Excel (.xlsx) rồi gửi lại."
    )


def test_the_library_word_check_can_fail():
    assert LIBRARY_WORDS.search("Không đọc được tệp (Bad magic number for central directory).")
    assert LIBRARY_WORDS.search("Không đọc được tệp (Cannot detect file format).")
    assert not _from_catalogue("file.empty", "The file is empty, says zipfile")
    assert string.ascii_letters  # (the corpus is built from ASCII and Vietnamese alike)
