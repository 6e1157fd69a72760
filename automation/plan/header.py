"""The plan's header and reporting rule for plan import (SPEC §4, §8): what the register's Plan sheet holds.

Stage: before the month, inside ``plan import``. From the lines above the first section: the number and
symbol, signing date, title and issuer, and the plan id made of them; from the paragraphs: the day units
report before each month (``trước ngày 16 hàng tháng``), the day of the report to the UBND, and the unit
the reports go to. Pure: text in, values out; the caller says what it could not find.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from automation.domain.dates import parse_person_date
from automation.domain.text import clean_phrase, clean_text, fold, sentence_case, strip_accents
from automation.plan.documents import Paragraph
from automation.plan.unit_names import UNIT_KIND, Units, initials, known_unit

DEFAULT_SUBMIT_DAY, DEFAULT_UBND_DAY = 16, 18
_OPENERS = ("Thực hiện", "Căn cứ", "Triển khai", "Nhằm", "Để ", "Theo ", "Trên cơ sở", "Xét ", "Kính gửi")
_ISSUER = re.compile(
    r"\b((?:Sở|Ban|Văn phòng|Ủy ban nhân dân|Uỷ ban nhân dân|UBND|Thanh tra|Trung tâm|Chi cục|Cục|Bộ)"
    r"\s[^,;:()]{2,80}?)\s+ban hành\b"
)
_REPORT_DAY = re.compile(
    r"(truoc|trong|cham nhat(?: la)?(?: vao)?|vao)?\s*ngay\s+(\d{1,2})(?!\s*[/.-]?\s*\d)(?!\s+thang\s+\d)"
    r"(?:\s+hang\s+thang)?"
)


@dataclass
class Header:
    """The header of a plan; ``full_issuer`` adds the province (``Sở Nội vụ tỉnh Hải Dương``)."""

    number: str = ""
    signed: dt.date | None = None
    title: str = ""
    issuer: str = ""
    full_issuer: str = ""
    place: str = ""  # the place name before the date: "Hải Dương"


def parse_header(head: list[str]) -> Header:
    """Number and symbol (``Số: 45/KH-SNV``), date (``Hải Dương, ngày 05 tháng 3 năm 2025``), the title
    after ``KẾ HOẠCH`` up to the preamble (``Thực hiện…``, ``Căn cứ…``) and the issuer (``Sở … ban hành``)."""
    found = Header()
    at = next(
        (i for i, line in enumerate(head) if line.startswith("KẾ HOẠCH") or fold(line) == "ke hoach"), None
    )
    for line in head[:at]:  # the national header block above the title
        if not found.number and (m := re.match(r"(?i)số\s*:\s*(.*)", line)):
            found.number = re.sub(r"\s*/\s*", "/", clean_text(m.group(1)))
        if m := re.match(r"([^,\d]{2,40}),\s*ngày\b(.*)", line):
            found.signed = parse_person_date("ngày" + m.group(2))
            found.place = clean_text(m.group(1))
    preamble = head
    if at is not None:
        end = at + 1
        while end < len(head) and end - at <= 12 and not (end > at + 1 and head[end].startswith(_OPENERS)):
            end += 1
        title = [head[at][len("KẾ HOẠCH") :] if head[at].startswith("KẾ HOẠCH") else "", *head[at + 1 : end]]
        found.title, preamble = clean_phrase(" ".join(title)), head[end:]
    text = clean_text(" ".join(preamble))
    if m := _ISSUER.search(text):
        found.issuer = clean_text(m.group(1))
    elif upper := next((line for line in head if fold(line).startswith("so ") and line.isupper()), ""):
        found.issuer = "Sở " + sentence_case(upper[3:].strip().lower())
    found.full_issuer = found.issuer
    for m in (m for part in (found.title, text) for m in re.finditer(r"\btỉnh\s+([^,.;:()]+)", part)):
        words = []
        for word in m.group(1).split()[:3]:
            if not word[:1].isupper():
                break
            words.append(word)
        if words:
            if (
                found.issuer
                and "tỉnh" not in found.issuer
                and not fold(found.issuer).startswith(("ubnd", "uy ban"))
            ):
                found.full_issuer = f"{found.issuer} tỉnh {' '.join(words)}"
            break
    return found


def plan_id(number: str, issuer: str, title: str) -> str:
    """``KH-SNV-726``: the symbol (``/KH-SNV``, else ``KH-`` and the issuer's initials), then the plan's own
    number or, when it has none yet, the number of the plan it carries out (``Kế hoạch số 726/…``)."""
    own, _, symbol = number.partition("/")
    prefix = re.sub(r"[^A-Z0-9-]", "", strip_accents(symbol).upper()).strip("-")
    prefix = prefix or (f"KH-{initials(issuer)}" if issuer else "KH")
    base = re.sub(r"\D", "", own) or next(iter(re.findall(r"(?i)kế hoạch số\s*(\d+)", title)), "")
    if base:
        return f"{prefix}-{base}"
    return prefix if prefix != "KH" else "KH-" + hashlib.sha1(fold(title).encode()).hexdigest()[:6].upper()


_CARRIES_OUT = re.compile(r"(?i)(?:thực hiện|triển khai)\s+kế hoạch\s+số\s*(\d+)\s*/\s*([A-Za-zĐđ0-9-]+)")


def upper_plan_id(title: str) -> str:
    """The id of the plan this one carries out, as the upper level's register names it (SPEC §16).

    The rule of ``plan_id`` applied to the referenced plan's own number and symbol: a title opening
    ``Tổ chức thực hiện Kế hoạch số 726/KH-UBND ngày 20/02/2025 của UBND tỉnh …`` gives ``KH-UBND-726``
    (the symbol, then the number). Blank when the title carries out no numbered plan.
    """
    m = _CARRIES_OUT.search(title)
    if m is None:
        return ""
    return plan_id(f"{m.group(1)}/{m.group(2)}", "", "")


def report_days(paras: list[Paragraph]) -> tuple[tuple[int, str], tuple[int, str] | None, str]:
    """(units' day, words), (UBND day, words) and the sentence saying so. "trước ngày 16" is day 16;
    "trong ngày 15", "chậm nhất ngày 15" mean by the 15th, so before day 16. The first day of the sentence
    is the units'; a later one after "UBND"/"Ủy ban nhân dân" is the report to the People's Committee."""
    for para in paras:
        plain = strip_accents(para.text).lower()  # same length as the text, so a match maps back to it
        if "bao cao" not in plain or not ("hang thang" in plain or "dinh ky" in plain):
            continue
        days: list[tuple[int, str, bool]] = []  # (day, its words, after "UBND")
        for m in _REPORT_DAY.finditer(plain):
            ubnd = bool(days) and bool(
                re.search(r"ubnd|uy ban nhan dan", plain[max(0, m.start() - 80) : m.start()])
            )
            days.append(
                (int(m.group(2)) + (m.group(1) != "truoc"), para.text[m.start() : m.end()].strip(), ubnd)
            )
        if days:
            return days[0][:2], next(((d, w) for d, w, ubnd in days[1:] if ubnd), None), para.text
    return (DEFAULT_SUBMIT_DAY, ""), None, ""


def find_coordinator(sentence: str, units: Units) -> str:
    """The unit reports go to: ``(Phòng Công chức, viên chức)``, ``(qua Văn phòng Sở)``, ``về Văn phòng Sở``."""
    candidates = re.findall(r"\(\s*(?:qua\s+)?([^()]{3,80})\)", sentence)
    candidates += re.findall(
        r"\b(?:qua|về)\s+(" + UNIT_KIND + r"[^,;.()]*?)(?=\s+(?:trước|trong|chậm|để)\b|[,;.()]|$)", sentence
    )
    for candidate in map(clean_phrase, candidates):
        if re.match(UNIT_KIND + r"\b", candidate) or known_unit(fold(candidate)):
            return units.code_for(candidate)
    return ""


def default_ubnd_day(submit_day: int) -> int:
    """The UBND day when the plan names none: two days after the units', not before the 18th nor after the
    28th."""
    return max(DEFAULT_UBND_DAY, min(28, submit_day + 2))


@dataclass
class Signature:
    """The end of an administrative document: ``Nơi nhận`` and the signer block (ND 30/2020)."""

    recipients: tuple[str, ...] = ()
    authority: str = ""  # KT. GIÁM ĐỐC, TM. ỦY BAN NHÂN DÂN … (blank when the head signs)
    title: str = ""  # GIÁM ĐỐC, PHÓ GIÁM ĐỐC
    name: str = ""


_AUTHORITY = re.compile(r"^(KT|TM|TL|TUQ|Q)\.\s*\S")


def parse_signature(tail: list[str]) -> Signature:
    """``Nơi nhận:`` and its ``- …;`` lines, then the signer block (authority, title in capitals, name)."""
    found = Signature()
    start = next((i for i, line in enumerate(tail) if fold(line).startswith("noi nhan")), None)
    if start is None:
        return found
    recipients: list[str] = []
    rest = tail[start + 1 :]
    while rest and rest[0].lstrip().startswith(("-", "–", "+")):
        recipients.append(clean_text(rest.pop(0).lstrip("-–+ ").rstrip(" ;.,")))
    found.recipients = tuple(r for r in recipients if r)
    for line in (clean_text(line) for line in rest):
        if not line or line.startswith(("(", "[")):  # (Đã ký), [signature]
            continue
        if line.isupper():
            if _AUTHORITY.match(line) and not found.authority and not found.title:
                found.authority = line
            elif not found.title:
                found.title = line
        elif found.title and not found.name:
            found.name = line
            break
    return found


def province_bodies(full_issuer: str) -> tuple[str, str]:
    """The body above a provincial department and how a report addresses it: ``Sở Nội vụ tỉnh Hải Dương``
    → (``UBND TỈNH HẢI DƯƠNG``, ``Ủy ban nhân dân tỉnh Hải Dương``); ("", "") when the issuer names no
    province or is the province's own committee."""
    m = re.search(r"\btỉnh\s+(.+)$", full_issuer)
    if not m or fold(full_issuer).startswith(("ubnd", "uy ban")):
        return "", ""
    province = clean_text(m.group(1))
    return f"UBND TỈNH {province.upper()}", f"Ủy ban nhân dân tỉnh {province}"


def department_short(issuer: str) -> str:
    """The department without its province: ``Sở Nội vụ tỉnh Hải Dương`` → ``Sở Nội vụ``."""
    return re.sub(r"\s+tỉnh\s+.+$", "", clean_text(issuer))


def agency_symbol(number: str) -> str:
    """The issuing body's symbol from a document number: ``45/KH-SNV`` → ``SNV``."""
    m = re.search(r"/[A-ZĐ]+-([A-ZĐ0-9]+)\s*$", number.strip())
    return m.group(1) if m else ""
