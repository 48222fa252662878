"""The emulator against the real ``tencentcloud-sdk-python-vod``, configured as a user would
for a local plain-HTTP endpoint (reference §5.2).

The SDK is synchronous, so its calls run in threads (``asyncio.to_thread``) while the
server runs in the test's loop.  Queue time is a ManualClock: the 30 s visibility and the
5 s hold pass when the test advances it; one test runs on a real clock with a time scale.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass

import pytest
from aiohttp import web
from tencentcloud.common import credential
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.vod.v20180717 import models, vod_client

from emulator.clock import Clock
from emulator.clock import ManualClock
from emulator.server.tencent_api import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, EventStore, create_app

APP = 1500000001


def upload_event(n: int) -> dict:
    return {"EventType": "NewFileUpload",
            "FileUploadEvent": {"FileId": f"52858907988{n:05d}",
                                "MediaBasicInfo": {"Name": f"clip-{n}", "MediaUrl": f"http://vod.example/{n}.mp4"}}}


@dataclass
class Server:
    endpoint: str
    store: EventStore

    def client(self, secret_id: str = DEFAULT_SECRET_ID, secret_key: str = DEFAULT_SECRET_KEY,
               region: str = "ap-guangzhou") -> vod_client.VodClient:
        cred = credential.Credential(secret_id, secret_key)
        http_profile = HttpProfile(endpoint=self.endpoint, protocol="http", reqTimeout=10)
        return vod_client.VodClient(cred, region, ClientProfile(httpProfile=http_profile))

    async def parked(self, app: int | None = None) -> None:
        for _ in range(5000):
            if self.store.waiting(app):
                return
            await asyncio.sleep(0.001)
        raise AssertionError("the PullEvents never reached the store")


async def start(store: EventStore, monkeypatch) -> tuple[Server, web.AppRunner]:
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    runner = web.AppRunner(create_app(store), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return Server(f"127.0.0.1:{runner.addresses[0][1]}", store), runner


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
async def vod(clock, monkeypatch):
    server, runner = await start(EventStore(clock=clock), monkeypatch)
    yield server
    await runner.cleanup()


def run(fn, *args):
    return asyncio.to_thread(fn, *args)


def pull_request(sub_app_id: int | None = None) -> models.PullEventsRequest:
    req = models.PullEventsRequest()
    req.SubAppId = sub_app_id
    return req


def confirm_request(handles: list[str], sub_app_id: int | None = None) -> models.ConfirmEventsRequest:
    req = models.ConfirmEventsRequest()
    req.EventHandles = handles
    req.SubAppId = sub_app_id
    return req


async def sdk_error(fn, *args) -> TencentCloudSDKException:
    with pytest.raises(TencentCloudSDKException) as info:
        await run(fn, *args)
    return info.value


async def test_event_config_round_trip(vod):
    client = vod.client()
    before = await run(client.DescribeEventConfig, models.DescribeEventConfigRequest())
    assert (before.Mode, before.NotificationUrl, before.UploadMediaCompleteEventSwitch) == ("PUSH", "", "OFF")
    req = models.ModifyEventConfigRequest()
    req.from_json_string(json.dumps({"SubAppId": APP, "Mode": "PULL", "UploadMediaCompleteEventSwitch": "ON",
                                     "SignKey": "abc123"}))
    assert (await run(client.ModifyEventConfig, req)).RequestId
    desc = models.DescribeEventConfigRequest()
    desc.SubAppId = APP
    got = await run(client.DescribeEventConfig, desc)
    assert (got.Mode, got.UploadMediaCompleteEventSwitch, got.DeleteMediaCompleteEventSwitch,
            got.PersistenceCompleteEventSwitch) == ("PULL", "ON", "OFF", "OFF")
    assert vod.store.config(APP).SignKey == "abc123"
    bad = models.ModifyEventConfigRequest()
    bad.Mode = "RELIABLE"
    assert (await sdk_error(client.ModifyEventConfig, bad)).get_code() == "InvalidParameterValue"


async def test_pull_confirm_and_redelivery_after_30s(vod, clock):
    client = vod.client()
    for n in range(3):
        vod.store.enqueue(APP, upload_event(n))
    state_req = models.DescribeEventsStateRequest()
    state_req.SubAppId = APP
    assert (await run(client.DescribeEventsState, state_req)).CountOfEventsToPull == 3

    resp = await run(client.PullEvents, pull_request(APP))
    assert [e.EventType for e in resp.EventSet] == ["NewFileUpload"] * 3
    assert [e.FileUploadEvent.MediaBasicInfo.Name for e in resp.EventSet] == ["clip-0", "clip-1", "clip-2"]
    handles = [e.EventHandle for e in resp.EventSet]
    assert len(set(handles)) == 3 and all(handles)
    assert (await run(client.DescribeEventsState, state_req)).CountOfEventsToPull == 0

    await run(client.ConfirmEvents, confirm_request(handles[:2], APP))
    clock.advance(30)
    (again,) = (await run(client.PullEvents, pull_request(APP))).EventSet
    assert again.FileUploadEvent.FileId == resp.EventSet[2].FileUploadEvent.FileId
    assert again.EventHandle != handles[2]
    err = await sdk_error(client.ConfirmEvents, confirm_request([handles[2]], APP))
    assert err.get_code() == "InvalidParameterValue" and err.get_request_id()
    await run(client.ConfirmEvents, confirm_request([again.EventHandle], APP))
    assert vod.store.count_to_pull(APP) == 0


async def test_an_empty_pull_waits_then_returns_an_empty_event_set(vod, clock):
    client = vod.client(region="")                     # no X-TC-Region header: also fine
    pending = asyncio.ensure_future(run(client.PullEvents, pull_request()))
    await vod.parked()
    clock.advance(4)
    await asyncio.sleep(0.02)
    assert not pending.done()
    clock.advance(1)
    resp = await asyncio.wait_for(pending, 5)
    assert resp.EventSet == [] and resp.RequestId


async def test_a_waiting_pull_returns_as_soon_as_an_event_arrives(vod, clock):
    pending = asyncio.ensure_future(run(vod.client().PullEvents, pull_request(APP)))
    await vod.parked(APP)
    vod.store.enqueue(APP, upload_event(7))
    (got,) = (await asyncio.wait_for(pending, 5)).EventSet
    assert got.FileUploadEvent.FileId.endswith("00007")


async def test_credentials_and_actions_are_checked(vod):
    err = await sdk_error(vod.client(secret_key="not-the-key").PullEvents, pull_request())
    assert err.get_code() == "AuthFailure.SignatureFailure" and err.get_request_id()
    err = await sdk_error(vod.client(secret_id="AKIDsomeoneelse").PullEvents, pull_request())
    assert err.get_code() == "AuthFailure.SecretIdNotFound"
    err = await sdk_error(vod.client().call_json, "DescribeMediaInfos", {})
    assert err.get_code() == "InvalidAction"
    err = await sdk_error(vod.client().ConfirmEvents, confirm_request(["h"] * 17))
    assert err.get_code() == "InvalidParameterValue"
    get = vod.client()
    get.profile.httpProfile.reqMethod = "GET"
    err = await sdk_error(get.DescribeEventConfig, models.DescribeEventConfigRequest())
    assert err.get_code() == "UnsupportedOperation" and "POST /" in err.get_message()


async def test_time_scaled_hold_and_redelivery_on_a_real_clock(monkeypatch):
    # 5 s hold → 0.1 s, 30 s visibility → 0.6 s.
    server, runner = await start(EventStore(clock=Clock(), time_scale=0.02), monkeypatch)
    try:
        client = server.client()
        t0 = time.monotonic()
        assert (await run(client.PullEvents, pull_request())).EventSet == []
        assert 0.09 <= time.monotonic() - t0 < 2
        server.store.enqueue(None, upload_event(1))
        t1 = time.monotonic()
        (first,) = (await run(client.PullEvents, pull_request())).EventSet
        while not (got := (await run(client.PullEvents, pull_request())).EventSet):
            assert time.monotonic() - t1 < 5
        assert time.monotonic() - t1 >= 0.59 and got[0].EventHandle != first.EventHandle
        await run(client.ConfirmEvents, confirm_request([got[0].EventHandle]))
    finally:
        await runner.cleanup()
