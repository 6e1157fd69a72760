"""`baocao scan` (SPEC §6, §8): record what has arrived in the inbox and when it was first seen.

Cheap enough to run every few minutes: a file already known by path, size and modification time is
not read again. The first-seen time becomes the file's received time for every later collect.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from automation.intake.folder import Incoming, check_inbox, intake
from automation.settings import Settings
from automation.state.ledger import LEDGER_NAME, Ledger
from automation.state.lock import workspace_lock


@dataclass(frozen=True)
class ScanResult:
    new: int
    total: int
    pending: int = 0
    warnings: tuple[str, ...] = ()


def scan(settings: Settings, now: dt.datetime) -> ScanResult:
    """Record every inbox file not seen before, with ``now`` as its received time (never earlier than
    the file's own modification time). A missing inbox stops it before anything is written."""
    check_inbox(settings)
    with workspace_lock(settings, "collect"), Ledger(settings.state_dir / LEDGER_NAME) as ledger:
        return scan_locked(settings, ledger, now)[0]


def scan_locked(settings: Settings, ledger: Ledger, now: dt.datetime) -> tuple[ScanResult, list[Incoming]]:
    """``scan`` under a lock the caller holds, with the inbox's items as intake saw them."""
    before = len(ledger.arrivals())
    intaken = intake(settings, ledger, now, seen_by="scan")
    after = len(ledger.arrivals())
    present = [i for i in intaken.items if i.container is None and not i.gone]
    found = ScanResult(
        new=after - before,
        total=len(present),
        pending=sum(1 for i in present if i.kind == "pending"),
        warnings=tuple(intaken.warnings),
    )
    return found, intaken.items
