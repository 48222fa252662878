"""Run a stream of events through the delivery rules with bounded concurrency.

Events are pulled lazily from the source, at most ``concurrency`` are in flight, and the
queue between source and workers is bounded too, so memory does not grow with the run.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Sequence
from contextlib import AsyncExitStack

from ..clock import Clock
from ..delivery.policy import DeliveryPolicy
from ..delivery.retry import OnAttempt, Target, deliver
from ..events import Event
from .journal import EventResult, Journal

_DONE = object()


async def _aiter(source: Iterable[Event] | AsyncIterable[Event]):
    if isinstance(source, AsyncIterable):
        async for ev in source:
            yield ev
    else:
        for ev in source:
            yield ev


async def released(timed: Iterable[tuple[float, Event]], clock: Clock) -> AsyncIterator[Event]:
    """Release each event at its time on the run's timeline (scaled by the clock)."""
    t0 = clock.monotonic()
    for when, event in timed:
        delay = clock.scaled(when) - (clock.monotonic() - t0)
        if delay > 0:
            await asyncio.sleep(delay)
        yield event


async def run_events(source: Iterable[Event] | AsyncIterable[Event], targets: Sequence[Target],
                     policy: DeliveryPolicy, clock: Clock, journal: Journal, *, concurrency: int = 16,
                     on_attempt: OnAttempt | None = None) -> None:
    """Deliver every event of ``source`` to every target; results go to ``journal``."""
    if concurrency < 1:
        raise ValueError("concurrency must be >= 1")
    # Room for a few events per worker, so workers rarely wait on the feeding loop.
    queue: asyncio.Queue = asyncio.Queue(maxsize=4 * concurrency)

    async def worker() -> None:
        while (event := await queue.get()) is not _DONE:
            if event.dropped:   # injected loss: recorded, never sent
                results = [EventResult(event=event, target=t.name, attempts=()) for t in targets]
            elif len(targets) == 1:
                results = [await deliver(event, targets[0], policy, clock, on_attempt)]
            else:
                results = list(await asyncio.gather(*(deliver(event, t, policy, clock, on_attempt)
                                                      for t in targets)))
            journal.add(results)

    async with AsyncExitStack() as stack:
        for target in targets:
            opener = getattr(target, "open", None)
            if opener is not None:
                await opener(policy.timeout)
                stack.push_async_callback(target.close)
        # A TaskGroup: if a worker dies, the feeding loop is cancelled instead of blocking.
        async with asyncio.TaskGroup() as group:
            for _ in range(concurrency):
                group.create_task(worker())
            async for event in _aiter(source):
                await queue.put(event)
            for _ in range(concurrency):
                await queue.put(_DONE)
