"""The Alibaba VOD callback-body schemas against every documented example body.

``tests/fixtures/aliyun_examples.json`` holds the example bodies of the reference
(``/work/shared/reference/aliyun_vod_events.md``), each with ``expect_valid``. Positive
cases check that the schemas tolerate what the docs really show (string numbers,
``:SSS`` timestamps, JSON strings vs objects, masked IDs, typo keys); negative cases
check that they still reject what is wrong.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from emulator.providers import schemas
from emulator.providers.aliyun.catalog import EVENT_TYPES, KINDS

FIXTURES = Path(__file__).parent / "fixtures" / "aliyun_examples.json"
EXAMPLES: list[dict[str, Any]] = json.loads(FIXTURES.read_text(encoding="utf-8"))
VALID = [e for e in EXAMPLES if e["expect_valid"]]
BY_NAME = {e["name"]: e for e in EXAMPLES}

# Event types for which the docs show no example body at all (the stored page is cut off);
# they are covered by an example assembled from the field table, marked "synthesized".
UNDOCUMENTED = {"WorkflowTaskComplete"}

# Top-level required fields per the docs' "Required" column, minus the fields that a
# documented example omits (see each schema's $comment).
EXPECTED_REQUIRED: dict[str, set[str]] = {
    "FileUploadComplete": {"EventTime", "EventType", "VideoId", "Status"},
    "ImageUploadComplete": {"EventTime", "EventType", "ImageId", "Status"},
    "AttachedMediaUploadComplete": {"EventTime", "EventType", "AttachedMediaId", "Size", "FileURL", "Status"},
    # + VideoId when Status is success; + VideoId/SourceURL/FileType/Status for FileType=Stream
    "UploadByURLComplete": {"EventTime", "EventType", "JobId"},
    "StreamTranscodeComplete": {"EventTime", "EventType", "VideoId", "Status"},  # not IsAudio/StartTime/FinishTime
    "TranscodeComplete": {"EventTime", "EventType", "VideoId", "Status"},
    "SnapshotComplete": {"EventTime", "EventType"},  # the example omits VideoId and Status
    "DynamicImageComplete": {"EventTime", "EventType", "VideoId", "Status", "JobId"},
    "VideoAnalysisComplete": {"EventTime", "EventType", "VideoId", "Status"},
    "AddLiveRecordVideoComplete": {"EventTime", "EventType", "VideoId", "Status"},
    "LiveRecordVideoComposeStart": {"EventTime", "EventType", "VideoId", "Status"},
    "CreateAuditComplete": {"EventType", "EventTime", "Status", "MediaId", "SubType", "AuditStatus", "CreationTime"},
    "ProduceMediaComplete": {"EventTime", "EventType", "Status", "MediaId", "ProjectId"},
    "DeleteMediaComplete": {"EventType", "EventTime", "Status", "MediaType", "DeleteType", "MediaId"},
    "MediaBaseChangeComplete": {
        "EventType", "EventTime", "Status", "MediaType", "MediaId", "OperateMode", "MediaContent",
    },
    "UpdateMediaStorageClassComplete": {
        "EventTime", "EventType", "Status", "MediaId", "Scope", "StorageClass", "TriggerBy",
    },
    "RestoreMediaComplete": {"EventTime", "EventType", "Status", "MediaId"},
    "SubmitMediaRefreshComplete": {
        "EventTime", "EventType", "Status", "MediaRefreshJobId", "MediaId", "TaskType", "SuccessPlayUrls",
        "TaskIds", "FilterPolicy",
    },
    "WorkflowTaskComplete": {
        "EventType", "EventTime", "WorkflowId", "Status", "VideoId", "TaskId", "ActivityResults", "TaskInput",
        "CreateTime", "ModifiedTime", "FinishTime", "UserId",
    },
    "AIMediaAuditComplete": {"EventTime", "EventType", "JobId", "MediaId", "Status", "Data"},
    "AIMediaDNAComplete": {"EventTime", "EventType", "JobId", "MediaId", "Status", "Data"},  # not CompleteTime
    "AIVideoTagComplete": {"EventTime", "EventType", "JobId", "MediaId", "Status", "Data"},
}

STATUS_WORDS = {k.event_type: (k.success, k.failure) for k in KINDS}
ALL_STATUS_WORDS = {w for pair in STATUS_WORDS.values() for w in pair}


def errs(body: dict[str, Any], event_type: str | None = None) -> list[str]:
    return schemas.errors("aliyun", event_type or body["EventType"], body)


def body(name: str) -> dict[str, Any]:
    return copy.deepcopy(BY_NAME[name]["body"])


def first_valid(event_type: str, *, stream: bool | None = None) -> dict[str, Any]:
    for e in VALID:
        b = e["body"]
        if b["EventType"] != event_type:
            continue
        if stream is not None and (b.get("FileType") == "Stream") != stream:
            continue
        return copy.deepcopy(b)
    raise LookupError(event_type)


def is_stream(b: dict[str, Any]) -> bool:
    return b["EventType"] == "UploadByURLComplete" and b.get("FileType") == "Stream"


def ids(examples: list[dict[str, Any]]) -> list[str]:
    return [e["name"] for e in examples]


# --------------------------------------------------------------------------- fixtures file


def test_fixture_entries_are_well_formed() -> None:
    assert len(BY_NAME) == len(EXAMPLES), "example names must be unique"
    for e in EXAMPLES:
        assert set(e) <= {"name", "source", "doc_version", "expect_valid", "why", "note", "body"}, e["name"]
        assert e["source"].startswith("https://"), e["name"]
        assert e["doc_version"] in {"current", "repo-2021", "synthesized"}, e["name"]
        assert isinstance(e["expect_valid"], bool), e["name"]
        assert isinstance(e["body"], dict) and e["body"].get("EventType") in EVENT_TYPES, e["name"]
        if not e["expect_valid"]:
            assert e.get("why"), f"{e['name']}: an invalid example must say why"
        if e["doc_version"] == "synthesized":
            assert e["body"]["EventType"] in UNDOCUMENTED and e.get("note"), e["name"]


# --------------------------------------------------------------------------- schema files


def test_one_schema_per_event_type_plus_common() -> None:
    folder = schemas.schemas_dir() / "aliyun"
    names = {p.name.removesuffix(".schema.json") for p in folder.glob("*.schema.json")}
    assert names == set(EVENT_TYPES) | {"common"}
    assert len(EVENT_TYPES) == 22


@pytest.mark.parametrize("event_type", sorted(EVENT_TYPES))
def test_schema_loads_and_is_well_formed(event_type: str) -> None:
    schema = schemas.load_schema("aliyun", event_type)
    Draft202012Validator.check_schema(schema)
    assert schema["$id"] == schemas.schema_id("aliyun", event_type)
    assert schema["title"] and "https://" in schema["description"]
    assert schema["properties"]["EventType"]["const"] == event_type
    assert schema.get("additionalProperties", True) is True
    assert set(schema["required"]) == EXPECTED_REQUIRED[event_type]


def test_common_schema_is_well_formed() -> None:
    common = schemas.load_schema("aliyun", "common")
    Draft202012Validator.check_schema(common)
    assert {"timestamp", "id", "integerLike", "numberLike", "url", "extend", "jsonTextOrObject", "definition",
            "streamInfo", "statusSuccessFail", "statusSuccessFailed", "statusSucceedFailed"} <= set(common["$defs"])


def test_every_catalog_kind_has_a_valid_example() -> None:
    missing_documented = set()
    for kind in KINDS:
        want_stream = kind.name.endswith(":Stream")
        matching = [e for e in VALID
                    if e["body"]["EventType"] == kind.event_type and is_stream(e["body"]) == want_stream]
        assert matching, f"no valid example for {kind.name}"
        if not any(e["doc_version"] != "synthesized" for e in matching):
            missing_documented.add(kind.name)
    assert missing_documented == UNDOCUMENTED


# --------------------------------------------------------------------------- documented examples


@pytest.mark.parametrize("example", EXAMPLES, ids=ids(EXAMPLES))
def test_documented_example(example: dict[str, Any]) -> None:
    found = errs(example["body"])
    if example["expect_valid"]:
        assert found == []
    else:
        assert any("is a required property" in m for m in found), found


def test_invalid_examples_fail_for_the_stated_reason() -> None:
    assert errs(body("FileUploadComplete FAQ troubleshooting curl payload")) == [
        "$: 'EventTime' is a required property"
    ]
    assert errs(body("FileUploadComplete success (repo-2021, no Status)")) == ["$: 'Status' is a required property"]


# --------------------------------------------------------------------------- generic negatives


def _required_cases() -> list[tuple[str, str]]:
    cases = []
    for e in VALID:
        b = e["body"]
        fields = set(EXPECTED_REQUIRED[b["EventType"]])
        if is_stream(b):
            fields |= {"VideoId", "JobId", "SourceURL", "Status"}  # FileType is the discriminator itself
        elif b["EventType"] == "UploadByURLComplete" and b.get("Status") == "success":
            fields.add("VideoId")
        cases += [(e["name"], f) for f in sorted(fields)]
    return cases


@pytest.mark.parametrize(("name", "field"), _required_cases())
def test_missing_required_field_is_rejected(name: str, field: str) -> None:
    b = body(name)
    event_type = b["EventType"]
    assert field in b
    del b[field]
    assert f"'{field}' is a required property" in " ".join(errs(b, event_type))


@pytest.mark.parametrize("example", VALID, ids=ids(VALID))
def test_other_event_type_is_rejected(example: dict[str, Any]) -> None:
    own = example["body"]["EventType"]
    for other in sorted(EVENT_TYPES - {own}):
        b = copy.deepcopy(example["body"])
        b["EventType"] = other
        assert any(m.startswith("$.EventType:") for m in errs(b, own)), other
    b = copy.deepcopy(example["body"])
    b["EventType"] = own.lower()
    assert errs(b, own)


@pytest.mark.parametrize("example", VALID, ids=ids(VALID))
def test_wrong_status_word_is_rejected(example: dict[str, Any]) -> None:
    event_type = example["body"]["EventType"]
    own = set(STATUS_WORDS[event_type])
    wrong = (ALL_STATUS_WORDS - own) | {w.swapcase() for w in own} | {w.upper() for w in own} | {"ok", "OK", ""}
    assert "Success" in wrong or "success" in wrong
    for word in sorted(wrong - own):
        b = copy.deepcopy(example["body"])
        b["Status"] = word  # also for SnapshotComplete, whose example has no Status: present means checked
        assert any(m.startswith("$.Status:") for m in errs(b)), word
    b = copy.deepcopy(example["body"])
    b["Status"] = True
    assert errs(b)


@pytest.mark.parametrize("event_type", sorted(EVENT_TYPES))
def test_status_vocabulary_matches_catalog(event_type: str) -> None:
    success, failure = STATUS_WORDS[event_type]
    b = first_valid(event_type)
    if event_type == "UploadByURLComplete":
        b = first_valid(event_type, stream=False)
        b.setdefault("VideoId", "43q9fjdun3f****")
    for word in (success, failure):
        b["Status"] = word
        assert errs(b) == [], word


# --------------------------------------------------------------------------- tolerated shapes


@pytest.mark.parametrize("event_type", sorted(EVENT_TYPES))
@pytest.mark.parametrize("when", ["2017-03-20T07:49:17Z", "2024-04-10T01:37:14:627Z", "2022-10-20T10:29:46.540Z"])
def test_timestamp_variants_are_accepted(event_type: str, when: str) -> None:
    b = first_valid(event_type)
    b["EventTime"] = when
    assert errs(b) == []


@pytest.mark.parametrize("event_type", sorted(EVENT_TYPES))
@pytest.mark.parametrize(
    "when",
    ["2017-03-20 07:49:17", "2017-03-20T07:49:17", "2017-03-20T07:49:17+08:00", "2017-03-20T07:49:17.5Z",
     "2017-03-20T07:49:17,123Z", "20170320T074917Z", "", 1490000000],
)
def test_bad_timestamps_are_rejected(event_type: str, when: Any) -> None:
    b = first_valid(event_type)
    b["EventTime"] = when
    assert any(m.startswith("$.EventTime:") for m in errs(b))


def test_other_time_fields_use_the_same_rule() -> None:
    for name, field in [
        ("AddLiveRecordVideoComplete success (current)", "RecordStartTime"),
        ("CreateAuditComplete success (current zh)", "CreationTime"),
        ("RestoreMediaComplete Success (current)", "RestoreExpiration"),
        ("AIMediaDNAComplete success (current, ss:SSSZ time)", "CompleteTime"),
        ("WorkflowTaskComplete Succeed (synthesized from table values)", "FinishTime"),
    ]:
        b = body(name)
        b[field] = "2017-03-20 07:49:17"
        assert any(m.startswith(f"$.{field}:") for m in errs(b)), name


@pytest.mark.parametrize("example", VALID, ids=ids(VALID))
def test_unknown_extra_fields_are_accepted(example: dict[str, Any]) -> None:
    b = copy.deepcopy(example["body"])
    b["SomeFutureField"] = {"nested": [1, "two"]}
    b["AppId"] = "app-1000000"
    assert errs(b) == []


def test_definition_suffix_is_accepted() -> None:
    b = body("StreamTranscodeComplete success (repo-2021)")
    for ok in ("HD-MP4", "FD", "LD", "SD", "HD", "OD", "2K", "4K", "AUTO", "SQ", "HQ", "SD-H265-MP4"):
        b["Definition"] = ok
        assert errs(b) == [], ok
    for bad in ("XD", "hd", "HD_MP4", "HD-", "", 720):
        b["Definition"] = bad
        assert any(m.startswith("$.Definition:") for m in errs(b)), bad
    t = body("TranscodeComplete success (repo-2021)")
    t["StreamInfos"][1]["Definition"] = "HD-MP4"
    assert errs(t) == []
    t["StreamInfos"][1]["Definition"] = "hd"
    assert any(m.startswith("$.StreamInfos[1].Definition:") for m in errs(t))


def test_format_is_an_open_string() -> None:
    b = body("StreamTranscodeComplete success (repo-2021)")
    for ok in ("mp4", "m3u8", "flv", "mp3", "mpd"):
        b["Format"] = ok
        assert errs(b) == [], ok
    for bad in ("", 4):
        b["Format"] = bad
        assert errs(b), bad


def test_masked_and_odd_ids_are_accepted_but_empty_ones_are_not() -> None:
    b = body("FileUploadComplete success (current)")
    for ok in ("43q91jdh7df****", "0a389969855b438a9eb2a1d1efc0cb9f", "<Example ID>", "x"):
        b["VideoId"] = ok
        assert errs(b) == [], ok
    for bad in ("", "   ", 123, None):
        b["VideoId"] = bad
        assert any(m.startswith("$.VideoId:") for m in errs(b)), bad


def test_urls_accept_http_and_https_only() -> None:
    b = body("FileUploadComplete success (current)")
    for ok in ("http://example.com/a.mp4", "https://example.com/a.mp4"):
        b["FileUrl"] = ok
        assert errs(b) == [], ok
    for bad in ("ftp://example.com/a.mp4", "example.com/a.mp4", "http://", "http://exa mple.com/", ""):
        b["FileUrl"] = bad
        assert any(m.startswith("$.FileUrl:") for m in errs(b)), bad


def test_extend_is_a_string_of_at_most_512_characters_or_an_object() -> None:
    b = body("FileUploadComplete success (current)")
    # An object: the multiple-callback-URL page nests Extend; --vary sends it so.
    for ok in ("", "test data", "x" * 512, "{\"a\":1}", {"test": "your extend data"}):
        b["Extend"] = ok
        assert errs(b) == [], ok
    for bad in ("x" * 513, ["test"], 1):
        b["Extend"] = bad
        assert any(m.startswith("$.Extend:") for m in errs(b)), str(bad)[:20]


# --------------------------------------------------------------------------- numbers and strings


SIZE_CASES = [
    ("FileUploadComplete success (current)", "Size"),
    ("ImageUploadComplete success (current, ss:SSSZ time)", "Size"),
    ("AttachedMediaUploadComplete success (current)", "Size"),
    ("UploadByURLComplete success (current, repaired)", "Size"),
    ("StreamTranscodeComplete success (repo-2021)", "Size"),
    ("VideoAnalysisComplete success (current)", "Size"),
    ("VideoAnalysisComplete success (current)", "Width"),
    ("StreamTranscodeComplete success (repo-2021)", "Height"),
]


@pytest.mark.parametrize(("name", "field"), SIZE_CASES)
def test_integer_fields_take_numbers_or_digit_strings(name: str, field: str) -> None:
    b = body(name)
    for ok in (0, 123456, "123456", 15.0):
        b[field] = ok
        assert errs(b) == [], ok
    for bad in ("abc", "12px", "", "-1", -1, 1.5, "1.5", True, None, [1]):
        b[field] = bad
        assert any(m.startswith(f"$.{field}:") for m in errs(b)), bad


@pytest.mark.parametrize("field", ["Duration", "Bitrate", "Fps"])
def test_decimal_fields_take_numbers_or_numeric_strings(field: str) -> None:
    for name in ("StreamTranscodeComplete success (repo-2021)", "VideoAnalysisComplete success (current)"):
        b = body(name)
        for ok in (15, 15.0, "12", "29.97", 925):
            b[field] = ok
            assert errs(b) == [], (name, ok)
        for bad in ("abc", "30fps", "", "1e3", -1, False):
            b[field] = bad
            assert any(m.startswith(f"$.{field}:") for m in errs(b)), (name, bad)


def test_encrypt_must_be_boolean() -> None:
    b = body("StreamTranscodeComplete success (repo-2021)")
    for bad in ("yes", "false", 0, None):
        b["Encrypt"] = bad
        assert any(m.startswith("$.Encrypt:") for m in errs(b)), bad
    b["Encrypt"] = True
    assert errs(b) == []
    t = body("TranscodeComplete success (repo-2021)")
    t["StreamInfos"][0]["Encrypt"] = "yes"
    assert any(m.startswith("$.StreamInfos[0].Encrypt:") for m in errs(t))
    t["StreamInfos"][0]["Encrypt"] = True
    t["StreamInfos"][0]["IsAudio"] = "true"
    assert any(m.startswith("$.StreamInfos[0].IsAudio:") for m in errs(t))


def test_stream_infos_must_be_an_array_of_objects() -> None:
    t = body("TranscodeComplete success (repo-2021)")
    t["StreamInfos"] = []
    assert errs(t) == []
    for bad in ({"Status": "success"}, "[]", [["x"]], ["success"]):
        t["StreamInfos"] = bad
        assert any(m.startswith("$.StreamInfos") for m in errs(t)), bad
    t = body("TranscodeComplete success (repo-2021)")
    t["StreamInfos"][0]["Status"] = "Success"
    assert any(m.startswith("$.StreamInfos[0].Status:") for m in errs(t))
    t = body("TranscodeComplete success (repo-2021)")
    t["StreamInfos"][0].update(IsAudio=False, StartTime="2017-03-20T07:49:17Z", FinishTime="2017-03-20T07:49:19Z",
                               Codec="H.264", EncryptType="Unencrypted", WatermarkId="a,b")
    assert errs(t) == []


# --------------------------------------------------------------------------- closed vocabularies


@pytest.mark.parametrize(
    ("name", "path", "good", "bad"),
    [
        ("DeleteMediaComplete success (current)", "MediaType", ["video", "image", "attached"], ["audio", "Video"]),
        ("MediaBaseChangeComplete success (current)", "MediaType", ["video", "image", "attached"], ["audio"]),
        ("DeleteMediaComplete success (current)", "DeleteType", ["all", "mezzanine", "stream"], ["All", "source"]),
        ("MediaBaseChangeComplete success (current)", "OperateMode", ["create", "update", "delete"], ["Update", "move"]),
        ("CreateAuditComplete success (current zh)", "AuditStatus", ["Normal", "Blocked"], ["normal", "Pass"]),
        ("CreateAuditComplete success (current zh)", "SubType", ["video"], ["image", "Video"]),
        ("UpdateMediaStorageClassComplete Success (current)", "Scope", ["All", "SourceFile"], ["all", "Stream"]),
        ("UpdateMediaStorageClassComplete Success (current)", "StorageClass",
         ["Standard", "IA", "Archive", "ColdArchive"], ["archive", "Cold"]),
        ("UpdateMediaStorageClassComplete Success (current)", "TriggerBy", ["LifeCycle", "API"], ["Lifecycle", "api"]),
        ("SubmitMediaRefreshComplete success (current)", "TaskType",
         ["Refresh", "refresh", "Preload", "preload", "PRELOAD", "rEfReSh"], ["purge", "Refreshing", ""]),
    ],
)
def test_closed_vocabularies(name: str, path: str, good: list[str], bad: list[str]) -> None:
    b = body(name)
    for word in good:
        b[path] = word
        assert errs(b) == [], word
    for word in bad:
        b[path] = word
        assert any(m.startswith(f"$.{path}:") for m in errs(b)), word


def test_snapshot_infos_items() -> None:
    b = body("SnapshotComplete success (repo-2021)")
    for word in ("CoverSnapshot", "NormalSnapshot", "SpriteSnapshot"):
        b["SnapshotInfos"][0]["SnapshotType"] = word
        assert errs(b) == [], word
    b["SnapshotInfos"][0]["SnapshotType"] = "Thumbnail"
    assert any(m.startswith("$.SnapshotInfos[0].SnapshotType:") for m in errs(b))
    for field in ("Status", "SnapshotType", "SnapshotCount", "SnapshotFormat", "SnapshotRegular", "JobId"):
        b = body("SnapshotComplete success (repo-2021)")
        del b["SnapshotInfos"][1][field]
        assert f"'{field}' is a required property" in " ".join(errs(b)), field
    b = body("SnapshotComplete success (repo-2021)")
    b["SnapshotInfos"][0]["SnapshotFormat"] = "covers/990f3820-00001.jpg"
    assert any(m.startswith("$.SnapshotInfos[0].SnapshotFormat:") for m in errs(b))
    b = body("SnapshotComplete success (repo-2021)")
    b["SnapshotInfos"][0]["SnapshotCount"] = "two"
    assert any(m.startswith("$.SnapshotInfos[0].SnapshotCount:") for m in errs(b))
    b = body("SnapshotComplete success (repo-2021)")
    b.update(VideoId="2327a6ec24b44844b3a5e2c1b691****", Status="success", SubType="SpecifiedTime")
    assert errs(b) == []


# --------------------------------------------------------------------------- JSON string or object


def test_dynamic_image_job_info_object_string_or_array() -> None:
    obj = body("DynamicImageComplete success (current, nested object)")
    text = body("DynamicImageComplete success (repo-2021, JSON string)")
    assert isinstance(obj["DynamicImageJobInfo"], dict) and isinstance(text["DynamicImageJobInfo"], str)
    arr = copy.deepcopy(obj)
    arr["DynamicImageJobInfo"] = [obj["DynamicImageJobInfo"]]
    assert errs(arr) == []
    compact = copy.deepcopy(obj)
    compact["DynamicImageJobInfo"] = json.dumps(obj["DynamicImageJobInfo"])
    assert errs(compact) == []
    for bad in ("hello", 5, [1], None):
        obj["DynamicImageJobInfo"] = bad
        assert errs(obj), bad
    obj = body("DynamicImageComplete success (current, nested object)")
    del obj["DynamicImageJobInfo"]["FileURL"]
    assert errs(obj)
    obj = body("DynamicImageComplete success (current, nested object)")
    obj["DynamicImageJobInfo"]["Width"] = "wide"
    assert errs(obj)
    failed = body("DynamicImageComplete success (current, nested object)")
    del failed["DynamicImageJobInfo"]
    failed.update(Status="fail", ErrorCode="InternalError", ErrorMessage="failed")
    assert errs(failed) == []


def test_media_content_object_or_json_string() -> None:
    b = body("MediaBaseChangeComplete success (current)")
    b["MediaContent"] = json.dumps({"Title": "{\"OldValue\":\"a\",\"NewValue\":\"b\"}"})
    assert errs(b) == []
    b["MediaContent"] = {"Title": {"OldValue": "a", "NewValue": "b"}, "Tags": "{\"NewValue\":\"x,y\"}"}
    assert errs(b) == []
    for bad in ("Title changed", 1, {"Title": "plain text"}, {"CateId": 100002}):
        b["MediaContent"] = bad
        assert errs(b), bad


@pytest.mark.parametrize("event_type", ["AIMediaAuditComplete", "AIMediaDNAComplete", "AIVideoTagComplete"])
def test_ai_data_object_or_json_string(event_type: str) -> None:
    b = first_valid(event_type)
    data = b["Data"]
    b["Data"] = data if isinstance(data, dict) else json.loads(data)
    assert errs(b) == []
    b["Data"] = json.dumps(b["Data"])
    assert errs(b) == []
    for bad in ("OK", 0, None, ["x"]):
        b["Data"] = bad
        assert errs(b), bad


def test_ai_media_audit_result_is_typed() -> None:
    b = body("AIMediaAuditComplete success (repo-2021)")
    b["Data"]["Suggestion"] = "maybe"
    assert any(m.startswith("$.Data") for m in errs(b))
    b = body("AIMediaAuditComplete success (repo-2021)")
    b["Data"]["VideoResult"]["PornResult"]["MaxScore"] = "high"
    assert errs(b)
    b = body("AIMediaAuditComplete success (repo-2021)")
    b["Data"]["VideoResult"]["TerrorismResult"]["CounterList"][0]["Count"] = "0"
    assert errs(b) == []


def test_filter_policy_and_refresh_lists() -> None:
    b = body("SubmitMediaRefreshComplete success (current)")
    b["FilterPolicy"] = {"SliceFlag": False, "ResultType": "Single"}
    assert errs(b) == []
    b["FilterPolicy"] = "SliceFlag=false"
    assert any(m.startswith("$.FilterPolicy:") for m in errs(b))
    b = body("SubmitMediaRefreshComplete success (current)")
    b["SuccessPlayUrls"] = "http://a.example.com/1.mp4,https://b.example.com/2.m3u8"
    b["TaskIds"] = "1460435****,1460436****"
    assert errs(b) == []
    b["SuccessPlayUrls"] = "a.example.com/1.mp4"
    assert any(m.startswith("$.SuccessPlayUrls:") for m in errs(b))


def test_workflow_task_complete_json_fields() -> None:
    b = body("WorkflowTaskComplete Succeed (synthesized from table values)")
    b["ActivityResults"] = json.loads(b["ActivityResults"])
    b["TaskInput"] = json.loads(b["TaskInput"])
    assert errs(b) == []
    del b["ActivityResults"]["VideoTranslation"]["Result"]
    assert errs(b)
    b = body("WorkflowTaskComplete Succeed (synthesized from table values)")
    b["TaskInput"] = {"Type": "Media"}
    assert errs(b)
    b["TaskInput"] = "Media"
    assert errs(b)


# --------------------------------------------------------------------------- UploadByURLComplete variants


def test_upload_by_url_video_variant_rules() -> None:
    ok = body("UploadByURLComplete success (current, repaired)")
    del ok["VideoId"]
    assert errs(ok) == ["$: 'VideoId' is a required property"]
    fail = body("UploadByURLComplete fail (current, repaired)")
    assert "VideoId" not in fail and errs(fail) == []
    no_status = body("UploadByURLComplete success (current, repaired)")
    del no_status["Status"]  # the table marks Status optional for this variant
    assert errs(no_status) == []
    ok = body("UploadByURLComplete success (current, repaired)")
    ok["SourceURL"] = "not a url"
    assert any(m.startswith("$.SourceURL:") for m in errs(ok))


def test_upload_by_url_stream_variant_rules() -> None:
    name = "UploadByURLComplete:Stream success (current)"
    b = body(name)
    del b["StreamFileURL"]
    b.update(Status="fail", ErrorCode="DownloadFailed", ErrorMessage="download failed", Extend="x")
    assert errs(b) == []
    for field in ("VideoId", "JobId", "SourceURL", "Status"):
        b = body(name)
        del b[field]
        assert errs(b) == [f"$: '{field}' is a required property"], field
    b = body(name)
    b["StreamFileURL"] = "oss://bucket/key.flv"
    assert any(m.startswith("$.StreamFileURL:") for m in errs(b))


def test_error_messages_name_the_json_path() -> None:
    t = body("TranscodeComplete success (repo-2021)")
    t["StreamInfos"][1]["Size"] = "abc"
    found = errs(t)
    assert len(found) == 1 and found[0].startswith("$.StreamInfos[1].Size: ")
