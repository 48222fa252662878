"""Seeded generators: the canonical current ``EventContent`` of each catalogued kind.

``generate(kind, ctx)`` depends only on its arguments: all randomness comes from
``ctx.rng``/``ctx.faker`` and all times from ``ctx.event_time``.  The body is what a
normal (PUSH) callback carries: no ``EventHandle``; the other members null as production
sends them, or left out (``params.null_members`` false), see :mod:`.shape`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..aliyun.context import GenContext
from . import gen_ai, gen_edit, gen_legacy, gen_manage, gen_newer, gen_procedure
from ..aliyun.generate import check_params
from .catalog import EventKind
from .gen_common import ERROR_PARAMS
from .shape import STYLE_PARAMS, shape
from .media import (
    EXTEND_FIELD, EXTEND_MAX_CHARS, SOURCE_CONTEXT_MAX_CHARS, ExtendTooLong, TencentMedia, check_extend, new_media,
)

__all__ = ["EXTEND_FIELD", "EXTEND_FIELDS", "EXTEND_KINDS", "ExtendTooLong", "PARAMS", "extend_limit", "generate",
           "media_of"]

Generator = Callable[[EventKind, GenContext, TencentMedia], dict[str, Any]]

_GENERATORS: dict[str, Generator] = {
    "NewFileUpload": gen_manage.new_file_upload,
    "ProcedureStateChanged": gen_procedure.procedure,
    "FileDeleted": gen_manage.file_deleted,
    "PullComplete": gen_manage.pull_complete,
    "EditMediaComplete": gen_edit.edit_media,
    "SplitMediaComplete": gen_edit.split_media,
    "ComposeMediaComplete": gen_edit.compose_media,
    "ClipComplete": gen_legacy.clip_2017,
    "TranscodeComplete": gen_legacy.transcode_2017,
    "CreateImageSpriteComplete": gen_legacy.image_sprite_2017,
    "ConcatComplete": gen_legacy.concat_2017,
    "CreateSnapshotByTimeOffsetComplete": gen_legacy.snapshot_2017,
    "ReviewAudioVideoComplete": gen_edit.review_audio_video,
    "RestoreMediaComplete": gen_manage.restore_media,
    "DescribeFileAttributesComplete": gen_manage.describe_file_attributes,
    "WechatMiniProgramPublishComplete": gen_manage.wechat_mini_program_publish,
    "QualityInspectComplete": gen_newer.quality_inspect,
    "QualityEnhanceComplete": gen_newer.quality_enhance,
    "PersistenceComplete": gen_newer.persistence,
    "ComplexAdaptiveDynamicStreamingComplete": gen_newer.complex_adaptive,
    "ProcessMediaByMPSComplete": gen_newer.process_media_by_mps,
    "ExtractTraceWatermarkComplete": gen_newer.extract_trace_watermark,
    "ExtractCopyRightWatermarkComplete": gen_newer.extract_copyright_watermark,
    "RemoveWatermark": gen_newer.remove_watermark,
}

# Where ``ctx.extend`` goes, per kind: (path inside the payload, documented character limit).
# Task events pass SessionContext through (≤ 1000); an upload passes the SourceContext given
# at upload time (ApplyUpload, ≤ 250).  The 2017 structures and deletion/restore carry neither.
_SESSION = (EXTEND_FIELD, EXTEND_MAX_CHARS)
EXTEND_FIELDS: dict[str, tuple[str, int]] = {
    "NewFileUpload": ("MediaBasicInfo.SourceInfo.SourceContext", SOURCE_CONTEXT_MAX_CHARS),
    "ProcedureStateChanged": _SESSION,
    "PullComplete": _SESSION,
    "EditMediaComplete": _SESSION,
    "SplitMediaComplete": _SESSION,
    "ComposeMediaComplete": _SESSION,
    "ReviewAudioVideoComplete": _SESSION,
    "DescribeFileAttributesComplete": _SESSION,
    "QualityInspectComplete": _SESSION,
    "QualityEnhanceComplete": _SESSION,
    "ExtractTraceWatermarkComplete": _SESSION,
    "ExtractCopyRightWatermarkComplete": _SESSION,
    "RemoveWatermark": _SESSION,
}
EXTEND_KINDS: frozenset[str] = frozenset(EXTEND_FIELDS)

_PROCEDURE = {"procedure": "true: ProcedureTaskId names the flow's task flow (the TaskId ProcedureStateChanged "
                           "reports for this media); default false: empty"}

PARAMS: dict[str, dict[str, str]] = {
    "NewFileUpload": {**_PROCEDURE, "tags": "TagSet, a list of strings (default empty)"},
    "ProcedureStateChanged": {
        "tasks": "sub-tasks in MediaProcessResultSet, among " + ", ".join(gen_procedure.TASK_NAMES)
                 + " (default transcode, cover)",
        "definitions": "transcoding template ids, one Transcode result each (default 100010, 100020, 100030; "
                       "presets 1000x0 MP4 and 1002x0 HLS for x = 1, 2, 3, 4, 7, 8)",
        "failed": "task names and/or definitions whose sub-task fails (ctx.ok=False fails them all)",
        "tasks_notify_mode": "Finish | Change (default Finish)",
        "task_id": "TaskId (default: derived from the FileId, as NewFileUpload/PullComplete procedure=true report)",
        "session_id": "SessionId (default empty)",
        **gen_ai.PARAMS,
        **ERROR_PARAMS,
    },
    "FileDeleted": {
        "parts": "DeleteParts types: OriginalFiles, TranscodeFiles, AdaptiveDynamicStreamingFiles, "
                 "WechatPublishFiles, WechatMiniProgramPublishFiles (default OriginalFiles, TranscodeFiles)",
        "definition": "Definition of every DeleteParts item (default 0: all templates)",
    },
    "PullComplete": {**_PROCEDURE, "tags": "TagSet, a list of strings (default empty)", **ERROR_PARAMS},
    "EditMediaComplete": {
        "start_time_offset": "StartTimeOffset of the input, seconds (default 0: the start)",
        "end_time_offset": "EndTimeOffset of the input, seconds (default 0: the end)",
        **ERROR_PARAMS,
    },
    "SplitMediaComplete": {"segments": "number of equal segments (default 2)", **ERROR_PARAMS},
    "ComposeMediaComplete": {"file_name": "Output FileName / MediaName (default: '<name> (composed)')",
                             **ERROR_PARAMS},
    "ClipComplete": {**ERROR_PARAMS},
    "TranscodeComplete": {"definitions": "template ids reported in PlayInfoSet after the original "
                                         "(default 100010, 100020, 100030)", **ERROR_PARAMS},
    "CreateImageSpriteComplete": {**ERROR_PARAMS},
    "ConcatComplete": {"sources": "number of source files, the flow's media first (default 2)", **ERROR_PARAMS},
    "CreateSnapshotByTimeOffsetComplete": {
        "time_offsets": "TimeOffset of each snapshot, milliseconds (default 25 %, 50 %, 75 % of the duration)",
        **ERROR_PARAMS,
    },
    "ReviewAudioVideoComplete": {
        "suggestion": "pass | review | block (default pass)",
        "label": "Label of review/block: " + ", ".join(gen_edit.LABELS) + " (default Porn)",
        **ERROR_PARAMS,
    },
    "RestoreMediaComplete": {
        "original_storage_class": "ARCHIVE | DEEP_ARCHIVE (default ARCHIVE)",
        "restore_tier": "Expedited | Standard | Bulk (default Standard)",
        "restore_day": "days a temporary copy lives (default 0: a permanent restore to STANDARD)",
    },
    "DescribeFileAttributesComplete": {**ERROR_PARAMS},
    "WechatMiniProgramPublishComplete": {"source_definition": "SourceDefinition (default 0: the original)",
                                         **ERROR_PARAMS},
    **{name: {**knobs, **({} if name == "PersistenceComplete" else ERROR_PARAMS)}
       for name, knobs in gen_newer.PARAMS.items()},
}
for _knobs in PARAMS.values():   # how the body is shaped: every kind takes these
    _knobs.update(STYLE_PARAMS)


def extend_limit(kind: EventKind) -> tuple[str, int]:
    """(field, character limit) that ``ctx.extend`` is held to for ``kind``."""
    return EXTEND_FIELDS.get(kind.name, _SESSION)


def media_of(ctx: GenContext) -> TencentMedia:
    """The flow's media file, or a fresh one drawn from the context's generators."""
    if ctx.media is not None:
        if not isinstance(ctx.media, TencentMedia):
            raise TypeError(f"ctx.media must be a TencentMedia, not {type(ctx.media).__name__}")
        return ctx.media
    return new_media(ctx.rng, ctx.faker, ctx.region)


def generate(kind: EventKind, ctx: GenContext) -> dict[str, Any]:
    """The EventContent of ``kind`` for ``ctx`` (success or failure form per ``ctx.ok``).

    Raises :class:`ExtendTooLong` when ``ctx.extend`` exceeds its field's documented limit and
    ``ValueError`` for a ``ctx.params`` knob this kind does not understand, a bad knob value,
    or ``ctx.ok=False`` on a kind that has no failure form.
    """
    check_extend(ctx.extend, *extend_limit(kind))
    check_params(kind.name, ctx.params, PARAMS[kind.name])
    if not ctx.ok and not kind.failure_form:
        raise ValueError(f"{kind.name} has no failure form: its payload has no error fields "
                         "(the service does not report this operation failing through this event)")
    return shape(kind, _GENERATORS[kind.name](kind, ctx, media_of(ctx)), ctx.params)
