"""``receiver``: the built-in receiver on its own."""

from __future__ import annotations

import asyncio

import click

from .. import receiver as builtin
from .common import CONTEXT, until_signalled
from .main import main
from .output import fail_input, format_received, say


@main.command(context_settings=CONTEXT)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(0, 65535), default=9000, show_default=True)
@click.option("--auth-key", metavar="KEY",
              help="Check X-VOD-SIGNATURE (or Tencent's Sign) with this key; a bad or missing one is answered 403.")
@click.option("--log-only", is_flag=True, help="With --auth-key: only log a bad signature, answer as usual.")
@click.option("--public-url", metavar="URL", help="The callback URL senders sign, if not the one seen here.")
@click.option("--fail-first", type=click.IntRange(min=0), default=0, show_default=True,
              help="Answer --fail-status to the first N deliveries of each distinct body.")
@click.option("--fail-status", type=click.IntRange(100, 599), default=500, show_default=True)
@click.option("--status", type=click.IntRange(100, 599), default=200, show_default=True,
              help="Status to answer otherwise (anything but 200 counts as a failure).")
@click.option("--delay", type=click.FloatRange(min=0), default=0.0, show_default=True,
              help="Seconds to wait before answering (over 5 s: the sender's attempt times out).")
@click.option("--reset-first", type=click.IntRange(min=0), default=0, show_default=True,
              help="Reset the connection (no answer) on the first N deliveries of each distinct body.")
@click.option("--slow-body", type=click.FloatRange(min=0), default=0.0, show_default=True,
              help="Send the status at once, then trickle the body over this many seconds.")
@click.option("--fail-rate", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Answer --fail-status to this fraction of requests, drawn from --seed.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for --fail-rate.")
@click.option("--show-body", is_flag=True, help="Print each body too.")
def receiver(host: str, port: int, auth_key: str | None, log_only: bool, public_url: str | None, fail_first: int,
             fail_status: int, status: int, delay: float, reset_first: int, slow_body: float, fail_rate: float,
             seed: int, show_body: bool) -> None:
    """Run the built-in receiver: print what arrives, check signatures, misbehave on purpose.

    \b
    Exit codes: 0 stopped by Ctrl-C/SIGTERM, 2 bad option or the port cannot be used.
    """
    config = builtin.ReceiverConfig(auth_key=auth_key, fail_first=fail_first, fail_status=fail_status,
                                    status=status, delay=delay, public_url=public_url, reset_first=reset_first,
                                    slow_body=slow_body, fail_rate=fail_rate, seed=seed, log_only=log_only)

    def on_receive(rec: builtin.Received) -> None:
        say(format_received(rec))
        if show_body:
            say("    " + rec.body.decode("utf-8", "replace"))

    async def serve() -> None:
        app = builtin.create_app(config, on_receive=on_receive, keep=False)
        try:
            runner, url = await builtin.start(app, host, port)
        except OSError as exc:
            fail_input(f"cannot listen on {host}:{port}: {exc.strerror or exc}")
        say(f"receiver listening on {url}  (Ctrl-C to stop)")
        try:
            await until_signalled()
        finally:
            await runner.cleanup()
        say("receiver stopped")

    asyncio.run(serve())
