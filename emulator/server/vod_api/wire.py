"""The VOD OpenAPI wire format: what a call carries in, and the one JSON envelope out.

A call is read the same way whichever SDK sent it: the action from ``x-acs-action`` (ACS3
style) or the ``Action`` parameter (RPC style), the parameters from the query string and
a form body.  Answers are JSON (``Format=XML`` is not served); errors are the service's
envelope ``{RequestId, HostId, Code, Message, Recommend}`` with the error's HTTP status.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, quote

from aiohttp import web

from .errors import InvalidParameter, InvalidVersion, MissingParameter, VodError

API_VERSION = "2017-03-21"
CONTENT_TYPE = "application/json;charset=utf-8"
MAX_REQUEST_BYTES = 1024 * 1024
SERVER = "vod-callback-emulator (VOD OpenAPI)"


@dataclass(frozen=True, slots=True)
class Call:
    style: str                  # acs3 | rpc
    action: str
    params: dict[str, str]      # query and form parameters (signature fields included for RPC)
    query: dict[str, str]       # the query string alone (ACS3 signs it)
    body: bytes
    host: str


def request_id() -> str:
    u = str(uuid.uuid4()).upper()
    return u


async def read_call(request: web.Request) -> Call:
    too_big = InvalidParameter("Body", f"The request body should not exceed {MAX_REQUEST_BYTES} bytes.")
    if (request.content_length or 0) > MAX_REQUEST_BYTES:
        raise too_big
    try:
        body = await request.read()
    except web.HTTPRequestEntityTooLarge:     # a chunked body, no Content-Length to refuse it by
        raise too_big from None
    query = {k: v for k, v in request.query.items()}
    params = dict(query)
    if request.content_type == "application/x-www-form-urlencoded" and body:
        try:
            params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        except UnicodeDecodeError:
            raise InvalidParameter("Body", "The form body is not UTF-8.") from None
    # aliyun-python-sdk-core also sends x-acs-action, but signs the RPC way: the Authorization
    # header tells the styles apart.
    acs3 = request.headers.get("Authorization", "").startswith("ACS3-") or (
        "Signature" not in params and "Action" not in params)
    action = params.get("Action") or request.headers.get("x-acs-action")
    if not action:
        raise MissingParameter("Action")
    version = params.get("Version") or request.headers.get("x-acs-version")
    if version is None:
        raise MissingParameter("Version")
    if version != API_VERSION:
        raise InvalidVersion(f"Specified parameter Version is not valid: {version[:40]!r} (VOD is {API_VERSION}).")
    return Call("acs3" if acs3 else "rpc", action, params, query, body, request.headers.get("Host", ""))


def ok(rid: str, fields: dict[str, Any]) -> web.Response:
    return _json(200, {"RequestId": rid, **fields})


def error(rid: str, exc: VodError, host: str) -> web.Response:
    recommend = f"https://api.aliyun.com/troubleshoot?q={quote(exc.code)}&product=vod&requestId={rid}"
    return _json(exc.status, {"RequestId": rid, "HostId": host or "vod.aliyuncs.com", "Code": exc.code,
                              "Message": exc.message, "Recommend": recommend})


def _json(status: int, doc: dict[str, Any]) -> web.Response:
    return web.Response(status=status, body=json.dumps(doc, ensure_ascii=False).encode("utf-8"),
                        headers={"Content-Type": CONTENT_TYPE, "Server": SERVER,
                                 "x-acs-request-id": doc["RequestId"]})
