"""Faults against real receivers: the verdict classifies each case; replay reproduces a run."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timezone

from aiohttp import web

from emulator.run import chaos
from emulator import receiver
from emulator.providers.aliyun.factory import EventFactory
from emulator.clock import Clock
from emulator.delivery.http import TargetSpec
from emulator.delivery.policy import DeliveryPolicy
from emulator.run.faults import FaultPlan, parse_chaos
from emulator.run.journal import ErrorKind
from emulator.run.report import group_by_event
from emulator.run.runner import released
from emulator.run.session import RunSettings, execute
from emulator.run.verdict import Verdict, judge_event

from .test_cli import cli

START = datetime(2026, 1, 1, tzinfo=timezone.utc)
FAST = DeliveryPolicy(time_scale=0.01)


def events(n: int):
    f = EventFactory(seed=2, start_time=START)
    return [(float(i), f.build("StreamTranscodeComplete", i)) for i in range(n)]


async def go(url: str, timed, plan: FaultPlan, *, policy=FAST, concurrency=1, **kw):
    settings = RunSettings(command="test", targets=(TargetSpec(url),), policy=policy, concurrency=concurrency,
                           seed=5, faults=plan, **kw)
    stream = chaos.apply(timed, plan, 5) if plan else chaos.number(timed)
    return await execute(settings, released(stream, Clock(policy.time_scale)))


def verdicts(result) -> dict[str, Verdict]:
    return {g[0].event.event_id: judge_event(g)[0] for g in group_by_event(result.journal.results)}


async def test_verdict_classifies_every_case():
    # evt 1 accepted first time; evt 2 sent twice (duplicated); evt 3 dropped; evt 4 refused (lost)
    timed = list(chaos.number(events(4)))
    refused = timed[3][1].body

    async def handle(request: web.Request) -> web.Response:
        return web.Response(status=500 if await request.read() == refused else 200)

    app = web.Application()
    app.router.add_post("/cb", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/cb"
    stream = [timed[0], timed[1], (timed[1][0] + 0.5, dataclasses.replace(timed[1][1], copy=2)),
              (timed[2][0], dataclasses.replace(timed[2][1], dropped=True)), timed[3]]
    settings = RunSettings(command="test", targets=(TargetSpec(url),), policy=FAST, concurrency=1, seed=5,
                           extra={"keep_results": True})
    try:
        result = await execute(settings, released(stream, Clock(0.01)))
    finally:
        await runner.cleanup()
    assert verdicts(result) == {"evt-000001": Verdict.DELIVERED, "evt-000002": Verdict.DUPLICATED,
                                "evt-000003": Verdict.DROPPED, "evt-000004": Verdict.LOST}
    c = result.journal.counters
    assert (c.events, c.duplicates, c.dropped, c.lost) == (4, 1, 1, 1)
    entries = {e["event_id"]: e for e in result.report["events"]}
    assert entries["evt-000004"]["production_loss"] and entries["evt-000003"]["production_loss"]
    assert not entries["evt-000002"]["production_loss"]
    assert entries["evt-000002"]["verdicts"][0]["copies_delivered"] == 2


async def test_retries_are_counted_in_the_verdict():
    app = receiver.create_app(receiver.ReceiverConfig(fail_first=2))
    runner, url = await receiver.start(app)
    try:
        result = await go(url, events(2), FaultPlan(), extra={"keep_results": True})
    finally:
        await runner.cleanup()
    groups = group_by_event(result.journal.results)
    for g in groups:
        verdict, per_target = judge_event(g)
        assert verdict is Verdict.DELIVERED_AFTER_RETRY and per_target[0].attempts == 3


async def test_faults_land_where_the_seed_says_twice_in_a_row(scripted):
    plan = parse_chaos("duplicate=0.3,drop=0.2,reorder=3,jitter=0-1s")
    seen = []
    for _ in range(2):
        rx = await scripted([200])
        result = await go(rx.url, events(20), plan, extra={"keep_results": True})
        seen.append(([h.body for h in rx.hits], result.report["dispatches"]))
    assert seen[0] == seen[1]
    faults = {f for d in seen[0][1] for f in d["faults"]}
    assert any("duplicate" in f for f in faults) and any("dropped" in f for f in faults)
    assert any("reordered" in f for f in faults)


async def test_dropped_events_never_reach_the_receiver(scripted):
    rx = await scripted([200])
    result = await go(rx.url, events(10), parse_chaos("drop=0.5"), extra={"keep_results": True})
    dropped = {r.event.body for r in result.journal.results if r.event.dropped}
    assert dropped and not dropped & {h.body for h in rx.hits}
    assert len(rx.hits) + len(dropped) == 10


async def test_receiver_reset_and_slow_body_are_failed_attempts():
    app = receiver.create_app(receiver.ReceiverConfig(reset_first=1))
    runner, url = await receiver.start(app)
    try:
        result = await go(url, events(1), FaultPlan(), extra={"keep_results": True})
    finally:
        await runner.cleanup()
    (r,) = result.journal.results
    assert r.attempts[0].error is ErrorKind.CONNECTION_RESET and r.attempts[1].ok

    app = receiver.create_app(receiver.ReceiverConfig(slow_body=1.0))
    runner, url = await receiver.start(app)
    try:
        result = await go(url, events(1), FaultPlan(), policy=DeliveryPolicy(timeout=0.3, time_scale=0.01),
                          extra={"keep_results": True})
    finally:
        await runner.cleanup()
    (r,) = result.journal.results
    assert [a.error for a in r.attempts] == [ErrorKind.TIMEOUT] * 3


async def test_receiver_fail_rate_is_seeded():
    patterns = []
    for _ in range(2):
        app = receiver.create_app(receiver.ReceiverConfig(fail_rate=0.5, seed=3))
        runner, url = await receiver.start(app)
        try:
            await go(url, events(12), FaultPlan(), policy=DeliveryPolicy(max_attempts=1, time_scale=0.01))
        finally:
            await runner.cleanup()
        patterns.append([r.status for r in app[receiver.STATE].received])
    assert patterns[0] == patterns[1]
    assert set(patterns[0]) == {200, 500}


async def test_replay_reproduces_the_sequence_of_bodies(scripted, tmp_path):
    report = tmp_path / "run.json"
    first = await scripted([200])
    code, out, err = await cli("trigger", "StreamTranscodeComplete", "--count", "12", "--seed", "4",
                               "--chaos", "duplicate=0.3,drop=0.2,reorder=4,jitter=0-500ms", "--concurrency", "1",
                               "--time-scale", "0.01", "--target", first.url, "--report", str(report))
    assert code == 1, err        # the drops are production losses the run did not expect
    doc = json.loads(report.read_text())
    assert doc["faults"] and doc["dispatches"]
    second = await scripted([200])
    code, out, err = await cli("replay", str(report), "--target", second.url, "--concurrency", "1",
                               "--time-scale", "0.01")
    assert code == 1, err
    assert [h.body for h in second.hits] == [h.body for h in first.hits]
    assert "verdict: in production the receiver would have lost" in out
