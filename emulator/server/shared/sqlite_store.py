"""What the MNS queue store and the Tencent event store share: one SQLite connection used
from the event loop, IMMEDIATE transactions, wake-ups for long polls, an injected clock."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

from aiohttp import web

from emulator.clock import Clock, QueueClock
from .wakeups import Wakeups


class SqliteStore:
    label = "store"     # for messages: "the MNS store is not open"

    def __init__(self, path: str | Path = ":memory:", *, clock: QueueClock | None = None) -> None:
        if getattr(clock, "time_scale", 1) != 1:
            raise ValueError(f"the {self.label} needs a clock whose sleeps and wall time agree: "
                             "Clock() or ManualClock, not a scaled Clock")
        self.path = str(path)
        self.clock: QueueClock = clock or Clock()
        self._db: sqlite3.Connection | None = None
        self._wakeups = Wakeups()
        self._closing = False

    @property
    def is_open(self) -> bool:
        return self._db is not None

    def interrupt(self) -> None:
        """Release every waiting long poll (server shutdown)."""
        self._closing = True
        self._wakeups.notify_all()

    def close(self) -> None:
        self.interrupt()
        if self._db is not None:
            self._db.close()
            self._db = None

    @property
    def db(self) -> sqlite3.Connection:
        if self._db is None:
            raise RuntimeError(f"the {self.label} is not open")
        return self._db

    @contextmanager
    def _txn(self) -> Iterator[sqlite3.Connection]:
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:      # a failed COMMIT (disk full) must not leave it open
                db.execute("ROLLBACK")
            raise

    def _now_ms(self) -> int:
        return int(self.clock.wall() * 1000)


def attach(app: web.Application, key: web.AppKey) -> None:
    """Tie the store at ``app[key]`` to the app's life: opened at startup (and closed at cleanup
    if the app opened it), long polls released at shutdown so they do not hold it up."""

    async def lifetime(app: web.Application) -> AsyncIterator[None]:
        store = app[key]
        opened = not store.is_open
        store.open()
        yield
        if opened:
            store.close()

    async def release_waiters(app: web.Application) -> None:
        app[key].interrupt()

    app.cleanup_ctx.append(lifetime)
    app.on_shutdown.append(release_waiters)
