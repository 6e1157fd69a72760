"""One run at a time per workspace (SPEC §11, §12): a file lock in the state folder, with the holder's
process id, host and start time written beside it so a second run can say who holds it."""

from __future__ import annotations

import datetime as dt
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from filelock import FileLock, Timeout

from automation.errors import BaocaoError
from automation.i18n.messages import t
from automation.settings import Settings


def _owner_file(settings: Settings, name: str):
    return settings.state_dir / f"{name}.lock.owner"


def lock_holder(settings: Settings, name: str) -> str:
    """Who holds the lock ``name``, as written by the holder ("pid 123 on host since …")."""
    try:
        return _owner_file(settings, name).read_text(encoding="utf-8").strip() or "?"
    except OSError:
        return "?"


@contextmanager
def workspace_lock(settings: Settings, name: str, timeout: float | None = None) -> Iterator[None]:
    """Hold the workspace lock ``name``; wait up to ``timeout`` (default LOCK_TIMEOUT_SECONDS), then fail
    with a message naming the process that holds it."""
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(settings.state_dir / f"{name}.lock"))
    wait = settings.lock_timeout_seconds if timeout is None else timeout
    try:
        lock.acquire(timeout=wait)
    except Timeout:
        raise BaocaoError(
            t("lock.busy", name=name, holder=lock_holder(settings, name), seconds=wait)
        ) from None
    try:
        since = dt.datetime.now(settings.timezone).replace(microsecond=0).isoformat()
        owner = _owner_file(settings, name)
        for stale in owner.parent.glob(f".{owner.name}.*"):  # a draft a killed holder left: ours now
            stale.unlink(missing_ok=True)
        draft = owner.with_name(f".{owner.name}.{os.getpid()}")
        draft.write_text(f"pid {os.getpid()} @ {socket.gethostname()} ({since})", encoding="utf-8")
        os.replace(draft, owner)  # whole or absent: a waiting run never reads half a line
        yield
    finally:
        with suppress(OSError):
            _owner_file(settings, name).unlink()
        lock.release()
