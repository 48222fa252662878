"""A generated media asset and the renditions VOD would transcode it into.

Everything random is drawn from the ``rng``/``faker`` passed in, so a seeded pair
reproduces the same asset; nothing here touches module-level randomness or the clock.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from faker import Faker

__all__ = [
    "DEFINITIONS",
    "EXTEND_MAX_BYTES",
    "ExtendTooLong",
    "MediaAsset",
    "Rendition",
    "Rung",
    "check_extend",
    "fmt_time",
    "hex_id",
    "ladder_size",
    "new_media",
    "oss_host",
    "oss_url",
    "rendition",
    "seconds_before",
    "TIME_STYLES",
]

EXTEND_MAX_BYTES = 512  # UserData.Extend limit (Overview, "Request parameters" appendix)
DEFAULT_APP_ID = "app-1000000"


class ExtendTooLong(ValueError):
    """``Extend`` is longer than the documented 512 bytes (UTF-8)."""

    def __init__(self, size: int) -> None:
        super().__init__(f"Extend is {size} bytes in UTF-8; the documented maximum is {EXTEND_MAX_BYTES}")
        self.size = size


def check_extend(extend: str | None) -> str | None:
    """Return ``extend`` unchanged, or raise :class:`ExtendTooLong`."""
    if extend is not None:
        size = len(extend.encode("utf-8"))
        if size > EXTEND_MAX_BYTES:
            raise ExtendTooLong(size)
    return extend


@dataclass(frozen=True, slots=True)
class Rung:
    """One step of the transcoding ladder, landscape orientation."""

    name: str
    width: int
    height: int
    bitrate: int  # kbps


# Definition, resolution and bitrate agree with the docs' ranges (reference §2.6); the
# docs' LD example is 540x960 at 925 kbps (a portrait source).  OD follows the source.
DEFINITIONS: dict[str, Rung] = {
    r.name: r
    for r in (
        Rung("FD", 640, 360, 400),
        Rung("LD", 960, 540, 900),
        Rung("SD", 1280, 720, 1500),
        Rung("HD", 1920, 1080, 3000),
        Rung("2K", 2560, 1440, 6000),
        Rung("4K", 3840, 2160, 12000),
    )
}
ORIGINAL = "OD"
SOURCE_SIZES: tuple[tuple[int, int], ...] = ((1280, 720), (1920, 1080), (1920, 1080), (2560, 1440), (3840, 2160))
SOURCE_FPS: tuple[int, ...] = (24, 25, 30, 30, 60)


@dataclass(frozen=True, slots=True)
class MediaAsset:
    """The source video one flow of events is about (same id, duration and bucket throughout)."""

    video_id: str
    title: str
    duration: float  # seconds, one decimal
    width: int
    height: int
    fps: int
    bitrate: int  # source bitrate, kbps
    size: int  # source file size, bytes
    bucket: str  # VOD system bucket, "outin-<32 hex>"
    region: str
    prefix: str  # storage path prefix of the outputs (the VideoId, as in the docs' URLs)
    source_key: str  # object key of the uploaded source, "customerTrans/<32 hex>/<8 hex>-<5 hex>.mp4"
    cdn_domain: str
    app_id: str = DEFAULT_APP_ID

    @property
    def host(self) -> str:
        return oss_host(self.bucket, self.region)

    @property
    def portrait(self) -> bool:
        return self.height > self.width

    @property
    def source_url(self) -> str:
        return oss_url(self.host, self.source_key)


@dataclass(frozen=True, slots=True)
class Rendition:
    """One transcoded output: the numbers a StreamTranscodeComplete reports."""

    definition: str
    format: str
    bitrate: int  # kbps
    width: int
    height: int
    fps: int
    duration: float
    size: int  # bytes
    file_url: str


def hex_id(rng: random.Random, length: int = 32) -> str:
    """``length`` lowercase hex characters drawn from ``rng``."""
    return f"{rng.getrandbits(4 * length):0{length}x}"


# EventTime styles the docs show: ``…ssZ`` (Overview, most pages), ``…ss:SSSZ`` (current
# ImageUploadComplete, AI zh pages), ``…ss.SSSZ`` (AIMediaAuditComplete en).
TIME_STYLES = ("seconds", "colon-ms", "dot-ms")


def fmt_time(dt: datetime, style: str = "seconds") -> str:
    """A callback time, UTC: ``yyyy-MM-ddTHH:mm:ssZ`` or, by ``style``, with ``:SSS``/``.SSS``."""
    if dt.tzinfo is not timezone.utc:
        if dt.tzinfo is None:
            raise ValueError("fmt_time needs a timezone-aware datetime")
        if dt.utcoffset():
            dt = dt.astimezone(timezone.utc)
    # isoformat() is the cheapest way to the digits (strftime is most of the cost of a body's
    # timestamps): "YYYY-MM-DDTHH:MM:SS" then fractions or an offset, which are cut.
    text = dt.isoformat()[:19]
    if style == "seconds":
        return text + "Z"
    if style not in TIME_STYLES:
        raise ValueError(f"time style {style!r}; expected one of {', '.join(TIME_STYLES)}")
    return f"{text}{':' if style == 'colon-ms' else '.'}{dt.microsecond // 1000:03d}Z"


def seconds_before(dt: datetime, seconds: float) -> datetime:
    return dt - timedelta(seconds=seconds)


def oss_host(bucket: str, region: str) -> str:
    return f"{bucket}.oss-{region}.aliyuncs.com"


def oss_url(host: str, key: str) -> str:
    # Callbacks carry only http:// URLs (reference §2.5).
    return f"http://{host}/{key.lstrip('/')}"


def new_media(rng: random.Random, faker: Faker, region: str) -> MediaAsset:
    """A plausible uploaded source video, drawn from ``rng`` and ``faker`` only.

    The draws are spelled out (``bits`` for ``hex_id``, ``pick`` for ``rng.choice``, ``sample``
    for ``rng.sample``: the same draws in the same order, so the same asset) because this runs
    once per generated event.
    """
    bits = rng.getrandbits
    video_id = f"{bits(128):032x}"
    width, height = SOURCE_SIZES[below(bits, 5)]
    if rng.random() < 0.3:
        width, height = height, width
    duration = round(8.0 + (600.0 - 8.0) * rng.random(), 1)             # rng.uniform(8.0, 600.0)
    base = _BASE_BITRATE[width, height]
    bitrate = round(base * (1.5 + (2.5 - 1.5) * rng.random()))
    size = round(bitrate * 1000 / 8 * duration * (1.01 + (1.03 - 1.01) * rng.random()))
    # The source's key as logged in production FileUploadComplete bodies (public projects'
    # fixtures): customerTrans/<32 hex>/<8 hex>-<5 hex>.mp4 on the region's outin bucket.
    source_key = f"customerTrans/{bits(128):032x}/{bits(32):08x}-{bits(20):05x}.mp4"
    # Faker's word list drawn with ``rng``: the same realistic words, without faker's
    # weighted-sampling machinery on the per-event hot path (it cost ~0.3 ms an event).
    words = faker.get_words_list()
    title = " ".join(sample(bits, words, 4)).capitalize()
    fps = SOURCE_FPS[below(bits, 5)]
    bucket = f"outin-{bits(128):032x}"
    n = len(words)
    cdn_domain = f"vod.{words[below(bits, n)]}{words[below(bits, n)]}.com"
    return MediaAsset(video_id, title, duration, width, height, fps, bitrate, size, bucket, region, video_id,
                      source_key, cdn_domain)


def below(bits: Callable[[int], int], n: int) -> int:
    """``rng._randbelow(n)`` for ``bits = rng.getrandbits``: what ``choice``/``randint``/``sample`` draw."""
    k = n.bit_length()
    r = bits(k)
    while r >= n:
        r = bits(k)
    return r


def sample(bits: Callable[[int], int], population: Sequence[str], k: int) -> list[str]:
    """``rng.sample(population, k)`` for a population larger than 21 + 4 ** ceil(log4(3k)) (stdlib's set path)."""
    n = len(population)
    if k > 5 or n <= 21:
        raise ValueError("sample() spells out only the small-k, large-population case")
    selected: set[int] = set()
    result = []
    width = n.bit_length()
    for _ in range(k):
        j = bits(width)
        while j >= n or j in selected:     # below(bits, n), redrawn while already taken
            j = bits(width)
        selected.add(j)
        result.append(population[j])
    return result


def ladder_size(media: MediaAsset, definition: str) -> tuple[int, int]:
    """(width, height) of ``definition`` for ``media``: the rung, turned for portrait sources."""
    if definition == ORIGINAL:
        return media.width, media.height
    rung = _rung(definition)
    return (rung.height, rung.width) if media.portrait else (rung.width, rung.height)


def rendition(media: MediaAsset, definition: str, fmt: str, rng: random.Random) -> Rendition:
    """The output of transcoding ``media`` to ``definition``/``fmt`` (``mp4`` or ``m3u8``)."""
    width, height = ladder_size(media, definition)
    nominal = media.bitrate if definition == ORIGINAL else _rung(definition).bitrate
    bitrate = round(nominal * rng.uniform(0.95, 1.05))
    size = round(bitrate * 1000 / 8 * media.duration * rng.uniform(1.02, 1.06))
    key = f"{media.prefix}/{hex_id(rng)}-{definition.lower()}.{fmt}"
    return Rendition(
        definition=definition,
        format=fmt,
        bitrate=bitrate,
        width=width,
        height=height,
        fps=media.fps,
        duration=media.duration,
        size=size,
        file_url=oss_url(media.host, key),
    )


def _rung(definition: str) -> Rung:
    try:
        return DEFINITIONS[definition]
    except KeyError:
        known = ", ".join([*DEFINITIONS, ORIGINAL])
        raise ValueError(f"unknown Definition {definition!r}; expected one of {known}") from None


def _nearest_rung(long_side: int, short_side: int) -> Rung:
    for rung in DEFINITIONS.values():
        if long_side <= rung.width and short_side <= rung.height:
            return rung
    return DEFINITIONS["4K"]


_BASE_BITRATE = {(w, h): _nearest_rung(max(w, h), min(w, h)).bitrate
                 for w0, h0 in SOURCE_SIZES for w, h in ((w0, h0), (h0, w0))}
