"""Helpers shared by the per-kind generators: error pairs, task ids, times, key order."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from ..aliyun.context import GenContext
from .catalog import EventKind
from .media import TencentMedia, fmt_time, hex_id

Body = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Failure:
    """A failed task's codes: ErrCodeExt (string, current) and ErrCode (int, legacy)."""

    ext: str
    code: int
    message: str


# Codes of the "视频处理类错误码" list (266/50368) and the legacy ErrCode values the task
# structures document (40000 / 60000 / 70000); the messages are the list's own wording.
_FAMILIES: tuple[tuple[str, int, str], ...] = (
    ("InvalidInput", 40000, "Invalid input parameter. Please check."),
    ("SourceFileError", 60000, "Invalid source file (for example, video data is corrupted). "
                               "Please check whether the source file is normal."),
    ("InternalError", 70000, "Internal service error. Please try again."),
)
DEFAULT_FAILURE = "SourceFileError"

ERROR_PARAMS: dict[str, str] = {
    "error_code": "on failure: ErrCodeExt such as SourceFileError / InvalidInput.DefinitionNotExist / "
                  "InternalError, or a legacy integer ErrCode 40000 / 60000 / 70000 (default SourceFileError, 60000)",
    "error_message": "Message on failure (default: the error list's wording for the code's family)",
}


def failure(ctx: GenContext, default: str = DEFAULT_FAILURE) -> Failure:
    """The failure to report, ``params.error_code`` / ``params.error_message`` overriding ``default``."""
    given = ctx.params.get("error_code", default)
    if isinstance(given, bool) or not isinstance(given, (int, str)) or given == "":
        raise ValueError(f"params.error_code = {given!r}; expected an ErrCodeExt string or an integer ErrCode")
    if isinstance(given, int):
        ext, code, message = next((f for f in _FAMILIES if f[1] == given), ("InternalError", given, _FAMILIES[2][2]))
    else:
        family = given.split(".")[0]
        _, code, message = next((f for f in _FAMILIES if f[0] == family), _FAMILIES[2])
        ext = given
    return Failure(ext, code, str(ctx.params.get("error_message", message)))


def error(ctx: GenContext) -> Failure | None:
    """The failure of this event, or ``None`` on success."""
    return None if ctx.ok else failure(ctx)


def body(*pairs: tuple[str, Any]) -> Body:
    """An object in the given key order, leaving out fields whose value is ``None``."""
    return {k: v for k, v in pairs if v is not None}


def envelope(kind: EventKind, payload: Body) -> Body:
    """The EventContent a PUSH callback carries: EventType and the one populated payload."""
    return {"EventType": kind.event_type, kind.payload_key: payload}


def task_id(media: TencentMedia, task_type: str, ctx: GenContext, suffix: str = "") -> str:
    """``<AppId>-<Type>-<hex>`` as in the docs (e.g. 1256768367-Procedure-475b…t2)."""
    return f"{media.app_id}-{task_type}-{hex_id(ctx.rng)}{suffix}"


def procedure_task_id(media: TencentMedia) -> str:
    """The task flow run on ``media`` at upload: derived from the FileId, so NewFileUpload's
    ProcedureTaskId and the flow's ProcedureStateChanged TaskId agree without shared state.

    ``<AppId>-procedurev2-<32 hex>t0`` as production and the current API pages show it
    (ProcessMedia's answer, logged ProcedureStateChanged bodies); the docs' older event
    example spells it ``…-Procedure-…``."""
    digest = hashlib.md5(f"{media.file_id}/Procedure".encode()).hexdigest()
    return f"{media.app_id}-procedurev2-{digest}t0"


def legacy_task_id(task_type: str, ctx: GenContext) -> str:
    """2017-API task ids carry no AppId: ``CreateSnapshotByTimeOffset-1edb7eb8…``."""
    return f"{task_type}-{hex_id(ctx.rng)}"


def at(ctx: GenContext, seconds_before: float) -> str:
    return fmt_time(ctx.event_time - timedelta(seconds=seconds_before))


def task_times(ctx: GenContext, media: TencentMedia, share: float) -> tuple[str, str]:
    """(BeginProcessTime, FinishTime) of a sub-task that took ``share`` of the media's duration."""
    finish = ctx.event_time - timedelta(seconds=ctx.rng.randint(1, 3))
    begin = finish - timedelta(seconds=max(2.0, media.duration * share * ctx.rng.uniform(0.8, 1.2)))
    return fmt_time(begin), fmt_time(finish)


def choice(ctx: GenContext, name: str, allowed: tuple[Any, ...], default: Any = None) -> Any:
    """A knob from ``ctx.params`` restricted to ``allowed`` (seeded pick when absent and no default)."""
    value = ctx.params.get(name)
    if value is None:
        return default if default is not None else ctx.rng.choice(allowed)
    if value not in allowed:
        raise ValueError(f"params.{name} = {value!r}; expected one of {', '.join(map(str, allowed))}")
    return value


def stamp(ctx: GenContext) -> str:
    """A file-name stem like the docs' ``1546950643_4191274987``: Unix time and a random number."""
    return f"{int(ctx.event_time.timestamp())}_{ctx.rng.randint(10**9, 4 * 10**9)}"
