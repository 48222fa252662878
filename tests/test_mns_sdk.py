"""The emulator against the real ``aliyun-mns-sdk`` (import ``mns``), used as a consumer would.

The SDK is synchronous, so its calls run in threads (``asyncio.to_thread``) while the
server runs in the test's loop.  Queue time is a ManualClock: visibility timeouts and
long-poll deadlines pass when the test says so, never by sleeping.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import time
from dataclasses import dataclass, field

import aiohttp
import pytest
from aiohttp import web
from mns.account import Account
from mns.mns_exception import MNSServerException
from mns.queue import Message, QueueMeta

from emulator.server.mns import DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, ManualClock, QueueStore, auth, create_app

# SDK 1.3.0 marks QueueMeta's message counters deprecated and warns from inside get_attributes().
pytestmark = pytest.mark.filterwarnings("ignore:Call to deprecated function:DeprecationWarning")

EVENT = {"EventTime": "2026-01-01T00:00:00Z", "EventType": "FileUploadComplete", "VideoId": "43q91jdh7df",
         "Status": "success", "Extend": "{\"a\":\"<&>\"}"}


@dataclass
class Server:
    url: str
    store: QueueStore
    clock: ManualClock
    runner: web.AppRunner
    accounts: list[Account] = field(default_factory=list)

    def account(self, key_id: str = DEFAULT_ACCESS_KEY_ID, secret: str = DEFAULT_ACCESS_KEY_SECRET) -> Account:
        """One Account per consumer/producer: each holds one HTTP connection (not thread-safe)."""
        account = Account(self.url, key_id, secret)
        self.accounts.append(account)
        return account

    def close(self) -> None:
        for account in self.accounts:
            account.mns_client.http.conn.close()

    async def parked(self, queue: str, n: int = 1) -> None:
        """Until ``n`` receives are waiting on ``queue`` (a long poll has really started)."""
        for _ in range(2000):
            if self.store.waiting(queue) >= n:
                return
            await asyncio.sleep(0.001)
        raise AssertionError("the long poll never started")


@pytest.fixture
async def mns():
    clock = ManualClock()
    store = QueueStore(clock=clock)
    runner = web.AppRunner(create_app(store), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    server = Server(f"http://127.0.0.1:{runner.addresses[0][1]}", store, clock, runner)
    yield server
    server.close()
    await runner.cleanup()


def run(fn, *args, **kw):
    return asyncio.to_thread(fn, *args, **kw)


async def server_error(fn, *args, **kw) -> MNSServerException:
    with pytest.raises(MNSServerException) as info:
        await run(fn, *args, **kw)
    return info.value


async def make_queue(server: Server, name: str = "vod-events", **meta) -> object:
    queue = server.account().get_queue(name)
    await run(queue.create, QueueMeta(**meta))
    return queue


async def test_consumer_loop_create_send_receive_process_delete(mns):
    url = await run(mns.account().get_queue("vod-events").create, QueueMeta(vis_timeout=30))
    assert url == f"{mns.url}/queues/vod-events"
    producer = mns.account().get_queue("vod-events")
    producer.set_encoding(False)
    sent = await run(producer.send_message, Message(json.dumps(EVENT)))

    queue = mns.account().get_queue("vod-events")      # the consumer of reference §7.8
    queue.set_encoding(False)
    msg = await run(queue.receive_message, wait_seconds=3)
    assert json.loads(msg.message_body) == EVENT
    assert (msg.message_id, msg.message_body_md5, msg.dequeue_count, msg.priority) == (
        sent.message_id, sent.message_body_md5, 1, 8)
    assert msg.enqueue_time == msg.first_dequeue_time == int(mns.clock.wall() * 1000)
    assert msg.next_visible_time == msg.enqueue_time + 30_000
    await run(queue.delete_message, msg.receipt_handle)
    assert (await server_error(queue.receive_message, wait_seconds=0)).type == "MessageNotExist"


async def test_a_message_not_deleted_comes_back_after_the_visibility_timeout(mns):
    queue = await make_queue(mns, vis_timeout=5)
    await run(queue.send_message, Message("work"))
    first = await run(queue.receive_message_with_str_body, 0)
    assert (first.message_body, first.dequeue_count) == ("work", 1)
    assert (await server_error(queue.receive_message, 0)).type == "MessageNotExist"
    mns.clock.advance(5)
    again = await run(queue.receive_message_with_str_body, 0)
    assert again.message_id == first.message_id and again.dequeue_count == 2
    assert again.receipt_handle != first.receipt_handle
    assert again.first_dequeue_time == first.first_dequeue_time
    assert (await server_error(queue.delete_message, first.receipt_handle)).type == "MessageNotExist"
    assert (await server_error(queue.delete_message, "not-a-handle")).type == "ReceiptHandleError"
    changed = await run(queue.change_message_visibility, again.receipt_handle, 60)
    assert int(changed.next_visible_time) == int(mns.clock.wall() * 1000) + 60_000
    await run(queue.delete_message, changed.receipt_handle)


async def test_a_long_poll_is_woken_by_a_send_from_another_consumer(mns):
    await make_queue(mns)
    consumer, producer = mns.account().get_queue("vod-events"), mns.account().get_queue("vod-events")
    started = time.perf_counter()
    waiting = asyncio.create_task(run(consumer.receive_message_with_str_body, 10))
    await mns.parked("vod-events")
    sent_at = time.perf_counter()
    await run(producer.send_message, Message("wake up"))
    msg = await asyncio.wait_for(waiting, 5)
    woke = time.perf_counter()
    assert msg.message_body == "wake up"
    assert woke - sent_at < 0.5 and woke - started < 2      # nowhere near the 10 s wait


async def test_an_empty_long_poll_ends_with_message_not_exist_when_its_wait_is_over(mns):
    queue = await make_queue(mns, polling_wait_sec=20)
    waiting = asyncio.create_task(server_error(queue.receive_message))   # the queue's 20 s default
    await mns.parked("vod-events")
    mns.clock.advance(19)
    await asyncio.sleep(0.05)
    assert not waiting.done()
    mns.clock.advance(1)
    assert (await asyncio.wait_for(waiting, 5)).type == "MessageNotExist"


async def test_a_long_poll_is_woken_when_a_delayed_message_comes_due(mns):
    queue = await make_queue(mns)
    await run(queue.send_message, Message("later", delay_seconds=30))
    waiting = asyncio.create_task(run(queue.receive_message_with_str_body, 30))
    await mns.parked("vod-events")
    mns.clock.advance(30)
    assert (await asyncio.wait_for(waiting, 5)).message_body == "later"


async def test_batch_send_peek_receive_delete(mns):
    queue = await make_queue(mns)
    sent = await run(queue.batch_send_message, [Message("a"), Message("b", priority=1), Message("c", delay_seconds=5)])
    assert len({m.message_id for m in sent}) == 3
    peeked = await run(queue.batch_peek_message_with_str_body, 16)
    assert [(m.message_body, m.dequeue_count) for m in peeked] == [("b", 0), ("a", 0)]
    got = await run(queue.batch_receive_message_with_str_body, 16, 0)
    assert [(m.message_body, m.priority, m.dequeue_count) for m in got] == [("b", 1, 1), ("a", 8, 1)]
    exc = await server_error(queue.batch_delete_message, [got[0].receipt_handle, "1-" + "x" * 22])
    assert exc.type == "MessageNotExist" and exc.req_id
    assert exc.sub_errors == [{"ErrorCode": "MessageNotExist", "ErrorMessage": "Message not exist.",
                               "ReceiptHandle": "1-" + "x" * 22}]
    await run(queue.batch_delete_message, [got[1].receipt_handle])
    mns.clock.advance(5)
    assert [m.message_body for m in await run(queue.batch_receive_message_with_str_body, 16, 0)] == ["c"]
    assert (await server_error(queue.batch_receive_message, 4, 0)).type == "MessageNotExist"
    assert (await server_error(queue.batch_receive_message, 17, 0)).type == "InvalidArgument"


async def test_batch_send_partial_failure_reports_each_message(mns):
    queue = await make_queue(mns, max_msg_size=1024)
    queue.set_encoding(False)
    exc = await server_error(queue.batch_send_message, [Message("ok"), Message("x" * 2000)])
    assert exc.type == "InvalidArgument" and exc.req_id
    assert set(exc.sub_errors[0]) == {"MessageId", "MessageBodyMD5"}
    assert exc.sub_errors[1]["ErrorCode"] == "InvalidArgument"
    assert [m.message_body for m in await run(queue.batch_peek_message, 16)] == ["ok"]


async def test_queue_attributes_round_trip_list_and_delete(mns):
    meta = dict(vis_timeout=45, max_msg_size=2048, msg_ttl=3600, delay_sec=2, polling_wait_sec=7,
                logging_enabled=True)
    queue = await make_queue(mns, "meta", **meta)
    got = await run(queue.get_attributes)
    assert (got.visibility_timeout, got.maximum_message_size, got.message_retention_period, got.delay_seconds,
            got.polling_wait_seconds, got.logging_enabled, got.queue_name) == (45, 2048, 3600, 2, 7, True, "meta")
    assert got.create_time == got.last_modify_time == int(mns.clock.wall())
    await run(queue.create, QueueMeta(**meta))              # same attributes: fine
    assert (await server_error(queue.create, QueueMeta(vis_timeout=46))).type == "QueueAlreadyExist"
    mns.clock.advance(10)
    await run(queue.set_attributes, QueueMeta(vis_timeout=60, logging_enabled=False))
    got = await run(queue.get_attributes)
    assert (got.visibility_timeout, got.delay_seconds, got.logging_enabled) == (60, 2, False)
    assert got.last_modify_time == got.create_time + 10
    await run(queue.send_message, Message("x"))
    got = await run(queue.get_attributes)
    assert (got.active_messages, got.inactive_messages, got.delay_messages) == (0, 0, 1)
    assert (await server_error(queue.set_attributes, QueueMeta(vis_timeout=50000))).type == "InvalidArgument"

    account = mns.account()
    for name in ("a1", "a2", "a3"):
        await run(account.get_queue(name).create, QueueMeta())
    urls, marker = await run(account.list_queue, "a", 2)
    assert urls == [f"{mns.url}/queues/a1", f"{mns.url}/queues/a2"] and marker
    urls, marker = await run(account.list_queue, "a", 2, marker)
    assert urls == [f"{mns.url}/queues/a3"] and marker == ""
    await run(queue.delete)
    assert (await server_error(queue.get_attributes)).type == "QueueNotExist"
    assert (await server_error(queue.send_message, Message("x"))).type == "QueueNotExist"


async def test_credentials_are_checked(mns):
    await make_queue(mns)
    wrong_secret = mns.account(secret="not-the-secret").get_queue("vod-events")
    exc = await server_error(wrong_secret.send_message, Message("x"))
    assert exc.type == "SignatureDoesNotMatch" and exc.request_id and exc.host_id == mns.url
    unknown = mns.account(key_id="someone-else").get_queue("vod-events")
    assert (await server_error(unknown.get_attributes)).type == "InvalidAccessKeyId"
    assert (await server_error(mns.account().get_queue("no-such").receive_message, 0)).type == "QueueNotExist"


async def test_base64_and_raw_bodies_are_stored_verbatim(mns):
    queue = await make_queue(mns)                           # SDK default: base64 on
    await run(queue.send_message, Message("I am 测试字符串."))
    raw_reader = mns.account().get_queue("vod-events")
    raw_reader.set_encoding(False)
    peeked = await run(raw_reader.peek_message)
    assert peeked.message_body == "SSBhbSDmtYvor5XlrZfnrKbkuLIu"           # the base64 text, as sent
    assert peeked.message_body_md5 == "A9B134C465C384F49EB89A6E3870D996"  # MD5 of that text (reference §6.5)
    decoded = await run(queue.receive_message_with_str_body, 0)
    assert decoded.message_body == "I am 测试字符串."
    await run(queue.delete_message, decoded.receipt_handle)

    raw_writer = mns.account().get_queue("vod-events")
    raw_writer.set_encoding(False)
    await run(raw_writer.send_message, Message(json.dumps(EVENT)))
    with pytest.raises((binascii.Error, ValueError)):       # reference §7.5: the consumer-side pitfall
        await run(queue.receive_message, 0)
    mns.clock.advance(30)
    msg = await run(raw_reader.receive_message, 0)
    assert json.loads(msg.message_body) == EVENT and msg.dequeue_count == 2
    assert base64.b64encode(json.dumps(EVENT).encode()).decode() != msg.message_body


async def test_concurrent_producers_and_consumers_lose_and_duplicate_nothing(mns):
    await make_queue(mns, vis_timeout=600)

    def produce(account: Account, k: int) -> list[str]:
        queue = account.get_queue("vod-events")
        return [m.message_id for b in range(5)
                for m in queue.batch_send_message([Message(f"{k}-{b}-{i}") for i in range(16)])]

    def consume(account: Account) -> list[str]:
        queue, taken = account.get_queue("vod-events"), []
        while True:
            try:
                batch = queue.batch_receive_message(16, 0)
            except MNSServerException as e:
                assert e.type == "MessageNotExist"
                return taken
            queue.batch_delete_message([m.receipt_handle for m in batch])   # raises on any failure
            taken += [m.message_id for m in batch]

    sent = await asyncio.gather(*(run(produce, mns.account(), k) for k in range(4)))
    taken = await asyncio.gather(*(run(consume, mns.account()) for _ in range(6)))
    sent_ids, taken_ids = [i for ids in sent for i in ids], [i for ids in taken for i in ids]
    assert len(sent_ids) == len(set(sent_ids)) == 320
    assert sorted(taken_ids) == sorted(sent_ids)


async def test_racing_deletes_of_one_handle_succeed_once(mns):
    queue = await make_queue(mns)
    await run(queue.send_message, Message("x"))
    handle = (await run(queue.receive_message, 0)).receipt_handle

    def delete(account: Account) -> str:
        try:
            account.get_queue("vod-events").delete_message(handle)
            return "deleted"
        except MNSServerException as e:
            return e.type

    outcomes = await asyncio.gather(*(run(delete, mns.account()) for _ in range(8)))
    assert sorted(outcomes) == ["MessageNotExist"] * 7 + ["deleted"]


async def test_a_long_poll_whose_client_went_away_takes_nothing(mns):
    """A consumer killed mid-poll must not leave a message hidden for a visibility timeout."""
    await make_queue(mns)
    port = int(mns.url.rsplit(":", 1)[1])
    resource = "/queues/vod-events/messages?waitseconds=30"
    headers = auth.request_headers("GET", resource, b"", auth.http_date(mns.clock.wall()),
                                   DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET)
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write((f"GET {resource} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n").encode())
    await writer.drain()
    await mns.parked("vod-events")
    writer.close()
    await writer.wait_closed()
    for _ in range(1000):                            # until the server has seen the close
        if any(c.transport is None for c in mns.runner.server.connections):
            break
        await asyncio.sleep(0.001)
    else:
        raise AssertionError("the server never noticed the client leaving")
    producer = mns.account().get_queue("vod-events")
    await run(producer.send_message, Message("for a live consumer"))
    for _ in range(1000):
        if not mns.store.waiting("vod-events"):
            break
        await asyncio.sleep(0.001)
    msg = await run(producer.receive_message_with_str_body, 0)
    assert (msg.message_body, msg.dequeue_count) == ("for a live consumer", 1)


async def test_the_app_owns_the_store_lifetime_and_shares_its_port_with_a_control_api():
    store = QueueStore()
    app = create_app(store)
    control = web.Application()

    async def state(request: web.Request) -> web.Response:
        return web.json_response({"queues": store.list_queues().names})

    control.router.add_get("/state", state)
    app.add_subapp("/_emulator/", control)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    assert store.is_open
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    server = Server(f"http://127.0.0.1:{runner.addresses[0][1]}", store, ManualClock(), runner)
    try:
        await run(server.account().get_queue("shared").create, QueueMeta())
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{server.url}/_emulator/state") as resp:
                assert await resp.json() == {"queues": ["shared"]}
            async with http.get(f"{server.url}/elsewhere") as resp:     # not ours: an MNS error
                assert resp.status == 400 and "<Code>MissingAuthorizationHeader</Code>" in await resp.text()
    finally:
        server.close()
        await runner.cleanup()
    assert not store.is_open
