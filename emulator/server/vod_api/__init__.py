"""The VOD OpenAPI face of serve (ACS3-HMAC-SHA256 and RPC HMAC-SHA1 calls)."""

from .app import handle, install
from .model import VodBackend

__all__ = ["VodBackend", "handle", "install"]
