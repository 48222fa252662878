"""The Tencent media actions through `serve`, driven by the unchanged vendor SDKs:
vod-python-sdk's VodUploadClient (ApplyUpload → cos-python-sdk-v5 upload → CommitUpload),
then ProcessMedia, DescribeMediaInfos, DescribeTaskDetail, ModifyMediaInfo, DeleteMedia,
PullUpload — with the events going out by the event configuration, PUSH or PULL."""

from __future__ import annotations

import asyncio
import functools
import json
import time
import types

import pytest
from qcloud_cos import CosConfig, CosS3Client
from qcloud_cos.cos_exception import CosServiceError
from qcloud_vod import vod_upload_client
from qcloud_vod.model import VodUploadRequest
from qcloud_vod.vod_upload_client import VodUploadClient
from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
from tencentcloud.common.profile.client_profile import ClientProfile
from tencentcloud.common.profile.http_profile import HttpProfile
from tencentcloud.vod.v20180717 import models, vod_client

from emulator import receiver
from emulator.server.app import ServeConfig, start
from emulator.server.tencent_api import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY
from emulator.server.tencent_api.app import TENCENT_VOD
from tests.mp4_fixture import mp4
from tests.test_tencent_e2e import sdk, vod

# The SDK's VodUploadRequest carries MediaFilePath & co., which its own ApplyUploadRequest
# then reports as "fileds are useless" while copying: a vendor warning, not ours.
pytestmark = pytest.mark.filterwarnings("ignore:.*fileds are useless:UserWarning")


@pytest.fixture
async def served(monkeypatch, tmp_path):
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    runner, state, url = await start(ServeConfig(data_dir=tmp_path / "data", tencent_time_scale=0.001))
    yield url, runner.app[TENCENT_VOD]
    await runner.cleanup()
    state.close()


def point_upload_client_at(monkeypatch, url: str) -> None:
    """What the README shows: the VodUploadClient is unchanged; the two clients it builds are
    given the emulator's address (HttpProfile endpoint; CosConfig IP/Port/Scheme)."""
    host, port = url.removeprefix("http://").split(":")
    profile = ClientProfile(httpProfile=HttpProfile(endpoint=f"{host}:{port}", protocol="http", reqTimeout=10))
    monkeypatch.setattr(vod_upload_client, "vod_client", types.SimpleNamespace(
        VodClient=lambda cred, region: vod_client.VodClient(cred, region, profile)))
    monkeypatch.setattr(vod_upload_client, "CosConfig",
                        functools.partial(CosConfig, IP=host, Port=int(port), Scheme="http"))


def lean(node):
    """Without null members: the SDK's to_json_string writes every model member, set or not."""
    if isinstance(node, dict):
        return {k: lean(v) for k, v in node.items() if v is not None}
    if isinstance(node, list):
        return [lean(v) for v in node]
    return node


def upload(path, **fields) -> object:
    request = VodUploadRequest()
    request.MediaFilePath = str(path)
    for k, v in fields.items():
        setattr(request, k, v)
    return VodUploadClient(DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY).upload("ap-guangzhou", request)


async def test_upload_process_describe_push(served, monkeypatch, tmp_path):
    url, vodm = served
    point_upload_client_at(monkeypatch, url)
    app = receiver.create_app(receiver.ReceiverConfig())
    runner, rx_url = await receiver.start(app)
    client = vod(url)
    try:
        await asyncio.to_thread(sdk, client, "ModifyEventConfig", Mode="PUSH", NotificationUrl=rx_url + "vod",
                                UploadMediaCompleteEventSwitch="ON", DeleteMediaCompleteEventSwitch="ON")
        video = tmp_path / "clip.mp4"
        video.write_bytes(mp4(seconds=4, width=640, height=360, fps=25))
        done = await asyncio.to_thread(upload, video, MediaName="My clip", SourceContext="order-42")
        file_id = done.FileId
        await vodm.dispatcher.drain()
        (up,) = [json.loads(r.body) for r in app[receiver.STATE].received]
        assert up["EventType"] == "NewFileUpload"
        event = up["FileUploadEvent"]
        assert event["FileId"] == file_id and event["MetaData"]["Size"] == video.stat().st_size
        assert (event["MetaData"]["Duration"], event["MetaData"]["Width"], event["MetaData"]["Height"]) == (4.0, 640, 360)
        assert event["MediaBasicInfo"]["Name"] == "My clip"
        assert event["MediaBasicInfo"]["SourceInfo"]["SourceContext"] == "order-42"
        assert done.MediaUrl == event["MediaBasicInfo"]["MediaUrl"]

        task = await asyncio.to_thread(
            sdk, client, "ProcessMedia", FileId=file_id, SessionContext="ctx-1", SessionId="s-1",
            MediaProcessTask={"TranscodeTaskSet": [{"Definition": 100010}, {"Definition": 100020}],
                              "CoverBySnapshotTaskSet": [{"Definition": 10, "PositionType": "Time",
                                                          "PositionValue": 0}]})
        await vodm.dispatcher.drain()
        changed = json.loads(app[receiver.STATE].received[-1].body)
        pt = changed["ProcedureStateChangeEvent"]
        assert changed["EventType"] == "ProcedureStateChanged" and pt["TaskId"] == task["TaskId"]
        assert (pt["Status"], pt["Message"], pt["FileId"]) == ("FINISH", "SUCCESS", file_id)
        assert [r["Type"] for r in pt["MediaProcessResultSet"]] == ["Transcode", "Transcode", "CoverBySnapshot"]
        assert [r["TranscodeTask"]["Input"]["Definition"] for r in pt["MediaProcessResultSet"][:2]] == [100010, 100020]
        assert (pt["SessionContext"], pt["SessionId"]) == ("ctx-1", "s-1")

        silent = await asyncio.to_thread(sdk, client, "ProcessMedia", FileId=file_id, TasksNotifyMode="None",
                                         MediaProcessTask={"SampleSnapshotTaskSet": [{"Definition": 10}]})
        await vodm.dispatcher.drain()
        assert json.loads(app[receiver.STATE].received[-1].body) == changed      # nothing sent for it
        silent_detail = await asyncio.to_thread(sdk, client, "DescribeTaskDetail", TaskId=silent["TaskId"])
        assert silent_detail["TaskType"] == "Procedure"

        infos = await asyncio.to_thread(sdk, client, "DescribeMediaInfos", FileIds=[file_id, "5285890000000000000"])
        (info,) = infos["MediaInfoSet"]
        assert infos["NotExistFileIdSet"] == ["5285890000000000000"]
        assert lean(info["BasicInfo"]) == lean(event["MediaBasicInfo"])
        assert lean(info["MetaData"]) == lean(event["MetaData"])
        assert [t["Definition"] for t in info["TranscodeInfo"]["TranscodeSet"]] == [100010, 100020]
        assert lean(info["TranscodeInfo"]["TranscodeSet"][0]) == lean(pt["MediaProcessResultSet"][0]["TranscodeTask"]["Output"])

        detail = await asyncio.to_thread(sdk, client, "DescribeTaskDetail", TaskId=task["TaskId"])
        assert detail["TaskType"] == "Procedure" and detail["Status"] == "FINISH"
        assert lean(detail["ProcedureTask"]["MediaProcessResultSet"]) == lean(pt["MediaProcessResultSet"])

        await asyncio.to_thread(sdk, client, "ModifyMediaInfo", FileId=file_id, Name="Renamed", AddTags=["a", "b"])
        info = (await asyncio.to_thread(sdk, client, "DescribeMediaInfos", FileIds=[file_id]))["MediaInfoSet"][0]
        assert info["BasicInfo"]["Name"] == "Renamed" and info["BasicInfo"]["TagSet"] == ["a", "b"]

        await asyncio.to_thread(sdk, client, "DeleteMedia", FileId=file_id)
        await vodm.dispatcher.drain()
        deleted = json.loads(app[receiver.STATE].received[-1].body)
        assert deleted["EventType"] == "FileDeleted" and deleted["FileDeleteEvent"]["FileIdSet"] == [file_id]
        gone = await asyncio.to_thread(sdk, client, "DescribeMediaInfos", FileIds=[file_id])
        assert gone["MediaInfoSet"] == [] and gone["NotExistFileIdSet"] == [file_id]
    finally:
        await runner.cleanup()
    for rec in app[receiver.STATE].received:   # every body loads into the SDK's EventContent
        models.EventContent()._deserialize(json.loads(rec.body))


async def test_pull_mode_multipart_upload_with_procedure(served, monkeypatch, tmp_path):
    url, vodm = served
    point_upload_client_at(monkeypatch, url)
    client = vod(url)
    await asyncio.to_thread(sdk, client, "ModifyEventConfig", Mode="PULL", UploadMediaCompleteEventSwitch="ON")
    video = tmp_path / "big.mp4"
    video.write_bytes(mp4(seconds=9, width=1280, height=720, fps=30, payload=2_300_000))   # > 1 MB: multipart
    done = await asyncio.to_thread(upload, video, Procedure="LongVideoPreset", SessionContext="flow-ctx",
                                   ConcurrentUploadNumber=2)
    await vodm.dispatcher.drain()
    events = (await asyncio.to_thread(sdk, client, "PullEvents"))["EventSet"]
    assert [e["EventType"] for e in events] == ["NewFileUpload", "ProcedureStateChanged"]
    upload_event, changed = events[0]["FileUploadEvent"], events[1]["ProcedureStateChangeEvent"]
    assert upload_event["FileId"] == done.FileId and upload_event["MetaData"]["Size"] == video.stat().st_size
    assert upload_event["ProcedureTaskId"] == changed["TaskId"] and "-procedurev2-" in changed["TaskId"]
    assert changed["SessionContext"] == "flow-ctx" and changed["Message"] == "SUCCESS"

    task = await asyncio.to_thread(sdk, client, "ProcessMedia", FileId=done.FileId,
                                   MediaProcessTask={"AdaptiveDynamicStreamingTaskSet": [{"Definition": 10}]},
                                   AiContentReviewTask={"Definition": 10})
    await vodm.dispatcher.drain()
    # The queue's 30 s confirm window is 30 ms at this time scale: the unconfirmed events above
    # may come again; the new task's event is among the next pulls.
    pt = None
    deadline = time.monotonic() + 10
    while pt is None and time.monotonic() < deadline:
        for e in (await asyncio.to_thread(sdk, client, "PullEvents"))["EventSet"]:
            if e["EventType"] == "ProcedureStateChanged" and e["ProcedureStateChangeEvent"]["TaskId"] == task["TaskId"]:
                pt = e["ProcedureStateChangeEvent"]
    assert pt is not None
    assert [r["Type"] for r in pt["MediaProcessResultSet"]] == ["AdaptiveDynamicStreaming"]
    assert [r["Type"] for r in pt["AiContentReviewResultSet"]] == ["Porn", "Terrorism", "Political"]


async def test_pull_upload_gives_pull_complete(served):
    url, vodm = served
    client = vod(url)
    await asyncio.to_thread(sdk, client, "ModifyEventConfig", Mode="PULL")
    task = await asyncio.to_thread(sdk, client, "PullUpload", MediaUrl="http://example.invalid/videos/trailer.mp4",
                                   SessionContext="pull-ctx", SessionId="pull-1")
    await vodm.dispatcher.drain()
    (event,) = (await asyncio.to_thread(sdk, client, "PullEvents"))["EventSet"]
    pulled = event["PullCompleteEvent"]
    assert event["EventType"] == "PullComplete" and pulled["TaskId"] == task["TaskId"]
    assert (pulled["SessionContext"], pulled["SessionId"]) == ("pull-ctx", "pull-1")
    assert pulled["MediaBasicInfo"]["Name"] == "trailer"
    info = await asyncio.to_thread(sdk, client, "DescribeMediaInfos", FileIds=[pulled["FileId"]])
    assert lean(info["MediaInfoSet"][0]["MetaData"]) == lean(pulled["MetaData"])
    detail = await asyncio.to_thread(sdk, client, "DescribeTaskDetail", TaskId=task["TaskId"])
    assert detail["TaskType"] == "PullUpload" and detail["PullUploadTask"]["FileId"] == pulled["FileId"]


async def test_errors_in_the_vendors_formats(served, monkeypatch):
    url, _ = served
    client = vod(url)
    cases = [("CommitUpload", {"VodSessionKey": "nope"}, "InvalidParameterValue.VodSessionKey"),
             ("ProcessMedia", {"FileId": "123", "MediaProcessTask": {"TranscodeTaskSet": [{"Definition": 100010}]}},
              "ResourceNotFound.FileNotExist"),
             ("ApplyUpload", {"MediaType": "exe"}, "InvalidParameterValue.MediaType"),
             ("DescribeTaskDetail", {"TaskId": "x"}, "InvalidParameterValue.TaskId")]
    for action, params, code in cases:
        with pytest.raises(TencentCloudSDKException) as err:
            await asyncio.to_thread(sdk, client, action, **params)
        assert err.value.get_code() == code, action
    applied = await asyncio.to_thread(sdk, client, "ApplyUpload", MediaType="mp4")
    with pytest.raises(TencentCloudSDKException) as err:     # nothing uploaded yet
        await asyncio.to_thread(sdk, client, "CommitUpload", VodSessionKey=applied["VodSessionKey"])
    assert err.value.get_code() == "FailedOperation"
    host, port = url.removeprefix("http://").split(":")
    cert = applied["TempCertificate"]
    wrong = CosS3Client(CosConfig(Region=applied["StorageRegion"], SecretId=cert["SecretId"], SecretKey="wrong",
                                  Token=cert["Token"], IP=host, Port=int(port), Scheme="http"))
    with pytest.raises(CosServiceError) as cos_err:
        await asyncio.to_thread(wrong.put_object, Bucket=applied["StorageBucket"],
                                Key=applied["MediaStoragePath"][1:], Body=b"x")
    assert (cos_err.value.get_status_code(), cos_err.value.get_error_code()) == (403, "SignatureDoesNotMatch")
    right = CosS3Client(CosConfig(Region=applied["StorageRegion"], SecretId=cert["SecretId"],
                                  SecretKey=cert["SecretKey"], Token=cert["Token"], IP=host, Port=int(port),
                                  Scheme="http"))
    with pytest.raises(CosServiceError) as cos_err:
        await asyncio.to_thread(right.list_parts, Bucket=applied["StorageBucket"],
                                Key=applied["MediaStoragePath"][1:], UploadId="missing")
    assert (cos_err.value.get_status_code(), cos_err.value.get_error_code()) == (404, "NoSuchUpload")


async def test_media_survive_a_restart(monkeypatch, tmp_path):
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    config = ServeConfig(data_dir=tmp_path / "data", tencent_time_scale=0.001)
    runner, state, url = await start(config)
    try:
        point_upload_client_at(monkeypatch, url)
        video = tmp_path / "a.mp4"
        video.write_bytes(mp4())
        file_id = (await asyncio.to_thread(upload, video)).FileId
        await runner.app[TENCENT_VOD].dispatcher.drain()
    finally:
        await runner.cleanup()
        state.close()
    runner, state, url = await start(config)
    try:
        infos = await asyncio.to_thread(sdk, vod(url), "DescribeMediaInfos", FileIds=[file_id])
        assert infos["MediaInfoSet"][0]["MetaData"]["Size"] == video.stat().st_size
    finally:
        await runner.cleanup()
        state.close()


@pytest.mark.parametrize(("headers", "query", "face"), [
    ({"Authorization": "q-sign-algorithm=sha1&q-ak=x&q-signature=y"}, "", "cos"),
    ({"Host": "abcvodgzp1500000001.cos.ap-guangzhou.myqcloud.com"}, "", "cos"),
    ({}, "q-sign-algorithm=sha1&q-signature=y", "cos"),
    ({"X-TC-Action": "ApplyUpload"}, "", "tencent"),
])
def test_cos_requests_go_to_the_cos_face(headers, query, face):
    from aiohttp.test_utils import make_mocked_request
    from emulator.server.routing import face_of
    assert face_of(make_mocked_request("PUT", "/key.mp4" + ("?" + query if query else ""), headers=headers)) == face


@pytest.mark.parametrize(("action", "params"), [
    ("ApplyUpload", {"MediaType": 5}),
    ("ApplyUpload", {"MediaType": "mp4", "SourceContext": "x" * 251}),
    ("ProcessMedia", {"FileId": ["x"]}),
    ("ProcessMedia", {"FileId": "1", "MediaProcessTask": {"TranscodeTaskSet": "100010"}}),
    ("ProcessMedia", {"FileId": "1", "MediaProcessTask": {"Nope": []}}),
    ("ProcessMedia", {"FileId": "1", "AiContentReviewTask": 10}),
    ("DescribeMediaInfos", {"FileIds": "123"}),
    ("DescribeMediaInfos", {"FileIds": ["1"], "Filters": ["everything"]}),
    ("DeleteMedia", {"FileId": "1", "DeleteParts": [{"Type": 3}]}),
    ("ModifyMediaInfo", {"FileId": "1", "AddTags": "a"}),
    ("DescribeTaskDetail", {}),
    ("PullUpload", {"MediaUrl": "ftp://x"}),
    ("CommitUpload", {"VodSessionKey": "k", "Extra": 1}),
])
async def test_bad_parameters_get_one_api_error(served, action, params):
    url, _ = served
    with pytest.raises(TencentCloudSDKException) as err:
        await asyncio.to_thread(_raw, url, action, params)
    assert err.value.get_code().split(".")[0] in (
        "InvalidParameter", "InvalidParameterValue", "MissingParameter", "UnknownParameter"), err.value.get_message()


def _raw(url: str, action: str, params: dict) -> dict:
    """Call ``action`` with exactly ``params`` (the SDK's models would drop or coerce bad values)."""
    return json.loads(vod(url).call(action, params))["Response"]


async def test_reset_forgets_tencent_media_objects_and_flows(served, monkeypatch, tmp_path):
    from tests.test_tencent_e2e import control

    url, vodm = served
    point_upload_client_at(monkeypatch, url)
    client = vod(url)
    video = tmp_path / "clip.mp4"
    video.write_bytes(mp4(seconds=2, width=320, height=180, fps=25))
    done = await asyncio.to_thread(upload, video, MediaName="to forget")
    await asyncio.to_thread(sdk, client, "ModifyEventConfig", Mode="PULL")
    await asyncio.to_thread(sdk, client, "ProcessMedia", FileId=done.FileId, SessionContext="ctx",
                            MediaProcessTask={"TranscodeTaskSet": [{"Definition": 100010}]})
    reset = await control(url, "reset", {})
    assert reset["deleted_media"] == 1 and reset["deleted_cos_objects"] == 1
    left = [p for p in (tmp_path / "data" / "cos").rglob("*") if p.is_file()]
    assert left == []
    info = await asyncio.to_thread(sdk, client, "DescribeMediaInfos", FileIds=[done.FileId])
    assert info["NotExistFileIdSet"] == [done.FileId]
    again = await asyncio.to_thread(upload, video, MediaName="after the reset")   # the faces still work
    assert again.FileId != done.FileId
