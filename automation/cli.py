"""The `baocao` command: parse, call one library function, render. Nothing else lives here.

Exit status: 0 success (late or missing units are a result, not a failure), 1 a fatal error with a
one-line reason (``--debug`` adds the traceback), 2 bad arguments.
"""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from automation import __version__
from automation.domain.dates import Period
from automation.errors import BaocaoError
from automation.i18n import messages
from automation.i18n.messages import N_, t, tn
from automation.settings import Settings
from automation.terminal import ProgressDisplay, print_status
from automation.write.labels import remind_state_label
from automation.write.text import change_lines, render_findings, summary_lines

# argparse's own English strings, translated through the catalogue (argparse looks ``_`` up at call time).
_ARGPARSE_STRINGS = {
    "usage: ": N_("argparse.usage"),
    "positional arguments": N_("argparse.positionals"),
    "options": N_("argparse.options"),
    "show this help message and exit": N_("argparse.help"),
    "the following arguments are required: %s": N_("argparse.required"),
    "unrecognized arguments: %s": N_("argparse.unrecognized"),
    "invalid choice: %(value)r (choose from %(choices)s)": N_("argparse.invalid_choice"),
    "expected one argument": N_("argparse.expected_one"),
    "expected at least one argument": N_("argparse.expected_at_least_one"),
    "expected at most one argument": N_("argparse.expected_at_most_one"),
    "invalid %(type)s value: %(value)r": N_("argparse.invalid_value"),
    "argument %(argument_name)s: %(message)s": N_("argparse.argument"),
    "ambiguous option: %(option)s could match %(matches)s": N_("argparse.ambiguous"),
    "one of the arguments %s is required": N_("argparse.one_required"),
    "not allowed with argument %s": N_("argparse.not_allowed"),
}


def _translate_argparse(message: str) -> str:
    key = _ARGPARSE_STRINGS.get(message)
    return t(key) if key else message


argparse._ = _translate_argparse  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # exit 2 with a Vietnamese one-liner and the usage
        self.print_usage(sys.stderr)
        self.exit(2, t("cli.bad_args", message=message) + "\n")


def _period(value: str) -> Period:
    try:
        return Period.parse(value)
    except ValueError:
        raise argparse.ArgumentTypeError(t("cli.bad_period", value=value)) from None


def _as_of(value: str) -> dt.datetime:
    """``YYYY-MM-DD`` (start of that day) or ``YYYY-MM-DDTHH:MM[:SS][±HH:MM]``; naive means local time."""
    try:
        moment = dt.datetime.fromisoformat(value.strip().replace(" ", "T", 1))
    except ValueError:
        raise argparse.ArgumentTypeError(t("collect.bad_as_of", value=value)) from None
    return moment


def _common(parser: argparse.ArgumentParser, top: bool) -> None:
    default = None if top else argparse.SUPPRESS
    parser.add_argument(
        "--workspace", "-w", type=Path, default=default, metavar="DIR", help=t("cli.opt.workspace")
    )
    parser.add_argument(
        "--debug", action="store_true", default=False if top else argparse.SUPPRESS, help=t("cli.opt.debug")
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="baocao", description=t("cli.description"), epilog=t("cli.epilog"))
    parser.add_argument(
        "--version", action="version", version=f"baocao {__version__}", help=t("cli.opt.version")
    )
    _common(parser, top=True)
    commands = parser.add_subparsers(
        dest="command",
        metavar=t("cli.metavar_command"),
        title=t("cli.commands"),
        parser_class=_Parser,
    )

    def command(
        name: str, handler: Callable | None, help_text: str, parent=commands
    ) -> argparse.ArgumentParser:
        sub = parent.add_parser(name, help=help_text, description=help_text)
        _common(sub, top=False)
        sub.set_defaults(handler=handler, parser=sub)
        return sub

    init = command("init", _cmd_init, t("cli.cmd.init"))
    init.add_argument("dir", nargs="?", type=Path, metavar="DIR", help=t("cli.opt.init_dir"))

    plan = command("plan", None, t("cli.cmd.plan"))
    plan_commands = plan.add_subparsers(
        dest="plan_command", metavar=t("cli.metavar_command"), title=t("cli.commands"), parser_class=_Parser
    )
    check = command("check", _cmd_plan_check, t("cli.cmd.plan_check"), plan_commands)
    check.add_argument("--fix", action="store_true", help=t("cli.opt.fix"))
    imp = command("import", _cmd_plan_import, t("cli.cmd.plan_import"), plan_commands)
    imp.add_argument("file", type=Path, metavar="FILE", help=t("cli.opt.import_file"))
    imp.add_argument("--out", type=Path, metavar="PATH", help=t("cli.opt.import_out"))
    imp.add_argument("--force", action="store_true", help=t("cli.opt.force"))

    ledger = command("ledger", None, t("cli.cmd.ledger"))
    ledger_commands = ledger.add_subparsers(
        dest="ledger_command", metavar=t("cli.metavar_command"), title=t("cli.commands"), parser_class=_Parser
    )
    rebuild = command("rebuild", _cmd_ledger_rebuild, t("cli.cmd.ledger_rebuild"), ledger_commands)
    rebuild.add_argument("--force", action="store_true", help=t("cli.opt.rebuild_force"))

    withdraw = command("withdraw", _cmd_withdraw, t("cli.cmd.withdraw"))
    withdraw.add_argument("target", metavar="FILE_OR_HASH", help=t("cli.opt.withdraw_target"))
    withdraw.add_argument("--reason", metavar="R", help=t("cli.opt.withdraw_reason"))
    withdraw.add_argument("--undo", action="store_true", help=t("cli.opt.withdraw_undo"))

    templates = command("templates", _cmd_templates, t("cli.cmd.templates"))
    templates.add_argument("--period", "-p", type=_period, metavar="YYYY-MM", help=t("cli.opt.period"))
    templates.add_argument("--unit", "-u", action="append", metavar="U", help=t("cli.opt.unit"))
    templates.add_argument("--send", action="store_true", help=t("cli.opt.templates_send"))

    for name, handler, help_text in (
        ("collect", _cmd_collect, t("cli.cmd.collect")),
        ("status", _cmd_status, t("cli.cmd.status")),
    ):
        sub = command(name, handler, help_text)
        sub.add_argument("--period", "-p", type=_period, metavar="YYYY-MM", help=t("cli.opt.period"))
        sub.add_argument("--as-of", type=_as_of, metavar="T", help=t("cli.opt.as_of"))
        if name == "collect":
            sub.add_argument("--dry-run", action="store_true", help=t("cli.opt.dry_run"))
            sub.add_argument("--reopen", action="store_true", help=t("cli.opt.reopen"))
            sub.add_argument("--reason", metavar="R", help=t("cli.opt.reason"))
    close = command("close", _cmd_close, t("cli.cmd.close"))
    close.add_argument("--period", "-p", type=_period, metavar="YYYY-MM", help=t("cli.opt.period"))
    close.add_argument("--reason", metavar="R", help=t("cli.opt.reason"))
    report = command("report", _cmd_report, t("cli.cmd.report"))
    report.add_argument("--period", "-p", type=_period, metavar="YYYY-MM", help=t("cli.opt.period"))
    report.add_argument("--pdf", action="store_true", help=t("cli.opt.pdf"))
    roll = command("rollup", _cmd_rollup, t("cli.cmd.rollup"))
    roll.add_argument("--period", "-p", type=_period, metavar="YYYY-MM", help=t("cli.opt.period"))
    roll.add_argument(
        "--template", required=True, type=Path, metavar="FILE", help=t("cli.opt.rollup_template")
    )
    roll.add_argument("--out", type=Path, metavar="FILE", help=t("cli.opt.rollup_out"))
    roll.add_argument("--send", action="store_true", help=t("cli.opt.rollup_send"))
    command("scan", _cmd_scan, t("cli.cmd.scan"))
    command("fetch-mail", _cmd_fetch_mail, t("cli.cmd.fetch_mail"))
    remind = command("remind", _cmd_remind, t("cli.cmd.remind"))
    remind.add_argument("--period", "-p", type=_period, metavar="YYYY-MM", help=t("cli.opt.period"))
    remind.add_argument("--as-of", type=_as_of, metavar="T", help=t("cli.opt.as_of"))

    sched = command("schedule", _cmd_schedule, t("cli.cmd.schedule"))
    sched.add_argument("--plan", action="store_true", help=t("cli.opt.plan"))

    demo = command("demo", _cmd_demo, t("cli.cmd.demo"))
    demo.add_argument("dir", nargs="?", type=Path, metavar="DIR", help=t("cli.opt.demo_dir"))
    return parser


# --- commands: each loads settings, calls the library, renders --------------------------------------


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


def _use_utf8_console() -> None:
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="replace")


def main(argv: Sequence[str] | None = None) -> int:
    _use_utf8_console()
    messages.set_language(_language_hint(argv))
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "handler", None) is None:
        (getattr(args, "parser", None) or parser).print_help()
        return 2
    if not args.debug:  # a damaged file can make the Rust reader panic: one line on stderr, not a backtrace
        os.environ["RUST_BACKTRACE"] = "0"
    try:
        try:
            return args.handler(args)
        finally:
            _progress.close()  # work stopped halfway leaves no progress bar drawn
    except BaocaoError as exc:
        if args.debug:
            traceback.print_exc()
        for line in render_findings(getattr(exc, "findings", ())):  # a refused register: what to fix
            print(line, file=sys.stderr)
        print(t("cli.error", message=exc.message), file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader of our output went away (e.g. `| head`): stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print(t("cli.interrupted"), file=sys.stderr)
        return 1
    except OSError as exc:  # disk full, no permission, read-only disk: the path and the remedy
        if args.debug:
            traceback.print_exc()
        key = _OS_ERROR_KEYS.get(errno.errorcode.get(exc.errno or 0, ""), "")
        if not key:
            print(t("cli.unexpected", message=f"{type(exc).__name__}: {exc}"), file=sys.stderr)
            return 1
        path = os.fsdecode(exc.filename) if exc.filename is not None else t("cli.os.unknown_path")
        print(t("cli.error", message=t(key, path=path)), file=sys.stderr)
        return 1
    except Exception as exc:  # the program's own bug: still one line unless --debug
        if args.debug:
            traceback.print_exc()
        print(t("cli.unexpected", message=f"{type(exc).__name__}: {exc}"), file=sys.stderr)
        return 1


# errno → the catalogue line for a failure a person can fix (SPEC §12); filled with ``exc.filename``.
_OS_ERROR_KEYS = {
    "ENOSPC": N_("cli.os.no_space"),
    "EDQUOT": N_("cli.os.no_space"),
    "EACCES": N_("cli.os.permission"),
    "EPERM": N_("cli.os.permission"),
    "EROFS": N_("cli.os.read_only"),
}


def _language_hint(argv: Sequence[str] | None) -> str:
    """The language for help and messages: LANGUAGE from the environment or the workspace's .env.

    Read before argument parsing, so ``--help`` is already in the right language.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    workspace = Path.cwd()
    for flag in ("--workspace", "-w"):
        if flag in args and args.index(flag) + 1 < len(args):
            workspace = Path(args[args.index(flag) + 1])
    if "LANGUAGE" in os.environ:
        return os.environ["LANGUAGE"]
    try:
        return Settings.load(workspace).language
    except BaocaoError:
        return "vi"
