"""Tencent Cloud VOD normal-callback (Mode PUSH) authentication.

With a ``SignKey`` configured, each callback carries ``Sign`` and ``T``: ``T`` is an expiry
Unix timestamp (now + 10 minutes by default) and ``Sign = MD5(SignKey + T)`` in lowercase
hex (ModifyEventConfig's SignKey docstring).  Where the two go is undocumented; the default
is top-level fields of the JSON body (the docs: "放在通知消息里", and Tencent MPS does the
same), with ``query`` and ``headers`` as settings.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

DEFAULT_TTL_S = 600


class Placement(StrEnum):
    BODY = "body"          # {"…": …, "Sign": "…", "T": 1700000600}
    QUERY = "query"        # ?Sign=…&T=…
    HEADERS = "headers"    # X-VOD-Sign / X-VOD-T (an assumption, for receivers that read headers)


def sign(sign_key: str, expiry: int) -> str:
    return hashlib.md5(f"{sign_key}{expiry}".encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class TencentSigner:
    sign_key: str
    placement: Placement = Placement.BODY
    ttl: int = DEFAULT_TTL_S

    def apply(self, url: str, body: bytes, now: float) -> tuple[str, bytes, dict[str, str]]:
        expiry = int(now) + self.ttl
        signature = sign(self.sign_key, expiry)
        if self.placement is Placement.BODY:
            # The body is compact JSON ending in "}": append the two fields without re-encoding.
            return url, body[:-1] + f',"Sign":"{signature}","T":{expiry}}}'.encode(), {}
        if self.placement is Placement.QUERY:
            parts = urlsplit(url)
            query = (parts.query + "&" if parts.query else "") + urlencode({"Sign": signature, "T": expiry})
            return urlunsplit(parts._replace(query=query)), body, {}
        return url, body, {"X-VOD-Sign": signature, "X-VOD-T": str(expiry)}


def check(body: bytes, query: str, headers: object, sign_key: str, *, now: float) -> str | None:
    """Receiver side: ``ok``, ``mismatch``, ``expired``, or None when no Sign was sent."""
    found = None
    try:
        doc = json.loads(body)
        if isinstance(doc, dict) and "Sign" in doc and "T" in doc:
            found = (str(doc["Sign"]), str(doc["T"]))
    except ValueError:
        pass
    if found is None:
        q = parse_qs(query)
        if "Sign" in q and "T" in q:
            found = (q["Sign"][0], q["T"][0])
    if found is None and headers.get("X-VOD-Sign") is not None:  # type: ignore[attr-defined]
        found = (headers["X-VOD-Sign"], headers.get("X-VOD-T", ""))  # type: ignore[index]
    if found is None:
        return None
    signature, expiry = found
    if not expiry.isdigit() or not hmac.compare_digest(sign(sign_key, int(expiry)), signature.lower()):
        return "mismatch"
    return "expired" if int(expiry) < now else "ok"
