"""UploadMediaByURL: the service pulls each URL into its storage, then UploadByURLComplete and
the processing follow.  This emulator pulls only loopback URLs (127.0.0.1, localhost, ::1) —
serve a file from your test — and fails any other with the documented URLInvalidError, so it
never reaches beyond the machine."""

from __future__ import annotations

import hashlib
import ipaddress
import json
import logging
import secrets
import time
from typing import Any
from urllib.parse import unquote, urlsplit

import aiohttp

from ..shared.media import JobRecord, MediaRecord
from . import flows, userdata
from .errors import InvalidParameter
from .handlers import action, required
from .model import PROVIDER, Context, Params

log = logging.getLogger(__name__)
MAX_URLS = 20
MAX_FETCH_BYTES = 1024 ** 3
FETCH_TIMEOUT = 60.0


def loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@action
async def UploadMediaByURL(c: Context, p: Params) -> dict[str, Any]:
    urls = [unquote(u.strip()) for u in required(p, "UploadURLs").split(",") if u.strip()]
    if not urls or len(urls) > MAX_URLS:
        raise InvalidParameter("UploadURLs", f"Give 1 to {MAX_URLS} comma-separated URLs.")
    for u in urls:
        try:
            scheme = urlsplit(u).scheme
        except ValueError:          # "http://[::1": an unclosed IPv6 bracket
            scheme = ""
        if scheme not in ("http", "https"):
            raise InvalidParameter("UploadURLs", f"Not an http(s) URL: {u[:100]!r}.")
    metas: dict[str, dict[str, Any]] = {}
    if p.get("UploadMetadatas"):
        try:
            listed = json.loads(p["UploadMetadatas"])
        except (ValueError, RecursionError):
            raise InvalidParameter("UploadMetadatas", "Not a JSON array.") from None
        if not isinstance(listed, list) or not all(isinstance(m, dict) for m in listed):
            raise InvalidParameter("UploadMetadatas", "Expected a JSON array of objects.")
        metas = {unquote(str(m.get("SourceURL", ""))): m for m in listed}
    ud = userdata.parse(p.get("UserData"))
    jobs = []
    for u in urls:
        meta = metas.get(u, {})
        path = urlsplit(u).path
        name = path.rpartition("/")[2] or "video.mp4"
        ext = name.rpartition(".")[2].lower() if "." in name else "mp4"
        stamp = f"{secrets.token_hex(4)}-{secrets.token_hex(6)[:11]}"
        attrs: dict[str, Any] = {k: str(v) for k, v in meta.items()
                                 if k in ("Description", "CoverURL", "CateId", "Tags", "TemplateGroupId", "WorkflowId")}
        for k in ("TemplateGroupId", "WorkflowId", "AppId", "StorageLocation"):
            if p.get(k) and k not in attrs:
                attrs[k] = p[k]
        if ud.callback_url:
            attrs["CallbackURL"] = ud.callback_url
        if ud.extend is not None:
            attrs["Extend"] = ud.extend
        now = time.time()
        media = c.library.put(MediaRecord(secrets.token_hex(16), PROVIDER, c.region, "video", "Uploading",
                                          title=str(meta.get("Title") or name), file_name=name,
                                          bucket=c.backend.bucket(c.region), object_key=f"sv/{stamp}/{stamp}.{ext}",
                                          created=now, modified=now, attrs={**attrs, "SourceURL": u}))
        job = c.library.put_job(JobRecord(secrets.token_hex(16), media.media_id, "url_upload", "Processing",
                                          created=now, attrs={"SourceURL": u}))
        c.backend.spawn(_pull(c.backend, media, job), f"UploadMediaByURL {u}")
        jobs.append({"JobId": job.job_id, "SourceURL": u})
    return {"UploadJobs": jobs}


async def _pull(backend: Any, media: MediaRecord, job: JobRecord) -> None:
    url = media.attrs["SourceURL"]
    store = backend.oss
    info = None
    if loopback(url):
        scratch, digest, size = store.scratch(), hashlib.md5(), 0
        try:
            timeout = aiohttp.ClientTimeout(total=FETCH_TIMEOUT)
            async with aiohttp.ClientSession(timeout=timeout) as session:
                async with session.get(url, allow_redirects=False) as resp:
                    if resp.status == 200:
                        with open(scratch, "wb") as out:
                            async for chunk in resp.content.iter_chunked(1 << 16):
                                size += len(chunk)
                                if size > MAX_FETCH_BYTES:
                                    raise ValueError("too large")
                                digest.update(chunk)
                                out.write(chunk)
                        store.ensure_bucket(media.bucket)
                        info = store.put(media.bucket, media.object_key, scratch, size, digest.hexdigest(),
                                         resp.headers.get("Content-Type", "video/mp4"))
        except (aiohttp.ClientError, OSError, ValueError, TimeoutError) as exc:
            log.info("UploadMediaByURL %s: %s", url, exc)
        finally:
            scratch.unlink(missing_ok=True)
    flows.url_pulled(backend, media, job, info)
