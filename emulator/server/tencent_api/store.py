"""Reliable-callback state in SQLite: per-app event queues, handles, long polls, event config.

No HTTP here: methods take and return plain values or raise a ``TencentError``.  They
are synchronous and short (one small transaction), so they run on the event loop's
thread and are atomic with respect to each other; only ``pull`` waits.  Every mutating
method commits before it returns (WAL, ``synchronous=NORMAL``, one process per file: the
same settings as the MNS store, see ``emulator.server.shared.sqlite_open``).

Queue rules (reference §2.4): FIFO per ``SubAppId`` (``None`` and ``0`` are the default
app); a pull takes ≤ 16 visible events and gives each a fresh handle; a pulled event is
invisible for 30 s, after which it can be pulled again under a new handle and the old one
is dead; ``confirm`` deletes; events older than 4 days (counted from enqueue) are dropped.
Every duration is multiplied by ``time_scale`` (0.01: the 30 s visibility lasts 0.3 s of
the clock), or use a ``ManualClock`` and advance it.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import sqlite3
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..shared.sqlite_open import open_locked
from emulator.clock import QueueClock
from ..shared.sqlite_store import SqliteStore
from ..shared.storage_faults import check_dir
from .errors import InvalidParameterValue

log = logging.getLogger(__name__)

DB_FILE = "tencent.sqlite3"
MAX_EVENTS = 16                  # per PullEvents, and handles per ConfirmEvents
HOLD_SECONDS = 5.0               # a PullEvents on an empty queue is held this long
VISIBILITY_SECONDS = 30.0        # a pulled event's handle lives this long
RETENTION_SECONDS = 4 * 86400.0  # events older than this are dropped
SWITCHES = ("UploadMediaCompleteEventSwitch", "DeleteMediaCompleteEventSwitch", "PersistenceCompleteEventSwitch")
_SIGN_KEY = re.compile(r"[A-Za-z0-9]{0,32}\Z")

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY,            -- enqueue order: FIFO
    app INTEGER NOT NULL,               -- SubAppId, 0 for the default app
    event_id TEXT NOT NULL UNIQUE,
    body TEXT NOT NULL,                 -- JSON of EventContent without EventHandle
    enqueue_time INTEGER NOT NULL,      -- ms
    visible_at INTEGER NOT NULL,        -- ms: enqueue time, then pull time + visibility
    handle TEXT UNIQUE,                 -- the latest handle; valid while now < visible_at
    deliveries INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS events_order ON events (app, seq);
CREATE TABLE IF NOT EXISTS event_config (
    app INTEGER PRIMARY KEY,
    config TEXT NOT NULL                -- JSON of EventConfig
);
"""


@dataclass(frozen=True, slots=True)
class EventConfig:
    """One app's ModifyEventConfig state; the defaults are what an app starts with (§6)."""
    Mode: str = "PUSH"
    NotificationUrl: str = ""
    UploadMediaCompleteEventSwitch: str = "OFF"
    DeleteMediaCompleteEventSwitch: str = "OFF"
    PersistenceCompleteEventSwitch: str = "OFF"
    SignKey: str = ""                   # stored, never described

    def updated(self, changes: Mapping[str, str]) -> EventConfig:
        """A partial update: absent keys keep their value; ``""`` clears the URL or SignKey."""
        for name, value in changes.items():
            if name == "Mode" and value not in ("PUSH", "PULL"):
                raise InvalidParameterValue(f"Mode should be PUSH or PULL, not {value!r}.")
            if name in SWITCHES and value not in ("ON", "OFF"):
                raise InvalidParameterValue(f"{name} should be ON or OFF, not {value!r}.")
            if name == "SignKey" and not _SIGN_KEY.match(value):
                raise InvalidParameterValue("SignKey should be at most 32 letters and digits.")
            if name == "NotificationUrl" and value:
                check_url(value)
        return replace(self, **changes)

    def describe(self) -> dict[str, str]:
        """DescribeEventConfig's fields: everything but SignKey."""
        return {k: v for k, v in asdict(self).items() if k != "SignKey"}


def check_url(url: str) -> None:
    try:
        parts = urlsplit(url)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname) and len(url) <= 1024
    except ValueError:
        ok = False
    if not ok or any(c.isspace() for c in url):
        raise InvalidParameterValue(f"NotificationUrl should be an http:// or https:// URL, not {url!r}.")


def new_handle() -> str:
    return secrets.token_hex(16)


def connect(path: str) -> sqlite3.Connection:
    """Open (creating if needed) and lock the file; StoreError (the cause) if it cannot."""
    return open_locked(path, SCHEMA, "Tencent event store")


def _app(sub_app_id: int | None) -> int:
    return sub_app_id or 0


class EventStore(SqliteStore):
    """Every app's event queue and event config.  ``path``: a SQLite file, or ``":memory:"``.

    ``time_scale`` multiplies the documented waits (5 s hold, 30 s confirm window, 4 days).
    """

    label = "Tencent event store"

    def __init__(self, path: str | Path = ":memory:", *, clock: QueueClock | None = None,
                 time_scale: float = 1.0) -> None:
        if not time_scale > 0:
            raise ValueError("time_scale must be > 0")
        super().__init__(path, clock=clock)
        self.time_scale = time_scale

    @classmethod
    def in_dir(cls, data_dir: str | Path, *, clock: QueueClock | None = None, time_scale: float = 1.0) -> EventStore:
        check_dir(data_dir)
        return cls(Path(data_dir) / DB_FILE, clock=clock, time_scale=time_scale)

    # -- lifecycle ---------------------------------------------------------------------
    def open(self) -> EventStore:
        self._closing = False
        if self._db is None:
            self._db = connect(self.path)
            log.debug("Tencent event store %s open", self.path)
        return self

    def clear_events(self) -> int:
        """Drop every queued event (the control API's reset); the event config stays."""
        with self._txn() as db:
            return db.execute("DELETE FROM events").rowcount

    def _ms(self, seconds: float) -> int:
        return round(seconds * self.time_scale * 1000)

    def _cutoff(self, now_ms: int) -> int:
        """Events enqueued at or before this instant are past the retention period."""
        return now_ms - self._ms(RETENTION_SECONDS)

    # -- events ------------------------------------------------------------------------
    def enqueue(self, sub_app_id: int | None, event_content: Mapping[str, Any]) -> str:
        """Queue an ``EventContent`` (without ``EventHandle``); returns the event's id."""
        if not isinstance(event_content, Mapping):
            raise TypeError("event_content should be a dict (an EventContent)")
        if "EventHandle" in event_content:
            raise ValueError("event_content should not hold an EventHandle: each pull assigns one")
        body = json.dumps(dict(event_content), ensure_ascii=False, allow_nan=False)
        body.encode("utf-8")                             # lone surrogates could never be sent
        event_id = uuid.uuid4().hex
        now = self._now_ms()
        with self._txn() as db:
            db.execute("INSERT INTO events (app, event_id, body, enqueue_time, visible_at, handle, deliveries)"
                       " VALUES (?, ?, ?, ?, ?, NULL, 0)", (_app(sub_app_id), event_id, body, now, now))
        self._wakeups.notify(str(_app(sub_app_id)))
        return event_id

    def pull_now(self, sub_app_id: int | None, max: int = MAX_EVENTS) -> list[dict[str, Any]]:
        """Takes up to ``max`` visible events, oldest first, each under a new handle."""
        if not 1 <= max <= MAX_EVENTS:
            raise ValueError(f"max should be 1 to {MAX_EVENTS}")
        app, now = _app(sub_app_id), self._now_ms()
        visible_at = now + self._ms(VISIBILITY_SECONDS)
        got = []
        with self._txn() as db:
            db.execute("DELETE FROM events WHERE app = ? AND enqueue_time <= ?", (app, self._cutoff(now)))
            rows = db.execute("SELECT seq, body FROM events WHERE app = ? AND visible_at <= ?"
                              " ORDER BY seq LIMIT ?", (app, now, max)).fetchall()
            for seq, body in rows:
                handle = new_handle()
                db.execute("UPDATE events SET visible_at = ?, handle = ?, deliveries = deliveries + 1"
                           " WHERE seq = ?", (visible_at, handle, seq))
                got.append({"EventHandle": handle, **json.loads(body)})
        return got

    async def pull(self, sub_app_id: int | None, max: int = MAX_EVENTS, wait: float = HOLD_SECONDS, *,
                   abandoned: Callable[[], bool] | None = None) -> list[dict[str, Any]]:
        """Long poll: events at once if any are visible, else waits up to ``wait`` seconds
        (times ``time_scale``), waking on an enqueue or when a pulled event comes due again.
        Nothing by then → ``[]``.  ``abandoned()`` true (the client has gone) → ``[]``
        without taking anything, so nothing is hidden for 30 s on nobody's behalf."""
        key = str(_app(sub_app_id))
        deadline = self.clock.wall() + wait * self.time_scale
        while True:
            if abandoned is not None and abandoned():
                return []
            got = self.pull_now(sub_app_id, max)
            if got:
                return got
            now = self.clock.wall()
            if now >= deadline or self._closing:
                return []
            due = self._next_due(sub_app_id)
            await self._wakeups.wait(key, min(deadline, due) - now, self.clock)

    def _next_due(self, sub_app_id: int | None) -> float:
        (due,) = self.db.execute("SELECT MIN(visible_at) FROM events WHERE app = ? AND visible_at > ?",
                                 (_app(sub_app_id), self._now_ms())).fetchone()
        return float("inf") if due is None else due / 1000

    def waiting(self, sub_app_id: int | None) -> int:
        """How many pulls are parked on this app's queue right now (tests)."""
        return self._wakeups.waiting(str(_app(sub_app_id)))

    def confirm(self, sub_app_id: int | None, handles: Sequence[str]) -> None:
        """Deletes the events of live handles.  All or nothing: if any handle is unknown,
        expired or already confirmed, InvalidParameterValue names them and nothing is
        confirmed (the live handles stay valid until their 30 s are up)."""
        if not 1 <= len(handles) <= MAX_EVENTS:
            raise InvalidParameterValue(f"EventHandles should hold 1 to {MAX_EVENTS} handles, not {len(handles)}.")
        app, now = _app(sub_app_id), self._now_ms()
        unique = list(dict.fromkeys(handles))
        with self._txn() as db:
            marks = ",".join("?" * len(unique))
            live = {h for (h,) in db.execute(
                f"SELECT handle FROM events WHERE app = ? AND visible_at > ? AND enqueue_time > ?"
                f" AND handle IN ({marks})", (app, now, self._cutoff(now), *unique))}
            bad = [h for h in unique if h not in live]
            if bad:
                raise InvalidParameterValue(
                    f"EventHandles: {', '.join(map(repr, bad))} expired, unknown or already confirmed "
                    f"(a handle is valid for {VISIBILITY_SECONDS:g} s after the pull); nothing was confirmed.")
            db.execute(f"DELETE FROM events WHERE app = ? AND handle IN ({marks})", (app, *unique))

    def count_to_pull(self, sub_app_id: int | None) -> int:
        """Events a pull could take now (queued, unexpired, not in flight)."""
        now = self._now_ms()
        (n,) = self.db.execute("SELECT COUNT(*) FROM events WHERE app = ? AND visible_at <= ? AND enqueue_time > ?",
                               (_app(sub_app_id), now, self._cutoff(now))).fetchone()
        return n

    # -- event config ------------------------------------------------------------------
    def config(self, sub_app_id: int | None) -> EventConfig:
        row = self.db.execute("SELECT config FROM event_config WHERE app = ?", (_app(sub_app_id),)).fetchone()
        return EventConfig() if row is None else EventConfig(**json.loads(row[0]))

    def set_config(self, sub_app_id: int | None, changes: Mapping[str, str]) -> EventConfig:
        """ModifyEventConfig: validates, applies the present keys, stores."""
        unknown = set(changes) - set(EventConfig.__dataclass_fields__)
        if unknown:
            raise ValueError(f"not event config fields: {sorted(unknown)}")
        config = self.config(sub_app_id).updated(changes)
        with self._txn() as db:
            db.execute("INSERT OR REPLACE INTO event_config VALUES (?, ?)",
                       (_app(sub_app_id), json.dumps(asdict(config))))
        return config
