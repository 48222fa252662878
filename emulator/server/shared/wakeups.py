"""Long-poll parking: a receive waits here until its queue changes or its time is up."""

from __future__ import annotations

import asyncio
from collections import Counter

from emulator.clock import QueueClock


class Wakeups:
    def __init__(self) -> None:
        self._futures: dict[str, asyncio.Future[None]] = {}
        self._waiting: Counter[str] = Counter()

    def notify(self, queue: str) -> None:
        """Something on ``queue`` may have become receivable: every waiter looks again."""
        fut = self._futures.pop(queue, None)
        if fut is not None and not fut.done():
            fut.set_result(None)

    def notify_all(self) -> None:
        for queue in list(self._futures):
            self.notify(queue)

    async def wait(self, queue: str, seconds: float, clock: QueueClock) -> None:
        """Until ``notify(queue)`` or ``seconds`` of ``clock`` time, whichever is first."""
        fut = self._futures.get(queue)
        if fut is None:
            fut = self._futures[queue] = asyncio.get_running_loop().create_future()
        sleeper = asyncio.ensure_future(clock.sleep(max(seconds, 0.0)))
        self._waiting[queue] += 1
        try:
            await asyncio.wait((fut, sleeper), return_when=asyncio.FIRST_COMPLETED)
        finally:
            self._waiting[queue] -= 1
            sleeper.cancel()

    def waiting(self, queue: str) -> int:
        return self._waiting[queue]
