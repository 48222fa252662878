"""One function per VOD OpenAPI action, named as the API names it.

Each takes the call's context (region, backend) and the call's parameters and returns the action's response fields
(``RequestId`` is added by the wire) or raises a ``VodError``.  No HTTP here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from emulator.errors import InputError
from ..shared.callbacks import FIELDS as CALLBACK_FIELDS
from .errors import InvalidAction, InvalidParameter, MissingParameter
from .model import Context, Params

Handler = Callable[[Context, Params], Awaitable[dict[str, Any]]]
ACTIONS: dict[str, Handler] = {}


def action(fn: Handler) -> Handler:
    ACTIONS[fn.__name__] = fn
    return fn


def lookup(name: str) -> Handler:
    handler = ACTIONS.get(name)
    if handler is None:
        raise InvalidAction(f"Specified api is not found, please check your url and method: {name[:60]!r} is not an "
                            f"action this emulator serves ({len(ACTIONS)} are; see the README).")
    return handler


def required(p: Params, name: str) -> str:
    value = p.get(name)
    if value is None or value == "":
        raise MissingParameter(name)
    return value


# Callback configuration: the region's entry in serve's one CallbackStore (also /_emulator/callbacks).

@action
async def SetMessageCallback(c: Context, p: Params) -> dict[str, Any]:
    # An update: fields not sent keep their value (the console edits one setting at a time).
    raw = dict(c.callbacks.raw.get(c.region, {}))
    sent = {k: p[k] for k in CALLBACK_FIELDS if k in p}
    raw.update(sent)
    raw.setdefault("CallbackType", "HTTP")
    try:
        c.callbacks.set(c.region, raw)
    except InputError as exc:
        field = str(exc).split(":", 1)[0].rsplit(".", 1)[-1]
        raise InvalidParameter(field if field in CALLBACK_FIELDS else "MessageCallback",
                               str(exc).split(": ", 1)[-1]) from None
    return {}


@action
async def GetMessageCallback(c: Context, p: Params) -> dict[str, Any]:
    config = c.callbacks.get(c.region)
    if config is None:
        return {}
    fields = config.to_api(c.region)
    fields.pop("Region", None)
    if config.callback_type == "MNS" and config.mns_endpoint is None:
        fields["MnsEndpoint"] = c.base_url + "/"
    return {"MessageCallback": fields}


@action
async def DeleteMessageCallback(c: Context, p: Params) -> dict[str, Any]:
    c.callbacks.delete(c.region)
    return {}
