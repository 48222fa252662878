"""The fake VOD through the unchanged SDKs: API calls per second, and the time from
CompleteMultipartUpload to the receiver getting FileUploadComplete (target < 50 ms at time
scale 0).  serve runs in its own process; the receiver is an aiohttp server in this one.

    python bench/vod_api.py [--calls 300] [--uploads 30]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from urllib.parse import urlsplit

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import oss2  # noqa: E402
from aiohttp import web  # noqa: E402
from alibabacloud_tea_openapi import utils_models as open_api_models  # noqa: E402
from alibabacloud_vod20170321 import models as vod  # noqa: E402
from alibabacloud_vod20170321.client import Client  # noqa: E402
from aliyunsdkcore.client import AcsClient  # noqa: E402
from aliyunsdkvod.request.v20170321 import GetMessageCallbackRequest  # noqa: E402

KEY, SECRET = "vod-emulator", "vod-emulator-secret"
MP4 = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "tiny.mp4"), "rb").read()
CONFIG = "vod:\n  profiles:\n    bench: {outputs: [], snapshots: 0}\n"


class Receiver:
    """Records when each FileUploadComplete arrives (time.monotonic, shared by the processes)."""

    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}
        self.url = ""
        ready = threading.Event()
        threading.Thread(target=self._run, args=(ready,), daemon=True).start()
        ready.wait()

    def _run(self, ready: threading.Event) -> None:
        async def handle(request: web.Request) -> web.Response:
            body = await request.json()
            if body.get("EventType") == "FileUploadComplete":
                self.arrived[body["VideoId"]] = time.monotonic()
            return web.Response(text="ok")

        async def main() -> None:
            app = web.Application()
            app.router.add_post("/cb", handle)
            runner = web.AppRunner(app, access_log=None)
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            self.url = f"http://127.0.0.1:{runner.addresses[0][1]}/cb"
            ready.set()
            await asyncio.Event().wait()
        asyncio.run(main())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=300)
    ap.add_argument("--uploads", type=int, default=30)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cfg = os.path.join(tmp, "serve.yaml")
        with open(cfg, "w") as fh:
            fh.write(CONFIG)
        proc = subprocess.Popen([sys.executable, "-m", "emulator", "serve", "--port", "0", "--in-memory",
                                 "--vod-time-scale", "0", "--config", cfg], stdout=subprocess.PIPE, text=True)
        try:
            url = proc.stdout.readline().strip().rsplit(" ", 1)[1]
            run(url, args)
        finally:
            proc.terminate()
            proc.wait(5)


def run(url: str, args: argparse.Namespace) -> None:
    rx = Receiver()
    tea = Client(open_api_models.Config(access_key_id=KEY, access_key_secret=SECRET, region_id="cn-shanghai",
                                        endpoint=urlsplit(url).netloc, protocol="http"))
    tea.set_message_callback(vod.SetMessageCallbackRequest(callback_type="HTTP", callback_url=rx.url,
                                                           event_type_list="FileUploadComplete"))
    for _ in range(20):
        tea.get_message_callback(vod.GetMessageCallbackRequest())
    t0 = time.perf_counter()
    for _ in range(args.calls):
        tea.get_message_callback(vod.GetMessageCallbackRequest())
    tea_rate = args.calls / (time.perf_counter() - t0)
    core = AcsClient(KEY, SECRET, "cn-shanghai", auto_retry=False)
    t0 = time.perf_counter()
    for _ in range(args.calls):
        req = GetMessageCallbackRequest.GetMessageCallbackRequest()   # core grows a reused request's User-Agent
        req.set_endpoint(urlsplit(url).netloc)
        req.set_protocol_type("http")
        core.do_action_with_exception(req)
    core_rate = args.calls / (time.perf_counter() - t0)
    print(f"GetMessageCallback through alibabacloud-vod20170321 (ACS3): {tea_rate:.0f} calls/s")
    print(f"GetMessageCallback through aliyun-python-sdk-core (RPC):    {core_rate:.0f} calls/s")

    latencies = []
    warmup = 3          # the first upload loads the media parser and the pipeline's modules (~0.7 s)
    for i in range(args.uploads + warmup):
        created = tea.create_upload_video(vod.CreateUploadVideoRequest(title=f"b{i}", file_name="b.mp4",
                                                                       template_group_id="bench")).body
        address = json.loads(base64.b64decode(created.upload_address))
        auth = json.loads(base64.b64decode(created.upload_auth))
        bucket = oss2.Bucket(oss2.StsAuth(auth["AccessKeyId"], auth["AccessKeySecret"], auth["SecurityToken"]),
                             address["Endpoint"], address["Bucket"])
        key = address["FileName"]
        init = bucket.init_multipart_upload(key)
        part = bucket.upload_part(key, init.upload_id, 1, MP4)
        start = time.monotonic()
        bucket.complete_multipart_upload(key, init.upload_id, [oss2.models.PartInfo(1, part.etag)])
        deadline = time.monotonic() + 5
        while created.video_id not in rx.arrived and time.monotonic() < deadline:
            time.sleep(0.0005)
        if i >= warmup:
            latencies.append((rx.arrived.get(created.video_id, float("inf")) - start) * 1000)
    latencies.sort()
    p50 = statistics.median(latencies)
    p99 = latencies[min(len(latencies) - 1, round(0.99 * (len(latencies) - 1)))]
    print(f"CompleteMultipartUpload → FileUploadComplete received, {len(latencies)} uploads at time scale 0: "
          f"p50 {p50:.1f} ms, p99 {p99:.1f} ms, max {latencies[-1]:.1f} ms (target < 50 ms)")


if __name__ == "__main__":
    main()
