"""The Tencent face of ``serve``: Tencent Cloud VOD's reliable-callback API (Mode PULL) —
PullEvents, ConfirmEvents, Modify/DescribeEventConfig and DescribeEventsState — and the media
actions that cause events (ApplyUpload … DescribeTaskDetail), as API 3.0 ``POST /`` calls
(tc3.py: auth; actions.py and vod_actions.py: handlers; store.py: the event queue; vod.py:
the media model; delivery.py: routing by the event config)."""

from .app import TENCENT_SETTINGS, TENCENT_STORE, ApiSettings, create_app, handle, mount
from .errors import TencentError
from .store import EventConfig, EventStore
from .tc3 import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, sign

__all__ = ["DEFAULT_SECRET_ID", "DEFAULT_SECRET_KEY", "TENCENT_SETTINGS", "TENCENT_STORE", "ApiSettings",
           "EventConfig", "EventStore", "TencentError", "create_app", "handle", "mount", "sign"]
