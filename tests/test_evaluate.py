"""Evaluation (SPEC §6): the first rule that applies, and the four flags."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from automation.check.evaluate import evaluate_plan, evaluate_task, evaluation_date
from automation.domain.dates import Period
from automation.domain.model import Task, TaskReport
from automation.plan.default_plan import default_plan

D = dt.date
MAY = Period(2025, 5)
ON = D(2025, 5, 16)
TZ = dt.timezone(dt.timedelta(hours=7))

ONE_OFF = Task("3.1", "3.", "Tái cấu trúc", "VP", deadline=D(2025, 6, 30))
DUE_IN_MARCH = Task("1.1", "1.", "Phát động", "TDKT", deadline=D(2025, 3, 31))
PURELY_RECURRING = Task("1.2", "1.", "Rà soát", "TDKT", recurring=True)
RECURRING_WITH_DEADLINE = Task("2.2", "2.", "Quy trình", "VP", deadline=D(2025, 5, 31), recurring=True)


def report(
    status: str,
    period: str = "2025-05",
    completed: D | None = None,
    progress: int | None = None,
    received: dt.datetime | None = None,
) -> TaskReport:
    return TaskReport(
        period=period,
        unit="VP",
        task="x",
        role="lead",
        status=status,
        completed_on=completed,
        progress=progress,
        received_at=received or dt.datetime(2025, 5, 14, 9, tzinfo=TZ),
    )


def judge(task: Task, current: TaskReport | None, earlier: list[TaskReport] | None = None, on: D = ON):
    result = evaluate_task(task, current, earlier or [], MAY, on)
    return result.evaluation, set(result.flags)


@pytest.mark.parametrize(
    ("task", "current", "earlier", "expected"),
    [
        # rule 1: completed, on time or late
        (ONE_OFF, report("done", completed=D(2025, 5, 10)), [], ("completed_on_time", set())),
        (DUE_IN_MARCH, report("done", completed=D(2025, 4, 2)), [], ("completed_late", {"late"})),
        (DUE_IN_MARCH, report("done", completed=D(2025, 3, 31)), [], ("completed_on_time", set())),
        # rule 1 with no completion date: the received day stands in for it
        (DUE_IN_MARCH, report("done"), [], ("completed_late", {"late"})),
        # rule 2: no report this period
        (ONE_OFF, None, [], ("not_reported", {"missing", "due_soon"})),
        (DUE_IN_MARCH, None, [], ("not_reported", {"missing", "late"})),
        # rule 3: deadline before the evaluation date
        (DUE_IN_MARCH, report("in_progress", progress=80), [], ("overdue", {"late"})),
        (DUE_IN_MARCH, report("not_started"), [], ("overdue", {"late"})),
        # rule 4: purely recurring
        (PURELY_RECURRING, report("in_progress"), [], ("recurring", set())),
        (PURELY_RECURRING, report("done", completed=D(2025, 5, 2)), [], ("recurring", set())),
        (PURELY_RECURRING, None, [], ("not_reported", {"missing"})),
        # rule 5: the reported status
        (ONE_OFF, report("in_progress", progress=40), [], ("in_progress", {"due_soon"})),
        (ONE_OFF, report("not_started"), [], ("not_started", {"due_soon"})),
        (
            Task("4.2", "4.", "Chính sách", "CCVC", deadline=D(2025, 9, 30)),
            report("not_started"),
            [],
            ("not_started", set()),
        ),
        # a recurring task with a deadline is judged by its deadline until done, and stays expected after
        (RECURRING_WITH_DEADLINE, report("in_progress"), [], ("in_progress", {"due_soon"})),
        (
            RECURRING_WITH_DEADLINE,
            None,
            [report("done", "2025-04", D(2025, 4, 20))],
            ("completed_on_time", {"missing"}),
        ),
        # carry-forward: completed in an earlier period and not reported now
        (DUE_IN_MARCH, None, [report("done", "2025-03", D(2025, 3, 20))], ("completed_on_time", set())),
        # earlier non-completed report does not count as this period's
        (ONE_OFF, None, [report("in_progress", "2025-04")], ("not_reported", {"missing", "due_soon"})),
        # regressed: completed earlier, reported not completed now
        (
            ONE_OFF,
            report("in_progress"),
            [report("done", "2025-04", D(2025, 4, 1))],
            ("in_progress", {"regressed", "due_soon"}),
        ),
    ],
)
def test_evaluation_rules(task, current, earlier, expected):
    assert judge(task, current, earlier) == expected


def test_deadline_on_the_evaluation_date_itself_is_not_overdue():
    task = Task("9.9", "9.", "x", "VP", deadline=ON)
    assert judge(task, report("in_progress")) == ("in_progress", {"due_soon"})
    assert judge(task, report("in_progress"), on=ON + dt.timedelta(days=1))[0] == "overdue"


def test_due_soon_covers_this_month_and_the_next_but_not_later():
    for deadline, soon in [(D(2025, 5, 31), True), (D(2025, 6, 30), True), (D(2025, 7, 1), False)]:
        task = Task("9.9", "9.", "x", "VP", deadline=deadline)
        assert ("due_soon" in judge(task, report("in_progress"))[1]) is soon


def test_the_latest_earlier_report_is_the_effective_one():
    earlier = [report("done", "2025-03", D(2025, 3, 20)), report("in_progress", "2025-04")]
    result = evaluate_task(DUE_IN_MARCH, None, earlier, MAY, ON)
    assert result.report.period == "2025-04"
    assert result.evaluation == "not_reported"


def test_evaluation_date_is_the_submission_day_of_the_period():
    assert evaluation_date(MAY, 16) == D(2025, 5, 16)
    assert evaluation_date(Period(2025, 2), 16) == D(2025, 2, 16)


def test_evaluate_plan_ignores_history_from_this_or_later_periods():
    plan = default_plan()
    future = TaskReport("2025-06", "TDKT", "1.1", "lead", "done", D(2025, 3, 1))
    results = evaluate_plan(plan, {}, {"1.1": [future]}, MAY, ON)
    by_code = {r.task.code: r for r in results}
    assert by_code["1.1"].evaluation == "not_reported"
    assert len(results) == 11


@given(
    status=st.sampled_from(["not_started", "in_progress", "done", None]),
    deadline=st.one_of(st.none(), st.dates(D(2024, 1, 1), D(2026, 12, 31))),
    recurring=st.booleans(),
    completed=st.one_of(st.none(), st.dates(D(2024, 1, 1), D(2026, 12, 31))),
)
def test_every_task_gets_exactly_one_evaluation_and_consistent_flags(status, deadline, recurring, completed):
    task = Task("1.1", "1.", "x", "VP", deadline=deadline, recurring=recurring or deadline is None)
    current = report(status, completed=completed) if status else None
    value, flags = judge(task, current)
    assert ("late" in flags) == (
        value in ("overdue", "completed_late")
        or (value == "not_reported" and deadline is not None and deadline < ON)
    )
    assert ("missing" in flags) <= (current is None)
    if value.startswith("completed"):
        assert "due_soon" not in flags
