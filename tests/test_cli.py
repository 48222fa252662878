"""The CLI as a user runs it: a real subprocess, real receivers on loopback, exit codes."""

from __future__ import annotations

import asyncio
import json
import sys
import xml.etree.ElementTree as ET

import pytest

START = "2026-01-01T00:00:00Z"


async def cli(*args: str, timeout: float = 60) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "emulator", *args,
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), timeout)
    return proc.returncode, out.decode(), err.decode()


async def test_trigger_with_no_target_uses_the_builtin_receiver():
    code, out, err = await cli("trigger", "FileUploadComplete", "--seed", "1")
    assert code == 0, err
    assert "built-in receiver at http://127.0.0.1:" in out
    assert "FileUploadComplete" in out and "  ← " in out
    assert "1 event: 1 delivered" in out
    assert "Traceback" not in err


async def test_builtin_receiver_failing_first_two_is_delivered_after_retries():
    code, out, _ = await cli("trigger", "TranscodeComplete", "--receiver-fail-first", "2", "--time-scale", "0.01")
    assert code == 0
    assert out.count(" TranscodeComplete ") == 3
    assert "attempt 3/3 (+" in out and "1 after retries" in out


async def test_201_receiver_loses_the_event_exit_1(scripted, tmp_path):
    rx = await scripted([201])
    report, junit = tmp_path / "r.json", tmp_path / "j.xml"
    code, out, _ = await cli("trigger", "SnapshotComplete", "--target", rx.url, "--time-scale", "0.01",
                             "--report", str(report), "--junit", str(junit))
    assert code == 1
    assert len(rx.hits) == 3
    assert "LOST evt-000001 SnapshotComplete" in out
    doc = json.loads(report.read_text())
    assert doc["format"] == "vod-emulator-report/1"
    assert doc["summary"]["lost"] == 1 and doc["summary"]["ok"] is False
    (entry,) = doc["events"]
    assert entry["verdict"] == "lost" and entry["production_loss"] is True
    assert [a["status"] for a in entry["deliveries"][0]["attempts"]] == [201, 201, 201]
    assert doc["policy"]["max_attempts"] == 3 and doc["policy"]["timeout_s"] == 5.0
    assert doc["policy"]["time_scale"] == 0.01
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite.get("tests") == "1" and suite.get("failures") == "1"
    assert suite.find("testcase/failure") is not None


async def test_auth_key_signs_and_builtin_receiver_checks():
    code, out, _ = await cli("trigger", "FileUploadComplete", "--auth-key", "Test123key")
    assert code == 0
    assert "sig=ok" in out


async def test_same_seed_same_start_time_gives_byte_identical_bodies(scripted):
    rx = await scripted([200])
    for _ in range(2):
        code, _, err = await cli("trigger", "TranscodeComplete", "--count", "3", "--seed", "42",
                                 "--start-time", START, "--target", rx.url)
        assert code == 0, err
    first, second = sorted(h.body for h in rx.hits[:3]), sorted(h.body for h in rx.hits[3:])
    assert first == second
    assert len(set(first)) == 3


@pytest.mark.parametrize("args, message", [
    (["trigger", "FileUploadComplet"], "did you mean 'FileUploadComplete'"),
    (["trigger", "FileUploadComplete", "--set", "Sise=1"], "did you mean 'Size'"),
    (["trigger", "FileUploadComplete", "--set", "Size=abc"], "Size"),
    (["trigger", "FileUploadComplete", "--set", "Status=done"], "Status"),
    (["trigger", "FileUploadComplete", "--extend", "x" * 513], "513 bytes"),
    (["trigger", "FileUploadComplete", "--set", "Extend=" + "é" * 257], "514 bytes"),
    (["trigger", "FileUploadComplete", "--target", "ftp://example/x"], "bad target URL"),
    (["trigger", "FileUploadComplete", "--target", "not a url"], "bad target URL"),
    (["events", "show", "Transcode"], "did you mean"),
])
async def test_bad_input_exits_2_with_one_clear_line_and_sends_nothing(scripted, args, message):
    rx = await scripted([200])
    if "--target" not in args:
        args = [*args, "--target", rx.url] if args[0] == "trigger" else args
    code, out, err = await cli(*args)
    assert code == 2, (out, err)
    assert message in err
    assert "Traceback" not in err
    assert rx.hits == []


async def test_help_on_every_command():
    for args in (["--help"], ["trigger", "--help"], ["events", "--help"], ["events", "list", "--help"],
                 ["events", "show", "--help"], ["events", "sample", "--help"], ["receiver", "--help"]):
        code, out, _ = await cli(*args)
        assert code == 0 and "Usage:" in out, args


async def test_events_list_shows_all_23():
    code, out, _ = await cli("events", "list", "--json")
    assert code == 0
    kinds = json.loads(out)
    assert len(kinds) == 23
    assert {"UploadByURLComplete", "UploadByURLComplete:Stream", "WorkflowTaskComplete"} <= {k["name"] for k in kinds}


async def test_events_sample_is_reproducible_and_valid():
    a = await cli("events", "sample", "StreamTranscodeComplete", "--seed", "9", "--start-time", START)
    b = await cli("events", "sample", "StreamTranscodeComplete", "--seed", "9", "--start-time", START)
    assert a[0] == 0 and a[1] == b[1]
    body = json.loads(a[1])
    assert body["EventType"] == "StreamTranscodeComplete" and body["EventTime"] == START
