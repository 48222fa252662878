"""The OSS wire: where a request points (path-style ``/<bucket>/<key>``, as oss2 builds URLs
for an IP endpoint), the XML it sends, and the XML and headers it gets back."""

from __future__ import annotations

import base64
import os
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import unquote
from xml.sax.saxutils import escape

from aiohttp import web

from .errors import MalformedXML, OssError

# Characters XML 1.0 cannot carry (a NUL in a key, say): written as U+FFFD, so the body stays parsable.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
SERVER = "AliyunOSS"


@dataclass(frozen=True, slots=True)
class Target:
    bucket: str
    key: str


def target(request: web.Request) -> Target:
    """``/<bucket>/<key>`` from the raw path (oss2 quotes ``/`` in keys as ``%2F``)."""
    raw = request.raw_path.partition("?")[0].lstrip("/")
    bucket, _, key = raw.partition("/")
    return Target(unquote(bucket), unquote(key))


def request_id() -> str:
    return os.urandom(12).hex().upper()


def xml(tag: str, children: list[tuple[str, str]], rid: str, status: int = 200) -> web.Response:
    inner = "".join(f"<{k}>{escape(_NOT_XML.sub(chr(0xFFFD), v))}</{k}>" for k, v in children)
    body = f'<?xml version="1.0" encoding="UTF-8"?>\n<{tag}>{inner}</{tag}>'
    return web.Response(status=status, body=body.encode("utf-8"), headers=headers(rid, "application/xml"))


def headers(rid: str, content_type: str | None = None) -> dict[str, str]:
    out = {"x-oss-request-id": rid, "Server": SERVER}
    if content_type:
        out["Content-Type"] = content_type
    return out


def error(exc: OssError, rid: str, host: str, method: str) -> web.StreamResponse:
    children = [("Code", exc.code), ("Message", exc.message), ("RequestId", rid), ("HostId", host or "127.0.0.1"),
                *exc.extra.items()]
    answer = xml("Error", children, rid, exc.status)
    if method == "HEAD":   # no body on HEAD: the error XML travels Base64-encoded in x-oss-err
        return web.Response(status=exc.status, headers={**headers(rid),
                                                        "x-oss-err": base64.b64encode(answer.body).decode()})
    return answer


def parse_complete(body: bytes) -> list[tuple[int, str]]:
    """CompleteMultipartUpload's ``<Part><PartNumber/><ETag/></Part>`` list."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        raise MalformedXML() from None
    parts = []
    for part in root.findall("Part"):
        number, etag = part.findtext("PartNumber"), part.findtext("ETag")
        if number is None or etag is None or not number.strip().isdigit():
            raise MalformedXML()
        parts.append((int(number), etag.strip().strip('"')))
    if not parts:
        raise MalformedXML()
    return parts
