"""Reading many files on every core. Kept tiny so a worker process imports only the reader."""

from __future__ import annotations

from pathlib import Path

from automation.model import ParsedReport
from automation.read import ReadLimits, read_report


def parse_batch(
    batch: list[tuple[str, str, str]], limits: ReadLimits | None = None
) -> list[tuple[str, ParsedReport]]:
    """Read (sha256, archive path, display name) items; return (sha256, ParsedReport) pairs."""
    return [(sha, read_report(Path(archived), name, limits=limits)) for sha, archived, name in batch]
