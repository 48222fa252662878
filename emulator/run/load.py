"""Load profiles against the 5 s budget: a rate ramp, and what the receiver did at each step.

``--rate 10..2000/s --over 60s`` sends events at a rising rate, in steps (10 by default),
evenly spaced within each step.  Per step the report gives the receiver's latency
percentiles as the service sees them (attempt durations; a cut attempt counts as the
timeout), how many attempts failed, how many events were lost after every attempt, and
the rate at which production would start losing callbacks: the first step where an event
was lost, or where the p99 latency crossed the timeout.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError
from ..scenario.durations import parse_duration
from .journal import EventResult
from .timing import Percentiles

RATE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:\.\.\s*(\d+(?:\.\d+)?))?\s*(?:/s)?\s*$")


@dataclass(frozen=True, slots=True)
class RateRamp:
    start: float          # events per second in the first step
    end: float            # … and in the last
    over: float           # seconds, the whole ramp
    steps: int = 10

    @classmethod
    def parse(cls, rate: str, over: str, steps: int = 10) -> RateRamp:
        m = RATE.match(rate)
        if not m:
            raise InputError(f"--rate {rate!r}: expected RATE/s or FROM..TO/s, e.g. 10..2000/s")
        start = float(m.group(1))
        end = float(m.group(2)) if m.group(2) else start
        try:
            seconds = parse_duration(over)
        except (ValueError, TypeError) as exc:
            raise InputError(f"--over {over!r}: {exc}") from None
        if start <= 0 or end <= 0:
            raise InputError(f"--rate {rate!r}: rates must be more than 0 per second")
        if seconds <= 0 or steps < 1:
            raise InputError("--over must be more than 0 s and --steps at least 1")
        return cls(start, end, seconds, 1 if start == end else steps)

    @property
    def step_s(self) -> float:
        return self.over / self.steps

    def rate(self, step: int) -> float:
        if self.steps == 1:
            return self.start
        return self.start + (self.end - self.start) * step / (self.steps - 1)

    def step_of(self, at: float) -> int:
        return min(self.steps - 1, max(0, int(at / self.step_s + 1e-9)))

    def times(self) -> Iterator[float]:
        """Seconds on the timeline of every event, evenly spaced within each step."""
        for step in range(self.steps):
            n = max(1, round(self.rate(step) * self.step_s))
            t0 = step * self.step_s
            for i in range(n):
                yield t0 + i * self.step_s / n

    def count(self) -> int:
        return sum(max(1, round(self.rate(s) * self.step_s)) for s in range(self.steps))

    def describe(self) -> dict[str, Any]:
        return {"from_per_s": self.start, "to_per_s": self.end, "over_s": self.over, "steps": self.steps,
                "events": self.count()}


@dataclass
class Step:
    rate: float
    latency: Percentiles = field(default_factory=Percentiles)
    events: int = 0
    lost: int = 0
    attempts: int = 0
    failed_attempts: int = 0
    timeouts: int = 0


@dataclass
class LoadStats:
    """Per-step figures, filled in as results come (bounded: a histogram per step)."""

    ramp: RateRamp
    timeout_s: float
    steps: list[Step] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.steps = [Step(rate=self.ramp.rate(i)) for i in range(self.ramp.steps)]

    def add(self, result: EventResult) -> None:
        step = self.steps[self.ramp.step_of(result.event.at)]
        step.events += 1
        step.lost += not result.delivered
        for a in result.attempts:
            step.attempts += 1
            step.failed_attempts += not a.ok
            step.latency.add(a.duration_ms)
            step.timeouts += a.error == "timeout"

    def breaking_rate(self) -> float | None:
        """The first step's rate where production would lose callbacks (None: not reached)."""
        budget_ms = self.timeout_s * 1000
        for s in self.steps:
            if s.events and (s.lost or s.latency.pct(99) >= budget_ms):
                return s.rate
        return None

    def describe(self) -> dict[str, Any]:
        return {
            "ramp": self.ramp.describe(),
            "budget_s": self.timeout_s,
            "steps": [{"rate_per_s": round(s.rate, 3), "events": s.events, "attempts": s.attempts,
                       "latency_ms": s.latency.describe(), "timeouts": s.timeouts,
                       "failure_rate": round(s.failed_attempts / s.attempts, 4) if s.attempts else 0.0,
                       "lost": s.lost} for s in self.steps],
            "loses_callbacks_from_per_s": self.breaking_rate(),
        }

    def lines(self) -> list[str]:
        budget = self.timeout_s * 1000
        out = [f"load: {self.ramp.start:g}..{self.ramp.end:g}/s over {self.ramp.over:g} s in {self.ramp.steps} "
               f"step(s); receiver latency vs the {self.timeout_s:g} s budget"]
        for s in self.steps:
            p = s.latency
            fail = s.failed_attempts / s.attempts if s.attempts else 0.0
            out.append(f"  {s.rate:8.1f}/s  {s.events:6d} events  p50 {p.pct(50):7.1f} ms  p99 {p.pct(99):7.1f} ms"
                       f" ({p.pct(99) / budget:4.0%} of budget)  failed {fail:6.1%}  lost {s.lost}")
        rate = self.breaking_rate()
        out.append(f"capacity: production would start losing callbacks at ~{rate:g}/s" if rate is not None else
                   f"capacity: no callbacks lost up to {self.ramp.end:g}/s (p99 within the {self.timeout_s:g} s budget)")
        return out
