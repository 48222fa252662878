"""The store's SQLite file: schema and connection settings.

Durability: WAL with ``synchronous=NORMAL``.  A commit returns once its pages are written
to the WAL file (into the OS page cache), and that is what survives ``kill -9`` of the
process: the kernel owns those pages and writes them out whatever happens to us.  Only
an OS crash or power loss can drop the last commits; ``FULL`` would prevent that with an
fsync per commit (~1 ms on the development machine instead of ~40 µs, on the event
loop), which a local emulator does not need.
"""

from __future__ import annotations

import sqlite3

from .storage_faults import open_failed

SCHEMA = """
CREATE TABLE IF NOT EXISTS queues (
    name TEXT PRIMARY KEY,
    attributes TEXT NOT NULL,            -- JSON of QueueAttributes
    create_time INTEGER NOT NULL,        -- s
    last_modify_time INTEGER NOT NULL    -- s
);
CREATE TABLE IF NOT EXISTS messages (
    seq INTEGER PRIMARY KEY,             -- send order, the tie-break after priority
    queue TEXT NOT NULL,
    message_id TEXT NOT NULL,
    body TEXT NOT NULL,
    body_md5 TEXT NOT NULL,
    priority INTEGER NOT NULL,
    enqueue_time INTEGER NOT NULL,       -- ms
    first_dequeue_time INTEGER,          -- ms, NULL until the first receive
    dequeue_count INTEGER NOT NULL,
    visible_at INTEGER NOT NULL,         -- ms: NextVisibleTime (after a delay or a receive)
    receipt_handle TEXT UNIQUE           -- the latest handle; valid while now < visible_at
);
CREATE INDEX IF NOT EXISTS messages_order ON messages (queue, priority, seq);
CREATE INDEX IF NOT EXISTS messages_age ON messages (queue, enqueue_time);
CREATE INDEX IF NOT EXISTS messages_due ON messages (queue, visible_at);
"""

# The message columns, in the order ``store`` unpacks them.
COLUMNS = ("seq, message_id, body, body_md5, priority, enqueue_time, first_dequeue_time, "
           "dequeue_count, visible_at, receipt_handle")


def connect(path: str) -> sqlite3.Connection:
    """Open (creating if needed) and lock the MNS store; StoreError (the cause) if it cannot."""
    return open_locked(path, SCHEMA, "MNS store")


def open_locked(path: str, schema: str, label: str) -> sqlite3.Connection:
    """Open a store file in WAL mode, create its ``schema``, and hold it exclusively (one server
    per data dir: a second would miss the first's wake-ups); StoreError naming ``label`` and the cause
    (in use, read-only, corrupt or truncated, disk full) if it cannot."""
    # Transactions are explicit; no one else should hold the file, so do not wait long for it.
    try:
        db = sqlite3.connect(path, isolation_level=None, timeout=0.2)
    except sqlite3.Error as exc:
        raise open_failed(exc, path, label) from None
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")          # see the module docstring
        db.execute("PRAGMA locking_mode=EXCLUSIVE")
        db.execute("BEGIN IMMEDIATE")
        db.executescript(schema)                         # commits, keeping the exclusive lock
        if path != ":memory:":
            problems = [row[0] for row in db.execute("PRAGMA quick_check(3)")]
            if problems != ["ok"]:                       # a truncated/corrupt file is found now, not mid-run
                raise sqlite3.DatabaseError(f"database disk image is malformed: {'; '.join(problems)[:200]}")
    except sqlite3.Error as exc:
        db.close()
        raise open_failed(exc, path, label) from None
    return db
