"""The Tencent VOD EventContent schemas against every documented example body.

``tests/fixtures/tencent_examples.json`` holds the example bodies of the reference
(``/work/shared/reference/tencent_vod_events.md`` §4, ``doc_version: reference``) and a few
more copied from the event pages (``event-page``), each with ``expect_valid``.  Positive cases
check that the schemas accept what the docs really show (null keys, EventHandle, empty
strings, misspelt 2017 keys); negative cases check that they still reject what is wrong.
"""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from emulator.providers import schemas
from emulator.providers.tencent.catalog import BY_NAME, EVENT_TYPES, KINDS, PAYLOAD_KEYS

FIXTURES = Path(__file__).parent / "fixtures" / "tencent_examples.json"
EXAMPLES: list[dict[str, Any]] = json.loads(FIXTURES.read_text(encoding="utf-8"))
VALID = [e for e in EXAMPLES if e["expect_valid"]]
BY_EXAMPLE = {e["name"]: e for e in EXAMPLES}
KIND_OF = {k.event_type: k for k in KINDS}

# Catalogued kinds with no accepted example body anywhere in the docs we have (the review page
# is cut off, the compose example sends FileId as a number, the others show no body).
UNDOCUMENTED = {"SplitMediaComplete", "ComposeMediaComplete", "ReviewAudioVideoComplete",
                "DescribeFileAttributesComplete", "WechatMiniProgramPublishComplete",
                # the newer EventContent members: the SDK model is all there is
                "QualityInspectComplete", "QualityEnhanceComplete", "PersistenceComplete",
                "ComplexAdaptiveDynamicStreamingComplete", "ProcessMediaByMPSComplete",
                "ExtractTraceWatermarkComplete", "ExtractCopyRightWatermarkComplete", "RemoveWatermark"}


def errs(body: dict[str, Any], event_type: str | None = None) -> list[str]:
    return schemas.errors("tencent", event_type or body["EventType"], body)


def example(name: str) -> dict[str, Any]:
    return copy.deepcopy(BY_EXAMPLE[name]["body"])


def payload(body: dict[str, Any]) -> dict[str, Any]:
    return body[KIND_OF[body["EventType"]].payload_key]


def ids(examples: list[dict[str, Any]]) -> list[str]:
    return [e["name"] for e in examples]


# --------------------------------------------------------------------------- fixtures file


def test_fixture_entries_are_well_formed() -> None:
    assert len(BY_EXAMPLE) == len(EXAMPLES), "example names must be unique"
    for e in EXAMPLES:
        assert set(e) <= {"name", "source", "doc_version", "expect_valid", "why", "note", "body"}, e["name"]
        assert {"name", "source", "doc_version", "expect_valid", "body"} <= set(e), e["name"]
        assert e["source"].startswith("https://"), e["name"]
        assert e["doc_version"] in {"reference", "event-page"}, e["name"]
        assert isinstance(e["body"], dict) and e["body"].get("EventType") in EVENT_TYPES, e["name"]
        if not e["expect_valid"]:
            assert e.get("why"), f"{e['name']}: an invalid example must say why"


def test_every_reference_example_is_a_fixture() -> None:
    # §4.2 (PUSH + PULL), 4.3, 4.4, 4.5, 4.6 RestoreMedia, 4.6 2017 snapshot, 4.6 PullEvents (3 items).
    reference = [e for e in EXAMPLES if e["doc_version"] == "reference"]
    assert len(reference) == 10
    assert all(e["expect_valid"] for e in reference)
    assert sorted(e["body"]["EventType"] for e in reference) == sorted([
        "NewFileUpload", "NewFileUpload", "NewFileUpload", "ProcedureStateChanged", "ProcedureStateChanged",
        "FileDeleted", "PullComplete", "RestoreMediaComplete", "CreateSnapshotByTimeOffsetComplete",
        "EditMediaComplete"])
    assert sum("EventHandle" in e["body"] for e in reference) == 4


# --------------------------------------------------------------------------- schema files


def test_one_schema_per_event_type_plus_common() -> None:
    folder = schemas.schemas_dir() / "tencent"
    names = {p.name.removesuffix(".schema.json") for p in folder.glob("*.schema.json")}
    assert names == set(EVENT_TYPES) | {"common"}
    assert len(EVENT_TYPES) == len(KINDS) == 24


@pytest.mark.parametrize("event_type", sorted(EVENT_TYPES))
def test_schema_loads_and_is_well_formed(event_type: str) -> None:
    kind = KIND_OF[event_type]
    schema = schemas.load_schema("tencent", event_type)
    Draft202012Validator.check_schema(schema)
    assert schema["$id"] == schemas.schema_id("tencent", event_type)
    assert schema["title"] and "https://" in schema["description"]
    assert schema["properties"]["EventType"]["const"] == event_type
    assert schema.get("additionalProperties", True) is True
    assert set(schema["required"]) == {"EventType", kind.payload_key}  # not EventHandle: PUSH bodies have none
    assert schema["properties"]["EventHandle"]["type"] == "string"
    # Other payload members are matched by a pattern, so they are no fields of this event.
    assert schemas.known_fields("tencent", event_type) == {"EventHandle", "EventType", kind.payload_key}
    [(pattern, rule)] = schema["patternProperties"].items()
    others = set(pattern.removeprefix("^(").removesuffix(")$").split("|"))
    assert others == set(PAYLOAD_KEYS) - {kind.payload_key} and rule["type"] == "null"


def test_common_schema_is_well_formed() -> None:
    common = schemas.load_schema("tencent", "common")
    Draft202012Validator.check_schema(common)
    assert {"timestamp", "fileId", "url", "errCode", "errCodeExt", "sessionContext", "MediaBasicInfo",
            "MediaMetaData", "MediaVideoStreamItem", "MediaAudioStreamItem", "MediaTranscodeItem",
            "MediaProcessTaskResult", "ProcedureTask", "FileUploadTask", "PullUploadTask"} <= set(common["$defs"])


def test_every_kind_with_a_documented_body_has_a_valid_example() -> None:
    documented = {e["body"]["EventType"] for e in VALID}
    assert {k.name for k in KINDS} - documented == UNDOCUMENTED


# --------------------------------------------------------------------------- documented examples


@pytest.mark.parametrize("entry", EXAMPLES, ids=ids(EXAMPLES))
def test_documented_example(entry: dict[str, Any]) -> None:
    found = errs(entry["body"])
    if entry["expect_valid"]:
        assert found == []
    else:
        assert found


def test_invalid_example_fails_for_the_stated_reason() -> None:
    assert errs(example("ComposeMediaComplete normal callback (266/35571)")) == [
        "$.ComposeMediaCompleteEvent.Output.FileId: 5285485487985271490 is not of type 'string'"
    ]


def test_push_and_pull_forms_of_one_event_both_validate() -> None:
    push = example("NewFileUpload normal callback (reference 4.2)")
    pull = example("NewFileUpload reliable EventSet item (reference 4.2)")
    assert "EventHandle" not in push and pull.pop("EventHandle") == "EventHandle.N"
    assert push == pull


# --------------------------------------------------------------------------- generic negatives


@pytest.mark.parametrize("entry", VALID, ids=ids(VALID))
def test_missing_payload_is_rejected(entry: dict[str, Any]) -> None:
    body = copy.deepcopy(entry["body"])
    key = KIND_OF[body["EventType"]].payload_key
    del body[key]
    assert f"$: '{key}' is a required property" in errs(body)
    body[key] = None
    assert any(m.startswith(f"$.{key}: None is not of type 'object'") for m in errs(body))


@pytest.mark.parametrize("entry", VALID, ids=ids(VALID))
def test_wrong_event_type_is_rejected(entry: dict[str, Any]) -> None:
    body = copy.deepcopy(entry["body"])
    event_type = body["EventType"]
    for wrong in (event_type.lower(), "SnapshotByTimeOffsetComplete", "", 1):
        body["EventType"] = wrong
        assert any(m.startswith("$.EventType:") for m in errs(body, event_type)), wrong
    del body["EventType"]
    assert "$: 'EventType' is a required property" in errs(body, event_type)


@pytest.mark.parametrize("entry", VALID, ids=ids(VALID))
def test_payload_must_be_an_object_and_other_payloads_null(entry: dict[str, Any]) -> None:
    body = copy.deepcopy(entry["body"])
    key = KIND_OF[body["EventType"]].payload_key
    body[key] = json.dumps(body[key])
    assert f"$.{key}" in errs(body)[0]
    body = copy.deepcopy(entry["body"])
    other = next(k for k in PAYLOAD_KEYS if k != key)
    body[other] = {"TaskId": "x"}
    assert errs(body) == [f"$.{other}: {{'TaskId': 'x'}} is not of type 'null'"]


@pytest.mark.parametrize("entry", VALID, ids=ids(VALID))
def test_event_handle_is_optional_but_typed(entry: dict[str, Any]) -> None:
    body = copy.deepcopy(entry["body"])
    body.pop("EventHandle", None)
    assert errs(body) == []
    body["EventHandle"] = 7
    assert errs(body) == ["$.EventHandle: 7 is not of type 'string'"]
    body["EventHandle"] = "EventHandle1"
    body["Sign"] = "0123456789abcdef0123456789abcdef"  # unknown top-level keys pass (e.g. SignKey's Sign/T)
    assert errs(body) == []


def _mutate(body: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    body = copy.deepcopy(body)
    node: Any = body
    parts = path.split(".")
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    last = parts[-1]
    if isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return body


WRONG_TYPES = [
    ("NewFileUpload normal callback (reference 4.2)", "FileUploadEvent.FileId", 5285890784273533167, "is not of type"),
    ("NewFileUpload normal callback (reference 4.2)", "FileUploadEvent.FileId", "52858-9078", "does not match"),
    ("NewFileUpload normal callback (reference 4.2)", "FileUploadEvent.MediaBasicInfo.CreateTime",
     "2019-01-09 16:36:22", "does not match"),
    ("NewFileUpload normal callback (reference 4.2)", "FileUploadEvent.MediaBasicInfo.ClassId", "0", "is not of type"),
    ("NewFileUpload normal callback (reference 4.2)", "FileUploadEvent.MediaBasicInfo.TagSet", "a,b", "is not of type"),
    ("NewFileUpload normal callback (reference 4.2)", "FileUploadEvent.MediaBasicInfo.MediaUrl", "ftp://x/y.mp4",
     "does not match"),
    ("NewFileUpload normal callback (reference 4.2)", "FileUploadEvent.MediaBasicInfo", None, "is not of type"),
    ("ProcedureStateChanged normal callback (reference 4.3)", "ProcedureStateChangeEvent.ErrCode", "0",
     "is not of type"),
    ("ProcedureStateChanged normal callback (reference 4.3)", "ProcedureStateChangeEvent.Status", "SUCCESS",
     "is not one of"),
    ("ProcedureStateChanged normal callback (reference 4.3)", "ProcedureStateChangeEvent.MetaData.Size", "7700180",
     "is not of type"),
    ("ProcedureStateChanged normal callback (reference 4.3)", "ProcedureStateChangeEvent.MetaData.Duration", "60",
     "is not of type"),
    ("ProcedureStateChanged normal callback (reference 4.3)",
     "ProcedureStateChangeEvent.MediaProcessResultSet.0.TranscodeTask", None, "is not of type 'object'"),
    ("ProcedureStateChanged normal callback (reference 4.3)",
     "ProcedureStateChangeEvent.MediaProcessResultSet.0.TranscodeTask.Status", "FINISH", "is not one of"),
    ("ProcedureStateChanged normal callback (reference 4.3)",
     "ProcedureStateChangeEvent.MediaProcessResultSet.0.TranscodeTask.Output.Bitrate", 552.2, "is not of type"),
    ("ProcedureStateChanged normal callback (reference 4.3)",
     "ProcedureStateChangeEvent.MediaProcessResultSet.0.TranscodeTask.Output.VideoStreamSet.0.Fps", "24",
     "is not of type"),
    ("ProcedureStateChanged normal callback (reference 4.3)", "ProcedureStateChangeEvent.SessionContext", "x" * 1001,
     "is too long"),
    ("FileDeleted normal callback (reference 4.4)", "FileDeleteEvent.FileIdSet", "24961954183381008",
     "is not of type"),
    ("PullComplete normal callback (reference 4.5)", "PullCompleteEvent.ErrCode", None, "is not of type"),
    ("RestoreMediaComplete normal callback (reference 4.6)", "RestoreMediaCompleteEvent.RestoreDay", -1,
     "less than the minimum"),
    ("CreateSnapshotByTimeOffsetComplete normal callback with null keys (reference 4.6)",
     "SnapshotByTimeOffsetCompleteEvent.SnapshotInfoSet.0.TimeOffset", "10000", "is not of type"),
    ("TranscodeComplete normal callback (zh 266/7832)", "TranscodeCompleteEvent.PlayInfoSet.0.Bitrate", "246000",
     "is not of type"),
]


@pytest.mark.parametrize(("name", "path", "value", "message"), WRONG_TYPES,
                         ids=[f"{p}={v!r}"[:60] for _, p, v, _ in WRONG_TYPES])
def test_wrong_nested_value_is_rejected(name: str, path: str, value: Any, message: str) -> None:
    found = errs(_mutate(BY_EXAMPLE[name]["body"], path, value))
    where = "$." + ".".join(f"[{p}]" if p.isdigit() else p for p in path.split(".")).replace(".[", "[")
    assert any(m.startswith(where + ":") and message in m for m in found), found


@pytest.mark.parametrize(("name", "field"), [
    ("NewFileUpload normal callback (reference 4.2)", "FileId"),
    ("NewFileUpload normal callback (reference 4.2)", "MediaBasicInfo"),
    ("ProcedureStateChanged normal callback (reference 4.3)", "TaskId"),
    ("ProcedureStateChanged normal callback (reference 4.3)", "Status"),
    ("FileDeleted normal callback (reference 4.4)", "FileIdSet"),
    ("PullComplete normal callback (reference 4.5)", "ErrCode"),
    ("RestoreMediaComplete normal callback (reference 4.6)", "FileId"),
    ("CreateSnapshotByTimeOffsetComplete normal callback with null keys (reference 4.6)", "SnapshotInfoSet"),
    ("ClipComplete normal callback (266/33960)", "SrcFileId"),
])
def test_missing_payload_field_is_rejected(name: str, field: str) -> None:
    body = example(name)
    del payload(body)[field]
    key = KIND_OF[body["EventType"]].payload_key
    assert f"$.{key}: '{field}' is a required property" in errs(body)


def test_timestamps_accept_z_offsets_and_fractions() -> None:
    body = example("NewFileUpload normal callback (reference 4.2)")
    info = payload(body)["MediaBasicInfo"]
    for value in ("2019-08-07T15:36:56+08:00", "2019-01-09T16:36:22Z", "2023-01-16T03:06:16.039Z"):
        info["CreateTime"] = value
        assert errs(body) == [], value
    for value in ("2019-08-07T15:36:56", "2019-08-07", "2019-08-07T15:36:56+0800", ""):
        info["CreateTime"] = value
        assert errs(body), value


# --------------------------------------------------------------------------- engines agree


def test_fast_and_reference_validators_agree() -> None:
    rng = random.Random(5)
    bad_values: list[Any] = ["abc", "", -1, 1.5, None, True, [], {}, "2019-01-09 16:36:22", "x" * 1001]
    checked = 0
    for entry in EXAMPLES:
        body = entry["body"]
        event_type = body["EventType"]
        docs = [body]
        inner = payload(body)
        for key in list(inner):
            for value in rng.sample(bad_values, 3):
                changed = copy.deepcopy(body)
                payload(changed)[key] = value
                docs.append(changed)
        for doc in docs:
            assert schemas.is_valid("tencent", event_type, doc) == \
                schemas.validator("tencent", event_type).is_valid(doc), (event_type, doc)
            checked += 1
    assert checked > 300


def test_examples_name_only_catalogued_kinds() -> None:
    assert {e["body"]["EventType"] for e in EXAMPLES} <= set(BY_NAME)
