"""Seeded generators: the canonical current callback body of each catalogued kind.

``generate(kind, ctx)`` depends only on its arguments: all randomness comes from
``ctx.rng``/``ctx.faker`` and all times from ``ctx.event_time``.  Keys are in the
order of the docs' field tables; optional fields that do not apply are left out.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import Any

from . import gen_ai, gen_manage, gen_transcode, gen_upload
from .catalog import EventKind
from .context import GenContext
from .gen_common import ERROR_PARAMS
from .presets import DEFAULT_PRESET, PRESETS
from .media import EXTEND_MAX_BYTES, ExtendTooLong, MediaAsset, check_extend, new_media

__all__ = ["EXTEND_KINDS", "EXTEND_MAX_BYTES", "ExtendTooLong", "PARAMS", "generate", "media_of"]

Generator = Callable[[EventKind, GenContext, MediaAsset], dict[str, Any]]

_GENERATORS: dict[str, Generator] = {
    "FileUploadComplete": gen_upload.file_upload,
    "ImageUploadComplete": gen_upload.image_upload,
    "AttachedMediaUploadComplete": gen_upload.attached_upload,
    "UploadByURLComplete": gen_upload.upload_by_url,
    "UploadByURLComplete:Stream": gen_upload.upload_stream_by_url,
    "StreamTranscodeComplete": gen_transcode.stream_transcode,
    "TranscodeComplete": gen_transcode.transcode,
    "SnapshotComplete": gen_transcode.snapshot,
    "DynamicImageComplete": gen_transcode.dynamic_image,
    "VideoAnalysisComplete": gen_transcode.video_analysis,
    "AddLiveRecordVideoComplete": gen_manage.add_live_record,
    "LiveRecordVideoComposeStart": gen_manage.live_compose_start,
    "CreateAuditComplete": gen_manage.create_audit,
    "ProduceMediaComplete": gen_manage.produce_media,
    "DeleteMediaComplete": gen_manage.delete_media,
    "MediaBaseChangeComplete": gen_manage.media_base_change,
    "UpdateMediaStorageClassComplete": gen_manage.update_storage_class,
    "RestoreMediaComplete": gen_manage.restore_media,
    "SubmitMediaRefreshComplete": gen_manage.submit_media_refresh,
    "WorkflowTaskComplete": gen_manage.workflow_task,
    "AIMediaAuditComplete": gen_ai.media_audit,
    "AIMediaDNAComplete": gen_ai.media_dna,
    "AIVideoTagComplete": gen_ai.video_tag,
}

# Kinds whose field table documents Extend (UserData.Extend pass-through).
EXTEND_KINDS: frozenset[str] = frozenset({
    "FileUploadComplete", "UploadByURLComplete:Stream", "StreamTranscodeComplete",
    "TranscodeComplete", "SnapshotComplete", "SubmitMediaRefreshComplete",
})

_STREAM = {
    "preset": f"transcode preset: {' | '.join(PRESETS)} (default {DEFAULT_PRESET}); decides Definitions, "
              "Format, encryption, audio, watermark",
    "encrypt_type": "AliyunVoDEncryption | HLSEncryption: Encrypt=true plus EncryptType (default: the preset's; "
                    "mp4: Encrypt=false, EncryptType left out)",
    "codec": "Codec of the output (default: the preset's, H.264 or MP3)",
}
_EVENT_TIME = {"event_time": "seconds | colon-ms | dot-ms: EventTime yyyy-MM-ddTHH:mm:ssZ, …ss:SSSZ or …ss.SSSZ "
                             "(default colon-ms, as the current page shows)"}

PARAMS: dict[str, dict[str, str]] = {
    "FileUploadComplete": {},
    "ImageUploadComplete": {"format": "jpg | png | gif (default jpg)", "app_id": "AppId (default app-1000000)",
                            **_EVENT_TIME},
    "AttachedMediaUploadComplete": {"format": "png | jpg | srt | vtt | txt (default png)"},
    "UploadByURLComplete": {"source_url": "SourceURL (default: a generated http URL)", **ERROR_PARAMS},
    "UploadByURLComplete:Stream": {
        "source_url": "SourceURL (default: a generated http URL)",
        "format": "mp4 | flv | m3u8 | mp3: extension of StreamFileURL (default mp4)",
        **ERROR_PARAMS,
    },
    "StreamTranscodeComplete": {
        "definition": "FD | LD | SD | HD | 2K | 4K | OD, AUTO (adaptive), SQ | HQ (audio) — one of the preset's "
                      "(default: seeded pick of the preset's ladder)",
        "format": "mp4 | m3u8 (default: the preset's)",
        **_STREAM,
        **ERROR_PARAMS,
    },
    "TranscodeComplete": {
        "streams": "list of stream dicts (e.g. StreamTranscodeComplete bodies) reported as StreamInfos "
                   "exactly, minus EventTime/EventType/VideoId/Extend; Status = success iff one succeeded",
        "definitions": "definitions of the generated streams when no streams are given (default: the preset's "
                       "ladder, LD, SD, HD for mp4)",
        "failed": "definitions among `definitions` whose stream fails (ctx.ok=False fails them all)",
        "format": "mp4 | m3u8 (default: the preset's)",
        **_STREAM,
        **ERROR_PARAMS,
    },
    "SnapshotComplete": {
        "count": "SnapshotCount of the snapshots (default 3)",
        "snapshot_type": "CoverSnapshot | NormalSnapshot (default CoverSnapshot)",
        "sprite": "also report a SpriteSnapshot (default false)",
        "sub_type": "SpecifiedTime for a SubmitSnapshotJob snapshot (default: SubType left out)",
        **ERROR_PARAMS,
    },
    "DynamicImageComplete": {"width": "GIF width in px (default 320)", "fps": "GIF fps (default 10)",
                             **ERROR_PARAMS},
    "VideoAnalysisComplete": {"audio_only": "leave out Width/Height/Fps (default false)", **ERROR_PARAMS},
    "AddLiveRecordVideoComplete": {
        "stream_name": "StreamName", "domain_name": "DomainName", "app_name": "AppName (default live)",
    },
    "LiveRecordVideoComposeStart": {
        "stream_name": "StreamName", "domain_name": "DomainName", "app_name": "AppName (default live)",
    },
    "CreateAuditComplete": {
        "audit_status": "Normal | Blocked (default Normal)",
        "reason": "Reason (default: 'Vulgar content' when Blocked, else left out)",
        "auditor": "Auditor (default: a generated user name)",
    },
    "ProduceMediaComplete": {"project_id": "ProjectId (default: generated)", **ERROR_PARAMS},
    "DeleteMediaComplete": {
        "delete_type": "all | mezzanine | stream (default all)",
        "media_type": "video | image | attached (default video)",
        "job_ids": "list of JobIds reported when delete_type=stream (default: two generated)",
        **ERROR_PARAMS,
    },
    "MediaBaseChangeComplete": {
        "operate_mode": "create | update | delete (default update)",
        "media_type": "video | image | attached (default video)",
    },
    "UpdateMediaStorageClassComplete": {
        "scope": "All | SourceFile (default All)",
        "storage_class": "Standard | IA | Archive | ColdArchive (default Archive)",
        "trigger_by": "API | LifeCycle (default API)",
        **ERROR_PARAMS,
    },
    "RestoreMediaComplete": {"restore_days": "days until RestoreExpiration (default 7)", **ERROR_PARAMS},
    "SubmitMediaRefreshComplete": {
        "task_type": "refresh | preload | Refresh | Preload (default refresh, the example's case; the table "
                     "says Refresh)",
        "urls": "list of playback URLs submitted (default: one per definition on the CDN domain)",
        "definitions": "definitions of the default URLs (default LD, SD, HD)",
        **ERROR_PARAMS,
    },
    "WorkflowTaskComplete": {
        "activities": "ActivityIds run in order (default VideoTranslation); on failure the last one fails",
        "workflow_id": "WorkflowId (default: generated)",
        "user_id": "UserId (default: a generated 16-digit account id)",
    },
    "AIMediaAuditComplete": {"suggestion": "pass | review | block (default pass)", **_EVENT_TIME, **ERROR_PARAMS},
    "AIMediaDNAComplete": {"matches": "number of similar videos in VideoDNA (default 1)", **_EVENT_TIME,
                           **ERROR_PARAMS},
    "AIVideoTagComplete": {**ERROR_PARAMS},
}


def media_of(ctx: GenContext) -> MediaAsset:
    """The flow's media asset, or a fresh one drawn from the context's generators."""
    if ctx.media is not None:
        if not isinstance(ctx.media, MediaAsset):
            raise TypeError(f"ctx.media must be a MediaAsset, not {type(ctx.media).__name__}")
        return ctx.media
    return new_media(ctx.rng, ctx.faker, ctx.region)


def generate(kind: EventKind, ctx: GenContext) -> dict[str, Any]:
    """The callback body of ``kind`` for ``ctx`` (success or failure form per ``ctx.ok``).

    Raises :class:`ExtendTooLong` when ``ctx.extend`` exceeds 512 bytes and ``ValueError``
    for a ``ctx.params`` knob this kind does not understand.
    """
    check_extend(ctx.extend)
    check_params(kind.name, ctx.params, PARAMS[kind.name])
    return _GENERATORS[kind.name](kind, ctx, media_of(ctx))


def check_params(kind_name: str, params: dict[str, Any], known: dict[str, str]) -> None:
    """``ValueError`` for a ``params`` knob the kind's generator does not understand (both providers)."""
    for name in params:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            accepted = ", ".join(known) or "none"
            raise ValueError(f"{kind_name} does not understand params.{name}{hint} (accepted: {accepted})")
