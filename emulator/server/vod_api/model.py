"""The VOD face's state, as the handlers see it: the call's region and serve's shared pieces
(the one callback store, the media library, the OSS stand-in, the processing profiles, the
delivery of the events that follow).  No HTTP here."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import secrets
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from emulator.run.faults import FaultPlan
from ..oss import Grant, Grants, ObjectInfo, ObjectStore
from ..shared.callbacks import CallbackStore
from ..shared.media import MediaRecord
from ..shared.media_store import MediaLibrary
from ..shared.profile import ProfileSet

log = logging.getLogger(__name__)

Params = dict[str, str]
DEFAULT_REGION = "cn-shanghai"
PROVIDER = "aliyun"


@dataclass(frozen=True, slots=True)
class VodSettings:
    region: str = DEFAULT_REGION          # for calls that name no region (the ACS3 SDK sends none)
    time_scale: float = 1.0               # processing times and delivery waits (0: at once)
    credentials_ttl: float = 3600.0       # UploadAuth's Expiration, seconds
    chaos: FaultPlan = FaultPlan()        # applied to every flow of events
    profiles: ProfileSet = ProfileSet()


def _ignore(command: str, answer: dict[str, Any], report: dict[str, Any]) -> None:
    return None


@dataclass
class VodBackend:
    """What serve gives the VOD face; one per server."""

    callbacks: CallbackStore
    library: MediaLibrary = field(default_factory=MediaLibrary)
    oss: ObjectStore | None = None
    grants: Grants = field(default_factory=Grants)
    settings: VodSettings = VodSettings()
    access_key_id: str = ""
    access_key_secret: str = ""
    base_url: str = ""                    # set once serve listens
    record: Callable[[str, dict[str, Any], dict[str, Any]], Any] = _ignore   # keeps a flow's run report
    tasks: set[asyncio.Task] = field(default_factory=set)

    @property
    def region(self) -> str:
        return self.settings.region

    def spawn(self, coro: Coroutine[Any, Any, None], what: str) -> None:
        async def guarded() -> None:
            try:
                await coro
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("%s failed", what)
        task = asyncio.get_running_loop().create_task(guarded())
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def settle(self) -> None:
        """Wait for every flow still running (tests, bench)."""
        while self.tasks:
            await asyncio.gather(*list(self.tasks), return_exceptions=True)

    async def cancel_all(self) -> None:
        tasks = list(self.tasks)
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def reset(self) -> dict[str, int]:
        """Stop the flows, forget every media, job and object (the control API's reset)."""
        await self.cancel_all()
        media = self.library.clear()
        objects = self.oss.clear() if self.oss is not None else 0
        return {"deleted_media": media, "deleted_objects": objects}

    def close(self) -> None:
        self.library.close()
        if self.oss is not None:
            self.oss.close()

    # -- uploads -------------------------------------------------------------------------
    def bucket(self, region: str) -> str:
        """The region's VOD system bucket (stable, like the service's ``outin-<32 hex>``)."""
        import hashlib
        return "outin-" + hashlib.md5(f"vod-emulator/{region}".encode()).hexdigest()

    def upload_auth(self, media: MediaRecord) -> tuple[str, str]:
        """(UploadAddress, UploadAuth), Base64 JSON as the service returns them, with fresh
        temporary credentials that reach only this media's object."""
        assert self.oss is not None
        self.oss.ensure_bucket(media.bucket)
        now = time.time()
        grant = self.grants.add(Grant("STS." + secrets.token_urlsafe(18), secrets.token_urlsafe(30),
                                      secrets.token_urlsafe(96), media.bucket, media.object_key,
                                      now + self.settings.credentials_ttl))
        address = {"Endpoint": self.base_url, "Bucket": media.bucket, "FileName": media.object_key}
        auth = {"SecurityToken": grant.token, "AccessKeyId": grant.access_key_id,
                "ExpireUTCTime": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(grant.expires)),
                "AccessKeySecret": grant.secret, "Expiration": str(int(self.settings.credentials_ttl)),
                "Region": media.region}
        return _b64(address), _b64(auth)

    async def object_uploaded(self, info: ObjectInfo) -> None:
        """The OSS stand-in finished an object: if it is a media's upload, what follows follows."""
        from .flows import upload_completed
        upload_completed(self, info)


def _b64(doc: dict[str, Any]) -> str:
    return base64.b64encode(json.dumps(doc, separators=(",", ":")).encode()).decode()


@dataclass(frozen=True, slots=True)
class Context:
    """One call: its region and the backend."""

    backend: VodBackend
    region: str

    @property
    def callbacks(self) -> CallbackStore:
        return self.backend.callbacks

    @property
    def library(self) -> MediaLibrary:
        return self.backend.library

    @property
    def base_url(self) -> str:
        return self.backend.base_url
