"""Queue and message records, with the documented limits and defaults.

Times follow the wire: message times in milliseconds, queue times in seconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from typing import Any

from emulator.errors import did_you_mean

from .errors import InvalidArgument, InvalidQueueName, QueueNameLengthError

# (low, high, default) per queue attribute; CreateQueue / SetQueueAttributes docs.
LIMITS: dict[str, tuple[int, int, int]] = {
    "DelaySeconds": (0, 604800, 0),
    "MaximumMessageSize": (1024, 65536, 65536),
    "MessageRetentionPeriod": (60, 604800, 345600),
    "VisibilityTimeout": (1, 43200, 30),
    "PollingWaitSeconds": (0, 30, 0),
}
UNITS = {"MaximumMessageSize": "bytes"}
PRIORITY = (1, 16, 8)              # 1 is the highest
MESSAGE_DELAY = (0, 604800)
WAIT_SECONDS = (0, 30)
BATCH = (1, 16)                    # numOfMessages, messages per batch send / delete
BATCH_BYTES = 65536
CHANGE_VISIBILITY = (1, 43200)
QUEUE_NAME_MAX = 120
LIST_RET_NUMBER = (1, 1000, 1000)

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*\Z")


def check_queue_name(name: str) -> str:
    if not 1 <= len(name) <= QUEUE_NAME_MAX:
        raise QueueNameLengthError()
    if not _NAME.match(name):
        raise InvalidQueueName()
    return name


def check_range(element: str, value: int, low: int, high: int, unit: str = "") -> int:
    if not low <= value <= high:
        tail = f" {unit}" if unit else ""
        raise InvalidArgument(f"The value of {element} should between {low} and {high}{tail}.")
    return value


@dataclass(frozen=True, slots=True)
class QueueAttributes:
    """The settable attributes of a queue; out-of-range values raise ``InvalidArgument``."""

    DelaySeconds: int = LIMITS["DelaySeconds"][2]
    MaximumMessageSize: int = LIMITS["MaximumMessageSize"][2]
    MessageRetentionPeriod: int = LIMITS["MessageRetentionPeriod"][2]
    VisibilityTimeout: int = LIMITS["VisibilityTimeout"][2]
    PollingWaitSeconds: int = LIMITS["PollingWaitSeconds"][2]
    LoggingEnabled: bool = False

    def __post_init__(self) -> None:
        for name, (low, high, _) in LIMITS.items():
            check_range(name, getattr(self, name), low, high, UNITS.get(name, "seconds"))

    def updated(self, changes: dict[str, Any]) -> QueueAttributes:
        for name, value in changes.items():
            if name not in LIMITS and name != "LoggingEnabled":
                known = [f.name for f in fields(self)]
                raise InvalidArgument(f"Unknown queue attribute {str(name)[:60]!r}{did_you_mean(str(name), known)}.")
            if name == "LoggingEnabled" and not isinstance(value, bool):
                raise InvalidArgument("The value of LoggingEnabled should be true or false.")
            if name != "LoggingEnabled" and (isinstance(value, bool) or not isinstance(value, int)):
                raise InvalidArgument(f"The value of {name} should be an integer.")
        return replace(self, **changes)

    def as_dict(self) -> dict[str, int | bool]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


ATTRIBUTE_NAMES = tuple(f.name for f in fields(QueueAttributes))


@dataclass(frozen=True, slots=True)
class QueueInfo:
    name: str
    attributes: QueueAttributes
    create_time: int          # seconds
    last_modify_time: int     # seconds
    active: int = 0           # visible now
    inactive: int = 0         # received, invisible until their visibility timeout passes
    delayed: int = 0          # sent with a delay that has not passed yet


@dataclass(frozen=True, slots=True)
class QueuePage:
    names: tuple[str, ...]
    next_marker: str = ""     # empty on the last page


@dataclass(frozen=True, slots=True)
class NewMessage:
    body: str
    delay_seconds: int | None = None     # None: the queue's DelaySeconds
    priority: int | None = None          # None: 8


@dataclass(frozen=True, slots=True)
class SentMessage:
    message_id: str
    body_md5: str
    receipt_handle: str = ""             # only for delayed messages, as the service does


@dataclass(frozen=True, slots=True)
class Message:
    """A message as Receive (with handle and next visible time) or Peek (without) returns it."""

    message_id: str
    body: str
    body_md5: str
    enqueue_time: int         # ms
    first_dequeue_time: int   # ms; equals enqueue_time while never received
    dequeue_count: int
    priority: int
    receipt_handle: str = ""
    next_visible_time: int = 0   # ms


@dataclass(frozen=True, slots=True)
class Visibility:
    receipt_handle: str
    next_visible_time: int    # ms
