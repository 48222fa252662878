"""The retry loop, written out: attempt, and after a failure wait the interval and go again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from ..clock import Clock
from ..events import Event
from ..run.journal import Attempt, EventResult
from .policy import DeliveryPolicy


class Target(Protocol):
    """Somewhere events go: an HTTP callback URL, a queue…"""

    name: str

    async def attempt(self, event: Event, number: int, timeout: float) -> Attempt: ...


OnAttempt = Callable[[Event, str, Attempt], None]


async def deliver(event: Event, target: Target, policy: DeliveryPolicy, clock: Clock,
                  on_attempt: OnAttempt | None = None) -> EventResult:
    """Deliver one event to one target under ``policy``; every attempt is recorded.

    The gap is measured from the end of a failed attempt to the start of the next, as the
    docs put it ("after a callback fails, ApsaraVideo VOD retries after a 1 second interval").
    ``on_attempt(event, target name, attempt)`` hears of each attempt as it ends (live output).
    """
    attempts: list[Attempt] = []
    for number in range(1, policy.max_attempts + 1):
        if number > 1:
            await clock.sleep(policy.retry_interval)
        attempt = await target.attempt(event, number, policy.timeout)
        attempts.append(attempt)
        if on_attempt is not None:
            on_attempt(event, target.name, attempt)
        if attempt.ok:
            break
    return EventResult(event=event, target=target.name, attempts=tuple(attempts))
