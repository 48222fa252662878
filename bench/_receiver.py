"""A minimal aiohttp receiver for benchmarks, run in its own process.

Prints its port on the first line of stdout, then answers every request with --status.
"""

from __future__ import annotations

import argparse
import asyncio

from aiohttp import web


async def main(status: int) -> None:
    async def handle(request: web.Request) -> web.Response:
        await request.read()
        return web.Response(status=status, text="ok")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, backlog=4096)
    await site.start()
    print(runner.addresses[0][1], flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--status", type=int, default=200)
    asyncio.run(main(parser.parse_args().status))
