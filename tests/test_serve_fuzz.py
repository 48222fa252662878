"""A bounded, seeded fuzz of serve's three original HTTP faces on one port — MNS, the
Tencent API 3.0 and the control API: no 5xx, every answer in the face's own format, the
server alive afterwards, and a normal round trip through the vendors' SDKs after it."""

from __future__ import annotations

import asyncio
import json
import random
import time
import xml.dom.minidom

import aiohttp
import pytest
from mns.account import Account
from mns.queue import Message, QueueMeta
from tencentcloud.common import credential
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.vod.v20180717 import models, vod_client

from emulator.server.app import ServeConfig, start
from emulator.server.mns import DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET
from emulator.server.tencent_api import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, sign

REQUESTS = 360
SEED = 20261202

CONTROL = [("GET", "/_emulator/health"), ("POST", "/_emulator/reset"), ("GET", "/_emulator/queues"),
           ("PUT", "/_emulator/queues/{name}"), ("GET", "/_emulator/queues/{name}/messages"),
           ("GET", "/_emulator/callbacks"), ("GET", "/_emulator/callbacks/{name}"),
           ("PUT", "/_emulator/callbacks/{name}"), ("DELETE", "/_emulator/callbacks/{name}"),
           ("POST", "/_emulator/trigger"), ("POST", "/_emulator/run"), ("GET", "/_emulator/runs"),
           ("GET", "/_emulator/runs/{name}"), ("DELETE", "/_emulator/runs/{name}"),
           ("GET", "/_emulator/runs/{name}/report"), ("PATCH", "/_emulator/nothing"), ("GET", "/_emulator/")]
MNS = [("PUT", "/queues/{name}"), ("GET", "/queues/{name}"), ("DELETE", "/queues/{name}"), ("GET", "/queues"),
       ("POST", "/queues/{name}/messages"), ("GET", "/queues/{name}/messages?waitseconds=0"),
       ("DELETE", "/queues/{name}/messages?ReceiptHandle={name}"), ("GET", "/{name}"), ("OPTIONS", "/queues")]
TENCENT_ACTIONS = ["PullEvents", "ConfirmEvents", "ModifyEventConfig", "DescribeEventConfig",
                   "DescribeEventsState", "NoSuchAction", ""]
KEYS = ["event_type", "count", "timeout", "time_scale", "concurrency", "seed", "region", "provider", "set",
        "start_time", "chaos", "wait", "scenario", "path", "extend", "VisibilityTimeout", "DelaySeconds",
        "CallbackType", "CallbackURL", "MnsQueueName", "EventTypeList", "AuthSwitch", "AuthKey", "Mode",
        "NotificationUrl", "EventHandles", "SubAppId", "UploadMediaCompleteEventSwitch"]


QUICK = """version: 1
flows:
  - name: v
    media: {duration: 10}
    steps:
      - {name: up, event: FileUploadComplete}
"""


def value(rng: random.Random, depth: int = 0):
    pick = rng.randrange(14)
    if pick == 0 and depth < 3:
        return {rng.choice(KEYS): value(rng, depth + 1) for _ in range(rng.randrange(4))}
    if pick == 1 and depth < 3:
        return [value(rng, depth + 1) for _ in range(rng.randrange(4))]
    return rng.choice([None, True, False, -1, 0, 1, 3, 10**30, -1e308, 1.5, float("nan"), "", "x" * 300,
                       "FileUploadComplete", "quickstart", "/etc/hostname", "../../x.yaml", "cn-shanghai",
                       "tencent", "nope", "drop=2", "2026-13-45", "ALL", "PULL", "\u0000\ud7ff",
                       "version: 1\nflows: [", "[1,2", "http://127.0.0.1:9/cb"])


def body(rng: random.Random) -> bytes:
    kind = rng.randrange(7)
    if kind == 0:
        return b""
    if kind == 1:
        return rng.randbytes(rng.randrange(1, 300))
    if kind == 2:
        depth = rng.choice([5, 40, 3000])
        return b'{"a":' * depth + b"1" + b"}" * depth
    if kind == 3:
        return b"<?xml version='1.0'?><Message><MessageBody>" + rng.randbytes(20).hex().encode() + b"</MessageBody></Message>"
    doc = {rng.choice(KEYS): value(rng) for _ in range(rng.randrange(1, 6))}
    return json.dumps(doc, allow_nan=True).encode()[:20000]


def name(rng: random.Random) -> str:
    return rng.choice(["fuzz", "q-1", "", "%2e%2e", "a" * 200, "run-000001", "cn-shanghai", "x y", "ü"])


def request(rng: random.Random, host: str) -> tuple[str, str, str, dict[str, str], bytes]:
    face = rng.choice(["control", "mns", "tencent"])
    data = body(rng)
    ctype = rng.choice(["application/json", "application/json", "text/plain", "text/xml", None])
    headers = {"Host": host} if rng.random() < 0.9 else {"Host": rng.choice(["evil.example", "[::1]", "0"])}
    if ctype:
        headers["Content-Type"] = ctype
    if rng.random() < 0.1:
        headers["Origin"] = rng.choice(["null", "https://evil.example", f"http://{host}"])
    if face == "tencent":
        action = rng.choice(TENCENT_ACTIONS)
        if rng.random() < 0.6 and action:
            headers.update(sign(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, host=host, action=action, body=data,
                                timestamp=int(time.time())))
        else:
            headers["X-TC-Action"] = action
        return face, rng.choice(["POST", "POST", "GET"]), "/", headers, data
    method, path = rng.choice(CONTROL if face == "control" else MNS)
    if face == "control" and rng.random() < 0.5:      # a near-valid trigger or run, one field mutated
        method, path = "POST", rng.choice(["/_emulator/trigger", "/_emulator/run"])
        doc = ({"event_type": rng.choice(["FileUploadComplete", "TranscodeComplete", "Nope"]), "time_scale": 0}
               if path.endswith("trigger") else {rng.choice(["scenario", "path"]): rng.choice(
                   [QUICK, "quickstart", "load-10k", QUICK.replace("10", "-1"), "version: 1"]), "time_scale": 0})
        for _ in range(rng.randrange(3)):
            doc[rng.choice(KEYS)] = value(rng)
        data, headers["Content-Type"] = json.dumps(doc, allow_nan=True).encode(), "application/json"
    return face, method, path.replace("{name}", name(rng)), headers, data


def check(face: str, status: int, headers, text: bytes) -> None:
    assert status < 500, (face, status, text[:300])
    if face == "control":
        doc = json.loads(text)
        if status >= 400:
            assert set(doc) == {"error"} and doc["error"]["code"] and doc["error"]["message"], doc
    elif face == "tencent":
        assert status == 200 and headers["Content-Type"] == "application/json", (status, text[:200])
        inner = json.loads(text)["Response"]
        assert inner["RequestId"], inner
    elif status >= 400:
        root = xml.dom.minidom.parseString(text).documentElement
        assert root.tagName in ("Error", "Errors", "Messages"), text[:300]
        assert headers.get("x-mns-request-id"), headers


@pytest.fixture
async def serve(tmp_path):
    runner, state, url = await start(ServeConfig(data_dir=tmp_path / "d", tencent_time_scale=0.01))
    yield url, state
    await runner.cleanup()
    state.close()


async def test_fuzzed_requests_get_each_face_s_own_answers_and_the_sdks_still_work(serve):
    url, state = serve
    host = url.removeprefix("http://")
    rng = random.Random(SEED)
    seen: dict[str, int] = {}
    async with aiohttp.ClientSession(auto_decompress=False) as session:
        # deliveries go somewhere real, so fuzzed triggers and runs reach their deepest paths
        for path, doc in (("/_emulator/queues/fuzz", {}), ("/_emulator/callbacks/cn-shanghai",
                                                           {"CallbackType": "MNS", "MnsQueueName": "fuzz"})):
            async with session.put(f"{url}{path}", json=doc) as r:
                assert r.status in (200, 201), await r.text()

        async def one(face, method, path, headers, data) -> None:
            async with session.request(method, f"{url}{path}", data=data, headers=headers,
                                       skip_auto_headers=("Content-Type",)) as r:
                text = await r.read()
                key = "mns" if face == "mns" or (face == "tencent" and r.status != 200) else face
                if face == "tencent" and method != "POST" and "X-TC-Action" not in headers:
                    key = "mns"
                check(key, r.status, r.headers, text)
                seen[face] = seen.get(face, 0) + 1

        for batch in range(REQUESTS // 12):
            await asyncio.gather(*(one(*request(rng, host)) for _ in range(12)))
        async with session.get(f"{url}/_emulator/health") as r:
            assert r.status == 200 and (await r.json())["status"] == "ok"
    assert min(seen.values()) > REQUESTS // 5, seen

    def mns_round_trip() -> None:
        account = Account(url, DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET)
        try:
            queue = account.get_queue("after-fuzz")
            queue.create(QueueMeta())
            sent = queue.send_message(Message("still fine"))
            got = queue.receive_message_with_str_body(0)
            assert (got.message_id, got.message_body) == (sent.message_id, "still fine")
            queue.delete_message(got.receipt_handle)
        finally:
            account.mns_client.http.conn.close()

    def tencent_round_trip() -> str:
        http = HttpProfile(endpoint=host, protocol="http")
        client = vod_client.VodClient(credential.Credential(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY), "",
                                      ClientProfile(httpProfile=http))
        return client.DescribeEventConfig(models.DescribeEventConfigRequest()).Mode

    await asyncio.to_thread(mns_round_trip)
    assert await asyncio.to_thread(tencent_round_trip) in ("PUSH", "PULL")
