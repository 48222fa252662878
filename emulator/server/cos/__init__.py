"""The COS stand-in: what ``cos-python-sdk-v5`` does in a VOD upload (PutObject; initiate,
upload part, list parts, complete, abort, list multipart uploads; HEAD/GET of an object),
with its q-sign-algorithm=sha1 signatures and its XML errors (auth.py: signatures; wire.py:
XML; handlers.py: one function per operation; store.py: objects, no HTTP)."""

from .app import COS_KEYS, COS_STORE, handle, install
from .store import ObjectStore

__all__ = ["COS_KEYS", "COS_STORE", "ObjectStore", "handle", "install"]
