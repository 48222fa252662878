"""Where a run's events come from: ``trigger`` (N events of one kind) or a scenario file."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from ..events import Event
from ..errors import InputError
from ..providers import DEFAULT, profile


def trigger_timeline(kind_name: str, *, count: int, seed: int, start: datetime, region: str | None = None,
                     ok: bool = True, extend: str | None = None, overrides: list[tuple[str, Any]] = (),
                     provider: str = DEFAULT, preset: str | None = None,
                     vary: bool = False) -> Iterator[tuple[float, Event]]:
    """``count`` events of one kind, all at t=0.  The first is built before this returns, so
    a bad override, Extend or preset fails here, before anything is sent.

    ``preset`` names a transcode preset (transcoding kinds only); ``vary`` redraws each
    body's shape (seeded, recorded per event)."""
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
    first = factory.build(kind.name, 0, ok=ok, extend=extend, overrides=overrides, params=params)

    def timed() -> Iterator[tuple[float, Event]]:
        yield 0.0, first
        for i in range(1, count):
            yield 0.0, factory.build(kind.name, i, ok=ok, extend=extend, overrides=overrides, params=params)

    return timed()
