"""The ledger's store (SPEC §12): the SQLite file opened safely — a missing ledger beside a non-empty
archive, a corrupt one or one of a newer schema is a ``FileError`` with what to do — migrated forward,
written in transactions, backed up with SQLite's backup API.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sqlite3
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Self

from automation.errors import FileError
from automation.i18n.messages import t
from automation.state.facts import ARRIVAL_FIELDS, append_facts, archive_has_files, facts_path
from automation.state.schema import MIGRATIONS as _MIGRATIONS

LEDGER_NAME = "ledger.sqlite"
BACKUPS_DIR = "backups"
_BACKUP_NAME = re.compile(r"^ledger-(\d{8}T\d{6})(?:-(\d+))?\.sqlite$")


class Store:
    """The SQLite connection of one workspace's ledger: open, checked, migrated; atomic ``transaction``s;
    facts queued in a transaction and written beside the archive after it. Use as a context manager."""

    def __init__(self, path: Path, *, create: bool = False) -> None:
        """Open the ledger at ``path``, migrating an older schema forward.

        A missing ledger is created only in a workspace that never archived anything, or with ``create``
        (``baocao ledger rebuild``): beside a non-empty archive an empty ledger would silently forget every
        arrival. A corrupt ledger, or one written by a newer baocao, is a ``FileError``.
        """
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._facts: tuple[Future[None], int] | None = None  # facts being written in the background
        if not create and not path.exists() and archive_has_files(path.parent):
            raise FileError(t("ledger.missing", path=path, archive=path.parent / "archive"))
        try:
            self.db = sqlite3.connect(path, timeout=60, isolation_level=None)
        except sqlite3.Error:
            raise FileError(t("ledger.cannot_open", path=path)) from None
        try:
            self._open()
        except BaseException:
            self.db.close()
            raise

    def _open(self) -> None:
        try:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            # a few milliseconds per MB: cheap next to a damaged ledger deciding a month's verdicts
            check = self.db.execute("PRAGMA quick_check").fetchall()
            version = self.schema_version
        except sqlite3.OperationalError as exc:
            if "malformed" in str(exc) or "not a database" in str(exc):
                raise self._corrupt() from None
            raise FileError(t("ledger.cannot_open", path=self.path)) from None
        except sqlite3.DatabaseError:
            raise self._corrupt() from None
        if check != [("ok",)]:
            raise self._corrupt()
        if version > len(_MIGRATIONS):
            raise FileError(t("ledger.too_new", path=self.path, version=version, known=len(_MIGRATIONS)))
        try:
            self._migrate()
        except sqlite3.OperationalError:
            raise FileError(t("ledger.cannot_open", path=self.path)) from None
        except sqlite3.DatabaseError:
            raise self._corrupt() from None

    def _corrupt(self) -> FileError:
        return FileError(t("ledger.corrupt", path=self.path, backups=self.path.parent / BACKUPS_DIR))

    def __enter__(self) -> Self:
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        try:
            self.wait_facts()
        except Exception:
            if kind is None:  # leaving with an error already: that one is told (the facts stay queued)
                raise
        finally:
            self.db.close()

    def close(self) -> None:
        try:
            self.wait_facts()
        finally:
            self.db.close()

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        for number, script in enumerate(_MIGRATIONS[version:], start=version + 1):
            with self.transaction():
                for statement in script.split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version = {number}")

    @property
    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def _insert_arrival(self, db: sqlite3.Connection, row: tuple) -> None:
        """Insert one arrival row if new, queueing its fact; ``seq`` (the rowid) keeps the order arrivals
        were first recorded in (first seen first), which the rebuild restores."""
        cursor = db.execute("INSERT OR IGNORE INTO arrivals VALUES (?,?,?,?,?,?,?,?)", row)
        if cursor.rowcount and row[1]:
            fields = dict(zip(ARRIVAL_FIELDS, row, strict=True))
            fact = {"event": "arrival", "seq": cursor.lastrowid, **fields}
            self._queue_fact(db, facts_path(self.path.parent, row[1]), fact)

    # --- parse cache ------------------------------------------------------------------------------

    def _queue_fact(self, db: sqlite3.Connection, path: Path, fact: dict) -> None:
        """Queue ``fact`` for ``path`` in the current transaction: it is written by ``flush_facts`` after
        the commit, and a run killed in between writes it at the next ledger write (never lost)."""
        relative = path.relative_to(self.path.parent).as_posix()
        db.execute(
            "INSERT INTO facts_outbox (file, fact) VALUES (?,?)",
            (relative, json.dumps(fact, ensure_ascii=False, sort_keys=True)),
        )

    def flush_facts(self, *, background: bool = False) -> int:
        """Append the queued facts to their files beside the archive, then forget them. How many.

        With ``background`` the files are written by a thread while the run goes on; the queue is emptied
        by ``wait_facts`` (at the next flush, or when the ledger is closed) once they are all written, so a
        run killed meanwhile leaves them queued for the next one."""
        self.wait_facts()
        rows = self.db.execute("SELECT id, file, fact FROM facts_outbox ORDER BY id").fetchall()
        if not rows:
            return 0
        by_file: dict[str, list[str]] = {}
        for _, file, fact in rows:
            by_file.setdefault(file, []).append(fact)
        if background:
            pool = ThreadPoolExecutor(1, thread_name_prefix="facts")
            self._facts = (pool.submit(self._write_facts, by_file), rows[-1][0])
            pool.shutdown(wait=False)
        else:
            self._write_facts(by_file)
            self._forget_facts(rows[-1][0])
        return len(rows)

    def _write_facts(self, by_file: dict[str, list[str]]) -> None:
        for file, lines in by_file.items():
            append_facts(self.path.parent / file, lines)

    def _forget_facts(self, last: int) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM facts_outbox WHERE id <= ?", (last,))

    def wait_facts(self) -> None:
        """Wait for facts being written in the background, then forget them (a failure is raised, and they
        stay queued)."""
        pending, self._facts = self._facts, None
        if pending is not None:
            future, last = pending
            future.result()
            self._forget_facts(last)

    # --- backups ------------------------------------------------------------------------------------

    def backup(self, now: dt.datetime, keep: int = 10) -> Path:
        """A consistent copy of the ledger in ``backups/ledger-YYYYMMDDTHHMMSS.sqlite`` beside it (SQLite's
        backup API: safe while others read), keeping only the newest ``keep``. Returns the copy's path."""
        self.wait_facts()  # the copy holds no facts queued that are already written
        folder = self.path.parent / BACKUPS_DIR
        folder.mkdir(parents=True, exist_ok=True)
        stamp = now.strftime("%Y%m%dT%H%M%S")
        target = folder / f"ledger-{stamp}.sqlite"
        number = 1
        while target.exists():  # two backups in one second
            number += 1
            target = folder / f"ledger-{stamp}-{number}.sqlite"
        for stale in folder.glob(".ledger-*"):  # a draft (and its journal) a killed run left behind
            stale.unlink(missing_ok=True)
        draft = folder / f".{target.name}.{os.getpid()}.tmp"
        try:
            copy = sqlite3.connect(draft)
            try:
                self.db.backup(copy)
                copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            finally:
                copy.close()
            os.replace(draft, target)
        finally:
            draft.unlink(missing_ok=True)
        for old in backups(self.path.parent)[:-keep] if keep > 0 else []:
            old.unlink(missing_ok=True)
        return target


def backups(state_dir: Path) -> list[Path]:
    """The ledger's backups in ``state_dir``, oldest first."""
    folder = state_dir / BACKUPS_DIR
    found = []
    for path in folder.glob("ledger-*.sqlite") if folder.is_dir() else []:
        match = _BACKUP_NAME.match(path.name)
        if match:
            found.append(((match[1], int(match[2] or 1)), path))
    return [path for _, path in sorted(found)]
