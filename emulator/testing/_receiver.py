"""A capturing receiver: a real HTTP callback endpoint that records every delivery, so a
test can wait for an event and assert on order, duplicates and signatures."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .. import receiver as builtin

Match = Callable[["Delivery"], bool]


@dataclass(frozen=True, slots=True)
class Delivery:
    """One request that reached the receiver, and what it answered."""

    seq: int                     # 1, 2, … in arrival order
    at: float                    # time.monotonic() of arrival
    path: str
    headers: dict[str, str]
    body: bytes
    event_type: str | None       # the body's EventType (None: not an event body)
    video_id: str | None         # VideoId / MediaId / ImageId / AttachedMediaId / FileId
    signature: str | None        # ok | mismatch | missing | stale; None when no auth_key is set
    copy: int                    # 1 the first time this exact body arrived, 2 the next…
    status: int                  # what the receiver answered (0: connection reset)

    @property
    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def accepted(self) -> bool:
        return self.status == 200

    def describe(self) -> str:
        sig = "" if self.signature is None else f" sig={self.signature}"
        copy = "" if self.copy == 1 else f" (this body's arrival #{self.copy})"
        return f"#{self.seq} {self.event_type or self.path} {self.video_id or ''}{sig}{copy} → {self.status}"


class CapturingReceiver:
    """Listens on 127.0.0.1 (port 0 by default) in its own thread and event loop.

    It checks ``X-VOD-SIGNATURE`` (or Tencent's ``Sign``) when ``auth_key`` is set (a bad one is
    answered 403, like the built-in receiver), and can
    misbehave like the built-in receiver: ``fail_first`` N deliveries of each body with
    ``fail_status``, answer ``status`` otherwise, wait ``delay`` seconds.
    """

    def __init__(self, *, auth_key: str | None = None, fail_first: int = 0, fail_status: int = 500,
                 status: int = 200, delay: float = 0.0, path: str = "/callback", port: int = 0) -> None:
        self.config = builtin.ReceiverConfig(auth_key=auth_key, fail_first=fail_first, fail_status=fail_status,
                                             status=status, delay=delay)
        self.path, self.port = path, port
        self.url = ""
        self._deliveries: list[Delivery] = []
        self._cond = threading.Condition()
        self._waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = []
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._state: builtin.ReceiverState | None = None

    def configure(self, *, auth_key: str | None = None, fail_first: int | None = None,
                  fail_status: int | None = None, status: int | None = None, delay: float | None = None) -> None:
        """Change how the receiver answers from now on (e.g. ``fail_first=2``: 500, 500, then 200)."""
        changes = {k: v for k, v in (("auth_key", auth_key), ("fail_first", fail_first),
                                     ("fail_status", fail_status), ("status", status), ("delay", delay))
                   if v is not None}
        self.config = dataclasses.replace(self.config, **changes)
        if self._state is not None:
            self._state.config = self.config   # one attribute swap: the next request sees it

    # -- lifetime ------------------------------------------------------------------------------
    def start(self) -> CapturingReceiver:
        if self._thread is not None:
            return self
        ready = threading.Event()
        failure: list[BaseException] = []

        def main() -> None:
            try:
                asyncio.run(self._serve(ready))
            except BaseException as exc:
                failure.append(exc)
            finally:
                ready.set()

        self._thread = threading.Thread(target=main, name="vod-emulator-receiver", daemon=True)
        self._thread.start()
        if not ready.wait(30) or failure or not self.url:
            self.stop()
            raise RuntimeError(f"the capturing receiver did not start: {failure[0] if failure else 'timed out'}")
        return self

    async def _serve(self, ready: threading.Event) -> None:
        app = builtin.create_app(self.config, on_receive=self._record, keep=False)
        self._state = app[builtin.STATE]
        self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
        runner, base = await builtin.start(app, "127.0.0.1", self.port)
        try:
            self.url = base.rstrip("/") + self.path
            ready.set()
            await self._stop.wait()
        finally:
            await runner.cleanup()

    def stop(self) -> None:
        """Stop listening and end the thread; safe to call twice."""
        if self._thread is None:
            return
        loop, stop = self._loop, self._stop
        if loop is not None and stop is not None and not loop.is_closed():
            try:
                loop.call_soon_threadsafe(stop.set)
            except RuntimeError:
                pass
        self._thread.join(timeout=30)
        self._thread = None

    def __enter__(self) -> CapturingReceiver:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- what arrived ----------------------------------------------------------------------------
    def _record(self, rec: builtin.Received) -> None:
        d = Delivery(seq=rec.seq, at=time.monotonic(), path=rec.path, headers=rec.headers, body=rec.body,
                     event_type=rec.event_type, video_id=rec.media_id, signature=rec.signature, copy=rec.copy,
                     status=rec.status)
        with self._cond:
            self._deliveries.append(d)
            self._cond.notify_all()
            waiters = list(self._waiters)
        for loop, event in waiters:
            try:
                loop.call_soon_threadsafe(event.set)
            except RuntimeError:   # that test's loop is gone
                pass

    @property
    def deliveries(self) -> list[Delivery]:
        """Every request so far, in arrival order (failed attempts and copies included)."""
        with self._cond:
            return list(self._deliveries)

    @property
    def events(self) -> list[dict[str, Any]]:
        """The bodies the receiver accepted (answered 200), in arrival order."""
        return [d.json for d in self.deliveries if d.accepted and d.event_type is not None]

    def event_types(self) -> list[str]:
        """EventType of each accepted delivery, in arrival order (to assert on ordering)."""
        return [d.event_type for d in self.deliveries if d.accepted and d.event_type is not None]

    def duplicates(self) -> dict[bytes, list[Delivery]]:
        """Bodies that were accepted more than once (what an idempotent receiver must absorb)."""
        by_body: dict[bytes, list[Delivery]] = defaultdict(list)
        for d in self.deliveries:
            if d.accepted:
                by_body[d.body].append(d)
        return {body: ds for body, ds in by_body.items() if len(ds) > 1}

    def bad_signatures(self) -> list[Delivery]:
        """Deliveries whose signature did not check out (empty when ``auth_key`` is not set)."""
        return [d for d in self.deliveries if d.signature not in (None, "ok")]

    def clear(self) -> None:
        with self._cond:
            self._deliveries.clear()

    # -- waiting -----------------------------------------------------------------------------------
    def _matching(self, event_type: str | None, video_id: str | None, where: Match | None) -> list[Delivery]:
        return [d for d in self._deliveries
                if (event_type is None or d.event_type == event_type)
                and (video_id is None or d.video_id == video_id)
                and (where is None or where(d))]

    def wait_for(self, event_type: str | None = None, *, video_id: str | None = None, count: int = 1,
                 where: Match | None = None, timeout: float = 5.0) -> Delivery:
        """Block until the ``count``-th delivery matching ``event_type``/``video_id``/``where``
        has arrived and return it; ``AssertionError`` listing what did arrive on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(found := self._matching(event_type, video_id, where)) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(self._timeout_message(event_type, video_id, count, timeout))
                self._cond.wait(left)
            return found[count - 1]

    async def wait_for_async(self, event_type: str | None = None, *, video_id: str | None = None,
                             count: int = 1, where: Match | None = None, timeout: float = 5.0) -> Delivery:
        """The same as :meth:`wait_for`, awaited (the test's event loop keeps running)."""
        loop = asyncio.get_running_loop()
        woken = asyncio.Event()
        waiter = (loop, woken)
        deadline = loop.time() + timeout
        with self._cond:
            self._waiters.append(waiter)
        try:
            while True:
                woken.clear()
                with self._cond:
                    found = self._matching(event_type, video_id, where)
                if len(found) >= count:
                    return found[count - 1]
                left = deadline - loop.time()
                if left <= 0:
                    raise AssertionError(self._timeout_message(event_type, video_id, count, timeout))
                try:
                    await asyncio.wait_for(woken.wait(), left)
                except TimeoutError:
                    pass
        finally:
            with self._cond:
                self._waiters.remove(waiter)

    def _timeout_message(self, event_type: str | None, video_id: str | None, count: int, timeout: float) -> str:
        what = " ".join(x for x in (event_type or "any event", f"for VideoId {video_id}" if video_id else "") if x)
        arrived = [d.describe() for d in self._deliveries] or ["nothing"]
        return (f"{'' if count == 1 else f'{count} × '}{what} did not arrive at {self.url} within {timeout:g} s; "
                f"received: " + "; ".join(arrived[-20:]))

    def journal_lines(self) -> list[str]:
        """What arrived, one line per request (what a failing test shows)."""
        return [f"  {d.describe()}" for d in self.deliveries]
