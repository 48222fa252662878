"""How exact a run's timings were: release lateness, retry-gap error, attempt-cut error.

Every figure is measured with ``clock.now()`` (monotonic, to the microsecond).  Samples go
into a sparse histogram (0.1 ms steps below 1 s, 1 ms steps below 10 s, 10 ms above), so a
run of a million events costs a few kilobytes here and the percentiles are exact to the step.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

LATE_MS = 1.0     # released more than this after its time on the timeline counts as "late"


def _bucket(ms: float) -> int:
    if ms < 1000:
        return int(ms * 10)
    if ms < 10_000:
        return 10_000 + int(ms - 1000)
    return 19_000 + int((ms - 10_000) / 10)


def _value(bucket: int) -> float:
    """The upper edge of ``bucket``, in ms (a percentile is never reported better than it was)."""
    if bucket < 10_000:
        return (bucket + 1) / 10
    if bucket < 19_000:
        return 1000 + bucket - 10_000 + 1
    return 10_000 + (bucket - 19_000 + 1) * 10


@dataclass
class Percentiles:
    """Non-negative samples in milliseconds."""

    counts: Counter = field(default_factory=Counter)
    n: int = 0
    max_ms: float = 0.0

    def add(self, ms: float) -> None:
        ms = max(ms, 0.0)
        self.counts[_bucket(ms)] += 1
        self.n += 1
        if ms > self.max_ms:
            self.max_ms = ms

    def above(self, ms: float) -> int:
        edge = _bucket(ms)
        return sum(c for b, c in self.counts.items() if b > edge)

    def pct(self, q: float) -> float:
        """The q-th percentile (0..100), exact to the histogram step; 0 with no samples."""
        if not self.n:
            return 0.0
        rank = max(1, round(q / 100 * self.n + 0.4999))
        seen = 0
        for bucket in sorted(self.counts):
            seen += self.counts[bucket]
            if seen >= rank:
                return min(_value(bucket), self.max_ms)
        return self.max_ms

    def describe(self) -> dict[str, Any]:
        return {"count": self.n, "p50_ms": round(self.pct(50), 1), "p90_ms": round(self.pct(90), 1),
                "p99_ms": round(self.pct(99), 1), "max_ms": round(self.max_ms, 1)}


@dataclass
class Timing:
    """Filled in while a run goes; read by the report."""

    connection_limit: int = 0
    release_lateness: Percentiles = field(default_factory=Percentiles)   # first attempt start − its time
    retry_gap_error: Percentiles = field(default_factory=Percentiles)    # |retry start − (failure end + gap)|
    cut_error: Percentiles = field(default_factory=Percentiles)          # timed-out attempt: duration − timeout
    limit_waits: int = 0          # releases or retries that waited for a free connection

    def describe(self) -> dict[str, Any]:
        late = self.release_lateness.above(LATE_MS)
        return {
            "clock": "event loop (monotonic)",
            "connection_limit": self.connection_limit,
            "limit_waits": self.limit_waits,
            "released_late": late,
            "late_threshold_ms": LATE_MS,
            "release_lateness_ms": self.release_lateness.describe(),
            "retry_gap_error_ms": self.retry_gap_error.describe(),
            "attempt_cut_error_ms": self.cut_error.describe(),
        }

    def summary(self) -> str:
        r, g = self.release_lateness, self.retry_gap_error
        text = (f"timing: release lateness p50 {r.pct(50):.1f} ms, p99 {r.pct(99):.1f} ms, "
                f"max {r.max_ms:.1f} ms")
        if g.n:
            text += f"; retry gap error p99 {g.pct(99):.1f} ms over {g.n} gap(s)"
        if self.cut_error.n:
            text += f"; timeout cut error p99 {self.cut_error.pct(99):.1f} ms"
        if self.limit_waits:
            text += (f"; connection limit {self.connection_limit} reached {self.limit_waits} time(s): "
                     f"{r.above(LATE_MS)} event(s) released late, by up to {r.max_ms / 1000:.2f} s")
        return text
