"""A user's application, unchanged: the VOD SDK creates an upload, oss2 puts a real MP4 into
serve's OSS stand-in, the receiver gets FileUploadComplete and the processing events for that
VideoId with the file's real size and duration; the reads agree with what was sent."""

from __future__ import annotations

import asyncio
import base64
import json
from pathlib import Path

import oss2
import pytest
from alibabacloud_tea_openapi.exceptions import ClientException
from alibabacloud_vod20170321 import models as vod

from emulator.server.app import ServeConfig, start

from .vod_clients import tea_client

FIXTURE = Path(__file__).parent / "fixtures" / "tiny.mp4"     # H.264, 160x90, 2.5 s, made with PyAV


@pytest.fixture
async def server(tmp_path):
    config = tmp_path / "serve.yaml"
    config.write_text("vod:\n  time_scale: 0\n  profiles:\n    two:\n      outputs: [LD, {definition: SD, format: m3u8}]\n"
                      "      snapshots: 2\n    broken:\n      outputs: [LD, SD]\n      fail: {definitions: [SD]}\n"
                      "  bindings: {tg-broken: broken}\n")
    runner, state, url = await start(ServeConfig(data_dir=tmp_path / "data", config_file=config))
    yield url, state
    await runner.cleanup()
    state.close()


def decode(value: str) -> dict:
    return json.loads(base64.b64decode(value))


def oss_bucket(resp_body) -> tuple[oss2.Bucket, str]:
    address, auth = decode(resp_body.upload_address), decode(resp_body.upload_auth)
    sts = oss2.StsAuth(auth["AccessKeyId"], auth["AccessKeySecret"], auth["SecurityToken"])
    return oss2.Bucket(sts, address["Endpoint"], address["Bucket"]), address["FileName"]


async def set_callback(client, url: str, events: str = "ALL") -> None:
    await asyncio.to_thread(client.set_message_callback,
                            vod.SetMessageCallbackRequest(callback_type="HTTP", callback_url=url, event_type_list=events))


async def test_upload_with_oss2_then_callbacks_and_reads_agree(server, scripted):
    url, state = server
    rx = await scripted([200])
    client = tea_client(url)
    await set_callback(client, rx.url)
    created = await asyncio.to_thread(client.create_upload_video, vod.CreateUploadVideoRequest(
        title="tiny", file_name="tiny.mp4", template_group_id="two",
        user_data=json.dumps({"Extend": {"order": 42}})))
    video_id = created.body.video_id
    bucket, key = oss_bucket(created.body)
    assert bucket.endpoint.startswith(url) and key.endswith(".mp4")
    await asyncio.to_thread(bucket.put_object_from_file, key, str(FIXTURE))
    await state.vod.settle()
    events = [h.json() for h in rx.hits]
    kinds = [e["EventType"] for e in events]
    assert kinds[0] == "FileUploadComplete"
    assert sorted(kinds) == sorted(["FileUploadComplete", "StreamTranscodeComplete", "StreamTranscodeComplete",
                                    "TranscodeComplete", "SnapshotComplete"])
    assert {e["VideoId"] for e in events} == {video_id}
    upload = events[0]
    assert upload["Size"] == FIXTURE.stat().st_size and upload["Extend"] == '{"order":42}'
    streams = [e for e in events if e["EventType"] == "StreamTranscodeComplete"]
    assert {(s["Definition"], s["Format"]) for s in streams} == {("LD", "mp4"), ("SD", "m3u8")}
    assert all(s["Duration"] == 2.5 for s in streams)

    info = await asyncio.to_thread(client.get_video_info, vod.GetVideoInfoRequest(video_id=video_id))
    assert (info.body.video.status, info.body.video.duration, info.body.video.size) == (
        "Normal", 2.5, FIXTURE.stat().st_size)
    mezz = await asyncio.to_thread(client.get_mezzanine_info, vod.GetMezzanineInfoRequest(video_id=video_id))
    assert (mezz.body.mezzanine.width, mezz.body.mezzanine.height, mezz.body.mezzanine.size) == (
        160, 90, FIXTURE.stat().st_size)
    play = await asyncio.to_thread(client.get_play_info, vod.GetPlayInfoRequest(video_id=video_id))
    got = {(p.definition, p.format, p.size, p.play_url) for p in play.body.play_info_list.play_info}
    assert got == {(s["Definition"], s["Format"], s["Size"], s["FileUrl"]) for s in streams}
    head = await asyncio.to_thread(bucket.head_object, key)
    assert head.content_length == FIXTURE.stat().st_size


async def test_multipart_upload_failure_profile_and_delete(server, scripted):
    url, state = server
    rx = await scripted([200])
    client = tea_client(url)
    await set_callback(client, rx.url)
    created = await asyncio.to_thread(client.create_upload_video, vod.CreateUploadVideoRequest(
        title="big", file_name="big.mp4", template_group_id="tg-broken"))
    bucket, key = oss_bucket(created.body)
    data = FIXTURE.read_bytes()
    data += (8 + 150_000).to_bytes(4, "big") + b"free" + bytes(150_000)   # a valid MP4 with a 'free' box
    init = await asyncio.to_thread(bucket.init_multipart_upload, key)
    parts = []
    for n, chunk in enumerate((data[:100 * 1024], data[100 * 1024:]), 1):
        r = await asyncio.to_thread(bucket.upload_part, key, init.upload_id, n, chunk)
        parts.append(oss2.models.PartInfo(n, r.etag))
    await asyncio.to_thread(bucket.complete_multipart_upload, key, init.upload_id, parts)
    await state.vod.settle()
    events = {h.json()["EventType"]: h.json() for h in rx.hits}
    assert events["FileUploadComplete"]["Size"] == len(data)
    assert events["TranscodeComplete"]["Status"] == "success"     # one of two streams made it
    assert [s["Status"] for s in events["TranscodeComplete"]["StreamInfos"]] == ["success", "fail"]
    video_id = created.body.video_id
    play = await asyncio.to_thread(client.get_play_info, vod.GetPlayInfoRequest(video_id=video_id))
    assert [p.definition for p in play.body.play_info_list.play_info] == ["LD"]

    rx.hits.clear()
    await asyncio.to_thread(client.delete_video, vod.DeleteVideoRequest(video_ids=video_id))
    await state.vod.settle()
    assert [h.json()["EventType"] for h in rx.hits] == ["DeleteMediaComplete"]
    assert rx.hits[0].json()["MediaId"] == video_id
    with pytest.raises(ClientException) as err:
        await asyncio.to_thread(client.get_video_info, vod.GetVideoInfoRequest(video_id=video_id))
    assert (err.value.status_code, err.value.code) == (404, "InvalidVideo.NotFound")


async def test_oss_refuses_bad_signatures_other_objects_and_unknown_uploads(server):
    url, _ = server
    client = tea_client(url)
    created = await asyncio.to_thread(client.create_upload_video,
                                      vod.CreateUploadVideoRequest(title="t", file_name="t.mp4"))
    bucket, key = oss_bucket(created.body)
    auth = decode(created.body.upload_auth)
    wrong = oss2.Bucket(oss2.StsAuth(auth["AccessKeyId"], "not-the-secret", auth["SecurityToken"]), url,
                        bucket.bucket_name)
    with pytest.raises(oss2.exceptions.SignatureDoesNotMatch):
        await asyncio.to_thread(wrong.put_object, key, b"x")
    no_token = oss2.Bucket(oss2.Auth(auth["AccessKeyId"], auth["AccessKeySecret"]), url, bucket.bucket_name)
    with pytest.raises(oss2.exceptions.ServerError) as err:
        await asyncio.to_thread(no_token.put_object, key, b"x")
    assert (err.value.status, err.value.code) == (403, "InvalidSecurityToken")
    with pytest.raises(oss2.exceptions.AccessDenied):
        await asyncio.to_thread(bucket.put_object, "sv/other/other.mp4", b"x")
    with pytest.raises(oss2.exceptions.NoSuchUpload):
        await asyncio.to_thread(bucket.upload_part, key, "0" * 32, 1, b"x")
    with pytest.raises(oss2.exceptions.NoSuchKey):
        await asyncio.to_thread(bucket.head_object, key)
    with pytest.raises(ClientException) as err2:
        await asyncio.to_thread(client.create_upload_video, vod.CreateUploadVideoRequest(title="t"))
    assert (err2.value.status_code, err2.value.code) == (400, "MissingParameter")


async def test_control_api_lists_media_jobs_runs_and_reset_clears_them(server, scripted):
    import aiohttp
    url, state = server
    rx = await scripted([200])
    client = tea_client(url)
    await set_callback(client, rx.url, "FileUploadComplete")
    created = await asyncio.to_thread(client.create_upload_video,
                                      vod.CreateUploadVideoRequest(title="t", file_name="t.mp4"))
    bucket, key = oss_bucket(created.body)
    await asyncio.to_thread(bucket.put_object_from_file, key, str(FIXTURE))
    await state.vod.settle()
    video_id = created.body.video_id
    async with aiohttp.ClientSession() as s:
        async with s.get(f"{url}/_emulator/media/{video_id}") as r:
            doc = await r.json()
        assert doc["status"] == "Normal" and doc["duration"] == 2.5 and len(doc["streams"]) == 3
        assert {j["kind"] for j in doc["jobs"]} == {"transcode", "snapshot"}
        async with s.get(f"{url}/_emulator/runs") as r:
            runs = await r.json()
        assert runs[-1]["command"] == "vod:FileUploadComplete" and runs[-1]["ok"]
        assert runs[-1]["not_selected"] == {"StreamTranscodeComplete": 3, "TranscodeComplete": 1,
                                            "SnapshotComplete": 1}
        async with s.post(f"{url}/_emulator/reset", json={}) as r:
            doc = await r.json()
        assert doc["deleted_media"] == 1 and doc["deleted_objects"] == 1
        async with s.get(f"{url}/_emulator/media") as r:
            assert await r.json() == []
    assert [h.json()["EventType"] for h in rx.hits] == ["FileUploadComplete"]


async def test_oss2_resumable_upload_completes_the_media(server, tmp_path):
    url, state = server
    client = tea_client(url)
    created = await asyncio.to_thread(client.create_upload_video,
                                      vod.CreateUploadVideoRequest(title="r", file_name="r.mp4"))
    bucket, key = oss_bucket(created.body)
    data = FIXTURE.read_bytes() + (8 + 300_000).to_bytes(4, "big") + b"free" + bytes(300_000)
    source = tmp_path / "r.mp4"
    source.write_bytes(data)
    await asyncio.to_thread(oss2.resumable_upload, bucket, key, str(source), multipart_threshold=100 * 1024,
                            part_size=100 * 1024, store=oss2.ResumableStore(root=str(tmp_path)))
    await state.vod.settle()
    media = state.vod.library.get(created.body.video_id)
    assert (media.size, media.duration, media.width) == (len(data), 2.5, 160)


async def test_image_update_snapshot_and_audit_give_their_events(server, scripted):
    url, state = server
    rx = await scripted([200])
    client = tea_client(url)
    await set_callback(client, rx.url)
    image = await asyncio.to_thread(client.create_upload_image, vod.CreateUploadImageRequest(image_type="cover",
                                                                                            image_ext="png"))
    bucket, key = oss_bucket(image.body)
    await asyncio.to_thread(bucket.put_object, key, b"\x89PNG" + bytes(996))
    created = await asyncio.to_thread(client.create_upload_video, vod.CreateUploadVideoRequest(
        title="old", file_name="v.mp4", template_group_id="VOD_NO_TRANSCODE"))
    vbucket, vkey = oss_bucket(created.body)
    await asyncio.to_thread(vbucket.put_object_from_file, vkey, str(FIXTURE))
    await state.vod.settle()
    video_id = created.body.video_id
    await asyncio.to_thread(client.update_video_info, vod.UpdateVideoInfoRequest(video_id=video_id, title="new"))
    snap = await asyncio.to_thread(client.submit_snapshot_job, vod.SubmitSnapshotJobRequest(video_id=video_id,
                                                                                           count=2))
    audit = await asyncio.to_thread(client.submit_aimedia_audit_job,
                                    vod.SubmitAIMediaAuditJobRequest(media_id=video_id))
    await state.vod.settle()
    by_type = {h.json()["EventType"]: h.json() for h in rx.hits}
    assert by_type["ImageUploadComplete"]["Size"] == 1000 and by_type["ImageUploadComplete"]["ImageId"] == \
        image.body.image_id
    assert set(by_type) == {"ImageUploadComplete", "FileUploadComplete", "MediaBaseChangeComplete",
                            "SnapshotComplete", "AIMediaAuditComplete"}     # VOD_NO_TRANSCODE: no streams
    assert json.loads(by_type["MediaBaseChangeComplete"]["MediaContent"]["Title"]) == {"OldValue": "old",
                                                                                       "NewValue": "new"}
    assert snap.body.snapshot_job.job_id and audit.body.media_id == video_id
    info = await asyncio.to_thread(client.get_video_info, vod.GetVideoInfoRequest(video_id=video_id))
    assert (info.body.video.title, info.body.video.status) == ("new", "Normal")
