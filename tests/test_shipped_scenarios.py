"""Every shipped scenario validates and runs (time-scaled) against a real receiver."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from emulator.providers import schemas
from emulator.clock import Clock
from emulator.delivery.http import TargetSpec
from emulator.scenario.loader import load
from emulator.run.runner import released
from emulator.scenario.timeline import Timeline
from emulator.run.session import RunSettings, execute

from .test_cli import cli

SCENARIOS = sorted((Path(__file__).parent.parent / "scenarios").glob("*.yaml"))
START = datetime(2026, 1, 1, tzinfo=timezone.utc)


def test_the_documented_set_is_shipped():
    names = {p.stem for p in SCENARIOS}
    assert {"quickstart", "transcode-partial-failure", "upload-failure", "live-record", "delete-media",
            "ai-audit", "image-and-attached-media", "url-upload", "load-10k"} <= names


@pytest.mark.parametrize("path", [p for p in SCENARIOS if p.stem != "load-10k"], ids=lambda p: p.stem)
async def test_scenario_runs_and_every_body_validates(scripted, path):
    rx = await scripted([200])
    scenario = load(path)
    timeline = Timeline(scenario, seed=scenario.seed or 1, start_time=scenario.start_time or START)
    settings = RunSettings(command="test", targets=(TargetSpec(rx.url),), concurrency=8)
    result = await execute(settings, released(timeline, Clock(0.0)))
    assert result.ok
    assert result.journal.counters.events == scenario.event_count == len(rx.hits)
    for hit in rx.hits:
        body = hit.json()
        assert schemas.errors(scenario.provider, body["EventType"], body) == []
    if scenario.provider == "aliyun":
        times = [h.json()["EventTime"] for h in rx.hits]
        assert times == sorted(times)   # delivered in timeline order (concurrency aside, time-scale 0)


async def test_load_10k_is_streamed_and_delivered(scripted):
    rx = await scripted([200])
    scenario = load(Path(__file__).parent.parent / "scenarios" / "load-10k.yaml")
    assert scenario.event_count == 20_000
    timeline = Timeline(scenario, seed=1, start_time=START)
    settings = RunSettings(command="test", targets=(TargetSpec(rx.url),), concurrency=64)
    result = await execute(settings, released(timeline, Clock(0.0)))
    assert result.ok and result.journal.counters.delivered == 20_000
    assert result.journal.results == []          # nothing kept per event without a report
    assert len({h.json()["VideoId"] for h in rx.hits}) == 10_000


async def test_quickstart_from_the_cli_twice_gives_identical_bodies(scripted):
    rx = await scripted([200])
    for _ in range(2):
        code, out, err = await cli("run", "scenarios/quickstart.yaml", "--target", rx.url, "--time-scale", "0.001")
        assert code == 0, err
    first, second = [h.body for h in rx.hits[:7]], [h.body for h in rx.hits[7:]]
    assert len(first) == len(second) == 7 and sorted(first) == sorted(second)
    assert len({json.loads(b)["VideoId"] for b in first}) == 1


async def test_quickstart_with_the_builtin_receiver():
    code, out, err = await cli("run", "scenarios/quickstart.yaml", "--time-scale", "0.001")
    assert code == 0, err
    assert "quickstart: 7 events" in out and "7 events: 7 delivered" in out
    assert out.count("StreamTranscodeComplete") == 3


async def test_a_bad_scenario_exits_2_names_file_line_and_path_and_sends_nothing(scripted, tmp_path):
    rx = await scripted([200])
    good = tmp_path / "good.yaml"
    good.write_text("version: 1\nflows:\n  - name: f\n    steps:\n      - name: a\n        event: FileUploadComplete\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nflows:\n  - name: f\n    steps:\n      - name: a\n        event: FileUploadComplet\n")
    code, out, err = await cli("run", str(good), str(bad), "--target", rx.url)
    assert code == 2
    assert f"{bad}:6: $.flows[0].steps[0].event" in err and "did you mean 'FileUploadComplete'" in err
    assert "Traceback" not in err
    assert rx.hits == []          # the good file was not run either: validation comes first


async def test_expect_lost_is_met_when_the_receiver_refuses(scripted, tmp_path):
    rx = await scripted([503])
    doc = tmp_path / "lost.yaml"
    doc.write_text("version: 1\nflows:\n  - name: f\n    steps:\n      - name: a\n"
                   "        event: FileUploadComplete\n        expect: lost\n")
    code, out, _ = await cli("run", str(doc), "--target", rx.url, "--time-scale", "0.01")
    assert code == 0, out
    assert len(rx.hits) == 3 and "LOST (expected)" in out
    ok = await scripted([200])
    code, out, _ = await cli("run", str(doc), "--target", ok.url, "--time-scale", "0.01")
    assert code == 1 and "DELIVERED (expected lost)" in out


async def test_validate_command(tmp_path):
    code, out, _ = await cli("validate", *map(str, SCENARIOS))
    assert code == 0 and out.count("ok  ") == len(SCENARIOS)
    bad = tmp_path / "broken.yaml"
    bad.write_text("version: 1\nflows: [\n")
    code, _, err = await cli("validate", str(bad))
    assert code == 2 and f"{bad}:" in err


def test_the_readme_example_is_a_valid_scenario():
    from emulator.scenario.loader import loads
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    block = readme.split("A complete example, every key annotated:", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    scenario = loads(block, name="README.md", env={})
    assert scenario.name == "checkout-videos" and scenario.targets[0].auth_key is None
    assert Timeline(scenario, seed=1, start_time=START).dry_run() == scenario.event_count == 9


async def run_report(tmp_path, name: str, *args: str) -> tuple[int, str, dict]:
    report = tmp_path / f"{name}.json"
    code, out, err = await cli("run", f"scenarios/{name}.yaml", "--time-scale", "0.01", "--concurrency", "1",
                               "--report", str(report), *args)
    assert "Traceback" not in err
    return code, out, json.loads(report.read_text())


async def test_fault_duplicates_delivers_copies(scripted, tmp_path):
    rx = await scripted([200])
    code, _, doc = await run_report(tmp_path, "fault-duplicates", "--target", rx.url)
    bodies = [h.body for h in rx.hits]
    assert code == 0 and len(bodies) > len(set(bodies)) == doc["summary"]["events"]
    assert doc["verdicts"]["duplicated"] == doc["summary"]["duplicates_sent"] > 0


async def test_fault_reorder_breaks_timeline_order(scripted, tmp_path):
    rx = await scripted([200])
    code, _, doc = await run_report(tmp_path, "fault-reorder", "--target", rx.url)
    times = [h.json()["EventTime"] for h in rx.hits]
    assert code == 0 and times != sorted(times)
    assert any("reordered" in f for e in doc["events"] for f in e["faults"])


async def test_fault_lost_callbacks_reports_production_losses(scripted, tmp_path):
    rx = await scripted([200])
    code, out, doc = await run_report(tmp_path, "fault-lost-callbacks", "--target", rx.url)
    lost = [e for e in doc["events"] if e["production_loss"]]
    assert code == 0 and lost and all(e["verdict"] == "dropped" for e in lost)
    assert len(rx.hits) == doc["summary"]["events"] - len(lost)
    assert f"would have lost {len(lost)} event(s)" in out


async def test_fault_flaky_receiver_shows_the_retries(tmp_path):
    code, out, doc = await run_report(tmp_path, "fault-flaky-receiver")
    assert code == 0 and doc["verdicts"] == {"delivered_after_retry": 2}
    assert doc["run"]["builtin_receiver_config"]["fail_first"] == 2
    for event in doc["events"]:
        assert [a["status"] for a in event["deliveries"][0]["attempts"]] == [500, 500, 200]
