"""Delivery against receivers that misbehave on purpose: endless bodies, cuts at every
phase, non-HTTP answers.  One failure, one kind, on every attempt; nothing unbounded."""

from __future__ import annotations

import asyncio
import socket
import struct
import time

import pytest

from emulator.delivery.failures import classify, hint, summarize
from emulator.delivery.http import BODY_CAP
from emulator.run.journal import Attempt, AttemptOutcome, ErrorKind, EventOutcome

from .test_cli import cli
from .test_delivery import free_port, send


def reset(writer: asyncio.StreamWriter) -> None:
    sock = writer.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


async def read_request(reader: asyncio.StreamReader) -> None:
    head = await reader.readuntil(b"\r\n\r\n")
    length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                  if line.lower().startswith(b"content-length:"))
    await reader.readexactly(length)


class Hostile:
    """A raw TCP receiver on 127.0.0.1:0 that behaves as ``kind`` on every connection."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.sent = 0
        self.connections = 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            if self.kind == "close_at_once":
                writer.close()
                return
            if self.kind == "reset_at_once":
                return reset(writer)
            await read_request(reader)
            if self.kind == "close_after_request":
                writer.close()
            elif self.kind == "reset_after_request":
                reset(writer)
            elif self.kind in ("close_mid_body", "reset_mid_body"):
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n" + b"a" * 100)
                await writer.drain()
                await asyncio.sleep(0.02)
                writer.close() if self.kind == "close_mid_body" else reset(writer)
            elif self.kind == "not_http":
                writer.write(b"SSH-2.0-OpenSSH_9.6\r\n\r\n")
                await writer.drain()
                writer.close()
            elif self.kind.startswith("endless"):
                status = self.kind.removeprefix("endless_")
                writer.write(f"HTTP/1.1 {status} OK\r\nTransfer-Encoding: chunked\r\n\r\n".encode())
                chunk = b"%x\r\n%s\r\n" % (65536, b"x" * 65536)
                while True:
                    writer.write(chunk)
                    self.sent += 65536
                    await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()


@pytest.fixture
async def hostile():
    servers = []

    async def start(kind: str) -> tuple[Hostile, str]:
        h = Hostile(kind)
        server = await asyncio.start_server(h.handle, "127.0.0.1", 0)
        servers.append(server)
        return h, f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/cb"

    yield start
    for s in servers:
        s.close()
        await s.wait_closed()


@pytest.mark.parametrize("kind, expected", [
    ("close_at_once", ErrorKind.CONNECTION_RESET),
    ("reset_at_once", ErrorKind.CONNECTION_RESET),
    ("close_after_request", ErrorKind.CONNECTION_RESET),
    ("reset_after_request", ErrorKind.CONNECTION_RESET),
    ("close_mid_body", ErrorKind.CONNECTION_RESET),
    ("reset_mid_body", ErrorKind.CONNECTION_RESET),
    ("not_http", ErrorKind.PROTOCOL),
])
async def test_one_failure_one_kind_on_every_attempt(hostile, kind, expected):
    _, url = await hostile(kind)
    result = await send(url)
    assert result.outcome is EventOutcome.LOST
    assert [a.error for a in result.attempts] == [expected] * 3, [a.detail for a in result.attempts]
    assert all("\n" not in a.detail and a.detail for a in result.attempts)
    assert summarize(result.attempts) == f"#1-3 {expected}"


async def test_an_endless_body_is_read_to_a_cap_then_closed(hostile):
    h, url = await hostile("endless_200")
    t0 = time.monotonic()
    result = await send(url)
    assert result.outcome is EventOutcome.DELIVERED     # the status counts; the body is ignored
    assert time.monotonic() - t0 < 2                     # not held until the 5 s timeout
    await asyncio.sleep(0)                               # (the server notices the close)
    # what the receiver managed to push: our cap plus the socket buffers, not gigabytes
    assert h.sent < BODY_CAP + 16 * 1024 * 1024


async def test_an_endless_error_body_costs_three_short_attempts(hostile):
    h, url = await hostile("endless_500")
    result = await send(url)
    assert [a.status for a in result.attempts] == [500] * 3 and h.connections == 3
    assert all(a.error is ErrorKind.STATUS for a in result.attempts)


def test_classify_takes_plain_stream_errors_too():
    # the same kinds for a client built on asyncio streams
    assert classify(ConnectionRefusedError(111, "refused"))[0] is ErrorKind.CONNECTION_REFUSED
    assert classify(ConnectionResetError(104, "reset"))[0] is ErrorKind.CONNECTION_RESET
    assert classify(asyncio.IncompleteReadError(b"ab", 10))[0] is ErrorKind.CONNECTION_RESET
    assert classify(BrokenPipeError(32, "pipe"))[0] is ErrorKind.CONNECTION_RESET
    assert classify(TimeoutError())[0] is ErrorKind.TIMEOUT
    assert classify(socket.gaierror(-2, "Name or service not known"))[0] is ErrorKind.DNS
    assert classify(ValueError("odd"))[0] is ErrorKind.OTHER


def test_human_lines_merge_attempts_and_hint_at_a_refused_receiver():
    def att(n: int, error: ErrorKind | None, detail: str) -> Attempt:
        return Attempt(n, "2026-01-01T00:00:00.000Z", 1.0, None, error, detail,
                       AttemptOutcome.FAILURE if error else AttemptOutcome.SUCCESS)
    attempts = [att(1, ErrorKind.STATUS, "HTTP 500: only 200 counts"), att(2, ErrorKind.TIMEOUT, "no …"),
                att(3, ErrorKind.TIMEOUT, "no …")]
    assert summarize(attempts) == "#1 HTTP 500: only 200 counts; #2-3 timeout"
    assert hint(attempts, "http://x/cb") == ""
    refused = [att(1, ErrorKind.CONNECTION_REFUSED, "ClientConnectorError: long text")]
    assert hint(refused, "http://x/cb") == "is your receiver running at http://x/cb?"


async def test_cli_prints_the_short_kind_and_the_refused_hint():
    url = f"http://127.0.0.1:{free_port()}/cb"
    code, out, err = await cli("trigger", "FileUploadComplete", "--target", url, "--time-scale", "0.01")
    assert code == 1, err
    assert f"#1-3 connection_refused — is your receiver running at {url}?" in out
    assert "ClientConnectorError" not in out
