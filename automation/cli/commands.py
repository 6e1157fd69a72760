"""The handlers of `baocao`'s commands: each loads the settings, calls one use case and renders its
result; failures are raised as ``BaocaoError`` for ``main`` to print as one line."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from automation.domain.dates import Period
from automation.errors import BaocaoError
from automation.i18n.messages import t, tn
from automation.settings import Settings
from automation.terminal import ProgressDisplay, print_status
from automation.write.labels import remind_state_label
from automation.write.text import change_lines, render_findings, summary_lines


def _settings(args: argparse.Namespace) -> Settings:
    settings = Settings.load(args.workspace or Path.cwd(), os.environ)
    for warning in settings.warnings:  # an unknown .env key, a line not understood: once, on stderr
        if warning not in _WARNED:
            _WARNED.add(warning)
            print(t("cli.warning", message=warning), file=sys.stderr, flush=True)
    return settings


_WARNED: set[str] = set()


def _now(settings: Settings) -> dt.datetime:
    return dt.datetime.now(settings.timezone).replace(microsecond=0)


def _print(text: str = "") -> None:
    print(text, flush=True)


def _cmd_init(args: argparse.Namespace) -> int:
    from automation.run.workspace import init_workspace

    result = init_workspace(args.dir or args.workspace or Path.cwd())
    _print(t("workspace.created", path=result.workspace))
    _print(
        t(
            "workspace.created_detail",
            register=result.register,
            master=result.master,
            env=result.env,
            inbox=result.inbox,
            outbox=result.outbox,
        )
    )
    count = len(result.holidays)
    years = "–".join(str(year) for year in (result.years[0], result.years[-1])) if result.years else ""
    _print(
        tn(
            "workspace.holidays",
            "workspace.holidays.plural",
            count,
            count=count,
            years=years,
            sheet="Ngày nghỉ",
            register=result.register,
        )
    )
    _print(t("workspace.next_steps"))
    return 0


def _cmd_plan_check(args: argparse.Namespace) -> int:
    from automation.run.plan_tasks import check_plan

    settings = _settings(args)
    checked = check_plan(settings, fix=args.fix)
    if checked.fixed is not None:
        path = settings.register_path
        fixed = checked.fixed
        _print(
            tn("plan.fixed", "plan.fixed.plural", fixed, count=fixed, path=path)
            if fixed
            else t("plan.nothing_to_fix")
        )
    check = checked.reading.check
    for line in render_findings(check.findings):
        _print(line)
    plan = checked.reading.plan
    if check.findings:
        errors, warnings = len(check.errors), len(check.warnings)
        _print(
            t(
                "plan.check_summary",
                errors=tn("count.error", "count.errors", errors, count=errors),
                warnings=tn("count.warning", "count.warnings", warnings, count=warnings),
            )
        )
    if check.errors:
        raise BaocaoError(t("plan.check_failed", errors=len(check.errors)))
    day = settings.submit_before_day or plan.submit_before_day
    _print(t("plan.check_ok", tasks=len(plan.tasks), units=len(plan.units), day=day))
    return 0


def _cmd_plan_import(args: argparse.Namespace) -> int:
    from automation.run.plan_tasks import import_plan

    for line in import_plan(_settings(args), args.file, args.out, args.force).lines():
        _print(line)
    return 0


def _cmd_ledger_rebuild(args: argparse.Namespace) -> int:
    from automation.run.rebuild import rebuild_ledger

    settings = _settings(args)
    for line in rebuild_ledger(settings, _now(settings), force=args.force).lines():
        _print(line)
    return 0


def _cmd_withdraw(args: argparse.Namespace) -> int:
    import unicodedata

    from automation.run.withdraw import withdraw

    settings = _settings(args)
    reason = unicodedata.normalize("NFC", args.reason) if args.reason else None
    for line in withdraw(settings, args.target, reason, _now(settings), undo=args.undo).lines():
        _print(line)
    return 0


def _cmd_templates(args: argparse.Namespace) -> int:
    from automation.run.plan_tasks import period_templates

    settings = _settings(args)
    now = _now(settings)
    period = args.period or Period.containing(now.date())
    if args.send:
        return _send_templates(settings, period, now)
    paths, folder = period_templates(settings, period, now, args.unit)
    for path in paths:
        _print(t("templates.written", path=path))
    count = len(paths)
    _print(
        tn(
            "templates.summary",
            "templates.summary.plural",
            count,
            count=count,
            period=period.label,
            folder=folder,
        )
    )
    return 0


def _send_templates(settings: Settings, period: Period, now: dt.datetime) -> int:
    """``templates --send``: what the scheduler does on TEMPLATES_DAY, by hand."""
    from automation.run.plan_tasks import send_templates

    done = send_templates(settings, period, now)
    count = len(done.paths)
    _print(
        tn(
            "templates.summary",
            "templates.summary.plural",
            count,
            count=count,
            period=period.label,
            folder=done.folder,
        )
    )
    if done.without_address:
        _print(t("mail.remind.no_address", units=", ".join(u.code for u in done.without_address)))
    if done.sent is None:  # the templates are written; only the mail could not go
        raise BaocaoError(t("templates.send_no_smtp"))
    return _report_sent(done.sent, count)


# Progress of long work on stderr: a rich bar on a terminal, a plain line every ~10% otherwise.
_progress = ProgressDisplay()


def _collect_inputs(args: argparse.Namespace):
    settings = _settings(args)
    now = _now(settings)
    as_of = args.as_of or now
    if as_of.tzinfo is None:
        as_of = as_of.replace(tzinfo=settings.timezone)
    period = args.period or Period.containing(as_of.astimezone(settings.timezone).date())
    return settings, now, as_of, period


def _cmd_collect(args: argparse.Namespace) -> int:
    from automation.run.month import collect_and_mail

    if args.reopen and not (args.reason or "").strip():
        raise BaocaoError(t("period.reopen_needs_reason"))
    settings, now, as_of, period = _collect_inputs(args)
    reopen = args.reason.strip() if args.reopen else None
    done = collect_and_mail(
        settings, period, as_of, now, dry_run=args.dry_run, progress=_progress, reopen=reopen
    )
    output = done.output
    if reopen:
        _print(t("period.reopened", period=period.label, reason=reopen))
    _warn(output.result.warnings)
    for line in summary_lines(output.result) + change_lines(output.result.register_changes):
        _print(line)
    if args.dry_run:
        _print(t("collect.dry_run"))
        return 0
    _print(
        t(
            "collect.outputs",
            workbook=output.workbook,
            report=output.report,
            feedback=len(output.feedback),
            folder=settings.period_dir(period) / "phan-hoi",
        )
    )
    if output.report_doc is not None:
        _print(t("report.written", path=output.report_doc))
    for line in done.rolled.lines() if done.rolled is not None else ():
        _print(line)
    if done.rollup_failed:
        _warn([t("rollup.failed", reason=done.rollup_failed)])
    return _report_sent(done.sent if done.to_send else None, done.to_send)


def _cmd_report(args: argparse.Namespace) -> int:
    from automation.run.report import report

    settings = _settings(args)
    period = args.period or Period.containing(_now(settings).date())
    drafted = report(settings, period, pdf=args.pdf)
    _warn(drafted.warnings)
    _print(t("report.written", path=drafted.docx))
    if drafted.pdf is not None:
        _print(t("report.written", path=drafted.pdf))
    return 0


def _cmd_rollup(args: argparse.Namespace) -> int:
    from automation.run.rollup import rollup

    settings = _settings(args)
    now = _now(settings)
    period = args.period or Period.containing(now.date())
    out = args.out.resolve() if args.out else None  # paths typed on the command line: from where it runs
    for line in rollup(settings, period, args.template.resolve(), now, out=out, send=args.send).lines():
        _print(line)
    return 0


def _warn(lines: Sequence[str]) -> None:
    for line in lines:
        print(line, file=sys.stderr, flush=True)


def _cmd_close(args: argparse.Namespace) -> int:
    from automation.run.month import close

    settings = _settings(args)
    now = _now(settings)
    period = args.period or Period.containing(now.date())
    closed = close(settings, period, now, (args.reason or "").strip() or None)
    if closed.already:
        _print(t("period.already_closed", period=period.label, at=f"{closed.at:%d/%m/%Y %H:%M}"))
    else:
        _print(t("period.closed_now", period=period.label))
    return 0


def _report_sent(sent, count: int) -> int:
    """Print what a mailing did; 0, or 1 when nothing could be sent because SMTP is not configured."""
    if sent is None:
        if count:
            _print(tn("mail.smtp_not_configured", "mail.smtp_not_configured.plural", count, count=count))
        return 0
    done, already = len(sent.sent), sent.already
    _print(
        t(
            "mail.sent.summary",
            sent=tn("count.message", "count.messages", done, count=done),
            already=tn("count.message", "count.messages", already, count=already),
        )
    )
    for item in sent.refused:
        _print(t("mail.sent.refused", to=item.to))
    return 0


def _cmd_fetch_mail(args: argparse.Namespace) -> int:
    from automation.run.month import fetch_mail

    settings = _settings(args)
    fetched = fetch_mail(settings, _now(settings), progress=_progress)
    result = fetched.result
    for path, sender in result.saved:
        _print(t("mail.fetch.saved", path=path.name, sender=sender or "?"))
    _print(
        t(
            "mail.fetch.summary",
            messages=tn("count.new_message", "count.new_messages", result.messages, count=result.messages),
            files=tn("count.report_file", "count.report_files", len(result.saved), count=len(result.saved)),
            folder=settings.inbox_dir / "email",
            without=tn(
                "count.message",
                "count.messages",
                result.without_spreadsheet,
                count=result.without_spreadsheet,
            ),
            repeats=tn("count.file", "count.files", result.repeats, count=result.repeats),
        )
    )
    if fetched.unknown_senders:
        count = fetched.unknown_senders
        _print(tn("mail.fetch.unknown_senders", "mail.fetch.unknown_senders.plural", count, count=count))
    return 0


def _cmd_remind(args: argparse.Namespace) -> int:
    from automation.run.month import remind

    settings, now, as_of, period = _collect_inputs(args)
    reminded = remind(settings, period, as_of, now, progress=_progress)
    due, without = reminded.due, reminded.without_address
    if not due:
        _print(t("mail.remind.none", period=period.label))
        return 0
    units = ", ".join(f"{s.unit.code} ({remind_state_label(s.submission)})" for s in due)
    _print(
        tn(
            "mail.remind.due",
            "mail.remind.due.plural",
            len(due),
            count=len(due),
            period=period.label,
            units=units,
        )
    )
    if without:
        _print(t("mail.remind.no_address", units=", ".join(u.code for u in without)))
    if reminded.sent is None:
        count = len(due) - len(without)
        raise BaocaoError(
            tn("mail.smtp_not_configured", "mail.smtp_not_configured.plural", count, count=count)
        )
    return _report_sent(reminded.sent, 0)


def _cmd_status(args: argparse.Namespace) -> int:
    from automation.run.month import live_result

    settings, now, as_of, period = _collect_inputs(args)
    result = live_result(settings, period, as_of, now, progress=_progress)
    _warn(result.warnings)
    print_status(result, sys.stdout)
    return 0


def _cmd_scan(args: argparse.Namespace) -> int:
    from automation.run.month import scan_and_answer

    settings = _settings(args)
    answered = scan_and_answer(settings, _now(settings))
    found = answered.scanned
    _warn(found.warnings)
    _print(
        t(
            "scan.done",
            new=tn("count.new_file", "count.new_files", found.new, count=found.new),
            total=tn("count.file", "count.files", found.total, count=found.total),
            folder=settings.inbox_dir,
        )
    )
    if found.pending:
        _print(tn("scan.pending", "scan.pending.plural", found.pending, count=found.pending))
    if answered.register_error:
        _warn([t("scan.not_judged", problem=answered.register_error)])
        return 0
    count = len(answered.files)
    _print(tn("scan.acknowledged", "scan.acknowledged.plural", count, count=count))
    if answered.without_address:
        _print(t("scan.no_address", units=", ".join(answered.without_address)))
    return _report_sent(answered.sent, answered.to_send)


def _cmd_schedule(args: argparse.Namespace) -> int:
    from automation.schedule.loop import Scheduler, plan_lines

    settings = _settings(args)
    if args.plan:
        for line in plan_lines(settings, _now(settings)):
            _print(line)
        return 0
    return Scheduler(settings, console=sys.stdout).run()


def _cmd_demo(args: argparse.Namespace) -> int:
    from automation.run.demo import run_demo

    folder = args.dir or (args.workspace or Path.cwd()) / "baocao-demo"
    result = run_demo(folder, now=dt.datetime.now(dt.UTC))
    for line in result.lines():
        _print(line)
    return 0
