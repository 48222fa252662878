"""The server's live delivery feed: ``serve -v``, ``logs`` and ``logs --follow``, the feed's JSON and
server-sent events, the inspector's HTML (escaped), resend, and the Host/Origin rule on all of it."""

from __future__ import annotations

import asyncio
import signal
import sys

import aiohttp

from emulator.testing import CapturingReceiver, EmulatorClient, EmulatorServer


async def start_cli(*args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(sys.executable, "-m", "emulator", *args,
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)


async def read_until(stream: asyncio.StreamReader, needle: str, timeout: float = 30) -> list[str]:
    lines: list[str] = []
    while not lines or needle not in lines[-1]:
        raw = await asyncio.wait_for(stream.readline(), timeout)
        if not raw:
            raise AssertionError(f"{needle!r} never came; got {lines}")
        lines.append(raw.decode().rstrip("\n"))
    return lines


async def test_serve_v_logs_and_follow_print_each_attempt_as_trigger_does():
    serve = await start_cli("serve", "--port", "0", "--in-memory", "-v")
    try:
        head = await read_until(serve.stdout, "serving on ")
        url = head[-1].split("serving on ")[1].strip()
        await read_until(serve.stdout, "inspector")
        await read_until(serve.stdout, "data ")
        with CapturingReceiver(fail_first=1) as rx:
            client = EmulatorClient(url, time_scale=0.1)
            client.set_http_callback(rx.url, auth_key="K1")
            follow = await start_cli("logs", "--server", url, "--follow")
            await asyncio.sleep(0)          # the follower connects while the run below is delivered
            report = await asyncio.to_thread(client.trigger, "FileUploadComplete", seed=4)
            assert report.verdicts == {"delivered_after_retry": 1}
            followed = await read_until(follow.stdout, "→ 200")
            follow.send_signal(signal.SIGINT)
            assert await asyncio.wait_for(follow.wait(), 10) == 0
        code, out, err = await _run("logs", "--server", url)
        assert code == 0, err
        lines = out.splitlines()
        assert lines[0] == f"→ {report.run_id} (region cn-shanghai)"
        assert lines[1].endswith("→ 500") and "FileUploadComplete" in lines[1]
        assert "attempt 2/3 (+0.1 s)  → 200" in lines[2]
        assert [line for line in followed if "FileUploadComplete" in line] == lines[1:3]
        served = await read_until(serve.stdout, "attempt 2/3")
        served += await read_until(serve.stdout, "api POST /_emulator/trigger → 200")
        assert any("api PUT /_emulator/callbacks/cn-shanghai → 200" in line for line in served)
        assert any(line.endswith("→ 500") and "FileUploadComplete" in line for line in served)
    finally:
        serve.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(serve.wait(), 10) == 0


async def _run(*args: str) -> tuple[int, str, str]:
    proc = await start_cli(*args)
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    return proc.returncode, out.decode(), err.decode()


async def test_feed_json_stream_resend_and_the_escaped_page():
    with EmulatorServer() as server, CapturingReceiver(status=503) as rx:
        client = server.client(time_scale=0)
        client.set_http_callback(rx.url, auth_key="Key<1>")
        report = client.trigger("SnapshotComplete", set={"CoverUrl": "http://x/<script>alert(1)</script>"})
        assert report.verdicts == {"lost": 1}
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{server.url}/_emulator/deliveries") as resp:
                feed = await resp.json()
            records = feed["records"]
            assert [r["attempt"]["attempt"] for r in records] == [1, 2, 3]
            assert records[-1]["final"] and records[-1]["outcome"] == "lost"
            assert records[0]["headers"]["X-VOD-SIGNATURE"] and records[0]["headers"]["X-VOD-TIMESTAMP"]
            assert records[0]["body"]["CoverUrl"].endswith("</script>")
            async with http.get(f"{server.url}/_emulator/deliveries/stream?since=2") as resp:
                assert resp.headers["Content-Type"] == "text/event-stream"
                first = (await resp.content.readline()).decode()
                assert first == f"id: {records[2]['seq']}\n"
            rx.configure(status=200)
            event_id = report.events[0]["event_id"]
            async with http.post(f"{server.url}/_emulator/runs/{report.run_id}/events/{event_id}/resend",
                                 json={}) as resp:
                resent = await resp.json()
            assert resp.status == 200 and resent["verdicts"] == {"delivered": 1}
            assert rx.deliveries[-1].body == rx.deliveries[0].body
            async with http.get(f"{server.url}/_emulator/ui") as resp:
                page = await resp.text()
                assert resp.status == 200 and "script-src 'self'" in resp.headers["Content-Security-Policy"]
            assert "vod-emulator inspector" in page and "<script>alert" not in page
            async with http.get(f"{server.url}/_emulator/ui/fragments/runs") as resp:
                runs = await resp.text()
            assert report.run_id in runs and resent["run_id"] in runs
            # the same Host/Origin rule as every other path
            async with http.get(f"{server.url}/_emulator/ui", headers={"Host": "evil.example"}) as resp:
                assert resp.status == 403
            async with http.get(f"{server.url}/_emulator/deliveries/stream",
                                headers={"Origin": "http://evil.example"}) as resp:
                assert resp.status == 403
            async with http.post(f"{server.url}/_emulator/runs/{report.run_id}/events/evt-999999/resend",
                                 json={}) as resp:
                assert resp.status == 404 and (await resp.json())["error"]["code"] == "EventNotFound"


async def test_an_open_stream_does_not_hold_up_a_stop():
    server = EmulatorServer().start()
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{server.url}/_emulator/deliveries/stream") as resp:
            assert resp.status == 200
            loop = asyncio.get_running_loop()
            started = loop.time()
            await asyncio.to_thread(server.stop)
            assert loop.time() - started < 1.0
            assert await resp.content.read() == b""
