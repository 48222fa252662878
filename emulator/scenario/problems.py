"""What is wrong with a scenario file, each problem with its file, line and JSON path."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from ..errors import InputError

__all__ = ["Path", "Problem", "Problems", "ScenarioError", "json_path"]

Path = tuple[str | int, ...]

MAX_SHOWN = 20
_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def json_path(path: Path) -> str:
    """``("flows", 0, "steps")`` → ``$.flows[0].steps``; odd keys are quoted: ``$.set['a.b']``."""
    out = "$"
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif _PLAIN_KEY.match(part):
            out += f".{part}"
        else:
            quoted = json.dumps(part, ensure_ascii=False)[1:-1].replace("'", "\\'")
            # JSON leaves e.g. U+0085 (a line break to str.splitlines) as is: keep messages one line each
            quoted = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in quoted)
            out += f"['{quoted}']"
    return out


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    line: int        # 1-based; 0 when there is no line to point at (an unreadable file)
    path: str        # JSON path, e.g. "$.flows[0].steps[2].event"
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path}: {self.message}"


class ScenarioError(InputError):
    """Everything found wrong with one scenario file, in file order."""

    def __init__(self, problems: list[Problem]) -> None:
        unique = list(dict.fromkeys(problems))
        self.problems = sorted(unique, key=lambda p: p.line)
        super().__init__(self._text())

    def _text(self) -> str:
        lines = [str(p) for p in self.problems[:MAX_SHOWN]]
        if len(self.problems) > MAX_SHOWN:
            lines.append(f"… and {len(self.problems) - MAX_SHOWN} more")
        return "\n".join(lines)


class Problems:
    """Collects problems while a file is checked; knows the line of every path in it."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.items: list[Problem] = []
        self.value_lines: dict[Path, int] = {}   # path → line where its value starts
        self.key_lines: dict[Path, int] = {}     # path → line of the key that names it

    def line(self, path: Path, *, at_key: bool = False) -> int:
        if at_key and path in self.key_lines:
            return self.key_lines[path]
        while path:
            if path in self.value_lines:
                return self.value_lines[path]
            path = path[:-1]
        return self.value_lines.get((), 1)

    def add(self, path: Path, message: str, *, at_key: bool = False, line: int | None = None) -> None:
        if line is None:
            line = self.line(path, at_key=at_key)
        self.items.append(Problem(self.file, line, json_path(path), message))

    def check(self) -> None:
        """Raise everything collected so far, if anything."""
        if self.items:
            raise ScenarioError(self.items)
