"""The MNS XML wire format: parsing request bodies safely, and the one serializer.

Requests are parsed with expat directly so that nothing a client sends can define or
expand entities or load anything (no DTD at all is accepted), with caps on size and
depth.  Responses are written by ``render``: UTF-8, the root in the default MNS
namespace with no prefix, one text node per value.
"""

from __future__ import annotations

import xml.parsers.expat
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Union

from .errors import MalformedXML

NAMESPACE = "http://mns.aliyuncs.com/doc/v1/"
MAX_DEPTH = 8

# A response body: (tag, value) pairs; a value is text, an int, or nested pairs.
Value = Union[str, int, bool, "Fields"]
Fields = Sequence[tuple[str, Value]]


@dataclass(slots=True)
class Node:
    """A parsed element: local name (namespace dropped), text, child elements."""
    tag: str
    text: str = ""
    children: list[Node] = field(default_factory=list)

    def find(self, tag: str) -> Node | None:
        return next((c for c in self.children if c.tag == tag), None)

    def values(self) -> dict[str, str]:
        """Leaf children as {tag: text}; the last one wins if a tag repeats."""
        return {c.tag: c.text for c in self.children if not c.children}


class _Forbidden(Exception):
    pass


def parse(body: bytes) -> Node:
    """Parse a request body; anything but one well-formed, DTD-free document → MalformedXML."""
    parser = xml.parsers.expat.ParserCreate(namespace_separator="}")
    stack: list[Node] = []
    root: list[Node] = []
    text: list[list[str]] = []

    def start(name: str, _attrs: dict) -> None:
        if len(stack) >= MAX_DEPTH:
            raise _Forbidden("too deep")
        node = Node(name.rpartition("}")[2])
        (stack[-1].children if stack else root).append(node)
        stack.append(node)
        text.append([])

    def end(_name: str) -> None:
        stack.pop().text = "".join(text.pop())

    def chars(data: str) -> None:
        if text:
            text[-1].append(data)

    def forbid(*_args: object) -> None:
        raise _Forbidden("DTDs and entity declarations are not accepted")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.StartDoctypeDeclHandler = forbid
    parser.EntityDeclHandler = forbid
    parser.ExternalEntityRefHandler = forbid   # type: ignore[assignment]
    try:
        parser.Parse(body, True)
    except (xml.parsers.expat.ExpatError, _Forbidden, ValueError, RecursionError) as exc:
        raise MalformedXML() from exc
    if len(root) != 1:
        raise MalformedXML()
    return root[0]


_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}
_TABLE = str.maketrans(_ESCAPES)


def escape(text: str) -> str:
    return text.translate(_TABLE)


def _text(value: str | int | bool) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    return escape(str(value))


def _write(out: list[str], fields: Fields) -> None:
    for tag, value in fields:
        out.append(f"<{tag}>")
        if isinstance(value, (str, int, bool)):
            out.append(_text(value))
        else:
            _write(out, value)
        out.append(f"</{tag}>")


def render(root: str, fields: Fields) -> bytes:
    out = ['<?xml version="1.0" encoding="UTF-8"?>', f'<{root} xmlns="{NAMESPACE}">']
    _write(out, fields)
    out.append(f"</{root}>")
    return "".join(out).encode("utf-8")


def parse_query(raw_query: str) -> dict[str, str]:
    """``a=1&B=x+y`` → {"a": "1", "b": "x+y"}: names lower-cased, values exactly as sent
    (the SDK does not URL-encode receipt handles, which may hold ``+``, ``/``, ``=``)."""
    params: dict[str, str] = {}
    for item in raw_query.split("&"):
        if item:
            name, _, value = item.partition("=")
            params[name.lower()] = value
    return params
