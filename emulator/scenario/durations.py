"""Durations in scenario files: seconds as a number, or text with a unit (250ms, 1.5s, 2m, 1h)."""

from __future__ import annotations

import math
import re

__all__ = ["PATTERN", "parse_duration"]

PATTERN = r"^(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:ms|s|m|h)$"   # the schema's $defs/duration says the same
_DURATION = re.compile(r"^([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(ms|s|m|h)$")
_UNIT = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}
MAX_SECONDS = 1e9


def parse_duration(value: object) -> float:
    """Seconds; ``ValueError`` for anything that is not a finite duration >= 0."""
    if isinstance(value, bool):
        raise ValueError(f"expected a duration, got {value!r}")
    if isinstance(value, int | float):
        seconds = float(value) if abs(value) <= MAX_SECONDS else math.inf
    elif isinstance(value, str) and (m := _DURATION.match(value)):
        number, unit = m.groups()
        seconds = float(number) / 1000 if unit == "ms" else float(number) * _UNIT[unit]
    else:
        raise ValueError(f"expected a duration like '250ms', '1.5s', '2m', '1h', got {value!r}")
    if not math.isfinite(seconds) or not 0 <= seconds <= MAX_SECONDS:
        raise ValueError(f"a duration must be between 0 and {MAX_SECONDS:.0f} s, got {value!r}")
    return seconds
