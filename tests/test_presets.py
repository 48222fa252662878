"""Transcode presets: every preset's bodies validate and agree (format, definitions, URLs, sizes)."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from emulator.errors import InputError
from emulator.providers import schemas
from emulator.providers.aliyun.factory import EventFactory
from emulator.providers.aliyun.presets import DEFAULT_PRESET, PRESETS, preset

START = datetime(2026, 1, 1, 9, tzinfo=timezone.utc)
ROOT = Path(__file__).resolve().parent.parent


def transcode(name: str, seed: int = 3) -> dict:
    event = EventFactory(seed, START).build("TranscodeComplete", 0, params={"preset": name})
    return event.payload()


@pytest.mark.parametrize("name", list(PRESETS))
@pytest.mark.parametrize("seed", [0, 1, 9])
def test_each_preset_validates_and_agrees(name: str, seed: int) -> None:
    p = PRESETS[name]
    body = transcode(name, seed)
    assert schemas.errors("aliyun", "TranscodeComplete", body) == []
    streams = body["StreamInfos"]
    assert [s["Definition"] for s in streams] == [p.wire_definition(d) for d in p.definitions]
    video_id = body["VideoId"]
    for s in streams:
        assert s["Format"] == p.format
        assert s["FileUrl"].startswith("http://outin-") and f"/{video_id}/" in s["FileUrl"]
        assert s["FileUrl"].endswith("." + p.format)
        assert s["Encrypt"] is p.encrypt
        assert s.get("EncryptType") == p.encrypt_type
        assert s["IsAudio"] is p.audio
        assert ("WatermarkId" in s) is p.watermark
        # Size ≈ Bitrate × Duration (kbps → bytes), a few per cent of container overhead
        expected = int(s["Bitrate"]) * 1000 / 8 * s["Duration"]
        assert expected <= s["Size"] <= expected * 1.07
        if p.audio:
            assert s["Definition"] in ("SQ", "HQ") and not {"Width", "Height", "Fps"} & s.keys()
        else:
            assert s["Width"] > 0 and s["Height"] > 0
        if p.encrypt and p.format == "m3u8" and s["Definition"] != "AUTO":
            assert s["FileUrl"].endswith(f"-{s['Definition'].lower()}-encrypt-stream.m3u8")
    bitrates = [int(s["Bitrate"]) for s in streams if s["Definition"] != "AUTO"]
    assert bitrates == sorted(bitrates)      # the ladder climbs


def test_preset_specifics() -> None:
    narrow = transcode("narrowband-hd")["StreamInfos"]
    assert [s["Definition"] for s in narrow] == ["LD-MP4", "SD-MP4", "HD-MP4"]   # the docs' HD-MP4
    plain = {s["Definition"]: int(s["Bitrate"]) for s in transcode("mp4")["StreamInfos"]}
    assert int(narrow[2]["Bitrate"]) < plain["HD"] * 0.8      # Narrowband HD: lower bitrate
    auto = transcode("adaptive")["StreamInfos"][-1]
    assert auto["Definition"] == "AUTO" and re.search(r"/[0-9a-f]{32}\.m3u8$", auto["FileUrl"])
    hd = transcode("adaptive")["StreamInfos"][-2]
    assert (auto["Width"], auto["Height"]) == (hd["Width"], hd["Height"])
    audio = transcode("audio")["StreamInfos"]
    assert [s["IsAudio"] for s in audio] == [True, True] and audio[0]["Format"] == "mp3"
    assert re.fullmatch(r"[0-9a-f]{32}", transcode("watermark")["StreamInfos"][0]["WatermarkId"])


def test_default_is_the_documented_mp4_and_describe_is_plain_data() -> None:
    assert DEFAULT_PRESET == "mp4"
    body = EventFactory(3, START).build("TranscodeComplete", 0).payload()
    assert body == transcode("mp4")
    described = preset("hls-encrypted").describe()
    assert described["format"] == "m3u8" and described["encrypt_type"] == "AliyunVoDEncryption"
    assert [r["Definition"] for r in described["ladder"]] == ["LD", "SD", "HD"]
    json.dumps(described)   # plain data, for the server's processing profile


def test_unknown_preset_says_did_you_mean() -> None:
    with pytest.raises(InputError, match=r"unknown transcode preset 'hls-encryptd' \(did you mean 'hls-encrypted'\?\)"):
        preset("hls-encryptd")
    with pytest.raises(InputError, match="did you mean 'hls-encrypted'"):
        EventFactory(1, START).build("StreamTranscodeComplete", 0, params={"preset": "hls-encryptd"})


def test_stream_definition_must_belong_to_the_preset() -> None:
    with pytest.raises(InputError, match="'LD' is not an output of preset 'audio'"):
        EventFactory(1, START).build("StreamTranscodeComplete", 0, params={"preset": "audio", "definition": "LD"})
    event = EventFactory(1, START).build("StreamTranscodeComplete", 0,
                                         params={"preset": "narrowband-hd", "definition": "HD-MP4"})
    assert event.payload()["Definition"] == "HD-MP4"


def test_scenario_schema_knows_every_preset() -> None:
    doc = json.loads((ROOT / "schemas" / "scenario.schema.json").read_text(encoding="utf-8"))
    assert doc["$defs"]["preset"]["enum"] == list(PRESETS)


def test_file_upload_url_is_the_logged_production_shape() -> None:
    body = EventFactory(5, START).build("FileUploadComplete", 0).payload()
    assert re.fullmatch(r"http://outin-[0-9a-f]{32}\.oss-cn-shanghai\.aliyuncs\.com/customerTrans/"
                        r"[0-9a-f]{32}/[0-9a-f]{8}-[0-9a-f]{5}\.mp4", body["FileUrl"])


def test_smaller_fixes() -> None:
    f = EventFactory(2, START)
    refresh = f.build("SubmitMediaRefreshComplete", 0).payload()
    assert refresh["TaskType"] == "refresh"      # the vendor example's case
    dna = f.build("AIMediaDNAComplete", 0).payload()
    assert dna["EventTime"] == "2026-01-01T09:00:00:000Z"
    assert dna["CompleteTime"][:19] > dna["EventTime"][:19]   # later, as in the example
    image = f.build("ImageUploadComplete", 0, params={"event_time": "dot-ms"}).payload()
    assert image["EventTime"] == "2026-01-01T09:00:00.000Z"
    plain = f.build("ImageUploadComplete", 0, params={"event_time": "seconds"}).payload()
    assert plain["EventTime"] == "2026-01-01T09:00:00Z"
