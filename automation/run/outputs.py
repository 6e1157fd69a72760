"""Collect's outputs (SPEC §3, §7, §9): the consolidated workbook, each unit's feedback and the run report
of one result — each written only when its content would change, feedback in the worker pool while this
process writes the workbook — and nothing left behind of units or files that no longer count.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from concurrent.futures import Future, wait
from dataclasses import replace
from pathlib import Path

from automation import __version__
from automation.domain.model import (
    CollectOutput,
    FileRecord,
    Finding,
    Plan,
    RunResult,
)
from automation.i18n.messages import current_language
from automation.run.judge import (
    for_path,
    reader_version,
)
from automation.run.report import draft_job, write_draft
from automation.run.workers import WorkerPool, batches_of, feedback_batch, take_back
from automation.settings import Settings
from automation.state.ledger import Ledger


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
                   previous=None, history=[])  # fmt: skip


def _feedback_fingerprint(record: FileRecord, unit_name: str, result: RunResult) -> str:
    """What a feedback file is made of; the same fingerprint means the same file, so it is not rewritten."""
    from automation.write.feedback import file_findings

    parts = (
        __version__, current_language(), record.path, record.sha256, record.outcome, record.reason,
        record.received_at, unit_name, result.period, result.as_of, result.submission_deadline,
        file_findings(record, result),
    )  # fmt: skip
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


def _feedback_jobs(
    settings: Settings, result: RunResult, known: dict[str, str], ledger: Ledger | None
) -> tuple[list[Path], list[tuple[FileRecord, str, RunResult, str]], dict[str, str]]:
    """Each unit's feedback file for ``result`` (about the file in use, else the latest rejected one),
    the jobs writing those whose content would change, and their new fingerprints."""
    folder = settings.period_dir(result.period)
    findings_by_file: dict[str | None, list[Finding]] = defaultdict(list)
    for finding in result.findings:
        findings_by_file[finding.file].append(finding)
    by_file: dict[tuple[str | None, str | None], FileRecord] = {(r.path, r.sha256): r for r in result.files}
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
    return feedback, jobs, written


def write_feedback_files(settings: Settings, result: RunResult, ledger: Ledger) -> list[Path]:
    """Only the units' feedback files of ``result`` (SPEC §15: at each poll), each written when its content
    would change; nothing else, and nothing removed. Returns every unit's feedback path."""
    feedback, jobs, written = _feedback_jobs(settings, result, ledger.output_fingerprints(), ledger)
    ledger.forget_outputs(written)
    feedback_batch(jobs, current_language())
    ledger.record_outputs(written)
    return feedback


_FEEDBACK_BATCHES = 32  # small enough for this process to share the last ones once its workbook is written
_FIRST_BATCHES = 4  # sent before the draft, so that the workers begin at once


def _workbook_fingerprint(settings: Settings, result: RunResult, text: str) -> str:
    """What the workbook is made of: the run report's facts, the register's texts, the units' files (by
    hash) and the earlier periods' reports (the trend, the change against the previous period)."""
    register = settings.register_path.read_bytes() if settings.register_path.is_file() else b""
    earlier = hashlib.sha256(json.dumps(result.history, sort_keys=True).encode()).hexdigest()
    parts = (__version__, current_language(), hashlib.sha256(register).hexdigest(), earlier, text)
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


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
    known = ledger.output_fingerprints() if ledger else {}
    feedback, jobs, written = _feedback_jobs(settings, result, known, ledger)
    if ledger is not None:  # a run killed while writing must not leave the old fingerprints to vouch for it
        ledger.forget_outputs(written)
    executor = pool.for_jobs(len(jobs)) if pool is not None else None
    language = current_language()
    batches = batches_of(jobs, _FEEDBACK_BATCHES) if executor is not None else []
    # the workers begin on the feedback files at once, while this process prepares the workbook
    shared = (
        [executor.submit(feedback_batch, b, language) for b in batches[:_FIRST_BATCHES]] if executor else []
    )
    workbook = folder / f"tong-hop_{result.period}.xlsx"
    report = folder / "run-report.json"
    data = run_report(result, _relative(workbook, settings))
    text = dump_report(data)
    key, fingerprint = _relative(workbook, settings), _workbook_fingerprint(settings, result, text)
    rewrite = known.get(key) != fingerprint or not workbook.exists() or not report.exists()
    draft, draft_work = (None, None)
    if ledger is not None:  # the report draft (SPEC §14), from the run report as the ledger will keep it
        draft, draft_work = draft_job(settings, ledger, result.plan, result.period, report=json.loads(text))
        ledger.forget_outputs(([key] if rewrite else []) + ([draft_work.key] if draft_work else []))
    if rewrite:
        written[key] = fingerprint
    # python-docx in a worker, beside the workbook, early in the queue: not the last thing the run waits for
    drafting = executor.submit(write_draft, draft_work, language) if executor and draft_work else None
    if executor is not None:
        shared += [executor.submit(feedback_batch, b, language) for b in batches[_FIRST_BATCHES:]]
    if rewrite:
        write_consolidated(result, workbook)
        save_report_text(text, report)
    if draft_work is not None and (drafting is None or drafting.cancel()):  # no worker began it
        write_draft(draft_work, language)
        drafting = None
    if shared:  # the workbook is written: this process writes the feedback files the workers have not begun
        take_back(shared, batches, lambda batch: feedback_batch(batch, language))
    futures: list[Future] = [*shared, *([drafting] if drafting is not None else [])]
    if futures:
        wait(futures)
        for future in futures:
            future.result()  # a worker's failure is this run's failure
    if not executor:
        feedback_batch(jobs, language)
    if draft_work is not None:
        written[draft_work.key] = draft_work.fingerprint
    if ledger is not None:
        ledger.record_outputs(written)
    _remove_stale(settings, result, feedback, ledger)
    return CollectOutput(result, workbook, report, feedback, data, text, report_doc=draft)


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
