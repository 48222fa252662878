"""Live-recording, review, editing and media-management events."""

from __future__ import annotations

import json

from .catalog import EventKind
from .context import GenContext
from .gen_common import (
    NO_SUCH_KEY, RESOURCE_BAD, VIDEO_NOT_FOUND, Body, body, choice, code, error, head, message, when_ok,
)
from .media import MediaAsset, fmt_time, hex_id, seconds_before

MEDIA_TYPES = ("video", "image", "attached")
DELETE_TYPES = ("all", "mezzanine", "stream")
OPERATE_MODES = ("create", "update", "delete")
AUDIT_STATUSES = ("Normal", "Blocked")
SCOPES = ("All", "SourceFile")
STORAGE_CLASSES = ("Standard", "IA", "Archive", "ColdArchive")
TRIGGERS = ("API", "LifeCycle")
TASK_TYPES = ("refresh", "preload", "Refresh", "Preload")  # example: lower case; table: capitalised


def _compact_json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _live(ctx: GenContext) -> tuple[tuple[str, str], ...]:
    return (
        ("StreamName", str(ctx.params.get("stream_name", f"stream_{hex_id(ctx.rng, 8)}"))),
        ("DomainName", str(ctx.params.get("domain_name", f"live.{ctx.faker.domain_name()}"))),
        ("AppName", str(ctx.params.get("app_name", "live"))),
    )


def add_live_record(kind: EventKind, ctx: GenContext, media: MediaAsset) -> Body:
    end = seconds_before(ctx.event_time, ctx.rng.randint(1, 5))
    start = seconds_before(end, media.duration)
    return body(
        *head(kind, ctx, media),
        ("Status", kind.status_word(ctx.ok)),
        *_live(ctx),
        ("RecordStartTime", fmt_time(start)),
        ("RecordEndTime", fmt_time(end)),
    )


def live_compose_start(kind: EventKind, ctx: GenContext, media: MediaAsset) -> Body:
    return body(*head(kind, ctx, media), ("Status", kind.status_word(ctx.ok)), *_live(ctx))


def create_audit(kind: EventKind, ctx: GenContext, media: MediaAsset) -> Body:
    audit_status = choice(ctx, "audit_status", AUDIT_STATUSES, "Normal")
    reason = ctx.params.get("reason", "Vulgar content" if audit_status == "Blocked" else None)
    return body(
        ("EventType", kind.event_type),
        ("EventTime", fmt_time(ctx.event_time)),
        ("Status", kind.status_word(ctx.ok)),
        ("MediaId", media.video_id),
        ("SubType", "video"),
        ("AuditStatus", audit_status),
        ("CreationTime", fmt_time(seconds_before(ctx.event_time, ctx.rng.randint(1, 10)))),
        ("Auditor", str(ctx.params.get("auditor", ctx.faker.user_name()))),
        ("Reason", reason),
    )


def produce_media(kind: EventKind, ctx: GenContext, media: MediaAsset) -> Body:
    err = error(ctx, RESOURCE_BAD)
    return body(
        ("EventTime", fmt_time(ctx.event_time)),
        ("EventType", kind.event_type),
        ("Status", kind.status_word(ctx.ok)),
        ("MediaId", media.video_id),
        ("ProjectId", str(ctx.params.get("project_id", hex_id(ctx.rng)))),
        ("ErrorCode", code(err)),
        ("ErrorMessage", message(err)),
    )


def delete_media(kind: EventKind, ctx: GenContext, media: MediaAsset) -> Body:
    err = error(ctx, VIDEO_NOT_FOUND)
    delete_type = choice(ctx, "delete_type", DELETE_TYPES, "all")
    job_ids = None
    if delete_type == "stream":
        job_ids = ",".join(ctx.params.get("job_ids", [hex_id(ctx.rng), hex_id(ctx.rng)]))
    return body(
        ("EventType", kind.event_type),
        ("EventTime", fmt_time(ctx.event_time)),
        ("Status", kind.status_word(ctx.ok)),
        ("MediaType", choice(ctx, "media_type", MEDIA_TYPES, "video")),
        ("DeleteType", delete_type),
        ("MediaId", media.video_id),
        ("JobIds", job_ids),
        ("ErrorCode", code(err)),
        ("ErrorMessage", message(err)),
    )


def media_base_change(kind: EventKind, ctx: GenContext, media: MediaAsset) -> Body:
    mode = choice(ctx, "operate_mode", OPERATE_MODES, "update")
    cate_id = ctx.rng.randint(1_000_000_000, 9_999_999_999)
    if mode == "create":
        changes = {"Title": {"NewValue": media.title}, "CateId": {"NewValue": cate_id}}
    elif mode == "delete":
        changes = {"Title": {"OldValue": media.title}}
    else:
        changes = {
            "Title": {"OldValue": media.title, "NewValue": ctx.faker.sentence(nb_words=4).rstrip(".")},
            "Description": {"OldValue": "", "NewValue": ctx.faker.sentence(nb_words=8)},
        }
    # MediaContent is an object whose members are JSON strings (current example).
    content = {name: _compact_json(change) for name, change in changes.items()}
    return body(
        ("EventType", kind.event_type),
        ("EventTime", fmt_time(ctx.event_time)),
        ("Status", kind.status_word(ctx.ok)),
        ("MediaType", choice(ctx, "media_type", MEDIA_TYPES, "video")),
        ("MediaId", media.video_id),
        ("OperateMode", mode),
        ("MediaContent", content),
    )


def update_storage_class(kind: EventKind, ctx: GenContext, media: MediaAsset) -> Body:
    # The failure example is cut off; the sibling RestoreMediaComplete's pair is used.
    err = error(ctx, NO_SUCH_KEY)
    return body(
        ("EventTime", fmt_time(ctx.event_time)),
        ("EventType", kind.event_type),
        ("Status", kind.status_word(ctx.ok)),
        ("MediaId", media.video_id),
        ("Scope", choice(ctx, "scope", SCOPES, "All")),
        ("StorageClass", choice(ctx, "storage_class", STORAGE_CLASSES, "Archive")),
        ("TriggerBy", choice(ctx, "trigger_by", TRIGGERS, "API")),
        ("ErrorCode", code(err)),
        ("ErrorMessage", message(err)),
    )


def restore_media(kind: EventKind, ctx: GenContext, media: MediaAsset) -> Body:
    err = error(ctx, NO_SUCH_KEY)
    days = int(ctx.params.get("restore_days", 7))
    expiration = seconds_before(ctx.event_time, -days * 86_400)
    return body(
        ("EventTime", fmt_time(ctx.event_time)),
        ("EventType", kind.event_type),
        ("Status", kind.status_word(ctx.ok)),
        ("MediaId", media.video_id),
        ("RestoreExpiration", when_ok(ctx, fmt_time(expiration))),
        ("ErrorCode", code(err)),
        ("ErrorMessage", message(err)),
    )


def submit_media_refresh(kind: EventKind, ctx: GenContext, media: MediaAsset) -> Body:
    err = error(ctx, VIDEO_NOT_FOUND)
    urls = ctx.params.get("urls")
    if urls is None:
        urls = [f"http://{media.cdn_domain}/{media.prefix}/{hex_id(ctx.rng)}-{d.lower()}.mp4"
                for d in ctx.params.get("definitions", ("LD", "SD", "HD"))]
    task_ids = [str(ctx.rng.randint(10**10, 10**11 - 1)) for _ in urls]
    return body(
        ("EventTime", fmt_time(ctx.event_time)),
        ("EventType", kind.event_type),
        ("Status", kind.status_word(ctx.ok)),
        ("MediaRefreshJobId", hex_id(ctx.rng)),
        ("MediaId", media.video_id),
        ("TaskType", choice(ctx, "task_type", TASK_TYPES, "refresh")),   # the example's case
        # Required fields: empty when nothing was submitted.
        ("SuccessPlayUrls", ",".join(urls) if ctx.ok else ""),
        ("TaskIds", ",".join(task_ids) if ctx.ok else ""),
        ("FilterPolicy", _compact_json({"SliceFlag": False, "ResultType": "Single"})),
        ("Extend", ctx.extend),
        ("ErrorCode", code(err)),
        ("ErrorMessage", message(err)),
    )


def workflow_task(kind: EventKind, ctx: GenContext, media: MediaAsset) -> Body:
    activities = list(ctx.params.get("activities", ("VideoTranslation",)))
    if not activities:
        raise ValueError("params.activities must name at least one activity")
    finish = seconds_before(ctx.event_time, ctx.rng.randint(1, 3))
    spans = [media.duration * ctx.rng.uniform(0.3, 1.0) + 5 for _ in activities]
    clock = seconds_before(finish, sum(spans))
    create = seconds_before(clock, ctx.rng.randint(1, 3))
    results: dict[str, Body] = {}
    for index, (activity, span) in enumerate(zip(activities, spans)):
        end = seconds_before(clock, -span)
        # On failure the last activity is the one that failed.
        ok = ctx.ok or index < len(activities) - 1
        results[activity] = {
            "Status": "Succeed" if ok else "Failed",
            "StartTime": fmt_time(clock),
            "EndTime": fmt_time(end),
            "ActivityId": activity,
            "ActivityInstanceId": hex_id(ctx.rng),
            "Result": {
                "Status": "Finished" if ok else "Failed",
                "JobType": activity,
                "MediaId": media.video_id,
                "ModifiedTime": fmt_time(end),
                "UserData": _compact_json({"VodSrc": "Workflow"}),
                "CreateTime": fmt_time(clock),
                "JobId": hex_id(ctx.rng),
            },
        }
        clock = end
    task_input = {"Type": "Media", "Media": media.video_id, "Title": f"{media.title}.mp4",
                  "StorageLocation": media.host}
    return body(
        ("EventType", kind.event_type),
        ("EventTime", fmt_time(ctx.event_time)),
        ("WorkflowId", str(ctx.params.get("workflow_id", hex_id(ctx.rng)))),
        ("Status", kind.status_word(ctx.ok)),
        ("VideoId", media.video_id),
        ("TaskId", hex_id(ctx.rng)),
        ("ActivityResults", _compact_json(results)),
        ("TaskInput", _compact_json(task_input)),
        ("CreateTime", fmt_time(create)),
        ("ModifiedTime", fmt_time(finish)),
        ("FinishTime", fmt_time(finish)),
        ("UserId", str(ctx.params.get("user_id", ctx.rng.randint(10**15, 10**16 - 1)))),
    )
