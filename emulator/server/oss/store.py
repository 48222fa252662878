"""The OSS stand-in's state: buckets, objects (bytes in files under the data dir, metadata in
SQLite) and multipart uploads.  No HTTP here; errors are ``OssError``s."""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from ..shared.sqlite_open import open_locked
from ..shared.sqlite_store import SqliteStore
from .errors import EntityTooSmall, InvalidPart, InvalidPartOrder, NoSuchBucket, NoSuchKey, NoSuchUpload

log = logging.getLogger(__name__)

DB_FILE = "oss.sqlite3"
MIN_PART = 100 * 1024          # every part but the last (checked at CompleteMultipartUpload)
SCHEMA = """
CREATE TABLE IF NOT EXISTS buckets (name TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS objects (
    bucket TEXT NOT NULL, key TEXT NOT NULL, size INTEGER NOT NULL, md5 TEXT NOT NULL, etag TEXT NOT NULL,
    content_type TEXT NOT NULL, kept INTEGER NOT NULL, multipart INTEGER NOT NULL, created REAL NOT NULL,
    PRIMARY KEY (bucket, key)
);
CREATE TABLE IF NOT EXISTS uploads (
    upload_id TEXT PRIMARY KEY, bucket TEXT NOT NULL, key TEXT NOT NULL, content_type TEXT NOT NULL,
    created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS parts (
    upload_id TEXT NOT NULL, number INTEGER NOT NULL, size INTEGER NOT NULL, md5 TEXT NOT NULL,
    PRIMARY KEY (upload_id, number)
);
"""


@dataclass(frozen=True, slots=True)
class ObjectInfo:
    bucket: str
    key: str
    size: int
    md5: str                   # hex
    etag: str                  # as OSS shows it, without quotes: upper-case MD5, or "<md5>-<parts>"
    content_type: str
    path: Path | None          # the bytes, when kept
    multipart: bool = False
    created: float = 0.0


class ObjectStore(SqliteStore):
    label = "OSS store"

    def __init__(self, path: str | Path = ":memory:", *, root: Path | None = None, keep_bytes: bool = True) -> None:
        super().__init__(path)
        self._own_root = root is None
        self.root = root or Path(tempfile.mkdtemp(prefix="vod-emulator-oss-"))
        self.keep_bytes = keep_bytes

    @classmethod
    def in_dir(cls, data_dir: str | Path, *, keep_bytes: bool = True) -> ObjectStore:
        root = Path(data_dir) / "oss"
        root.mkdir(parents=True, exist_ok=True)
        return cls(Path(data_dir) / DB_FILE, root=root, keep_bytes=keep_bytes)

    def open(self) -> ObjectStore:
        self._closing = False
        if self._db is None:
            self._db = open_locked(self.path, SCHEMA, "OSS store")
        (self.root / "objects").mkdir(parents=True, exist_ok=True)
        (self.root / "parts").mkdir(parents=True, exist_ok=True)
        return self

    def close(self) -> None:
        super().close()
        if self._own_root:
            shutil.rmtree(self.root, ignore_errors=True)

    # -- files ---------------------------------------------------------------------------
    def scratch(self) -> Path:
        fd, name = tempfile.mkstemp(dir=self.root, prefix=".in-")
        os.close(fd)
        return Path(name)

    def _object_path(self, bucket: str, key: str) -> Path:
        return self.root / "objects" / hashlib.sha256(f"{bucket}/{key}".encode()).hexdigest()

    def _part_path(self, upload_id: str, number: int) -> Path:
        return self.root / "parts" / f"{upload_id}.{number}"

    # -- buckets -------------------------------------------------------------------------
    def ensure_bucket(self, name: str) -> None:
        with self._txn() as db:
            db.execute("INSERT OR IGNORE INTO buckets (name) VALUES (?)", (name,))

    def check_bucket(self, name: str) -> None:
        if self.db.execute("SELECT 1 FROM buckets WHERE name = ?", (name,)).fetchone() is None:
            raise NoSuchBucket()

    # -- objects -------------------------------------------------------------------------
    def put(self, bucket: str, key: str, scratch: Path, size: int, md5: str, content_type: str,
            *, etag: str | None = None, multipart: bool = False) -> ObjectInfo:
        self.check_bucket(bucket)
        path = self._object_path(bucket, key)
        os.replace(scratch, path)
        info = ObjectInfo(bucket, key, size, md5, etag or md5.upper(), content_type, path, multipart, time.time())
        with self._txn() as db:
            db.execute("INSERT OR REPLACE INTO objects VALUES (?,?,?,?,?,?,?,?,?)",
                       (bucket, key, size, md5, info.etag, content_type, 1, int(multipart), info.created))
        return info

    def forget_bytes(self, info: ObjectInfo) -> None:
        """Keep only size and MD5 (the ``keep_bytes: false`` setting)."""
        self._object_path(info.bucket, info.key).unlink(missing_ok=True)
        with self._txn() as db:
            db.execute("UPDATE objects SET kept = 0 WHERE bucket = ? AND key = ?", (info.bucket, info.key))

    def head(self, bucket: str, key: str) -> ObjectInfo:
        self.check_bucket(bucket)
        row = self.db.execute("SELECT size, md5, etag, content_type, kept, multipart, created FROM objects "
                              "WHERE bucket = ? AND key = ?", (bucket, key)).fetchone()
        if row is None:
            raise NoSuchKey()
        size, md5, etag, ctype, kept, multipart, created = row
        return ObjectInfo(bucket, key, size, md5, etag, ctype, self._object_path(bucket, key) if kept else None,
                          bool(multipart), created)

    # -- multipart -----------------------------------------------------------------------
    def initiate(self, bucket: str, key: str, content_type: str) -> str:
        self.check_bucket(bucket)
        upload_id = secrets.token_hex(16).upper()
        with self._txn() as db:
            db.execute("INSERT INTO uploads VALUES (?,?,?,?,?)", (upload_id, bucket, key, content_type, time.time()))
        return upload_id

    def _upload(self, upload_id: str, bucket: str, key: str) -> str:
        row = self.db.execute("SELECT content_type FROM uploads WHERE upload_id = ? AND bucket = ? AND key = ?",
                              (upload_id, bucket, key)).fetchone()
        if row is None:
            raise NoSuchUpload()
        return row[0]

    def put_part(self, bucket: str, key: str, upload_id: str, number: int, scratch: Path, size: int, md5: str) -> str:
        self._upload(upload_id, bucket, key)
        os.replace(scratch, self._part_path(upload_id, number))
        with self._txn() as db:
            db.execute("INSERT OR REPLACE INTO parts VALUES (?,?,?,?)", (upload_id, number, size, md5))
        return md5.upper()

    def parts(self, bucket: str, key: str, upload_id: str) -> list[tuple[int, int, str]]:
        self._upload(upload_id, bucket, key)
        return self.db.execute("SELECT number, size, md5 FROM parts WHERE upload_id = ? ORDER BY number",
                               (upload_id,)).fetchall()

    def complete(self, bucket: str, key: str, upload_id: str, wanted: list[tuple[int, str]]) -> ObjectInfo:
        content_type = self._upload(upload_id, bucket, key)
        have = {n: (size, md5) for n, size, md5 in self.parts(bucket, key, upload_id)}
        numbers = [n for n, _ in wanted]
        if numbers != sorted(set(numbers)):
            raise InvalidPartOrder()
        for i, (n, etag) in enumerate(wanted):
            if n not in have or have[n][1].upper() != etag.upper():
                raise InvalidPart()
            if i < len(wanted) - 1 and have[n][0] < MIN_PART:
                raise EntityTooSmall(f"Your proposed upload is smaller than the minimum allowed object size: part "
                                     f"{n} is {have[n][0]} bytes; every part but the last needs {MIN_PART}.")
        scratch, digest, joined, size = self.scratch(), hashlib.md5(), hashlib.md5(), 0
        with open(scratch, "wb") as out:
            for n, _ in wanted:
                with open(self._part_path(upload_id, n), "rb") as part:
                    while chunk := part.read(1 << 20):
                        out.write(chunk)
                        digest.update(chunk)
                        size += len(chunk)
                joined.update(bytes.fromhex(have[n][1]))
        etag = f"{joined.hexdigest().upper()}-{len(wanted)}"
        info = self.put(bucket, key, scratch, size, digest.hexdigest(), content_type, etag=etag, multipart=True)
        self.abort(bucket, key, upload_id)
        return info

    def abort(self, bucket: str, key: str, upload_id: str) -> None:
        self._upload(upload_id, bucket, key)
        for n, _size, _md5 in self.parts(bucket, key, upload_id):
            self._part_path(upload_id, n).unlink(missing_ok=True)
        with self._txn() as db:
            db.execute("DELETE FROM parts WHERE upload_id = ?", (upload_id,))
            db.execute("DELETE FROM uploads WHERE upload_id = ?", (upload_id,))

    def clear(self) -> int:
        """Forget every object and upload (buckets stay); returns the object count."""
        with self._txn() as db:
            count = db.execute("DELETE FROM objects").rowcount
            db.execute("DELETE FROM uploads")
            db.execute("DELETE FROM parts")
        for sub in ("objects", "parts"):
            shutil.rmtree(self.root / sub, ignore_errors=True)
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        return count
