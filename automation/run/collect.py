"""Collect (SPEC §6): the monthly job. Intake → read (every core) → identify → validate → decide each
file's outcome → evaluate every task → write the workbook, feedback and run report → record the run.

Deterministic: the same inbox, ledger and ``as_of`` give the same verdicts and output contents.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import wait
from dataclasses import replace
from pathlib import Path

from automation import __version__
from automation.check.evaluate import evaluate_plan, evaluation_date
from automation.domain.dates import Period
from automation.domain.model import (
    CollectOutput,
    Evaluation,
    FileRecord,
    Finding,
    ParsedReport,
    Plan,
    RunResult,
    Task,
    TaskReport,
    Unit,
    UnitStatus,
)
from automation.i18n.messages import current_language, t
from automation.intake.folder import Incoming, check_inbox, intake
from automation.read.report import MB, ReadLimits
from automation.run.judge import (
    Job,
    for_path,
    judge,
    judge_key,
    needs_reading,
    plan_fingerprint,
    reader_version,
)
from automation.run.workers import PARALLEL_FROM, WorkerPool, feedback_batch, judge_batch, run_batches
from automation.settings import Settings
from automation.state.files import TMP_SUFFIX
from automation.state.ledger import LEDGER_NAME, Ledger
from automation.state.lock import workspace_lock
from automation.state.periods import guard_open, register_changes, register_snapshot

Progress = Callable[[str, int, int], None]


def submission_deadline(settings: Settings, plan: Plan, period: Period) -> dt.datetime:
    """00:00 local time of day SUBMIT_BEFORE_DAY of the period's month: a file is on time before it."""
    day = period.day(settings.submit_before_day or plan.submit_before_day)
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=settings.timezone)


def _pool(settings: Settings, plan: Plan, ledger: Ledger) -> WorkerPool | None:
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
) -> list[FileRecord]:
    """Each item's record: the ledger's cached judgement when nothing it depends on changed, else judged
    now (in the pool if any) from the cached reading of the same bytes, else from the bytes themselves."""
    accept = settings.accept_unknown_senders
    fingerprint = plan_fingerprint(plan)
    keys = [judge_key(item, fingerprint, accept) for item in items]
    judged = ledger.judged(keys)
    todo = [(key, item) for key, item in zip(keys, items, strict=True) if key not in judged]
    version = reader_version()
    readings = ledger.parsed((i.sha256 for _, i in todo if needs_reading(i)), version)
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
    for number, (key, record, read_now) in enumerate(results, start=1):
        done[key] = record
        if read_now and record.parsed is not None and record.sha256:
            fresh[record.sha256] = record.parsed
        if progress and (number % 50 == 0 or number == len(jobs)):
            progress("read", number, len(jobs))
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


def _decide(records: list[FileRecord], period: str) -> dict[tuple[str, str], list[FileRecord]]:
    """Per (unit, period): the accepted-able files, oldest first. The latest wins; the others are superseded."""
    by_key: dict[tuple[str, str], list[FileRecord]] = defaultdict(list)
    for record in records:
        if record.outcome == "accepted":
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


def _unit_statuses(
    plan: Plan,
    records: list[FileRecord],
    chosen: dict[tuple[str, str], list[FileRecord]],
    period: str,
    deadline: dt.datetime,
) -> list[UnitStatus]:
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


def previous_result(report: dict | None, plan: Plan) -> RunResult | None:
    """The previous period's verdicts rebuilt from its stored run report (enough for "change against")."""
    if not report:
        return None
    units = {u.code: u for u in plan.units}
    tasks = {t_.code: t_ for t_ in plan.tasks}
    return RunResult(
        period=report["period"],
        as_of=dt.datetime.fromisoformat(report["as_of"]),
        submission_deadline=dt.datetime.fromisoformat(report["submission_deadline"]),
        evaluation_date=dt.date.fromisoformat(report["evaluation_date"]),
        plan=plan,
        files=[],
        units=[
            UnitStatus(units.get(u["code"]) or Unit(u["code"], u["name"]), u["submission"])
            for u in report["units"]
        ],
        evaluations=[
            Evaluation(
                tasks.get(e["code"]) or Task(e["code"], "", "", e["lead_unit"]),
                e["evaluation"],
                tuple(e["flags"]),
                None,
                e["reported_status"] is not None,
            )
            for e in report["tasks"]
        ],
    )


def _sweep_temporary_files(settings: Settings, period: Period) -> None:
    """Remove what a run killed mid-write left behind. Safe: we hold the lock, nobody else is writing."""
    for folder in (settings.period_dir(period), settings.state_dir / "archive"):
        if folder.is_dir():
            for leftover in folder.rglob(f".*{TMP_SUFFIX}"):
                leftover.unlink(missing_ok=True)


def collect(
    settings: Settings,
    plan: Plan,
    period: Period,
    as_of: dt.datetime,
    *,
    now: dt.datetime,
    dry_run: bool = False,
    progress: Progress | None = None,
    reopen: str | None = None,
) -> CollectOutput:
    """Run the monthly collect for ``period`` as of ``as_of`` (files received later are not used).

    A closed period is refused (``PeriodClosed``) unless ``reopen`` gives the reason to reopen it. A
    missing inbox stops the run before anything is written.
    """
    check_inbox(settings)
    with workspace_lock(settings, "collect"), Ledger(settings.state_dir / LEDGER_NAME) as ledger:
        if not dry_run:
            guard_open(ledger, str(period), reopen, now)
        _sweep_temporary_files(settings, period)
        pool = _pool(settings, plan, ledger)
        try:
            run_id = None if dry_run else ledger.start_run(str(period), as_of, now)
            intaken = intake(settings, ledger, now, seen_by="collect")
            items = intaken.items
            if progress:
                progress("intake", len(items), len(items))
            result = _judge(settings, plan, period, as_of, items, ledger, progress, dry_run, pool)
            result.warnings = intaken.warnings
            snapshot = register_snapshot(plan)
            result.register_changes = register_changes(ledger.last_register(str(period)), snapshot)
            output = CollectOutput(result)
            if not dry_run:
                output = write_outputs(settings, result, ledger, pool)
                ledger.finish_run(run_id, now, output.report_text, snapshot)
                ledger.backup(now)
            return output
        finally:
            if pool is not None:
                pool.shutdown()


def _judge(
    settings: Settings,
    plan: Plan,
    period: Period,
    as_of: dt.datetime,
    items: list[Incoming],
    ledger: Ledger,
    progress: Progress | None,
    dry_run: bool,
    pool: WorkerPool | None = None,
) -> RunResult:
    period_text = str(period)
    deadline = submission_deadline(settings, plan, period)
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
    judged = iter(_judge_files(to_judge, plan, settings, ledger, progress, pool))
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
    chosen = _decide(records, period_text)
    if not dry_run:
        for (unit, report_period), group in sorted(chosen.items()):
            if report_period <= period_text:
                ledger.replace_reports(report_period, unit, group[-1].reports, group[-1].sha256 or "")
        for unit in plan.units:  # nothing in use as of this run: no rows for the period (an earlier as-of)
            if (unit.code, period_text) not in chosen:
                ledger.replace_reports(period_text, unit.code, [], "")
    units = _unit_statuses(plan, records, chosen, period_text, deadline)
    current: dict[str, TaskReport] = {}
    contributions: list[TaskReport] = []
    for status in units:
        group = chosen.get((status.unit.code, period_text))
        if not group:
            continue
        for report in group[-1].reports:
            if report.role == "lead":
                current[report.task] = report
            else:
                contributions.append(report)
    history: dict[str, list[TaskReport]] = defaultdict(list)
    for report in _history(ledger, chosen, period_text, dry_run):
        if report.role == "lead":
            history[report.task].append(report)
    on = evaluation_date(period, settings.submit_before_day or plan.submit_before_day)
    evaluations = evaluate_plan(plan, current, history, period, on)
    findings = [f for r in records if r.outcome in ("accepted", "superseded", "rejected") for f in r.findings]
    records.sort(key=lambda r: r.path)
    return RunResult(
        period=period_text,
        as_of=as_of.astimezone(settings.timezone),
        submission_deadline=deadline,
        evaluation_date=on,
        plan=plan,
        files=records,
        units=units,
        evaluations=evaluations,
        contributions=contributions,
        findings=findings,
        previous=previous_result(ledger.last_report(str(period.previous())), plan),
    )


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


def _history(
    ledger: Ledger, chosen: dict[tuple[str, str], list[FileRecord]], period: str, dry_run: bool
) -> list[TaskReport]:
    """Earlier periods' rows: the ledger's, with this run's findings for earlier periods laid over them."""
    recorded = ledger.history(period)
    if not dry_run:
        return recorded
    fresh = {(unit, p): group[-1].reports for (unit, p), group in chosen.items() if p < period}
    kept = [r for r in recorded if (r.unit, r.period) not in fresh]
    return kept + [r for reports in fresh.values() for r in reports]


def _relative(path: Path | None, settings: Settings) -> str:
    if path is None:
        return ""
    try:
        return path.relative_to(settings.workspace).as_posix()
    except ValueError:
        return path.as_posix()


def _feedback_result(result: RunResult, findings: list[Finding]) -> RunResult:
    """The run's result as one feedback file needs it: dates, period, plan name and that file's findings.

    Small, so that sending it to a worker process costs little.
    """
    plan = Plan(id=result.plan.id, title=result.plan.title, issuer=result.plan.issuer)
    return replace(result, plan=plan, files=[], units=[], evaluations=[], contributions=[], findings=findings,
                   previous=None)  # fmt: skip


def _feedback_fingerprint(record: FileRecord, unit_name: str, result: RunResult) -> str:
    """What a feedback file is made of; the same fingerprint means the same file, so it is not rewritten."""
    from automation.write.feedback import file_findings

    parts = (
        __version__, current_language(), record.path, record.sha256, record.outcome, record.reason,
        record.received_at, unit_name, result.period, result.as_of, result.submission_deadline,
        file_findings(record, result),
    )  # fmt: skip
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


def write_outputs(
    settings: Settings,
    result: RunResult,
    ledger: Ledger | None = None,
    pool: WorkerPool | None = None,
) -> CollectOutput:
    """Write the consolidated workbook, each unit's feedback and the run report for ``result``.

    With a ``ledger``, a feedback file whose content would not change (same file, findings, outcome and
    as-of) is left as it is. With a ``pool``, feedback files are written there while this process writes
    the workbook.
    """
    from automation.write.run_report import dump_report, run_report, save_report_text
    from automation.write.workbook import write_consolidated

    folder = settings.period_dir(result.period)
    findings_by_file: dict[str | None, list[Finding]] = defaultdict(list)
    for finding in result.findings:
        findings_by_file[finding.file].append(finding)
    by_file = {(r.path, r.sha256): r for r in result.files}
    known = ledger.output_fingerprints() if ledger else {}
    feedback: list[Path] = []
    jobs: list[tuple[FileRecord, str, RunResult, str]] = []
    written: dict[str, str] = {}
    for status in result.units:
        record = by_file.get((status.file, status.sha256))
        if record is None:
            continue
        path = folder / "phan-hoi" / f"{status.unit.code}_{result.period}.xlsx"
        light = _feedback_result(result, findings_by_file.get(record.path, []))
        fingerprint = _feedback_fingerprint(record, status.unit.name, light)
        key = _relative(path, settings)
        if known.get(key) != fingerprint or not path.exists():
            jobs.append((record, status.unit.name, light, str(path)))
            written[key] = fingerprint
        feedback.append(path)
    if ledger is not None:  # a judgement from the ledger's cache comes without its reading: fetch it
        unread = [job[0] for job in jobs if job[0].parsed is None and job[0].sha256]
        readings = ledger.parsed((record.sha256 or "" for record in unread), reader_version())
        for record in unread:
            if record.sha256 in readings:
                record.parsed = for_path(readings[record.sha256], record.path)
    workbook = folder / f"tong-hop_{result.period}.xlsx"
    report = folder / "run-report.json"
    data = run_report(result, _relative(workbook, settings))
    text = dump_report(data)
    # the workbook is made of the report's facts, the register's texts and the units' files (by hash)
    register = settings.register_path.read_bytes() if settings.register_path.is_file() else b""
    fingerprint = hashlib.sha256(
        "\0".join((__version__, current_language(), hashlib.sha256(register).hexdigest(), text)).encode()
    ).hexdigest()
    key = _relative(workbook, settings)
    rewrite = known.get(key) != fingerprint or not workbook.exists() or not report.exists()
    if rewrite:
        written[key] = fingerprint
    if ledger is not None:  # a run killed while writing must not leave the old fingerprints to vouch for it
        ledger.forget_outputs(written)
    executor = pool.for_jobs(len(jobs)) if pool is not None else None
    futures = run_batches(executor, feedback_batch, jobs, 8, language=current_language()) if executor else []
    if rewrite:
        write_consolidated(result, workbook)
        save_report_text(text, report)
    if futures:
        wait(futures)
        for future in futures:
            future.result()  # a worker's failure is this run's failure
    else:
        feedback_batch(jobs, current_language())
    if ledger is not None:
        ledger.record_outputs(written)
    _remove_stale(settings, result, feedback, ledger)
    return CollectOutput(result, workbook, report, feedback, data, text)


def _remove_stale(settings: Settings, result: RunResult, feedback: list[Path], ledger: Ledger | None) -> None:
    """Feedback no unit of this run has (a unit removed from the register, a file withdrawn) and the
    templates of units no longer in the register are removed: nothing is left behind as if current."""
    folder = settings.period_dir(result.period)
    current = set(feedback)
    units = {unit.code for unit in result.plan.units}
    stale = [path for path in sorted((folder / "phan-hoi").glob("*.xlsx")) if path not in current]
    stale += [
        path
        for path in sorted((folder / "mau").glob(f"*_{result.period}.xlsx"))
        if path.name.rsplit("_", 1)[0] not in units
    ]
    if ledger is not None:
        ledger.forget_outputs(_relative(path, settings) for path in stale)
    for path in stale:
        path.unlink(missing_ok=True)
