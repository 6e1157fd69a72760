"""Rendering every person-facing text (SPEC §13) from the gettext catalogues beside this module.

The messages live in ``locale/<lang>/LC_MESSAGES/baocao.po`` (translators edit them in Poedit or Weblate);
the compiled ``.mo`` files are what runs, read once by the standard library's ``gettext``. Message ids
are symbolic keys (``collect.summary_head``); each language's msgstr is the text. ``t(key, **params)``
renders in the language chosen once at the CLI edge with ``set_language`` (``LANGUAGE=en`` in ``.env``
for English), ``tn(key, plural_key, n, **params)`` the form for the count ``n``. A message missing in
English falls back to the Vietnamese text, then to the key itself: a gap never stops a run. Output is
NFC. How to add or change a message: docs/translations.md.
"""

from __future__ import annotations

import gettext
import struct
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from unicodedata import normalize as _nfc

DOMAIN = "baocao"
LOCALE_DIR = Path(__file__).with_name("locale")
LANGUAGES = ("vi", "en")
_language = "vi"


@cache
def _translations(language: str) -> gettext.NullTranslations:
    """The compiled catalogue of ``language``, falling back to Vietnamese, then to the key itself."""
    vietnamese = (
        gettext.NullTranslations() if language == "vi" else _translations("vi")  # shared: read once
    )
    try:
        found: gettext.NullTranslations = gettext.translation(DOMAIN, LOCALE_DIR, languages=[language])
    except OSError:  # a damaged installation: show the keys rather than stop
        return vietnamese
    if language != "vi":
        found.add_fallback(vietnamese)
    return found


def set_language(language: str) -> None:
    global _language, _gettext, _ngettext
    _language = "en" if (language or "").lower().startswith("en") else "vi"
    _gettext, _ngettext = _translations(_language).gettext, _translations(_language).ngettext


def current_language() -> str:
    return _language


_gettext, _ngettext = _translations("vi").gettext, _translations("vi").ngettext


def _fill_vietnamese(text: str, params: dict[str, object]) -> str:
    """A translation naming a field the code does not give: the Vietnamese text, else the bare one."""
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return text


def t(key: str, /, **params: object) -> str:
    """The message ``key`` in the current language, with ``params`` filled in."""
    text = _gettext(key)
    if params:
        try:
            text = text.format(**params)
        except (KeyError, IndexError, ValueError):
            text = _fill_vietnamese(_translations("vi").gettext(key), params)
    return _nfc("NFC", text)


def tn(key: str, plural_key: str, n: int, /, **params: object) -> str:
    """The form of the message ``key``/``plural_key`` for the count ``n`` (``1 file``, ``2 files``)."""
    text = _ngettext(key, plural_key, n)
    try:
        text = text.format(**params)
    except (KeyError, IndexError, ValueError):
        text = _fill_vietnamese(_translations("vi").ngettext(key, plural_key, n), params)
    return _nfc("NFC", text)


def N_(key: str, /) -> str:
    """Mark a literal message id the code keeps as data (a finding's rule) and renders later with ``t``.

    Only so that ``pybabel extract`` finds it; returns ``key`` unchanged.
    """
    return key


# --- the catalogue as data (tests and tools): key -> (Vietnamese, English) -----------------------------


def _read_mo(path: Path) -> dict[str, tuple[str, ...]]:
    """Every message of a compiled catalogue, a plural one under both its ids: id -> its forms."""
    try:
        data = path.read_bytes()
    except OSError:
        return {}
    order = "<" if data[:4] == b"\xde\x12\x04\x95" else ">"
    count, ids_at, strings_at = struct.unpack(order + "3I", data[8:20])
    out: dict[str, tuple[str, ...]] = {}
    for i in range(count):
        id_len, id_pos = struct.unpack(order + "2I", data[ids_at + 8 * i : ids_at + 8 * i + 8])
        str_len, str_pos = struct.unpack(order + "2I", data[strings_at + 8 * i : strings_at + 8 * i + 8])
        ids = data[id_pos : id_pos + id_len].decode().split("\0")
        forms = tuple(data[str_pos : str_pos + str_len].decode().split("\0"))
        if ids[0]:  # not the header
            for index, msgid in enumerate(ids):
                out[msgid] = forms if len(ids) == 1 else (forms[min(index, len(forms) - 1)],)
    return out


@cache
def _both() -> dict[str, tuple[str, str]]:
    vi, en = (_read_mo(LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo") for lang in LANGUAGES)
    return {key: (vi[key][0], en.get(key, vi[key])[0]) for key in vi}


class _Catalogue(Mapping[str, tuple[str, str]]):
    """Read-only ``MESSAGES[key] -> (vi, en)`` built from the compiled catalogues on first use."""

    def __getitem__(self, key: str) -> tuple[str, str]:
        return _both()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(_both())

    def __len__(self) -> int:
        return len(_both())


MESSAGES: Mapping[str, tuple[str, str]] = _Catalogue()
