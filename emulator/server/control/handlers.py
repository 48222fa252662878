"""The ``/_emulator/`` control API (JSON): health, reset, queue inspection, callback
configuration, and runs — trigger an event or a scenario through the server, which routes
the events by its callback configuration, like the service does.

Errors are ``{"error": {"code": …, "message": …}}`` with a 4xx status; never a traceback.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from aiohttp import web

from emulator import __version__
from emulator.providers.aliyun.factory import parse_value
from emulator.delivery.policy import DeliveryPolicy
from ..tencent_api.delivery import route as tencent_route
from emulator.run.faults import parse_chaos
from emulator.providers import profile
from ..mns.store import QueueStore
from emulator.run.report import dumps
from emulator.run.session import RunSettings, run_timed
from emulator.run.sources import trigger_timeline
from ..shared.callbacks import CallbackStore
from ..shared.feed import feed_of
from ..shared.media import to_doc
from .scenarios import load_allowed
from .runs import RUNS_KEPT, Run, Runs
from .wire import STORAGE_LOG, ApiError, body_json, errors, json_only, number
from ..shared.storage_faults import Once

log = logging.getLogger(__name__)


@dataclass
class ServerState:
    store: QueueStore
    callbacks: CallbackStore
    access_key_id: str
    access_key_secret: str
    tencent: Any = None                        # tencent.api.EventStore (Mode PULL queue + event config)
    vod: Any = None                            # vod_api.VodBackend (the VOD OpenAPI's state)
    tencent_vod: Any = None                    # tencent_api.vod.TencentVod (its media actions, COS)
    base_url: str = ""                         # set once listening
    scenario_dirs: tuple[Any, ...] = ()         # where POST /run's "path" may point, besides the shipped ones
    started: float = field(default_factory=time.monotonic)
    runs: Runs = field(default_factory=Runs)

    def close(self) -> None:
        """Close the stores (after the runner is cleaned up)."""
        self.store.close()
        if self.tencent is not None:
            self.tencent.close()
        if self.vod is not None:
            self.vod.close()


STATE = web.AppKey("server_state", ServerState)


routes = web.RouteTableDef()


@routes.get("/health")
async def health(request: web.Request) -> web.Response:
    st = request.app[STATE]
    return web.json_response({"status": "ok", "version": __version__, "uptime_s": round(time.monotonic() - st.started, 3),
                              "queues": len(st.store.list_queues(limit=1000).names), "runs": len(st.runs),
                              "running": st.runs.running()})


@routes.post("/reset")
async def reset(request: web.Request) -> web.Response:
    """Delete queues and messages, Tencent events to pull, runs, the media library (both providers)
    with its jobs, flows and uploaded objects (OSS, COS); callback and event settings stay."""
    st = request.app[STATE]
    names = _all_queues(st.store)
    for name in names:
        st.store.delete_queue(name)
    await st.runs.close()
    st.runs.items.clear()
    dropped = st.tencent.clear_events() if st.tencent is not None else 0
    media = await st.vod.reset() if st.vod is not None else {}
    cos = await st.tencent_vod.reset() if st.tencent_vod is not None else {}
    return web.json_response({"deleted_queues": names, "deleted_tencent_events": dropped, **media, **cos})


def _all_queues(store: QueueStore) -> list[str]:
    names, marker = [], ""
    while True:
        page = store.list_queues(marker=marker, limit=1000)
        names += page.names
        if not page.next_marker:
            return names
        marker = page.next_marker


@routes.get("/queues")
async def queues(request: web.Request) -> web.Response:
    st = request.app[STATE]
    return web.json_response([_queue_info(st.store, n) for n in _all_queues(st.store)])


def _queue_info(store: QueueStore, name: str) -> dict[str, Any]:
    info = store.get_queue_attributes(name)
    return {"name": info.name, "active": info.active, "inflight": info.inactive, "delayed": info.delayed,
            "attributes": {k: getattr(info.attributes, k) for k in info.attributes.__slots__}}


@routes.put("/queues/{name}")
async def queue_create(request: web.Request) -> web.Response:
    """Create a queue (body: optional JSON of MNS attributes, e.g. {"VisibilityTimeout": 30})."""
    st = request.app[STATE]
    attrs = await body_json(request)
    name = request.match_info["name"]
    created = st.store.create_queue(name, attrs or None)
    return web.json_response({"created": created, **_queue_info(st.store, name)}, status=201 if created else 200)


@routes.get("/queues/{name}/messages")
async def messages(request: web.Request) -> web.Response:
    """Peek at visible messages (no state change), with their bodies decoded when they are JSON."""
    st = request.app[STATE]
    name = request.match_info["name"]
    info = _queue_info(st.store, name)
    peeked = st.store.peek(name, 16)
    out = []
    for m in peeked:
        entry = {k: getattr(m, k) for k in m.__slots__ if k not in ("receipt_handle",)}
        try:
            entry["event"] = json.loads(m.body)
        except (ValueError, TypeError):
            pass
        out.append(entry)
    return web.json_response({"queue": info, "visible": out}, dumps=lambda d: json.dumps(d, default=str))


@routes.get("/media")
async def media_list(request: web.Request) -> web.Response:
    """The VOD media library, newest first (``?provider=aliyun``)."""
    vod = request.app[STATE].vod
    provider = request.query.get("provider")
    return web.json_response([to_doc(m) for m in vod.library.list(provider)])


@routes.get("/media/{media_id}")
async def media_one(request: web.Request) -> web.Response:
    """One media with its streams and jobs."""
    lib = request.app[STATE].vod.library
    media = lib.get(request.match_info["media_id"])
    if media is None:
        raise ApiError(404, "MediaNotFound", f"no media {request.match_info['media_id'][:64]!r} in the library")
    return web.json_response({**to_doc(media), "streams": [to_doc(s) for s in lib.streams(media.media_id)],
                              "jobs": [to_doc(j) for j in lib.jobs(media.media_id)]})


@routes.get("/jobs")
async def jobs_list(request: web.Request) -> web.Response:
    """Every processing job (transcode, snapshot, audit…), oldest first (``?media_id=``)."""
    lib = request.app[STATE].vod.library
    return web.json_response([to_doc(j) for j in lib.jobs(request.query.get("media_id"))])


@routes.get("/callbacks")
async def callbacks_all(request: web.Request) -> web.Response:
    st = request.app[STATE]
    return web.json_response({region: c.to_api(region) for region, c in st.callbacks.all().items()})


@routes.get("/callbacks/{region}")
async def callback_get(request: web.Request) -> web.Response:
    region = request.match_info["region"]
    config = request.app[STATE].callbacks.get(region)
    if config is None:
        raise ApiError(404, "CallbackNotConfigured", f"no callback is configured for region {region!r}")
    return web.json_response({"MessageCallback": config.to_api(region)})


@routes.put("/callbacks/{region}")
async def callback_set(request: web.Request) -> web.Response:
    region = request.match_info["region"]
    config = request.app[STATE].callbacks.set(region, await body_json(request))
    return web.json_response({"MessageCallback": config.to_api(region)})


@routes.delete("/callbacks/{region}")
async def callback_delete(request: web.Request) -> web.Response:
    region = request.match_info["region"]
    if not request.app[STATE].callbacks.delete(region):
        raise ApiError(404, "CallbackNotConfigured", f"no callback is configured for region {region!r}")
    return web.json_response({"deleted": region})


@routes.post("/trigger")
async def trigger(request: web.Request) -> web.Response:
    """{"event_type", "count", "status", "set": {"Field": value} | ["Field=value"], "seed", "region",
    "start_time", "extend", "preset", "vary", "time_scale", "timeout", "chaos"} → routed by the region's callback."""
    doc = await body_json(request)
    provider = str(doc.get("provider", "aliyun"))
    region = str(doc.get("region") or profile(provider).default_region)
    seed = number(doc, "seed", 1, minimum=-2**63, integer=True)
    start = _start(doc.get("start_time"))
    count = number(doc, "count", 1, minimum=1, integer=True, maximum=request.app[STATE].runs.limits.max_events)
    timed = trigger_timeline(str(doc.get("event_type", "")), count=count, seed=seed,
                             start=start, region=region, ok=doc.get("status", "success") == "success",
                             extend=doc.get("extend"), overrides=_overrides(doc.get("set", {})), provider=provider,
                             preset=str(doc["preset"]) if doc.get("preset") else None, vary=doc.get("vary") is True)
    return await _route_and_run(request, doc, timed, region, seed, start, {"command": "trigger"},
                                provider=provider)


@routes.post("/run")
async def run(request: web.Request) -> web.Response:
    """{"scenario": "<YAML text>"} (or {"path": "file on the server"}), plus "seed", "start_time",
    "time_scale", "timeout", "chaos", "preset", "vary" → the scenario's events, routed by its region's callback."""
    from emulator.scenario.loader import loads
    from emulator.scenario.timeline import Timeline
    doc = await body_json(request)
    st = request.app[STATE]
    if "scenario" in doc:
        scenario = loads(str(doc["scenario"]), name=str(doc.get("name", "scenario"))[:100], env={})
    elif "path" in doc:
        scenario = load_allowed(str(doc["path"]), st.scenario_dirs)
    else:
        raise ApiError(400, "MissingParameter", "give \"scenario\" (YAML text) or \"path\"")
    if scenario.event_count > st.runs.limits.max_events:
        raise ApiError(400, "InvalidParameter", f"the scenario has {scenario.event_count} events; this server "
                                                f"runs at most {st.runs.limits.max_events} (the operator's cap)")
    seed = number(doc, "seed", 1, minimum=-2**63, integer=True) if "seed" in doc else scenario.seed or 1
    start = _start(doc.get("start_time")) if doc.get("start_time") else scenario.start_time or _start(None)
    timeline = Timeline(scenario, seed=seed, start_time=start, preset=str(doc["preset"]) if doc.get("preset") else None,
                        vary=True if doc.get("vary") is True else None)
    timeline.dry_run()
    # Built in this process, never a forked worker (run.workers): a child would hold the server's sockets.
    extra = {"command": "run", "scenario": scenario.name}
    return await _route_and_run(request, doc, iter(timeline), scenario.region, seed, start, extra,
                                plan=scenario.faults, provider=scenario.provider)


def _tencent_route(st: ServerState, doc: dict[str, Any]) -> tuple[Any, tuple, tuple, dict[str, Any]]:
    """Where a Tencent event goes: PUSH to NotificationUrl (signed with SignKey), PULL into the queue."""
    found = tencent_route(st.tencent, doc.get("sub_app_id"))
    if found is None:
        raise ApiError(409, "CallbackNotConfigured", "Mode is PUSH but no NotificationUrl is set: "
                                                     "call ModifyEventConfig first")
    return found.selects, found.targets, found.custom, found.described


def _overrides(value: Any) -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return list(value.items())
    if isinstance(value, list):
        out = []
        for item in value:
            name, sep, text = str(item).partition("=")
            if not sep:
                raise ApiError(400, "InvalidParameter", f"set: expected Field=value, got {item!r}")
            out.append((name, parse_value(text)))
        return out
    raise ApiError(400, "InvalidParameter", "set: expected an object or a list of Field=value")


def _start(value: Any) -> datetime:
    if value is None:
        return datetime.now(timezone.utc).replace(microsecond=0)
    try:
        dt = datetime.fromisoformat(str(value))
    except ValueError:
        raise ApiError(400, "InvalidParameter", f"start_time: not an ISO-8601 time: {value!r}") from None
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


async def _route_and_run(request: web.Request, doc: dict[str, Any], timed: Any, region: str, seed: int,
                         start: datetime, extra: dict[str, Any], plan: Any = None,
                         provider: str = "aliyun") -> web.Response:
    st = request.app[STATE]
    auth: tuple[str, str] | None = None        # an HTTP callback's URL and AuthKey: the feed shows the headers
    if provider == "tencent":
        selects, targets, custom, described = _tencent_route(st, doc)
    else:
        config = st.callbacks.get(region)
        if config is None:
            raise ApiError(409, "CallbackNotConfigured",
                           f"no callback is configured for region {region!r}: PUT /_emulator/callbacks/{region} first")
        selects, custom, described = config.selects, (), config.to_api(region)
        targets = (config.target(st.base_url, st.access_key_id, st.access_key_secret),)
        if config.callback_type == "HTTP" and config.auth_key:
            auth = (config.callback_url or "", config.auth_key)
    skipped: dict[str, int] = {}

    def selected() -> Any:
        for when, event in timed:
            if selects(event.event_type):
                yield when, event
            else:
                skipped[event.event_type] = skipped.get(event.event_type, 0) + 1

    policy = DeliveryPolicy(timeout=number(doc, "timeout", 5.0, above=True),
                            time_scale=number(doc, "time_scale", 1.0))
    settings = RunSettings(command=extra["command"], provider=provider, targets=targets, custom_targets=custom,
                           policy=policy, seed=seed, start_time=start,
                           concurrency=number(doc, "concurrency", 16, minimum=1, maximum=256, integer=True),
                           extra={**extra, "region": region, "callback": described, "keep_results": True})
    chaos = parse_chaos(str(doc.get("chaos", "")))
    wait = doc.get("wait", True)
    if not isinstance(wait, bool):
        raise ApiError(400, "InvalidParameter", "wait: expected true or false")

    async def job() -> tuple[dict[str, Any], dict[str, Any]]:
        hook = feed_of(request).hook(run_id=lambda: run.run_id, region=region, max_attempts=policy.max_attempts,
                                     auth=auth)
        result = await run_timed(settings, selected(), (plan + chaos) if plan else chaos, on_attempt=hook)
        report = result.report
        report["run"]["not_selected"] = skipped
        return {"ok": result.ok, "summary": report["summary"], "verdicts": report["verdicts"],
                "not_selected": skipped}, report

    run = st.runs.start(extra["command"], job)
    if not wait:
        return web.json_response(_started(run), status=202)
    await asyncio.wait({run.task})      # the run goes on if this request goes away
    if run.status != "done":
        raise ApiError(409 if run.status == "cancelled" else 500 if run.error is None else 400,
                       "RunCancelled" if run.status == "cancelled" else "RunFailed",
                       f"{run.run_id}: {run.error or run.status}")
    return web.json_response({"run_id": run.run_id, **(run.answer or {}),
                              "report": f"/_emulator/runs/{run.run_id}/report"})


def _started(run: Run) -> dict[str, Any]:
    return {"run_id": run.run_id, "status": run.status, "status_url": f"/_emulator/runs/{run.run_id}",
            "report": f"/_emulator/runs/{run.run_id}/report"}


@routes.get("/runs")
async def runs(request: web.Request) -> web.Response:
    return web.json_response([r.describe() for r in request.app[STATE].runs.items.values()])


@routes.get("/runs/{run_id}")
async def run_status(request: web.Request) -> web.Response:
    return web.json_response(request.app[STATE].runs.get(request.match_info["run_id"]).describe())


@routes.delete("/runs/{run_id}")
async def run_cancel(request: web.Request) -> web.Response:
    st = request.app[STATE]
    run = st.runs.cancel(request.match_info["run_id"])
    if run.task is not None:
        await asyncio.wait({run.task})
    return web.json_response(run.describe())


@routes.post("/runs/{run_id}/events/{event_id}/resend")
async def resend(request: web.Request) -> web.Response:
    """Deliver one event of an earlier run again — the same body — by its region's callback
    configuration as it is now (body: optional "time_scale", "timeout")."""
    from emulator.run.replay import dispatches
    st = request.app[STATE]
    report = st.runs.get(request.match_info["run_id"]).report
    event_id = request.match_info["event_id"]
    if report is None or not any(e["event_id"] == event_id for e in report.get("events", [])):
        raise ApiError(404, "EventNotFound", f"no event {event_id!r} in run {request.match_info['run_id']!r}")
    doc = await body_json(request)
    original = next(ev for _, ev in dispatches({**report, "dispatches": [
        {"dispatch": 1, "at_s": 0.0, "event_id": event_id, "copy": 1, "dropped": False, "faults": []}]}))
    run = report["run"]
    start = _start(run.get("start_time")) if run.get("start_time") else _start(None)
    return await _route_and_run(request, doc, iter([(0.0, original)]), str(run.get("region") or "cn-shanghai"),
                                int(run.get("seed") or 1), start,
                                {"command": "resend", "resend_of": f"{request.match_info['run_id']}/{event_id}"},
                                provider=original.provider)


@routes.get("/runs/{run_id}/report")
async def run_report(request: web.Request) -> web.Response:
    run = request.app[STATE].runs.get(request.match_info["run_id"])
    if run.report is None:
        raise ApiError(404 if run.status != "running" else 409, "ReportNotReady" if run.status == "running"
                       else "NoReport", f"{run.run_id} is {run.status}: no report"
                       + (" yet" if run.status == "running" else "") + f" (the last {RUNS_KEPT} runs are kept)")
    return web.json_response(run.report, dumps=lambda doc: dumps(doc).decode())


def create_control_app(state: ServerState) -> web.Application:
    app = web.Application(middlewares=[errors, json_only], client_max_size=4 * 1024 * 1024)
    app[STATE] = state
    app[STORAGE_LOG] = Once("control API")
    app.add_routes(routes)

    async def stop_runs(_: web.Application) -> None:
        await state.runs.close()
        if state.vod is not None:
            await state.vod.cancel_all()
    app.on_shutdown.append(stop_runs)
    return app
