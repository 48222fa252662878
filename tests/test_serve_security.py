"""`serve` next to a browser: Host/Origin rule, JSON-only control calls, allowed scenario
paths, bounded values, background runs, masked secrets, one log line per malformed request."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time

import aiohttp
import pytest

from emulator.server.app import ServeConfig, start
from emulator.server.control.runs import RunLimits
from emulator.server.shared.hostrules import HostRules, host_name

from .test_cli import cli


@pytest.fixture
async def serve(tmp_path):
    started = []

    async def make(**kw):
        runner, state, url = await start(ServeConfig(data_dir=tmp_path / "data", **kw))
        started.append((runner, state))
        return url, state

    yield make
    for runner, state in started:
        await runner.cleanup()
        state.close()


async def send(method: str, url: str, *, body: bytes | None = None, headers: dict | None = None,
               as_json=None) -> tuple[int, dict[str, str], bytes]:
    async with aiohttp.ClientSession() as s:
        async with s.request(method, url, data=body, json=as_json, headers=headers or {}) as r:
            return r.status, dict(r.headers), await r.read()


def test_host_rule_accepts_loopback_and_allowed_names_only():
    rules = HostRules.of(["dev.example.test"])
    assert [host_name(h) for h in ("127.0.0.1:9100", "[::1]:80", "LOCALHOST.", "::1")] == [
        "127.0.0.1", "::1", "localhost", "::1"]
    for ok in ("127.0.0.1:9100", "127.9.9.9", "localhost:1", "app.localhost", "[::1]:9", "dev.example.test:9100"):
        assert rules.refusal(ok, None) is None, ok
    for bad in ("evil.example:9100", "0.0.0.0", "10.0.0.1", "127.0.0.1.evil.example", "localhost.evil.example"):
        assert rules.refusal(bad, None), bad
    assert rules.refusal("127.0.0.1", "http://localhost:3000") is None
    for bad in ("https://evil.example", "null", "file://", "http://127.0.0.1.nip.io",
                "https://bucket-1250000000.cos.ap-guangzhou.myqcloud.com"):
        assert rules.refusal("127.0.0.1", bad), bad
    assert HostRules.of(["*"]).refusal("anything.example", "https://anything.example") is None


async def test_foreign_host_is_refused_on_every_face_in_its_own_format(serve):
    url, _ = await serve()
    evil = {"Host": "rebind.example:9100"}
    status, _, body = await send("GET", f"{url}/_emulator/callbacks", headers=evil)
    assert status == 403 and json.loads(body)["error"]["code"] == "HostNotAllowed"
    status, headers, body = await send("GET", f"{url}/queues", headers=evil)
    assert status == 403 and b"<Code>AccessDenied</Code>" in body and headers["Content-Type"].startswith("text/xml")
    status, _, body = await send("POST", f"{url}/", body=b"{}", headers={**evil, "X-TC-Action": "PullEvents"})
    assert status == 200 and json.loads(body)["Response"]["Error"]["Code"] == "AuthFailure.UnauthorizedOperation"
    status, _, _ = await send("GET", f"{url}/_emulator/health", headers={"Host": "localhost"})
    assert status == 200


async def test_allow_host_opens_the_server_to_a_named_host(serve):
    url, _ = await serve(allow_hosts=("ci-runner.internal",))
    status, _, _ = await send("GET", f"{url}/_emulator/health", headers={"Host": "ci-runner.internal:9100"})
    assert status == 200
    status, _, _ = await send("GET", f"{url}/_emulator/health", headers={"Host": "other.internal"})
    assert status == 403


async def test_cross_site_requests_are_refused(serve):
    url, _ = await serve()
    # what a web page can send without a preflight: a text/plain or form POST, or a foreign Origin
    status, _, body = await send("POST", f"{url}/_emulator/reset", body=b"{}", headers={"Content-Type": "text/plain"})
    assert status == 415 and json.loads(body)["error"]["code"] == "UnsupportedMediaType"
    status, _, _ = await send("POST", f"{url}/_emulator/reset")
    assert status == 415
    status, _, _ = await send("POST", f"{url}/_emulator/trigger", body=b"event_type=x",
                              headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 415
    status, _, body = await send("POST", f"{url}/_emulator/reset", as_json={}, headers={"Origin": "https://evil.example"})
    assert status == 403 and json.loads(body)["error"]["code"] == "OriginNotAllowed"
    status, _, _ = await send("POST", f"{url}/_emulator/reset", as_json={}, headers={"Origin": url})
    assert status == 200


async def test_run_path_is_limited_to_shipped_and_operator_scenarios(serve, tmp_path):
    allowed = tmp_path / "mine"
    allowed.mkdir()
    secret = tmp_path / "secret.yaml"
    secret.write_text("password: hunter2-do-not-echo\n")
    (allowed / "notes.yaml").write_text("hunter2-do-not-echo: [\n")
    (allowed / "escape.yaml").symlink_to(secret)
    (allowed / "big.yaml").write_bytes(b"#" * (2 * 1024 * 1024))
    url, _ = await serve(scenario_dirs=(allowed,))
    run = f"{url}/_emulator/run"
    for path, code in ((str(secret), "PathNotAllowed"), ("/dev/zero", "PathNotAllowed"),
                       (str(allowed / "escape.yaml"), "PathNotAllowed"), (str(allowed / "notes.yaml"), "InvalidScenario"),
                       (str(allowed / "big.yaml"), "InvalidScenario"), (str(allowed / "none.yaml"), "ScenarioNotFound"),
                       (str(allowed / ".." / "secret.yaml"), "PathNotAllowed")):
        t0 = time.monotonic()
        status, _, body = await send("POST", run, as_json={"path": path})
        err = json.loads(body)["error"]
        assert 400 <= status < 500 and err["code"] == code, (path, status, err)
        assert "hunter2" not in body.decode() and time.monotonic() - t0 < 2
    # a shipped scenario by name passes the path rule (and stops at the missing callback config)
    status, _, body = await send("POST", run, as_json={"path": "quickstart"})
    assert status == 409 and json.loads(body)["error"]["code"] == "CallbackNotConfigured"


async def test_bad_values_are_400_with_the_control_error_json(serve, scripted):
    url, _ = await serve(run_limits=RunLimits(max_events=100))
    rx = await scripted([200])
    await send("PUT", f"{url}/_emulator/callbacks/cn-shanghai", as_json={"CallbackURL": rx.url})
    nested = b'{"a":' * 5000 + b"1" + b"}" * 5000
    status, _, body = await send("POST", f"{url}/_emulator/trigger", body=nested,
                                 headers={"Content-Type": "application/json"})
    assert status == 400 and json.loads(body)["error"]["code"] == "MalformedJSON"
    shallow_deep = {"event_type": "FileUploadComplete", "set": {"Extra": json.loads('[' * 40 + ']' * 40)}}
    status, _, body = await send("POST", f"{url}/_emulator/trigger", as_json=shallow_deep)
    assert status == 400 and "nests deeper" in json.loads(body)["error"]["message"]
    for field, value in (("timeout", -1), ("timeout", 0), ("time_scale", -0.5), ("count", -3), ("count", 0),
                         ("count", 10**9), ("count", "many"), ("concurrency", 0), ("seed", 1.5)):
        status, _, body = await send("POST", f"{url}/_emulator/trigger",
                                     as_json={"event_type": "FileUploadComplete", field: value})
        assert status == 400, (field, value, body)
        assert json.loads(body)["error"]["message"].startswith(field)
    status, _, body = await send("PUT", f"{url}/_emulator/queues/q1", as_json={"VisibiltyTimeout": 30})
    err = json.loads(body)["error"]
    assert status == 400 and "did you mean 'VisibilityTimeout'" in err["message"]
    status, _, body = await send("PUT", f"{url}/_emulator/queues/q1", as_json={"VisibilityTimeout": "soon"})
    assert status == 400
    assert rx.hits == []


async def test_runs_go_to_the_background_with_status_cancel_and_a_cap(serve, scripted):
    url, state = await serve(run_limits=RunLimits(max_running=1, max_events=1000))
    rx = await scripted([200], delay=0.2)
    await send("PUT", f"{url}/_emulator/callbacks/cn-shanghai", as_json={"CallbackURL": rx.url})
    slow = {"event_type": "FileUploadComplete", "count": 1000, "concurrency": 1, "wait": False}
    status, _, body = await send("POST", f"{url}/_emulator/trigger", as_json=slow)
    started = json.loads(body)
    assert status == 202 and started["status"] == "running"
    status, _, body = await send("POST", f"{url}/_emulator/trigger", as_json=slow)
    assert status == 429 and json.loads(body)["error"]["code"] == "TooManyRuns"
    status, _, body = await send("GET", f"{url}{started['status_url']}")
    assert status == 200 and json.loads(body)["status"] == "running"
    status, _, body = await send("GET", f"{url}{started['report']}")
    assert status == 409
    status, _, body = await send("DELETE", f"{url}{started['status_url']}")
    assert status == 200 and json.loads(body)["status"] == "cancelled"
    assert len(rx.hits) < 50
    # the cap is free again; a waiting request gets the result as before
    status, _, body = await send("POST", f"{url}/_emulator/trigger", as_json={"event_type": "FileUploadComplete"})
    done = json.loads(body)
    assert status == 200 and done["ok"] and done["summary"]["delivered"] == 1
    status, _, body = await send("GET", f"{url}/_emulator/runs/{done['run_id']}")
    assert json.loads(body)["status"] == "done"


async def test_secrets_are_masked_in_answers_reports_and_output(serve, scripted):
    url, _ = await serve()
    rx = await scripted([200])
    await send("PUT", f"{url}/_emulator/callbacks/cn-shanghai",
               as_json={"CallbackURL": rx.url, "AuthSwitch": "on", "AuthKey": "TopSecretKey1"})
    await send("PUT", f"{url}/_emulator/callbacks/cn-beijing",
               as_json={"CallbackURL": rx.url, "AuthSwitch": "on", "AuthKey": "OtherKey2"})
    _, _, body = await send("GET", f"{url}/_emulator/callbacks")
    shown = json.loads(body)
    assert b"TopSecretKey1" not in body and b"OtherKey2" not in body
    assert shown["cn-shanghai"]["AuthKey"].startswith("***sha256:")
    assert shown["cn-shanghai"]["AuthKey"] != shown["cn-beijing"]["AuthKey"]
    # what GET shows cannot be written back: it would sign with the mask
    status, _, body = await send("PUT", f"{url}/_emulator/callbacks/cn-shanghai", 
                                 as_json={k: v for k, v in shown["cn-shanghai"].items() if k != "Region"})
    assert status == 400 and b"masked key" in body
    _, _, body = await send("POST", f"{url}/_emulator/trigger", as_json={"event_type": "FileUploadComplete"})
    _, _, report = await send("GET", f"{url}{json.loads(body)['report']}")
    assert b"TopSecretKey1" not in report and rx.hits      # signed with it all the same
    code, out, err = await cli("trigger", "FileUploadComplete", "--time-scale", "0", "--max-attempts", "1",
                               "--target", f"mns://AK1:VerySecret9@{url.removeprefix('http://')}/missing")
    assert "VerySecret9" not in out + err and "mns://AK1:***sha256:" in out


async def test_malformed_http_is_one_log_line_without_traceback(serve, caplog):
    url, _ = await serve()
    host, port = url.removeprefix("http://").split(":")
    caplog.set_level(logging.INFO)
    for junk in (b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: x\r\n\r\n", b"\x16\x03\x01garbage\r\n\r\n",
                 b"GET /queues HTTP/1.1\r\nHo st: a\r\n\r\n", b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"):
        reader, writer = await asyncio.open_connection(host, int(port))
        writer.write(junk)
        await writer.drain()
        answer = await asyncio.wait_for(reader.read(), 5)
        writer.close()
        assert b" 400 " in answer[:20] or answer == b"", answer[:80]
    assert not [r for r in caplog.records if r.exc_info or r.name.startswith("aiohttp")]
    lines = [r for r in caplog.records if r.name == "emulator.server.http"]
    assert lines and all("\n" not in r.getMessage() for r in lines)
    status, _, _ = await send("GET", f"{url}/_emulator/health")
    assert status == 200


def test_no_secret_files_are_in_reach_by_default():
    # the shipped directory is the only default root: nothing under the user's home
    from emulator.server.control.scenarios import load_allowed
    from emulator.server.control.wire import ApiError
    with pytest.raises(ApiError) as info:
        load_allowed(os.path.expanduser("~/.ssh/id_rsa.yaml"), ())
    assert info.value.code == "PathNotAllowed"
