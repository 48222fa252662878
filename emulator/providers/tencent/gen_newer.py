"""Newer event types of the SDK's EventContent: QualityInspectComplete, QualityEnhanceComplete,
PersistenceComplete, ComplexAdaptiveDynamicStreamingComplete, ProcessMediaByMPSComplete,
ExtractTraceWatermarkComplete, ExtractCopyRightWatermarkComplete, RemoveWatermark.

The docs show no body for these; field lists and value words are the SDK models'
(QualityInspectTask, QualityEnhanceTask, PersistenceCompleteTask,
ComplexAdaptiveDynamicStreamingTask, ProcessMediaByMPS, ExtractTraceWatermarkTask,
ExtractCopyRightWatermarkTask, RemoveWatermarkTask in tencentcloud-sdk-python-vod).
"""

from __future__ import annotations

import json

from ..aliyun.context import GenContext
from .catalog import EventKind
from .gen_common import Body, body, choice, envelope, error, task_id
from .media import EXPIRE_NEVER, TencentMedia, hex_id, metadata, new_file_id
from .shape import keeps

INSPECT_DEFINITION = 10
ENHANCE_DEFINITION = 10
ADAPTIVE_DEFINITION = 10
PERSISTENCE_SOURCES = ("SimpleHlsClip", "FastEditMedia", "LiveRealTimeClip")
INSPECT_TYPES = ("Jitter", "Blur", "LowLighting", "HighLighting", "CrashScreen", "BlackWhiteEdge", "SolidColorScreen",
                 "Noise", "Mosaic", "QRCode", "LowVoice", "HighVoice", "NoVoice")
MPS_TASK_TYPES = ("MediaProcess.Transcode", "AiAnalysis.DeLogo", "AiAnalysis.Highlight")
PACKAGES = ("HLS", "MPEG-DASH")

PARAMS: dict[str, dict[str, str]] = {
    "QualityInspectComplete": {"issues": "QualityInspectResultSet Types found, among " + ", ".join(INSPECT_TYPES)
                                         + " (default none)", "score": "QualityEvaluationScore 0-100 (default seeded)"},
    "QualityEnhanceComplete": {},
    "PersistenceComplete": {"source": "PersistenceSource: " + ", ".join(PERSISTENCE_SOURCES)
                                      + " (default SimpleHlsClip)"},
    "ComplexAdaptiveDynamicStreamingComplete": {"format": "HLS | MPEG-DASH (default HLS)"},
    "ProcessMediaByMPSComplete": {"task_type": "SubTaskSet TaskType: " + ", ".join(MPS_TASK_TYPES)
                                               + " (default MediaProcess.Transcode)"},
    "ExtractTraceWatermarkComplete": {},
    "ExtractCopyRightWatermarkComplete": {"text": "Output.Text, the copyright text found (default seeded)"},
    "RemoveWatermark": {},
}


def _ok(err: object) -> bool:
    return err is None


def quality_inspect(kind: EventKind, ctx: GenContext, media: TencentMedia) -> Body:
    err = error(ctx)
    found = ctx.params.get("issues", ())
    found = (found,) if isinstance(found, str) else tuple(found)
    if any(t not in INSPECT_TYPES for t in found):
        raise ValueError(f"params.issues = {found!r}; expected a list of {', '.join(INSPECT_TYPES)}")
    score = ctx.params.get("score", ctx.rng.randint(60, 95))
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 100:
        raise ValueError(f"params.score = {score!r}; expected an integer 0-100")
    results = []
    for t in found:
        start = round(ctx.rng.uniform(0, max(0.0, media.duration - 2)), 3)
        results.append({"Type": t, "SegmentSet": [{"StartTimeOffset": start, "EndTimeOffset": round(start + 2, 3)}]})
    output = {"NoAudio": 0, "NoVideo": 0, "QualityEvaluationScore": score, "QualityInspectResultSet": results}
    return envelope(kind, body(
        ("TaskId", task_id(media, "QualityInspect", ctx)),
        ("Status", "FINISH"),
        ("ErrCodeExt", "" if _ok(err) else err.ext),
        ("Message", "" if _ok(err) else err.message),
        ("MetaData", metadata(media)),
        ("Input", {"FileId": media.file_id, "Definition": INSPECT_DEFINITION}),
        ("Output", output if _ok(err) else None),
        ("SessionId", ""),
        ("SessionContext", ctx.extend or ""),
    ))


def quality_enhance(kind: EventKind, ctx: GenContext, media: TencentMedia) -> Body:
    err = error(ctx)
    out_id = new_file_id(ctx.rng)
    output = {"FileType": "mp4", "FileUrl": media.output_url(f"enhance/{hex_id(ctx.rng, 12)}.mp4"), "FileId": out_id,
              "MediaName": f"{media.name} (enhanced)", "ClassId": 0, "ExpireTime": EXPIRE_NEVER}
    return envelope(kind, body(
        ("TaskId", task_id(media, "QualityEnhance", ctx)),
        ("Status", "FINISH"),
        ("ErrCode", 0 if _ok(err) else err.code),
        ("Message", "SUCCESS" if _ok(err) else err.message),
        ("ErrCodeExt", "" if _ok(err) else err.ext),
        ("Progress", 100 if _ok(err) else None),
        ("Input", {"FileId": media.file_id, "Definition": ENHANCE_DEFINITION}),
        ("Output", output if _ok(err) else None),
        ("MetaData", metadata(media) if _ok(err) else None),
        ("SessionId", ""),
        ("SessionContext", ctx.extend or ""),
    ))


def persistence(kind: EventKind, ctx: GenContext, media: TencentMedia) -> Body:
    # The persisted clip is a new media file: the flow's media is what was clipped into it.
    return envelope(kind, {"FileId": media.file_id,
                           "PersistenceSource": choice(ctx, "source", PERSISTENCE_SOURCES, "SimpleHlsClip")})


def complex_adaptive(kind: EventKind, ctx: GenContext, media: TencentMedia) -> Body:
    err = error(ctx)
    fmt = choice(ctx, "format", PACKAGES, "HLS")
    ext = "m3u8" if fmt == "HLS" else "mpd"
    result = body(
        ("Status", "SUCCESS" if _ok(err) else "FAIL"),
        ("ErrCodeExt", "" if _ok(err) else err.ext),
        ("Message", "SUCCESS" if _ok(err) else err.message),
        ("Progress", 100 if _ok(err) else None),
        ("Input", {"StreamPara": {"Definition": ADAPTIVE_DEFINITION}}),
        ("Output", {"Definition": ADAPTIVE_DEFINITION, "Format": fmt, "DrmType": "",
                    "Url": media.output_url(f"adp.{ADAPTIVE_DEFINITION}.{ext}")} if _ok(err) else None),
    )
    # FileId is not a member of this task; the flow's media shows in the output URL only.
    return envelope(kind, {"TaskId": task_id(media, "ComplexAdaptiveDynamicStreaming", ctx), "Status": "FINISH",
                           "ComplexAdaptiveDynamicStreamingTaskResultSet": [result]})


def process_media_by_mps(kind: EventKind, ctx: GenContext, media: TencentMedia) -> Body:
    err = error(ctx)
    task_type = choice(ctx, "task_type", MPS_TASK_TYPES, "MediaProcess.Transcode")
    out_id = new_file_id(ctx.rng)
    output = {"OutputFiles": [{"FileType": f"{task_type}.Video", "StorageMode": "Permanent", "FileId": out_id,
                               "Url": media.output_url(f"mps/{hex_id(ctx.rng, 12)}.mp4"), "Definition": "0",
                               "ExpiredTime": 0}],
              "OutputText": ""}
    return envelope(kind, {
        "TaskId": task_id(media, "ProcessMediaByMPS", ctx),
        "Status": "FINISH",
        "ErrCode": 0,
        "Message": "",
        "SubTaskSet": [body(
            ("TaskType", task_type),
            ("Status", "SUCCESS" if _ok(err) else "FAIL"),
            ("ErrCode", "0" if _ok(err) else str(err.code)),
            ("Message", "SUCCESS" if _ok(err) else err.message),
            ("Input", json.dumps({"FileId": media.file_id}, separators=(",", ":"))),
            ("Output", output if _ok(err) else None),
        )],
    })


def _task(kind: EventKind, ctx: GenContext, media: TencentMedia, name: str, task_input: Body,
          output: Body | None, *, code_first: bool = True) -> Body:
    """The common shape of the watermark tasks: TaskId, Status, error fields, Input, Output, session."""
    err = error(ctx)
    codes = [("ErrCode", 0 if _ok(err) else err.code), ("Message", "SUCCESS" if _ok(err) else err.message),
             ("ErrCodeExt", "" if _ok(err) else err.ext)]
    if not code_first:
        codes = [codes[2], codes[0], codes[1]]
    return envelope(kind, body(
        ("TaskId", task_id(media, name, ctx)), ("Status", "FINISH"), *codes,
        ("Input", task_input), ("Output", output if _ok(err) else None),
        ("SessionId", ""), ("SessionContext", ctx.extend or "")))


def extract_trace_watermark(kind: EventKind, ctx: GenContext, media: TencentMedia) -> Body:
    uv = hex_id(ctx.rng, 6)
    output = body(("Uv", uv), ("Uid", uv if keeps(ctx.params, "ExtractTraceWatermarkTaskOutput") else None))
    return _task(kind, ctx, media, "ExtractTraceWatermark",
                 {"Url": media.output_url("v.f100030.mp4"), "FileId": media.file_id}, output)


def extract_copyright_watermark(kind: EventKind, ctx: GenContext, media: TencentMedia) -> Body:
    text = str(ctx.params.get("text", "copyright-" + hex_id(ctx.rng, 8)))
    # The task names no FileId: the flow's media shows in the input URL.
    return _task(kind, ctx, media, "ExtractCopyRightWatermark", {"Url": media.output_url("v.f100030.mp4")},
                 {"Text": text})


def remove_watermark(kind: EventKind, ctx: GenContext, media: TencentMedia) -> Body:
    out_id = new_file_id(ctx.rng)
    output = {"FileId": out_id, "FileType": "mp4", "FileUrl": media.output_url(f"removeWatermark/{out_id}.mp4"),
              "MediaName": f"{media.name} (no watermark)"[:64], "MetaData": metadata(media)}
    return _task(kind, ctx, media, "RemoveWatermark", {"FileId": media.file_id}, output, code_first=False)
