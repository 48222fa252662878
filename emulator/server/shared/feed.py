"""The live delivery feed of ``serve``: every attempt of every run, as it ends.

Runs started through the control API publish here; the inspector page and
``vod-emulator logs --follow`` subscribe (server-sent events), ``logs`` reads the recent
ones, and ``serve -v`` logs one line per attempt.  Memory is bounded: the last
``KEEP`` records, and a subscriber too slow to keep up is told it missed some.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from aiohttp import web

from ...events import Event
from ...providers.aliyun import signing
from ...run import text
from ...run.journal import Attempt

log = logging.getLogger("emulator.server.deliveries")
KEEP = 2000
QUEUE_SIZE = 1000


class DeliveryFeed:
    def __init__(self, keep: int = KEEP) -> None:
        self.records: deque[dict[str, Any]] = deque(maxlen=keep)
        self.seq = 0
        self._subscribers: set[asyncio.Queue[dict[str, Any]]] = set()

    def publish(self, record: dict[str, Any]) -> None:
        self.seq += 1
        record["seq"] = self.seq
        self.records.append(record)
        if log.isEnabledFor(logging.INFO):
            log.info("%s", line(record))
        for queue in list(self._subscribers):
            try:
                queue.put_nowait(record)
            except asyncio.QueueFull:   # a stalled reader: it gets a gap marker instead of all memory
                self._subscribers.discard(queue)

    def since(self, seq: int = 0, limit: int = KEEP) -> list[dict[str, Any]]:
        return [r for r in self.records if r["seq"] > seq][-limit:]

    @contextmanager
    def subscribe(self) -> Iterator[asyncio.Queue[dict[str, Any]]]:
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=QUEUE_SIZE)
        self._subscribers.add(queue)
        try:
            yield queue
        finally:
            self._subscribers.discard(queue)

    def close(self) -> None:
        """Tell every subscriber the server is stopping (their streams end at once)."""
        for queue in list(self._subscribers):
            self._subscribers.discard(queue)
            try:
                queue.put_nowait({})
            except asyncio.QueueFull:
                pass

    def alive(self, queue: asyncio.Queue[dict[str, Any]]) -> bool:
        return queue in self._subscribers

    def hook(self, *, run_id: Callable[[], str], region: str, max_attempts: int,
             auth: tuple[str, str] | None) -> Callable[[Event, str, Attempt], None]:
        """An ``on_attempt`` callback for one run; ``auth`` (URL, AuthKey) recomputes the
        X-VOD-* headers the attempt carried (its timestamp is the attempt's start second)."""
        previous: dict[tuple[str, int, str], Attempt] = {}

        def on_attempt(event: Event, target: str, attempt: Attempt) -> None:
            key = (event.event_id, event.copy, target)
            before = previous.pop(key, None)
            final = attempt.ok or attempt.attempt >= max_attempts
            if not final:
                previous[key] = attempt
            a = attempt.to_dict()
            headers = {"Content-Type": "application/json"}
            if auth is not None:
                stamp = int(datetime.fromisoformat(a["started_at"].replace("Z", "+00:00")).timestamp())
                headers |= signing.auth_headers(auth[0], stamp, auth[1])
            self.publish({
                "run_id": run_id(), "region": region, "event_id": event.event_id, "event_type": event.event_type,
                "kind": event.kind, "media_id": event.media_id, "copy": event.copy, "faults": list(event.faults),
                "target": target, "attempt": a, "max_attempts": max_attempts,
                "gap_s": text.gap_s(before.to_dict() if before else None, a),
                "final": final, "outcome": ("delivered" if attempt.ok else "lost") if final else None,
                "headers": headers, "body": json.loads(event.body)})

        return on_attempt


def line(record: dict[str, Any]) -> str:
    """The record as ``trigger`` prints an attempt."""
    return text.attempt_line(event_type=record["event_type"], media_id=record.get("media_id"), body=record["body"],
                             attempt=record["attempt"], max_attempts=record["max_attempts"], gap=record.get("gap_s"),
                             copy=record.get("copy", 1),
                             outcome="lost" if record.get("outcome") == "lost" else None)


FEED = web.AppKey("delivery_feed", DeliveryFeed)


def feed_of(request: web.Request) -> DeliveryFeed:
    """The server's feed, from any face (sub-apps see the root app's keys)."""
    return request.config_dict[FEED]
