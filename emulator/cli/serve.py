"""``serve``: the long-running fake cloud on one port."""

from __future__ import annotations

import asyncio
import logging

import click

from ..errors import InputError
from .common import CONTEXT, until_signalled
from .main import main
from .output import fail_input, say


@main.command(context_settings=CONTEXT)
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on (loopback by default).")
@click.option("--port", type=click.IntRange(0, 65535), default=9100, show_default=True, help="0: any free port.")
@click.option("--data-dir", type=click.Path(file_okay=False),
              help="Where queues and callback settings persist (default: $XDG_DATA_HOME/vod-emulator).")
@click.option("--in-memory", is_flag=True, help="Keep nothing on disk (throwaway runs).")
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False),
              help="YAML with 'callbacks' (per region), 'queues' to set up at start, and 'vod' (processing profiles).")
@click.option("--access-key-id", default=None, help="AccessKeyId the MNS API accepts (default: vod-emulator).")
@click.option("--access-key-secret", default=None, help="Its secret (default: vod-emulator-secret).")
@click.option("--secret-id", default=None, help="SecretId the Tencent API 3.0 accepts (default: vod-emulator).")
@click.option("--secret-key", default=None, help="Its SecretKey (default: vod-emulator-secret).")
@click.option("--time-scale", type=click.FloatRange(min=0.001), default=1.0, show_default=True,
              help="Scale the Tencent queue's waits (PullEvents' 5 s hold, the 30 s confirm window) for fast tests.")
@click.option("--vod-time-scale", type=click.FloatRange(min=0), default=None,
              help="Scale the VOD processing profile's times and the callbacks' retry waits (0: at once; default: "
                   "the config file's vod.time_scale, else 1).")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="Accept this Host/Origin name besides loopback (repeatable; '*': any host — only on a trusted "
                   "network).")
@click.option("--scenarios", "scenario_dirs", multiple=True, type=click.Path(exists=True, file_okay=False),
              help="A directory whose scenario files POST /_emulator/run may name by path (repeatable).")
@click.option("--max-runs", type=click.IntRange(min=1), default=4, show_default=True,
              help="Control-API runs at once (one more is answered 429).")
@click.option("--max-run-events", type=click.IntRange(min=1), default=20_000, show_default=True,
              help="Events one control-API run may have.")
@click.option("-v", "--verbose", is_flag=True,
              help="One line per delivery attempt and per API call (deliveries as `trigger` prints them).")
def serve(host: str, port: int, data_dir: str | None, in_memory: bool, config_file: str | None,
          access_key_id: str | None, access_key_secret: str | None, secret_id: str | None,
          secret_key: str | None, time_scale: float, vod_time_scale: float | None, allow_hosts: tuple[str, ...],
          scenario_dirs: tuple[str, ...],
          max_runs: int, max_run_events: int, verbose: bool) -> None:
    """Run the fake VOD service: the ApsaraVideo VOD OpenAPI and an OSS upload stand-in your application's
    unchanged SDKs call, an MNS-compatible queue API the real aliyun-mns-sdk consumes, the Tencent
    reliable-callback API (PullEvents/ConfirmEvents) the real tencentcloud SDK calls, and the
    /_emulator/ control API (callback configuration, media library, trigger, run, inspect).

    \b
    Only loopback Host/Origin names are accepted unless --allow-host names more.
    Exit codes: 0 stopped by Ctrl-C/SIGTERM, 2 cannot start (bad option or config file,
    port taken, data dir unusable: the line says which and why).
    """
    from pathlib import Path

    from ..server.mns import auth
    from ..server.app import ServeConfig, default_data_dir, start
    from ..server.control.runs import RunLimits
    from ..server.tencent_api import tc3
    if in_memory and data_dir:
        fail_input("--data-dir and --in-memory exclude each other")
    config = ServeConfig(data_dir=None if in_memory else Path(data_dir) if data_dir else default_data_dir(),
                         access_key_id=access_key_id or auth.DEFAULT_ACCESS_KEY_ID,
                         access_key_secret=access_key_secret or auth.DEFAULT_ACCESS_KEY_SECRET,
                         config_file=Path(config_file) if config_file else None,
                         secret_id=secret_id or tc3.DEFAULT_SECRET_ID, secret_key=secret_key or tc3.DEFAULT_SECRET_KEY,
                         tencent_time_scale=time_scale, vod_time_scale=vod_time_scale, allow_hosts=allow_hosts,
                         scenario_dirs=tuple(Path(d) for d in scenario_dirs),
                         run_limits=RunLimits(max_running=max_runs, max_events=max_run_events))

    if verbose:
        log_lines()

    async def main_loop() -> None:
        try:
            runner, state, url = await start(config, host, port)
        except InputError as exc:
            fail_input(str(exc))
        except OSError as exc:
            fail_input(f"cannot start on {host}:{port}: {exc.strerror or exc}")
        say(f"vod-emulator serving on {url}")
        say(f"  MNS endpoint  {url}  (AccessKeyId {config.access_key_id})")
        say(f"  Tencent API   {url}/  (PullEvents, ConfirmEvents, …; SecretId {config.secret_id})")
        say(f"  VOD OpenAPI   {url}  (endpoint {url.split('://', 1)[1]}, protocol http; same key pair as MNS)")
        say(f"  OSS uploads   {url}  (UploadAddress.Endpoint of CreateUploadVideo & co.)")
        say(f"  control API   {url}/_emulator/health")
        say(f"  inspector     {url}/_emulator/ui")
        say(f"  data          {config.data_dir or 'in memory'}")
        try:
            await until_signalled()
        finally:
            await runner.cleanup()
            state.close()
        say("stopped")

    asyncio.run(main_loop())



class SayHandler(logging.Handler):
    """Log records as plain output lines (``serve -v``)."""

    def emit(self, record: logging.LogRecord) -> None:
        say(self.format(record))


def log_lines() -> None:
    for name, fmt in (("emulator.server.deliveries", "%(message)s"), ("emulator.server.api", "  api %(message)s")):
        logger = logging.getLogger(name)
        handler = SayHandler()
        handler.setFormatter(logging.Formatter(fmt))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
