"""Turn (kind, seed, index, overrides) into a validated, encoded ``Event``.

Every body passes its JSON Schema before it can leave; a body that does not (a bad
``--set``, an Extend over 512 bytes) is an ``InputError`` naming the field.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from faker import Faker

from .. import schemas
from ..rng import EventRandom
from emulator.errors import InputError, did_you_mean
from emulator.events import Event, encode
from . import catalog
from .context import GenContext
from .generate import generate
from .media import check_extend
from .vary import vary_body

PROVIDER = "aliyun"


def resolve_kind(name: str) -> catalog.EventKind:
    try:
        return catalog.kind(name)
    except KeyError:
        raise InputError(f"unknown Alibaba event type {name!r}{did_you_mean(name, catalog.BY_NAME)}; "
                         f"'vod-emulator events list' shows all {len(catalog.KINDS)}") from None


def parse_value(text: str) -> Any:
    """``--set`` values: a JSON literal when the text is one (15, true, "x", {...}), else the string."""
    try:
        return json.loads(text)
    except ValueError:
        return text


def parse_assignments(items: list[str]) -> list[tuple[str, Any]]:
    out = []
    for item in items:
        field, sep, value = item.partition("=")
        if not sep or not field.strip():
            raise InputError(f"--set {item!r}: expected Field=value, e.g. --set Size=1024")
        out.append((field.strip(), parse_value(value)))
    return out


def apply_override(body: dict[str, Any], path: str, value: Any, event_type: str, *, provider: str = PROVIDER) -> None:
    """Set ``path`` (``Field`` or ``Field.sub`` or ``StreamInfos.0.Status``) in ``body``."""
    parts = path.split(".")
    top = parts[0]
    known = schemas.known_fields(provider, event_type)
    if top not in body and top not in known:
        raise InputError(f"--set {path}: {event_type} has no field {top!r}{did_you_mean(top, known | set(body))}")
    node: Any = body
    for i, part in enumerate(parts[:-1]):
        child = node[int(part)] if isinstance(node, list) and part.isdigit() else node.get(part) if isinstance(node, dict) else None
        if not isinstance(child, (dict, list)):
            raise InputError(f"--set {path}: {'.'.join(parts[:i + 1])} is not an object or list in this event")
        node = child
    last = parts[-1]
    if isinstance(node, list):
        if not last.isdigit() or int(last) >= len(node):
            raise InputError(f"--set {path}: no item {last} (the list has {len(node)})")
        node[int(last)] = value
    else:
        node[last] = value


class EventFactory:
    """Seeded event builder: the same (seed, start time, index) always gives the same bytes.

    A provider subclass swaps the four provider hooks below; ``context`` and ``build`` are shared.
    """

    provider = PROVIDER
    resolve = staticmethod(lambda name: resolve_kind(name))
    generate = staticmethod(lambda kind, ctx: generate(kind, ctx))
    finish = staticmethod(lambda kind, body, event_id: finish(kind, body, event_id))
    vary_body = staticmethod(lambda kind, body, event_time, rng: vary_body(kind, body, event_time, rng))

    def __init__(self, seed: int, start_time: datetime, region: str = "cn-shanghai", vary: bool = False, *,
                 faker: Faker | None = None) -> None:
        self.seed = seed
        self.start_time = start_time
        self.region = region
        self.vary = vary
        self._faker = faker or Faker()   # reseeded for every event that uses it; share one to skip its set-up
        self._words: tuple[str, ...] | None = None

    def context(self, index: int | str, *, event_time: datetime | None = None, ok: bool = True,
                extend: str | None = None, media: Any = None, params: Mapping[str, Any] | None = None) -> GenContext:
        rng = EventRandom(f"{self.seed}/{index}")
        if self._words is None:
            self._words = tuple(self._faker.get_words_list())
        faker = SeededOnUse(self._faker, rng.getrandbits(64), self._words)
        return GenContext(rng=rng, faker=faker, event_time=event_time or self.start_time,
                          region=self.region, ok=ok, extend=extend, media=media,
                          params=dict(params) if params else {})

    def build(self, kind_name: str, index: int | str, *, event_time: datetime | None = None, ok: bool = True,
              extend: str | None = None, media: Any = None, params: Mapping[str, Any] | None = None,
              overrides: list[tuple[str, Any]] = (), event_id: str | None = None,
              label: str = "", expect: str = "delivered", vary: bool | None = None) -> Event:
        """``index`` keys the event's random stream: an int for ``trigger``, a path for scenarios.

        ``vary`` (default: the factory's) redraws the body's shape from its own seeded stream.
        """
        kind = self.resolve(kind_name)
        ctx = self.context(index, event_time=event_time, ok=ok, extend=extend, media=media, params=params)
        try:
            body = self.generate(kind, ctx)   # ValueError: unknown knob, bad value, pass-through too long
        except ValueError as exc:
            raise InputError(f"{kind.name}: {exc}") from None
        variation: tuple[str, ...] = ()
        if self.vary if vary is None else vary:
            if self.vary_body is None:
                raise InputError(f"shape variation (--vary, vary:) is implemented for Alibaba bodies, "
                                 f"not {self.provider}")
            body, variation = self.vary_body(kind, body, ctx.event_time, EventRandom(f"{self.seed}/{index}/vary"))
        for path, value in overrides:
            apply_override(body, path, value, kind.event_type, provider=self.provider)
        event = self.finish(kind, body, event_id if event_id is not None else f"evt-{index + 1:06d}")
        if label or expect != "delivered" or variation:
            # replace(event, label=…, expect=…, variation=…) spelled out: every scenario event
            # takes this path, and dataclasses.replace costs twice a plain construction.
            e = event
            event = Event(e.event_id, e.provider, e.kind, e.event_type, e.media_id, e.body, label, expect, e.at,
                          e.dispatch, e.copy, e.dropped, e.faults, variation)
        return event


class SeededOnUse:
    """The factory's Faker, seeded with the event's own seed when a generator first calls it.

    Seeding costs ~5 µs and most bodies draw nothing from Faker; the seed is still drawn
    from the event's rng first thing, so the rng's stream (and every body) is unchanged.
    The word list does not depend on the seed (one locale): it is read once per factory.
    """

    __slots__ = ("_faker", "_seed", "_words")

    def __init__(self, faker: Faker, seed: int, words: tuple[str, ...]) -> None:
        self._faker, self._seed, self._words = faker, seed, words

    def get_words_list(self, *args: Any, **kwargs: Any) -> Any:
        if args or kwargs:   # another part of speech or list: Faker's own answer
            return self.__getattr__("get_words_list")(*args, **kwargs)
        return self._words

    def __getattr__(self, name: str) -> Any:
        faker = self._faker
        if self._seed is not None:
            faker.seed_instance(self._seed)
            self._seed = None
        return getattr(faker, name)


def finish(kind: catalog.EventKind, body: dict[str, Any], event_id: str) -> Event:
    """Validate and encode a body; the last gate before an event leaves."""
    extend = body.get("Extend")
    try:
        check_extend(extend if isinstance(extend, str) else None)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    problems = schemas.errors(PROVIDER, kind.event_type, body)
    if problems:
        raise InputError(f"{kind.name} body fails its schema (schemas/aliyun/{kind.event_type}.schema.json): "
                         + "; ".join(problems[:3]))
    media_id = body.get(kind.media_field)
    # Positional: event_id, provider, kind, event_type, media_id, body.
    return Event(event_id, PROVIDER, kind.name, kind.event_type, media_id if isinstance(media_id, str) else None,
                 encode(body))
