"""MNS queue target: each attempt is one signed SendMessage, as VOD writes MNS callbacks.

``mns://[ACCESS_KEY_ID:SECRET@]HOST[:PORT]/QUEUE[?body=raw|base64]``.  VOD counts an
MNS callback as delivered when the write to the queue succeeds, i.e. SendMessage
answers 201; anything else is a failed attempt, retried like an HTTP callback.

Body modes: ``raw`` (default) puts the event JSON itself in ``MessageBody`` (what the
VOD docs show, "the following content is the message body"); ``base64`` puts base64 of
the JSON there, for consumers that keep the SDK's default base64 decoding.
"""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass, replace
from enum import StrEnum
from urllib.parse import parse_qsl, unquote, urlsplit

import aiohttp

from ..clock import Clock
from ..events import Event
from ..run.journal import Attempt, ErrorKind
from ..server.mns import auth, wire
from ..server.mns.errors import MnsError
from ..server.mns.model import check_queue_name
from .http import attempt_timeout, post_once

log = logging.getLogger(__name__)

SUCCESS_STATUS = 201


class BodyMode(StrEnum):
    RAW = "raw"
    BASE64 = "base64"


@dataclass(frozen=True, slots=True)
class MnsURL:
    host: str
    port: int
    queue: str
    access_key_id: str = auth.DEFAULT_ACCESS_KEY_ID
    access_key_secret: str = auth.DEFAULT_ACCESS_KEY_SECRET
    body: BodyMode = BodyMode.RAW

    @property
    def endpoint(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def resource(self) -> str:
        return f"/queues/{self.queue}/messages"

    def public(self) -> str:
        """The URL without the secret, for journals and reports."""
        who = f"{self.access_key_id}@" if self.access_key_id != auth.DEFAULT_ACCESS_KEY_ID else ""
        query = "?body=base64" if self.body is BodyMode.BASE64 else ""
        return f"mns://{who}{self.endpoint.removeprefix('http://')}/{self.queue}{query}"


def parse_mns_url(url: str) -> MnsURL:
    """``mns://[ID:SECRET@]HOST[:PORT]/QUEUE[?body=raw|base64]``; ValueError says what is wrong."""
    usage = "expected mns://[ACCESS_KEY_ID:SECRET@]HOST:PORT/QUEUE[?body=raw|base64]"
    try:
        parts = urlsplit(url)
        port = parts.port or 80
    except ValueError as exc:
        raise ValueError(f"bad MNS target {url!r}: {exc}; {usage}") from None
    if parts.scheme != "mns" or not parts.hostname:
        raise ValueError(f"bad MNS target {url!r}: {usage}")
    if (parts.username is None) != (parts.password is None) or parts.username == "":
        raise ValueError(f"bad MNS target {url!r}: give both ACCESS_KEY_ID and SECRET, or neither; {usage}")
    queue = parts.path.removeprefix("/")
    try:
        check_queue_name(queue)
    except MnsError as exc:
        raise ValueError(f"bad MNS target {url!r}: queue {queue!r}: {exc.message}; {usage}") from None
    options = dict(parse_qsl(parts.query, keep_blank_values=True))
    body = options.pop("body", BodyMode.RAW)
    if options or parts.fragment or body not in set(BodyMode):
        raise ValueError(f"bad MNS target {url!r}: the only option is body=raw or body=base64")
    creds = {} if parts.username is None else {"access_key_id": unquote(parts.username),
                                                "access_key_secret": unquote(parts.password or "")}
    return MnsURL(parts.hostname, port, queue, body=BodyMode(body), **creds)


class MnsTarget:
    """Sends each event as one MNS message; same shape as ``HttpTarget``."""

    def __init__(self, url: str, *, body: BodyMode | str | None = None, clock: Clock | None = None,
                 pool_size: int = 100) -> None:
        self.url = parse_mns_url(url)
        if body is not None:
            self.url = replace(self.url, body=BodyMode(body))
        self.name = self.url.public()
        self.clock = clock or Clock()
        self.pool_size = pool_size
        self._session: aiohttp.ClientSession | None = None
        self._timeout = 0.0

    def describe(self) -> dict[str, object]:
        return {"type": "mns", "endpoint": self.url.endpoint, "queue": self.url.queue,
                "access_key_id": self.url.access_key_id, "body": str(self.url.body),
                "success_rule": "SendMessage answered 201 Created"}

    async def open(self, timeout: float) -> None:
        self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=self.pool_size),
                                              timeout=attempt_timeout(timeout))
        self._timeout = timeout

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def message_body(self, event: Event) -> str:
        if self.url.body is BodyMode.BASE64:
            return base64.b64encode(event.body).decode("ascii")
        return event.body.decode("utf-8")

    def request(self, event: Event, now: float) -> tuple[bytes, dict[str, str]]:
        """The SendMessage body and its signed headers."""
        body = wire.render("Message", [("MessageBody", self.message_body(event))])
        u = self.url
        return body, auth.request_headers("POST", u.resource, body, auth.http_date(now),
                                          u.access_key_id, u.access_key_secret)

    async def attempt(self, event: Event, number: int, timeout: float) -> Attempt:
        assert self._session is not None, "target not opened"
        now = self.clock.wall()
        body, headers = self.request(event, now)
        x = await post_once(self._session, self.url.endpoint + self.url.resource, body, headers, clock=self.clock,
                            started_wall=now, timeout=timeout, session_timeout=self._timeout)
        error, detail = x.error, x.detail
        if error is None and x.status != SUCCESS_STATUS:
            error, detail = ErrorKind.STATUS, f"HTTP {x.status} {error_code(x.answer)}".rstrip()
        return x.attempt(number, error, detail)


def error_code(answer: bytes) -> str:
    """The ``<Code>`` of an MNS error body ("" if it is not one)."""
    try:
        node = wire.parse(answer)
    except MnsError:
        return ""
    code = node.find("Code")
    return code.text.strip() if node.tag == "Error" and code is not None else ""
