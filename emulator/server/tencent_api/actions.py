"""One function per API action: check the parameters, call one store method, return plain data.

A handler gets the request's JSON object (``Call.params``) and returns the ``Response``
fields without ``RequestId``; errors are raised as ``TencentError``.  Types are checked
strictly (the SDK sends JSON integers and strings): a wrong type is ``InvalidParameter``,
a right type with a refused value ``InvalidParameterValue``, a name the action does not
take ``UnknownParameter``.  ``null`` counts as absent (the SDK drops ``None`` fields).
"""

from __future__ import annotations

import difflib
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import (
    InvalidAction,
    InvalidParameter,
    InvalidParameterValue,
    MissingParameter,
    ResourceNotFound,
    UnknownParameter,
)
from .store import HOLD_SECONDS, MAX_EVENTS, SWITCHES, EventStore

MAX_SUB_APP_ID = 2**63 - 1
CONFIG_FIELDS = ("Mode", "NotificationUrl", *SWITCHES, "SignKey")


@dataclass(frozen=True, slots=True)
class Options:
    # The empty-queue answer is [OPEN] in the reference: [] by default, or ResourceNotFound.
    empty_pull_error: bool = False


@dataclass(frozen=True, slots=True)
class Call:
    """What a handler may look at: no aiohttp objects."""
    action: str
    params: Mapping[str, Any]
    gone: Callable[[], bool] = lambda: False       # the client has disconnected
    options: Options = Options()
    vod: Any = None                                # vod.TencentVod: the media actions' model (serve)


Handler = Callable[[EventStore, Call], Awaitable[dict[str, Any]]]


def did_you_mean(name: str, choices: Any) -> str:
    close = difflib.get_close_matches(name, list(choices), n=1)
    return f" Did you mean `{close[0]}`?" if close else ""


def sub_app_id(params: Mapping[str, Any]) -> int | None:
    value = params.get("SubAppId")
    if value is None:
        return None
    if type(value) is not int:
        raise InvalidParameter(f"SubAppId should be an Integer, not {type(value).__name__} {value!r:.40}.")
    if not 0 <= value <= MAX_SUB_APP_ID:
        raise InvalidParameterValue(f"SubAppId {value} is out of range.")
    return value


def string(params: Mapping[str, Any], name: str) -> str | None:
    value = params.get(name)
    if value is not None and type(value) is not str:
        raise InvalidParameter(f"{name} should be a String, not {type(value).__name__} {value!r:.40}.")
    return value


def strings(params: Mapping[str, Any], name: str) -> list[str]:
    value = params.get(name)
    if value is None:
        raise MissingParameter(name)
    if type(value) is not list or any(type(v) is not str for v in value):
        raise InvalidParameter(f"{name} should be an Array of String, not {value!r:.60}.")
    if not 1 <= len(value) <= MAX_EVENTS:
        raise InvalidParameterValue(f"{name} should hold 1 to {MAX_EVENTS} items, not {len(value)}.")
    return value


async def pull_events(store: EventStore, call: Call) -> dict[str, Any]:
    string(call.params, "ExtInfo")
    events = await store.pull(sub_app_id(call.params), MAX_EVENTS, HOLD_SECONDS, abandoned=call.gone)
    if not events and call.options.empty_pull_error:
        raise ResourceNotFound("No event to pull.")
    return {"EventSet": events}


async def confirm_events(store: EventStore, call: Call) -> dict[str, Any]:
    string(call.params, "ExtInfo")
    handles = strings(call.params, "EventHandles")
    store.confirm(sub_app_id(call.params), handles)
    return {}


async def modify_event_config(store: EventStore, call: Call) -> dict[str, Any]:
    app = sub_app_id(call.params)
    changes = {name: value for name in CONFIG_FIELDS if (value := string(call.params, name)) is not None}
    store.set_config(app, changes)
    return {}


async def describe_event_config(store: EventStore, call: Call) -> dict[str, Any]:
    return store.config(sub_app_id(call.params)).describe()


async def describe_events_state(store: EventStore, call: Call) -> dict[str, Any]:
    return {"CountOfEventsToPull": store.count_to_pull(sub_app_id(call.params))}


ACTIONS: dict[str, tuple[Handler, frozenset[str]]] = {
    "PullEvents": (pull_events, frozenset({"SubAppId", "ExtInfo"})),
    "ConfirmEvents": (confirm_events, frozenset({"SubAppId", "ExtInfo", "EventHandles"})),
    "ModifyEventConfig": (modify_event_config, frozenset({"SubAppId", *CONFIG_FIELDS})),
    "DescribeEventConfig": (describe_event_config, frozenset({"SubAppId"})),
    "DescribeEventsState": (describe_events_state, frozenset({"SubAppId"})),
}


# The media actions (vod_actions.py) and the parameters each takes (the SDK's request models).
_SESSION = ("SessionContext", "SessionId", "ExtInfo", "SubAppId")
MEDIA_ACTIONS: dict[str, frozenset[str]] = {
    "ApplyUpload": frozenset({"MediaType", "MediaName", "CoverType", "Procedure", "ExpireTime", "StorageRegion",
                              "ClassId", "SourceContext", "MediaStoragePath", *_SESSION}),
    "CommitUpload": frozenset({"VodSessionKey", "SubAppId"}),
    "PullUpload": frozenset({"MediaUrl", "MediaType", "MediaName", "CoverUrl", "Procedure", "ExpireTime",
                             "StorageRegion", "ClassId", "TasksPriority", "SourceContext", "MediaStoragePath",
                             *_SESSION}),
    "ProcessMedia": frozenset({"FileId", "MediaStoragePath", "MediaProcessTask", "AiContentReviewTask",
                               "AiAnalysisTask", "AiRecognitionTask", "TasksPriority", "TasksNotifyMode", "Url",
                               "OutputAsIndependentMedia", *_SESSION}),
    "ProcessMediaByProcedure": frozenset({"ProcedureName", "FileId", "MediaStoragePath", "TasksPriority",
                                          "TasksNotifyMode", *_SESSION}),
    "DeleteMedia": frozenset({"FileId", "SubAppId", "DeleteParts"}),
    "DescribeMediaInfos": frozenset({"FileIds", "SubAppId", "Filters"}),
    "DescribeTaskDetail": frozenset({"TaskId", "SubAppId"}),
    "ModifyMediaInfo": frozenset({"FileId", "SubAppId", "Name", "Description", "ClassId", "ExpireTime", "CoverData",
                                  "AddKeyFrameDescs", "DeleteKeyFrameDescs", "ClearKeyFrameDescs", "AddTags",
                                  "DeleteTags", "ClearTags", "AddSubtitles", "DeleteSubtitleIds", "ClearSubtitles",
                                  "DeleteKnowledgeBases", "ClearKnowledgeBases"}),
}
ALL_ACTIONS = (*ACTIONS, *MEDIA_ACTIONS)


def check_action(action: str) -> None:
    if action not in ACTIONS and action not in MEDIA_ACTIONS:
        raise InvalidAction(f"The action `{action:.80}` is not supported by this emulator's VOD API "
                            f"(it has {', '.join(ALL_ACTIONS)}).{did_you_mean(action, ALL_ACTIONS)}")


async def dispatch(store: EventStore, call: Call) -> dict[str, Any]:
    check_action(call.action)
    accepted = ACTIONS[call.action][1] if call.action in ACTIONS else MEDIA_ACTIONS[call.action]
    for name in call.params:
        if name not in accepted:
            raise UnknownParameter(name[:80], did_you_mean(name, accepted))
    if call.action in MEDIA_ACTIONS:
        if call.vod is None:
            raise InvalidAction(f"The action `{call.action}` needs the media library: it is served by "
                                "`vod-emulator serve`, not by the bare reliable-callback API.")
        from .vod_actions import ACTIONS as HANDLERS   # the media model pulls in the event factory
        params = {k: v for k, v in call.params.items() if v is not None}
        return HANDLERS[call.action](call.vod, sub_app_id(params), params)
    handler = ACTIONS[call.action][0]
    return await handler(store, call)
