"""Scenario expansion: one media per flow instance, consistent events, timeline order."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from emulator.errors import InputError
from emulator.scenario.model import Delivery, Flow, Item, Ref, Scenario, Step, Template
from emulator.scenario.timeline import Timeline

START = datetime(2026, 1, 1, tzinfo=timezone.utc)
ENVELOPE = {"EventTime", "EventType", "VideoId", "Extend"}


def scenario(*flows: Flow) -> Scenario:
    return Scenario(path="<test>", name="t", description="", version=1, provider="aliyun", region="cn-shanghai",
                    seed=1, start_time=START, targets=(), delivery=Delivery(), flows=flows)


def pipeline(repeat: int = 1, every: float = 0.0, media: dict | None = None, fail_hd: bool = True) -> Flow:
    streams = tuple(Item(params={"definition": d}, ok=not (fail_hd and d == "HD"), offset=i * 2.0)
                    for i, d in enumerate(("LD", "SD", "HD")))
    return Flow(name="video", repeat=repeat, every=every, media=media or {}, steps=(
        Step("upload", "FileUploadComplete", 0.0, (Item(),), extend='{"order":"A1"}'),
        Step("streams", "StreamTranscodeComplete", None, streams),
        Step("transcode", "TranscodeComplete", None, (Item(),), streams_from="streams"),
        Step("snapshot", "SnapshotComplete", 1.0, (Item(overrides=(("Extend", Template(("v=", Ref("upload", ("VideoId",), "${upload.VideoId}")))),)),)),
        Step("gone", "DeleteMediaComplete", 60.0, (Item(overrides=(("MediaId", Ref("upload", ("VideoId",), "${upload.VideoId}")),)),)),
    ))


def bodies(sc: Scenario, seed: int = 1) -> list[dict]:
    return [e.payload() for _, e in Timeline(sc, seed=seed, start_time=START)]


def test_a_flow_is_consistent():
    out = bodies(scenario(pipeline()))
    assert [b["EventType"] for b in out] == ["FileUploadComplete", *["StreamTranscodeComplete"] * 3,
                                             "TranscodeComplete", "SnapshotComplete", "DeleteMediaComplete"]
    vid = out[0]["VideoId"]
    assert {b.get("VideoId", b.get("MediaId")) for b in out} == {vid}
    streams, summary = out[1:4], out[4]
    ok_streams = [s for s in streams if s["Status"] == "success"]
    assert len({s["Duration"] for s in ok_streams} | {x["Duration"] for x in summary["StreamInfos"] if "Duration" in x}) == 1
    for s in ok_streams:
        expected = int(s["Bitrate"]) * 1000 / 8 * s["Duration"]
        assert 0.9 * expected <= s["Size"] <= 1.1 * expected
    assert summary["StreamInfos"] == [{k: v for k, v in s.items() if k not in ENVELOPE} for s in streams]
    assert summary["Status"] == "success"      # at least one stream succeeded
    assert [s["Status"] for s in streams] == ["success", "success", "fail"]
    times = [b["EventTime"] for b in out]
    assert times == sorted(times)
    assert out[0]["Extend"] == '{"order":"A1"}'
    assert out[5]["Extend"] == f"v={vid}"


def test_transcode_timing_scales_with_duration():
    def first_stream_delay(duration: float) -> float:
        tl = Timeline(scenario(pipeline(media={"duration": duration})), seed=1, start_time=START)
        times = [when for when, _ in tl]
        return times[1] - times[0]
    assert first_stream_delay(1200.0) > 5 * first_stream_delay(60.0)


def test_same_seed_same_bytes_other_seed_other_ids():
    sc = scenario(pipeline(repeat=3, every=5))
    a = [e.body for _, e in Timeline(sc, seed=9, start_time=START)]
    b = [e.body for _, e in Timeline(sc, seed=9, start_time=START)]
    c = [e.body for _, e in Timeline(sc, seed=10, start_time=START)]
    assert a == b and a != c


def test_repeated_media_are_merged_in_time_order_and_distinct():
    tl = Timeline(scenario(pipeline(repeat=5, every=1.0)), seed=2, start_time=START)
    items = list(tl)
    assert len(items) == 35
    whens = [w for w, _ in items]
    assert whens == sorted(whens)
    uploads = [e.payload()["VideoId"] for _, e in items if e.event_type == "FileUploadComplete"]
    assert len(set(uploads)) == 5
    assert [e.event_id for _, e in items] == [f"evt-{i:06d}" for i in range(1, 36)]


def test_repetition_is_streamed_not_materialized():
    tl = Timeline(scenario(pipeline(repeat=10_000_000, every=1.0)), seed=2, start_time=START)
    it = iter(tl)
    first = [next(it) for _ in range(50)]      # would never return if all media were built up front
    assert first[0][1].event_type == "FileUploadComplete"


def test_typed_reference_keeps_a_number():
    flow = Flow(name="f", steps=(
        Step("upload", "FileUploadComplete", 0.0, (Item(),)),
        Step("again", "FileUploadComplete", 1.0, (Item(overrides=(("Size", Ref("upload", ("Size",), "${upload.Size}")),)),)),
    ))
    a, b = bodies(scenario(flow))
    assert isinstance(b["Size"], int) and b["Size"] == a["Size"]


def test_reference_to_a_field_the_failure_form_lacks_is_a_clear_error():
    flow = Flow(name="f", steps=(
        Step("upload", "FileUploadComplete", 0.0, (Item(ok=False),)),
        Step("snap", "SnapshotComplete", 1.0, (Item(overrides=(("CoverUrl", Ref("upload", ("FileUrl",), "${upload.FileUrl}")),)),)),
    ))
    with pytest.raises(InputError, match=r"\$\{upload.FileUrl\}"):
        Timeline(scenario(flow), seed=1, start_time=START).dry_run()


def test_a_single_stream_step_is_summarized_as_a_list():
    flow = Flow(name="f", steps=(
        Step("s", "StreamTranscodeComplete", 1.0, (Item(params={"definition": "SD"}),)),
        Step("t", "TranscodeComplete", 1.0, (Item(),), streams_from="s"),
    ))
    stream, summary = bodies(scenario(flow))
    assert summary["StreamInfos"] == [{k: v for k, v in stream.items() if k not in ENVELOPE}]
