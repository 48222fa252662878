"""The VOD reliable-callback API over HTTP: Tencent Cloud API 3.0, ``POST /`` with ``X-TC-Action``.

``create_app`` serves just this API (tests, a port of its own).  ``mount`` adds it to an
existing application, such as serve's MNS root app: that app's catch-all route is
registered first and would win over a later ``POST /`` route, so ``mount`` diverts
``POST /`` in a middleware instead (the MNS API has no ``POST /`` operation).

Every answer is HTTP 200 with ``Content-Type: application/json`` exactly, no charset: with
any other value the Python SDK does not look for ``Error`` and reports success (§3, §5.4).
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from . import tc3
from .actions import Call, Options, check_action, dispatch
from .errors import (
    InternalError,
    InvalidParameter,
    MissingParameter,
    NoSuchVersion,
    TencentError,
    UnsupportedOperation,
)
from ..shared.sqlite_store import attach
from ..shared.storage_faults import Once, is_storage_error
from .store import EventStore

log = logging.getLogger(__name__)

CONTENT_TYPE = "application/json"
SERVER = "vod-callback-emulator (Tencent VOD API)"
MAX_REQUEST_BYTES = 1024 * 1024     # a ConfirmEvents of 16 handles is < 1 KB


@dataclass(frozen=True, slots=True)
class ApiSettings:
    secret_id: str = tc3.DEFAULT_SECRET_ID
    secret_key: str = tc3.DEFAULT_SECRET_KEY
    max_skew: float | None = tc3.MAX_SKEW       # None: no X-TC-Timestamp check
    empty_pull_error: bool = False              # an empty PullEvents → ResourceNotFound, not EventSet []
    now: Callable[[], float] = field(default=time.time)   # real time: it is compared with the client's

    @property
    def keys(self) -> dict[str, str]:
        return {self.secret_id: self.secret_key}


TENCENT_STORE = web.AppKey("tencent_store", EventStore)
TENCENT_SETTINGS = web.AppKey("tencent_settings", ApiSettings)
TENCENT_VOD = web.AppKey("tencent_vod", object)    # vod.TencentVod, when serve mounts the media actions
TENCENT_STORAGE_LOG = web.AppKey("tencent_storage_log", Once)


def install(app: web.Application, store: EventStore, settings: ApiSettings) -> None:
    """Put the store and settings on ``app`` (serve's router sends it the API's requests)."""
    app[TENCENT_STORE] = store
    app[TENCENT_SETTINGS] = settings
    app[TENCENT_STORAGE_LOG] = Once("Tencent API")
    attach(app, TENCENT_STORE)


def create_app(store: EventStore, *, secret_id: str = tc3.DEFAULT_SECRET_ID,
               secret_key: str = tc3.DEFAULT_SECRET_KEY, **settings: Any) -> web.Application:
    """The API on ``store`` alone; ``settings``: the other ``ApiSettings`` fields.  The app
    opens the store on startup (if it is not open yet) and closes it on cleanup if it did."""
    app = web.Application()
    install(app, store, ApiSettings(secret_id, secret_key, **settings))
    app.router.add_route("*", "/", handle)
    return app


def mount(app: web.Application, store: EventStore, *, secret_id: str = tc3.DEFAULT_SECRET_ID,
          secret_key: str = tc3.DEFAULT_SECRET_KEY, **settings: Any) -> None:
    """Serve the API on ``POST /`` of ``app`` (before it starts), whatever routes it has;
    another method on ``/`` comes here too if it carries ``X-TC-Action`` (to be told why not)."""
    install(app, store, ApiSettings(secret_id, secret_key, **settings))
    app.middlewares.append(divert_post_root)


@web.middleware
async def divert_post_root(request: web.Request,
                           handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> web.StreamResponse:
    if request.rel_url.path == "/" and (request.method == "POST" or "X-TC-Action" in request.headers):
        return await handle(request)
    return await handler(request)


def render(request_id: str, fields: dict[str, Any] | None = None, error: TencentError | None = None) -> web.Response:
    """The one serializer: the API 3.0 envelope, always HTTP 200."""
    inner: dict[str, Any] = ({"Error": {"Code": error.code, "Message": error.message}} if error is not None
                             else dict(fields or {}))
    inner["RequestId"] = request_id
    body = json.dumps({"Response": inner}, ensure_ascii=False).encode("utf-8", "replace")
    return web.Response(status=200, body=body, headers={"Content-Type": CONTENT_TYPE, "Server": SERVER})


async def read_body(request: web.Request) -> bytes:
    too_big = InvalidParameter(f"The request body should not exceed {MAX_REQUEST_BYTES} bytes.")
    if (request.content_length or 0) > MAX_REQUEST_BYTES:
        raise too_big
    chunks, size = [], 0
    while chunk := await request.content.readany():
        size += len(chunk)
        if size > MAX_REQUEST_BYTES:
            raise too_big
        chunks.append(chunk)
    return b"".join(chunks)


def parse_params(body: bytes) -> dict[str, Any]:
    if not body.strip():
        return {}
    try:
        doc = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise InvalidParameter(f"The request body is not valid JSON: {exc}.") from None
    if not isinstance(doc, dict):
        raise InvalidParameter("The request body should be a JSON object of the action's parameters.")
    return doc


_ONLY_TC3 = (" This emulator takes API 3.0 calls as the SDK sends them by default: POST / with a JSON "
             "body, X-TC-* headers and a TC3-HMAC-SHA256 Authorization.")


def _header(request: web.Request, name: str, param: str) -> str:
    value = request.headers.get(name)
    if value is None or not value.strip():
        raise MissingParameter(param, f" Send it as the {name} header.{_ONLY_TC3}")
    return value.strip()


async def _answer(request: web.Request) -> dict[str, Any]:
    settings = request.app[TENCENT_SETTINGS]
    if request.method != "POST":
        raise UnsupportedOperation(f"{request.method:.10} requests are not supported.{_ONLY_TC3}")
    body = await read_body(request)
    action = _header(request, "X-TC-Action", "Action")
    check_action(action)
    version = _header(request, "X-TC-Version", "Version")
    if version != tc3.API_VERSION:
        raise NoSuchVersion(f"The version `{version:.40}` does not exist for VOD: use {tc3.API_VERSION}.")
    path, _, query = request.raw_path.partition("?")
    tc3.verify(request.method, path, query, request.headers, body, settings.keys,
               now=settings.now(), max_skew=settings.max_skew)
    call = Call(action, parse_params(body), options=Options(settings.empty_pull_error),
                gone=lambda: request.transport is None or request.transport.is_closing(),
                vod=request.app.get(TENCENT_VOD))
    return await dispatch(request.app[TENCENT_STORE], call)


async def handle(request: web.Request) -> web.Response:
    """``POST /``: one API 3.0 call, answered with its envelope; never an exception."""
    request_id = str(uuid.uuid4())
    try:
        return render(request_id, await _answer(request))
    except TencentError as exc:
        log.debug("%s → %s: %s", request.headers.get("X-TC-Action"), exc.code, exc.message)
        return render(request_id, error=exc)
    except Exception as exc:
        if is_storage_error(exc):      # one line per distinct problem; the answer in the API's format
            why = request.app[TENCENT_STORAGE_LOG](exc)
            return render(request_id, error=InternalError(f"The emulator's event store failed: {why}."))
        log.exception("Tencent API request %s failed", request.headers.get("X-TC-Action"))
        return render(request_id, error=InternalError())
