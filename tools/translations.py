"""The translators' round trip for the message catalogues (docs/translations.md); needs Babel.

    python tools/translations.py            # extract, update, compile (the usual run)
    python tools/translations.py extract    # automation/ -> automation/i18n/locale/baocao.pot
    python tools/translations.py update     # baocao.pot -> each language's baocao.po (new ids empty)
    python tools/translations.py compile    # each baocao.po -> baocao.mo (what the program reads)

The same as ``pybabel extract -k t -k tn:1,2 …``, ``pybabel update --no-fuzzy-matching …`` and
``pybabel compile …``, plus what pybabel cannot do with symbolic ids: the ``python-brace-format`` flag,
which Babel guesses from the msgid (a key, without braces), is set from the texts themselves.
"""

from __future__ import annotations

import string
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "automation"
LOCALE = PACKAGE / "i18n" / "locale"
TEMPLATE = LOCALE / "baocao.pot"
LANGUAGES = ("vi", "en")
KEYWORDS = {"t": None, "tn": (1, 2), "N_": None}
HEADER = {"project": "baocao", "version": "0.1", "copyright_holder": "baocao", "width": 110}
BRACE = "python-brace-format"


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "baocao.po"


def has_fields(text: str | tuple[str, ...] | None) -> bool:
    texts = (text,) if isinstance(text, str) else (text or ())
    try:
        return any(name is not None for s in texts for _, name, _, _ in string.Formatter().parse(s or ""))
    except ValueError:
        return False


def extracted() -> Catalog:
    """Every message id the package's source uses, as ``pybabel extract`` finds them."""
    catalog = Catalog(project=HEADER["project"], version=HEADER["version"])
    for path, line, msgid, comments, context in extract_from_dir(
        PACKAGE, method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)
    ):
        catalog.add(msgid, locations=[(f"automation/{path}", line)], auto_comments=comments, context=context)
    return catalog


def _flag(catalog: Catalog, texts: dict[object, bool]) -> None:
    for message in catalog:
        if message.id and (texts.get(message.id) or has_fields(message.string)):
            message.flags.add(BRACE)


def _write(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        write_po(
            out, catalog, width=HEADER["width"], sort_output=True, omit_header=False, ignore_obsolete=True
        )


def read(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as src:
        return read_po(src, locale=language, abort_invalid=True)


def extract() -> None:
    catalog = extracted()
    vietnamese = read(po_path("vi"), "vi") if po_path("vi").exists() else Catalog(locale="vi")
    _flag(catalog, {m.id: has_fields(m.string) for m in vietnamese if m.id})
    for message in catalog:
        message.locations = []  # line numbers change with every edit; the id says where to look
    _write(catalog, TEMPLATE)


def update() -> None:
    template = read(TEMPLATE)
    for language in LANGUAGES:
        catalog = read(po_path(language), language)
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        catalog.obsolete.clear()
        _flag(catalog, {})
        _write(catalog, po_path(language))


def compile_all() -> None:
    for language in LANGUAGES:
        catalog = read(po_path(language), language)
        with po_path(language).with_suffix(".mo").open("wb") as out:
            write_mo(out, catalog)


def main(argv: list[str]) -> int:
    steps = {"extract": [extract], "update": [update], "compile": [compile_all]}
    for step in steps.get(argv[0], []) if argv else [extract, update, compile_all]:
        step()
    if argv and argv[0] not in steps:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
