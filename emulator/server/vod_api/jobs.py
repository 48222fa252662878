"""Processing actions: SubmitTranscodeJobs, SubmitSnapshotJob, SubmitAIMediaAuditJob.  Each
starts a job on an uploaded video and answers with its id; the events follow."""

from __future__ import annotations

from typing import Any

from . import flows, userdata
from .errors import InvalidParameter, InvalidVideoStatus
from .handlers import action, required
from .library import video
from .model import Context, Params



def _uploaded(c: Context, video_id: str):
    media = video(c, video_id)
    if media.size is None:
        raise InvalidVideoStatus("The video's file has not been uploaded yet.")
    return media


@action
async def SubmitTranscodeJobs(c: Context, p: Params) -> dict[str, Any]:
    media = _uploaded(c, required(p, "VideoId"))
    group = required(p, "TemplateGroupId")
    ud = userdata.parse(p.get("UserData"))
    profile = c.backend.settings.profiles.pick(group)
    job_id = flows.transcode_job(c.backend, media, profile, ud.callback_url, ud.extend)
    return {"TranscodeTaskId": job_id, "TranscodeJobs": {"TranscodeJob": [{"JobId": job_id}]}}


@action
async def SubmitSnapshotJob(c: Context, p: Params) -> dict[str, Any]:
    media = _uploaded(c, required(p, "VideoId"))
    try:
        count = int(p.get("Count") or 1)
    except ValueError:
        raise InvalidParameter("Count", "Count is an integer.") from None
    ud = userdata.parse(p.get("UserData"))
    job_id = flows.snapshot_job(c.backend, media, count, ud.callback_url, ud.extend)
    return {"SnapshotJob": {"JobId": job_id}}


@action
async def SubmitAIMediaAuditJob(c: Context, p: Params) -> dict[str, Any]:
    media = _uploaded(c, required(p, "MediaId"))
    ud = userdata.parse(p.get("UserData"))
    job_id = flows.audit_job(c.backend, media, ud.callback_url)
    return {"JobId": job_id, "MediaId": media.media_id}
