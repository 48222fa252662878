"""Who is calling: the two signatures the VOD SDKs send, checked against serve's key pair.

* ACS3-HMAC-SHA256 (``alibabacloud-vod20170321`` / Tea OpenAPI, the default): ``Authorization:
  ACS3-HMAC-SHA256 Credential=<id>,SignedHeaders=<a;b>,Signature=<hex>`` over the canonical
  request (method, path, sorted query, the signed headers, the body's SHA-256), with
  ``x-acs-date`` and ``x-acs-signature-nonce``.
* RPC HMAC-SHA1 (``aliyun-python-sdk-core``, and the Tea SDK with ``signature_algorithm='v2'``):
  ``Signature`` over ``METHOD&%2F&<percent-encoded sorted parameters>`` of the query and form
  parameters, with ``Timestamp`` and ``SignatureNonce``; the key is ``secret + '&'``.

A nonce is accepted once within the timestamp window (15 minutes either side of now).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import quote

from .errors import (
    IncompleteSignature,
    InvalidAccessKeyId,
    InvalidTimeStampExpired,
    InvalidTimeStampFormat,
    MissingParameter,
    SignatureDoesNotMatch,
    SignatureNonceUsed,
)

MAX_SKEW = 15 * 60.0
_ACS3 = re.compile(r"(ACS3-HMAC-SHA256)\s+Credential=([^,]*),\s*SignedHeaders=([^,]*),\s*Signature=([0-9a-fA-F]+)\s*\Z")


@dataclass
class NonceCache:
    """Nonces seen within the window; a second use is ``SignatureNonceUsed``."""

    window: float = 2 * MAX_SKEW
    _seen: dict[str, float] = field(default_factory=dict)

    def use(self, nonce: str, now: float) -> None:
        if len(self._seen) > 10_000:
            self._seen = {n: t for n, t in self._seen.items() if t > now}
        expires = self._seen.get(nonce)
        if expires is not None and expires > now:
            raise SignatureNonceUsed()
        self._seen[nonce] = now + self.window


@dataclass(frozen=True, slots=True)
class Keys:
    """The key pairs serve accepts (id → secret)."""

    pairs: Mapping[str, str]
    nonces: NonceCache
    now: Callable[[], float] = time.time
    max_skew: float | None = MAX_SKEW

    def secret(self, key_id: str) -> str:
        secret = self.pairs.get(key_id)
        if secret is None:
            raise InvalidAccessKeyId()
        return secret

    def fresh(self, stamp: str, nonce: str) -> None:
        try:
            when = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc).timestamp()
        except ValueError:
            raise InvalidTimeStampFormat() from None
        now = self.now()
        if self.max_skew is not None and abs(now - when) > self.max_skew:
            raise InvalidTimeStampExpired(f"Specified time stamp or date value is expired: {stamp} is more than "
                                          f"{self.max_skew / 60:.0f} minutes from the server's time.")
        self.nonces.use(nonce, now)


def _enc(text: str) -> str:
    return quote(text, safe="~", encoding="utf-8")


def verify_acs3(method: str, path: str, query: Mapping[str, str], headers: Mapping[str, str], body: bytes,
                keys: Keys) -> str:
    """Check an ACS3-HMAC-SHA256 request; return the caller's AccessKeyId."""
    m = _ACS3.match(headers.get("Authorization", "").strip())
    if m is None:
        raise IncompleteSignature("The request signature does not conform to Aliyun standards: expected "
                                  "'ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,Signature=…'.")
    algorithm, key_id, signed, signature = m.groups()
    secret = keys.secret(key_id)
    payload = hashlib.sha256(body).hexdigest()
    if headers.get("x-acs-content-sha256", payload).lower() != payload:
        raise SignatureDoesNotMatch("x-acs-content-sha256 is not the SHA-256 of the body")
    names = [n for n in signed.split(";") if n]
    lower = {k.lower(): v for k, v in headers.items()}
    for required in ("x-acs-date", "x-acs-signature-nonce"):
        if required not in lower:
            raise MissingParameter(required)
    canon_headers = "".join(f"{n}:{','.join(sorted(v.strip() for v in _all(headers, n)))}\n" for n in names)
    canon_query = "&".join(f"{k}={_enc(query[k])}" for k in sorted(query))
    canonical = f"{method}\n{path or '/'}\n{canon_query}\n{canon_headers}\n{signed}\n{payload}"
    to_sign = f"{algorithm}\n{hashlib.sha256(canonical.encode('utf-8')).hexdigest()}"
    expected = hmac.new(secret.encode("utf-8"), to_sign.encode("utf-8"), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature.lower()):
        raise SignatureDoesNotMatch(to_sign)
    keys.fresh(lower["x-acs-date"], lower["x-acs-signature-nonce"])
    return key_id


def _all(headers: Mapping[str, str], name: str) -> list[str]:
    getall = getattr(headers, "getall", None)
    if getall is not None:
        return list(getall(name, []))
    value = {k.lower(): v for k, v in headers.items()}.get(name)
    return [] if value is None else [value]


_RPC_HASHES = {"HMAC-SHA1": hashlib.sha1, "HMAC-SHA256": hashlib.sha256}


def rpc_string_to_sign(method: str, params: Mapping[str, str]) -> str:
    canonical = "&".join(f"{_enc(k)}={_enc(params[k])}" for k in sorted(params) if k != "Signature")
    return f"{method}&%2F&{_enc(canonical)}"


def verify_rpc(method: str, params: Mapping[str, str], keys: Keys) -> str:
    """Check an RPC-style request (``Signature`` among the parameters); return the AccessKeyId."""
    for name in ("AccessKeyId", "Signature", "SignatureNonce", "Timestamp"):
        if not params.get(name):
            raise MissingParameter(name)
    secret = keys.secret(params["AccessKeyId"])
    digest = _RPC_HASHES.get(params.get("SignatureMethod", "HMAC-SHA1"))
    if digest is None:
        raise IncompleteSignature(f"SignatureMethod {params['SignatureMethod']!r} is not supported: "
                                  "use HMAC-SHA1 or HMAC-SHA256.")
    to_sign = rpc_string_to_sign(method, params)
    expected = base64.b64encode(hmac.new(f"{secret}&".encode(), to_sign.encode(), digest).digest()).decode()
    if not hmac.compare_digest(expected, params["Signature"]):
        raise SignatureDoesNotMatch(to_sign)
    keys.fresh(params["Timestamp"], params["SignatureNonce"])
    return params["AccessKeyId"]
