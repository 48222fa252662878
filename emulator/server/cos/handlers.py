"""One function per COS operation a VOD upload uses, named as COS names it.  Each takes the
store and the parsed request and returns ``(status, root, fields, headers)`` for the wire,
or raises a ``CosError``."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from .errors import InvalidArgument, MalformedXML, MethodNotAllowed
from .store import ObjectStore

MAX_PARTS = 10000
Answer = tuple[int, str | None, dict[str, Any], dict[str, str], bytes | None]


@dataclass(frozen=True, slots=True)
class CosCall:
    method: str
    bucket: str
    key: str
    query: dict[str, str]
    body: bytes


def _iso(t: float) -> str:
    return datetime.fromtimestamp(t, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def PutObject(store: ObjectStore, c: CosCall) -> Answer:
    etag = store.put(c.bucket, c.key, c.body)
    return 200, None, {}, {"ETag": f'"{etag}"'}, None


def GetObject(store: ObjectStore, c: CosCall) -> Answer:
    data = store.get(c.bucket, c.key)
    return 200, None, {}, {"Content-Type": "application/octet-stream"}, data


def HeadObject(store: ObjectStore, c: CosCall) -> Answer:
    data = store.get(c.bucket, c.key)
    return 200, None, {}, {"x-cos-object-size": str(len(data))}, None


def InitiateMultipartUpload(store: ObjectStore, c: CosCall) -> Answer:
    up = store.initiate(c.bucket, c.key)
    return 200, "InitiateMultipartUploadResult", {"Bucket": c.bucket, "Key": c.key, "UploadId": up.upload_id}, {}, None


def UploadPart(store: ObjectStore, c: CosCall) -> Answer:
    number = _int(c.query, "partNumber")
    if not 1 <= number <= MAX_PARTS:
        raise InvalidArgument(f"partNumber should be 1 to {MAX_PARTS}, not {number}.")
    up = store.upload(c.bucket, c.key, c.query["uploadId"])
    etag = store.put_part(up, number, c.body)
    return 200, None, {}, {"ETag": f'"{etag}"'}, None


def ListParts(store: ObjectStore, c: CosCall) -> Answer:
    up = store.upload(c.bucket, c.key, c.query["uploadId"])
    marker = _int(c.query, "part-number-marker", 0)
    limit = _int(c.query, "max-parts", 1000)
    numbers = [n for n in sorted(up.parts) if n > marker]
    page = numbers[:limit]
    return 200, "ListPartsResult", {
        "Bucket": c.bucket, "Encoding-type": "url", "Key": c.key, "UploadId": up.upload_id,
        "PartNumberMarker": marker, "NextPartNumberMarker": page[-1] if page else marker, "MaxParts": limit,
        "IsTruncated": "true" if len(numbers) > limit else "false",
        "Part": [{"PartNumber": n, "LastModified": _iso(up.initiated), "ETag": f'"{up.parts[n][0]}"',
                  "Size": up.parts[n][1]} for n in page],
    }, {}, None


def ListMultipartUploads(store: ObjectStore, c: CosCall) -> Answer:
    prefix = c.query.get("prefix", "")
    uploads = [u for u in store.uploads.values() if u.bucket == c.bucket and u.key.startswith(prefix)]
    return 200, "ListMultipartUploadsResult", {
        "Bucket": c.bucket, "Encoding-Type": "url", "Prefix": prefix, "IsTruncated": "false",
        "Upload": [{"Key": u.key, "UploadId": u.upload_id, "StorageClass": "STANDARD",
                    "Initiated": _iso(u.initiated)} for u in sorted(uploads, key=lambda u: u.initiated)],
    }, {}, None


def CompleteMultipartUpload(store: ObjectStore, c: CosCall) -> Answer:
    up = store.upload(c.bucket, c.key, c.query["uploadId"])
    try:
        root = ET.fromstring(c.body)
        listed = [(int(p.findtext("PartNumber", "")), p.findtext("ETag", "")) for p in root.iter("Part")]
    except (ET.ParseError, ValueError):
        raise MalformedXML() from None
    if not listed:
        raise MalformedXML("CompleteMultipartUpload lists no Part.")
    etag = store.complete(up, listed)
    return 200, "CompleteMultipartUploadResult", {
        "Location": f"{c.bucket}.cos/{c.key}", "Bucket": c.bucket, "Key": c.key, "ETag": f'"{etag}"'}, {}, None


def AbortMultipartUpload(store: ObjectStore, c: CosCall) -> Answer:
    store.abort(store.upload(c.bucket, c.key, c.query["uploadId"]))
    return 204, None, {}, {}, None


def _int(query: dict[str, str], name: str, default: int | None = None) -> int:
    value = query.get(name)
    if value is None and default is not None:
        return default
    try:
        return int(value or "")
    except ValueError:
        raise InvalidArgument(f"{name} should be an integer, not {value!r}.") from None


def operation(c: CosCall) -> Any:
    """The handler for ``c`` by method, key and sub-resource."""
    q = c.query
    if not c.key:
        if c.method == "GET" and "uploads" in q:
            return ListMultipartUploads
        raise MethodNotAllowed(f"{c.method} on the bucket is not served by this emulator's COS stand-in.")
    table = {
        ("PUT", True): UploadPart, ("GET", True): ListParts, ("POST", True): CompleteMultipartUpload,
        ("DELETE", True): AbortMultipartUpload,
    }
    if "uploadId" in q and (c.method, True) in table:
        return table[(c.method, True)]
    if c.method == "POST" and "uploads" in q:
        return InitiateMultipartUpload
    ops = {"PUT": PutObject, "GET": GetObject, "HEAD": HeadObject}
    if c.method in ops:
        return ops[c.method]
    raise MethodNotAllowed()


