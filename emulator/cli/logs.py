"""``logs``: a running server's deliveries on the terminal, as ``trigger`` prints local ones."""

from __future__ import annotations

import asyncio
import json
import signal
from typing import Any

import click

from .common import CONTEXT
from .main import main
from .output import fail_input, say


def _print(records: list[dict[str, Any]], last_run: list[str]) -> None:
    from ..server.shared.feed import line
    for record in records:
        if record.get("run_id") != (last_run[0] if last_run else None):
            last_run[:] = [record.get("run_id")]
            say(f"→ {record.get('run_id')} (region {record.get('region')})")
        say(line(record))


@main.command(context_settings=CONTEXT)
@click.option("--server", required=True, metavar="URL", help="The running `vod-emulator serve`.")
@click.option("-f", "--follow", is_flag=True, help="Keep printing deliveries as they happen (Ctrl-C stops).")
@click.option("--since", type=click.IntRange(min=0), default=0, show_default=True,
              help="Only attempts after this feed number (each record's \"seq\").")
def logs(server: str, follow: bool, since: int) -> None:
    """Print the deliveries of a running server, one line per attempt (the last 2000 are kept)."""
    import aiohttp
    base = server.rstrip("/")
    last_run: list[str] = []

    async def show() -> None:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=None, sock_connect=10)) as session:
            if not follow:
                async with session.get(f"{base}/_emulator/deliveries", params={"since": since}) as resp:
                    if resp.status != 200:
                        fail_input(f"{server}: HTTP {resp.status} for /_emulator/deliveries")
                    _print((await resp.json())["records"], last_run)
                return
            async with session.get(f"{base}/_emulator/deliveries/stream", params={"since": since}) as resp:
                if resp.status != 200:
                    fail_input(f"{server}: HTTP {resp.status} for /_emulator/deliveries/stream")
                async for raw in resp.content:
                    text = raw.decode("utf-8", "replace")
                    if text.startswith("data: "):
                        _print([json.loads(text[6:])], last_run)

    async def until_stopped() -> None:
        task = asyncio.ensure_future(show())
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, task.cancel)
        try:
            await task
        except asyncio.CancelledError:
            pass

    try:
        asyncio.run(until_stopped())
    except aiohttp.ClientError as exc:
        fail_input(f"cannot reach the server at {server}: {exc}")
