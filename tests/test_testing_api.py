"""The Python API and the pytest plugin's fixtures, used as a user's test suite would."""

from __future__ import annotations

import json
import re
import socket
import threading

import pytest
from aiohttp import web

from emulator.testing import CapturingReceiver, EmulatorError, EmulatorServer


SEEN = web.AppKey("seen", dict)
CALLS = web.AppKey("calls", list)


def user_receiver() -> web.Application:
    """A small user-style receiver: stores each event once, keyed like a real one would."""
    seen: dict[tuple, dict] = {}
    calls: list[str] = []

    async def callback(request: web.Request) -> web.Response:
        event = await request.json()
        calls.append(event["EventType"])
        seen.setdefault((event["EventType"], event.get("VideoId"), event["EventTime"]), event)
        return web.Response(text="ok")

    app = web.Application()
    app[SEEN], app[CALLS] = seen, calls
    app.router.add_post("/vod/callback", callback)
    return app


def test_sync_trigger_reaches_the_capturing_receiver_signed(vod_emulator, vod_receiver):
    vod_receiver.configure(auth_key="MyKey123")
    vod_emulator.set_http_callback(vod_receiver.url, auth_key="MyKey123")
    report = vod_emulator.trigger("FileUploadComplete", seed=7)
    assert report.ok and report.verdicts == {"delivered": 1}
    video_id = report.bodies[0]["VideoId"]
    got = vod_receiver.wait_for("FileUploadComplete", video_id=video_id, timeout=5)
    assert got.signature == "ok" and got.json["VideoId"] == video_id
    assert vod_receiver.bad_signatures() == [] and vod_receiver.duplicates() == {}


def test_a_wrong_key_shows_as_a_bad_signature(vod_emulator, vod_receiver):
    vod_receiver.configure(auth_key="the-right-key")
    vod_emulator.set_http_callback(vod_receiver.url, auth_key="a-wrong-key")
    report = vod_emulator.trigger("SnapshotComplete")
    assert report.verdicts == {"lost": 1}                   # answered 403 to each of the three attempts
    assert [(d.signature, d.status) for d in vod_receiver.bad_signatures()] == [("mismatch", 403)] * 3


def test_retries_are_seen_by_the_receiver_and_in_the_report(vod_emulator, vod_receiver):
    vod_receiver.configure(fail_first=2)
    vod_emulator.set_http_callback(vod_receiver.url)
    report = vod_emulator.trigger("TranscodeComplete")
    assert report.verdicts == {"delivered_after_retry": 1}
    attempts = report.events[0]["deliveries"][0]["attempts"]
    assert [a["status"] for a in attempts] == [500, 500, 200]
    assert [d.status for d in vod_receiver.deliveries] == [500, 500, 200]
    assert [d.copy for d in vod_receiver.deliveries] == [1, 2, 3]
    assert any(re.search(r"attempt 3/3 \(\+\d\.\d s\)  → 200$", line) for line in report.journal_lines())


def test_a_scenario_arrives_in_timeline_order(vod_emulator, vod_receiver):
    vod_emulator.set_http_callback(vod_receiver.url)
    report = vod_emulator.run_scenario("quickstart", time_scale=0)
    assert report.ok and report.summary["events"] == 7
    vod_receiver.wait_for(count=7, timeout=5)
    types = vod_receiver.event_types()
    assert types[0] == "FileUploadComplete" and types[-1] == "SnapshotComplete"
    assert types.index("TranscodeComplete") > max(i for i, t in enumerate(types) if t == "StreamTranscodeComplete")


def test_events_not_selected_are_not_sent_and_mns_queues_fill(vod_emulator):
    vod_emulator.set_mns_callback("vod-events", event_types=["FileUploadComplete"])
    report = vod_emulator.trigger("FileUploadComplete", count=2)
    assert report.ok
    assert vod_emulator.trigger("SnapshotComplete").not_selected == {"SnapshotComplete": 1}
    messages = vod_emulator.queue_messages("vod-events")
    assert [m["event"]["EventType"] for m in messages] == ["FileUploadComplete"] * 2


def test_reset_between_tests_leaves_no_queue_or_callback(vod_emulator):
    # the previous test created a queue and a callback; this one starts clean
    assert vod_emulator.queues() == [] and vod_emulator.callbacks() == {}


def test_errors_of_the_control_api_are_typed(vod_emulator):
    with pytest.raises(EmulatorError) as err:
        vod_emulator.trigger("FileUploadComplete")          # no callback configured
    assert err.value.code == "CallbackNotConfigured" and err.value.status == 409
    with pytest.raises(EmulatorError, match="did you mean"):
        vod_emulator.set_http_callback("http://127.0.0.1:1/cb", event_types="FileUploadComplet")


def test_wait_for_times_out_with_what_arrived(vod_emulator, vod_receiver):
    vod_emulator.set_http_callback(vod_receiver.url)
    vod_emulator.trigger("FileUploadComplete")
    with pytest.raises(AssertionError, match=r"SnapshotComplete did not arrive .*received: #1 FileUploadComplete"):
        vod_receiver.wait_for("SnapshotComplete", timeout=0.05)


async def test_async_user_receiver_absorbs_a_duplicate(vod_emulator_async, aiohttp_server):
    server = await aiohttp_server(user_receiver())
    await vod_emulator_async.set_http_callback(str(server.make_url("/vod/callback")))
    report = await vod_emulator_async.trigger("TranscodeComplete", chaos="duplicate=1")
    assert report.verdicts == {"duplicated": 1}
    assert server.app[CALLS] == ["TranscodeComplete", "TranscodeComplete"]
    assert len(server.app[SEEN]) == 1


async def test_async_wait_for_while_the_test_loop_runs(vod_emulator_async, vod_receiver):
    await vod_emulator_async.set_http_callback(vod_receiver.url)
    report = await vod_emulator_async.trigger("SnapshotComplete", count=3)
    assert report.summary["delivered"] == 3
    third = await vod_receiver.wait_for_async("SnapshotComplete", count=3, timeout=5)
    assert third.seq == 3


def _refused(url: str) -> bool:
    host, port = url.split("//", 1)[1].split("/", 1)[0].rsplit(":", 1)
    with socket.socket() as s:
        return s.connect_ex((host, int(port))) != 0


@pytest.mark.parametrize("mode", ["thread", "subprocess"])
def test_server_and_receiver_leave_no_thread_port_or_process(mode):
    before = set(threading.enumerate())
    with EmulatorServer(mode=mode) as server, CapturingReceiver() as receiver:
        client = server.client(time_scale=0)
        client.set_http_callback(receiver.url)
        assert client.trigger("FileUploadComplete").ok
        receiver.wait_for("FileUploadComplete")
        urls, pid = (server.url, receiver.url), server.pid
        assert (pid is not None) == (mode == "subprocess")
        proc = server._proc
    assert set(threading.enumerate()) == before
    assert all(_refused(u) for u in urls)
    if proc is not None:
        assert proc.returncode is not None


def test_server_start_failure_is_one_clear_error():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        taken = s.getsockname()[1]
        before = set(threading.enumerate())
        with pytest.raises(RuntimeError, match="did not start"):
            EmulatorServer(port=taken).start()
        assert set(threading.enumerate()) == before


def test_reports_are_plain_json(vod_emulator, vod_receiver):
    vod_emulator.set_http_callback(vod_receiver.url)
    report = vod_emulator.trigger("FileUploadComplete")
    assert json.loads(json.dumps(report.raw))["format"] == "vod-emulator-report/1"
    assert vod_emulator.runs == [report]
