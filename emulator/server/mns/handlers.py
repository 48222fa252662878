"""One function per queue operation: parse the request, call one store method, return a Reply.

Routing follows the SDK's request table (method + path + which query items are present).
Query item names are matched case-insensitively; values are used exactly as sent.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from . import model, wire
from .errors import (
    BatchDeleteError,
    BatchFailure,
    BatchSendError,
    InvalidArgument,
    InvalidRequestURL,
    MalformedXML,
    MissingReceiptHandle,
    MissingVisibilityTimeout,
    MnsError,
)
from .model import Message, NewMessage, QueueInfo
from .store import QueueStore

_PATH = re.compile(r"/queues(?:/([^/]+)(/messages)?)?/?\Z")
_INT = re.compile(r"-?[0-9]{1,10}\Z")


@dataclass(frozen=True, slots=True)
class Reply:
    status: int
    root: str | None = None             # None: no body
    fields: wire.Fields = ()
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Call:
    """What a handler may look at: no aiohttp objects."""
    method: str
    path: str                           # raw, without the query
    query: dict[str, str]               # names lower-cased, values raw
    headers: Mapping[str, str]          # case-insensitive
    body: bytes
    base_url: str                       # http://host:port, for Location and QueueURL
    gone: Callable[[], bool] = lambda: False    # the client has disconnected


def to_int(name: str, text: str | None) -> int:
    if text is None or not _INT.match(text.strip()):
        raise InvalidArgument(f"The value of {name} should be an integer.")
    return int(text)


def parse_body(call: Call, *roots: str) -> wire.Node:
    node = wire.parse(call.body)
    if node.tag not in roots:
        raise MalformedXML(f"The XML root element should be {' or '.join(roots)}.")
    return node


def parse_attributes(node: wire.Node) -> dict[str, int | bool]:
    """The <Queue> elements the request sets (others are ignored, as the service does)."""
    values = node.values()
    changes: dict[str, int | bool] = {name: to_int(name, values[name]) for name in model.LIMITS if name in values}
    if "LoggingEnabled" in values:
        flag = values["LoggingEnabled"].strip().lower()
        if flag not in ("true", "false"):
            raise InvalidArgument("The value of LoggingEnabled should be True or False.")
        changes["LoggingEnabled"] = flag == "true"
    return changes


def parse_message(node: wire.Node) -> NewMessage:
    values = node.values()
    if "MessageBody" not in values:
        raise InvalidArgument("MessageBody is required.")
    delay, priority = values.get("DelaySeconds"), values.get("Priority")
    return NewMessage(values["MessageBody"],
                      None if delay is None else to_int("DelaySeconds", delay),
                      None if priority is None else to_int("Priority", priority))


def queue_fields(info: QueueInfo) -> wire.Fields:
    return [("QueueName", info.name), ("CreateTime", info.create_time), ("LastModifyTime", info.last_modify_time),
            *info.attributes.as_dict().items(),
            ("ActiveMessages", info.active), ("InactiveMessages", info.inactive), ("DelayMessages", info.delayed)]


def message_fields(m: Message, received: bool) -> wire.Fields:
    fields: list[tuple[str, wire.Value]] = [("MessageId", m.message_id)]
    if received:
        fields.append(("ReceiptHandle", m.receipt_handle))
    fields += [("MessageBodyMD5", m.body_md5), ("MessageBody", m.body), ("EnqueueTime", m.enqueue_time)]
    if received:
        fields.append(("NextVisibleTime", m.next_visible_time))
    fields += [("FirstDequeueTime", m.first_dequeue_time), ("DequeueCount", m.dequeue_count),
               ("Priority", m.priority)]
    return fields


# -- queues ----------------------------------------------------------------------------
async def create_or_set_queue(store: QueueStore, call: Call, queue: str) -> Reply:
    changes = parse_attributes(parse_body(call, "Queue")) if call.body else {}
    if call.query.get("metaoverride", "").lower() == "true":
        store.set_queue_attributes(queue, changes)
        return Reply(204)
    created = store.create_queue(queue, changes)
    return Reply(201 if created else 204, headers={"Location": f"{call.base_url}/queues/{queue}"})


async def get_queue_attributes(store: QueueStore, call: Call, queue: str) -> Reply:
    return Reply(200, "Queue", queue_fields(store.get_queue_attributes(queue)))


async def delete_queue(store: QueueStore, call: Call, queue: str) -> Reply:
    store.delete_queue(queue)
    return Reply(204)


async def list_queue(store: QueueStore, call: Call) -> Reply:
    h = call.headers
    limit = h.get("x-mns-ret-number")
    page = store.list_queues(h.get("x-mns-prefix", ""), h.get("x-mns-marker", ""),
                             model.LIST_RET_NUMBER[2] if limit is None else to_int("x-mns-ret-number", limit))
    with_meta = h.get("x-mns-with-meta", "").lower() == "true"
    entries: list[tuple[str, wire.Value]] = []
    for name in page.names:
        url = ("QueueURL", f"{call.base_url}/queues/{name}")
        entries.append(("Queue", [url, *queue_fields(store.get_queue_attributes(name))] if with_meta else [url]))
    if page.next_marker:
        entries.append(("NextMarker", page.next_marker))
    return Reply(200, "Queues", entries)


# -- messages --------------------------------------------------------------------------
async def send_message(store: QueueStore, call: Call, queue: str) -> Reply:
    node = parse_body(call, "Message", "Messages")
    if node.tag == "Message":
        sent = store.send(queue, parse_message(node))
        fields: list[tuple[str, wire.Value]] = [("MessageId", sent.message_id), ("MessageBodyMD5", sent.body_md5)]
        if sent.receipt_handle:
            fields.append(("ReceiptHandle", sent.receipt_handle))
        return Reply(201, "Message", fields)
    messages = [parse_message(child) for child in node.children if child.tag == "Message"]
    results = store.send_batch(queue, messages)
    if any(isinstance(r, MnsError) for r in results):
        raise BatchSendError(results)
    return Reply(201, "Messages", [("Message", [("MessageId", r.message_id), ("MessageBodyMD5", r.body_md5)])
                                   for r in results if not isinstance(r, MnsError)])


async def receive_or_peek(store: QueueStore, call: Call, queue: str) -> Reply:
    q = call.query
    count = q.get("numofmessages")
    n = 1 if count is None else to_int("numofmessages", count)
    if q.get("peekonly", "").lower() == "true":
        messages, received = store.peek(queue, n), False
    else:
        wait = q.get("waitseconds")
        messages = await store.receive(queue, n, None if wait is None else to_int("waitseconds", wait),
                                       abandoned=call.gone)
        received = True
    if count is None:
        return Reply(200, "Message", message_fields(messages[0], received))
    return Reply(200, "Messages", [("Message", message_fields(m, received)) for m in messages])


async def delete_message(store: QueueStore, call: Call, queue: str) -> Reply:
    handle = call.query.get("receipthandle")
    if handle is not None:
        store.delete(queue, handle)
        return Reply(204)
    if not call.body:
        raise MissingReceiptHandle()
    node = parse_body(call, "ReceiptHandles")
    handles = [c.text for c in node.children if c.tag == "ReceiptHandle"]
    if not handles:
        raise MissingReceiptHandle()
    failed = store.delete_batch(queue, handles)
    if failed:
        raise BatchDeleteError([BatchFailure(err, receipt_handle=h) for h, err in failed])
    return Reply(204)


async def change_visibility(store: QueueStore, call: Call, queue: str) -> Reply:
    handle, timeout = call.query.get("receipthandle"), call.query.get("visibilitytimeout")
    if handle is None:
        raise MissingReceiptHandle()
    if timeout is None:
        raise MissingVisibilityTimeout()
    v = store.change_visibility(queue, handle, to_int("VisibilityTimeout", timeout))
    return Reply(200, "ChangeVisibility", [("ReceiptHandle", v.receipt_handle),
                                           ("NextVisibleTime", v.next_visible_time)])


Handler = Callable[[QueueStore, Call, str], Awaitable[Reply]]
QUEUE_OPS: dict[str, Handler] = {"PUT": create_or_set_queue, "GET": get_queue_attributes, "DELETE": delete_queue}
MESSAGE_OPS: dict[str, Handler] = {"POST": send_message, "GET": receive_or_peek, "DELETE": delete_message,
                                   "PUT": change_visibility}


async def dispatch(store: QueueStore, call: Call) -> Reply:
    match = _PATH.match(call.path)
    if match is None:
        raise InvalidRequestURL()
    queue, messages = match.groups()
    if queue is None:
        if call.method != "GET":
            raise InvalidRequestURL()
        return await list_queue(store, call)
    op = (MESSAGE_OPS if messages else QUEUE_OPS).get(call.method)
    if op is None:
        raise InvalidRequestURL()
    return await op(store, call, queue)
