"""Reading a plan document (SPEC §8 ``plan import``): Word .docx, text PDF or plain .txt.

The first stage of the import: a file in, its text out in reading order as lines and tables, then the
lines as the marked paragraphs of an administrative document (``II.``, ``1.1.``, ``a)``, ``-``). Nothing
here knows what a plan is; ``plan_import`` finds the tasks. A file that cannot be read is a ``FileError``
with a Vietnamese message, never a traceback: python-docx and pypdf raise many kinds of exceptions on
broken input, so each parser call is guarded as a whole.
"""

from __future__ import annotations

import contextlib
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
def _quiet_pypdf():
    """pypdf logs each repair it attempts on a damaged file ("EOF marker not found"); the user gets one
    clear message instead."""
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def _read_pdf(path: Path) -> list[str | Table]:
    with _quiet_pypdf():
        return _read_pdf_text(path)


def _read_pdf_text(path: Path) -> list[str | Table]:
    try:
        from pypdf import PdfReader

        reader = PdfReader(str(path), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise FileError(t("import.pdf_encrypted", path=path))
        pages = []
        for index, page in enumerate(reader.pages):
            if index >= MAX_PDF_PAGES:
                break
            _use_actual_text(page, reader, index)
            pages.append(page.extract_text() or "")
    except FileError:
        raise
    except Exception:  # pypdf raises many types on a damaged or non-PDF file
        raise FileError(t("import.bad_pdf", path=path)) from None
    text = unicodedata.normalize("NFC", "\n".join(pages))
    if not text.strip():
        raise FileError(t("import.pdf_no_text", path=path))
    return list(text.split("\n"))


_SHOW_TEXT = (b"Tj", b"TJ", b"'", b'"')


def _use_actual_text(page, reader, index: int) -> None:
    """Make pypdf read the ``/ActualText`` of marked spans instead of their glyphs.

    When a font lacks a precomposed Vietnamese letter (``ổ``), LibreOffice draws a base glyph plus a mark
    and records the real letter as ``/Span <</ActualText (ổ)>> BDC … EMC``; the glyphs alone read back as
    the wrong letter, and pypdf ignores ActualText. So each such span's text is shown instead with a small
    font added to the page in memory whose ToUnicode map gives the span's real text. The file is untouched.
    """
    from pypdf.generic import ByteStringObject, ContentStream, DictionaryObject, NameObject

    contents = page.get_contents()
    if contents is None or b"/ActualText" not in contents.get_data():
        return
    stream = ContentStream(contents, reader, "bytes")
    resources = page.get("/Resources")
    fonts = resources.get_object().get("/Font") if resources is not None else None
    if fonts is None:
        return
    fonts = fonts.get_object()
    name = NameObject(f"/BaocaoActualText{index}")
    codes: dict[tuple[str, int], int] = {}
    operations: list = []
    font: list = []
    span: dict | None = None
    for operands, operator in stream.operations:
        if operator == b"Tf":
            font = list(operands)
        if span is None:
            if operator == b"BDC" and len(operands) == 2 and "/ActualText" in _as_dict(operands[1]):
                span = {"text": _text_of(_as_dict(operands[1])["/ActualText"]), "depth": 1, "mode": "new"}
            else:
                operations.append((operands, operator))
            continue
        if operator in (b"BDC", b"BMC"):
            span["depth"] += 1
        elif operator == b"EMC":
            span["depth"] -= 1
            if span["depth"] == 0:
                span = None
                if font:
                    operations.append((font, b"Tf"))
        elif operator in _SHOW_TEXT and span["mode"] != "glyphs":
            if span["mode"] == "shown":
                continue
            key = (span["text"], _span_width(fonts, font[0] if font else None, operands))
            if not font or (key not in codes and len(codes) >= 255):
                span["mode"] = "glyphs"  # no room for another code: keep the glyphs as drawn
                operations.append((operands, operator))
                continue
            code = codes.setdefault(key, len(codes) + 1)
            if operator in (b"'", b'"'):
                operations.append(([], b"T*"))
            operations.append(([name, font[1]], b"Tf"))
            operations.append(([ByteStringObject(bytes([code]))], b"Tj"))
            span["mode"] = "shown"
        else:
            operations.append((operands, operator))
    if not codes:
        return
    fonts[name] = DictionaryObject(_actual_text_font(codes))
    stream.operations = operations
    page[NameObject("/Contents")] = stream


def _as_dict(value) -> dict:
    value = value.get_object() if hasattr(value, "get_object") else value
    return value if isinstance(value, dict) else {}


def _text_of(value) -> str:
    if isinstance(value, bytes):
        if value.startswith(b"\xfe\xff"):
            return value[2:].decode("utf-16-be", errors="replace")
        return value.decode("latin-1")
    return str(value)


def _span_width(fonts, font_name, operands) -> int:
    """The widest glyph the span shows, in the font's units (a base letter is wider than its mark);
    1000 when the font's widths are not simple to read, which never adds a false space."""
    font = fonts.get(font_name) if font_name is not None else None
    font = font.get_object() if font is not None else None
    widths, first = (font.get("/Widths"), font.get("/FirstChar", 0)) if font is not None else (None, 0)
    if widths is None:
        return 1000
    widths = widths.get_object()
    found = 0
    for operand in operands:
        for part in operand if isinstance(operand, list) else [operand]:
            if isinstance(part, bytes):
                for byte in part:
                    if 0 <= byte - first < len(widths):
                        found = max(found, int(widths[byte - first]))
    return found or 1000


def _actual_text_font(codes: dict[tuple[str, int], int]) -> dict:
    from pypdf.generic import ArrayObject, DecodedStreamObject, NameObject, NumberObject

    entries = "\n".join(
        f"<{code:02X}> <{text.encode('utf-16-be').hex().upper()}>" for (text, _), code in codes.items()
    )
    cmap = DecodedStreamObject()
    cmap.set_data(
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Baocao-ActualText def /CMapType 2 def\n1 begincodespacerange <00> <FF> endcodespacerange\n"
        f"{len(codes)} beginbfchar\n{entries}\nendbfchar\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end".encode("ascii")
    )
    widths = [NumberObject(width) for (_, width), _ in sorted(codes.items(), key=lambda item: item[1])]
    return {
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/TrueType"),
        NameObject("/BaseFont"): NameObject("/BaocaoActualText"),
        NameObject("/FirstChar"): NumberObject(1),
        NameObject("/LastChar"): NumberObject(len(codes)),
        NameObject("/Widths"): ArrayObject(widths),
        NameObject("/ToUnicode"): cmap,
    }
