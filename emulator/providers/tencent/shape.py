"""The body as production sends it: null members, empty AI sets, deprecated fields.

Two knobs, accepted by every Tencent kind (``params``) and by the server's API actions:

``null_members`` (default true)
    Production ``EventContent`` bodies carry every other ``*Event`` member as ``null``, every
    ``MediaProcessResultSet`` item carries its other ``*Task`` members as ``null``, and a
    ``ProcedureTask`` carries ``AiContentReviewResultSet`` / ``AiAnalysisResultSet`` /
    ``AiRecognitionResultSet`` as ``[]`` when no AI task ran.  Sources: a receiver's logged
    production ProcedureStateChanged body (AppId 1305819496: ``"FileDeleteEvent":null``, …,
    ``"AiAnalysisResultSet":[]``, ``"TranscodeTask":null`` beside an ImageSpriteTask) and
    the current PullEvents example (266/33433).  ``false`` leaves them out, as the docs'
    normal-callback examples do ("省略了值为 null 的字段").

``deprecated`` (default ``production``)
    Fields the SDK marks deprecated (its property getters warn ``parameter `X` is
    deprecated``): ``none`` sends none of them, ``all`` sends every one a generator knows,
    ``production`` sends only those production is seen sending and receivers read:
    ``ProcedureTask.ErrCode`` / ``Message`` (``"SUCCESS"`` on success, logged production
    bodies, AppIds 1259692143 and 1305819496).
"""

from __future__ import annotations

from typing import Any

from .catalog import PAYLOAD_KEYS, EventKind

DEPRECATED_MODES = ("production", "all", "none")
# Deprecated fields a generator may emit, per SDK model (tencentcloud-sdk-python-vod 3.1.194).
DEPRECATED: dict[str, tuple[str, ...]] = {
    "ProcedureTask": ("ErrCode", "Message"),
    "RestoreMediaTask": ("Status", "Message"),
    "MediaContentReviewSegmentItem": ("PicUrlExpireTimeStamp",),
    "MediaContentReviewPoliticalSegmentItem": ("PicUrlExpireTimeStamp",),
    "ExtractTraceWatermarkTaskOutput": ("Uid",),
}
PRODUCTION_DEPRECATED = frozenset({"ProcedureTask"})

TASK_KEYS = ("TranscodeTask", "AnimatedGraphicTask", "SnapshotByTimeOffsetTask", "SampleSnapshotTask",
             "ImageSpriteTask", "CoverBySnapshotTask", "AdaptiveDynamicStreamingTask")
AI_SETS = ("AiContentReviewResultSet", "AiAnalysisResultSet", "AiRecognitionResultSet")

STYLE_PARAMS: dict[str, str] = {
    "null_members": "true (default, as production): the other *Event members and *Task members as null, "
                    "empty AI result sets as []; false: left out",
    "deprecated": "production (default: only ProcedureTask ErrCode/Message, which production sends) | "
                  "all | none: the fields the SDK marks deprecated",
}


def null_members(params: dict[str, Any]) -> bool:
    value = params.get("null_members", True)
    if not isinstance(value, bool):
        raise ValueError(f"params.null_members = {value!r}; expected true or false")
    return value


def deprecated_mode(params: dict[str, Any]) -> str:
    value = params.get("deprecated", "production")
    if value not in DEPRECATED_MODES:
        raise ValueError(f"params.deprecated = {value!r}; expected one of {', '.join(DEPRECATED_MODES)}")
    return value


def keeps(params: dict[str, Any], model: str) -> bool:
    """Whether the deprecated fields of ``model`` are sent under ``params.deprecated``."""
    mode = deprecated_mode(params)
    return mode == "all" or (mode == "production" and model in PRODUCTION_DEPRECATED)


def shape(kind: EventKind, body: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    """``body`` with the null members production carries (when ``null_members`` is on)."""
    deprecated_mode(params)
    if not null_members(params):
        return body
    payload = body.get(kind.payload_key)
    if isinstance(payload, dict) and "MediaProcessResultSet" in payload:
        for key in AI_SETS:
            payload.setdefault(key, [])
        payload["MediaProcessResultSet"] = [_all_tasks(item) for item in payload["MediaProcessResultSet"]]
    # EventType, every member (null unless the body has it), then anything else the generator
    # put there: update() keeps a key's first place and appends the new ones in body order.
    out: dict[str, Any] = {"EventType": body["EventType"], **_NULL_MEMBERS}
    out.update(body)
    return out


def _all_tasks(item: dict[str, Any]) -> dict[str, Any]:
    out = {"Type": item.get("Type"), **_NULL_TASKS}
    out.update(item)
    return out


_NULL_MEMBERS = dict.fromkeys(PAYLOAD_KEYS)
_NULL_TASKS = dict.fromkeys(TASK_KEYS)
