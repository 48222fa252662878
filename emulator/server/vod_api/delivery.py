"""A flow's events through the same pipeline as every run (rules, chaos, journal, verdicts),
to the callback the service would pick: the job's ``UserData`` URL, else the upload's, else
the region's configuration — whose ``EventTypeList`` decides in every case.  The library
changes of the flow happen at their times whether or not an event is sent."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

from emulator.clock import Clock
from emulator.delivery.http import TargetSpec
from emulator.delivery.policy import DeliveryPolicy
from emulator.run import chaos
from emulator.run.session import RunSettings, execute
from .processing import Flow, seed_of

log = logging.getLogger(__name__)


async def run_flow(backend: Any, flow: Flow, callback_url: str | None, command: str) -> None:
    region = flow.media.region
    config = backend.callbacks.get(region)
    clock = Clock(backend.settings.time_scale)
    effects = [(s.at, 0, i, s.effect) for i, s in enumerate(flow.steps) if s.effect is not None]
    if config is None:
        log.info("%s for %s: no callback configured for region %s, nothing sent", command, flow.media.media_id,
                 region)
        async for _ in _released(clock, effects, []):
            pass
        return
    chosen = [(s.at, s.event) for s in flow.steps if config.selects(s.event.event_type)]
    skipped: dict[str, int] = {}
    for s in flow.steps:
        if not config.selects(s.event.event_type):
            skipped[s.event.event_type] = skipped.get(s.event.event_type, 0) + 1
    plan = backend.settings.chaos
    seed = seed_of(flow.media.media_id)
    timed = list(chaos.apply(iter(chosen), plan, seed) if plan else chaos.number(iter(chosen)))
    if callback_url:
        target = TargetSpec(callback_url, config.auth_key)
        described = {"CallbackURL": callback_url, "from": "UserData.MessageCallback",
                     "EventTypeList": config.to_api(region)["EventTypeList"]}
    else:
        target = config.target(backend.base_url, backend.access_key_id, backend.access_key_secret)
        described = config.to_api(region)
    settings = RunSettings(command=command, targets=(target,), seed=seed, start_time=flow.start,
                           policy=DeliveryPolicy(time_scale=backend.settings.time_scale), faults=plan,
                           extra={"region": region, "callback": described, "media_id": flow.media.media_id,
                                  "keep_results": True})
    events = [(at, 1, i, ev) for i, (at, ev) in enumerate(timed)]
    result = await execute(settings, _released(clock, effects, events))
    report = result.report
    report["run"]["not_selected"] = skipped
    backend.record(command, {"ok": result.ok, "summary": report["summary"], "verdicts": report["verdicts"],
                             "not_selected": skipped, "media_id": flow.media.media_id}, report)


async def _released(clock: Clock, effects: list, events: list) -> AsyncIterator[Any]:
    """Effects and events in time order (an effect before an event at the same time)."""
    t0 = clock.monotonic()
    for when, kind, _i, item in sorted(effects + events, key=lambda x: (x[0], x[1], x[2])):
        delay = clock.scaled(when) - (clock.monotonic() - t0)
        if delay > 0:
            await asyncio.sleep(delay)
        if kind == 0:
            item()
        else:
            yield item
