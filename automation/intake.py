"""Intake (SPEC §6, §12): every file under the inbox, classified, hashed and archived before anyone
interprets it. Shared by ``baocao scan`` (records first-seen times) and ``baocao collect``.

The inbox is read-only: nothing in it is modified, moved or deleted. Symbolic links are never followed,
and only regular files are opened (a named pipe or a device in the shared folder would block or never
end). A file's bytes are read once, hashed, and copied into the content-addressed archive
(``.baocao/archive/ab/abcdef….xlsx``); the reader then works on the archive copy, so a file that changes
while the run reads it cannot give the run two different contents. The bytes are taken only when the file
held still while they were read (same size and modification time before and after); one that keeps
changing — still being saved or copied in — is left for a later run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import stat as stat_kinds
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from automation.eml import read_eml
from automation.ledger import Arrival, Ledger
from automation.messages import t
from automation.settings import Settings
from automation.workbook_io import atomic_save

SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods")
MAIL = (".eml",)
_SYSTEM_NAMES = {"thumbs.db", "desktop.ini", ".ds_store", "icon\r"}


@dataclass
class Incoming:
    """One considered file: where it is, its bytes' hash and archive copy, and how it arrived."""

    path: str  # display path relative to the workspace, "/" separated
    kind: str  # "spreadsheet", "mail" or "ignored"
    source: str = "folder"
    sha256: str | None = None
    size: int = 0
    received_at: dt.datetime | None = None
    sender: str | None = None
    archived: Path | None = None
    extension: str = ""
    reason: str | None = None  # why it is ignored / rejected before reading
    rule: str | None = None  # the finding rule when rejected before reading (e.g. file.too_large)
    container: str | None = None  # the .eml an attachment came from
    data: bytes | None = field(default=None, repr=False)  # the bytes, kept for the reader when small


# Bytes of a file up to this size stay in memory for the reader (no second open of the archive copy).
KEEP_IN_MEMORY = 1024 * 1024
# A file that changed while it was read is read again after a short pause, this many times in all.
READ_ATTEMPTS = 3
_SETTLE_SECONDS = 0.02
# A modification time this close to the moment of reading is not trusted to tell the bytes later: a file
# system's clock ticks coarsely (a few ms on Linux, 2 s on FAT), so a rewrite within the tick keeps size
# and time. Such an arrival is recorded without its time, so the next run hashes the file again. An empty
# file this fresh is one being created (a copy that has not written yet): it waits like a changing one.
_RACY_NS = 2_000_000_000
_OPEN_FLAGS = (
    os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
)


class _Unsettled(Exception):
    """The file kept changing while it was read."""


class _NotRegular(Exception):
    """Not a regular file (a pipe, a device, a socket): never read."""


def _racy(stat: os.stat_result) -> bool:
    return time.time_ns() - stat.st_mtime_ns < _RACY_NS  # the real clock: the file system's, not the run's


def _read_once(path: Path, limit: int) -> tuple[bytes, bool, os.stat_result]:
    """At most ``limit`` + 1 bytes of ``path``, whether the file held still meanwhile, and its stat."""
    fd = os.open(path, _OPEN_FLAGS)  # no link followed, and a pipe swapped in cannot block the open
    try:
        before = os.fstat(fd)
        if not stat_kinds.S_ISREG(before.st_mode):
            raise _NotRegular
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(limit + 1 - size, 4 * 1024 * 1024))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        after = os.fstat(fd)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    same = (before.st_size, before.st_mtime_ns) == (after.st_size, after.st_mtime_ns)
    return data, same and len(data) == after.st_size, after


def _read_settled(path: Path, limit: int) -> tuple[bytes, os.stat_result]:
    """The bytes of ``path`` (at most ``limit`` + 1) and the stat they belong to, read while the file held
    still. Raises _NotRegular, _Unsettled or OSError."""
    for attempt in range(READ_ATTEMPTS):
        if attempt:
            time.sleep(_SETTLE_SECONDS * attempt)
        data, still, stat = _read_once(path, limit)
        if len(data) > limit or (still and (data or not _racy(stat))):
            return data, stat
    raise _Unsettled


def display_path(path: Path, workspace: Path, *, compose: bool = True) -> str:
    """The path shown and recorded for a file: relative to the workspace, "/"-separated, and NFC (a Mac
    writes names decomposed; the ledger, the outputs and the people reading them use composed text).
    Bytes of a name that are not UTF-8 (an old Windows or zip tool's code page) are shown escaped,
    ``B\\xe1o cáo.xlsx``: as they come from the file system no output could encode them."""
    try:
        shown = path.relative_to(workspace).as_posix()
    except ValueError:
        shown = path.as_posix()
    if any("\udc80" <= ch <= "\udcff" for ch in shown):  # os.fsdecode's stand-ins for such bytes
        shown = os.fsencode(shown).decode("utf-8", "backslashreplace")
    return unicodedata.normalize("NFC", shown) if compose else shown


def archive_path(state_dir: Path, sha256: str, extension: str) -> Path:
    return state_dir / "archive" / sha256[:2] / f"{sha256}{extension}"


def _archived_whole(path: Path, size: int) -> bool:
    """Whether the archive copy ``path`` exists with ``size`` bytes (a copy cut short by a power cut is
    written again rather than trusted)."""
    try:
        return path.stat().st_size == size
    except OSError:
        return False


def _archive(state_dir: Path, sha256: str, extension: str, data: bytes) -> Path:
    target = archive_path(state_dir, sha256, extension)
    if not _archived_whole(target, len(data)):
        atomic_save(target, lambda tmp: tmp.write_bytes(data))
    return target


def _too_large(item: Incoming, size: int, settings: Settings) -> None:
    """Mark ``item`` as over MAX_FILE_MB: rejected before it is read (its size in whole MB, rounded up)."""
    megabytes = -(-size // (1024 * 1024))
    item.rule, item.reason = "file.too_large", t("file.too_large", size=megabytes, limit=settings.max_file_mb)


def _ignored_reason(name: str, relative_parts: tuple[str, ...]) -> str | None:
    lower = name.lower()
    if lower.startswith("~$") or lower.startswith(".~lock"):
        return t("intake.lock_file")
    if lower in _SYSTEM_NAMES:
        return t("intake.system_file")
    if any(part.startswith(".") for part in relative_parts):
        return t("intake.hidden_file")
    return None


def walk_inbox(inbox: Path) -> list[tuple[Path, bool]]:
    """Every entry under ``inbox`` as (path, is_symlink), in a stable order, never following links."""
    found: list[tuple[Path, bool]] = []
    if not inbox.is_dir():
        return found
    for root, dirs, files in os.walk(inbox, followlinks=False):
        root_path = Path(root)
        for name in sorted(dirs):
            if (root_path / name).is_symlink():
                found.append((root_path / name, True))
        dirs.sort()
        for name in sorted(files):
            path = root_path / name
            found.append((path, path.is_symlink()))
    return found


def _local(moment: dt.datetime, settings: Settings) -> dt.datetime:
    return moment.astimezone(settings.timezone)


def intake(settings: Settings, ledger: Ledger, now: dt.datetime, seen_by: str) -> list[Incoming]:
    """Consider every file in the inbox: classify, hash, archive, and fix its received time.

    ``seen_by`` is "scan" (a new file's received time is ``now``: the moment scan first saw it) or
    "collect" (a file no scan saw gets its modification time). A known file keeps its first received time.
    """
    limit = settings.max_file_mb * 1024 * 1024
    incoming: list[Incoming] = []
    new_arrivals: list[Arrival] = []
    known_by_stat: dict[tuple[str, int, int], Arrival] = {}
    known_by_hash: dict[tuple[str, str], Arrival] = {}
    for recorded in ledger.arrivals():  # one query, not two per file
        known_by_stat[(recorded.path, recorded.size, recorded.mtime_ns)] = recorded
        known_by_hash[(recorded.path, recorded.sha256)] = recorded
    shown_paths: set[str] = set()
    for path, is_link in walk_inbox(settings.inbox_dir):
        shown = display_path(path, settings.workspace)
        if shown in shown_paths:  # two names that differ only in their Unicode form (a Linux share)
            shown = display_path(path, settings.workspace, compose=False)
        shown_paths.add(shown)
        relative = path.relative_to(settings.inbox_dir).parts
        if is_link:
            incoming.append(Incoming(shown, "ignored", reason=t("intake.symlink")))
            continue
        reason = _ignored_reason(path.name, relative)
        extension = Path(shown).suffix.lower()  # as shown: its bytes may not be text
        if reason is None and extension not in SPREADSHEETS + MAIL:
            reason = t("intake.unknown_extension", extension=extension or t("intake.no_extension"))
        if reason is not None:
            incoming.append(Incoming(shown, "ignored", reason=reason, extension=extension))
            continue
        try:
            stat = path.stat()
        except OSError as exc:
            incoming.append(Incoming(shown, "ignored", reason=t("intake.cannot_read", detail=exc.strerror)))
            continue
        if not stat_kinds.S_ISREG(stat.st_mode):
            incoming.append(Incoming(shown, "ignored", reason=t("intake.not_regular"), extension=extension))
            continue
        item = Incoming(
            shown, "mail" if extension in MAIL else "spreadsheet", size=stat.st_size, extension=extension
        )
        known = known_by_stat.get((shown, stat.st_size, stat.st_mtime_ns))
        data: bytes | None = None
        if known is not None and _archived_whole(
            archive_path(settings.state_dir, known.sha256, extension), stat.st_size
        ):
            item.sha256 = known.sha256
        elif stat.st_size > limit:
            _too_large(item, stat.st_size, settings)
        else:
            try:
                data, stat = _read_settled(path, limit)
            except (OSError, _NotRegular, _Unsettled) as exc:
                reason = (
                    t("intake.cannot_read", detail=exc.strerror)
                    if isinstance(exc, OSError)
                    else t("intake.not_regular" if isinstance(exc, _NotRegular) else "intake.changing")
                )
                incoming.append(Incoming(shown, "ignored", reason=reason, extension=extension))
                continue
            item.size = len(data)
            if len(data) > limit:  # it grew past the limit after it was looked at
                _too_large(item, stat.st_size, settings)
                data = None
            else:
                item.sha256 = hashlib.sha256(data).hexdigest()
        arrival = known_by_hash.get((shown, item.sha256)) if item.sha256 else known
        if arrival is None:
            mtime = dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC)
            received = now if seen_by == "scan" else mtime
            racy = data is not None and _racy(stat)
            arrival = Arrival(
                shown,
                item.sha256 or "",
                stat.st_size,
                -1 if racy else stat.st_mtime_ns,
                "folder",
                None,
                _local(received, settings),
                seen_by,
            )
            if item.sha256:
                new_arrivals.append(arrival)
        item.received_at = _local(arrival.received_at, settings)
        item.source, item.sender = arrival.source, arrival.sender
        if item.sha256:
            item.archived = archive_path(settings.state_dir, item.sha256, extension)
            if data is not None:
                _archive(settings.state_dir, item.sha256, extension, data)
                item.data = data if len(data) <= KEEP_IN_MEMORY else None
        incoming.append(item)
        if item.kind == "mail" and item.archived is not None:
            incoming.extend(_attachments(item, settings))
    ledger.record_arrivals(new_arrivals)
    return incoming


def _attachments(mail: Incoming, settings: Settings) -> list[Incoming]:
    """The spreadsheet attachments of an .eml dropped in the folder, each a considered file of its own."""
    message = read_eml(mail.archived.read_bytes())
    mail.sender = mail.sender or message.sender
    items: list[Incoming] = []
    for attachment in message.attachments:
        sha = hashlib.sha256(attachment.data).hexdigest()
        extension = Path(attachment.safe_name).suffix.lower()
        archived = _archive(settings.state_dir, sha, extension, attachment.data)
        items.append(
            Incoming(
                f"{mail.path}/{attachment.safe_name}",
                "spreadsheet",
                source=mail.source,
                sha256=sha,
                size=len(attachment.data),
                received_at=mail.received_at,
                sender=mail.sender,
                archived=archived,
                extension=extension,
                container=mail.path,
            )
        )
    mail.kind = "ignored"
    mail.reason = (
        t("intake.mail_attachments", count=len(items)) if items else t("intake.mail_without_spreadsheet")
    )
    return items
