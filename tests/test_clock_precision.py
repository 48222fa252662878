"""Timings are measured to the microsecond and waits never end early, on either event loop.

uvloop's own clock counts whole milliseconds: a loopback answer measured with it takes 0 or
1 ms, and a wait of ``deadline - now`` set on it can end up to a millisecond early.
"""

from __future__ import annotations

import asyncio

import pytest

from emulator.clock import now, sleep_until
from emulator.delivery.fast_http import FastHttpTarget

from .conftest import make_event
from .test_fast_http import OK, raw_server

uvloop = pytest.importorskip("uvloop")
LOOPS = {"asyncio": asyncio.new_event_loop, "uvloop": uvloop.new_event_loop}


def run_on(loop_name: str, coro):
    with asyncio.Runner(loop_factory=LOOPS[loop_name]) as runner:
        return runner.run(coro)


@pytest.mark.parametrize("loop_name", LOOPS)
def test_a_wait_for_an_instant_never_ends_before_it(loop_name):
    async def waits() -> list[float]:
        early = []
        for i in range(30):
            deadline = now() + 0.0005 + i * 0.0003
            await sleep_until(deadline)
            early.append(deadline - now())
        return early

    assert max(run_on(loop_name, waits())) <= 0


@pytest.mark.parametrize("loop_name", LOOPS)
def test_attempt_durations_are_measured_below_the_millisecond(loop_name):
    async def durations() -> list[float]:
        async with raw_server([OK]) as (url, _):
            target = FastHttpTarget(url)
            await target.open(5)
            try:
                return [(await target.attempt(make_event(i), 1, 5)).duration_ms for i in range(20)]
            finally:
                await target.close()

    measured = run_on(loop_name, durations())
    assert all(d > 0 for d in measured)                         # never "0 ms": a coarse clock's answer
    assert any(d != round(d) for d in measured)                 # microseconds, not whole milliseconds
