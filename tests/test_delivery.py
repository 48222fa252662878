"""The documented HTTP delivery rules, against real aiohttp receivers on loopback."""

from __future__ import annotations

import asyncio
import socket

import pytest

from emulator.clock import Clock
from emulator.delivery.fast_http import FastHttpTarget
from emulator.delivery.http import HttpTarget
from emulator.delivery.policy import DeliveryPolicy
from emulator.delivery.retry import deliver
from emulator.run.journal import ErrorKind, EventOutcome

from .conftest import make_event

FAST = DeliveryPolicy(time_scale=0.01)
CLIENT = {"target": HttpTarget}


@pytest.fixture(autouse=True, params=[HttpTarget, FastHttpTarget], ids=["aiohttp", "lean"])
def client(request):
    """Every rule holds for both senders: aiohttp (https://) and the lean client (http://)."""
    CLIENT["target"] = request.param
    yield request.param
    CLIENT["target"] = HttpTarget


async def send(url: str, policy: DeliveryPolicy = FAST, **kw):
    clock = Clock(policy.time_scale)
    target = CLIENT["target"](url, clock=clock, **kw)
    await target.open(policy.timeout)
    try:
        return await deliver(make_event(), target, policy, clock)
    finally:
        await target.close()


@pytest.mark.realtime
async def test_500_500_200_gets_three_posts_one_second_apart_at_real_speed(scripted):
    rx = await scripted([500, 500, 200])
    result = await send(rx.url, DeliveryPolicy())
    assert len(rx.hits) == 3
    assert result.outcome is EventOutcome.DELIVERED_AFTER_RETRY
    assert [a.status for a in result.attempts] == [500, 500, 200]
    for gap in rx.gaps():
        assert 0.98 <= gap <= 1.25, rx.gaps()


async def test_success_on_first_200_is_one_post(scripted):
    rx = await scripted([200])
    result = await send(rx.url)
    assert result.outcome is EventOutcome.DELIVERED
    assert len(rx.hits) == 1


@pytest.mark.parametrize("status", [201, 204, 302, 301, 400, 404, 500, 503])
async def test_anything_but_200_is_a_failure_and_the_event_is_lost_after_three(scripted, status):
    rx = await scripted([status], headers={"Location": "http://127.0.0.1:9/elsewhere"} if 300 <= status < 400 else {})
    result = await send(rx.url)
    assert len(rx.hits) == 3
    assert result.outcome is EventOutcome.LOST
    assert all(a.status == status and a.error is ErrorKind.STATUS for a in result.attempts)


async def test_redirects_are_not_followed(scripted):
    other = await scripted([200])
    rx = await scripted([302], headers={"Location": other.url})
    result = await send(rx.url)
    assert other.hits == []
    assert result.outcome is EventOutcome.LOST
    assert "redirects are not followed" in result.attempts[0].detail


async def test_post_is_flat_json_with_json_content_type(scripted):
    rx = await scripted([200])
    await send(rx.url)
    hit = rx.hits[0]
    assert hit.method == "POST"
    assert hit.headers["Content-Type"] == "application/json"
    assert hit.json()["EventType"] == "FileUploadComplete"
    assert hit.body == make_event().body
    assert "X-VOD-SIGNATURE" not in hit.headers


async def test_timeout_cuts_each_attempt_scaled(scripted):
    rx = await scripted([200], delay=1.0)
    policy = DeliveryPolicy(timeout=0.2, time_scale=0.01)
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    result = await send(rx.url, policy)
    assert result.outcome is EventOutcome.LOST
    assert [a.error for a in result.attempts] == [ErrorKind.TIMEOUT] * 3
    for a in result.attempts:
        assert 195 <= a.duration_ms <= 400
    assert loop.time() - t0 < 1.5


@pytest.mark.realtime
async def test_default_timeout_is_five_seconds_at_real_speed(scripted):
    rx = await scripted([200], delay=6.0)
    result = await send(rx.url, DeliveryPolicy(max_attempts=1))
    (attempt,) = result.attempts
    assert attempt.error is ErrorKind.TIMEOUT
    assert 4.95 <= attempt.duration_ms / 1000 <= 5.3


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_connection_refused_is_a_failed_attempt_with_its_reason():
    result = await send(f"http://127.0.0.1:{free_port()}/cb")
    assert result.outcome is EventOutcome.LOST
    assert [a.error for a in result.attempts] == [ErrorKind.CONNECTION_REFUSED] * 3
    assert all(a.status is None for a in result.attempts)


async def test_connection_reset_is_a_failed_attempt():
    async def slam(reader, writer):
        await reader.read(10)
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        writer.close()

    server = await asyncio.start_server(slam, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        result = await send(f"http://127.0.0.1:{port}/cb")
    assert result.outcome is EventOutcome.LOST
    assert {a.error for a in result.attempts} <= {ErrorKind.CONNECTION_RESET}


async def test_retry_gap_follows_the_time_scale(scripted):
    rx = await scripted([500, 500, 500])
    await send(rx.url, DeliveryPolicy(time_scale=0.1))
    assert len(rx.hits) == 3
    for gap in rx.gaps():
        assert 0.095 <= gap <= 0.3
