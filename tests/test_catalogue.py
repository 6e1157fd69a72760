"""The gettext catalogues (issue 12): every id the code uses is translated in both languages with the same
placeholders, nothing in them is stale, and the compiled ``.mo`` the program reads is the ``.po`` of today."""

from __future__ import annotations

import ast
import contextlib
import io
import string
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

import automation
from automation.i18n import messages
from automation.i18n.messages import t, tn

PACKAGE = Path(automation.__file__).parent
LOCALE = PACKAGE / "i18n" / "locale"
TEMPLATE = LOCALE / "baocao.pot"
LANGUAGES = ("vi", "en")
PLURAL_FORMS = {"vi": "nplurals=1; plural=0;", "en": "nplurals=2; plural=(n != 1);"}
# as in docs/translations.md: pybabel extract -k t -k tn:1,2 (N_ is one of pybabel's default keywords)
KEYWORDS = {"t": None, "tn": (1, 2), "N_": None}


def _po(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "baocao.po"


def _read(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as src:
        return read_po(src, locale=language, abort_invalid=True)


def _extracted() -> set[str | tuple[str, str]]:
    with contextlib.redirect_stderr(io.StringIO()):  # Babel's notes on f-strings among the parameters
        found = extract_from_dir(PACKAGE, method_map=[("**.py", "python")], keywords=KEYWORDS)
        return {msgid for _, _, msgid, _, _ in found}


USED = _extracted()
CATALOGUES = {language: _read(_po(language), language) for language in LANGUAGES}


def _fields(text: str) -> set[str]:
    return {
        name.split(".")[0].split("[")[0]
        for _, name, _, _ in string.Formatter().parse(text)
        if name is not None
    }


def _forms(value: str | tuple[str, ...]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def test_the_extractor_finds_the_ids_of_the_whole_package():
    ids = {msgid if isinstance(msgid, str) else msgid[0] for msgid in USED}
    assert len(ids) > 600
    assert {"collect.summary_head", "row.missing_status", "out.eval.overdue", "count.file"} <= ids
    assert ("count.file", "count.files") in USED


def test_every_call_names_its_message_literally():
    """No key built at run time (``t(f"out.eval.{value}")``): the extractor could not see it."""
    built = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("t", "tn", "N_")
            ):
                if any(isinstance(arg, ast.JoinedStr | ast.BinOp | ast.IfExp) for arg in node.args[:2]):
                    built.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert built == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_id_the_code_uses_is_translated(language):
    catalog = CATALOGUES[language]
    missing = [msgid for msgid in USED if msgid not in catalog]
    assert sorted(map(str, missing)) == []
    empty = [m.id for m in catalog if m.id and not all(_forms(m.string))]
    assert empty == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_message_never_used_by_the_code_is_not_kept(language):
    catalog = CATALOGUES[language]
    assert [m.id for m in catalog if m.id and m.id not in USED] == []
    assert list(catalog.obsolete) == []


def test_the_template_holds_exactly_the_ids_the_code_uses():
    template = _read(TEMPLATE)
    assert {m.id for m in template if m.id} == USED
    assert all(not any(_forms(m.string)) for m in template if m.id)


def test_both_languages_and_every_plural_form_have_the_same_placeholders():
    vi, en = CATALOGUES["vi"], CATALOGUES["en"]
    differ = []
    for message in vi:
        if not message.id:
            continue
        texts = _forms(message.string) + _forms(en[message.id].string)
        if len({frozenset(_fields(text)) for text in texts}) != 1:
            differ.append(message.id)
    assert differ == []


def _flagged(path: Path) -> set[str]:
    """The ids flagged ``python-brace-format`` (read from the text: Babel drops the flag of a msgid
    without braces, and ours are keys)."""
    ids = set()
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = block.splitlines()
        if any(line.startswith("#,") and "python-brace-format" in line for line in lines):
            ids |= {line[len('msgid "') : -1] for line in lines if line.startswith('msgid "')}
    return ids


def test_messages_with_placeholders_are_flagged_for_translators():
    """Poedit and Weblate check the ``{placeholders}`` of a message flagged ``python-brace-format``."""
    with_fields = {
        m.id if isinstance(m.id, str) else m.id[0]
        for m in CATALOGUES["vi"]
        if m.id and any(_fields(text) for text in _forms(m.string))
    }
    assert len(with_fields) > 200
    for path in (_po("vi"), _po("en"), TEMPLATE):
        assert _flagged(path) == with_fields, path


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_declares_its_plural_forms_and_parses_cleanly(language):
    text = _po(language).read_text(encoding="utf-8")
    assert f'"Plural-Forms: {PLURAL_FORMS[language]}\\n"' in text
    assert f'"Language: {language}\\n"' in text
    catalog = CATALOGUES[language]  # read with abort_invalid: a syntax error fails at import
    assert catalog.num_plurals == int(PLURAL_FORMS[language].split("=")[1].split(";")[0])
    assert all(len(m.string) == catalog.num_plurals for m in catalog if m.id and m.pluralizable)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_is_the_po_of_today(language):
    compiled = io.BytesIO()
    write_mo(compiled, CATALOGUES[language])
    assert _po(language).with_suffix(".mo").read_bytes() == compiled.getvalue(), (
        "run: python tools/translations.py"
    )


# --- what the program shows ----------------------------------------------------------------------------


def test_english_says_one_file_and_two_files():
    messages.set_language("en")
    assert tn("count.file", "count.files", 1, count=1) == "1 file"
    assert tn("count.file", "count.files", 2, count=2) == "2 files"
    assert tn("scan.pending", "scan.pending.plural", 1, count=1).startswith("1 file is still")
    assert tn("scan.pending", "scan.pending.plural", 3, count=3).startswith("3 files are still")


def test_vietnamese_has_one_form_for_every_count():
    messages.set_language("vi")
    assert tn("count.file", "count.files", 1, count=1) == "1 tệp"
    assert tn("count.file", "count.files", 2, count=2) == "2 tệp"


def test_a_missing_message_falls_back_to_vietnamese_then_to_the_key(monkeypatch):
    messages.set_language("en")
    english = messages._translations("en")
    monkeypatch.delitem(english._catalog, "plan.no_tasks")  # type: ignore[attr-defined]
    assert t("plan.no_tasks") == messages.MESSAGES["plan.no_tasks"][0]
    assert t("no.such.message", count=1) == "no.such.message"
    assert tn("no.such.one", "no.such.other", 2, count=2) == "no.such.other"


def test_a_translation_naming_an_unknown_field_falls_back_to_vietnamese(monkeypatch):
    messages.set_language("en")
    monkeypatch.setitem(messages._translations("en")._catalog, "withdraw.unknown", "No {file}")  # type: ignore[attr-defined]
    assert t("withdraw.unknown", target="abc") == messages.MESSAGES["withdraw.unknown"][0].format(
        target="abc"
    )


def test_rendering_is_nfc():
    decomposed = "Nhiệm vụ".encode().decode()  # NFC already; the parameter below is NFD
    import unicodedata

    nfd = unicodedata.normalize("NFD", decomposed)
    messages.set_language("vi")
    assert t("withdraw.unknown", target=nfd) == unicodedata.normalize(
        "NFC", t("withdraw.unknown", target=nfd)
    )
    assert nfd not in t("withdraw.unknown", target=nfd)
