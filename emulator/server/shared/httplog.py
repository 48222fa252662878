"""aiohttp's own log lines for ``serve``: one line per malformed request, no traceback.

aiohttp answers malformed HTTP itself (400, 413, …), which is right, but logs each with a
full traceback through ``logger.exception``: hundreds of fuzzed requests, hundreds of
tracebacks.  The AppRunner is given this logger instead; the traceback stays at debug level.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import Any

from aiohttp import web

_log = logging.getLogger("emulator.server.http")


class OneLineLogger:
    """The part of ``logging.Logger`` aiohttp's request handler calls."""

    def __init__(self, logger: logging.Logger = _log) -> None:
        self.logger = logger

    def exception(self, msg: str, *args: Any, exc_info: Any = True, **kw: Any) -> None:
        exc = exc_info if isinstance(exc_info, BaseException) else sys.exc_info()[1]
        text = msg % args if args else msg
        if exc is not None:
            detail = " ".join(str(exc).split())[:200]
            text = f"{text}: {type(exc).__name__}" + (f": {detail}" if detail else "")
        self.logger.warning("%s", text)
        if exc is not None and self.logger.isEnabledFor(logging.DEBUG):
            self.logger.debug("traceback", exc_info=exc)

    def __getattr__(self, name: str) -> Any:          # debug, warning, error, isEnabledFor…
        return getattr(self.logger, name)


_api = logging.getLogger("emulator.server.api")


@web.middleware
async def api_log(request: web.Request, handler: Any) -> web.StreamResponse:
    """``serve -v``: one line per API call (every face), after it is answered."""
    if not _api.isEnabledFor(logging.INFO):
        return await handler(request)
    started = time.monotonic()
    status: int | str = "error"
    try:
        response = await handler(request)
        status = response.status
        return response
    except web.HTTPException as exc:
        status = exc.status
        raise
    finally:
        action = request.headers.get("X-TC-Action") or request.headers.get("x-acs-action") or ""
        _api.info("%s %s%s → %s (%.0f ms)", request.method, request.path[:200], f" [{action[:60]}]" if action else "",
                  status, (time.monotonic() - started) * 1000)
