"""Read a JSON report back into the exact sequence of dispatches it recorded."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ..errors import InputError
from ..events import Event, encode
from .report import FORMAT


def load_report(path: str) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as fh:
            doc = json.load(fh)
    except OSError as exc:
        raise InputError(f"{path}: cannot read the report: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise InputError(f"{path}: not a JSON report: {exc}") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise InputError(f"{path}: not a vod-emulator report (expected \"format\": \"{FORMAT}\")")
    if not doc.get("dispatches"):
        raise InputError(f"{path}: the report lists no dispatches to replay")
    return doc


def dispatches(doc: dict[str, Any]) -> Iterator[tuple[float, Event]]:
    """(seconds, Event) in the recorded release order: same bodies, copies, drops and faults."""
    originals: dict[str, Event] = {}
    for entry in doc["events"]:
        originals[entry["event_id"]] = Event(
            event_id=entry["event_id"], provider=entry["provider"], kind=entry["kind"],
            event_type=entry["event_type"], media_id=entry["media_id"], body=encode(entry["body"]),
            label=entry.get("label", ""), expect=entry.get("expect", "delivered"),
            variation=tuple(entry.get("variation", ())))
    for d in doc["dispatches"]:
        base = originals.get(d["event_id"])
        if base is None:
            raise InputError(f"report dispatch {d['dispatch']} names unknown event {d['event_id']!r}")
        yield d["at_s"], Event(**{**_fields(base), "at": d["at_s"], "dispatch": d["dispatch"], "copy": d["copy"],
                                  "dropped": d["dropped"], "faults": tuple(d["faults"])})


def _fields(ev: Event) -> dict[str, Any]:
    return {k: getattr(ev, k) for k in Event.__slots__}
