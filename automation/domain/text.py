"""Text from people, normalised once at the edge.

Everything read from a workbook, a document or the command line goes through ``nfc`` (or ``clean_text``
for running text); names are compared with ``fold``: no case, no accents, no extra spacing.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from functools import lru_cache

# the characters XML 1.0 forbids: a unit's cell may hold one, and no XML writer (ours, python-docx) takes it
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (the same object when it has none)."""
    return _XML_FORBIDDEN.sub("", text) if _XML_FORBIDDEN.search(text) else text


# "18- NQ/TW" is a document symbol broken at the line end ("18-\nNQ/TW"); the space is an artefact.
_BROKEN_SYMBOL = re.compile(r"(\d)- (?=[A-ZĐ])")


def as_text(value: object) -> str:
    """``str(value)``, except that an int too long for Python to print (more than
    ``sys.get_int_max_str_digits()`` digits, which ``str`` refuses) is written ``1.000000E+5000``."""
    if isinstance(value, str):
        return value
    try:
        return str(value)
    except ValueError:
        if isinstance(value, int):  # no cell holds such a number, but one must never stop a run
            return format(Decimal(value), ".6E")
        raise


def nfc(value: object) -> str:
    """``value`` as NFC text with surrounding whitespace removed; None becomes ''."""
    if value is None:
        return ""
    return unicodedata.normalize("NFC", value if isinstance(value, str) else as_text(value)).strip()


def clean_text(value: object) -> str:
    """Running text as a person meant it: NFC, one space between words, no line breaks.

    Used for task content and the plan's own words copied out of a document, so the register and the
    importer write the same strings for the same text.
    """
    text = " ".join(nfc(value).replace("\u00a0", " ").split())
    return _BROKEN_SYMBOL.sub(r"\1-", text) if "- " in text else text


def strip_accents(text: str) -> str:
    """Vietnamese letters without their marks; ``đ`` becomes ``d``."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return bare.replace("đ", "d").replace("Đ", "D")


_NOT_KEY = re.compile(r"[^0-9a-z%/.]+")


def fold(value: object) -> str:
    """A comparison key: lower case, no accents, punctuation as spaces, single spaces."""
    if value is None:
        return ""
    return _fold_text(value if isinstance(value, str) else as_text(value))


@lru_cache(maxsize=65536)  # labels, statuses and names repeat across every file of a month
def _fold_text(text: str) -> str:
    return _NOT_KEY.sub(" ", strip_accents(nfc(text)).lower()).strip()


def sentence_case(text: str) -> str:
    """First letter upper case, the rest untouched (``hoàn thành…`` → ``Hoàn thành…``)."""
    return text[:1].upper() + text[1:] if text else text


def clean_phrase(value: object) -> str:
    """``clean_text`` without the trailing ``, ; .`` a phrase copied out of a list item carries."""
    return clean_text(value).rstrip(" ,;.")
