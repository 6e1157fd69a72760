"""One catalogue for everything users read: Vietnamese (NFC, with diacritics) and English."""

from __future__ import annotations

import re
import string
import unicodedata

import pytest

from automation.i18n import messages
from automation.i18n.messages import MESSAGES, t


def _fields(text: str) -> set[str]:
    named = {name for _, name, _, _ in string.Formatter().parse(text) if name}
    return named | set(re.findall(r"%\(?\w*\)?[rsd]", text))


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_has_both_languages_with_the_same_placeholders(key):
    vi, en = MESSAGES[key]
    assert vi.strip() and en.strip()
    assert _fields(vi) == _fields(en)
    assert unicodedata.normalize("NFC", vi) == vi


def test_vietnamese_messages_carry_diacritics():
    with_marks = [vi for vi, _ in MESSAGES.values() if any(ord(ch) > 127 for ch in vi)]
    assert len(with_marks) / len(MESSAGES) > 0.9


def test_language_switch():
    messages.set_language("en")
    assert t("plan.no_tasks").startswith("The")
    messages.set_language("vi")
    assert t("plan.no_tasks").startswith("Trang")


def test_messages_are_not_scattered_through_the_code():
    """User-facing Vietnamese lives in the catalogue; code modules hold only file-contract labels."""
    from pathlib import Path

    package = Path(messages.__file__).parent
    sentence = re.compile(r"[\"'][^\"'\n]*(?:Hãy|Vui lòng|không hợp lệ|Đã tạo)[^\"'\n]*[\"']")
    offenders = [
        p.name for p in package.glob("*.py") if p.name != "messages.py" and sentence.search(p.read_text())
    ]
    assert offenders == []
