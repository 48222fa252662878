"""The seeded generators: schema-valid, reproducible, internally consistent bodies."""

from __future__ import annotations

import json
import random
import re
from datetime import datetime, timezone
from typing import Any

import pytest
from faker import Faker

from emulator.providers import schemas
from emulator.providers.aliyun.catalog import BY_NAME, KINDS, EventKind
from emulator.providers.aliyun.context import GenContext
from emulator.providers.aliyun.generate import EXTEND_KINDS, PARAMS, generate
from emulator.providers.aliyun.media import (
    DEFINITIONS, EXTEND_MAX_BYTES, ExtendTooLong, MediaAsset, fmt_time, ladder_size, new_media, rendition,
)

EVENT_TIME = datetime(2026, 1, 1, tzinfo=timezone.utc)
TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
HEX32 = re.compile(r"^[0-9a-f]{32}$")
SEEDS = (0, 1, 7, 42, 2026)
KIND_IDS = [k.name for k in KINDS]


def make_ctx(seed: int, *, ok: bool = True, extend: str | None = None, media: MediaAsset | None = None,
             params: dict[str, Any] | None = None) -> GenContext:
    faker = Faker()
    faker.seed_instance(seed)
    return GenContext(rng=random.Random(seed), faker=faker, event_time=EVENT_TIME, region="cn-shanghai",
                      ok=ok, extend=extend, media=media, params=dict(params or {}))


def streams_of(body: dict[str, Any]) -> list[dict[str, Any]]:
    if body["EventType"] == "StreamTranscodeComplete":
        return [body]
    return list(body.get("StreamInfos", []))


@pytest.mark.parametrize("ok", [True, False], ids=["success", "fail"])
@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", KIND_IDS)
def test_body_is_valid_and_canonical(name: str, seed: int, ok: bool) -> None:
    kind = BY_NAME[name]
    body = generate(kind, make_ctx(seed, ok=ok))
    assert schemas.errors("aliyun", kind.event_type, body) == []
    assert body["EventType"] == kind.event_type
    # The pages that show milliseconds get them (current ImageUploadComplete and AI zh pages).
    ms = name in {"ImageUploadComplete", "AIMediaAuditComplete", "AIMediaDNAComplete"}
    assert body["EventTime"] == ("2026-01-01T00:00:00:000Z" if ms else "2026-01-01T00:00:00Z")
    assert body["Status"] == kind.status_word(ok)  # TranscodeComplete's own streams follow ctx.ok
    if name == "UploadByURLComplete" and not ok:
        assert "VideoId" not in body  # absent in the docs' failure example
    else:
        assert HEX32.match(body[kind.media_field])
    assert "https://" not in json.dumps(body)  # callbacks carry only http:// URLs


@pytest.mark.parametrize("ok", [True, False], ids=["success", "fail"])
@pytest.mark.parametrize("name", KIND_IDS)
def test_same_seed_same_bytes_other_seed_other_ids(name: str, ok: bool) -> None:
    kind = BY_NAME[name]
    first = json.dumps(generate(kind, make_ctx(5, ok=ok, extend="x")))
    again = json.dumps(generate(kind, make_ctx(5, ok=ok, extend="x")))
    assert first == again
    other = generate(kind, make_ctx(6, ok=ok, extend="x"))
    id_field = "JobId" if name == "UploadByURLComplete" and not ok else kind.media_field
    assert json.loads(first)[id_field] != other[id_field]


@pytest.mark.parametrize("name", KIND_IDS)
def test_flow_media_keeps_its_id(name: str) -> None:
    media = new_media(random.Random(99), Faker(), "cn-beijing")
    body = generate(BY_NAME[name], make_ctx(3, media=media))
    assert body[BY_NAME[name].media_field] == media.video_id


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name", ["StreamTranscodeComplete", "TranscodeComplete"])
def test_stream_numbers_agree(name: str, seed: int) -> None:
    ctx = make_ctx(seed)
    media = new_media(random.Random(seed), Faker(), "cn-shanghai")
    ctx.media = media
    body = generate(BY_NAME[name], ctx)
    for stream in streams_of(body):
        bitrate = int(stream["Bitrate"])
        expected = bitrate * 1000 / 8 * stream["Duration"]
        assert abs(stream["Size"] - expected) <= 0.10 * expected
        assert (stream["Width"], stream["Height"]) == ladder_size(media, stream["Definition"])
        assert stream["Duration"] == media.duration
        assert isinstance(stream["Fps"], str) and isinstance(stream["Bitrate"], str)
        assert stream["IsAudio"] is False and stream["Encrypt"] is False
        assert TIME.match(stream["StartTime"]) and TIME.match(stream["FinishTime"])
        assert stream["StartTime"] < stream["FinishTime"] < body["EventTime"]
        assert stream["FileUrl"].startswith(f"http://{media.host}/")
        assert stream["FileUrl"].endswith(f"-{stream['Definition'].lower()}.{stream['Format']}")


@pytest.mark.parametrize("definition", [*DEFINITIONS, "OD"])
@pytest.mark.parametrize("fmt", ["mp4", "m3u8"])
def test_stream_transcode_definition_knob(definition: str, fmt: str) -> None:
    body = generate(BY_NAME["StreamTranscodeComplete"],
                    make_ctx(11, params={"definition": definition, "format": fmt}))
    assert body["Definition"] == definition and body["Format"] == fmt
    assert body["FileUrl"].endswith(f".{fmt}")


def test_ladder_matches_definitions() -> None:
    media = new_media(random.Random(4), Faker(), "cn-shanghai")
    for name, rung in DEFINITIONS.items():
        width, height = ladder_size(media, name)
        assert {width, height} == {rung.width, rung.height}
        assert (height > width) == media.portrait
        out = rendition(media, name, "mp4", random.Random(1))
        assert abs(out.bitrate - rung.bitrate) <= 0.05 * rung.bitrate
    assert ladder_size(media, "OD") == (media.width, media.height)


def test_transcode_summarises_given_streams_exactly() -> None:
    media = new_media(random.Random(8), Faker(), "cn-shanghai")
    stc = BY_NAME["StreamTranscodeComplete"]
    streams = [
        generate(stc, make_ctx(21, media=media, params={"definition": "LD"})),
        generate(stc, make_ctx(22, ok=False, media=media, params={"definition": "SD"})),
    ]
    body = generate(BY_NAME["TranscodeComplete"], make_ctx(23, ok=False, media=media, params={"streams": streams}))
    envelope = {"EventTime", "EventType", "VideoId", "Extend"}
    assert body["StreamInfos"] == [{k: v for k, v in s.items() if k not in envelope} for s in streams]
    assert body["Status"] == "success"  # one stream succeeded, whatever ctx.ok says
    assert schemas.errors("aliyun", "TranscodeComplete", body) == []

    failed_only = generate(BY_NAME["TranscodeComplete"], make_ctx(24, media=media, params={"streams": streams[1:]}))
    assert failed_only["Status"] == "fail"
    assert failed_only["StreamInfos"][0]["ErrorCode"] == "InvalidParameter.ResourceContentBad"


def test_transcode_partial_failure_knob() -> None:
    body = generate(BY_NAME["TranscodeComplete"],
                    make_ctx(3, params={"definitions": ["FD", "SD", "OD"], "failed": ["SD"]}))
    assert [s["Definition"] for s in body["StreamInfos"]] == ["FD", "SD", "OD"]
    assert [s["Status"] for s in body["StreamInfos"]] == ["success", "fail", "success"]
    assert body["Status"] == "success"
    assert "FileUrl" not in body["StreamInfos"][1]


@pytest.mark.parametrize("name", sorted(EXTEND_KINDS))
def test_extend_passes_through(name: str) -> None:
    extend = json.dumps({"localId": "caf\u00e9", "n": 1})
    for ok in (True, False):
        body = generate(BY_NAME[name], make_ctx(2, ok=ok, extend=extend))
        assert body["Extend"] == extend
        assert schemas.errors("aliyun", BY_NAME[name].event_type, body) == []
    assert "Extend" not in generate(BY_NAME[name], make_ctx(2))


@pytest.mark.parametrize("name", KIND_IDS)
def test_extend_over_512_bytes_raises(name: str) -> None:
    exact = "\u00e9" * (EXTEND_MAX_BYTES // 2)  # 512 bytes in UTF-8
    generate(BY_NAME[name], make_ctx(1, extend=exact))
    with pytest.raises(ExtendTooLong):
        generate(BY_NAME[name], make_ctx(1, extend=exact + "x"))
    with pytest.raises(ValueError):
        generate(BY_NAME[name], make_ctx(1, extend="a" * (EXTEND_MAX_BYTES + 1)))


def test_extend_only_where_documented() -> None:
    for kind in KINDS:
        body = generate(kind, make_ctx(1, extend="tag"))
        assert ("Extend" in body) == (kind.name in EXTEND_KINDS), kind.name


@pytest.mark.parametrize("name", KIND_IDS)
def test_params_knobs_are_documented_and_unknown_ones_rejected(name: str) -> None:
    assert name in PARAMS
    with pytest.raises(ValueError, match="does not understand"):
        generate(BY_NAME[name], make_ctx(1, params={"no_such_knob": 1}))


def test_unknown_knob_suggests_a_close_one() -> None:
    with pytest.raises(ValueError, match="did you mean 'definition'"):
        generate(BY_NAME["StreamTranscodeComplete"], make_ctx(1, params={"defintion": "HD"}))


def test_failure_forms_follow_the_reference() -> None:
    snap = generate(BY_NAME["SnapshotComplete"], make_ctx(1, ok=False))
    assert "CoverUrl" not in snap and "SnapshotInfos" not in snap
    gif = generate(BY_NAME["DynamicImageComplete"], make_ctx(1, ok=False))
    assert "DynamicImageJobInfo" not in gif and gif["ErrorCode"]
    stream = generate(BY_NAME["UploadByURLComplete:Stream"], make_ctx(1, ok=False))
    assert "StreamFileURL" not in stream and stream["ErrorCode"] == "URLInvalidError"
    analysis = generate(BY_NAME["VideoAnalysisComplete"], make_ctx(1, ok=False))
    assert analysis["ErrorCode"] == "InvalidParameter.ResourceContentBad"
    assert analysis["ErrorMessage"] == "The resource operated InputFile is bad"
    delete = generate(BY_NAME["DeleteMediaComplete"], make_ctx(1, ok=False))
    assert (delete["ErrorCode"], delete["ErrorMessage"]) == ("InvalidVideo.NotFound", "The video does not exist.")
    restore = generate(BY_NAME["RestoreMediaComplete"], make_ctx(1, ok=False))
    assert restore["Status"] == "Failed" and restore["ErrorCode"] == "NoSuchKey"
    assert "RestoreExpiration" not in restore
    custom = generate(BY_NAME["ProduceMediaComplete"],
                      make_ctx(1, ok=False, params={"error_code": "X.Y", "error_message": "boom"}))
    assert (custom["ErrorCode"], custom["ErrorMessage"]) == ("X.Y", "boom")


def test_nested_shapes_follow_the_current_examples() -> None:
    def body(name: str, **kw: Any) -> dict[str, Any]:
        return generate(BY_NAME[name], make_ctx(9, **kw))

    gif = body("DynamicImageComplete")["DynamicImageJobInfo"]
    assert isinstance(gif, dict) and all(isinstance(gif[k], str) for k in ("FileSize", "Fps", "Height", "Width"))
    analysis = body("VideoAnalysisComplete")
    assert all(isinstance(analysis[k], str) for k in ("Width", "Height", "Duration", "Bitrate", "Fps", "Size"))
    assert isinstance(body("AIMediaAuditComplete", params={"suggestion": "review"})["Data"], dict)
    assert isinstance(json.loads(body("AIMediaDNAComplete")["Data"])["VideoDNA"], list)
    assert isinstance(json.loads(body("AIVideoTagComplete")["Data"]), dict)
    workflow = body("WorkflowTaskComplete")
    assert isinstance(json.loads(workflow["ActivityResults"]), dict)
    assert json.loads(workflow["TaskInput"])["Media"] == workflow["VideoId"]
    content = body("MediaBaseChangeComplete", params={"operate_mode": "create"})["MediaContent"]
    assert isinstance(content, dict) and all(isinstance(json.loads(v), dict) for v in content.values())
    snapshot = body("SnapshotComplete", params={"count": 5, "sprite": True})
    assert [i["SnapshotType"] for i in snapshot["SnapshotInfos"]] == ["CoverSnapshot", "SpriteSnapshot"]
    assert snapshot["CoverUrl"] == snapshot["SnapshotInfos"][0]["SnapshotRegular"].replace("{SnapshotCount}", "00003")
    deleted = body("DeleteMediaComplete", params={"delete_type": "stream", "job_ids": ["a1", "b2"]})
    assert deleted["JobIds"] == "a1,b2"


@pytest.mark.parametrize("params", [
    {"delete_type": "stream"}, {"media_type": "image"}, {"delete_type": "mezzanine"},
])
def test_delete_knobs_validate(params: dict[str, Any]) -> None:
    body = generate(BY_NAME["DeleteMediaComplete"], make_ctx(1, params=params))
    assert schemas.errors("aliyun", "DeleteMediaComplete", body) == []


@pytest.mark.parametrize("kind_and_params", [
    ("AIMediaAuditComplete", {"suggestion": "review"}), ("AIMediaAuditComplete", {"suggestion": "block"}),
    ("MediaBaseChangeComplete", {"operate_mode": "create"}), ("MediaBaseChangeComplete", {"operate_mode": "delete"}),
    ("SnapshotComplete", {"sprite": True, "sub_type": "SpecifiedTime", "snapshot_type": "NormalSnapshot"}),
    ("StreamTranscodeComplete", {"encrypt_type": "HLSEncryption", "format": "m3u8"}),
    ("VideoAnalysisComplete", {"audio_only": True}), ("CreateAuditComplete", {"audit_status": "Blocked"}),
    ("WorkflowTaskComplete", {"activities": ["Transcode", "Snapshot"]}),
    ("SubmitMediaRefreshComplete", {"task_type": "Preload"}), ("AIMediaDNAComplete", {"matches": 0}),
], ids=lambda kp: f"{kp[0]}-{'-'.join(map(str, kp[1].values()))}")
def test_knob_variants_validate(kind_and_params: tuple[str, dict[str, Any]]) -> None:
    name, params = kind_and_params
    kind: EventKind = BY_NAME[name]
    for ok in (True, False):
        body = generate(kind, make_ctx(4, ok=ok, params=params))
        assert schemas.errors("aliyun", kind.event_type, body) == []


def test_media_asset_shape() -> None:
    for seed in SEEDS:
        media = new_media(random.Random(seed), Faker(), "ap-southeast-1")
        assert HEX32.match(media.video_id)
        assert re.match(r"^outin-[0-9a-f]{32}\.oss-ap-southeast-1\.aliyuncs\.com$", media.host)
        assert media.duration == round(media.duration, 1) > 0
        assert media.source_url.startswith("http://")


def test_fmt_time_is_utc_and_rejects_naive() -> None:
    from datetime import timedelta
    assert fmt_time(datetime(2026, 1, 1, 8, tzinfo=timezone(timedelta(hours=8)))) == "2026-01-01T00:00:00Z"
    with pytest.raises(ValueError):
        fmt_time(datetime(2026, 1, 1))
