"""Expand a scenario into its events, in timeline order, lazily.

Each media of a flow is an *instance*: one MediaAsset (same VideoId, same Duration in
every event), its steps placed on the timeline (``after`` the previous step, fan-out items
``stagger``ed), references resolved against the bodies its earlier steps produced.  The
instances of all flows are merged by time with a heap that holds only the instances that
have started, so a 10,000-media flow is never materialized.
"""

from __future__ import annotations

import dataclasses
import heapq
import json
import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from faker import Faker

from ..providers import profile
from ..errors import InputError
from ..events import Event
from .model import Flow, Ref, Scenario, Step, Template

# "Transcode timing scales with duration": a definition takes roughly this share of the
# video's duration (narrowed to [MIN, MAX] seconds), jittered per media.
TRANSCODE_SHARE = 0.3
TRANSCODE_MIN_S, TRANSCODE_MAX_S = 3.0, 1800.0
SUMMARY_AFTER_S = (1.0, 3.0)    # TranscodeComplete: shortly after the last stream


def auto_after(step: Step, media: Any, rng: random.Random) -> float:
    if step.kind == "TranscodeComplete":
        return round(rng.uniform(*SUMMARY_AFTER_S), 1)
    share = media.duration * TRANSCODE_SHARE * rng.uniform(0.8, 1.2)
    return round(min(max(share, TRANSCODE_MIN_S), TRANSCODE_MAX_S), 1)


def resolve(value: Any, bodies: dict[str, Any]) -> Any:
    """Replace ``Ref``/``Template`` (anywhere inside ``value``) with values from earlier bodies."""
    if isinstance(value, Ref):
        return lookup(value, bodies)
    if isinstance(value, Template):
        return "".join(p if isinstance(p, str) else _text(lookup(p, bodies)) for p in value.parts)
    if isinstance(value, dict):
        return {k: resolve(v, bodies) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, bodies) for v in value]
    return value


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def extend_text(extend: Any, bodies: dict[str, Any]) -> str | None:
    """Extend is a string on the wire: a reference to a number becomes its text."""
    return None if extend is None else _text(resolve(extend, bodies))


def lookup(ref: Ref, bodies: dict[str, Any]) -> Any:
    node = bodies[ref.step]
    for part in ref.path:
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            raise InputError(f"reference {ref.text}: the {ref.step!r} event has no {'.'.join(ref.path)} "
                             "(a failure form leaves out some fields)")
    return node


class Instance:
    """One media running one flow: yields (seconds, Event) in time order."""

    def __init__(self, runner: Timeline, flow_no: int, flow: Flow, media_no: int) -> None:
        self.runner, self.flow_no, self.flow, self.media_no = runner, flow_no, flow, media_no
        self.start = media_no * flow.every

    def events(self) -> Iterator[tuple[float, Event]]:
        r, flow = self.runner, self.flow
        key = f"{flow.name}/{self.media_no}"
        rng = random.Random(f"{r.seed}/{key}/media")
        media = r.profile.new_media(rng, r.faker, r.region)
        if flow.media:
            media = dataclasses.replace(media, **flow.media)
        bodies: dict[str, Any] = {}
        t = self.start
        for step in flow.steps:
            t += step.after if step.after is not None else auto_after(step, media, rng)
            produced = []
            for j, item in enumerate(step.items):
                when = t + item.offset
                params = resolve(dict(item.params), bodies)
                if r.preset is not None and step.kind in r.preset_kinds:
                    params.setdefault("preset", r.preset)
                if step.streams_from is not None:
                    streams = bodies[step.streams_from]
                    params["streams"] = streams if isinstance(streams, list) else [streams]
                label = f"{flow.name}#{self.media_no + 1}/{step.name}" + (f"[{j}]" if len(step.items) > 1 else "")
                event = r.factory.build(
                    step.kind, f"{key}/{step.name}/{j}", event_time=r.start_time + timedelta(seconds=when),
                    ok=item.ok, extend=extend_text(step.extend, bodies), media=media, params=params,
                    overrides=[(path, resolve(v, bodies)) for path, v in item.overrides],
                    event_id="", label=label, expect=str(step.expect),
                    vary=step.vary if step.vary is not None else r.vary)
                produced.append(event.payload())
                yield when, event
            t += step.items[-1].offset
            bodies[step.name] = produced[0] if len(produced) == 1 else produced


class Timeline:
    """The whole scenario's events, merged across flows and media by time."""

    def __init__(self, scenario: Scenario, *, seed: int, start_time: datetime, preset: str | None = None,
                 vary: bool | None = None) -> None:
        """``preset`` replaces the file's ``preset:``; ``vary`` (True/False) the file's ``vary:``."""
        self.scenario = scenario
        self.preset = preset if preset is not None else scenario.preset
        self.vary = scenario.vary if vary is None else vary
        self.seed = seed
        self.start_time = start_time
        self.region = scenario.region
        self.profile = profile(scenario.provider)
        self.factory = self.profile.factory(seed=seed, start_time=start_time, region=scenario.region)
        self.preset_kinds = frozenset(k for k, known in self.profile.params.items() if "preset" in known)
        self.faker = Faker()

    def __iter__(self) -> Iterator[tuple[float, Event]]:
        # (time, tie-break, flow, instance iterator, its pending event, media no. or -1)
        heap: list[tuple[float, int, int, Iterator[tuple[float, Event]], tuple[float, Event], int]] = []
        order = seq = 0

        def push(flow_no: int, media_no: int) -> None:
            nonlocal order
            flow = self.scenario.flows[flow_no]
            if media_no >= flow.repeat:
                return
            it = Instance(self, flow_no, flow, media_no).events()
            first = next(it, None)
            if first is not None:
                order += 1
                heapq.heappush(heap, (first[0], order, flow_no, it, first, media_no))

        for flow_no in range(len(self.scenario.flows)):
            push(flow_no, 0)
        while heap:
            when, _, flow_no, it, (_, event), media_no = heapq.heappop(heap)
            seq += 1    # ids follow the order events leave in, not the order they were built
            yield when, dataclasses.replace(event, event_id=f"evt-{seq:06d}")
            nxt = next(it, None)
            if nxt is not None:
                order += 1
                heapq.heappush(heap, (nxt[0], order, flow_no, it, nxt, -1))
            if media_no >= 0:   # this media's first event: the next media may start now
                push(flow_no, media_no + 1)

    def length(self) -> float:
        """Seconds from t=0 to the last event, with each flow's media timed like its first
        (exact unless steps are timed ``auto`` by a varying media duration)."""
        longest = 0.0
        for flow_no, flow in enumerate(self.scenario.flows):
            span = max((when for when, _ in Instance(self, flow_no, flow, 0).events()), default=0.0)
            longest = max(longest, span + (flow.repeat - 1) * flow.every)
        return longest

    def dry_run(self) -> int:
        """Build the first media of every flow (no delivery): catches what only building shows."""
        return sum(1 for flow_no, flow in enumerate(self.scenario.flows)
                   for _ in Instance(self, flow_no, flow, 0).events())
