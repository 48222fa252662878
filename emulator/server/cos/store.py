"""Objects and multipart uploads, in a directory (``cos/`` in serve's data dir) or in memory.

No HTTP here.  Keys are kept per bucket; a part is stored as its own file until the upload
is completed, then the parts are joined in PartNumber order.  ETags are the hex MD5 of an
object (simple upload) or of a part; a completed multipart object gets
``<md5 of the part md5s>-<count>``, as COS (and S3) do.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from .errors import EntityTooSmall, InvalidPart, InvalidPartOrder, NoSuchKey, NoSuchUpload

MIN_PART = 1024 * 1024        # every part but the last (COS: 1 MB)
MAX_NAME = 200                # bytes of a file name (filesystems allow 255; ".tmp" is added while writing)


def _file_name(part: str) -> str:
    """A bucket or key as one file name: percent-quoted; ``.``, ``..``, empty and over-long
    names as ``%~<sha256>`` (a form quoting never makes), so no name leaves its folder."""
    name = quote(part, safe="")
    if name in ("", ".", "..") or len(name) > MAX_NAME:
        return "%~" + hashlib.sha256(part.encode("utf-8", "surrogatepass")).hexdigest()
    return name


@dataclass
class Upload:
    upload_id: str
    bucket: str
    key: str
    initiated: float
    parts: dict[int, tuple[str, int]] = field(default_factory=dict)   # number → (etag, size)


class ObjectStore:
    def __init__(self, root: str | Path | None = None) -> None:
        self.root = Path(root) if root is not None else None
        self._objects: dict[tuple[str, str], bytes] = {}
        self._part_data: dict[tuple[str, int], bytes] = {}
        self.uploads: dict[str, Upload] = {}
        if self.root is not None:
            (self.root / ".uploads").mkdir(parents=True, exist_ok=True)
            for meta in (self.root / ".uploads").glob("*.json"):
                doc = json.loads(meta.read_text())
                up = Upload(doc["upload_id"], doc["bucket"], doc["key"], doc["initiated"],
                            {int(n): (e, s) for n, (e, s) in doc["parts"].items()})
                self.uploads[up.upload_id] = up

    # -- objects -----------------------------------------------------------------------
    def _path(self, bucket: str, key: str) -> Path:
        assert self.root is not None
        return self.root / _file_name(bucket) / _file_name(key)

    def put(self, bucket: str, key: str, data: bytes) -> str:
        if self.root is None:
            self._objects[(bucket, key)] = data
        else:
            path = self._path(bucket, key)
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(path.name + ".tmp")
            tmp.write_bytes(data)
            tmp.replace(path)
        return hashlib.md5(data).hexdigest()

    def get(self, bucket: str, key: str) -> bytes:
        if self.root is None:
            if (bucket, key) not in self._objects:
                raise NoSuchKey()
            return self._objects[(bucket, key)]
        path = self._path(bucket, key)
        if not path.is_file():
            raise NoSuchKey()
        return path.read_bytes()

    def exists(self, bucket: str, key: str) -> bool:
        return (bucket, key) in self._objects if self.root is None else self._path(bucket, key).is_file()

    def delete(self, bucket: str, key: str) -> None:
        if self.root is None:
            self._objects.pop((bucket, key), None)
        else:
            self._path(bucket, key).unlink(missing_ok=True)

    def clear(self) -> int:
        """Forget every object and unfinished upload (the control API's reset); the object count."""
        for upload in list(self.uploads.values()):
            self.abort(upload)
        if self.root is None:
            count = len(self._objects)
            self._objects.clear()
            return count
        count = 0
        for bucket in [d for d in self.root.iterdir() if d.is_dir() and d.name != ".uploads"]:
            for path in bucket.iterdir():
                path.unlink(missing_ok=True)
                count += not path.name.endswith(".tmp")
            bucket.rmdir()
        return count

    # -- multipart ---------------------------------------------------------------------
    def initiate(self, bucket: str, key: str) -> Upload:
        upload = Upload(f"{int(time.time())}{secrets.token_hex(16)}", bucket, key, time.time())
        self.uploads[upload.upload_id] = upload
        self._save(upload)
        return upload

    def upload(self, bucket: str, key: str, upload_id: str) -> Upload:
        upload = self.uploads.get(upload_id)
        if upload is None or (upload.bucket, upload.key) != (bucket, key):
            raise NoSuchUpload()
        return upload

    def put_part(self, upload: Upload, number: int, data: bytes) -> str:
        etag = hashlib.md5(data).hexdigest()
        if self.root is None:
            self._part_data[(upload.upload_id, number)] = data
        else:
            (self.root / ".uploads" / f"{upload.upload_id}.{number}").write_bytes(data)
        upload.parts[number] = (etag, len(data))
        self._save(upload)
        return etag

    def _part(self, upload: Upload, number: int) -> bytes:
        if self.root is None:
            return self._part_data[(upload.upload_id, number)]
        return (self.root / ".uploads" / f"{upload.upload_id}.{number}").read_bytes()

    def complete(self, upload: Upload, listed: list[tuple[int, str]]) -> str:
        numbers = [n for n, _ in listed]
        if numbers != sorted(set(numbers)):
            raise InvalidPartOrder()
        for i, (number, etag) in enumerate(listed):
            have = upload.parts.get(number)
            if have is None or have[0] != etag.strip('"').lower():
                raise InvalidPart(f"part {number} was not uploaded or its ETag {etag!r} does not match")
            if i < len(listed) - 1 and have[1] < MIN_PART:
                raise EntityTooSmall(f"part {number} is {have[1]} bytes; every part but the last must be >= {MIN_PART}")
        data = b"".join(self._part(upload, n) for n in numbers)
        self.put(upload.bucket, upload.key, data)
        digest = hashlib.md5(b"".join(bytes.fromhex(upload.parts[n][0]) for n in numbers)).hexdigest()
        self.abort(upload)
        return f"{digest}-{len(numbers)}"

    def abort(self, upload: Upload) -> None:
        self.uploads.pop(upload.upload_id, None)
        for number in upload.parts:
            if self.root is None:
                self._part_data.pop((upload.upload_id, number), None)
            else:
                (self.root / ".uploads" / f"{upload.upload_id}.{number}").unlink(missing_ok=True)
        if self.root is not None:
            (self.root / ".uploads" / f"{upload.upload_id}.json").unlink(missing_ok=True)

    def _save(self, upload: Upload) -> None:
        if self.root is None:
            return
        doc = {"upload_id": upload.upload_id, "bucket": upload.bucket, "key": upload.key,
               "initiated": upload.initiated, "parts": {str(n): list(v) for n, v in upload.parts.items()}}
        (self.root / ".uploads" / f"{upload.upload_id}.json").write_text(json.dumps(doc))
