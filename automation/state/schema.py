"""The ledger's schema (SPEC §12): one SQL script per version, applied in order on open.

The version is kept in ``PRAGMA user_version``; a ledger of a newer version than ``len(MIGRATIONS)`` is
refused, an older one is migrated forward. Scripts are only ever appended.
"""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: arrivals, parse cache, history of accepted rows, runs
    """
    CREATE TABLE arrivals (
        path TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        source TEXT NOT NULL,
        sender TEXT,
        received_at TEXT NOT NULL,
        seen_by TEXT NOT NULL,
        PRIMARY KEY (path, sha256)
    );
    CREATE INDEX arrivals_by_stat ON arrivals (path, size, mtime_ns);
    CREATE TABLE parsed (
        sha256 TEXT NOT NULL,
        reader_version TEXT NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (sha256, reader_version)
    );
    CREATE TABLE reports (
        period TEXT NOT NULL,
        unit TEXT NOT NULL,
        task TEXT NOT NULL,
        role TEXT NOT NULL,
        status TEXT NOT NULL,
        completed_on TEXT,
        progress INTEGER,
        results TEXT NOT NULL,
        difficulties TEXT NOT NULL,
        proposals TEXT NOT NULL,
        evidence TEXT NOT NULL,
        file TEXT NOT NULL,
        row INTEGER,
        received_at TEXT,
        sha256 TEXT NOT NULL
    );
    CREATE INDEX reports_by_period ON reports (period, unit);
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        period TEXT NOT NULL,
        as_of TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        report TEXT
    );
    """,
    # 2: fingerprints of written outputs, so an unchanged feedback file is not written again
    """
    CREATE TABLE outputs (
        path TEXT PRIMARY KEY,
        fingerprint TEXT NOT NULL
    );
    """,
    # 3: each file's identification and validation, keyed by everything they depend on
    """
    CREATE TABLE judged (
        key TEXT PRIMARY KEY,
        data BLOB NOT NULL
    );
    """,
    # 4: the mailbox's messages taken (by UIDVALIDITY and UID) and the mail sent (never twice)
    """
    CREATE TABLE mail_in (
        folder TEXT NOT NULL,
        uidvalidity INTEGER NOT NULL,
        uid INTEGER NOT NULL,
        message_id TEXT,
        sender TEXT,
        internal_date TEXT,
        files INTEGER NOT NULL,
        note TEXT,
        taken_at TEXT NOT NULL,
        PRIMARY KEY (folder, uidvalidity, uid)
    );
    CREATE TABLE mail_out (
        key TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        recipient TEXT NOT NULL,
        subject TEXT NOT NULL,
        sent_at TEXT NOT NULL,
        refused INTEGER NOT NULL DEFAULT 0
    );
    """,
    # 5: the scheduler: each start (the first one bounds catch-up) and each job's start, end and result
    """
    CREATE TABLE schedule_starts (
        started_at TEXT NOT NULL,
        holder TEXT NOT NULL
    );
    CREATE TABLE schedule_jobs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        key TEXT NOT NULL,
        period TEXT,
        due_at TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        result TEXT,
        detail TEXT
    );
    CREATE INDEX schedule_jobs_by_key ON schedule_jobs (kind, key, id);
    """,
    # 6: files taken out of the record by `baocao withdraw`, with their undoing: history, never deleted
    """
    CREATE TABLE withdrawals (
        sha256 TEXT NOT NULL,
        reason TEXT NOT NULL,
        at TEXT NOT NULL,
        undone_at TEXT,
        undo_reason TEXT
    );
    CREATE INDEX withdrawals_by_sha256 ON withdrawals (sha256, undone_at);
    CREATE TABLE facts_outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        file TEXT NOT NULL,
        fact TEXT NOT NULL
    );
    """,
    # 7: closed periods (close / reopen, with reasons) and the register each run used
    """
    CREATE TABLE period_events (
        period TEXT NOT NULL,
        event TEXT NOT NULL,
        at TEXT NOT NULL,
        reason TEXT
    );
    CREATE INDEX period_events_by_period ON period_events (period);
    ALTER TABLE runs ADD COLUMN register TEXT;
    """,
)
