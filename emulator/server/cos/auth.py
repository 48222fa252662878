"""COS request signatures (``q-sign-algorithm=sha1``), checked as ``cos-python-sdk-v5`` makes them:

    Authorization: q-sign-algorithm=sha1&q-ak=<SecretId>&q-sign-time=<t0;t1>&q-key-time=<t0;t1>
                   &q-header-list=<h1;h2>&q-url-param-list=<p1;p2>&q-signature=<40 hex>

    HttpString   = lower(method) \\n path \\n p1=v1&p2=v2 \\n h1=v1&h2=v2 \\n   (names lower-cased,
                   values URL-encoded keeping -_.~, pairs sorted; path is the object key, decoded)
    StringToSign = sha1 \\n q-sign-time \\n hex(sha1(HttpString)) \\n
    SignKey      = hex(HMAC-SHA1(SecretKey, q-key-time));  q-signature = hex(HMAC-SHA1(SignKey, StringToSign))

Temporary credentials (ApplyUpload's TempCertificate) also need ``x-cos-security-token``
equal to their Token.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Mapping
from urllib.parse import parse_qsl, quote

from .errors import AccessDenied, InvalidAccessKeyId, InvalidToken, RequestTimeTooSkewed, SignatureDoesNotMatch

# secret id → (secret key, token or None); None: unknown id
KeyLookup = Callable[[str], "tuple[str, str | None] | None"]
MAX_SKEW = 900.0


def _enc(text: str) -> str:
    return quote(text.encode("utf-8"), "-_.~")


def string_to_sign(method: str, path: str, params: Mapping[str, str], headers: Mapping[str, str],
                   sign_time: str) -> str:
    fmt = "{}\n{}\n{}\n{}\n".format(
        method.lower(), path,
        "&".join(f"{k}={v}" for k, v in sorted(params.items())),
        "&".join(f"{k}={v}" for k, v in sorted(headers.items())))
    return f"sha1\n{sign_time}\n{hashlib.sha1(fmt.encode('utf-8')).hexdigest()}\n"


def signature(secret_key: str, key_time: str, to_sign: str) -> str:
    sign_key = hmac.new(secret_key.encode(), key_time.encode(), hashlib.sha1).hexdigest()
    return hmac.new(sign_key.encode(), to_sign.encode(), hashlib.sha1).hexdigest()


def verify(method: str, path: str, raw_query: str, headers: Mapping[str, str], keys: KeyLookup, *,
           now: float, max_skew: float = MAX_SKEW) -> str:
    """The SecretId of a correctly signed request, else the COS error."""
    auth = headers.get("Authorization", "") or ""
    if not auth and "q-signature" in raw_query:
        auth = raw_query            # a pre-signed URL carries the same fields in the query
    fields = dict(parse_qsl(auth, keep_blank_values=True))
    if fields.get("q-sign-algorithm") != "sha1" or not fields.get("q-signature"):
        raise AccessDenied("Access Denied: the request is not signed (q-sign-algorithm=sha1 …).")
    found = keys(fields.get("q-ak", ""))
    if found is None:
        raise InvalidAccessKeyId()
    secret_key, token = found
    try:
        start, end = (int(x) for x in fields.get("q-sign-time", "").split(";"))
    except ValueError:
        raise AccessDenied("q-sign-time should be <start>;<end> in Unix seconds.") from None
    if not start - max_skew <= now <= end + max_skew:
        raise RequestTimeTooSkewed(f"The signature is valid {start}..{end}; the server time is {int(now)}.")
    if token is not None and headers.get("x-cos-security-token") != token:
        raise InvalidToken("Temporary credentials need the x-cos-security-token header with their Token.")
    lower = {k.lower(): v for k, v in headers.items()}
    signed_headers = {}
    for name in filter(None, fields.get("q-header-list", "").split(";")):
        signed_headers[name] = _enc(lower.get(name, ""))
    query = {k.lower(): v for k, v in parse_qsl(raw_query, keep_blank_values=True)}
    signed_params = {}
    for name in filter(None, fields.get("q-url-param-list", "").split(";")):
        signed_params[name] = _enc(query.get(name, ""))
    to_sign = string_to_sign(method, path, signed_params, signed_headers, fields["q-sign-time"])
    want = signature(secret_key, fields.get("q-key-time", fields["q-sign-time"]), to_sign)
    if not hmac.compare_digest(want, fields["q-signature"].lower()):
        raise SignatureDoesNotMatch(f"The Signature you specified does not match. StringToSign was {to_sign!r}.")
    return fields["q-ak"]
