"""``trigger``: N events of one kind, delivered here or by a running server; the shared
run-and-print loop that ``run`` and ``replay`` use too."""

from __future__ import annotations

import asyncio
import dataclasses
import signal
import sys

import click

from ..errors import InputError
from ..providers import DEFAULT, NAMES, profile
from ..providers.aliyun.factory import parse_assignments
from ..run.faults import FaultPlan, parse_chaos
from ..run.journal import EventResult
from ..run.report import summary_lines, write_json
from ..run import text
from ..run.limit import DEFAULT_CONNECTIONS
from ..run.load import RateRamp
from ..run.session import RunResult, RunSettings, run_loop, run_timed
from ..run.sources import trigger_timeline
from .common import CONTEXT, delivery_options, new_seed, parse_time, settings_from
from .main import main
from .live import Live, progress_interval
from .output import fail_input, say


def remote(server: str, path: str, payload: dict, kw: dict) -> int:
    """POST a trigger/run to a server's control API; print the same per-attempt lines and
    summary as a local run (from the server's report); write --report."""
    import aiohttp
    if kw["junit_path"] or kw["journal_path"] or kw["targets"]:
        fail_input("with --server, the server's callback configuration decides the targets, and only --report "
                   "is written (the JSON report, fetched from the server)")
    base = server.rstrip("/")

    async def call() -> tuple[dict, dict]:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=None)) as session:
            async with session.post(f"{base}/_emulator/{path}", json=payload) as resp:
                doc = await resp.json(content_type=None)
                if resp.status >= 400:
                    err = doc.get("error", {}) if isinstance(doc, dict) else {}
                    fail_input(f"{server}: {err.get('code', resp.status)}: {err.get('message', doc)}")
            async with session.get(f"{base}{doc['report']}") as resp:
                report = await resp.json()
            return doc, report

    try:
        doc, report = asyncio.run(call())
    except aiohttp.ClientError as exc:
        fail_input(f"cannot reach the server at {server}: {exc}")
    except KeyboardInterrupt:
        say(f"interrupted: the run goes on on {server} (GET /_emulator/runs, DELETE /_emulator/runs/ID)")
        sys.exit(130)
    quiet = kw["quiet"]
    if not quiet:
        say(f"→ {doc['run_id']} on {server}: delivering by its callback configuration")
        events = report["summary"]["events"]
        for line in text.report_attempt_lines(report) if events <= 50 else []:
            say(line)
    for line in text.report_summary_lines(report):
        say(line)
    if doc["not_selected"]:
        skipped = ", ".join(f"{n} {kind}" for kind, n in sorted(doc["not_selected"].items()))
        say(f"not sent (not selected in the region's EventTypeList): {skipped}")
    if kw["report_path"]:
        write_json(report, kw["report_path"])
        say(f"report: {kw['report_path']}")
    return 0 if doc["ok"] else 1


def run_and_report(settings: RunSettings, timed, total: int | None, quiet: bool, plan: FaultPlan,
                   numbered: bool = False, timeline_s: float | None = None) -> int:
    """Apply the faults, release the events on their timeline with live output, print the
    summary; return the exit code.  ``timed`` yields (seconds, Event) in time order.

    On a terminal, runs over 50 events get a progress bar instead of one line per attempt;
    elsewhere (CI logs) a progress line is printed every 5 s."""
    show_each = not quiet and (total is None or total <= 50)
    tty = sys.stdout.isatty()
    bar = None
    if not quiet and not show_each and tty and total:
        bar = click.progressbar(length=total, label="delivering", file=sys.stdout)
    policy = settings.policy
    live = Live(max_attempts=policy.max_attempts, several_targets=len(settings.targets) > 1, show_attempts=show_each,
                planned=total, timeline_s=timeline_s, time_scale=policy.time_scale)
    if not quiet and timeline_s is not None:
        say(text.timeline_line(events=total, timeline_s=timeline_s, time_scale=policy.time_scale))

    def on_ready(urls: list[str]) -> None:
        if not quiet:
            where = "built-in receiver at " + urls[0] if not settings.targets else ", ".join(urls)
            say(f"→ delivering to {where}")

    def on_result(result: EventResult) -> None:
        live.on_result(result)
        if bar is not None:
            bar.update(1)

    signals: list[signal.Signals] = []

    async def go() -> RunResult:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, lambda sig=sig: (signals.append(sig), stop.set()))
        ticker = None
        if not quiet and not tty:       # CI logs: never silent for long
            ticker = asyncio.create_task(live.tick(progress_interval()))
        try:
            return await run_timed(settings, live.count(timed), plan, numbered=numbered, on_result=on_result,
                                   on_receive=live.on_receive, on_ready=on_ready, on_attempt=live.on_attempt,
                                   stop=stop)
        finally:
            if ticker is not None:
                ticker.cancel()

    try:
        result = run_loop(go())
    except InputError as exc:
        fail_input(str(exc))
    finally:
        if bar is not None:
            bar.render_finish()
    if signals:
        say(f"interrupted by {signals[0].name}: no further events released; the report is partial")
    for line in summary_lines(result.journal, policy=result.report["policy"], seed=settings.seed,
                              targets=result.report["targets"]):
        say(line)
    for label, path in (("report", settings.report_path), ("junit", settings.junit_path),
                        ("journal", settings.journal_path)):
        if path:
            say(f"{label}: {path}" + (" (interrupted)" if signals else ""))
    if signals:
        return 128 + signals[0].value          # 130 for Ctrl-C, 143 for SIGTERM
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
@click.option("--preset", metavar="NAME", help="Transcode preset of StreamTranscodeComplete/TranscodeComplete: "
              "mp4 (default), hls, hls-encrypted, hls-standard-encrypted, narrowband-hd, audio, adaptive, watermark.")
@click.option("--vary", is_flag=True, help="Draw each body from the shapes VOD has been seen to send (seeded; "
              "recorded per event in the report).")
@click.option("--rate", metavar="FROM..TO/s",
              help="Load profile instead of --count: send at a rate ramping FROM..TO per second (or one RATE/s) "
                   "over --over, in --steps; the summary gives the receiver's latency per step vs the timeout.")
@click.option("--over", default="60s", show_default=True, metavar="DURATION", help="Length of the --rate ramp.")
@click.option("--steps", type=click.IntRange(min=1), default=10, show_default=True, help="Steps of the --rate ramp.")
@delivery_options
def trigger(event_type: str, sets: tuple[str, ...], status: str, count: int, seed: int | None,
            start_time: str | None, provider: str, region: str | None, extend: str | None, preset: str | None,
            vary: bool, rate: str | None, over: str, steps: int, **kw) -> None:
    """Send one event of EVENT_TYPE (or --count N of them) by the documented delivery rules.

    \b
    Examples:
      vod-emulator trigger FileUploadComplete
      vod-emulator trigger TranscodeComplete --status fail --target http://127.0.0.1:8080/cb
      vod-emulator trigger StreamTranscodeComplete --set Definition=HD --count 100 --seed 7
      vod-emulator trigger TranscodeComplete --preset hls-encrypted --vary --seed 7
      vod-emulator trigger FileUploadComplete --rate 10..2000/s --over 60s --target http://127.0.0.1:8080/cb

    \b
    Exit codes: 0 every event delivered, 1 some were lost, 2 bad input or option,
    130/143 interrupted by Ctrl-C/SIGTERM (partial report written).
    """
    seed = new_seed() if seed is None else seed
    start = parse_time(start_time)
    if rate is not None and kw["server"]:
        fail_input("--rate runs from here, not on a server: drop --server")
    if rate is not None and count != 1:
        fail_input("--rate sets how many events are sent: drop --count")
    if kw["server"]:
        payload = {"event_type": event_type, "count": count, "status": status, "set": list(sets), "seed": seed,
                   "provider": provider, "region": region or profile(provider).default_region, "start_time": start.isoformat(), "time_scale": kw["time_scale"],
                   "timeout": kw["timeout"], "chaos": kw["chaos"] or ""}
        if kw["concurrency"] != DEFAULT_CONNECTIONS:     # else the server's own limit
            payload["concurrency"] = kw["concurrency"]
        if extend is not None:
            payload["extend"] = extend
        if preset is not None:
            payload["preset"] = preset
        if vary:
            payload["vary"] = True
        sys.exit(remote(kw["server"], "trigger", payload, kw))
    try:
        prof = profile(provider)
        region = region or prof.default_region
        kind = prof.resolve_kind(event_type)
        ramp = RateRamp.parse(rate, over, steps) if rate is not None else None
        count = ramp.count() if ramp else count
        timed = trigger_timeline(kind.name, count=count, seed=seed, start=start, region=region, provider=provider,
                                 ok=status == "success", extend=extend, overrides=parse_assignments(list(sets)),
                                 preset=preset, vary=vary, times=ramp.times() if ramp else None, worker=True)
        extra = {"event_type": kind.name, "count": count, "region": region, "status": status}
        if preset is not None:
            extra["preset"] = preset
        if vary:
            extra["vary"] = True
        settings = settings_from("trigger", kw, seed=seed, start=start, extra=extra)
        settings = dataclasses.replace(settings, provider=provider, load=ramp)
        settings.check()
        plan = parse_chaos(kw["chaos"] or "")
    except InputError as exc:
        fail_input(str(exc))
    sys.exit(run_and_report(settings, timed, count, kw["quiet"], plan))
