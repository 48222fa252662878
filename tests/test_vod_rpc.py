"""The older SDK (aliyun-python-sdk-vod + aliyun-python-sdk-core, RPC HMAC-SHA1) as a user's
application: MNS callbacks read with the MNS SDK, UserData.MessageCallback, UploadMediaByURL,
and a restart that keeps the library."""

from __future__ import annotations

import asyncio
import base64
import json
from pathlib import Path

import oss2
import pytest
from aiohttp import web
from aliyunsdkcore.acs_exception.exceptions import ServerException
from aliyunsdkvod.request.v20170321 import (
    CreateUploadVideoRequest,
    GetPlayInfoRequest,
    GetVideoInfoRequest,
    SetMessageCallbackRequest,
    SubmitTranscodeJobsRequest,
    UploadMediaByURLRequest,
)
from mns.account import Account

from emulator.server.app import ServeConfig, start
from emulator.server.mns import DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET

from .vod_clients import core_client, core_request

FIXTURE = Path(__file__).parent / "fixtures" / "tiny.mp4"
CONFIG = "vod:\n  time_scale: 0\n  profiles:\n    one: {outputs: [SD], snapshots: 0}\n"


async def serve(tmp_path):
    config = tmp_path / "serve.yaml"
    config.write_text(CONFIG)
    return await start(ServeConfig(data_dir=tmp_path / "data", config_file=config))


@pytest.fixture
async def server(tmp_path):
    runner, state, url = await serve(tmp_path)
    yield url, state
    await runner.cleanup()
    state.close()


async def rpc(url: str, request, client=None) -> dict:
    body = await asyncio.to_thread((client or core_client()).do_action_with_exception, core_request(request, url))
    return json.loads(body)


async def upload(url: str, title: str, user_data: dict | None = None, group: str = "one") -> str:
    req = CreateUploadVideoRequest.CreateUploadVideoRequest()
    req.set_Title(title)
    req.set_FileName(f"{title}.mp4")
    req.set_TemplateGroupId(group)
    if user_data is not None:
        req.set_UserData(json.dumps(user_data))
    created = await rpc(url, req)
    address = json.loads(base64.b64decode(created["UploadAddress"]))
    auth = json.loads(base64.b64decode(created["UploadAuth"]))
    bucket = oss2.Bucket(oss2.StsAuth(auth["AccessKeyId"], auth["AccessKeySecret"], auth["SecurityToken"]),
                         address["Endpoint"], address["Bucket"])
    await asyncio.to_thread(bucket.put_object_from_file, address["FileName"], str(FIXTURE))
    return created["VideoId"]


async def test_mns_callback_type_puts_the_events_in_the_queue(server):
    url, state = server
    account = Account(url, DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET)
    queue = account.get_queue("vod-events")
    await asyncio.to_thread(queue.create, __import__("mns.queue", fromlist=["QueueMeta"]).QueueMeta())
    req = SetMessageCallbackRequest.SetMessageCallbackRequest()
    req.set_CallbackType("MNS")
    req.set_MnsQueueName("vod-events")
    req.set_EventTypeList("FileUploadComplete,TranscodeComplete")
    await rpc(url, req)
    video_id = await upload(url, "mns")
    await state.vod.settle()

    def consume() -> list[dict]:
        queue.set_encoding(False)
        out = []
        try:
            for _ in range(2):
                msg = queue.receive_message(1)
                out.append(json.loads(msg.message_body))
                queue.delete_message(msg.receipt_handle)
        finally:
            account.mns_client.http.conn.close()
        return out

    bodies = await asyncio.to_thread(consume)
    assert [(b["EventType"], b["VideoId"]) for b in bodies] == [("FileUploadComplete", video_id),
                                                               ("TranscodeComplete", video_id)]
    assert bodies[0]["Size"] == FIXTURE.stat().st_size


async def test_userdata_callback_url_wins_job_over_upload_over_region(server, scripted):
    url, state = server
    region_rx, upload_rx, job_rx = await scripted([200]), await scripted([200]), await scripted([200])
    req = SetMessageCallbackRequest.SetMessageCallbackRequest()
    req.set_CallbackType("HTTP")
    req.set_CallbackURL(region_rx.url)
    req.set_EventTypeList("FileUploadComplete,StreamTranscodeComplete,TranscodeComplete")
    await rpc(url, req)
    plain = await upload(url, "plain")
    bound = await upload(url, "bound", {"MessageCallback": {"CallbackURL": upload_rx.url}, "Extend": "mine"})
    await state.vod.settle()
    assert {h.json()["VideoId"] for h in region_rx.hits} == {plain}
    assert [h.json()["EventType"] for h in upload_rx.hits] == ["FileUploadComplete", "StreamTranscodeComplete",
                                                               "TranscodeComplete"]
    assert {h.json()["VideoId"] for h in upload_rx.hits} == {bound}
    assert upload_rx.hits[0].json()["Extend"] == "mine"
    job = SubmitTranscodeJobsRequest.SubmitTranscodeJobsRequest()
    job.set_VideoId(bound)
    job.set_TemplateGroupId("one")
    job.set_UserData(json.dumps({"MessageCallback": json.dumps({"CallbackURL": job_rx.url})}))
    answer = await rpc(url, job)
    await state.vod.settle()
    assert [h.json()["EventType"] for h in job_rx.hits] == ["StreamTranscodeComplete", "TranscodeComplete"]
    assert answer["TranscodeTaskId"]
    assert len(upload_rx.hits) == 3 and len(region_rx.hits) == 3
    play = await rpc(url, _with(GetPlayInfoRequest.GetPlayInfoRequest(), VideoId=bound))
    assert len(play["PlayInfoList"]["PlayInfo"]) == 2      # the upload's SD and the job's SD


async def test_upload_by_url_pulls_a_loopback_file(server, scripted):
    url, state = server
    rx = await scripted([200])
    files = web.Application()

    async def tiny(request: web.Request) -> web.FileResponse:
        return web.FileResponse(FIXTURE)
    files.router.add_get("/tiny.mp4", tiny)
    runner = web.AppRunner(files, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        source = f"http://127.0.0.1:{runner.addresses[0][1]}/tiny.mp4"
        req = SetMessageCallbackRequest.SetMessageCallbackRequest()
        req.set_CallbackURL(rx.url)
        await rpc(url, req)
        by_url = UploadMediaByURLRequest.UploadMediaByURLRequest()
        by_url.set_UploadURLs(f"{source},http://example.invalid/x.mp4")
        by_url.set_TemplateGroupId("one")
        answer = await rpc(url, by_url)
        await state.vod.settle()
    finally:
        await runner.cleanup()
    jobs = {j["SourceURL"]: j["JobId"] for j in answer["UploadJobs"]}
    got = {(h.json()["SourceURL"], h.json()["Status"]): h.json() for h in rx.hits
           if h.json()["EventType"] == "UploadByURLComplete"}
    ok = got[(source, "success")]
    assert ok["JobId"] == jobs[source] and ok["Size"] == str(FIXTURE.stat().st_size)
    failed = got[("http://example.invalid/x.mp4", "fail")]
    assert failed["ErrorCode"] == "URLInvalidError" and "VideoId" not in failed
    info = await rpc(url, _with(GetVideoInfoRequest.GetVideoInfoRequest(), VideoId=ok["VideoId"]))
    assert info["Video"]["Duration"] == 2.5


async def test_library_survives_a_restart_and_errors_come_through_the_rpc_sdk(tmp_path):
    runner, state, url = await serve(tmp_path)
    try:
        video_id = await upload(url, "kept")
        await state.vod.settle()
    finally:
        await runner.cleanup()
        state.close()
    runner, state, url = await serve(tmp_path)
    try:
        info = await rpc(url, _with(GetVideoInfoRequest.GetVideoInfoRequest(), VideoId=video_id))
        assert (info["Video"]["Title"], info["Video"]["Size"]) == ("kept", FIXTURE.stat().st_size)
        with pytest.raises(ServerException) as err:
            await rpc(url, _with(GetVideoInfoRequest.GetVideoInfoRequest(), VideoId="0" * 32))
        assert (err.value.get_http_status(), err.value.get_error_code()) == (404, "InvalidVideo.NotFound")
        with pytest.raises(ServerException) as err:
            await rpc(url, GetVideoInfoRequest.GetVideoInfoRequest())
        assert (err.value.get_http_status(), err.value.get_error_code()) == (400, "MissingParameter")
    finally:
        await runner.cleanup()
        state.close()


def _with(request, **params):
    for name, value in params.items():
        getattr(request, f"set_{name}")(value)
    return request
