"""Open-loop delivery: events leave at their times whatever the receiver does; the
connection limit delays releases visibly (the report says by how much), never silently."""

from __future__ import annotations

import asyncio
from datetime import datetime

from emulator.clock import Clock
from emulator.delivery.http import TargetSpec
from emulator.delivery.policy import DeliveryPolicy
from emulator.run.limit import ConnectionLimit, fit_fd_limit
from emulator.run.runner import released
from emulator.run.session import RunSettings, execute
from emulator.run.timing import Percentiles

from .conftest import make_event


def stamp(iso: str) -> float:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


async def test_a_slow_receiver_sees_the_production_rate(scripted):
    # Each answer takes 1 s; ten events 50 ms apart.  A closed loop of one worker would
    # send one per second; the service (and the emulator) sends all ten within 0.45 s.
    rx = await scripted([200], delay=1.0)
    timed = [(i * 0.5, make_event(i)) for i in range(10)]          # 0.5 s apart at scale 0.1 → 50 ms
    settings = RunSettings(command="test", targets=(TargetSpec(rx.url),), policy=DeliveryPolicy(time_scale=0.1),
                           concurrency=1000)
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    result = await execute(settings, released(timed, Clock(0.1)))
    took = loop.time() - t0
    assert result.journal.counters.delivered == 10
    offsets = [h.at - rx.hits[0].at for h in rx.hits]
    for i, off in enumerate(offsets):
        assert abs(off - i * 0.05) < 0.04, offsets
    assert took < 1.45 + 0.3            # the last event's time plus one answer, not ten answers
    timing = result.report["timing"]
    assert timing["limit_waits"] == 0 and timing["release_lateness_ms"]["max_ms"] < 40


async def test_a_full_connection_limit_shows_as_release_lateness(scripted):
    rx = await scripted([200], delay=0.3)
    settings = RunSettings(command="test", targets=(TargetSpec(rx.url),), concurrency=2)
    result = await execute(settings, [make_event(i) for i in range(6)])
    assert result.journal.counters.delivered == 6
    # two at a time: the receiver saw pairs 0.3 s apart
    starts = sorted(h.at - rx.hits[0].at for h in rx.hits)
    assert starts[1] < 0.1 and 0.25 < starts[2] < 0.45 and 0.55 < starts[4] < 0.8
    timing = result.report["timing"]
    assert timing["connection_limit"] == 2
    assert timing["released_late"] == 4
    assert 550 <= timing["release_lateness_ms"]["max_ms"] <= 800
    assert "connection limit 2 reached" in result.journal.timing.summary()


async def test_retry_gaps_of_many_failing_at_once_run_from_each_failure(scripted):
    rx = await scripted([500])
    policy = DeliveryPolicy(time_scale=0.1)     # 0.1 s gaps
    settings = RunSettings(command="test", targets=(TargetSpec(rx.url),), policy=policy, concurrency=1000,
                           extra={"keep_results": True})
    result = await execute(settings, [make_event(i) for i in range(100)])
    assert result.journal.counters.lost == 100 and len(rx.hits) == 300
    for r in result.journal.results:        # from the end of each failed attempt (ms stamps)
        for prev, nxt in zip(r.attempts, r.attempts[1:]):
            gap = stamp(nxt.started_at) - stamp(prev.started_at) - prev.duration_ms / 1000
            assert 0.098 <= gap <= 0.4, gap
    gaps = result.report["timing"]["retry_gap_error_ms"]
    assert gaps["count"] == 200


async def test_retries_get_a_free_connection_before_new_releases():
    limit = ConnectionLimit(1)
    await limit.acquire()
    order: list[str] = []

    async def take(name: str, retry: bool) -> None:
        await limit.acquire(retry=retry)
        order.append(name)
        limit.release()

    tasks = [asyncio.create_task(take("release", False)), asyncio.create_task(take("retry", True))]
    await asyncio.sleep(0)
    limit.release()
    await asyncio.gather(*tasks)
    assert order == ["retry", "release"]
    assert limit.free == 1 and limit.waits == 2


def test_fd_limit_is_raised_or_the_connections_are_capped():
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    assert fit_fd_limit(100) == 100
    assert fit_fd_limit(10**9) < 10**9
    assert resource.getrlimit(resource.RLIMIT_NOFILE)[0] >= soft


def test_percentiles_are_exact_to_the_step():
    p = Percentiles()
    for ms in range(1, 101):
        p.add(float(ms))
    assert p.pct(50) == 50.1 and p.pct(99) == 99.1 and p.max_ms == 100
    assert p.above(90) == 10
    p.add(12_345.0)
    assert p.pct(100) == 12_345.0
