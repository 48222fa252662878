"""TC3-HMAC-SHA256, the Tencent Cloud API 3.0 signature: checking requests, signing our own.

    Authorization: TC3-HMAC-SHA256 Credential=<SecretId>/<YYYY-MM-DD>/<service>/tc3_request,
                   SignedHeaders=content-type;host, Signature=<64 hex>

    CanonicalRequest = METHOD \\n path \\n query \\n <name>:<value>\\n for each signed header \\n
                       signed-headers \\n hex(sha256(body))
    StringToSign     = TC3-HMAC-SHA256 \\n X-TC-Timestamp \\n <date>/<service>/tc3_request \\n
                       hex(sha256(CanonicalRequest))
    key = HMAC(HMAC(HMAC("TC3" + SecretKey, date), service), "tc3_request")

``date`` is the UTC date of ``X-TC-Timestamp``.  Header values are used as sent (stripped),
as the Python SDK signs them; a signature over lower-cased values (the documented rule,
which other clients follow) is accepted too.  ``X-TC-Token`` (temporary credentials) is
not checked.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from datetime import datetime, timezone

from .errors import MissingParameter, SecretIdNotFound, SignatureExpire, SignatureFailure

ALGORITHM = "TC3-HMAC-SHA256"
SERVICE = "vod"
API_VERSION = "2018-07-17"
# Local, clearly fake credentials: what the emulator accepts unless told otherwise.
DEFAULT_SECRET_ID = "vod-emulator"
DEFAULT_SECRET_KEY = "vod-emulator-secret"
MAX_SKEW = 300.0   # seconds between X-TC-Timestamp and our clock (the service's 5 minutes)

_AUTH = re.compile(r"TC3-HMAC-SHA256 +Credential=([^/,\s]+)/(\d{4}-\d{2}-\d{2})/([^/,\s]+)/tc3_request *, *"
                   r"SignedHeaders=([a-z0-9;-]+) *, *Signature=([0-9a-f]{64})\Z")
_TIMESTAMP = re.compile(r"[0-9]{1,10}\Z")   # until 2286: utc_date stays in range


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode("utf-8"), hashlib.sha256).digest()


def utc_date(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime("%Y-%m-%d")


def signature(secret_key: str, date: str, service: str, string_to_sign: str) -> str:
    key = _hmac(_hmac(_hmac(("TC3" + secret_key).encode("utf-8"), date), service), "tc3_request")
    return hmac.new(key, string_to_sign.encode("utf-8", "surrogateescape"), hashlib.sha256).hexdigest()


def canonical_request(method: str, path: str, query: str, headers: Mapping[str, str], signed: str,
                      payload_hash: str, *, lower: bool = False) -> str:
    """``headers``: lower-cased names → values as sent."""
    canon = ""
    for name in signed.split(";"):
        value = headers.get(name, "").strip()
        canon += f"{name}:{value.lower() if lower else value}\n"
    return "\n".join([method.upper(), path, query, canon, signed, payload_hash])


def string_to_sign(timestamp: str, scope: str, creq: str) -> str:
    digest = hashlib.sha256(creq.encode("utf-8", "surrogateescape")).hexdigest()
    return f"{ALGORITHM}\n{timestamp}\n{scope}\n{digest}"


def sign(secret_id: str, secret_key: str, *, host: str, action: str, body: bytes, timestamp: int,
         version: str = API_VERSION, content_type: str = "application/json",
         region: str | None = None, service: str = SERVICE) -> dict[str, str]:
    """Every header of a ``POST /`` API 3.0 request, signed as the Python SDK signs it."""
    headers = {"Content-Type": content_type, "Host": host, "X-TC-Action": action,
               "X-TC-Version": version, "X-TC-Timestamp": str(timestamp)}
    if region:
        headers["X-TC-Region"] = region
    date = utc_date(timestamp)
    signed = "content-type;host"
    creq = canonical_request("POST", "/", "", {"content-type": content_type, "host": host}, signed,
                             hashlib.sha256(body).hexdigest())
    sig = signature(secret_key, date, service, string_to_sign(str(timestamp), f"{date}/{service}/tc3_request", creq))
    headers["Authorization"] = (f"{ALGORITHM} Credential={secret_id}/{date}/{service}/tc3_request, "
                                f"SignedHeaders={signed}, Signature={sig}")
    return headers


def verify(method: str, path: str, query: str, headers: Mapping[str, str], body: bytes,
           keys: Mapping[str, str], *, now: float, max_skew: float | None = MAX_SKEW) -> str:
    """The SecretId of a correctly signed request; else the error the service answers.

    ``headers``: case-insensitive (aiohttp's ``CIMultiDictProxy``) or lower-cased names.
    ``max_skew`` None: any timestamp is accepted."""
    found = {k.lower(): v for k, v in reversed(list(headers.items()))}   # the first one wins
    match = _AUTH.match(found.get("authorization", "").strip())
    if match is None:
        raise SignatureFailure("The Authorization header is missing or is not a TC3-HMAC-SHA256 "
                               "authorization (Credential=…, SignedHeaders=…, Signature=…).")
    secret_id, date, service, signed, sig = match.groups()
    stamp = found.get("x-tc-timestamp")
    if stamp is None:
        raise MissingParameter("Timestamp", " Send it as the X-TC-Timestamp header.")
    if not _TIMESTAMP.match(stamp.strip()):
        raise SignatureFailure("X-TC-Timestamp should be Unix time in seconds.")
    timestamp = int(stamp)
    if max_skew is not None and abs(now - timestamp) > max_skew:
        raise SignatureExpire(f"Signature expired: X-TC-Timestamp {timestamp} is {now - timestamp:+.0f} s "
                              f"away from the server time (at most {max_skew:g} s is accepted).")
    key = keys.get(secret_id)
    if key is None:
        raise SecretIdNotFound()
    if service != SERVICE:
        raise SignatureFailure(f"The credential scope names the service {service!r}; VOD's is {SERVICE!r}.")
    if date != utc_date(timestamp):
        raise SignatureFailure(f"The credential date {date} is not the UTC date of X-TC-Timestamp "
                               f"({utc_date(timestamp)}).")
    payload = ("UNSIGNED-PAYLOAD" if found.get("x-tc-content-sha256") == "UNSIGNED-PAYLOAD"
               else hashlib.sha256(body).hexdigest())
    scope = f"{date}/{service}/tc3_request"
    for lower in (False, True):
        creq = canonical_request(method, path, query, found, signed, payload, lower=lower)
        want = signature(key, date, service, string_to_sign(stamp, scope, creq))
        if hmac.compare_digest(want, sig):
            return secret_id
    raise SignatureFailure()
