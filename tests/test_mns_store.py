"""The MNS queue store without HTTP: visibility, handles, delays, priority, retention, persistence."""

from __future__ import annotations

import asyncio

import pytest

from emulator.server.shared.storage_faults import StoreError
from emulator.server.mns import errors
from emulator.clock import ManualClock
from emulator.server.mns.model import NewMessage, QueueAttributes
from emulator.server.mns.store import QueueStore, body_md5

T0 = 1_800_000_000.0


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0)


@pytest.fixture
def store(clock):
    s = QueueStore(clock=clock).open()
    s.create_queue("q", {"VisibilityTimeout": 30})
    yield s
    s.close()


def send(store: QueueStore, body: str = "hello", **kw):
    return store.send("q", NewMessage(body, **kw))


def test_defaults_and_limits_are_the_documented_ones():
    a = QueueAttributes()
    assert (a.DelaySeconds, a.MaximumMessageSize, a.MessageRetentionPeriod, a.VisibilityTimeout,
            a.PollingWaitSeconds, a.LoggingEnabled) == (0, 65536, 345600, 30, 0, False)
    for bad in ({"VisibilityTimeout": 0}, {"VisibilityTimeout": 43201}, {"MaximumMessageSize": 1023},
                {"MessageRetentionPeriod": 59}, {"PollingWaitSeconds": 31}, {"DelaySeconds": 604801}):
        with pytest.raises(errors.InvalidArgument, match="should between"):
            QueueAttributes().updated(bad)


def test_create_is_idempotent_only_with_the_same_attributes(store):
    assert store.create_queue("other") is True
    assert store.create_queue("other") is False
    with pytest.raises(errors.QueueAlreadyExist):
        store.create_queue("other", {"DelaySeconds": 5})
    with pytest.raises(errors.InvalidQueueName):
        store.create_queue("-starts-with-hyphen")
    with pytest.raises(errors.InvalidQueueName):
        store.create_queue("under_score")
    with pytest.raises(errors.QueueNameLengthError):
        store.create_queue("a" * 121)


def test_attributes_round_trip_and_counts(store, clock):
    store.set_queue_attributes("q", {"PollingWaitSeconds": 3, "LoggingEnabled": True})
    clock.advance(5)
    send(store, "a")
    send(store, "b", delay_seconds=60)
    store.receive_now("q")  # "a" in flight
    send(store, "c")
    info = store.get_queue_attributes("q")
    assert info.attributes.PollingWaitSeconds == 3 and info.attributes.LoggingEnabled is True
    assert info.attributes.VisibilityTimeout == 30
    assert info.create_time == int(T0) and info.last_modify_time == int(T0)
    assert (info.active, info.inactive, info.delayed) == (1, 1, 1)


def test_missing_queue_is_queue_not_exist(store):
    for call in (lambda: store.send("nope", NewMessage("x")), lambda: store.receive_now("nope"),
                 lambda: store.peek("nope"), lambda: store.get_queue_attributes("nope"),
                 lambda: store.set_queue_attributes("nope", {})):
        with pytest.raises(errors.QueueNotExist):
            call()
    store.delete_queue("nope")   # not an error


def test_receive_hides_the_message_and_changes_its_handle_each_time(store, clock):
    sent = send(store, "hello")
    assert sent.body_md5 == body_md5("hello") == "5D41402ABC4B2A76B9719D911017C592"
    assert sent.receipt_handle == ""   # only delayed messages get one at send
    (m,) = store.receive_now("q")
    assert (m.message_id, m.body, m.dequeue_count) == (sent.message_id, "hello", 1)
    assert m.first_dequeue_time == m.enqueue_time == int(T0 * 1000)
    assert m.next_visible_time == int(T0 * 1000) + 30_000
    assert store.receive_now("q") == []            # invisible
    clock.advance(29.999)
    assert store.receive_now("q") == []
    clock.advance(0.001)
    (again,) = store.receive_now("q")               # the visibility timeout passed: back
    assert again.dequeue_count == 2 and again.receipt_handle != m.receipt_handle
    assert again.first_dequeue_time == m.first_dequeue_time
    with pytest.raises(errors.MessageNotExist):     # the old handle is stale
        store.delete("q", m.receipt_handle)
    store.delete("q", again.receipt_handle)
    with pytest.raises(errors.MessageNotExist):     # and gone
        store.delete("q", again.receipt_handle)


def test_an_expired_handle_no_longer_deletes(store, clock):
    send(store)
    (m,) = store.receive_now("q")
    clock.advance(30)
    with pytest.raises(errors.MessageNotExist):
        store.delete("q", m.receipt_handle)
    assert store.receive_now("q")[0].dequeue_count == 2


def test_malformed_handles_are_receipt_handle_errors(store):
    for bad in ("", "bogus", "1-" + "!" * 22, "2-" + "a" * 22, "1-" + "é" * 22):
        with pytest.raises(errors.ReceiptHandleError):
            store.delete("q", bad)


def test_change_visibility_counts_from_now_and_replaces_the_handle(store, clock):
    send(store)
    (m,) = store.receive_now("q")
    clock.advance(20)
    v = store.change_visibility("q", m.receipt_handle, 5)
    assert v.next_visible_time == int((T0 + 25) * 1000) and v.receipt_handle != m.receipt_handle
    with pytest.raises(errors.MessageNotExist):
        store.change_visibility("q", m.receipt_handle, 5)
    with pytest.raises(errors.InvalidArgument):
        store.change_visibility("q", v.receipt_handle, 0)
    clock.advance(5)
    assert store.receive_now("q")[0].dequeue_count == 2


def test_peek_changes_nothing(store):
    send(store, "a")
    (p,) = store.peek("q")
    assert p.dequeue_count == 0 and p.first_dequeue_time == p.enqueue_time and p.receipt_handle == ""
    assert store.peek("q")[0].message_id == p.message_id
    assert store.receive_now("q")[0].dequeue_count == 1
    with pytest.raises(errors.MessageNotExist):
        store.peek("q")


def test_delay_per_message_and_per_queue(store, clock):
    sent = send(store, "later", delay_seconds=10)
    assert sent.receipt_handle.startswith("1-")
    assert store.receive_now("q") == []
    clock.advance(10)
    assert store.receive_now("q")[0].body == "later"
    store.set_queue_attributes("q", {"DelaySeconds": 3})
    send(store, "queue-delayed")
    send(store, "override", delay_seconds=0)
    assert [m.body for m in store.receive_now("q", 16)] == ["override"]
    clock.advance(3)
    assert [m.body for m in store.receive_now("q", 16)] == ["queue-delayed"]


def test_a_delayed_message_can_be_cancelled_with_its_send_handle(store, clock):
    sent = send(store, "later", delay_seconds=10)
    store.delete("q", sent.receipt_handle)
    clock.advance(10)
    assert store.receive_now("q") == []


def test_priority_first_then_send_order(store):
    for body, prio in (("low", 16), ("a", None), ("high", 1), ("b", 8), ("mid", 4)):
        send(store, body, priority=prio)
    assert [m.body for m in store.peek("q", 16)] == ["high", "mid", "a", "b", "low"]
    assert [m.priority for m in store.receive_now("q", 16)] == [1, 4, 8, 8, 16]


def test_message_validation(store):
    store.set_queue_attributes("q", {"MaximumMessageSize": 1024})
    send(store, "x" * 1024)
    with pytest.raises(errors.InvalidArgument, match="MessageBody"):
        send(store, "x" * 1025)
    with pytest.raises(errors.InvalidArgument, match="MessageBody"):
        send(store, "é" * 513)       # bytes, not characters
    with pytest.raises(errors.InvalidArgument):
        send(store, "")
    with pytest.raises(errors.InvalidArgument, match="XML"):
        send(store, "nul \x00 byte")
    with pytest.raises(errors.InvalidArgument, match="Priority"):
        send(store, "x", priority=17)
    with pytest.raises(errors.InvalidArgument, match="DelaySeconds"):
        send(store, "x", delay_seconds=-1)


def test_retention_drops_messages_whether_received_or_not(store, clock):
    store.set_queue_attributes("q", {"MessageRetentionPeriod": 60})
    send(store, "old")
    send(store, "old-in-flight")
    (m,) = store.receive_now("q")
    clock.advance(30)
    send(store, "young")
    clock.advance(30)
    with pytest.raises(errors.MessageNotExist):
        store.delete("q", m.receipt_handle)
    assert [x.body for x in store.peek("q", 16)] == ["young"]
    assert store.get_queue_attributes("q").active == 1
    assert [x.body for x in store.receive_now("q", 16)] == ["young"]


def test_batches(store):
    results = store.send_batch("q", [NewMessage(str(i)) for i in range(16)])
    assert len({r.message_id for r in results}) == 16
    with pytest.raises(errors.InvalidArgument):
        store.send_batch("q", [NewMessage("x")] * 17)
    with pytest.raises(errors.InvalidArgument):
        store.send_batch("q", [NewMessage("x" * 60000), NewMessage("y" * 6000)])
    with pytest.raises(errors.InvalidArgument, match="numofmessages"):
        store.receive_now("q", 17)
    got = store.receive_now("q", 10)
    assert [m.body for m in got] == [str(i) for i in range(10)]
    failed = store.delete_batch("q", [got[0].receipt_handle, "1-" + "A" * 22, "bad", got[1].receipt_handle])
    assert [(h, type(e)) for h, e in failed] == [("1-" + "A" * 22, errors.MessageNotExist),
                                                ("bad", errors.ReceiptHandleError)]
    assert store.get_queue_attributes("q").inactive == 8


def test_batch_send_keeps_the_good_ones(store):
    store.set_queue_attributes("q", {"MaximumMessageSize": 1024})
    results = store.send_batch("q", [NewMessage("ok"), NewMessage("x" * 2000), NewMessage("ok2", priority=99)])
    assert isinstance(results[1], errors.InvalidArgument) and isinstance(results[2], errors.InvalidArgument)
    assert [m.body for m in store.peek("q", 16)] == ["ok"]


def test_list_queues_pages_with_a_marker(store):
    for name in ("a1", "a2", "a3", "b1"):
        store.create_queue(name)
    page = store.list_queues("a", "", 2)
    assert page.names == ("a1", "a2") and page.next_marker == "a2"
    page = store.list_queues("a", page.next_marker, 2)
    assert page.names == ("a3",) and page.next_marker == ""
    assert store.list_queues().names == ("a1", "a2", "a3", "b1", "q")
    with pytest.raises(errors.InvalidArgument):
        store.list_queues(limit=1001)


def test_delete_queue_drops_its_messages(store):
    send(store)
    store.delete_queue("q")
    store.create_queue("q")
    with pytest.raises(errors.MessageNotExist):
        store.peek("q")


async def test_long_poll_wakes_on_send(store, clock):
    waiter = asyncio.create_task(store.receive("q", 1, 30))
    while store.waiting("q") == 0:
        await asyncio.sleep(0)
    send(store, "now")
    (m,) = await asyncio.wait_for(waiter, 1)
    assert m.body == "now" and clock.wall() == T0      # no time had to pass


async def test_long_poll_wakes_when_a_delayed_or_in_flight_message_comes_due(store, clock):
    send(store, "delayed", delay_seconds=5)
    waiter = asyncio.create_task(store.receive("q", 1, 30))
    while store.waiting("q") == 0:
        await asyncio.sleep(0)
    clock.advance(5)
    assert (await asyncio.wait_for(waiter, 1))[0].body == "delayed"
    waiter = asyncio.create_task(store.receive("q", 1, 30))   # in flight now, for 30 s
    while store.waiting("q") == 0:
        await asyncio.sleep(0)
    clock.advance(29)
    await asyncio.sleep(0)
    assert not waiter.done()
    clock.advance(1)
    assert (await asyncio.wait_for(waiter, 1))[0].dequeue_count == 2


async def test_long_poll_times_out_with_message_not_exist(store, clock):
    waiter = asyncio.create_task(store.receive("q", 1, 10))
    while store.waiting("q") == 0:
        await asyncio.sleep(0)
    clock.advance(10)
    with pytest.raises(errors.MessageNotExist):
        await asyncio.wait_for(waiter, 1)
    with pytest.raises(errors.MessageNotExist):       # wait 0: immediate
        await store.receive("q", 1, 0)
    with pytest.raises(errors.InvalidArgument, match="waitseconds"):
        await store.receive("q", 1, 31)


async def test_polling_wait_seconds_is_the_default_wait(store, clock):
    store.set_queue_attributes("q", {"PollingWaitSeconds": 20})
    waiter = asyncio.create_task(store.receive("q"))
    while store.waiting("q") == 0:
        await asyncio.sleep(0)
    clock.advance(19)
    await asyncio.sleep(0)
    assert not waiter.done()
    clock.advance(1)
    with pytest.raises(errors.MessageNotExist):
        await asyncio.wait_for(waiter, 1)


async def test_many_waiters_one_message_one_winner(store):
    waiters = [asyncio.create_task(store.receive("q", 1, 30)) for _ in range(5)]
    while store.waiting("q") < 5:
        await asyncio.sleep(0)
    send(store, "only")
    store.interrupt()                 # the losers give up at once instead of waiting 30 s
    results = await asyncio.gather(*waiters, return_exceptions=True)
    assert sum(isinstance(r, list) for r in results) == 1
    assert sum(isinstance(r, errors.MessageNotExist) for r in results) == 4


async def test_deleting_the_queue_releases_its_waiters(store):
    waiter = asyncio.create_task(store.receive("q", 1, 30))
    while store.waiting("q") == 0:
        await asyncio.sleep(0)
    store.delete_queue("q")
    with pytest.raises(errors.QueueNotExist):
        await asyncio.wait_for(waiter, 1)


def test_everything_survives_reopening_the_file(tmp_path, clock):
    s = QueueStore.in_dir(tmp_path, clock=clock).open()
    s.create_queue("q", {"VisibilityTimeout": 10, "DelaySeconds": 1})
    ids = [s.send("q", NewMessage(f"m{i}", priority=16 - i)).message_id for i in range(3)]
    clock.advance(1)
    (inflight,) = s.receive_now("q")
    s.close()

    s = QueueStore.in_dir(tmp_path, clock=clock).open()
    assert s.get_queue_attributes("q").attributes.VisibilityTimeout == 10
    assert [m.message_id for m in s.peek("q", 16)] == ids[1::-1]
    s.delete("q", inflight.receipt_handle)           # its handle is still good
    clock.advance(10)
    assert {m.message_id for m in s.receive_now("q", 16)} == set(ids[:2])
    s.close()


def test_a_data_dir_has_one_owner(tmp_path):
    first = QueueStore.in_dir(tmp_path).open()
    with pytest.raises(StoreError, match="in use by another process"):
        QueueStore.in_dir(tmp_path).open()
    first.close()
    QueueStore.in_dir(tmp_path).open().close()


def test_a_scaled_clock_is_refused():
    from emulator.clock import Clock

    with pytest.raises(ValueError, match="scaled"):
        QueueStore(clock=Clock(time_scale=0.01))
    QueueStore(clock=Clock())
