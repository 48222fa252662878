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
from ..delivery.retry import Target, deliver
from ..events import Event
from .journal import EventResult, Journal

_DONE = object()
GRACE = 2.0     # seconds in-flight attempts get to finish after Ctrl-C / SIGTERM


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
                     stop: asyncio.Event | None = None, grace: float = GRACE) -> None:
    """Deliver every event of ``source`` to every target; results go to ``journal``.

    ``stop`` (Ctrl-C, SIGTERM): no further event is released, the ones waiting to start are
    dropped, and attempts in flight get ``grace`` seconds to finish before they are cut."""
    if concurrency < 1:
        raise ValueError("concurrency must be >= 1")
    # Room for a few events per worker, so workers rarely wait on the feeding loop.
    queue: asyncio.Queue = asyncio.Queue(maxsize=4 * concurrency)

    async def worker() -> None:
        while (event := await queue.get()) is not _DONE:
            if event.dropped:   # injected loss: recorded, never sent
                results = [EventResult(event=event, target=t.name, attempts=()) for t in targets]
            elif len(targets) == 1:
                results = [await deliver(event, targets[0], policy, clock)]
            else:
                results = list(await asyncio.gather(*(deliver(event, t, policy, clock) for t in targets)))
            journal.add(results)

    async def feed() -> None:
        async for event in _aiter(source):
            await queue.put(event)

    async with AsyncExitStack() as stack:
        for target in targets:
            opener = getattr(target, "open", None)
            if opener is not None:
                await opener(policy.timeout)
                stack.push_async_callback(target.close)
        watcher = None
        try:
            async with asyncio.timeout(None) as deadline:
                # A TaskGroup: if a worker dies, the feeding loop is cancelled instead of blocking.
                async with asyncio.TaskGroup() as group:
                    for _ in range(concurrency):
                        group.create_task(worker())
                    feeder = group.create_task(feed())
                    if stop is not None:
                        watcher = asyncio.ensure_future(_on_stop(stop, feeder, deadline, grace))
                    await asyncio.wait({feeder})
                    if stop is not None and stop.is_set():
                        while not queue.empty():            # never started: they did not leave
                            queue.get_nowait()
                    for _ in range(concurrency):
                        await queue.put(_DONE)
        except TimeoutError:
            if stop is None or not stop.is_set():
                raise
        finally:
            if watcher is not None:
                watcher.cancel()


async def _on_stop(stop: asyncio.Event, feeder: asyncio.Task, deadline: asyncio.Timeout, grace: float) -> None:
    await stop.wait()
    feeder.cancel()
    deadline.reschedule(asyncio.get_running_loop().time() + grace)
