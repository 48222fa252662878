"""Upload events: FileUploadComplete, ImageUploadComplete, AttachedMediaUploadComplete, UploadByURLComplete."""

from __future__ import annotations

from .catalog import EventKind
from .context import GenContext
from .gen_common import URL_INVALID, Body, body, choice, code, error, head, message, when_ok
from .media import MediaAsset, fmt_time, hex_id, oss_url

IMAGE_FORMATS = ("jpg", "png", "gif")
ATTACHED_FORMATS = ("png", "jpg", "srt", "vtt", "txt")
STREAM_FORMATS = ("mp4", "flv", "m3u8", "mp3")


def file_upload(kind: EventKind, ctx: GenContext, media: MediaAsset) -> Body:
    # No notification is sent for a failed upload; the fail form only drops the file fields.
    return body(
        *head(kind, ctx, media),
        ("Size", when_ok(ctx, media.size)),
        ("FileUrl", when_ok(ctx, media.source_url)),
        ("Status", kind.status_word(ctx.ok)),
        ("Extend", ctx.extend),
    )


def image_upload(kind: EventKind, ctx: GenContext, media: MediaAsset) -> Body:
    fmt = choice(ctx, "format", IMAGE_FORMATS, "jpg")
    key = f"image/default/{hex_id(ctx.rng).upper()}.{fmt}"
    return body(
        *head(kind, ctx, media, "colon-ms"),   # the current page: yyyy-MM-ddTHH:mm:ss:SSSZ
        ("Size", when_ok(ctx, ctx.rng.randint(20_000, 2_000_000))),
        ("FileURL", when_ok(ctx, oss_url(media.host, key))),
        ("Status", kind.status_word(ctx.ok)),
        ("AppId", str(ctx.params.get("app_id", media.app_id))),
    )


def attached_upload(kind: EventKind, ctx: GenContext, media: MediaAsset) -> Body:
    # Size and FileURL are marked "always present" for this event, so the fail form keeps them.
    fmt = choice(ctx, "format", ATTACHED_FORMATS, "png")
    key = f"attached/{hex_id(ctx.rng).upper()}/{hex_id(ctx.rng)}.{fmt}"
    return body(
        *head(kind, ctx, media),
        ("Size", ctx.rng.randint(1_000, 500_000)),
        ("FileURL", oss_url(media.host, key)),
        ("Status", kind.status_word(ctx.ok)),
    )


def upload_by_url(kind: EventKind, ctx: GenContext, media: MediaAsset) -> Body:
    err = error(ctx, URL_INVALID)
    job_id = hex_id(ctx.rng)
    source = _source_url(ctx, "mp4")
    # VideoId is "populated after the video is successfully pulled": absent on failure.
    # Size is a string in the docs' example (undocumented field).
    return body(
        ("EventTime", fmt_time(ctx.event_time)),
        ("EventType", kind.event_type),
        ("VideoId", when_ok(ctx, media.video_id)),
        ("JobId", job_id),
        ("SourceURL", source),
        ("Status", kind.status_word(ctx.ok)),
        ("ErrorCode", code(err)),
        ("ErrorMessage", message(err)),
        ("Size", when_ok(ctx, str(media.size))),
    )


def upload_stream_by_url(kind: EventKind, ctx: GenContext, media: MediaAsset) -> Body:
    err = error(ctx, URL_INVALID)
    fmt = choice(ctx, "format", STREAM_FORMATS, "mp4")
    job_id = hex_id(ctx.rng)
    source = _source_url(ctx, fmt)
    stream_url = oss_url(media.host, f"{media.video_id}/{hex_id(ctx.rng)}.{fmt}")
    return body(
        *head(kind, ctx, media),
        ("JobId", job_id),
        ("SourceURL", source),
        ("FileType", "Stream"),
        ("Status", kind.status_word(ctx.ok)),
        ("StreamFileURL", when_ok(ctx, stream_url)),
        ("ErrorCode", code(err)),
        ("ErrorMessage", message(err)),
        ("Extend", ctx.extend),
    )


def _source_url(ctx: GenContext, fmt: str) -> str:
    given = ctx.params.get("source_url")
    if given is not None:
        return str(given)
    return f"http://{ctx.faker.domain_name()}/{ctx.faker.slug()}-{hex_id(ctx.rng, 8)}.{fmt}"
