"""Whatever a scenario file says, loading it gives a Scenario or a ScenarioError with lines."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulator.scenario.loader import ScenarioError, loads
from emulator.scenario.model import Scenario

BASE: dict[str, Any] = {
    "version": 1,
    "name": "fuzz",
    "description": "base document",
    "region": "cn-shanghai",
    "seed": 7,
    "start_time": "2026-01-01T00:00:00Z",
    "target": {"url": "${env:VOD_TARGET|http://127.0.0.1:9000/}", "auth_key": "${env:KEY|}"},
    "delivery": {"timeout": "5s", "concurrency": 4, "time_scale": 0.5},
    "flows": [{
        "name": "video",
        "repeat": 2,
        "every": "1m",
        "media": {"duration": 60.5, "width": 1280, "height": 720, "fps": 25},
        "steps": [
            {"name": "upload", "event": "FileUploadComplete", "extend": {"order": "A1"}},
            {"name": "streams", "event": "StreamTranscodeComplete", "definitions": ["LD", "SD", "HD"],
             "fail": ["HD"], "stagger": "250ms", "error": {"code": "X", "message": "Y"}},
            {"name": "transcode", "event": "TranscodeComplete", "streams": "streams", "after": "auto"},
            {"name": "snapshot", "event": "SnapshotComplete", "after": 2, "params": {"count": 3},
             "set": {"CoverUrl": "${upload.FileUrl}", "Extend": "a=${streams.0.FileUrl} $${x}"},
             "extend": "${upload.VideoId}", "expect": "any"},
            {"name": "audit", "event": "AIMediaAuditComplete",
             "each": [{"params": {"suggestion": "pass"}},
                      {"status": "fail", "error": {"code": "E"}, "set": {"MediaId": "${upload.VideoId}"}}]},
        ],
    }],
}
ENV = {"VOD_TARGET": "http://127.0.0.1:9/", "SET": "value"}
BAD_REFS = ["${", "${}", "${upload}", "${nope.X}", "${upload.Nope}", "${streams.FileUrl}", "${streams.9.FileUrl}",
            "${env:UNSET}", "${env:}", "${env:SET}", "${snapshot.CoverUrl}", "${audit.0.Code}", "$${ok}",
            "${a${b}}", "${upload.0.VideoId}", "${upload.1.VideoId}", "${streams.0}", "${ upload.VideoId }"]

PLAUSIBLE = ["upload", "streams", "transcode", "LD", "HD", "auto", "1s", "250ms", 0, 1, 3, "fail", "success",
             "lost", "TranscodeComplete", "StreamTranscodeComplete", "SnapshotComplete", "DynamicImageComplete",
             {"code": "X"}, ["LD", "HD"], ["HD"], [{"status": "fail"}], {"definition": "LD"}, {"Status": "x"},
             "${upload.VideoId}", "${streams.1.Size}", "x" * 600, {"k": "${upload.VideoId}"}]
json_values = st.sampled_from(PLAUSIBLE).map(copy.deepcopy) | st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6)


def containers(node: Any) -> list[Any]:
    """Every dict and list inside ``node``, ``node`` included."""
    found = [node] if isinstance(node, dict | list) else []
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
    for child in children:
        found += containers(child)
    return found


def typo(data: st.DataObject, word: str) -> str:
    if not word:
        return "x"
    i = data.draw(st.integers(0, len(word) - 1))
    how = data.draw(st.sampled_from(["drop", "double", "swap", "case", "letter"]))
    if how == "drop":
        return word[:i] + word[i + 1:] or "y"
    if how == "double":
        return word[:i] + word[i] + word[i:]
    if how == "swap" and i + 1 < len(word):
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if how == "case":
        return word.swapcase()
    return word[:i] + data.draw(st.sampled_from("aeiouxz_-.")) + word[i + 1:]


def mutate(doc: dict[str, Any], data: st.DataObject) -> None:
    node = data.draw(st.sampled_from(containers(doc)))
    keys = list(node) if isinstance(node, dict) else list(range(len(node)))
    action = data.draw(st.sampled_from(["delete", "rename", "replace", "insert", "ref"]))
    if not keys or action == "insert":
        if isinstance(node, dict):
            node[data.draw(st.text(max_size=8) | st.sampled_from(["stpes", "evnt", "after", "set", "<<"]))] = \
                data.draw(json_values)
        else:
            node.append(data.draw(json_values))
        return
    key = data.draw(st.sampled_from(keys))
    if action == "delete":
        del node[key]
    elif action == "rename" and isinstance(node, dict):
        node[typo(data, key)] = node.pop(key)
    elif action == "ref":
        bad = data.draw(st.sampled_from(BAD_REFS))
        node[key] = data.draw(st.sampled_from([bad, f"x{bad}y", f"{bad}{bad}", f"${{upload.VideoId}}{bad}"]))
    else:
        node[key] = data.draw(json_values)


def serialize(doc: dict[str, Any], how: str) -> str:
    if how == "json":
        return json.dumps(doc, ensure_ascii=False, indent=2)
    if how == "json-tabs":
        return json.dumps(doc, indent="\t")
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, default_flow_style=how == "flow")


def assert_loads_or_explains(text: str) -> None:
    try:
        result = loads(text, name="fuzz.yaml", env=ENV)
    except ScenarioError as exc:
        message = str(exc)
        assert re.search(r"^fuzz\.yaml:\d+: \$", message, re.MULTILINE), message
        assert exc.problems and all(p.line >= 1 for p in exc.problems), message
        assert all(line.startswith("fuzz.yaml:") or line.startswith("… and ") for line in message.splitlines())
    else:
        assert isinstance(result, Scenario)


def test_the_base_document_is_valid() -> None:
    for how in ("json", "json-tabs", "block", "flow"):
        assert loads(serialize(BASE, how), env=ENV).event_count == 2 * (1 + 3 + 1 + 1 + 2)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_mutated_documents_load_or_fail_with_lines(data: st.DataObject) -> None:
    doc = copy.deepcopy(BASE)
    for _ in range(data.draw(st.integers(1, 4))):
        mutate(doc, data)
    text = serialize(doc, data.draw(st.sampled_from(["json", "json-tabs", "block", "flow"])))
    if data.draw(st.integers(0, 3)) == 0:
        text = text[:data.draw(st.integers(0, len(text)))]
    assert_loads_or_explains(text)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(list("{}[]:,-&*!|>'\"#%@`?\n\t $.x1") + ["version: 1\n", "flows:", "<<:", "!!int"]),
                max_size=40).map("".join))
def test_yaml_noise_loads_or_fails_with_lines(text: str) -> None:
    assert_loads_or_explains(text)
