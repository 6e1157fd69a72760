"""The verdicts on received files (SPEC §6), shared by the collect and by each poll's acknowledgement
(SPEC §15): every intake item's record (cached judgement, else judged now), then per unit and period
which file is in use, and each unit's submission status.

The judgements are cached in the ledger under ``judge_key``: a file judged at a poll is not judged again
by the collect, nor by the next poll.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from itertools import chain

from automation.domain.dates import Period
from automation.domain.model import FileRecord, ParsedReport, Plan, UnitStatus
from automation.i18n.messages import current_language, t
from automation.intake.folder import Incoming
from automation.read.report import MB, ReadLimits
from automation.run.judge import Job, judge, judge_key, needs_reading, plan_fingerprint, reader_version
from automation.run.workers import PARALLEL_FROM, WorkerPool, judge_batch, run_batches
from automation.settings import Settings
from automation.state.ledger import Ledger

Progress = Callable[[str, int, int], None]


def submission_deadline(settings: Settings, plan: Plan, period: Period) -> dt.datetime:
    """00:00 local time of day SUBMIT_BEFORE_DAY of the period's month: a file is on time before it."""
    day = period.day(settings.submit_before_day or plan.submit_before_day)
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=settings.timezone)


def worker_pool(settings: Settings, plan: Plan, ledger: Ledger) -> WorkerPool | None:
    """The run's worker pool (WORKERS, default one per core up to 8; none with one), warming up at once
    when the inbox holds many files the ledger has never seen, so it is ready when they are read."""
    workers = settings.workers or min(os.cpu_count() or 1, 8)
    if workers < 2:
        return None
    pool = WorkerPool(workers, plan, settings.accept_unknown_senders)
    files = sum(len(names) for _, _, names in os.walk(settings.inbox_dir))
    if files - ledger.known_paths() >= PARALLEL_FROM:
        pool.warm()
    return pool


def reader_limits(settings: Settings) -> ReadLimits:
    """The reader's limits from the settings (SPEC §12): file size, inflated size, compression ratio."""
    return ReadLimits(
        max_file_bytes=settings.max_file_mb * MB,
        max_inflated_bytes=settings.max_uncompressed_mb * MB,
        max_ratio=settings.max_compression_ratio,
    )


def _judge_files(
    items: list[Incoming],
    plan: Plan,
    settings: Settings,
    ledger: Ledger,
    progress: Progress | None,
    pool: WorkerPool | None = None,
    early: dict[str, tuple[str, FileRecord, bool]] | None = None,
) -> list[FileRecord]:
    """Each item's record: the ledger's cached judgement when nothing it depends on changed, else one made
    during intake under the same key (``early``), else judged now (in the pool if any) from the cached
    reading of the same bytes, else from the bytes themselves."""
    accept = settings.accept_unknown_senders
    fingerprint = plan_fingerprint(plan)
    keys = [judge_key(item, fingerprint, accept) for item in items]
    judged = ledger.judged(keys)
    todo = [(key, item) for key, item in zip(keys, items, strict=True) if key not in judged]
    made = [early[key] for key, _ in todo if early and key in early]
    todo = [(key, item) for key, item in todo if not early or key not in early]
    version = reader_version()
    readings = ledger.parsed((i.sha256 for _, i in todo if i.sha256 and needs_reading(i)), version)
    jobs = [(key, item, readings.get(item.sha256 or "")) for key, item in todo]
    limits = reader_limits(settings)
    fresh: dict[str, ParsedReport] = {}
    done: dict[str, FileRecord] = {}
    executor = pool.for_jobs(len(jobs)) if pool is not None else None
    if executor is not None:
        batches = run_batches(executor, judge_batch, [_lean(job) for job in jobs], 16, limits=limits,
                              language=current_language())  # fmt: skip
        results = (record for batch in batches for record in batch.result())
    else:
        results = (record for job in jobs for record in judge([job], plan, accept, limits))
    for number, (key, record, read_now) in enumerate(chain(made, results), start=1):
        done[key] = record
        if read_now and record.parsed is not None and record.sha256:
            fresh[record.sha256] = record.parsed
        if progress and (number % 50 == 0 or number == len(jobs) + len(made)):
            progress("read", number, len(jobs) + len(made))
    ledger.store_parsed(fresh, version, done)
    judged.update(done)
    return [judged[key] for key in keys]


def _lean(job: Job) -> Job:
    """A job as sent to a worker: the bytes travel only when the worker has to read them."""
    key, item, parsed = job
    return job if parsed is None or item.data is None else (key, replace(item, data=None), parsed)


def _settled(item: Incoming, outcome: str, reason: str | None) -> FileRecord:
    """The record of a file whose outcome is known without reading it (ignored, after_as_of, duplicate)."""
    return FileRecord(item.path, item.sha256, item.received_at, item.source, item.sender, outcome=outcome,
                      reason=reason)  # fmt: skip


def judge_items(
    settings: Settings,
    plan: Plan,
    as_of: dt.datetime,
    items: list[Incoming],
    ledger: Ledger,
    progress: Progress | None = None,
    pool: WorkerPool | None = None,
    early: dict[str, tuple[str, FileRecord, bool]] | None = None,
) -> list[FileRecord]:
    """One record per intake item, in the items' order: pending, withdrawn, ignored, after ``as_of`` and
    duplicate files settled without reading; every other spreadsheet judged (provisionally accepted or
    rejected), from the ledger's cache when it was judged before, or from ``early`` (judged during
    intake)."""
    records: list[FileRecord] = []
    withdrawn = _withdrawn(items, ledger.withdrawals())
    in_time = [
        i
        for i in items
        if i.kind == "spreadsheet"
        and i.received_at is not None
        and i.received_at <= as_of
        and id(i) not in withdrawn
    ]
    originals: dict[str, Incoming] = {}
    for item in sorted(in_time, key=lambda i: (i.received_at, i.order, i.path)):
        if item.sha256 and item.sha256 not in originals:
            originals[item.sha256] = item
    to_judge = [i for i in in_time if not i.sha256 or originals[i.sha256] is i]
    judged = iter(_judge_files(to_judge, plan, settings, ledger, progress, pool, early))
    for item in items:
        if item.kind == "pending":
            records.append(_settled(item, "pending", item.reason))
        elif id(item) in withdrawn:
            records.append(_settled(item, "withdrawn", t("collect.withdrawn", reason=withdrawn[id(item)])))
        elif item.kind != "spreadsheet":
            records.append(_settled(item, "ignored", item.reason))
        elif item.received_at is None or item.received_at > as_of:
            records.append(_settled(item, "after_as_of", t("collect.after_as_of")))
        elif item.sha256 and originals[item.sha256] is not item:
            records.append(
                _settled(item, "duplicate", t("collect.duplicate", path=originals[item.sha256].path))
            )
        else:
            records.append(next(judged))
    return records


def _withdrawn(items: list[Incoming], reasons: dict[str, str]) -> dict[int, str]:
    """The items taken out of the record by ``baocao withdraw`` (by id), with the recorded reason: a
    withdrawn file's every sighting, and the attachments of a withdrawn email."""
    if not reasons:
        return {}
    mails = {i.path: i.sha256 for i in items if i.kind in ("mail", "ignored") and i.sha256}
    found: dict[int, str] = {}
    for item in items:
        sha = item.sha256 if item.sha256 in reasons else mails.get(item.container or "")
        if sha in reasons and item.kind != "pending":
            found[id(item)] = reasons[sha]
    return found


def decide(records: list[FileRecord], period: str) -> dict[tuple[str, str], list[FileRecord]]:
    """Per (unit, period): the accepted-able files, oldest first. The latest wins; the others are superseded.

    Sets the outcomes of ``records`` in place: superseded, and other_period for the files of another
    period than ``period``."""
    by_key: dict[tuple[str, str], list[FileRecord]] = defaultdict(list)
    for record in records:
        if record.outcome == "accepted":
            assert record.unit is not None and record.period is not None, "an accepted file is identified"
            by_key[(record.unit, record.period)].append(record)
    for record in records:
        if record.outcome == "rejected" and record.period is not None and record.period != period:
            record.outcome, record.reason = "other_period", t("collect.other_period", period=record.period)
    for key, group in by_key.items():
        group.sort(key=lambda r: (r.received_at, r.path))
        latest = group[-1]
        for older in group[:-1]:
            older.outcome, older.reason = "superseded", t("collect.superseded", path=latest.path)
        if key[1] != period:
            for record in group:
                if record.outcome == "accepted":
                    record.outcome, record.reason = "other_period", t("collect.other_period", period=key[1])
    return by_key


def unit_statuses(
    plan: Plan,
    records: list[FileRecord],
    chosen: dict[tuple[str, str], list[FileRecord]],
    period: str,
    deadline: dt.datetime,
) -> list[UnitStatus]:
    """Each unit's submission for ``period``: on_time, late (counted from its first accepted file),
    invalid (files received, none accepted) or missing; with the file its feedback is about."""
    statuses = []
    rejected: dict[str, list[FileRecord]] = defaultdict(list)
    for record in records:
        if record.unit and record.outcome == "rejected" and record.period in (period, None):
            rejected[record.unit].append(record)
    for unit in plan.units:
        group = chosen.get((unit.code, period), [])
        in_use = group[-1] if group else None
        tried = rejected.get(unit.code, [])
        if in_use is not None:
            first = group[0].received_at
            assert first is not None, "a file without a received time is never judged"
            status = UnitStatus(
                unit, "on_time" if first < deadline else "late", in_use.received_at, first, in_use.path
            )
            status.sha256 = in_use.sha256
            status.errors = sum(f.severity == "error" for f in in_use.findings)
            status.warnings = sum(f.severity == "warning" for f in in_use.findings)
        elif tried:
            latest = max(tried, key=lambda r: (r.received_at, r.path))
            status = UnitStatus(unit, "invalid", latest.received_at, None, latest.path)
            status.sha256 = latest.sha256
            status.errors = sum(f.severity == "error" for f in latest.findings)
            status.warnings = sum(f.severity == "warning" for f in latest.findings)
        else:
            status = UnitStatus(unit, "missing")
        statuses.append(status)
    return statuses
