"""The OSS stand-in on serve's port: check the signature, run the operation, answer in OSS's
XML.  ``handle`` never raises; ``server.routing`` sends it requests that look like oss2's."""

from __future__ import annotations

import logging

from aiohttp import web

from . import auth, wire
from .errors import InternalError, NotImplementedOss, OssError
from .handlers import OssFace, operation

log = logging.getLogger(__name__)

OSS_FACE = web.AppKey("oss_face", OssFace)


def install(app: web.Application, face: OssFace) -> None:
    app[OSS_FACE] = face


async def handle(request: web.Request) -> web.StreamResponse:
    rid = wire.request_id()
    face = request.app[OSS_FACE]
    target = wire.target(request)
    try:
        op = operation(request.method, request.query)
        auth.verify(request.method, target, request.query, request.headers, face.grants)
        if not target.bucket or not target.key:
            raise NotImplementedOss("This emulator serves object operations only: /<bucket>/<key>.")
        return await op(face, request, target, rid)
    except OssError as exc:
        log.debug("OSS %s %s → %s", request.method, target, exc.code)
        return wire.error(exc, rid, request.headers.get("Host", ""), request.method)
    except Exception:
        log.exception("OSS request %s %s failed", request.method, target)
        return wire.error(InternalError(), rid, request.headers.get("Host", ""), request.method)
