"""The built-in receiver: prints what arrives, checks signatures, misbehaves on request.

It is what commands deliver to when no ``--target`` is given, and ``vod-emulator
receiver`` runs it on its own so the retry rules can be seen from a terminal.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import random
import socket
import struct
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from aiohttp import web

from .providers.tencent import signing as tencent_push
from .providers.aliyun import signing

log = logging.getLogger(__name__)

FORBIDDEN = 403


@dataclass(frozen=True, slots=True)
class ReceiverConfig:
    auth_key: str | None = None
    fail_first: int = 0          # fail the first N deliveries of each distinct body
    fail_status: int = 500       # …with this status
    status: int = 200            # the answer otherwise
    delay: float = 0.0           # seconds to wait before answering (past 5 s → the sender times out)
    public_url: str | None = None  # the callback URL the sender signs, if not the one seen here
    reset_first: int = 0         # reset the connection (no answer) on the first N deliveries of each body
    slow_body: float = 0.0       # answer the status at once, then trickle the body over this many seconds
    fail_rate: float = 0.0       # answer fail_status to this fraction of requests (seeded)
    seed: int = 0
    log_only: bool = False       # with auth_key: a bad or missing signature is logged, not answered 403

    def describe(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in self.__slots__ if k != "auth_key"} | {"signed": bool(self.auth_key)}


@dataclass(frozen=True, slots=True)
class Received:
    seq: int
    at: float                    # loop time when the request arrived
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    event_type: str | None
    media_id: str | None
    signature: str | None        # ok / mismatch / missing / stale; None when no key is set
    copy: int                    # 1 for the first time this body arrived, 2 for the next…
    status: int                  # what was answered


MEDIA_FIELDS = ("VideoId", "MediaId", "ImageId", "AttachedMediaId", "FileId")


@dataclass
class ReceiverState:
    config: ReceiverConfig
    on_receive: Callable[[Received], None] | None = None
    keep: bool = True
    received: list[Received] = field(default_factory=list)
    count: int = 0
    _copies: Counter = field(default_factory=Counter)
    _arrived: asyncio.Condition | None = None
    _rng: random.Random | None = None

    def arrived(self) -> asyncio.Condition:
        if self._arrived is None:
            self._arrived = asyncio.Condition()
        return self._arrived

    async def wait_for(self, n: int, timeout: float) -> None:
        """Wait until ``n`` requests have arrived (tests and the CLI's own receiver)."""
        async with self.arrived():
            await asyncio.wait_for(self.arrived().wait_for(lambda: self.count >= n), timeout)

    def answer_for(self, copy: int) -> int:
        c = self.config
        if copy <= c.fail_first:
            return c.fail_status
        if c.fail_rate and self.rng().random() < c.fail_rate:
            return c.fail_status
        return c.status

    def rng(self) -> random.Random:
        if self._rng is None:
            self._rng = random.Random(f"{self.config.seed}/receiver")
        return self._rng


STATE = web.AppKey("receiver_state", ReceiverState)


def signature_state(request: web.Request, config: ReceiverConfig, body: bytes = b"") -> str | None:
    if not config.auth_key:
        return None
    if signing.SIGNATURE_HEADER not in request.headers:   # not Alibaba-signed: a Tencent Sign/T?
        tencent = tencent_push.check(body, request.query_string, request.headers, config.auth_key,
                                     now=time.time())
        if tencent is not None:
            return tencent
    candidates = [config.public_url] if config.public_url else _urls_seen(request)
    results = [signing.check(url, request.headers, config.auth_key) for url in candidates]
    return "ok" if "ok" in results else results[0]


def _urls_seen(request: web.Request) -> list[str]:
    url = str(request.url)
    out = [url]
    if request.path == "/" and not request.query_string:
        out.append(url.rstrip("/"))
    return out


def describe(body: bytes) -> tuple[str | None, str | None]:
    try:
        doc = json.loads(body)
    except ValueError:
        return None, None
    if not isinstance(doc, dict):
        return None, None
    media = next((doc[f] for f in MEDIA_FIELDS if isinstance(doc.get(f), str)), None)
    if media is None:   # Tencent: {"EventType": …, "XxxEvent": {"FileId": …}}
        media = next((v["FileId"] for v in doc.values() if isinstance(v, dict) and isinstance(v.get("FileId"), str)),
                     None)
    event_type = doc.get("EventType") if isinstance(doc.get("EventType"), str) else None
    return event_type, media


async def handle(request: web.Request) -> web.StreamResponse:
    state = request.app[STATE]
    config = state.config
    body = await request.read()
    digest = hashlib.sha256(body).digest()
    state._copies[digest] += 1
    copy = state._copies[digest]
    reset = copy <= config.reset_first
    status = 0 if reset else state.answer_for(copy)
    signature = signature_state(request, config, body)
    if signature not in (None, "ok") and not config.log_only and not reset:
        status = FORBIDDEN           # a mis-signing sender must not read "delivered"
    if config.delay > 0:
        await asyncio.sleep(config.delay)
    event_type, media_id = describe(body)
    state.count += 1
    rec = Received(seq=state.count, at=asyncio.get_running_loop().time(), method=request.method,
                   path=request.path_qs, headers=dict(request.headers), body=body, event_type=event_type,
                   media_id=media_id, signature=signature, copy=copy, status=status)
    if state.keep:
        state.received.append(rec)
    if state.on_receive is not None:
        try:
            state.on_receive(rec)
        except Exception:  # a display problem must not change the answer the sender gets
            log.exception("on_receive callback failed")
    async with state.arrived():
        state.arrived().notify_all()
    if reset:
        return reset_connection(request)
    text = (b"OK" if status == 200 else b"signature check failed" if status == FORBIDDEN
            else f"emulated status {status}".encode())
    if config.slow_body > 0:
        return await trickle(request, status, text, config.slow_body)
    return web.Response(status=status, body=text, content_type="text/plain")


def reset_connection(request: web.Request) -> web.StreamResponse:
    """Close the TCP connection with a RST and answer nothing (a receiver crashing mid-request)."""
    transport = request.transport
    if transport is not None:
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        transport.abort()
    return web.Response(status=500)   # goes nowhere: the connection is gone


async def trickle(request: web.Request, status: int, text: bytes, seconds: float) -> web.StreamResponse:
    """Send the status line at once and the body a byte at a time over ``seconds``."""
    resp = web.StreamResponse(status=status, headers={"Content-Type": "text/plain"})
    resp.content_length = len(text)
    await resp.prepare(request)
    for i in range(len(text)):
        await asyncio.sleep(seconds / len(text))
        await resp.write(text[i:i + 1])
    await resp.write_eof()
    return resp


def create_app(config: ReceiverConfig = ReceiverConfig(), *, on_receive: Callable[[Received], None] | None = None,
               keep: bool = True) -> web.Application:
    app = web.Application(client_max_size=8 * 1024 * 1024)
    app[STATE] = ReceiverState(config=config, on_receive=on_receive, keep=keep)
    app.router.add_route("*", "/{tail:.*}", handle)
    return app


async def start(app: web.Application, host: str = "127.0.0.1", port: int = 0) -> tuple[web.AppRunner, str]:
    """Serve ``app``; returns the runner (clean up with ``await runner.cleanup()``) and its base URL."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    bound_host, bound_port = runner.addresses[0][:2]
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    return runner, f"http://{shown}:{bound_port}/"
