"""The built-in receiver, driven by a real aiohttp client."""

from __future__ import annotations

import aiohttp

from emulator import receiver
from emulator.providers.aliyun import signing


async def post(url: str, body: bytes, headers: dict | None = None) -> int:
    async with aiohttp.ClientSession() as s:
        async with s.post(url, data=body, headers=headers or {}) as r:
            return r.status


async def started(config: receiver.ReceiverConfig):
    app = receiver.create_app(config)
    runner, url = await receiver.start(app)
    return runner, url, app[receiver.STATE]


async def test_fail_first_counts_per_distinct_body():
    runner, url, state = await started(receiver.ReceiverConfig(fail_first=2))
    try:
        a, b = b'{"EventType":"FileUploadComplete","VideoId":"a"}', b'{"EventType":"FileUploadComplete","VideoId":"b"}'
        assert [await post(url, a) for _ in range(3)] == [500, 500, 200]
        assert await post(url, b) == 500
        assert [r.copy for r in state.received] == [1, 2, 3, 1]
        assert state.received[0].event_type == "FileUploadComplete" and state.received[3].media_id == "b"
    finally:
        await runner.cleanup()


async def test_signature_checked_against_the_url_it_was_sent_to():
    runner, url, state = await started(receiver.ReceiverConfig(auth_key="Key123abc"))
    try:
        good = signing.auth_headers(url + "cb", 1700000000, "Key123abc")
        bad = signing.auth_headers(url + "cb", 1700000000, "other")
        assert await post(url + "cb", b"{}", good) == 200
        assert await post(url + "cb", b"{}", bad) == 403          # a mis-signing sender is not "delivered"
        assert await post(url + "cb", b"{}") == 403
        assert [r.signature for r in state.received] == ["ok", "mismatch", "missing"]
    finally:
        await runner.cleanup()


async def test_log_only_keeps_answering_bad_signatures_as_usual():
    runner, url, state = await started(receiver.ReceiverConfig(auth_key="Key123abc", log_only=True))
    try:
        assert await post(url + "cb", b"{}", signing.auth_headers(url + "cb", 1700000000, "other")) == 200
        assert [r.signature for r in state.received] == ["mismatch"]
    finally:
        await runner.cleanup()


async def test_fixed_status_answer():
    runner, url, state = await started(receiver.ReceiverConfig(status=204))
    try:
        assert await post(url, b"{}") == 204
        await state.wait_for(1, timeout=1)
    finally:
        await runner.cleanup()
