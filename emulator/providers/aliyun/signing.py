"""HTTP callback authentication (Alibaba VOD "HTTP callback authentication").

``X-VOD-SIGNATURE = md5("<callback URL>|<X-VOD-TIMESTAMP>|<AuthKey>")`` in lowercase hex;
the body is not signed.  Documented vector: URL ``https://www.example.com/your/callback``,
timestamp ``1519375990``, key ``test123`` → ``c72b60894140fa98920f1279219b7ed4``.
"""

from __future__ import annotations

import hashlib
import hmac

TIMESTAMP_HEADER = "X-VOD-TIMESTAMP"
SIGNATURE_HEADER = "X-VOD-SIGNATURE"


def signature(callback_url: str, timestamp: int, auth_key: str) -> str:
    return hashlib.md5(f"{callback_url}|{timestamp}|{auth_key}".encode()).hexdigest()


def auth_headers(callback_url: str, timestamp: int, auth_key: str) -> dict[str, str]:
    return {
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(callback_url, timestamp, auth_key),
    }


def check(callback_url: str, headers: dict[str, str] | object, auth_key: str,
          *, now: float | None = None, max_age: float | None = None) -> str:
    """Receiver side: ``"ok"``, ``"missing"``, ``"mismatch"`` or ``"stale"``."""
    ts = headers.get(TIMESTAMP_HEADER)  # type: ignore[attr-defined]
    sig = headers.get(SIGNATURE_HEADER)  # type: ignore[attr-defined]
    if not ts or not sig:
        return "missing"
    if not ts.isdigit() or not hmac.compare_digest(signature(callback_url, int(ts), auth_key), sig.lower()):
        return "mismatch"
    if max_age is not None and now is not None and abs(now - int(ts)) > max_age:
        return "stale"
    return "ok"
