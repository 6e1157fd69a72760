"""`baocao schedule` (SPEC §11): the whole month unattended. The last stage of the month's flow.

The ``schedule`` package wakes the loop at every minute; each wake-up asks ``schedule_plan.due`` what is
due (a pure function of the clock, the settings and the ledger) and runs it: poll (fetch-mail when
IMAP_HOST is set, then scan), remind, collect (then the receipts and the results by mail). One instance
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
from typing import TextIO

import schedule

from automation.domain.dates import Period
from automation.errors import BaocaoError
from automation.i18n.messages import t
from automation.schedule.calendar import (
    COLLECT,
    FAILED,
    OK,
    POLL,
    REMIND,
    Attempt,
    Calendar,
    Job,
    State,
    due_on,
    upcoming,
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


def run_poll(settings: Settings, now: dt.datetime) -> str:
    """Fetch the mailbox (when configured), then scan the inbox; a mail failure still lets the scan run."""
    from automation.run.month import poll

    polled = poll(settings, now)
    mail = ""
    if polled.fetched is not None:
        fetched = polled.fetched.result
        mail = t("schedule.result.mail", messages=fetched.messages, files=len(fetched.saved))
    return mail + t("schedule.result.poll", new=polled.scanned.new, total=polled.scanned.total)


def run_remind(settings: Settings, period: Period, now: dt.datetime) -> str:
    """Remind the units with nothing accepted for ``period`` as of ``now``."""
    from automation.run.month import remind

    reminded = remind(settings, period, now, now)
    if not reminded.due:
        return t("schedule.result.remind_none")
    units = ", ".join(status.unit.code for status in reminded.due)
    text = t("schedule.result.remind", count=len(reminded.due), units=units)
    if reminded.without_address:
        text += "; " + t("mail.remind.no_address", units=", ".join(u.code for u in reminded.without_address))
    return text + "; " + _sent_text(reminded.sent)


def run_collect(settings: Settings, period: Period, now: dt.datetime) -> str:
    """Collect ``period`` as of ``now``, then mail the receipts and the results."""
    from automation.run.month import collect_and_mail
    from automation.state.periods import PeriodClosed

    try:
        done = collect_and_mail(settings, period, now, now)
    except PeriodClosed as closed:  # published and frozen: nothing to do, and nothing to retry
        return closed.message
    counts = {state: 0 for state in ("on_time", "late", "missing", "invalid")}
    for status in done.output.result.units:
        counts[status.submission] = counts.get(status.submission, 0) + 1
    workbook = done.output.workbook
    return t("schedule.result.collect", workbook=workbook, **counts) + "; " + _sent_text(done.sent)


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
    return t(f"schedule.job.{job.kind}", period=period)


def calendar_line(job: Job) -> str:
    """``16/05/2025 08:00 (thứ Sáu) — tổng hợp kỳ 05/2025``."""
    return t(
        "schedule.plan.line",
        when=_when(job.at),
        weekday=t(f"schedule.weekday.{job.at.weekday()}"),
        job=describe(job),
    )


def submit_day(settings: Settings) -> tuple[int | None, str | None]:
    """The register's submission day (None when SUBMIT_BEFORE_DAY is set) and why it could not be read."""
    if settings.submit_before_day:
        return None, None
    from automation.run.plan_tasks import check_plan

    try:
        return check_plan(settings).reading.plan.submit_before_day, None
    except BaocaoError as exc:
        return None, exc.message


def _read_state(settings: Settings) -> State:
    path = settings.state_dir / LEDGER_NAME
    if not path.is_file():
        return State()
    with Ledger(path) as ledger:
        return State.of(ledger.schedule_first_start(), (Attempt(*row) for row in ledger.schedule_attempts()))


def plan_lines(settings: Settings, now: dt.datetime, count: int = PLAN_COUNT) -> list[str]:
    """What ``baocao schedule --plan`` prints: the poll, what would run at once, the next runs."""
    day, problem = submit_day(settings)
    cal = Calendar.of(settings, day)
    state = _read_state(settings)
    lines = [t("schedule.plan.title", timezone=settings.timezone.key, now=_when(now))]
    if problem:
        lines.append(t("schedule.submit_day_fallback", reason=problem, day=cal.submit_day))
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
    lines += ["  " + calendar_line(job) for job in upcoming(now, settings, count, day)]
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
        self._submit_day: int | None = None

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
        self.log.info(
            t(
                "schedule.calendar",
                minutes=self.settings.poll_minutes,
                remind=cal.remind_job(Period.containing(now.date())).at.day,
                remind_time=f"{cal.remind_time:%H:%M}",
                collect=cal.collect_day,
                collect_time=f"{cal.collect_time:%H:%M}",
                recollect=cal.late_recollect_days,
            )
        )

    def _calendar(self) -> Calendar:
        """The calendar, re-reading the register's submission day only when the register changed."""
        if not self.settings.submit_before_day:
            try:
                stat = self.settings.register_path.stat()
                stamp: object = (stat.st_size, stat.st_mtime_ns)
            except OSError:
                stamp = None
            if stamp != self._register_stamp:
                self._register_stamp = stamp
                self._submit_day, problem = submit_day(self.settings)
                if problem:
                    cal = Calendar.of(self.settings, None)
                    self.log.warning(t("schedule.submit_day_fallback", reason=problem, day=cal.submit_day))
        return Calendar.of(self.settings, self._submit_day)

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
            jobs = due_on(self.clock(), self._calendar(), _read_state(self.settings))
        except Exception as exc:  # the ledger unreadable for a moment: try again at the next tick
            self.log.error(t("schedule.tick_failed", reason=_reason(exc)))
            return
        for job in jobs:
            if self.stopping:
                return
            self.run_job(job)

    def run_job(self, job: Job) -> bool:
        """Run one job, recording and logging its start, end and result. Never raises a job's failure."""
        settings, started = self.settings, self.clock()
        bug: Exception | None = None
        what = describe(job)
        if job.kind != POLL:
            late = started - job.at > dt.timedelta(minutes=2)
            key = (
                "schedule.job.retry"
                if job.retry
                else "schedule.job.catch_up"
                if late
                else "schedule.job.on_time"
            )
            what = t(key, job=what, due=_when(job.at))
        with Ledger(settings.state_dir / LEDGER_NAME) as ledger:
            job_id = ledger.start_job(job.kind, job.key, str(job.period or "") or None, job.at, started)
        self.log.info(t("schedule.job.start", job=what))
        try:
            if job.kind == POLL:
                detail = run_poll(settings, started)
            elif job.kind == REMIND:
                detail = run_remind(settings, job.period, started)  # type: ignore[arg-type]
            else:
                detail = run_collect(settings, job.period, started)  # type: ignore[arg-type]
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


def _last_poll(settings: Settings) -> dt.datetime | None:
    attempt = _read_state(settings).latest.get((POLL, POLL))
    return attempt.started_at if attempt else None


def _reason(exc: BaseException) -> str:
    if isinstance(exc, BaocaoError):
        return exc.message
    return f"{type(exc).__name__}: {exc}"
