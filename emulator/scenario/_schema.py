"""The scenario JSON Schema's verdict, as problems a person can act on.

jsonschema's own messages (``'stpes' was unexpected``, ``'abc' is not of type 'integer'``)
are rewritten here: unknown keys get a did-you-mean over the ``properties`` declared at
that place, wrong types say what was expected and what was found, and ``oneOf`` failures
use the schema's ``errorMessage`` (the same text editors show).
"""

from __future__ import annotations

import json
from typing import Any

from jsonschema.exceptions import ValidationError, best_match

from ..providers import schemas
from ..errors import did_you_mean
from .problems import Path, Problems

__all__ = ["SCHEMA_FILE", "check", "describe"]

SCHEMA_FILE = "scenario.schema.json"
_TYPE_NAMES = {"object": "mapping", "array": "list"}


def check(document: Any, problems: Problems) -> None:
    errors = list(schemas.document_validator(SCHEMA_FILE).iter_errors(document))
    typed = {tuple(e.absolute_path) for e in errors if e.validator == "type"}
    for error in errors:
        path = tuple(error.absolute_path)
        if error.validator != "type" and path in typed:
            continue   # "expected integer, got string" says it all
        for where, message, at_key in _explain(error):
            problems.add(where, message, at_key=at_key)


def _explain(error: ValidationError) -> list[tuple[Path, str, bool]]:
    path: Path = tuple(error.absolute_path)
    keyword, expected, value, schema = error.validator, error.validator_value, error.instance, error.schema
    if keyword == "additionalProperties":
        declared = list(schema.get("properties", {}))
        return [(path + (key,), f"unknown key {key!r}{did_you_mean(key, declared)}", True)
                for key in value if key not in declared]
    if keyword == "required":
        return [(path, f"missing required key {key!r}", False) for key in expected
                if key not in value and not _misspelt(key, value, schema)]
    if keyword == "type":
        kinds = [expected] if isinstance(expected, str) else expected
        return [(path, f"expected {' or '.join(_TYPE_NAMES.get(k, k) for k in kinds)}, got {describe(value)}",
                 False)]
    if keyword in ("oneOf", "anyOf"):
        if "errorMessage" in schema:
            return [(path, f"{schema['errorMessage']}, got {describe(value)}", False)]
        inner = best_match(error.context)
        return _explain(inner) if inner is not None else [(path, error.message, False)]
    return [(path, _message(keyword, expected, value, schema, path), False)]


def _message(keyword: str, expected: Any, value: Any, schema: dict[str, Any], path: Path) -> str:
    if keyword == "enum":
        choices = [str(c) for c in expected]
        hint = did_you_mean(str(value), choices)
        if len(choices) > 8:
            what = path[-1] if path and isinstance(path[-1], str) else "value"
            return f"unknown {what} {value!r}{hint}"
        return f"expected one of {', '.join(map(repr, choices))}, got {describe(value)}{hint}"
    if keyword == "const":
        return f"expected {json.dumps(expected)}, got {describe(value)}"
    if keyword == "pattern":
        wanted = schema.get("patternErrorMessage") or f"expected text matching {expected}"
        return f"{wanted}, got {describe(value)}"
    if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        sign = {"minimum": ">=", "maximum": "<=", "exclusiveMinimum": ">", "exclusiveMaximum": "<"}[keyword]
        return f"expected a number {sign} {expected}, got {describe(value)}"
    if keyword == "minItems":
        return f"expected at least {expected} item{'s' * (expected != 1)}, got {len(value)}"
    if keyword == "minProperties":
        return f"expected at least {expected} key{'s' * (expected != 1)}, got none"
    if keyword == "minLength":
        return "must not be empty"
    if keyword == "uniqueItems":
        return f"items must be unique, got {describe(value)}"
    return f"fails the schema's {keyword!r} rule, got {describe(value)}"


def _misspelt(key: str, value: dict[str, Any], schema: dict[str, Any]) -> bool:
    """True when an unknown key of ``value`` looks like ``key``: its did-you-mean says enough."""
    declared = schema.get("properties", {})
    return any(did_you_mean(k, declared) == f" (did you mean {key!r}?)" for k in value if k not in declared)


def describe(value: Any) -> str:
    """``string 'abc'``, ``integer 5``, ``a mapping``: what was found, briefly."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, int):
        text = str(value) if value.bit_length() < 200 else f"{str(value)[:20]}…"
        return f"integer {text}"
    if isinstance(value, float):
        return f"number {value!r}"
    if isinstance(value, str):
        return f"string {_clip(value)!r}"
    if isinstance(value, dict):
        return "a mapping" if value else "an empty mapping"
    if isinstance(value, list):
        return f"a list of {len(value)}" if value else "an empty list"
    return type(value).__name__


def _clip(text: str, size: int = 60) -> str:
    return text if len(text) <= size else text[:size] + "…"
