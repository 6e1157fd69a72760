"""Intake stage (SPEC §12): the archive of received bytes, ``.baocao/archive/ab/<sha256><ext>``.

Every received file is copied here, by the hash of its bytes, before it is recorded and before it is read.
The copies of one intake are written by a few threads while the intake goes on reading and hashing the
next files (creating a file costs the file system a fraction of a millisecond, which a thousand new files
feel); ``ArchiveWriter.finish`` waits for every copy, and intake records the arrivals only after it.
May import ``state`` (the atomic save) and the standard library.
"""

from __future__ import annotations

from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from automation.state.files import atomic_save

_THREADS = 2
_IN_FLIGHT = 64  # copies queued at most (their bytes are held until written)


def archive_path(state_dir: Path, sha256: str, extension: str) -> Path:
    return state_dir / "archive" / sha256[:2] / f"{sha256}{extension}"


def archived_whole(path: Path, size: int) -> bool:
    """Whether the archive copy ``path`` exists with ``size`` bytes (a copy cut short by a power cut is
    written again rather than trusted)."""
    try:
        return path.stat().st_size == size
    except OSError:
        return False


def archive(state_dir: Path, sha256: str, extension: str, data: bytes) -> Path:
    """Copy ``data`` into the archive now (unless a whole copy is there); returns the copy's path."""
    target = archive_path(state_dir, sha256, extension)
    if not archived_whole(target, len(data)):
        atomic_save(target, lambda tmp: tmp.write_bytes(data))
    return target


class ArchiveWriter:
    """Archive copies written in the background; ``finish`` waits for all of them and raises the first
    failure (a full disk, a folder without permission) as if the copy had been written in place."""

    def __init__(self, state_dir: Path) -> None:
        self.state_dir = state_dir
        self._pool: ThreadPoolExecutor | None = None
        self._pending: deque[Future[Path]] = deque()

    def add(self, sha256: str, extension: str, data: bytes) -> Path:
        """Queue the copy of ``data``; returns the path it will have."""
        if self._pool is None:
            self._pool = ThreadPoolExecutor(_THREADS, thread_name_prefix="archive")
        while len(self._pending) >= _IN_FLIGHT:
            self._pending.popleft().result()
        self._pending.append(self._pool.submit(archive, self.state_dir, sha256, extension, data))
        return archive_path(self.state_dir, sha256, extension)

    def finish(self) -> None:
        """Wait for every queued copy; the first failure is raised once all have ended."""
        failure: BaseException | None = None
        while self._pending:
            try:
                self._pending.popleft().result()
            except BaseException as exc:  # the others still finish before the failure is told
                failure = failure or exc
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
        if failure is not None:
            raise failure
