"""`baocao schedule` (SPEC §11): the whole month unattended. The last stage of the month's flow.

The ``schedule`` package wakes the loop at every minute; each wake-up asks ``calendar.due_on`` what is
due (a pure function of the clock, the settings, the register's days and the ledger) and runs it: poll
(fetch-mail when IMAP_HOST is set, then scan, then the period's template to a unit that has not had it),
templates, remind, collect (then the receipts, the results and, after the deadline, the coordinator's
digest by mail), the coordinator's reminder before the report to the province is due. One instance
per workspace (the ``schedule`` lock); every job's start, end and result goes to the ledger, to
``.baocao/baocao.log`` (rotated) and to the console; a failing job is logged and retried at the next
poll, never the end of the loop. SIGTERM or Ctrl-C stops it between two jobs.
"""

from __future__ import annotations

import datetime as dt
import logging
import logging.handlers
import os
import signal
import socket
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from typing import TextIO

import schedule

from automation.domain.dates import Period
from automation.errors import BaocaoError
from automation.i18n.messages import t, tn
from automation.schedule.calendar import (
    COLLECT,
    FAILED,
    OK,
    POLL,
    REMIND,
    TEMPLATES,
    UBND,
    Attempt,
    Calendar,
    Job,
    State,
    due_on,
    upcoming_on,
)
from automation.settings import Settings
from automation.state.ledger import LEDGER_NAME, Ledger
from automation.state.lock import workspace_lock

LOG_NAME = "baocao.log"
LOG_BYTES = 1024 * 1024
LOG_BACKUPS = 5
PLAN_COUNT = 12

Clock = Callable[[], dt.datetime]


# --- the jobs: each calls the library and returns a one-line result ----------------------------------


def run_poll(settings: Settings, now: dt.datetime, templates_for: Period | None = None) -> str:
    """Fetch the mailbox (when configured), then scan the inbox; a mail failure still lets the scan run.
    ``templates_for``: the period whose templates went out: a unit added to the register since gets its own."""
    from automation.run.month import poll
    from automation.run.plan_tasks import send_templates

    polled = poll(settings, now)
    mail = ""
    if polled.fetched is not None:
        fetched = polled.fetched.result
        mail = t("schedule.result.mail", messages=fetched.messages, files=len(fetched.saved))
    text = mail + t("schedule.result.poll", new=polled.scanned.new, total=polled.scanned.total)
    answered = polled.acknowledged
    if answered is not None and answered.files:
        count = len(answered.files)
        text += "; " + tn("scan.acknowledged", "scan.acknowledged.plural", count, count=count)
    if answered is not None and answered.register_error:
        text += "; " + t("scan.not_judged", problem=answered.register_error)
    if templates_for is not None and settings.smtp_host:
        sent = send_templates(settings, templates_for, now, new_only=True)
        if sent.sent is not None and sent.sent.sent:
            units = ", ".join(item.unit for item in sent.sent.sent)
            text += "; " + t("schedule.result.templates_new", period=templates_for.label, units=units)
    return text


def run_templates(settings: Settings, period: Period, now: dt.datetime) -> str:
    """Write ``period``'s templates and mail each unit its own (once per unit and period)."""
    from automation.run.plan_tasks import send_templates

    done = send_templates(settings, period, now)
    text = t("schedule.result.templates", count=len(done.paths), folder=done.folder)
    if done.without_address:
        text += "; " + t("mail.remind.no_address", units=", ".join(u.code for u in done.without_address))
    return text + "; " + _sent_text(done.sent)


def run_remind(settings: Settings, period: Period, now: dt.datetime) -> str:
    """Remind the units with nothing accepted for ``period`` as of ``now``."""
    from automation.run.month import remind

    reminded = remind(settings, period, now, now)
    if not reminded.due:
        return t("schedule.result.remind_none")
    units = ", ".join(status.unit.code for status in reminded.due)
    count = len(reminded.due)
    text = tn("schedule.result.remind", "schedule.result.remind.plural", count, count=count, units=units)
    if reminded.without_address:
        text += "; " + t("mail.remind.no_address", units=", ".join(u.code for u in reminded.without_address))
    return text + "; " + _sent_text(reminded.sent)


def run_collect(settings: Settings, period: Period, now: dt.datetime, digest: str | None = None) -> str:
    """Collect ``period`` as of ``now``, then mail the receipts and the results; ``digest`` (a re-collect's
    key): also mail the coordinator the units still missing or invalid, once per re-collect."""
    from automation.run.month import collect_and_mail, mail_digest
    from automation.state.periods import PeriodClosed

    try:
        done = collect_and_mail(settings, period, now, now)
    except PeriodClosed as closed:  # published and frozen: nothing to do, and nothing to retry
        return closed.message
    digest_text = ""
    if digest is not None:
        digested = mail_digest(settings, done.output.result, digest, now)
        if digested.due:
            units = ", ".join(status.unit.code for status in digested.due)
            digest_text = "; " + t("schedule.result.digest", units=units)
            digest_text += "; " + _sent_text(digested.sent) if digested.to else ""
    counts = {state: 0 for state in ("on_time", "late", "missing", "invalid")}
    for status in done.output.result.units:
        counts[status.submission] = counts.get(status.submission, 0) + 1
    workbook = done.output.workbook
    text = t("schedule.result.collect", workbook=workbook, **counts) + "; " + _sent_text(done.sent)
    if done.rolled is not None:  # ROLLUP_AFTER_COLLECT (SPEC §16)
        text += "; " + "; ".join(done.rolled.lines())
    if done.rollup_failed:
        text += "; " + t("rollup.failed", reason=done.rollup_failed)
    return text + digest_text


def run_ubnd(settings: Settings, period: Period, now: dt.datetime) -> str:
    """Remind the coordinator, the day before the report to the province is due, unless ``period`` is
    closed; the report draft attached."""
    from automation.run.month import remind_coordinator

    reminded = remind_coordinator(settings, period, now)
    if reminded.closed:
        return t("schedule.result.ubnd_closed", period=period.label)
    if not reminded.to:
        return t("schedule.result.ubnd_no_coordinator")
    draft = reminded.draft.name if reminded.draft else t("schedule.result.ubnd_no_draft")
    return t("schedule.result.ubnd", to=reminded.to, draft=draft) + "; " + _sent_text(reminded.sent)


def _sent_text(sent) -> str:
    if sent is None:
        return t("schedule.result.no_smtp")
    text = t("schedule.result.sent", sent=len(sent.sent), already=sent.already)
    if sent.refused:
        text += "; " + t("schedule.result.refused", to=", ".join(item.to for item in sent.refused))
    return text


# --- describing the calendar ----------------------------------------------------------------------


def _when(moment: dt.datetime) -> str:
    return f"{moment:%d/%m/%Y %H:%M}"


def describe(job: Job) -> str:
    """``tổng hợp kỳ 05/2025``: what a job does, in the reader's language."""
    if job.kind == POLL:
        return t("schedule.job.poll")
    period = job.period.label if job.period else ""
    if job.kind == COLLECT and job.recollect:
        return t("schedule.job.recollect", period=period, n=job.recollect)
    if job.kind == REMIND:
        return t("schedule.job.remind", period=period)
    if job.kind == TEMPLATES:
        return t("schedule.job.templates", period=period)
    if job.kind == UBND:
        return t("schedule.job.ubnd", period=period)
    return t("schedule.job.collect", period=period)


def _weekday(moment: dt.datetime) -> str:
    return (
        t("schedule.weekday.0"),
        t("schedule.weekday.1"),
        t("schedule.weekday.2"),
        t("schedule.weekday.3"),
        t("schedule.weekday.4"),
        t("schedule.weekday.5"),
        t("schedule.weekday.6"),
    )[moment.weekday()]


def calendar_line(job: Job) -> str:
    """``16/05/2025 08:00 (thứ Sáu) — tổng hợp kỳ 05/2025``."""
    return t(
        "schedule.plan.line",
        when=_when(job.at),
        weekday=_weekday(job.at),
        job=describe(job),
    )


@dataclass(frozen=True)
class RegisterDays:
    """What the calendar takes from the register: the submission day, the report's day, the days off;
    ``problem`` says why the register could not be read (then the defaults stand)."""

    submit_day: int | None = None
    ubnd_day: int | None = None
    holidays: tuple[dt.date, ...] = ()
    problem: str | None = None

    def calendar(self, settings: Settings) -> Calendar:
        return Calendar.of(settings, self.submit_day, ubnd_day=self.ubnd_day, holidays=self.holidays)


def register_days(settings: Settings) -> RegisterDays:
    """The register's days for the calendar (SUBMIT_BEFORE_DAY, when set, wins over its submission day)."""
    from automation.run.plan_tasks import check_plan

    try:
        plan = check_plan(settings).reading.plan
    except BaocaoError as exc:
        return RegisterDays(problem=exc.message)
    return RegisterDays(plan.submit_before_day, plan.ubnd_before_day, tuple(day for day, _ in plan.holidays))


def _read_state(settings: Settings) -> State:
    path = settings.state_dir / LEDGER_NAME
    if not path.is_file():
        return State()
    with Ledger(path) as ledger:
        return State.of(ledger.schedule_first_start(), (Attempt(*row) for row in ledger.schedule_attempts()))


def plan_lines(settings: Settings, now: dt.datetime, count: int = PLAN_COUNT) -> list[str]:
    """What ``baocao schedule --plan`` prints: the poll, what would run at once, the next runs."""
    days = register_days(settings)
    cal = days.calendar(settings)
    state = _read_state(settings)
    lines = [t("schedule.plan.title", timezone=settings.timezone.key, now=_when(now))]
    if days.problem:
        lines.append(t("schedule.submit_day_fallback", reason=days.problem, day=cal.submit_day))
    period = Period.containing(now.astimezone(cal.timezone).date())
    lines.append(
        t(
            "schedule.plan.workdays",
            period=period.label,
            days=", ".join(f"{day:%d/%m}" for day in cal.remind_days(period)) or "—",
            holidays=len(days.holidays),
        )
    )
    if state.first_start is None:
        lines.append(t("schedule.plan.not_started"))
    else:
        lines.append(t("schedule.plan.first_start", when=_when(state.first_start.astimezone(cal.timezone))))
    what = (
        t("schedule.plan.poll_mail", host=settings.imap_host, inbox=settings.inbox_dir)
        if settings.imap_host
        else t("schedule.plan.poll_folder", inbox=settings.inbox_dir)
    )
    lines.append(t("schedule.plan.poll", minutes=settings.poll_minutes, what=what))
    lines.append(
        t("schedule.plan.mail_out", host=settings.smtp_host)
        if settings.smtp_host
        else t("schedule.plan.no_smtp")
    )
    if state.first_start is not None:
        for job in due_on(now, cal, state):
            if job.kind != POLL:
                lines.append(t("schedule.plan.due_now", job=calendar_line(job)))
    lines.append(t("schedule.plan.next", count=count))
    lines += ["  " + calendar_line(job) for job in upcoming_on(now, cal, count)]
    return lines


# --- the loop ---------------------------------------------------------------------------------------


class _Formatter(logging.Formatter):
    """Log times in TIMEZONE (the office's clock), whatever the machine's zone."""

    def __init__(self, timezone: dt.tzinfo) -> None:
        super().__init__("%(asctime)s %(levelname)s %(message)s")
        self.timezone = timezone

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return dt.datetime.fromtimestamp(record.created, self.timezone).strftime("%Y-%m-%d %H:%M:%S")


def _logger(settings: Settings, console: TextIO | None) -> logging.Logger:
    logger = logging.getLogger(f"baocao.schedule.{settings.workspace}")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    handlers: list[logging.Handler] = [
        logging.handlers.RotatingFileHandler(
            settings.state_dir / LOG_NAME, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
        )
    ]
    if console is not None:
        handlers.append(logging.StreamHandler(console))
    for handler in handlers:
        handler.setFormatter(_Formatter(settings.timezone))
        logger.addHandler(handler)
    return logger


def _close(logger: logging.Logger) -> None:
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()


def _stop_signals() -> list[signal.Signals]:
    names = ("SIGINT", "SIGTERM", "SIGBREAK")  # SIGBREAK: Ctrl-Break on Windows
    return [getattr(signal, name) for name in names if hasattr(signal, name)]


class Scheduler:
    """The loop of one workspace. ``run`` holds the schedule lock until stopped; ``tick`` runs what is due."""

    def __init__(self, settings: Settings, console: TextIO | None = None, clock: Clock | None = None) -> None:
        self.settings = settings
        self.console = console
        self.clock = clock or (lambda: dt.datetime.now(settings.timezone).replace(microsecond=0))
        self.stopping = False
        self.log = logging.getLogger("baocao.schedule")
        self._register_stamp: object = self  # nothing read yet
        self._days = RegisterDays()

    def run(self) -> int:
        """Run until SIGTERM or Ctrl-C (exit status 0). A second instance fails at once naming the holder."""
        with workspace_lock(self.settings, "schedule", timeout=0):
            self.log = _logger(self.settings, self.console)
            previous = {sig: signal.signal(sig, self._on_signal) for sig in _stop_signals()}
            try:
                self._start()
                loop = schedule.Scheduler()
                loop.every().minute.at(":00").do(self.tick)
                self.tick()  # at once: the first poll and whatever fell due while it was not running
                while not self.stopping:
                    loop.run_pending()
                    if not self.stopping:
                        # short sleeps: a signal is seen within a second, a faked clock is followed
                        time.sleep(min(1.0, max(0.05, loop.idle_seconds or 1.0)))
                self.log.info(t("schedule.stopped"))
            finally:
                for sig, handler in previous.items():
                    with suppress(ValueError, OSError, TypeError):
                        signal.signal(sig, handler)
                _close(self.log)
        return 0

    def _on_signal(self, signum: int, frame: object) -> None:
        if self.stopping:  # asked twice: stop now, even inside a job
            raise KeyboardInterrupt
        self.stopping = True
        self.log.info(t("schedule.stopping", signal=signal.Signals(signum).name))

    def _start(self) -> None:
        now = self.clock()
        holder = f"pid {os.getpid()} @ {socket.gethostname()}"
        with Ledger(self.settings.state_dir / LEDGER_NAME) as ledger:
            first = ledger.schedule_first_start()
            ledger.record_schedule_start(now, holder)
        log_path = self.settings.state_dir / LOG_NAME
        self.log.info(t("schedule.started", workspace=self.settings.workspace, pid=os.getpid(), log=log_path))
        if first is None:
            self.log.info(t("schedule.first_start"))
        cal = self._calendar()
        period = Period.containing(now.astimezone(cal.timezone).date())
        self.log.info(
            t(
                "schedule.calendar.workdays",
                minutes=self.settings.poll_minutes,
                templates=cal.templates_day,
                templates_time=f"{cal.templates_time:%H:%M}",
                period=period.label,
                remind=", ".join(f"{day:%d/%m}" for day in cal.remind_days(period)) or "—",
                remind_time=f"{cal.remind_time:%H:%M}",
                collect=cal.collect_day,
                collect_time=f"{cal.collect_time:%H:%M}",
                recollect=cal.late_recollect_days,
                ubnd=max(1, cal.ubnd_day - 1),
            )
        )

    def _calendar(self) -> Calendar:
        """The calendar, re-reading the register's days only when the register changed."""
        try:
            stat = self.settings.register_path.stat()
            stamp: object = (stat.st_size, stat.st_mtime_ns)
        except OSError:
            stamp = None
        if stamp != self._register_stamp:
            self._register_stamp = stamp
            self._days = register_days(self.settings)
            if self._days.problem:
                cal = Calendar.of(self.settings, None)
                self.log.warning(
                    t("schedule.submit_day_fallback", reason=self._days.problem, day=cal.submit_day)
                )
        return self._days.calendar(self.settings)

    def _next_poll(self, after: dt.datetime) -> dt.datetime:
        """When the next poll (and so the retry of a failed job) is due."""
        poll = dt.timedelta(minutes=self.settings.poll_minutes)
        try:
            last = _last_poll(self.settings)
        except Exception:
            last = None
        return max(after, last + poll) if last else after

    def tick(self) -> None:
        """Run every job due now, one after the other, stopping between two jobs when asked to."""
        try:
            cal, state = self._calendar(), _read_state(self.settings)
            jobs = due_on(self.clock(), cal, state)
        except Exception as exc:  # the ledger unreadable for a moment: try again at the next tick
            self.log.error(t("schedule.tick_failed", reason=_reason(exc)))
            return
        for job in jobs:
            if self.stopping:
                return
            self.run_job(job, _templates_sent(cal, state, job.at) if job.kind == POLL else None)

    def run_job(self, job: Job, templates_for: Period | None = None) -> bool:
        """Run one job, recording and logging its start, end and result. Never raises a job's failure.
        ``templates_for`` (a poll): the period whose templates went out, for units added since."""
        settings, started = self.settings, self.clock()
        bug: Exception | None = None
        what = describe(job)
        if job.kind != POLL:
            late = started - job.at > dt.timedelta(minutes=2)
            if job.retry:
                what = t("schedule.job.retry", job=what, due=_when(job.at))
            elif late:
                what = t("schedule.job.catch_up", job=what, due=_when(job.at))
            else:
                what = t("schedule.job.on_time", job=what, due=_when(job.at))
        with Ledger(settings.state_dir / LEDGER_NAME) as ledger:
            job_id = ledger.start_job(job.kind, job.key, str(job.period or "") or None, job.at, started)
        self.log.info(t("schedule.job.start", job=what))
        try:
            if job.kind == POLL:
                detail = run_poll(settings, started, templates_for)
            elif job.kind == TEMPLATES:
                detail = run_templates(settings, job.period, started)  # type: ignore[arg-type]
            elif job.kind == REMIND:
                detail = run_remind(settings, job.period, started)  # type: ignore[arg-type]
            elif job.kind == UBND:
                detail = run_ubnd(settings, job.period, started)  # type: ignore[arg-type]
            else:
                digest = job.key if job.recollect else None  # after the deadline: who is still missing
                detail = run_collect(settings, job.period, started, digest)  # type: ignore[arg-type]
            result = OK
        except KeyboardInterrupt:
            raise
        except Exception as exc:  # a failing job is logged and retried, never the loop's end
            detail, result = _reason(exc), FAILED
            bug = None if isinstance(exc, BaocaoError) else exc  # the program's own bug: keep its traceback
        finished = self.clock()
        with Ledger(settings.state_dir / LEDGER_NAME) as ledger:
            ledger.finish_job(job_id, finished, result, detail)
        seconds = max(0, round((finished - started).total_seconds()))
        if result == OK:
            self.log.info(t("schedule.job.done", job=what, result=detail, seconds=seconds))
        else:
            retry = _when(self._next_poll(finished))
            self.log.error(t("schedule.job.failed", job=what, reason=detail, retry=retry), exc_info=bug)
        return result == OK


def _templates_sent(cal: Calendar, state: State, now: dt.datetime) -> Period | None:
    """The current period when its templates job has run well: a poll then mails a unit added since."""
    period = Period.containing(now.astimezone(cal.timezone).date())
    job = cal.templates_job(period)
    attempt = state.latest.get((TEMPLATES, job.key))
    return period if attempt is not None and attempt.result == OK else None


def _last_poll(settings: Settings) -> dt.datetime | None:
    attempt = _read_state(settings).latest.get((POLL, POLL))
    return attempt.started_at if attempt else None


def _reason(exc: BaseException) -> str:
    if isinstance(exc, BaocaoError):
        return exc.message
    return f"{type(exc).__name__}: {exc}"
