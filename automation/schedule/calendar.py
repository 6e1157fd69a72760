"""The calendar of the month (SPEC §11, §15): what is due at a moment, as a pure function of the clock,
the settings, the register's days (submission, report to the province, days off) and what the ledger
recorded. ``loop.py`` runs what this says; tests walk it over years.

Five kinds of job:

- ``poll`` every POLL_MINUTES (fetch-mail when IMAP_HOST is set, then scan);
- ``templates`` on TEMPLATES_DAY at TEMPLATES_TIME: write the period's templates and mail each unit its own;
- ``remind`` at REMIND_TIME on each of the last REMIND_DAYS_BEFORE working days before the submission day
  (working days: Monday–Friday less the register's ``Ngày nghỉ``), for that month's period;
- ``collect`` on COLLECT_DAY (default the submission day; clamped to the month's length) at COLLECT_TIME
  for that month's period, and again at COLLECT_TIME on each of the LATE_RECOLLECT_DAYS following days
  (same period, also across a month end);
- ``ubnd``: the day before the register's ``Hạn báo cáo UBND (trước ngày)`` at REMIND_TIME, the
  coordinator's reminder to send the report to the province (skipped by the job when the period is closed).

Catch-up: of each kind, only the latest occurrence that fell due since the scheduler's first start in
the workspace is considered; it runs at once unless the ledger says it already ran. Older missed
occurrences are never replayed (no backlog), and nothing due before the first start ever is. A reminder
is useless once its deadline has passed, so a missed reminder expires then (the units' at the submission
deadline, the coordinator's at the report's). A job that failed (or never finished: the machine went
down) is retried with the next poll, so at most once per POLL_MINUTES.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache

from automation.domain.dates import Period
from automation.domain.workdays import working_days_before
from automation.settings import Settings

POLL, TEMPLATES, REMIND, COLLECT, UBND = "poll", "templates", "remind", "collect", "ubnd"
KINDS = (POLL, TEMPLATES, REMIND, COLLECT, UBND)  # the order jobs due at the same moment run in
OK, FAILED = "ok", "failed"
DEFAULT_SUBMIT_DAY = 16
DEFAULT_UBND_DAY = 18


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
    """The schedule's settings, resolved: the submission day comes from SUBMIT_BEFORE_DAY or the register,
    the report's day and the days off from the register."""

    timezone: dt.tzinfo
    poll: dt.timedelta
    submit_day: int
    remind_days_before: int
    remind_time: dt.time
    collect_day: int
    collect_time: dt.time
    late_recollect_days: int
    templates_day: int = 1
    templates_time: dt.time = dt.time(8, 0)
    ubnd_day: int = DEFAULT_UBND_DAY
    holidays: frozenset[dt.date] = frozenset()

    @classmethod
    def of(
        cls,
        settings: Settings,
        submit_day: int | None = None,
        *,
        ubnd_day: int | None = None,
        holidays: Iterable[dt.date] = (),
    ) -> Calendar:
        """``submit_day``: the register's ``Hạn nộp báo cáo (trước ngày)``; SUBMIT_BEFORE_DAY wins over it.
        ``ubnd_day``: its ``Hạn báo cáo UBND (trước ngày)``; ``holidays``: its ``Ngày nghỉ`` dates."""
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
            templates_day=settings.templates_day,
            templates_time=settings.templates_time,
            ubnd_day=ubnd_day or DEFAULT_UBND_DAY,
            holidays=frozenset(holidays),
        )

    def moment(self, day: dt.date, time: dt.time) -> dt.datetime:
        return dt.datetime.combine(day, time, tzinfo=self.timezone)

    def deadline(self, period: Period) -> dt.datetime:
        """00:00 of the submission day: a file is on time before it (as collect.submission_deadline)."""
        return self.moment(period.day(self.submit_day), dt.time(0, 0))

    def ubnd_deadline(self, period: Period) -> dt.datetime:
        """00:00 of the day the report to the province must be sent before."""
        return self.moment(period.day(self.ubnd_day), dt.time(0, 0))

    def templates_job(self, period: Period) -> Job:
        day = period.day(self.templates_day)
        return Job(TEMPLATES, f"{period}@{day}", self.moment(day, self.templates_time), period)

    def remind_days(self, period: Period) -> list[dt.date]:
        """The last REMIND_DAYS_BEFORE working days before the submission day, within the period's month."""
        first = period.day(1)
        return working_days_before(
            period.day(self.submit_day), self.remind_days_before, self.holidays, not_before=first
        )

    def remind_jobs(self, period: Period) -> list[Job]:
        return [
            Job(REMIND, f"{period}@{day}", self.moment(day, self.remind_time), period)
            for day in self.remind_days(period)
        ]

    def ubnd_job(self, period: Period) -> Job | None:
        """The coordinator's reminder, the day before the report's day (none when that is the 1st)."""
        if self.ubnd_day < 2:
            return None
        day = period.day(self.ubnd_day - 1)
        return Job(UBND, f"{period}@{day}", self.moment(day, self.remind_time), period)

    def expires(self, job: Job) -> dt.datetime | None:
        """When a missed occurrence stops being worth catching up (None: only a later one replaces it)."""
        assert job.period is not None
        if job.kind == REMIND:
            return self.deadline(job.period)
        if job.kind == UBND:
            return self.ubnd_deadline(job.period)
        return None

    def collect_jobs(self, period: Period) -> list[Job]:
        first = period.day(self.collect_day)
        jobs = []
        for n in range(self.late_recollect_days + 1):
            day = first + dt.timedelta(days=n)
            jobs.append(Job(COLLECT, f"{period}@{day}", self.moment(day, self.collect_time), period, n))
        return jobs

    def occurrences(self, period: Period) -> tuple[Job, ...]:
        """The period's templates, reminders, collects and the coordinator's reminder, in time order."""
        return _occurrences(self, period)


@lru_cache(maxsize=512)  # the loop asks every minute about the same three months
def _occurrences(cal: Calendar, period: Period) -> tuple[Job, ...]:
    ubnd = cal.ubnd_job(period)
    jobs = [
        cal.templates_job(period),
        *cal.remind_jobs(period),
        *cal.collect_jobs(period),
        *([ubnd] if ubnd else []),
    ]
    return tuple(sorted(jobs, key=lambda j: (j.at, KINDS.index(j.kind))))


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


def _unexpired(expires: dt.datetime | None, now: dt.datetime) -> bool:
    return expires is None or now < expires


def due(
    now: dt.datetime,
    settings: Settings,
    state: State,
    submit_day: int | None = None,
    *,
    ubnd_day: int | None = None,
    holidays: Iterable[dt.date] = (),
) -> list[Job]:
    """The jobs to run at ``now``, in the order to run them (poll, templates, remind, collect, ubnd)."""
    return due_on(now, Calendar.of(settings, submit_day, ubnd_day=ubnd_day, holidays=holidays), state)


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
    for kind in KINDS[1:]:
        fallen = [
            job
            for job in occurrences
            if job.kind == kind and first_start <= job.at <= now and _unexpired(cal.expires(job), now)
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


def upcoming(
    now: dt.datetime,
    settings: Settings,
    count: int,
    submit_day: int | None = None,
    *,
    ubnd_day: int | None = None,
    holidays: Iterable[dt.date] = (),
) -> list[Job]:
    """The next ``count`` jobs other than polls strictly after ``now``, in time order (for ``--plan``)."""
    return upcoming_on(now, Calendar.of(settings, submit_day, ubnd_day=ubnd_day, holidays=holidays), count)


def upcoming_on(now: dt.datetime, cal: Calendar, count: int) -> list[Job]:
    """``upcoming`` on a resolved calendar."""
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
