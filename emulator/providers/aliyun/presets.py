"""Transcode presets: the output sets VOD's template groups produce, named once.

A preset fixes what every stream of one transcode looks like: the Definitions (the
ladder), the container, the encryption, audio or video, watermark.  Scenario steps
(``preset: hls-encrypted``), ``trigger --preset`` and the server's processing profile
name them; ``preset(name)`` is the one lookup.  Within a preset URLs, formats, bitrates,
sizes and Definitions agree (see ``stream_output``).

Sources: the event pages (Definition values incl. AUTO and the ``HD-MP4`` suffix of preset
and Narrowband HD templates, WatermarkId, IsAudio, Encrypt/EncryptType), the media-asset
parameter reference (SQ/HQ audio), "Transcoding templates" (Narrowband HD and adaptive
packaging) and production bodies logged in public projects' fixtures (HLS, encrypted,
``…/<VideoId>/<hash>-sd-encrypt-stream.m3u8``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from emulator.errors import InputError, did_you_mean

from .media import DEFINITIONS, ORIGINAL, MediaAsset, Rendition, hex_id, ladder_size, oss_url

__all__ = ["DEFAULT_PRESET", "PRESETS", "Preset", "StreamOutput", "preset", "stream_output"]

ENCRYPT_TYPES = ("AliyunVoDEncryption", "HLSEncryption")
ADAPTIVE = "AUTO"
# Audio-only qualities (media-asset parameter reference: SQ standard, HQ high).  Bitrates are
# not documented; these are common AAC/MP3 rates (assumed).
AUDIO_BITRATES = {"SQ": 128, "HQ": 256}
NARROWBAND_SAVING = 0.7   # Narrowband HD: "lower bitrate … without compromising image quality"
_AUDIO = tuple(AUDIO_BITRATES)
_VIDEO = (*DEFINITIONS, ORIGINAL)
_VIDEO_ADAPTIVE = (*_VIDEO, ADAPTIVE)


@dataclass(frozen=True, slots=True)
class Preset:
    """One named transcode output set (a template group, as the events show it)."""

    name: str
    title: str
    definitions: tuple[str, ...]        # the default ladder, base names (LD, SD, …, SQ, HQ)
    format: str                          # mp4 | m3u8 | mp3
    encrypt_type: str | None = None      # AliyunVoDEncryption | HLSEncryption | None
    audio: bool = False                  # IsAudio, no picture fields
    adaptive: bool = False               # plus an AUTO (master playlist) stream
    suffix: str = ""                     # appended to Definition: "-MP4" → HD-MP4
    watermark: bool = False              # WatermarkId on each stream
    bitrate_factor: float = 1.0
    codec: str = "H.264"
    source: str = ""

    @property
    def encrypt(self) -> bool:
        return self.encrypt_type is not None

    @property
    def allowed(self) -> tuple[str, ...]:
        """Base Definitions a step may ask this preset for."""
        if self.audio:
            return _AUDIO
        return _VIDEO_ADAPTIVE if self.adaptive else _VIDEO

    def wire_definition(self, base: str) -> str:
        return base if base == ADAPTIVE or self.audio else base + self.suffix

    def ladder(self) -> list[dict[str, object]]:
        """The default outputs as plain data: Definition, Format, Encrypt(Type), nominal kbps, size."""
        out = []
        for base in self.definitions:
            rung = DEFINITIONS.get(base)
            out.append({
                "Definition": self.wire_definition(base), "Format": self.format, "Encrypt": self.encrypt,
                "EncryptType": self.encrypt_type, "IsAudio": self.audio,
                "Bitrate": _nominal_bitrate(self, base, None),
                "Width": rung.width if rung else None, "Height": rung.height if rung else None,
            })
        return out

    def describe(self) -> dict[str, object]:
        """What the server's processing profile needs: definitions, format, encryption, ladder."""
        return {"name": self.name, "title": self.title, "definitions": [self.wire_definition(d) for d in self.definitions],
                "format": self.format, "encrypt": self.encrypt, "encrypt_type": self.encrypt_type,
                "audio": self.audio, "watermark": self.watermark, "ladder": self.ladder(), "source": self.source}


PRESETS: dict[str, Preset] = {p.name: p for p in (
    Preset("mp4", "VOD MP4 template group: LD/SD/HD MP4, unencrypted", ("LD", "SD", "HD"), "mp4",
           source="every StreamTranscodeComplete/TranscodeComplete example on the event pages"),
    Preset("hls", "HLS (m3u8 + ts), unencrypted", ("LD", "SD", "HD"), "m3u8",
           source="event pages (Format m3u8); Standard transcoding (TranscodeTemplateGroup: HLS and MP4)"),
    Preset("hls-encrypted", "HLS with VOD private encryption (AliyunVoDEncryption)", ("LD", "SD", "HD"), "m3u8",
           encrypt_type="AliyunVoDEncryption",
           source="production bodies logged in public projects' fixtures (m3u8, Encrypt true, "
                  "…-sd-encrypt-stream.m3u8); EncryptType values from the PlayConfig reference"),
    Preset("hls-standard-encrypted", "HLS standard encryption (HLSEncryption, AES-128)", ("LD", "SD", "HD"), "m3u8",
           encrypt_type="HLSEncryption",
           source="HLS standard encryption page (…/<VideoId>/<hash>-fd-encrypt-stream.m3u8); logged fixtures"),
    Preset("narrowband-hd", "Narrowband HD MP4: suffixed Definitions (LD-MP4, SD-MP4, HD-MP4), lower bitrates",
           ("LD", "SD", "HD"), "mp4", suffix="-MP4", bitrate_factor=NARROWBAND_SAVING,
           source="TranscodeComplete (a suffix for preset and Narrowband HD templates, e.g. HD-MP4); "
                  "Transcoding templates (Narrowband HD outputs HLS or MP4)"),
    Preset("audio", "Audio only: SQ and HQ, IsAudio true, no picture fields", ("SQ", "HQ"), "mp3", audio=True,
           codec="MP3", source="media-asset parameters (SQ/HQ); event pages (IsAudio)"),
    Preset("adaptive", "Adaptive bitrate HLS: LD/SD/HD plus the AUTO master playlist", ("LD", "SD", "HD", ADAPTIVE),
           "m3u8", adaptive=True,
           source="event pages (AUTO: adaptive, only with packaging); Transcoding templates (ABR is HLS only)"),
    Preset("watermark", "MP4 LD/SD/HD with a watermark template: WatermarkId on every stream", ("LD", "SD", "HD"),
           "mp4", watermark=True, source="StreamTranscodeComplete/TranscodeComplete (WatermarkId, comma-separated)"),
)}

# The documented examples are MP4 and unencrypted; production is often HLS-encrypted
# (`preset: hls-encrypted`).  README, "Where the docs are silent or disagree".
DEFAULT_PRESET = "mp4"


def preset(name: str) -> Preset:
    """The preset called ``name``; ``InputError`` with a did-you-mean for an unknown one."""
    try:
        return PRESETS[name]
    except (KeyError, TypeError):
        raise InputError(f"unknown transcode preset {name!r}{did_you_mean(str(name), PRESETS)}; "
                         f"expected one of {', '.join(PRESETS)}") from None


@dataclass(frozen=True, slots=True)
class StreamOutput:
    """One stream of a preset: the rendition plus what the preset adds to the body."""

    rendition: Rendition
    is_audio: bool
    encrypt_type: str | None
    watermark_id: str | None
    codec: str


def stream_output(p: Preset, media: MediaAsset, base: str, rng: random.Random, *,
                  fmt: str | None = None, encrypt_type: str | None = None) -> StreamOutput:
    """The output of transcoding ``media`` to ``base`` under preset ``p``.

    ``fmt``/``encrypt_type`` override the preset's (the older ``format``/``encrypt_type`` knobs).
    """
    definition, fmt, bitrate, width, height, size, file_url, encrypt_type, watermark = output(
        p, media, base, rng, fmt, encrypt_type)
    out = Rendition(definition=definition, format=fmt, bitrate=bitrate, width=width, height=height,
                    fps=media.fps, duration=media.duration, size=size, file_url=file_url)
    return StreamOutput(out, p.audio, encrypt_type, watermark, p.codec)


def output(p: Preset, media: MediaAsset, base: str, rng: random.Random, fmt: str | None,
           encrypt_type: str | None) -> tuple[str, str, int, int, int, int, str, str | None, str | None]:
    """``stream_output`` as a plain tuple, for the per-event hot path: (Definition, Format,
    Bitrate, Width, Height, Size, FileUrl, EncryptType, WatermarkId)."""
    if base not in p.allowed:
        raise ValueError(f"Definition {base!r} is not an output of preset {p.name!r}; "
                         f"expected one of {', '.join(p.allowed)}")
    fmt = fmt or p.format
    encrypt_type = encrypt_type if encrypt_type is not None else p.encrypt_type
    random_ = rng.random
    # rng.uniform(a, b) is a + (b - a) * rng.random(): spelled out, the same draws.
    bitrate = round(_nominal_bitrate(p, base, media) * (0.95 + (1.05 - 0.95) * random_()))
    size = round(bitrate * 1000 / 8 * media.duration * (1.02 + (1.06 - 1.02) * random_()))
    if p.audio:
        width = height = 0
    elif base == ADAPTIVE:
        width, height = ladder_size(media, max((d for d in p.definitions if d in DEFINITIONS),
                                               key=lambda d: DEFINITIONS[d].bitrate))
    else:
        width, height = ladder_size(media, base)
    bits = rng.getrandbits
    token = f"{bits(128):032x}"
    if base == ADAPTIVE:
        key = f"{media.prefix}/{token}.{fmt}"      # the master playlist: no definition in the name
    elif encrypt_type is not None and fmt == "m3u8":
        key = f"{media.prefix}/{token}-{base.lower()}-encrypt-stream.{fmt}"
    else:
        key = f"{media.prefix}/{token}-{base.lower()}.{fmt}"
    file_url = oss_url(media.host, key)
    watermark = f"{bits(128):032x}" if p.watermark else None
    definition = base if base == ADAPTIVE or p.audio else base + p.suffix
    return definition, fmt, bitrate, width, height, size, file_url, encrypt_type, watermark


def _nominal_bitrate(p: Preset, base: str, media: MediaAsset | None) -> int:
    if p.audio:
        return AUDIO_BITRATES[base]
    if base == ADAPTIVE:   # the master playlist reports the top rung's rate
        return round(max(DEFINITIONS[d].bitrate for d in p.definitions if d in DEFINITIONS) * p.bitrate_factor)
    if base == ORIGINAL:
        return media.bitrate if media is not None else 0
    return round(DEFINITIONS[base].bitrate * p.bitrate_factor)
