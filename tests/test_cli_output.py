"""What the CLI prints in CI: progress when stdout is not a terminal, the timeline up front,
retries told apart from chaos duplicates, one verdict phrasing, --server printing like a
local run, and --help in sections."""

from __future__ import annotations

import asyncio
import os
import re
import sys
import time

from emulator.testing import EmulatorServer

from .test_cli import cli

START = "2026-01-01T00:00:00Z"

THIRTY_SECONDS = """\
version: 1
name: thirty-seconds
seed: 3
start_time: "2026-01-01T00:00:00Z"
flows:
  - name: video
    steps:
      - {name: upload, event: FileUploadComplete}
      - {name: analysis, event: VideoAnalysisComplete, after: 10s}
      - {name: transcode, event: TranscodeComplete, after: 10s}
      - {name: snapshot, event: SnapshotComplete, after: 10s}
"""


async def timed_lines(*args: str, env: dict[str, str]) -> tuple[int, list[tuple[float, str]]]:
    """Run the CLI with stdout a pipe (not a terminal); each line with when it arrived."""
    proc = await asyncio.create_subprocess_exec(sys.executable, "-m", "emulator", *args,
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL,
                                                env={**os.environ, **env})
    t0 = time.monotonic()
    lines = []
    while line := await asyncio.wait_for(proc.stdout.readline(), 60):
        lines.append((time.monotonic() - t0, line.decode().rstrip("\n")))
    return await proc.wait(), lines


async def test_a_30_second_timeline_in_ci_prints_progress_at_every_interval(tmp_path):
    scenario = tmp_path / "thirty.yaml"
    scenario.write_text(THIRTY_SECONDS)
    # time scale 0.1 and a 0.5 s interval: the 30 s timeline in 3 s, as the default 5 s interval would in 30 s
    code, lines = await timed_lines("run", str(scenario), "--time-scale", "0.1",
                                    env={"VOD_EMULATOR_PROGRESS_INTERVAL": "0.5"})
    assert code == 0
    text = [t for _, t in lines]
    assert "timeline: 4 events over 30.0 s (3.0 s at time scale 0.1)" in text
    assert text.index("timeline: 4 events over 30.0 s (3.0 s at time scale 0.1)") < 3
    progress = [(at, t) for at, t in lines if t.startswith("progress: ")]
    assert len(progress) >= 4
    stamps = [at for at, _ in progress]
    assert max(b - a for a, b in zip(stamps, stamps[1:])) < 1.5
    first = progress[0][1]
    assert re.fullmatch(r"progress: [0-4]/4 released, [0-4] delivered, 0 lost · \d+\.\d s elapsed · "
                        r"\d+\.\d s left of a 30\.0 s timeline", first), first
    assert "left of a 30.0 s timeline" in progress[-1][1]


async def test_the_default_progress_interval_is_five_seconds(monkeypatch):
    from emulator.cli.live import progress_interval
    monkeypatch.delenv("VOD_EMULATOR_PROGRESS_INTERVAL", raising=False)
    assert progress_interval() == 5.0


async def test_retries_say_attempt_n_of_3_and_duplicates_say_chaos():
    code, out, _ = await cli("trigger", "TranscodeComplete", "--receiver-fail-first", "2", "--time-scale", "0.1",
                             "--seed", "1")
    assert code == 0
    lines = [line for line in out.splitlines() if " TranscodeComplete " in line]
    assert len(lines) == 3
    assert "attempt" not in lines[0] and lines[0].endswith("→ 500")
    assert re.search(r"attempt 2/3 \(\+0\.1 s\)  → 500$", lines[1]), lines[1]
    assert re.search(r"attempt 3/3 \(\+0\.1 s\)  → 200$", lines[2]), lines[2]
    code, out, _ = await cli("trigger", "TranscodeComplete", "--chaos", "duplicate=1", "--time-scale", "0")
    lines = [line for line in out.splitlines() if " TranscodeComplete " in line]
    # the copy is released at the same instant as the original: either may be printed first
    assert len(lines) == 2 and sum("chaos duplicate #2" in line for line in lines) == 1
    assert not any("attempt " in line for line in lines)


async def test_a_lost_event_ends_with_lost_and_the_verdict_is_worded_once():
    code, out, _ = await cli("trigger", "SnapshotComplete", "--receiver-status", "503", "--time-scale", "0")
    assert code == 1
    attempts = [line for line in out.splitlines() if " SnapshotComplete " in line and "→ 503" in line]
    assert len(attempts) == 3 and attempts[-1].endswith("attempt 3/3 (+0.0 s)  → 503  lost")
    assert ("verdict: in production the receiver would have lost 1 event(s) (1 after 3 failed attempts, "
            "0 dropped callbacks); 0 arrived more than once") in out


async def test_trigger_through_a_server_prints_what_a_local_run_prints(scripted):
    rx = await scripted([200])
    args = ("trigger", "StreamTranscodeComplete", "--count", "2", "--seed", "9", "--start-time", START,
            "--time-scale", "0", "--concurrency", "1")
    code, local, _ = await cli(*args, "--target", rx.url)
    assert code == 0
    with EmulatorServer() as server:
        server.client().set_http_callback(rx.url)
        code, remote, err = await cli(*args, "--server", server.url)
    assert code == 0, err
    assert "{" not in remote and "'" not in remote

    def body(out: str) -> list[str]:   # the per-attempt lines and the summary (timing figures vary)
        return [line.split(" ", 1)[0] if line.startswith("timing:") else line
                for line in out.splitlines() if not line.startswith(("→", "timeline"))]

    assert body(remote) == body(local)
    assert any(line.startswith("verdict: in production") for line in body(remote))


async def test_help_groups_the_delivery_options_in_sections():
    for command in ("trigger", "run", "replay"):
        code, out, _ = await cli(command, "--help")
        assert code == 0
        titles = re.findall(r"^(\w[\w -]*):$", out, re.M)
        assert titles[-6:] == ["Options", "Target", "Delivery", "Built-in receiver", "Report", "Chaos"], titles
        section = out[out.index("\nDelivery:"):out.index("\nBuilt-in receiver:")]
        assert "--time-scale" in section and "--max-attempts" in section and "--target" not in section
