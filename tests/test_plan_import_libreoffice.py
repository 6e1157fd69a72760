"""Plan import of seed 000 saved by real LibreOffice as Word and as PDF (SPEC §4, §8).

LibreOffice opens the seed's text the way a person pastes it into Writer, one paragraph per line, and
saves it. Its PDF draws some Vietnamese letters as a base glyph plus a mark with the real letter kept as
``/ActualText``; the reader must read that text, not the glyphs.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from automation.plan.default_plan import default_plan
from automation.plan.documents import read_document
from automation.plan.importer import import_to_register
from automation.plan.register import read_register
from tests.support.libreoffice import convert

pytestmark = pytest.mark.libreoffice

TEXT_FILTER = "Text (encoded):UTF8,LF,,,"
SEED_000 = Path(__file__).parent / "fixtures" / "plans" / "000_4221608ed0af568e.txt"


@pytest.fixture(scope="module")
def seed_000_saved_by_libreoffice(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("seed-000")
    source = folder / "ke-hoach-so-noi-vu.txt"
    shutil.copyfile(SEED_000, source)
    return {
        target: convert(source, target, folder / target, infilter=TEXT_FILTER)[0]
        for target in ("docx", "pdf")
    }


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_seed_000_saved_by_libreoffice_reproduces_the_default_register(
    seed_000_saved_by_libreoffice, tmp_path, kind
):
    out = tmp_path / "ke-hoach.xlsx"
    report = import_to_register(seed_000_saved_by_libreoffice[kind], out)
    assert read_register(out).plan == default_plan()
    assert not report.appendix_missing
    assert "Nhiệm vụ (11):" in report.lines()


def test_pdf_text_keeps_every_vietnamese_letter_libreoffice_drew_as_base_and_mark(
    seed_000_saved_by_libreoffice,
):
    text = "\n".join(
        b for b in read_document(seed_000_saved_by_libreoffice["pdf"]).blocks if isinstance(b, str)
    )
    assert "Tổ chức thực hiện Kế hoạch số 726/KH-UBND" in text
    assert "Phòng Công chức, viên chức" in text
    assert "Ban Thi đua - Khen thưởng" in text
