"""The MNS face of ``serve``: a local Alibaba Cloud MNS (Simple Message Queue) queue service for
VOD's MNS callbacks (wire.py: XML; auth.py: signatures; handlers.py; model.py; store.py: SQLite)."""

from .app import create_app
from .auth import DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET
from emulator.clock import ManualClock
from .errors import MnsError
from .store import QueueStore

__all__ = ["DEFAULT_ACCESS_KEY_ID", "DEFAULT_ACCESS_KEY_SECRET", "ManualClock", "MnsError", "QueueStore",
           "create_app"]
