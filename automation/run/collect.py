"""Collect (SPEC §6): the monthly job. Intake → read (every core) → identify → validate → decide each
file's outcome → evaluate every task → write the workbook, feedback and run report → record the run.

Deterministic: the same inbox, ledger and ``as_of`` give the same verdicts and output contents.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable

from automation.check.evaluate import evaluate_plan, evaluation_date
from automation.domain.dates import Period
from automation.domain.model import (
    CollectOutput,
    Evaluation,
    FileRecord,
    Plan,
    RunResult,
    Task,
    TaskReport,
    Unit,
    UnitStatus,
)
from automation.intake.folder import Incoming, check_inbox, intake
from automation.run.early import EarlyJudge
from automation.run.outputs import write_outputs
from automation.run.verdicts import (
    decide,
    judge_items,
    reader_limits,
    submission_deadline,
    unit_statuses,
    worker_pool,
)
from automation.run.workers import WorkerPool
from automation.settings import Settings
from automation.state.files import TMP_SUFFIX
from automation.state.ledger import LEDGER_NAME, Ledger
from automation.state.lock import workspace_lock
from automation.state.periods import guard_open, register_changes, register_snapshot

__all__ = ["collect", "previous_result", "reader_limits", "submission_deadline"]

Progress = Callable[[str, int, int], None]


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
        pool = worker_pool(settings, plan, ledger)
        try:
            run_id = None if dry_run else ledger.start_run(str(period), as_of, now)
            early = EarlyJudge(pool, plan, settings) if pool is not None else None
            intaken = intake(settings, ledger, now, seen_by="collect", on_read=early.add if early else None)
            items = intaken.items
            if progress:
                progress("intake", len(items), len(items))
            judged = early.results() if early else None
            result = _judge(settings, plan, period, as_of, items, ledger, progress, dry_run, pool, judged)
            result.warnings = intaken.warnings
            snapshot = register_snapshot(plan)
            result.register_changes = register_changes(ledger.last_register(str(period)), snapshot)
            output = CollectOutput(result)
            if run_id is not None:  # not a dry run
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
    early: dict[str, tuple[str, FileRecord, bool]] | None = None,
) -> RunResult:
    period_text = str(period)
    deadline = submission_deadline(settings, plan, period)
    records = judge_items(settings, plan, as_of, items, ledger, progress, pool, early)
    chosen = decide(records, period_text)
    if not dry_run:
        for (unit_code, report_period), files in sorted(chosen.items()):
            if report_period <= period_text:
                ledger.replace_reports(report_period, unit_code, files[-1].reports, files[-1].sha256 or "")
        for unit in plan.units:  # nothing in use as of this run: no rows for the period (an earlier as-of)
            if (unit.code, period_text) not in chosen:
                ledger.replace_reports(period_text, unit.code, [], "")
    units = unit_statuses(plan, records, chosen, period_text, deadline)
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
    earlier = ledger.reports_before(period_text)
    before = next((r for r in earlier if r.get("period") == str(period.previous())), None)
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
        previous=previous_result(before, plan),
        history=earlier,
    )


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
