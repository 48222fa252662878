"""Thousands of mutated requests: every answer is a valid response or MNS error XML, never a 500.

Most requests are correctly signed so that the mutation reaches the parser and the store;
the rest break the signature or the headers on purpose.  Queue time runs fast (a ticker
drives a ManualClock), so a long poll the fuzzer happens to start ends in milliseconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import xml.dom.minidom

import pytest
from aiohttp import web
from mns.account import Account
from mns.mns_xml_handler import ErrorDecoder
from mns.queue import Message, QueueMeta

from emulator.server.mns import DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET, ManualClock, QueueStore, auth, create_app

REQUESTS = 3000
NS = 'xmlns="http://mns.aliyuncs.com/doc/v1/"'
QUEUES = ["fuzz"] * 8 + ["fuzz2", "nope", "", "a" * 121, "-bad", "b%C3%A9", "x..y", "%00", "q/..", "Q1"]
METHODS = ["GET", "PUT", "POST", "DELETE"] * 6 + ["PATCH", "OPTIONS", "HEAD", "PROPFIND"]
INTS = ["0", "1", "-1", "16", "17", "30", "31", "43200", "43201", "99999999999", "abc", "", " 5", "1e3", "0x10"]
TEXT = ["hello", "", "x" * 70000, "<not>&amp;", "\u6d4b\u8bd5", "]]>", "&lt;&#0;", "&#x1F600;", "&bogus;"]
SUCCESS_ROOTS = {200: {"Message", "Messages", "Queue", "Queues", "ChangeVisibility"}, 201: {"Message", "Messages"}}


def xml_doc(root: str, inner: str) -> bytes:
    return f'<?xml version="1.0" encoding="utf-8"?><{root} {NS}>{inner}</{root}>'.encode()


def random_body(rng: random.Random) -> bytes:
    pick = rng.randrange(14)
    if pick == 0:
        fields = "".join(f"<{k}>{rng.choice(INTS)}</{k}>" for k in rng.sample(
            ["VisibilityTimeout", "MaximumMessageSize", "MessageRetentionPeriod", "DelaySeconds",
             "PollingWaitSeconds"], rng.randrange(4)))
        return xml_doc("Queue", fields + rng.choice(["", "<LoggingEnabled>True</LoggingEnabled>",
                                                     "<LoggingEnabled>maybe</LoggingEnabled>"]))
    if pick == 1:
        return xml_doc("Message", f"<MessageBody>{rng.choice(TEXT)}</MessageBody>"
                                  + rng.choice(["", f"<Priority>{rng.choice(INTS)}</Priority>",
                                                f"<DelaySeconds>{rng.choice(INTS)}</DelaySeconds>"]))
    if pick == 2:
        return xml_doc("Messages", "".join(f"<Message><MessageBody>{rng.choice(TEXT[:2] + TEXT[3:])}</MessageBody>"
                                           "</Message>" for _ in range(rng.choice([0, 1, 3, 16, 17]))))
    if pick == 3:
        return xml_doc("ReceiptHandles", "".join(f"<ReceiptHandle>{rng.choice(['1-' + 'A' * 22, 'x', ''])}"
                                                 "</ReceiptHandle>" for _ in range(rng.choice([0, 1, 17]))))
    if pick == 4:   # the billion laughs and friends
        return (b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
                b"<Message><MessageBody>&b;&b;&b;</MessageBody></Message>")
    if pick == 5:
        return b'<!DOCTYPE x SYSTEM "file:///etc/passwd"><Message><MessageBody>&x;</MessageBody></Message>'
    if pick == 6:
        return b"<a>" * 50 + b"</a>" * 50
    if pick == 7:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200)))
    if pick == 8:
        return b"x" * (1024 * 1024 + 10)       # over the request size cap
    if pick == 9:
        return xml_doc("Message", "<MessageBody>ok</MessageBody>")[: rng.randrange(1, 60)]
    if pick == 10:
        return "<?xml version='1.0' encoding='utf-16'?><Message/>".encode("utf-16")
    if pick == 11:
        return xml_doc(rng.choice(["Wrong", "Error", "Queues"]), "<MessageBody>x</MessageBody>")
    if pick == 12:
        doc = bytearray(xml_doc("Message", "<MessageBody>hello</MessageBody><Priority>3</Priority>"))
        for _ in range(rng.randrange(1, 4)):
            doc[rng.randrange(len(doc))] = rng.randrange(256)
        return bytes(doc)
    return b""


def random_target(rng: random.Random) -> str:
    queue = rng.choice(QUEUES)
    path = rng.choice([f"/queues/{queue}"] * 3 + [f"/queues/{queue}/messages"] * 6 + ["/queues", "/queues/", "/",
                       f"/queues/{queue}/messages/extra", f"//queues/{queue}", "/%2e%2e/queues", "/foo/bar",
                       f"/queues/{queue}/Messages"])
    params = rng.sample(["waitseconds", "numOfMessages", "peekonly", "ReceiptHandle", "VisibilityTimeout",
                         "metaoverride", "junk"], rng.randrange(4))
    values = {"peekonly": ["true", "false", "TRUE"], "metaoverride": ["true", "yes"],
              "ReceiptHandle": ["1-" + "A" * 22, "bogus", "", "1-a+b/c==", "%41"]}
    query = "&".join(f"{p}={rng.choice(values.get(p, INTS))}".replace(" ", "%20") for p in params)
    if query and "waitseconds=" not in query:
        query += rng.choice(["", "&", "&=", "&novalue"])
    return path + ("?" + query if query else "")


def request(rng: random.Random, port: int) -> tuple[str, bytes]:
    method = rng.choice(METHODS)
    target = random_target(rng)
    body = random_body(rng) if rng.random() < 0.7 else b""
    headers = {"x-mns-version": "2015-06-06", "date": "Sun, 22 Nov 2026 19:18:19 GMT"}
    if body:
        headers["content-type"] = "text/xml;charset=UTF-8"
        if rng.random() < 0.8:
            headers["content-md5"] = auth.content_md5(body)
    if rng.random() < 0.2:
        headers["x-mns-prefix"], headers["x-mns-ret-number"] = rng.choice(["a", "", "fuzz"]), rng.choice(INTS)
    secret = DEFAULT_ACCESS_KEY_SECRET if rng.random() < 0.85 else "wrong"
    key_id = DEFAULT_ACCESS_KEY_ID if rng.random() < 0.95 else "stranger"
    headers["Authorization"] = auth.sign(method, target, headers, key_id, secret)
    for _ in range(rng.choice([0, 0, 0, 1, 2])):       # break things after signing
        mutation = rng.randrange(9)
        if mutation == 0:
            headers.pop(rng.choice(list(headers)), None)
        elif mutation == 1:
            headers["Authorization"] = rng.choice(["MNS", "MNS :", "Basic abc", "MNS id:sig:more", "", "MNS x:"])
        elif mutation == 2:
            headers["date"] = rng.choice(["yesterday", "", "Sun, 99 Nov 2026 99:99:99 GMT"])
        elif mutation == 3:
            headers["x-mns-version"] = rng.choice(["2014-01-01", ""])
        elif mutation == 4:
            headers["x-mns-extra"] = "added after signing"
        elif mutation == 5:
            headers["content-md5"] = rng.choice(["garbage", "", auth.content_md5(b"other")])
        elif mutation == 6:
            headers[rng.choice(["X-Junk", "x-mns-marker", "content-type"])] = "v" * rng.choice([1, 4000])
        elif mutation == 7:
            headers["x-mns-with-meta"] = rng.choice(["true", "\xe9t\xe9"])
        else:
            headers["Host"] = rng.choice(["evil.example:1", "<x>&", ""])
    lines = [f"{method} {target} HTTP/1.1", f"Host: {headers.pop('Host', f'127.0.0.1:{port}')}"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    lines.append(f"Content-Length: {len(body)}")
    return method, ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


class Conn:
    """A bare HTTP/1.1 client: sends exactly the bytes given, reconnecting when closed."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(Exception):
                await self.writer.wait_closed()
            self.reader = self.writer = None

    async def roundtrip(self, method: str, raw: bytes) -> tuple[int, dict[str, str], bytes] | None:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        try:
            self.writer.write(raw)
            await self.writer.drain()
            head = await asyncio.wait_for(self.reader.readuntil(b"\r\n\r\n"), 10)
        except (ConnectionError, asyncio.IncompleteReadError):
            await self.close()
            return None
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        headers = {}
        for line in header_lines:
            if line:
                name, _, value = line.partition(":")
                headers[name] = value.strip()
        status = int(status_line.split()[1])
        length = 0 if method == "HEAD" or status == 204 else int(headers.get("Content-Length", 0))
        body = await self.reader.readexactly(length)
        if headers.get("Connection", "").lower() == "close":
            await self.close()
        return status, headers, body


def check(status: int, headers: dict[str, str], body: bytes, method: str) -> None:
    assert status < 500, body
    assert headers.get("x-mns-request-id"), headers
    if status == 204 or method == "HEAD":
        return
    if status == 201 and not body:      # CreateQueue
        assert headers["Location"].startswith("http://")
        return
    doc = xml.dom.minidom.parseString(body)
    root = doc.documentElement
    assert root.getAttribute("xmlns") == "http://mns.aliyuncs.com/doc/v1/" and ":" not in root.tagName
    if status < 400:
        assert root.tagName in SUCCESS_ROOTS[status], body
        return
    if root.tagName == "Error":
        code, message, request_id, host_id, _ = ErrorDecoder.decodeError(body.decode(), None)
        assert code and message and request_id == headers["x-mns-request-id"] and host_id, body
    else:
        assert root.tagName in ("Messages", "Errors"), body


@pytest.fixture
async def fast_server():
    clock = ManualClock()
    store = QueueStore(clock=clock)

    async def tick() -> None:                 # 1 s of queue time per ms
        while True:
            await asyncio.sleep(0.001)
            clock.advance(1)

    ticker = asyncio.create_task(tick())
    runner = web.AppRunner(create_app(store), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    store.create_queue("fuzz")
    yield store, runner.addresses[0][1]
    ticker.cancel()
    await runner.cleanup()


async def sdk_round_trip(port: int) -> None:
    account = Account(f"http://127.0.0.1:{port}", DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET)
    try:
        queue = account.get_queue("after-fuzz")
        await asyncio.to_thread(queue.create, QueueMeta())
        sent = await asyncio.to_thread(queue.send_message, Message("still fine"))
        got = await asyncio.to_thread(queue.receive_message_with_str_body, 0)
        assert (got.message_id, got.message_body) == (sent.message_id, "still fine")
        await asyncio.to_thread(queue.delete_message, got.receipt_handle)
    finally:
        account.mns_client.http.conn.close()


async def test_mutated_requests_get_mns_answers(fast_server):
    store, port = fast_server
    rng = random.Random(20261122)
    conns = [Conn(port) for _ in range(8)]
    statuses: dict[int, int] = {}

    async def worker(conn: Conn, requests: list[tuple[str, bytes]]) -> None:
        for method, raw in requests:
            answer = await conn.roundtrip(method, raw)
            assert answer is not None, raw[:300]
            status, headers, body = answer
            statuses[status] = statuses.get(status, 0) + 1
            try:
                check(status, headers, body, method)
            except AssertionError as exc:
                raise AssertionError(f"{exc}\nrequest: {raw[:400]!r}\nanswer: {status} {body[:400]!r}") from None

    batches = [[request(rng, port) for _ in range(REQUESTS // len(conns))] for _ in conns]
    try:
        await asyncio.gather(*(worker(c, b) for c, b in zip(conns, batches)))
    finally:
        for c in conns:
            await c.close()
    assert sum(statuses.values()) == REQUESTS
    assert {200, 201, 204, 400, 403, 404}.issubset(statuses), statuses    # the mutations reached everything
    await sdk_round_trip(port)


async def test_broken_http_is_refused_without_a_crash(fast_server):
    _, port = fast_server
    garbage = [b"GARBAGE\r\n\r\n", b"FOO /queues HTTP/1.1\r\nHost: x\r\n\r\n", b"GET /queues HTTP/9.9\r\n\r\n",
               b"GET /\x00 HTTP/1.1\r\nHost: x\r\n\r\n",
               b"GET / HTTP/1.1\r\nBad Header\r\n\r\n", b"GET / HTTP/1.1\r\nX: " + b"v" * 20000 + b"\r\n\r\n",
               b"POST /queues/fuzz/messages HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
               b"POST /queues/fuzz/messages HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
               b"GET /queues HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello"]
    for raw in garbage:
        conn = Conn(port)
        try:
            answer = await conn.roundtrip("GET", raw)
        finally:
            await conn.close()
        if answer is not None:          # aiohttp answers malformed HTTP itself, before any route
            status, _, body = answer
            assert 400 <= status < 500 and b"Traceback" not in body, (raw[:80], status, body[:200])
    await sdk_round_trip(port)
