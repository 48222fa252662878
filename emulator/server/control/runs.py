"""Runs started through the control API: background tasks with an id, a status, a cap.

A run never lives inside the request that started it: the request only waits for it
(``"wait": true``, the default) or returns its id at once (``"wait": false``, 202).  A
client that goes away does not stop the run; ``DELETE /_emulator/runs/{id}`` does.  The
operator caps how many run at once and how many events one run may have.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from .wire import ApiError

log = logging.getLogger(__name__)

RUNS_KEPT = 50


@dataclass(frozen=True, slots=True)
class RunLimits:
    max_running: int = 4             # runs at once; one more → 429
    max_events: int = 20_000         # events in one run (the shipped load-10k has 10 000)


@dataclass
class Run:
    run_id: str
    command: str
    task: asyncio.Task[dict[str, Any]] | None = None
    status: str = "running"           # running | done | cancelled | failed
    started: float = field(default_factory=time.time)
    finished: float | None = None
    answer: dict[str, Any] | None = None   # what the starting request returns when it waits
    report: dict[str, Any] | None = None
    error: str | None = None

    def describe(self) -> dict[str, Any]:
        out: dict[str, Any] = {"run_id": self.run_id, "command": self.command, "status": self.status,
                               "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.started))}
        if self.finished is not None:
            out["duration_s"] = round(self.finished - self.started, 3)
        if self.answer is not None:
            out |= {k: v for k, v in self.answer.items() if k not in out}
        if self.error is not None:
            out["error"] = self.error
        return out


Job = Callable[[], Awaitable[tuple[dict[str, Any], dict[str, Any]]]]   # → (answer, report)


class Runs:
    def __init__(self, limits: RunLimits = RunLimits()) -> None:
        self.limits = limits
        self.items: OrderedDict[str, Run] = OrderedDict()
        self._ids = itertools.count(1)

    def __len__(self) -> int:
        return len(self.items)

    def running(self) -> int:
        return sum(1 for r in self.items.values() if r.status == "running")

    def start(self, command: str, job: Job) -> Run:
        if self.running() >= self.limits.max_running:
            raise ApiError(429, "TooManyRuns", f"{self.limits.max_running} runs are running already "
                                               "(the operator's cap): wait, or DELETE one")
        run = Run(f"run-{next(self._ids):06d}", command)
        run.task = asyncio.get_running_loop().create_task(self._execute(run, job))
        self.items[run.run_id] = run
        self._trim()
        return run

    def record(self, command: str, answer: dict[str, Any], report: dict[str, Any]) -> Run:
        """Keep a run that happened elsewhere (events that followed a VOD API call)."""
        run = Run(f"run-{next(self._ids):06d}", command, status="done", finished=time.time(), answer=answer,
                  report=report)
        self.items[run.run_id] = run
        self._trim()
        return run

    async def _execute(self, run: Run, job: Job) -> dict[str, Any]:
        try:
            run.answer, run.report = await job()
            run.status = "done"
        except asyncio.CancelledError:
            run.status = "cancelled"
            raise
        except ApiError as exc:
            run.status, run.error = "failed", f"{exc.code}: {exc}"
        except Exception as exc:   # one line in the run's status; details in the log
            log.exception("run %s failed", run.run_id)
            run.status, run.error = "failed", f"{type(exc).__name__}: {exc}"
        finally:
            run.finished = time.time()
        return run.answer or {}

    def get(self, run_id: str) -> Run:
        run = self.items.get(run_id)
        if run is None:
            raise ApiError(404, "RunNotFound", f"no run {run_id[:40]!r} (the last {RUNS_KEPT} are kept)")
        return run

    def cancel(self, run_id: str) -> Run:
        run = self.get(run_id)
        if run.task is not None and not run.task.done():
            run.task.cancel()
        return run

    async def close(self) -> None:
        """Cancel what still runs (server shutdown, reset)."""
        tasks = [r.task for r in self.items.values() if r.task is not None and not r.task.done()]
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def _trim(self) -> None:
        finished = [k for k, r in self.items.items() if r.status != "running"]
        while len(self.items) > RUNS_KEPT and finished:
            del self.items[finished.pop(0)]
