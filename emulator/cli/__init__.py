"""The ``vod-emulator`` command line.  The only module that prints or configures logging.

Exit codes: 0 every event delivered; 1 an event was lost (or an expectation failed);
2 bad input or usage — and then nothing was delivered.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import os
import random
import signal
import sys
from datetime import datetime, timezone

import click
from click.core import ParameterSource

from .. import __version__
from .. import receiver as builtin
from ..providers.aliyun.factory import parse_assignments
from ..delivery.http import TargetSpec, TLSOptions
from ..delivery.policy import DeliveryPolicy
from ..errors import InputError
from ..run.journal import EventResult
from ..run.report import summary_lines, write_json
from ..run.faults import FaultPlan, parse_chaos
from ..providers import DEFAULT, NAMES, profile
from ..run.session import RunSettings, run_timed
from ..run.sources import trigger_timeline

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def say(line: str) -> None:
    """Print a line; if stdout went away (``| head``), keep running quietly."""
    try:
        click.echo(line)
    except (BrokenPipeError, ValueError):
        devnull = open(os.devnull, "w")
        os.dup2(devnull.fileno(), sys.stdout.fileno())


async def until_signalled() -> None:
    """Return on SIGINT or SIGTERM (long-running commands: serve, receiver)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()


def fail_input(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


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


def format_received(rec: builtin.Received) -> str:
    """``  ← 09:00:31 StreamTranscodeComplete  <id>  success LD  sig=ok  (copy 2)  → 200``."""
    sig = "" if rec.signature is None else f"  sig={rec.signature}"
    copy = "" if rec.copy == 1 else f"  (copy {rec.copy})"
    if rec.event_type is None:
        return f"  ← {rec.method} {rec.path} (not an event body){sig}  → {rec.status or 'connection reset'}"
    body = json.loads(rec.body)
    when = str(body.get("EventTime", ""))[11:19]
    detail = " ".join(str(body[k]) for k in ("Status", "Definition") if isinstance(body.get(k), str))
    answer = "connection reset" if rec.status == 0 else str(rec.status)
    return f"  ← {when:<8} {rec.event_type:<28} {rec.media_id or '':<33} {detail:<10}{sig}{copy}  → {answer}"


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, prog_name="vod-emulator")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
def main(verbose: int) -> None:
    """A local ApsaraVideo VOD: generates realistic event callbacks and delivers them by the
    documented rules (HTTP 200 only, 5 s timeout, 3 attempts 1 s apart, then lost)."""
    level = logging.WARNING - 10 * verbose
    logging.basicConfig(level=max(level, logging.DEBUG), format="%(levelname)s %(name)s: %(message)s")


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
        click.option("--concurrency", type=click.IntRange(min=1), default=16, show_default=True,
                     help="Events in flight at once."),
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


def remote(server: str, path: str, payload: dict, kw: dict) -> int:
    """POST a trigger/run to a server's control API; print its summary; write --report."""
    import aiohttp
    if kw["junit_path"] or kw["journal_path"] or kw["targets"]:
        fail_input("with --server, the server's callback configuration decides the targets, and only --report "
                   "is written (the JSON report, fetched from the server)")
    base = server.rstrip("/")

    async def call() -> tuple[dict, dict | None]:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=None)) as session:
            async with session.post(f"{base}/_emulator/{path}", json=payload) as resp:
                doc = await resp.json(content_type=None)
                if resp.status >= 400:
                    err = doc.get("error", {}) if isinstance(doc, dict) else {}
                    fail_input(f"{server}: {err.get('code', resp.status)}: {err.get('message', doc)}")
            report = None
            if kw["report_path"]:
                async with session.get(f"{base}{doc['report']}") as resp:
                    report = await resp.json()
            return doc, report

    try:
        doc, report = asyncio.run(call())
    except aiohttp.ClientError as exc:
        fail_input(f"cannot reach the server at {server}: {exc}")
    s = doc["summary"]
    say(f"{doc['run_id']} on {server}: {s['events']} events, {s['delivered']} delivered, {s['lost']} lost, "
        f"{s['dropped']} dropped, {s['attempts']} attempts; verdicts {doc['verdicts']}")
    if doc["not_selected"]:
        say(f"not sent (not selected in the region's EventTypeList): {doc['not_selected']}")
    if report is not None:
        write_json(report, kw["report_path"])
        say(f"report: {kw['report_path']}")
    return 0 if doc["ok"] else 1


def run_and_report(settings: RunSettings, timed, total: int | None, quiet: bool, plan: FaultPlan,
                   numbered: bool = False) -> int:
    """Apply the faults, release the events on their timeline with live output, print the
    summary; return the exit code.  ``timed`` yields (seconds, Event) in time order."""
    show_each = not quiet and (total is None or total <= 50)
    bar = None
    if not quiet and not show_each and sys.stdout.isatty() and total:
        bar = click.progressbar(length=total, label="delivering", file=sys.stdout)

    def on_ready(urls: list[str]) -> None:
        if not quiet:
            where = "built-in receiver at " + urls[0] if not settings.targets else ", ".join(urls)
            say(f"→ delivering to {where}")

    def on_result(result: EventResult) -> None:
        if bar is not None:
            bar.update(1)
        elif show_each and settings.targets:
            say(f"  {result.event.event_id} {result.event.kind:<30} {result.outcome}"
                       f" after {len(result.attempts)} attempt(s)")

    def on_receive(rec: builtin.Received) -> None:
        if show_each:
            say(format_received(rec))

    try:
        result = asyncio.run(run_timed(settings, timed, plan, numbered=numbered, on_result=on_result,
                                       on_receive=on_receive, on_ready=on_ready))
    except InputError as exc:
        fail_input(str(exc))
    finally:
        if bar is not None:
            bar.render_finish()
    for line in summary_lines(result.journal, policy=result.report["policy"], seed=settings.seed,
                              targets=result.report["targets"]):
        say(line)
    for label, path in (("report", settings.report_path), ("junit", settings.junit_path),
                        ("journal", settings.journal_path)):
        if path:
            say(f"{label}: {path}")
    return 0 if result.ok else 1


@main.command(context_settings=CONTEXT)
@click.argument("event_type", metavar="EVENT_TYPE")
@click.option("--set", "sets", multiple=True, metavar="FIELD=VALUE",
              help="Override a body field (JSON literal or text; dotted paths for nested: StreamInfos.0.Status).")
@click.option("--status", type=click.Choice(["success", "fail"]), default="success", show_default=True,
              help="Success or failure form of the event.")
@click.option("--count", type=click.IntRange(min=1), default=1, show_default=True, help="How many events.")
@click.option("--seed", type=int, help="Seed for the generated data (printed when not given).")
@click.option("--start-time", help="EventTime of the events, ISO-8601 UTC (default: now).")
@click.option("--provider", type=click.Choice(NAMES), default=DEFAULT, show_default=True,
              help="Whose events: Alibaba ApsaraVideo VOD or Tencent Cloud VOD.")
@click.option("--region", help="Storage region the URLs point at (default: cn-shanghai / ap-guangzhou).")
@click.option("--extend", help="Pass-through data: Extend (Alibaba, ≤ 512 bytes) or SessionContext (Tencent).")
@delivery_options
def trigger(event_type: str, sets: tuple[str, ...], status: str, count: int, seed: int | None,
            start_time: str | None, provider: str, region: str | None, extend: str | None, **kw) -> None:
    """Send one event of EVENT_TYPE (or --count N of them) by the documented delivery rules.

    \b
    Examples:
      vod-emulator trigger FileUploadComplete
      vod-emulator trigger TranscodeComplete --status fail --target http://127.0.0.1:8080/cb
      vod-emulator trigger StreamTranscodeComplete --set Definition=HD --count 100 --seed 7
    """
    seed = new_seed() if seed is None else seed
    start = parse_time(start_time)
    if kw["server"]:
        payload = {"event_type": event_type, "count": count, "status": status, "set": list(sets), "seed": seed,
                   "provider": provider, "region": region or profile(provider).default_region, "start_time": start.isoformat(), "time_scale": kw["time_scale"],
                   "timeout": kw["timeout"], "concurrency": kw["concurrency"], "chaos": kw["chaos"] or ""}
        if extend is not None:
            payload["extend"] = extend
        sys.exit(remote(kw["server"], "trigger", payload, kw))
    try:
        prof = profile(provider)
        region = region or prof.default_region
        kind = prof.resolve_kind(event_type)
        timed = trigger_timeline(kind.name, count=count, seed=seed, start=start, region=region, provider=provider,
                                 ok=status == "success", extend=extend, overrides=parse_assignments(list(sets)))
        settings = settings_from("trigger", kw, seed=seed, start=start,
                                 extra={"event_type": kind.name, "count": count, "region": region,
                                        "status": status})
        settings = dataclasses.replace(settings, provider=provider)
        settings.check()
        plan = parse_chaos(kw["chaos"] or "")
    except InputError as exc:
        fail_input(str(exc))
    sys.exit(run_and_report(settings, timed, count, kw["quiet"], plan))


def load_scenarios(paths: tuple[str, ...]) -> list:
    """Load and check every file (schema, references, a dry build of the first media of
    each flow) before anything is delivered; all problems of all files are reported."""
    from ..scenario.loader import load
    from ..scenario.timeline import Timeline
    loaded, problems = [], []
    for path in map(shipped_or_path, paths):
        try:
            scenario = load(path)
            Timeline(scenario, seed=scenario.seed or 0, start_time=parse_time(None)).dry_run()
            loaded.append(scenario)
        except InputError as exc:
            problems.append(str(exc) if str(exc).startswith(path) else f"{path}: {exc}")
    if problems:
        fail_input("\n".join(problems))
    return loaded


def shipped_or_path(arg: str) -> str:
    """A path as given, or the name of a shipped scenario (``quickstart``) when no such file exists."""
    if os.path.exists(arg) or os.sep in arg or arg.endswith((".yaml", ".yml", ".json")):
        return arg
    from ..providers.schemas import schemas_dir
    shipped = schemas_dir().parent / "scenarios" / f"{arg}.yaml"
    return str(shipped) if shipped.is_file() else arg


def per_file(path: str | None, name: str, many: bool) -> str | None:
    """With several scenarios, ``out.json`` becomes ``out.<scenario>.json``."""
    if path is None or not many:
        return path
    stem, dot, ext = path.rpartition(".")
    return f"{stem}.{name}.{ext}" if dot else f"{path}.{name}"


@main.command(context_settings=CONTEXT)
@click.argument("scenarios", nargs=-1, required=True, metavar="SCENARIO...")
@click.option("--seed", type=int, help="Override the file's seed (printed when neither gives one).")
@click.option("--start-time", help="Override the file's start time, ISO-8601 UTC (default: now).")
@delivery_options
def run(scenarios: tuple[str, ...], seed: int | None, start_time: str | None, **kw) -> None:
    """Run scenario files: media flows delivered on their timeline by the documented rules.

    \b
    Every file is validated (schema, references, a dry build) before the first event leaves.
    Exit 0 when every event went as expected (delivered, unless the file expects it lost),
    1 otherwise, 2 for a bad file or option.

    \b
    Examples:
      vod-emulator run scenarios/quickstart.yaml
      vod-emulator run scenarios/*.yaml --time-scale 0.01 --junit out/junit.xml
    """
    from ..scenario.timeline import Timeline
    given = click.get_current_context()
    loaded = load_scenarios(scenarios)
    if kw["server"]:
        codes = []
        for scenario in loaded:
            payload = {"scenario": open(scenario.path, encoding="utf-8").read(), "name": scenario.name,
                       "time_scale": kw["time_scale"], "timeout": kw["timeout"], "chaos": kw["chaos"] or ""}
            if seed is not None:
                payload["seed"] = seed
            if start_time:
                payload["start_time"] = parse_time(start_time).isoformat()
            codes.append(remote(kw["server"], "run", payload, kw))
        sys.exit(max(codes))
    try:
        cli_plan = parse_chaos(kw["chaos"] or "")
    except InputError as exc:
        fail_input(str(exc))
    codes = []
    for scenario in loaded:
        run_seed = seed if seed is not None else scenario.seed if scenario.seed is not None else new_seed()
        start = parse_time(start_time) if start_time else scenario.start_time or parse_time(None)
        opts = dict(kw)
        for name in ("timeout", "time_scale", "concurrency"):   # the file's, unless given here
            from_file = getattr(scenario.delivery, name)
            if from_file is not None and given.get_parameter_source(name) is ParameterSource.DEFAULT:
                opts[name] = from_file
        many = len(loaded) > 1
        opts["report_path"] = per_file(kw["report_path"], scenario.name, many)
        opts["junit_path"] = per_file(kw["junit_path"], scenario.name, many)
        opts["journal_path"] = per_file(kw["journal_path"], scenario.name, many)
        settings = settings_from("run", opts, seed=run_seed, start=start,
                                 extra={"scenario": scenario.name, "file": scenario.path,
                                        "events_planned": scenario.event_count})
        settings = dataclasses.replace(settings, provider=scenario.provider)
        if not kw["targets"] and scenario.targets:
            settings = dataclasses.replace(settings, targets=scenario.targets)
        receiver_flags = [n for n in given.params if n.startswith("receiver_")]
        if scenario.receiver and all(given.get_parameter_source(n) is ParameterSource.DEFAULT for n in receiver_flags):
            settings = dataclasses.replace(settings, receiver=dataclasses.replace(
                scenario.receiver, auth_key=kw["auth_key"], seed=run_seed))
        try:
            settings.check()
        except InputError as exc:
            fail_input(f"{scenario.path}: {exc}")
        if not kw["quiet"]:
            click.echo(f"▶ {scenario.name}: {scenario.event_count} events in {len(scenario.flows)} flow(s)"
                       f"{' — ' + scenario.description if scenario.description else ''}")
        timeline = Timeline(scenario, seed=run_seed, start_time=start)
        codes.append(run_and_report(settings, timeline, scenario.event_count, kw["quiet"],
                                    scenario.faults + cli_plan))
    sys.exit(max(codes))


@main.command(context_settings=CONTEXT)
@click.argument("scenarios", nargs=-1, required=True, metavar="SCENARIO...")
def validate(scenarios: tuple[str, ...]) -> None:
    """Check scenario files (schema, references, a dry build) without delivering anything."""
    for scenario in load_scenarios(scenarios):
        click.echo(f"ok  {scenario.path}: {scenario.name}, {len(scenario.flows)} flow(s), "
                   f"{scenario.event_count} events")


@main.command(context_settings=CONTEXT)
@click.argument("report", type=click.Path(dir_okay=False))
@delivery_options
def replay(report: str, **kw) -> None:
    """Re-send exactly the events of an earlier run from its --report: same bodies, same order,
    same faults (duplicates, drops, delays) — to reproduce a CI failure locally.

    \b
    Targets: --target, else the report's HTTP targets, else the built-in receiver.
    Use --concurrency 1 for the receiver to see the exact recorded order.
    """
    from ..run.replay import dispatches, load_report
    try:
        doc = load_report(report)
        timed = list(dispatches(doc))
    except InputError as exc:
        fail_input(str(exc))
    run = doc.get("run", {})
    opts = dict(kw)
    if not kw["targets"] and not run.get("builtin_receiver", True):
        opts["targets"] = tuple(t["url"] for t in doc.get("targets", []) if t.get("type") == "http")
    settings = settings_from("replay", opts, seed=run.get("seed"), start=parse_time(run.get("start_time")),
                             extra={"replay_of": report, "keep_results": True})
    try:
        settings.check()
    except InputError as exc:
        fail_input(str(exc))
    events = len({e.event_id for _, e in timed})
    if not kw["quiet"]:
        click.echo(f"▶ replaying {len(timed)} dispatches of {events} events from {report}")
    # The recorded faults travel with the dispatches; nothing is decided again.
    sys.exit(run_and_report(settings, iter(timed), len(timed), kw["quiet"], FaultPlan(), numbered=True))


@main.command(context_settings=CONTEXT)
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on (loopback by default).")
@click.option("--port", type=click.IntRange(0, 65535), default=9100, show_default=True, help="0: any free port.")
@click.option("--data-dir", type=click.Path(file_okay=False),
              help="Where queues and callback settings persist (default: $XDG_DATA_HOME/vod-emulator).")
@click.option("--in-memory", is_flag=True, help="Keep nothing on disk (throwaway runs).")
@click.option("--config", "config_file", type=click.Path(exists=True, dir_okay=False),
              help="YAML with 'callbacks' (per region) and 'queues' to set up at start.")
@click.option("--access-key-id", default=None, help="AccessKeyId the MNS API accepts (default: vod-emulator).")
@click.option("--access-key-secret", default=None, help="Its secret (default: vod-emulator-secret).")
@click.option("--secret-id", default=None, help="SecretId the Tencent API 3.0 accepts (default: vod-emulator).")
@click.option("--secret-key", default=None, help="Its SecretKey (default: vod-emulator-secret).")
@click.option("--time-scale", type=click.FloatRange(min=0.001), default=1.0, show_default=True,
              help="Scale the Tencent queue's waits (PullEvents' 5 s hold, the 30 s confirm window) for fast tests.")
def serve(host: str, port: int, data_dir: str | None, in_memory: bool, config_file: str | None,
          access_key_id: str | None, access_key_secret: str | None, secret_id: str | None,
          secret_key: str | None, time_scale: float) -> None:
    """Run the fake VOD service: an MNS-compatible queue API the real aliyun-mns-sdk consumes, the
    Tencent reliable-callback API (PullEvents/ConfirmEvents) the real tencentcloud SDK calls, and the
    /_emulator/ control API (callback configuration, trigger, run, inspect)."""
    from pathlib import Path

    from ..server.mns import auth
    from ..server.app import ServeConfig, default_data_dir, start
    from ..server.tencent_api import tc3
    if in_memory and data_dir:
        fail_input("--data-dir and --in-memory exclude each other")
    config = ServeConfig(data_dir=None if in_memory else Path(data_dir) if data_dir else default_data_dir(),
                         access_key_id=access_key_id or auth.DEFAULT_ACCESS_KEY_ID,
                         access_key_secret=access_key_secret or auth.DEFAULT_ACCESS_KEY_SECRET,
                         config_file=Path(config_file) if config_file else None,
                         secret_id=secret_id or tc3.DEFAULT_SECRET_ID, secret_key=secret_key or tc3.DEFAULT_SECRET_KEY,
                         tencent_time_scale=time_scale)

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
        say(f"  control API   {url}/_emulator/health")
        say(f"  data          {config.data_dir or 'in memory'}")
        try:
            await until_signalled()
        finally:
            await runner.cleanup()
            state.close()
        say("stopped")

    asyncio.run(main_loop())


@main.group(context_settings=CONTEXT)
def events() -> None:
    """Browse the event catalog."""


PROVIDER_OPTION = click.option("--provider", type=click.Choice(NAMES), default=DEFAULT, show_default=True,
                               help="Which catalog: Alibaba ApsaraVideo VOD or Tencent Cloud VOD.")


@events.command("list", context_settings=CONTEXT)
@PROVIDER_OPTION
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def events_list(provider: str, as_json: bool) -> None:
    """List every event type that can be triggered."""
    prof = profile(provider)
    kinds = prof.catalog.KINDS
    if as_json:
        click.echo(json.dumps([{"name": k.name, "event_type": k.event_type, "id_field": k.media_field,
                                "summary": k.summary, "doc": k.doc}
                               | ({"status": [k.success, k.failure]} if hasattr(k, "success") else {})
                               for k in kinds], indent=2))
        return
    for k in kinds:
        click.echo(f"{k.name:<36} {k.summary}")
    click.echo(f"\n{len(kinds)} event types ({prof.title}). 'vod-emulator events show TYPE' for fields.")


@events.command("show", context_settings=CONTEXT)
@PROVIDER_OPTION
@click.argument("event_type", metavar="TYPE")
def events_show(provider: str, event_type: str) -> None:
    """Show an event type's fields, status words and documentation link."""
    from ..providers import schemas
    try:
        prof = profile(provider)
        kind = prof.resolve_kind(event_type)
    except InputError as exc:
        fail_input(str(exc))
    schema = schemas.load_schema(provider, kind.event_type)
    required = set(schema.get("required", []))
    click.echo(f"{kind.name} — {kind.summary}  ({prof.title})")
    status = f"    Status: {kind.success} | {kind.failure}" if hasattr(kind, "success") else ""
    click.echo(f"EventType: {kind.event_type}    id field: {kind.media_field}{status}")
    click.echo(f"docs: {kind.doc}")
    if not getattr(kind, "fail_sent_by_service", True):
        click.echo("note: the service sends no notification for a failed upload; the fail form exists for tests")
    params = prof.params.get(kind.name, {})
    click.echo("fields:")
    for name in sorted(schemas.known_fields(provider, kind.event_type), key=lambda n: (n not in required, n)):
        click.echo(f"  {name}{' (required)' if name in required else ''}")
    if params:
        click.echo("generator knobs (params: in scenarios):")
        for name, text in params.items():
            click.echo(f"  {name}: {text}")


@events.command("sample", context_settings=CONTEXT)
@PROVIDER_OPTION
@click.argument("event_type", metavar="TYPE")
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--status", type=click.Choice(["success", "fail"]), default="success", show_default=True)
@click.option("--start-time", help="EventTime, ISO-8601 UTC (default: now).")
@click.option("--region", help="Storage region (default: the provider's usual one).")
@click.option("--set", "sets", multiple=True, metavar="FIELD=VALUE", help="Override a body field.")
def events_sample(provider: str, event_type: str, seed: int, status: str, start_time: str | None,
                  region: str | None, sets: tuple[str, ...]) -> None:
    """Print a generated body of TYPE (validated against its schema), without sending it."""
    try:
        prof = profile(provider)
        kind = prof.resolve_kind(event_type)
        event = prof.factory(seed=seed, start_time=parse_time(start_time), region=region or prof.default_region).build(
            kind.name, 0, ok=status == "success", overrides=parse_assignments(list(sets)))
    except InputError as exc:
        fail_input(str(exc))
    click.echo(json.dumps(event.payload(), ensure_ascii=False, indent=2))


@main.command(context_settings=CONTEXT)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=click.IntRange(0, 65535), default=9000, show_default=True)
@click.option("--auth-key", metavar="KEY", help="Check X-VOD-SIGNATURE with this key.")
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
def receiver(host: str, port: int, auth_key: str | None, public_url: str | None, fail_first: int,
             fail_status: int, status: int, delay: float, reset_first: int, slow_body: float, fail_rate: float,
             seed: int, show_body: bool) -> None:
    """Run the built-in receiver: print what arrives, check signatures, misbehave on purpose."""
    config = builtin.ReceiverConfig(auth_key=auth_key, fail_first=fail_first, fail_status=fail_status,
                                    status=status, delay=delay, public_url=public_url, reset_first=reset_first,
                                    slow_body=slow_body, fail_rate=fail_rate, seed=seed)

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
        click.echo(f"receiver listening on {url}  (Ctrl-C to stop)")
        try:
            await until_signalled()
        finally:
            await runner.cleanup()
        click.echo("receiver stopped")

    asyncio.run(serve())


if __name__ == "__main__":  # pragma: no cover
    main()
