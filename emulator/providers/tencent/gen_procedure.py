"""ProcedureStateChanged: a task flow's MediaProcessResultSet (reference §4.3)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from ..aliyun.context import GenContext
from .catalog import EventKind
from . import gen_ai
from .gen_common import Body, Failure, body, envelope, failure, procedure_task_id, stamp, task_times
from .media import TencentMedia, hex_id, metadata, template, transcode_output
from .shape import keeps

DEFAULT_TASKS = ("transcode", "cover")          # the docs' example: Transcode + CoverBySnapshot
DEFAULT_DEFINITIONS = (100010, 100020, 100030)  # preset MP4 FLU / SD / HD
NOTIFY_MODES = ("Finish", "Change")
# Preset template ids of the other sub-tasks (the docs' examples use 10 for covers and snapshots).
ANIMATED_DEFINITION = 20000
ANIMATED_LONG_SIDE = 320
SNAPSHOT_DEFINITION = 10
SAMPLE_DEFINITION = 10
SPRITE_DEFINITION = 10
COVER_DEFINITION = 10
ADAPTIVE_DEFINITION = 10   # preset adaptive-bitrate template, HLS (a logged production body: adp.10.m3u8)
SPRITE_SMALL = (142, 80)   # one small picture of the sprite, landscape
SPRITE_INTERVAL = 10       # seconds between sprite pictures
SPRITE_GRID = 100          # small pictures per big image (10 x 10)

# Type word and result key of each sub-task, and the share of the media's duration it takes.
_SUBTASKS: dict[str, tuple[str, str, float]] = {
    "transcode": ("Transcode", "TranscodeTask", 0.3),
    "animated_graphics": ("AnimatedGraphics", "AnimatedGraphicTask", 0.05),
    "snapshot": ("SnapshotByTimeOffset", "SnapshotByTimeOffsetTask", 0.02),
    "sample_snapshot": ("SampleSnapshot", "SampleSnapshotTask", 0.05),
    # MediaProcessTaskResult.Type lists "ImageSprites" (plural); the field doc says ImageSprite.
    "image_sprite": ("ImageSprites", "ImageSpriteTask", 0.05),
    "cover": ("CoverBySnapshot", "CoverBySnapshotTask", 0.01),
    "adaptive_streaming": ("AdaptiveDynamicStreaming", "AdaptiveDynamicStreamingTask", 0.3),
}
TASK_NAMES = tuple(_SUBTASKS)


def procedure(kind: EventKind, ctx: GenContext, media: TencentMedia) -> Body:
    tasks = _names(ctx.params.get("tasks", DEFAULT_TASKS), "tasks", TASK_NAMES) if ctx.params.get("tasks") != [] \
        else ()
    definitions = parse_definitions(ctx.params.get("definitions", DEFAULT_DEFINITIONS))
    failed = set(ctx.params.get("failed", ()))
    unknown = failed - set(tasks) - set(definitions)
    if unknown:
        raise ValueError(f"params.failed names {sorted(map(str, unknown))}: neither in params.tasks {list(tasks)} "
                         f"nor in params.definitions {list(definitions)}")
    mode = ctx.params.get("tasks_notify_mode", "Finish")
    if mode not in NOTIFY_MODES:
        raise ValueError(f"params.tasks_notify_mode = {mode!r}; expected one of {', '.join(NOTIFY_MODES)}")
    fail = failure(ctx)
    results: list[Body] = []
    any_failed = False
    for name in tasks:
        items: list[Any] = list(definitions) if name == "transcode" else [None]
        for item in items:
            fails = not ctx.ok or name in failed or item in failed
            any_failed |= fails
            results.append(_result(ctx, media, name, item, fail if fails else None))
    ai = gen_ai.result_sets(ctx, media, fail if not ctx.ok else None)
    any_failed |= ai.failed
    old = keeps(ctx.params, "ProcedureTask")
    return envelope(kind, body(
        ("TaskId", str(ctx.params.get("task_id", procedure_task_id(media)))),
        ("Status", "FINISH"),
        # Both are "deprecated: use each task's own", yet production sends them and receivers
        # check Message == "SUCCESS"; a sub-task's failure is echoed here.
        ("ErrCode", (fail.code if any_failed else 0) if old else None),
        ("Message", (fail.message if any_failed else "SUCCESS") if old else None),
        ("FileId", media.file_id),
        ("FileName", media.name),
        ("FileUrl", media.media_url),
        ("MetaData", metadata(media)),
        ("AiAnalysisResultSet", ai.analysis or None),
        ("AiRecognitionResultSet", ai.recognition or None),
        ("AiContentReviewResultSet", ai.review or None),
        ("MediaProcessResultSet", results),
        ("SessionContext", ctx.extend or ""),
        ("SessionId", str(ctx.params.get("session_id", ""))),
        ("TasksPriority", 0),
        ("TasksNotifyMode", mode),
    ))


def _result(ctx: GenContext, media: TencentMedia, name: str, definition: int | None, err: Failure | None) -> Body:
    word, key, share = _SUBTASKS[name]
    task_input, output = _BUILDERS[name](ctx, media, definition)
    begin, finish = task_times(ctx, media, share)
    ok = err is None
    return {"Type": word, key: body(
        ("Status", "SUCCESS" if ok else "FAIL"),
        ("ErrCodeExt", "" if ok else err.ext),
        ("ErrCode", 0 if ok else err.code),
        ("Message", "SUCCESS" if ok else err.message),
        ("Input", task_input),
        ("Output", output if ok else None),
        ("Progress", 100 if ok else None),
        ("BeginProcessTime", begin),
        ("FinishTime", finish),
    )}


def _transcode(ctx: GenContext, media: TencentMedia, definition: int | None) -> tuple[Body, Body]:
    assert definition is not None
    return {"Definition": definition}, transcode_output(media, template(definition), ctx.rng)


def _animated(ctx: GenContext, media: TencentMedia, _: int | None) -> tuple[Body, Body]:
    end = round(min(media.duration, 10.0), 3)
    scale = ANIMATED_LONG_SIDE / max(media.width, media.height)
    width, height = round(media.width * scale / 2) * 2, round(media.height * scale / 2) * 2
    bitrate = ctx.rng.randint(300_000, 900_000)
    return ({"Definition": ANIMATED_DEFINITION, "StartTimeOffset": 0, "EndTimeOffset": end}, {
        "Url": media.output_url(f"{stamp(ctx)}.{ANIMATED_DEFINITION}.gif"),
        "Definition": ANIMATED_DEFINITION,
        "Container": "gif",
        "Height": height,
        "Width": width,
        "Bitrate": bitrate,
        "Size": round(bitrate / 8 * end),
        "Md5": hex_id(ctx.rng),
        "StartTimeOffset": 0,
        "EndTimeOffset": end,
    })


def _snapshot(ctx: GenContext, media: TencentMedia, _: int | None) -> tuple[Body, Body]:
    seconds = sorted({round(media.duration * f, 1) for f in (0.1, 0.5, 0.9)})
    name = stamp(ctx)
    pics = [{"TimeOffset": s * 1000, "Url": media.output_url(f"{name}.{SNAPSHOT_DEFINITION}_{i}.jpg"),
             "WaterMarkDefinition": []} for i, s in enumerate(seconds)]
    return ({"Definition": SNAPSHOT_DEFINITION, "ExtTimeOffsetSet": [f"{s}s" for s in seconds]},
            {"Definition": SNAPSHOT_DEFINITION, "PicInfoSet": pics})


def _sample(ctx: GenContext, media: TencentMedia, _: int | None) -> tuple[Body, Body]:
    name = stamp(ctx)
    urls = [media.output_url(f"{name}.{SAMPLE_DEFINITION}_{i}.jpg") for i in range(10)]
    return ({"Definition": SAMPLE_DEFINITION}, {"Definition": SAMPLE_DEFINITION, "SampleType": "Percent",
                                                 "Interval": 10, "ImageUrlSet": urls, "WaterMarkDefinition": []})


def _sprite(ctx: GenContext, media: TencentMedia, _: int | None) -> tuple[Body, Body]:
    count = max(1, math.ceil(media.duration / SPRITE_INTERVAL))
    name = stamp(ctx)
    width, height = SPRITE_SMALL if media.width >= media.height else SPRITE_SMALL[::-1]
    return ({"Definition": SPRITE_DEFINITION}, {
        "Definition": SPRITE_DEFINITION,
        "Height": height,
        "Width": width,
        "TotalCount": min(count, SPRITE_GRID),
        "ImageUrlSet": [media.output_url(f"{name}.{SPRITE_DEFINITION}_{i}.jpg")
                        for i in range(math.ceil(count / SPRITE_GRID))],
        "WebVttUrl": media.output_url(f"{name}.{SPRITE_DEFINITION}.vtt"),
    })


def _adaptive(ctx: GenContext, media: TencentMedia, _: int | None) -> tuple[Body, Body]:
    return ({"Definition": ADAPTIVE_DEFINITION, "WatermarkSet": []},
            {"Definition": ADAPTIVE_DEFINITION, "Package": "HLS", "DrmType": "",
             "Url": media.output_url(f"adp.{ADAPTIVE_DEFINITION}.m3u8")})


def _cover(ctx: GenContext, media: TencentMedia, _: int | None) -> tuple[Body, Body]:
    return ({"Definition": COVER_DEFINITION, "PositionType": "Time", "PositionValue": 0},
            {"CoverUrl": media.output_url(f"{stamp(ctx)}.{COVER_DEFINITION}0_0.jpg")})


_BUILDERS: dict[str, Callable[[GenContext, TencentMedia, int | None], tuple[Body, Body]]] = {
    "transcode": _transcode, "animated_graphics": _animated, "snapshot": _snapshot,
    "sample_snapshot": _sample, "image_sprite": _sprite, "cover": _cover,
    "adaptive_streaming": _adaptive,
}


def _names(value: Any, knob: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
    names = (value,) if isinstance(value, str) else tuple(value)
    bad = [n for n in names if n not in allowed]
    if bad or not names:
        raise ValueError(f"params.{knob} = {value!r}; expected a non-empty list of {', '.join(allowed)}")
    return names


def parse_definitions(value: Any) -> tuple[int, ...]:
    items = (value,) if isinstance(value, int) else tuple(value)
    for d in items:
        if isinstance(d, bool) or not isinstance(d, int):
            raise ValueError(f"params.definitions: {d!r} is not a template id (an integer such as 100020)")
        try:
            template(d)
        except ValueError as exc:
            raise ValueError(f"params.definitions: {exc}") from None
    if not items:
        raise ValueError("params.definitions is empty")
    return items
