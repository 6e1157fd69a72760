"""Hostile and odd files for the corpus test, built byte by byte where a library would refuse to make them.

A zip bomb whose sheet part really inflates to a gigabyte (made in milliseconds: after a full flush the
deflate compressor starts afresh, so every further copy of a chunk compresses to the same bytes), zip
packages whose parts are swapped or whose directory lies, sheets of 150,000 rows written as XML straight
into the package, and the look-alikes people save under a spreadsheet's name: a web page, a CSV text, an
Excel 2003 XML file, the lock files Excel and LibreOffice leave beside an open workbook.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path
from typing import NamedTuple

GIB = 1024**3


class Member(NamedTuple):
    """One zip member as it is stored: its raw deflate bytes and the sizes and CRC the directory declares."""

    name: str
    compressed: bytes
    size: int
    crc: int


def members_of(path: Path) -> list[Member]:
    """The members of the zip package at ``path``, each deflated afresh (truthful sizes and CRCs)."""
    with zipfile.ZipFile(path) as archive:
        return [stored(info.filename, archive.read(info)) for info in archive.infolist()]


def stored(name: str, data: bytes) -> Member:
    z = zlib.compressobj(6 if len(data) < 1024 * 1024 else 1, zlib.DEFLATED, -15)
    return Member(name, z.compress(data) + z.flush(), len(data), zlib.crc32(data))


_LOCAL = struct.Struct("<4s5H3I2H")  # local file header
_CENTRAL = struct.Struct("<4s6H3I5H2I")  # central directory entry
_END = struct.Struct("<4s4H2IH")  # end of central directory


def zip_bytes(members: list[Member]) -> bytes:
    """A zip file of ``members`` (deflated), written by hand so the directory says whatever they declare."""
    out = io.BytesIO()
    central = []
    for m in members:
        name = m.name.encode("utf-8")
        offset = out.tell()
        sizes = (m.crc, len(m.compressed), m.size, len(name))  # dated 1980-01-01, UTF-8 names
        out.write(_LOCAL.pack(b"PK\x03\x04", 20, 0x800, 8, 0, 0x21, *sizes, 0) + name + m.compressed)
        central.append(
            _CENTRAL.pack(b"PK\x01\x02", 20, 20, 0x800, 8, 0, 0x21, *sizes, 0, 0, 0, 0, 0, offset) + name
        )
    start = out.tell()
    out.write(b"".join(central))
    out.write(_END.pack(b"PK\x05\x06", 0, 0, len(central), len(central), out.tell() - start, start, 0))
    return out.getvalue()


def replaced(members: list[Member], name: str, member: Member) -> list[Member]:
    return [member if m.name == name else m for m in members]


def bomb_member(name: str, inflated: int = GIB, declared: int | None = None) -> Member:
    """A worksheet part that really inflates to ``inflated`` bytes of rows (about 340:1), declaring
    ``declared`` bytes (the truth when None). The CRC is not computed: no reader may get that far."""
    head = b'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/'
    head += b'spreadsheetml/2006/main"><sheetData>'
    chunk = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 20_000
    z = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = z.compress(head) + z.flush(zlib.Z_FULL_FLUSH)
    again = z.compress(chunk) + z.flush(zlib.Z_FULL_FLUSH)
    copies = max(1, (inflated - len(head)) // len(chunk))
    compressed = first + again * copies + z.flush()
    return Member(name, compressed, len(head) + copies * len(chunk) if declared is None else declared, 0)


def with_dtd(xml: bytes, dtd: bytes, old: bytes, reference: bytes) -> bytes:
    """``xml`` with a DOCTYPE declaring ``dtd`` after its prolog, and ``reference`` in place of ``old``."""
    body = xml.split(b"?>", 1)[-1] if xml.startswith(b"<?xml") else xml
    if old not in body:
        raise ValueError(old)
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE x ['
        + dtd
        + b"]>\n"
        + body.replace(old, reference, 1)
    )


BILLION_LAUGHS = b'<!ENTITY lol0 "lol">' + b"".join(
    b'<!ENTITY lol%d "%s">' % (n, b"&lol%d;" % (n - 1) * 10) for n in range(1, 10)
)
EXTERNAL_ENTITY = b'<!ENTITY xxe SYSTEM "file:///etc/passwd">'


def junk_sheet_xml(rows: int) -> bytes:
    """A worksheet part of ``rows`` rows × 4 columns of junk (a data dump pasted beside the report)."""
    head = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.'
    head += b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    row = (
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>d\xc3\xb2ng r\xc3\xa1c %d</t></is></c>'
        b'<c r="B%d"><v>%d</v></c><c r="C%d"><v>0.5</v></c><c r="D%d" t="inlineStr"><is><t>x</t></is></c></row>'
    )
    body = b"".join(row % (r, r, r, r, r, r, r) for r in range(1, rows + 1))
    return head + body + b"</sheetData></worksheet>"


def swap_part(path: Path, marker: bytes, part: Member) -> bytes:
    """The package at ``path`` with the one part containing ``marker`` replaced by ``part`` (renamed)."""
    members = members_of(path)
    with zipfile.ZipFile(path) as archive:
        target = next(i.filename for i in archive.infolist() if marker in archive.read(i))
    return zip_bytes(replaced(members, target, part._replace(name=target)))


def with_macros(path: Path) -> bytes:
    """The .xlsx at ``path`` repackaged the way Excel saves an .xlsm: the macro-enabled content type and a
    VBA project part (never run: a reader only reads data)."""
    from tests.support.unit_files import ole_file

    members = members_of(path)
    with zipfile.ZipFile(path) as archive:
        types = archive.read("[Content_Types].xml").replace(
            b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml"
        )
        types = types.replace(
            b"</Types>",
            b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
        )
        rels = archive.read("xl/_rels/workbook.xml.rels").replace(
            b"</Relationships>",
            b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/'
            b'vbaProject" Target="vbaProject.bin"/></Relationships>',
        )
    vba = ole_file({"PROJECT": b'ID="{00000000-0000-0000-0000-000000000000}"\r\nModule=Module1\r\n'})
    members = replaced(members, "[Content_Types].xml", stored("[Content_Types].xml", types))
    members = replaced(members, "xl/_rels/workbook.xml.rels", stored("xl/_rels/workbook.xml.rels", rels))
    return zip_bytes([*members, stored("xl/vbaProject.bin", vba)])


# --- look-alikes ------------------------------------------------------------------------------------------

HTML_AS_XLS = (
    '<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">'
    '\n<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head>\n<body><table>'
    "<tr><td>Mã NV</td><td>Tình trạng</td><td>Kết quả thực hiện</td></tr>"
    "<tr><td>2.2</td><td>Đang thực hiện</td><td>Đã rà soát</td></tr></table></body></html>\n"
).encode()

CSV_AS_XLSX = (
    "\ufeffMã NV;Tình trạng;Tiến độ (%);Kết quả thực hiện\r\n2.1;Hoàn thành;100;Đã trình\r\n".encode()
)

XML_2003_AS_XLS = (
    '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
    '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
    'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="Báo cáo"><Table><Row>'
    '<Cell><Data ss:Type="String">Mã NV</Data></Cell></Row></Table></Worksheet></Workbook>\n'
).encode()


def excel_lock_file(user: str = "Nguyen Van A") -> bytes:
    """What Excel leaves as ``~$name.xlsx`` while a workbook is open: the user's name, padded."""
    name = user.encode("latin-1")
    return bytes([len(name)]) + name.ljust(53, b" ") + b"\0\0" + user.encode("utf-16-le").ljust(108, b"\0")


def libreoffice_lock_file(path: str) -> bytes:
    """What LibreOffice leaves as ``.~lock.name.xlsx#``: user, host, user, date and profile, one CSV line."""
    return f",Nguyen Van A,may-tinh-vp,26.05.2025 09:12,file://{path};\n".encode()
