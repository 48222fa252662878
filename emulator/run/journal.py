"""The delivery journal: one record per attempt, one result per (event, target).

Attempts are the product, so they are plain records, never changed once made, with
nothing hidden: when it started, how long it took, what came back (a status code or an
error kind), and whether it counted as a success under the provider's rule.
"""

from __future__ import annotations

import orjson
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import IO, Any

from ..events import Event
from .timing import Timing


class AttemptOutcome(StrEnum):
    SUCCESS = "success"
    FAILURE = "failure"


class EventOutcome(StrEnum):
    DELIVERED = "delivered"                  # first attempt succeeded
    DELIVERED_AFTER_RETRY = "delivered_after_retry"
    LOST = "lost"                            # every attempt failed: discarded, as the service does
    DROPPED = "dropped"                      # never sent: a drop injected by the chaos stage


class ErrorKind(StrEnum):
    STATUS = "status"                        # a response came, but not the one that counts
    TIMEOUT = "timeout"
    CONNECTION_REFUSED = "connection_refused"
    CONNECTION_RESET = "connection_reset"
    DNS = "dns"
    TLS = "tls"
    PROTOCOL = "protocol"
    OTHER = "error"


# Members by plain name: on Python 3.11 each ``Enum.MEMBER`` lookup goes through a descriptor,
# which the per-event paths below would pay several times an event.
_SUCCESS = AttemptOutcome.SUCCESS
_DELIVERED, _AFTER_RETRY = EventOutcome.DELIVERED, EventOutcome.DELIVERED_AFTER_RETRY
_LOST, _DROPPED = EventOutcome.LOST, EventOutcome.DROPPED


# Never changed once made (use dataclasses.replace), but not frozen=True: a frozen
# dataclass costs 8x more to construct, and this one is made on every event's path.
@dataclass(slots=True, unsafe_hash=True)
class Attempt:
    attempt: int
    started_at: str          # ISO-8601 UTC with milliseconds
    duration_ms: float
    status: int | None
    error: ErrorKind | None
    detail: str
    outcome: AttemptOutcome

    @property
    def ok(self) -> bool:
        return self.outcome is _SUCCESS

    def to_dict(self) -> dict[str, Any]:
        return {"attempt": self.attempt, "started_at": self.started_at, "duration_ms": self.duration_ms,
                "status": self.status, "error": None if self.error is None else str(self.error),
                "detail": self.detail, "outcome": str(self.outcome)}


@dataclass(slots=True, unsafe_hash=True)   # never changed once made; not frozen: see Attempt
class EventResult:
    event: Event
    target: str
    attempts: tuple[Attempt, ...]

    @property
    def outcome(self) -> EventOutcome:
        if self.event.dropped:
            return _DROPPED
        attempts = self.attempts
        if attempts and attempts[-1].outcome is _SUCCESS:
            return _DELIVERED if len(attempts) == 1 else _AFTER_RETRY
        return _LOST

    @property
    def delivered(self) -> bool:
        return not self.event.dropped and bool(self.attempts) and self.attempts[-1].outcome is _SUCCESS


def expected(expect: str, delivered: bool) -> bool:
    """The run's expectation rule: ``delivered`` unless ``expect`` is ``lost``; ``any`` takes both."""
    return expect == "any" or (expect == "lost") != delivered


def meets_expectation(result: EventResult) -> bool:
    """Delivered unless the event is expected lost; a drop counts as lost."""
    return expected(result.event.expect, result.delivered)


def attempt_record(result: EventResult, a: Attempt) -> dict:
    """The flat per-attempt journal line."""
    ev = result.event
    return {"event_id": ev.event_id, "event_type": ev.event_type, "kind": ev.kind,
            "media_id": ev.media_id, "target": result.target, **a.to_dict()}


LOST_KEPT = 1000


@dataclass
class Counters:
    events: int = 0
    deliveries: int = 0
    delivered: int = 0
    delivered_after_retry: int = 0
    lost: int = 0
    dropped: int = 0
    duplicates: int = 0      # injected copies sent (not counted in events)
    attempts: int = 0
    unexpected: int = 0      # lost but expected delivered, or delivered but expected lost


@dataclass
class Journal:
    """Collects results; keeps them in memory only when a report needs them.

    ``sink`` (a binary file) receives one UTF-8 JSON line per attempt as it happens, so a
    long run's journal costs no memory.
    """

    keep: bool = True
    sink: IO[bytes] | None = None
    on_result: Callable[[EventResult], None] | None = None
    on_dispatch: Callable[[list[EventResult]], None] | None = None  # each add(), e.g. report.EntriesAsTheyFinish
    counters: Counters = field(default_factory=Counters)
    results: list[EventResult] = field(default_factory=list)
    lost: list[EventResult] = field(default_factory=list)   # the first LOST_KEPT, for summaries
    surprises: list[EventResult] = field(default_factory=list)  # expected lost, yet delivered
    timing: Timing = field(default_factory=Timing)          # how exact the run's timings were
    load: Any = None                                        # LoadStats of a rate ramp (run.load)

    def add(self, results: list[EventResult]) -> None:
        """Record one dispatch's results, one per target it was sent to."""
        if results and results[0].event.copy > 1:
            self.counters.duplicates += 1
        else:
            self.counters.events += 1
        for result in results:
            self._add(result)
        if self.on_dispatch is not None and results:
            self.on_dispatch(results)

    def _add(self, result: EventResult) -> None:
        c = self.counters
        c.deliveries += 1
        outcome = result.outcome
        delivered = outcome is _DELIVERED or outcome is _AFTER_RETRY
        if not expected(result.event.expect, delivered):
            c.unexpected += 1
            if delivered and len(self.surprises) < LOST_KEPT:
                self.surprises.append(result)
        c.attempts += len(result.attempts)
        if outcome is _DELIVERED:
            c.delivered += 1
        elif outcome is _AFTER_RETRY:
            c.delivered_after_retry += 1
        elif outcome is _LOST:
            c.lost += 1
            if len(self.lost) < LOST_KEPT:
                self.lost.append(result)
        else:
            c.dropped += 1
        if self.sink is not None:
            for a in result.attempts:
                self.sink.write(orjson.dumps(attempt_record(result, a), option=orjson.OPT_APPEND_NEWLINE))
        if self.load is not None:
            self.load.add(result)
        if self.keep:
            self.results.append(result)
        if self.on_result is not None:
            self.on_result(result)
