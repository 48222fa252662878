"""Where a run's events come from: ``trigger`` (N events of one kind) or a scenario file."""

from __future__ import annotations

import functools
from collections.abc import Generator, Iterable, Iterator
from datetime import datetime
from typing import Any

from . import workers
from ..events import Event
from ..errors import InputError
from ..providers import DEFAULT, profile


def trigger_timeline(kind_name: str, *, count: int, seed: int, start: datetime, region: str | None = None,
                     ok: bool = True, extend: str | None = None, overrides: list[tuple[str, Any]] = (),
                     provider: str = DEFAULT, preset: str | None = None, vary: bool = False,
                     times: Iterable[float] | None = None, worker: bool = False) -> Iterator[tuple[float, Event]]:
    """``count`` events of one kind, all at t=0 (or one at each of ``times``, a load profile).
    The first is built before this returns, so a bad override, Extend or preset fails here,
    before anything is sent.

    ``preset`` names a transcode preset (transcoding kinds only); ``vary`` redraws each
    body's shape (seeded, recorded per event).  ``worker``: build the rest in a worker
    process when there are many (see run.workers; only before any socket is open, e.g. from
    the CLI)."""
    prof = profile(provider)
    kind = prof.resolve_kind(kind_name)
    params: dict[str, Any] = {}
    if preset is not None and provider == "aliyun":
        from ..providers.aliyun.presets import preset as lookup
        lookup(preset)   # an unknown name: InputError with a did-you-mean
    if preset is not None:
        if "preset" not in prof.params[kind.name]:
            takes = [k for k, known in prof.params.items() if "preset" in known]
            raise InputError(f"--preset {preset}: presets shape transcoding events "
                             f"({', '.join(takes) or 'none for ' + prof.title}), not {kind.name}")
        params["preset"] = preset
    factory = prof.factory(seed=seed, start_time=start, region=region or prof.default_region, vary=vary)
    build = functools.partial(_build, factory, kind.name, ok, extend, tuple(overrides), params)
    first = build(0)
    if worker and count >= workers.WORKER_FROM and workers.usable():
        rest: Iterator[Event] = workers.built_in_worker(build, 1, count)
    else:
        rest = map(build, range(1, count))
    when = iter(times) if times is not None else None

    def timed() -> Iterator[tuple[float, Event]]:
        yield (0.0 if when is None else next(when)), first
        for event in rest:
            yield (0.0 if when is None else next(when)), event

    return timed()


def _build(factory: Any, kind: str, ok: bool, extend: str | None, overrides: tuple, params: dict[str, Any],
           index: int) -> Event:
    return factory.build(kind, index, ok=ok, extend=extend, overrides=list(overrides), params=params)


def scenario_timeline(timeline: Iterable[tuple[float, Event]], *, count: int,
                      worker: bool = False) -> Generator[tuple[float, Event], None, None]:
    """A scenario's ``timeline`` (``scenario.timeline.Timeline``: ``count`` events).  The first
    event is built before this returns, so a scenario that fails on it fails here, before
    anything is sent.  ``worker``: a forked child process continues the timeline when there
    are many events (see run.workers; only before any socket is open, e.g. from the CLI).
    Close the result when the run stops early: that ends the child at once."""
    events = iter(timeline)
    first = next(events, None)
    rest = events
    if first is not None and worker and count >= workers.WORKER_FROM and workers.usable():
        rest = workers.timeline_in_worker(events)

    def timed() -> Generator[tuple[float, Event], None, None]:
        try:
            yield None      # primed below: closing it before the first event still ends the worker
            if first is not None:
                yield first
                yield from rest
        finally:
            close = getattr(rest, "close", None)
            if close is not None:
                close()

    out = timed()
    next(out)
    return out
