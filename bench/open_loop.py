"""Open loop at the limit: N events due at once against a receiver that never answers.

Production sends all N at once and cuts each attempt at 5 s: 3 attempts + 2 gaps of 1 s =
17 s for the whole run, whatever N is.  Targets at N = 10,000: every first attempt starts
within 1 s of its time, the run ends in ≤ 20 s, peak RSS ≤ 250 MB.  The emulator runs as
`vod-emulator trigger FileUploadComplete --count N --target URL --report R -q` in a child
process (peak RSS from getrusage).

    python bench/open_loop.py [--events 10000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import BUSY_NOTE, median, receiver_process  # noqa: E402

PRODUCTION_S = 3 * 5 + 2 * 1
CHILD = ("import resource, sys; from emulator.cli import main\n"
         "try:\n    main()\nexcept SystemExit:\n"
         "    print('PEAK_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n")


def cli_run(args: list[str]) -> tuple[float, subprocess.CompletedProcess]:
    """(peak RSS MB, the finished process) of one CLI command in a child process."""
    proc = subprocess.run([sys.executable, "-c", CHILD, *args], capture_output=True, text=True)
    if "PEAK_KB" not in proc.stderr:
        sys.exit(f"run failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return int(proc.stderr.split("PEAK_KB")[1].split()[0]) / 1024, proc


def one(url: str, n: int, workdir: str) -> tuple[float, float, float, float]:
    report = os.path.join(workdir, "open-loop.json")
    rss, _ = cli_run(["trigger", "FileUploadComplete", "--count", str(n), "--seed", "1", "--target", url,
                      "--report", report, "-q"])
    with open(report, encoding="utf-8") as fh:
        doc = json.load(fh)
    lost = doc["summary"]["lost"]
    assert lost == n, f"expected every event lost (the receiver never answers), got {lost}"
    late = doc["timing"]["release_lateness_ms"]
    return late["max_ms"] / 1000, late["p99_ms"] / 1000, doc["run"]["duration_s"], rss


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with receiver_process(never=True) as url, tempfile.TemporaryDirectory() as tmp:
        rows = [one(url, args.events, tmp) for _ in range(args.rounds)]
    late, p99, took, rss = (median([r[i] for r in rows]) for i in range(4))
    print(f"{args.events:,} events due at once, receiver never answers; {args.rounds} rounds {BUSY_NOTE}")
    print(f"first attempts: latest started {late:.2f} s after its time (p99 {p99:.2f} s; target <= 1 s)")
    print(f"run: {took:.1f} s = {took / PRODUCTION_S:.2f}x production's {PRODUCTION_S} s "
          f"(rounds {', '.join(f'{r[2]:.1f}' for r in rows)}; target <= 20 s)")
    print(f"peak RSS: {rss:.0f} MB (rounds {', '.join(f'{r[3]:.0f}' for r in rows)}; target <= 250 MB)")


if __name__ == "__main__":
    main()
