"""Events of tasks started through the 2017 APIs: TranscodeComplete, ClipComplete,
ConcatComplete, CreateImageSpriteComplete, CreateSnapshotByTimeOffsetComplete."""

from __future__ import annotations

import math
from typing import Any

from ..aliyun.context import GenContext
from .catalog import EventKind
from .gen_common import Body, body, envelope, error, legacy_task_id, stamp
from .gen_edit import derived
from .gen_procedure import DEFAULT_DEFINITIONS, SPRITE_DEFINITION, SPRITE_INTERVAL, parse_definitions
from .media import TencentMedia, new_media, template, transcode_output

SNAPSHOT_DEFINITION = 10  # the docs' example


def transcode_2017(kind: EventKind, ctx: GenContext, media: TencentMedia) -> Body:
    err = error(ctx)
    ok = err is None
    definitions = parse_definitions(ctx.params.get("definitions", DEFAULT_DEFINITIONS))
    # The docs' example lists the original (Definition 0, f0.mp4) before the transcodes.
    plays = [{"Url": media.output_url("f0.mp4"), "Definition": 0, "Bitrate": media.bitrate,
              "Height": media.height, "Width": media.width}]
    for d in definitions:
        out = transcode_output(media, template(d), ctx.rng)
        plays.append({k: out[k] for k in ("Url", "Definition", "Bitrate", "Height", "Width")})
    return envelope(kind, body(
        ("TaskId", legacy_task_id("Transcode", ctx)),
        ("ErrCode", 0 if ok else err.code),
        ("Message", "SUCCESS" if ok else err.message),
        ("FileId", media.file_id),
        ("FileName", media.name),
        ("Duration", round(media.duration)),  # an integer number of seconds in this 2017 structure
        ("CoverUrl", media.output_url(f"{stamp(ctx)}.jpg") if ok else None),
        ("PlayInfoSet", plays if ok else None),
    ))


def clip_2017(kind: EventKind, ctx: GenContext, media: TencentMedia) -> Body:
    err = error(ctx)
    ok = err is None
    out = derived(media, ctx, media.duration, media.name)
    return envelope(kind, {
        "TaskId": legacy_task_id("clipVideo", ctx),
        "SrcFileId": media.file_id,
        "FileInfo": body(
            ("ErrCode", 0 if ok else err.code),
            ("Message", "" if ok else err.message),
            ("FileId", out.file_id if ok else None),
            ("FileUrl", out.media_url if ok else None),
            ("FileType", "mp4" if ok else None),
        ),
    })


def concat_2017(kind: EventKind, ctx: GenContext, media: TencentMedia) -> Body:
    # ConcatFileInfo2017 describes the *source* files; the flow's media comes first.
    err = error(ctx)
    count = ctx.params.get("sources", 2)
    if isinstance(count, bool) or not isinstance(count, int) or count < 2:
        raise ValueError(f"params.sources = {count!r}; expected at least 2 files to concatenate")
    others = [new_media(ctx.rng, ctx.faker, media.region) for _ in range(count - 1)]
    infos = []
    for i, src in enumerate([media, *others]):
        failed = err is not None and i == 0  # the failure form blames the first source
        infos.append(body(
            ("ErrCode", err.code if failed else 0),
            ("Message", err.message if failed else ""),
            ("FileId", src.file_id),
            ("FileUrl", src.media_url),
            ("FileType", "mp4"),
        ))
    return envelope(kind, {"TaskId": legacy_task_id("Concat", ctx), "FileInfoSet": infos})


def image_sprite_2017(kind: EventKind, ctx: GenContext, media: TencentMedia) -> Body:
    err = error(ctx)
    ok = err is None
    count = max(1, math.ceil(media.duration / SPRITE_INTERVAL))  # "雪碧图小图总数量": all small pictures
    name = stamp(ctx)
    urls = [media.output_url(f"{name}.{SPRITE_DEFINITION}_{i}.jpg") for i in range(math.ceil(count / 100))]
    return envelope(kind, body(
        ("TaskId", legacy_task_id("CreateImageSprite", ctx)),
        ("ErrCode", 0 if ok else err.code),
        ("Message", "" if ok else err.message),
        ("FileId", media.file_id),
        ("Definition", SPRITE_DEFINITION),
        ("TotalCount", count if ok else None),
        ("ImageSpriteUrlSet", urls if ok else None),
        ("WebVttUrl", media.output_url(f"{name}.{SPRITE_DEFINITION}.vtt") if ok else None),
    ))


def snapshot_2017(kind: EventKind, ctx: GenContext, media: TencentMedia) -> Body:
    err = error(ctx)
    offsets = _time_offsets(ctx, media)
    name = stamp(ctx)
    infos = [body(
        ("ErrCode", 0 if err is None else err.code),
        ("TimeOffset", ms),
        ("Url", media.output_url(f"{name}.{SNAPSHOT_DEFINITION}_{i}.jpg") if err is None else None),
    ) for i, ms in enumerate(offsets)]
    return envelope(kind, {
        "TaskId": legacy_task_id("CreateSnapshotByTimeOffset", ctx),
        "FileId": media.file_id,
        "Definition": SNAPSHOT_DEFINITION,
        "SnapshotInfoSet": infos,
    })


def _time_offsets(ctx: GenContext, media: TencentMedia) -> list[int]:
    given: Any = ctx.params.get("time_offsets")
    if given is None:
        return [round(media.duration * 1000 * f) for f in (0.25, 0.5, 0.75)]
    if isinstance(given, (str, bytes)) or not given:
        raise ValueError(f"params.time_offsets = {given!r}; expected a list of milliseconds")
    limit = media.duration * 1000
    for ms in given:
        if isinstance(ms, bool) or not isinstance(ms, int) or not 0 <= ms <= limit:
            raise ValueError(f"params.time_offsets: {ms!r} is not a whole number of milliseconds in 0..{limit:.0f}")
    return list(given)
