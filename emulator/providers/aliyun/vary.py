"""Seeded shape variation: the same event, in one of the shapes VOD has been seen to send.

The generators write the canonical documented shape.  ``vary_body`` redraws it along the
axes where the docs, their examples and production bodies logged in public projects'
fixtures disagree — optional fields present or absent, digit strings or numbers,
EventTime with or without milliseconds, ``Extend`` and the JSON-ish fields as a string or
a nested object, key order — and returns the choices it made as ``axis=choice`` words,
which the report records per event.  Every shape stays within ``schemas/aliyun``; the
factory validates the varied body like any other.  The draws come from their own
``rng`` (seed/index/"vary"), so varying never changes the values of the canonical body.
"""

from __future__ import annotations

import json
import random
from datetime import datetime
from typing import Any

from .catalog import EventKind
from .media import fmt_time

__all__ = ["AXES", "vary_body"]

# axis → its choices; the first is "as generated".
AXES: dict[str, tuple[str, ...]] = {
    "event-time": ("as-generated", "seconds", "colon-ms", "dot-ms"),
    "numbers": ("as-generated", "strings", "numbers"),
    "extend": ("string", "object"),
    "json-fields": ("as-generated", "string", "object"),
    "codec": ("kept", "absent"),
    "encrypt-type": ("kept", "absent"),
    "job-times": ("kept", "absent"),
    "is-audio": ("kept", "absent"),
    "optional": ("kept", "absent"),
    "task-type": ("lower", "capitalised"),
    "order": ("documented", "logged", "shuffled"),
}

# Fields the tables type as numbers and the examples send as strings (or the reverse):
# Size "123456" (UploadByURLComplete), VideoAnalysisComplete all strings, Bitrate/Fps strings.
NUMERIC = ("Size", "Width", "Height", "Duration", "Bitrate", "Fps")
# Documented as a JSON string, shown nested in some examples (or the reverse).
JSON_FIELDS = ("DynamicImageJobInfo", "MediaContent", "Data")
# Optional fields some documented example or logged body leaves out.
OPTIONAL: dict[str, tuple[str, ...]] = {
    "FileUploadComplete": ("FileUrl",),          # the FAQ's test body
    "ImageUploadComplete": ("AppId",),           # not in the table
    "UploadByURLComplete": ("Size",),            # not in the table
    "AIMediaDNAComplete": ("CompleteTime",),     # absent from the 2021 page
    "StreamTranscodeComplete": ("WatermarkId",),
    "TranscodeComplete": ("WatermarkId",),
}
# Key order of production bodies logged in public projects' fixtures (FileUploadComplete,
# TranscodeComplete and its StreamInfos); keys not listed keep their order after these.
LOGGED_TOP = ("Status", "FileUrl", "VideoId", "EventType", "EventTime", "Size", "StreamInfos")
LOGGED_STREAM = ("Status", "IsAudio", "Size", "Definition", "Fps", "StartTime", "Duration", "Bitrate",
                 "Encrypt", "FileUrl", "Format", "FinishTime", "Height", "Width", "JobId")


def vary_body(kind: EventKind, body: dict[str, Any], event_time: datetime,
              rng: random.Random) -> tuple[dict[str, Any], tuple[str, ...]]:
    """``body`` redrawn along every axis that applies to it, and the choices made."""
    chosen: list[str] = []

    def draw(axis: str) -> str:
        value = rng.choice(AXES[axis])
        chosen.append(f"{axis}={value}")
        return value

    streams = _streams(body)
    style = draw("event-time")
    if style != "as-generated":
        body["EventTime"] = fmt_time(event_time, style)
    if any(k in NUMERIC for part in (body, *streams) for k in part):
        how = draw("numbers")
        for part in (body, *streams):
            _numbers(part, how)
    extend = body.get("Extend")
    if isinstance(extend, str) and isinstance(_object(extend), dict):
        if draw("extend") == "object":
            body["Extend"] = _object(extend)
    if any(k in body for k in JSON_FIELDS):
        how = draw("json-fields")
        for key in JSON_FIELDS:
            if key in body and how != "as-generated":
                body[key] = _json_as(body[key], how)
    # Stream fields: the StreamTranscodeComplete body itself, or TranscodeComplete's StreamInfos.
    parts = [body] if kind.name == "StreamTranscodeComplete" else streams
    for axis, keys in (("codec", ("Codec",)), ("encrypt-type", ("EncryptType",)),
                       ("job-times", ("StartTime", "FinishTime"))):
        if any(k in part for part in parts for k in keys) and draw(axis) == "absent":
            for part in parts:
                for k in keys:
                    part.pop(k, None)
    if any(part.get("IsAudio") is False for part in parts) and draw("is-audio") == "absent":
        for part in parts:   # an audio stream keeps IsAudio: true
            if part.get("IsAudio") is False:
                del part["IsAudio"]
    optional = OPTIONAL.get(kind.name, ())
    if any(k in part for part in (body, *streams) for k in optional) and draw("optional") == "absent":
        for part in (body, *streams):
            for k in optional:
                part.pop(k, None)
    if isinstance(body.get("TaskType"), str):
        word = body["TaskType"].lower()
        body["TaskType"] = word if draw("task-type") == "lower" else word.capitalize()
    order = draw("order")
    if order != "documented":
        if "StreamInfos" in body and isinstance(body["StreamInfos"], list):
            body["StreamInfos"] = [_ordered(s, order, LOGGED_STREAM, rng) if isinstance(s, dict) else s
                                   for s in body["StreamInfos"]]
        logged = LOGGED_STREAM if kind.name == "StreamTranscodeComplete" else LOGGED_TOP
        body = _ordered(body, order, ("VideoId", "EventType", "EventTime", *logged) if logged is LOGGED_STREAM
                        else logged, rng)
    return body, tuple(chosen)


def _streams(body: dict[str, Any]) -> list[dict[str, Any]]:
    infos = body.get("StreamInfos")
    return [s for s in infos if isinstance(s, dict)] if isinstance(infos, list) else []


def _numbers(part: dict[str, Any], how: str) -> None:
    for key in NUMERIC:
        value = part.get(key)
        if how == "strings" and isinstance(value, (int, float)) and not isinstance(value, bool):
            part[key] = str(value)
        elif how == "numbers" and isinstance(value, str) and _is_number(value):
            part[key] = float(value) if "." in value else int(value)


def _is_number(text: str) -> bool:
    head, _, tail = text.partition(".")
    return head.isdigit() and (not tail or tail.isdigit())


def _object(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def _json_as(value: Any, how: str) -> Any:
    if how == "string" and isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    if how == "object" and isinstance(value, str) and isinstance(_object(value), (dict, list)):
        return _object(value)
    return value


def _ordered(part: dict[str, Any], order: str, logged: tuple[str, ...], rng: random.Random) -> dict[str, Any]:
    keys = list(part)
    if order == "shuffled":
        rng.shuffle(keys)
    else:
        rank = {k: i for i, k in enumerate(logged)}
        keys.sort(key=lambda k: rank.get(k, len(rank)))   # stable: unlisted keys keep their order
    return {k: part[k] for k in keys}
