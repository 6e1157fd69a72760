"""The styles part of ``xlsx_lite``'s workbooks (``xl/styles.xml``) from its ``Style`` tuples, and the XML
escaping both modules use. Split from ``xlsx_lite`` to keep each module short; ``tests/test_feedback_twin.py``
guards both, comparing the feedback files they write with the same files written by xlsxwriter.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
APPLY = ("NumberFormat", "Font", "Fill", "Border")


class Style(NamedTuple):
    """How a cell looks. Hashable: each distinct style is written once. Colours are ``RRGGBB``; ``size``
    None is the workbook's; ``border`` 1 is thin, 2 medium; ``align`` left/center/right; ``valign``
    top/center/bottom; ``num_format`` an Excel code such as ``dd/mm/yyyy``."""

    bold: bool = False
    italic: bool = False
    size: float | None = None
    colour: str | None = None
    fill: str | None = None
    border: int = 0
    border_colour: str | None = None
    align: str | None = None
    valign: str | None = None
    wrap: bool = False
    num_format: str | None = None


def escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as XML entities (xml.sax.saxutils would import urllib.request: 40 ms)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def attr(text: str) -> str:
    """``text`` as a quoted XML attribute value."""
    return '"' + escape(text).replace('"', "&quot;") + '"'


def _argb(value: str) -> str:
    hexa = value.removeprefix("#").upper()
    if len(hexa) != 6 or hexa.strip("0123456789ABCDEF"):
        raise ValueError(f"colour {value!r} is not RRGGBB")
    return "FF" + hexa


@lru_cache(maxsize=256)
def styles_xml(styles: tuple[Style, ...], font: str, size: float) -> bytes:
    """styles.xml for ``styles`` (cell style i is ``styles[i]``): fonts, fills, borders and number formats
    in first-use order. Cached: the feedback files of a run share their few style sets."""
    fonts: dict[tuple[object, ...], int] = {}
    fills: dict[str | None, int] = {None: 0, "gray125": 1}
    borders: dict[tuple[int, str | None], int] = {(0, None): 0}
    formats: dict[str, int] = {}
    xfs = []
    for s in styles:
        line = (s.border, s.border_colour and _argb(s.border_colour)) if s.border else (0, None)
        ids = (
            formats.setdefault(s.num_format, 164 + len(formats)) if s.num_format else 0,
            fonts.setdefault((s.bold, s.italic, s.size or size, s.colour and _argb(s.colour)), len(fonts)),
            fills.setdefault(s.fill and _argb(s.fill), len(fills)),
            borders.setdefault(line, len(borders)),
        )
        head = '<xf numFmtId="{}" fontId="{}" fillId="{}" borderId="{}" xfId="0"'.format(*ids)
        head += "".join(f' apply{n}="1"' for n, i in zip(APPLY, ids, strict=True) if i)
        pairs = (("horizontal", s.align), ("vertical", s.valign), ("wrapText", "1" if s.wrap else None))
        align = "".join(f' {n}="{v}"' for n, v in pairs if v)
        xfs.append(f'{head} applyAlignment="1"><alignment{align}/></xf>' if align else f"{head}/>")
    out = [f'{XML}<styleSheet xmlns="{MAIN}">']
    if formats:
        codes = "".join(f'<numFmt numFmtId="{i}" formatCode={attr(c)}/>' for c, i in formats.items())
        out.append(f'<numFmts count="{len(formats)}">{codes}</numFmts>')
    out.append(f'<fonts count="{len(fonts)}">')
    for bold, italic, points, argb in fonts:
        colour = f'<color rgb="{argb}"/>' if argb else ""
        out.append(f'<font>{"<b/>" if bold else ""}{"<i/>" if italic else ""}<sz val="{points:g}"/>{colour}'
                   f"<name val={attr(font)}/></font>")  # fmt: skip
    out.append(f'</fonts><fills count="{len(fills)}"><fill><patternFill patternType="none"/></fill>')
    out.append('<fill><patternFill patternType="gray125"/></fill>')
    out.extend(f'<fill><patternFill patternType="solid"><fgColor rgb="{argb}"/><bgColor indexed="64"/>'
               "</patternFill></fill>" for argb in list(fills)[2:])  # fmt: skip
    out.append(f'</fills><borders count="{len(borders)}">')
    for weight, argb in borders:
        edge = f' style="{"thin" if weight == 1 else "medium"}"' if weight else ""
        colour = f'<color rgb="{argb}"/>' if argb else ""
        out.append("<border>" + "".join(f"<{side}{edge}>{colour}</{side}>" if weight else f"<{side}/>"
                   for side in ("left", "right", "top", "bottom")) + "<diagonal/></border>")  # fmt: skip
    out.append('</borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
               f'</cellStyleXfs><cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs><cellStyles count="1">'
               '<cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>')  # fmt: skip
    return "".join(out).encode()
