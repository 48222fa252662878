"""COS on the wire: which bucket and key a request is for, and the one XML writer (answers
and ``<Error>`` bodies with ``x-cos-request-id``)."""

from __future__ import annotations

import base64
import os
import re
from xml.sax.saxutils import escape

from aiohttp import web

from .errors import CosError

# <bucket>-<appid>.cos.<region>.myqcloud.com (also .tencentcos.cn); cos-python-sdk-v5 sends
# this Host even when CosConfig(IP=…, Port=…) points the connection at the emulator.
_HOST = re.compile(r"(?P<bucket>[A-Za-z0-9][A-Za-z0-9-]*)\.cos\.(?P<region>[a-z0-9-]+)\.(myqcloud\.com|tencentcos\.cn)"
                   r"(:\d+)?\Z")
# Characters XML 1.0 cannot carry (a NUL in a key, say): written as U+FFFD, so the body stays parsable.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
SERVER = "tencent-cos"


def request_id() -> str:
    return base64.b64encode(os.urandom(24)).decode()


def target(host: str, path: str) -> tuple[str, str, str]:
    """(bucket, region, key) of a request: virtual-hosted style by Host, else path style."""
    m = _HOST.match(host)
    if m:
        return m.group("bucket"), m.group("region"), path.lstrip("/")
    bucket, _, key = path.lstrip("/").partition("/")
    return bucket, "", key


def is_cos_host(host: str) -> bool:
    return _HOST.match(host) is not None


def _xml(node: object, name: str) -> str:
    if isinstance(node, dict):
        return f"<{name}>" + "".join(_xml(v, k) for k, v in node.items()) + f"</{name}>"
    if isinstance(node, list):
        return "".join(_xml(item, name) for item in node)
    return f"<{name}>{escape(_NOT_XML.sub(chr(0xFFFD), str(node)))}</{name}>"


def xml(rid: str, root: str, fields: dict, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    body = "<?xml version='1.0' encoding='utf-8' ?>\n" + _xml(fields, root)
    return web.Response(status=status, body=body.encode(), content_type="application/xml",
                        headers={"x-cos-request-id": rid, "Server": SERVER, **(headers or {})})


def empty(rid: str, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(status=status, headers={"x-cos-request-id": rid, "Server": SERVER, "Content-Length": "0",
                                                **(headers or {})})


def error(rid: str, exc: CosError, resource: str) -> web.Response:
    return xml(rid, "Error", {"Code": exc.code, "Message": exc.message, "Resource": resource,
                              "RequestId": rid, "TraceId": rid}, status=exc.status)
