"""Media actions that read or change the library: GetVideoInfo, GetPlayInfo, GetMezzanineInfo,
GetVideoList, SearchMedia (basics), UpdateVideoInfo, DeleteVideo.  The answers show what the
events said: the streams GetPlayInfo lists are exactly those whose StreamTranscodeComplete
was released, with the same sizes and URLs."""

from __future__ import annotations

import time
from typing import Any

from ..shared.media import MediaRecord
from . import flows
from .errors import InvalidParameter, InvalidVideoNotFound
from .handlers import action, required
from .model import PROVIDER, Context, Params


def _time(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def video(c: Context, video_id: str) -> MediaRecord:
    media = c.library.get(video_id)
    if media is None or media.media_type != "video" or media.provider != PROVIDER:
        raise InvalidVideoNotFound(f"The video does not exist: {video_id[:64]!r}.")
    return media


def _video_fields(m: MediaRecord) -> dict[str, Any]:
    a = m.attrs
    out: dict[str, Any] = {"VideoId": m.media_id, "Title": m.title, "Status": m.status, "RegionId": m.region,
                           "CreationTime": _time(m.created), "ModificationTime": _time(m.modified),
                           "StorageLocation": f"{m.bucket}.oss-{m.region}.aliyuncs.com", "StorageClass": "Standard",
                           "AppId": a.get("AppId", "app-1000000"), "DownloadSwitch": "on"}
    if m.size is not None:
        out["Size"] = m.size
    if m.duration is not None:
        out["Duration"] = m.duration
    for key in ("Description", "CoverURL", "Tags", "TemplateGroupId", "UserData"):
        if a.get(key):
            out[key] = a[key]
    if a.get("CateId"):
        out["CateId"] = int(a["CateId"]) if str(a["CateId"]).isdigit() else a["CateId"]
    return out


@action
async def GetVideoInfo(c: Context, p: Params) -> dict[str, Any]:
    return {"Video": _video_fields(video(c, required(p, "VideoId")))}


@action
async def GetMezzanineInfo(c: Context, p: Params) -> dict[str, Any]:
    m = video(c, required(p, "VideoId"))
    out: dict[str, Any] = {"VideoId": m.media_id, "FileName": m.file_name, "Status": m.status,
                           "CreationTime": _time(m.created), "StorageClass": "Standard",
                           "FileURL": f"http://{m.bucket}.oss-{m.region}.aliyuncs.com/{m.object_key}",
                           "OutputType": "oss"}
    if m.size is not None:
        out["Size"] = m.size
    if m.duration is not None:
        out["Duration"] = str(m.duration)
    if m.width is not None:
        out |= {"Width": m.width, "Height": m.height}
    if m.bitrate is not None:
        out["Bitrate"] = str(m.bitrate)
    if m.fps is not None:
        out["Fps"] = str(m.fps)
    return {"Mezzanine": out}


@action
async def GetPlayInfo(c: Context, p: Params) -> dict[str, Any]:
    m = video(c, required(p, "VideoId"))
    wanted = {d.strip() for d in (p.get("Definition") or "").split(",") if d.strip()}
    formats = {f.strip() for f in (p.get("Formats") or "").split(",") if f.strip()}
    infos = []
    for s in c.library.streams(m.media_id):
        if (wanted and s.definition not in wanted) or (formats and s.format not in formats):
            continue
        infos.append({"Definition": s.definition, "Format": s.format, "PlayURL": s.url, "Size": s.size,
                      "Width": s.width, "Height": s.height, "Bitrate": str(s.bitrate), "Fps": str(s.fps),
                      "Duration": str(s.duration), "JobId": s.job_id, "Status": "Normal", "StreamType": "video",
                      "Encrypt": 0, "CreationTime": _time(m.modified), "ModificationTime": _time(m.modified)})
    if not infos:
        # The service answers a video without playable streams with this error.
        raise _NoStream()
    base = {"VideoId": m.media_id, "Title": m.title, "Status": m.status, "MediaType": "video",
            "CreationTime": _time(m.created)}
    if m.duration is not None:
        base["Duration"] = str(m.duration)
    if m.attrs.get("CoverURL"):
        base["CoverURL"] = m.attrs["CoverURL"]
    return {"PlayInfoList": {"PlayInfo": infos}, "VideoBase": base}


class _NoStream(InvalidVideoNotFound):
    code, status = "InvalidVideo.NoneStream", 404
    default_message = "The video has no stream that can be played."


def _page(p: Params) -> tuple[int, int]:
    try:
        page, size = int(p.get("PageNo") or 1), int(p.get("PageSize") or 20)
    except ValueError:
        raise InvalidParameter("PageNo", "PageNo and PageSize are integers.") from None
    if page < 1 or not 1 <= size <= 100:
        raise InvalidParameter("PageSize", "PageNo >= 1, 1 <= PageSize <= 100.")
    return page, size


@action
async def GetVideoList(c: Context, p: Params) -> dict[str, Any]:
    page, size = _page(p)
    statuses = {s for s in (p.get("Status") or "").split(",") if s}
    videos = [m for m in c.library.list(PROVIDER, media_type="video", newest_first=p.get("SortBy") != "CreationTime:Asc")
              if not statuses or m.status in statuses]
    chosen = videos[(page - 1) * size: page * size]
    return {"Total": len(videos), "VideoList": {"Video": [_video_fields(m) for m in chosen]}}


@action
async def SearchMedia(c: Context, p: Params) -> dict[str, Any]:
    """Basics: SearchType video|image|attached (default video), Match ``Title in ('…')`` or
    ``Title = '…'`` or ``VideoId = '…'``/``MediaId = '…'``, PageNo/PageSize."""
    page, size = _page(p)
    kind = (p.get("SearchType") or "video").split(",")[0]
    if kind not in ("video", "image", "attached"):
        raise InvalidParameter("SearchType", "Expected video, image or attached.")
    match = _match(p.get("Match") or "")
    found = [m for m in c.library.list(PROVIDER, media_type=kind) if match(m)]
    chosen = found[(page - 1) * size: page * size]
    field = {"video": "Video", "image": "Image", "attached": "AttachedMedia"}[kind]
    items = [{"MediaId": m.media_id, "MediaType": kind, "CreationTime": _time(m.created),
              field: _video_fields(m) if kind == "video" else {"Title": m.title, "Status": m.status,
                                                                "CreationTime": _time(m.created)}}
             for m in chosen]
    return {"Total": len(found), "MediaList": items}


def _match(text: str):
    import re
    text = text.strip()
    if not text:
        return lambda m: True
    found = re.fullmatch(r"(\w+)\s*(=|in)\s*\(?\s*(.*?)\s*\)?", text, re.IGNORECASE)
    if not found:
        raise InvalidParameter("Match", "This emulator understands Field = 'value' and Field in ('a','b').")
    field, values = found.group(1), [v.strip().strip("'\"") for v in found.group(3).split(",")]
    getters = {"Title": lambda m: m.title, "VideoId": lambda m: m.media_id, "MediaId": lambda m: m.media_id,
               "Status": lambda m: m.status}
    if field not in getters:
        raise InvalidParameter("Match", f"Fields this emulator can match: {', '.join(getters)}.")
    return lambda m: getters[field](m) in values


_EDITABLE = ("Title", "Description", "CoverURL", "CateId", "Tags")


@action
async def UpdateVideoInfo(c: Context, p: Params) -> dict[str, Any]:
    m = video(c, required(p, "VideoId"))
    changes: dict[str, tuple[Any, Any]] = {}
    attrs = dict(m.attrs)
    title = m.title
    for key in _EDITABLE:
        if key not in p:
            continue
        old = m.title if key == "Title" else attrs.get(key, "")
        if p[key] != old:
            changes[key] = (old, p[key])
        if key == "Title":
            title = p[key]
        else:
            attrs[key] = p[key]
    m = c.library.put(m.with_(title=title, attrs=attrs, modified=time.time()))
    if changes:
        flows.base_changed(c.backend, m, changes)
    return {}


@action
async def DeleteVideo(c: Context, p: Params) -> dict[str, Any]:
    ids = [v.strip() for v in required(p, "VideoIds").split(",") if v.strip()]
    if len(ids) > 20:
        raise InvalidParameter("VideoIds", "At most 20 video IDs.")
    missing = []
    for video_id in ids:
        media = c.library.get(video_id)
        if media is None or media.media_type != "video":
            missing.append(video_id)
            continue
        c.library.delete(video_id)
        flows.deleted(c.backend, media)
    return {"NonExistVideoIds": missing} if missing else {}
