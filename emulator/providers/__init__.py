"""What each provider's events look like: ``aliyun/`` (Alibaba ApsaraVideo VOD) and ``tencent/``
(Tencent Cloud VOD) each hold a catalog, generators, a validated-event factory and callback
signing; ``schemas.py`` loads the JSON Schemas every body is checked against.

Scenarios, ``trigger`` and ``events`` pick a profile by name; everything provider-specific
(catalog, generator knobs, the pass-through field, the event factory, media) is reached
through ``profile(name)``.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..errors import InputError, did_you_mean

NAMES = ("aliyun", "tencent")
DEFAULT = "aliyun"


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    title: str
    catalog: Any               # module: KINDS, BY_NAME, EVENT_TYPES
    params: dict[str, dict[str, str]]
    extend_kinds: frozenset[str]
    extend_field: str          # Extend (Alibaba) / SessionContext (Tencent)
    extend_max_bytes: int
    factory: Any               # EventFactory class: (seed, start_time, region) → .build(...)
    resolve_kind: Any
    new_media: Any             # (rng, faker, region) → media
    default_region: str
    fan_out_kind: str | None   # the kind `definitions:` fans out (Alibaba: StreamTranscodeComplete)
    summary_kind: str | None   # the kind `streams:` summarizes into (Alibaba: TranscodeComplete)


@cache
def profile(name: str) -> Profile:
    if name not in NAMES:
        raise InputError(f"unknown provider {name!r}{did_you_mean(name, NAMES)}; expected one of {', '.join(NAMES)}")
    pkg = f"emulator.providers.{name}"
    catalog = importlib.import_module(f"{pkg}.catalog")
    generate = importlib.import_module(f"{pkg}.generate")
    media = importlib.import_module(f"{pkg}.media")
    factory = importlib.import_module(f"{pkg}.factory")
    if name == "aliyun":
        return Profile(name, "Alibaba Cloud ApsaraVideo VOD", catalog, generate.PARAMS, frozenset(generate.EXTEND_KINDS),
                       "Extend", media.EXTEND_MAX_BYTES, factory.EventFactory, factory.resolve_kind, media.new_media,
                       "cn-shanghai", "StreamTranscodeComplete", "TranscodeComplete")
    return Profile(name, "Tencent Cloud VOD", catalog, generate.PARAMS,
                   frozenset(getattr(generate, "EXTEND_KINDS", catalog.BY_NAME)),
                   getattr(generate, "EXTEND_FIELD", "SessionContext"), getattr(media, "EXTEND_MAX_BYTES", 1000),
                   factory.EventFactory, factory.resolve_kind, media.new_media, "ap-guangzhou", None, None)
