"""Peak memory of a long scenario run: `vod-emulator run` of a 1,000,000-event scenario
(time scale 0) against a fast receiver in another process.  Target: peak RSS ≤ 150 MB.

    python bench/memory.py [--events 1000000] [--concurrency 64]

The baseline printed beside it is the peak RSS of the same command on a 1,000-event run:
if memory were proportional to the events, the big run would be ~1000× that.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import receiver_process  # noqa: E402

SCENARIO = """\
version: 1
name: memory-bench
seed: 1
start_time: "2026-01-01T00:00:00Z"
flows:
  - name: uploads
    repeat: {repeat}
    every: 10ms
    steps:
      - name: upload
        event: FileUploadComplete
      - name: transcode
        event: TranscodeComplete
        after: 1s
"""


def run(url: str, events: int, concurrency: int, workdir: str) -> tuple[float, float, float]:
    """(peak RSS MB of the run's process, of its generator process (0: none), seconds) of one
    `vod-emulator run` in a child process."""
    path = os.path.join(workdir, f"bench-{events}.yaml")
    with open(path, "w") as fh:
        fh.write(SCENARIO.format(repeat=events // 2))
    code = ("import resource, sys; from emulator.cli import main\n"
            "try:\n    main()\nexcept SystemExit as e:\n"
            "    print('PEAK_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,\n"
            "          resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
            "    raise\n")
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", code, "run", path, "--target", url, "--time-scale", "0",
                           "--concurrency", str(concurrency), "-q"], capture_output=True, text=True)
    took = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"run failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    own_kb, children_kb = (int(x) for x in proc.stderr.split("PEAK_KB")[1].split()[:2])
    return own_kb / 1024, children_kb / 1024, took


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--concurrency", type=int, default=64)
    args = parser.parse_args()
    with receiver_process() as url, tempfile.TemporaryDirectory() as tmp:
        small, _, _ = run(url, 1000, args.concurrency, tmp)
        big, generator, took = run(url, args.events, args.concurrency, tmp)
    print(f"baseline: 1,000 events → peak RSS {small:.1f} MB")
    print(f"run: {args.events:,} events in {took:.0f} s ({args.events / took:.0f} ev/s) → peak RSS {big:.1f} MB "
          f"(ratio {big / small:.2f}x the 1,000-event run; target ≤ 150 MB)"
          + (f"; its forked generator process peaked at {generator:.1f} MB, pages shared with the run's "
             f"process counted in both (at most {big + generator:.1f} MB together)"
             if generator else ""))


if __name__ == "__main__":
    main()
