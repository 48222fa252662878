"""The media library's records, provider-neutral: what a fake VOD knows about a media file,
its transcoded streams, and the jobs run on it.  Faces (the Alibaba VOD OpenAPI, the Tencent
API) keep these in a ``MediaLibrary`` and put their own words in ``status`` and ``attrs``."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

__all__ = ["JobRecord", "MediaRecord", "StreamRecord", "from_doc", "to_doc"]


@dataclass(frozen=True, slots=True)
class MediaRecord:
    media_id: str
    provider: str                  # aliyun | tencent
    region: str
    media_type: str                # video | image | attached
    status: str                    # the provider's word (Alibaba: Uploading, Normal, TranscodeFail…)
    title: str = ""
    file_name: str = ""            # as the client named it (FileName)
    bucket: str = ""               # where the upload lands in the storage stand-in
    object_key: str = ""
    size: int | None = None        # bytes, from the uploaded object
    md5: str | None = None
    duration: float | None = None  # seconds, read from the file (video)
    width: int | None = None
    height: int | None = None
    fps: float | None = None
    bitrate: int | None = None     # kbps
    container: str | None = None   # mp4, mov… (from the file, or the name)
    created: float = 0.0           # epoch seconds
    modified: float = 0.0
    attrs: dict[str, Any] = field(default_factory=dict)   # provider fields: Description, Tags, UserData…

    def with_(self, **changes: Any) -> MediaRecord:
        return replace(self, **changes)


@dataclass(frozen=True, slots=True)
class StreamRecord:
    """One transcoded output, as its completion event reported it."""

    media_id: str
    job_id: str
    definition: str
    format: str
    width: int
    height: int
    bitrate: int
    fps: float
    duration: float
    size: int
    url: str
    status: str = "success"


@dataclass(frozen=True, slots=True)
class JobRecord:
    job_id: str
    media_id: str
    kind: str                      # upload | transcode | snapshot | audit | url_upload | delete…
    status: str                    # Processing | Success | Fail (normalised)
    created: float = 0.0
    finished: float | None = None
    attrs: dict[str, Any] = field(default_factory=dict)   # template group, callback URL, Extend, error…

    def with_(self, **changes: Any) -> JobRecord:
        return replace(self, **changes)


def to_doc(record: Any) -> dict[str, Any]:
    return asdict(record)


def from_doc(cls: type, doc: dict[str, Any]) -> Any:
    names = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in doc.items() if k in names})
