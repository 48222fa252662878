"""``python -m emulator.server.mns``: the queue API alone on one port (tests, quick local use).

Prints one line, ``MNS http://HOST:PORT``, once it is listening (so ``--port 0`` can be
used), then serves until SIGINT/SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys

from aiohttp import web

from emulator.errors import InputError

from . import auth
from .app import KEEPALIVE_TIMEOUT, create_app
from .store import QueueStore


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m emulator.server.mns", description=__doc__.splitlines()[0])
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--data-dir", help="keep queues in DATA_DIR/mns.sqlite3 (survives restarts)")
    where.add_argument("--in-memory", action="store_true", help="keep queues in memory only")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0, help="0: any free port (printed)")
    p.add_argument("--access-key-id", default=auth.DEFAULT_ACCESS_KEY_ID)
    p.add_argument("--access-key-secret", default=auth.DEFAULT_ACCESS_KEY_SECRET)
    return p.parse_args(argv)


async def serve(args: argparse.Namespace) -> None:
    store = QueueStore() if args.in_memory else QueueStore.in_dir(args.data_dir)
    store.open()       # fail before listening if the data dir is unusable
    app = create_app(store, access_key_id=args.access_key_id, access_key_secret=args.access_key_secret)
    runner = web.AppRunner(app, access_log=None, keepalive_timeout=KEEPALIVE_TIMEOUT, shutdown_timeout=1.0)
    await runner.setup()
    try:
        site = web.TCPSite(runner, args.host, args.port)
        await site.start()
        host, port = runner.addresses[0][:2]
        print(f"MNS http://{host}:{port}", flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        await stop.wait()
    finally:
        await runner.cleanup()
        store.close()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        asyncio.run(serve(args))
    except (RuntimeError, InputError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
