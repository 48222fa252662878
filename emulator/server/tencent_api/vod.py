"""The fake VOD behind the Tencent media actions: upload sessions, the media library, tasks,
and the events they cause.  No HTTP here: the actions call these methods with plain values.

State lives in serve's shared media library (``media.sqlite3``): a ``MediaRecord`` per file
(provider ``tencent``; ``attrs`` keep the MediaBasicInfo / MetaData sent in NewFileUpload and
the outputs ProcedureStateChanged reported, so DescribeMediaInfos agrees with the events), a
``JobRecord`` per upload session (kind ``upload``) and per task (``procedure``, ``pull``).
Bodies come from the Tencent event factory, fed the real file (FileId, name, size, duration,
dimensions read from the MP4), then go out through the ``Dispatcher`` by the event config.
"""

from __future__ import annotations

import dataclasses
import hashlib
import secrets
import time
from datetime import datetime, timezone
from typing import Any

from faker import Faker

from emulator.events import Event
from emulator.providers.tencent.factory import EventFactory
from emulator.providers.tencent.media import TencentMedia, hex_id, new_file_id, new_media
from emulator.server.cos.store import ObjectStore
from emulator.server.shared.media import JobRecord, MediaRecord
from emulator.server.shared.media_store import MediaLibrary
from emulator.server.shared.mp4info import probe
from emulator.server.shared.profile import Timing

from .delivery import Dispatcher

PROVIDER = "tencent"
APP_ID = "1500000001"            # this fake account's AppId (the host <AppId>.vod2.myqcloud.com)
TEMP_ID_PREFIX = "AKIDvodemu"   # ApplyUpload's temporary SecretId: prefix + the session key
SESSION_TTL = 3600               # seconds the temporary credentials are valid
# What a named task flow (Procedure / ProcessMediaByProcedure) runs: no procedure templates are
# configured here, so every name runs transcoding to the three preset MP4s and a cover.
PROCEDURE_PARAMS: dict[str, Any] = {"tasks": ["transcode", "cover"], "definitions": [100010, 100020, 100030]}


class TencentVod:
    def __init__(self, library: MediaLibrary, objects: ObjectStore, dispatcher: Dispatcher, *,
                 region: str = "ap-guangzhou", time_scale: float = 1.0, timing: Timing = Timing(),
                 seed: int | None = None) -> None:
        self.library = library
        self.objects = objects
        self.dispatcher = dispatcher
        self.region = region
        self.time_scale = time_scale
        self.timing = timing
        self.seed = seed if seed is not None else secrets.randbits(32)
        self._count = 0

    # -- credentials -------------------------------------------------------------------
    async def reset(self) -> dict[str, int]:
        """Stop the processing flows under way and forget the uploaded files (the control
        API's reset; the media records live in the shared library, cleared with the VOD face's)."""
        await self.dispatcher.close()
        return {"deleted_cos_objects": self.objects.clear()}

    def temp_key(self, secret_id: str) -> tuple[str, str | None] | None:
        """(SecretKey, Token) of an ApplyUpload's temporary credentials, if live."""
        if not secret_id.startswith(TEMP_ID_PREFIX):
            return None
        job = self.library.job(secret_id[len(TEMP_ID_PREFIX):])
        if job is None or job.kind != "upload" or job.attrs["cert"]["ExpiredTime"] < time.time():
            return None
        return job.attrs["cert"]["SecretKey"], job.attrs["cert"]["Token"]

    # -- upload ------------------------------------------------------------------------
    def apply_upload(self, sub_app_id: int | None, p: dict[str, Any]) -> dict[str, Any]:
        key = secrets.token_hex(16)
        file_id = new_file_id(secrets.SystemRandom())
        region = p.get("StorageRegion") or self.region
        tag = hashlib.md5(file_id.encode()).hexdigest()[:8]
        bucket = f"{hashlib.md5(region.encode()).hexdigest()[:8]}vod{region.removeprefix('ap-')[:3]}{APP_ID}"
        name = secrets.token_urlsafe(9).replace("-", "x").replace("_", "y")
        media_path = f"/{tag}{file_id}/{name}.{p['MediaType']}"
        cover_path = f"/{tag}{file_id}/cover.{p['CoverType']}" if p.get("CoverType") else None
        cert = {"SecretId": TEMP_ID_PREFIX + key, "SecretKey": secrets.token_urlsafe(24),
                "Token": secrets.token_hex(32), "ExpiredTime": int(time.time()) + SESSION_TTL}
        attrs = {**{k: v for k, v in p.items() if k != "SubAppId"}, "sub_app_id": sub_app_id, "file_id": file_id,
                 "bucket": bucket, "region": region, "media_path": media_path, "cover_path": cover_path,
                 "cert": cert, "folder_tag": tag}
        self.library.put_job(JobRecord(key, file_id, "upload", "Processing", time.time(), attrs=attrs))
        answer = {"StorageBucket": bucket, "StorageRegion": region, "VodSessionKey": key,
                  "MediaStoragePath": media_path, "TempCertificate": cert}
        if cover_path:
            answer["CoverStoragePath"] = cover_path
        return answer

    def session(self, key: str) -> JobRecord | None:
        job = self.library.job(key)
        return job if job is not None and job.kind == "upload" else None

    def commit_upload(self, job: JobRecord) -> dict[str, Any]:
        """The object is in the bucket (the caller checked): record the media, send
        NewFileUpload (and ProcedureStateChanged when a Procedure was named)."""
        a = job.attrs
        data = self.objects.get(a["bucket"], a["media_path"][1:])
        media = self._media(a, data)
        now = time.time()
        procedure = a.get("Procedure") or ""
        upload = self._build("NewFileUpload", media, self.timing.upload_s, extend=a.get("SourceContext"),
                             params={"procedure": bool(procedure)})
        payload = upload.payload()["FileUploadEvent"]
        info = payload["MediaBasicInfo"]
        if a.get("ClassId") is not None:
            info["ClassId"] = a["ClassId"]
        if a.get("ExpireTime"):
            info["ExpireTime"] = a["ExpireTime"]
        record = MediaRecord(media.file_id, PROVIDER, a["region"], "video", "Normal", title=media.name,
                             file_name=a["media_path"].rsplit("/", 1)[-1], bucket=a["bucket"],
                             object_key=a["media_path"][1:], size=len(data), md5=media.md5,
                             duration=media.duration, width=media.width, height=media.height, fps=media.fps,
                             bitrate=media.bitrate // 1000, container=a["MediaType"], created=now, modified=now,
                             attrs={"sub_app_id": a["sub_app_id"], "basic_info": info,
                                    "metadata": payload["MetaData"], "media": dataclasses.asdict(media),
                                    "outputs": {}})
        self.library.put(record)
        self.library.put_job(job.with_(status="Success", finished=now))
        timed = [(self.timing.upload_s, upload)]
        if procedure:
            timed.append(self._procedure(record, media, dict(PROCEDURE_PARAMS, task_id=payload["ProcedureTaskId"]),
                                         a.get("SessionContext"), "", self.timing.upload_s))
        self.dispatcher.send(a["sub_app_id"], timed)
        answer = {"FileId": media.file_id, "MediaUrl": media.media_url}
        if a.get("cover_path") and self.objects.exists(a["bucket"], a["cover_path"][1:]):
            answer["CoverUrl"] = media.host + a["cover_path"]
        return answer

    def _media(self, a: dict[str, Any], data: bytes) -> TencentMedia:
        info = probe(data)
        duration = info.duration or 0.0
        bitrate = round(len(data) * 8 / duration) if duration else 0
        audio = min(128_000, bitrate // 8) if info.has_audio else 0
        stem = a["media_path"].rsplit("/", 1)[-1]
        return TencentMedia(
            file_id=a["file_id"], name=a.get("MediaName") or stem.rsplit(".", 1)[0], description="",
            duration=duration, width=info.width or 0, height=info.height or 0, fps=round(info.fps or 0),
            video_bitrate=bitrate - audio, audio_bitrate=audio, sampling_rate=44100 if audio else 0, overhead=0.0,
            md5=hashlib.md5(data).hexdigest(), region=a["region"], app_id=APP_ID,
            bucket_tag=a["bucket"][:8], trans_tag=hashlib.md5(a["bucket"].encode()).hexdigest()[8:16],
            file_tag=a["folder_tag"], source_key=stem, exact_size=len(data))

    # -- processing --------------------------------------------------------------------
    def media(self, file_id: str) -> MediaRecord | None:
        record = self.library.get(file_id)
        return record if record is not None and record.provider == PROVIDER else None

    def process(self, record: MediaRecord, params: dict[str, Any], session_context: str | None,
                session_id: str, *, notify: bool = True) -> str:
        """ProcessMedia / ProcessMediaByProcedure: a task flow on ``record``; returns its TaskId.
        ``notify`` False (TasksNotifyMode None): the task is recorded, no event is sent."""
        media = TencentMedia(**record.attrs["media"])
        task_id = f"{APP_ID}-procedurev2-{secrets.token_hex(16)}t0"
        timed = self._procedure(record, media, {**params, "task_id": task_id}, session_context, session_id, 0.0)
        if notify:
            self.dispatcher.send(record.attrs.get("sub_app_id"), [timed])
        return task_id

    def _procedure(self, record: MediaRecord, media: TencentMedia, params: dict[str, Any],
                   session_context: str | None, session_id: str, start: float) -> tuple[float, Event]:
        outputs = len(params.get("definitions", ())) if "transcode" in params.get("tasks", ()) else 0
        delay = start + (self.timing.transcode(media.duration, max(outputs - 1, 0)) if outputs else
                         self.timing.snapshot_s)
        event = self._build("ProcedureStateChanged", media, delay, extend=session_context,
                            params={**params, **({"session_id": session_id} if session_id else {})})
        task = event.payload()["ProcedureStateChangeEvent"]
        now = time.time()
        self.library.put_job(JobRecord(task["TaskId"], media.file_id, "procedure", "Processing", now,
                                       attrs={"due": now + delay * self.time_scale, "payload": task}))
        outs = dict(record.attrs.get("outputs", {}))
        for item in task["MediaProcessResultSet"]:
            for key, result in item.items():
                if key != "Type" and isinstance(result, dict) and result.get("Status") == "SUCCESS":
                    outs.setdefault(item["Type"], []).append(result.get("Output"))
        self.library.put(record.with_(attrs={**record.attrs, "outputs": outs}, modified=now))
        return delay, event

    def pull_upload(self, sub_app_id: int | None, p: dict[str, Any]) -> str:
        """PullUpload: nothing is fetched; the pulled file is a generated one named after the URL."""
        media = new_media(secrets.SystemRandom(), Faker(), p.get("StorageRegion") or self.region)
        stem = p["MediaUrl"].rstrip("/").rsplit("/", 1)[-1].split("?")[0] or "pulled"
        media = dataclasses.replace(media, app_id=APP_ID, name=p.get("MediaName") or stem.rsplit(".", 1)[0])
        event = self._build("PullComplete", media, self.timing.upload_s, extend=p.get("SessionContext"),
                            params={"procedure": bool(p.get("Procedure"))},
                            overrides=[("PullCompleteEvent.SessionId", p.get("SessionId") or "")])
        task = event.payload()["PullCompleteEvent"]
        now = time.time()
        info = task["MediaBasicInfo"]
        self.library.put(MediaRecord(media.file_id, PROVIDER, media.region, "video", "Normal", title=media.name,
                                     file_name=media.source_key, size=media.size, md5=media.md5,
                                     duration=media.duration, width=media.width, height=media.height,
                                     created=now, modified=now,
                                     attrs={"sub_app_id": sub_app_id, "basic_info": info, "metadata": task["MetaData"],
                                            "media": dataclasses.asdict(media), "outputs": {}}))
        self.library.put_job(JobRecord(task["TaskId"], media.file_id, "pull", "Processing", now,
                                       attrs={"due": now + self.timing.upload_s * self.time_scale, "payload": task}))
        timed = [(self.timing.upload_s, event)]
        if p.get("Procedure"):
            record = self.library.get(media.file_id)
            assert record is not None
            timed.append(self._procedure(record, media, dict(PROCEDURE_PARAMS, task_id=task["ProcedureTaskId"]),
                                         p.get("SessionContext"), p.get("SessionId") or "", self.timing.upload_s))
        self.dispatcher.send(sub_app_id, timed)
        return task["TaskId"]

    def delete(self, record: MediaRecord, parts: list[dict[str, Any]]) -> None:
        media = TencentMedia(**record.attrs["media"])
        params: dict[str, Any] = {}
        if parts:
            params = {"parts": [p["Type"] for p in parts], "definition": parts[0].get("Definition", 0)}
        event = self._build("FileDeleted", media, self.timing.upload_s, params=params)
        if not parts or any(p["Type"] == "OriginalFiles" for p in parts):
            self.library.delete(record.media_id)
            if record.bucket:
                self.objects.delete(record.bucket, record.object_key)
        else:
            outs = dict(record.attrs.get("outputs", {}))
            if any(p["Type"] == "TranscodeFiles" for p in parts):
                outs.pop("Transcode", None)
            self.library.put(record.with_(attrs={**record.attrs, "outputs": outs}))
        self.dispatcher.send(record.attrs.get("sub_app_id"), [(self.timing.upload_s, event)])

    def task(self, task_id: str) -> JobRecord | None:
        job = self.library.job(task_id)
        return job if job is not None and job.kind in ("procedure", "pull") else None

    # -- events ------------------------------------------------------------------------
    def _build(self, kind: str, media: TencentMedia, delay: float, *, extend: str | None = None,
               params: dict[str, Any] | None = None, overrides: list[tuple[str, Any]] = ()) -> Event:
        self._count += 1
        at = datetime.fromtimestamp(time.time() + delay * self.time_scale, tz=timezone.utc).replace(microsecond=0)
        factory = EventFactory(self.seed, at, media.region)
        return factory.build(kind, f"api/{self._count}/{hex_id(secrets.SystemRandom(), 8)}", event_time=at,
                             extend=extend, media=media, params=params or {}, overrides=list(overrides),
                             event_id=f"api-{self._count:06d}")
