"""Tencent PUSH callbacks: Sign = MD5(SignKey + T), placed where configured, checked by the receiver."""

from __future__ import annotations

import hashlib
import json

import pytest

from emulator import receiver
from emulator.clock import Clock
from emulator.delivery.http import TargetSpec, TLSOptions
from emulator.delivery.policy import DeliveryPolicy
from emulator.delivery.retry import deliver
from emulator.delivery.targets import make_target
from emulator.run.journal import EventOutcome
from emulator.providers.tencent.signing import Placement, TencentSigner, check, sign

from .conftest import make_event


def test_sign_is_md5_of_key_then_expiry():
    assert sign("Key123", 1700000600) == hashlib.md5(b"Key1231700000600").hexdigest()


@pytest.mark.parametrize("placement", list(Placement))
def test_each_placement_round_trips_through_check(placement):
    signer = TencentSigner("Key123", placement)
    url, body, headers = signer.apply("http://127.0.0.1/cb?x=1", b'{"EventType":"NewFileUpload"}', 1700000000)
    query = url.partition("?")[2]
    assert check(body, query, headers, "Key123", now=1700000000) == "ok"
    assert check(body, query, headers, "Other1", now=1700000000) == "mismatch"
    assert check(body, query, headers, "Key123", now=1700000000 + 601) == "expired"
    if placement is Placement.BODY:
        doc = json.loads(body)
        assert doc["T"] == 1700000600 and doc["EventType"] == "NewFileUpload"


@pytest.mark.parametrize("placement", ["body", "query", "headers"])
async def test_builtin_receiver_verifies_tencent_signatures(placement):
    app = receiver.create_app(receiver.ReceiverConfig(auth_key="Key123"))
    runner, url = await receiver.start(app)
    policy = DeliveryPolicy(time_scale=0.01)
    target = make_target(TargetSpec(url + "cb", "Key123"), clock=Clock(0.01), tls=TLSOptions(), pool_size=4,
                         provider="tencent", sign_placement=placement)
    await target.open(policy.timeout)
    try:
        result = await deliver(make_event(), target, policy, Clock(0.01))
    finally:
        await target.close()
        await runner.cleanup()
    assert result.outcome is EventOutcome.DELIVERED
    (rec,) = app[receiver.STATE].received
    assert rec.signature == "ok"
    assert (b'"Sign"' in rec.body) == (placement == "body")


async def test_accept_2xx_option(scripted):
    rx = await scripted([204])
    policy = DeliveryPolicy(time_scale=0.01)
    for accept, expected in ((False, EventOutcome.LOST), (True, EventOutcome.DELIVERED)):
        target = make_target(TargetSpec(rx.url), clock=Clock(0.01), tls=TLSOptions(), pool_size=4,
                             provider="tencent", accept_2xx=accept)
        await target.open(policy.timeout)
        try:
            result = await deliver(make_event(), target, policy, Clock(0.01))
        finally:
            await target.close()
        assert result.outcome is expected
