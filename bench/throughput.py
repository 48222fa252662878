"""Throughput of `trigger --count N` vs a raw aiohttp client posting the same bodies.

Both sides use the same concurrency against the same receiver process.  The emulator side
runs the real pipeline: generation, schema validation, signing, the attempt journal (to a
file) and the JSON report.  Prints events/s for each and the ratio (target ≥ 0.9).

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

from bench.common import receiver_process  # noqa: E402
from emulator.providers.aliyun.factory import EventFactory  # noqa: E402
from emulator.delivery.policy import DeliveryPolicy  # noqa: E402
from emulator.delivery.http import TargetSpec  # noqa: E402
from emulator.run.session import RunSettings, execute  # noqa: E402

START = datetime(2026, 1, 1, tzinfo=timezone.utc)
KIND = "StreamTranscodeComplete"


async def raw_client(url: str, bodies: list[bytes], concurrency: int) -> float:
    queue: asyncio.Queue = asyncio.Queue()
    for b in bodies:
        queue.put_nowait(b)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        async def worker():
            while not queue.empty():
                body = queue.get_nowait()
                async with session.post(url, data=body, headers={"Content-Type": "application/json"},
                                        allow_redirects=False) as resp:
                    await resp.read()
                    assert resp.status == 200
        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return time.perf_counter() - t0


async def emulator_run(url: str, count: int, concurrency: int, workdir: str, prebuilt: list | None = None) -> float:
    factory = EventFactory(seed=1, start_time=START)
    settings = RunSettings(command="bench", targets=(TargetSpec(url, "Bench123key"),), policy=DeliveryPolicy(),
                           concurrency=concurrency, seed=1, start_time=START,
                           report_path=os.path.join(workdir, "report.json"),
                           journal_path=os.path.join(workdir, "journal.jsonl"))
    source = prebuilt if prebuilt is not None else (factory.build(KIND, i) for i in range(count))
    t0 = time.perf_counter()
    result = await execute(settings, source)
    took = time.perf_counter() - t0
    assert result.journal.counters.delivered == count, result.journal.counters
    return took


def main() -> None:
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
        asyncio.run(raw_client(url, bodies[:200], args.concurrency))  # warm-up
        for _ in range(args.rounds):
            raw.append(asyncio.run(raw_client(url, bodies, args.concurrency)))
            emu.append(asyncio.run(emulator_run(url, args.count, args.concurrency, tmp)))
            pre.append(asyncio.run(emulator_run(url, args.count, args.concurrency, tmp, prebuilt=events)))
    raw_rate, emu_rate, pre_rate = (args.count / min(x) for x in (raw, emu, pre))
    print(f"events={args.count} ({KIND}) concurrency={args.concurrency} rounds={args.rounds} (best of each)")
    print(f"raw aiohttp client           : {raw_rate:8.0f} events/s  (baseline)")
    print(f"vod-emulator, end to end     : {emu_rate:8.0f} events/s  ratio {emu_rate / raw_rate:.2f}x "
          "(generate + validate + sign + journal + report; target >= 0.90)")
    print(f"vod-emulator, delivery path  : {pre_rate:8.0f} events/s  ratio {pre_rate / raw_rate:.2f}x "
          "(same pre-built events; sign + attempt records + journal + report)")


if __name__ == "__main__":
    main()
