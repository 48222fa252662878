"""Helpers shared by the per-kind generators: documented error pairs, optional fields."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from .catalog import EventKind
from .context import GenContext
from .media import TIME_STYLES, MediaAsset, fmt_time

Body = dict[str, Any]


@dataclass(frozen=True, slots=True)
class ErrorPair:
    code: str
    message: str


# Only pairs that appear in the docs' examples (reference §3.4, 3.10, 3.14, 3.15, 3.18).
RESOURCE_BAD = ErrorPair("InvalidParameter.ResourceContentBad", "The resource operated InputFile is bad")
URL_INVALID = ErrorPair("URLInvalidError", "download video failed by the url, please check it")
VIDEO_NOT_FOUND = ErrorPair("InvalidVideo.NotFound", "The video does not exist.")
NO_SUCH_KEY = ErrorPair("NoSuchKey", "OSS bucket or object does not exist")

ERROR_PARAMS: dict[str, str] = {
    "error_code": "ErrorCode on failure (default: a documented code for this event)",
    "error_message": "ErrorMessage on failure (default: the documented message for that code)",
}


def body(*pairs: tuple[str, Any]) -> Body:
    """A body in the given key order, leaving out fields whose value is ``None``."""
    return {k: v for k, v in pairs if v is not None}


def compact(fields: Body) -> Body:
    """``fields`` without the keys whose value is ``None`` (``body`` for a dict literal)."""
    return {k: v for k, v in fields.items() if v is not None}


def failure(ctx: GenContext, default: ErrorPair) -> ErrorPair:
    """The ErrorCode/ErrorMessage pair to report, ``params`` overriding ``default``."""
    return ErrorPair(str(ctx.params.get("error_code", default.code)),
                     str(ctx.params.get("error_message", default.message)))


def error(ctx: GenContext, default: ErrorPair) -> ErrorPair | None:
    """The failure's ErrorCode/ErrorMessage, or ``None`` on success."""
    return None if ctx.ok else failure(ctx, default)


def code(err: ErrorPair | None) -> str | None:
    return None if err is None else err.code


def message(err: ErrorPair | None) -> str | None:
    return None if err is None else err.message


def when_ok(ctx: GenContext, value: Any) -> Any:
    """``value`` on success, absent (``None``) on failure."""
    return value if ctx.ok else None


def event_time(ctx: GenContext, default: str = "seconds") -> str:
    """EventTime in the style ``params.event_time`` asks for (kinds that document milliseconds)."""
    style = ctx.params.get("event_time", default)
    if style not in TIME_STYLES:
        raise ValueError(f"params.event_time = {style!r}; expected one of {', '.join(TIME_STYLES)}")
    return _event_time(ctx.event_time, style)


# The events of one trigger share one EventTime: format it once (a datetime keeps its hash).
_event_time = functools.lru_cache(maxsize=256)(fmt_time)


def head(kind: EventKind, ctx: GenContext, media: MediaAsset, time_style: str = "seconds") -> tuple[tuple[str, Any], ...]:
    """The common opening in the docs' usual order: EventTime, EventType, <id field>."""
    return (
        ("EventTime", event_time(ctx, time_style)),
        ("EventType", kind.event_type),
        (kind.media_field, media.video_id),
    )


def choice(ctx: GenContext, name: str, allowed: tuple[str, ...], default: str | None = None) -> str:
    """A string knob from ``ctx.params`` restricted to ``allowed`` (seeded pick when absent)."""
    value = ctx.params.get(name)
    if value is None:
        return default if default is not None else ctx.rng.choice(allowed)
    if value not in allowed:
        raise ValueError(f"params.{name} = {value!r}; expected one of {', '.join(allowed)}")
    return str(value)
