"""The retry loop, written out: attempt, and after a failure wait the interval and go again.

Every time is measured with ``clock.now()`` (monotonic, to the microsecond) and every wait is
an event-loop timer set for such an instant.  The next attempt is due exactly
``retry_interval`` (scaled) after the failed attempt ended, and the wait is for that
instant, not for "interval from whenever this coroutine got to run again", so a busy loop
does not stretch the gap; what lateness remains is measured and reported.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from ..clock import Clock, now
from ..events import Event
from ..run.journal import Attempt, EventResult, ErrorKind
from .policy import DeliveryPolicy

if TYPE_CHECKING:
    from ..run.limit import ConnectionLimit
    from ..run.timing import Timing


class Target(Protocol):
    """Somewhere events go: an HTTP callback URL, a queue…"""

    name: str

    async def attempt(self, event: Event, number: int, timeout: float) -> Attempt: ...


OnAttempt = Callable[[Event, str, Attempt], None]
_TIMEOUT = ErrorKind.TIMEOUT


async def deliver(event: Event, target: Target, policy: DeliveryPolicy, clock: Clock, *,
                  limit: ConnectionLimit | None = None, timing: Timing | None = None,
                  holding: bool = False, on_attempt: OnAttempt | None = None) -> EventResult:
    """Deliver one event to one target under ``policy``; every attempt is recorded.

    The gap is measured from the end of a failed attempt to the start of the next, as the
    docs put it ("after a callback fails, ApsaraVideo VOD retries after a 1 second interval").
    ``limit``: the run's connection slots (``holding``: the first attempt's slot is already
    taken, by the scheduler that released the event).  ``on_attempt(event, target name,
    attempt)`` hears of each attempt as it ends (live output).
    """
    attempts: list[Attempt] = []
    ended = 0.0
    for number in range(1, policy.max_attempts + 1):
        if number > 1:
            due = ended + clock.scaled(policy.retry_interval)
            await clock.sleep_until(due)
            if limit is not None:
                await limit.acquire(retry=True)
            if timing is not None:
                timing.retry_gap_error.add(abs(now() - due) * 1000)
        elif limit is not None and not holding:
            await limit.acquire()
        try:
            attempt = await target.attempt(event, number, policy.timeout)
        finally:
            if limit is not None:
                limit.release()
        # Never before the attempt's end: a busy loop may make the gap a little longer
        # (measured as gap error), never shorter than the rule.
        ended = now()
        if timing is not None and attempt.error is _TIMEOUT:
            timing.cut_error.add(abs(attempt.duration_ms - policy.timeout * 1000))
        attempts.append(attempt)
        if on_attempt is not None:
            on_attempt(event, target.name, attempt)
        if attempt.ok:
            break
    return EventResult(event=event, target=target.name, attempts=tuple(attempts))
