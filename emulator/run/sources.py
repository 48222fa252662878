"""Where a run's events come from: ``trigger`` (N events of one kind) or a scenario file."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from ..events import Event
from ..providers import DEFAULT, profile


def trigger_timeline(kind_name: str, *, count: int, seed: int, start: datetime, region: str | None = None,
                     ok: bool = True, extend: str | None = None, overrides: list[tuple[str, Any]] = (),
                     provider: str = DEFAULT, times: Iterable[float] | None = None) -> Iterator[tuple[float, Event]]:
    """``count`` events of one kind, all at t=0 (or one at each of ``times``, a load profile).
    The first is built before this returns, so a bad override or Extend fails here, before
    anything is sent."""
    prof = profile(provider)
    kind = prof.resolve_kind(kind_name)
    factory = prof.factory(seed=seed, start_time=start, region=region or prof.default_region)
    first = factory.build(kind.name, 0, ok=ok, extend=extend, overrides=overrides)

    def timed() -> Iterator[tuple[float, Event]]:
        if times is not None:
            for i, when in enumerate(times):
                yield when, first if i == 0 else factory.build(kind.name, i, ok=ok, extend=extend,
                                                              overrides=overrides)
            return
        yield 0.0, first
        for i in range(1, count):
            yield 0.0, factory.build(kind.name, i, ok=ok, extend=extend, overrides=overrides)

    return timed()
