"""Anything at all dropped in the inbox (SPEC §6, §12; issue 5): one workspace whose inbox holds three good
unit reports beside more than thirty kinds of hostile or odd input, every one generated here. One real
``baocao collect`` runs over it in a subprocess under an address-space limit while another thread keeps
rewriting one of the files; afterwards each kind has its recorded outcome and its finding (or reason) in
Vietnamese, and the good reports are accepted and in the consolidated workbook.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook, load_workbook

from automation.cli import main as cli_main
from automation.domain.dates import Period
from automation.i18n.messages import MESSAGES, t
from automation.plan.register import read_register
from automation.run.workspace import init_workspace
from automation.settings import Settings
from automation.templates.generate import (
    COL_DONE_ON,
    COL_EVIDENCE,
    COL_PROGRESS,
    COL_RESULTS,
    COL_STATUS,
    write_templates,
)
from automation.templates.sample_files import fill_template
from tests.support import hostile_files as hostile
from tests.support import require_tool
from tests.support.libreoffice import convert
from tests.support.unit_files import (
    encrypted_ooxml,
    encrypted_xls,
    forged_xls_dimensions,
    insert_cols,
    insert_rows,
)

pytestmark = pytest.mark.skipif(
    not hasattr(os, "mkfifo"), reason="POSIX: symbolic links, a named pipe, RLIMIT_AS"
)

ROOT = Path(__file__).resolve().parents[1]
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
APRIL, MAY = Period(2025, 4), Period(2025, 5)
ODD_AT = dt.datetime(2025, 5, 10, 9, 0, tzinfo=TZ)  # before the good files: a usable odd file is superseded
GOOD_AT = dt.datetime(2025, 5, 12, 9, 0, tzinfo=TZ)
COPY_AT = dt.datetime(2025, 5, 13, 9, 0, tzinfo=TZ)
# an address-space cap far below what inflating the bomb (1 GiB of XML) or loading it would take
MEMORY_LIMIT = 1024 * 1024 * 1024  # a whole collect of this corpus peaks at ~160 MB (VmPeak)

GOOD_ROWS = {
    "TDKT": {
        "1.1": {COL_STATUS: "Hoàn thành", COL_DONE_ON: "20/03/2025", COL_PROGRESS: 100,
                COL_RESULTS: "Đã phát động phong trào thi đua"},
        "1.2": {COL_STATUS: "Đang thực hiện", COL_PROGRESS: 40, COL_RESULTS: "Đang rà soát hồ sơ khen thưởng"},
    },
    "TCBC": {"2.1": {COL_STATUS: "Đang thực hiện", COL_PROGRESS: 70, COL_RESULTS: "Đã trình dự thảo phương án"}},
    "VP": {
        "2.2": {COL_STATUS: "Đang thực hiện", COL_PROGRESS: 60, COL_RESULTS: "Đã rà soát 12/20 quy trình"},
        "3.1": {COL_STATUS: "Đang thực hiện", COL_PROGRESS: 30, COL_RESULTS: "Đang khảo sát hạ tầng"},
        "3.2": {COL_STATUS: "Hoàn thành", COL_DONE_ON: "09/05/2025", COL_PROGRESS: 100,
                COL_RESULTS: "Đã ban hành quy chế"},
        "3.4": {COL_STATUS: "Chưa triển khai", COL_PROGRESS: 0},
    },
}  # fmt: skip


def odd_rows(kind: str) -> dict[str, dict[str, object]]:
    """TDKT's rows as an odd file carries them: task 1.2's status typed ``đang triển khai`` gives the
    marker finding ``row.status_corrected`` at that cell (E12 in the template), which shows the file was
    read by its labels; the kind's name in 1.1's evidence makes every file's bytes different."""
    return {
        "1.1": {COL_STATUS: "Hoàn thành", COL_DONE_ON: "20/03/2025", COL_PROGRESS: 100,
                COL_RESULTS: "Đã phát động", COL_EVIDENCE: f"Tệp thử: {kind}"},
        "1.2": {COL_STATUS: "đang triển khai", COL_PROGRESS: 20, COL_RESULTS: "Đang rà soát"},
    }  # fmt: skip


@dataclass(frozen=True)
class Expect:
    """What one kind of input must end with: the file's outcome and, for a file that was read, a finding
    (rule, severity, cell, sheet) whose message comes from the catalogue; for a file whose outcome is
    decided without reading it (ignored, duplicate, another period), its reason from the catalogue."""

    path: str
    outcome: str
    rule: str | None = None
    severity: str = "error"
    cell: str | None = None
    sheet: str | None = None
    says: str = ""  # words the Vietnamese message or reason must hold
    reason: str | None = None  # the catalogue key of the reason, when there is no finding
    needs: str | None = None  # a tool the kind needs


MARKER = "row.status_corrected"


def _usable(path: str, cell: str = "E12", sheet: str = "Báo cáo") -> Expect:
    """An odd but usable TDKT file: read by its labels (the marker finding at its true cell), and
    superseded by TDKT's good report, received later."""
    return Expect(path, "superseded", MARKER, "info", cell, sheet, "đang triển khai")


DEEP = "/".join(f"cap-{level}" for level in range(1, 13)) + "/bao-cao.xlsx"
NFD_NAME = unicodedata.normalize("NFD", "Báo cáo tháng 5 của đơn vị.xlsx")

KINDS: dict[str, Expect] = {
    # packages that attack the reader
    "zip_bomb": Expect("inbox/bom-nen/bao-cao.xlsx", "rejected", "file.zip_bomb", says="bom nén"),
    "zip_bomb_lying_sizes": Expect("inbox/bom-nen/khai-sai.xlsx", "rejected", "file.zip_bomb", says="khai"),
    "entity_expansion": Expect("inbox/thuc-the/tang-cap.xlsx", "rejected", "file.unsafe", says="sheet1.xml"),
    "external_entity": Expect("inbox/thuc-the/ben-ngoai.xlsx", "rejected", "file.unsafe", says="workbook.xml"),
    "encrypted_xlsx": Expect("inbox/mat-khau.xlsx", "rejected", "file.encrypted", says="mật khẩu"),
    "encrypted_xls": Expect("inbox/mat-khau.xls", "rejected", "file.encrypted", says="mật khẩu"),
    "empty": Expect("inbox/rong.xlsx", "rejected", "file.empty", says="rỗng"),
    "truncated": Expect("inbox/cat-cut.xlsx", "rejected", "file.truncated", says="cắt cụt"),
    "html_as_xls": Expect("inbox/VP_trang-web.xls", "rejected", "file.wrong_format", says="trang web (HTML)"),
    "csv_as_xlsx": Expect("inbox/TCBC_van-ban.xlsx", "rejected", "file.wrong_format", says="văn bản CSV"),
    "xml_2003_as_xls": Expect("inbox/excel-2003.xls", "rejected", "file.wrong_format", says="XML Spreadsheet"),
    "forged_xls_dimensions": Expect("inbox/kich-thuoc-gia.xls", "rejected", "file.unreadable", says="kích thước ghi trong trang"),
    # sheets too large, refused before calamine loads them, or never loaded
    "stray_cell_far_away": Expect("inbox/o-xa.xlsx", "rejected", "file.sheet_too_large", says="Ctrl+End"),
    "junk_sheet_150k_rows_only": Expect("inbox/du-lieu/chi-du-lieu.xlsx", "rejected", "file.no_report_sheet",
                                        says="Mã NV"),
    "junk_sheet_150k_rows_beside_report": _usable("inbox/du-lieu/kem-du-lieu.xlsx"),
    # whose and which month
    "unknown_unit": Expect("inbox/bao-cao-so-tai-chinh.xlsx", "rejected", "file.unknown_unit", cell="B7",
                           sheet="Báo cáo", says="Sở Tài chính"),
    "another_period": Expect(f"inbox/TDKT_{APRIL}.xlsx", "other_period", says="2025-04",
                             reason="collect.other_period"),
    "old_template_version": Expect("inbox/mau-cu.xlsx", "superseded", "file.period_mismatch", "warning", "B8",
                                   "Báo cáo", "04/2025"),
    "missing_meta_sheet": _usable("inbox/khong-meta.xlsx"),
    "file_name_not_utf8": _usable("inbox/B\\xe1o c\\xe1o th\\xe1ng 5.xlsx"),  # its bytes shown escaped
    "nfd_file_and_unit_names": Expect(unicodedata.normalize("NFC", f"inbox/{NFD_NAME}"), "superseded", MARKER,
                                      "info", "E12", "Báo cáo", "đang triển khai"),
    # the sheet as people change it
    "data_sheet_renamed": _usable("inbox/doi-ten-trang.xlsx", sheet="Sheet1"),
    "header_moved_down": _usable("inbox/tieu-de-dich-xuong.xlsx", cell="E15"),
    "column_inserted": _usable("inbox/them-cot.xlsx", cell="F12"),
    "merged_cells": Expect("inbox/gop-o.xlsx", "superseded", "row.missing_results", "warning", "H12", "Báo cáo"),
    "formula_in_input_cell": Expect("inbox/cong-thuc.xlsx", "superseded", "row.formula", "warning", "G12",
                                    "Báo cáo"),
    "error_value_in_input_cell": Expect("inbox/gia-tri-loi.xlsx", "superseded", "row.error_value", "error",
                                        "E12", "Báo cáo", "#REF!"),
    # where and how files lie in the folder
    "deep_folders": _usable(f"inbox/{DEEP}"),
    "symlink_to_a_report": Expect("inbox/lien-ket.xlsx", "ignored", reason="intake.symlink"),
    "symlink_to_etc_passwd": Expect("inbox/passwd.xlsx", "ignored", reason="intake.symlink"),
    "symlink_to_a_folder": Expect("inbox/thu-muc-lien-ket", "ignored", reason="intake.symlink"),
    "named_pipe": Expect("inbox/ong-dan.xlsx", "ignored", reason="intake.not_regular"),
    "same_bytes_twice": Expect(f"inbox/ban-sao/TDKT_{MAY} (1).xlsx", "duplicate", says=f"inbox/TDKT_{MAY}.xlsx",
                               reason="collect.duplicate"),
    "excel_lock_file": Expect(f"inbox/~$TDKT_{MAY}.xlsx", "ignored", reason="intake.lock_file"),
    "libreoffice_lock_file": Expect(f"inbox/.~lock.TDKT_{MAY}.xlsx#", "ignored", reason="intake.lock_file"),
    "hidden_file": Expect("inbox/.an.xlsx", "ignored", reason="intake.hidden_file"),
    "text_file": Expect("inbox/ghi-chu.txt", "ignored", says=".txt", reason="intake.unknown_extension"),
    # other programs' files
    "xlsm_with_macros": _usable("inbox/co-macro.xlsm"),
    "libreoffice_xls": replace(_usable("inbox/libreoffice/bao-cao.xls"), needs="soffice"),
    "libreoffice_ods": replace(_usable("inbox/libreoffice/bao-cao.ods"), needs="soffice"),
}  # fmt: skip
# where a kind's file really lies when the path shown is not its name on disk
ON_DISK = {
    "nfd_file_and_unit_names": f"inbox/{NFD_NAME}",
    "file_name_not_utf8": os.fsdecode("inbox/Báo cáo tháng 5.xlsx".encode("cp1258")),  # Windows-1258 bytes
}
CHANGING = f"inbox/dang-chep/CCVC_{MAY}.xlsx"  # rewritten over and over while the run reads the inbox


# --- the corpus ------------------------------------------------------------------------------------------


def _put(path: Path, data: bytes, at: dt.datetime = ODD_AT) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    os.utime(path, (at.timestamp(), at.timestamp()))
    return path


def _template(settings: Settings, unit: str, period: Period = MAY) -> Path:
    return settings.period_dir(period) / "mau" / f"{unit}_{period}.xlsx"


def _delete_meta(ws) -> None:
    del ws.parent["_meta"]


def _old_template(ws) -> None:
    """Last month's template, of an older version whose header used other words, period retyped."""
    for cell, words in (("A10", "Mã nhiệm vụ"), ("E10", "Trạng thái"), ("G10", "Tiến độ")):
        ws[cell] = words
    for key, value in ws.parent["_meta"].iter_rows():
        if key.value == "template_version":
            value.value = "0"


def _merge_results(ws) -> None:
    ws["H11"] = "Đã phát động; đang rà soát"
    ws.merge_cells("H11:H12")  # 1.2's results now belong to H11: H12 reads empty


def _junk_placeholder(ws) -> None:
    ws.parent.create_sheet("Dữ liệu")["A1"] = 424242  # replaced by 150,000 rows of XML afterwards


def _saved_by_libreoffice(template: Path, scratch: Path) -> dict[str, Path]:
    """Odd TDKT files saved by real LibreOffice as .xls and .ods (none when it is not installed: the kinds
    that need them then skip, or fail under BAOCAO_REQUIRE_ALL). One at a time, on one core, while the
    rest of the corpus is built on the other."""
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        return {}
    converted = {}
    for target in ("xls", "ods"):
        folder = scratch / f"libreoffice-{target}"
        source = fill_template(template, folder / "bao-cao.xlsx", odd_rows(f"libreoffice_{target}"))
        (converted[target],) = convert([source], target, folder / "out")
    return converted


def _start(function: Callable, *args) -> tuple[threading.Thread, list]:
    box: list = []

    def run() -> None:
        try:
            box.append(function(*args))
        except BaseException as exc:  # re-raised in the caller by _join
            box.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, box


def _join(job: tuple[threading.Thread, list]):
    thread, box = job
    thread.join()
    if isinstance(box[0], BaseException):
        raise box[0]
    return box[0]


def build_corpus(workspace: Path, scratch: Path) -> tuple[Settings, list[bytes]]:
    """The workspace and its inbox (every kind of ``KINDS`` at its path, the good reports, the file that
    will change), and the two versions of the changing file."""
    init_workspace(workspace)
    settings = Settings.load(workspace)
    plan = read_register(settings.register_path).plan
    for period in (APRIL, MAY):
        write_templates(plan, settings.master_path, settings.period_dir(period) / "mau", period, 16,
                        dt.datetime(2025, 4, 1, 8, tzinfo=TZ))  # fmt: skip
    tdkt = _template(settings, "TDKT")
    scratch.mkdir(parents=True, exist_ok=True)
    libreoffice = _start(_saved_by_libreoffice, tdkt, scratch)  # a few seconds: done while the rest is built

    def at(kind: str) -> Path:
        return workspace / ON_DISK.get(kind, KINDS[kind].path)

    def put(kind: str, data: bytes) -> Path:
        return _put(at(kind), data)

    def odd(kind: str, edit: Callable | None = None, template: Path = tdkt, **kw) -> Path:
        return fill_template(template, at(kind), odd_rows(kind), edit=edit, received_at=ODD_AT, **kw)

    # the good reports, received last: accepted
    for unit, rows in GOOD_ROWS.items():
        fill_template(_template(settings, unit), settings.inbox_dir / f"{unit}_{MAY}.xlsx", rows,
                      received_at=GOOD_AT)  # fmt: skip
    good_tdkt = settings.inbox_dir / f"TDKT_{MAY}.xlsx"

    # packages that attack the reader, made from the parts of a usable odd file
    base = fill_template(tdkt, scratch / "base.xlsx", odd_rows("base"))
    members, sheet = hostile.members_of(base), "xl/worksheets/sheet1.xml"
    put("zip_bomb", hostile.zip_bytes(hostile.replaced(members, sheet, hostile.bomb_member(sheet))))
    lying = hostile.bomb_member(sheet, declared=30_000)
    put("zip_bomb_lying_sizes", hostile.zip_bytes(hostile.replaced(members, sheet, lying)))
    with zipfile.ZipFile(base) as archive:
        sheet_xml, book_xml = archive.read(sheet), archive.read("xl/workbook.xml")
    laughs = hostile.with_dtd(sheet_xml, hostile.BILLION_LAUGHS, b": base</t>", b": &lol9;</t>")
    put(
        "entity_expansion", hostile.zip_bytes(hostile.replaced(members, sheet, hostile.stored(sheet, laughs)))
    )
    xxe = hostile.with_dtd(book_xml, hostile.EXTERNAL_ENTITY, "Hướng dẫn".encode(), b"&xxe;")
    book = "xl/workbook.xml"
    put("external_entity", hostile.zip_bytes(hostile.replaced(members, book, hostile.stored(book, xxe))))
    put("encrypted_xlsx", encrypted_ooxml())
    put("encrypted_xls", encrypted_xls())
    put("empty", b"")
    whole = good_tdkt.read_bytes()
    put("truncated", whole[: len(whole) // 2])
    put("html_as_xls", hostile.HTML_AS_XLS)
    put("csv_as_xlsx", hostile.CSV_AS_XLSX)
    put("xml_2003_as_xls", hostile.XML_2003_AS_XLS)
    put("forged_xls_dimensions", forged_xls_dimensions())

    # sheets too large
    odd("stray_cell_far_away", edit=lambda ws: ws.__setitem__("XFD1048576", "x"))
    junk = hostile.stored("", hostile.junk_sheet_xml(150_000))
    dump = Workbook()
    dump.active["A1"] = 424242
    dump.save(scratch / "dump.xlsx")
    put("junk_sheet_150k_rows_only", hostile.swap_part(scratch / "dump.xlsx", b"<v>424242</v>", junk))
    beside = odd("junk_sheet_150k_rows_beside_report", edit=_junk_placeholder)
    _put(beside, hostile.swap_part(beside, b"<v>424242</v>", junk))

    # whose and which month
    fill_template(_template(settings, "TCBC"), at("unknown_unit"),
                  {"2.1": {COL_STATUS: "Đang thực hiện", COL_RESULTS: "x"}}, unit_text="Sở Tài chính",
                  edit=_delete_meta, received_at=ODD_AT)  # fmt: skip
    odd("another_period", template=_template(settings, "TDKT", APRIL))
    odd("old_template_version", edit=_old_template, template=_template(settings, "TDKT", APRIL),
        period_text="05/2025")  # fmt: skip
    odd("missing_meta_sheet", edit=_delete_meta)
    nfd = {key: unicodedata.normalize("NFD", text) for key, text in
           {"status": "đang triển khai", "results": "Đang khảo sát", "unit": "Văn phòng Sở"}.items()}  # fmt: skip
    fill_template(_template(settings, "VP"), at("nfd_file_and_unit_names"),
                  {"3.1": {COL_STATUS: nfd["status"], COL_PROGRESS: 30, COL_RESULTS: nfd["results"]}},
                  unit_text=nfd["unit"], edit=_delete_meta, received_at=ODD_AT)  # fmt: skip

    # the sheet as people change it
    odd("data_sheet_renamed", edit=lambda ws: setattr(ws, "title", "Sheet1"))
    odd("header_moved_down", edit=lambda ws: insert_rows(ws, 1, 3))
    odd("column_inserted", edit=lambda ws: insert_cols(ws, 1))
    odd("merged_cells", edit=_merge_results)
    odd("formula_in_input_cell", edit=lambda ws: ws.__setitem__("G12", "=10+10"))
    odd("error_value_in_input_cell", edit=lambda ws: ws.__setitem__("E12", "#REF!"))

    # where and how files lie in the folder
    odd("deep_folders")
    odd("file_name_not_utf8")
    at("symlink_to_a_report").symlink_to(good_tdkt)
    at("symlink_to_etc_passwd").symlink_to("/etc/passwd")
    at("symlink_to_a_folder").symlink_to("/etc", target_is_directory=True)
    os.mkfifo(at("named_pipe"))  # opening it to read would wait for a writer for ever
    copy = at("same_bytes_twice")
    copy.parent.mkdir(parents=True)
    shutil.copyfile(good_tdkt, copy)
    os.utime(copy, (COPY_AT.timestamp(), COPY_AT.timestamp()))
    put("excel_lock_file", hostile.excel_lock_file())
    put("libreoffice_lock_file", hostile.libreoffice_lock_file(str(good_tdkt)))
    put("hidden_file", whole)
    put("text_file", "Ghi chú của văn thư".encode())

    # other programs' files
    macro = fill_template(tdkt, scratch / "macro.xlsx", odd_rows("xlsm_with_macros"))
    put("xlsm_with_macros", hostile.with_macros(macro))
    for target, converted in _join(libreoffice).items():
        put(f"libreoffice_{target}", converted.read_bytes())

    # CCVC's report in two versions, for the file rewritten during the run
    versions = []
    for status, done_on, progress in (("Đang thực hiện", None, 50), ("Hoàn thành", "10/05/2025", 100)):
        rows = {"3.3": {COL_STATUS: status, COL_DONE_ON: done_on, COL_PROGRESS: progress,
                        COL_RESULTS: "Đã xây dựng khung năng lực"}}  # fmt: skip
        made = fill_template(_template(settings, "CCVC"), scratch / f"ccvc-{len(versions)}.xlsx", rows)
        versions.append(made.read_bytes())
    _put(workspace / CHANGING, versions[0], GOOD_AT)
    return settings, versions


# --- the run ----------------------------------------------------------------------------------------------

# The child's address space capped (RLIMIT_AS) at argv[1] bytes, then ``python -m automation ARGS…``.
CAP = """
import resource, sys
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
"""
RUN_BAOCAO = """
import runpy
sys.argv = ["baocao", *sys.argv[2:]]
runpy.run_module("automation", run_name="__main__", alter_sys=True)
"""


def limited(limit: int, *args: str) -> list[str]:
    return [sys.executable, "-c", CAP + RUN_BAOCAO, str(limit), *args]


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "WORKERS")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def _keep_rewriting(path: Path, versions: list[bytes], done: threading.Event, count: list[int]) -> None:
    """Rewrite ``path`` in place, version after version, 4 KB at a time, until ``done``: a file being saved
    over and over while the run reads the inbox."""
    while not done.is_set():
        data = versions[count[0] % len(versions)]
        with open(path, "r+b") as stream:
            stream.truncate(0)
            for start in range(0, len(data), 4096):
                stream.write(data[start : start + 4096])
                stream.flush()
        count[0] += 1
        done.wait(0.002)


@dataclass
class Run:
    settings: Settings
    versions: list[bytes]
    as_of: str
    returncode: int
    stdout: str
    stderr: str
    rewrites: int
    report: dict
    files: dict[str, dict]
    findings: dict[str, list[dict]]
    workbook: Path


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Run:
    root = tmp_path_factory.mktemp("hostile")
    settings, versions = build_corpus(root / "ws", root / "scratch")
    # the changing file's modification time is now: the cut-off must come after it
    as_of = (dt.datetime.now(TZ) + dt.timedelta(days=1)).replace(microsecond=0).isoformat()
    command = limited(
        MEMORY_LIMIT, "collect", "-w", str(settings.workspace), "-p", str(MAY), "--as-of", as_of
    )
    done, count = threading.Event(), [0]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=environment(), cwd=ROOT)  # fmt: skip
    writer = threading.Thread(
        target=_keep_rewriting, args=(settings.workspace / CHANGING, versions, done, count)
    )
    writer.start()
    try:
        stdout, stderr = process.communicate(timeout=120)  # a run stuck on a file fails here
    finally:
        done.set()
        writer.join()
        process.kill()
    report = json.loads((settings.period_dir(MAY) / "run-report.json").read_text(encoding="utf-8"))
    workbook = root / "tong-hop.xlsx"  # kept: a later test runs collect again in this workspace
    shutil.copyfile(settings.period_dir(MAY) / f"tong-hop_{MAY}.xlsx", workbook)
    findings: dict[str, list[dict]] = {}
    for finding in report["findings"]:
        findings.setdefault(finding["file"], []).append(finding)
    files = {record["path"]: record for record in report["files"]}
    return Run(settings, versions, as_of, process.returncode, stdout, stderr, count[0], report, files, findings,
               workbook)  # fmt: skip


def _from_catalogue(text: str, key: str) -> bool:
    """``text`` is the Vietnamese catalogue message ``key`` (its words up to the first parameter), NFC."""
    fixed = MESSAGES[key][0].split("{", 1)[0]
    return text.startswith(fixed) and unicodedata.is_normalized("NFC", text)


def test_the_run_completes_under_the_memory_cap_without_a_word_on_stderr(run):
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""
    assert "Tệp đã xét" in run.stdout


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kind_ends_with_its_outcome_and_finding(run, kind):
    expect = KINDS[kind]
    if expect.needs:
        require_tool(expect.needs, "libreoffice")
    record = run.files.get(expect.path)
    assert record is not None, f"{kind}: no outcome for {expect.path}"
    assert record["outcome"] == expect.outcome, (kind, record["reason"])
    if expect.rule is None:
        assert record["reason"] and _from_catalogue(record["reason"], expect.reason), (kind, record["reason"])
        assert expect.says in record["reason"]
        return
    found = [f for f in run.findings.get(expect.path, []) if f["rule"] == expect.rule]
    assert found, (kind, [f["rule"] for f in run.findings.get(expect.path, [])])
    finding = found[0]
    assert (finding["severity"], finding["cell"], finding["sheet"]) == (expect.severity, expect.cell,
                                                                         expect.sheet), kind  # fmt: skip
    assert _from_catalogue(finding["message"], expect.rule), finding["message"]
    assert expect.says in finding["message"], finding["message"]
    if expect.outcome == "rejected":
        assert record["reason"] == finding["message"]


def test_the_good_reports_are_accepted_and_in_the_consolidated_workbook(run):
    units = {unit["code"]: unit for unit in run.report["units"]}
    for code in GOOD_ROWS:
        assert run.files[f"inbox/{code}_{MAY}.xlsx"]["outcome"] == "accepted"
        assert (units[code]["submission"], units[code]["file"]) == ("on_time", f"inbox/{code}_{MAY}.xlsx")
        assert (units[code]["errors"], units[code]["warnings"]) == (0, 0)
    book = load_workbook(run.workbook, read_only=True)
    tasks = _table(book["Tiến độ nhiệm vụ"], "Mã NV")
    for code, rows in GOOD_ROWS.items():
        for task, values in rows.items():
            row = next(r for r in tasks if r["Mã NV"] == task)
            assert (row["Tệp báo cáo"], row[COL_RESULTS]) == (
                f"inbox/{code}_{MAY}.xlsx",
                values.get(COL_RESULTS),
            )
    assert sorted(r["Tệp"] for r in _table(book["Tệp đã nhận"], "Tệp")) == sorted(run.files)


def _table(ws, first: str) -> list[dict[str, object]]:
    """The rows of an output sheet's table as {header label: value}; the header row starts with ``first``."""
    rows = list(ws.iter_rows(values_only=True))
    header = next(r for r in rows if r[0] == first)
    return [
        dict(zip(header, row, strict=False)) for row in rows[rows.index(header) + 1 :] if row[0] is not None
    ]


def test_every_file_read_is_archived_under_the_hash_of_its_bytes(run):
    archive = run.settings.state_dir / "archive"
    read = [r for r in run.files.values() if r["sha256"]]
    assert len(read) >= 30
    for record in read:
        (copy,) = [
            path
            for path in archive.glob(f"{record['sha256'][:2]}/{record['sha256']}.*")
            if not path.name.endswith(".facts.jsonl")  # the arrival's facts beside the copy
        ]
        assert hashlib.sha256(copy.read_bytes()).hexdigest() == record["sha256"], record["path"]
    with sqlite3.connect(run.settings.state_dir / "ledger.sqlite") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        arrivals = set(db.execute("SELECT path, sha256 FROM arrivals"))
    assert {(r["path"], r["sha256"]) for r in read} <= arrivals


def test_a_file_rewritten_during_the_run_is_judged_by_the_bytes_archived(run):
    assert run.rewrites > 1  # the file really was being rewritten while the run went on
    record = run.files[CHANGING]
    if record["outcome"] == "pending":  # it never held still while read: left for the next run
        assert record["reason"] == t("intake.pending") and record["sha256"] is None
    else:
        (copy,) = (run.settings.state_dir / "archive").glob(f"*/{record['sha256']}.xlsx")
        _judged_by(run, record, copy.read_bytes())
    # once it holds still, the next run takes its bytes as they are now
    now = cli_main(["collect", "-w", str(run.settings.workspace), "-p", str(MAY), "--as-of", run.as_of])
    assert now == 0
    report = json.loads((run.settings.period_dir(MAY) / "run-report.json").read_text(encoding="utf-8"))
    record = next(r for r in report["files"] if r["path"] == CHANGING)
    settled = (run.settings.workspace / CHANGING).read_bytes()
    assert record["sha256"] == hashlib.sha256(settled).hexdigest()
    _judged_by(run, record, settled, report)


def _judged_by(run: Run, record: dict, data: bytes, report: dict | None = None) -> None:
    """The verdict on the changing file follows ``data``, the bytes the run took."""
    report = report or run.report
    assert record["sha256"] == hashlib.sha256(data).hexdigest()
    if record["outcome"] == "duplicate":  # the same bytes as a file received earlier
        original = next(r for r in report["files"] if record["reason"].endswith(r["path"]))
        assert original["sha256"] == record["sha256"]
    elif data in run.versions:
        status = ("in_progress", "done")[run.versions.index(data)]
        assert record["outcome"] == "accepted"
        assert next(t_ for t_ in report["tasks"] if t_["code"] == "3.3")["reported_status"] == status
    else:  # a version caught half written
        assert record["outcome"] == "rejected"
        assert any(v.startswith(data) for v in run.versions)
        rules = {f["rule"] for f in report["findings"] if f["file"] == CHANGING}
        assert rules == ({"file.empty"} if not data else {"file.truncated"})


def test_the_memory_cap_is_real():
    """The cap the corpus run works under stops a process that asks for what inflating the bomb takes."""
    grab = subprocess.run([sys.executable, "-c", CAP + "bytearray(1024 ** 3)", str(MEMORY_LIMIT)],
                          capture_output=True, text=True)  # fmt: skip
    assert grab.returncode != 0 and "MemoryError" in grab.stderr
