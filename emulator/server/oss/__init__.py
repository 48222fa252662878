"""The OSS stand-in of serve: what oss2 (and VOD's upload SDKs that wrap it) do for an upload."""

from .app import handle, install
from .auth import Grant, Grants
from .handlers import OssFace
from .store import ObjectInfo, ObjectStore

__all__ = ["Grant", "Grants", "ObjectInfo", "ObjectStore", "OssFace", "handle", "install"]
