"""The `baocao` command: parse, call one library function, render. Nothing else lives here.

Exit status: 0 success (late or missing units are a result, not a failure), 1 a fatal error with a
one-line reason (``--debug`` adds the traceback), 2 bad arguments. ``parser.py`` builds the Vietnamese
argument parser, ``commands.py`` holds one handler per command; each handler calls a use case in
``automation.run`` (or the scheduler) and prints what it returns.
"""

from __future__ import annotations

import errno
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from automation.cli.commands import _progress
from automation.cli.parser import _as_of as _as_of
from automation.cli.parser import _period as _period
from automation.cli.parser import build_parser as build_parser
from automation.errors import BaocaoError
from automation.i18n import messages
from automation.i18n.messages import N_, t
from automation.settings import Settings
from automation.write.text import render_findings


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
