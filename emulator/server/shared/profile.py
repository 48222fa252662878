"""Processing profiles, provider-neutral: what a fake VOD does with a media after it is
uploaded — which outputs (definition + format), how many snapshots, whether an AI audit
runs, how long each step takes (scaled by the media's duration), and what fails.

In serve's config file (``vod.profiles``; ``vod.bindings`` maps a TemplateGroupId or
WorkflowId to a profile name; calls that name neither get ``default``)::

    vod:
      profiles:
        default:
          outputs: [{definition: LD}, {definition: SD}, {definition: HD, format: m3u8}]
          snapshots: 3
          audit: false
          timing: {upload_s: 0.5, transcode_base_s: 5, transcode_per_media_s: 0.5, snapshot_s: 2, audit_s: 10}
          fail: {definitions: [HD], job: false, upload: false}
      bindings: {my-template-group-id: default}
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from emulator.errors import InputError, did_you_mean

__all__ = ["DEFAULT", "NO_TRANSCODE", "Output", "Profile", "ProfileSet", "Timing", "parse_profiles"]


@dataclass(frozen=True, slots=True)
class Output:
    definition: str                # the provider's word (Alibaba: FD LD SD HD 2K 4K OD)
    format: str = "mp4"            # mp4 | m3u8
    fail: bool = False             # this output's job fails


@dataclass(frozen=True, slots=True)
class Timing:
    """Seconds on the server's clock (multiplied by serve's VOD time scale)."""

    upload_s: float = 0.5              # object complete → upload event
    transcode_base_s: float = 5.0      # per output
    transcode_per_media_s: float = 0.5  # per output, per second of media
    snapshot_s: float = 2.0
    audit_s: float = 10.0

    def transcode(self, duration: float | None, index: int) -> float:
        """When output ``index`` (0-based) finishes, from the start of processing: outputs run
        one after another, each taking base + per-second × duration."""
        each = self.transcode_base_s + self.transcode_per_media_s * (duration or 0.0)
        return each * (index + 1)


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    outputs: tuple[Output, ...]
    snapshots: int = 3                 # 0: no SnapshotComplete
    audit: bool = False                # an AI audit after transcoding
    fail_job: bool = False             # every output fails (TranscodeComplete fails)
    fail_upload: bool = False          # the upload is refused: no processing, media UploadFail
    timing: Timing = Timing()

    @property
    def failed(self) -> frozenset[str]:
        return frozenset(o.definition for o in self.outputs if o.fail or self.fail_job)


DEFAULT = Profile("default", (Output("LD"), Output("SD"), Output("HD")))
NO_TRANSCODE = Profile("no-transcode", (), snapshots=0)


@dataclass(frozen=True, slots=True)
class ProfileSet:
    profiles: dict[str, Profile] = field(default_factory=lambda: {"default": DEFAULT, NO_TRANSCODE.name: NO_TRANSCODE})
    bindings: dict[str, str] = field(default_factory=lambda: {"VOD_NO_TRANSCODE": NO_TRANSCODE.name})

    def pick(self, *ids: str | None) -> Profile:
        """The profile bound to the first of ``ids`` that has one (a template group, a
        workflow…); else one named like it; else ``default``."""
        for ident in ids:
            if ident and ident in self.bindings:
                return self.profiles[self.bindings[ident]]
            if ident and ident in self.profiles:
                return self.profiles[ident]
        return self.profiles["default"]


_PROFILE_KEYS = ("outputs", "snapshots", "audit", "timing", "fail")
_FAIL_KEYS = ("definitions", "job", "upload")


def parse_profiles(raw: Any, where: str = "vod") -> ProfileSet:
    """``vod.profiles`` and ``vod.bindings`` of the config file; ``InputError`` naming the field."""
    base = ProfileSet()
    if raw is None:
        return base
    _mapping(raw, where)
    profiles = dict(base.profiles)
    for name, doc in (raw.get("profiles") or {}).items():
        profiles[str(name)] = _profile(str(name), doc, f"{where}.profiles.{name}")
    bindings = dict(base.bindings)
    for ident, name in (_mapping(raw.get("bindings") or {}, f"{where}.bindings")).items():
        if str(name) not in profiles:
            raise InputError(f"{where}.bindings.{ident}: no profile {name!r}{did_you_mean(str(name), profiles)}")
        bindings[str(ident)] = str(name)
    return ProfileSet(profiles, bindings)


def _mapping(raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise InputError(f"{where}: expected a mapping")
    return raw


def _profile(name: str, doc: Any, where: str) -> Profile:
    _mapping(doc, where)
    for key in doc:
        if key not in _PROFILE_KEYS:
            raise InputError(f"{where}: unknown field {key!r}{did_you_mean(str(key), _PROFILE_KEYS)}")
    fail = _mapping(doc.get("fail") or {}, f"{where}.fail")
    for key in fail:
        if key not in _FAIL_KEYS:
            raise InputError(f"{where}.fail: unknown field {key!r}{did_you_mean(str(key), _FAIL_KEYS)}")
    failed = {str(d) for d in fail.get("definitions") or []}
    outputs = []
    for i, out in enumerate(doc.get("outputs", [{"definition": o.definition} for o in DEFAULT.outputs])):
        spot = f"{where}.outputs[{i}]"
        out = {"definition": out} if isinstance(out, str) else _mapping(out, spot)
        for key in out:
            if key not in ("definition", "format", "fail"):
                raise InputError(f"{spot}: unknown field {key!r}{did_you_mean(str(key), ('definition', 'format', 'fail'))}")
        if "definition" not in out:
            raise InputError(f"{spot}.definition: required (e.g. LD, SD, HD)")
        fmt = str(out.get("format", "mp4"))
        if fmt not in ("mp4", "m3u8"):
            raise InputError(f"{spot}.format: expected mp4 or m3u8, got {fmt!r}")
        definition = str(out["definition"])
        outputs.append(Output(definition, fmt, bool(out.get("fail", False)) or definition in failed))
    unknown = failed - {o.definition for o in outputs}
    if unknown:
        raise InputError(f"{where}.fail.definitions: {sorted(unknown)} are not among the outputs")
    timing_doc = _mapping(doc.get("timing") or {}, f"{where}.timing")
    names = [f.name for f in fields(Timing)]
    for key, value in timing_doc.items():
        if key not in names:
            raise InputError(f"{where}.timing: unknown field {key!r}{did_you_mean(str(key), names)}")
        if not isinstance(value, (int, float)) or value < 0:
            raise InputError(f"{where}.timing.{key}: expected a number of seconds >= 0, got {value!r}")
    snapshots = doc.get("snapshots", 3)
    if not isinstance(snapshots, int) or snapshots < 0:
        raise InputError(f"{where}.snapshots: expected a count >= 0, got {snapshots!r}")
    return Profile(name, tuple(outputs), snapshots=snapshots, audit=bool(doc.get("audit", False)),
                   fail_job=bool(fail.get("job", False)), fail_upload=bool(fail.get("upload", False)),
                   timing=Timing(**{k: float(v) for k, v in timing_doc.items()}))
