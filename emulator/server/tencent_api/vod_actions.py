"""The media actions of the Tencent face, one function per API action, named as the API
names it: ApplyUpload, CommitUpload, PullUpload, ProcessMedia, ProcessMediaByProcedure,
DeleteMedia, DescribeMediaInfos, DescribeTaskDetail, ModifyMediaInfo.

Same contract as ``actions.py``: check the parameters, call the ``TencentVod`` model, return
the Response fields; errors are raised as ``TencentError`` with the action's own codes.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

from emulator.errors import InputError
from emulator.providers.tencent.media import TRANSCODE_TEMPLATES

from .errors import CodedError, InvalidParameter, InvalidParameterValue, MissingParameter
from .vod import PROCEDURE_PARAMS, TencentVod

MEDIA_TYPES = ("mp4", "mov", "flv", "m3u8", "mkv", "avi", "wmv", "ts", "webm", "mp3", "m4a", "wav", "jpg", "jpeg",
               "png", "gif")
_TASK_SETS = {"TranscodeTaskSet": "transcode", "AnimatedGraphicTaskSet": "animated_graphics",
              "SnapshotByTimeOffsetTaskSet": "snapshot", "SampleSnapshotTaskSet": "sample_snapshot",
              "ImageSpriteTaskSet": "image_sprite", "CoverBySnapshotTaskSet": "cover",
              "AdaptiveDynamicStreamingTaskSet": "adaptive_streaming"}
FILTERS = ("basicInfo", "metaData", "transcodeInfo", "animatedGraphicsInfo", "imageSpriteInfo",
           "snapshotByTimeOffsetInfo", "sampleSnapshotInfo", "keyFrameDescInfo", "adaptiveDynamicStreamingInfo",
           "miniProgramReviewInfo", "subtitleInfo", "reviewInfo")


def _str(p: Mapping[str, Any], name: str, *, required: bool = False, limit: int | None = None) -> str | None:
    value = p.get(name)
    if value is None:
        if required:
            raise MissingParameter(name)
        return None
    if type(value) is not str:
        raise InvalidParameter(f"{name} should be a String, not {type(value).__name__} {value!r:.40}.")
    if required and not value:
        raise InvalidParameterValue(f"{name} should not be empty.")
    if limit is not None and len(value) > limit:
        raise InvalidParameterValue(f"{name} should be at most {limit} characters, not {len(value)}.")
    return value


def _int(p: Mapping[str, Any], name: str) -> int | None:
    value = p.get(name)
    if value is not None and type(value) is not int:
        raise InvalidParameter(f"{name} should be an Integer, not {type(value).__name__} {value!r:.40}.")
    return value


def _strings(p: Mapping[str, Any], name: str) -> list[str]:
    value = p.get(name) or []
    if type(value) is not list or any(type(v) is not str for v in value):
        raise InvalidParameter(f"{name} should be an Array of String, not {value!r:.60}.")
    return value


def _media(vod: TencentVod, file_id: str) -> Any:
    record = vod.media(file_id)
    if record is None:
        raise CodedError("ResourceNotFound.FileNotExist", f"The file {file_id!r} does not exist.")
    return record


def _contexts(p: Mapping[str, Any]) -> tuple[str | None, str]:
    return _str(p, "SessionContext", limit=1000), _str(p, "SessionId", limit=50) or ""


def ApplyUpload(vod: TencentVod, sub_app_id: int | None, p: Mapping[str, Any]) -> dict[str, Any]:
    media_type = _str(p, "MediaType", required=True)
    if media_type.lower() not in MEDIA_TYPES:
        raise CodedError("InvalidParameterValue.MediaType", f"MediaType {media_type!r} is not a supported type "
                                                            f"({', '.join(MEDIA_TYPES)}).")
    for name in ("MediaName", "CoverType", "Procedure", "ExpireTime", "StorageRegion", "ExtInfo"):
        _str(p, name)
    _str(p, "SourceContext", limit=250)
    _contexts(p)
    _int(p, "ClassId")
    return vod.apply_upload(sub_app_id, {k: v for k, v in p.items() if v is not None})


def CommitUpload(vod: TencentVod, sub_app_id: int | None, p: Mapping[str, Any]) -> dict[str, Any]:
    key = _str(p, "VodSessionKey", required=True)
    job = vod.session(key)
    if job is None:
        raise CodedError("InvalidParameterValue.VodSessionKey", "VodSessionKey is unknown or already committed.")
    if job.status != "Processing":
        raise CodedError("InvalidParameterValue.VodSessionKey", "This VodSessionKey was already committed.")
    a = job.attrs
    if not vod.objects.exists(a["bucket"], a["media_path"][1:]):
        raise CodedError("FailedOperation", f"Nothing was uploaded to {a['bucket']}{a['media_path']}: upload the "
                                            "media to COS before CommitUpload.")
    return vod.commit_upload(job)


def PullUpload(vod: TencentVod, sub_app_id: int | None, p: Mapping[str, Any]) -> dict[str, Any]:
    url = _str(p, "MediaUrl", required=True)
    if not url.startswith(("http://", "https://")):
        raise CodedError("InvalidParameterValue.MediaUrl", f"MediaUrl should be an http(s) URL, not {url!r:.80}.")
    for name in ("MediaType", "MediaName", "CoverUrl", "Procedure", "ExpireTime", "StorageRegion", "ExtInfo"):
        _str(p, name)
    _str(p, "SourceContext", limit=250)
    _contexts(p)
    return {"TaskId": vod.pull_upload(sub_app_id, {k: v for k, v in p.items() if v is not None})}


def _definitions(items: Any, name: str) -> list[int]:
    if type(items) is not list or any(type(i) is not dict for i in items):
        raise InvalidParameter(f"MediaProcessTask.{name} should be an Array of objects.")
    out = []
    for item in items:
        d = item.get("Definition")
        if type(d) is not int:
            raise MissingParameter(f"MediaProcessTask.{name}.Definition")
        out.append(d)
    return out


def process_params(p: Mapping[str, Any]) -> dict[str, Any]:
    """ProcessMedia's task inputs → the ProcedureStateChanged generator's params."""
    task = p.get("MediaProcessTask") or {}
    if type(task) is not dict:
        raise InvalidParameter("MediaProcessTask should be an object.")
    params: dict[str, Any] = {"tasks": []}
    for name, value in task.items():
        if name not in _TASK_SETS:
            raise CodedError("UnknownParameter", f"The parameter `MediaProcessTask.{name}` is not recognized.")
        if value is None:
            continue
        defs = _definitions(value, name)
        if name == "TranscodeTaskSet":
            bad = [d for d in defs if d not in TRANSCODE_TEMPLATES]
            if bad:
                raise CodedError("InvalidParameterValue.Definition", f"Transcoding templates {bad} do not exist; the "
                                 f"preset ones are {', '.join(map(str, TRANSCODE_TEMPLATES))}.")
            params["definitions"] = defs
        if defs:
            params["tasks"].append(_TASK_SETS[name])
    for name, knob, types in (("AiContentReviewTask", "ai_review", ["Porn", "Terrorism", "Political"]),
                              ("AiAnalysisTask", "ai_analysis", ["Classification", "Tag", "Cover"]),
                              ("AiRecognitionTask", "ai_recognition", ["HeadTailRecognition"])):
        given = p.get(name)
        if given is not None:
            if type(given) is not dict or type(given.get("Definition")) is not int:
                raise InvalidParameter(f"{name} should be an object with an Integer Definition.")
            params[knob] = types
    if not params["tasks"] and not any(k.startswith("ai_") for k in params):
        raise MissingParameter("MediaProcessTask", " Name at least one task (e.g. MediaProcessTask.TranscodeTaskSet).")
    mode = _str(p, "TasksNotifyMode")
    if mode is not None:
        if mode not in ("Finish", "Change", "None"):
            raise InvalidParameterValue(f"TasksNotifyMode should be Finish, Change or None, not {mode!r}.")
        params["tasks_notify_mode"] = mode      # None: the task runs, no ProcedureStateChanged is sent
    _int(p, "TasksPriority")
    return params


def ProcessMedia(vod: TencentVod, sub_app_id: int | None, p: Mapping[str, Any]) -> dict[str, Any]:
    file_id = _str(p, "FileId", required=True)
    params = process_params(p)
    context, session_id = _contexts(p)
    record = _media(vod, file_id)
    notify = params.get("tasks_notify_mode") != "None"
    if not notify:
        params.pop("tasks_notify_mode")
    try:
        return {"TaskId": vod.process(record, params, context, session_id, notify=notify)}
    except InputError as exc:
        raise InvalidParameterValue(str(exc)) from None


def ProcessMediaByProcedure(vod: TencentVod, sub_app_id: int | None, p: Mapping[str, Any]) -> dict[str, Any]:
    _str(p, "ProcedureName", required=True)
    record = _media(vod, _str(p, "FileId", required=True))
    context, session_id = _contexts(p)
    return {"TaskId": vod.process(record, dict(PROCEDURE_PARAMS), context, session_id)}


def DeleteMedia(vod: TencentVod, sub_app_id: int | None, p: Mapping[str, Any]) -> dict[str, Any]:
    file_id = _str(p, "FileId", required=True)
    parts = p.get("DeleteParts") or []
    if type(parts) is not list or any(type(x) is not dict or type(x.get("Type")) is not str
                                      or type(x.get("Definition", 0)) is not int for x in parts):
        raise InvalidParameter("DeleteParts should be an Array of {Type: String, Definition: Integer}.")
    kinds = ("OriginalFiles", "TranscodeFiles", "AdaptiveDynamicStreamingFiles", "WechatPublishFiles",
             "WechatMiniProgramPublishFiles")
    bad = [x["Type"] for x in parts if x["Type"] not in kinds]
    if bad:
        raise InvalidParameterValue(f"DeleteParts Type {bad[0]!r:.40} is not one of {', '.join(kinds)}.")
    vod.delete(_media(vod, file_id), parts)
    return {}


def DescribeMediaInfos(vod: TencentVod, sub_app_id: int | None, p: Mapping[str, Any]) -> dict[str, Any]:
    ids = p.get("FileIds")
    if ids is None:
        raise MissingParameter("FileIds")
    if p.get("Filters") is not None:
        _strings(p, "Filters")
    if type(ids) is not list or any(type(i) is not str for i in ids) or not 1 <= len(ids) <= 20:
        raise InvalidParameterValue("FileIds should be an Array of 1 to 20 Strings.")
    filters = p.get("Filters") or list(FILTERS)
    if type(filters) is not list or any(f not in FILTERS for f in filters):
        raise InvalidParameterValue(f"Filters should be among {', '.join(FILTERS)}.")
    found, missing = [], []
    for file_id in ids:
        record = vod.media(file_id)
        if record is None:
            missing.append(file_id)
            continue
        outs = record.attrs.get("outputs", {})
        info: dict[str, Any] = {"FileId": file_id}
        if "basicInfo" in filters:
            info["BasicInfo"] = record.attrs["basic_info"]
        if "metaData" in filters:
            info["MetaData"] = record.attrs["metadata"]
        if "transcodeInfo" in filters and outs.get("Transcode"):
            info["TranscodeInfo"] = {"TranscodeSet": outs["Transcode"]}
        if "imageSpriteInfo" in filters and outs.get("ImageSprites"):
            info["ImageSpriteInfo"] = {"ImageSpriteSet": outs["ImageSprites"]}
        if "adaptiveDynamicStreamingInfo" in filters and outs.get("AdaptiveDynamicStreaming"):
            info["AdaptiveDynamicStreamingInfo"] = {"AdaptiveDynamicStreamingSet": outs["AdaptiveDynamicStreaming"]}
        found.append(info)
    return {"MediaInfoSet": found, "NotExistFileIdSet": missing}


def ModifyMediaInfo(vod: TencentVod, sub_app_id: int | None, p: Mapping[str, Any]) -> dict[str, Any]:
    file_id = _str(p, "FileId", required=True)
    name, description = _str(p, "Name", limit=64), _str(p, "Description", limit=128)
    added, dropped = _strings(p, "AddTags"), _strings(p, "DeleteTags")
    record = _media(vod, file_id)
    info = dict(record.attrs["basic_info"])
    if name is not None:
        info["Name"] = name
    if description is not None:
        info["Description"] = description
    if (class_id := _int(p, "ClassId")) is not None:
        info["ClassId"] = class_id
    if (expire := _str(p, "ExpireTime")) is not None:
        info["ExpireTime"] = expire
    tags = list(info.get("TagSet") or [])
    if _int(p, "ClearTags") == 1:
        tags = []
    for tag in dropped:
        if tag in tags:
            tags.remove(tag)
    for tag in added:
        if tag not in tags:
            tags.append(tag)
    if len(tags) > 16:
        raise CodedError("InvalidParameterValue.Tags", "A media file has at most 16 tags.")
    info["TagSet"] = tags
    info["UpdateTime"] = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    vod.library.put(record.with_(title=info["Name"], attrs={**record.attrs, "basic_info": info},
                                 modified=time.time()))
    return {}


def DescribeTaskDetail(vod: TencentVod, sub_app_id: int | None, p: Mapping[str, Any]) -> dict[str, Any]:
    task_id = _str(p, "TaskId", required=True)
    job = vod.task(task_id)
    if job is None:
        raise CodedError("InvalidParameterValue.TaskId", f"The task {task_id!r} does not exist.")
    done = time.time() >= job.attrs["due"]
    created = datetime.fromtimestamp(job.created, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    payload = dict(job.attrs["payload"])
    if not done:   # what the event will carry, once due; until then the task is processing
        payload["Status"] = "PROCESSING"
    key = "ProcedureTask" if job.kind == "procedure" else "PullUploadTask"
    return {"TaskType": "Procedure" if job.kind == "procedure" else "PullUpload",
            "Status": "FINISH" if done else "PROCESSING", "CreateTime": created, "BeginProcessTime": created,
            "FinishTime": datetime.fromtimestamp(job.attrs["due"], tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            if done else "", key: payload}


ACTIONS = {f.__name__: f for f in (ApplyUpload, CommitUpload, PullUpload, ProcessMedia, ProcessMediaByProcedure,
                                   DeleteMedia, DescribeMediaInfos, DescribeTaskDetail, ModifyMediaInfo)}
