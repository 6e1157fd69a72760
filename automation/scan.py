"""`baocao scan` (SPEC §6, §8): record what has arrived in the inbox and when it was first seen.

Cheap enough to run every few minutes: a file already known by path, size and modification time is
not read again. The first-seen time becomes the file's received time for every later collect.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from automation.intake import intake
from automation.ledger import LEDGER_NAME, Ledger
from automation.locking import workspace_lock
from automation.settings import Settings


@dataclass(frozen=True)
class ScanResult:
    new: int
    total: int


def scan(settings: Settings, now: dt.datetime) -> ScanResult:
    """Record every inbox file not seen before, with ``now`` as its received time."""
    with workspace_lock(settings, "collect"), Ledger(settings.state_dir / LEDGER_NAME) as ledger:
        before = len(ledger.arrivals())
        items = intake(settings, ledger, now, seen_by="scan")
        after = len(ledger.arrivals())
    return ScanResult(new=after - before, total=sum(1 for i in items if i.container is None))
