"""What went wrong with serve's data dir, in one line that names it and the actual cause.

At start (``StoreError``, an ``InputError``: the CLI exits 2 with the line): a read-only
dir, a dir that is a file, a corrupt or truncated store file, a store another process
holds, a full disk.  While running, each face answers a storage failure in its own error
format and ``once`` logs one line per distinct problem (not a traceback per request).
"""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
from pathlib import Path

from emulator.errors import InputError

log = logging.getLogger(__name__)

MAX_REMEMBERED = 100


class StoreError(InputError):
    """The data dir or a store file cannot be used; the message names it and the cause."""


def cause(exc: BaseException, path: str | Path | None = None) -> str:
    """The actual cause of a storage exception, in words a user can act on."""
    name = getattr(exc, "sqlite_errorname", "")
    text = str(exc)
    if name in ("SQLITE_BUSY", "SQLITE_LOCKED") or "locked" in text:
        return "in use by another process (another vod-emulator serve on this data dir?)"
    if name == "SQLITE_FULL" or "disk is full" in text or getattr(exc, "errno", None) == errno.ENOSPC:
        return "the disk is full"
    if name.startswith("SQLITE_READONLY") or "readonly" in text or getattr(exc, "errno", None) == errno.EROFS:
        return "read-only (the file or the filesystem cannot be written)"
    if name in ("SQLITE_NOTADB", "SQLITE_CORRUPT") or "not a database" in text or "malformed" in text:
        return "not a valid SQLite store (corrupt or truncated): move it aside or use another --data-dir"
    if name == "SQLITE_CANTOPEN" and path is not None and not os.access(Path(path).parent, os.W_OK):
        return "the data dir is not writable"
    if isinstance(exc, OSError):
        return (exc.strerror or text).lower() if exc.strerror else text
    return text or type(exc).__name__


def check_dir(data_dir: str | Path) -> Path:
    """Create the data dir if needed; StoreError if it cannot be or cannot be written."""
    path = Path(data_dir)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise StoreError(f"data dir {path}: exists and is not a directory") from None
    except OSError as exc:
        raise StoreError(f"data dir {path}: cannot create it: {cause(exc)}") from None
    if not os.access(path, os.W_OK | os.X_OK):
        raise StoreError(f"data dir {path}: read-only (this user cannot write in it)")
    return path


def open_failed(exc: BaseException, path: str | Path, label: str) -> StoreError:
    p = Path(path)
    return StoreError(f"data dir {p.parent}: {label} {p.name}: {cause(exc, p)}")


class Once:
    """Log one line per distinct storage problem of a face (message text as the key)."""

    def __init__(self, face: str) -> None:
        self.face = face
        self.seen: set[str] = set()

    def __call__(self, exc: BaseException) -> str:
        why = cause(exc)
        if why not in self.seen and len(self.seen) < MAX_REMEMBERED:
            self.seen.add(why)
            log.error("%s: storage failed: %s (answering errors while it lasts)", self.face, why)
        return why


def is_storage_error(exc: BaseException) -> bool:
    return isinstance(exc, (sqlite3.Error, OSError))
