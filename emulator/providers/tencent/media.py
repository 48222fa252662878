"""A generated Tencent VOD media file and what transcoding it produces.

Everything random is drawn from the ``rng``/``faker`` passed in, so a seeded pair
reproduces the same file; nothing here touches module-level randomness or the clock.
Bitrates are in bps and sizes in bytes, as in ``MediaMetaData`` (reference §4.2).
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from typing import Any

from faker import Faker

from ..aliyun.media import below, fmt_time, hex_id, sample

__all__ = [
    "EXTEND_FIELD",
    "EXTEND_MAX_BYTES",
    "EXTEND_MAX_CHARS",
    "EXPIRE_NEVER",
    "MP4_CONTAINER",
    "SOURCE_CONTEXT_MAX_CHARS",
    "TRANSCODE_TEMPLATES",
    "ExtendTooLong",
    "TencentMedia",
    "Template",
    "basic_info",
    "check_extend",
    "fmt_time",
    "hex_id",
    "metadata",
    "new_file_id",
    "new_media",
    "output_size",
    "template",
    "transcode_output",
]

# The pass-through field of task events: "来源上下文 … 最长 1000 个字符" (SDK docstrings of
# ProcedureTask, PullUploadTask, EditMediaTask, …).  The limit counts characters, not bytes.
EXTEND_FIELD = "SessionContext"
EXTEND_MAX_CHARS = 1000
EXTEND_MAX_BYTES = EXTEND_MAX_CHARS  # the name providers.Profile reads; Tencent counts characters
# NewFileUpload carries the upload's SourceContext instead: "最长 250 个字符" (ApplyUpload).
SOURCE_CONTEXT_MAX_CHARS = 250

EXPIRE_NEVER = "9999-12-31T23:59:59Z"  # MediaBasicInfo.ExpireTime: never expires
MP4_CONTAINER = "mov,mp4,m4a,3gp,3g2,mj2"  # MetaData.Container as the docs' examples show it
HLS_CONTAINER = "hls,applehttp"

# Storage path tag per region as seen in URLs ("…vodgzp1256768367/…", "…vodtransgzp…");
# only gzp (Guangzhou) appears in the docs, the others follow the same pattern.
_REGION_TAGS = {"ap-guangzhou": "gzp", "ap-shanghai": "sh", "ap-beijing": "bj", "ap-chengdu": "cd",
                "ap-chongqing": "cq", "ap-nanjing": "nj", "ap-hongkong": "hk", "ap-singapore": "sg"}


class ExtendTooLong(ValueError):
    """The pass-through text is longer than the documented limit for its field."""

    def __init__(self, field: str, size: int, limit: int) -> None:
        super().__init__(f"{field} is {size} characters; the documented maximum is {limit}")
        self.field, self.size, self.limit = field, size, limit


def check_extend(extend: str | None, field: str = EXTEND_FIELD, limit: int = EXTEND_MAX_CHARS) -> str | None:
    """Return ``extend`` unchanged, or raise :class:`ExtendTooLong`."""
    if extend is not None and len(extend) > limit:
        raise ExtendTooLong(field, len(extend), limit)
    return extend


@dataclass(frozen=True, slots=True)
class Template:
    """A preset transcoding template (tencentcloud.com/document/product/266/33932)."""

    definition: int
    name: str
    container: str    # mp4 | hls
    short_side: int   # px; the long side follows the source's aspect ratio
    video_kbps: int
    audio_kbps: int
    fps: int = 25


TRANSCODE_TEMPLATES: dict[int, Template] = {
    t.definition: t
    for base, container in ((100000, "mp4"), (100200, "hls"))
    for t in (
        Template(base + 10, "FLU", container, 360, 400, 64),
        Template(base + 20, "SD", container, 540, 1000, 64),
        Template(base + 30, "HD", container, 720, 1800, 128),
        Template(base + 40, "FHD", container, 1080, 2500, 128),
        Template(base + 70, "2K", container, 1440, 3000, 160),
        Template(base + 80, "4K", container, 2160, 6000, 160),
    )
}

SOURCE_SIZES: tuple[tuple[int, int], ...] = ((1280, 720), (1920, 1080), (1920, 1080), (640, 480), (3840, 2160))
SOURCE_FPS: tuple[int, ...] = (24, 25, 30, 30, 60)
_AUDIO = ((128_000, 44100), (192_000, 48000), (96_000, 44100))


@dataclass(frozen=True, slots=True)
class TencentMedia:
    """The source file one flow of events is about (same FileId, duration and paths throughout)."""

    file_id: str          # 19 digits, e.g. "5285890784273533167"
    name: str             # MediaBasicInfo.Name
    description: str      # MediaBasicInfo.Description
    duration: float       # seconds, 3 decimals (MetaData.Duration)
    width: int
    height: int
    fps: int
    video_bitrate: int    # bps
    audio_bitrate: int    # bps
    sampling_rate: int    # Hz
    overhead: float       # container bytes over the streams' bitrate x duration (~0.5 %)
    md5: str
    region: str           # e.g. ap-guangzhou (MediaBasicInfo.StorageRegion)
    app_id: str           # 10 digits; the host is <app_id>.vod2.myqcloud.com
    bucket_tag: str       # 8 hex: "<tag>vod<region tag><app_id>" holds the uploaded source
    trans_tag: str        # 8 hex: "<tag>vodtrans<region tag><app_id>" holds processing outputs
    file_tag: str         # 8 hex, prefix of the FileId in the file's own folder
    source_key: str       # file name of the upload, e.g. "q1BORBPQH1IA.mp4"
    exact_size: int | None = None   # a real upload's byte count (serve's API); None: from the bitrate

    @property
    def bitrate(self) -> int:
        """MetaData.Bitrate: video + audio, bps."""
        return self.video_bitrate + self.audio_bitrate

    @property
    def size(self) -> int:
        if self.exact_size is not None:
            return self.exact_size
        return round(self.bitrate / 8 * self.duration * (1 + self.overhead))

    @property
    def audio_duration(self) -> float:
        return round(max(self.duration - 0.01, 0.0), 3)

    @property
    def host(self) -> str:
        return f"http://{self.app_id}.vod2.myqcloud.com"

    @property
    def region_tag(self) -> str:
        return _REGION_TAGS.get(self.region, self.region.removeprefix("ap-")[:3])

    @property
    def folder(self) -> str:
        """The file's own folder in every storage path: 8 hex, then the FileId."""
        return f"{self.file_tag}{self.file_id}"

    @property
    def media_url(self) -> str:
        """MediaBasicInfo.MediaUrl of the uploaded source."""
        return f"{self.host}/{self.bucket_tag}vod{self.region_tag}{self.app_id}/{self.folder}/{self.source_key}"

    def output_url(self, name: str) -> str:
        """URL of a processing output (transcode, snapshot, sprite, …) of this file."""
        return f"{self.host}/{self.trans_tag}vodtrans{self.region_tag}{self.app_id}/{self.folder}/{name}"


def new_file_id(rng: random.Random) -> str:
    return str(rng.randint(10**18, 9 * 10**18 - 1))


def new_media(rng: random.Random, faker: Faker, region: str) -> TencentMedia:
    """A plausible uploaded source video, drawn from ``rng`` and ``faker`` only.

    The draws are spelled out (``below`` for ``rng.choice``/``randint``, ``sample`` for
    ``rng.sample``, ``a + (b - a) * rng.random()`` for ``rng.uniform``): the same draws in the
    same order, so the same file, without the stdlib's layers on a per-event path.
    """
    bits, random_ = rng.getrandbits, rng.random
    width, height = SOURCE_SIZES[below(bits, 5)]
    if random_() < 0.3:
        width, height = height, width
    short = min(width, height)
    base = next((t for t in _MP4_LADDER if short <= t.short_side), _MP4_LADDER[-1])
    audio_bitrate, sampling_rate = _AUDIO[below(bits, 3)]
    words = faker.get_words_list()  # drawn with rng: faker's sampler is slow on the hot path
    file_id = str(10**18 + below(bits, 9 * 10**18 - 10**18))                    # new_file_id(rng)
    name = " ".join(sample(bits, words, 3)).capitalize()
    duration = round(8.0 + (600.0 - 8.0) * random_(), 3)
    fps = SOURCE_FPS[below(bits, 5)]
    video_bitrate = round(base.video_kbps * 1000 * (1.5 + (2.5 - 1.5) * random_()))
    overhead = round(0.002 + (0.012 - 0.002) * random_(), 4)
    md5 = f"{bits(128):032x}"
    app_id = str(1_250_000_000 + below(bits, 1_319_999_999 + 1 - 1_250_000_000))
    bucket_tag, trans_tag, file_tag = f"{bits(32):08x}", f"{bits(32):08x}", f"{bits(32):08x}"
    source_key = "".join([_ALPHABET[below(bits, 62)] for _ in range(12)]) + ".mp4"
    return TencentMedia(file_id, name, "", duration, width, height, fps, video_bitrate, audio_bitrate, sampling_rate,
                        overhead, md5, region, app_id, bucket_tag, trans_tag, file_tag, source_key)


_ALPHABET = string.ascii_letters + string.digits


def template(definition: int) -> Template:
    try:
        return TRANSCODE_TEMPLATES[definition]
    except KeyError:
        known = ", ".join(map(str, TRANSCODE_TEMPLATES))
        raise ValueError(f"unknown transcoding template {definition!r}; expected one of {known}") from None


def output_size(media: TencentMedia, tpl: Template) -> tuple[int, int]:
    """(width, height) of ``media`` transcoded with ``tpl``: short side fixed, aspect kept, even."""
    short = min(tpl.short_side, min(media.width, media.height))
    long = _even(short * max(media.width, media.height) / min(media.width, media.height))
    short = _even(short)
    return (long, short) if media.width >= media.height else (short, long)


def video_stream(bitrate: int, width: int, height: int, fps: int) -> dict[str, Any]:
    return {"Bitrate": bitrate, "Codec": "h264", "Fps": fps, "Height": height, "Width": width}


def audio_stream(bitrate: int, sampling_rate: int) -> dict[str, Any]:
    return {"Bitrate": bitrate, "Codec": "aac", "SamplingRate": sampling_rate}


def metadata(media: TencentMedia) -> dict[str, Any]:
    """MediaMetaData of the source, keys in the order of the docs' examples."""
    return {
        "AudioDuration": media.audio_duration,
        "AudioStreamSet": [audio_stream(media.audio_bitrate, media.sampling_rate)],
        "Bitrate": media.bitrate,
        "Container": MP4_CONTAINER,
        "Duration": media.duration,
        "Height": media.height,
        "Rotate": 0,
        "Size": media.size,
        "VideoDuration": media.duration,
        "VideoStreamSet": [video_stream(media.video_bitrate, media.width, media.height, media.fps)],
        "Width": media.width,
    }


def basic_info(media: TencentMedia, create_time: str, update_time: str, *, source_type: str = "Upload",
               source_context: str = "", tags: tuple[str, ...] = ()) -> dict[str, Any]:
    """MediaBasicInfo of ``media``, keys in the order of the docs' example (266/7830)."""
    return {
        "Name": media.name,
        "Description": media.description,
        "CreateTime": create_time,
        "UpdateTime": update_time,
        "ExpireTime": EXPIRE_NEVER,
        "ClassId": 0,
        "ClassName": "其他",
        "ClassPath": "其他",
        "CoverUrl": "",
        "Type": media.source_key.rsplit(".", 1)[-1],
        "MediaUrl": media.media_url,
        "TagSet": list(tags),
        "StorageRegion": media.region,
        "SourceInfo": {"SourceType": source_type, "SourceContext": source_context},
        "Vid": "",
        "Category": "Video",
        "Status": "Normal",
        "StorageClass": "STANDARD",
    }


def transcode_output(media: TencentMedia, tpl: Template, rng: random.Random) -> dict[str, Any]:
    """MediaTranscodeItem: ``media`` transcoded with ``tpl`` (Size ≈ Bitrate / 8 × Duration)."""
    width, height = output_size(media, tpl)
    video = round(tpl.video_kbps * 1000 * rng.uniform(0.93, 1.02))
    audio = round(tpl.audio_kbps * 1000 * rng.uniform(0.97, 1.0))
    duration = round(media.duration + rng.uniform(0.0, 0.05), 3)
    bitrate = video + audio
    ext = "mp4" if tpl.container == "mp4" else "m3u8"
    return {
        "Url": media.output_url(f"v.f{tpl.definition}.{ext}"),
        "Size": round(bitrate / 8 * duration * rng.uniform(1.005, 1.03)),
        "Container": MP4_CONTAINER if tpl.container == "mp4" else HLS_CONTAINER,
        "Height": height,
        "Width": width,
        "Bitrate": bitrate,
        "Md5": hex_id(rng),
        "Duration": duration,
        "VideoStreamSet": [video_stream(video, width, height, min(media.fps, tpl.fps))],
        "AudioStreamSet": [audio_stream(audio, 44100)],
        "Definition": tpl.definition,
        "DigitalWatermarkType": "None",
    }


def _mp4_ladder() -> list[Template]:
    return [t for t in TRANSCODE_TEMPLATES.values() if t.container == "mp4"]


_MP4_LADDER = tuple(_mp4_ladder())


def _even(value: float) -> int:
    return max(2, int(round(value / 2)) * 2)
