"""Unit names for plan import (SPEC §4, §8): the leads a plan names, turned into the register's units.

Stage: before the month, inside ``plan import``. Each lead the plan writes (``Phòng Công chức, viên chức``)
becomes one unit with a normalised name, a short unique ASCII code that stays the same for the same
plan (``CCVC``) and the aliases units will write on their files. Well-known names have fixed codes; any
other unit's code is the initials of its name. Pure: text in, units out.
"""

from __future__ import annotations

import re

from automation.domain.model import Unit
from automation.domain.text import clean_phrase, fold, sentence_case

UNIT_KIND = r"(?:Văn phòng|Phòng|Ban|Thanh tra|Trung tâm|Chi cục)"
_LEAD_SPLIT = re.compile(r"\s*;\s*|\s*(?:,|\bvà\b|\+)\s+(?=" + UNIT_KIND + r"\b)")

# Well-known unit names → code: (code, name to use or None for the plan's own, folded keys — "*" also
# matches longer names that start so —, the short forms people write, "{issuer}" being the Sở's name).
# Any other unit's code is the initials of its significant words (see ``initials``).
_KNOWN_UNITS: tuple[tuple[str, str | None, tuple[str, ...], tuple[str, ...]], ...] = (
    ("VP", "Văn phòng Sở", ("van phong", "vp", "vp so", "van phong so*"),
     ("Văn phòng", "VP Sở", "Văn phòng {issuer}")),
    ("TCBC", None, ("phong to chuc bien che*", "phong tcbc*"),
     ("Phòng TCBC và CCHC", "Phòng TCBC", "Phòng Tổ chức biên chế")),
    ("TDKT", None, ("ban thi dua khen thuong*", "ban thi dua*", "ban tdkt"),
     ("Ban TĐKT", "Ban Thi đua Khen thưởng")),
    ("CCVC", None, ("phong cong chuc vien chuc*", "phong ccvc"), ("Phòng CCVC", "Phòng Công chức viên chức")),
    ("TTRA", "Thanh tra Sở", ("thanh tra", "thanh tra so*"), ("Thanh tra",)),
    ("KHTC", None, ("phong ke hoach tai chinh*", "phong khtc"), ("Phòng KHTC",)),
    ("TCCB", None, ("phong to chuc can bo*", "phong tccb"), ("Phòng TCCB",)),
)  # fmt: skip
_STOP_WORDS = {"va", "cua", "cac", "thuoc", "truc", "voi"}


def split_leads(text: str) -> list[str]:
    """The unit names in a lead field: ``Văn phòng Sở; Phòng Kế hoạch - Tài chính`` → two names.

    A comma or ``và`` splits only before a unit kind (``Phòng``, ``Ban``…), so ``Phòng Công chức, viên
    chức`` stays one name."""
    return [name for name in _LEAD_SPLIT.split(clean_phrase(text)) if name.strip()]


def initials(name: str) -> str:
    """``Phòng Quản lý đầu tư`` → ``QLDT``: initials of the words after a leading Phòng/Ban, without và,
    của, các…, in ASCII capitals, at most 8."""
    words = fold(name).replace("/", " ").replace(".", " ").split()
    if len(words) > 1 and words[0] in ("phong", "ban"):
        words = words[1:]
    return "".join(word[0] for word in words if word not in _STOP_WORDS).upper()[:8] or "DV"


def known_unit(key: str) -> tuple[str, str | None, tuple[str, ...]] | None:
    """(code, name or None, short forms) of a well-known unit whose folded name is ``key``, else None."""
    for code, name, keys, aliases in _KNOWN_UNITS:
        if any(key == k.rstrip("*") or (k.endswith("*") and key.startswith(k[:-1] + " ")) for k in keys):
            return code, name, aliases
    return None


class Units:
    """The units the plan names, each once, in the order first named; codes unique (``QLDT``, ``QLDT2``)."""

    def __init__(self, issuer: str) -> None:
        self.issuer = issuer
        self.found: dict[str, tuple[str, tuple[str, ...], list[str]]] = {}  # code → name, aliases, spellings
        self.by_key: dict[str, str] = {}

    def code_for(self, text: str) -> str:
        """The code of the unit named ``text``, adding the unit the first time it is named."""
        name = re.sub(r"(?<=\s)sở$", "Sở", sentence_case(clean_phrase(text)))
        key, known = fold(name), known_unit(fold(name))
        code = self.by_key.get(key) or (known[0] if known and known[0] in self.found else None)
        if code is None:
            code = base = known[0] if known else initials(name)
            n = 1
            while code in self.found:
                n += 1
                code = f"{base}{n}"
            short_forms = [
                a.format(issuer=self.issuer)
                for a in (known[2] if known else ())
                if self.issuer or "{" not in a
            ]
            self.found[code] = ((known[1] if known else None) or name, tuple(short_forms), [])
        self.by_key[key] = code
        self.found[code][2].append(name)
        return code

    def units(self) -> tuple[Unit, ...]:
        """Aliases: the known short forms, the name without Phòng/Ban, the plan's other spellings."""
        out = []
        for code, (name, short_forms, spellings) in self.found.items():
            bare = re.sub(r"^(?:Phòng|Ban)\s+", "", name)
            aliases: list[str] = []
            for alias in (*short_forms, sentence_case(bare) if bare != name else "", *spellings):
                if alias and alias.casefold() not in {a.casefold() for a in (name, *aliases)}:
                    aliases.append(alias)
            out.append(Unit(code, name, tuple(aliases)))
        return tuple(out)
