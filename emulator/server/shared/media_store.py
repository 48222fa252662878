"""The media library in SQLite (``media.sqlite3`` in the data dir, or in memory): media,
their streams, and jobs.  Plain records in, plain records out; no HTTP, no provider logic."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from .media import JobRecord, MediaRecord, StreamRecord, from_doc, to_doc
from .sqlite_open import open_locked
from .sqlite_store import SqliteStore

log = logging.getLogger(__name__)

DB_FILE = "media.sqlite3"
SCHEMA = """
CREATE TABLE IF NOT EXISTS media (
    media_id TEXT PRIMARY KEY,
    provider TEXT NOT NULL,
    region TEXT NOT NULL,
    created REAL NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS media_order ON media (provider, created);
CREATE TABLE IF NOT EXISTS streams (
    seq INTEGER PRIMARY KEY,
    media_id TEXT NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS streams_media ON streams (media_id, seq);
CREATE TABLE IF NOT EXISTS jobs (
    job_id TEXT PRIMARY KEY,
    media_id TEXT NOT NULL,
    created REAL NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_media ON jobs (media_id, created);
"""


def _dumps(record: object) -> str:
    return json.dumps(to_doc(record), ensure_ascii=False, sort_keys=True)


class MediaLibrary(SqliteStore):
    label = "media library"

    @classmethod
    def in_dir(cls, data_dir: str | Path) -> MediaLibrary:
        Path(data_dir).mkdir(parents=True, exist_ok=True)
        return cls(Path(data_dir) / DB_FILE)

    def open(self) -> MediaLibrary:
        self._closing = False
        if self._db is None:
            self._db = open_locked(self.path, SCHEMA, "media library")
        return self

    # -- media -------------------------------------------------------------------------
    def put(self, media: MediaRecord) -> MediaRecord:
        with self._txn() as db:
            db.execute("INSERT OR REPLACE INTO media (media_id, provider, region, created, doc) VALUES (?,?,?,?,?)",
                       (media.media_id, media.provider, media.region, media.created, _dumps(media)))
        return media

    def get(self, media_id: str) -> MediaRecord | None:
        row = self.db.execute("SELECT doc FROM media WHERE media_id = ?", (media_id,)).fetchone()
        return from_doc(MediaRecord, json.loads(row[0])) if row else None

    def list(self, provider: str | None = None, *, media_type: str | None = None, newest_first: bool = True,
             limit: int = 1000, offset: int = 0) -> list[MediaRecord]:
        order = "DESC" if newest_first else "ASC"
        rows = self.db.execute(f"SELECT doc FROM media WHERE (? IS NULL OR provider = ?) "
                               f"ORDER BY created {order}, media_id {order}", (provider, provider)).fetchall()
        out = [from_doc(MediaRecord, json.loads(r[0])) for r in rows]
        if media_type is not None:
            out = [m for m in out if m.media_type == media_type]
        return out[offset:offset + limit]

    def by_object(self, bucket: str, key: str) -> MediaRecord | None:
        """The media whose upload lands at ``bucket``/``key``."""
        row = self.db.execute("SELECT doc FROM media WHERE json_extract(doc, '$.bucket') = ? "
                              "AND json_extract(doc, '$.object_key') = ?", (bucket, key)).fetchone()
        return from_doc(MediaRecord, json.loads(row[0])) if row else None

    def delete(self, media_id: str) -> bool:
        with self._txn() as db:
            db.execute("DELETE FROM streams WHERE media_id = ?", (media_id,))
            return db.execute("DELETE FROM media WHERE media_id = ?", (media_id,)).rowcount > 0

    # -- streams -----------------------------------------------------------------------
    def add_stream(self, stream: StreamRecord) -> None:
        with self._txn() as db:
            db.execute("INSERT INTO streams (media_id, doc) VALUES (?, ?)", (stream.media_id, _dumps(stream)))

    def streams(self, media_id: str) -> list[StreamRecord]:
        rows = self.db.execute("SELECT doc FROM streams WHERE media_id = ? ORDER BY seq", (media_id,)).fetchall()
        return [from_doc(StreamRecord, json.loads(r[0])) for r in rows]

    def drop_streams(self, media_id: str) -> int:
        with self._txn() as db:
            return db.execute("DELETE FROM streams WHERE media_id = ?", (media_id,)).rowcount

    # -- jobs --------------------------------------------------------------------------
    def put_job(self, job: JobRecord) -> JobRecord:
        with self._txn() as db:
            db.execute("INSERT OR REPLACE INTO jobs (job_id, media_id, created, doc) VALUES (?,?,?,?)",
                       (job.job_id, job.media_id, job.created, _dumps(job)))
        return job

    def job(self, job_id: str) -> JobRecord | None:
        row = self.db.execute("SELECT doc FROM jobs WHERE job_id = ?", (job_id,)).fetchone()
        return from_doc(JobRecord, json.loads(row[0])) if row else None

    def jobs(self, media_id: str | None = None) -> list[JobRecord]:
        rows = self.db.execute("SELECT doc FROM jobs WHERE (? IS NULL OR media_id = ?) ORDER BY created, job_id",
                               (media_id, media_id)).fetchall()
        return [from_doc(JobRecord, json.loads(r[0])) for r in rows]

    # -- all ---------------------------------------------------------------------------
    def clear(self, provider: str | None = None) -> int:
        """Forget every media (of ``provider``), its streams and jobs; returns the media count."""
        with self._txn() as db:
            ids = [r[0] for r in db.execute("SELECT media_id FROM media WHERE (? IS NULL OR provider = ?)",
                                            (provider, provider))]
            for media_id in ids:
                db.execute("DELETE FROM streams WHERE media_id = ?", (media_id,))
                db.execute("DELETE FROM jobs WHERE media_id = ?", (media_id,))
                db.execute("DELETE FROM media WHERE media_id = ?", (media_id,))
            if provider is None:
                db.execute("DELETE FROM jobs")
            return len(ids)
