"""Reading a plan document (SPEC §8 ``plan import``): Word .docx, text PDF or plain .txt.

The first stage of the import: a file in, its text out in reading order as lines and tables, then the
lines as the marked paragraphs of an administrative document (``II.``, ``1.1.``, ``a)``, ``-``). Nothing
here knows what a plan is; ``plan_import`` finds the tasks. A file that cannot be read is a ``FileError``
with a Vietnamese message, never a traceback: python-docx and pdfminer raise many kinds of exceptions on
broken input, so each parser call is guarded as a whole.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from automation.domain.text import clean_phrase, clean_text
from automation.errors import FileError, os_error_reason
from automation.i18n.messages import t

SUPPORTED = (".docx", ".pdf", ".txt")
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_PDF_PAGES = 500


@dataclass(frozen=True)
class TableRow:
    """One row of a Word table: a text per grid column (a merged cell repeats its text in every column it
    spans, across and down) and ``distinct``, how many real cells the row has (1 = merged across)."""

    cells: tuple[str, ...]
    distinct: int


@dataclass(frozen=True)
class Table:
    rows: tuple[TableRow, ...]

    def lines(self) -> list[str]:
        """The table's text as lines, row by row, each merged cell once (for tables that hold no tasks,
        such as the two-column header block of an administrative document)."""
        out: list[str] = []
        for row in self.rows:
            previous = None
            for cell in row.cells:
                if cell != previous:
                    out.extend(cell.split("\n"))
                previous = cell
        return out


@dataclass(frozen=True)
class Document:
    """A document's content in reading order: each block is a line of text or a table."""

    path: Path
    kind: str
    blocks: tuple[str | Table, ...]


def read_document(path: Path) -> Document:
    """Read ``path`` (.docx, .pdf or .txt) or raise ``FileError`` saying, in Vietnamese, why not."""
    suffix = path.suffix.lower()
    if suffix == ".doc":
        raise FileError(t("import.old_doc", path=path))
    if suffix not in SUPPORTED:
        raise FileError(t("import.unsupported", path=path, ext=suffix or path.name))
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise FileError(t("import.file_missing", path=path)) from None
    except OSError as exc:
        raise FileError(t("import.cannot_open", path=path, reason=os_error_reason(exc))) from None
    if path.is_dir():
        raise FileError(t("import.cannot_open", path=path, reason=t("import.is_folder")))
    if size == 0:
        raise FileError(t("import.file_empty", path=path))
    if size > MAX_DOCUMENT_BYTES:
        raise FileError(t("import.too_big", path=path, mb=MAX_DOCUMENT_BYTES // (1024 * 1024)))
    try:
        with path.open("rb") as handle:
            handle.read(1)
    except OSError as exc:  # no permission, a file locked by another program…
        raise FileError(t("import.cannot_open", path=path, reason=os_error_reason(exc))) from None
    reader = {".docx": _read_docx, ".pdf": _read_pdf, ".txt": _read_txt}[suffix]
    blocks = reader(path)
    if not any((b.strip() if isinstance(b, str) else b.rows) for b in blocks):
        raise FileError(t("import.no_text", path=path))
    return Document(path, suffix[1:], tuple(blocks))


# --- structure: the marked paragraphs of an administrative document -------------------------------------

_ROMAN = re.compile(r"([IVXL]+)\s*[.)]\s*(\S.*)")
_NUMBER = re.compile(r"(\d{1,2}(?:\.\d{1,2}){0,3})(?:([.)])\s*|\s+)(\S.*)")
_LETTER = re.compile(r"([a-zđ])\)\s+(\S.*)")
_BULLET = re.compile(r"[-–—•+*]\s*(\S.*)")
_PAGE_NUMBER = re.compile(r"(?:trang\s*)?[-–]?\s*\d{1,3}\s*[-–]?(?:\s*/\s*\d{1,3})?", re.IGNORECASE)


@dataclass
class Paragraph:
    """Running text; ``kind`` says how its first line is marked: ``roman`` (``II.``), ``number`` (``1.``,
    ``1.1.``), ``letter`` (``a)``), ``bullet`` (``-``, ``+``, ``•``) or ``text``; ``code`` is the mark."""

    kind: str
    code: str
    text: str


def is_page_number(line: str) -> bool:
    """A page number alone on its line: ``4``, ``- 4 -``, ``Trang 4``, ``4/12``."""
    return bool(_PAGE_NUMBER.fullmatch(line.strip()))


def marker(line: str) -> Paragraph | None:
    """The paragraph ``line`` starts, or None when it carries on the one before.

    A heading's first word is in capitals (``I. MỤC ĐÍCH``); a numbered item has a dot or a bracket
    (``1.``, ``1.1``, ``2)``) and starts with a capital, so ``5 rõ``, ``5/2025.`` or ``100%`` at the start
    of a wrapped line are not items.
    """
    line = line.strip()
    if (m := _ROMAN.fullmatch(line)) and m.group(2).split()[0].isupper():
        return Paragraph("roman", m.group(1), m.group(2))
    m = _NUMBER.fullmatch(line)
    if m and (m.group(2) or "." in m.group(1)) and (m.group(3)[0].isupper() or m.group(3)[0] in '"“('):
        return Paragraph("number", m.group(1), m.group(3))
    if m := _LETTER.fullmatch(line):
        return Paragraph("letter", m.group(1), m.group(2))
    if m := _BULLET.fullmatch(line):
        return Paragraph("bullet", "", m.group(1))
    return None


def paragraphs(lines: Iterable[str]) -> list[Paragraph]:
    """``lines`` joined into paragraphs. Only a marked line starts a new one, so the hard line breaks,
    blank lines and lone page numbers of text copied out of a PDF vanish."""
    paras: list[Paragraph] = []
    for line in lines:
        if not line.strip() or is_page_number(line):
            continue
        para = marker(line)
        if para is not None or not paras:
            paras.append(para or Paragraph("text", "", line))
        else:
            paras[-1].text += " " + line
    for para in paras:
        para.text = clean_text(para.text)
    return paras


def sections(paras: list[Paragraph]) -> list[tuple[str, list[Paragraph]]]:
    """The paragraphs under each roman heading, headed ``"II. NỘI DUNG"``; those before the first come
    under ``""``."""
    out: list[tuple[str, list[Paragraph]]] = []
    for para in paras:
        if para.kind == "roman":
            out.append((clean_phrase(f"{para.code}. {para.text}"), []))
        else:
            if not out:
                out.append(("", []))
            out[-1][1].append(para)
    return out


def roman_value(text: str) -> int | None:
    """``IV`` → 4; None when ``text`` is not a roman numeral."""
    values = {"I": 1, "V": 5, "X": 10, "L": 50}
    if not re.fullmatch(r"[IVXL]+", text):
        return None
    pairs = zip(text, [*text[1:], ""], strict=True)
    return sum(-values[a] if b and values[b] > values[a] else values[a] for a, b in pairs)


# --- .txt ------------------------------------------------------------------------------------------------


def decode_text(data: bytes) -> str | None:
    """Text of a .txt file as NFC: UTF-8 (with or without BOM), UTF-16 (BOM or not), else Windows-1258,
    the Vietnamese code page of older Windows. None when the bytes are not text at all."""
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    elif b"\x00" in data:
        even, odd = data[0::2].count(0), data[1::2].count(0)
        if max(even, odd) < len(data) // 4:
            return None
        text = data.decode("utf-16-le" if odd > even else "utf-16-be", errors="replace")
    else:
        text = data.decode("utf-8", errors="replace")
        if text.count("\ufffd") > max(2, len(data) // 1000):  # not a few damaged bytes: another code page
            text = data.decode("cp1258", errors="replace")
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    if controls > max(8, len(text) // 50):
        return None
    return unicodedata.normalize("NFC", text)


def _read_txt(path: Path) -> list[str | Table]:
    text = decode_text(path.read_bytes())
    if text is None:
        raise FileError(t("import.bad_text", path=path))
    return list(text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n"))


# --- .docx -----------------------------------------------------------------------------------------------


def _read_docx(path: Path) -> list[str | Table]:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileError(t("import.bad_docx", path=path)) from None
    if "word/document.xml" not in names:
        raise FileError(t("import.bad_docx", path=path))
    if unpacked > MAX_UNCOMPRESSED_BYTES:
        raise FileError(t("import.too_big", path=path, mb=MAX_UNCOMPRESSED_BYTES // (1024 * 1024)))
    try:
        import docx
        from docx.table import Table as DocxTable

        document = docx.Document(str(path))
        blocks: list[str | Table] = []
        for item in document.iter_inner_content():
            if isinstance(item, DocxTable):
                blocks.append(_docx_table(item))
            else:
                blocks.extend(unicodedata.normalize("NFC", item.text).split("\n"))
    except Exception:  # python-docx/lxml raise many types on a damaged package
        raise FileError(t("import.bad_docx", path=path)) from None
    return blocks


def _docx_table(table) -> Table:
    rows: list[TableRow] = []
    for row in table.rows:
        cells = row.cells
        # a horizontally merged cell comes back as the same object once per grid column it spans
        distinct = 1 + sum(1 for a, b in pairwise(cells) if a is not b) if cells else 0
        texts = [unicodedata.normalize("NFC", c.text).strip() for c in cells]
        texts = [""] * row.grid_cols_before + texts + [""] * row.grid_cols_after
        rows.append(TableRow(tuple(texts), distinct))
    return Table(tuple(rows))


# --- .pdf ------------------------------------------------------------------------------------------------


@contextlib.contextmanager
def _quiet_pdfminer():
    """pdfminer logs each oddity it meets in a damaged file; the user gets one clear message instead."""
    logger = logging.getLogger("pdfminer")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def _read_pdf(path: Path) -> list[str | Table]:
    with _quiet_pdfminer():
        return _read_pdf_text(path)


def _read_pdf_text(path: Path) -> list[str | Table]:
    """Each page's text in reading order: pdfplumber sorts the characters into lines by their position, so
    letters LibreOffice draws afterwards in a fallback font (DejaVu for what Liberation lacks) land where
    they are seen, not at the end of the line."""
    try:
        import pdfplumber
        from pdfminer.pdfdocument import PDFPasswordIncorrect
        from pdfplumber.utils.exceptions import PdfminerException

        pages = []
        try:
            # an empty user password is tried; pages beyond the limit are skipped unread
            with pdfplumber.open(path, pages=list(range(1, MAX_PDF_PAGES + 1))) as pdf:
                page_class = _actual_text_page_class()
                for page in pdf.pages:
                    pages.append(page_class(pdf, page.page_obj, page.page_number).extract_text() or "")
        except PdfminerException as exc:
            if isinstance(exc.args[0] if exc.args else None, PDFPasswordIncorrect):
                raise FileError(t("import.pdf_encrypted", path=path)) from None
            raise
    except FileError:
        raise
    except Exception:  # pdfminer raises many types on a damaged or non-PDF file
        raise FileError(t("import.bad_pdf", path=path)) from None
    text = unicodedata.normalize("NFC", "\n".join(pages))
    if not text.strip():
        raise FileError(t("import.pdf_no_text", path=path))
    return list(text.split("\n"))


@functools.cache
def _actual_text_page_class():
    """A pdfplumber page class that reads ``/ActualText``, made on first use (pdfplumber is imported only
    for a PDF)."""
    from pdfminer.layout import LTChar
    from pdfminer.pdfinterp import PDFPageInterpreter
    from pdfminer.pdftypes import resolve1
    from pdfminer.utils import decode_text
    from pdfplumber.page import Page, PDFPageAggregatorWithMarkedContent
    from pdfplumber.utils.exceptions import PdfminerException

    class ActualTextDevice(PDFPageAggregatorWithMarkedContent):
        """Reads a marked span's ``/ActualText`` instead of its glyphs.

        When a font lacks a precomposed Vietnamese letter (``ổ``), LibreOffice draws a base glyph plus a
        mark and records the real letter as ``/Span <</ActualText (ổ)>> BDC … EMC``; the glyphs alone read
        back as the wrong letter. The span's first glyph is given the real text, the others dropped."""

        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._spans: list[list] = []  # per open marked-content sequence: [actual text or None, glyphs]

        def begin_tag(self, tag, props=None) -> None:
            super().begin_tag(tag, props)
            actual = resolve1(props.get("ActualText")) if isinstance(props, dict) else None
            if isinstance(actual, bytes):
                actual = decode_text(actual)  # UTF-16 with its BOM, or PDFDocEncoding
            self._spans.append([actual if isinstance(actual, str) else None, 0])

        def end_tag(self) -> None:
            super().end_tag()
            if self._spans:
                self._spans.pop()

        def render_char(self, *args, **kwargs) -> float:
            advance = super().render_char(*args, **kwargs)
            span = next((s for s in reversed(self._spans) if s[0] is not None), None)
            glyphs = self.cur_item._objs  # as pdfplumber's own device does: the char just made is the last
            if span is not None and glyphs and isinstance(glyphs[-1], LTChar):
                if span[1]:
                    glyphs.pop()  # the span's text is already on its first glyph
                else:
                    glyphs[-1]._text = span[0]
                span[1] += 1
            return advance

    class ActualTextPage(Page):
        """A pdfplumber page laid out by ``ActualTextDevice``."""

        @property
        def layout(self):
            if not hasattr(self, "_actual_layout"):
                device = ActualTextDevice(
                    self.pdf.rsrcmgr, pageno=self.page_number, laparams=self.pdf.laparams
                )
                try:
                    PDFPageInterpreter(self.pdf.rsrcmgr, device).process_page(self.page_obj)
                except Exception as exc:
                    raise PdfminerException(exc) from exc
                self._actual_layout = device.get_result()
            return self._actual_layout

    return ActualTextPage
