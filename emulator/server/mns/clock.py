"""The queue's sense of time, and a hand-driven clock for tests and the control API.

The store asks a clock for ``wall()`` (Unix seconds: enqueue and visibility times) and
waits with ``await sleep(seconds)`` (long polls, a delayed message coming due).  Both must
be in the same time base: ``emulator.clock.Clock()`` (real time) or ``ManualClock``,
which only moves when ``advance()`` is called.  (A ``Clock`` with a ``time_scale`` other
than 1 scales its sleeps but not its wall time, so it would stretch long polls.)
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections.abc import Awaitable
from typing import Protocol


class QueueClock(Protocol):
    def wall(self) -> float: ...

    def sleep(self, seconds: float) -> Awaitable[None]: ...


class ManualClock:
    """Time stands still until ``advance``; sleepers wake when their deadline is reached."""

    def __init__(self, start: float | None = None) -> None:
        self._now = time.time() if start is None else start
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()

    def wall(self) -> float:
        return self._now

    def monotonic(self) -> float:
        return self._now

    def sleep(self, seconds: float) -> asyncio.Future[None]:
        """Awaitable; the deadline is taken when called, not when first awaited."""
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        if seconds <= 0:
            fut.set_result(None)
        else:
            heapq.heappush(self._sleepers, (self._now + seconds, next(self._seq), fut))
        return fut

    def advance(self, seconds: float) -> None:
        """Move time forward and release every sleeper whose deadline has come
        (from the event loop's thread)."""
        if seconds < 0:
            raise ValueError("time only moves forward")
        self._now += seconds
        while self._sleepers and self._sleepers[0][0] <= self._now:
            _, _, fut = heapq.heappop(self._sleepers)
            if not fut.done():
                fut.set_result(None)
