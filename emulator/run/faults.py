"""Delivery faults to inject: what the real service does to receivers, on purpose and seeded.

A ``FaultPlan`` is a list of rules, each with an optional selector (event types or
scenario step names).  It comes from a scenario's ``faults:`` section or from
``--chaos duplicate=0.1,reorder=3,drop=0.05,jitter=0-2s,delay=1s,burst=5``; the chaos
stage (``emulator.run.chaos``) applies it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ..errors import InputError, did_you_mean
from ..events import Event
from ..scenario.durations import parse_duration


class FaultKind(StrEnum):
    DUPLICATE = "duplicate"   # the event is delivered again (same body, same ids) after a delay
    REORDER = "reorder"       # released out of timeline order within a window of N events
    DROP = "drop"             # never sent: the documented HTTP-callback loss
    DELAY = "delay"           # extra latency
    JITTER = "jitter"         # extra latency drawn from [low, high]
    BURST = "burst"           # groups of N events released at the same instant


RATED = {FaultKind.DUPLICATE, FaultKind.DROP, FaultKind.DELAY, FaultKind.JITTER}


@dataclass(frozen=True, slots=True)
class Selector:
    events: frozenset[str] = frozenset()   # catalog names or EventTypes; empty: every event
    steps: frozenset[str] = frozenset()    # scenario step names; empty: every step

    def matches(self, event: Event) -> bool:
        if self.events and event.kind not in self.events and event.event_type not in self.events:
            return False
        return not self.steps or step_of(event) in self.steps

    def describe(self) -> dict[str, list[str]]:
        out = {}
        if self.events:
            out["events"] = sorted(self.events)
        if self.steps:
            out["steps"] = sorted(self.steps)
        return out


def step_of(event: Event) -> str:
    """The step name in a scenario label ``flow#3/step[1]``; empty outside scenarios."""
    _, _, rest = event.label.partition("/")
    return rest.partition("[")[0]


@dataclass(frozen=True, slots=True)
class Rule:
    kind: FaultKind
    rate: float = 1.0          # probability per matching event (duplicate, drop, delay, jitter)
    seconds: float = 0.0       # duplicate: the copy's delay; delay: the extra latency
    low: float = 0.0           # jitter range
    high: float = 0.0
    size: int = 0              # reorder: window; burst: group size
    select: Selector = field(default_factory=Selector)

    def describe(self) -> dict[str, Any]:
        d: dict[str, Any] = {"fault": str(self.kind)}
        if self.kind in RATED:
            d["rate"] = self.rate
        if self.kind in (FaultKind.DUPLICATE, FaultKind.DELAY):
            d["seconds"] = self.seconds
        if self.kind is FaultKind.JITTER:
            d["low_s"], d["high_s"] = self.low, self.high
        if self.kind in (FaultKind.REORDER, FaultKind.BURST):
            d["size"] = self.size
        return d | self.select.describe()


@dataclass(frozen=True, slots=True)
class FaultPlan:
    rules: tuple[Rule, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.rules)

    def of(self, kind: FaultKind) -> list[Rule]:
        return [r for r in self.rules if r.kind is kind]

    def describe(self) -> list[dict[str, Any]]:
        return [r.describe() for r in self.rules]

    def __add__(self, other: FaultPlan) -> FaultPlan:
        return FaultPlan(self.rules + other.rules)


DUPLICATE_DELAY_S = 1.0   # a retry-like gap by default


def rule(kind: str, value: dict[str, Any], *, select: Selector = Selector()) -> Rule:
    """One rule from its settings (``rate``, ``delay``, ``seconds``, ``min``/``max``, ``window``, ``size``).

    Raises ``ValueError`` with a message naming what is wrong.
    """
    try:
        fk = FaultKind(kind)
    except ValueError:
        raise ValueError(f"unknown fault {kind!r}{did_you_mean(kind, [k.value for k in FaultKind])}") from None
    rate = float(value.get("rate", 1.0))
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"{kind}: rate must be between 0 and 1, got {rate}")
    match fk:
        case FaultKind.DUPLICATE:
            return Rule(fk, rate=rate, seconds=parse_duration(value.get("delay", DUPLICATE_DELAY_S)), select=select)
        case FaultKind.DROP:
            return Rule(fk, rate=rate, select=select)
        case FaultKind.DELAY:
            return Rule(fk, rate=rate, seconds=parse_duration(value.get("seconds", 0)), select=select)
        case FaultKind.JITTER:
            low, high = parse_duration(value.get("min", 0)), parse_duration(value.get("max", 0))
            if high < low:
                raise ValueError(f"jitter: max ({high:g} s) is below min ({low:g} s)")
            return Rule(fk, rate=rate, low=low, high=high, select=select)
        case FaultKind.REORDER | FaultKind.BURST:
            size = value.get("window" if fk is FaultKind.REORDER else "size")
            if not isinstance(size, int) or isinstance(size, bool) or size < 2:
                raise ValueError(f"{kind}: {'window' if fk is FaultKind.REORDER else 'size'} must be an "
                                 f"integer >= 2, got {size!r}")
            return Rule(fk, size=size, select=select)
    raise AssertionError(fk)


def parse_chaos(text: str) -> FaultPlan:
    """``duplicate=0.1,reorder=3,drop=0.05,jitter=0-2s,delay=1s,burst=5`` → a plan for every event.

    duplicate/drop take a rate (the copy comes ``1s`` later; ``duplicate=0.1@3s`` for another
    delay); reorder/burst a count; delay a duration; jitter a range ``LOW-HIGH``.
    """
    rules = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, value = part.partition("=")
        name = name.strip()
        try:
            if not sep or not value:
                raise ValueError("expected NAME=VALUE, e.g. duplicate=0.1")
            match name:
                case "duplicate":
                    rate, _, delay = value.partition("@")
                    rules.append(rule(name, {"rate": _rate(rate), "delay": _dur(delay or DUPLICATE_DELAY_S)}))
                case "drop":
                    rules.append(rule(name, {"rate": _rate(value)}))
                case "reorder":
                    rules.append(rule(name, {"window": _count(value)}))
                case "burst":
                    rules.append(rule(name, {"size": _count(value)}))
                case "delay":
                    rules.append(rule(name, {"seconds": _dur(value)}))
                case "jitter":
                    low, _, high = value.partition("-")
                    unit = "".join(c for c in high if c.isalpha())
                    rules.append(rule(name, {"min": _dur(low + (unit if low and low[-1].isdigit() else "")),
                                             "max": _dur(high)}))
                case _:
                    rules.append(rule(name, {}))   # raises with a did-you-mean
        except ValueError as exc:
            raise InputError(f"--chaos {part!r}: {exc}") from None
    return FaultPlan(tuple(rules))


def _rate(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"expected a probability between 0 and 1, got {text!r}") from None


def _count(text: str) -> int:
    if not text.strip().isdigit():
        raise ValueError(f"expected a whole number, got {text!r}")
    return int(text)


def _dur(text: Any) -> float:
    if isinstance(text, str) and text.replace(".", "", 1).isdigit():
        return float(text)
    return parse_duration(text)
