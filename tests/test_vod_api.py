"""The VOD OpenAPI on serve through the unchanged SDKs: both signature styles, the error
envelope, the callback configuration shared with ``/_emulator/callbacks``."""

from __future__ import annotations

import asyncio
import json

import aiohttp
import pytest
from aliyunsdkcore.acs_exception.exceptions import ServerException
from aliyunsdkvod.request.v20170321 import GetMessageCallbackRequest, SetMessageCallbackRequest
from alibabacloud_tea_openapi.exceptions import ClientException
from alibabacloud_vod20170321 import models as vod

from emulator.server.app import ServeConfig, start
from emulator.server.routing import face_of

from .vod_clients import core_client, core_request, tea_client


@pytest.fixture
async def server(tmp_path):
    runner, state, url = await start(ServeConfig(data_dir=tmp_path / "data"))
    yield url, state
    await runner.cleanup()
    state.close()


async def control(url: str, path: str) -> tuple[int, dict]:
    async with aiohttp.ClientSession() as s:
        async with s.get(f"{url}/_emulator/{path}") as r:
            return r.status, await r.json()


async def test_tea_sdk_sets_the_callback_control_api_shows(server):
    url, _ = server
    client = tea_client(url)
    req = vod.SetMessageCallbackRequest(callback_type="HTTP", callback_url="http://127.0.0.1:9/cb",
                                        event_type_list="FileUploadComplete,TranscodeComplete")
    resp = await asyncio.to_thread(client.set_message_callback, req)
    assert resp.status_code == 200 and resp.body.request_id
    status, doc = await control(url, "callbacks/cn-shanghai")
    assert status == 200 and doc["MessageCallback"]["CallbackURL"] == "http://127.0.0.1:9/cb"
    got = await asyncio.to_thread(client.get_message_callback, vod.GetMessageCallbackRequest())
    mc = got.body.message_callback
    assert (mc.callback_type, mc.callback_url, mc.event_type_list) == (
        "HTTP", "http://127.0.0.1:9/cb", "FileUploadComplete,TranscodeComplete")
    # an update keeps the fields not sent
    await asyncio.to_thread(client.set_message_callback, vod.SetMessageCallbackRequest(event_type_list="ALL"))
    got = await asyncio.to_thread(client.get_message_callback, vod.GetMessageCallbackRequest())
    assert (got.body.message_callback.callback_url, got.body.message_callback.event_type_list) == (
        "http://127.0.0.1:9/cb", "ALL")
    await asyncio.to_thread(client.delete_message_callback, vod.DeleteMessageCallbackRequest())
    status, _ = await control(url, "callbacks/cn-shanghai")
    assert status == 404


async def test_core_sdk_rpc_style_uses_its_region(server):
    url, _ = server
    client = core_client(region="cn-beijing")
    req = core_request(SetMessageCallbackRequest.SetMessageCallbackRequest(), url)
    req.set_CallbackType("MNS")
    req.set_MnsQueueName("vod-events")
    req.set_EventTypeList("AIComplete")
    json.loads(await asyncio.to_thread(client.do_action_with_exception, req))
    status, doc = await control(url, "callbacks/cn-beijing")
    assert status == 200 and doc["MessageCallback"]["MnsQueueName"] == "vod-events"
    got = json.loads(await asyncio.to_thread(client.do_action_with_exception,
                                             core_request(GetMessageCallbackRequest.GetMessageCallbackRequest(), url)))
    assert got["MessageCallback"]["EventTypeList"] == "AIComplete"
    assert got["MessageCallback"]["MnsEndpoint"] == url + "/"


async def test_wrong_keys_and_bad_values_raise_the_sdks_own_exceptions(server):
    url, _ = server
    with pytest.raises(ClientException) as err:
        await asyncio.to_thread(tea_client(url, key_id="nobody").get_message_callback, vod.GetMessageCallbackRequest())
    assert (err.value.status_code, err.value.code) == (404, "InvalidAccessKeyId.NotFound")
    with pytest.raises(ClientException) as err:
        await asyncio.to_thread(tea_client(url, secret="wrong").get_message_callback, vod.GetMessageCallbackRequest())
    assert (err.value.status_code, err.value.code) == (400, "SignatureDoesNotMatch")
    assert err.value.data["HostId"] and err.value.data["Recommend"].startswith("https://")
    with pytest.raises(ClientException) as err:
        await asyncio.to_thread(tea_client(url).set_message_callback,
                                vod.SetMessageCallbackRequest(callback_type="HTTP", callback_url="ftp://x"))
    assert (err.value.status_code, err.value.code) == (400, "InvalidParameter")
    assert "CallbackURL" in err.value.message
    # the RPC SDK recognises a wrong secret from the server's string to sign
    req = core_request(GetMessageCallbackRequest.GetMessageCallbackRequest(), url)
    with pytest.raises(ServerException) as err2:
        await asyncio.to_thread(core_client(secret="wrong").do_action_with_exception, req)
    assert err2.value.get_error_code() == "InvalidAccessKeySecret"
    with pytest.raises(ServerException) as err2:
        await asyncio.to_thread(core_client(key_id="nobody").do_action_with_exception, req)
    assert (err2.value.get_http_status(), err2.value.get_error_code()) == (404, "InvalidAccessKeyId.NotFound")


async def test_nonce_reuse_stale_time_and_unknown_action(server):
    from aliyunsdkcore.auth.composer import rpc_signature_composer as composer
    url, _ = server
    params = {"Action": "GetMessageCallback", "Version": "2017-03-21", "RegionId": "cn-shanghai"}
    path, _ = composer.get_signed_url(dict(params), "vod-emulator", "vod-emulator-secret", "JSON", "GET", {})
    async with aiohttp.ClientSession() as s:
        async with s.get(url + path) as r:
            assert r.status == 200
        async with s.get(url + path) as r:
            assert (r.status, (await r.json())["Code"]) == (400, "SignatureNonceUsed")
        stale = {**params, "Timestamp": "2020-01-01T00:00:00Z"}
        stale_path = _signed_with(composer, stale)
        async with s.get(url + stale_path) as r:
            assert (r.status, (await r.json())["Code"]) == (400, "InvalidTimeStamp.Expired")
        async with s.get(url + "/?Action=GetVideoInfo&Version=2017-03-21&VideoId=x") as r:
            assert (r.status, (await r.json())["Code"]) == (400, "MissingParameter")   # unsigned RPC call
        path, _ = composer.get_signed_url({**params, "Action": "GetVidoInfo"}, "vod-emulator", "vod-emulator-secret",
                                          "JSON", "GET", {})
        async with s.get(url + path) as r:
            doc = await r.json()
            assert (r.status, doc["Code"]) == (404, "InvalidAction.NotFound")
            assert set(doc) == {"RequestId", "HostId", "Code", "Message", "Recommend"}


def _signed_with(composer, params: dict) -> str:
    """A signed RPC URL with a fixed Timestamp (the composer stamps the current time)."""
    from urllib.parse import urlencode

    from emulator.server.vod_api.auth import rpc_string_to_sign
    import base64
    import hashlib
    import hmac
    import uuid
    full = {**params, "AccessKeyId": "vod-emulator", "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0",
            "SignatureNonce": str(uuid.uuid4()), "Format": "JSON"}
    to_sign = rpc_string_to_sign("GET", full)
    full["Signature"] = base64.b64encode(hmac.new(b"vod-emulator-secret&", to_sign.encode(), hashlib.sha1).digest()).decode()
    return "/?" + urlencode(full)


@pytest.mark.parametrize("headers, query, method, path, face", [
    ({"x-acs-action": "GetVideoInfo"}, "", "POST", "/", "vod"),
    ({"X-TC-Action": "PullEvents"}, "", "POST", "/", "tencent"),
    ({}, "Action=GetVideoInfo", "GET", "/", "vod"),
    ({"Authorization": "OSS id:sig"}, "", "PUT", "/bucket/key", "oss"),
    ({"x-oss-security-token": "t"}, "", "PUT", "/bucket/key", "oss"),
    ({}, "OSSAccessKeyId=x&Signature=y", "GET", "/bucket/key", "oss"),
    ({}, "", "POST", "/", "tencent"),
    ({"Authorization": "MNS id:sig"}, "", "PUT", "/queues/q", "mns"),
    ({"x-acs-action": "X"}, "", "GET", "/_emulator/health", "control"),
])
def test_routing_rules(headers, query, method, path, face):
    from aiohttp.test_utils import make_mocked_request
    request = make_mocked_request(method, path + ("?" + query if query else ""), headers=headers)
    assert face_of(request) == face
