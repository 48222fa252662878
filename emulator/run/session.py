"""One run, wired: targets (or the built-in receiver), the runner, the journal, the reports.

Nothing here prints; the CLI passes callbacks for progress and received requests.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import ssl
import time
from collections.abc import AsyncIterable, Callable, Iterable
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from . import chaos
from .. import receiver as builtin
from ..clock import Clock
from ..delivery.http import TargetSpec, TLSOptions
from ..delivery.targets import check_target_url, make_target
from ..secrets import mask_url
from ..delivery.policy import DeliveryPolicy
from ..delivery.retry import OnAttempt
from ..errors import InputError
from ..events import Event
from .faults import FaultPlan
from .journal import EventResult, Journal
from .report import EntriesAsTheyFinish, build_report, write_json, write_junit
from .load import LoadStats, RateRamp
from .limit import DEFAULT_CONNECTIONS, fit_fd_limit
from .runner import gc_tuned, released, run_events


@dataclass(frozen=True, slots=True)
class RunSettings:
    command: str
    provider: str = "aliyun"
    targets: tuple[TargetSpec, ...] = ()   # empty: the built-in receiver, started in-process
    auth_key: str | None = None            # signs for (and is checked by) the built-in receiver
    policy: DeliveryPolicy = DeliveryPolicy()
    concurrency: int = DEFAULT_CONNECTIONS  # the connection limit (simultaneous attempts)
    tls: TLSOptions = TLSOptions()
    seed: int | None = None
    start_time: datetime | None = None
    report_path: str | None = None
    junit_path: str | None = None
    journal_path: str | None = None
    receiver: builtin.ReceiverConfig | None = None   # config of the built-in receiver
    faults: FaultPlan = FaultPlan()                  # what the chaos stage was told to do (for the report)
    mns_body: str | None = None                      # raw | base64 for mns:// targets (None: the URL's own)
    sign_placement: str = "body"                     # Tencent Sign/T: body | query | headers
    accept_2xx: bool = False                         # success = any 2xx instead of 200 only
    custom_targets: tuple[Any, ...] = ()             # ready-made targets (e.g. serve's Tencent queue)
    extra: dict[str, Any] = field(default_factory=dict)  # more facts for the report's "run"
    load: RateRamp | None = None                     # a load profile: per-step figures in the report

    def check(self) -> None:
        for spec in self.targets:
            try:
                check_target_url(spec.url)
            except ValueError as exc:
                raise InputError(str(exc)) from None
        if self.concurrency < 1:
            raise InputError("--concurrency must be at least 1")
        if self.tls.ca_bundle:
            try:
                self.tls.context()
            except (ssl.SSLError, OSError, ValueError) as exc:
                reason = getattr(exc, "strerror", None) or getattr(exc, "reason", None) or str(exc)
                raise InputError(f"--ca-bundle {self.tls.ca_bundle}: not a usable PEM CA bundle ({reason})") from None
        for option, path in (("--report", self.report_path), ("--junit", self.junit_path),
                             ("--journal", self.journal_path)):
            if path:
                prepare_output(option, path)


def prepare_output(option: str, path: str) -> None:
    """Create the parent folders of an output file and make sure it can be written, before the
    first event leaves (not after the run, when it is too late)."""
    target = Path(path)
    if target.is_dir():
        raise InputError(f"{option} {path}: is a directory")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{option} {path}: cannot create its directory: {exc.strerror or exc}") from None
    try:
        existed = target.exists()
        with open(target, "a", encoding="utf-8"):
            pass
        if not existed:
            target.unlink()
    except OSError as exc:
        raise InputError(f"{option} {path}: cannot write there: {exc.strerror or exc}") from None


@dataclass
class RunResult:
    journal: Journal
    report: dict[str, Any]          # event bodies as raw JSON (orjson.Fragment): write with report.dumps
    target_urls: list[str]
    receiver_state: builtin.ReceiverState | None
    duration_s: float

    @property
    def ok(self) -> bool:
        """Every event went as expected (by default: delivered)."""
        return self.journal.counters.unexpected == 0


def event_loop_factory():
    """uvloop when installed (the ``fast`` extra) unless VOD_EMULATOR_LOOP=asyncio; else asyncio's."""
    if os.environ.get("VOD_EMULATOR_LOOP", "uvloop") != "asyncio":
        try:
            import uvloop
        except ImportError:
            return None
        return uvloop.new_event_loop
    return None


def run_loop(coro):
    """Run one delivery to the end on the best event loop available."""
    with asyncio.Runner(loop_factory=event_loop_factory()) as runner:
        return runner.run(coro)


async def run_timed(settings: RunSettings, timed: Iterable[tuple[float, Event]], plan: FaultPlan = FaultPlan(),
                    *, numbered: bool = False, **callbacks: Any) -> RunResult:
    """Apply ``plan``'s faults to a timeline of (seconds, Event), release the events on it,
    deliver them.  ``numbered``: the events already carry their dispatch order (a replay)."""
    settings = dataclasses.replace(settings, faults=plan)
    if not numbered:
        timed = chaos.apply(timed, plan, settings.seed) if plan else chaos.number(timed)
    return await execute(settings, released(timed, Clock(settings.policy.time_scale)), **callbacks)


async def execute(settings: RunSettings, source: Iterable[Event] | AsyncIterable[Event], *,
                  on_result: Callable[[EventResult], None] | None = None,
                  on_receive: Callable[[builtin.Received], None] | None = None,
                  on_ready: Callable[[list[str]], None] | None = None,
                  on_attempt: OnAttempt | None = None,
                  stop: asyncio.Event | None = None) -> RunResult:
    """Deliver ``source``; ``stop`` set (a signal): stop releasing, short grace, a partial report."""
    settings.check()
    clock = Clock(settings.policy.time_scale)
    keep = bool(settings.report_path or settings.junit_path or settings.faults or settings.extra.get("keep_results"))
    async with AsyncExitStack() as stack:
        sink = open(settings.journal_path, "wb") if settings.journal_path else None   # UTF-8 JSON lines
        if sink is not None:
            stack.callback(sink.close)
        journal = Journal(keep=keep, sink=sink, on_result=on_result,
                          on_dispatch=EntriesAsTheyFinish(raw_body=True) if keep else None,
                          load=LoadStats(settings.load, settings.policy.timeout) if settings.load else None)
        state = None
        specs = list(settings.targets)
        if not specs and not settings.custom_targets:
            app = builtin.create_app(settings.receiver or builtin.ReceiverConfig(auth_key=settings.auth_key),
                                     on_receive=on_receive, keep=False)
            runner, url = await builtin.start(app)
            stack.push_async_callback(runner.cleanup)
            state = app[builtin.STATE]
            specs = [TargetSpec(url, settings.auth_key)]
        urls = [mask_url(s.url) for s in specs]     # mns://ID:SECRET@ is never printed
        if on_ready is not None:
            on_ready(urls)
        # Each connection costs a descriptor; two when the receiver is in this process too.
        limit = fit_fd_limit(settings.concurrency, 2 if state is not None else 1)
        targets = [make_target(s, clock=clock, tls=settings.tls, pool_size=limit,
                               mns_body=settings.mns_body, provider=settings.provider,
                               sign_placement=settings.sign_placement, accept_2xx=settings.accept_2xx)
                   for s in specs] + list(settings.custom_targets)
        started = time.time()
        t0 = clock.monotonic()
        await run_events(source, targets, settings.policy, clock, journal, concurrency=limit, stop=stop,
                         on_attempt=on_attempt)
        duration = clock.monotonic() - t0
    run = {
        "command": settings.command,
        "provider": settings.provider,
        "seed": settings.seed,
        "start_time": settings.start_time.strftime("%Y-%m-%dT%H:%M:%SZ") if settings.start_time else None,
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "duration_s": round(duration, 3),
        "concurrency": settings.concurrency,
        "connection_limit": journal.timing.connection_limit,
        "event_loop": type(asyncio.get_running_loop()).__module__.split(".")[0],
        "builtin_receiver": not settings.targets,
        **{k: v for k, v in settings.extra.items() if k != "keep_results"},
    }
    if stop is not None and stop.is_set():
        run["interrupted"] = True          # partial: the events not released are not in it
    with gc_tuned():    # the report makes ~20 objects an event, none of them cyclic
        report = build_report(journal, run=run, policy=settings.policy.describe(), raw_bodies=True,
                              targets=[t.describe() for t in targets], faults=settings.faults.describe())
        if state is not None:
            report["run"]["builtin_receiver_config"] = state.config.describe()
        if settings.report_path:
            write_json(report, settings.report_path)
        if settings.junit_path:
            write_junit(journal, settings.junit_path, duration_s=duration,
                        interrupted=bool(run.get("interrupted")))
    return RunResult(journal=journal, report=report, target_urls=urls, receiver_state=state, duration_s=duration)
