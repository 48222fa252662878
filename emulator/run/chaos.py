"""The chaos stage: apply a FaultPlan to a timeline of events, deterministically.

Input and output are ``(seconds, Event)`` in time order.  The transformation is a pure
function of the input sequence and the seed — it never looks at the real clock — so the
same seed puts the same faults on the same events, run after run, and a report's dispatch
list can be replayed exactly.  Three passes, each lazy:

1. per event, in input order: drop? extra delay/jitter? duplicates (copies later in time)?
2. release in time order (a heap holding only what is not yet due);
3. reorder windows and bursts; then number the dispatches.
"""

from __future__ import annotations

import dataclasses
import heapq
import random
from collections.abc import Iterable, Iterator

from ..events import Event
from .faults import FaultKind, FaultPlan, Rule

Timed = tuple[float, Event]


def apply(stream: Iterable[Timed], plan: FaultPlan, seed: int | None) -> Iterator[Timed]:
    """The events of ``stream`` with ``plan``'s faults, numbered in release order."""
    rng = random.Random(f"{seed}/faults")
    timed = _in_time_order(_decide(stream, plan, rng))
    for r in plan.of(FaultKind.REORDER):
        timed = _reorder(timed, r, rng)
    for r in plan.of(FaultKind.BURST):
        timed = _burst(timed, r)
    for n, (when, event) in enumerate(timed, 1):
        yield when, event.numbered(round(when, 6), n)


def number(stream: Iterable[Timed]) -> Iterator[Timed]:
    """No faults: just record each event's release time and order."""
    for n, (when, event) in enumerate(stream, 1):
        yield when, event.numbered(round(when, 6), n)


def _hits(rule: Rule, event: Event, rng: random.Random) -> bool:
    # Draw for every matching event, hit or not, so one decision never shifts the next.
    return rule.select.matches(event) and rng.random() < rule.rate


def _decide(stream: Iterable[Timed], plan: FaultPlan, rng: random.Random) -> Iterator[tuple[float, Event, bool]]:
    """Yield (time, event, is_final_time) for each event and each injected copy, unsorted."""
    drops, dups = plan.of(FaultKind.DROP), plan.of(FaultKind.DUPLICATE)
    delays, jitters = plan.of(FaultKind.DELAY), plan.of(FaultKind.JITTER)
    for when, event in stream:
        faults: list[str] = []
        if any([_hits(r, event, rng) for r in drops]):
            yield when, dataclasses.replace(event, dropped=True, faults=("dropped: never sent",)), True
            continue
        extra = 0.0
        for r in delays:
            if _hits(r, event, rng):
                extra += r.seconds
                faults.append(f"delayed {r.seconds:g} s")
        for r in jitters:
            if _hits(r, event, rng):
                j = round(rng.uniform(r.low, r.high), 3)
                extra += j
                faults.append(f"jitter {j:g} s")
        sent = when + extra
        yield sent, dataclasses.replace(event, faults=tuple(faults)) if faults else event, False
        copy = 1
        for r in dups:
            if _hits(r, event, rng):
                copy += 1
                yield (sent + r.seconds,
                       dataclasses.replace(event, copy=copy, faults=(*faults, f"duplicate #{copy}: sent again "
                                                                     f"{r.seconds:g} s later")),
                       False)
        yield when, None, True   # a watermark: nothing later in the input comes before `when`


def _in_time_order(items: Iterator[tuple[float, Event | None, bool]]) -> Iterator[Timed]:
    heap: list[tuple[float, int, Event]] = []
    seq = 0
    for when, event, watermark in items:
        if event is None or (watermark and event.dropped):
            while heap and heap[0][0] <= when:
                t, _, e = heapq.heappop(heap)
                yield t, e
            if event is not None:
                yield when, event
            continue
        seq += 1
        heapq.heappush(heap, (when, seq, event))
    while heap:
        t, _, e = heapq.heappop(heap)
        yield t, e


def _reorder(timed: Iterator[Timed], rule: Rule, rng: random.Random) -> Iterator[Timed]:
    """Hold matching events in blocks of ``size``; release each block, shuffled, when it is full
    (so an event moves fewer than ``size`` places, and waits at most for the block to fill)."""
    block: list[Event] = []
    when = 0.0
    for when, event in timed:
        if event.dropped or not rule.select.matches(event):
            yield when, event
            continue
        block.append(event)
        if len(block) == rule.size:
            yield from _shuffled(block, when, rng)
    if block:
        yield from _shuffled(block, when, rng)


def _shuffled(block: list[Event], when: float, rng: random.Random) -> Iterator[Timed]:
    order = list(range(len(block)))
    rng.shuffle(order)
    for new, old in enumerate(order):
        event = block[old]
        if new != old:
            way = "earlier" if new < old else "later"
            event = dataclasses.replace(event, faults=(*event.faults, f"reordered: sent {abs(new - old)} "
                                                                       f"place(s) {way}"))
        yield when, event
    block.clear()


def _burst(timed: Iterator[Timed], rule: Rule) -> Iterator[Timed]:
    """Hold matching events until ``size`` are waiting, then release them at the same instant."""
    group: list[Event] = []
    for when, event in timed:
        if event.dropped or not rule.select.matches(event):
            yield when, event
            continue
        group.append(event)
        if len(group) == rule.size:
            yield from _release(group, when)
    if group:
        yield from _release(group, when)


def _release(group: list[Event], when: float) -> Iterator[Timed]:
    n = len(group)
    for event in group:
        yield when, dataclasses.replace(event, faults=(*event.faults, f"burst: released with {n - 1} other(s)"))
    group.clear()
