"""Intake (SPEC §6, §12): every file under the inbox, classified, hashed and archived before anyone
interprets it, and every file received earlier. Shared by ``baocao scan`` (records first-seen times) and
``baocao collect``.

Arrivals are the record: once the ledger holds an arrival (bytes, first received time, channel, sender,
first path) it is considered by every later run, judged from its archive copy, whatever happened to the
inbox since (deleted, moved, renamed, replaced). The received time belongs to the bytes.

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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from automation.errors import FileError, os_error_reason
from automation.i18n.messages import t
from automation.intake.archive import ArchiveWriter, archive, archive_path, archived_whole
from automation.intake.eml import read_eml
from automation.settings import Settings
from automation.state.ledger import Arrival, Ledger

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
    order: int = 0  # when its arrival was first recorded, relative to the others (first seen first)
    gone: bool = False  # recorded, no longer in the inbox: judged from its archive copy


# Bytes of a file up to this size stay in memory for the reader (no second open of the archive copy).
KEEP_IN_MEMORY = 1024 * 1024
# A file that changed while it was read is read again after a short pause, this many times in all.
READ_ATTEMPTS = 3
_RETRY_PAUSE = 0.02
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
            time.sleep(_RETRY_PAUSE * attempt)
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


def check_inbox(settings: Settings) -> None:
    """Stop (FileError) when INBOX_DIR is missing or cannot be listed: an unmounted share is not "nobody
    submitted". Nothing is written or deleted before this check."""
    inbox = settings.inbox_dir
    try:
        with os.scandir(inbox) as entries:
            next(entries, None)
    except (FileNotFoundError, NotADirectoryError):
        raise FileError(t("intake.inbox_missing", path=inbox)) from None
    except OSError:
        raise FileError(t("intake.inbox_unreadable", path=inbox)) from None


@dataclass
class IntakeResult:
    """Every considered file (those in the inbox now and those the record holds), and warnings to show."""

    items: list[Incoming]
    warnings: list[str] = field(default_factory=list)


def _shown_paths(entries: list[tuple[Path, bool]], workspace: Path) -> list[str]:
    """The display path of each entry. Names that differ only in their Unicode form (NFC/NFD, possible on
    a Linux share) are distinct files: the one already composed keeps the plain name, the others get
    `` [2]``, `` [3]`` before the extension, the same on every run."""
    shown = [display_path(path, workspace) for path, _ in entries]
    groups: dict[str, list[int]] = {}
    for index, text in enumerate(shown):
        groups.setdefault(text, []).append(index)
    for text, indexes in groups.items():
        if len(indexes) < 2:
            continue
        raw = {i: display_path(entries[i][0], workspace, compose=False) for i in indexes}
        ranked = sorted(indexes, key=lambda i: (raw[i] != text, raw[i]))
        stem, extension = os.path.splitext(text)
        for number, index in enumerate(ranked[1:], start=2):
            shown[index] = f"{stem} [{number}]{extension}"
    return shown


class _Intake:
    """One look at the inbox against the record (the ledger's arrivals)."""

    def __init__(self, settings: Settings, ledger: Ledger, now: dt.datetime, seen_by: str) -> None:
        self.settings, self.now, self.seen_by = settings, now, seen_by
        self.limit = settings.max_file_mb * 1024 * 1024
        self.recorded = ledger.arrivals()  # first seen first
        self.by_stat: dict[tuple[str, int, int], Arrival] = {}
        self.by_hash: dict[tuple[str, str], Arrival] = {}
        self.first: dict[str, Arrival] = {}  # each content's first arrival: its received time is the bytes'
        self.order: dict[tuple[str, str], int] = {}
        for number, recorded in enumerate(self.recorded):
            self.by_stat[(recorded.path, recorded.size, recorded.mtime_ns)] = recorded
            self.by_hash[(recorded.path, recorded.sha256)] = recorded
            first = self.first.get(recorded.sha256)
            if first is None or recorded.received_at < first.received_at:
                self.first[recorded.sha256] = recorded
            self.order.setdefault((recorded.path, recorded.sha256), number)
        self.items: list[Incoming] = []
        self.new: list[Arrival] = []
        self.archive = ArchiveWriter(settings.state_dir)
        self.on_read: Callable[[Incoming], None] | None = None

    def classify(self, path: Path, shown: str, is_link: bool) -> tuple[Incoming, os.stat_result | None]:
        """The entry as an ignored item, or as a candidate with its stat."""
        if is_link:
            return Incoming(shown, "ignored", reason=t("intake.symlink")), None
        relative = path.relative_to(self.settings.inbox_dir).parts
        reason = _ignored_reason(path.name, relative)
        extension = Path(shown).suffix.lower()  # as shown: its bytes may not be text
        if reason is None and extension not in SPREADSHEETS + MAIL:
            reason = t("intake.unknown_extension", extension=extension or t("intake.no_extension"))
        if reason is not None:
            return Incoming(shown, "ignored", reason=reason, extension=extension), None
        try:
            stat = path.stat()
        except OSError as exc:
            return Incoming(shown, "ignored", reason=cannot_read(exc), extension=extension), None
        if not stat_kinds.S_ISREG(stat.st_mode):
            return Incoming(shown, "ignored", reason=t("intake.not_regular"), extension=extension), None
        kind = "mail" if extension in MAIL else "spreadsheet"
        return Incoming(shown, kind, size=stat.st_size, extension=extension), stat

    def take(self, path: Path, item: Incoming, stat: os.stat_result) -> None:
        """Hash and archive ``item`` (a file that holds still) and fix its arrival."""
        settings = self.settings
        known = self.by_stat.get((item.path, stat.st_size, stat.st_mtime_ns))
        data: bytes | None = None
        if known is not None and archived_whole(
            archive_path(settings.state_dir, known.sha256, item.extension), stat.st_size
        ):
            item.sha256 = known.sha256
        elif stat.st_size > self.limit:
            _too_large(item, stat.st_size, settings)
        else:
            try:
                data, stat = _read_settled(path, self.limit)
            except _Unsettled:
                self.items.append(_pending(item))
                return
            except (OSError, _NotRegular) as exc:
                reason = cannot_read(exc) if isinstance(exc, OSError) else t("intake.not_regular")
                self.items.append(Incoming(item.path, "ignored", reason=reason, extension=item.extension))
                return
            item.size = len(data)
            if len(data) > self.limit:  # it grew past the limit after it was looked at
                _too_large(item, stat.st_size, settings)
                data = None
            else:
                item.sha256 = hashlib.sha256(data).hexdigest()
        if item.sha256:
            arrival = self.by_hash.get((item.path, item.sha256)) or self._arrive(item, stat, data)
            first = self.first[item.sha256]
            item.received_at = _local(first.received_at, settings)
            item.source, item.sender = first.source, first.sender
            item.order = self.order[(arrival.path, arrival.sha256)]
            item.archived = archive_path(settings.state_dir, item.sha256, item.extension)
            if data is not None and item.kind == "mail":  # opened at once, for its attachments
                archive(settings.state_dir, item.sha256, item.extension, data)
            elif data is not None:
                self.archive.add(item.sha256, item.extension, data)
            if data is not None:
                item.data = data if len(data) <= KEEP_IN_MEMORY else None
                if self.on_read is not None and item.data is not None and item.kind == "spreadsheet":
                    self.on_read(item)
        else:  # too large: not archived, shown while it is there
            mtime = dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC)
            item.received_at = _local(max(self.now, mtime) if self.seen_by == "scan" else mtime, settings)
        self.items.append(item)
        if item.kind == "mail" and item.archived is not None:
            self.items.extend(_attachments(item, settings))

    def _arrive(self, item: Incoming, stat: os.stat_result, data: bytes | None) -> Arrival:
        """A new arrival of ``item``'s bytes at its path. Bytes seen before (under another path) keep their
        first received time; new bytes are received now when a scan sees them, else at their modification
        time, and never earlier than that time (a clock set back cannot rewrite history)."""
        assert item.sha256
        mtime = dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC)
        first = self.first.get(item.sha256)
        if first is not None:
            received, source, sender = first.received_at, first.source, first.sender
        else:
            received = max(self.now, mtime) if self.seen_by == "scan" else mtime
            source, sender = "folder", None
        racy = data is not None and _racy(stat)
        arrival = Arrival(
            item.path, item.sha256, stat.st_size, -1 if racy else stat.st_mtime_ns, source, sender,
            _local(received, self.settings), self.seen_by,
        )  # fmt: skip
        self.new.append(arrival)
        self.by_hash[(item.path, item.sha256)] = arrival
        self.first.setdefault(item.sha256, arrival)
        self.order[(item.path, item.sha256)] = len(self.order)
        return arrival

    def recorded_elsewhere(self, present: set[tuple[str, str]]) -> None:
        """Every recorded arrival not in the inbox now (deleted, moved, renamed, replaced): it still counts,
        judged from its archive copy, under the path where it was received."""
        for arrival in self.recorded:
            if (arrival.path, arrival.sha256) in present or not arrival.sha256:
                continue
            extension = Path(arrival.path).suffix.lower()
            first = self.first[arrival.sha256]
            item = Incoming(
                arrival.path, "mail" if extension in MAIL else "spreadsheet", source=first.source,
                sha256=arrival.sha256, size=arrival.size, received_at=_local(first.received_at, self.settings),
                sender=first.sender, extension=extension, order=self.order[(arrival.path, arrival.sha256)],
                gone=True,
            )  # fmt: skip
            copy = archive_path(self.settings.state_dir, arrival.sha256, extension)
            if copy.is_file():
                item.archived = copy
            else:  # the archive was tampered with: say so, never drop the file silently
                item.rule, item.reason = "file.archive_missing", t("file.archive_missing", path=copy)
            self.items.append(item)
            if item.kind == "mail" and item.archived is not None:
                self.items.extend(_attachments(item, self.settings))


def _pending(item: Incoming) -> Incoming:
    return Incoming(
        item.path, "pending", size=item.size, extension=item.extension, reason=t("intake.pending")
    )


def _fresh(stat: os.stat_result, settle_ns: int) -> bool:
    """Changed within the settle time (the real clock against the file system's)."""
    return settle_ns > 0 and abs(time.time_ns() - stat.st_mtime_ns) < settle_ns


def _same(before: os.stat_result, after: os.stat_result) -> bool:
    return (before.st_size, before.st_mtime_ns) == (after.st_size, after.st_mtime_ns)


def cannot_read(exc: OSError) -> str:
    """Why a file could not be opened, in the user's words (never the C library's English)."""
    return t("intake.cannot_read", detail=os_error_reason(exc))


def intake(
    settings: Settings,
    ledger: Ledger,
    now: dt.datetime,
    seen_by: str,
    on_read: Callable[[Incoming], None] | None = None,
) -> IntakeResult:
    """Consider every file in the inbox and every file the record holds: classify, hash, archive, and fix
    each one's received time.

    ``seen_by`` is "scan" (a new file's received time is ``now``: the moment scan first saw it) or
    "collect" (a file no scan saw gets its modification time). Bytes keep their first received time
    wherever they are seen again. A file that changed within SETTLE_SECONDS is waited for once (at most
    that long); if it changed meanwhile it is ``pending`` and taken by a later run. ``on_read`` is told
    of each spreadsheet whose bytes were read now (and are kept in memory), as soon as it has its hash
    and received time: the collect starts judging it while the rest of the inbox is walked.
    """
    check_inbox(settings)
    run = _Intake(settings, ledger, now, seen_by)
    run.on_read = on_read
    entries = walk_inbox(settings.inbox_dir)
    settle_ns = settings.settle_seconds * 1_000_000_000
    waiting: list[tuple[Path, Incoming, os.stat_result]] = []
    for (path, is_link), shown in zip(entries, _shown_paths(entries, settings.workspace), strict=True):
        item, stat = run.classify(path, shown, is_link)
        if stat is None:
            run.items.append(item)
        elif _fresh(stat, settle_ns):
            waiting.append((path, item, stat))
        else:
            run.take(path, item, stat)
    if waiting:  # one wait for all of them, until the youngest is as old as the settle time
        youngest = max(stat.st_mtime_ns for _, _, stat in waiting)
        time.sleep(max(0.0, min(settle_ns, youngest + settle_ns - time.time_ns()) / 1e9))
        for path, item, stat in waiting:
            try:
                again = path.stat()
            except OSError:
                again = None
            if again is not None and _same(stat, again):
                run.take(path, item, again)
            else:
                run.items.append(_pending(item))
    run.archive.finish()  # every copy written before any arrival is recorded
    present = {(i.path, i.sha256) for i in run.items if i.sha256 and i.container is None}
    run.recorded_elsewhere(present)
    ledger.record_arrivals(run.new)
    return IntakeResult(run.items, _warnings(settings, run, entries, now))


def _warnings(settings: Settings, run: _Intake, entries: list, now: dt.datetime) -> list[str]:
    warnings = []
    prefix = display_path(settings.inbox_dir, settings.workspace).rstrip("/") + "/"
    from_folder = sum(1 for a in run.recorded if a.source == "folder" and a.path.startswith(prefix))
    if not entries and from_folder:
        warnings.append(t("intake.inbox_empty", path=settings.inbox_dir, count=from_folder))
    newest = max((a.received_at for a in run.recorded), default=None)
    if newest is not None and now < newest - dt.timedelta(minutes=5):
        warnings.append(
            t(
                "intake.clock_behind",
                now=f"{_local(now, settings):%d/%m/%Y %H:%M}",
                newest=f"{_local(newest, settings):%d/%m/%Y %H:%M}",
            )
        )
    return warnings


def _attachments(mail: Incoming, settings: Settings) -> list[Incoming]:
    """The spreadsheet attachments of an .eml dropped in the folder, each a considered file of its own."""
    assert mail.archived is not None, "only an archived mail is opened"
    message = read_eml(mail.archived.read_bytes())
    mail.sender = mail.sender or message.sender
    items: list[Incoming] = []
    for attachment in message.attachments:
        sha = hashlib.sha256(attachment.data).hexdigest()
        extension = Path(attachment.safe_name).suffix.lower()
        archived = archive(settings.state_dir, sha, extension, attachment.data)
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
                order=mail.order,
                gone=mail.gone,
            )
        )
    mail.kind = "ignored"
    mail.reason = (
        t("intake.mail_attachments", count=len(items)) if items else t("intake.mail_without_spreadsheet")
    )
    return items
