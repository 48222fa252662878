"""A small, structurally real MP4 built box by box (ftyp, moov with mvhd and one video and
one audio trak, mdat): what the upload tests send through the vendor SDKs."""

from __future__ import annotations

import struct


def box(kind: bytes, *parts: bytes) -> bytes:
    body = b"".join(parts)
    return struct.pack(">I4s", 8 + len(body), kind) + body


def full(kind: bytes, *parts: bytes, version: int = 0) -> bytes:
    return box(kind, struct.pack(">I", version << 24), *parts)


def _matrix() -> bytes:
    return struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)


def _trak(track_id: int, handler: bytes, duration: int, timescale: int, samples: int, width: int = 0,
          height: int = 0) -> bytes:
    tkhd = full(b"tkhd", struct.pack(">IIIII", 0, 0, track_id, 0, duration * 1000 // timescale),
                b"\0" * 8, struct.pack(">hhhH", 0, 0, 0x100 if handler == b"soun" else 0, 0), _matrix(),
                struct.pack(">II", width << 16, height << 16))
    mdhd = full(b"mdhd", struct.pack(">IIII", 0, 0, timescale, duration), struct.pack(">HH", 0x55C4, 0))
    hdlr = full(b"hdlr", struct.pack(">I4s", 0, handler), b"\0" * 12, b"track\0")
    stts = full(b"stts", struct.pack(">III", 1, samples, duration // samples))
    stbl = box(b"stbl", stts, full(b"stsd", struct.pack(">I", 0)), full(b"stsz", struct.pack(">II", 0, 0)),
               full(b"stsc", struct.pack(">I", 0)), full(b"stco", struct.pack(">I", 0)))
    return box(b"trak", tkhd, box(b"mdia", mdhd, hdlr, box(b"minf", stbl)))


def mp4(seconds: int = 4, width: int = 640, height: int = 360, fps: int = 25, payload: int = 20_000) -> bytes:
    """An MP4 of ``seconds`` at ``width``×``height`` and ``fps``; ``payload`` bytes of mdat."""
    mvhd = full(b"mvhd", struct.pack(">IIII", 0, 0, 1000, seconds * 1000), struct.pack(">IH", 0x10000, 0x100),
                b"\0" * 10, _matrix(), b"\0" * 24, struct.pack(">I", 3))
    moov = box(b"moov", mvhd, _trak(1, b"vide", seconds * 12800, 12800, seconds * fps, width, height),
               _trak(2, b"soun", seconds * 44100, 44100, seconds * 44100 // 1024))
    ftyp = box(b"ftyp", b"isom", struct.pack(">I", 512), b"isomiso2avc1mp41")
    return ftyp + moov + box(b"mdat", bytes((i * 7) % 251 for i in range(payload)))
