"""What follows a call, as a timeline: the events the service would send for a media (from the
generators of ``providers.aliyun``, so one VideoId and consistent sizes) and, for each, the
change to the media library that becomes true when it is released (a stream exists, the
video is Normal…).  Times are seconds of the processing profile, before serve's time scale."""

from __future__ import annotations

import secrets
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from faker import Faker

from emulator.events import Event
from emulator.providers.aliyun.factory import EventFactory
from emulator.providers.aliyun.media import MediaAsset
from ..shared.media import JobRecord, MediaRecord, StreamRecord
from ..shared.media_store import MediaLibrary
from ..shared.profile import Profile

Effect = Callable[[], None]
CDN_DOMAIN = "vod.example.com"
_FAKER = Faker()     # one for every flow: the factory reseeds it for each event


@dataclass(frozen=True, slots=True)
class Step:
    at: float                    # seconds from the flow's start (profile time)
    event: Event
    effect: Effect | None = None


def seed_of(media_id: str) -> int:
    return zlib.crc32(media_id.encode())


def asset(media: MediaRecord) -> MediaAsset:
    """The generators' view of a library record: the real numbers where the file gave them."""
    duration = media.duration or 0.0
    width, height = media.width or 1280, media.height or 720
    size = media.size or 0
    bitrate = media.bitrate or (round(size * 8 / duration / 1000) if duration else 0)
    return MediaAsset(video_id=media.media_id, title=media.title or media.file_name, duration=round(duration, 3),
                      width=width, height=height, fps=round(media.fps or 25), bitrate=max(bitrate, 1), size=size,
                      bucket=media.bucket, region=media.region, prefix=media.media_id, source_key=media.object_key,
                      cdn_domain=CDN_DOMAIN, app_id=str(media.attrs.get("AppId", "app-1000000")))


class Flow:
    """Builds one flow's steps: seeded per media, event times on the wall clock (now + at × scale)."""

    def __init__(self, lib: MediaLibrary, media: MediaRecord, *, time_scale: float, extend: str | None,
                 name: str) -> None:
        self.lib, self.media, self.extend, self.name = lib, media, extend, name
        self.scale = time_scale
        self.start = datetime.now(timezone.utc).replace(microsecond=0)
        self.factory = EventFactory(seed_of(media.media_id), self.start, media.region, faker=_FAKER)
        self.steps: list[Step] = []

    def add(self, at: float, kind: str, *, ok: bool = True, params: dict[str, Any] | None = None,
            overrides: list[tuple[str, Any]] = (), effect: Effect | None = None, media: Any = None) -> Event:
        n = len(self.steps)
        when = self.start + timedelta(seconds=at * self.scale)
        extend = self.extend if kind in _EXTEND_KINDS else None
        event = self.factory.build(kind, f"{self.name}/{n}", event_time=when, ok=ok, extend=extend,
                                   media=media or asset(self.media), params=params, overrides=overrides,
                                   event_id=f"{self.media.media_id[:12]}-{self.name}-{n + 1}")
        self.steps.append(Step(at, event, effect))
        return event

    # -- library changes -----------------------------------------------------------------
    def set_status(self, status: str, **changes: Any) -> Effect:
        def apply() -> None:
            current = self.lib.get(self.media.media_id)
            if current is not None:
                self.lib.put(current.with_(status=status, modified=time.time(), **changes))
        return apply

    def finish_job(self, job: JobRecord, status: str, **attrs: Any) -> Effect:
        def apply() -> None:
            self.lib.put_job(job.with_(status=status, finished=time.time(), attrs={**job.attrs, **attrs}))
        return apply


_EXTEND_KINDS = frozenset({"FileUploadComplete", "StreamTranscodeComplete", "TranscodeComplete", "SnapshotComplete"})


def both(*effects: Effect | None) -> Effect:
    def apply() -> None:
        for e in effects:
            if e is not None:
                e()
    return apply


def transcode(flow: Flow, profile: Profile, job: JobRecord, start_at: float) -> float:
    """StreamTranscodeComplete per output, then TranscodeComplete; the media is Normal when one
    output succeeded (TranscodeFail otherwise).  Returns when the last event is."""
    if not profile.outputs:
        return start_at
    failed = profile.failed
    bodies, at = [], start_at
    for i, out in enumerate(profile.outputs):
        at = start_at + profile.timing.transcode(flow.media.duration, i)
        ok = out.definition not in failed
        event = flow.add(at, "StreamTranscodeComplete", ok=ok, params={"definition": out.definition,
                                                                        "format": out.format})
        body = event.payload()
        bodies.append(body)
        if ok:
            flow.steps[-1] = Step(at, event, _add_stream(flow, body))
    ok = len(failed) < len(profile.outputs)
    streams = [{"Status": b["Status"], **{k: v for k, v in b.items() if k not in ("EventTime", "EventType", "VideoId",
                                                                                   "Extend", "Status")}}
               for b in bodies]
    flow.add(at, "TranscodeComplete", ok=ok, params={"streams": streams},
             effect=both(flow.set_status("Normal" if ok else "TranscodeFail"),
                         flow.finish_job(job, "Success" if ok else "Fail")))
    return at


def _add_stream(flow: Flow, b: dict[str, Any]) -> Effect:
    record = StreamRecord(media_id=flow.media.media_id, job_id=b["JobId"], definition=b["Definition"],
                          format=b["Format"], width=int(b["Width"]), height=int(b["Height"]),
                          bitrate=int(b["Bitrate"]), fps=float(b["Fps"]), duration=float(b["Duration"]),
                          size=int(b["Size"]), url=b["FileUrl"])
    return lambda: flow.lib.add_stream(record)


def snapshot(flow: Flow, count: int, at: float, job: JobRecord | None = None, *, ok: bool = True,
             specified: bool = False) -> None:
    params: dict[str, Any] = {"count": max(count, 1)}
    if specified:
        params |= {"snapshot_type": "NormalSnapshot", "sub_type": "SpecifiedTime"}
    event = flow.add(at, "SnapshotComplete", ok=ok, params=params)
    body = event.payload()
    cover = body.get("CoverUrl")
    effects = [flow.finish_job(job, "Success" if ok else "Fail")] if job else []
    if cover and not specified:
        media_id = flow.media.media_id

        def set_cover() -> None:
            current = flow.lib.get(media_id)
            if current is not None and not current.attrs.get("CoverURL"):
                flow.lib.put(current.with_(attrs={**current.attrs, "CoverURL": cover}))
        effects.append(set_cover)
    flow.steps[-1] = Step(at, event, both(*effects))


def audit(flow: Flow, at: float, job: JobRecord, *, ok: bool = True) -> None:
    flow.add(at, "AIMediaAuditComplete", ok=ok, params={"suggestion": "pass"},
             effect=flow.finish_job(job, "Success" if ok else "Fail"))


def new_job(lib: MediaLibrary, media_id: str, kind: str, **attrs: Any) -> JobRecord:
    job = JobRecord(secrets.token_hex(16), media_id, kind, "Processing", created=time.time(),
                    attrs={k: v for k, v in attrs.items() if v is not None})
    return lib.put_job(job)
