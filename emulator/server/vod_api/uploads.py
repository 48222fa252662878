"""Upload actions: CreateUploadVideo, RefreshUploadVideo, CreateUploadImage,
CreateUploadAttachedMedia.  Each records the media (status Uploading) and returns where to
put the file — the OSS stand-in on this server — with temporary credentials for it."""

from __future__ import annotations

import secrets
import time
from typing import Any

from ..shared.media import MediaRecord
from . import userdata
from .errors import InvalidParameter, InvalidVideoNotFound
from .handlers import action, required
from .model import PROVIDER, Context, Params

IMAGE_EXTS = ("png", "jpg", "jpeg", "gif")
IMAGE_TYPES = ("default", "cover")
BUSINESS_TYPES = ("watermark", "subtitle", "material")
_KEPT = ("Description", "CoverURL", "CateId", "Tags", "TemplateGroupId", "WorkflowId", "StorageLocation", "AppId")


def _stamp() -> str:
    return f"{secrets.token_hex(4)}-{secrets.token_hex(6)[:11]}"


def _new(c: Context, p: Params, media_type: str, key: str, title: str, file_name: str) -> MediaRecord:
    ud = userdata.parse(p.get("UserData"))
    attrs: dict[str, Any] = {k: p[k] for k in _KEPT if p.get(k)}
    if ud.raw:
        attrs["UserData"] = ud.raw
    if ud.callback_url:
        attrs["CallbackURL"] = ud.callback_url
    if ud.extend is not None:
        attrs["Extend"] = ud.extend
    now = time.time()
    media = MediaRecord(secrets.token_hex(16), PROVIDER, c.region, media_type, "Uploading", title=title,
                        file_name=file_name, bucket=c.backend.bucket(c.region), object_key=key, created=now,
                        modified=now, attrs=attrs)
    return c.library.put(media)


@action
async def CreateUploadVideo(c: Context, p: Params) -> dict[str, Any]:
    title, file_name = required(p, "Title"), required(p, "FileName")
    ext = file_name.rpartition(".")[2].lower() if "." in file_name else ""
    if not ext or "/" in ext:
        raise InvalidParameter("FileName", "The file name must have an extension, e.g. video.mp4.")
    stamp = _stamp()
    media = _new(c, p, "video", f"sv/{stamp}/{stamp}.{ext}", title, file_name)
    address, auth = c.backend.upload_auth(media)
    return {"VideoId": media.media_id, "UploadAddress": address, "UploadAuth": auth}


@action
async def RefreshUploadVideo(c: Context, p: Params) -> dict[str, Any]:
    media = c.library.get(required(p, "VideoId"))
    if media is None or media.media_type != "video":
        raise InvalidVideoNotFound()
    address, auth = c.backend.upload_auth(media)
    return {"VideoId": media.media_id, "UploadAddress": address, "UploadAuth": auth}


@action
async def CreateUploadImage(c: Context, p: Params) -> dict[str, Any]:
    image_type = p.get("ImageType") or "default"
    if image_type not in IMAGE_TYPES:
        raise InvalidParameter("ImageType", f"Expected one of {', '.join(IMAGE_TYPES)}.")
    ext = (p.get("ImageExt") or "png").lower()
    if ext not in IMAGE_EXTS:
        raise InvalidParameter("ImageExt", f"Expected one of {', '.join(IMAGE_EXTS)}.")
    key = f"image/{image_type}/{secrets.token_hex(16).upper()}-6-2.{ext}"
    media = _new(c, p, "image", key, p.get("Title") or "", key.rpartition("/")[2])
    address, auth = c.backend.upload_auth(media)
    url = f"http://{media.bucket}.oss-{media.region}.aliyuncs.com/{key}"
    return {"ImageId": media.media_id, "ImageURL": url, "FileURL": url, "UploadAddress": address,
            "UploadAuth": auth}


@action
async def CreateUploadAttachedMedia(c: Context, p: Params) -> dict[str, Any]:
    business = required(p, "BusinessType")
    if business not in BUSINESS_TYPES:
        raise InvalidParameter("BusinessType", f"Expected one of {', '.join(BUSINESS_TYPES)}.")
    ext = required(p, "MediaExt").lower()
    key = f"{business}/{secrets.token_hex(16)}/{secrets.token_hex(16)}.{ext}"
    media = _new(c, p, "attached", key, p.get("Title") or "", p.get("FileName") or key.rpartition("/")[2])
    address, auth = c.backend.upload_auth(media)
    url = f"http://{media.bucket}.oss-{media.region}.aliyuncs.com/{key}"
    return {"MediaId": media.media_id, "MediaURL": url, "FileURL": url, "UploadAddress": address,
            "UploadAuth": auth}
