"""Every container reader under fuzzing (issue 12 item 3): random bytes, and real files the project makes
(a filled template, the same saved by LibreOffice as .xls and .ods, the OLE files the test helpers build)
with bits flipped, cut short, chunks duplicated or deleted, zip members swapped. Whatever the bytes, the
reader returns a report whose findings explain any failure — a ``file.*`` error in the catalogue's words
— never an exception, never a crash, in bounded time. The reads run in this process: calamine aborting
on some input would stop the test run, which is the point.

Repeatable: hypothesis is derandomized here (the same examples on every run and in CI).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from automation.domain.dates import Period
from automation.domain.model import ParsedReport
from automation.plan.register import read_register
from automation.read.report import ReadLimits, read_report_bytes
from automation.run.workspace import init_workspace
from automation.settings import Settings
from automation.templates.generate import (
    COL_DONE_ON,
    COL_PROGRESS,
    COL_RESULTS,
    COL_STATUS,
    write_templates,
)
from automation.templates.sample_files import fill_template
from tests.support import hostile_files as hostile
from tests.support.libreoffice import convert
from tests.support.unit_files import encrypted_ooxml, encrypted_xls, forged_xls_dimensions

MAY = Period(2025, 5)
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# small enough that no mutation can make a read hold much memory in the test process
LIMITS = ReadLimits(max_file_bytes=4 * 1024 * 1024, max_inflated_bytes=32 * 1024 * 1024, max_cells=200_000)
FUZZ = settings(
    max_examples=200,
    derandomize=True,
    deadline=dt.timedelta(seconds=10),  # a read takes milliseconds; only a hang may take this long
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
    database=None,
)
# words of the libraries' own messages and of Python's exception reprs
LIBRARY_WORDS = re.compile(
    r"Error|Exception|Traceback|Errno|Bad |Invalid|zip file|central directory|CRC|olefile|calamine|"
    r"msoffcrypto|struct|unpack|decompress|codec"
)


def _explained(report: ParsedReport) -> None:
    """The property: a readable report, or one whose error findings say why, in the catalogue's words."""
    assert isinstance(report, ParsedReport)
    for finding in report.findings:
        assert finding.rule.startswith("file.") and finding.message, finding
        assert not LIBRARY_WORDS.search(finding.message), finding.message
    if not report.readable:
        assert any(f.severity == "error" for f in report.findings), report.findings


def _read(data: bytes, name: str) -> None:
    _explained(read_report_bytes(data, name, limits=LIMITS))


# --- the files the project makes ---------------------------------------------------------------------------

ROWS = {
    "2.2": {COL_STATUS: "Hoàn thành", COL_DONE_ON: dt.date(2025, 5, 10), COL_PROGRESS: 100, COL_RESULTS: "Xong"},
    "3.1": {COL_STATUS: "Đang thực hiện", COL_PROGRESS: "=1+1", COL_RESULTS: "Đang rà soát"},
    "3.2": {COL_STATUS: "#N/A", COL_DONE_ON: "05/03/2025"},
}  # fmt: skip


def _percent(ws) -> None:
    ws["G14"] = 0.6
    ws["G14"].number_format = "0%"


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> dict[str, bytes]:
    """A unit's filled template (formula, error value, percent cell) from a real workspace, and the OLE
    files the helpers build (an encrypted .xls and OOXML package, a forged .xls)."""
    root = tmp_path_factory.mktemp("fuzz")
    init_workspace(root / "ws")
    workspace = Settings.load(root / "ws")
    plan = read_register(workspace.register_path).plan
    folder = workspace.period_dir(MAY) / "mau"
    write_templates(plan, workspace.master_path, folder, MAY, 16, dt.datetime(2025, 5, 1, tzinfo=TZ))
    filled = fill_template(folder / f"VP_{MAY}.xlsx", root / "VP.xlsx", ROWS, edit=_percent)
    made = {
        "xlsx": filled.read_bytes(),
        "encrypted.xls": encrypted_xls(),
        "encrypted.xlsx": encrypted_ooxml(),
        "forged.xls": forged_xls_dimensions(),
    }
    assert read_report_bytes(made["xlsx"], "VP.xlsx", limits=LIMITS).readable
    return made


@pytest.fixture(scope="module")
def office_sources(sources, tmp_path_factory) -> dict[str, bytes]:
    """The filled template saved by real LibreOffice as .xls and .ods (skipped without LibreOffice)."""
    folder = tmp_path_factory.mktemp("office")
    (folder / "VP.xlsx").write_bytes(sources["xlsx"])
    made = {
        target: convert(folder / "VP.xlsx", target, folder / target)[0].read_bytes()
        for target in ("xls", "ods")
    }
    for target, data in made.items():
        assert read_report_bytes(data, f"VP.{target}", limits=LIMITS).readable, target
    return made


@pytest.fixture(scope="module")
def every_source(sources, office_sources) -> list[tuple[str, bytes]]:
    """Every real file, by kind: each strategy draws which one it mutates."""
    return sorted({**sources, **office_sources}.items())


def _name(kind: str) -> str:
    return f"VP_2025-05.{kind.rsplit('.', 1)[-1]}"


# --- random bytes --------------------------------------------------------------------------------------

MAGIC = [b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\x09\x08\x10\x00\x00\x06\x05\x00"]


@FUZZ
@given(st.sampled_from(MAGIC), st.binary(max_size=6000), st.sampled_from(["x.xlsx", "x.xls", "x.ods"]))
def test_random_bytes_give_a_report_never_an_exception(magic: bytes, body: bytes, name: str):
    """Random bytes, bare or behind a zip's, an OLE file's or a BIFF stream's first bytes."""
    _read(magic + body, name)


# --- mutated real files --------------------------------------------------------------------------------


@st.composite
def bit_flips(draw: st.DrawFn, data: bytes) -> bytes:
    flipped = bytearray(data)
    for _ in range(draw(st.integers(1, 40))):
        flipped[draw(st.integers(0, len(data) - 1))] ^= 1 << draw(st.integers(0, 7))
    return bytes(flipped)


@st.composite
def chunk_edits(draw: st.DrawFn, data: bytes) -> bytes:
    """A chunk duplicated (in place or elsewhere) or deleted, one to three times."""
    edited = data
    for _ in range(draw(st.integers(1, 3))):
        start = draw(st.integers(0, len(edited) - 1))
        end = min(len(edited), start + draw(st.integers(1, 4096)))
        chunk = edited[start:end]
        if draw(st.booleans()):
            edited = edited[:start] + edited[end:]
        else:
            at = draw(st.integers(0, len(edited)))
            edited = edited[:at] + chunk + edited[at:]
    return edited or data[:1]


@FUZZ
@given(data=st.data())
def test_bit_flipped_files_give_a_report_never_an_exception(
    every_source: list[tuple[str, bytes]], data: st.DataObject
):
    kind, original = data.draw(st.sampled_from(every_source))
    _read(data.draw(bit_flips(original)), _name(kind))


@FUZZ
@given(data=st.data())
def test_truncated_files_give_a_report_never_an_exception(
    every_source: list[tuple[str, bytes]], data: st.DataObject
):
    kind, original = data.draw(st.sampled_from(every_source))
    cut = data.draw(st.integers(1, len(original) - 1))
    report = read_report_bytes(original[:cut], _name(kind), limits=LIMITS)
    _explained(report)
    assert not report.readable or kind == "xls"  # an .xls cut in its last, short sector can still be whole


@FUZZ
@given(data=st.data())
def test_files_with_chunks_duplicated_or_deleted_give_a_report(
    every_source: list[tuple[str, bytes]], data: st.DataObject
):
    kind, original = data.draw(st.sampled_from(every_source))
    _read(data.draw(chunk_edits(original)), _name(kind))


# --- zip packages whose members are swapped ------------------------------------------------------------------


def _members(data: bytes) -> list[hostile.Member]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [hostile.stored(info.filename, archive.read(info)) for info in archive.infolist()]


@st.composite
def swapped_members(draw: st.DrawFn, members: list[hostile.Member]) -> bytes:
    """Members' contents exchanged under their names, members reordered, dropped or listed twice, and one
    member's declared size or CRC changed: each package is written whole, directory and all."""
    members = list(members)
    for _ in range(draw(st.integers(1, 3))):
        i, j = draw(st.integers(0, len(members) - 1)), draw(st.integers(0, len(members) - 1))
        action = draw(st.sampled_from(["swap contents", "swap places", "drop", "twice", "lie"]))
        if action == "swap contents":
            members[i], members[j] = (
                members[j]._replace(name=members[i].name),
                members[i]._replace(name=members[j].name),
            )
        elif action == "swap places":
            members[i], members[j] = members[j], members[i]
        elif action == "drop" and len(members) > 1:
            members.pop(i)
        elif action == "twice":
            members.insert(j, members[i])
        elif action == "lie":
            size = draw(
                st.sampled_from([0, 1, members[i].size // 2, members[i].size + 1, 10 * members[i].size])
            )
            members[i] = members[i]._replace(size=size, crc=draw(st.sampled_from([members[i].crc, 0])))
    return hostile.zip_bytes(members)


@FUZZ
@given(data=st.data())
def test_packages_with_members_swapped_give_a_report(sources, office_sources, data: st.DataObject):
    kind = data.draw(st.sampled_from(["xlsx", "ods"]))
    original = sources["xlsx"] if kind == "xlsx" else office_sources["ods"]
    _read(data.draw(swapped_members(_members(original))), _name(kind))
