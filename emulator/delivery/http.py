"""HTTP callback target: one POST per attempt, judged by the provider's rule (200 only)."""

from __future__ import annotations

import logging
import ssl
import time
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

import aiohttp

from .. import __version__
from ..providers.aliyun import signing
from ..clock import Clock
from ..events import Event
from ..run.journal import Attempt, AttemptOutcome, ErrorKind
from .failures import classify

log = logging.getLogger(__name__)

USER_AGENT = f"vod-callback-emulator/{__version__}"
SUCCESS_STATUS = 200
BASE_HEADERS = {"Content-Type": "application/json", "User-Agent": USER_AGENT}
BODY_CAP = 64 * 1024     # bytes of a receiver's answer read at most (MNS errors are < 1 KB)


class BadTargetURL(ValueError):
    pass


def check_url(url: str) -> str:
    """A callback URL must be absolute http(s) with a host; the console caps it at 256 bytes."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BadTargetURL(f"bad target URL {url!r}: expected http://host[:port]/path or https://…")
    if len(url.encode()) > 256:
        raise BadTargetURL(f"bad target URL: {len(url.encode())} bytes, the service allows at most 256")
    try:
        parts.port
    except ValueError as exc:
        raise BadTargetURL(f"bad target URL {url!r}: {exc}") from None
    return url


@dataclass(frozen=True, slots=True)
class TargetSpec:
    """Where to POST, and the AuthKey to sign with (None: unsigned)."""
    url: str
    auth_key: str | None = None


@dataclass(frozen=True, slots=True)
class TLSOptions:
    ca_bundle: str | None = None
    verify: bool = True

    def context(self) -> ssl.SSLContext | bool:
        if not self.verify:
            return False
        if self.ca_bundle:
            return ssl.create_default_context(cafile=self.ca_bundle)
        return True


class Signer(Protocol):
    def apply(self, url: str, body: bytes, now: float) -> tuple[str, bytes, dict[str, str]]: ...


class HttpTarget:
    """POSTs event bodies to ``url``; signs them when ``auth_key`` is set."""

    def __init__(self, url: str, *, auth_key: str | None = None, clock: Clock | None = None,
                 tls: TLSOptions = TLSOptions(), pool_size: int = 100, signer: Signer | None = None,
                 accept_2xx: bool = False) -> None:
        self.url = check_url(url)
        self.name = url
        self.auth_key = auth_key or None
        self.signer = signer            # replaces the Alibaba X-VOD-* headers (Tencent's Sign/T)
        self.accept_2xx = accept_2xx    # count any 2xx as success (a Tencent option; Alibaba: 200 only)
        self.clock = clock or Clock()
        self.tls = tls
        self.pool_size = pool_size
        self._session: aiohttp.ClientSession | None = None
        self._timeout = 0.0

    def describe(self) -> dict[str, object]:
        return {"type": "http", "url": self.url, "signed": self.auth_key is not None or self.signer is not None,
                "signature": type(self.signer).__name__ if self.signer else "aliyun" if self.auth_key else None,
                "success_rule": "any 2xx" if self.accept_2xx else "200 only",
                "ca_bundle": self.tls.ca_bundle is not None, "verify_tls": self.tls.verify}

    async def open(self, timeout: float) -> None:
        """Open the connection pool; ``timeout`` cuts each attempt (connect + full response)."""
        connector = aiohttp.TCPConnector(limit=self.pool_size, ssl=self.tls.context())
        self._session = aiohttp.ClientSession(connector=connector, auto_decompress=False,
                                              timeout=attempt_timeout(timeout),
                                              skip_auto_headers=("Accept-Encoding",))
        self._timeout = timeout

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def headers(self, now: float) -> dict[str, str]:
        if not self.auth_key:
            return BASE_HEADERS
        return {**BASE_HEADERS, **signing.auth_headers(self.url, int(now), self.auth_key)}

    def accepts(self, status: int) -> bool:
        return status == SUCCESS_STATUS or (self.accept_2xx and 200 <= status < 300)

    async def attempt(self, event: Event, number: int, timeout: float) -> Attempt:
        now = self.clock.wall()
        url, body, headers = self.url, event.body, self.headers(now)
        if self.signer is not None:
            url, body, more = self.signer.apply(url, body, now)
            headers = {**headers, **more}
        return self.judged(await self._post(url, body, headers, now, timeout), number)

    def judged(self, x: Exchange, number: int) -> Attempt:
        """The attempt an exchange makes under the success rule (200 only, or any 2xx)."""
        error, detail = x.error, x.detail
        if error is None and not self.accepts(x.status):
            error = ErrorKind.STATUS
            if 300 <= x.status < 400:
                detail = f"HTTP {x.status}: redirects are not followed, only 200 counts"
            else:
                detail = f"HTTP {x.status}: only {'2xx' if self.accept_2xx else '200'} counts"
        return x.attempt(number, error, detail)

    async def _post(self, url: str, body: bytes, headers: dict[str, str], now: float, timeout: float) -> Exchange:
        """One POST over the wire (the lean client for http:// overrides this)."""
        assert self._session is not None, "target not opened"
        return await post_once(self._session, url, body, headers, clock=self.clock, started_wall=now,
                               timeout=timeout, session_timeout=self._timeout)


@dataclass(slots=True, unsafe_hash=True)   # never changed once made; not frozen (cost): see Attempt
class Exchange:
    """One POST as it happened: when, how long, and what came back (or how it failed)."""
    started_wall: float
    duration_ms: float
    status: int | None
    answer: bytes
    error: ErrorKind | None     # a transport failure; the caller judges the status
    detail: str

    def attempt(self, number: int, error: ErrorKind | None, detail: str) -> Attempt:
        return Attempt(attempt=number, started_at=iso_ms(self.started_wall), duration_ms=self.duration_ms,
                       status=self.status, error=error, detail=detail,
                       outcome=_SUCCESS if error is None else _FAILURE)


async def post_once(session: aiohttp.ClientSession, url: str, body: bytes, headers: dict[str, str], *,
                    clock: Clock, started_wall: float, timeout: float, session_timeout: float) -> Exchange:
    """POST without following redirects, cut at ``timeout`` (the session's own unless different)."""
    started = clock.monotonic()
    status, answer, error, detail = None, b"", None, ""
    extra = {} if timeout == session_timeout else {"timeout": attempt_timeout(timeout)}
    try:
        async with session.post(url, data=body, headers=headers, allow_redirects=False, **extra) as resp:
            status = resp.status
            answer = await read_capped(resp)
            detail = f"HTTP {status}"
    except TimeoutError:
        error, detail = ErrorKind.TIMEOUT, f"no complete response within {timeout:g} s"
    except (aiohttp.ClientError, OSError, EOFError) as exc:
        error, detail = classify(exc)
        if status is not None:
            detail = f"HTTP {status}, then {detail}"
    return Exchange(started_wall, round((clock.monotonic() - started) * 1000, 3), status, answer, error, detail)


async def read_capped(resp: aiohttp.ClientResponse, cap: int = BODY_CAP) -> bytes:
    """At most ``cap`` bytes of the body (the service ignores it); a longer body is not read
    further and its connection is closed instead of reused, so an endless body costs nothing."""
    chunks, size = [], 0
    while size < cap:
        chunk = await resp.content.read(cap - size)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
    if not resp.content.at_eof():
        resp.close()
    return b"".join(chunks)


def attempt_timeout(seconds: float) -> aiohttp.ClientTimeout:
    # aiohttp rounds timeouts of 5 s or more up to the next whole second of loop time
    # ("ceil_threshold"); the documented cut is exactly 5 s, so never round.
    return aiohttp.ClientTimeout(total=seconds, ceil_threshold=float("inf"))


_SUCCESS, _FAILURE = AttemptOutcome.SUCCESS, AttemptOutcome.FAILURE
_second: tuple[int, str] = (-1, "")   # the last whole second formatted: most stamps share it


def iso_ms(ts: float) -> str:
    """``2026-01-01T00:00:00.123Z``: attempt start stamps, written for every attempt."""
    global _second
    sec = int(ts // 1)
    cached = _second            # one tuple, replaced whole: safe with threads
    if cached[0] != sec:
        t = time.gmtime(sec)
        cached = _second = (sec, f"{t.tm_year:04d}-{t.tm_mon:02d}-{t.tm_mday:02d}T"
                                 f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d}")
    return f"{cached[1]}.{int(ts * 1000) % 1000:03d}Z"
