"""What follows each call or upload: build the flow's timeline (``processing``) and start its
delivery (``delivery``) in the background; the API answer never waits for the events."""

from __future__ import annotations

import json
import time
from typing import Any

from ..oss import ObjectInfo
from ..shared.media import MediaRecord
from ..shared.probe import probe
from ..shared.profile import Profile
from . import processing
from .delivery import run_flow
from .processing import Flow, both as both_, new_job

UPLOAD_EVENTS = {"video": "FileUploadComplete", "image": "ImageUploadComplete", "attached": "AttachedMediaUploadComplete"}


def start(backend: Any, flow: Flow, callback_url: str | None, command: str) -> None:
    backend.spawn(run_flow(backend, flow, callback_url, command), f"{command} for {flow.media.media_id}")


def _flow(backend: Any, media: MediaRecord, name: str, extend: str | None) -> Flow:
    return Flow(backend.library, media, time_scale=backend.settings.time_scale, extend=extend, name=name)


def profile_of(backend: Any, media: MediaRecord, *ids: str | None) -> Profile:
    return backend.settings.profiles.pick(*ids, media.attrs.get("TemplateGroupId"), media.attrs.get("WorkflowId"))


def upload_completed(backend: Any, info: ObjectInfo) -> None:
    lib = backend.library
    media = lib.by_object(info.bucket, info.key)
    if media is None:
        return
    profile = profile_of(backend, media)
    if media.media_type == "video" and profile.fail_upload:
        lib.put(media.with_(status="UploadFail", size=info.size, modified=time.time()))   # no notification
        return
    media = _probed(lib, media, info)
    extend = media.attrs.get("Extend")
    flow = _flow(backend, media, "upload", extend)
    url = f"http://{media.bucket}.oss-{media.region}.aliyuncs.com/{media.object_key}"
    kind = UPLOAD_EVENTS[media.media_type]
    at = profile.timing.upload_s
    if media.media_type == "video":
        after = "Transcoding" if profile.outputs else "Normal"
        flow.add(at, kind, effect=flow.set_status(after))
        _processing(flow, backend, media, profile, at, job_kind="transcode")
    else:
        field = "FileURL"
        flow.add(at, kind, overrides=[("Size", info.size), (field, url)], effect=flow.set_status("Normal"))
    start(backend, flow, media.attrs.get("CallbackURL"), f"vod:{kind}")


def _probed(lib: Any, media: MediaRecord, info: ObjectInfo) -> MediaRecord:
    """The media with the uploaded object's real size and MD5 and, for a video, what the file says."""
    changes: dict[str, Any] = {"size": info.size, "md5": info.md5, "modified": time.time()}
    if media.media_type == "video":
        facts = probe(info.path, media.file_name.rpartition('.')[2] or media.object_key.rpartition('.')[2])
        changes |= {"duration": facts.duration, "width": facts.width, "height": facts.height, "fps": facts.fps,
                    "container": (facts.mime_type or "").rpartition("/")[2] or media.file_name.rpartition(".")[2]}
        if facts.duration:
            changes["bitrate"] = facts.bitrate or round(info.size * 8 / facts.duration / 1000)
    return lib.put(media.with_(**changes))


def _processing(flow: Flow, backend: Any, media: MediaRecord, profile: Profile, at: float, *, job_kind: str,
                callback: str | None = None) -> None:
    lib = backend.library
    if profile.outputs:
        job = new_job(lib, media.media_id, job_kind, profile=profile.name, CallbackURL=callback)
        end = processing.transcode(flow, profile, job, at)
    else:
        end = at
    if profile.snapshots:
        job = new_job(lib, media.media_id, "snapshot", profile=profile.name)
        processing.snapshot(flow, profile.snapshots, at + profile.timing.snapshot_s, job)
    if profile.audit:
        job = new_job(lib, media.media_id, "audit", profile=profile.name)
        processing.audit(flow, end + profile.timing.audit_s, job)


def transcode_job(backend: Any, media: MediaRecord, profile: Profile, callback: str | None,
                  extend: str | None) -> str:
    """SubmitTranscodeJobs: the profile's outputs (no snapshots); returns the job id."""
    flow = _flow(backend, media, f"transcode-{time.monotonic_ns()}", extend)
    job = new_job(backend.library, media.media_id, "transcode", profile=profile.name, CallbackURL=callback)
    backend.library.put(media.with_(status="Transcoding", modified=time.time()))
    processing.transcode(flow, profile, job, 0.0)
    start(backend, flow, callback or media.attrs.get("CallbackURL"), "vod:SubmitTranscodeJobs")
    return job.job_id


def snapshot_job(backend: Any, media: MediaRecord, count: int, callback: str | None, extend: str | None) -> str:
    flow = _flow(backend, media, f"snapshot-{time.monotonic_ns()}", extend)
    job = new_job(backend.library, media.media_id, "snapshot", CallbackURL=callback)
    processing.snapshot(flow, count, backend.settings.profiles.pick().timing.snapshot_s, job, specified=True)
    start(backend, flow, callback or media.attrs.get("CallbackURL"), "vod:SubmitSnapshotJob")
    return job.job_id


def audit_job(backend: Any, media: MediaRecord, callback: str | None) -> str:
    flow = _flow(backend, media, f"audit-{time.monotonic_ns()}", None)
    job = new_job(backend.library, media.media_id, "audit", CallbackURL=callback)
    processing.audit(flow, backend.settings.profiles.pick().timing.audit_s, job)
    start(backend, flow, callback or media.attrs.get("CallbackURL"), "vod:SubmitAIMediaAuditJob")
    return job.job_id


def deleted(backend: Any, media: MediaRecord) -> None:
    """DeleteVideo: the media is gone now; DeleteMediaComplete follows."""
    flow = _flow(backend, media, f"delete-{time.monotonic_ns()}", None)
    flow.add(0.0, "DeleteMediaComplete", params={"delete_type": "all", "media_type": media.media_type})
    start(backend, flow, media.attrs.get("CallbackURL"), "vod:DeleteVideo")


def base_changed(backend: Any, media: MediaRecord, changes: dict[str, tuple[Any, Any]]) -> None:
    """UpdateVideoInfo: MediaBaseChangeComplete with what changed (MediaContent members are
    JSON strings of {OldValue, NewValue}, as in the docs' example)."""
    content = {name: json.dumps({"OldValue": old, "NewValue": new}, ensure_ascii=False, separators=(",", ":"))
               for name, (old, new) in changes.items()}
    flow = _flow(backend, media, f"update-{time.monotonic_ns()}", None)
    flow.add(0.0, "MediaBaseChangeComplete", params={"operate_mode": "update", "media_type": media.media_type},
             overrides=[("MediaContent", content)])
    start(backend, flow, media.attrs.get("CallbackURL"), "vod:UpdateVideoInfo")


def url_pulled(backend: Any, media: MediaRecord, job: Any, info: ObjectInfo | None) -> None:
    """UploadMediaByURL's pull finished (``info``) or failed (None): UploadByURLComplete, then
    the processing of the media, as after an upload."""
    lib = backend.library
    source = media.attrs["SourceURL"]
    if info is None:
        lib.put(media.with_(status="UploadFail", modified=time.time()))
        lib.put_job(job.with_(status="Fail", finished=time.time()))
        flow = _flow(backend, media, "by-url", None)
        flow.add(0.0, "UploadByURLComplete", ok=False, params={"source_url": source},
                 overrides=[("JobId", job.job_id)])
        start(backend, flow, media.attrs.get("CallbackURL"), "vod:UploadByURLComplete")
        return
    media = _probed(lib, media, info)
    profile = profile_of(backend, media)
    flow = _flow(backend, media, "by-url", media.attrs.get("Extend"))
    at = profile.timing.upload_s
    flow.add(at, "UploadByURLComplete", params={"source_url": source},
             overrides=[("JobId", job.job_id), ("Size", str(info.size))],
             effect=both_(flow.set_status("Transcoding" if profile.outputs else "Normal"),
                          flow.finish_job(job, "Success")))
    _processing(flow, backend, media, profile, at, job_kind="transcode")
    start(backend, flow, media.attrs.get("CallbackURL"), "vod:UploadByURLComplete")
    if not backend.oss.keep_bytes:
        backend.oss.forget_bytes(info)
