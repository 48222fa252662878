"""Seeded shape variation: reproducible, covering every variant, always schema-valid."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from emulator.errors import InputError
from emulator.providers import schemas
from emulator.providers.aliyun.catalog import KINDS
from emulator.providers.aliyun.factory import EventFactory
from emulator.providers.aliyun.vary import AXES
from emulator.providers.tencent.factory import EventFactory as TencentFactory

START = datetime(2026, 1, 1, 9, 0, 0, 250_000, tzinfo=timezone.utc)
EXTEND = '{"order":"A-1001"}'
EXTEND_KINDS = {"FileUploadComplete", "UploadByURLComplete:Stream", "StreamTranscodeComplete",
                "TranscodeComplete", "SnapshotComplete", "SubmitMediaRefreshComplete"}


def build(kind: str, seed: int, **kw):
    extend = EXTEND if kind in EXTEND_KINDS else None
    return EventFactory(seed, START, vary=True).build(kind, 0, extend=extend, **kw)


def test_same_seed_same_varied_bodies() -> None:
    for kind in (k.name for k in KINDS):
        a, b = build(kind, 11), build(kind, 11)
        assert a.body == b.body and a.variation == b.variation and a.variation


def test_vary_only_reshapes_the_canonical_body() -> None:
    # Values stay those of the unvaried body: only shape (types, presence, order) moves.
    plain = EventFactory(4, START).build("TranscodeComplete", 0, extend=EXTEND).payload()
    varied = build("TranscodeComplete", 4).payload()
    assert varied["VideoId"] == plain["VideoId"]
    for a, b in zip(plain["StreamInfos"], varied["StreamInfos"]):
        assert str(b["Size"]) == str(a["Size"]) and b["FileUrl"] == a["FileUrl"]
        assert set(b) <= set(a)


def test_many_seeds_cover_every_variant_and_every_body_validates() -> None:
    seen: set[str] = set()
    orders: set[tuple[str, ...]] = set()
    for seed in range(20):   # every choice is drawn by seed 8
        for kind in KINDS:
            params = {"preset": "hls-encrypted"} if kind.name in ("TranscodeComplete", "StreamTranscodeComplete") \
                and seed % 2 else {}
            event = build(kind.name, seed, params=params)
            body = event.payload()
            assert schemas.errors("aliyun", kind.event_type, body) == [], (kind.name, seed, event.variation)
            seen.update(event.variation)
            if kind.name == "TranscodeComplete":
                orders.add(tuple(body))
    expected = {f"{axis}={choice}" for axis, choices in AXES.items() for choice in choices}
    assert seen == expected, expected - seen
    assert len(orders) > 2   # documented, logged and shuffled key orders all occur


def test_variants_do_what_they_say() -> None:
    found: dict[str, dict] = {}
    for seed in range(80):
        event = build("TranscodeComplete", seed)
        for word in event.variation:
            found.setdefault(word, event.payload())
    streams = lambda body: body["StreamInfos"]  # noqa: E731
    assert all("Codec" not in s for s in streams(found["codec=absent"]))
    assert all("StartTime" not in s and "FinishTime" not in s for s in streams(found["job-times=absent"]))
    assert all(isinstance(s["Size"], str) for s in streams(found["numbers=strings"]))
    assert all(isinstance(s["Bitrate"], int) for s in streams(found["numbers=numbers"]))
    assert found["extend=object"]["Extend"] == {"order": "A-1001"}
    assert found["event-time=dot-ms"]["EventTime"] == "2026-01-01T09:00:00.250Z"
    assert found["event-time=seconds"]["EventTime"] == "2026-01-01T09:00:00Z"
    assert list(found["order=logged"])[:4] == ["Status", "VideoId", "EventType", "EventTime"]


def test_variation_is_recorded_in_the_report() -> None:
    from emulator.run.report import event_entry
    from emulator.run.journal import EventResult
    event = build("StreamTranscodeComplete", 7)
    entry = event_entry([EventResult(event=event, target="http://127.0.0.1:1/", attempts=())])
    assert entry["variation"] == list(event.variation)
    assert json.loads(json.dumps(entry))["variation"]


def test_tencent_says_vary_is_alibabas() -> None:
    with pytest.raises(InputError, match="implemented for Alibaba bodies"):
        TencentFactory(1, START, vary=True).build("NewFileUpload", 0)
