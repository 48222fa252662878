"""The flows of a schema-valid scenario document → model ``Flow``/``Step``/``Item``.

The schema has already checked shapes and types; what is checked here needs the catalog
or the other steps: params a generator understands, fields a body has, references to
earlier steps, fan-out rules, and the Extend limit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..providers import schemas
from ..errors import did_you_mean
from ..providers import Profile, profile
from .durations import parse_duration
from .model import Expect, Flow, Item, Ref, Step
from .problems import Path, Problems
from .refs import Interpolated, refs_in, to_model

__all__ = ["build_flow"]

_ERROR_PARAMS = {"code": "error_code", "message": "error_message"}


def build_flow(raw: dict[str, Any], path: Path, problems: Problems, provider: str = "aliyun",
               preset: str | None = None) -> Flow:
    """``preset``: the file's default transcode preset (checked against the steps' definitions)."""
    return _FlowBuilder(raw, path, problems, profile(provider), preset).build()


def duration(value: Any, path: Path, problems: Problems) -> float:
    try:
        return parse_duration(value)
    except ValueError as exc:
        problems.add(path, str(exc))
        return 0.0


@dataclass(frozen=True, slots=True)
class _Earlier:
    kind: Any          # the provider's EventKind
    items: int


@dataclass(slots=True)
class _Draft:
    """One item of a step before the error params are folded in."""
    ok: bool
    params: dict[str, Any]
    overrides: dict[str, Any]
    error: dict[str, str] | None
    error_path: Path


class _FlowBuilder:
    def __init__(self, raw: dict[str, Any], path: Path, problems: Problems, prof: Profile,
                 preset: str | None = None) -> None:
        self.raw, self.path, self.problems, self.profile = raw, path, problems, prof
        self.preset = preset
        # after: auto (scaled by the media's duration) by default for transcoding events
        self.auto_after = frozenset(k for k in (prof.fan_out_kind, prof.summary_kind) if k)
        self.names = [s["name"] for s in raw["steps"]]
        self.earlier: dict[str, _Earlier] = {}
        self.current = ""

    def build(self) -> Flow:
        raw, path = self.raw, self.path
        steps = []
        for j, step_raw in enumerate(raw["steps"]):
            step_path = path + ("steps", j)
            name = step_raw["name"]
            if name in self.earlier:
                first = self.problems.line(path + ("steps", self.names.index(name)))
                self.problems.add(step_path + ("name",), f"duplicate step name {name!r} in this flow "
                                                         f"(first at line {first})")
            step = self.step(step_raw, step_path)
            if step is None:
                continue
            self.earlier.setdefault(name, _Earlier(self.profile.catalog.BY_NAME[step.kind], len(step.items)))
            steps.append(step)
        media = {k: (float(v) if k == "duration" else int(v)) for k, v in raw.get("media", {}).items()}
        return Flow(name=raw["name"], steps=tuple(steps), repeat=int(raw.get("repeat", 1)),
                    every=duration(raw.get("every", 0), path + ("every",), self.problems), media=media,
                    line=self.problems.line(path))

    # ------------------------------------------------------------------ one step

    def step(self, raw: dict[str, Any], path: Path) -> Step | None:
        names = self.profile.catalog.BY_NAME
        if raw["event"] not in names:
            self.problems.add(path + ("event",), f"unknown {self.profile.title} event {raw['event']!r}"
                                                 f"{did_you_mean(raw['event'], names)}")
            return None
        kind = names[raw["event"]]
        self.current = raw["name"]
        raw = self.preset_ladder(raw, kind)
        params = self.params(raw.get("params", {}), path + ("params",), kind)
        params = self.with_preset(raw, path, kind, params)
        overrides = self.overrides(raw.get("set", {}), path + ("set",), kind)
        drafts = self.drafts(raw, path, kind, params, overrides)
        if "stagger" in raw and "definitions" not in raw and "each" not in raw:
            self.problems.add(path + ("stagger",), "stagger spaces the events of a fan-out step: "
                                                   "use it with definitions or each")
        stagger = duration(raw.get("stagger", 0), path + ("stagger",), self.problems)
        items = tuple(Item(ok=d.ok, params=self.with_error(d, kind), overrides=tuple(d.overrides.items()),
                           offset=i * stagger) for i, d in enumerate(drafts))
        self.check_unused_errors(raw, path, drafts)
        if "after" in raw:
            after = None if raw["after"] == "auto" else duration(raw["after"], path + ("after",), self.problems)
        else:
            after = None if kind.name in self.auto_after else 0.0
        return Step(name=raw["name"], kind=kind.name, after=after, items=items,
                    extend=self.extend(raw, path, kind), streams_from=self.streams(raw, path, kind, params),
                    expect=Expect(raw.get("expect", Expect.DELIVERED)), line=self.problems.line(path),
                    vary=raw.get("vary"))

    def preset_ladder(self, raw: dict[str, Any], kind: Any) -> dict[str, Any]:
        """A transcode step naming a preset and no definitions fans out the preset's ladder."""
        if ("preset" in raw and kind.name == self.profile.fan_out_kind and self.profile.name == "aliyun"
                and not {"definitions", "each"} & raw.keys() and "definition" not in raw.get("params", {})):
            from ..providers.aliyun.presets import PRESETS
            return {**raw, "definitions": list(PRESETS[raw["preset"]].definitions)}
        return raw

    def with_preset(self, raw: dict[str, Any], path: Path, kind: Any, params: dict[str, Any]) -> dict[str, Any]:
        """A step's ``preset:`` becomes the generator knob; its definitions must be the preset's."""
        takes_preset = "preset" in self.profile.params[kind.name]
        if "preset" in raw:
            if not takes_preset:
                self.problems.add(path + ("preset",), f"preset is for the transcoding events "
                                                      f"({self.profile.fan_out_kind}, {self.profile.summary_kind})")
                return params
            if "preset" in params:
                self.problems.add(path + ("params", "preset"), "params.preset conflicts with preset", at_key=True)
            params = {**params, "preset": raw["preset"]}
        name = params.get("preset", self.preset) if takes_preset else None
        if isinstance(name, str) and self.profile.name == "aliyun":
            from ..providers.aliyun.presets import PRESETS
            allowed = PRESETS[name].allowed if name in PRESETS else None
            for key in ("definitions", "fail"):
                for i, d in enumerate(raw.get(key, []) if allowed else []):
                    if d not in allowed:
                        self.problems.add(path + (key, i), f"{d!r} is not an output of preset {name!r} "
                                                           f"(expected one of {', '.join(allowed)})")
        return params

    def drafts(self, raw: dict[str, Any], path: Path, kind: Any,
               params: dict[str, Any], overrides: dict[str, Any]) -> list[_Draft]:
        ok = raw.get("status", "success") == "success"
        error, error_path = raw.get("error"), path + ("error",)
        if "fail" in raw and "definitions" not in raw:
            self.problems.add(path + ("fail",), "fail lists some of the definitions: use it with definitions")
        if "definitions" in raw:
            definitions, fail = raw["definitions"], raw.get("fail", [])
            fan_out = self.profile.fan_out_kind
            if kind.name != fan_out:
                self.problems.add(path + ("definitions",),
                                  (f"definitions fan out {fan_out} only; " if fan_out else
                                   f"definitions are for {profile('aliyun').title} transcoding; ")
                                  + f"use each for {kind.name}")
            if "each" in raw:
                self.problems.add(path + ("each",), "use either definitions or each, not both")
            if "definition" in params:
                self.problems.add(path + ("params", "definition"), "params.definition conflicts with "
                                                                   "definitions", at_key=True)
            for i, name in enumerate(fail):
                if name not in definitions:
                    self.problems.add(path + ("fail", i), f"{name!r} is not in definitions "
                                                          f"({', '.join(definitions)})")
            return [_Draft(ok and d not in fail, {**params, "definition": d}, overrides, error, error_path)
                    for d in definitions]
        if "each" in raw:
            drafts = []
            for k, entry in enumerate(raw["each"]):
                entry_path = path + ("each", k)
                drafts.append(_Draft(
                    ok=entry.get("status", raw.get("status", "success")) == "success",
                    params={**params, **self.params(entry.get("params", {}), entry_path + ("params",), kind)},
                    overrides={**overrides, **self.overrides(entry.get("set", {}), entry_path + ("set",), kind)},
                    error=entry.get("error", error),
                    error_path=entry_path + ("error",) if "error" in entry else error_path))
            return drafts
        return [_Draft(ok, params, overrides, error, error_path)]

    def with_error(self, draft: _Draft, kind: Any) -> dict[str, Any]:
        if draft.ok or draft.error is None:
            return draft.params
        if "error_code" not in self.profile.params[kind.name]:
            self.problems.add(draft.error_path, f"{kind.name} has no ErrorCode/ErrorMessage to set")
            return draft.params
        params = dict(draft.params)
        for key, value in draft.error.items():
            if _ERROR_PARAMS[key] in params:
                self.problems.add(draft.error_path + (key,),
                                  f"error.{key} conflicts with params.{_ERROR_PARAMS[key]}", at_key=True)
            params[_ERROR_PARAMS[key]] = value
        return params

    def check_unused_errors(self, raw: dict[str, Any], path: Path, drafts: list[_Draft]) -> None:
        """An ``error`` that no failing event uses is a mistake (it would silently do nothing)."""
        used = {d.error_path for d in drafts if not d.ok and d.error is not None}
        candidates = [path + ("error",)] if "error" in raw else []
        candidates += [path + ("each", k, "error") for k, e in enumerate(raw.get("each", [])) if "error" in e]
        for error_path in candidates:
            if error_path not in used:
                self.problems.add(error_path, "error is only used by a failing event: add status: fail")

    # ------------------------------------------------------------------ values

    def params(self, raw: dict[str, Any], path: Path, kind: Any) -> dict[str, Any]:
        known = self.profile.params[kind.name]
        for key in raw:
            if key not in known:
                accepted = f"accepted: {', '.join(known)}" if known else "it takes no params"
                self.problems.add(path + (key,), f"{kind.name} has no param {key!r}{did_you_mean(key, known)}; "
                                                 f"{accepted}", at_key=True)
        self.check_refs(raw, path)
        return to_model(raw)

    def overrides(self, raw: dict[str, Any], path: Path, kind: Any) -> dict[str, Any]:
        fields = schemas.known_fields(self.profile.name, kind.event_type)
        for key in raw:
            parts = key.split(".")
            if "" in parts:
                self.problems.add(path + (key,), f"bad field path {key!r}: expected Field or Field.sub.0.Name",
                                  at_key=True)
            elif parts[0] not in fields:
                self.problems.add(path + (key,), f"{kind.event_type} has no field {parts[0]!r}"
                                                 f"{did_you_mean(parts[0], fields)}", at_key=True)
        self.check_refs(raw, path)
        return to_model(raw)

    def extend(self, raw: dict[str, Any], path: Path, kind: Any) -> Any:
        if "extend" not in raw:
            return None
        value, path = raw["extend"], path + ("extend",)
        prof = self.profile
        if kind.name not in prof.extend_kinds:
            self.problems.add(path, f"{kind.name} has no {prof.extend_field} field; extend works for "
                                    f"{', '.join(sorted(prof.extend_kinds))}")
        if isinstance(value, dict):
            if refs_in(value):
                self.problems.add(path, "references do not work inside an extend mapping: write extend as "
                                        "a string, e.g. '{\"id\":\"${upload.VideoId}\"}'")
                return None
            value = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
        self.check_refs(value, path)
        literal = "".join(p for p in value.parts if isinstance(p, str)) if isinstance(value, Interpolated) else value
        size = len(literal.encode("utf-8"))
        if size > prof.extend_max_bytes:
            self.problems.add(path, f"{prof.extend_field} is {size} bytes in UTF-8; the documented maximum is "
                                    f"{prof.extend_max_bytes}")
        return to_model(value)

    def streams(self, raw: dict[str, Any], path: Path, kind: Any, params: dict[str, Any]) -> str | None:
        if "streams" not in raw:
            return None
        name, path = raw["streams"], path + ("streams",)
        fan_out, summary = self.profile.fan_out_kind, self.profile.summary_kind
        if kind.name != summary:
            self.problems.add(path, f"streams works for {summary or 'Alibaba TranscodeComplete'} only")
        if "streams" in params:
            self.problems.add(path, "give either streams or params.streams, not both")
        target = self.earlier_step(name, path, f"streams: {name}")
        if target is not None and target.kind.name != fan_out:
            self.problems.add(path, f"step {name!r} is a {target.kind.name} step; streams needs a "
                                    f"{fan_out} step")
        return name

    # ------------------------------------------------------------------ references

    def check_refs(self, value: Any, path: Path) -> None:
        for rel, text in refs_in(value):
            text.parts = tuple(self.check_ref(p, path + rel) if isinstance(p, Ref) else p for p in text.parts)

    def check_ref(self, ref: Ref, path: Path) -> Ref:
        """``ref`` as the timeline reads it: an index into a fan-out step, none into a single event."""
        target = self.earlier_step(ref.step, path, ref.text)
        if target is None:
            return ref
        fields = list(ref.path)
        count = target.items
        if fields[0].isdigit():
            index = int(fields.pop(0))
            if index >= count:
                events = f"{count} events (0–{count - 1})" if count > 1 else "1 event (index 0)"
                self.problems.add(path, f"{ref.text}: index {index} is out of range: step {ref.step!r} has {events}")
                return ref
        elif count > 1:
            self.problems.add(path, f"{ref.text}: step {ref.step!r} fans out into {count} events; pick one "
                                    f"with an index, e.g. ${{{ref.step}.0.{'.'.join(fields)}}}")
            return ref
        if not fields:
            self.problems.add(path, f"{ref.text} names no field: write ${{{ref.step}.{ref.path[0]}.Field}}")
            return ref
        known = schemas.known_fields(self.profile.name, target.kind.event_type)
        if fields[0] not in known:
            self.problems.add(path, f"{ref.text}: {target.kind.event_type} has no field {fields[0]!r}"
                                    f"{did_you_mean(fields[0], known)}")
        return ref if count > 1 else Ref(ref.step, tuple(fields), ref.text)

    def earlier_step(self, name: str, path: Path, text: str) -> _Earlier | None:
        if name in self.earlier:
            return self.earlier[name]
        if name == self.current:
            self.problems.add(path, f"forward or cyclic reference: {text} refers to its own step {name!r}")
        elif name in self.names:
            self.problems.add(path, f"forward or cyclic reference: {text} refers to step {name!r}, "
                                    "which comes later in the flow")
        else:
            hint = did_you_mean(name, self.earlier) if self.earlier else " (no step comes before this one)"
            self.problems.add(path, f"unknown step {name!r} in {text}{hint}")
        return None
