"""What a generator is given to build one event body."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from faker import Faker


@dataclass(slots=True)
class GenContext:
    """Inputs for one generated event.

    ``rng`` and ``faker`` are already seeded for this event: generators draw from them
    only, never from module-level randomness, so a seed reproduces a body byte for byte.
    ``event_time`` is timezone-aware UTC.  ``media`` is shared by the events of one flow
    (same VideoId, same Duration); when it is ``None`` the generator makes a fresh one.
    ``params`` carries kind-specific knobs (e.g. ``definition`` for
    StreamTranscodeComplete, ``streams`` for TranscodeComplete); see ``generate.PARAMS``.
    """

    rng: random.Random
    faker: Faker
    event_time: datetime
    region: str = "cn-shanghai"
    ok: bool = True
    extend: str | None = None
    media: Any = None
    params: dict[str, Any] = field(default_factory=dict)
