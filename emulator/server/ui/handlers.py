"""The inspector's routes (under ``/_emulator/``): the page, its fragments and assets, and the
delivery feed as JSON (``deliveries``) and as server-sent events (``deliveries/stream``).

The Host/Origin rule of the root app covers them, like every other path of ``serve``.
"""

from __future__ import annotations

import asyncio
import json
from importlib import resources
from typing import Any

from aiohttp import web

from ..control.handlers import STATE
from ..shared.feed import feed_of
from . import page

routes = web.RouteTableDef()
KEEPALIVE_S = 15.0
ASSETS = {"app.js": "text/javascript", "app.css": "text/css"}


@routes.get("/ui")
async def inspector(request: web.Request) -> web.Response:
    return web.Response(text=page.render(request.app[STATE]), content_type="text/html",
                        headers={"Cache-Control": "no-store", "Content-Security-Policy": page.CSP,
                                 "X-Frame-Options": "DENY"})


@routes.get("/ui/fragments/{name}")
async def fragment(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    if name not in page.FRAGMENTS:
        raise web.HTTPNotFound(text=f"no fragment {name!r}")
    return web.Response(text=page.FRAGMENTS[name](request.app[STATE]), content_type="text/html",
                        headers={"Cache-Control": "no-store"})


@routes.get("/ui/{asset}")
async def asset(request: web.Request) -> web.Response:
    name = request.match_info["asset"]
    if name not in ASSETS:
        raise web.HTTPNotFound(text=f"no asset {name!r}")
    body = (resources.files(__package__) / "static" / name).read_text(encoding="utf-8")
    return web.Response(text=body, content_type=ASSETS[name], headers={"Cache-Control": "no-cache"})


def _since(request: web.Request) -> int:
    raw = request.query.get("since") or request.headers.get("Last-Event-ID") or "0"
    try:
        return max(0, int(raw))
    except ValueError:
        raise web.HTTPBadRequest(text=f"since: expected a number, got {raw[:40]!r}") from None


@routes.get("/deliveries")
async def deliveries(request: web.Request) -> web.Response:
    """The recent attempts (``?since=SEQ`` for those after one already seen)."""
    feed = feed_of(request)
    return web.json_response({"seq": feed.seq, "records": feed.since(_since(request))})


@routes.get("/deliveries/stream")
async def stream(request: web.Request) -> web.StreamResponse:
    """Server-sent events: the recent attempts, then each new one as it ends."""
    feed = feed_of(request)
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-store",
                                           "X-Accel-Buffering": "no"})
    await response.prepare(request)
    with feed.subscribe() as queue:
        for record in feed.since(_since(request)):
            await _send(response, record)
        while True:
            try:
                record = await asyncio.wait_for(queue.get(), KEEPALIVE_S)
            except TimeoutError:
                await response.write(b": keep-alive\n\n")
                continue
            if not record:                  # the server is stopping
                break
            await _send(response, record)
            if not feed.alive(queue):       # fell too far behind: the client reconnects with Last-Event-ID
                break
    return response


async def _send(response: web.StreamResponse, record: dict[str, Any]) -> None:
    data = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    await response.write(f"id: {record['seq']}\nevent: attempt\ndata: {data}\n\n".encode())


def install(control: web.Application) -> None:
    """Add the inspector's routes to the control app (mounted at ``/_emulator/``)."""
    control.add_routes(routes)
