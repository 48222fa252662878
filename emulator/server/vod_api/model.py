"""The VOD face's state, as the handlers see it: the call's region and serve's shared pieces
(the one callback store, the media library, the processing pipeline).  No HTTP here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..shared.callbacks import CallbackStore

Params = dict[str, str]
DEFAULT_REGION = "cn-shanghai"


@dataclass
class VodBackend:
    """What serve gives the VOD face; one per server."""

    callbacks: CallbackStore
    region: str = DEFAULT_REGION          # for calls that name no region (the ACS3 SDK sends none)
    base_url: str = ""                    # set once serve listens
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Context:
    """One call: its region and the backend."""

    backend: VodBackend
    region: str

    @property
    def callbacks(self) -> CallbackStore:
        return self.backend.callbacks

    @property
    def base_url(self) -> str:
        return self.backend.base_url
