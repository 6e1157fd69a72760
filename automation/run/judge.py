"""Judge one received spreadsheet (SPEC §6): read it, identify its unit and period, validate its rows.

What comes out is the file's ``FileRecord`` with a provisional outcome (``accepted`` or ``rejected``);
collect then decides between a unit's files. A judgement depends only on the file (its bytes, path,
received time, source and sender), the register and the settings named in ``judge_key``, so collect
caches it in the ledger under that key and a re-run with no new files judges nothing again.

The same function runs in collect's process or in its worker processes (``workers.judge_batch``).
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

from automation import __version__
from automation.check.identify import identify_period, identify_unit, known_sender
from automation.check.validate import validate_rows
from automation.domain.contract import plan_start
from automation.domain.dates import Period
from automation.domain.model import FileRecord, Finding, ParsedReport, Plan
from automation.i18n.messages import current_language, t
from automation.intake.folder import Incoming
from automation.read.report import ReadLimits, read_report, read_report_bytes

# Bump when the reader's output for the same bytes changes: cached readings of older versions are re-read.
READER_VERSION = "3"
# Bump when identification or validation gives another result for the same file and register.
JUDGE_VERSION = "2"


def reader_version() -> str:
    """The parse cache's version: findings carry messages in the run's language."""
    return f"{READER_VERSION}-{current_language()}"


def plan_fingerprint(plan: Plan) -> str:
    """What of the register a judgement depends on: all of it (units, tasks, deadlines, days)."""
    return hashlib.sha256(repr(plan).encode("utf-8")).hexdigest()


def judge_key(item: Incoming, plan_fingerprint: str, accept_unknown_senders: bool) -> str:
    """The cache key of ``item``'s judgement: everything the judgement is a function of."""
    parts = (
        JUDGE_VERSION, READER_VERSION, __version__, current_language(), plan_fingerprint,
        accept_unknown_senders, item.kind, item.sha256, item.path, item.received_at, item.source,
        item.sender, item.rule, item.reason,
    )  # fmt: skip
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


def needs_reading(item: Incoming) -> bool:
    return item.kind == "spreadsheet" and bool(item.sha256) and item.rule is None


def read_item(item: Incoming, limits: ReadLimits) -> ParsedReport:
    """The reader's result for ``item``: from the bytes intake kept, else from its archive copy."""
    if item.data is not None:
        return read_report_bytes(item.data, item.path, limits=limits)
    return read_report(Path(item.archived or item.path), item.path, limits=limits)


def for_path(parsed: ParsedReport, path: str) -> ParsedReport:
    """A cached reading shown under this file's own path (the same bytes may have moved)."""
    if all(f.file == path for f in parsed.findings):
        return parsed
    return replace(parsed, findings=[replace(f, file=path) for f in parsed.findings])


def _reject(record: FileRecord, reason: str) -> FileRecord:
    record.outcome, record.reason = "rejected", reason
    return record


def _unusable(
    record: FileRecord, parsed: ParsedReport, name: str, item: Incoming, plan: Plan, reason: str
) -> FileRecord:
    """A file that cannot be read: rejected, yet still put down to the unit and period its name, its
    sender or what could be read of it say — so a unit whose only file is broken shows as "invalid" (and
    gets its feedback), not as having sent nothing. No finding is added: the file's own problem is the one."""
    record.unit, _ = identify_unit(parsed, name, item.sender, plan, file=item.path)
    if record.unit is not None:
        record.period, _ = identify_period(parsed, name, file=item.path)
    return _reject(record, reason)


def interpret(
    item: Incoming, parsed: ParsedReport | None, plan: Plan, accept_unknown_senders: bool
) -> FileRecord:
    """Identify and validate one spreadsheet; the outcome is provisional (accepted or rejected)."""
    record = FileRecord(item.path, item.sha256, item.received_at, item.source, item.sender)
    name = item.path.rsplit("/", 1)[-1]
    if item.rule is not None or parsed is None:
        reason = item.reason or t("collect.unreadable")
        record.findings.append(Finding("error", item.rule or "file.unreadable", reason, file=item.path))
        return _unusable(record, ParsedReport(), name, item, plan, reason)
    parsed = for_path(parsed, item.path)
    record.parsed = parsed
    record.findings.extend(parsed.findings)
    if not parsed.readable:
        errors = (f.message for f in parsed.findings if f.severity == "error")
        return _unusable(record, parsed, name, item, plan, next(errors, t("collect.unreadable")))
    unit, unit_findings = identify_unit(parsed, name, item.sender, plan, file=item.path)
    record.findings.extend(unit_findings)
    record.unit = unit
    if unit is None:
        return _reject(record, unit_findings[-1].message if unit_findings else t("collect.no_unit"))
    if item.source == "email" and not accept_unknown_senders and not known_sender(item.sender, plan):
        reason = t("collect.unknown_sender", sender=item.sender or "?")
        record.findings.append(Finding("error", "file.unknown_sender", reason, file=item.path, unit=unit))
        return _reject(record, reason)
    period, period_findings = identify_period(parsed, name, file=item.path)
    record.findings.extend(f if f.unit else replace(f, unit=unit) for f in period_findings)
    record.period = period
    if period is None:
        return _reject(record, period_findings[-1].message if period_findings else t("collect.no_period"))
    assert item.received_at is not None, "intake gives every file it read a received time"
    reports, row_findings = validate_rows(
        parsed,
        plan,
        unit,
        period,
        item.received_at,
        file=item.path,
        plan_start=plan_start(plan, Period.parse(period)),
    )
    record.findings.extend(row_findings)
    record.reports = reports
    if not reports:
        return _reject(record, t("collect.no_usable_rows"))
    record.outcome, record.reason = "accepted", None
    return record


Job = tuple[str, Incoming, ParsedReport | None]  # (judge key, the file, its cached reading if any)


def judge(
    jobs: list[Job], plan: Plan, accept_unknown_senders: bool, limits: ReadLimits
) -> list[tuple[str, FileRecord, bool]]:
    """(key, record, whether the file was read now) for each job: read what has no cached reading, judge."""
    out = []
    for key, item, parsed in jobs:
        fresh = parsed is None and needs_reading(item)
        if fresh:
            parsed = read_item(item, limits)
        out.append((key, interpret(item, parsed, plan, accept_unknown_senders), fresh))
    return out
