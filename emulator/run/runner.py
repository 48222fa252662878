"""Open-loop delivery: each event is released at its time on the timeline, each of its
attempts runs at its own time, and no event waits for another's receiver.

The only thing between the timeline and the wire is the connection limit (an operator
setting, high by default): when every connection is busy, the next release waits for
one, and that wait is measured as release lateness in the report instead of silently
shifting the timeline.  The event stream is pulled lazily, and at most ``2 × limit``
events are unfinished at once (attempting or waiting for a retry), so memory is bounded
by what is in flight, never by the length of the run.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Sequence
from contextlib import AsyncExitStack, contextmanager

from ..clock import Clock, now, sleep_until
from ..delivery.policy import DeliveryPolicy
from ..delivery.retry import OnAttempt, Target, deliver
from ..events import Event
from .journal import EventResult, Journal
from .limit import ConnectionLimit

YIELD_EVERY = 32     # releases in a row before the scheduler lets attempts run
GRACE = 2.0          # seconds in-flight attempts get to finish after Ctrl-C / SIGTERM


class Released:
    """A timeline of (seconds, Event) to release on ``clock``: ``due()`` yields each event
    with its due instant (``clock.now()``), once that instant has come."""

    def __init__(self, timed: Iterable[tuple[float, Event]], clock: Clock) -> None:
        self.timed = timed
        self.clock = clock

    async def due(self) -> AsyncIterator[tuple[float, Event]]:
        t0 = now()
        for when, event in self.timed:
            due = t0 + self.clock.scaled(when)
            if due > now():
                await sleep_until(due)
            yield due, event


def released(timed: Iterable[tuple[float, Event]], clock: Clock) -> Released:
    """Release each event at its time on the run's timeline (scaled by the clock)."""
    return Released(timed, clock)


async def _due_now(source: Iterable[Event] | AsyncIterable[Event]) -> AsyncIterator[tuple[float, Event]]:
    """Events without a timeline are all due at once, when the run starts."""
    t0 = now()
    if isinstance(source, AsyncIterable):
        async for ev in source:
            yield t0, ev
    else:
        for ev in source:
            yield t0, ev


_tuned = {"runs": 0, "before": gc.get_threshold()}


@contextmanager
def gc_tuned():
    """While delivering, what exists before the run is frozen out of the collector's way and
    young collections run 70× less often: a run makes many short-lived, acyclic objects.
    Counted, so runs overlapping in one process (serve) restore the settings once, at the end."""
    if _tuned["runs"] == 0:
        _tuned["before"] = gc.get_threshold()
        gc.freeze()
        gc.set_threshold(50_000, 20, 100)
    _tuned["runs"] += 1
    try:
        yield
    finally:
        _tuned["runs"] -= 1
        if _tuned["runs"] == 0:
            gc.set_threshold(*_tuned["before"])
            gc.unfreeze()


async def run_events(source: Released | Iterable[Event] | AsyncIterable[Event], targets: Sequence[Target],
                     policy: DeliveryPolicy, clock: Clock, journal: Journal, *, concurrency: int = 16,
                     stop: asyncio.Event | None = None, grace: float = GRACE,
                     on_attempt: OnAttempt | None = None) -> None:
    """Deliver every event of ``source`` to every target; results go to ``journal``.
    ``concurrency``: the connection limit (simultaneous attempts over all targets).
    ``stop`` (Ctrl-C, SIGTERM): no further event is released, and attempts in flight get
    ``grace`` seconds to finish before they are cut.  ``on_attempt`` hears of each attempt as it ends."""
    if concurrency < 1:
        raise ValueError("concurrency must be >= 1")
    timing = journal.timing
    slots_per_event = max(1, len(targets))
    limit = ConnectionLimit(max(concurrency, slots_per_event))
    timing.connection_limit = limit.slots
    most_unfinished = 2 * limit.slots
    unfinished = 0
    room = asyncio.Event()

    async def one(event: Event) -> None:
        nonlocal unfinished
        try:
            if len(targets) == 1:
                results = [await deliver(event, targets[0], policy, clock, limit=limit, timing=timing, holding=True,
                                         on_attempt=on_attempt)]
            else:
                results = list(await asyncio.gather(*(deliver(event, t, policy, clock, limit=limit, timing=timing,
                                                              holding=True, on_attempt=on_attempt)
                                                      for t in targets)))
            journal.add(results)
        finally:
            unfinished -= 1
            room.set()

    pairs = source.due() if isinstance(source, Released) else _due_now(source)
    async with AsyncExitStack() as stack:
        for target in targets:
            opener = getattr(target, "open", None)
            if opener is not None:
                await opener(policy.timeout)
                stack.push_async_callback(target.close)
        # A TaskGroup: if a delivery dies, the scheduler is cancelled instead of going on.
        stack.enter_context(gc_tuned())

        async def schedule(group: asyncio.TaskGroup) -> None:
            nonlocal unfinished
            in_a_row = 0
            async for due, event in pairs:
                if event.dropped:   # injected loss: recorded, never sent
                    journal.add([EventResult(event=event, target=t.name, attempts=()) for t in targets])
                    continue
                while unfinished >= most_unfinished:
                    room.clear()
                    timing.limit_waits += 1
                    await room.wait()
                for _ in range(slots_per_event):
                    await limit.acquire()
                timing.release_lateness.add((now() - due) * 1000)
                unfinished += 1
                group.create_task(one(event))
                in_a_row += 1
                if in_a_row >= YIELD_EVERY:
                    in_a_row = 0
                    await asyncio.sleep(0)

        watcher = None
        try:
            async with asyncio.timeout(None) as deadline:
                async with asyncio.TaskGroup() as group:
                    scheduler = group.create_task(schedule(group))
                    if stop is not None:
                        watcher = asyncio.ensure_future(_on_stop(stop, scheduler, deadline, grace))
        except TimeoutError:
            if stop is None or not stop.is_set():
                raise
        finally:
            if watcher is not None:
                watcher.cancel()
    timing.limit_waits += limit.waits


async def _on_stop(stop: asyncio.Event, scheduler: asyncio.Task, deadline: asyncio.Timeout, grace: float) -> None:
    """A signal: release nothing more; cut what is still in flight after ``grace`` seconds."""
    await stop.wait()
    scheduler.cancel()
    deadline.reschedule(asyncio.get_running_loop().time() + grace)
