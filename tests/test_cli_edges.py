"""The command line at its edges: output paths, bad CA bundles, signals, typos, huge files,
signed replays, exit codes in --help."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
import time
import xml.etree.ElementTree as ET

import pytest

from .test_cli import cli


async def test_output_paths_get_their_folders_before_the_first_event(tmp_path, scripted):
    rx = await scripted([200])
    out = tmp_path / "out" / "deep"
    code, stdout, err = await cli("trigger", "FileUploadComplete", "--target", rx.url, "--report",
                                  str(out / "report.json"), "--junit", str(out / "j" / "junit.xml"),
                                  "--journal", str(out / "journal.jsonl"))
    assert code == 0, err
    assert json.loads((out / "report.json").read_text())["summary"]["delivered"] == 1
    assert (out / "j" / "junit.xml").exists() and (out / "journal.jsonl").read_text().strip()


async def test_an_unwritable_output_path_stops_before_anything_is_sent(tmp_path, scripted):
    rx = await scripted([200])
    (tmp_path / "taken").write_text("a file, not a folder")
    for option, path in (("--report", tmp_path / "taken" / "r.json"), ("--junit", tmp_path),
                         ("--journal", tmp_path / "taken" / "x" / "j.jsonl")):
        code, out, err = await cli("trigger", "FileUploadComplete", "--target", rx.url, option, str(path))
        assert code == 2 and option in err and str(path) in err and "Traceback" not in err, err
    assert rx.hits == []


async def test_a_bad_ca_bundle_is_one_line_exit_2(tmp_path):
    bundle = tmp_path / "ca.pem"
    bundle.write_text("not a certificate\n")
    code, out, err = await cli("trigger", "FileUploadComplete", "--target", "https://127.0.0.1:1/cb",
                               "--ca-bundle", str(bundle))
    assert code == 2 and len(err.strip().splitlines()) == 1 and f"--ca-bundle {bundle}" in err, err


@pytest.mark.parametrize("sig, code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
async def test_a_signal_mid_run_writes_a_partial_report_and_exits_128_plus(tmp_path, scripted, sig, code):
    rx = await scripted([200], delay=0.2)
    report, junit = tmp_path / "r" / "report.json", tmp_path / "junit.xml"
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "emulator", "trigger", "FileUploadComplete", "--count", "500", "--concurrency", "2",
        "--target", rx.url, "--report", str(report), "--junit", str(junit), "-q",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    for _ in range(1000):
        if len(rx.hits) >= 4:
            break
        await asyncio.sleep(0.01)
    proc.send_signal(sig)
    t0 = time.monotonic()
    out, err = await asyncio.wait_for(proc.communicate(), 15)
    assert proc.returncode == code, err.decode()
    assert time.monotonic() - t0 < 5 and "Traceback" not in err.decode()
    text = out.decode()
    assert f"interrupted by {sig.name}" in text and "delivered" in text
    doc = json.loads(report.read_text())
    assert doc["run"]["interrupted"] is True and 0 < doc["summary"]["events"] < 500
    assert ET.parse(junit).getroot().find("testsuite").get("errors") == "1"
    sent = len(rx.hits)
    await asyncio.sleep(0.3)
    assert len(rx.hits) == sent                # nothing leaves after the exit


async def test_serve_config_typo_is_exit_2_with_did_you_mean(tmp_path):
    conf = tmp_path / "serve.yaml"
    conf.write_text("queues:\n  - {name: vod-events, VisiblityTimeout: 10}\n")
    code, out, err = await cli("serve", "--port", "0", "--in-memory", "--config", str(conf))
    assert code == 2 and "did you mean 'VisibilityTimeout'" in err and "Traceback" not in err, err


async def test_a_huge_scenario_file_is_refused_fast(tmp_path):
    big = tmp_path / "big.yaml"
    with open(big, "wb") as fh:
        fh.write(b"version: 1\nflows:\n")
        fh.truncate(100 * 1024 * 1024)          # sparse: 100 MB without writing them
    t0 = time.monotonic()
    code, out, err = await cli("validate", str(big))
    assert code == 2 and "larger than 1024 KiB" in err and time.monotonic() - t0 < 10, err


async def test_replay_of_a_signed_run_asks_for_the_key_and_refuses_options_it_ignores(tmp_path, scripted):
    rx = await scripted([200])
    report = tmp_path / "r.json"
    code, _, err = await cli("trigger", "FileUploadComplete", "--target", rx.url, "--auth-key", "Key123abc",
                             "--report", str(report))
    assert code == 0, err
    assert "Key123abc" not in report.read_text()
    code, out, err = await cli("replay", str(report))
    assert code == 2 and "--auth-key" in err and "signed" in err
    code, out, err = await cli("replay", str(report), "--chaos", "drop=0.5", "--auth-key", "Key123abc")
    assert code == 2 and "--chaos" in err
    code, out, err = await cli("replay", str(report), "--auth-key", "Key123abc")
    assert code == 0, out + err


async def test_every_command_states_its_exit_codes():
    for command in (["trigger"], ["run"], ["validate"], ["replay"], ["serve"], ["receiver"], ["events", "list"],
                    ["events", "show"], ["events", "sample"]):
        code, out, _ = await cli(*command, "--help")
        assert code == 0 and "Exit codes" in out, command
