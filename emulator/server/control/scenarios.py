"""Which scenario files ``POST /_emulator/run`` may read: the shipped ones and the operator's.

A request names a file with ``"path"``; the server reads it with its own rights, so only a
shipped scenario (by name, e.g. ``quickstart``) or a ``.yaml``/``.yml``/``.json`` file under
a directory given to ``serve --scenarios DIR`` is opened; the size is capped before parsing,
and a file that is not a scenario gets one line that never quotes its content.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import yaml

from emulator.errors import InputError

from .wire import ApiError

SUFFIXES = (".yaml", ".yml", ".json")


def load_allowed(path: str, dirs: tuple[Path, ...]) -> Any:
    """A shipped scenario (by name or path) or a file under ``serve --scenarios DIR``; nothing else
    is opened, and the content of a file that is not a scenario is never echoed."""
    from emulator.providers.schemas import schemas_dir
    from emulator.scenario.loader import MAX_BYTES, load
    shipped = (schemas_dir().parent / "scenarios").resolve()
    if os.sep not in path and "/" not in path and not path.endswith(SUFFIXES):
        path = str(shipped / f"{path}.yaml")
    real = Path(os.path.realpath(path))
    roots = (shipped, *(Path(os.path.realpath(d)) for d in dirs))
    if not any(real.is_relative_to(root) for root in roots) or real.suffix not in SUFFIXES:
        raise ApiError(403, "PathNotAllowed",
                       f"path {path[:200]!r}: only a shipped scenario (by name, e.g. \"quickstart\") or a "
                       ".yaml/.yml/.json file under a directory given to serve --scenarios is allowed")
    try:
        info = real.stat()
    except OSError:
        raise ApiError(404, "ScenarioNotFound", f"no scenario file {path[:200]!r}") from None
    if not stat.S_ISREG(info.st_mode):
        raise ApiError(400, "InvalidScenario", f"{path[:200]}: not a regular file")
    if info.st_size > MAX_BYTES:
        raise ApiError(400, "InvalidScenario", f"{path[:200]}: larger than {MAX_BYTES // 1024} KiB, not a scenario")
    try:
        return load(real, env={})
    except InputError:
        if _looks_like_scenario(real):
            raise
        raise ApiError(400, "InvalidScenario", f"{path[:200]}: not a scenario file (expected a YAML or JSON "
                                               "mapping with 'version' and 'flows')") from None


def _looks_like_scenario(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            doc = yaml.safe_load(fh.read(1024 * 1024))
    except (OSError, ValueError, yaml.YAMLError, RecursionError):
        return False
    return isinstance(doc, dict) and "flows" in doc and "version" in doc
