"""Write stage (SPEC §14): the report to the province, ``bao-cao_YYYY-MM.docx``, as Nghị định 30/2020
lays out an administrative report (Phụ lục I and III): A4 portrait, Times New Roman, the two-column header
block, ``BÁO CÁO``, sections I–V, ``Nơi nhận`` and the signer, then the appendix table in a landscape
section. Everything is ordinary editable paragraphs and tables; the number and the date are left blank
for the clerk. Its figures are the run report's: the document is built from the run report, the register
and the period's accepted rows, so ``baocao report`` writes the same document from the ledger alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Mm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from automation.domain.text import xml_safe
from automation.i18n.messages import t
from automation.state.files import atomic_save
from automation.write.labels import evaluation_label
from automation.write.report_facts import ReportFacts, TaskLine

FONT = "Times New Roman"
BODY_PT = 14
BLACK = RGBColor(0, 0, 0)
BLANK = "…………"
_MARK = "\ue000"  # a private-use character marking where a cell's text goes in the appendix's row
_SPECIAL = re.compile("[\x00-\x1f\ud800-\udfff\ufffe\uffff]")  # those, and line breaks and tabs


def write_report_doc(facts: ReportFacts, path: Path) -> None:
    """Write the report draft for ``facts`` to ``path`` (atomically)."""
    doc = Document()
    _base_style(doc)
    _portrait(doc)
    _page_numbers(doc)
    _header_block(doc, facts)
    _title(doc, facts)
    _section_direction(doc, facts)
    _section_results(doc, facts)
    _section_list(doc, t("report.section.shortcomings"), facts.difficulties, t("report.none_difficulties"))
    _section_next_month(doc, facts)
    _section_list(doc, t("report.section.proposals"), facts.proposals, t("report.none_proposals"))
    _closing(doc, facts)
    _appendix(doc, facts)
    atomic_save(path, lambda tmp: doc.save(str(tmp)))


# --- page and styles -----------------------------------------------------------------------------------


def _base_style(doc) -> None:
    for name in ("Normal", "Table Grid"):
        style = doc.styles[name]
        style.font.name = FONT
        style.font.size = Pt(BODY_PT)
        style.font.color.rgb = BLACK
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attribute), FONT)
    # the body paragraph (justified, first-line indent) is the Normal style: most paragraphs need no
    # formatting of their own, which keeps a plan of hundreds of tasks quick to write
    normal = doc.styles["Normal"].paragraph_format
    normal.space_before, normal.space_after, normal.line_spacing = Pt(0), Pt(6), 1.15
    normal.alignment, normal.first_line_indent = WD_ALIGN_PARAGRAPH.JUSTIFY, Cm(1.27)


def _portrait(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    # inside ND 30/2020's ranges (top/bottom 20–25, left 30–35, right 15–20 mm), clear of their edges: Word
    # stores twentieths of a point, and 15 mm would come back as 14.99
    section.top_margin, section.bottom_margin = Mm(22), Mm(22)
    section.left_margin, section.right_margin = Mm(32), Mm(17)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)


def _page_numbers(doc) -> None:
    """Page numbers centred at the top from page 2 (the first page's header stays empty)."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    _layout(paragraph, WD_ALIGN_PARAGRAPH.CENTER)
    run = paragraph.add_run()
    _font(run, 13)
    for kind, text in (("begin", None), (None, " PAGE "), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _font(run, size: float | None = None, bold: bool = False, italic: bool = False) -> None:
    """What a run has beyond the styles' Times New Roman, black, 14 pt (set once in ``_base_style``:
    setting them on every run costs python-docx a millisecond a run on a plan of hundreds of tasks)."""
    if bold:
        run.bold = True
    if italic:
        run.italic = True
    if size and size != BODY_PT:
        run.font.size = Pt(size)


def _para(
    container,
    text: str = "",
    *,
    size: float | None = None,
    bold: bool = False,
    italic: bool = False,
    align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent: bool = True,
    after: float = 6,
) -> Paragraph:
    paragraph = container.add_paragraph()
    if align != WD_ALIGN_PARAGRAPH.JUSTIFY or not indent or after != 6:
        _layout(paragraph, align, indent, after)
    if text:
        _font(paragraph.add_run(xml_safe(text)), size, bold, italic)
    return paragraph


def _run_xml(text: str, properties: str = "") -> str:
    """A ``w:r`` holding ``text``."""
    return f"<w:r>{properties}{_run_content(text)}</w:r>"


def _run_content(text: str) -> str:
    """``text`` as Word keeps it in a run: line breaks as ``w:br``, tabs as ``w:tab``, and no character
    XML 1.0 forbids (a unit's cell may hold one; python-docx would refuse the whole document)."""
    if not _SPECIAL.search(text):
        return f'<w:t xml:space="preserve">{escape(text)}</w:t>' if text else ""
    text = xml_safe(text.replace("\r\n", "\n").replace("\r", "\n"))
    pieces = []
    for number, line in enumerate(text.split("\n")):
        if number:
            pieces.append("<w:br/>")
        for count, chunk in enumerate(line.split("\t")):
            if count:
                pieces.append("<w:tab/>")
            if chunk:
                pieces.append(f'<w:t xml:space="preserve">{escape(chunk)}</w:t>')
    return "".join(pieces)


def _body_paragraphs(doc, items: Iterable[tuple[str, bool]]) -> None:
    """Body paragraphs (the Normal style: justified, indented), each ``(text, italic)``, appended to the
    document in one parse: python-docx's per-paragraph calls cost about a quarter of a millisecond each,
    which a plan of thousands of tasks feels."""
    parts = [
        f"<w:p>{_run_xml(text, '<w:rPr><w:i/></w:rPr>' if italic else '')}</w:p>" if text else "<w:p/>"
        for text, italic in items
    ]
    if not parts:
        return
    fragment = parse_xml(f"<w:body {nsdecls('w')}>{''.join(parts)}</w:body>")
    body = doc.element.body
    end = body.sectPr  # paragraphs go before the body's closing section properties
    for paragraph in list(fragment):
        if end is None:
            body.append(paragraph)
        else:
            end.addprevious(paragraph)


def _layout(paragraph: Paragraph, align, indent: bool = False, after: float = 0) -> None:
    """A paragraph laid out otherwise than the body (the Normal style)."""
    paragraph.alignment = align
    paragraph.paragraph_format.first_line_indent = Cm(1.27) if indent else Cm(0)
    paragraph.paragraph_format.space_after = Pt(after)


def _rule(container, width_cm: float, cell_width_cm: float) -> None:
    """A short centred rule (a paragraph's bottom border, its indents leaving ``width_cm``)."""
    paragraph = container.add_paragraph()
    side = max(0.0, (cell_width_cm - width_cm) / 2)
    paragraph.paragraph_format.left_indent = Cm(side)
    paragraph.paragraph_format.right_indent = Cm(side)
    paragraph.paragraph_format.first_line_indent = Cm(0)
    paragraph.paragraph_format.space_after = Pt(4)
    paragraph.paragraph_format.line_spacing = Pt(6)
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    paragraph._p.get_or_add_pPr().append(border)


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _cell_width(cell: _Cell, cm: float) -> None:
    cell.width = Cm(cm)


def _column_widths(table, widths_cm: tuple[float, ...]) -> None:
    """Widths on the grid as well as on each cell: Word reads the cells, LibreOffice the grid."""
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)


# --- the first page --------------------------------------------------------------------------------


def _header_block(doc, facts: ReportFacts) -> None:
    """The borderless two-column header (ND 30/2020 Phụ lục I): body and number | motto and date."""
    plan = facts.plan
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _no_borders(table)
    left, right = table.rows[0].cells
    widths = (6.5, 10.0)
    _column_widths(table, widths)
    _cell_width(left, widths[0])
    _cell_width(right, widths[1])
    center = WD_ALIGN_PARAGRAPH.CENTER
    first = left.paragraphs[0]
    _layout(first, center)
    _font(first.add_run((plan.parent_body or BLANK).upper()), 13)
    _para(left, facts.department.upper() or BLANK, size=13, bold=True, align=center, indent=False, after=0)
    _rule(left, 2.5, widths[0])
    number = f"Số:       /BC-{plan.agency_symbol or BLANK}"
    _para(left, number, size=13, align=center, indent=False, after=0)
    motto = right.paragraphs[0]
    _layout(motto, center)
    _font(motto.add_run(t("report.motto_state")), 12, bold=True)
    _para(right, t("report.motto_words"), size=13, bold=True, align=center, indent=False, after=0)
    _rule(right, 5.5, widths[1])
    place = plan.place or BLANK
    dated = t("report.place_date", place=place, month=facts.period[5:], year=facts.period[:4])
    _para(right, dated, size=13, italic=True, align=center, indent=False, after=0)


def _title(doc, facts: ReportFacts) -> None:
    center = WD_ALIGN_PARAGRAPH.CENTER
    _para(doc, "", after=6)
    _para(doc, t("report.kind"), size=14, bold=True, align=center, indent=False, after=0)
    summary = t("report.summary_line", plan=facts.plan_name, month=facts.period[5:], year=facts.period[:4])
    _para(doc, summary, size=14, bold=True, align=center, indent=False, after=0)
    _rule(doc, 4.0, 16.5)
    addressee = facts.plan.addressee or BLANK
    _para(doc, t("report.addressee", addressee=addressee), size=14, align=center, indent=False, after=12)


# --- sections --------------------------------------------------------------------------------------


def _heading(doc, text: str) -> None:
    _para(doc, text, bold=True, indent=True, after=6)


def _section_direction(doc, facts: ReportFacts) -> None:
    _heading(doc, t("report.section.direction"))
    _para(doc, facts.direction)
    _para(doc, BLANK)  # room for the coordinator's own words


def _section_results(doc, facts: ReportFacts) -> None:
    _heading(doc, t("report.section.results"))
    lines = [(t("report.results.counts_head", total=facts.total), False)]
    lines += [
        (t("report.results.count_line", label=label, count=count), False) for label, count in facts.categories
    ]
    lines.append((t("report.results.tasks_head"), False))
    for group, tasks in facts.groups:
        if group:
            lines.append((group, True))
        lines += [(_task_sentence(line), False) for line in tasks]
    _body_paragraphs(doc, lines)


def _task_sentence(line: TaskLine) -> str:
    results = line.results or t("report.results.no_text")
    return t(
        "report.results.task_line",
        code=line.code,
        content=line.short_content,
        lead=line.lead_name,
        evaluation=evaluation_label(line.evaluation).lower(),
        results=results,
    )


def _section_list(doc, heading: str, items: Iterable[str], none: str) -> None:
    _heading(doc, heading)
    lines = [(f"- {item}", False) for item in items]
    _body_paragraphs(doc, lines or [(none, False)])


def _section_next_month(doc, facts: ReportFacts) -> None:
    _heading(doc, t("report.section.next_month", month=facts.next_month_label))
    parts = (
        (t("report.next.due"), facts.due_next_month),
        (t("report.next.overdue"), facts.overdue),
        (t("report.next.recurring"), facts.recurring),
    )
    paragraphs: list[tuple[str, bool]] = []
    for head, lines in parts:
        paragraphs.append((head, True))
        if not lines:
            paragraphs.append((t("report.next.none"), False))
        for line in lines:
            when = t("report.deadline", date=line.deadline.strftime("%d/%m/%Y")) if line.deadline else ""
            deadline = f" ({when})" if when else ""
            paragraphs.append((f"- {line.code}. {line.short_content} — {line.lead_name}{deadline}", False))
    _body_paragraphs(doc, paragraphs)


def _closing(doc, facts: ReportFacts) -> None:
    """``Nơi nhận:`` on the left and the signer on the right, in a borderless table."""
    plan = facts.plan
    _para(doc, t("report.closing", department=facts.department or BLANK))
    table = doc.add_table(rows=1, cols=2)
    table.autofit = False
    _no_borders(table)
    left, right = table.rows[0].cells
    _column_widths(table, (8.0, 8.5))
    _cell_width(left, 8.0)
    _cell_width(right, 8.5)
    label = left.paragraphs[0]
    _layout(label, WD_ALIGN_PARAGRAPH.LEFT)
    _font(label.add_run(t("report.recipients")), 12, bold=True, italic=True)
    names = plan.recipients or (BLANK,)
    for number, name in enumerate(names, start=1):
        end = "." if number == len(names) else ";"  # the list ends with a full stop (ND 30/2020)
        _para(left, f"- {name}{end}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT, indent=False, after=0)
    center = WD_ALIGN_PARAGRAPH.CENTER
    head = right.paragraphs[0]
    _layout(head, center)
    authority = plan.signing_authority.upper()
    _font(head.add_run(authority or (plan.signer_title or BLANK).upper()), 13, bold=True)
    if authority:
        _para(right, (plan.signer_title or BLANK).upper(), size=13, bold=True, align=center, indent=False)
    for _ in range(4):
        _para(right, "", align=center, indent=False, after=0)
    _para(right, plan.signer_name or BLANK, size=14, bold=True, align=center, indent=False)


# --- the appendix ------------------------------------------------------------------------------------


APPENDIX_WIDTHS_CM = (1.2, 1.5, 5.3, 2.8, 2.2, 6.0, 2.6, 4.6)  # 26.2 cm: A4 landscape less margins


def _appendix(doc, facts: ReportFacts) -> None:
    """A landscape section: one table row per task (SPEC §14)."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(20), Mm(15)
    section.different_first_page_header_footer = False  # numbered from its first page on
    center = WD_ALIGN_PARAGRAPH.CENTER
    _para(doc, t("report.appendix"), size=14, bold=True, align=center, indent=False, after=0)
    appendix_title = t("report.appendix_title", month=facts.period[5:], year=facts.period[:4])
    _para(doc, appendix_title, size=13, bold=True, align=center, indent=False, after=0)
    _para(
        doc,
        t("report.appendix_note", symbol=facts.plan.agency_symbol or BLANK),
        size=12,
        italic=True,
        align=center,
        indent=False,
    )
    headers = [
        t("report.col.no"),
        t("report.col.code"),
        t("report.col.task"),
        t("report.col.lead"),
        t("report.col.deadline"),
        t("report.col.results"),
        t("report.col.evaluation"),
        t("report.col.issues"),
    ]
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = doc.styles["Table Grid"]
    table.autofit = False
    _column_widths(table, APPENDIX_WIDTHS_CM)
    for cell, text, width in zip(table.rows[0].cells, headers, APPENDIX_WIDTHS_CM, strict=True):
        _cell_width(cell, width)
        _cell_text(cell, text, bold=True, align=center)
    _repeat_header(table.rows[0])
    # one row laid out (widths, alignment, 11 pt), its XML filled in for each task and parsed once:
    # python-docx's per-cell calls cost a millisecond a cell, too much for a plan of hundreds of tasks
    cells = table.add_row().cells
    for cell, width in zip(cells, APPENDIX_WIDTHS_CM, strict=True):
        _cell_width(cell, width)
        _cell_text(cell, " ", align=center if width < 2 else WD_ALIGN_PARAGRAPH.LEFT)
    template = table.rows[-1]._tr
    rows = []
    for number, line in enumerate(facts.lines, start=1):
        deadline = f"{line.deadline:%d/%m/%Y}" if line.deadline else t("report.recurring_short")
        if line.original_deadline is not None:  # an extension in force: the plan's deadline beside it
            deadline = t(
                "report.deadline_extended", deadline=deadline, original=f"{line.original_deadline:%d/%m/%Y}"
            )
        issues = "; ".join(part for part in (line.difficulties, line.proposals) if part)
        values = [
            str(number),
            line.code,
            line.content,
            line.lead_name,
            deadline,
            line.results,
            evaluation_label(line.evaluation),
            issues,
        ]
        rows.append(values)
    _append_rows(table, template, rows)
    table._tbl.remove(template)


def _append_rows(table, template, rows: list[list[str]]) -> None:
    """Copies of the ``template`` row, one per entry of ``rows``, each cell's run holding its value.

    The row is laid out once by python-docx, written out as text with a marker for each cell's text, filled
    in for every task and parsed in one go: copying elements costs a tenth of a millisecond a row."""
    texts = list(template.iter(qn("w:t")))
    for text in texts:
        text.getparent().remove(text)
    for run in template.iter(qn("w:r")):
        run.append(parse_xml(f"<w:t {nsdecls('w')}>{_MARK}</w:t>"))
    xml = template.xml  # python-docx's serialisation (indented: the parser drops the blank text again)
    start = xml.index(">")
    declarations = " ".join(re.findall(r'xmlns:\w+="[^"]*"', xml[:start]))
    row = re.sub(r'\s+xmlns:\w+="[^"]*"', "", xml[:start]) + xml[start:]
    pieces = re.split(rf"<w:t[^>]*>{_MARK}</w:t>", row)
    filled = []
    for values in rows:
        parts = [pieces[0]]
        for value, piece in zip(values, pieces[1:], strict=True):
            parts.append(_run_content(value))
            parts.append(piece)
        filled.append("".join(parts))
    for element in list(parse_xml(f"<w:tbl {declarations}>{''.join(filled)}</w:tbl>")):
        table._tbl.append(element)


def _cell_text(cell: _Cell, text: str, *, bold: bool = False, align=WD_ALIGN_PARAGRAPH.LEFT) -> None:
    paragraph = cell.paragraphs[0]
    _layout(paragraph, align)
    _font(paragraph.add_run(text), 11, bold=bold)


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    properties.append(element)
