"""One function per OSS operation a VOD upload uses, named as OSS names it.  Each takes the
face, the request and its target, and returns the response (or raises an ``OssError``)."""

from __future__ import annotations

import base64
import hashlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from email.utils import formatdate
from pathlib import Path
from xml.sax.saxutils import escape

from aiohttp import web

from . import wire
from .auth import Grants
from .errors import InvalidArgument, InvalidDigest, NotImplementedOss
from .store import ObjectInfo, ObjectStore
from .wire import Target

MAX_OBJECT_BYTES = 5 * 1024 ** 3            # PutObject's and a part's documented limit
OnComplete = Callable[[ObjectInfo], Awaitable[None]]


async def _nothing(info: ObjectInfo) -> None:
    return None


@dataclass
class OssFace:
    store: ObjectStore
    grants: Grants
    on_complete: OnComplete = field(default=_nothing)   # serve's VOD backend: the upload is done

    async def completed(self, info: ObjectInfo) -> None:
        await self.on_complete(info)
        if not self.store.keep_bytes:
            self.store.forget_bytes(info)


async def _receive(face: OssFace, request: web.Request) -> tuple[Path, int, str]:
    """The body into a scratch file: (path, size, md5 hex); Content-MD5 checked when sent."""
    scratch, digest, size = face.store.scratch(), hashlib.md5(), 0
    with open(scratch, "wb") as out:
        while chunk := await request.content.readany():
            size += len(chunk)
            if size > MAX_OBJECT_BYTES:
                scratch.unlink(missing_ok=True)
                raise InvalidArgument(f"Your proposed upload exceeds the maximum allowed size ({MAX_OBJECT_BYTES}).")
            digest.update(chunk)
            out.write(chunk)
    sent = request.headers.get("Content-MD5")
    if sent is not None and sent != base64.b64encode(digest.digest()).decode():
        scratch.unlink(missing_ok=True)
        raise InvalidDigest()
    return scratch, size, digest.hexdigest()


def _ok(rid: str, **extra: str) -> web.Response:
    return web.Response(status=200, headers={**wire.headers(rid), **extra})


async def PutObject(face: OssFace, request: web.Request, t: Target, rid: str) -> web.StreamResponse:
    face.store.check_bucket(t.bucket)
    scratch, size, md5 = await _receive(face, request)
    info = face.store.put(t.bucket, t.key, scratch, size, md5,
                          request.headers.get("Content-Type", "application/octet-stream"))
    await face.completed(info)
    return _ok(rid, ETag=f'"{info.etag}"', **{"Content-MD5": base64.b64encode(bytes.fromhex(md5)).decode()})


async def InitiateMultipartUpload(face: OssFace, request: web.Request, t: Target, rid: str) -> web.StreamResponse:
    upload_id = face.store.initiate(t.bucket, t.key, request.headers.get("Content-Type", "application/octet-stream"))
    return wire.xml("InitiateMultipartUploadResult", [("Bucket", t.bucket), ("Key", t.key), ("UploadId", upload_id)],
                    rid)


async def UploadPart(face: OssFace, request: web.Request, t: Target, rid: str) -> web.StreamResponse:
    number = request.query.get("partNumber", "")
    if not number.isdigit() or not 1 <= int(number) <= 10_000:
        raise InvalidArgument(f"Part number must be an integer between 1 and 10000, got {number[:20]!r}.")
    face.store.parts(t.bucket, t.key, request.query["uploadId"])   # NoSuchUpload before reading the body
    scratch, size, md5 = await _receive(face, request)
    etag = face.store.put_part(t.bucket, t.key, request.query["uploadId"], int(number), scratch, size, md5)
    return _ok(rid, ETag=f'"{etag}"')


async def CompleteMultipartUpload(face: OssFace, request: web.Request, t: Target, rid: str) -> web.StreamResponse:
    parts = wire.parse_complete(await request.read())
    info = face.store.complete(t.bucket, t.key, request.query["uploadId"], parts)
    await face.completed(info)
    host = request.headers.get("Host", "127.0.0.1")
    return wire.xml("CompleteMultipartUploadResult", [("Location", f"http://{host}/{t.bucket}/{t.key}"),
                                                      ("Bucket", t.bucket), ("Key", t.key),
                                                      ("ETag", f'"{info.etag}"')], rid)


async def AbortMultipartUpload(face: OssFace, request: web.Request, t: Target, rid: str) -> web.StreamResponse:
    face.store.abort(t.bucket, t.key, request.query["uploadId"])
    return web.Response(status=204, headers=wire.headers(rid))


async def ListParts(face: OssFace, request: web.Request, t: Target, rid: str) -> web.StreamResponse:
    parts = face.store.parts(t.bucket, t.key, request.query["uploadId"])
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
    items = "".join(f"<Part><PartNumber>{n}</PartNumber><LastModified>{stamp}</LastModified>"
                    f"<ETag>\"{md5.upper()}\"</ETag><Size>{size}</Size></Part>" for n, size, md5 in parts)
    body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<ListPartsResult><Bucket>{escape(t.bucket)}</Bucket>'
            f"<Key>{escape(t.key)}</Key><UploadId>{escape(request.query['uploadId'])}</UploadId>"
            f"<PartNumberMarker>0</PartNumberMarker><NextPartNumberMarker>{parts[-1][0] if parts else 0}"
            f"</NextPartNumberMarker><MaxParts>1000</MaxParts><IsTruncated>false</IsTruncated>{items}"
            "</ListPartsResult>")
    return web.Response(body=body.encode(), headers=wire.headers(rid, "application/xml"))


def _object_headers(info: ObjectInfo, rid: str) -> dict[str, str]:
    return {**wire.headers(rid, info.content_type), "ETag": f'"{info.etag}"',
            "Last-Modified": formatdate(info.created, usegmt=True),
            "x-oss-object-type": "Multipart" if info.multipart else "Normal"}


async def HeadObject(face: OssFace, request: web.Request, t: Target, rid: str) -> web.StreamResponse:
    info = face.store.head(t.bucket, t.key)
    return web.Response(status=200, headers={**_object_headers(info, rid), "Content-Length": str(info.size)})


async def GetObject(face: OssFace, request: web.Request, t: Target, rid: str) -> web.StreamResponse:
    info = face.store.head(t.bucket, t.key)
    if info.path is None:
        raise NotImplementedOss("This object's bytes were not kept (serve's oss keep_bytes: false); only its size "
                                "and MD5 are known.")
    return web.FileResponse(info.path, headers=_object_headers(info, rid))


Operation = Callable[[OssFace, web.Request, Target, str], Awaitable[web.StreamResponse]]


def operation(method: str, query: "web.MultiDictProxy[str]") -> Operation:
    if method == "PUT":
        return UploadPart if "uploadId" in query else PutObject
    if method == "POST" and "uploads" in query:
        return InitiateMultipartUpload
    if method == "POST" and "uploadId" in query:
        return CompleteMultipartUpload
    if method == "DELETE" and "uploadId" in query:
        return AbortMultipartUpload
    if method == "GET" and "uploadId" in query:
        return ListParts
    if method == "HEAD":
        return HeadObject
    if method == "GET":
        return GetObject
    raise NotImplementedOss(f"{method} with these parameters is not an OSS operation this emulator serves "
                            "(PutObject, multipart upload, HeadObject, GetObject).")
