"""The Tencent VOD reliable-callback API: the event store without HTTP, then the wire
(TC3 signatures, the API 3.0 envelope, parameter errors, mutated requests) with aiohttp.

Queue time is a ManualClock (or a tiny ``time_scale``): 30 s visibility, 5 s holds and
4-day retention pass when the test says so.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
import uuid

import pytest
from aiohttp import web

from emulator.server.shared.storage_faults import StoreError
from emulator.clock import Clock
from emulator.server.mns import QueueStore
from emulator.server.mns import create_app as create_mns_app
from emulator.clock import ManualClock
from emulator.server.tencent_api import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, EventConfig, EventStore, create_app, mount, sign
from emulator.server.tencent_api.errors import InvalidParameterValue
from emulator.server.tencent_api.store import DB_FILE

T0 = 1_800_000_000.0
APP = 1500000001


def event(n: int, event_type: str = "NewFileUpload") -> dict:
    return {"EventType": event_type, "FileUploadEvent": {"FileId": f"5285890{n:012d}"}}


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0)


@pytest.fixture
def store(clock):
    s = EventStore(clock=clock).open()
    yield s
    s.close()


async def parked(store: EventStore, app: int | None = None, n: int = 1) -> None:
    for _ in range(2000):
        if store.waiting(app) >= n:
            return
        await asyncio.sleep(0.001)
    raise AssertionError("the long poll never started")


# -- the store -------------------------------------------------------------------------
def test_fifo_at_most_16_each_with_a_fresh_handle(store):
    ids = [store.enqueue(None, event(n)) for n in range(20)]
    assert len(set(ids)) == 20
    first = store.pull_now(None)
    assert [e["FileUploadEvent"]["FileId"] for e in first] == [event(n)["FileUploadEvent"]["FileId"] for n in range(16)]
    assert list(first[0]) == ["EventHandle", "EventType", "FileUploadEvent"]
    assert len({e["EventHandle"] for e in first}) == 16
    rest = store.pull_now(None)
    assert [e["FileUploadEvent"]["FileId"][-2:] for e in rest] == ["16", "17", "18", "19"]
    assert store.pull_now(None) == []


def test_apps_are_separate_and_none_is_zero(store):
    store.enqueue(APP, event(1))
    store.enqueue(None, event(2))
    assert store.count_to_pull(APP) == 1 and store.count_to_pull(0) == 1
    (got,) = store.pull_now(0)
    assert got["FileUploadEvent"]["FileId"].endswith("2")
    with pytest.raises(InvalidParameterValue):
        store.confirm(APP, [got["EventHandle"]])      # another app's handle
    store.confirm(None, [got["EventHandle"]])


def test_enqueue_refuses_a_handle_and_non_json(store):
    with pytest.raises(ValueError, match="EventHandle"):
        store.enqueue(None, {"EventHandle": "x", "EventType": "NewFileUpload"})
    with pytest.raises(TypeError):
        store.enqueue(None, {"EventType": object()})
    with pytest.raises(ValueError):
        store.enqueue(None, {"EventType": "\ud800"})
    assert store.count_to_pull(None) == 0


async def test_an_empty_pull_holds_five_seconds_then_answers_nothing(store, clock):
    task = asyncio.create_task(store.pull(None))
    await parked(store)
    clock.advance(4.9)
    await asyncio.sleep(0.01)
    assert not task.done()
    clock.advance(0.1)
    assert await asyncio.wait_for(task, 1) == []


async def test_a_held_pull_wakes_on_enqueue(store, clock):
    task = asyncio.create_task(store.pull(APP))
    await parked(store, APP)
    store.enqueue(None, event(0))                     # another app: no wake-up for this one
    await asyncio.sleep(0.01)
    assert not task.done()
    store.enqueue(APP, event(1))
    (got,) = await asyncio.wait_for(task, 1)
    assert got["EventType"] == "NewFileUpload" and clock.wall() == T0


async def test_unconfirmed_events_come_back_after_30s_with_a_new_handle(store, clock):
    store.enqueue(None, event(1))
    (first,) = store.pull_now(None)
    assert store.count_to_pull(None) == 0
    clock.advance(29.9)
    assert store.pull_now(None) == []
    clock.advance(0.1)
    (again,) = store.pull_now(None)
    assert again["EventHandle"] != first["EventHandle"]
    assert {k: v for k, v in again.items() if k != "EventHandle"} == event(1)
    with pytest.raises(InvalidParameterValue, match="expired, unknown or already confirmed"):
        store.confirm(None, [first["EventHandle"]])
    clock.advance(29)
    store.confirm(None, [again["EventHandle"]])
    with pytest.raises(InvalidParameterValue):        # not idempotent: the event is gone
        store.confirm(None, [again["EventHandle"]])
    clock.advance(60)
    assert store.pull_now(None) == [] and store.count_to_pull(None) == 0


async def test_a_held_pull_gets_an_event_coming_back(store, clock):
    store.enqueue(None, event(1))
    (first,) = store.pull_now(None)
    clock.advance(27)
    task = asyncio.create_task(store.pull(None))
    await parked(store)
    clock.advance(3)
    (again,) = await asyncio.wait_for(task, 1)
    assert again["EventHandle"] != first["EventHandle"]


def test_a_confirm_with_a_bad_handle_confirms_nothing(store):
    for n in range(3):
        store.enqueue(None, event(n))
    handles = [e["EventHandle"] for e in store.pull_now(None)]
    with pytest.raises(InvalidParameterValue, match="'nope'.*nothing was confirmed"):
        store.confirm(None, [handles[0], "nope"])
    store.confirm(None, handles[:2] + [handles[0]])   # duplicates are fine
    with pytest.raises(InvalidParameterValue, match="1 to 16"):
        store.confirm(None, [])
    with pytest.raises(InvalidParameterValue, match="1 to 16"):
        store.confirm(None, [handles[2]] * 17)
    store.confirm(None, [handles[2]])


def test_events_expire_after_four_days(store, clock):
    store.enqueue(None, event(1))
    store.enqueue(None, event(2))
    (inflight,) = store.pull_now(None, 1)
    clock.advance(4 * 86400 - 1)
    assert store.count_to_pull(None) == 2
    clock.advance(1)
    assert store.count_to_pull(None) == 0
    assert store.pull_now(None) == []
    with pytest.raises(InvalidParameterValue):
        store.confirm(None, [inflight["EventHandle"]])


def test_state_survives_a_reopen_of_the_file(tmp_path, clock):
    s = EventStore.in_dir(tmp_path, clock=clock).open()
    assert s.path == str(tmp_path / DB_FILE) == str(tmp_path / "tencent.sqlite3")
    for n in range(3):
        s.enqueue(APP, event(n))
    (inflight,) = s.pull_now(APP, 1)
    s.set_config(APP, {"Mode": "PULL", "SignKey": "abc123", "NotificationUrl": "http://127.0.0.1:9/cb"})
    with pytest.raises(StoreError, match="in use by another process"):
        EventStore.in_dir(tmp_path, clock=clock).open()
    s.close()
    s = EventStore.in_dir(tmp_path, clock=clock).open()
    try:
        assert s.count_to_pull(APP) == 2
        assert s.config(APP) == EventConfig(Mode="PULL", SignKey="abc123", NotificationUrl="http://127.0.0.1:9/cb")
        s.confirm(APP, [inflight["EventHandle"]])      # still within its 30 s
        assert [e["FileUploadEvent"]["FileId"][-1] for e in s.pull_now(APP)] == ["1", "2"]
    finally:
        s.close()


def test_event_config_defaults_partial_updates_and_validation(store):
    assert store.config(None).describe() == {
        "Mode": "PUSH", "NotificationUrl": "", "UploadMediaCompleteEventSwitch": "OFF",
        "DeleteMediaCompleteEventSwitch": "OFF", "PersistenceCompleteEventSwitch": "OFF"}
    store.set_config(None, {"Mode": "PULL", "NotificationUrl": "https://example.invalid/cb", "SignKey": "k1"})
    store.set_config(None, {"UploadMediaCompleteEventSwitch": "ON"})
    got = store.config(None)
    assert (got.Mode, got.NotificationUrl, got.UploadMediaCompleteEventSwitch, got.SignKey) == \
        ("PULL", "https://example.invalid/cb", "ON", "k1")
    assert "SignKey" not in got.describe()
    store.set_config(None, {"NotificationUrl": ""})
    assert store.config(None).NotificationUrl == "" and store.config(None).Mode == "PULL"
    assert store.config(APP) == EventConfig()
    for bad in ({"Mode": "RELIABLE"}, {"Mode": "pull"}, {"DeleteMediaCompleteEventSwitch": "on"},
                {"SignKey": "has-dash"}, {"SignKey": "x" * 33}, {"NotificationUrl": "ftp://h/x"},
                {"NotificationUrl": "no scheme"}):
        with pytest.raises(InvalidParameterValue):
            store.set_config(None, bad)
    assert store.config(None).Mode == "PULL"


async def test_a_time_scale_makes_the_real_durations_short():
    store = EventStore(clock=Clock(), time_scale=0.01).open()   # 5 s → 50 ms, 30 s → 300 ms
    try:
        start = time.monotonic()
        assert await store.pull(None) == []
        assert 0.04 <= time.monotonic() - start < 1.0
        store.enqueue(None, event(1))
        (first,) = await store.pull(None)
        (again,) = await asyncio.wait_for(store.pull(None, wait=60), 5)   # held until it comes back
        assert time.monotonic() - start >= 0.3 and again["EventHandle"] != first["EventHandle"]
    finally:
        store.close()
    with pytest.raises(ValueError):
        EventStore(clock=Clock(time_scale=0.5))


async def test_an_abandoned_or_interrupted_pull_takes_nothing(store):
    store.enqueue(None, event(1))
    assert await store.pull(None, abandoned=lambda: True) == []
    assert store.count_to_pull(None) == 1
    other = asyncio.create_task(store.pull(APP))
    await parked(store, APP)
    store.interrupt()
    assert await asyncio.wait_for(other, 1) == []


# -- the wire --------------------------------------------------------------------------
class Api:
    def __init__(self, client, store: EventStore) -> None:
        self.client, self.store = client, store
        self.host = f"{client.server.host}:{client.server.port}"

    def headers(self, action: str, body: bytes, *, secret_id: str = DEFAULT_SECRET_ID,
                secret_key: str = DEFAULT_SECRET_KEY, timestamp: int | None = None) -> dict[str, str]:
        return sign(secret_id, secret_key, host=self.host, action=action, body=body,
                    timestamp=int(time.time()) if timestamp is None else timestamp)

    async def raw(self, body: bytes, headers: dict[str, str]) -> dict:
        resp = await self.client.post("/", data=body, headers=headers)
        assert resp.status == 200
        assert resp.headers["Content-Type"] == "application/json"     # exactly: no charset
        doc = json.loads(await resp.read())
        assert set(doc) == {"Response"} and uuid.UUID(doc["Response"]["RequestId"])
        return doc["Response"]

    async def call(self, action: str, params: dict | None = None, **kw) -> dict:
        body = json.dumps(params or {}).encode()
        return await self.raw(body, self.headers(action, body, **kw))


def code(response: dict) -> str | None:
    return response.get("Error", {}).get("Code")


@pytest.fixture
async def api(aiohttp_client, clock):
    store = EventStore(clock=clock)
    return Api(await aiohttp_client(create_app(store)), store)


async def test_the_five_actions_over_http(api, clock):
    assert await api.call("ModifyEventConfig", {"Mode": "PULL", "SubAppId": APP}) == {"RequestId": any_id()}
    described = await api.call("DescribeEventConfig", {"SubAppId": APP})
    assert described["Mode"] == "PULL" and "SignKey" not in described
    api.store.enqueue(APP, event(1))
    assert (await api.call("DescribeEventsState", {"SubAppId": APP}))["CountOfEventsToPull"] == 1
    pulled = await api.call("PullEvents", {"SubAppId": APP})
    (got,) = pulled["EventSet"]
    assert got["FileUploadEvent"] == event(1)["FileUploadEvent"] and got["EventHandle"]
    assert code(await api.call("ConfirmEvents", {"SubAppId": APP, "EventHandles": [got["EventHandle"]]})) is None
    resp = await api.call("ConfirmEvents", {"SubAppId": APP, "EventHandles": [got["EventHandle"]]})
    assert code(resp) == "InvalidParameterValue"


class any_id(str):
    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and bool(uuid.UUID(other))

    __hash__ = str.__hash__


async def test_an_empty_pull_over_http_is_an_empty_event_set(api, clock):
    task = asyncio.create_task(api.call("PullEvents", {}))
    await parked(api.store)
    clock.advance(5)
    assert (await task)["EventSet"] == []


async def test_authentication_errors(api):
    body = b"{}"
    assert code(await api.call("DescribeEventConfig", secret_key="wrong")) == "AuthFailure.SignatureFailure"
    assert code(await api.call("DescribeEventConfig", secret_id="AKIDnobody")) == "AuthFailure.SecretIdNotFound"
    stale = int(time.time()) - 301
    assert code(await api.call("DescribeEventConfig", timestamp=stale)) == "AuthFailure.SignatureExpire"
    headers = api.headers("DescribeEventConfig", body)
    del headers["Authorization"]
    assert code(await api.raw(body, headers)) == "AuthFailure.SignatureFailure"
    headers = api.headers("DescribeEventConfig", body)
    assert code(await api.raw(b'{"SubAppId": 1}', headers)) == "AuthFailure.SignatureFailure"   # body changed
    headers["Authorization"] = headers["Authorization"].replace("/vod/", "/cvm/")
    assert code(await api.raw(body, headers)) == "AuthFailure.SignatureFailure"


async def test_the_timestamp_check_can_be_turned_off(aiohttp_client, clock):
    store = EventStore(clock=clock)
    api = Api(await aiohttp_client(create_app(store, max_skew=None)), store)
    assert code(await api.call("DescribeEventConfig", timestamp=1_500_000_000)) is None


async def test_request_errors_are_envelopes(api):
    got = await api.call("PullEvent")
    assert code(got) == "InvalidAction" and "Did you mean `PullEvents`?" in got["Error"]["Message"]
    headers = api.headers("PullEvents", b"{}")
    headers["X-TC-Version"] = "2017-03-12"
    assert code(await api.raw(b"{}", headers)) == "NoSuchVersion"
    del headers["X-TC-Action"]
    assert code(await api.raw(b"{}", headers)) == "MissingParameter"
    for body in (b'{"SubAppId": ', b"[1, 2]", b"\xff\xfe{", b"[" * 100_000):
        assert code(await api.raw(body, api.headers("DescribeEventConfig", body))) == "InvalidParameter"
    cases = [
        ("ConfirmEvents", {}, "MissingParameter"),
        ("ConfirmEvents", {"EventHandles": "h1"}, "InvalidParameter"),
        ("ConfirmEvents", {"EventHandles": [1]}, "InvalidParameter"),
        ("ConfirmEvents", {"EventHandles": [None]}, "InvalidParameter"),
        ("ConfirmEvents", {"EventHandles": ["h"] * 17}, "InvalidParameterValue"),
        ("ConfirmEvents", {"EventHandles": []}, "InvalidParameterValue"),
        ("ConfirmEvents", {"EventHandles": ["never-issued"]}, "InvalidParameterValue"),
        ("PullEvents", {"SubAppId": "1500000001"}, "InvalidParameter"),
        ("PullEvents", {"SubAppId": True}, "InvalidParameter"),
        ("PullEvents", {"SubAppId": 1.5}, "InvalidParameter"),
        ("PullEvents", {"SubAppId": -1}, "InvalidParameterValue"),
        ("PullEvents", {"ExtInfo": {}}, "InvalidParameter"),
        ("PullEvents", {"SubAppID": 1}, "UnknownParameter"),
        ("ModifyEventConfig", {"Mode": "NORMAL"}, "InvalidParameterValue"),
        ("ModifyEventConfig", {"Mode": 1}, "InvalidParameter"),
        ("ModifyEventConfig", {"SignKey": "bad key"}, "InvalidParameterValue"),
        ("DescribeEventsState", {"SubAppId": 2**64}, "InvalidParameterValue"),
    ]
    for action, params, want in cases:
        assert code(await api.call(action, params)) == want, (action, params)
    resp = await api.client.get("/?SubAppId=1", headers=api.headers("DescribeEventConfig", b""))
    assert resp.status == 200 and resp.headers["Content-Type"] == "application/json"
    assert (await resp.json())["Response"]["Error"]["Code"] == "UnsupportedOperation"
    unknown = await api.call("PullEvents", {"SubAppID": 1})
    assert "Did you mean `SubAppId`?" in unknown["Error"]["Message"]


async def test_the_empty_pull_answer_can_be_resource_not_found(aiohttp_client):
    store = EventStore(clock=Clock(), time_scale=0.001)
    api = Api(await aiohttp_client(create_app(store, empty_pull_error=True)), store)
    assert code(await api.call("PullEvents")) == "ResourceNotFound"


async def test_mutated_requests_always_get_an_envelope(aiohttp_client):
    store = EventStore(clock=Clock(), time_scale=0.0001)   # holds of 0.5 ms
    api = Api(await aiohttp_client(create_app(store)), store)
    rng = random.Random(5)
    values = [None, True, 0, -1, 2**70, 1.5, float("nan"), "", "ON", "PULL", "x" * 300, [], ["h"], [1, "a"],
              ["h"] * 20, {}, {"a": [1]}, "\u202e\U0001f600"]
    names = ["SubAppId", "EventHandles", "ExtInfo", "Mode", "NotificationUrl", "SignKey",
             "UploadMediaCompleteEventSwitch", "Bogus", ""]
    actions = ["PullEvents", "ConfirmEvents", "ModifyEventConfig", "DescribeEventConfig", "DescribeEventsState",
               "Nope", "pullevents", ""]
    seen = set()
    for i in range(300):
        store.enqueue(None, event(i))
        action = rng.choice(actions)
        params = {rng.choice(names): rng.choice(values) for _ in range(rng.randint(0, 3))}
        body = json.dumps(params).encode()
        if rng.random() < 0.3:                          # damage the bytes
            body = bytearray(body)
            for _ in range(rng.randint(1, 4)):
                body[rng.randrange(len(body))] = rng.randrange(256)
            body = bytes(body)
        headers = api.headers(action or "x", body)
        headers["X-TC-Action"] = action
        mutation = rng.random()
        if mutation < 0.1:
            headers.pop(rng.choice(list(headers)))
        elif mutation < 0.2:
            key = rng.choice(list(headers))
            headers[key] = headers[key][: rng.randrange(len(headers[key]) + 1)] + rng.choice(["", " ", "é", "\t,"])
        headers = {k: v.encode("utf-8").decode("latin-1") for k, v in headers.items()}
        resp = await api.raw(body, headers)
        seen.add(code(resp))
        if code(resp) is None and action == "PullEvents":
            assert isinstance(resp["EventSet"], list)
    assert None in seen and {"InvalidAction", "InvalidParameter", "InvalidParameterValue", "UnknownParameter",
                             "MissingParameter", "AuthFailure.SignatureFailure"} <= seen
    assert "InternalError" not in seen
    assert code(await api.call("DescribeEventsState")) is None


async def test_mounted_next_to_the_mns_api_on_one_port(aiohttp_client, clock):
    app = create_mns_app(QueueStore())
    store = EventStore(clock=clock)
    mount(app, store, secret_id="AKIDlocal", secret_key="local-key")
    client = await aiohttp_client(app)
    api = Api(client, store)
    assert code(await api.call("DescribeEventConfig", secret_id="AKIDlocal", secret_key="local-key")) is None
    assert code(await api.call("DescribeEventConfig")) == "AuthFailure.SecretIdNotFound"
    for path in ("/queues", "/"):                     # still the MNS API: unsigned → its XML error
        mns = await client.get(path)
        assert mns.status == 400 and "<Code>" in await mns.text()
    resp = await client.get("/", headers={"X-TC-Action": "PullEvents"})
    assert (await resp.json())["Response"]["Error"]["Code"] == "UnsupportedOperation"
    assert store.is_open


def test_handle_is_the_route_target():
    # What serve's lead wires: the AppKeys and ``handle`` are public.
    from emulator.server.tencent_api import TENCENT_SETTINGS, TENCENT_STORE, handle
    assert isinstance(TENCENT_STORE, web.AppKey) and isinstance(TENCENT_SETTINGS, web.AppKey) and callable(handle)
