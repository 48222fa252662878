"""Timing exactness under load.

Retry gap: N events fail at once (the receiver answers 500); error of each retry's start vs
1 s after the failed attempt ended, from the journal's stamps (ms) and from the run's own
figures (report "timing").  Target: p99 ≤ 20 ms at N = 1,000.
Attempt cut: N attempts in flight at once against a receiver that never answers; error of
each cut vs 5.000 s.  Target: p99 ≤ 20 ms at N = 1,000.

    python bench/retry_gap.py [--events 1000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime, timezone

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import machine_note, median, receiver_process, run  # noqa: E402
from emulator.delivery.http import TargetSpec  # noqa: E402
from emulator.delivery.policy import DeliveryPolicy  # noqa: E402
from emulator.providers.aliyun.factory import EventFactory  # noqa: E402
from emulator.run.session import RunSettings, execute  # noqa: E402

START = datetime(2026, 1, 1, tzinfo=timezone.utc)


def ts(iso: str) -> float:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def once(url: str, events: list, policy: DeliveryPolicy):
    settings = RunSettings(command="bench", targets=(TargetSpec(url),), policy=policy,
                           extra={"keep_results": True})
    return run(execute(settings, events))


def gap_round(url: str, events: list) -> tuple[float, float, float]:
    result = once(url, events, DeliveryPolicy())
    errors = [abs(ts(n.started_at) - ts(p.started_at) - p.duration_ms / 1000 - 1.0) * 1000
              for r in result.journal.results for p, n in zip(r.attempts, r.attempts[1:])]
    own = result.report["timing"]["retry_gap_error_ms"]
    return pct(errors, 0.99), max(errors), own["p99_ms"]


def cut_round(url: str, events: list) -> tuple[float, float, float]:
    result = once(url, events, DeliveryPolicy(max_attempts=1))
    errors = [abs(a.duration_ms - 5000) for r in result.journal.results for a in r.attempts]
    return pct(errors, 0.99), max(errors), result.report["timing"]["attempt_cut_error_ms"]["p99_ms"]


def main() -> None:
    note = machine_note()
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    factory = EventFactory(seed=1, start_time=START)
    events = [factory.build("FileUploadComplete", i) for i in range(args.events)]
    with receiver_process(status=500) as url:
        gaps = [gap_round(url, events) for _ in range(args.rounds)]
    with receiver_process(never=True) as url:
        cuts = [cut_round(url, events) for _ in range(args.rounds)]
    print(f"{args.events} events at once, {args.rounds} rounds {note}")
    for name, rows, nominal in (("retry gap error", gaps, "1.000 s after the failed attempt ended"),
                                ("attempt cut error", cuts, "5.000 s")):
        print(f"{name} vs {nominal}: p99 {median([r[0] for r in rows]):.1f} ms "
              f"(rounds {', '.join(f'{r[0]:.1f}' for r in rows)}), max {median([r[1] for r in rows]):.1f} ms; "
              f"the run's own figure p99 {median([r[2] for r in rows]):.1f} ms  (target p99 <= 20 ms)")


if __name__ == "__main__":
    main()
