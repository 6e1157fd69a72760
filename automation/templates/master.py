"""The master unit template (SPEC §5): the layout every unit's template is generated from.

``build_master`` writes ``workbook_templates/mau-bao-cao.xlsx``. A coordinator may restyle it in Excel:
generation finds the header row by its labels, copies the styles of the sample row beneath it to every
task row, and replaces the ``{...}`` placeholders (``templates.TOKEN_*``) in the header block and the
guide. Only the header labels, the ``Đơn vị:``/``Kỳ báo cáo:`` labels and the sheet names must stay.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from automation.domain.contract import COLUMN_WIDTHS, TEMPLATE_INPUT_LABELS, TEMPLATE_LABELS
from automation.i18n.messages import t
from automation.state.files import save_workbook, set_text
from automation.templates.generate import (
    COL_CODE,
    COL_DEADLINE,
    COL_DONE_ON,
    COL_EXTENSION,
    COL_PROGRESS,
    COL_ROLE,
    COL_STATUS,
    DATE_FORMAT,
    LABEL_PERIOD,
    LABEL_UNIT,
    ROLE_LEAD,
    SHEET_GUIDE,
    SHEET_REPORT,
    STATUS_DONE,
    STATUS_IN_PROGRESS,
    STATUS_NOT_STARTED,
    TOKEN_COORDINATOR,
    TOKEN_DEADLINE,
    TOKEN_FILE_NAME,
    TOKEN_HOW_TO_SEND,
    TOKEN_ISSUER,
    TOKEN_MONTH,
    TOKEN_PERIOD,
    TOKEN_PLAN,
    TOKEN_PLAN_TITLE,
    TOKEN_UNIT,
    TOKEN_UNIT_UPPER,
    fit_row_heights,
)

FONT_NAME = "Times New Roman"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
TITLE = f"BÁO CÁO KẾT QUẢ THỰC HIỆN {TOKEN_PLAN} THÁNG {TOKEN_MONTH}"

HEADER_ROW = 10  # where build_master puts it; generation never relies on it

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _font(size: float = 12, bold: bool = False, italic: bool = False) -> Font:
    return Font(name=FONT_NAME, size=size, bold=bold, italic=italic)


def _put(
    ws: Worksheet, ref: str, text: str, font: Font, alignment: Alignment, merge_to: str | None = None
) -> None:
    cell = ws[ref]
    set_text(cell, text)
    cell.font = font
    cell.alignment = alignment
    if merge_to:
        ws.merge_cells(f"{ref}:{merge_to}")


def _report_sheet(ws: Worksheet) -> None:
    # the widths (contract.COLUMN_WIDTHS) fit the twelve columns on an A4 landscape page at about 75 %
    last = get_column_letter(len(TEMPLATE_LABELS))
    for col, label in enumerate(TEMPLATE_LABELS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = COLUMN_WIDTHS[label]
    # the official header block: issuing body on the left, national motto on the right (Nghị định 30/2020)
    _put(ws, "A1", TOKEN_ISSUER, _font(), _CENTER, "D1")
    _put(ws, "A2", TOKEN_UNIT_UPPER, _font(bold=True), _CENTER, "D2")
    _put(ws, "F1", NATION, _font(bold=True), _CENTER, f"{last}1")
    _put(ws, "F2", MOTTO, _font(13, bold=True), _CENTER, f"{last}2")
    _put(ws, "A4", TITLE, _font(14, bold=True), _CENTER, f"{last}4")
    _put(ws, "A5", TOKEN_PLAN_TITLE, _font(italic=True), _CENTER, f"{last}5")
    ws.row_dimensions[4].height = 24
    left = Alignment(horizontal="left", vertical="center")
    # labels and values in adjacent cells, no merge on the label: readers look right of the label
    _put(ws, "A7", LABEL_UNIT, _font(bold=True), left)
    _put(ws, "B7", TOKEN_UNIT, _font(bold=True), left, "D7")
    _put(ws, "A8", LABEL_PERIOD, _font(bold=True), left)
    _put(ws, "B8", TOKEN_PERIOD, _font(bold=True), left)
    ws["B8"].number_format = "@"

    for col, label in enumerate(TEMPLATE_LABELS, start=1):
        cell = ws.cell(HEADER_ROW, col)
        set_text(cell, label)
        cell.font = _font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = _CENTER
    ws.row_dimensions[HEADER_ROW].height = 33

    sample = HEADER_ROW + 1
    top_left = Alignment(horizontal="left", vertical="top", wrap_text=True)
    top_center = Alignment(horizontal="center", vertical="top", wrap_text=True)
    centered = {COL_CODE, COL_ROLE, COL_DEADLINE, COL_STATUS, COL_DONE_ON, COL_PROGRESS, COL_EXTENSION}
    formats = {
        COL_CODE: "@",
        COL_DEADLINE: DATE_FORMAT,
        COL_DONE_ON: DATE_FORMAT,
        COL_PROGRESS: "0",
        COL_EXTENSION: DATE_FORMAT,
    }
    for col, label in enumerate(TEMPLATE_LABELS, start=1):
        cell = ws.cell(sample, col)
        cell.font = _font()
        cell.border = _BORDER
        cell.alignment = top_center if label in centered else top_left
        cell.number_format = formats.get(label, "General")
        cell.protection = Protection(locked=label not in TEMPLATE_INPUT_LABELS)
    set_text(ws.cell(sample, 2), t("template.sample_row"))
    set_text(ws.cell(sample, 3), ROLE_LEAD)

    ws.freeze_panes = ws.cell(sample, 1).coordinate
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    _page(ws, landscape=True)


def _guide_sheet(ws: Worksheet) -> None:
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 92
    wrap = Alignment(horizontal="left", vertical="top", wrap_text=True)
    row = 1

    def line(text: str, font: Font | None = None) -> None:
        nonlocal row
        _put(ws, f"A{row}", text, font or _font(), wrap, f"B{row}")
        row += 1

    def table(head: tuple[str, str], rows: list[tuple[str, str]]) -> None:
        nonlocal row
        for col, text in enumerate(head, start=1):
            cell = ws.cell(row, col)
            set_text(cell, text)
            cell.font = _font(bold=True)
            cell.fill = _HEADER_FILL
            cell.border = _BORDER
            cell.alignment = _CENTER
        row += 1
        for name, how in rows:
            for col, text in enumerate((name, how), start=1):
                cell = ws.cell(row, col)
                set_text(cell, text)
                cell.font = _font(bold=col == 1)
                cell.border = _BORDER
                cell.alignment = wrap
            row += 1
        row += 1

    _put(ws, "A1", t("template.guide.title"), _font(14, bold=True), _CENTER, "B1")
    ws.row_dimensions[1].height = 24
    row = 2
    line(t("template.guide.for", unit=TOKEN_UNIT, period=TOKEN_PERIOD), _font(bold=True))
    line(
        t("template.guide.deadline", deadline=TOKEN_DEADLINE),
        Font(name=FONT_NAME, size=12, bold=True, color="C00000"),
    )
    line(t("template.guide.send", how=TOKEN_HOW_TO_SEND))
    line(t("template.guide.contact", coordinator=TOKEN_COORDINATOR))
    row += 1
    line(t("template.guide.columns_heading"), _font(13, bold=True))
    how = (
        t("template.guide.col.code"),
        t("template.guide.col.content"),
        t("template.guide.col.role"),
        t("template.guide.col.deadline"),
        t("template.guide.col.status"),
        t("template.guide.col.date"),
        t("template.guide.col.progress"),
        t("template.guide.col.results"),
        t("template.guide.col.difficulties"),
        t("template.guide.col.proposals"),
        t("template.guide.col.evidence"),
        t("template.guide.col.extension"),
    )
    table((t("template.guide.column"), t("template.guide.how")), list(zip(TEMPLATE_LABELS, how, strict=True)))
    line(t("template.guide.status_heading"), _font(13, bold=True))
    table(
        (COL_STATUS, t("template.guide.when")),
        [
            (STATUS_NOT_STARTED, t("template.guide.status.not_started")),
            (STATUS_IN_PROGRESS, t("template.guide.status.in_progress")),
            (STATUS_DONE, t("template.guide.status.done")),
        ],
    )
    line(t("template.guide.notes_heading"), _font(13, bold=True))
    for note in (
        t("template.guide.note.done"),
        t("template.guide.note.sheets"),
        t("template.guide.note.locked"),
        t("template.guide.note.formulas"),
        t("template.guide.note.save", file=TOKEN_FILE_NAME),
        t("template.guide.note.resend"),
    ):
        line(f"- {note}")
    _page(ws, landscape=False)


def _page(ws: Worksheet, landscape: bool) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    fit = ws.sheet_properties.pageSetUpPr
    assert fit is not None  # openpyxl gives every sheet's properties one
    fit.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    # the footer's page number needs its own room: the bottom margin holds the footer margin plus its line
    # (with openpyxl's 0.5" footer margin inside a 0.6" bottom margin LibreOffice clipped "Trang 1/2")
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.print_options.horizontalCentered = True
    footer = ws.oddFooter
    assert footer is not None  # openpyxl gives every sheet one
    footer.center.text = t("template.page_footer")
    footer.center.font = f"{FONT_NAME},Regular"
    footer.center.size = 10


def build_master(path: Path) -> None:
    """Write the master template workbook to ``path`` (atomically), in the current language."""
    wb = Workbook()
    report = wb.worksheets[0]  # a new workbook's one sheet, the active one
    report.title = SHEET_REPORT
    _report_sheet(report)
    guide = wb.create_sheet(SHEET_GUIDE)
    _guide_sheet(guide)
    fit_row_heights(guide, 1, guide.max_row)  # generation refits after filling the placeholders
    wb.active = 0
    save_workbook(wb, path)
