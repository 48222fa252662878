"""Turn (kind, seed, index, overrides) into a validated, encoded Tencent ``Event``.

Same contract as :mod:`emulator.providers.aliyun.factory`: every body passes its JSON Schema
(``schemas/tencent/<EventType>.schema.json``) before it can leave, and a body that does
not (a bad ``--set``, a SessionContext over 1000 characters) is an ``InputError``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .. import schemas
from ..aliyun import factory as aliyun_factory
from emulator.errors import InputError, did_you_mean
from emulator.events import Event, encode
from . import catalog
from .generate import extend_limit, generate
from .media import check_extend

PROVIDER = "tencent"



def resolve_kind(name: str) -> catalog.EventKind:
    try:
        return catalog.kind(name)
    except KeyError:
        raise InputError(f"unknown Tencent event type {name!r}{did_you_mean(name, catalog.BY_NAME)}; "
                         f"'vod-emulator events list' shows all {len(catalog.KINDS)}") from None


class EventFactory(aliyun_factory.EventFactory):
    """Seeded event builder: the same (seed, start time, index) always gives the same bytes.

    ``context()`` is Alibaba's (one seeded rng and faker per index); only the catalog, the
    generators, the schemas and the region differ.
    """

    provider = PROVIDER
    resolve = staticmethod(lambda name: resolve_kind(name))
    generate = staticmethod(lambda kind, ctx: generate(kind, ctx))
    finish = staticmethod(lambda kind, body, event_id: finish(kind, body, event_id))
    vary_body = None   # shape variation is Alibaba's (issue 14); Tencent bodies are sent as generated

    def __init__(self, seed: int, start_time: datetime, region: str = "ap-guangzhou", vary: bool = False) -> None:
        super().__init__(seed, start_time, region, vary)


def finish(kind: catalog.EventKind, body: dict[str, Any], event_id: str) -> Event:
    """Validate and encode a body; the last gate before an event leaves."""
    field, limit = extend_limit(kind)
    passed = _at(body.get(kind.payload_key), field)
    try:
        check_extend(passed if isinstance(passed, str) else None, field, limit)
    except ValueError as exc:
        raise InputError(f"{kind.name}: {exc}") from None
    problems = schemas.errors(PROVIDER, kind.event_type, body)
    if problems:
        raise InputError(f"{kind.name} body fails its schema (schemas/tencent/{kind.event_type}.schema.json): "
                         + "; ".join(problems[:3]))
    return Event(event_id=event_id, provider=PROVIDER, kind=kind.name, event_type=kind.event_type,
                 media_id=kind.media_id(body), body=encode(body))


def _at(node: Any, path: str) -> Any:
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node
