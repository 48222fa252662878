"""The Tencent generators and factory: schema-valid, reproducible, internally consistent bodies."""

from __future__ import annotations

import dataclasses
import json
import random
import re
from datetime import datetime, timezone
from typing import Any

import pytest
from faker import Faker
from tencentcloud.vod.v20180717 import models as sdk

from emulator.providers import schemas
from emulator.providers.aliyun.context import GenContext
from emulator.errors import InputError
from emulator.events import encode
from emulator.providers.tencent import factory as tencent_factory
from emulator.providers.tencent.catalog import BY_NAME, KINDS, PAYLOAD_KEYS, EventKind
from emulator.providers.tencent.factory import EventFactory, resolve_kind
from emulator.providers.tencent.generate import EXTEND_FIELDS, EXTEND_KINDS, PARAMS, extend_limit, generate
from emulator.providers.tencent.media import (
    EXTEND_MAX_CHARS, SOURCE_CONTEXT_MAX_CHARS, TRANSCODE_TEMPLATES, ExtendTooLong, TencentMedia, fmt_time, new_media,
    output_size, template,
)

EVENT_TIME = datetime(2026, 1, 1, tzinfo=timezone.utc)
TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
FILE_ID = re.compile(r"^[1-9]\d{18}$")
SEEDS = (0, 1, 7, 42, 2026)
KIND_IDS = [k.name for k in KINDS]
NO_FAILURE = [k.name for k in KINDS if not k.failure_form]
NO_FILE_ID = {k.name for k in KINDS if k.media_field is None}   # the payload has no FileId member
# (kind, ok) for every form a kind has: success always, failure where the payload documents one.
FORMS = [(k.name, ok) for k in KINDS for ok in ((True, False) if k.failure_form else (True,))]
FORM_IDS = [f"{n}-{'success' if ok else 'fail'}" for n, ok in FORMS]


def make_ctx(seed: int, *, ok: bool = True, extend: str | None = None, media: TencentMedia | None = None,
             params: dict[str, Any] | None = None) -> GenContext:
    faker = Faker()
    faker.seed_instance(seed)
    return GenContext(rng=random.Random(seed), faker=faker, event_time=EVENT_TIME, region="ap-guangzhou",
                      ok=ok, extend=extend, media=media, params=dict(params or {}))


def a_media(seed: int = 99, **changes: Any) -> TencentMedia:
    media = new_media(random.Random(seed), Faker(), "ap-guangzhou")
    return dataclasses.replace(media, **changes) if changes else media


def gen(name: str, seed: int = 1, **kw: Any) -> dict[str, Any]:
    return generate(BY_NAME[name], make_ctx(seed, **kw))


def payload(name: str, body: dict[str, Any]) -> dict[str, Any]:
    return body[BY_NAME[name].payload_key]


def walk(node: Any, path: str = "$"):
    yield path, node
    if isinstance(node, dict):
        for k, v in node.items():
            yield from walk(v, f"{path}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from walk(v, f"{path}[{i}]")


def transcodes(body: dict[str, Any]) -> list[dict[str, Any]]:
    results = body["ProcedureStateChangeEvent"]["MediaProcessResultSet"]
    return [r["TranscodeTask"] for r in results if r["Type"] == "Transcode"]


# --------------------------------------------------------------------------- every kind


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize(("name", "ok"), FORMS, ids=FORM_IDS)
def test_body_is_valid_and_canonical(name: str, ok: bool, seed: int) -> None:
    kind = BY_NAME[name]
    body = generate(kind, make_ctx(seed, ok=ok))
    assert schemas.errors("tencent", kind.event_type, body) == []
    # PUSH form: no EventHandle; every other *Event member null, as production sends it.
    assert list(body) == ["EventType", *PAYLOAD_KEYS]
    assert [k for k in PAYLOAD_KEYS if body[k] is not None] == [kind.payload_key]
    assert body["EventType"] == kind.event_type
    lean = generate(kind, make_ctx(seed, ok=ok, params={"null_members": False}))
    assert list(lean) == ["EventType", kind.payload_key]
    assert schemas.errors("tencent", kind.event_type, lean) == []
    for path, value in walk(lean):
        assert value is not None, f"{path} is null: with null_members false null fields are left out"
    for path, value in walk(body):
        if isinstance(value, str) and path.endswith(("Time", "TimeOffset")) and value:
            assert TIME.match(value), path
        if isinstance(value, str) and value.startswith("http"):
            assert value.startswith("http://") and ".vod2.myqcloud.com/" in value, path
    media_id = kind.media_id(body)
    if name == "PullComplete" and not ok:
        assert media_id is None and "FileId" not in body["PullCompleteEvent"]  # nothing was pulled
    elif name in NO_FILE_ID:
        assert media_id is None
    else:
        assert media_id is not None and FILE_ID.match(media_id)


@pytest.mark.parametrize(("name", "ok"), FORMS, ids=FORM_IDS)
def test_sdk_models_know_every_generated_field(name: str, ok: bool) -> None:
    # The SDK warns "<fields> fileds are useless" for members its models lack; warnings are errors here.
    for seed in SEEDS[:2]:
        content = sdk.EventContent()
        content._deserialize(gen(name, seed, ok=ok, extend="ctx"))
        assert content.EventType == BY_NAME[name].event_type


@pytest.mark.parametrize("name", NO_FAILURE)
def test_kinds_without_failure_form_refuse_ok_false(name: str) -> None:
    with pytest.raises(ValueError, match="has no failure form"):
        gen(name, ok=False)


@pytest.mark.parametrize(("name", "ok"), FORMS, ids=FORM_IDS)
def test_same_seed_same_bytes_other_seed_other_ids(name: str, ok: bool) -> None:
    kind = BY_NAME[name]
    first = encode(generate(kind, make_ctx(5, ok=ok, extend="x")))
    assert encode(generate(kind, make_ctx(5, ok=ok, extend="x"))) == first
    other = encode(generate(kind, make_ctx(6, ok=ok, extend="x")))
    assert other != first
    if ok and name not in NO_FILE_ID:
        assert kind.media_id(json.loads(first)) != kind.media_id(json.loads(other))


@pytest.mark.parametrize("name", KIND_IDS)
def test_flow_media_keeps_its_file_id(name: str) -> None:
    media = a_media()
    kind = BY_NAME[name]
    body = generate(kind, make_ctx(3, media=media))
    assert kind.media_id(body) == (None if name in NO_FILE_ID else media.file_id)
    assert media.file_id in json.dumps(body)


# --------------------------------------------------------------------------- consistency


@pytest.mark.parametrize("seed", SEEDS)
def test_procedure_numbers_agree_with_the_media_and_templates(seed: int) -> None:
    media = a_media(seed)
    defs = [100010, 100020, 100030, 100040, 100210, 100280]
    body = gen("ProcedureStateChanged", seed, media=media, params={"definitions": defs})
    task = body["ProcedureStateChangeEvent"]
    meta = task["MetaData"]
    assert meta["Duration"] == meta["VideoDuration"] == media.duration
    assert abs(meta["AudioDuration"] - media.duration) < 0.1
    assert (meta["Width"], meta["Height"]) == (media.width, media.height)
    assert meta["Bitrate"] == sum(s["Bitrate"] for s in meta["VideoStreamSet"] + meta["AudioStreamSet"])
    assert abs(meta["Size"] - meta["Bitrate"] / 8 * meta["Duration"]) <= 0.02 * meta["Size"]
    assert task["FileId"] == media.file_id and task["FileUrl"] == media.media_url
    outputs = [t["Output"] for t in transcodes(body)]
    assert [o["Definition"] for o in outputs] == defs
    for out in outputs:
        tpl = template(out["Definition"])
        assert abs(out["Duration"] - media.duration) <= 0.1
        expected = out["Bitrate"] / 8 * out["Duration"]  # Bitrate in bps, Size in bytes
        assert abs(out["Size"] - expected) <= 0.05 * expected
        assert (out["Width"], out["Height"]) == output_size(media, tpl)
        assert min(out["Width"], out["Height"]) == min(tpl.short_side, media.width, media.height) // 2 * 2
        assert (out["Width"] >= out["Height"]) == (media.width >= media.height)
        assert abs(out["Width"] / out["Height"] - media.width / media.height) < 0.02
        video, audio = out["VideoStreamSet"][0], out["AudioStreamSet"][0]
        assert video["Bitrate"] + audio["Bitrate"] == out["Bitrate"]
        assert abs(video["Bitrate"] - tpl.video_kbps * 1000) <= 0.08 * tpl.video_kbps * 1000
        assert (video["Width"], video["Height"]) == (out["Width"], out["Height"])
        assert out["Url"].startswith(media.host) and f"vodtrans{media.region_tag}{media.app_id}/" in out["Url"]
        assert out["Url"].endswith(f"/v.f{tpl.definition}.{'mp4' if tpl.container == 'mp4' else 'm3u8'}")


def test_output_size_follows_the_short_side_and_the_aspect() -> None:
    landscape = a_media(width=1920, height=1080)
    portrait = a_media(width=1080, height=1920)
    small = a_media(width=640, height=480)
    assert output_size(landscape, template(100030)) == (1280, 720)
    assert output_size(portrait, template(100030)) == (720, 1280)
    assert output_size(landscape, template(100010)) == (640, 360)
    assert output_size(small, template(100040)) == (640, 480)  # never upscaled
    assert set(TRANSCODE_TEMPLATES) == {100000 + c + n for c in (0, 200) for n in (10, 20, 30, 40, 70, 80)}


def test_a_flow_tells_one_story() -> None:
    media = a_media(7)
    upload = gen("NewFileUpload", 1, media=media, params={"procedure": True})
    flow = gen("ProcedureStateChanged", 2, media=media)
    legacy = gen("TranscodeComplete", 3, media=media)
    deleted = gen("FileDeleted", 4, media=media)
    up = upload["FileUploadEvent"]
    assert up["ProcedureTaskId"] == flow["ProcedureStateChangeEvent"]["TaskId"]
    assert up["MetaData"] == flow["ProcedureStateChangeEvent"]["MetaData"]
    assert up["MediaBasicInfo"]["MediaUrl"] == flow["ProcedureStateChangeEvent"]["FileUrl"]
    assert up["MediaBasicInfo"]["Name"] == flow["ProcedureStateChangeEvent"]["FileName"] == \
        legacy["TranscodeCompleteEvent"]["FileName"]
    assert deleted["FileDeleteEvent"]["FileIdSet"] == [media.file_id]
    plays = legacy["TranscodeCompleteEvent"]["PlayInfoSet"]
    assert plays[0]["Definition"] == 0 and (plays[0]["Width"], plays[0]["Height"]) == (media.width, media.height)
    for play, tpl in zip(plays[1:], (100010, 100020, 100030)):
        assert play["Definition"] == tpl
        assert (play["Width"], play["Height"]) == output_size(media, template(tpl))
    assert legacy["TranscodeCompleteEvent"]["Duration"] == round(media.duration)
    assert gen("NewFileUpload", 1, media=media)["FileUploadEvent"]["ProcedureTaskId"] == ""


def test_edit_outputs_are_new_files_made_from_the_flow_media() -> None:
    media = a_media(3)
    edit = gen("EditMediaComplete", 1, media=media, params={"start_time_offset": 2, "end_time_offset": 7.5})
    task = edit["EditMediaCompleteEvent"]
    assert task["Input"]["FileInfoSet"] == [{"FileId": media.file_id, "StartTimeOffset": 2, "EndTimeOffset": 7.5}]
    assert task["Output"]["FileId"] != media.file_id and FILE_ID.match(task["Output"]["FileId"])
    assert task["MetaData"]["Duration"] == 5.5
    split = gen("SplitMediaComplete", 1, media=media, params={"segments": 3})
    infos = split["SplitMediaCompleteEvent"]["FileInfoSet"]
    assert [i["Input"]["FileId"] for i in infos] == [media.file_id] * 3
    assert infos[0]["Input"]["StartTimeOffset"] == 0 and infos[-1]["Input"]["EndTimeOffset"] == media.duration
    assert len({i["Output"]["FileId"] for i in infos}) == 3
    compose = gen("ComposeMediaComplete", 1, media=media)["ComposeMediaCompleteEvent"]
    assert compose["MetaData"]["Duration"] == media.duration


def test_media_shape() -> None:
    for seed in SEEDS:
        media = a_media(seed)
        assert FILE_ID.match(media.file_id)
        assert re.match(rf"^http://\d{{10}}\.vod2\.myqcloud\.com/[0-9a-f]{{8}}vodgzp\d{{10}}/[0-9a-f]{{8}}"
                        rf"{media.file_id}/[A-Za-z0-9]{{12}}\.mp4$", media.media_url)
        assert media.duration == round(media.duration, 3) > 0
        assert abs(media.size - media.bitrate / 8 * media.duration) <= 0.015 * media.size
        longer = dataclasses.replace(media, duration=media.duration * 2)  # a scenario's media: {duration: …}
        assert abs(longer.size - 2 * media.size) <= 2


def test_fmt_time_is_the_docs_utc_form() -> None:
    assert fmt_time(EVENT_TIME) == "2026-01-01T00:00:00Z"
    body = gen("NewFileUpload")
    info = body["FileUploadEvent"]["MediaBasicInfo"]
    assert info["CreateTime"] < info["UpdateTime"] <= "2026-01-01T00:00:00Z"
    assert info["ExpireTime"] == "9999-12-31T23:59:59Z"


# --------------------------------------------------------------------------- failure forms


def test_procedure_failure_form() -> None:
    task = gen("ProcedureStateChanged", ok=False, params={"tasks": ["transcode", "cover"]})["ProcedureStateChangeEvent"]
    assert task["Status"] == "FINISH" and task["ErrCode"] == 60000 and task["Message"]
    for result in task["MediaProcessResultSet"]:
        sub = result[{"Transcode": "TranscodeTask", "CoverBySnapshot": "CoverBySnapshotTask"}[result["Type"]]]
        assert sub["Status"] == "FAIL" and sub["ErrCodeExt"] == "SourceFileError" and sub["ErrCode"] == 60000
        assert "Output" not in sub and "Progress" not in sub


def test_procedure_partial_failure_knob() -> None:
    task = gen("ProcedureStateChanged", params={"definitions": [100010, 100020], "failed": [100020],
                                                "tasks": ["transcode", "snapshot"]})["ProcedureStateChangeEvent"]
    statuses = [(r["Type"], next(v for k, v in r.items() if k != "Type" and v is not None)["Status"])
                for r in task["MediaProcessResultSet"]]
    assert statuses == [("Transcode", "SUCCESS"), ("Transcode", "FAIL"), ("SnapshotByTimeOffset", "SUCCESS")]
    assert task["ErrCode"] != 0
    clean = gen("ProcedureStateChanged", params={"tasks": ["snapshot"]})["ProcedureStateChangeEvent"]
    # A receiver checking Status == "FINISH" and Message == "SUCCESS" (as production sends it) accepts it.
    assert (clean["Status"], clean["ErrCode"], clean["Message"]) == ("FINISH", 0, "SUCCESS")
    with pytest.raises(ValueError, match="neither in params.tasks"):
        gen("ProcedureStateChanged", params={"failed": [100040]})


@pytest.mark.parametrize(("code", "ext", "legacy"), [
    ("InvalidInput.DefinitionNotExist", "InvalidInput.DefinitionNotExist", 40000),
    ("InternalError", "InternalError", 70000),
    (40000, "InvalidInput", 40000),
    (12345, "InternalError", 12345),
])
def test_error_code_knob(code: Any, ext: str, legacy: int) -> None:
    params = {"error_code": code, "error_message": "boom", "tasks": ["cover"]}
    task = gen("ProcedureStateChanged", ok=False, params=params)["ProcedureStateChangeEvent"]
    cover = task["MediaProcessResultSet"][0]["CoverBySnapshotTask"]
    assert (cover["ErrCodeExt"], cover["ErrCode"], cover["Message"]) == (ext, legacy, "boom")
    pull = gen("PullComplete", ok=False, params={"error_code": code})["PullCompleteEvent"]
    assert pull["ErrCode"] == legacy


def test_failure_forms_leave_out_what_was_not_produced() -> None:
    pull = gen("PullComplete", ok=False)["PullCompleteEvent"]
    assert {"FileId", "MediaBasicInfo", "MetaData", "FileUrl"}.isdisjoint(pull) and pull["Status"] == "FINISH"
    edit = gen("EditMediaComplete", ok=False)["EditMediaCompleteEvent"]
    assert "Output" not in edit and "MetaData" not in edit and edit["ErrCodeExt"] == "SourceFileError"
    clip = gen("ClipComplete", ok=False)["ClipCompleteEvent"]
    assert set(clip["FileInfo"]) == {"ErrCode", "Message"} and clip["FileInfo"]["ErrCode"] == 60000
    snap = gen("CreateSnapshotByTimeOffsetComplete", ok=False)["SnapshotByTimeOffsetCompleteEvent"]
    assert all(i["ErrCode"] == 60000 and "Url" not in i for i in snap["SnapshotInfoSet"])
    review = gen("ReviewAudioVideoComplete", ok=False)["ReviewAudioVideoCompleteEvent"]
    assert "Output" not in review and review["ErrCodeExt"] == "SourceFileError"
    wechat = gen("WechatMiniProgramPublishComplete", ok=False)["WechatMiniProgramPublishCompleteEvent"]
    assert wechat["PublishResult"] == "Failed" and wechat["ErrCode"] != 0
    attrs = gen("DescribeFileAttributesComplete", ok=False)["DescribeFileAttributesCompleteEvent"]
    assert attrs["Status"] == "FAIL" and "Output" not in attrs


# --------------------------------------------------------------------------- SessionContext


@pytest.mark.parametrize("name", sorted(EXTEND_KINDS))
def test_extend_passes_through(name: str) -> None:
    text = json.dumps({"orderId": "caf\u00e9", "n": 1})
    field, _ = EXTEND_FIELDS[name]
    for ok in (True, False) if BY_NAME[name].failure_form else (True,):
        body = gen(name, 2, ok=ok, extend=text)
        node: Any = payload(name, body)
        for part in field.split("."):
            node = node[part]
        assert node == text
        assert schemas.errors("tencent", BY_NAME[name].event_type, body) == []


def test_extend_only_where_documented() -> None:
    for kind in KINDS:
        body = generate(kind, make_ctx(1, extend="tag-42"))
        assert ("tag-42" in json.dumps(body)) == (kind.name in EXTEND_KINDS), kind.name
        assert ("SessionContext" in body[kind.payload_key]) == (EXTEND_FIELDS.get(kind.name, ("",))[0]
                                                               == "SessionContext"), kind.name


@pytest.mark.parametrize("name", KIND_IDS)
def test_extend_over_the_documented_limit_raises(name: str) -> None:
    field, limit = extend_limit(BY_NAME[name])
    assert limit == (SOURCE_CONTEXT_MAX_CHARS if name == "NewFileUpload" else EXTEND_MAX_CHARS)
    exact = "\u00e9" * limit  # the limit counts characters: 1000 two-byte characters are fine
    gen(name, extend=exact)
    with pytest.raises(ExtendTooLong, match=f"{field.rsplit('.', 1)[-1]} is {limit + 1} characters"):
        gen(name, extend=exact + "x")
    with pytest.raises(ValueError):
        gen(name, extend="a" * (limit + 1))


# --------------------------------------------------------------------------- knobs


@pytest.mark.parametrize("name", KIND_IDS)
def test_params_knobs_are_documented_and_unknown_ones_rejected(name: str) -> None:
    assert name in PARAMS and all(isinstance(v, str) and v for v in PARAMS[name].values())
    with pytest.raises(ValueError, match="does not understand"):
        gen(name, params={"no_such_knob": 1})
    assert ("error_code" in PARAMS[name]) == BY_NAME[name].failure_form


def test_unknown_knob_suggests_a_close_one() -> None:
    with pytest.raises(ValueError, match="did you mean 'definitions'"):
        gen("ProcedureStateChanged", params={"defintions": [100020]})


@pytest.mark.parametrize(("name", "params"), [
    ("ProcedureStateChanged", {"tasks": ["transcode", "animated_graphics", "snapshot", "sample_snapshot",
                                         "image_sprite", "cover"]}),
    ("ProcedureStateChanged", {"tasks": "image_sprite", "tasks_notify_mode": "Change"}),
    ("ProcedureStateChanged", {"definitions": [100210, 100220], "failed": ["transcode"], "task_id": "t-1"}),
    ("NewFileUpload", {"procedure": True, "tags": ["a", "b"]}),
    ("PullComplete", {"procedure": True}),
    ("FileDeleted", {"parts": ["TranscodeFiles"], "definition": 100020}),
    ("RestoreMediaComplete", {"original_storage_class": "DEEP_ARCHIVE", "restore_tier": "Bulk", "restore_day": 3}),
    ("ReviewAudioVideoComplete", {"suggestion": "block", "label": "Ad"}),
    ("ReviewAudioVideoComplete", {"suggestion": "review"}),
    ("TranscodeComplete", {"definitions": [100040]}),
    ("ConcatComplete", {"sources": 4}),
    ("CreateSnapshotByTimeOffsetComplete", {"time_offsets": [0, 1000]}),
    ("SplitMediaComplete", {"segments": 1}),
    ("ComposeMediaComplete", {"file_name": "trailer"}),
    ("WechatMiniProgramPublishComplete", {"source_definition": 100030}),
], ids=lambda v: v if isinstance(v, str) else "-".join(map(str, v.values()))[:40])
def test_knob_variants_validate(name: str, params: dict[str, Any]) -> None:
    kind: EventKind = BY_NAME[name]
    for ok in (True, False) if kind.failure_form else (True,):
        body = generate(kind, make_ctx(4, ok=ok, params=params))
        assert schemas.errors("tencent", kind.event_type, body) == []


@pytest.mark.parametrize(("name", "params"), [
    ("ProcedureStateChanged", {"definitions": [20]}),
    ("ProcedureStateChanged", {"definitions": ["100020"]}),
    ("ProcedureStateChanged", {"tasks": ["transcode", "watermark"]}),
    ("ProcedureStateChanged", {"tasks_notify_mode": "Always"}),
    ("FileDeleted", {"parts": ["Everything"]}),
    ("RestoreMediaComplete", {"restore_tier": "Expedited", "original_storage_class": "DEEP_ARCHIVE"}),
    ("EditMediaComplete", {"start_time_offset": 5, "end_time_offset": 2}),
    ("CreateSnapshotByTimeOffsetComplete", {"time_offsets": [10**9]}),
    ("ReviewAudioVideoComplete", {"suggestion": "maybe"}),
    ("ConcatComplete", {"sources": 1}),
    ("PullComplete", {"error_code": ""}),
])
def test_bad_knob_values_raise(name: str, params: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="params|offsets|Expedited"):
        gen(name, ok="error_code" not in params, params=params)


# --------------------------------------------------------------------------- factory


START = datetime(2026, 1, 1, tzinfo=timezone.utc)


def test_factory_builds_validated_tencent_events() -> None:
    factory = EventFactory(seed=11, start_time=START)
    assert factory.region == "ap-guangzhou"
    for i, kind in enumerate(KINDS):
        event = factory.build(kind.name, i)
        assert (event.provider, event.kind, event.event_type) == ("tencent", kind.name, kind.event_type)
        assert event.event_id == f"evt-{i + 1:06d}"
        body = event.payload()
        assert event.body == encode(body)
        assert event.media_id == kind.media_id(body)
        assert FILE_ID.match(event.media_id) if kind.media_field else event.media_id is None
        assert schemas.errors("tencent", kind.event_type, body) == []
    again = EventFactory(seed=11, start_time=START).build("ProcedureStateChanged", 3, extend="x")
    assert again.body == EventFactory(seed=11, start_time=START).build("ProcedureStateChanged", 3, extend="x").body
    other = EventFactory(seed=12, start_time=START).build("ProcedureStateChanged", 3, extend="x")
    assert other.body != again.body


def test_factory_shares_media_and_passes_labels() -> None:
    factory = EventFactory(seed=1, start_time=START, region="ap-shanghai")
    media = new_media(random.Random(5), Faker(), "ap-shanghai")
    events = [factory.build(name, f"flow/0/{name}", media=media, event_id="", label="x#1", expect="any")
              for name in ("NewFileUpload", "ProcedureStateChanged", "ClipComplete")]
    assert {e.media_id for e in events} == {media.file_id}
    assert all(e.label == "x#1" and e.expect == "any" and e.event_id == "" for e in events)
    assert "vodsh" in events[0].payload()["FileUploadEvent"]["MediaBasicInfo"]["MediaUrl"]


def test_resolve_kind_suggests() -> None:
    assert resolve_kind("PullComplete") is BY_NAME["PullComplete"]
    with pytest.raises(InputError, match="did you mean 'CreateSnapshotByTimeOffsetComplete'"):
        resolve_kind("SnapshotByTimeOffsetComplete")
    with pytest.raises(InputError, match="unknown Tencent event type"):
        resolve_kind("FileUploadComplete")  # an Alibaba name


def test_factory_input_errors() -> None:
    factory = EventFactory(seed=1, start_time=START)
    with pytest.raises(InputError, match="SessionContext is 1001 characters"):
        factory.build("ProcedureStateChanged", 0, extend="x" * 1001)
    with pytest.raises(InputError, match="no failure form"):
        factory.build("FileDeleted", 0, ok=False)
    with pytest.raises(InputError, match="does not understand params.x"):
        factory.build("PullComplete", 0, params={"x": 1})
    with pytest.raises(InputError, match="has no field 'FileUploadEvnt' \\(did you mean 'FileUploadEvent'\\?\\)"):
        factory.build("NewFileUpload", 0, overrides=[("FileUploadEvnt.FileId", "1")])


def test_finish_rejects_an_invalid_body_naming_the_schema() -> None:
    body = gen("NewFileUpload")
    body["FileUploadEvent"]["FileId"] = 123
    with pytest.raises(InputError, match=r"schemas/tencent/NewFileUpload\.schema\.json.*FileId"):
        tencent_factory.finish(BY_NAME["NewFileUpload"], body, "evt-1")
    body = gen("PullComplete", extend="ok")
    body["PullCompleteEvent"]["SessionContext"] = "y" * 1001
    with pytest.raises(InputError, match="SessionContext is 1001 characters"):
        tencent_factory.finish(BY_NAME["PullComplete"], body, "evt-1")


def test_overrides_reach_nested_fields_and_are_validated() -> None:
    factory = EventFactory(seed=1, start_time=START)
    event = factory.build("ProcedureStateChanged", 0, overrides=[
        ("ProcedureStateChangeEvent.FileName", "renamed"),
        ("ProcedureStateChangeEvent.MediaProcessResultSet.0.TranscodeTask.Status", "FAIL"),
    ])
    task = event.payload()["ProcedureStateChangeEvent"]
    assert task["FileName"] == "renamed" and task["MediaProcessResultSet"][0]["TranscodeTask"]["Status"] == "FAIL"
    with pytest.raises(InputError, match="schemas/tencent/ProcedureStateChanged.schema.json"):
        factory.build("ProcedureStateChanged", 0, overrides=[("ProcedureStateChangeEvent.ErrCode", "0")])
