"""Media-processing events: StreamTranscodeComplete, TranscodeComplete, SnapshotComplete,
DynamicImageComplete, VideoAnalysisComplete."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from .catalog import EventKind
from .context import GenContext
from .gen_common import (
    RESOURCE_BAD, Body, ErrorPair, body, choice, code, compact, error, failure, head, message, when_ok,
)
from emulator.errors import InputError

from ..rng import below
from .media import DEFINITIONS, ORIGINAL, MediaAsset, fmt_time, hex_id, oss_url
from .presets import ADAPTIVE, DEFAULT_PRESET, ENCRYPT_TYPES, Preset, output, preset

FORMATS = ("mp4", "m3u8")
ALL_DEFINITIONS = (*DEFINITIONS, ORIGINAL)
DEFAULT_DEFINITIONS = ("LD", "SD", "HD")
SNAPSHOT_TYPES = ("CoverSnapshot", "NormalSnapshot")
# Per-stream keys of a StreamTranscodeComplete body that TranscodeComplete does not repeat.
ENVELOPE_KEYS = frozenset({"EventTime", "EventType", "VideoId", "Extend"})


def preset_of(ctx: GenContext) -> Preset:
    """The transcode preset of ``ctx.params`` (default ``mp4``), as a ValueError when unknown."""
    name = ctx.params.get("preset", DEFAULT_PRESET)
    try:
        return preset(name)
    except InputError as exc:
        raise ValueError(f"params.preset: {exc}") from None


def stream_fields(ctx: GenContext, media: MediaAsset, definition: str, p: Preset,
                  err: ErrorPair | None) -> Body:
    """One stream in the documented per-stream order; ``err`` given means the stream failed."""
    return _stream(ctx, media, definition, p, err, *_knobs(ctx, p))


def _knobs(ctx: GenContext, p: Preset) -> tuple[str | None, str | None, str]:
    """The stream knobs of ``ctx.params``, checked once per event: format, encrypt_type, Codec."""
    fmt = ctx.params.get("format")
    if fmt is not None and fmt not in FORMATS:
        raise ValueError(f"params.format = {fmt!r}; expected one of {', '.join(FORMATS)}")
    encrypt_type = ctx.params.get("encrypt_type")
    if encrypt_type is not None and encrypt_type not in ENCRYPT_TYPES:
        raise ValueError(f"params.encrypt_type = {encrypt_type!r}; expected one of {', '.join(ENCRYPT_TYPES)}")
    return fmt, encrypt_type, str(ctx.params.get("codec", p.codec))


def _stream(ctx: GenContext, media: MediaAsset, definition: str, p: Preset, err: ErrorPair | None,
            fmt: str | None, encrypt_type: str | None, codec: str) -> Body:
    base = _base(definition, p)
    rng = ctx.rng
    wire, fmt, bitrate, width, height, size, file_url, encrypt_type, watermark = output(
        p, media, base, rng, fmt, encrypt_type)
    finish = ctx.event_time - timedelta(seconds=1 + below(rng.getrandbits, 3))     # rng.randint(1, 3)
    # Transcoding takes a fraction of real time, longer for bigger outputs.
    scale = 0.15 + 0.1 * max(width * height, 640 * 360) / (1920 * 1080)
    start = finish - timedelta(seconds=max(3.0, media.duration * scale * (0.8 + (1.2 - 0.8) * rng.random())))
    job_id = f"{rng.getrandbits(128):032x}"
    audio = p.audio
    if err is None:
        return compact({
            "Status": "success",
            "Bitrate": str(bitrate),
            "Definition": wire,
            "Duration": media.duration,
            "Codec": codec,
            "Encrypt": encrypt_type is not None,
            "EncryptType": encrypt_type,
            "FileUrl": file_url,
            "Format": fmt,
            "Fps": None if audio else str(media.fps),     # no picture fields for audio
            "Height": None if audio else height,
            "Size": size,
            "Width": None if audio else width,
            "JobId": job_id,
            "WatermarkId": watermark,
            "IsAudio": audio,
            "StartTime": fmt_time(start),
            "FinishTime": fmt_time(finish),
        })
    return compact({
        "Status": "fail",
        "Definition": wire,
        "ErrorCode": err.code,
        "ErrorMessage": err.message,
        "Format": fmt,
        "JobId": job_id,
        "IsAudio": audio,
        "StartTime": fmt_time(start),
        "FinishTime": fmt_time(finish),
    })


def _base(definition: str, p: Preset) -> str:
    """``HD-MP4`` → ``HD`` for a suffixed preset; a plain name is taken as the base."""
    if p.suffix and definition.endswith(p.suffix):
        definition = definition[: -len(p.suffix)]
    if definition not in p.allowed:
        raise ValueError(f"Definition {definition!r} is not an output of preset {p.name!r}; "
                         f"expected one of {', '.join(p.allowed)}")
    return definition


def _if(ok: bool, value: Any) -> Any:
    return value if ok else None


def stream_transcode(kind: EventKind, ctx: GenContext, media: MediaAsset) -> Body:
    p = preset_of(ctx)
    ladder = [d for d in p.definitions if d != ADAPTIVE] or list(p.definitions)
    default = ladder[below(ctx.rng.getrandbits, len(ladder))]     # ctx.rng.choice(ladder)
    definition = str(ctx.params.get("definition", default))
    fields = stream_fields(ctx, media, definition, p, error(ctx, RESOURCE_BAD))
    out = body(*head(kind, ctx, media), ("Status", kind.status_word(ctx.ok)))
    del fields["Status"]
    out.update(fields)       # as body(*head, Status, *fields, Extend): a repeated key keeps its first place
    if ctx.extend is not None:
        out["Extend"] = ctx.extend
    return out


def transcode(kind: EventKind, ctx: GenContext, media: MediaAsset) -> Body:
    given = ctx.params.get("streams")
    if given is not None:
        streams = [{k: v for k, v in dict(s).items() if k not in ENVELOPE_KEYS} for s in given]
    else:
        streams = _own_streams(ctx, media)
    # "success if at least one stream succeeded" (reference §3.7): the streams decide.
    ok = any(s.get("Status") == "success" for s in streams)
    return body(
        *head(kind, ctx, media),
        ("Status", kind.status_word(ok)),
        ("Extend", ctx.extend),
        ("StreamInfos", streams),
    )


def _own_streams(ctx: GenContext, media: MediaAsset) -> list[Body]:
    p = preset_of(ctx)
    definitions = [str(d) for d in ctx.params.get("definitions", p.definitions)]
    failed = set(ctx.params.get("failed", ()))
    unknown = failed - set(definitions)
    if unknown:
        raise ValueError(f"params.failed names {sorted(unknown)} not in params.definitions {definitions}")
    knobs = _knobs(ctx, p)
    out = []
    for definition in definitions:
        fails = not ctx.ok or definition in failed
        err = failure(ctx, RESOURCE_BAD) if fails else None
        out.append(_stream(ctx, media, definition, p, err, *knobs))
    return out


def snapshot(kind: EventKind, ctx: GenContext, media: MediaAsset) -> Body:
    err = error(ctx, RESOURCE_BAD)
    count = int(ctx.params.get("count", 3))
    if count < 1:
        raise ValueError(f"params.count = {count}; expected at least 1")
    snapshot_type = choice(ctx, "snapshot_type", SNAPSHOT_TYPES, "CoverSnapshot")
    folder = "covers" if snapshot_type == "CoverSnapshot" else "snapshots"
    infos = [_snapshot_info(ctx, media, snapshot_type, count, folder)]
    if ctx.params.get("sprite", False):
        infos.append(_snapshot_info(ctx, media, "SpriteSnapshot", 1, f"{folder}/sprite"))
    # The docs' cover is "the middle one" of the snapshots (current zh page).
    cover = infos[0]["SnapshotRegular"].replace("{SnapshotCount}", f"{(count + 1) // 2:05d}")
    sub_type = ctx.params.get("sub_type")
    if sub_type not in (None, "SpecifiedTime"):
        raise ValueError(f"params.sub_type = {sub_type!r}; expected SpecifiedTime or nothing")
    return body(
        *head(kind, ctx, media),
        ("Status", kind.status_word(ctx.ok)),
        ("SubType", sub_type),
        ("ErrorCode", code(err)),
        ("ErrorMessage", message(err)),
        ("CoverUrl", when_ok(ctx, cover)),
        ("SnapshotInfos", when_ok(ctx, infos)),
        ("Extend", ctx.extend),
    )


def _snapshot_info(ctx: GenContext, media: MediaAsset, snapshot_type: str, count: int, folder: str) -> Body:
    template = f"{media.prefix}/{folder}/{hex_id(ctx.rng)}-{{SnapshotCount}}.jpg"
    return {
        "Status": "success",
        "SnapshotType": snapshot_type,
        "SnapshotCount": count,
        "SnapshotFormat": template,
        "SnapshotRegular": oss_url(media.host, template),
        "JobId": hex_id(ctx.rng),
    }


def dynamic_image(kind: EventKind, ctx: GenContext, media: MediaAsset) -> Body:
    err = error(ctx, RESOURCE_BAD)
    job_id = hex_id(ctx.rng)
    width = int(ctx.params.get("width", 320))
    height = round(width * media.height / media.width / 2) * 2
    fps = int(ctx.params.get("fps", 10))
    frames = fps * min(media.duration, 5.0)
    info = {
        "FileSize": str(round(frames * width * height * ctx.rng.uniform(0.15, 0.35))),
        "FileURL": oss_url(media.host, f"{media.prefix}/image/dynamic/{hex_id(ctx.rng)}.gif"),
        "Fps": str(fps),
        "Height": str(height),
        "JobId": job_id,
        "Status": "success",
        "Width": str(width),
    }
    return body(
        *head(kind, ctx, media),
        ("Status", kind.status_word(ctx.ok)),
        ("JobId", job_id),
        ("ErrorCode", code(err)),
        ("ErrorMessage", message(err)),
        ("DynamicImageJobInfo", when_ok(ctx, info)),
    )


def video_analysis(kind: EventKind, ctx: GenContext, media: MediaAsset) -> Body:
    # Every number is a string in the docs' example; picture fields are absent for audio.
    err = error(ctx, RESOURCE_BAD)
    video = ctx.ok and not ctx.params.get("audio_only", False)
    bitrate = media.bitrate if video else 128
    return body(
        *head(kind, ctx, media),
        ("Status", kind.status_word(ctx.ok)),
        ("Width", str(media.width) if video else None),
        ("Height", str(media.height) if video else None),
        ("Duration", when_ok(ctx, str(media.duration))),
        ("Bitrate", when_ok(ctx, str(bitrate))),
        ("Fps", str(media.fps) if video else None),
        ("Size", when_ok(ctx, str(media.size if video else round(bitrate * 125 * media.duration)))),
        ("ErrorCode", code(err)),
        ("ErrorMessage", message(err)),
    )
