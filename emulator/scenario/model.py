"""A loaded, checked scenario.  The loader builds these; the timeline expands them.

Every value here has already passed the scenario schema and the reference check, so the
timeline never meets an unknown step, kind or field.  Values that refer to earlier steps
are kept as ``Ref``/``Template`` and resolved per media when the events are built.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from ..delivery.http import TargetSpec
from ..run.faults import FaultPlan
from ..receiver import ReceiverConfig

__all__ = ["Delivery", "Expect", "Flow", "Item", "Ref", "Scenario", "Step", "TargetSpec", "Template"]


class Expect(StrEnum):
    DELIVERED = "delivered"   # the default: CI fails if the event is lost
    LOST = "lost"             # a fault demo: CI fails if the event is delivered
    ANY = "any"


@dataclass(frozen=True, slots=True)
class Ref:
    """``${step.Path}`` standing alone: replaced by the value itself, type kept."""
    step: str
    path: tuple[str, ...]     # e.g. ("VideoId",) or ("0", "FileUrl") into a fan-out step
    text: str                 # the original ``${…}``, for messages


@dataclass(frozen=True, slots=True)
class Template:
    """A string with ``${step.Path}`` inside: each reference is replaced by its text."""
    parts: tuple[str | Ref, ...]


@dataclass(frozen=True, slots=True)
class Item:
    """One event of a step; a fan-out step has several."""
    ok: bool = True
    params: dict[str, Any] = field(default_factory=dict)          # generator knobs (may hold Ref)
    overrides: tuple[tuple[str, Any], ...] = ()                    # --set style (values may be Ref/Template)
    offset: float = 0.0                                            # seconds after the step's own time


@dataclass(frozen=True, slots=True)
class Step:
    name: str
    kind: str                         # catalog name, e.g. "StreamTranscodeComplete"
    after: float | None               # seconds after the previous step; None = scaled by media duration
    items: tuple[Item, ...]
    extend: str | Template | Ref | None = None
    streams_from: str | None = None   # TranscodeComplete: summarize exactly this fan-out step's streams
    expect: Expect = Expect.DELIVERED
    line: int = 0                     # where it is in the file, for messages
    vary: bool | None = None          # vary body shapes (None: as the file's `vary:`)


@dataclass(frozen=True, slots=True)
class Flow:
    name: str
    steps: tuple[Step, ...]
    repeat: int = 1                   # how many media run this flow (streamed, never materialized)
    every: float = 0.0                # seconds between one media's start and the next
    media: dict[str, Any] = field(default_factory=dict)   # fixed media properties, e.g. duration
    line: int = 0


@dataclass(frozen=True, slots=True)
class Delivery:
    timeout: float | None = None
    concurrency: int | None = None
    time_scale: float | None = None


@dataclass(frozen=True, slots=True)
class Scenario:
    path: str
    name: str
    description: str
    version: int
    provider: str
    region: str
    seed: int | None
    start_time: datetime | None
    targets: tuple[TargetSpec, ...]
    delivery: Delivery
    flows: tuple[Flow, ...]
    faults: FaultPlan = FaultPlan()               # the `faults:` section
    receiver: ReceiverConfig | None = None        # the `receiver:` section (built-in receiver only)
    preset: str | None = None                     # default transcode preset of the transcoding steps
    vary: bool = False                            # vary body shapes (steps may say otherwise)

    @property
    def event_count(self) -> int:
        return sum(f.repeat * sum(len(s.items) for s in f.steps) for f in self.flows)
