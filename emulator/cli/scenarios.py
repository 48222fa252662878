"""``run``, ``validate`` and ``replay``: scenario files and recorded runs."""

from __future__ import annotations

import dataclasses
import os
import sys

import click
from click.core import ParameterSource

from ..errors import InputError
from ..run.faults import FaultPlan, parse_chaos
from ..run.sources import scenario_timeline
from .common import CONTEXT, delivery_options, new_seed, parse_time, settings_from
from .deliver import remote, run_and_report
from .main import main
from .output import fail_input, say


def load_scenarios(paths: tuple[str, ...], preset: str | None = None) -> list:
    """Load and check every file (schema, references, a dry build of the first media of
    each flow, with ``preset`` when given) before anything is delivered; all problems of
    all files are reported."""
    from ..scenario.loader import load
    from ..scenario.timeline import Timeline
    loaded, problems = [], []
    if preset is not None:
        from ..providers.aliyun.presets import preset as lookup
        try:
            lookup(preset)
        except InputError as exc:
            fail_input(f"--preset: {exc}")
    for path in map(shipped_or_path, paths):
        try:
            scenario = load(path)
            if preset is not None and scenario.provider != "aliyun":
                raise InputError("--preset names an Alibaba transcode preset; this scenario is "
                                 f"provider: {scenario.provider}")
            Timeline(scenario, seed=scenario.seed or 0, start_time=parse_time(None), preset=preset).dry_run()
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
@click.option("--preset", metavar="NAME", help="Transcode preset of the transcoding steps, instead of the file's "
              "preset: (a step's own preset: still wins), e.g. hls-encrypted.")
@click.option("--vary", is_flag=True, help="Vary body shapes (as vary: true in the file), seeded by the run's seed "
              "and recorded per event in the report.")
@delivery_options
def run(scenarios: tuple[str, ...], seed: int | None, start_time: str | None, preset: str | None, vary: bool,
        **kw) -> None:
    """Run scenario files: media flows delivered on their timeline by the documented rules.

    \b
    Every file is validated (schema, references, a dry build) before the first event leaves.

    \b
    Exit codes: 0 every event went as expected (delivered, unless the file expects it lost),
    1 some did not, 2 bad file or option, 130/143 interrupted by Ctrl-C/SIGTERM (partial report).

    \b
    Examples:
      vod-emulator run scenarios/quickstart.yaml
      vod-emulator run scenarios/*.yaml --time-scale 0.01 --junit out/junit.xml
      vod-emulator run quickstart --preset hls-encrypted --vary --report out/report.json
    """
    from ..scenario.timeline import Timeline
    given = click.get_current_context()
    loaded = load_scenarios(scenarios, preset)
    if kw["server"]:
        codes = []
        for scenario in loaded:
            payload = {"scenario": open(scenario.path, encoding="utf-8").read(), "name": scenario.name,
                       "time_scale": kw["time_scale"], "timeout": kw["timeout"], "chaos": kw["chaos"] or ""}
            if seed is not None:
                payload["seed"] = seed
            if start_time:
                payload["start_time"] = parse_time(start_time).isoformat()
            if preset is not None:
                payload["preset"] = preset
            if vary:
                payload["vary"] = True
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
        extra = {"scenario": scenario.name, "file": scenario.path, "events_planned": scenario.event_count}
        if preset or scenario.preset:
            extra["preset"] = preset or scenario.preset
        if vary or scenario.vary:
            extra["vary"] = True
        settings = settings_from("run", opts, seed=run_seed, start=start, extra=extra)
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
            say(f"▶ {scenario.name}: {scenario.event_count} events in {len(scenario.flows)} flow(s)"
                       f"{' — ' + scenario.description if scenario.description else ''}")
        timeline = Timeline(scenario, seed=run_seed, start_time=start, preset=preset, vary=True if vary else None)
        try:    # the first event built here, the rest in a worker process when there are many
            timeline_s = timeline.length()
            timed = scenario_timeline(timeline, count=scenario.event_count, worker=True)
        except InputError as exc:
            fail_input(str(exc))
        try:
            codes.append(run_and_report(settings, timed, scenario.event_count, kw["quiet"],
                                        scenario.faults + cli_plan, timeline_s=timeline_s))
        finally:
            timed.close()           # a run stopped early: its generator process ends now
        if codes[-1] >= 128:        # interrupted: the next files are not started
            sys.exit(codes[-1])
    sys.exit(max(codes))


@main.command(context_settings=CONTEXT)
@click.argument("scenarios", nargs=-1, required=True, metavar="SCENARIO...")
def validate(scenarios: tuple[str, ...]) -> None:
    """Check scenario files (schema, references, a dry build) without delivering anything.

    \b
    Exit codes: 0 every file is valid, 2 a file is not (each problem with file, line and path).
    """
    for scenario in load_scenarios(scenarios):
        say(f"ok  {scenario.path}: {scenario.name}, {len(scenario.flows)} flow(s), "
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
    A run whose callbacks were signed needs --auth-key again (keys are never stored).

    \b
    Exit codes: 0 every event went as expected, 1 some did not, 2 bad report or option,
    130/143 interrupted by Ctrl-C/SIGTERM (partial report written).
    """
    from ..run.replay import dispatches, load_report
    ignored = [name for name, key in (("--chaos", "chaos"), ("--server", "server")) if kw[key]]
    if ignored:
        fail_input(f"replay re-sends the recorded dispatches with their recorded faults: {', '.join(ignored)} "
                   "does not apply")
    try:
        doc = load_report(report)
        timed = list(dispatches(doc))
    except InputError as exc:
        fail_input(str(exc))
    run = doc.get("run", {})
    signed = any(t.get("signed") for t in doc.get("targets", []) if isinstance(t, dict))
    if signed and not kw["auth_key"]:
        fail_input(f"{report}: the recorded callbacks were signed, and the key is not stored in reports: "
                   "give it with --auth-key KEY")
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
        say(f"▶ replaying {len(timed)} dispatches of {events} events from {report}")
    # The recorded faults travel with the dispatches; nothing is decided again.
    sys.exit(run_and_report(settings, iter(timed), len(timed), kw["quiet"], FaultPlan(), numbered=True,
                            timeline_s=max((when for when, _ in timed), default=0.0)))

