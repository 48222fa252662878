"""What an uploaded file is: duration, resolution and frame rate read from the file itself with
hachoir (pure Python; MP4/MOV, and whatever else it parses).  Anything it cannot read gives
an empty ``Probe``, never an exception: the upload still completes, without those numbers."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Probe:
    duration: float | None = None   # seconds
    width: int | None = None
    height: int | None = None
    fps: float | None = None
    bitrate: int | None = None      # kbps (container bitrate, when known)
    mime_type: str | None = None


def _parser(path: Path, hint: str):
    """hachoir's MP4/MOV parser straight away when the name says so (guessing tries every
    parser: ~40 ms a file), else its guess."""  # noqa: D401
    from hachoir.parser import createParser
    if hint.lower() in ("mp4", "mov", "m4v", "m4a", "3gp"):
        from hachoir.parser.container.mp4 import MP4File
        from hachoir.stream import FileInputStream
        stream = FileInputStream(str(path))
        try:
            return MP4File(stream, validate=True)
        except Exception:     # named .mp4 but not an ISO-BMFF file: nothing to read
            stream.close()
            return None
    return createParser(str(path))


def probe(path: Path | None, hint: str = "") -> Probe:
    """``hint``: the file's extension, when known (picks the parser)."""
    if path is None or not path.exists() or path.stat().st_size == 0:
        return Probe()
    try:
        from hachoir.core import config
        from hachoir.metadata import extractMetadata
        config.quiet = True
        parser = _parser(path, hint)
        if parser is None:
            return Probe()
        with parser:
            meta = extractMetadata(parser)
    except Exception as exc:   # a file a user uploads can be anything
        log.debug("cannot probe %s: %s", path, exc)
        return Probe()
    if meta is None:
        return Probe()

    def get(name: str):
        try:
            return meta.get(name) if meta.has(name) else None
        except (ValueError, KeyError):
            return None

    duration = get("duration")
    rate = get("frame_rate")
    bit_rate = get("bit_rate")
    return Probe(duration=round(duration.total_seconds(), 3) if duration is not None else None,
                 width=get("width"), height=get("height"),
                 fps=float(rate) if rate else None,
                 bitrate=round(bit_rate / 1000) if bit_rate else None,
                 mime_type=get("mime_type"))
