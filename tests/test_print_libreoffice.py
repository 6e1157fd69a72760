"""Printed pages as real LibreOffice makes them (issue 13): the ``Tóm tắt`` sheet is one A4 page for the
demo and for a plan of 40 tasks and 15 units; the unit template's page number ("Trang 1/2") is printed
whole. Without LibreOffice these tests skip (and fail under BAOCAO_REQUIRE_ALL=1)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from automation.domain.dates import Period
from automation.i18n import messages
from automation.plan.default_plan import default_plan
from automation.templates.generate import write_templates
from automation.templates.master import build_master
from tests.support.big_plan import make_big_workspace
from tests.support.demo_workspace import make_demo
from tests.support.libreoffice import convert

pytestmark = pytest.mark.libreoffice

TREND_RANGE = re.compile(r"\(\d\d/\d{4}–\d\d/\d{4}\)")  # in the title of the sheet after the summary


def _summary_pages(workbook: Path, out: Path) -> int:
    """Pages the ``Tóm tắt`` sheet takes: those before the first page of the ``Xu hướng`` sheet, known by
    its title's period range "(04/2025 – 05/2025)" (digits survive text extraction; accents may not)."""
    (pdf,) = convert(workbook, "pdf", out)
    pages = ["".join((page.extract_text() or "").split()) for page in PdfReader(pdf).pages]
    return next(i for i, text in enumerate(pages) if TREND_RANGE.search(text))


def test_summary_of_the_demo_prints_on_one_page(tmp_path):
    messages.set_language("vi")
    workspace = make_demo(tmp_path / "demo")
    assert _summary_pages(workspace / "outbox" / "2025-05" / "tong-hop_2025-05.xlsx", tmp_path / "pdf") == 1


def test_summary_of_40_tasks_and_15_units_prints_on_one_page(tmp_path):
    messages.set_language("vi")
    workbook = make_big_workspace(tmp_path / "big")
    assert _summary_pages(workbook, tmp_path / "pdf") == 1


def test_template_page_numbers_print_whole_on_every_page(tmp_path):
    messages.set_language("vi")
    build_master(tmp_path / "m.xlsx")
    at = dt.datetime(2025, 3, 1, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    (template,) = write_templates(default_plan(), tmp_path / "m.xlsx", tmp_path / "mau", Period(2025, 3), 16, at,
                                  unit_codes=["TDKT"])  # fmt: skip
    (pdf,) = convert(template, "pdf", tmp_path / "pdf")
    pages = PdfReader(pdf).pages
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert f"Trang {number}/{len(pages)}" in (page.extract_text() or "")
