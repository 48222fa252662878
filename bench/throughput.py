"""Throughput of `trigger --count N` vs a raw aiohttp client posting the same bodies.

Both sides use the same concurrency (connection limit) against the same receiver process
(an aiohttp app, on uvloop when installed), on the same event loop (uvloop when installed,
as the CLI).  The emulator side runs what
`trigger --count N --auth-key K --report R --journal J` runs: generation, schema validation,
signing, the attempt journal (to a file) and the JSON report.  Rounds are interleaved;
medians are printed with the ratio (target ≥ 1.0).

    python bench/throughput.py [--count 5000] [--concurrency 64] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from datetime import datetime, timezone

import aiohttp

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.common import machine_note, median, receiver_process, run  # noqa: E402
from emulator.delivery.http import TargetSpec  # noqa: E402
from emulator.delivery.policy import DeliveryPolicy  # noqa: E402
from emulator.providers.aliyun.factory import EventFactory  # noqa: E402
from emulator.run.session import RunSettings, execute, run_timed  # noqa: E402
from emulator.run.sources import trigger_timeline  # noqa: E402

START = datetime(2026, 1, 1, tzinfo=timezone.utc)
KIND = "StreamTranscodeComplete"


async def raw_client(url: str, bodies: list[bytes], concurrency: int) -> float:
    """The hand-written baseline: N workers sharing one aiohttp session."""
    it = iter(bodies)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        async def worker():
            for body in it:
                async with session.post(url, data=body, headers={"Content-Type": "application/json"},
                                        allow_redirects=False) as resp:
                    await resp.read()
                    assert resp.status == 200
        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return time.perf_counter() - t0


def settings(url: str, concurrency: int, workdir: str) -> RunSettings:
    return RunSettings(command="bench", targets=(TargetSpec(url, "Bench123key"),), policy=DeliveryPolicy(),
                       concurrency=concurrency, seed=1, start_time=START,
                       report_path=os.path.join(workdir, "report.json"),
                       journal_path=os.path.join(workdir, "journal.jsonl"))


async def trigger(url: str, count: int, concurrency: int, workdir: str) -> float:
    t0 = time.perf_counter()
    timed = trigger_timeline(KIND, count=count, seed=1, start=START, worker=True)   # as the CLI
    result = await run_timed(settings(url, concurrency, workdir), timed)
    took = time.perf_counter() - t0
    assert result.journal.counters.delivered == count, result.journal.counters
    return took


async def prebuilt(url: str, events: list, concurrency: int, workdir: str) -> float:
    t0 = time.perf_counter()
    result = await execute(settings(url, concurrency, workdir), events)
    took = time.perf_counter() - t0
    assert result.journal.counters.delivered == len(events), result.journal.counters
    return took


def main() -> None:
    note = machine_note()
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    factory = EventFactory(seed=1, start_time=START)
    events = [factory.build(KIND, i) for i in range(args.count)]
    bodies = [e.body for e in events]
    raw, emu, pre = [], [], []
    with receiver_process() as url, tempfile.TemporaryDirectory() as tmp:
        run(raw_client(url, bodies[:200], args.concurrency))  # warm-up
        for _ in range(args.rounds):
            raw.append(args.count / run(raw_client(url, bodies, args.concurrency)))
            emu.append(args.count / run(trigger(url, args.count, args.concurrency, tmp)))
            pre.append(args.count / run(prebuilt(url, events, args.concurrency, tmp)))
    raw_rate, emu_rate, pre_rate = median(raw), median(emu), median(pre)
    ratios = sorted(e / r for e, r in zip(emu, raw))
    print(f"events={args.count} ({KIND}) concurrency={args.concurrency} rounds={args.rounds} {note}")
    print(f"raw aiohttp client           : {raw_rate:8.0f} events/s  (baseline)")
    print(f"vod-emulator trigger --count : {emu_rate:8.0f} events/s  ratio {emu_rate / raw_rate:.2f}x "
          f"(per round {', '.join(f'{x:.2f}' for x in ratios)}; generate + validate + sign + journal + report; "
          "target >= 1.0)")
    print(f"vod-emulator, delivery path  : {pre_rate:8.0f} events/s  ratio {pre_rate / raw_rate:.2f}x "
          "(same pre-built events; sign + attempt records + journal + report)")


if __name__ == "__main__":
    main()
