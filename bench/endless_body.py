"""Peak memory of delivery against receivers that answer with an endless body: `vod-emulator
trigger --count N --concurrency N` (16 in flight by default) against a receiver process that
answers every POST with a status line and then streams body bytes until the client hangs up.
Target: peak RSS < 150 MB (the body is read up to 64 KiB, then the connection is closed).

    python bench/endless_body.py [--events 16] [--status 200|500]

With --status 500 every event takes its three attempts, each one against an endless body.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time

CHUNK = b"x" * 65536


async def endless(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, status: int) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                           if line.lower().startswith(b"content-length:")), 0)
            await reader.readexactly(length)
            writer.write(f"HTTP/1.1 {status} X\r\nContent-Type: text/plain\r\n"
                         "Transfer-Encoding: chunked\r\n\r\n".encode())
            frame = b"%x\r\n%s\r\n" % (len(CHUNK), CHUNK)
            while True:                 # until the client closes
                writer.write(frame)
                await writer.drain()
    except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
        pass
    finally:
        writer.close()


def serve(status: int) -> None:
    async def main() -> None:
        server = await asyncio.start_server(lambda r, w: endless(r, w, status), "127.0.0.1", 0)
        print(server.sockets[0].getsockname()[1], flush=True)
        await server.serve_forever()
    asyncio.run(main())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=16)
    parser.add_argument("--status", type=int, default=200)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.status)
        return
    rx = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--serve", "--status", str(args.status)],
                          stdout=subprocess.PIPE, text=True)
    try:
        url = f"http://127.0.0.1:{int(rx.stdout.readline())}/callback"
        code = ("import resource, sys; from emulator.cli import main\n"
                "try:\n    main()\nexcept SystemExit as e:\n"
                "    print('PEAK_KB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
                "    raise\n")
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", code, "trigger", "FileUploadComplete", "--target", url,
                               "--count", str(args.events), "--concurrency", str(args.events),
                               "--time-scale", "0.1", "-q"], capture_output=True, text=True, timeout=120)
        took = time.perf_counter() - t0
    finally:
        rx.terminate()
        rx.wait(timeout=10)
    if "PEAK_KB" not in proc.stderr:
        sys.exit(f"trigger failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    peak = int(proc.stderr.split("PEAK_KB")[1].split()[0]) / 1024
    print(proc.stdout.strip().splitlines()[0])
    print(f"{args.events} events in flight against endless {args.status} bodies: {took:.1f} s, "
          f"peak RSS {peak:.1f} MB (target < 150 MB)")


if __name__ == "__main__":
    main()
