"""The control API's wire format: JSON in, JSON out, errors as ``{"error": {"code", "message"}}``.

What a state-changing request must look like is decided here, once: ``application/json``
(a web page can send ``text/plain`` or a form cross-site without asking; it cannot send
JSON without a CORS preflight, which this server never grants), a JSON object of bounded
nesting, numbers in their range.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from aiohttp import web

from emulator.errors import InputError

from ..mns.errors import MnsError
from ..shared.storage_faults import Once, is_storage_error

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 32                  # a trigger/run request is a few levels deep
STORAGE_LOG = web.AppKey("control_storage_log", Once)
CHANGES_STATE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code = status, code


def error(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"error": {"code": code, "message": message}}, status=status)


@web.middleware
async def errors(request: web.Request, handler: Any) -> web.StreamResponse:
    try:
        return await handler(request)
    except ApiError as exc:
        return error(exc.status, exc.code, str(exc))
    except InputError as exc:
        return error(400, "InvalidInput", str(exc))
    except MnsError as exc:
        return error(exc.status, exc.code, exc.message)
    except web.HTTPException as exc:
        return error(exc.status, exc.reason.replace(" ", ""), exc.text or exc.reason)
    except Exception as exc:   # the server keeps serving; the log has the details
        if is_storage_error(exc):
            return error(503, "StorageFailed", f"the emulator's store failed: {request.app[STORAGE_LOG](exc)}")
        log.exception("control API request failed")
        return error(500, "InternalError", "the emulator failed to handle this request (see its log)")


@web.middleware
async def json_only(request: web.Request, handler: Any) -> web.StreamResponse:
    """State-changing requests carry JSON: POST always, PUT/PATCH/DELETE when they have a body."""
    if request.method in CHANGES_STATE and (request.method == "POST" or request.body_exists):
        if request.content_type != "application/json":
            raise ApiError(415, "UnsupportedMediaType",
                           f"{request.method} {request.path} takes Content-Type: application/json "
                           f"(got {request.headers.get('Content-Type', 'none')[:60]!r})")
    return await handler(request)


def depth(value: Any, limit: int = MAX_DEPTH) -> int:
    """Nesting depth of decoded JSON, stopping once past ``limit``."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, level)
            if deepest > limit:
                return deepest
            stack.extend((v, level + 1) for v in (item.values() if isinstance(item, dict) else item))
    return deepest


async def body_json(request: web.Request) -> dict[str, Any]:
    """The request's JSON object; empty body → {}."""
    if (request.content_length or 0) > MAX_BODY_BYTES:
        raise ApiError(413, "RequestTooLarge", f"request body over {MAX_BODY_BYTES} bytes")
    raw = await request.read()
    if not raw.strip():
        return {}
    try:
        doc = json.loads(raw)
    except RecursionError:
        raise ApiError(400, "MalformedJSON", f"request body nests deeper than {MAX_DEPTH} levels") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, "MalformedJSON", f"request body is not JSON: {exc}") from None
    if not isinstance(doc, dict):
        raise ApiError(400, "MalformedJSON", "request body must be a JSON object")
    if depth(doc) > MAX_DEPTH:
        raise ApiError(400, "MalformedJSON", f"request body nests deeper than {MAX_DEPTH} levels")
    return doc


def number(doc: dict[str, Any], key: str, default: float, *, minimum: float = 0, maximum: float | None = None,
           integer: bool = False, above: bool = False) -> Any:
    """``doc[key]`` as a number in range (``above``: strictly more than ``minimum``), else a 400."""
    value = doc.get(key, default)
    kind = "an integer" if integer else "a number"
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (integer and not isinstance(value, int)):
        if isinstance(value, str):
            try:
                value = int(value) if integer else float(value)
            except ValueError:
                raise ApiError(400, "InvalidParameter", f"{key}: expected {kind}, got {value[:40]!r}") from None
        else:
            raise ApiError(400, "InvalidParameter", f"{key}: expected {kind}, got {json.dumps(value)[:40]}")
    if value != value or value in (float("inf"), float("-inf")) or value < minimum or (above and value == minimum):
        bound = f"more than {minimum:g}" if above else f"at least {minimum:g}"
        raise ApiError(400, "InvalidParameter", f"{key}: expected {bound}, got {value}")
    if maximum is not None and value > maximum:
        raise ApiError(400, "InvalidParameter", f"{key}: at most {maximum:g} (the operator's cap), got {value}")
    return value
