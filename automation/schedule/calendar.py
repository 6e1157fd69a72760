"""The calendar of the month (SPEC §11): what is due at a moment, as a pure function of the clock, the
settings and what the ledger recorded. ``scheduler.py`` runs what this says; tests walk it over years.

Three kinds of job:

- ``poll`` every POLL_MINUTES (fetch-mail when IMAP_HOST is set, then scan);
- ``remind`` on day (submission day − REMIND_DAYS_BEFORE) at REMIND_TIME, for that month's period;
- ``collect`` on COLLECT_DAY (default the submission day; clamped to the month's length) at COLLECT_TIME
  for that month's period, and again at COLLECT_TIME on each of the LATE_RECOLLECT_DAYS following days
  (same period, also across a month end).

Catch-up: of each kind, only the latest occurrence that fell due since the scheduler's first start in
the workspace is considered; it runs at once unless the ledger says it already ran. Older missed
occurrences are never replayed (no backlog), and nothing due before the first start ever is. A reminder
is useless once the submission deadline has passed, so a missed reminder expires then. A job that failed
(or never finished: the machine went down) is retried with the next poll, so at most once per POLL_MINUTES.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache

from automation.domain.dates import Period
from automation.settings import Settings

POLL, REMIND, COLLECT = "poll", "remind", "collect"
KINDS = (POLL, REMIND, COLLECT)  # the order jobs due at the same moment run in
OK, FAILED = "ok", "failed"
DEFAULT_SUBMIT_DAY = 16


@dataclass(frozen=True)
class Attempt:
    """One run of a job as the ledger recorded it; ``result`` None means it never finished."""

    kind: str
    key: str
    started_at: dt.datetime
    finished_at: dt.datetime | None = None
    result: str | None = None


@dataclass(frozen=True)
class State:
    """What the schedule depends on from the ledger: the scheduler's first start in this workspace and
    the latest attempt of each (kind, key)."""

    first_start: dt.datetime | None = None
    latest: Mapping[tuple[str, str], Attempt] = field(default_factory=dict)

    @classmethod
    def of(cls, first_start: dt.datetime | None, attempts: Iterable[Attempt]) -> State:
        """The state from attempts in the order they happened (a later one of a key wins)."""
        return cls(first_start, {(a.kind, a.key): a for a in attempts})


@dataclass(frozen=True)
class Job:
    """One occurrence of a job: ``at`` is when it fell due (for a poll: the moment asked about)."""

    kind: str
    key: str
    at: dt.datetime
    period: Period | None = None
    recollect: int = 0  # collect: 0 on the collect day, n on the n-th following day
    retry: bool = False


@dataclass(frozen=True)
class Calendar:
    """The schedule's settings, resolved: the submission day comes from SUBMIT_BEFORE_DAY or the register."""

    timezone: dt.tzinfo
    poll: dt.timedelta
    submit_day: int
    remind_days_before: int
    remind_time: dt.time
    collect_day: int
    collect_time: dt.time
    late_recollect_days: int

    @classmethod
    def of(cls, settings: Settings, submit_day: int | None = None) -> Calendar:
        """``submit_day``: the register's ``Hạn nộp báo cáo (trước ngày)``; SUBMIT_BEFORE_DAY wins over it."""
        day = settings.submit_before_day or submit_day or DEFAULT_SUBMIT_DAY
        return cls(
            timezone=settings.timezone,
            poll=dt.timedelta(minutes=settings.poll_minutes),
            submit_day=day,
            remind_days_before=settings.remind_days_before,
            remind_time=settings.remind_time,
            collect_day=settings.collect_day or day,
            collect_time=settings.collect_time,
            late_recollect_days=settings.late_recollect_days,
        )

    def moment(self, day: dt.date, time: dt.time) -> dt.datetime:
        return dt.datetime.combine(day, time, tzinfo=self.timezone)

    def deadline(self, period: Period) -> dt.datetime:
        """00:00 of the submission day: a file is on time before it (as collect.submission_deadline)."""
        return self.moment(period.day(self.submit_day), dt.time(0, 0))

    def remind_job(self, period: Period) -> Job:
        day = period.day(max(1, self.submit_day - self.remind_days_before))
        return Job(REMIND, f"{period}@{day}", self.moment(day, self.remind_time), period)

    def remind_expires(self, job: Job) -> dt.datetime:
        """A reminder helps until the deadline; one set on or after it (REMIND_DAYS_BEFORE 0) for its day."""
        deadline = self.deadline(job.period)  # type: ignore[arg-type]
        if job.at < deadline:
            return deadline
        return self.moment(job.at.date() + dt.timedelta(days=1), dt.time(0, 0))

    def collect_jobs(self, period: Period) -> list[Job]:
        first = period.day(self.collect_day)
        jobs = []
        for n in range(self.late_recollect_days + 1):
            day = first + dt.timedelta(days=n)
            jobs.append(Job(COLLECT, f"{period}@{day}", self.moment(day, self.collect_time), period, n))
        return jobs

    def occurrences(self, period: Period) -> tuple[Job, ...]:
        """The period's reminder and collects, in time order."""
        return _occurrences(self, period)


@lru_cache(maxsize=512)  # the loop asks every minute about the same three months
def _occurrences(cal: Calendar, period: Period) -> tuple[Job, ...]:
    return tuple(sorted([cal.remind_job(period), *cal.collect_jobs(period)], key=lambda j: (j.at, j.kind)))


def _periods(around: dt.date, before: int, after: int) -> list[Period]:
    period = Period.containing(around)
    for _ in range(before):
        period = period.previous()
    periods = []
    for _ in range(before + after + 1):
        periods.append(period)
        period = period.next()
    return periods


def _local(now: dt.datetime, cal: Calendar) -> dt.datetime:
    if now.tzinfo is None:
        raise ValueError("now must carry a time zone")
    return now.astimezone(cal.timezone)


def due(now: dt.datetime, settings: Settings, state: State, submit_day: int | None = None) -> list[Job]:
    """The jobs to run at ``now``, in the order to run them (poll, remind, collect)."""
    return due_on(now, Calendar.of(settings, submit_day), state)


def due_on(now: dt.datetime, cal: Calendar, state: State) -> list[Job]:
    """``due`` on a resolved calendar."""
    now = _local(now, cal)
    first_start = state.first_start or now
    jobs: list[Job] = []
    last_poll = state.latest.get((POLL, POLL))
    poll_due = last_poll is None or now >= last_poll.started_at + cal.poll
    if poll_due:
        jobs.append(Job(POLL, POLL, now))
    # a collect falls due at most day 31 + 27 re-collect days after its month starts: two months back
    occurrences = [job for period in _periods(now.date(), 2, 0) for job in cal.occurrences(period)]
    for kind in (REMIND, COLLECT):
        fallen = [
            job
            for job in occurrences
            if job.kind == kind
            and first_start <= job.at <= now
            and (kind != REMIND or now < cal.remind_expires(job))
        ]
        if not fallen:
            continue
        job = max(fallen, key=lambda j: j.at)
        last = state.latest.get((kind, job.key))
        if last is None:
            jobs.append(job)
        elif last.result != OK and poll_due:  # failed or cut short: again with the next poll
            jobs.append(replace(job, retry=True))
    return jobs


def upcoming(now: dt.datetime, settings: Settings, count: int, submit_day: int | None = None) -> list[Job]:
    """The next ``count`` reminders and collects strictly after ``now``, in time order (for ``--plan``)."""
    cal = Calendar.of(settings, submit_day)
    now = _local(now, cal)
    found: list[Job] = []
    months = 2
    while len(found) < count and months <= 240:
        found = sorted(
            (job for p in _periods(now.date(), 2, months) for job in cal.occurrences(p) if job.at > now),
            key=lambda j: (j.at, KINDS.index(j.kind)),
        )
        months *= 2
    return found[:count]
