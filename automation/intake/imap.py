"""Mailbox in (SPEC §10): ``baocao fetch-mail`` takes the units' emails into ``inbox/email/``.

Each message of ``IMAP_FOLDER`` is taken exactly once, tracked by (folder, UIDVALIDITY, UID) in the ledger:

- the folder is opened read-only and bodies are fetched with ``BODY.PEEK[]``, so nothing is marked read or
  moved, and a message someone already read in a mail client (``\\Seen``) is taken like any other;
- every UID the ledger does not know is taken, in UID order, so none is skipped; a message is recorded
  only after its attachments are saved, in one transaction with their arrivals, so a dropped connection
  or a killed run loses nothing: what was not recorded is taken next time;
- when UIDVALIDITY changes (the server rebuilt the folder) every message is considered again, and an
  attachment whose bytes already arrived by email from the same sender is not saved a second time.

Spreadsheet attachments are saved as ``inbox/email/<INTERNALDATE>_<UID>_<safe name>`` (``eml.safe_filename``:
no path separators, no ``..``, no control characters) with the file's modification time set to the
server's received time (INTERNALDATE), and their arrival is recorded with the sender and that time, which
is the file's received time for the collect. Messages without a spreadsheet are recorded and left alone.
Connection, login and TLS failures are one Vietnamese line; the password is never printed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import imaplib
import os
import re
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from automation.errors import InputError, MailError, mail_error_detail
from automation.i18n.messages import t
from automation.intake.eml import read_eml
from automation.intake.folder import check_inbox, display_path
from automation.settings import Settings
from automation.state.files import atomic_save
from automation.state.ledger import LEDGER_NAME, Arrival, Ledger
from automation.state.lock import workspace_lock

DEFAULT_PORTS = {"ssl": 993, "starttls": 143, "none": 143}
EMAIL_FOLDER = "email"
_INTERNALDATE = re.compile(rb'INTERNALDATE "([^"]+)"')
_MESSAGE_ID = re.compile(r"<[^<>\s]+>")


@dataclass
class FetchResult:
    messages: int = 0  # new messages taken
    saved: list[tuple[Path, str | None]] = field(default_factory=list)  # attachments saved, with sender
    without_spreadsheet: int = 0
    repeats: int = 0  # attachments already received (the folder was rebuilt: new UIDVALIDITY)


@contextmanager
def imap_session(settings: Settings) -> Iterator[imaplib.IMAP4]:
    """A logged-in IMAP connection as IMAP_SECURITY says; failures are a one-line ``MailError``."""
    host, security = settings.imap_host, settings.imap_security
    port = settings.imap_port or DEFAULT_PORTS[security]
    context = ssl.create_default_context()
    try:
        if security == "ssl":
            imap: imaplib.IMAP4 = imaplib.IMAP4_SSL(host, port, ssl_context=context, timeout=60)
        else:
            imap = imaplib.IMAP4(host, port, timeout=60)
            if security == "starttls":
                imap.starttls(context)
    except ssl.SSLError as exc:
        raise MailError(
            t("mail.imap_tls_failed", host=host, port=port, detail=mail_error_detail(exc))
        ) from None
    except (OSError, imaplib.IMAP4.error) as exc:
        raise MailError(
            t("mail.imap_connect_failed", host=host, port=port, detail=mail_error_detail(exc))
        ) from None
    try:
        try:
            _login(imap, settings.imap_user, settings.imap_password)
        except imaplib.IMAP4.abort as exc:
            raise MailError(
                t("mail.imap_connect_failed", host=host, port=port, detail=mail_error_detail(exc))
            ) from None
        except imaplib.IMAP4.error:
            raise MailError(t("mail.imap_login_failed", host=host, user=settings.imap_user)) from None
        yield imap
    finally:
        try:
            imap.logout()
        except (OSError, imaplib.IMAP4.error):
            pass


def _login(imap: imaplib.IMAP4, user: str, password: str) -> None:
    """LOGIN, or AUTHENTICATE PLAIN in UTF-8 (RFC 4616) when the user or password is not ASCII (a Vietnamese
    password): imaplib's LOGIN can only send ASCII."""
    if (user + password).isascii():
        imap.login(user, password)
    else:
        credentials = b"\0" + user.encode("utf-8") + b"\0" + password.encode("utf-8")
        imap.authenticate("PLAIN", lambda _challenge: credentials)


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _uidvalidity(imap: imaplib.IMAP4, folder: str) -> int:
    status, _ = imap.select(_quoted(folder), readonly=True)
    if status != "OK":
        raise MailError(t("mail.imap_no_folder", folder=folder))
    _, values = imap.response("UIDVALIDITY")
    try:
        return int(values[0])
    except (TypeError, ValueError, IndexError):
        return 0


def _all_uids(imap: imaplib.IMAP4) -> list[int]:
    status, data = imap.uid("SEARCH", "ALL")  # no charset: imaplib drops a None argument anyway
    if status != "OK":
        raise imaplib.IMAP4.error(f"SEARCH {status}")
    return sorted(int(uid) for uid in b" ".join(d for d in data if d).split())


def _fetch(imap: imaplib.IMAP4, uid: int) -> tuple[dt.datetime | None, bytes] | None:
    """The INTERNALDATE and raw bytes of message ``uid`` (None when it was expunged meanwhile)."""
    status, data = imap.uid("FETCH", str(uid), "(INTERNALDATE BODY.PEEK[])")
    if status != "OK":
        raise imaplib.IMAP4.error(f"FETCH {status}")
    for part in data:
        if isinstance(part, tuple) and len(part) == 2:
            found = _INTERNALDATE.search(part[0])
            internal = None
            if found:
                try:
                    internal = dt.datetime.strptime(found.group(1).decode().strip(), "%d-%b-%Y %H:%M:%S %z")
                except ValueError:
                    internal = None
            return internal, part[1]
    return None


def _message_id(raw: bytes) -> str | None:
    head = raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    for line in head.decode("latin-1").splitlines():
        if line.lower().startswith("message-id:"):
            found = _MESSAGE_ID.search(line)
            return found.group(0) if found else None
    return None


def _target(folder: Path, name: str, data: bytes) -> Path:
    """A free path for ``name`` in ``folder`` (``-2``, ``-3``… before the extension), or the path that
    already holds these very bytes."""
    path = folder / name
    stem, suffix = path.stem, path.suffix
    number = 1
    while path.exists():
        if path.read_bytes() == data:
            return path
        number += 1
        path = folder / f"{stem}-{number}{suffix}"
    return path


def fetch_mail(settings: Settings, now: dt.datetime, progress=None) -> FetchResult:
    """Take every new message of IMAP_FOLDER; save its spreadsheet attachments into ``inbox/email/``."""
    if not settings.imap_host:
        raise InputError(t("mail.imap_not_configured"))
    check_inbox(settings)  # an unmounted share: never save into an empty mount point
    result = FetchResult()
    folder_name = settings.imap_folder
    target = settings.inbox_dir / EMAIL_FOLDER
    with workspace_lock(settings, "collect"), Ledger(settings.state_dir / LEDGER_NAME) as ledger:
        with imap_session(settings) as imap:
            try:
                uidvalidity = _uidvalidity(imap, folder_name)
                known = ledger.mail_uids(folder_name, uidvalidity)
                new = [uid for uid in _all_uids(imap) if uid not in known]
            except (OSError, imaplib.IMAP4.error) as exc:
                raise MailError(t("mail.imap_dropped", done=0, detail=mail_error_detail(exc))) from None
            emailed = ledger.emailed()
            for number, uid in enumerate(new, start=1):
                try:
                    fetched = _fetch(imap, uid)
                except (
                    OSError,
                    imaplib.IMAP4.error,
                ) as exc:  # the connection dropped: the rest comes next time
                    raise MailError(
                        t("mail.imap_dropped", done=result.messages, detail=mail_error_detail(exc))
                    ) from None
                if fetched is None:
                    continue  # expunged since the search: nothing to take
                internal, raw = fetched
                where = (folder_name, uidvalidity, uid)
                _take(settings, ledger, result, target, where, internal or now, raw, emailed, now)
                if progress:
                    progress("mail", number, len(new))
    return result


def _take(
    settings: Settings,
    ledger: Ledger,
    result: FetchResult,
    target: Path,
    where: tuple[str, int, int],
    received: dt.datetime,
    raw: bytes,
    emailed: set[tuple[str, str | None]],
    now: dt.datetime,
) -> None:
    """Save one message's spreadsheet attachments and record it with their arrivals (one transaction)."""
    message = read_eml(raw)
    received = received.astimezone(settings.timezone)
    arrivals: list[Arrival] = []
    repeats = 0
    for attachment in message.attachments:
        sha = hashlib.sha256(attachment.data).hexdigest()
        if (sha, message.sender) in emailed:
            repeats += 1
            continue
        name = f"{received:%Y-%m-%d_%H%M%S}_{where[2]}_{attachment.safe_name}"
        path = _target(target, name, attachment.data)
        if not path.exists():
            atomic_save(path, partial(Path.write_bytes, data=attachment.data))
        stamp = received.timestamp()
        os.utime(path, (stamp, stamp))
        stat = path.stat()
        shown = display_path(path, settings.workspace)
        arrivals.append(
            Arrival(shown, sha, stat.st_size, stat.st_mtime_ns, "email", message.sender, received, "mail")
        )
        emailed.add((sha, message.sender))
        result.saved.append((path, message.sender))
    note = None if message.attachments else t("mail.note.no_spreadsheet")
    ledger.record_message(
        where[0],
        where[1],
        where[2],
        (_message_id(raw), message.sender, received, len(arrivals), note),
        arrivals,
        now,
    )
    result.messages += 1
    result.repeats += repeats
    if not message.attachments:
        result.without_spreadsheet += 1
