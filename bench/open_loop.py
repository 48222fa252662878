"""Open loop at the limit: N events due at once against a receiver that never answers.

Production sends all N at once and cuts each attempt at 5 s: 3 attempts + 2 gaps of 1 s =
17 s for the whole run, whatever N is.  Targets at N = 10,000: every first attempt starts
within 1 s of its time, the run ends in ≤ 20 s, peak RSS ≤ 250 MB.  Two ways, each in a
child process (peak RSS from getrusage):

- end to end: `vod-emulator trigger FileUploadComplete --count N --target URL --report R -q`,
  where building N schema-checked bodies is part of the time (all are due at t = 0);
- delivery only: the same N events built first, then handed to the runner all due at once,
  so the figures are those of the open-loop scheduler and the sender alone.

    python bench/open_loop.py [--events 10000] [--rounds 3]
"""

from __future__ import annotations

import argparse
from datetime import datetime, timezone
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import machine_note, median, receiver_process  # noqa: E402

PRODUCTION_S = 3 * 5 + 2 * 1
PREBUILT = """
import asyncio, json, resource, sys
from datetime import datetime, timezone
from emulator.delivery.http import TargetSpec
from emulator.providers.aliyun.factory import EventFactory
from emulator.run.session import RunSettings, execute, run_loop
url, n, report = sys.argv[1], int(sys.argv[2]), sys.argv[3]
f = EventFactory(seed=1, start_time=datetime(2026, 1, 1, tzinfo=timezone.utc))
events = [f.build("FileUploadComplete", i) for i in range(n)]
run_loop(execute(RunSettings(command="bench", targets=(TargetSpec(url),), report_path=report), events))
print("PEAK_KB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""
CHILD = ("import resource, sys; from emulator.cli import main\n"
         "try:\n    main()\nexcept SystemExit:\n"
         "    print('PEAK_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n")


def cli_run(args: list[str], code: str = CHILD) -> tuple[float, subprocess.CompletedProcess]:
    """(peak RSS MB, the finished process) of one CLI command (or ``code``) in a child process."""
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if "PEAK_KB" not in proc.stderr:
        sys.exit(f"run failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return int(proc.stderr.split("PEAK_KB")[1].split()[0]) / 1024, proc


def one(url: str, n: int, workdir: str, prebuilt: bool) -> tuple[float, float, float, float, float]:
    report = os.path.join(workdir, "open-loop.json")
    if prebuilt:
        rss, _ = cli_run([url, str(n), report], PREBUILT)
    else:
        rss, _ = cli_run(["trigger", "FileUploadComplete", "--count", str(n), "--seed", "1", "--target", url,
                          "--report", report, "-q"])
    with open(report, encoding="utf-8") as fh:
        doc = json.load(fh)
    lost = doc["summary"]["lost"]
    assert lost == n, f"expected every event lost (the receiver never answers), got {lost}"
    late = doc["timing"]["release_lateness_ms"]
    # The attempts' own stamps (ms): all are due at the same instant, so the last first attempt
    # started at least (last - first) after its time.
    firsts = sorted(stamp(e["deliveries"][0]["attempts"][0]["started_at"]) for e in doc["events"])
    spread = firsts[-1] - firsts[0]
    return late["max_ms"] / 1000, late["p99_ms"] / 1000, doc["run"]["duration_s"], rss, spread


def stamp(iso: str) -> float:
    return datetime.strptime(iso, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc).timestamp()


def main() -> None:
    note = machine_note()
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", choices=["prebuilt", "cli"])
    args = parser.parse_args()
    print(f"{args.events:,} events due at once, receiver never answers; {args.rounds} rounds {note}")
    for prebuilt in (True, False):
        if args.only and args.only != ("prebuilt" if prebuilt else "cli"):
            continue
        with receiver_process(never=True) as url, tempfile.TemporaryDirectory() as tmp:
            rows = [one(url, args.events, tmp, prebuilt) for _ in range(args.rounds)]
        late, p99, took, rss, spread = (median([r[i] for r in rows]) for i in range(5))
        print("delivery only (events built first):" if prebuilt else "end to end (trigger --count, bodies built "
              "during the run):")
        print(f"  first attempts: latest released {late:.2f} s after its time (p99 {p99:.2f} s; target <= 1 s); "
              f"their start stamps span {spread:.2f} s from first to last")
        print(f"  run: {took:.1f} s = {took / PRODUCTION_S:.2f}x production's {PRODUCTION_S} s "
              f"(rounds {', '.join(f'{r[2]:.1f}' for r in rows)}; target <= 20 s)")
        print(f"  peak RSS: {rss:.0f} MB (rounds {', '.join(f'{r[3]:.0f}' for r in rows)}; target <= 250 MB)")


if __name__ == "__main__":
    main()
