"""`vod-emulator serve`: the control API, routing by callback configuration, --server."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
import time

import aiohttp
import pytest
from mns.account import Account

from emulator.providers.aliyun import signing
from emulator.server.mns import DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET
from emulator.server.app import ServeConfig, start

from .test_cli import cli


@pytest.fixture
async def server(tmp_path):
    runner, state, url = await start(ServeConfig(data_dir=tmp_path / "data"))
    yield url, state
    await runner.cleanup()
    state.close()


async def call(method: str, url: str, body=None) -> tuple[int, dict]:
    async with aiohttp.ClientSession() as s:
        async with s.request(method, url, json=body) as r:
            return r.status, await r.json(content_type=None)


async def test_health_and_bad_requests_get_json_errors(server):
    url, _ = server
    status, doc = await call("GET", f"{url}/_emulator/health")
    assert status == 200 and doc["status"] == "ok"
    status, doc = await call("PUT", f"{url}/_emulator/callbacks/cn-shanghai", {"CallbackTyp": "HTTP"})
    assert status == 400 and "did you mean 'CallbackType'" in doc["error"]["message"]
    status, doc = await call("POST", f"{url}/_emulator/trigger", {"event_type": "FileUploadComplete"})
    assert status == 409 and doc["error"]["code"] == "CallbackNotConfigured"
    status, doc = await call("GET", f"{url}/_emulator/runs/run-999/report")
    assert status == 404 and doc["error"]["code"] == "RunNotFound"


async def test_http_callback_routing_signs_and_filters_events(server, scripted):
    url, _ = server
    rx = await scripted([200])
    config = {"CallbackType": "HTTP", "CallbackURL": rx.url, "EventTypeList": "FileUploadComplete,AIComplete",
              "AuthSwitch": "on", "AuthKey": "Abc123key"}
    status, doc = await call("PUT", f"{url}/_emulator/callbacks/cn-beijing", config)
    assert status == 200 and doc["MessageCallback"]["AuthSwitch"] == "on"
    for event_type in ("FileUploadComplete", "AIVideoTagComplete", "SnapshotComplete"):
        status, doc = await call("POST", f"{url}/_emulator/trigger", {"event_type": event_type, "region": "cn-beijing"})
        assert status == 200 and doc["ok"]
    assert doc["not_selected"] == {"SnapshotComplete": 1}
    assert [h.json()["EventType"] for h in rx.hits] == ["FileUploadComplete", "AIVideoTagComplete"]
    for hit in rx.hits:
        assert signing.check(rx.url, hit.headers, "Abc123key") == "ok"
        assert "oss-cn-beijing" in hit.body.decode() or hit.json()["EventType"] != "FileUploadComplete"


async def test_mns_callback_routing_lands_in_a_queue_the_sdk_consumes(server):
    url, _ = server
    await call("PUT", f"{url}/_emulator/callbacks/cn-shanghai",
               {"CallbackType": "MNS", "MnsQueueName": "vod-events", "EventTypeList": "ALL"})
    status, _ = await call("PUT", f"{url}/_emulator/queues/vod-events")
    assert status == 201
    status, doc = await call("POST", f"{url}/_emulator/run", {"scenario": QUICK, "time_scale": 0})
    assert status == 200 and doc["summary"]["delivered"] == 3

    def consume() -> list[dict]:
        account = Account(url, DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET)
        queue = account.get_queue("vod-events")
        queue.set_encoding(False)     # VOD writes the event JSON as is
        out = []
        try:
            for _ in range(3):
                msg = queue.receive_message(1)
                out.append(json.loads(msg.message_body))
                queue.delete_message(msg.receipt_handle)
        finally:
            account.mns_client.http.conn.close()
        return out

    bodies = await asyncio.to_thread(consume)
    assert [b["EventType"] for b in bodies] == ["FileUploadComplete", "StreamTranscodeComplete", "TranscodeComplete"]
    assert len({b["VideoId"] for b in bodies}) == 1
    status, doc = await call("GET", f"{url}/_emulator/queues")
    assert doc[0]["name"] == "vod-events" and doc[0]["active"] == 0


QUICK = """version: 1
seed: 3
flows:
  - name: v
    media: {duration: 10}
    steps:
      - {name: up, event: FileUploadComplete}
      - {name: s, event: StreamTranscodeComplete, definitions: [SD]}
      - {name: t, event: TranscodeComplete, streams: s}
"""


async def test_callback_settings_survive_a_restart(tmp_path):
    config = ServeConfig(data_dir=tmp_path / "d")
    runner, state, url = await start(config)
    await call("PUT", f"{url}/_emulator/callbacks/ap-southeast-1", {"CallbackType": "MNS", "MnsQueueName": "q1"})
    await runner.cleanup()
    state.close()
    runner, state, url = await start(config)
    try:
        status, doc = await call("GET", f"{url}/_emulator/callbacks/ap-southeast-1")
        assert status == 200 and doc["MessageCallback"]["MnsQueueName"] == "q1"
    finally:
        await runner.cleanup()
        state.close()


async def test_serve_starts_fast_and_stops_cleanly_on_sigterm(tmp_path):
    conf = tmp_path / "serve.yaml"
    conf.write_text("callbacks:\n  cn-shanghai: {CallbackType: MNS, MnsQueueName: vod-events}\n"
                    "queues:\n  - {name: vod-events, VisibilityTimeout: 10}\n")
    t0 = time.monotonic()
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "emulator", "serve", "--port", "0",
                                                "--data-dir", str(tmp_path / "d"), "--config", str(conf),
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    line = (await asyncio.wait_for(proc.stdout.readline(), 10)).decode()
    url = line.split("serving on ")[1].strip()
    status, doc = await call("GET", f"{url}/_emulator/health")
    ready = time.monotonic() - t0
    assert status == 200 and doc["queues"] == 1
    code, out, err = await cli("trigger", "FileUploadComplete", "--server", url, "--count", "2")
    assert code == 0, err
    assert "2 events: 2 delivered" in out
    proc.send_signal(signal.SIGTERM)
    assert await asyncio.wait_for(proc.wait(), 5) == 0
    # process start includes the interpreter and imports; the server itself is up well within it
    assert ready < 5, ready


async def test_trigger_through_server_to_a_missing_queue_is_lost(server):
    url, _ = server
    await call("PUT", f"{url}/_emulator/callbacks/cn-shanghai", {"CallbackType": "MNS", "MnsQueueName": "nope"})
    code, out, err = await cli("trigger", "FileUploadComplete", "--server", url, "--time-scale", "0.01")
    assert code == 1 and "1 lost" in out


async def test_a_waiting_long_poll_is_woken_by_a_trigger(server):
    url, state = server
    await call("PUT", f"{url}/_emulator/callbacks/cn-shanghai", {"CallbackType": "MNS", "MnsQueueName": "wake"})
    await call("PUT", f"{url}/_emulator/queues/wake")

    def consume() -> tuple[float, dict]:
        account = Account(url, DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET)
        queue = account.get_queue("wake")
        queue.set_encoding(False)
        try:
            t0 = time.monotonic()
            msg = queue.receive_message(20)
            return time.monotonic() - t0, json.loads(msg.message_body)
        finally:
            account.mns_client.http.conn.close()

    waiting = asyncio.create_task(asyncio.to_thread(consume))
    for _ in range(2000):                       # until the receive is really parked
        if state.store.waiting("wake"):
            break
        await asyncio.sleep(0.001)
    assert state.store.waiting("wake") == 1
    t0 = time.monotonic()
    await call("POST", f"{url}/_emulator/trigger", {"event_type": "FileUploadComplete"})
    took, body = await waiting
    assert body["EventType"] == "FileUploadComplete"
    assert time.monotonic() - t0 < 2 and took < 19     # woken by the message, not by the 20 s wait


@pytest.mark.realtime
async def test_missing_queue_gets_three_attempts_one_second_apart_then_lost(server, tmp_path):
    url, _ = server
    journal = tmp_path / "j.jsonl"
    target = url.replace("http://", "mns://") + "/missing-queue"
    code, out, _ = await cli("trigger", "FileUploadComplete", "--target", target, "--journal", str(journal))
    assert code == 1 and "QueueNotExist" in out
    attempts = [json.loads(line) for line in journal.read_text().splitlines()]
    assert [a["detail"] for a in attempts] == ["HTTP 404 QueueNotExist"] * 3

    def ts(a) -> float:
        from datetime import datetime
        return datetime.fromisoformat(a["started_at"].replace("Z", "+00:00")).timestamp()
    for prev, nxt in zip(attempts, attempts[1:]):
        gap = ts(nxt) - (ts(prev) + prev["duration_ms"] / 1000)
        assert 0.98 <= gap <= 1.25, gap


async def test_same_stream_two_channels_http_and_mns(server, scripted, tmp_path):
    url, _ = server
    rx = await scripted([200])
    await call("PUT", f"{url}/_emulator/queues/both")
    report = tmp_path / "r.json"
    mns = url.replace("http://", "mns://") + "/both"
    code, out, err = await cli("trigger", "FileUploadComplete", "--count", "3", "--target", rx.url, "--target", mns,
                               "--report", str(report))
    assert code == 0, err
    doc = json.loads(report.read_text())
    assert doc["summary"]["events"] == 3 and doc["summary"]["deliveries"] == 6
    for event in doc["events"]:
        assert sorted(d["target"] for d in event["deliveries"]) == sorted([rx.url, mns])
    status, queues = await call("GET", f"{url}/_emulator/queues")
    assert queues[0]["active"] == 3 and len(rx.hits) == 3
    status, peek = await call("GET", f"{url}/_emulator/queues/both/messages")
    assert {m["event"]["VideoId"] for m in peek["visible"]} == {h.json()["VideoId"] for h in rx.hits}
