"""The lean http:// client: keep-alive, stale connections, non-HTTP answers, big bodies."""

from __future__ import annotations

import asyncio
import contextlib

from emulator.clock import Clock
from emulator.delivery.fast_http import FastHttpTarget
from emulator.delivery.http import HttpTarget, TargetSpec, TLSOptions
from emulator.delivery.targets import make_target
from emulator.run.journal import ErrorKind

from .conftest import make_event


def test_http_goes_over_the_lean_client_and_https_over_aiohttp():
    kw = dict(clock=Clock(), tls=TLSOptions(), pool_size=10)
    assert type(make_target(TargetSpec("http://127.0.0.1:9/cb"), **kw)) is FastHttpTarget
    assert type(make_target(TargetSpec("https://127.0.0.1:9/cb"), **kw)) is HttpTarget
    assert type(make_target(TargetSpec("http://127.0.0.1:9/cb"), client="aiohttp", **kw)) is HttpTarget


@contextlib.asynccontextmanager
async def raw_server(answers: list[bytes], *, close_after: bool = False):
    """A TCP server answering each request with the next of ``answers``; counts connections."""
    seen = {"connections": 0, "requests": 0}
    writers: list[asyncio.StreamWriter] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        seen["connections"] += 1
        writers.append(writer)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                                  if line.lower().startswith(b"content-length")))
                await reader.readexactly(length)
                writer.write(answers[min(seen["requests"], len(answers) - 1)])
                seen["requests"] += 1
                await writer.drain()
                if close_after:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    async with server:
        yield f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/cb", seen
    for w in writers:
        w.close()
    await asyncio.sleep(0.01)


OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"


async def attempts(url: str, n: int, timeout: float = 2.0):
    target = FastHttpTarget(url)
    await target.open(timeout)
    try:
        out = []
        for i in range(n):
            out.append(await target.attempt(make_event(i), 1, timeout))
            await asyncio.sleep(0.05)     # let a closing receiver's FIN arrive
        return out
    finally:
        await target.close()


async def test_keep_alive_reuses_one_connection():
    async with raw_server([OK]) as (url, seen):
        result = await attempts(url, 3)
    assert [a.status for a in result] == [200, 200, 200]
    assert seen == {"connections": 1, "requests": 3}


async def test_a_connection_the_receiver_closed_is_replaced_not_failed():
    async with raw_server([OK], close_after=True) as (url, seen):
        result = await attempts(url, 3)
    assert [a.ok for a in result] == [True, True, True]
    assert seen["connections"] == 3


async def test_not_http_is_a_protocol_error():
    async with raw_server([b"SMTP ready\r\n\r\n"]) as (url, _):
        (a,) = await attempts(url, 1)
    assert a.error is ErrorKind.PROTOCOL and a.status is None


async def test_an_answer_ended_by_closing_the_connection_is_complete():
    async with raw_server([b"HTTP/1.0 200 OK\r\n\r\nstored"], close_after=True) as (url, _):
        (a,) = await attempts(url, 1)
    assert a.ok and a.status == 200


async def test_a_body_cut_short_is_a_reset_not_a_success():
    async with raw_server([b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort"], close_after=True) as (url, _):
        (a,) = await attempts(url, 1)
    assert a.error is ErrorKind.CONNECTION_RESET


async def test_a_huge_answer_is_not_read_to_the_end():
    big = b"HTTP/1.1 200 OK\r\nContent-Length: 10000000\r\n\r\n" + b"x" * 200_000
    async with raw_server([big]) as (url, _):
        (a,) = await attempts(url, 1, timeout=1.0)
    assert a.ok and a.duration_ms < 900


async def test_headers_and_body_on_the_wire(scripted):
    rx = await scripted([200])
    target = FastHttpTarget(rx.url, auth_key="test123")
    await target.open(5)
    try:
        a = await target.attempt(make_event(), 1, 5)
    finally:
        await target.close()
    assert a.ok
    (hit,) = rx.hits
    assert hit.body == make_event().body and hit.headers["Content-Type"] == "application/json"
    assert hit.headers["User-Agent"].startswith("vod-callback-emulator/")
    assert {"X-VOD-TIMESTAMP", "X-VOD-SIGNATURE"} <= set(hit.headers)


async def test_ended_connections_are_freed_without_the_collector():
    """A run holds the collector back; a finished connection must not wait for it."""
    import gc
    from emulator.delivery import fast_http

    gc.collect()
    gc.disable()
    try:
        async with raw_server([OK], close_after=True) as (url, _):
            result = await attempts(url, 5)
        assert all(a.ok for a in result)
        alive = [o for o in gc.get_objects() if type(o) is fast_http._Conn]
    finally:
        gc.enable()
    assert alive == []


async def test_a_receiver_that_closes_on_accept_fails_at_once_as_a_reset():
    async def slam(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.transport.abort()
        writer.close()

    server = await asyncio.start_server(slam, "127.0.0.1", 0)
    async with server:
        url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/cb"
        (a,) = await attempts(url, 1, timeout=3.0)
    assert a.error is ErrorKind.CONNECTION_RESET and a.duration_ms < 1000


async def test_the_cut_is_a_timeout_but_a_cancel_from_outside_is_not():
    release = asyncio.Event()

    async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(1 << 16)
        await release.wait()            # never answers while the test runs
        writer.close()

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    async with server:
        url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/cb"
        (a,) = await attempts(url, 1, timeout=0.2)
        target = FastHttpTarget(url)
        await target.open(5)
        task = asyncio.ensure_future(target.attempt(make_event(), 1, 5))
        await asyncio.sleep(0.1)
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            cancelled = True
        else:
            cancelled = False
        await target.close()
        release.set()
        await asyncio.sleep(0.05)
    assert a.error is ErrorKind.TIMEOUT and 200 <= a.duration_ms < 1000
    assert cancelled
