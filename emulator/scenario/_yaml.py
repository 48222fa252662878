"""YAML (and JSON, which is YAML) → plain data, remembering the line of every path.

The document is composed into nodes with the safe loader and walked here rather than
constructed by PyYAML, so that every value keeps its line, duplicate keys are caught,
and only JSON-like values come out: timestamps stay text (the loader decides what a
time is), non-finite numbers, binary and custom tags are problems, never exceptions.
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml

from .problems import Path, Problems

__all__ = ["parse"]

_TAG = "tag:yaml.org,2002:"
MAX_DEPTH = 64
MAX_VALUES = 200_000   # after aliases are expanded: a guard against "billion laughs"


class _Loader(yaml.SafeLoader):
    """The safe loader, plus YAML 1.2 / JSON exponent floats (``1e3``), which YAML 1.1 reads as text."""


_Loader.add_implicit_resolver(
    _TAG + "float", re.compile(r"^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)[eE][-+]?[0-9]+$"), list("-+0123456789."))


def parse(text: str, problems: Problems) -> Any:
    """The document as dicts/lists/scalars, or ``None`` after adding a problem."""
    try:
        loader, node = _compose(text)
    except yaml.YAMLError as exc:
        if "'\\t'" in str(exc) and text.lstrip().startswith(("{", "[")):
            try:   # JSON indented with tabs: tabs can only be whitespace there
                loader, node = _compose(text.replace("\t", " "))
            except (yaml.YAMLError, RecursionError):
                return _syntax_problem(exc, text, problems)
        else:
            return _syntax_problem(exc, text, problems)
    except RecursionError:
        problems.add((), "the document is nested too deeply", line=1)
        return None
    if node is None:
        problems.add((), "the file is empty: expected a mapping with 'version' and 'flows'", line=1)
        return None
    return _Builder(loader, problems).value(node, (), 0, set())


def _compose(text: str) -> tuple[_Loader, yaml.Node | None]:
    loader = _Loader(text)
    try:
        return loader, loader.get_single_node()
    finally:
        loader.dispose()


def _syntax_problem(exc: yaml.YAMLError, text: str, problems: Problems) -> None:
    if isinstance(exc, yaml.reader.ReaderError):
        line = text.count("\n", 0, exc.position) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        problems.add((), f"not valid YAML: character U+{code:04X} is not allowed ({exc.reason})", line=line)
        return
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line = mark.line + 1 if mark is not None else 1
    message = " ".join(str(getattr(exc, "problem", None) or exc).split())
    context = getattr(exc, "context", None)
    if context:
        message = f"{' '.join(context.split())}: {message}"
    problems.add((), f"not valid YAML: {message}", line=line)


class _Builder:
    def __init__(self, loader: _Loader, problems: Problems) -> None:
        self.loader = loader
        self.problems = problems
        self.count = 0
        self.too_big = False

    def value(self, node: yaml.Node, path: Path, depth: int, active: set[int]) -> Any:
        line = node.start_mark.line + 1
        self.problems.value_lines.setdefault(path, line)
        self.count += 1
        if self.count > MAX_VALUES:
            if not self.too_big:
                self.too_big = True
                self.problems.add(path, f"the document expands to more than {MAX_VALUES} values (aliases?)")
            return None
        if depth > MAX_DEPTH:
            self.problems.add(path, f"nested more than {MAX_DEPTH} levels deep")
            return None
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path)
        if id(node) in active:
            self.problems.add(path, "a YAML alias refers to a node that contains it")
            return None
        active = active | {id(node)}
        if isinstance(node, yaml.SequenceNode) and node.tag == _TAG + "seq":
            return [self.value(item, path + (i,), depth + 1, active) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode) and node.tag == _TAG + "map":
            return self.mapping(node, path, depth, active)
        self.problems.add(path, f"unsupported YAML type {_short(node.tag)}")
        return None

    def scalar(self, node: yaml.ScalarNode, path: Path) -> Any:
        tag = node.tag.removeprefix(_TAG)
        if tag in ("str", "timestamp"):
            text = _text(node.value)
            if text is None:
                self.problems.add(path, f"{_clip(node.value)!r} holds an unpaired surrogate (not UTF-8 text)")
            return text
        if tag == "null":
            return None
        construct = {"int": self.loader.construct_yaml_int, "float": self.loader.construct_yaml_float,
                     "bool": self.loader.construct_yaml_bool}.get(tag)
        if construct is None:
            self.problems.add(path, f"unsupported YAML type {_short(node.tag)}")
            return None
        try:
            value = construct(node)
        except (ValueError, KeyError, IndexError, ArithmeticError):
            self.problems.add(path, f"cannot read {_clip(node.value)!r} as {tag}")
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.problems.add(path, f"expected a finite number, got {node.value!r}")
            return None
        return value

    def mapping(self, node: yaml.MappingNode, path: Path, depth: int, active: set[int]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        merges: list[tuple[yaml.Node, Path]] = []
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if key_node.tag == _TAG + "merge":
                merges.append((value_node, path))
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.add(path, "a key must be plain text, not a list or mapping", line=key_line)
                continue
            key = _text(key_node.value)
            if key is None:
                self.problems.add(path, "a key holds an unpaired surrogate (not UTF-8 text)", line=key_line)
                continue
            child = path + (key,)
            if key in out:
                self.problems.add(child, f"duplicate key {key!r} (first at line {self.problems.key_lines[child]})",
                                  line=key_line)
                continue
            self.problems.key_lines.setdefault(child, key_line)
            out[key] = self.value(value_node, child, depth + 1, active)
        for value_node, _ in merges:
            self.merge(out, value_node, path, depth, active)
        return out

    def merge(self, out: dict[str, Any], node: yaml.Node, path: Path, depth: int, active: set[int]) -> None:
        """``<<: *base`` (or a list of them): keys not already present come from the merged mappings."""
        if depth > MAX_DEPTH:
            self.problems.add(path, f"'<<' merges nested more than {MAX_DEPTH} levels deep")
            return
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        for source in sources:
            if not isinstance(source, yaml.MappingNode) or id(source) in active:
                self.problems.add(path, "'<<' must merge a mapping (or a list of mappings)",
                                  line=source.start_mark.line + 1)
                continue
            merged = self.mapping(source, path, depth + 1, active | {id(source)})
            for key, value in merged.items():
                out.setdefault(key, value)


def _text(value: str) -> str | None:
    """``value``, with JSON-style surrogate pairs (``"\\ud83d\\ude00"``) joined; ``None`` if one is unpaired."""
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        pass
    try:
        return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
    except UnicodeDecodeError:
        return None


def _short(tag: str) -> str:
    return "!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag


def _clip(text: str, size: int = 40) -> str:
    return text if len(text) <= size else text[:size] + "…"
