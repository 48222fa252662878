"""The COS stand-in on serve's port: find bucket and key, check the signature, run the
operation, write XML.  ``handle`` never raises; ``server.routing`` sends it the requests
that carry a ``q-sign-algorithm`` signature or a ``*.cos.<region>.myqcloud.com`` Host."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from aiohttp import web

from . import auth, wire
from .errors import CosError, EntityTooLarge
from .handlers import CosCall, operation
from .store import ObjectStore

log = logging.getLogger(__name__)

COS_STORE = web.AppKey("cos_store", ObjectStore)
COS_KEYS = web.AppKey("cos_keys", Callable)
MAX_OBJECT_BYTES = 512 * 1024 * 1024     # a local stand-in: uploads bigger than this are refused


class InternalError(CosError):   # the generic 500 of this face
    pass


def install(app: web.Application, store: ObjectStore, keys: auth.KeyLookup) -> None:
    app[COS_STORE] = store
    app[COS_KEYS] = keys


async def _read(request: web.Request) -> bytes:
    if (request.content_length or 0) > MAX_OBJECT_BYTES:
        raise EntityTooLarge()
    chunks, size = [], 0
    while chunk := await request.content.readany():
        size += len(chunk)
        if size > MAX_OBJECT_BYTES:
            raise EntityTooLarge()
        chunks.append(chunk)
    return b"".join(chunks)


async def handle(request: web.Request) -> web.StreamResponse:
    rid = wire.request_id()
    host = request.headers.get("Host", "")
    bucket, _, key = wire.target(host, request.path)
    resource = f"{host}{request.path}"
    try:
        # The SDK signs "/" + the object key (decoded), or "/" for a bucket-level call.
        auth.verify(request.method, "/" + key, request.rel_url.raw_query_string, request.headers,
                    request.app[COS_KEYS], now=time.time())
        call = CosCall(request.method, bucket, key, dict(request.query), await _read(request))
        status, root, fields, headers, data = operation(call)(request.app[COS_STORE], call)
        if root is not None:
            return wire.xml(rid, root, fields, status, headers)
        if data is not None:
            return web.Response(status=status, body=data, headers={"x-cos-request-id": rid, **headers})
        return wire.empty(rid, status, headers)
    except CosError as exc:
        log.debug("COS %s %s → %s: %s", request.method, resource, exc.code, exc.message)
        return wire.error(rid, exc, resource)
    except Exception:
        log.exception("COS request %s %s failed", request.method, resource)
        return wire.error(rid, InternalError(), resource)
