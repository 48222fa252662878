from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field

import pytest
from aiohttp import web

from emulator.events import Event, encode


def make_event(n: int = 1, event_type: str = "FileUploadComplete") -> Event:
    body = {"EventTime": "2026-01-01T00:00:00Z", "EventType": event_type, "VideoId": f"{n:032x}",
            "Status": "success", "Size": 1024}
    return Event(event_id=f"evt-{n:06d}", provider="aliyun", kind=event_type, event_type=event_type,
                 media_id=body["VideoId"], body=encode(body))


@dataclass
class Hit:
    at: float
    method: str
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class Scripted:
    """A real aiohttp receiver on 127.0.0.1:0 answering a scripted sequence of statuses."""

    statuses: list[int]
    delay: float = 0.0
    headers: dict = field(default_factory=dict)
    hits: list[Hit] = field(default_factory=list)
    url: str = ""

    async def handle(self, request: web.Request) -> web.Response:
        loop = asyncio.get_running_loop()
        self.hits.append(Hit(loop.time(), request.method, dict(request.headers), await request.read()))
        status = self.statuses[min(len(self.hits) - 1, len(self.statuses) - 1)]
        if self.delay:
            await asyncio.sleep(self.delay)
        return web.Response(status=status, headers=self.headers, text="body is ignored")

    def gaps(self) -> list[float]:
        return [b.at - a.at for a, b in zip(self.hits, self.hits[1:])]


@pytest.fixture
async def scripted():
    runners = []

    async def start(statuses: list[int], **kw) -> Scripted:
        s = Scripted(statuses=statuses, **kw)
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", s.handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        runners.append(runner)
        s.url = f"http://127.0.0.1:{runner.addresses[0][1]}/callback"
        return s

    yield start
    for r in runners:
        await r.cleanup()


@pytest.fixture(autouse=True)
def _vendor_sdk_sockets(request):
    """The Alibaba SDKs (oss2, aliyun-python-sdk-core, Tea) keep pooled requests sessions they
    never close; collect them after each VOD test so their sockets are not reported at a random
    later point (or at exit) as an unraisable ResourceWarning."""
    yield
    if request.module.__name__.rpartition(".")[2].startswith("test_vod"):
        import gc
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            gc.collect()
