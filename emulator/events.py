"""An event as it leaves the emulator: its identity and the exact bytes sent."""

from __future__ import annotations

import json

import orjson
from dataclasses import dataclass
from typing import Any


# Never changed once made (use dataclasses.replace), but not frozen=True: a frozen
# dataclass costs 8x more to construct, and this one is made on every event's path.
@dataclass(slots=True, unsafe_hash=True)
class Event:
    event_id: str
    provider: str
    kind: str           # catalog name, e.g. "UploadByURLComplete:Stream"
    event_type: str     # the wire EventType
    media_id: str | None
    body: bytes         # exactly what a receiver gets
    label: str = ""     # where it came from in a scenario, e.g. "video#3/streams[2]"
    expect: str = "delivered"   # delivered | lost | any: what the run expects to happen to it
    # Set by the chaos stage (emulator.run.chaos); the defaults mean "sent as generated".
    at: float = 0.0             # seconds on the run's timeline when it is released
    dispatch: int = 0           # 1, 2, … in release order (0: not numbered)
    copy: int = 1               # 2, 3, … for injected duplicates (same body, same event_id)
    dropped: bool = False       # never sent: the documented HTTP-callback loss, injected
    faults: tuple[str, ...] = ()   # what was done to it, in words
    variation: tuple[str, ...] = ()   # the shape drawn by --vary, as "axis=choice" words

    def payload(self) -> Any:
        return json.loads(self.body)

    def numbered(self, at: float, dispatch: int) -> Event:
        """This event released at ``at`` s as dispatch ``dispatch``: ``dataclasses.replace``
        spelled out (it is on every event's path, and replace costs 4x more)."""
        return Event(self.event_id, self.provider, self.kind, self.event_type, self.media_id, self.body,
                     self.label, self.expect, at, dispatch, self.copy, self.dropped, self.faults, self.variation)


def encode(body: dict[str, Any]) -> bytes:
    """The wire encoding of a callback body: compact UTF-8 JSON, key order kept (orjson:
    the same bytes as ``json.dumps(ensure_ascii=False, separators=(",", ":"))`` for these bodies)."""
    return orjson.dumps(body)
