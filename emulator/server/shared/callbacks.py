"""The fake VOD's callback configuration, per region — SetMessageCallback's fields.

``CallbackType`` HTTP or MNS; ``CallbackURL`` (HTTP); ``MnsQueueName`` and optional
``MnsEndpoint`` (MNS; default: this server's own queue API); ``EventTypeList`` (comma
list, ``ALL``, ``AIComplete`` for the three AI events; empty disables every event);
``AuthSwitch``/``AuthKey`` (HTTP).  Events triggered through the server are routed by
the configuration of their region; events not selected are not sent, as on the service.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from emulator.providers.aliyun import catalog
from emulator.delivery.http import TargetSpec, check_url
from emulator.errors import InputError, did_you_mean
from emulator.secrets import MASK, mask

from .storage_faults import StoreError, cause

AI_EVENTS = frozenset({"AIMediaAuditComplete", "AIMediaDNAComplete", "AIVideoTagComplete"})
FIELDS = ("CallbackType", "CallbackURL", "EventTypeList", "AuthSwitch", "AuthKey", "MnsEndpoint", "MnsQueueName",
          "AppId")


@dataclass(frozen=True, slots=True)
class CallbackConfig:
    callback_type: str                    # HTTP | MNS
    event_types: frozenset[str] | None    # None: ALL
    callback_url: str | None = None
    auth_key: str | None = None           # set only when AuthSwitch is on
    mns_queue: str | None = None
    mns_endpoint: str | None = None       # None: this server
    app_id: str = "app-1000000"

    def selects(self, event_type: str) -> bool:
        if self.event_types is None:
            return True
        return event_type in self.event_types or ("AIComplete" in self.event_types and event_type in AI_EVENTS)

    def target(self, server_url: str, access_key_id: str, access_key_secret: str) -> TargetSpec:
        if self.callback_type == "HTTP":
            return TargetSpec(self.callback_url or "", self.auth_key)
        host = urlsplit(self.mns_endpoint or server_url).netloc
        creds = f"{quote(access_key_id, safe='')}:{quote(access_key_secret, safe='')}@"
        return TargetSpec(f"mns://{creds}{host}/{self.mns_queue}")

    def to_api(self, region: str) -> dict[str, Any]:
        """GetMessageCallback's MessageCallback object."""
        out: dict[str, Any] = {"CallbackType": self.callback_type, "AppId": self.app_id, "Region": region,
                               "EventTypeList": "ALL" if self.event_types is None else ",".join(sorted(self.event_types))}
        if self.callback_type == "HTTP":
            out |= {"CallbackURL": self.callback_url, "AuthSwitch": "on" if self.auth_key else "off"}
            if self.auth_key:
                out["AuthKey"] = mask(self.auth_key)   # never shown: a short hash tells keys apart
        else:
            out |= {"MnsQueueName": self.mns_queue, "MnsEndpoint": self.mns_endpoint or "(this server)"}
        return out


def parse(raw: Any, where: str) -> CallbackConfig:
    """A config from SetMessageCallback-style fields; ``InputError`` naming ``where`` if wrong."""
    if not isinstance(raw, dict):
        raise InputError(f"{where}: expected a mapping of SetMessageCallback fields")
    for key in raw:
        if key not in FIELDS:
            raise InputError(f"{where}: unknown field {key!r}{did_you_mean(key, FIELDS)}")
    kind = str(raw.get("CallbackType", "HTTP")).upper()
    if kind not in ("HTTP", "MNS"):
        raise InputError(f"{where}.CallbackType: expected HTTP or MNS, got {raw.get('CallbackType')!r}")
    events = _event_types(raw.get("EventTypeList", "ALL"), where)
    if kind == "HTTP":
        url = raw.get("CallbackURL")
        if not url:
            raise InputError(f"{where}.CallbackURL: required when CallbackType is HTTP")
        try:
            check_url(str(url))
        except ValueError as exc:
            raise InputError(f"{where}.CallbackURL: {exc}") from None
        switch = str(raw.get("AuthSwitch", "off")).lower()
        if switch not in ("on", "off"):
            raise InputError(f"{where}.AuthSwitch: expected on or off, got {raw.get('AuthSwitch')!r}")
        key = raw.get("AuthKey") if switch == "on" else None
        if switch == "on" and not key:
            raise InputError(f"{where}.AuthKey: required when AuthSwitch is on")
        if key and str(key).startswith(MASK + "sha256:"):
            # A configuration read back (masked) and written again would sign with the mask.
            raise InputError(f"{where}.AuthKey: {key!r} is a masked key as shown by GET; send the key itself")
        return CallbackConfig("HTTP", events, callback_url=str(url), auth_key=str(key) if key else None,
                              app_id=str(raw.get("AppId", "app-1000000")))
    queue = raw.get("MnsQueueName")
    if not queue:
        raise InputError(f"{where}.MnsQueueName: required when CallbackType is MNS")
    return CallbackConfig("MNS", events, mns_queue=str(queue), mns_endpoint=raw.get("MnsEndpoint") or None,
                          app_id=str(raw.get("AppId", "app-1000000")))


def _event_types(value: Any, where: str) -> frozenset[str] | None:
    if isinstance(value, list):
        value = ",".join(map(str, value))
    names = [n.strip() for n in str(value or "").split(",") if n.strip()]
    if names == ["ALL"]:
        return None
    known = set(catalog.EVENT_TYPES) | {"AIComplete"}
    for n in names:
        if n not in known:
            raise InputError(f"{where}.EventTypeList: unknown event type {n!r}{did_you_mean(n, known)}")
    return frozenset(names)


class CallbackStore:
    """Region → CallbackConfig, kept in ``callbacks.json`` in the data dir (or only in memory)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.raw: dict[str, dict[str, Any]] = {}
        if path is not None and path.exists():
            try:
                raw = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise StoreError(f"data dir {path.parent}: callback settings {path.name}: "
                                 f"{cause(exc) if isinstance(exc, OSError) else 'not valid JSON (corrupt?)'}") from None
            if not isinstance(raw, dict) or not all(isinstance(v, dict) for v in raw.values()):
                raise StoreError(f"data dir {path.parent}: callback settings {path.name}: not a mapping of regions")
            self.raw = raw

    def get(self, region: str) -> CallbackConfig | None:
        raw = self.raw.get(region)
        return parse(raw, f"callbacks.{region}") if raw is not None else None

    def set(self, region: str, raw: dict[str, Any]) -> CallbackConfig:
        config = parse(raw, f"callbacks.{region}")
        self.raw[region] = raw
        self._save()
        return config

    def delete(self, region: str) -> bool:
        found = self.raw.pop(region, None) is not None
        self._save()
        return found

    def all(self) -> dict[str, CallbackConfig]:
        return {region: parse(raw, f"callbacks.{region}") for region, raw in sorted(self.raw.items())}

    def _save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".callbacks-")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(self.raw, fh, indent=2, sort_keys=True)
        os.replace(tmp, self.path)
