"""Tencent end to end through `serve`, with the real tencentcloud VodClient as a user configures it."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import aiohttp
import pytest
from tencentcloud.common import credential
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.vod.v20180717 import models, vod_client

from emulator import receiver
from emulator.server.app import ServeConfig, start
from emulator.server.tencent_api import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY
from emulator.providers.tencent.signing import check

SCENARIO = (Path(__file__).parent.parent / "scenarios" / "tencent-upload-and-process.yaml").read_text()


@pytest.fixture
async def served(monkeypatch):
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    runner, state, url = await start(ServeConfig(data_dir=None, tencent_time_scale=0.01))
    yield url, state
    await runner.cleanup()
    state.close()


def vod(url: str) -> vod_client.VodClient:
    profile = HttpProfile(endpoint=url.removeprefix("http://"), protocol="http", reqTimeout=10)
    return vod_client.VodClient(credential.Credential(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY), "ap-guangzhou",
                                ClientProfile(httpProfile=profile))


def sdk(client: vod_client.VodClient, action: str, **params):
    request = getattr(models, f"{action}Request")()
    request.from_json_string(json.dumps(params))
    return json.loads(getattr(client, action)(request).to_json_string())


async def control(url: str, path: str, body: dict) -> dict:
    async with aiohttp.ClientSession() as s:
        async with s.post(f"{url}/_emulator/{path}", json=body) as r:
            assert r.status == 200, await r.text()
            return await r.json()


async def test_pull_mode_flow_with_the_real_sdk(served):
    url, _ = served
    client = vod(url)
    await asyncio.to_thread(sdk, client, "ModifyEventConfig", Mode="PULL", UploadMediaCompleteEventSwitch="ON",
                            DeleteMediaCompleteEventSwitch="ON")
    described = await asyncio.to_thread(sdk, client, "DescribeEventConfig")
    assert described["Mode"] == "PULL"
    ran = await control(url, "run", {"scenario": SCENARIO, "time_scale": 0})
    assert ran["ok"] and ran["summary"]["delivered"] == 3

    pulled = await asyncio.to_thread(sdk, client, "PullEvents")
    events = pulled["EventSet"]
    assert [e["EventType"] for e in events] == ["NewFileUpload", "ProcedureStateChanged", "FileDeleted"]
    assert all(e["EventHandle"] for e in events)
    file_id = events[0]["FileUploadEvent"]["FileId"]
    assert events[1]["ProcedureStateChangeEvent"]["FileId"] == file_id
    assert events[0]["FileUploadEvent"]["MediaBasicInfo"]["SourceInfo"]["SourceContext"] == "order-7781"

    await asyncio.to_thread(sdk, client, "ConfirmEvents", EventHandles=[e["EventHandle"] for e in events[:2]])
    # the third was not confirmed: after the (time-scaled) 30 s it comes back, with a new handle
    again = []
    deadline = time.monotonic() + 5
    while not again and time.monotonic() < deadline:
        again = (await asyncio.to_thread(sdk, client, "PullEvents"))["EventSet"] or []
    assert [e["EventType"] for e in again] == ["FileDeleted"]
    assert again[0]["EventHandle"] != events[2]["EventHandle"]
    await asyncio.to_thread(sdk, client, "ConfirmEvents", EventHandles=[again[0]["EventHandle"]])

    t0 = time.monotonic()
    empty = await asyncio.to_thread(sdk, client, "PullEvents")
    assert empty["EventSet"] == []
    assert 0.04 <= time.monotonic() - t0 < 2     # held (5 s × 0.01), then answered empty


async def test_push_mode_reaches_a_receiver_signed(served):
    url, _ = served
    app = receiver.create_app(receiver.ReceiverConfig(auth_key="Key123"))
    runner, rx_url = await receiver.start(app)
    try:
        client = vod(url)
        await asyncio.to_thread(sdk, client, "ModifyEventConfig", Mode="PUSH", NotificationUrl=rx_url + "vod",
                                SignKey="Key123", UploadMediaCompleteEventSwitch="ON")
        done = await control(url, "trigger", {"provider": "tencent", "event_type": "NewFileUpload"})
        assert done["ok"]
        skipped = await control(url, "trigger", {"provider": "tencent", "event_type": "FileDeleted"})
        assert skipped["not_selected"] == {"FileDeleted": 1}      # its switch is OFF
    finally:
        await runner.cleanup()
    (rec,) = app[receiver.STATE].received
    body = json.loads(rec.body)
    assert body["EventType"] == "NewFileUpload" and "FileUploadEvent" in body and "EventHandle" not in body
    assert rec.signature == "ok"
    assert check(rec.body, "", {}, "Key123", now=time.time()) == "ok"
    assert body["T"] - time.time() == pytest.approx(600, abs=5)


async def test_reset_drops_queued_tencent_events(served):
    url, state = served
    await asyncio.to_thread(sdk, vod(url), "ModifyEventConfig", Mode="PULL")
    await control(url, "trigger", {"provider": "tencent", "event_type": "ProcedureStateChanged", "count": 2})
    assert state.tencent.count_to_pull(None) == 2
    reset = await control(url, "reset", {})
    assert reset["deleted_tencent_events"] == 2 and state.tencent.count_to_pull(None) == 0
    assert (await asyncio.to_thread(sdk, vod(url), "DescribeEventConfig"))["Mode"] == "PULL"
