"""Evaluate: the verdict on every task for one period (SPEC §6), as pure functions of the register,
this period's reports, the earlier periods' reports and the evaluation date.

Decisions where the SPEC is silent (also in docs/decisions.md):
- a ``Hoàn thành`` row without a completion date counts as completed on the day its file was received;
- ``due_soon`` is not raised for a deadline already passed (that task is ``late``, not "soon").

A task's ``deadline`` is the one in force: a deadline extension granted in the register (SPEC §15,
``Thời hạn điều chỉnh``) replaces the plan's, which stays in ``original_deadline`` for the outputs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from automation.domain.dates import Period
from automation.domain.model import Evaluation, EvaluationValue, Flag, Plan, Task, TaskReport


def evaluation_date(period: Period, submit_before_day: int) -> dt.date:
    """Day ``SUBMIT_BEFORE_DAY`` of the period's month: the date every task is judged at."""
    return period.day(submit_before_day)


def _latest(reports: Iterable[TaskReport]) -> TaskReport | None:
    ordered = sorted(
        reports, key=lambda r: (r.period, r.received_at or dt.datetime.min.replace(tzinfo=dt.UTC))
    )
    return ordered[-1] if ordered else None


def _completed_on(report: TaskReport) -> dt.date | None:
    if report.completed_on is not None:
        return report.completed_on
    return report.received_at.date() if report.received_at is not None else None


def evaluate_task(
    task: Task,
    current: TaskReport | None,
    earlier: Sequence[TaskReport],
    period: Period,
    on: dt.date,
) -> Evaluation:
    """Evaluate ``task`` for ``period`` as of ``on`` (the evaluation date).

    ``current`` is the lead unit's row of this period (None when there is none); ``earlier`` are the task's
    reports of earlier periods, from which the effective report is carried forward.
    """
    effective = current or _latest(earlier)
    done = effective is not None and effective.status == "done"
    purely_recurring = task.recurring and task.deadline is None
    deadline_passed = task.deadline is not None and task.deadline < on

    value: EvaluationValue
    if done and not purely_recurring and effective is not None:  # done implies a report; the test narrows
        finished = _completed_on(effective)
        on_time = task.deadline is None or (finished is not None and finished <= task.deadline)
        value = "completed_on_time" if on_time else "completed_late"
    elif current is None:
        value = "not_reported"
    elif deadline_passed:
        value = "overdue"
    elif task.deadline is None:
        value = "recurring"
    else:
        value = "in_progress" if current.status == "in_progress" else "not_started"

    flags: list[Flag] = []
    if value in ("overdue", "completed_late") or (value == "not_reported" and deadline_passed):
        flags.append("late")
    if current is None and (task.recurring or not done):
        flags.append("missing")
    if current is not None and current.status != "done" and any(r.status == "done" for r in earlier):
        flags.append("regressed")
    if (
        not done
        and task.deadline is not None
        and not deadline_passed
        and Period.containing(task.deadline) in (period, period.next())
    ):
        flags.append("due_soon")
    return Evaluation(
        task=task,
        evaluation=value,
        flags=tuple(flags),
        report=effective,
        reported_this_period=current is not None,
    )


def evaluate_plan(
    plan: Plan,
    current: Mapping[str, TaskReport],
    history: Mapping[str, Sequence[TaskReport]],
    period: Period,
    on: dt.date,
) -> list[Evaluation]:
    """Evaluate every task of ``plan``: ``current`` maps task code → this period's lead report,
    ``history`` maps task code → reports of earlier periods."""
    period_text = str(period)
    return [
        evaluate_task(
            task,
            current.get(task.code),
            [r for r in history.get(task.code, ()) if r.period < period_text],
            period,
            on,
        )
        for task in plan.tasks
    ]
