"""The Tencent reliable-callback queue as a delivery target: writing an event into the
serve process's own PullEvents queue (in-process: VOD and the queue are one service)."""

from __future__ import annotations

import json
import time

from ..events import Event
from ..run.journal import Attempt, AttemptOutcome, ErrorKind
from .http import iso_ms


class TencentQueueTarget:
    def __init__(self, store, sub_app_id: int | None) -> None:   # store: tencent.api.EventStore
        self.store = store
        self.sub_app_id = sub_app_id
        self.name = f"tencent-pull://{sub_app_id or 'default'}"

    def describe(self) -> dict[str, object]:
        return {"type": "tencent-pull", "sub_app_id": self.sub_app_id,
                "success_rule": "event written to the PullEvents queue"}

    async def attempt(self, event: Event, number: int, timeout: float) -> Attempt:
        started = time.time()
        t0 = time.monotonic()
        try:
            self.store.enqueue(self.sub_app_id, json.loads(event.body))
            error, detail = None, "queued for PullEvents"
        except (ValueError, TypeError) as exc:
            error, detail = ErrorKind.OTHER, f"not queued: {exc}"
        return Attempt(attempt=number, started_at=iso_ms(started),
                       duration_ms=round((time.monotonic() - t0) * 1000, 3), status=None, error=error,
                       detail=detail, outcome=AttemptOutcome.SUCCESS if error is None else AttemptOutcome.FAILURE)
