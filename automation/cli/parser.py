"""The argument parser of `baocao`: every command, option and help text in the user's language
(argparse's own English strings go through the catalogue too)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from automation import __version__
from automation.cli.commands import (
    _cmd_close,
    _cmd_collect,
    _cmd_demo,
    _cmd_fetch_mail,
    _cmd_init,
    _cmd_ledger_rebuild,
    _cmd_plan_check,
    _cmd_plan_import,
    _cmd_remind,
    _cmd_report,
    _cmd_rollup,
    _cmd_scan,
    _cmd_schedule,
    _cmd_status,
    _cmd_templates,
    _cmd_withdraw,
)
from automation.domain.dates import Period
from automation.i18n.messages import N_, t

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
