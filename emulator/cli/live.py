"""Live output of a run: one line per attempt as it ends, and — when stdout is not a terminal
(CI logs) — a progress line every few seconds, so a long run is never silent."""

from __future__ import annotations

import asyncio
import hashlib
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .. import receiver as builtin
from ..events import Event
from ..run import text
from ..run.journal import Attempt, EventResult
from .output import say

PROGRESS_INTERVAL_S = 5.0       # "at least every 5 s" in CI logs


def progress_interval() -> float:
    """``VOD_EMULATOR_PROGRESS_INTERVAL`` (seconds) overrides the default of 5."""
    try:
        return max(0.05, float(os.environ.get("VOD_EMULATOR_PROGRESS_INTERVAL", PROGRESS_INTERVAL_S)))
    except ValueError:
        return PROGRESS_INTERVAL_S


@dataclass
class Live:
    """What the run has done so far, fed by the run's callbacks; prints as it goes."""

    max_attempts: int
    several_targets: bool
    show_attempts: bool
    planned: int | None
    timeline_s: float | None
    time_scale: float
    released: int = 0
    delivered: int = 0
    lost: int = 0
    started: float = field(default_factory=time.monotonic)
    _pending_at: float = 0.0                     # timeline time of the event pulled but not yet released
    _previous: dict[tuple[str, int, str], Attempt] = field(default_factory=dict)
    _signatures: dict[bytes, str] = field(default_factory=dict)

    def count(self, timed: Iterable[tuple[float, Event]]) -> Iterator[tuple[float, Event]]:
        """Pass the timeline through, counting what is released."""
        for when, event in timed:
            self._pending_at = when
            self.released += 1
            yield when, event

    def on_receive(self, rec: builtin.Received) -> None:
        """The built-in receiver's signature check, shown on the sender's line."""
        if rec.signature is not None:
            self._signatures[hashlib.sha256(rec.body).digest()] = rec.signature

    def on_attempt(self, event: Event, target: str, attempt: Attempt) -> None:
        key = (event.event_id, event.copy, target)
        previous = self._previous.pop(key, None)
        done = attempt.ok or attempt.attempt >= self.max_attempts
        if not done:
            self._previous[key] = attempt
        if not self.show_attempts:
            return
        a = attempt.to_dict()
        say(text.attempt_line(event_type=event.event_type, media_id=event.media_id, body=event.body, attempt=a,
                              max_attempts=self.max_attempts,
                              gap=text.gap_s(previous.to_dict() if previous else None, a), copy=event.copy,
                              target=target if self.several_targets else None,
                              signature=self._signatures.get(hashlib.sha256(event.body).digest()),
                              outcome="lost" if done and not attempt.ok else None))

    def on_result(self, result: EventResult) -> None:
        if result.event.copy > 1:   # injected duplicates are not more events
            return
        if result.delivered:
            self.delivered += 1
        elif result.outcome == "lost":
            self.lost += 1

    def progress(self) -> str:
        elapsed = time.monotonic() - self.started
        left = None
        if self.timeline_s is not None and self.time_scale > 0:
            position = elapsed / self.time_scale
            left = max(0.0, self.timeline_s - position)
        released = self.released
        if self._pending_at and self.time_scale > 0 and self._pending_at > elapsed / self.time_scale:
            released -= 1   # pulled from the timeline, still waiting for its time
        return text.progress_line(released=released, planned=self.planned, delivered=self.delivered,
                                  lost=self.lost, elapsed_s=elapsed, left_s=left, timeline_s=self.timeline_s)

    async def tick(self, interval: float) -> None:
        """Print a progress line every ``interval`` seconds until cancelled."""
        while True:
            await asyncio.sleep(interval)
            say(self.progress())
