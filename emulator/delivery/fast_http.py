"""The lean send path for ``http://`` targets: HTTP/1.1 keep-alive on asyncio, parsed by llhttp.

Same rules and records as :class:`~emulator.delivery.http.HttpTarget` (it is one, with a
cheaper wire): one POST per attempt, redirects never followed, the whole attempt (connect,
send, complete answer) cut at the timeout by an event-loop timer, failures named by the
one ``classify`` every sender uses.  The request is written in one ``write`` of prebuilt
bytes and the answer parsed by ``httptools`` (llhttp, the parser Node.js uses); nothing is
decoded that the rules do not look at.  HTTPS stays on aiohttp.
"""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import urlsplit

import httptools

from ..clock import now
from ..events import Event
from ..providers.aliyun.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature
from ..run.journal import Attempt, ErrorKind
from .failures import classify
from .http import BASE_HEADERS, BODY_CAP, Exchange, HttpTarget

log = logging.getLogger(__name__)


class ConnectionClosed(ConnectionResetError):
    """The receiver closed the connection before a complete answer."""


class _Conn(asyncio.Protocol):
    """One keep-alive connection; one request at a time."""

    __slots__ = ("transport", "parser", "waiter", "status", "body", "size", "closed", "got_bytes", "framed")

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.parser = httptools.HttpResponseParser(self)
        self.waiter: asyncio.Future | None = None
        self.closed = False
        self._reset()

    def _reset(self) -> None:
        self.status = 0
        self.body: list[bytes] = []
        self.size = 0
        self.got_bytes = False
        self.framed = False     # Content-Length or chunked; else the body ends when the connection does

    # asyncio.Protocol
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport      # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.got_bytes = True
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError as exc:
            self._fail(ProtocolError(f"not an HTTP answer: {exc}"))

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if exc is None and self.status and not self.framed:
            self._done(reuse=False)     # an answer delimited by the end of the connection
        self._fail(exc if isinstance(exc, OSError) else
                   ConnectionClosed("the receiver closed the connection before a complete answer"))
        # The parser calls back into this object and the transport holds it: a cycle the
        # collector (tuned down during a run) would keep for the whole run.  Break it.
        self.transport = None
        self.parser = None

    # httptools callbacks
    def on_header(self, name: bytes, value: bytes) -> None:
        if name.lower() in (b"content-length", b"transfer-encoding"):
            self.framed = True

    def on_headers_complete(self) -> None:
        self.status = self.parser.get_status_code()

    def on_body(self, chunk: bytes) -> None:
        if self.size < BODY_CAP:
            self.body.append(chunk[:BODY_CAP - self.size])
        self.size += len(chunk)
        if self.size > BODY_CAP:        # the service ignores the body: stop reading, never reuse
            self._done(reuse=False)

    def on_message_complete(self) -> None:
        self._done(reuse=self.parser.should_keep_alive())

    # one request
    def _done(self, *, reuse: bool) -> None:
        waiter, self.waiter = self.waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_result((self.status, b"".join(self.body), reuse))

    def _fail(self, exc: BaseException) -> None:
        waiter, self.waiter = self.waiter, None
        if waiter is not None and not waiter.done():
            waiter.set_exception(exc)
        if self.transport is not None and not self.closed:
            self.closed = True
            self.transport.abort()

    def send(self, request: bytes) -> asyncio.Future:
        self._reset()
        waiter = asyncio.get_running_loop().create_future()
        if self.transport is None:      # closed by the receiver before the request could go
            waiter.set_exception(ConnectionClosed("the receiver closed the connection before a complete answer"))
            return waiter
        self.waiter = waiter
        self.transport.write(request)
        return waiter

    def abort(self) -> None:
        self.closed = True
        self.waiter = None
        if self.transport is not None:
            self.transport.abort()


class ProtocolError(Exception):
    pass


class _Cut:
    """The timeout of one attempt: a timer that cancels the attempt's task, and says so."""

    __slots__ = ("task", "fired")

    def __init__(self, task: asyncio.Task) -> None:
        self.task = task
        self.fired = False

    def __call__(self) -> None:
        self.fired = True
        self.task.cancel()


_TIMEOUT, _PROTOCOL = ErrorKind.TIMEOUT, ErrorKind.PROTOCOL


class FastHttpTarget(HttpTarget):
    """An :class:`HttpTarget` for ``http://`` URLs over the lean client."""

    def __init__(self, url: str, **kw) -> None:
        super().__init__(url, **kw)
        parts = urlsplit(self.url)
        if parts.scheme != "http":
            raise ValueError("the lean client speaks http:// only; https:// goes through aiohttp")
        self.host = parts.hostname or ""
        self.port = parts.port or 80
        self._host_header = parts.netloc.rsplit("@", 1)[-1].encode("idna")
        self._path = self._path_of(parts)
        self._idle: list[_Conn] = []
        # The request head, written once: only Content-Length and the X-VOD-* lines change.
        self._prefix = self._head_prefix(self._path)
        self._base = "".join(f"{name}: {value}\r\n" for name, value in BASE_HEADERS.items())
        self._auth: tuple[int, str] = (-1, "")     # (second, its signed header lines): one md5 a second

    def _head_prefix(self, path: bytes) -> bytes:
        return b"POST " + path + b" HTTP/1.1\r\nHost: " + self._host_header + b"\r\nContent-Length: "

    @staticmethod
    def _path_of(parts) -> bytes:
        return ((parts.path or "/") + (f"?{parts.query}" if parts.query else "")).encode()

    def describe(self) -> dict[str, object]:
        return {**super().describe(), "client": "lean (httptools)"}

    async def open(self, timeout: float) -> None:
        self._timeout = timeout

    async def close(self) -> None:
        idle, self._idle = self._idle, []
        for conn in idle:
            conn.abort()

    async def attempt(self, event: Event, number: int, timeout: float) -> Attempt:
        if self.signer is not None:      # Tencent's Sign/T: the general path
            return await super().attempt(event, number, timeout)
        wall = self.clock.wall()
        body = event.body
        head = self._base + self._auth_lines(int(wall)) if self.auth_key else self._base
        request = b"".join((self._prefix, str(len(body)).encode(), b"\r\n", head.encode(), b"\r\n", body))
        return self.judged(await self._send(request, wall, timeout), number)

    def _auth_lines(self, second: int) -> str:
        cached = self._auth
        if cached[0] != second:
            sig = signature(self.url, second, self.auth_key)   # type: ignore[arg-type]
            cached = self._auth = (second, f"{TIMESTAMP_HEADER}: {second}\r\n{SIGNATURE_HEADER}: {sig}\r\n")
        return cached[1]

    def request_bytes(self, url: str, body: bytes, headers: dict[str, str]) -> bytes:
        prefix = self._prefix if url == self.url else self._head_prefix(self._path_of(urlsplit(url)))
        head = [prefix, str(len(body)).encode(), b"\r\n"]
        for name, value in headers.items():
            head.append(f"{name}: {value}\r\n".encode())
        head.append(b"\r\n")
        head.append(body)
        return b"".join(head)

    async def _exchange(self, request: bytes) -> tuple[int, bytes]:
        loop = asyncio.get_running_loop()
        while self._idle:
            conn = self._idle.pop()
            if conn.closed:
                continue
            try:
                status, answer, reuse = await conn.send(request)
            except ConnectionClosed:
                if conn.got_bytes:
                    raise
                continue    # a kept-alive connection the receiver had closed: try a fresh one
            except BaseException:
                conn.abort()
                raise
            self._keep(conn, reuse)
            return status, answer
        _, conn = await loop.create_connection(_Conn, self.host, self.port)
        try:
            status, answer, reuse = await conn.send(request)
        except BaseException:
            conn.abort()
            raise
        self._keep(conn, reuse)
        return status, answer

    def _keep(self, conn: _Conn, reuse: bool) -> None:
        if reuse and not conn.closed and len(self._idle) < self.pool_size:
            self._idle.append(conn)
        else:
            conn.abort()

    async def _post(self, url: str, body: bytes, headers: dict[str, str], now: float, timeout: float) -> Exchange:
        return await self._send(self.request_bytes(url, body, headers), now, timeout)   # now: wall time

    async def _send(self, request: bytes, wall: float, timeout: float) -> Exchange:
        """One request, the whole of it (connect, send, complete answer) cut at ``timeout``."""
        loop = asyncio.get_running_loop()
        started = now()
        status, answer, error, detail = None, b"", None, ""
        task = asyncio.current_task()
        cancelling = task.cancelling()          # type: ignore[union-attr]
        cut = _Cut(task)                        # type: ignore[arg-type]
        timer = loop.call_at(started + timeout, cut)     # the loop's clock counts the same instants
        try:
            status, answer = await self._exchange(request)
            detail = f"HTTP {status}"
        except asyncio.CancelledError:
            if not cut.fired or task.uncancel() > cancelling:   # type: ignore[union-attr]
                raise                           # cancelled from outside (a stop), not the cut
            error, detail = _TIMEOUT, f"no complete response within {timeout:g} s"
        except ProtocolError as exc:
            error, detail = _PROTOCOL, f"ProtocolError: {exc}"
        except (OSError, EOFError) as exc:
            error, detail = classify(exc)
        finally:
            timer.cancel()
        return Exchange(wall, round((now() - started) * 1000, 3), status, answer, error, detail)
