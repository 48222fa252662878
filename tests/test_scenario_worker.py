"""Scenario runs built in a worker process: the same events, in the same order, as in-process;
bad input fails before anything is sent; the child never outlives the run."""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import signal
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from emulator.errors import InputError
from emulator.run import chaos, workers
from emulator.run.sources import scenario_timeline
from emulator.scenario.loader import load
from emulator.scenario.timeline import Timeline

from .conftest import make_event
from .test_cli import cli

SHIPPED = Path(__file__).parent.parent / "scenarios"
START = datetime(2026, 1, 1, tzinfo=timezone.utc)
needs_fork = pytest.mark.skipif(not workers.usable(), reason="needs fork (and VOD_EMULATOR_WORKERS not 0)")


def shipped(name: str, **kw) -> tuple:
    scenario = load(SHIPPED / f"{name}.yaml")
    return scenario, Timeline(scenario, seed=scenario.seed or 1, start_time=scenario.start_time or START, **kw)


@pytest.fixture
def forks(monkeypatch) -> list:
    """Every scenario run goes through a worker; the list records each worker started."""
    monkeypatch.setattr(workers, "WORKER_FROM", 1)
    monkeypatch.setattr(workers, "BATCH", 3)
    started, real = [], workers.timeline_in_worker
    monkeypatch.setattr(workers, "timeline_in_worker", lambda rest: started.append(1) or real(rest))
    return started


@needs_fork
@pytest.mark.parametrize("name, kw", [("fault-duplicates", {}), ("fault-lost-callbacks", {}),
                                      ("production-shapes", {}), ("quickstart", {"vary": True})])
def test_a_worker_gives_the_same_events_in_the_same_order(forks, name, kw):
    scenario, here_tl = shipped(name, **kw)
    _, there_tl = shipped(name, **kw)
    here = list(scenario_timeline(here_tl, count=scenario.event_count))
    there = list(scenario_timeline(there_tl, count=scenario.event_count, worker=True))
    assert forks == [1]
    # ids, bodies, labels, times, expect, variation: every field of every event
    assert there == here and len(there) == scenario.event_count
    assert [e.event_id for _, e in there] == [f"evt-{i:06d}" for i in range(1, len(there) + 1)]
    assert all(e.label for _, e in there)
    if scenario.faults:     # the file's faults land on the same events
        assert list(chaos.apply(iter(there), scenario.faults, 5)) == list(chaos.apply(iter(here), scenario.faults, 5))
    if kw.get("vary") or scenario.vary:
        assert len({e.variation for _, e in there}) > 1
    if name == "fault-lost-callbacks":
        assert {e.expect for _, e in there} == {"delivered", "any"}
    assert multiprocessing.active_children() == []


@needs_fork
def test_the_child_is_gone_when_the_run_stops_early(forks):
    scenario, timeline = shipped("load-10k")
    timed = scenario_timeline(timeline, count=scenario.event_count, worker=True)
    first = [next(timed) for _ in range(5)]
    assert [e.event_id for _, e in first] == [f"evt-{i:06d}" for i in range(1, 6)]
    assert len(multiprocessing.active_children()) == 1      # 20,000 events: far from done
    timed.close()
    assert multiprocessing.active_children() == []
    unread = scenario_timeline(timeline, count=scenario.event_count, worker=True)
    assert len(multiprocessing.active_children()) == 1
    unread.close()                                          # before its first event was read
    assert multiprocessing.active_children() == []


def test_a_scenario_failing_on_its_first_event_fails_before_a_worker_starts(forks):
    def bad():
        raise InputError("s.yaml: flows[0].steps[1]: reference ${upload.VideoIdd}: no such field")
        yield

    with pytest.raises(InputError, match=r"\$\{upload.VideoIdd\}"):
        scenario_timeline(bad(), count=5000, worker=True)
    assert forks == []


@needs_fork
@pytest.mark.parametrize("error, expected", [(InputError("flow video, media 7: no such field"), InputError),
                                             (ValueError("broken"), RuntimeError)])
def test_an_error_in_the_child_arrives_in_its_place(monkeypatch, error, expected):
    monkeypatch.setattr(workers, "BATCH", 2)

    def timeline():
        yield from ((float(i), make_event(i)) for i in range(5))
        raise error

    got = []
    with pytest.raises(expected, match=str(error)):
        for item in workers.timeline_in_worker(timeline()):
            got.append(item)
    assert got == [(float(i), make_event(i)) for i in range(5)]     # what came before it, all of it
    assert multiprocessing.active_children() == []


BIG_TENCENT = """\
version: 1
name: big-tencent
provider: tencent
flows:
  - name: video
    repeat: 2500
    every: 1s
    steps:
      - {name: upload, event: NewFileUpload}
"""


async def test_a_large_scenario_failing_on_its_first_event_fails_the_same_with_and_without_workers(
        tmp_path, scripted, monkeypatch):
    # --vary is for Alibaba bodies: the validation's dry run does not vary, the run's first event does.
    rx = await scripted([200])
    path = tmp_path / "big-tencent.yaml"
    path.write_text(BIG_TENCENT)
    results = []
    for setting in ("1", "0"):
        monkeypatch.setenv("VOD_EMULATOR_WORKERS", setting)
        results.append(await cli("run", str(path), "--vary", "--target", rx.url, "-q"))
    assert results[0] == results[1]
    code, out, err = results[0]
    assert code == 2 and "shape variation" in err and "Traceback" not in err, err
    assert rx.hits == []


def _report_without_timing(path: Path) -> dict:
    """The report with the built-in receiver's port and the wall-clock figures taken out."""
    text = path.read_text()
    doc = json.loads(text)
    doc = json.loads(text.replace(doc["targets"][0]["url"], "http://127.0.0.1:PORT/"))
    doc["run"] = {k: v for k, v in doc["run"].items() if k not in ("started_at", "duration_s", "connection_limit")}
    doc.pop("timing")
    for entry in doc["events"]:
        for delivery in entry["deliveries"]:
            for attempt in delivery["attempts"]:
                del attempt["started_at"], attempt["duration_ms"]
    return doc


@needs_fork
@pytest.mark.parametrize("args", [["fault-duplicates"], ["production-shapes", "--seed", "3"],
                                  ["quickstart", "--vary", "--preset", "hls-encrypted", "--chaos", "reorder=3,duplicate=0.3"]])
def test_reports_are_identical_apart_from_timing(forks, monkeypatch, tmp_path, args):
    from click.testing import CliRunner
    from emulator.cli.main import main
    reports = []
    for setting in ("1", "0"):
        monkeypatch.setenv("VOD_EMULATOR_WORKERS", setting)
        report = tmp_path / f"report-{setting}.json"
        result = CliRunner().invoke(main, ["run", *args, "--time-scale", "0", "--concurrency", "1",
                                                 "--report", str(report), "-q"])
        assert result.exit_code == 0, result.output
        reports.append(_report_without_timing(report))
    assert forks == [1]                 # the first run went through a worker, the second did not
    assert reports[0] == reports[1]
    assert multiprocessing.active_children() == []


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


@needs_fork
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
async def test_ctrl_c_ends_the_generator_process_too(scripted):
    rx = await scripted([200], delay=0.2)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "emulator", "run", "load-10k", "--time-scale", "0", "--concurrency", "2",
        "--target", rx.url, "-q", stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        start_new_session=True)     # its own process group, as a terminal's Ctrl-C reaches it
    for _ in range(2000):
        if len(rx.hits) >= 4:
            break
        await asyncio.sleep(0.01)
    assert len(_children(proc.pid)) == 1        # the generator process
    os.killpg(proc.pid, signal.SIGINT)
    out, err = await asyncio.wait_for(proc.communicate(), 15)
    assert proc.returncode == 130 and "Traceback" not in err.decode(), err.decode()
    with pytest.raises(ProcessLookupError):
        os.killpg(proc.pid, 0)                  # nothing of the run is left in its group
