"""Queue state in SQLite: queues, messages, visibility, receipt handles, long polls.

No HTTP here: every method takes and returns plain values (``model``) or raises an
``MnsError``.  Methods are synchronous and short (one small transaction, ~40 µs), so they
run on the event loop's thread and are atomic with respect to each other: concurrent
consumers can never both take, or both delete, the same message.  Only ``receive``
waits.  Every mutating method commits before it returns (durability: ``_sqlite``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import secrets
import sqlite3
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..shared.sqlite_store import SqliteStore
from ..shared.storage_faults import check_dir
from . import model
from ..shared.sqlite_open import COLUMNS, connect
from emulator.clock import QueueClock
from .errors import InvalidArgument, MessageNotExist, MnsError, QueueAlreadyExist, QueueNotExist, ReceiptHandleError
from .model import Message, NewMessage, QueueAttributes, QueueInfo, QueuePage, SentMessage, Visibility

log = logging.getLogger(__name__)

DB_FILE = "mns.sqlite3"
HANDLE_PREFIX = "1-"
# Text a body may not hold, as XML 1.0 cannot carry it back out (only via the Python API).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_HANDLE_LEN = len(HANDLE_PREFIX) + 22


def body_md5(body: str) -> str:
    return hashlib.md5(body.encode("utf-8")).hexdigest().upper()


def new_handle() -> str:
    # [A-Za-z0-9_-] only: the SDK puts handles in query strings without encoding them.
    return HANDLE_PREFIX + secrets.token_urlsafe(16)


def check_handle(handle: str) -> str:
    if (len(handle) != _HANDLE_LEN or not handle.startswith(HANDLE_PREFIX)
            or not handle[2:].replace("-", "").replace("_", "").isalnum() or not handle.isascii()):
        raise ReceiptHandleError()
    return handle


class QueueStore(SqliteStore):
    """All queues of one account.  ``path``: a SQLite file, or ``":memory:"``."""

    label = "MNS store"

    def __init__(self, path: str | Path = ":memory:", *, clock: QueueClock | None = None) -> None:
        super().__init__(path, clock=clock)
        self._queues: dict[str, tuple[QueueAttributes, int, int]] = {}   # attrs, created, modified

    @classmethod
    def in_dir(cls, data_dir: str | Path, *, clock: QueueClock | None = None) -> QueueStore:
        check_dir(data_dir)
        return cls(Path(data_dir) / DB_FILE, clock=clock)

    # -- lifecycle ---------------------------------------------------------------------
    def open(self) -> QueueStore:
        self._closing = False
        if self._db is not None:
            return self
        db = connect(self.path)
        self._db = db
        self._queues = {name: (QueueAttributes(**json.loads(attrs)), created, modified)
                        for name, attrs, created, modified in db.execute("SELECT * FROM queues")}
        log.debug("MNS store %s open: %d queues", self.path, len(self._queues))
        return self

    def _attrs(self, queue: str) -> QueueAttributes:
        return self._row(queue)[0]

    def _cutoff(self, queue: str, now_ms: int) -> int:
        """Messages enqueued at or before this instant are past their retention period."""
        return now_ms - self._attrs(queue).MessageRetentionPeriod * 1000

    def _row(self, queue: str) -> tuple[QueueAttributes, int, int]:
        try:
            return self._queues[queue]
        except KeyError:
            raise QueueNotExist() from None

    # -- queues ------------------------------------------------------------------------
    def create_queue(self, name: str, changes: dict[str, Any] | None = None) -> bool:
        """True: created; False: it exists with the same attributes (else QueueAlreadyExist)."""
        model.check_queue_name(name)
        attrs = QueueAttributes().updated(changes or {})
        if name in self._queues:
            if self._queues[name][0] != attrs:
                raise QueueAlreadyExist()
            return False
        now = int(self.clock.wall())
        with self._txn() as db:
            db.execute("INSERT INTO queues VALUES (?, ?, ?, ?)", (name, json.dumps(attrs.as_dict()), now, now))
        self._queues[name] = (attrs, now, now)
        return True

    def set_queue_attributes(self, name: str, changes: dict[str, Any]) -> QueueAttributes:
        attrs, created, _ = self._row(name)
        attrs = attrs.updated(changes)
        now = int(self.clock.wall())
        with self._txn() as db:
            db.execute("UPDATE queues SET attributes = ?, last_modify_time = ? WHERE name = ?",
                       (json.dumps(attrs.as_dict()), now, name))
        self._queues[name] = (attrs, created, now)
        self._wakeups.notify(name)
        return attrs

    def get_queue_attributes(self, name: str) -> QueueInfo:
        attrs, created, modified = self._row(name)
        now = self._now_ms()
        active, inactive, delayed = self.db.execute(
            "SELECT COALESCE(SUM(visible_at <= :now), 0),"
            " COALESCE(SUM(visible_at > :now AND dequeue_count > 0), 0),"
            " COALESCE(SUM(visible_at > :now AND dequeue_count = 0), 0)"
            " FROM messages WHERE queue = :q AND enqueue_time > :cutoff",
            {"now": now, "q": name, "cutoff": self._cutoff(name, now)}).fetchone()
        return QueueInfo(name, attrs, created, modified, active, inactive, delayed)

    def delete_queue(self, name: str) -> None:
        """Deletes the queue and its messages; a missing queue is not an error."""
        with self._txn() as db:
            db.execute("DELETE FROM messages WHERE queue = ?", (name,))
            db.execute("DELETE FROM queues WHERE name = ?", (name,))
        self._queues.pop(name, None)
        self._wakeups.notify(name)

    def list_queues(self, prefix: str = "", marker: str = "", limit: int = model.LIST_RET_NUMBER[2]) -> QueuePage:
        """Names in order; ``marker`` is the last name of the previous page."""
        model.check_range("x-mns-ret-number", limit, *model.LIST_RET_NUMBER[:2])
        names = sorted(n for n in self._queues if n.startswith(prefix) and n > marker)
        page = tuple(names[:limit])
        return QueuePage(page, page[-1] if len(names) > limit else "")

    # -- messages ----------------------------------------------------------------------
    def send(self, queue: str, message: NewMessage) -> SentMessage:
        result = self.send_batch(queue, [message], batch=False)[0]
        if isinstance(result, MnsError):
            raise result
        return result

    def send_batch(self, queue: str, messages: Sequence[NewMessage], *,
                   batch: bool = True) -> list[SentMessage | MnsError]:
        """Stores the valid messages in one transaction; an error stands in for each invalid one."""
        attrs = self._attrs(queue)
        if batch:
            model.check_range("Messages", len(messages), *model.BATCH)
            total = sum(len(m.body.encode("utf-8", "surrogatepass")) for m in messages)
            if total > model.BATCH_BYTES:
                raise InvalidArgument(f"The total size of messages in a batch should not exceed "
                                      f"{model.BATCH_BYTES} bytes.")
        now = self._now_ms()
        results: list[SentMessage | MnsError] = []
        rows = []
        for m in messages:
            try:
                if _NOT_XML.search(m.body):
                    raise InvalidArgument("MessageBody holds characters XML cannot carry.")
                size = len(m.body.encode("utf-8"))
                if size < 1 or size > attrs.MaximumMessageSize:
                    raise InvalidArgument(f"The value of MessageBody should between 1 and "
                                          f"{attrs.MaximumMessageSize} bytes.")
                delay = attrs.DelaySeconds if m.delay_seconds is None else m.delay_seconds
                model.check_range("DelaySeconds", delay, *model.MESSAGE_DELAY, "seconds")
                priority = model.PRIORITY[2] if m.priority is None else m.priority
                model.check_range("Priority", priority, *model.PRIORITY[:2])
            except UnicodeEncodeError:
                results.append(InvalidArgument("MessageBody is not valid UTF-8 text."))
                continue
            except MnsError as exc:
                results.append(exc)
                continue
            sent = SentMessage(uuid.uuid4().hex.upper(), body_md5(m.body), new_handle() if delay else "")
            rows.append((queue, sent.message_id, m.body, sent.body_md5, priority, now, now + delay * 1000,
                         sent.receipt_handle or None))
            results.append(sent)
        if rows:
            with self._txn() as db:
                db.executemany("INSERT INTO messages (queue, message_id, body, body_md5, priority, enqueue_time,"
                               " first_dequeue_time, dequeue_count, visible_at, receipt_handle)"
                               " VALUES (?, ?, ?, ?, ?, ?, NULL, 0, ?, ?)", rows)
            self._wakeups.notify(queue)
        return results

    def receive_now(self, queue: str, n: int = 1) -> list[Message]:
        """Takes up to ``n`` visible messages (priority, then send order); they become inactive."""
        model.check_range("numofmessages", n, *model.BATCH)
        attrs = self._attrs(queue)
        now = self._now_ms()
        visible_at = now + attrs.VisibilityTimeout * 1000
        got = []
        with self._txn() as db:
            db.execute("DELETE FROM messages WHERE queue = ? AND enqueue_time <= ?",
                       (queue, self._cutoff(queue, now)))
            rows = db.execute(f"SELECT {COLUMNS} FROM messages WHERE queue = ? AND visible_at <= ?"
                              " ORDER BY priority, seq LIMIT ?", (queue, now, n)).fetchall()
            for seq, mid, body, md5, prio, enq, first, count, _, _ in rows:
                handle = new_handle()
                first = now if first is None else first
                db.execute("UPDATE messages SET dequeue_count = ?, first_dequeue_time = ?, visible_at = ?,"
                           " receipt_handle = ? WHERE seq = ?", (count + 1, first, visible_at, handle, seq))
                got.append(Message(mid, body, md5, enq, first, count + 1, prio, handle, visible_at))
        return got

    async def receive(self, queue: str, n: int = 1, wait_seconds: int | None = None, *,
                      abandoned: Callable[[], bool] | None = None) -> list[Message]:
        """Long poll: waits up to ``wait_seconds`` (default: the queue's PollingWaitSeconds)
        for a message to become visible, waking at once on a send or when a delayed or
        in-flight message comes due; nothing by then → MessageNotExist.

        ``abandoned()`` true (the asker has gone away) → MessageNotExist without taking
        anything, so no message is hidden for a visibility timeout on nobody's behalf."""
        wait = self._attrs(queue).PollingWaitSeconds if wait_seconds is None else wait_seconds
        model.check_range("waitseconds", wait, *model.WAIT_SECONDS, "seconds")
        deadline = self.clock.wall() + wait
        while True:
            if abandoned is not None and abandoned():
                raise MessageNotExist()
            got = self.receive_now(queue, n)
            if got:
                return got
            now = self.clock.wall()
            if now >= deadline or self._closing:
                raise MessageNotExist()
            due = self._next_due(queue)
            await self._wakeups.wait(queue, min(deadline, due) - now, self.clock)

    def _next_due(self, queue: str) -> float:
        (due,) = self.db.execute("SELECT MIN(visible_at) FROM messages WHERE queue = ? AND visible_at > ?",
                                 (queue, self._now_ms())).fetchone()
        return float("inf") if due is None else due / 1000

    def waiting(self, queue: str) -> int:
        """How many receives are parked on ``queue`` right now (tests, control API)."""
        return self._wakeups.waiting(queue)

    def peek(self, queue: str, n: int = 1) -> list[Message]:
        model.check_range("numofmessages", n, *model.BATCH)
        now = self._now_ms()
        rows = self.db.execute(f"SELECT {COLUMNS} FROM messages WHERE queue = ? AND visible_at <= ?"
                               " AND enqueue_time > ? ORDER BY priority, seq LIMIT ?",
                               (queue, now, self._cutoff(queue, now), n)).fetchall()
        if not rows:
            raise MessageNotExist()
        return [Message(mid, body, md5, enq, enq if first is None else first, count, prio)
                for _, mid, body, md5, prio, enq, first, count, _, _ in rows]

    def _current(self, db: sqlite3.Connection, queue: str, handle: str, now: int) -> int:
        """The seq of the message ``handle`` is the live handle of, else MessageNotExist."""
        check_handle(handle)
        row = db.execute("SELECT seq FROM messages WHERE receipt_handle = ? AND queue = ? AND visible_at > ?"
                         " AND enqueue_time > ?", (handle, queue, now, self._cutoff(queue, now))).fetchone()
        if row is None:
            raise MessageNotExist()
        return row[0]

    def delete(self, queue: str, handle: str) -> None:
        self._attrs(queue)
        now = self._now_ms()
        with self._txn() as db:
            db.execute("DELETE FROM messages WHERE seq = ?", (self._current(db, queue, handle, now),))

    def delete_batch(self, queue: str, handles: Sequence[str]) -> list[tuple[str, MnsError]]:
        """Deletes what it can in one transaction; returns the (handle, error) that failed."""
        self._attrs(queue)
        model.check_range("ReceiptHandles", len(handles), *model.BATCH)
        now = self._now_ms()
        failed: list[tuple[str, MnsError]] = []
        with self._txn() as db:
            for handle in handles:
                try:
                    db.execute("DELETE FROM messages WHERE seq = ?", (self._current(db, queue, handle, now),))
                except MnsError as exc:
                    failed.append((handle, exc))
        return failed

    def change_visibility(self, queue: str, handle: str, timeout: int) -> Visibility:
        """The message stays invisible ``timeout`` s from now, under a new handle."""
        self._attrs(queue)
        model.check_range("VisibilityTimeout", timeout, *model.CHANGE_VISIBILITY, "seconds")
        now = self._now_ms()
        new = Visibility(new_handle(), now + timeout * 1000)
        with self._txn() as db:
            seq = self._current(db, queue, handle, now)
            db.execute("UPDATE messages SET visible_at = ?, receipt_handle = ? WHERE seq = ?",
                       (new.next_visible_time, new.receipt_handle, seq))
        self._wakeups.notify(queue)
        return new
