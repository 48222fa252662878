"""``UserData`` of upload and processing calls: ``MessageCallback`` (a callback URL for this
media or job) and ``Extend`` (≤ 512 bytes, echoed as the events' ``Extend``).  Both may be
objects or JSON strings, as the vendor's examples show both."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from emulator.delivery.http import check_url
from emulator.providers.aliyun.media import EXTEND_MAX_BYTES
from .errors import InvalidUserData


@dataclass(frozen=True, slots=True)
class UserData:
    callback_url: str | None = None
    extend: str | None = None
    raw: str | None = None


def _obj(value: Any, where: str) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except (ValueError, RecursionError):     # RecursionError: nested deeper than the parser goes
            if where == "Extend":
                return value
            raise InvalidUserData(f"{where} is not JSON: {value[:80]!r}") from None
    return value


def parse(text: str | None) -> UserData:
    if not text:
        return UserData()
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):         # RecursionError: nested deeper than the parser goes
        raise InvalidUserData(f"not a JSON object: {text[:80]!r}") from None
    if not isinstance(doc, dict):
        raise InvalidUserData("expected a JSON object with MessageCallback and/or Extend")
    url = None
    if doc.get("MessageCallback") is not None:
        mc = _obj(doc["MessageCallback"], "MessageCallback")
        if not isinstance(mc, dict) or not mc.get("CallbackURL"):
            raise InvalidUserData("MessageCallback needs a CallbackURL")
        kind = str(mc.get("CallbackType", "http")).lower()
        if kind != "http":
            raise InvalidUserData(f"MessageCallback.CallbackType {mc.get('CallbackType')!r}: only http is served "
                                  "(the docs show no MNS fields for UserData)")
        url = str(mc["CallbackURL"])
        try:
            check_url(url)
        except ValueError as exc:
            raise InvalidUserData(f"MessageCallback.CallbackURL: {exc}") from None
    extend = None
    if doc.get("Extend") is not None:
        value = _obj(doc["Extend"], "Extend")
        extend = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        if len(extend.encode("utf-8")) > EXTEND_MAX_BYTES:
            raise InvalidUserData(f"Extend is {len(extend.encode('utf-8'))} bytes; at most {EXTEND_MAX_BYTES}")
    return UserData(url, extend, text)
