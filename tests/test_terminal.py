"""The terminal through rich (issue 12 item 8): `baocao status` fits 80 and 120 columns with every unit, its
state and its file; long work shows progress; nothing written to a file or a pipe carries an escape code."""

from __future__ import annotations

import dataclasses
import io

import pytest

from automation.domain.model import RunResult
from automation.i18n.messages import t
from automation.terminal import ProgressDisplay, print_status
from automation.write.labels import submission_label
from automation.write.text import status_lines
from tests.support.run_results import build_run_result

LONG_NAME = "Phòng Tổ chức cán bộ và Thi đua khen thưởng [bản thử] của Sở Nội vụ tỉnh"
LONG_FILE = "inbox/email/msg-17.eml/bao-cao-tien-do-thang-5-nam-2025-phong-to-chuc-can-bo-ban-cuoi.xlsx"
ESC = "\x1b["
BOX_DRAWING = tuple(chr(c) for c in range(0x2500, 0x2580))


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


@pytest.fixture
def result() -> RunResult:
    """The write-stage run of 2025-05, with one unit's name and file far longer than 80 columns."""
    result = build_run_result()
    first = result.units[0]
    result.units[0] = dataclasses.replace(
        first, unit=dataclasses.replace(first.unit, name=LONG_NAME), file=LONG_FILE
    )
    return result


def _column(lines: list[str], header: str, after: str) -> tuple[int, int]:
    """Where a column starts and the next one starts, read from the header line."""
    head = next(line for line in lines if header in line and after in line)
    return head.index(header), head.index(after)


def _rows(lines: list[str], result: RunResult) -> dict[str, list[str]]:
    """Each unit's lines of the table: its first line starts with its code, continuation lines follow."""
    codes = {u.unit.code for u in result.units}
    rows: dict[str, list[str]] = {}
    current = None
    for line in lines:
        first = line.split(" ", 1)[0]
        if first in codes:
            current = first
            rows[current] = []
        elif not line.startswith(" "):
            current = None
        if current:
            rows[current].append(line)
    return rows


@pytest.mark.parametrize("width", [80, 120])
def test_status_fits_the_width_and_shows_every_unit_its_state_and_file(result, width):
    lines = status_lines(result, width=width)
    assert max(len(line) for line in lines) <= width
    assert any(line.startswith(t("status.col_code")) for line in lines)  # the header row
    start, end = _column(lines, t("status.col_file"), t("status.col_errors"))
    rows = _rows(lines, result)
    assert sorted(rows) == sorted(u.unit.code for u in result.units)
    for u in result.units:
        row = rows[u.unit.code]
        assert submission_label(u.submission) in row[0]
        # a long file name folds (at a space when it has one): rejoin its pieces
        file_cell = "".join(line[start:end].strip() for line in row)
        assert file_cell.replace(" ", "") == (u.file or "—").replace(" ", "")
        words = " ".join(row).split()
        assert all(word in words for word in u.unit.name.split())  # a long unit name wraps at spaces


def test_the_long_name_and_file_really_wrap_at_80_columns(result):
    lines = status_lines(result, width=80)
    assert LONG_NAME not in "\n".join(lines) and LONG_FILE not in "\n".join(lines)
    assert len(_rows(lines, result)[result.units[0].unit.code]) > 1


def test_plain_status_starts_with_the_head_and_has_no_escape_nor_box_drawing(result):
    text = "\n".join(status_lines(result, width=80))
    assert text.startswith(
        t("status.head", period="05/2025", as_of="19/05/2025 08:00", deadline="16/05/2025 00:00")[:40]
    )
    assert ESC not in text
    assert not any(ch in text for ch in BOX_DRAWING)


def test_status_to_a_file_is_plain_even_when_colour_is_forced(result, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    monkeypatch.setenv("COLUMNS", "80")
    out = io.StringIO()
    print_status(result, out)
    text = out.getvalue()
    assert ESC not in text and not any(ch in text for ch in BOX_DRAWING)
    assert max(len(line) for line in text.splitlines()) <= 80
    assert all(u.unit.code in text for u in result.units)


def test_status_on_a_terminal_fits_its_width_and_draws(result, monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    out = Terminal()
    print_status(result, out)
    text = out.getvalue()
    assert ESC in text  # bold header on a terminal
    plain = [line for line in text.splitlines() if ESC not in line]
    assert max(len(line) for line in plain) <= 120
    assert all(u.unit.code in text for u in result.units)


def test_progress_off_a_terminal_is_a_plain_line_every_tenth():
    out = io.StringIO()
    progress = ProgressDisplay(out)
    for done in range(50, 1001, 50):  # as collect reports reading: every 50 files
        progress("read", done, 1000)
    lines = out.getvalue().splitlines()
    stage = t("collect.stage.read")
    assert lines[-1] == t("collect.progress", stage=stage, done=1000, total=1000)
    assert 10 <= len(lines) <= 11
    assert ESC not in out.getvalue()


def test_progress_reported_item_by_item_still_prints_about_ten_lines():
    out = io.StringIO()
    progress = ProgressDisplay(out)
    for done in range(1, 201):  # as fetch-mail reports: every message
        progress("mail", done, 200)
    assert 10 <= len(out.getvalue().splitlines()) <= 11


def test_quick_work_shows_no_progress():
    out = io.StringIO()
    for done in range(1, 11):
        ProgressDisplay(out)("read", done, 10)
    assert out.getvalue() == ""


def test_progress_on_a_terminal_is_a_rich_bar_that_reaches_the_total(monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    out = Terminal()
    progress = ProgressDisplay(out)
    for done in range(50, 501, 50):
        progress("read", done, 500)
    text = out.getvalue()
    assert t("collect.stage.read") in text and "500/500" in text
    assert ESC in text  # drawn in place


def test_an_interrupted_bar_is_closed():
    out = Terminal()
    progress = ProgressDisplay(out)
    progress("read", 50, 500)
    progress.close()
    progress.close()  # twice is harmless
    assert t("collect.stage.read") in out.getvalue()
