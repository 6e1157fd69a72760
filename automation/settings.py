"""Settings: one object built from the workspace's ``.env`` at the CLI edge and passed down.

Every key and its default lives in ``DEFAULTS`` below and is documented in ``.env.example`` (a test keeps
the two equal). Process environment variables override ``.env``; library code never reads the environment.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import io
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, overload
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values
from dotenv.parser import parse_stream

from automation.errors import InputError, os_error_reason
from automation.i18n.messages import t

SECURITY_CHOICES = ("ssl", "starttls", "none")

DEFAULTS: dict[str, str] = {
    # folders (§3); relative paths are relative to the workspace
    "INBOX_DIR": "inbox",
    "OUTBOX_DIR": "outbox",
    "STATE_DIR": ".baocao",
    "TEMPLATES_DIR": "workbook_templates",
    # language and time (§6, §13)
    "LANGUAGE": "vi",
    "TIMEZONE": "Asia/Ho_Chi_Minh",
    "SUBMIT_BEFORE_DAY": "",
    "SETTLE_SECONDS": "10",
    # untrusted files (§12)
    "MAX_FILE_MB": "25",
    "MAX_UNCOMPRESSED_MB": "200",
    "MAX_COMPRESSION_RATIO": "1000",
    "LOCK_TIMEOUT_SECONDS": "30",
    "WORKERS": "0",
    # mail in (§10)
    "IMAP_HOST": "",
    "IMAP_PORT": "",
    "IMAP_USER": "",
    "IMAP_PASSWORD": "",
    "IMAP_FOLDER": "INBOX",
    "IMAP_SECURITY": "ssl",
    "ACCEPT_UNKNOWN_SENDERS": "false",
    "REPORT_ADDRESS": "",
    # mail out (§10)
    "SMTP_HOST": "",
    "SMTP_PORT": "",
    "SMTP_USER": "",
    "SMTP_PASSWORD": "",
    "SMTP_SECURITY": "ssl",
    "SMTP_FROM": "",
    "COORDINATOR_EMAIL": "",
    "LEADERSHIP_EMAIL": "",
    # the roll-up to the upper plan (§16)
    "UPPER_EMAIL": "",
    "ROLLUP_AFTER_COLLECT": "",
    # schedule (§11)
    "POLL_MINUTES": "10",
    "TEMPLATES_DAY": "1",
    "TEMPLATES_TIME": "08:00",
    "REMIND_DAYS_BEFORE": "2",
    "REMIND_TIME": "08:00",
    "COLLECT_DAY": "",
    "COLLECT_TIME": "08:00",
    "LATE_RECOLLECT_DAYS": "3",
}

REGISTER_NAME = "ke-hoach.xlsx"
MASTER_NAME = "mau-bao-cao.xlsx"


@dataclass(frozen=True)
class Settings:
    workspace: Path
    inbox_dir: Path
    inbox_name: str  # INBOX_DIR as written in .env: the shared folder's name units know
    outbox_dir: Path
    state_dir: Path
    templates_dir: Path
    language: str
    timezone: ZoneInfo
    submit_before_day: int | None
    settle_seconds: int
    max_file_mb: int
    max_uncompressed_mb: int
    max_compression_ratio: int
    lock_timeout_seconds: int
    workers: int
    imap_host: str
    imap_port: int | None
    imap_user: str
    imap_password: str
    imap_folder: str
    imap_security: str
    accept_unknown_senders: bool
    report_address: str  # REPORT_ADDRESS: where units send their files, when not IMAP_USER
    smtp_host: str
    smtp_port: int | None
    smtp_user: str
    smtp_password: str
    smtp_security: str
    smtp_from: str
    coordinator_email: str
    leadership_emails: tuple[str, ...]  # LEADERSHIP_EMAIL, split at ";" and ","
    upper_email: str  # UPPER_EMAIL: where ``rollup --send`` mails the department's report to the upper plan
    rollup_after_collect: Path | None  # ROLLUP_AFTER_COLLECT: the upper template filled after each collect
    poll_minutes: int
    templates_day: int
    templates_time: dt.time
    remind_days_before: int
    remind_time: dt.time
    collect_day: int | None
    collect_time: dt.time
    late_recollect_days: int
    # what the user should know about the .env (unknown keys, lines not understood), already rendered:
    # the CLI prints them once on stderr; library code never prints
    warnings: tuple[str, ...] = ()

    @property
    def register_path(self) -> Path:
        return self.templates_dir / REGISTER_NAME

    @property
    def master_path(self) -> Path:
        return self.templates_dir / MASTER_NAME

    def period_dir(self, period: object) -> Path:
        return self.outbox_dir / str(period)

    @property
    def report_mailbox(self) -> str:
        """The address units send their files to: REPORT_ADDRESS, else IMAP_USER when it is an address;
        "" when baocao reads no mailbox (IMAP_HOST blank), never COORDINATOR_EMAIL."""
        if not self.imap_host:
            return ""
        if self.report_address:
            return self.report_address
        return self.imap_user if "@" in self.imap_user else ""

    def how_to_send(self) -> str:
        """How a unit hands in its file (SPEC §15), for the template's guide and the mails: email the mailbox
        baocao reads, else copy it into the shared folder (INBOX_DIR as written in .env)."""
        if self.report_mailbox:
            return t("submit.to_mailbox", address=self.report_mailbox)
        return t("submit.to_folder", folder=self.inbox_name)

    def __repr__(self) -> str:  # never show passwords, even in a traceback
        return f"Settings(workspace={self.workspace!s})"

    @classmethod
    def load(cls, workspace: Path, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings of ``workspace``: DEFAULTS, then its ``.env``, then ``environ`` (the process's)."""
        workspace = Path(workspace).resolve()
        values = dict(DEFAULTS)
        env_file = workspace / ".env"
        warnings: list[str] = []
        if env_file.is_file():
            values.update(read_env_file(env_file, warnings))
        for key in DEFAULTS:
            if environ and key in environ:
                values[key] = environ[key]
        return dataclasses.replace(cls.from_values(workspace, values), warnings=tuple(warnings))

    @classmethod
    def from_values(cls, workspace: Path, values: Mapping[str, str]) -> Settings:
        v = {key: (values.get(key) or "").strip() for key in DEFAULTS}

        def folder(key: str) -> Path:
            path = Path(v[key] or DEFAULTS[key]).expanduser()
            return path if path.is_absolute() else workspace / path

        return cls(
            workspace=workspace,
            inbox_dir=folder("INBOX_DIR"),
            inbox_name=v["INBOX_DIR"] or DEFAULTS["INBOX_DIR"],
            outbox_dir=folder("OUTBOX_DIR"),
            state_dir=folder("STATE_DIR"),
            templates_dir=folder("TEMPLATES_DIR"),
            language="en" if v["LANGUAGE"].lower().startswith("en") else "vi",
            timezone=_timezone(v["TIMEZONE"] or DEFAULTS["TIMEZONE"]),
            submit_before_day=_int(v, "SUBMIT_BEFORE_DAY", 1, 28, optional=True),
            settle_seconds=_int(v, "SETTLE_SECONDS", 0, 3600),
            max_file_mb=_int(v, "MAX_FILE_MB", 1, 10_000),
            max_uncompressed_mb=_int(v, "MAX_UNCOMPRESSED_MB", 1, 100_000),
            max_compression_ratio=_int(v, "MAX_COMPRESSION_RATIO", 2, 100_000),
            lock_timeout_seconds=_int(v, "LOCK_TIMEOUT_SECONDS", 0, 86_400),
            workers=_int(v, "WORKERS", 0, 64),
            imap_host=v["IMAP_HOST"],
            imap_port=_int(v, "IMAP_PORT", 1, 65_535, optional=True),
            imap_user=v["IMAP_USER"],
            imap_password=values.get("IMAP_PASSWORD") or "",
            imap_folder=v["IMAP_FOLDER"] or DEFAULTS["IMAP_FOLDER"],
            imap_security=_choice(v, "IMAP_SECURITY", SECURITY_CHOICES),
            accept_unknown_senders=_bool(v, "ACCEPT_UNKNOWN_SENDERS"),
            report_address=v["REPORT_ADDRESS"],
            smtp_host=v["SMTP_HOST"],
            smtp_port=_int(v, "SMTP_PORT", 1, 65_535, optional=True),
            smtp_user=v["SMTP_USER"],
            smtp_password=values.get("SMTP_PASSWORD") or "",
            smtp_security=_choice(v, "SMTP_SECURITY", SECURITY_CHOICES),
            smtp_from=v["SMTP_FROM"],
            coordinator_email=v["COORDINATOR_EMAIL"],
            leadership_emails=_addresses(v["LEADERSHIP_EMAIL"]),
            upper_email=v["UPPER_EMAIL"],
            rollup_after_collect=folder("ROLLUP_AFTER_COLLECT") if v["ROLLUP_AFTER_COLLECT"] else None,
            poll_minutes=_int(v, "POLL_MINUTES", 1, 1440),
            templates_day=_int(v, "TEMPLATES_DAY", 1, 28),
            templates_time=_time(v, "TEMPLATES_TIME"),
            remind_days_before=_int(v, "REMIND_DAYS_BEFORE", 0, 27),
            remind_time=_time(v, "REMIND_TIME"),
            collect_day=_int(v, "COLLECT_DAY", 1, 31, optional=True),  # 31: the last day of every month
            collect_time=_time(v, "COLLECT_TIME"),
            late_recollect_days=_int(v, "LATE_RECOLLECT_DAYS", 0, 27),
        )


# (BOM, encoding) tried first: Notepad's "Unicode" is UTF-16 LE with a BOM, "UTF-8 with BOM" is common
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def decode_env(data: bytes) -> str | None:
    """The text of a ``.env`` in whatever encoding Windows editors save it, NFC; None when it is no text.

    UTF-8 and UTF-16 with their BOM, UTF-8, UTF-16 without a BOM (told by its zero bytes), else Windows
    "ANSI" for Vietnamese (cp1258, whose tone marks combine: NFC puts them back on their letters). cp1252
    is not guessed: it differs from cp1258 only in letters, so no rule tells the two apart.
    """
    text = None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding.replace("-sig", ""))
            except UnicodeDecodeError:
                return None
            break
    else:
        zeros_even, zeros_odd = data[0::2].count(0), data[1::2].count(0)
        candidates = ["utf-8"]
        if len(data) >= 2 and max(zeros_even, zeros_odd) * 4 >= len(data):  # ASCII text as UTF-16
            candidates = ["utf-16-be" if zeros_even > zeros_odd else "utf-16-le"]
        candidates.append("cp1258")
        for encoding in candidates:
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    if text is None or _CONTROL.search(text):
        return None
    return unicodedata.normalize("NFC", text)


_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")


def read_env_file(path: Path, warnings: list[str]) -> dict[str, str]:
    """The keys of the ``.env`` at ``path``; an unknown key or a line not understood adds a warning."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(t("settings.env_cannot_open", path=path, reason=os_error_reason(exc))) from None
    text = decode_env(data)
    if text is None:
        raise InputError(t("settings.env_not_text", path=path))
    kept: list[str] = []
    for binding in parse_stream(io.StringIO(text)):  # dotenv itself would log its English warning
        if binding.error:
            warnings.append(t("settings.env_bad_line", path=path, line=binding.original.line))
            continue
        kept.append(binding.original.string)
        key = binding.key
        if key is not None and key not in DEFAULTS:
            close = difflib.get_close_matches(key.upper(), list(DEFAULTS), n=1, cutoff=0.6)
            if close:
                warnings.append(t("settings.unknown_key_close", path=path, key=key, close=close[0]))
            else:
                warnings.append(t("settings.unknown_key", path=path, key=key))
    values = dotenv_values(stream=io.StringIO("".join(kept)))
    return {key: value or "" for key, value in values.items()}


@overload
def _int(v: Mapping[str, str], key: str, low: int, high: int, optional: Literal[False] = False) -> int: ...
@overload
def _int(v: Mapping[str, str], key: str, low: int, high: int, optional: Literal[True]) -> int | None: ...
def _int(v: Mapping[str, str], key: str, low: int, high: int, optional: bool = False) -> int | None:
    raw = v[key] or DEFAULTS[key]
    if not raw and optional:
        return None
    try:
        number = int(raw)
    except ValueError:
        raise InputError(t("settings.bad_int", key=key, value=raw)) from None
    if not low <= number <= high:
        raise InputError(t("settings.out_of_range", key=key, low=low, high=high, value=number))
    return number


def _choice(v: Mapping[str, str], key: str, choices: tuple[str, ...]) -> str:
    raw = (v[key] or DEFAULTS[key]).lower()
    if raw not in choices:
        raise InputError(t("settings.bad_choice", key=key, choices=", ".join(choices), value=raw))
    return raw


def _bool(v: Mapping[str, str], key: str) -> bool:
    raw = (v[key] or DEFAULTS[key]).lower()
    if raw in ("1", "true", "yes", "on", "co", "có"):
        return True
    if raw in ("0", "false", "no", "off", "khong", "không"):
        return False
    raise InputError(t("settings.bad_bool", key=key, value=raw))


def _addresses(raw: str) -> tuple[str, ...]:
    """``a@x.vn; b@x.vn, c@x.vn`` → each address once, in order (the register's Email column reads the same)."""
    found: dict[str, str] = {}
    for part in re.split(r"[;,]", raw):
        address = part.strip()
        if address and address.lower() not in found:
            found[address.lower()] = address
    return tuple(found.values())


def _time(v: Mapping[str, str], key: str) -> dt.time:
    raw = v[key] or DEFAULTS[key]
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", raw)
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise InputError(t("settings.bad_time", key=key, value=raw))
    return dt.time(int(match.group(1)), int(match.group(2)))


def _timezone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: "Asia" is a folder, a name too long
        raise InputError(t("settings.bad_timezone", value=name)) from None


# How each key reads in .env.example and in the .env that `baocao init` writes (Vietnamese / English).
