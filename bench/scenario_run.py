"""Scenario runs with and without the generator process: `vod-emulator run load-10k` (20,000
events, time scale 0, --report) against a fast receiver in another process, once with the
events built in a forked worker (the default from 2,000 events) and once in-process
(VOD_EMULATOR_WORKERS=0).  Rounds are interleaved; medians are printed.

    python bench/scenario_run.py [--scenario load-10k] [--rounds 3]

events/s is the report's events / its run.duration_s (first release to last result, so the
build of every event after the first is inside it); wall time includes Python's start-up
and loading the file.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import machine_note, median, receiver_process  # noqa: E402


def one_run(url: str, scenario: str, workers: bool, workdir: str) -> tuple[float, float, int]:
    """(events/s over the run, wall seconds, events) of one `vod-emulator run`."""
    report = os.path.join(workdir, "report.json")
    env = dict(os.environ, VOD_EMULATOR_WORKERS="1" if workers else "0")
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "emulator", "run", scenario, "--target", url, "--time-scale", "0",
                           "--report", report, "-q"], capture_output=True, text=True, env=env)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"run failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    with open(report, encoding="utf-8") as fh:
        doc = json.load(fh)
    events = doc["summary"]["events"]
    return events / doc["run"]["duration_s"], wall, events


def main() -> None:
    note = machine_note()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenario", default="load-10k")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    rates: dict[bool, list[float]] = {True: [], False: []}
    walls: dict[bool, list[float]] = {True: [], False: []}
    with receiver_process() as url, tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.rounds):
            for workers in (True, False):
                rate, wall, events = one_run(url, args.scenario, workers, tmp)
                rates[workers].append(rate)
                walls[workers].append(wall)
    print(f"vod-emulator run {args.scenario}: {events} events, rounds={args.rounds} {note}")
    for workers, name in ((True, "worker process (default)  "), (False, "in-process (WORKERS=0)    ")):
        print(f"{name}: {median(rates[workers]):7.0f} events/s  (rounds "
              f"{', '.join(f'{r:.0f}' for r in rates[workers])}; wall {median(walls[workers]):.1f} s)")
    print(f"ratio: {median(rates[True]) / median(rates[False]):.2f}x")


if __name__ == "__main__":
    main()
