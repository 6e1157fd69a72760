"""The facts kept beside the archive (SPEC §12), append-only: each arrival and withdrawal beside the
archived copy of its bytes, each mailbox message and each closing of a period in a file of its own. From
these alone ``baocao ledger rebuild`` recreates the ledger's record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

MAIL_IN_FACTS = "mail-in.jsonl"
PERIOD_FACTS = "periods.jsonl"  # closing and reopening periods

# the columns of the arrivals and mail_in tables, in order: the keys of their facts in the archive
ARRIVAL_FIELDS = ("path", "sha256", "size", "mtime_ns", "source", "sender", "received_at", "seen_by")
MAIL_IN_FIELDS = (
    "folder", "uidvalidity", "uid", "message_id", "sender", "internal_date", "files", "note", "taken_at",
)  # fmt: skip


def facts_path(state_dir: Path, sha256: str) -> Path:
    """The append-only facts of one content, beside its archived copy (``archive_path`` in intake)."""
    return state_dir / "archive" / sha256[:2] / f"{sha256}.facts.jsonl"


def append_facts(path: Path, lines: Iterable[str]) -> None:
    """Append these JSON lines to ``path``. Not fsynced, like the archive copies they sit beside: an fsync
    per received file cost a collect of 1,000 new files about a second, and the facts are the ledger's
    second copy (the ledger, written first in its own transaction, is the first)."""
    text = "".join(line + "\n" for line in lines)
    if not text:
        return
    try:
        out = open(path, "a", encoding="utf-8")
    except FileNotFoundError:  # the folder is made once, not asked about for every file
        path.parent.mkdir(parents=True, exist_ok=True)
        out = open(path, "a", encoding="utf-8")
    with out:
        out.write(text)


def archive_has_files(state_dir: Path) -> bool:
    """Whether anything was ever archived (a ledger missing beside it must be rebuilt, not replaced)."""
    folder = state_dir / "archive"  # a hidden name is a copy a killed run left half written, not a record
    return folder.is_dir() and any(p.is_file() and not p.name.startswith(".") for p in folder.rglob("*"))


@dataclass(frozen=True)
class Arrival:
    path: str
    sha256: str
    size: int
    mtime_ns: int
    source: str
    sender: str | None
    received_at: dt.datetime
    seen_by: str  # "scan", "collect" or "mail"


def arrival_row(a: Arrival) -> tuple:
    return (a.path, a.sha256, a.size, a.mtime_ns, a.source, a.sender, a.received_at.isoformat(), a.seen_by)


def iso(value: dt.datetime | dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def datetime_or_none(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None
