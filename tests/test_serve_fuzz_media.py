"""A bounded, seeded fuzz of serve's media faces on one port — the Alibaba VOD OpenAPI (ACS3
and RPC signatures, its JSON error envelope), the OSS stand-in (V1 signatures, XML errors) and
the COS stand-in (q-sign signatures, XML errors).  Most requests are validly signed, so they
reach the handlers with mutated parameters, keys and bodies; the rest are unsigned or badly
signed.  Every answer is below 500 and in the face's own error format, nothing is written
outside the data dir, and afterwards the unchanged vendor SDKs still do a normal round trip."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import random
import time
import uuid
import xml.dom.minidom
from datetime import datetime, timezone
from email.utils import formatdate
from pathlib import Path
from urllib.parse import quote, unquote

import aiohttp
import oss2
import pytest
from alibabacloud_vod20170321 import models as vod
from qcloud_cos import CosConfig, CosS3Client
from yarl import URL

from emulator.server.app import ServeConfig, start
from emulator.server.cos import auth as cos_auth
from emulator.server.cos import wire as cos_wire
from emulator.server.mns import DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET
from emulator.server.oss import auth as oss_auth
from emulator.server.oss.wire import Target
from emulator.server.tencent_api import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY
from emulator.server.vod_api.auth import rpc_string_to_sign
from emulator.server.vod_api.handlers import ACTIONS

from .vod_clients import tea_client

REQUESTS = 360
SEED = 20261203
FIXTURE = Path(__file__).parent / "fixtures" / "tiny.mp4"
COS_BUCKET = "fuzz-1250000000"
PARAMS = ["BusinessType", "Count", "Definition", "FileName", "Formats", "ImageExt", "ImageType", "Match",
          "MediaExt", "MediaId", "PageNo", "PageSize", "SearchType", "SortBy", "Status", "TemplateGroupId",
          "Title", "UploadMetadatas", "UploadURLs", "UserData", "VideoId", "VideoIds", "CallbackType",
          "CallbackURL", "EventTypeList", "AuthSwitch", "AuthKey", "MnsQueueName", "MnsEndpoint", "RegionId",
          "StorageLocation", "CoverURL", "CateId", "Tags", "Description", "FileSize", "Nope"]
KEYS = ["../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "%2e%2e/%2e%2e/etc/passwd", "..", ".", "%2e%2e", "a/../../b",
        "/abs/olute", "x" * 300, "ü/ñ.mp4", "sub/dir/v.mp4", "%00nul", "a%2Fb", "..\\..\\win", "%ED%A0%80", ""]


def value(rng: random.Random) -> str:
    return rng.choice(["", "x" * 4000, "-1", "0", "1", "3", "10" * 20, "1e309", "NaN", "1.5", "true", "null", "[]",
                       "{}", '{"Extend":', '{"MessageCallback":{"CallbackURL":1}}', "ü\u0000\ud7ff", "../../x",
                       "http://127.0.0.1:9/cb", "ftp://127.0.0.1/x", "HTTP", "MNS", "ALL", "on", "cn-shanghai",
                       "nope-region", "a,b,,c", "video", "cover", "mp4", "LD,SD", ",,,", "%zz", "Normal", "[" * 2000,
                       '{"Extend":"' + "{" * 2000 + '"}', "http://[::1", "http://127.0.0.1:99999/a.mp4"])


def params(rng: random.Random, known: list[str]) -> dict[str, str]:
    out = {rng.choice(PARAMS): value(rng) for _ in range(rng.randrange(6))}
    huge = [k for k, v in out.items() if len(v) > 100]
    for k in huge[1:]:           # one huge value: the request line stays within aiohttp's 8190 bytes
        out[k] = "x"
    if known and rng.random() < 0.4:
        out[rng.choice(["VideoId", "MediaId", "VideoIds"])] = rng.choice(known)
    return out


def enc(text: str) -> str:
    return quote(text, safe="~")


def rpc_signature(method: str, p: dict[str, str]) -> str:
    """aliyun-python-sdk-core's HMAC-SHA1 ``Signature`` over the parameters."""
    key = f"{DEFAULT_ACCESS_KEY_SECRET}&".encode()
    return base64.b64encode(hmac.new(key, rpc_string_to_sign(method, p).encode(), hashlib.sha1).digest()).decode()


def rpc_form(action: str, p: dict[str, str]) -> bytes:
    """A signed RPC call as a POST form body."""
    p = dict(p, Action=action, Version="2017-03-21", Format="JSON", AccessKeyId=DEFAULT_ACCESS_KEY_ID,
             SignatureMethod="HMAC-SHA1", SignatureVersion="1.0", SignatureNonce=uuid.uuid4().hex,
             Timestamp=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
    p["Signature"] = rpc_signature("POST", p)
    return "&".join(f"{enc(k)}={enc(v)}" for k, v in p.items()).encode()


def vod_request(rng: random.Random, url: str, host: str, known: list[str]):
    action = rng.choice([*ACTIONS, *ACTIONS, "NoSuchAction", "", "getvideoinfo", "x" * 200])
    p = params(rng, known)
    style = rng.choice(["acs3", "acs3", "rpc", "rpc", "unsigned", "badsig"])
    method = rng.choice(["POST", "POST", "GET"]) if rng.random() < 0.9 else rng.choice(["PUT", "DELETE", "PATCH"])
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if rng.random() < 0.05:
        stamp = rng.choice(["2001-01-01T00:00:00Z", "yesterday", ""])
    headers = {"Host": host}
    body = b""
    if style in ("rpc", "badsig") or (style == "unsigned" and rng.random() < 0.5):
        p.update(Action=action, Version=rng.choice(["2017-03-21"] * 8 + ["2014-01-01", ""]), Format="JSON",
                 AccessKeyId=rng.choice([DEFAULT_ACCESS_KEY_ID] * 8 + ["nobody", ""]), SignatureMethod=rng.choice(
                     ["HMAC-SHA1"] * 8 + ["HMAC-MD5"]), SignatureVersion="1.0", SignatureNonce=uuid.uuid4().hex,
                 Timestamp=stamp)
        if style != "unsigned":
            p["Signature"] = rpc_signature(method, p)
        if style == "badsig":
            p["Signature"] = rng.choice(["", "AAAA", p["Signature"][::-1], "%%%"])
        form = "&".join(f"{enc(k)}={enc(v)}" for k, v in p.items())
        if method == "POST" and rng.random() < 0.7:
            body, headers["Content-Type"] = form.encode(), "application/x-www-form-urlencoded"
            query = ""
        else:
            query = form
        if body or rng.random() < 0.3:     # aliyun-python-sdk-core sends it too (a form body routes by it)
            headers["x-acs-action"] = action
    else:
        query = "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted(p.items()))
        body = rng.choice([b"", b"", b"{not json", rng.randbytes(64), b"a=%zz&&=", json.dumps(p).encode()])
        sha = hashlib.sha256(body).hexdigest()
        headers.update({"x-acs-action": action, "x-acs-version": rng.choice(["2017-03-21"] * 8 + ["1.0"]),
                        "x-acs-date": stamp, "x-acs-signature-nonce": uuid.uuid4().hex, "x-acs-content-sha256": sha})
        if body and rng.random() < 0.5:
            headers["Content-Type"] = rng.choice(["application/x-www-form-urlencoded", "application/json"])
        signed = sorted(k.lower() for k in headers if k.lower().startswith("x-acs-") or k == "Host")
        canon_query = "&".join(sorted(q for q in query.split("&") if q))
        canon_headers = "".join(f"{n}:{headers[next(k for k in headers if k.lower() == n)].strip()}\n" for n in signed)
        canonical = f"{method}\n/\n{canon_query}\n{canon_headers}\n{';'.join(signed)}\n{sha}"
        to_sign = f"ACS3-HMAC-SHA256\n{hashlib.sha256(canonical.encode()).hexdigest()}"
        sig = hmac.new(DEFAULT_ACCESS_KEY_SECRET.encode(), to_sign.encode(), hashlib.sha256).hexdigest()
        if style == "badsig":
            sig = sig[::-1]
        if style != "unsigned" or rng.random() < 0.5:
            headers["Authorization"] = rng.choice([f"ACS3-HMAC-SHA256 Credential={DEFAULT_ACCESS_KEY_ID},"
                                                   f"SignedHeaders={';'.join(signed)},Signature={sig}"] * 9
                                                  + ["ACS3-HMAC-SHA256 garbage", "Bearer x"])
    headers["X-Fuzz"] = style
    return "vod", method, URL(f"{url}/?{query}" if query else f"{url}/", encoded=True), headers, body


def oss_request(rng: random.Random, url: str, host: str, bucket: str, uploads: list[str]):
    key = rng.choice(KEYS)
    bkt = rng.choice([bucket] * 8 + ["..", "nobucket", "%2e%2e"])
    method = rng.choice(["PUT", "PUT", "GET", "HEAD", "POST", "DELETE", "PATCH"])
    query = rng.choice([{}, {}, {"uploads": ""}, {"uploadId": rng.choice(uploads or ["none"]),
                                                  "partNumber": rng.choice(["1", "0", "-1", "10001", "x", ""])},
                        {"uploadId": rng.choice(uploads or ["none"])}, {"uploadId": "../../x"}, {"acl": ""}])
    body = rng.choice([b"", b"hello", rng.randbytes(300), b"<CompleteMultipartUpload><Part><PartNumber>1"
                       b"</PartNumber><ETag>x</ETag></Part></CompleteMultipartUpload>", b"<Complete", b"<a>&bad;</a>",
                       b"<CompleteMultipartUpload><Part><PartNumber>-1</PartNumber></Part></CompleteMultipartUpload>"])
    headers = {"Host": host, "Date": formatdate(usegmt=True), "Content-Type": rng.choice(
        ["application/octet-stream", "text/xml", ""])}
    if rng.random() < 0.1:
        headers["Content-MD5"] = rng.choice(["bad", base64.b64encode(hashlib.md5(body).digest()).decode()])
    if rng.random() < 0.1:
        headers[rng.choice(["Date", "x-oss-date"])] = rng.choice(["yesterday", "Mon, 99 Foo 9999 99:99:99 GMT", ""])
    if rng.random() < 0.1:
        headers["x-oss-meta-big"] = "m" * rng.choice([10, 4000])
    raw_query = "&".join(f"{k}={enc(v)}" if v else k for k, v in query.items())
    target = Target(unquote(bkt), unquote(key))
    to_sign = oss_auth.string_to_sign(method, target, query, headers)
    sig = base64.b64encode(hmac.new(DEFAULT_ACCESS_KEY_SECRET.encode(), to_sign.encode(), hashlib.sha1).digest())
    style = rng.choice(["signed"] * 6 + ["badsig", "unsigned", "v4", "oddkey"])
    headers["Authorization"] = {"signed": f"OSS {DEFAULT_ACCESS_KEY_ID}:{sig.decode()}",
                                "badsig": f"OSS {DEFAULT_ACCESS_KEY_ID}:AAAA", "unsigned": "OSS nocolon",
                                "v4": "OSS4-HMAC-SHA256 Credential=x", "oddkey": "OSS ü:x"}[style]
    if style == "v4":        # as oss2 sends it with auth_version v4
        headers["x-oss-content-sha256"] = "UNSIGNED-PAYLOAD"
    path = quote(f"/{bkt}/{key}", safe="/%\\")
    headers["X-Fuzz"] = style
    return "oss", method, URL(f"{url}{path}" + (f"?{raw_query}" if raw_query else ""), encoded=True), headers, body


def cos_sign(method: str, url: str, path: str, query: dict[str, str], host: str, sign_time: str,
             ak: str = DEFAULT_SECRET_ID, spoil: bool = False) -> str:
    """The Authorization cos-python-sdk-v5 sends (``host`` and every query parameter signed)."""
    signed_params = {k.lower(): cos_auth._enc(v) for k, v in query.items()}
    key = cos_wire.target(host, URL(url + path, encoded=True).path)[2]     # the key as serve reads it
    to_sign = cos_auth.string_to_sign(method, "/" + key, signed_params, {"host": cos_auth._enc(host)}, sign_time)
    sig = cos_auth.signature(DEFAULT_SECRET_KEY, sign_time, to_sign)
    return (f"q-sign-algorithm=sha1&q-ak={ak}&q-sign-time={sign_time}&q-key-time={sign_time}&q-header-list=host"
            f"&q-url-param-list={';'.join(sorted(signed_params))}&q-signature={sig[::-1] if spoil else sig}")


def cos_request(rng: random.Random, url: str, host: str, uploads: list[str]):
    key = rng.choice(KEYS)
    virtual = rng.random() < 0.5
    bkt = rng.choice([COS_BUCKET] * 8 + ["..", ".", "%2e%2e", "x" * 300])
    method = rng.choice(["PUT", "PUT", "GET", "HEAD", "POST", "DELETE", "PATCH"])
    query = rng.choice([{}, {}, {"uploads": ""}, {"uploadId": rng.choice(uploads or ["none"]),
                                                  "partNumber": rng.choice(["1", "0", "-1", "10001", "x", ""])},
                        {"uploadId": rng.choice(uploads or ["none"]), "max-parts": rng.choice(["-5", "x", "2"])},
                        {"uploadId": "../../x"}, {"prefix": "../"}])
    body = rng.choice([b"", b"hello", rng.randbytes(300), b"<CompleteMultipartUpload><Part><PartNumber>1"
                       b"</PartNumber><ETag>x</ETag></Part></CompleteMultipartUpload>", b"<Complete", b"<a>&bad;</a>"])
    headers = {"Host": f"{bkt}.cos.ap-guangzhou.myqcloud.com" if virtual and bkt.replace("-", "").isalnum() else host}
    path = quote(f"/{key}" if headers["Host"] != host else f"/{bkt}/{key}", safe="/%\\")
    now = int(time.time())
    sign_time = rng.choice([f"{now - 60};{now + 600}"] * 8 + ["1;2", "x;y", ""])
    style = rng.choice(["signed"] * 6 + ["badsig", "unsigned", "oddak"])
    if style != "unsigned":
        headers["Authorization"] = cos_sign(method, url, path, query, headers["Host"], sign_time,
                                            "nobody" if style == "oddak" else DEFAULT_SECRET_ID, style == "badsig")
    raw_query = "&".join(f"{k}={enc(v)}" if v else k for k, v in query.items())
    headers["X-Fuzz"] = style
    face = "cos" if "Authorization" in headers or headers["Host"] != host else "mns"   # routing.py's rule
    return face, method, URL(f"{url}{path}" + (f"?{raw_query}" if raw_query else ""), encoded=True), headers, body


def check(face: str, method: str, status: int, headers, text: bytes) -> str:
    """The error code of the answer ('' for a success), after checking its format."""
    allowed = 501 if face == "oss" else 0         # OSS's documented NotImplemented is a 501
    assert status < 500 or status == allowed, (face, status, text[:300])
    if face == "vod":
        assert headers["Content-Type"].startswith("application/json"), (status, text[:200])
        doc = json.loads(text)
        assert doc["RequestId"], doc
        if status >= 400:
            assert doc["Code"] and doc["Message"] and doc["HostId"], doc
            return doc["Code"]
        return ""
    if status < 400:
        return ""
    if face == "mns":          # an unsigned path-style request is not recognisably COS's
        assert headers.get("x-mns-request-id"), headers
        return "mns"
    if method == "HEAD":
        if face == "oss":
            text = base64.b64decode(headers["x-oss-err"])
        else:
            assert headers.get("x-cos-request-id"), headers
            return str(status)
    root = xml.dom.minidom.parseString(text).documentElement
    assert root.tagName == "Error", text[:300]
    code = root.getElementsByTagName("Code")[0].firstChild.data
    assert code and root.getElementsByTagName("RequestId"), text[:300]
    if face == "oss":
        assert status != 501 or code == "NotImplemented", text[:300]
    return code


def files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


@pytest.fixture
async def serve(tmp_path):
    runner, state, url = await start(ServeConfig(data_dir=tmp_path / "d", tencent_time_scale=0.001,
                                                 vod_time_scale=0))
    yield url, state
    await runner.cleanup()
    state.close()


async def test_fuzzed_media_requests_get_each_face_s_own_answers_and_the_sdks_still_work(serve, tmp_path,
                                                                                          monkeypatch):
    url, state = serve
    host = url.removeprefix("http://")
    data = tmp_path / "d"
    around = {d: set(d.iterdir()) for d in (tmp_path.parent, tmp_path.parent.parent)}
    client = tea_client(url)
    created = await asyncio.to_thread(client.create_upload_video,
                                      vod.CreateUploadVideoRequest(title="seed", file_name="seed.mp4"))
    bucket = json.loads(base64.b64decode(created.body.upload_address))["Bucket"]
    known = [created.body.video_id, "nope", ""]
    before = [p.name for p in data.iterdir()]
    oss_uploads: list[str] = []
    cos_uploads: list[str] = []
    rng = random.Random(SEED)
    seen: dict[str, dict[str, int]] = {"vod": {}, "oss": {}, "cos": {}, "mns": {}}
    async with aiohttp.ClientSession(auto_decompress=False) as session:
        async def one(face, method, target, headers, body) -> None:
            async with session.request(method, target, data=body, headers=headers,
                                       skip_auto_headers=("Content-Type",)) as r:
                text = await r.read()
                code = check(face, method, r.status, r.headers, text)
                seen[face][code] = seen[face].get(code, 0) + 1
                if r.status == 200 and b"<UploadId>" in text:
                    up = xml.dom.minidom.parseString(text).getElementsByTagName("UploadId")[0].firstChild.data
                    (oss_uploads if face == "oss" else cos_uploads).append(up)

        for _ in range(REQUESTS // 12):
            batch = []
            for _ in range(12):
                face = rng.choice(["vod", "oss", "cos"])
                batch.append(vod_request(rng, url, host, known) if face == "vod" else
                             oss_request(rng, url, host, bucket, oss_uploads) if face == "oss" else
                             cos_request(rng, url, host, cos_uploads))
            await asyncio.gather(*(one(*req) for req in batch))
    for face in ("vod", "oss", "cos"):      # the fuzz reached past the auth layer into the handlers
        codes = seen[face]
        assert "" in codes and sum(codes.values()) > REQUESTS // 5, (face, codes)

    assert {d: set(d.iterdir()) for d in around} == around     # nothing written beside the test's own folder
    assert all(p.resolve().is_relative_to(data.resolve()) for p in files(tmp_path)), files(tmp_path)
    cos = data / "cos"          # objects live at cos/<bucket>/<quoted key>, parts in cos/.uploads/
    assert all(len(p.relative_to(cos).parts) == 2 for p in files(cos)), sorted(files(cos))
    assert {p.name for p in data.iterdir()} <= {*before, "callbacks.json"}, sorted(data.iterdir())

    def vod_round_trip() -> str:
        made = client.create_upload_video(vod.CreateUploadVideoRequest(title="after", file_name="after.mp4"))
        address = json.loads(base64.b64decode(made.body.upload_address))
        sts = json.loads(base64.b64decode(made.body.upload_auth))
        oss_bucket = oss2.Bucket(oss2.StsAuth(sts["AccessKeyId"], sts["AccessKeySecret"], sts["SecurityToken"]),
                                 address["Endpoint"], address["Bucket"])
        oss_bucket.put_object_from_file(address["FileName"], str(FIXTURE))
        assert oss_bucket.get_object(address["FileName"]).read() == FIXTURE.read_bytes()
        client.get_message_callback(vod.GetMessageCallbackRequest())
        return made.body.video_id

    def cos_round_trip() -> bytes:
        ip, port = host.split(":")
        cos = CosS3Client(CosConfig(Region="ap-guangzhou", SecretId=DEFAULT_SECRET_ID, SecretKey=DEFAULT_SECRET_KEY,
                                    IP=ip, Port=int(port), Scheme="http"))
        cos.put_object(Bucket=COS_BUCKET, Key="after/fuzz.bin", Body=b"still fine")
        return cos.get_object(Bucket=COS_BUCKET, Key="after/fuzz.bin")["Body"].get_raw_stream().read()

    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    assert await asyncio.to_thread(cos_round_trip) == b"still fine"
    video_id = await asyncio.to_thread(vod_round_trip)
    await state.vod.settle()
    info = await asyncio.to_thread(client.get_video_info, vod.GetVideoInfoRequest(video_id=video_id))
    assert info.body.video.size == FIXTURE.stat().st_size


async def _chunks(count: int):
    for _ in range(count):
        yield b"a=" + b"x" * 65536


# What the fuzz found, kept as fixed cases: (face, method, path or VOD action, VOD params, status, code).
DEEP = "[" * 100_000
FOUND = [
    ("cos", "PUT", f"/{COS_BUCKET}/{'k' * 300}", None, 200, ""),        # was 500: file name too long
    ("cos", "PUT", f"/{COS_BUCKET}/%2e%2e", None, 200, ""),              # was 500: the key ".." named the bucket dir
    ("cos", "PUT", "/%2e%2e/escaped", None, 200, ""),                    # was written to <data>/escaped, beside cos/
    ("cos", "GET", f"/{COS_BUCKET}/%00nul", None, 404, "NoSuchKey"),      # was a NUL inside the XML: unparsable
    ("oss", "PUT", "/{bucket}/%00nul", None, 403, "SignatureDoesNotMatch"),  # the same in OSS's StringToSign
    ("vod", "POST", "GetVideoInfo", None, 400, "InvalidParameter"),      # was 500: a chunked body over 1 MB
    ("vod", "POST", "CreateUploadVideo", {"Title": "t", "FileName": "a.mp4", "UserData": DEEP},
     400, "InvalidParameter.UserData"),                                  # was 500: RecursionError
    ("vod", "POST", "CreateUploadImage", {"ImageType": "cover", "UserData": '{"Extend":"' + DEEP + '"}'},
     400, "InvalidParameter.UserData"),                                  # was 500: RecursionError
    ("vod", "POST", "UploadMediaByURL", {"UploadURLs": "http://[::1"}, 400, "InvalidParameter"),   # was 500
    ("vod", "POST", "UploadMediaByURL", {"UploadURLs": "http://127.0.0.1:9/a.mp4", "UploadMetadatas": DEEP},
     400, "InvalidParameter"),                                           # was 500: RecursionError
]


@pytest.mark.parametrize("face, method, path, params, status, code", FOUND)
async def test_what_the_fuzz_found(serve, tmp_path, face, method, path, params, status, code):
    url, state = serve
    host = url.removeprefix("http://")
    bucket = state.vod.bucket(state.vod.region)
    state.vod.oss.ensure_bucket(bucket)
    path = path.replace("{bucket}", bucket)
    headers = {"Host": host}
    body = b"data"
    if face == "cos":
        now = int(time.time())
        headers["Authorization"] = cos_sign(method, url, path, {}, host, f"{now - 60};{now + 600}")
    elif face == "oss":
        headers["Authorization"] = f"OSS {DEFAULT_ACCESS_KEY_ID}:AAAA"
    else:
        headers.update({"x-acs-action": path, "Content-Type": "application/x-www-form-urlencoded"})
        body, path = (_chunks(20) if params is None else rpc_form(path, params)), "/"
    async with aiohttp.ClientSession() as session:
        async with session.request(method, URL(url + path, encoded=True), data=body, headers=headers,
                                   skip_auto_headers=("Content-Type",)) as r:
            assert (r.status, check(face, method, r.status, r.headers, await r.read())) == (status, code)
    data = tmp_path / "d"
    assert not (data / "escaped").exists()
    assert all(len(p.relative_to(data / "cos").parts) == 2 for p in files(data / "cos")), sorted(files(data / "cos"))
