"""A minimal receiver for benchmarks, run in its own process.

Prints its port on the first line of stdout, then answers every request with --status
(aiohttp), or with --never accepts connections, reads what comes, and never answers.
"""

from __future__ import annotations

import argparse
import asyncio
import resource

from aiohttp import web


async def answering(status: int) -> None:
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


class _Silent(asyncio.Protocol):
    """Accepts, reads whatever comes, never answers: the least a receiver can cost."""

    def data_received(self, data: bytes) -> None:
        pass


async def never() -> None:
    server = await asyncio.get_running_loop().create_server(_Silent, "127.0.0.1", 0, backlog=4096)
    print(server.sockets[0].getsockname()[1], flush=True)
    await asyncio.Event().wait()


def loop_factory():
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--status", type=int, default=200)
    parser.add_argument("--never", action="store_true")
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    with asyncio.Runner(loop_factory=loop_factory()) as runner:    # uvloop when installed, as the emulator
        runner.run(never() if args.never else answering(args.status))
