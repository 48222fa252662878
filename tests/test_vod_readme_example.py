# The README's "Run your application unchanged" example, verbatim: keep the two in step.
import asyncio, base64, json, pathlib

import oss2
from aiohttp import web
from alibabacloud_tea_openapi import utils_models as open_api_models
from alibabacloud_vod20170321 import models as vod
from alibabacloud_vod20170321.client import Client

from emulator.server.app import ServeConfig, start

MP4 = pathlib.Path(__file__).parent / "fixtures" / "tiny.mp4"     # any small MP4


async def test_upload_gives_callbacks_for_that_video(tmp_path):
    config = tmp_path / "serve.yaml"
    config.write_text("vod:\n  time_scale: 0\n")                   # processing at once
    runner, state, url = await start(ServeConfig(data_dir=tmp_path / "vod", config_file=config))
    got = []

    async def receive(request):                                      # your receiver
        got.append(await request.json())
        return web.Response(text="ok")
    app = web.Application()
    app.router.add_post("/vod/callback", receive)
    rx = web.AppRunner(app)
    await rx.setup()
    await web.TCPSite(rx, "127.0.0.1", 0).start()
    callback = f"http://127.0.0.1:{rx.addresses[0][1]}/vod/callback"
    try:
        # ---- the application code under test, unchanged but for the endpoint ----
        client = Client(open_api_models.Config(access_key_id="vod-emulator", access_key_secret="vod-emulator-secret",
                                               endpoint=url.split("://")[1], protocol="http"))

        def app_uploads() -> str:
            client.set_message_callback(vod.SetMessageCallbackRequest(callback_type="HTTP", callback_url=callback,
                                                                      event_type_list="ALL"))
            resp = client.create_upload_video(vod.CreateUploadVideoRequest(title="demo", file_name="demo.mp4"))
            address = json.loads(base64.b64decode(resp.body.upload_address))
            auth = json.loads(base64.b64decode(resp.body.upload_auth))
            bucket = oss2.Bucket(oss2.StsAuth(auth["AccessKeyId"], auth["AccessKeySecret"], auth["SecurityToken"]),
                                 address["Endpoint"], address["Bucket"])
            bucket.put_object_from_file(address["FileName"], str(MP4))
            return resp.body.video_id
        video_id = await asyncio.to_thread(app_uploads)
        # ---- what the test checks: the callbacks that followed ----
        await state.vod.settle()                                     # or poll until they arrive
        assert got[0]["EventType"] == "FileUploadComplete" and got[0]["VideoId"] == video_id
        assert got[0]["Size"] == MP4.stat().st_size
        assert {e["EventType"] for e in got} >= {"StreamTranscodeComplete", "TranscodeComplete", "SnapshotComplete"}
        play = await asyncio.to_thread(client.get_play_info, vod.GetPlayInfoRequest(video_id=video_id))
        assert len(play.body.play_info_list.play_info) == 3          # LD, SD, HD: the default profile
    finally:
        await rx.cleanup()
        await runner.cleanup()
        state.close()
