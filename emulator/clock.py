"""Time, injected: the one clock module.  ``Clock`` is real time, optionally with every wait
scaled; ``ManualClock`` stands still until a test (or the control API) advances it.

``sleep`` is the only way the emulator waits (retry gaps, scenario delays), so a
``time_scale`` of 0.01 runs a flow a hundred times faster while the code paths, and the
recorded *nominal* durations, stay those of the real service.  Attempt timeouts are not
scaled (they are about the receiver, not about us); they have their own setting.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Clock:
    time_scale: float = 1.0

    def __post_init__(self) -> None:
        if not self.time_scale >= 0:
            raise ValueError("time scale must be >= 0")

    def monotonic(self) -> float:
        return time.monotonic()

    def wall(self) -> float:
        """Unix time in seconds (used for X-VOD-TIMESTAMP and attempt start stamps)."""
        return time.time()

    def utcnow(self) -> datetime:
        return datetime.fromtimestamp(self.wall(), tz=timezone.utc)

    def scaled(self, seconds: float) -> float:
        return seconds * self.time_scale

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` of emulated time, i.e. ``seconds * time_scale`` of real time."""
        delay = self.scaled(seconds)
        if delay > 0:
            await asyncio.sleep(delay)
        else:
            await asyncio.sleep(0)

    async def sleep_until(self, deadline: float) -> None:
        """Wait until ``deadline`` (already scaled), a ``monotonic()`` instant."""
        await sleep_until(deadline)


def now() -> float:
    """The instant every delivery timing is measured with: ``time.monotonic()``, to the
    microsecond.  Waits are event-loop timers set for such instants (``sleep_until``): the
    loop's clock counts the same CLOCK_MONOTONIC, but uvloop's only in whole milliseconds,
    too coarse to measure a loopback answer or a timing error by."""
    return time.monotonic()


def _wake(fut: asyncio.Future[None]) -> None:
    if not fut.done():
        fut.set_result(None)


async def sleep_until(deadline: float) -> None:
    """Wait until the ``now()`` instant ``deadline``, with a timer set for that instant (not
    "``deadline - now`` from whenever the timer is set", which a coarse loop clock makes early)."""
    if deadline <= time.monotonic():
        await asyncio.sleep(0)
        return
    loop = asyncio.get_running_loop()
    while True:     # a loop whose timers count whole milliseconds (uvloop) may wake < 1 ms early
        fut = loop.create_future()
        timer = loop.call_at(deadline, _wake, fut)
        try:
            await fut
        finally:
            timer.cancel()
        if time.monotonic() >= deadline:
            return

# The queues (MNS, the Tencent event queue) ask a clock for ``wall()`` (Unix seconds: enqueue
# and visibility times) and wait with ``await sleep(seconds)`` (long polls, a delayed message
# coming due).  Both must be in the same time base: ``Clock()`` (real time) or ``ManualClock``.
# (A ``Clock`` with a ``time_scale`` other than 1 scales its sleeps but not its wall time, so it
# would stretch long polls.)
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
