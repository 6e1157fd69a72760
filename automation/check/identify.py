"""Identify stage of the monthly collect (SPEC §6): whose file is this, and for which month?

Pure functions of what the reader found (``ParsedReport``), the file name, the sender and the register.
The unit comes from, in order: ``_meta.unit_code``, the ``Đơn vị:`` cell, the file name, the sender's
address; the period from the ``Kỳ báo cáo:`` cell, ``_meta.period``, the file name. The first source
that answers wins; a later source that answers differently is a warning, never a silent choice.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from automation.check.cells import SERIAL_MAX, SERIAL_MIN, serial_date
from automation.domain.dates import PERIOD_YEARS, parse_person_date
from automation.domain.model import Finding, ParsedReport, Plan, Severity, Unit
from automation.domain.text import fold, nfc, strip_accents
from automation.i18n.messages import t

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_YEARS = PERIOD_YEARS
_DAY_FIRST = re.compile(r"(?<![\d.])(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?!\d)")
_ISO_DAY = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_MONTH_YEAR = re.compile(
    r"(?:(?:thang|ky|(?<![a-z])t)\s*)?(?<![\d/.-])(?<!q)(?<!quy )(\d{1,2})\s*(?:[/.-]|\s+nam\s+|_)\s*(\d{4})(?![\d/.-]\d)"
)
_YEAR_MONTH = re.compile(r"(?<![\d/.])(\d{4})\s*[-_./]\s*(\d{1,2})(?![\d/.-]?\d)")
_YEAR_MONTH_TIGHT = re.compile(r"^(\d{4})(\d{2})$")
_NUMBER_MONTH = re.compile(r"(\d{1,2})\.(\d{1,4})")


# --- unit ---------------------------------------------------------------------------------------------


_TEXT_LIMIT = 500


def _tokens(text: object) -> list[str]:
    return [tok for tok in re.split(r"[^0-9a-z]+", fold(text)) if tok]


def _unit_phrases(unit: Unit) -> list[list[str]]:
    phrases = [_tokens(unit.code), _tokens(unit.name), *(_tokens(alias) for alias in unit.aliases)]
    return [p for p in phrases if p]


@dataclass(frozen=True)
class _UnitIndex:
    """A plan's unit names as folded word sequences, so matching a file costs lookups, not a scan."""

    exact: dict[tuple[str, ...], frozenset[str]]  # phrase → unit codes
    by_first: dict[str, tuple[tuple[tuple[str, ...], str], ...]]  # first word → (phrase, code)
    emails: dict[str, frozenset[str]]  # address → unit codes


_INDEXES: dict[int, tuple[Plan, _UnitIndex]] = {}


def _index(plan: Plan) -> _UnitIndex:
    cached = _INDEXES.get(id(plan))
    if cached is not None and cached[0] is plan:
        return cached[1]
    exact: dict[tuple[str, ...], set[str]] = {}
    by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    emails: dict[str, set[str]] = {}
    for unit in plan.units:
        for phrase in {tuple(p) for p in _unit_phrases(unit)}:
            exact.setdefault(phrase, set()).add(unit.code)
            by_first.setdefault(phrase[0], []).append((phrase, unit.code))
        for email in unit.emails:
            emails.setdefault(nfc(email).lower(), set()).add(unit.code)
    index = _UnitIndex(
        {k: frozenset(v) for k, v in exact.items()},
        {k: tuple(v) for k, v in by_first.items()},
        {k: frozenset(v) for k, v in emails.items()},
    )
    if len(_INDEXES) > 8:  # a process sees one plan, two in tests; never grow without bound
        _INDEXES.clear()
    _INDEXES[id(plan)] = (plan, index)
    return index


def _best_unit(tokens: list[str], plan: Plan) -> Unit | None:
    """The one unit whose code, name or alias occurs in ``tokens`` as whole words.

    An occurrence inside a longer occurrence of another unit does not count ("Văn phòng" inside a longer
    name that contains those words); two units named side by side mean no answer (ambiguous).
    """
    index = _index(plan)
    spans = [
        (start, start + len(phrase), code)
        for start, token in enumerate(tokens)
        for phrase, code in index.by_first.get(token, ())
        if tuple(tokens[start : start + len(phrase)]) == phrase
    ]
    codes = {
        code
        for start, end, code in spans
        if not any(s <= start and end <= e and e - s > end - start and c != code for s, e, c in spans)
    }
    return plan.unit(codes.pop()) if len(codes) == 1 else None


def _unit_from_cell(text: str | None, plan: Plan) -> Unit | None:
    if not nfc(text):
        return None
    key = _tokens(nfc(text)[:_TEXT_LIMIT])  # a unit's name is short; a pasted essay must not cost time
    exact = _index(plan).exact.get(tuple(key), frozenset())
    if len(exact) == 1:
        return plan.unit(next(iter(exact)))
    return _best_unit(key, plan)


def _file_stem(file_name: str) -> str:
    name = re.split(r"[\\/]", file_name or "")[-1][:_TEXT_LIMIT]
    return re.sub(r"\.(xlsx|xlsm|xls|ods|xlsb|csv)$", "", name, flags=re.IGNORECASE)


def _sender_units(sender: str | None, plan: Plan) -> set[str]:
    addresses = {a.lower() for a in _EMAIL.findall(nfc(sender))}
    return {code for address in addresses for code in _index(plan).emails.get(address, ())}


def _unit_from_sender(sender: str | None, plan: Plan) -> Unit | None:
    owners = _sender_units(sender, plan)
    return plan.unit(owners.pop()) if len(owners) == 1 else None


def known_sender(sender: str | None, plan: Plan) -> bool:
    """Whether ``sender`` (an address, or "Name <address>") is the address of a unit in the register."""
    return bool(_sender_units(sender, plan))


def identify_unit(
    parsed: ParsedReport, file_name: str, sender: str | None, plan: Plan, *, file: str
) -> tuple[str | None, list[Finding]]:
    """The unit code of a received file and the findings about it (SPEC §6 order).

    Sources: ``_meta.unit_code`` (when it is a unit of ``plan``), the ``Đơn vị:`` cell (names, codes and
    aliases, case-, accent- and spacing-insensitive, also inside a longer text when one unit fits),
    a code or alias as whole words of the file name, the sender's address. A later source naming another
    unit gives a ``file.unit_mismatch`` warning; no source gives ``file.unknown_unit`` (error).
    """
    meta_code = nfc(parsed.meta.get("unit_code")).upper()
    sources: list[tuple[str, Unit | None, str | None]] = [
        ("meta", plan.unit(meta_code) if meta_code else None, None),
        ("unit_cell", _unit_from_cell(parsed.unit_text, plan), parsed.unit_cell),
        ("file_name", _best_unit(_tokens(_file_stem(file_name)), plan), None),
        ("sender", _unit_from_sender(sender, plan), None),
    ]
    found = [(source, unit, cell) for source, unit, cell in sources if unit is not None]
    if not found:
        message = t("file.unknown_unit", value=nfc(parsed.unit_text), units=_unit_list(plan.units))
        finding = Finding(
            "error", "file.unknown_unit", message, file=file, sheet=parsed.sheet, cell=parsed.unit_cell
        )
        return None, [finding]
    source, unit, cell = found[0]
    findings: list[Finding] = []
    reported: set[str] = set()
    for other_source, other, other_cell in found[1:]:
        if other.code == unit.code or other.code in reported:
            continue
        reported.add(other.code)
        message = t(
            "file.unit_mismatch",
            unit=_unit_label(unit),
            source=_source_label(source),
            other=_unit_label(other),
            other_source=_source_label(other_source),
        )
        findings.append(
            Finding(
                "warning",
                "file.unit_mismatch",
                message,
                file=file,
                unit=unit.code,
                sheet=parsed.sheet,
                cell=cell or other_cell,
            )
        )
    return unit.code, findings


def _source_label(source: str) -> str:
    """Where a unit was read from, in the reader's words."""
    return {
        "meta": t("identify.source.meta"),
        "unit_cell": t("identify.source.unit_cell"),
        "file_name": t("identify.source.file_name"),
        "sender": t("identify.source.sender"),
    }[source]


def _unit_label(unit: Unit) -> str:
    return f"{unit.name} ({unit.code})"


def _unit_list(units: Iterable[Unit]) -> str:
    return "; ".join(_unit_label(u) for u in units)


# --- period -------------------------------------------------------------------------------------------


def _period(year: int, month: int) -> str | None:
    return f"{year:04d}-{month:02d}" if year in _YEARS and 1 <= month <= 12 else None


def _period_of_number(number: float) -> str | None:
    if not math.isfinite(number):
        return None
    if SERIAL_MIN <= number <= SERIAL_MAX:
        day = serial_date(number)
        return _period(day.year, day.month)
    if number == int(number):
        tight = _YEAR_MONTH_TIGHT.fullmatch(str(int(number)))  # 202503
        return _period(int(tight.group(1)), int(tight.group(2))) if tight else None
    # "03.2025" typed into a number cell became 3.2025 (and "10.2020" became 10.202)
    match = _NUMBER_MONTH.fullmatch(repr(number))
    if match and 1 <= number < 13:
        return _period(int(match.group(2).ljust(4, "0")), int(match.group(1)))
    return None


def _period_of_text(text: str) -> str | None:
    text = re.sub(r"\s+", " ", strip_accents(nfc(text)).lower())
    text = re.sub(r"\.(xlsx|xlsm|xls|ods|xlsb|csv)$", "", text)
    found: set[str] = set()
    for pattern, order in ((_DAY_FIRST, "dmy"), (_ISO_DAY, "ymd")):
        for match in pattern.finditer(text):
            numbers = [int(g) for g in match.groups()]
            day, month, year = numbers if order == "dmy" else numbers[::-1]
            try:
                valid = dt.date(year, month, day)
            except ValueError:
                continue
            period = _period(valid.year, valid.month)
            if period:
                found.add(period)
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    for pattern, order in ((_MONTH_YEAR, "my"), (_YEAR_MONTH, "ym")):
        for match in pattern.finditer(text):
            first, second = int(match.group(1)), int(match.group(2))
            period = _period(second, first) if order == "my" else _period(first, second)
            if period:
                found.add(period)
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    if not found:
        tight = _YEAR_MONTH_TIGHT.fullmatch(text.strip())
        if tight:
            found.add(_period(int(tight.group(1)), int(tight.group(2))) or "")
    found.discard("")
    return found.pop() if len(found) == 1 else None


def parse_period_text(value: object) -> str | None:
    """The month a ``Kỳ báo cáo`` value, ``_meta.period`` or a file name names, as ``YYYY-MM``.

    Accepts ``03/2025``, ``3/2025``, ``tháng 3/2025``, ``Tháng 03 năm 2025``, ``T3/2025``, ``T03-2025``,
    ``2025-03``, ``..._2025-03.xlsx``, ``thang 3-2025``, ``T3.2025``, a day-first or ISO date, a date or
    datetime value, and an Excel serial number. None when there is no month, or two different ones.
    Never raises.
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, dt.datetime | dt.date):
        return _period(value.year, value.month)
    if isinstance(value, int | float):
        try:
            return _period_of_number(float(value))
        except OverflowError:
            return None
    text = nfc(value)
    if not text:
        return None
    text = text[:_TEXT_LIMIT]  # a cell of running text is not a period; keep the regexes cheap
    day = parse_person_date(text) if len(text) <= 40 else None
    if day is not None:
        return _period(day.year, day.month)
    return _period_of_text(text)


def identify_period(parsed: ParsedReport, file_name: str, *, file: str) -> tuple[str | None, list[Finding]]:
    """The period (``YYYY-MM``) of a received file and the findings about it (SPEC §6 order).

    The ``Kỳ báo cáo:`` cell, else ``_meta.period``, else the file name. A cell and ``_meta`` naming
    different months give a ``file.period_mismatch`` warning (the cell wins: it is what the unit wrote);
    a cell that cannot be read while another source answers gives ``file.bad_period`` (warning);
    no source gives ``file.unknown_period`` (error).
    """
    findings: list[Finding] = []
    cell_text = "" if parsed.period_value is None else _shown(parsed.period_value)
    from_cell = parse_period_text(parsed.period_value)
    from_meta = parse_period_text(parsed.meta.get("period"))
    from_name = parse_period_text(_file_stem(file_name))

    def finding(severity: Severity, rule: str, message: str) -> Finding:
        return Finding(severity, rule, message, file=file, sheet=parsed.sheet, cell=parsed.period_cell)

    period = from_cell or from_meta or from_name
    if period is None:
        findings.append(finding("error", "file.unknown_period", t("file.unknown_period", value=cell_text)))
        return None, findings
    if from_cell and from_meta and from_cell != from_meta:
        findings.append(
            finding(
                "warning",
                "file.period_mismatch",
                t("file.period_mismatch", period=_label(from_cell), meta=_label(from_meta)),
            )
        )
    if from_cell is None and cell_text:
        source = t("identify.source.meta") if from_meta else t("identify.source.file_name")
        findings.append(
            finding(
                "warning",
                "file.bad_period",
                t("file.bad_period", value=cell_text, period=_label(period), source=source),
            )
        )
    return period, findings


def _label(period: str) -> str:
    return f"{period[5:]}/{period[:4]}"


def _shown(value: object) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    return nfc(value)
