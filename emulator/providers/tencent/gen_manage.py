"""Media management events: NewFileUpload, PullComplete, FileDeleted, RestoreMediaComplete,
DescribeFileAttributesComplete, WechatMiniProgramPublishComplete."""

from __future__ import annotations

from typing import Any

from ..aliyun.context import GenContext
from .catalog import EventKind
from .gen_common import Body, at, body, choice, envelope, error, procedure_task_id, task_id
from .media import TencentMedia, basic_info, hex_id, metadata
from .shape import keeps

DELETE_PARTS = ("OriginalFiles", "TranscodeFiles", "AdaptiveDynamicStreamingFiles", "WechatPublishFiles",
                "WechatMiniProgramPublishFiles")
DEFAULT_DELETE_PARTS = ("OriginalFiles", "TranscodeFiles")
COLD_CLASSES = ("ARCHIVE", "DEEP_ARCHIVE")
RESTORE_TIERS = ("Expedited", "Standard", "Bulk")


def _procedure_id(ctx: GenContext, media: TencentMedia) -> str:
    """ProcedureTaskId: the flow's task flow when ``params.procedure`` is on, else empty."""
    return procedure_task_id(media) if ctx.params.get("procedure", False) else ""


def _tags(ctx: GenContext) -> tuple[str, ...]:
    tags = ctx.params.get("tags", ())
    if isinstance(tags, str) or not all(isinstance(t, str) for t in tags):
        raise ValueError(f"params.tags = {tags!r}; expected a list of strings")
    return tuple(tags)


def new_file_upload(kind: EventKind, ctx: GenContext, media: TencentMedia) -> Body:
    # The pass-through of an upload is SourceInfo.SourceContext (ApplyUpload, ≤ 250 characters).
    info = basic_info(media, at(ctx, ctx.rng.randint(3, 30)), at(ctx, ctx.rng.randint(1, 2)),
                      source_context=ctx.extend or "", tags=_tags(ctx))
    return envelope(kind, {
        "FileId": media.file_id,
        "MediaBasicInfo": info,
        "ProcedureTaskId": _procedure_id(ctx, media),
        "ReviewAudioVideoTaskId": "",
        "MetaData": metadata(media),
    })


def pull_complete(kind: EventKind, ctx: GenContext, media: TencentMedia) -> Body:
    err = error(ctx)
    ok = err is None
    info = basic_info(media, at(ctx, ctx.rng.randint(3, 30)), at(ctx, ctx.rng.randint(1, 2)), tags=_tags(ctx))
    # FileId, MediaBasicInfo and FileUrl exist only once the file was pulled.
    return envelope(kind, body(
        ("TaskId", task_id(media, "Pull", ctx)),
        ("Status", "FINISH"),
        ("ErrCode", 0 if ok else err.code),
        ("Message", "SUCCESS" if ok else err.message),
        ("FileId", media.file_id if ok else None),
        ("MediaBasicInfo", info if ok else None),
        ("MetaData", metadata(media) if ok else None),
        ("FileUrl", media.media_url if ok else None),
        ("ProcedureTaskId", _procedure_id(ctx, media) if ok else ""),
        ("ReviewAudioVideoTaskId", ""),
        ("SessionContext", ctx.extend or ""),
        ("SessionId", ""),
        ("Progress", 100 if ok else None),
    ))


def file_deleted(kind: EventKind, ctx: GenContext, media: TencentMedia) -> Body:
    parts = ctx.params.get("parts", DEFAULT_DELETE_PARTS)
    parts = (parts,) if isinstance(parts, str) else tuple(parts)
    bad = [p for p in parts if p not in DELETE_PARTS]
    if bad or not parts:
        raise ValueError(f"params.parts = {parts!r}; expected a non-empty list of {', '.join(DELETE_PARTS)}")
    definition = ctx.params.get("definition", 0)
    if isinstance(definition, bool) or not isinstance(definition, int):
        raise ValueError(f"params.definition = {definition!r}; expected a template id (0: all)")
    return envelope(kind, {
        "FileIdSet": [media.file_id],
        "FileDeleteResultInfo": [{
            "FileId": media.file_id,
            "DeleteParts": [{"Type": p, "Definition": definition} for p in parts],
        }],
    })


def restore_media(kind: EventKind, ctx: GenContext, media: TencentMedia) -> Body:
    original = choice(ctx, "original_storage_class", COLD_CLASSES, "ARCHIVE")
    tier = choice(ctx, "restore_tier", RESTORE_TIERS, "Standard")
    days = ctx.params.get("restore_day", 0)
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise ValueError(f"params.restore_day = {days!r}; expected 0 (permanent) or a number of days")
    if tier == "Expedited" and original == "DEEP_ARCHIVE":
        raise ValueError("restore_tier Expedited is not offered for DEEP_ARCHIVE")
    # A temporary restore keeps the storage class; a permanent one moves the file to STANDARD.
    # Status and Message are deprecated (sent with params.deprecated=all: the docs' example
    # shows 0 / "Restore success!").
    old = keeps(ctx.params, "RestoreMediaTask")
    return envelope(kind, body(
        ("FileId", media.file_id),
        ("OriginalStorageClass", original),
        ("TargetStorageClass", original if days else "STANDARD"),
        ("RestoreTier", tier),
        ("RestoreDay", days),
        ("Status", 0 if old else None),
        ("Message", "Restore success!" if old else None),
    ))


def describe_file_attributes(kind: EventKind, ctx: GenContext, media: TencentMedia) -> Body:
    err = error(ctx)
    ok = err is None
    return envelope(kind, body(
        ("TaskId", task_id(media, "DescribeFileAttributes", ctx)),
        ("Status", "SUCCESS" if ok else "FAIL"),  # this task's Status is PROCESSING / SUCCESS / FAIL
        ("ErrCode", 0 if ok else err.code),
        ("ErrCodeExt", "" if ok else err.ext),
        ("Message", "SUCCESS" if ok else err.message),
        ("Progress", 100 if ok else None),
        ("FileId", media.file_id),
        ("Output", {"Md5": media.md5, "Sha1": hex_id(ctx.rng, 40)} if ok else None),
        ("SessionId", ""),
        ("SessionContext", ctx.extend or ""),
    ))


def wechat_mini_program_publish(kind: EventKind, ctx: GenContext, media: TencentMedia) -> Body:
    err = error(ctx)
    ok = err is None
    source: Any = ctx.params.get("source_definition", 0)
    if isinstance(source, bool) or not isinstance(source, int):
        raise ValueError(f"params.source_definition = {source!r}; expected a template id (0: the original)")
    return envelope(kind, body(
        ("TaskId", task_id(media, "WechatMiniProgramPublish", ctx)),
        ("Status", "FINISH"),
        ("ErrCode", 0 if ok else err.code),
        ("Message", "SUCCESS" if ok else err.message),
        ("FileId", media.file_id),
        ("SourceDefinition", source),
        ("PublishResult", "Pass" if ok else "Failed"),
    ))
