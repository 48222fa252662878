"""HTTPS targets: verified against a custom CA bundle; a TLS failure is a recorded failed attempt."""

from __future__ import annotations

import ssl

import pytest
import trustme
from aiohttp import web

from emulator.clock import Clock
from emulator.delivery.http import HttpTarget, TLSOptions
from emulator.delivery.policy import DeliveryPolicy
from emulator.delivery.retry import deliver
from emulator.run.journal import ErrorKind, EventOutcome

from .conftest import make_event


@pytest.fixture
def ca():
    return trustme.CA()


@pytest.fixture
async def https_url(ca):
    hits = []

    async def handle(request):
        hits.append(await request.read())
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/cb", handle)
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(ctx)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=ctx)
    await site.start()
    yield f"https://127.0.0.1:{runner.addresses[0][1]}/cb", hits
    await runner.cleanup()


async def send(url, tls):
    policy = DeliveryPolicy(time_scale=0.01)
    clock = Clock(policy.time_scale)
    target = HttpTarget(url, clock=clock, tls=tls)
    await target.open(policy.timeout)
    try:
        return await deliver(make_event(), target, policy, clock)
    finally:
        await target.close()


async def test_https_with_custom_ca_bundle(https_url, ca, tmp_path):
    url, hits = https_url
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    result = await send(url, TLSOptions(ca_bundle=str(bundle)))
    assert result.outcome is EventOutcome.DELIVERED
    assert hits == [make_event().body]


async def test_untrusted_certificate_is_a_tls_failure(https_url):
    url, hits = https_url
    result = await send(url, TLSOptions())
    assert result.outcome is EventOutcome.LOST
    assert [a.error for a in result.attempts] == [ErrorKind.TLS] * 3
    assert hits == []
