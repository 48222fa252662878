"""The MNS queue API over HTTP: an aiohttp application serving ``/queues…``.

``create_app`` returns the root application for a port.  Every path it does not know
gets an MNS ``InvalidRequestURL`` error, but sub-applications added to it afterwards
(``app.add_subapp("/_emulator/", control)``) still get their own requests: aiohttp
resolves a sub-app's prefix before the catch-all route.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass

from aiohttp import web

from . import auth, handlers, wire
from .errors import BatchDeleteError, BatchSendError, InternalError, InvalidArgument, MnsError
from .handlers import Call, Reply
from ..shared.sqlite_store import attach
from ..shared.storage_faults import Once, is_storage_error
from .store import QueueStore

log = logging.getLogger(__name__)

MAX_REQUEST_BYTES = 1024 * 1024    # a full batch of 64 KB XML-escaped bodies fits easily
CONTENT_TYPE = "text/xml;charset=utf-8"
SERVER = "vod-callback-emulator (MNS)"
# For the AppRunner: the SDK keeps one connection per Account and retries a request only
# once when the server has dropped it, so keep idle connections rather than aiohttp's 75 s.
KEEPALIVE_TIMEOUT = 3600.0
_HOST = re.compile(r"[A-Za-z0-9.\-:\[\]]{1,255}\Z")


@dataclass(frozen=True, slots=True)
class Credentials:
    access_key_id: str = auth.DEFAULT_ACCESS_KEY_ID
    access_key_secret: str = auth.DEFAULT_ACCESS_KEY_SECRET


STORE = web.AppKey("mns_store", QueueStore)
STORAGE_LOG = web.AppKey("mns_storage_log", Once)
CREDENTIALS = web.AppKey("mns_credentials", Credentials)


def create_app(store: QueueStore, *, access_key_id: str = auth.DEFAULT_ACCESS_KEY_ID,
               access_key_secret: str = auth.DEFAULT_ACCESS_KEY_SECRET) -> web.Application:
    """The queue API on ``store``; the app opens the store on startup (if it is not open
    yet) and closes it on cleanup if it opened it."""
    app = web.Application()
    app[STORE] = store
    app[CREDENTIALS] = Credentials(access_key_id, access_key_secret)
    app[STORAGE_LOG] = Once("MNS API")
    attach(app, STORE)
    app.router.add_route("*", "/{tail:.*}", handle)
    return app


def request_id() -> str:
    return os.urandom(12).hex().upper()


def base_url(request: web.Request) -> str:
    host = request.headers.get("Host", "")
    if not _HOST.match(host):
        sock = request.transport.get_extra_info("sockname") if request.transport else None
        host = f"{sock[0]}:{sock[1]}" if sock else "127.0.0.1"
    return f"http://{host}"


async def read_body(request: web.Request) -> bytes:
    if (request.content_length or 0) > MAX_REQUEST_BYTES:
        raise InvalidArgument(f"The request body should not exceed {MAX_REQUEST_BYTES} bytes.")
    chunks, size = [], 0
    while chunk := await request.content.readany():
        size += len(chunk)
        if size > MAX_REQUEST_BYTES:
            raise InvalidArgument(f"The request body should not exceed {MAX_REQUEST_BYTES} bytes.")
        chunks.append(chunk)
    return b"".join(chunks)


def error_reply(err: MnsError, req_id: str, host_id: str) -> Reply:
    """The one place an error becomes a body (§3 of the reference: batch shapes included)."""
    if isinstance(err, BatchSendError):
        return Reply(err.status, "Messages", [
            ("Message", [("ErrorCode", r.code), ("ErrorMessage", r.message)] if isinstance(r, MnsError)
             else [("MessageId", r.message_id), ("MessageBodyMD5", r.body_md5)]) for r in err.results])
    if isinstance(err, BatchDeleteError):
        return Reply(err.status, "Errors", [
            ("Error", [("ErrorCode", f.error.code), ("ErrorMessage", f.error.message),
                       ("ReceiptHandle", f.receipt_handle)]) for f in err.failures])
    return Reply(err.status, "Error", [("Code", err.code), ("Message", err.message),
                                       ("RequestId", req_id), ("HostId", host_id)])


def respond(reply: Reply, req_id: str) -> web.Response:
    headers = {"x-mns-request-id": req_id, "x-mns-version": auth.API_VERSION, "Server": SERVER, **reply.headers}
    if reply.root is None:
        return web.Response(status=reply.status, headers=headers)
    headers["Content-Type"] = CONTENT_TYPE
    return web.Response(status=reply.status, body=wire.render(reply.root, reply.fields), headers=headers)


async def handle(request: web.Request) -> web.Response:
    req_id = request_id()
    url = base_url(request)
    try:
        body = await read_body(request)
        target = request.raw_path           # byte-for-byte as sent: signed as such
        creds = request.app[CREDENTIALS]
        auth.verify(request.method, target, request.headers.items(), body,
                    creds.access_key_id, creds.access_key_secret)
        path, _, query = target.partition("?")
        call = Call(request.method, path, wire.parse_query(query), request.headers, body, url,
                    gone=lambda: request.transport is None or request.transport.is_closing())
        reply = await handlers.dispatch(request.app[STORE], call)
    except MnsError as exc:
        log.debug("%s %s → %s %s", request.method, request.raw_path, exc.status, exc.code)
        reply = error_reply(exc, req_id, url)
    except Exception as exc:
        if is_storage_error(exc):      # one line per distinct problem; the answer in MNS's format
            why = request.app[STORAGE_LOG](exc)
            reply = error_reply(InternalError(f"The emulator's queue store failed: {why}."), req_id, url)
        else:
            log.exception("MNS request %s %s failed", request.method, request.raw_path)
            reply = error_reply(InternalError(), req_id, url)
    return respond(reply, req_id)
