"""Time, injected: a real clock, and the same clock with every wait scaled.

``sleep`` is the only way the emulator waits (retry gaps, scenario delays), so a
``time_scale`` of 0.01 runs a flow a hundred times faster while the code paths, and the
recorded *nominal* durations, stay those of the real service.  Attempt timeouts are not
scaled (they are about the receiver, not about us); they have their own setting.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from datetime import datetime, timezone


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
        """Wait until ``deadline`` on the event loop's clock (already scaled)."""
        await asyncio.sleep(max(0.0, deadline - asyncio.get_running_loop().time()))
