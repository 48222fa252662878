"""What a fake VOD reads from an uploaded file: duration, size and the video track's
dimensions and frame rate, from the ISO BMFF (MP4/MOV) boxes — moov/mvhd, trak/tkhd,
mdia/mdhd, mdia/hdlr, stbl/stts.  Provider-neutral; never raises on odd input (a file that
is not an MP4 gives an ``Mp4Info`` with ``None`` fields)."""

from __future__ import annotations

import struct
from dataclasses import dataclass

__all__ = ["Mp4Info", "probe"]

_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts"}


@dataclass(frozen=True, slots=True)
class Mp4Info:
    size: int
    duration: float | None = None      # seconds (mvhd)
    width: int | None = None           # the first video track's tkhd
    height: int | None = None
    fps: float | None = None           # samples / media duration of that track (stts, mdhd)
    has_audio: bool = False

    @property
    def is_mp4(self) -> bool:
        return self.duration is not None


def _boxes(data: bytes, start: int, end: int):
    pos = start
    while pos + 8 <= end:
        size, kind = struct.unpack_from(">I4s", data, pos)
        header = 8
        if size == 1 and pos + 16 <= end:
            (size,) = struct.unpack_from(">Q", data, pos + 8)
            header = 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            return
        yield kind, pos + header, pos + size
        pos += size


def _find(data: bytes, start: int, end: int, kind: bytes) -> tuple[int, int] | None:
    for k, s, e in _boxes(data, start, end):
        if k == kind:
            return s, e
    return None


def _full_header_times(data: bytes, s: int) -> tuple[int, int]:
    """(timescale, duration) of an mvhd/mdhd body starting at ``s``."""
    if data[s] == 1:
        return struct.unpack_from(">IQ", data, s + 20)
    return struct.unpack_from(">II", data, s + 12)


def probe(data: bytes) -> Mp4Info:
    try:
        return _probe(data)
    except (struct.error, IndexError, ZeroDivisionError):
        return Mp4Info(size=len(data))


def _probe(data: bytes) -> Mp4Info:
    moov = _find(data, 0, len(data), b"moov")
    if moov is None:
        return Mp4Info(size=len(data))
    mvhd = _find(data, *moov, b"mvhd")
    if mvhd is None:
        return Mp4Info(size=len(data))
    scale, duration = _full_header_times(data, mvhd[0])
    width = height = None
    fps = None
    audio = False
    for kind, s, e in _boxes(data, *moov):
        if kind != b"trak":
            continue
        mdia = _find(data, s, e, b"mdia")
        hdlr = _find(data, *mdia, b"hdlr") if mdia else None
        handler = data[hdlr[0] + 8:hdlr[0] + 12] if hdlr else b""
        if handler == b"soun":
            audio = True
        if handler != b"vide" or width is not None:
            continue
        tkhd = _find(data, s, e, b"tkhd")
        if tkhd is not None:
            off = tkhd[0] + (88 if data[tkhd[0]] == 1 else 76)
            w, h = struct.unpack_from(">II", data, off)
            width, height = w >> 16, h >> 16
        mdhd = _find(data, *mdia, b"mdhd")
        minf = _find(data, *mdia, b"minf")
        stbl = _find(data, *minf, b"stbl") if minf else None
        stts = _find(data, *stbl, b"stts") if stbl else None
        if mdhd is not None and stts is not None:
            tscale, tdur = _full_header_times(data, mdhd[0])
            (entries,) = struct.unpack_from(">I", data, stts[0] + 4)
            samples = sum(struct.unpack_from(">I", data, stts[0] + 8 + 8 * i)[0] for i in range(entries))
            if tdur:
                fps = round(samples * tscale / tdur, 3)
    return Mp4Info(size=len(data), duration=round(duration / scale, 3) if scale else None,
                   width=width, height=height, fps=fps, has_audio=audio)
