"""MnsTarget through the real retry loop, against the MNS emulator on loopback."""

from __future__ import annotations

import asyncio
import json
import socket

import pytest
from aiohttp import web
from mns.account import Account

from emulator.clock import Clock
from emulator.delivery.mns import BodyMode, MnsTarget, parse_mns_url
from emulator.delivery.policy import DeliveryPolicy
from emulator.delivery.retry import deliver
from emulator.run.journal import ErrorKind, EventOutcome
from emulator.server.mns import DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, QueueStore, create_app
from emulator.server.mns.errors import MessageNotExist

from .conftest import make_event

FAST = DeliveryPolicy(time_scale=0.01)


@pytest.fixture
async def mns():
    store = QueueStore()
    runner = web.AppRunner(create_app(store), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    store.create_queue("vod-events")
    yield store, f"127.0.0.1:{runner.addresses[0][1]}"
    await runner.cleanup()


async def send(url: str, **kw):
    clock = Clock(FAST.time_scale)
    target = MnsTarget(url, clock=clock, **kw)
    await target.open(FAST.timeout)
    try:
        return await deliver(make_event(), target, FAST, clock)
    finally:
        await target.close()


async def test_delivered_is_one_send_message_answered_201(mns):
    store, hostport = mns
    result = await send(f"mns://{hostport}/vod-events")
    assert result.outcome is EventOutcome.DELIVERED
    (attempt,) = result.attempts
    assert (attempt.status, attempt.error, attempt.detail) == (201, None, "HTTP 201")
    (message,) = store.receive_now("vod-events")
    assert message.body == make_event().body.decode()          # raw: the event JSON itself


async def test_a_missing_queue_is_three_failed_attempts_then_lost(mns):
    store, hostport = mns
    result = await send(f"mns://{hostport}/no-such-queue")
    assert result.outcome is EventOutcome.LOST
    assert [(a.status, a.error, a.detail) for a in result.attempts] == [
        (404, ErrorKind.STATUS, "HTTP 404 QueueNotExist")] * 3


async def test_wrong_credentials_are_lost_with_signature_does_not_match(mns):
    store, hostport = mns
    result = await send(f"mns://{DEFAULT_ACCESS_KEY_ID}:wrong-secret@{hostport}/vod-events")
    assert result.outcome is EventOutcome.LOST
    assert [a.detail for a in result.attempts] == ["HTTP 403 SignatureDoesNotMatch"] * 3
    result = await send(f"mns://someone:{DEFAULT_ACCESS_KEY_SECRET}@{hostport}/vod-events")
    assert result.attempts[0].detail == "HTTP 403 InvalidAccessKeyId"
    with pytest.raises(MessageNotExist):
        store.peek("vod-events")


async def test_explicit_default_credentials_work(mns):
    _, hostport = mns
    url = f"mns://{DEFAULT_ACCESS_KEY_ID}:{DEFAULT_ACCESS_KEY_SECRET}@{hostport}/vod-events"
    assert (await send(url)).outcome is EventOutcome.DELIVERED


async def test_server_down_is_connection_refused_three_times():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = await send(f"mns://127.0.0.1:{port}/vod-events")
    assert result.outcome is EventOutcome.LOST
    assert [a.error for a in result.attempts] == [ErrorKind.CONNECTION_REFUSED] * 3
    assert all(a.status is None for a in result.attempts)


@pytest.mark.parametrize("mode", ["url", "argument"])
async def test_base64_mode_decodes_with_the_sdk_default(mns, mode):
    _, hostport = mns
    url = f"mns://{hostport}/vod-events" + ("?body=base64" if mode == "url" else "")
    result = await send(url, **({"body": "base64"} if mode == "argument" else {}))
    assert result.outcome is EventOutcome.DELIVERED
    account = Account(f"http://{hostport}", DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET)
    try:
        queue = account.get_queue("vod-events")                 # encoding left at the SDK default (base64)
        msg = await asyncio.to_thread(queue.receive_message, 0)
        assert msg.message_body == make_event().body
        assert json.loads(msg.message_body) == make_event().payload()
    finally:
        account.mns_client.http.conn.close()


async def test_raw_mode_reads_with_set_encoding_false(mns):
    _, hostport = mns
    await send(f"mns://{hostport}/vod-events")
    account = Account(f"http://{hostport}", DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET)
    try:
        queue = account.get_queue("vod-events")
        queue.set_encoding(False)
        msg = await asyncio.to_thread(queue.receive_message, 0)
        assert json.loads(msg.message_body) == make_event().payload()
    finally:
        account.mns_client.http.conn.close()


def test_describe_and_name_say_the_mode_and_hide_the_secret():
    t = MnsTarget("mns://me:s3cr%2Ft@127.0.0.1:9911/q1?body=base64")
    assert t.url.access_key_secret == "s3cr/t"
    assert t.describe() == {"type": "mns", "endpoint": "http://127.0.0.1:9911", "queue": "q1",
                            "access_key_id": "me", "body": "base64",
                            "success_rule": "SendMessage answered 201 Created"}
    assert "s3cr" not in t.name and t.name == "mns://me@127.0.0.1:9911/q1?body=base64"
    assert MnsTarget("mns://127.0.0.1:9911/q1").describe()["body"] == "raw"


def test_parse_mns_url():
    u = parse_mns_url("mns://localhost:9911/vod-events")
    assert (u.host, u.port, u.queue, u.access_key_id, u.access_key_secret, u.body) == (
        "localhost", 9911, "vod-events", DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, BodyMode.RAW)
    assert u.endpoint + u.resource == "http://localhost:9911/queues/vod-events/messages"
    assert parse_mns_url("mns://[::1]:9/q").endpoint == "http://[::1]:9"
    for bad, why in [("http://127.0.0.1:9911/q", "expected mns://"),
                     ("mns://127.0.0.1:9911/", "queue ''"),
                     ("mns://127.0.0.1:9911/a/b", "queue 'a/b'"),
                     ("mns://127.0.0.1:9911/bad_name", "queue 'bad_name'"),
                     ("mns://127.0.0.1:99999/q", "Port out of range"),
                     ("mns://me@127.0.0.1:9911/q", "both ACCESS_KEY_ID and SECRET"),
                     ("mns://127.0.0.1:9911/q?body=hex", "body=raw or body=base64"),
                     ("mns://127.0.0.1:9911/q?x=1", "the only option")]:
        with pytest.raises(ValueError, match=why.replace("[", r"\[").replace("(", r"\(")):
            parse_mns_url(bad)
