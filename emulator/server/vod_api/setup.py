"""Assemble the VOD face and its OSS stand-in for serve: the ``vod:`` section of the config
file, the stores in the data dir, the hook from a finished upload to what follows it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from emulator.errors import InputError, did_you_mean
from emulator.providers.aliyun.gen_transcode import ALL_DEFINITIONS
from emulator.run.faults import parse_chaos
from ..oss import Grant, Grants, ObjectStore, OssFace
from ..shared.callbacks import CallbackStore
from ..shared.media_store import MediaLibrary
from ..shared.profile import parse_profiles
from .model import DEFAULT_REGION, VodBackend, VodSettings

KEYS = ("region", "time_scale", "keep_bytes", "credentials_ttl", "chaos", "profiles", "bindings")


def settings_of(raw: Any, where: str, time_scale: float | None = None) -> tuple[VodSettings, bool]:
    """(settings, keep_bytes) from the config file's ``vod:`` mapping (None: the defaults)."""
    raw = raw or {}
    if not isinstance(raw, dict):
        raise InputError(f"{where}: expected a mapping")
    for key in raw:
        if key not in KEYS:
            raise InputError(f"{where}: unknown field {key!r}{did_you_mean(str(key), KEYS)}")
    profiles = parse_profiles({k: raw[k] for k in ("profiles", "bindings") if k in raw}, where)
    for profile in profiles.profiles.values():
        for out in profile.outputs:
            if out.definition not in ALL_DEFINITIONS:
                raise InputError(f"{where}.profiles.{profile.name}: definition {out.definition!r} is not one of "
                                 f"{', '.join(ALL_DEFINITIONS)}{did_you_mean(out.definition, ALL_DEFINITIONS)}")
    scale = time_scale if time_scale is not None else raw.get("time_scale", 1.0)
    if not isinstance(scale, (int, float)) or scale < 0:
        raise InputError(f"{where}.time_scale: expected a number >= 0, got {scale!r}")
    ttl = raw.get("credentials_ttl", 3600)
    if not isinstance(ttl, (int, float)) or ttl <= 0:
        raise InputError(f"{where}.credentials_ttl: expected seconds > 0, got {ttl!r}")
    try:
        chaos = parse_chaos(str(raw.get("chaos", "")))
    except InputError as exc:
        raise InputError(f"{where}.chaos: {exc}") from None
    return VodSettings(region=str(raw.get("region", DEFAULT_REGION)), time_scale=float(scale),
                       credentials_ttl=float(ttl), chaos=chaos, profiles=profiles), bool(raw.get("keep_bytes", True))


def create_backend(raw: Any, where: str, data_dir: Path | None, callbacks: CallbackStore, access_key_id: str,
                   access_key_secret: str, time_scale: float | None = None) -> tuple[VodBackend, OssFace]:
    settings, keep_bytes = settings_of(raw, where, time_scale)
    library = MediaLibrary.in_dir(data_dir) if data_dir else MediaLibrary()
    oss = ObjectStore.in_dir(data_dir, keep_bytes=keep_bytes) if data_dir else ObjectStore(keep_bytes=keep_bytes)
    library.open()
    oss.open()
    grants = Grants()
    grants.add(Grant(access_key_id, access_key_secret))     # serve's own pair reaches every bucket
    backend = VodBackend(callbacks, library=library, oss=oss, grants=grants, settings=settings,
                         access_key_id=access_key_id, access_key_secret=access_key_secret)
    return backend, OssFace(oss, grants, on_complete=backend.object_uploaded)
