"""OSS signature V1 (oss2's default, also under ``StsAuth``): ``Authorization: OSS <id>:<sig>``,
``sig = Base64(HMAC-SHA1(secret, METHOD\\nContent-MD5\\nContent-Type\\nDate\\n<x-oss- headers><resource>))``.
Temporary credentials (from CreateUploadVideo & co.) need their ``x-oss-security-token``,
expire, and reach only the object they were issued for; serve's own key pair reaches all."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime

from .errors import (
    AccessDenied,
    InvalidAccessKeyId,
    InvalidArgument,
    InvalidSecurityToken,
    NotImplementedOss,
    RequestTimeTooSkewed,
    SecurityTokenExpired,
    SignatureDoesNotMatch,
)
from .wire import Target

MAX_SKEW = 15 * 60.0
# The sub-resources that take part in the signed resource (oss2's list, the ones a VOD upload uses first).
SUBRESOURCES = frozenset("""acl uploadId uploads partNumber security-token objectMeta objectInfo append position
    symlink tagging versionId versions versioning response-content-type response-content-language
    response-cache-control response-content-encoding response-expires response-content-disposition
    delete restore callback callback-var x-oss-process x-oss-traffic-limit x-oss-request-payer sequential
    continuation-token location stat bucketInfo cors lifecycle referer website logging""".split())


@dataclass(frozen=True, slots=True)
class Grant:
    access_key_id: str
    secret: str
    token: str | None = None          # required in x-oss-security-token when set
    bucket: str | None = None         # None: any bucket
    key: str | None = None            # None: any key of the bucket
    expires: float | None = None      # epoch seconds


@dataclass
class Grants:
    """The credentials OSS accepts: serve's own pair and the temporary ones VOD issued."""

    items: dict[str, Grant] = field(default_factory=dict)
    now: Callable[[], float] = time.time

    def add(self, grant: Grant) -> Grant:
        now = self.now()
        if len(self.items) > 10_000:
            self.items = {k: g for k, g in self.items.items() if g.expires is None or g.expires > now}
        self.items[grant.access_key_id] = grant
        return grant


def string_to_sign(method: str, target: Target, query: Mapping[str, str], headers: Mapping[str, str]) -> str:
    lower = {k.lower(): v for k, v in headers.items()}
    canon = "".join(f"{k}:{lower[k]}\n" for k in sorted(k for k in lower if k.startswith("x-oss-")))
    subs = sorted((k, v) for k, v in query.items() if k in SUBRESOURCES)
    sub = ("?" + "&".join(f"{k}={v}" if v else k for k, v in subs)) if subs else ""
    resource = f"/{target.bucket}/{target.key}{sub}" if target.bucket else f"/{sub}"
    date = lower.get("x-oss-date") or lower.get("date", "")
    return "\n".join([method, lower.get("content-md5", ""), lower.get("content-type", ""), date, canon + resource])


def verify(method: str, target: Target, query: Mapping[str, str], headers: Mapping[str, str],
           grants: Grants, *, max_skew: float | None = MAX_SKEW) -> Grant:
    """The grant the request was signed with, or the OSS error for why not."""
    auth = headers.get("Authorization", "")
    if auth.startswith("OSS4-") or auth.startswith("OSS2 "):
        raise NotImplementedOss("This emulator checks OSS signature V1 (oss2's default, StsAuth included); "
                                "build the client without auth_version=v2/v4.")
    if not auth.startswith("OSS "):
        raise AccessDenied("AccessDenied: anonymous access is not allowed; sign with the UploadAuth credentials.")
    key_id, sep, signature = auth[4:].strip().rpartition(":")
    if not sep:
        raise InvalidArgument("Authorization header is invalid.")
    grant = grants.items.get(key_id)
    if grant is None:
        raise InvalidAccessKeyId(OSSAccessKeyId=key_id)
    now = grants.now()
    if grant.token is not None:
        token = headers.get("x-oss-security-token") or query.get("security-token")
        if token != grant.token:
            raise InvalidSecurityToken()
        if grant.expires is not None and now > grant.expires:
            raise SecurityTokenExpired()
    date = headers.get("x-oss-date") or headers.get("Date")
    if max_skew is not None and date:
        try:
            when = parsedate_to_datetime(date).timestamp()
        except (TypeError, ValueError):
            raise InvalidArgument(f"Date header is invalid: {date[:60]!r}.") from None
        if abs(now - when) > max_skew:
            raise RequestTimeTooSkewed(RequestTime=date, ServerTime=time.strftime("%Y-%m-%dT%H:%M:%S.000Z",
                                                                                   time.gmtime(now)))
    to_sign = string_to_sign(method, target, query, headers)
    expected = base64.b64encode(hmac.new(grant.secret.encode(), to_sign.encode(), hashlib.sha1).digest()).decode()
    if not hmac.compare_digest(expected, signature):
        raise SignatureDoesNotMatch(OSSAccessKeyId=key_id, SignatureProvided=signature, StringToSign=to_sign)
    if (grant.bucket is not None and target.bucket != grant.bucket) or (grant.key is not None and target.key != grant.key):
        raise AccessDenied("You have no right to access this object because of bucket acl: these credentials were "
                           f"issued for {grant.bucket}/{grant.key}.")
    return grant
