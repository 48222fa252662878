"""The MNS request signature (HMAC-SHA1), for checking requests and for signing our own.

    Authorization: MNS <AccessKeyId>:base64(HMAC-SHA1(secret,
        VERB \\n Content-MD5 \\n Content-Type \\n Date \\n CanonicalizedMNSHeaders CanonicalizedResource))

CanonicalizedMNSHeaders: every ``x-mns-*`` header, name lower-cased, sorted, ``name:value\\n``.
CanonicalizedResource: the request target exactly as sent (path, and ``?query`` if any).
"""

from __future__ import annotations

import base64
import email.utils
import hashlib
import hmac
from collections.abc import Iterable, Mapping

from .errors import (
    InvalidAccessKeyId,
    InvalidAuthorizationHeader,
    InvalidDateHeader,
    InvalidDigest,
    InvalidVersionHeader,
    MissingAuthorizationHeader,
    MissingDateHeader,
    MissingVersionHeader,
    SignatureDoesNotMatch,
)

# Local, clearly fake credentials: what the emulator accepts unless told otherwise.
DEFAULT_ACCESS_KEY_ID = "vod-emulator"
DEFAULT_ACCESS_KEY_SECRET = "vod-emulator-secret"
API_VERSION = "2015-06-06"


def string_to_sign(method: str, headers: Iterable[tuple[str, str]], resource: str) -> str:
    """``headers``: (name, value) pairs as sent, any case."""
    plain: dict[str, str] = {}
    mns: list[tuple[str, str]] = []
    for name, value in headers:
        low = name.lower()
        if low.startswith("x-mns-"):
            mns.append((low, value))
        elif low in ("content-md5", "content-type", "date"):
            plain.setdefault(low, value)
    canon = "".join(f"{k}:{v}\n" for k, v in sorted(mns))
    return (f"{method.upper()}\n{plain.get('content-md5', '')}\n{plain.get('content-type', '')}\n"
            f"{plain.get('date', '')}\n{canon}{resource}")


def signature(secret: str, text: str) -> str:
    # surrogateescape: header bytes that were not UTF-8 (aiohttp keeps them as surrogates)
    # go back to exactly the bytes the client signed.
    digest = hmac.new(secret.encode("utf-8"), text.encode("utf-8", "surrogateescape"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def sign(method: str, resource: str, headers: Mapping[str, str], access_key_id: str, access_key_secret: str) -> str:
    """The ``Authorization`` value for a request we send."""
    return f"MNS {access_key_id}:{signature(access_key_secret, string_to_sign(method, headers.items(), resource))}"


def content_md5(body: bytes) -> str:
    """The SDKs' Content-MD5: base64 of the *hex* digest (not of the raw digest)."""
    return base64.b64encode(hashlib.md5(body).hexdigest().encode("ascii")).decode("ascii")


def request_headers(method: str, resource: str, body: bytes, date: str,
                    access_key_id: str, access_key_secret: str) -> dict[str, str]:
    """Every header an MNS request needs, signed (what the official SDKs send)."""
    headers = {"x-mns-version": API_VERSION, "date": date}
    if body:
        headers["content-md5"] = content_md5(body)
        headers["content-type"] = "text/xml;charset=UTF-8"
    headers["Authorization"] = sign(method, resource, headers, access_key_id, access_key_secret)
    return headers


def http_date(ts: float) -> str:
    return email.utils.formatdate(ts, usegmt=True)


def verify(method: str, resource: str, headers: Iterable[tuple[str, str]], body: bytes,
           access_key_id: str, access_key_secret: str) -> None:
    """Raise the error MNS answers for an unauthenticated or malformed request; else None."""
    pairs = list(headers)
    found = {}
    for name, value in pairs:
        found.setdefault(name.lower(), value)
    auth = found.get("authorization")
    if auth is None:
        raise MissingAuthorizationHeader()
    scheme, _, credential = auth.partition(" ")
    akid, colon, sig = credential.partition(":")
    if scheme != "MNS" or not colon or not akid or not sig:
        raise InvalidAuthorizationHeader()
    date = found.get("date", found.get("x-mns-date"))
    if date is None:
        raise MissingDateHeader()
    try:
        email.utils.parsedate_to_datetime(date)
    except (TypeError, ValueError, IndexError, OverflowError):
        raise InvalidDateHeader() from None
    version = found.get("x-mns-version")
    if version is None:
        raise MissingVersionHeader()
    if version != API_VERSION:
        raise InvalidVersionHeader()
    if not hmac.compare_digest(akid.encode("utf-8", "replace"), access_key_id.encode("utf-8")):
        raise InvalidAccessKeyId()
    want = signature(access_key_secret, string_to_sign(method, pairs, resource))
    if not hmac.compare_digest(sig.encode("utf-8", "replace"), want.encode("ascii")):
        raise SignatureDoesNotMatch()
    md5 = found.get("content-md5")
    if md5 is not None and md5 not in (content_md5(body), base64.b64encode(hashlib.md5(body).digest()).decode()):
        raise InvalidDigest()

