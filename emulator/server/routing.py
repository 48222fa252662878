"""Which face of serve a request is for, decided once, by what the vendor's client sends.

Rules, first match wins (``/_emulator/`` is always the control API):

1. ``x-acs-action`` header                      → VOD OpenAPI (alibabacloud-vod20170321 signs ACS3-HMAC-SHA256;
                                                  aliyun-python-sdk-core sends it too, with an RPC signature)
2. ``X-TC-Action`` header                       → Tencent API 3.0
3. ``/`` with an ``Action`` query parameter     → VOD OpenAPI, RPC style (aliyun-python-sdk-core)
4. ``Authorization: OSS …``, an ``x-oss-*`` header, or ``OSSAccessKeyId`` in the query
                                                → the OSS stand-in (oss2, path-style for an IP endpoint)
5. ``Authorization: q-sign-algorithm=…``, ``q-signature`` in the query, or a
   ``<bucket>.cos.<region>.myqcloud.com`` Host   → the COS stand-in (cos-python-sdk-v5 with CosConfig(IP=…, Port=…))
6. ``POST /``                                   → Tencent API 3.0 (the MNS API has no ``POST /``)
7. anything else                                → the MNS queue API (its own ``InvalidRequestURL`` for unknown paths)
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
CONTROL_PREFIX = "/_emulator/"
_COS_HOST = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*\.cos\.[a-z0-9-]+\.(myqcloud\.com|tencentcos\.cn)(:\d+)?\Z")


def face_of(request: web.Request) -> str:
    """``control``, ``vod``, ``tencent``, ``oss``, ``cos`` or ``mns``."""
    path = request.rel_url.path
    if path.startswith(CONTROL_PREFIX):
        return "control"
    headers = request.headers
    if "x-acs-action" in headers:
        return "vod"
    if "X-TC-Action" in headers:
        return "tencent"
    if path == "/" and "Action" in request.rel_url.query:
        return "vod"
    if (headers.get("Authorization", "").startswith("OSS ") or "OSSAccessKeyId" in request.rel_url.query
            or any(k.lower().startswith("x-oss-") for k in headers)):
        return "oss"
    if (headers.get("Authorization", "").startswith("q-sign-algorithm=") or "q-signature" in request.rel_url.query
            or _COS_HOST.match(headers.get("Host", ""))):
        return "cos"
    if path == "/" and request.method == "POST":
        return "tencent"
    return "mns"


def router(faces: dict[str, Handler]) -> Callable[..., Awaitable[web.StreamResponse]]:
    """A middleware sending each request to ``faces[face_of(request)]``; ``mns`` and
    ``control`` (and any face not given) go on to the app's own routes."""

    @web.middleware
    async def route(request: web.Request, handler: Handler) -> web.StreamResponse:
        face = faces.get(face_of(request))
        return await (face or handler)(request)

    return route
