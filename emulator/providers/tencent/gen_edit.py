"""Editing and review events: EditMediaComplete, SplitMediaComplete, ComposeMediaComplete,
ReviewAudioVideoComplete.  The flow's media is the *input*; outputs are new files."""

from __future__ import annotations

import dataclasses
from typing import Any

from ..aliyun.context import GenContext
from .catalog import EventKind
from .gen_common import Body, at, body, choice, envelope, error, task_id
from .media import EXPIRE_NEVER, TencentMedia, basic_info, hex_id, metadata, new_file_id

SUGGESTIONS = ("pass", "review", "block")
LABELS = ("Porn", "Terror", "Polity", "Ad", "Illegal", "Abuse", "Moan")
REVIEW_DEFINITION = 10  # preset review template
SEGMENT_URL_DAYS = 7    # lifetime given to SegmentSetFileUrl / PicUrl in generated bodies


def derived(media: TencentMedia, ctx: GenContext, duration: float, name: str) -> TencentMedia:
    """A new file made from ``media``: new FileId and folder, same streams, ``duration`` seconds."""
    return dataclasses.replace(media, file_id=new_file_id(ctx.rng), file_tag=hex_id(ctx.rng, 8),
                               duration=round(duration, 3), name=name, source_key="f0.mp4")


def _offsets(ctx: GenContext, media: TencentMedia) -> tuple[float, float]:
    start = ctx.params.get("start_time_offset", 0)
    end = ctx.params.get("end_time_offset", 0)
    for knob, value in (("start_time_offset", start), ("end_time_offset", end)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise ValueError(f"params.{knob} = {value!r}; expected seconds ≥ 0 (0: the start / the end)")
    stop = end or media.duration
    if start >= stop or stop > media.duration:
        raise ValueError(f"offsets {start}..{end} do not cut a segment out of a {media.duration} s file")
    return start, end


def edit_media(kind: EventKind, ctx: GenContext, media: TencentMedia) -> Body:
    err = error(ctx)
    ok = err is None
    start, end = _offsets(ctx, media)
    out = derived(media, ctx, (end or media.duration) - start, media.name)
    return envelope(kind, body(
        ("TaskId", task_id(media, "EditMedia", ctx)),
        ("Status", "FINISH"),
        ("ErrCode", 0 if ok else err.code),
        ("ErrCodeExt", "" if ok else err.ext),
        ("Message", "SUCCESS" if ok else err.message),
        ("Progress", 100 if ok else None),
        ("Input", {"InputType": "File",
                   "FileInfoSet": [{"FileId": media.file_id, "StartTimeOffset": start, "EndTimeOffset": end}]}),
        ("Output", _output(out) if ok else None),
        ("MetaData", metadata(out) if ok else None),
        ("ProcedureTaskId", ""),
        ("ReviewAudioVideoTaskId", ""),
        ("SessionId", ""),
        ("SessionContext", ctx.extend or ""),
    ))


def split_media(kind: EventKind, ctx: GenContext, media: TencentMedia) -> Body:
    err = error(ctx)
    ok = err is None
    count = ctx.params.get("segments", 2)
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ValueError(f"params.segments = {count!r}; expected a count ≥ 1")
    step = round(media.duration / count, 3)
    infos = []
    for i in range(count):
        start = round(i * step, 3)
        end = media.duration if i == count - 1 else round(start + step, 3)
        out = derived(media, ctx, end - start, f"{media.name} {i + 1}")
        info = basic_info(out, at(ctx, 2), at(ctx, 1), source_type="VideoProcessing")
        infos.append(body(
            ("Input", {"FileId": media.file_id, "StartTimeOffset": start, "EndTimeOffset": end,
                       "OutputConfig": {"MediaName": out.name, "Type": "mp4", "ClassId": 0,
                                        "ExpireTime": EXPIRE_NEVER}}),
            ("Output", {"FileId": out.file_id, "MediaBasicInfo": info} if ok else None),
            ("ProcedureTaskId", ""),
            ("ReviewAudioVideoTaskId", ""),
        ))
    return envelope(kind, body(
        ("TaskId", task_id(media, "SplitMedia", ctx)),
        ("Status", "FINISH"),
        ("ErrCodeExt", "" if ok else err.ext),
        ("ErrCode", 0 if ok else err.code),
        ("Message", "SUCCESS" if ok else err.message),
        ("FileInfoSet", infos),
        ("SessionContext", ctx.extend or ""),
        ("SessionId", ""),
        ("Progress", 100 if ok else None),
    ))


def compose_media(kind: EventKind, ctx: GenContext, media: TencentMedia) -> Body:
    err = error(ctx)
    ok = err is None
    name = str(ctx.params.get("file_name", f"{media.name} (composed)"))
    out = derived(media, ctx, media.duration, name)
    item = {"Type": "Video", "VideoItem": {"SourceMedia": media.file_id, "SourceMediaStartTime": 0,
                                           "Duration": media.duration}}
    return envelope(kind, body(
        ("TaskId", task_id(media, "ComposeMedia", ctx)),
        ("Status", "FINISH"),
        ("ErrCode", 0 if ok else err.code),
        ("Message", "SUCCESS" if ok else err.message),
        ("Progress", 100 if ok else None),
        ("Input", {"Tracks": [{"Type": "Video", "TrackItems": [item]}],
                   "Output": {"FileName": name, "Container": "mp4"}}),
        ("Output", _output(out) if ok else None),
        ("MetaData", metadata(out) if ok else None),
        ("SessionId", ""),
        ("SessionContext", ctx.extend or ""),
    ))


def _output(out: TencentMedia) -> Body:
    """EditMediaTaskOutput / ComposeMediaTaskOutput of a new file."""
    return {"FileType": "mp4", "FileUrl": out.media_url, "FileId": out.file_id, "MediaName": out.name,
            "ClassId": 0, "ExpireTime": EXPIRE_NEVER}


def review_audio_video(kind: EventKind, ctx: GenContext, media: TencentMedia) -> Body:
    err = error(ctx)
    ok = err is None
    suggestion = choice(ctx, "suggestion", SUGGESTIONS, "pass")
    label = choice(ctx, "label", LABELS, "Porn")
    return envelope(kind, body(
        ("TaskId", task_id(media, "ReviewAudioVideo", ctx, "t")),
        ("Status", "FINISH"),
        ("ErrCodeExt", "" if ok else err.ext),
        ("Message", "SUCCESS" if ok else err.message),
        ("Input", {"FileId": media.file_id, "Definition": REVIEW_DEFINITION, "ReviewContents": ["Media"]}),
        ("Output", _review_output(ctx, media, suggestion, label) if ok else None),
        ("SessionId", ""),
        ("SessionContext", ctx.extend or ""),
    ))


def _review_output(ctx: GenContext, media: TencentMedia, suggestion: str, label: str) -> Body:
    expire = at(ctx, -SEGMENT_URL_DAYS * 86400)
    if suggestion == "pass":
        return {"Suggestion": "pass", "SegmentSet": []}
    segments: list[dict[str, Any]] = []
    starts = sorted(round(ctx.rng.uniform(0, max(media.duration - 1, 0)), 1) for _ in range(ctx.rng.randint(1, 3)))
    for i, start in enumerate(starts):
        segments.append({
            "StartTimeOffset": start,
            "EndTimeOffset": round(min(start + 1, media.duration), 1),
            "Confidence": round(ctx.rng.uniform(60, 99), 1) if suggestion == "review" else 99,
            "Suggestion": suggestion,
            "Label": label,
            "SubLabel": label.lower(),
            "Form": "Image",
            "AreaCoordSet": [],
            "Text": "",
            "KeywordSet": [],
            "Url": media.output_url(f"review/screenshot_{i}_{int(ctx.event_time.timestamp())}.jpg"),
            "PicUrlExpireTime": expire,
        })
    return {
        "Suggestion": suggestion,
        "Label": label,
        "Form": "Image",
        "SegmentSet": segments,
        "SegmentSetFileUrl": media.output_url(f"review/segments_{hex_id(ctx.rng, 8)}.json"),
        "SegmentSetFileUrlExpireTime": expire,
    }
