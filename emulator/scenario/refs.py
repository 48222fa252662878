"""``${env:VAR}``, ``${env:VAR|default}``, ``${step.Path}`` and the ``$${`` escape in strings.

Environment references are resolved as the file is read.  A string that refers to steps
becomes an :class:`Interpolated` (still a ``str``, so the schema sees text) and is turned
into a model ``Ref``/``Template`` once the flow's steps are known.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .model import Ref, Template
from .problems import Path, Problems

__all__ = ["Interpolated", "interpolate", "refs_in", "to_model"]

_TOKEN = re.compile(r"\$\$\{|\$\{([^{}]*)\}|\$\{")
_ENV = re.compile(r"^env:([A-Za-z_][A-Za-z0-9_]*)(?:\|(.*))?$", re.DOTALL)
_STEP = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*)((?:\.[^.\s]+)*)$")
_HINT = "write $${ for a literal ${"


class Interpolated(str):
    """Text with ``${step.Path}`` inside; ``parts`` alternate literal text and references."""

    parts: tuple[str | Ref, ...]
    whole: bool   # the string is exactly one reference: typed (a number stays a number)

    def __new__(cls, text: str, parts: tuple[str | Ref, ...], whole: bool) -> Interpolated:
        self = super().__new__(cls, text)
        self.parts, self.whole = parts, whole
        return self


def interpolate(data: Any, env: Mapping[str, str], problems: Problems, path: Path = ()) -> Any:
    """``data`` with every string's ``${…}`` resolved (env) or parsed (steps)."""
    if isinstance(data, dict):
        return {k: interpolate(v, env, problems, path + (k,)) for k, v in data.items()}
    if isinstance(data, list):
        return [interpolate(v, env, problems, path + (i,)) for i, v in enumerate(data)]
    if isinstance(data, str) and "${" in data:
        return _string(data, env, problems, path)
    return data


def _refs_allowed(path: Path) -> bool:
    """In a step's params, set and extend, and in its ``each`` entries' params and set."""
    if len(path) < 5 or path[0] != "flows" or path[2] != "steps":
        return False
    return path[4] in ("params", "set", "extend") or (path[4] == "each" and len(path) >= 7
                                                        and path[6] in ("params", "set"))


def _string(text: str, env: Mapping[str, str], problems: Problems, path: Path) -> str:
    parts: list[str | Ref] = []
    literal: list[str] = []
    pos = 0
    ok = True
    whole = False
    for m in _TOKEN.finditer(text):
        literal.append(text[pos:m.start()])
        pos = m.end()
        token, content = m.group(0), m.group(1)
        if token == "$${":
            literal.append("${")
        elif content is None:
            problems.add(path, f"unclosed '${{' in {text!r} ({_HINT})")
            ok = False
        elif env_match := _ENV.match(content):
            name, default = env_match.groups()
            value = env.get(name, default)
            if value is None:
                problems.add(path, f"environment variable {name!r} is not set "
                                   f"(give a default with ${{env:{name}|…}})")
                ok = False
            elif not _encodable(value):
                problems.add(path, f"environment variable {name!r} is not valid UTF-8 text")
                ok = False
            else:
                literal.append(value)
        elif content.startswith("env:"):
            problems.add(path, f"bad environment reference {token!r}: expected ${{env:NAME}} or "
                               f"${{env:NAME|default}}")
            ok = False
        elif (step_match := _STEP.match(content)) is None:
            problems.add(path, f"bad reference {token!r}: expected ${{step.Field}} or ${{env:NAME}} ({_HINT})")
            ok = False
        elif not step_match.group(2):
            problems.add(path, f"reference {token!r} names no field: write ${{{content}.Field}}")
            ok = False
        elif not _refs_allowed(path):
            problems.add(path, f"{token!r}: references to steps only work in params, set and extend ({_HINT})")
            ok = False
        else:
            parts.append("".join(literal))
            literal = []
            parts.append(Ref(step_match.group(1), tuple(step_match.group(2)[1:].split(".")), token))
            whole = m.start() == 0 and m.end() == len(text)
    literal.append(text[pos:])
    if not ok:
        return text
    parts.append("".join(literal))
    if len(parts) == 1:
        return parts[0]  # type: ignore[return-value]  # no step reference: plain text
    return Interpolated(text, tuple(p for p in parts if p != ""), whole)


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def refs_in(value: Any) -> list[tuple[Path, Interpolated]]:
    """Every interpolated string inside ``value``, with its path relative to ``value``."""
    if isinstance(value, Interpolated):
        return [((), value)]
    if isinstance(value, dict):
        return [((k,) + p, v) for k, item in value.items() for p, v in refs_in(item)]
    if isinstance(value, list):
        return [((i,) + p, v) for i, item in enumerate(value) for p, v in refs_in(item)]
    return []


def to_model(value: Any) -> Any:
    """``value`` with every interpolated string replaced by its ``Ref`` or ``Template``."""
    if isinstance(value, Interpolated):
        return value.parts[0] if value.whole else Template(value.parts)
    if isinstance(value, dict):
        return {k: to_model(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_model(v) for v in value]
    return value
