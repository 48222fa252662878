"""Scenario files (YAML or JSON) → a checked :class:`~emulator.scenario.model.Scenario`.

Reading goes in passes, each collecting every problem it can before the next starts:
YAML → data with a line per path; ``${env:…}`` resolved and ``${step.…}`` parsed; the
JSON Schema (``schemas/scenario.schema.json``); then the checks that need the catalog or
the other steps.  Whatever the input, the only exception is :class:`ScenarioError`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path as FilePath
from typing import Any

from ..delivery.targets import check_target_url
from . import _schema, _yaml
from .flows import build_flow, duration
from .model import Delivery, Scenario, TargetSpec
from .problems import Problem, Problems, ScenarioError
from .refs import interpolate
from ..providers import profile
from ..errors import did_you_mean
from ..run.faults import FaultPlan, Selector, rule
from ..receiver import ReceiverConfig

__all__ = ["Problem", "ScenarioError", "load", "loads"]

VERSION = 1
DEFAULT_PROVIDER = "aliyun"
MAX_BYTES = 1024 * 1024    # scenarios are short (repeat/every make the volume); read no more than this


def load(path: str | os.PathLike[str], *, env: Mapping[str, str] | None = None) -> Scenario:
    """Read and check the scenario file at ``path``; raises :class:`ScenarioError`."""
    label = os.fspath(path)
    try:
        with open(label, "rb") as fh:
            raw = fh.read(MAX_BYTES + 1)      # capped before anything is parsed (/dev/zero, huge files)
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ScenarioError([Problem(label, 0, "$", f"cannot read the file: {reason}")]) from None
    if len(raw) > MAX_BYTES:
        raise ScenarioError([Problem(label, 0, "$", f"larger than {MAX_BYTES // 1024} KiB: not a scenario file "
                                                    "(use 'repeat' and 'every' for volume)")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ScenarioError([Problem(label, line, "$", f"not UTF-8 text (byte {exc.start})")]) from None
    return loads(text, name=label, env=env)


def loads(text: str, *, name: str = "<string>", env: Mapping[str, str] | None = None) -> Scenario:
    """Check scenario ``text``; ``name`` is the file named in messages (its stem, the default name)."""
    problems = Problems(name)
    if len(text) > MAX_BYTES:
        problems.add((), f"larger than {MAX_BYTES // 1024} KiB: not a scenario (use 'repeat' and 'every' for volume)")
        problems.check()
    document = _yaml.parse(text, problems)
    problems.check()
    if not isinstance(document, dict):
        problems.add((), f"expected a mapping with 'version' and 'flows', got {_schema.describe(document)}")
        problems.check()
    document = interpolate(document, os.environ if env is None else env, problems)
    _schema.check(document, problems)
    problems.check()
    scenario = _scenario(document, name, problems)
    problems.check()
    return scenario


def _scenario(doc: dict[str, Any], label: str, problems: Problems) -> Scenario:
    provider = doc.get("provider", DEFAULT_PROVIDER)
    flows = []
    first_line: dict[str, int] = {}
    for i, raw in enumerate(doc["flows"]):
        path = ("flows", i)
        if raw["name"] in first_line:
            problems.add(path + ("name",), f"duplicate flow name {raw['name']!r} "
                                           f"(first at line {first_line[raw['name']]})")
        first_line.setdefault(raw["name"], problems.line(path))
        flows.append(build_flow(raw, path, problems, provider, doc.get("preset")))
    return Scenario(
        path=label,
        name=doc.get("name") or FilePath(label).stem,
        description=doc.get("description", ""),
        version=VERSION,
        provider=provider,
        region=doc.get("region", profile(provider).default_region),
        seed=int(doc["seed"]) if "seed" in doc else None,
        start_time=_start_time(doc.get("start_time"), problems),
        targets=_targets(doc, problems),
        delivery=_delivery(doc.get("delivery", {}), problems),
        flows=tuple(flows),
        faults=_faults(doc.get("faults", []), flows, problems, profile(provider).catalog),
        receiver=_receiver(doc["receiver"], problems) if "receiver" in doc else None,
        preset=_preset(doc, problems, provider),
        vary=bool(doc.get("vary", False)),
    )


def _preset(doc: dict[str, Any], problems: Problems, provider: str) -> str | None:
    if "preset" in doc and provider != "aliyun":
        problems.add(("preset",), "transcode presets are Alibaba's; a Tencent flow names its templates in params",
                     at_key=True)
    return doc.get("preset")


def _faults(raw: list[dict[str, Any]], flows: list[Any], problems: Problems, catalog: Any) -> FaultPlan:
    steps = {s.name for f in flows for s in f.steps}
    names = set(catalog.BY_NAME) | catalog.EVENT_TYPES
    rules = []
    for i, entry in enumerate(raw):
        (kind, settings), = entry.items()
        path = ("faults", i, kind)
        for j, name in enumerate(settings.get("events", [])):
            if name not in names:
                problems.add(path + ("events", j), f"unknown event {name!r}{did_you_mean(name, names)}")
        for j, name in enumerate(settings.get("steps", [])):
            if name not in steps:
                problems.add(path + ("steps", j), f"no step named {name!r}{did_you_mean(name, steps)}")
        select = Selector(frozenset(settings.get("events", ())), frozenset(settings.get("steps", ())))
        try:
            rules.append(rule(kind, settings, select=select))
        except ValueError as exc:
            problems.add(path, str(exc))
    return FaultPlan(tuple(rules))


def _receiver(raw: dict[str, Any], problems: Problems) -> ReceiverConfig:
    values = dict(raw)
    for key in ("delay", "slow_body"):
        if key in values:
            values[key] = duration(values[key], ("receiver", key), problems)
    return ReceiverConfig(**values)


def _targets(doc: dict[str, Any], problems: Problems) -> tuple[TargetSpec, ...]:
    if "target" in doc and "targets" in doc:
        problems.add(("targets",), "use either target or targets, not both", at_key=True)
    entries = [(("target",), doc["target"])] if "target" in doc else []
    entries += [(("targets", i), t) for i, t in enumerate(doc.get("targets", []))]
    targets = []
    for path, raw in entries:
        try:
            url = check_target_url(raw["url"])
        except ValueError as exc:   # BadTargetURL, or urlsplit's own complaint
            message = str(exc) if str(exc).startswith("bad target URL") else f"bad target URL {raw['url']!r}: {exc}"
            problems.add(path + ("url",), message)
            continue
        targets.append(TargetSpec(url=url, auth_key=raw.get("auth_key") or None))
    return tuple(targets)


def _delivery(raw: dict[str, Any], problems: Problems) -> Delivery:
    timeout = None
    if "timeout" in raw:
        timeout = duration(raw["timeout"], ("delivery", "timeout"), problems)
        if timeout <= 0:
            problems.add(("delivery", "timeout"), "the attempt timeout must be more than 0 s")
    time_scale = raw.get("time_scale")
    return Delivery(timeout=timeout, concurrency=int(raw["concurrency"]) if "concurrency" in raw else None,
                    time_scale=float(time_scale) if time_scale is not None else None)


def _start_time(value: str | None, problems: Problems) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        problems.add(("start_time",), f"expected an ISO-8601 time like '2026-01-01T00:00:00Z', got {value!r}")
        return None
    return parsed.replace(tzinfo=timezone.utc) if parsed.tzinfo is None else parsed
