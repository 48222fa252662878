"""The VOD OpenAPI (2017-03-21) on serve's port: read the call, check its signature, run
its handler, write the envelope.  ``handle`` never raises; ``server.routing`` sends it the
requests that carry ``x-acs-action`` or an ``Action`` parameter."""

from __future__ import annotations

import logging
import re

from aiohttp import web

from . import auth, wire
from .errors import InternalError, VodError
from .handlers import lookup
from .model import Context, VodBackend

log = logging.getLogger(__name__)

VOD_BACKEND = web.AppKey("vod_backend", VodBackend)
VOD_KEYS = web.AppKey("vod_keys", auth.Keys)
_REGION_HOST = re.compile(r"vod\.([a-z0-9-]+)\.aliyuncs\.com(:\d+)?\Z")


def install(app: web.Application, backend: VodBackend, keys: auth.Keys) -> None:
    app[VOD_BACKEND] = backend
    app[VOD_KEYS] = keys


def region_of(call: wire.Call, default: str) -> str:
    """``RegionId`` (the RPC SDK sends it), else the region in a ``vod.<region>.aliyuncs.com``
    Host, else serve's default region."""
    if call.params.get("RegionId"):
        return call.params["RegionId"]
    m = _REGION_HOST.match(call.host)
    return m.group(1) if m else default


async def _answer(request: web.Request, call: wire.Call) -> dict:
    keys = request.app[VOD_KEYS]
    if call.style == "acs3":
        path = request.raw_path.partition("?")[0]
        auth.verify_acs3(request.method, path, call.query, request.headers, call.body, keys)
    else:
        auth.verify_rpc(request.method, call.params, keys)
    handler = lookup(call.action)
    backend = request.app[VOD_BACKEND]
    return await handler(Context(backend, region_of(call, backend.region)), call.params)


async def handle(request: web.Request) -> web.Response:
    rid = wire.request_id()
    host = request.headers.get("Host", "")
    action = request.headers.get("x-acs-action") or request.query.get("Action", "?")
    try:
        call = await wire.read_call(request)
        return wire.ok(rid, await _answer(request, call))
    except VodError as exc:
        log.debug("%s → %s: %s", action, exc.code, exc.message)
        return wire.error(rid, exc, host)
    except Exception:
        log.exception("VOD API request %s failed", action)
        return wire.error(rid, InternalError(), host)


from . import by_url, jobs, library, uploads  # noqa: E402,F401  (they register their actions)
