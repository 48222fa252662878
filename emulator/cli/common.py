"""Pieces every command group uses: option sets, time and seed parsing, the signal wait."""

from __future__ import annotations

import asyncio
import random
import signal
from datetime import datetime, timezone

import click

from .. import receiver as builtin
from ..delivery.http import TargetSpec, TLSOptions
from ..delivery.policy import DeliveryPolicy
from ..providers import DEFAULT, NAMES
from ..run.limit import DEFAULT_CONNECTIONS
from ..run.session import RunSettings

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

PROVIDER_OPTION = click.option("--provider", type=click.Choice(NAMES), default=DEFAULT, show_default=True,
                               help="Which catalog: Alibaba ApsaraVideo VOD or Tencent Cloud VOD.")


async def until_signalled() -> None:
    """Return on SIGINT or SIGTERM (long-running commands: serve, receiver)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()



def parse_time(value: str | None) -> datetime:
    if value is None:
        return datetime.now(timezone.utc).replace(microsecond=0)
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO-8601 time such as 2026-01-01T00:00:00Z")
    return (dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)


def new_seed() -> int:
    return random.SystemRandom().randrange(1, 1_000_000)



def delivery_options(fn):
    """Options shared by every command that delivers events."""
    opts = [
        click.option("--target", "targets", multiple=True, metavar="URL",
                     help="Callback URL to POST to, or mns://[ID:SECRET@]HOST:PORT/QUEUE (repeatable). "
                          "Default: the built-in receiver."),
        click.option("--auth-key", metavar="KEY", help="Sign callbacks: X-VOD-TIMESTAMP + X-VOD-SIGNATURE."),
        click.option("--time-scale", type=click.FloatRange(min=0), default=1.0, show_default=True,
                     help="Multiply every wait (retry interval, delays); 0.01 runs 100x faster."),
        click.option("--timeout", type=click.FloatRange(min=0.001), default=5.0, show_default=True,
                     help="Cut each attempt after this many seconds (not scaled)."),
        click.option("--max-attempts", type=click.IntRange(min=1), default=3, show_default=True,
                     help="Attempts per event before it is lost (documented: 3)."),
        click.option("--retry-interval", type=click.FloatRange(min=0), default=1.0, show_default=True,
                     help="Seconds from a failed attempt to the next (documented: 1; scaled)."),
        click.option("--accept-2xx", is_flag=True,
                     help="Count any 2xx as success (default: 200 only, as Alibaba documents)."),
        click.option("--sign-placement", type=click.Choice(["body", "query", "headers"]), default="body",
                     show_default=True, help="Tencent PUSH: where Sign and T go when --auth-key (SignKey) is set."),
        click.option("--connection-limit", "--concurrency", "concurrency", type=click.IntRange(min=1),
                     default=DEFAULT_CONNECTIONS, show_default=True,
                     help="Most simultaneous connections (attempts). Delivery is open-loop: events leave at "
                          "their times; only a full limit delays them, and the summary says by how much."),
        click.option("--ca-bundle", type=click.Path(exists=True, dir_okay=False),
                     help="CA bundle (PEM) to verify HTTPS targets with."),
        click.option("--insecure", is_flag=True, help="Do not verify HTTPS certificates."),
        click.option("--report", "report_path", type=click.Path(dir_okay=False, writable=True),
                     help="Write the JSON report here."),
        click.option("--junit", "junit_path", type=click.Path(dir_okay=False, writable=True),
                     help="Write JUnit XML here (one test case per event; lost = failure)."),
        click.option("--journal", "journal_path", type=click.Path(dir_okay=False, writable=True),
                     help="Write one JSON line per attempt here, as it happens."),
        click.option("--receiver-fail-first", type=click.IntRange(min=0), default=0,
                     help="Built-in receiver: answer 500 to the first N deliveries of each event."),
        click.option("--receiver-status", type=click.IntRange(100, 599), default=200,
                     help="Built-in receiver: status to answer otherwise."),
        click.option("--receiver-delay", type=click.FloatRange(min=0), default=0.0,
                     help="Built-in receiver: seconds to wait before answering."),
        click.option("--receiver-reset-first", type=click.IntRange(min=0), default=0,
                     help="Built-in receiver: reset the connection on the first N deliveries of each event."),
        click.option("--receiver-slow-body", type=click.FloatRange(min=0), default=0.0,
                     help="Built-in receiver: trickle the response body over this many seconds."),
        click.option("--receiver-fail-rate", type=click.FloatRange(0, 1), default=0.0,
                     help="Built-in receiver: answer 500 to this fraction of requests (seeded)."),
        click.option("--server", metavar="URL",
                     help="Have a running `vod-emulator serve` generate the events and route them by its "
                          "callback configuration, instead of delivering from here."),
        click.option("--mns-body", type=click.Choice(["raw", "base64"]),
                     help="Message body for mns:// targets: the event JSON as is (default) or base64."),
        click.option("--chaos", metavar="SPEC",
                     help="Inject faults, seeded: duplicate=0.1,reorder=3,drop=0.05,jitter=0-2s,delay=1s,burst=5."),
        click.option("-q", "--quiet", is_flag=True, help="Only the summary."),
    ]
    for opt in reversed(opts):
        fn = opt(fn)
    return fn


def settings_from(command: str, kw: dict, *, seed: int, start: datetime, extra: dict) -> RunSettings:
    return RunSettings(
        command=command,
        targets=tuple(TargetSpec(url, kw["auth_key"]) for url in kw["targets"]),
        auth_key=kw["auth_key"],
        policy=DeliveryPolicy(timeout=kw["timeout"], time_scale=kw["time_scale"], max_attempts=kw["max_attempts"],
                              retry_interval=kw["retry_interval"]),
        concurrency=kw["concurrency"],
        tls=TLSOptions(ca_bundle=kw["ca_bundle"], verify=not kw["insecure"]),
        seed=seed,
        start_time=start,
        report_path=kw["report_path"],
        junit_path=kw["junit_path"],
        journal_path=kw["journal_path"],
        receiver=builtin.ReceiverConfig(auth_key=kw["auth_key"], fail_first=kw["receiver_fail_first"],
                                        status=kw["receiver_status"], delay=kw["receiver_delay"],
                                        reset_first=kw["receiver_reset_first"],
                                        slow_body=kw["receiver_slow_body"], fail_rate=kw["receiver_fail_rate"],
                                        seed=seed),
        extra=extra,
        mns_body=kw["mns_body"],
        sign_placement=kw["sign_placement"],
        accept_2xx=kw["accept_2xx"],
    )



# --help groups the many delivery options into sections; anything not listed stays under "Options".
SECTIONS: dict[str, tuple[str, ...]] = {
    "Target": ("targets", "server", "auth_key", "sign_placement", "mns_body", "ca_bundle", "insecure"),
    "Delivery": ("time_scale", "timeout", "max_attempts", "retry_interval", "accept_2xx", "concurrency"),
    "Built-in receiver": ("receiver_fail_first", "receiver_status", "receiver_delay", "receiver_reset_first",
                          "receiver_slow_body", "receiver_fail_rate"),
    "Report": ("report_path", "junit_path", "journal_path", "quiet"),
    "Chaos": ("chaos",),
}
SECTION_OF = {name: title for title, names in SECTIONS.items() for name in names}


class SectionedCommand(click.Command):
    """A command whose --help lists its options in sections (Options, Target, Delivery, …)."""

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        groups: dict[str, list[tuple[str, str]]] = {}
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx) if isinstance(param, click.Option) else None
            if record is not None:
                groups.setdefault(SECTION_OF.get(param.name or "", "Options"), []).append(record)
        for title in ("Options", *SECTIONS):
            if title in groups:
                with formatter.section(title):
                    formatter.write_dl(groups[title])
