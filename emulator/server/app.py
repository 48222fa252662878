"""One port, every face: the MNS queue API (``/queues…``), the Tencent API 3.0, the VOD
OpenAPI, the OSS stand-in and ``/_emulator/``; ``routing`` decides which gets a request."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from aiohttp import web

from ..errors import InputError
from .mns import auth
from .mns.app import create_app as create_mns_app, error_reply, request_id, respond
from .mns.errors import AccessDenied, MnsError, QueueAlreadyExist
from .mns.model import ATTRIBUTE_NAMES
from .mns.store import QueueStore
from .tencent_api import ApiSettings, EventStore
from .tencent_api import app as tencent_app
from .tencent_api import tc3
from .tencent_api.app import render as tencent_render
from .tencent_api.errors import UnauthorizedOperation
from . import cos
from . import oss as oss_face
from . import vod_api
from .cos import wire as cos_wire
from .cos.errors import AccessDenied as CosAccessDenied
from .shared.media_store import MediaLibrary
from .tencent_api.app import TENCENT_VOD
from .tencent_api.delivery import Dispatcher
from .tencent_api.vod import TencentVod
from .vod_api.setup import create_backend
from .vod_api import wire as vod_wire
from .vod_api.auth import Keys, NonceCache
from .vod_api.errors import ForbiddenRAM
from .routing import face_of, router
from .shared.callbacks import CallbackStore
from .shared.hostrules import HostRules, host_guard
from .shared.feed import FEED, DeliveryFeed
from .shared.httplog import OneLineLogger, api_log
from . import ui
from .control.handlers import ServerState, create_control_app
from .control.runs import RunLimits, Runs
from .control.wire import error as control_error
from ..errors import did_you_mean

KEEPALIVE_TIMEOUT = 3600.0   # the MNS SDK keeps one connection for long


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "vod-emulator"


@dataclass(frozen=True, slots=True)
class ServeConfig:
    data_dir: Path | None              # None: in memory
    access_key_id: str = auth.DEFAULT_ACCESS_KEY_ID
    access_key_secret: str = auth.DEFAULT_ACCESS_KEY_SECRET
    config_file: Path | None = None
    secret_id: str = tc3.DEFAULT_SECRET_ID         # Tencent API 3.0 (PullEvents…) credentials
    secret_key: str = tc3.DEFAULT_SECRET_KEY
    tencent_time_scale: float = 1.0                # scales PullEvents' 5 s hold and the 30 s confirm window
    allow_hosts: tuple[str, ...] = ()              # Host/Origin names accepted besides loopback ("*": any)
    scenario_dirs: tuple[Path, ...] = ()           # where POST /_emulator/run's "path" may point
    run_limits: RunLimits = RunLimits()            # control-API runs at once, events per run
    vod_time_scale: float | None = None            # VOD processing times and waits (None: the config file's, or 1)


def load_config(path: Path) -> dict[str, Any]:
    """The config file: ``callbacks: {region: {SetMessageCallback fields}}``, ``queues: [{name, …attributes}]``."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise InputError(f"{path}: cannot read the config file: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(doc, dict) or set(doc) - {"callbacks", "queues", "vod"}:
        raise InputError(f"{path}: expected top-level keys 'callbacks', 'queues' and/or 'vod'")
    return doc


def create_server(config: ServeConfig) -> tuple[web.Application, ServerState]:
    store = QueueStore.in_dir(config.data_dir) if config.data_dir else QueueStore()
    store.open()
    callbacks = CallbackStore(config.data_dir / "callbacks.json" if config.data_dir else None)
    doc: dict[str, Any] = {}
    if config.config_file is not None:
        doc = load_config(config.config_file)
        for region, raw in (doc.get("callbacks") or {}).items():
            callbacks.set(str(region), raw)
        for i, q in enumerate(doc.get("queues") or []):
            where = f"{config.config_file}: queues[{i}]"
            if not isinstance(q, dict) or not q.get("name"):
                raise InputError(f"{where}: expected a mapping with 'name' and queue attributes")
            for key in q:
                if key != "name" and key not in ATTRIBUTE_NAMES:
                    raise InputError(f"{where}: unknown queue attribute {str(key)!r}"
                                     f"{did_you_mean(str(key), ATTRIBUTE_NAMES)}")
            attrs = {k: v for k, v in q.items() if k != "name"}
            try:
                try:
                    store.create_queue(str(q["name"]), attrs or None)
                except QueueAlreadyExist:   # kept from an earlier start: apply the file's attributes
                    store.set_queue_attributes(str(q["name"]), attrs)
            except MnsError as exc:
                raise InputError(f"{config.config_file}: queue {q.get('name')!r}: {exc.code}: {exc.message}") from None
    scale = config.tencent_time_scale
    tencent = EventStore.in_dir(config.data_dir, time_scale=scale) if config.data_dir else EventStore(time_scale=scale)
    tencent.open()
    vod, oss = create_backend(doc.get("vod"), f"{config.config_file}: vod", config.data_dir, callbacks,
                              config.access_key_id, config.access_key_secret, config.vod_time_scale)
    state = ServerState(store=store, callbacks=callbacks, access_key_id=config.access_key_id,
                        access_key_secret=config.access_key_secret, tencent=tencent,
                        scenario_dirs=tuple(config.scenario_dirs), runs=Runs(config.run_limits),
                        vod=vod)
    app = create_mns_app(store, access_key_id=config.access_key_id, access_key_secret=config.access_key_secret)
    tencent_app.install(app, tencent, ApiSettings(config.secret_id, config.secret_key))
    vod_api.install(app, state.vod, Keys({config.access_key_id: config.access_key_secret}, NonceCache()))
    vod.record = state.runs.record
    oss_face.install(app, oss)
    state.tencent_vod = install_tencent_media(app, config, tencent, vod.library)
    app.middlewares.append(router({"vod": vod_api.handle, "tencent": tencent_app.handle, "oss": oss_face.handle,
                                   "cos": cos.handle}))
    app.middlewares.insert(0, host_guard(HostRules.of(config.allow_hosts), deny))
    feed = app[FEED] = DeliveryFeed()

    async def close_feed(_: web.Application) -> None:   # open inspector pages must not hold up a stop
        feed.close()
    app.on_shutdown.append(close_feed)
    app.middlewares.insert(1, api_log)
    control = create_control_app(state)
    ui.install(control)
    app.add_subapp("/_emulator/", control)
    return app, state


def install_tencent_media(app: web.Application, config: ServeConfig, events: EventStore,
                          library: MediaLibrary) -> TencentVod:
    """The Tencent media actions (ApplyUpload … DescribeTaskDetail) and the COS stand-in they
    upload to, on serve's one media library (shared with the Alibaba VOD face; records carry
    their provider) and a ``cos/`` object folder in the data dir."""
    objects = cos.ObjectStore(config.data_dir / "cos" if config.data_dir else None)
    dispatcher = Dispatcher(events, time_scale=config.tencent_time_scale)
    vod = TencentVod(library, objects, dispatcher, time_scale=config.tencent_time_scale)
    app[TENCENT_VOD] = vod

    def keys(secret_id: str) -> tuple[str, str | None] | None:
        if secret_id == config.secret_id:
            return config.secret_key, None
        return vod.temp_key(secret_id)

    cos.install(app, objects, keys)

    async def stop_deliveries(_: web.Application) -> None:
        await dispatcher.close()

    app.on_shutdown.append(stop_deliveries)
    return vod


def deny(request: web.Request, reason: str) -> web.StreamResponse:
    """A refused Host/Origin, answered in the format of the face the request was for."""
    face = face_of(request)
    if face == "control":
        return control_error(403, "HostNotAllowed" if reason.startswith("Host") else "OriginNotAllowed", reason)
    if face == "tencent":
        return tencent_render(request_id(), error=UnauthorizedOperation(reason))
    if face == "vod":
        return vod_wire.error(vod_wire.request_id(), ForbiddenRAM(reason), "")
    if face == "oss":
        from .oss import wire as oss_wire
        from .oss.errors import AccessDenied as OssAccessDenied
        return oss_wire.error(OssAccessDenied(reason), oss_wire.request_id(), "", request.method)
    if face == "cos":
        return cos_wire.error(cos_wire.request_id(), CosAccessDenied(reason), request.headers.get("Host", ""))
    req_id = request_id()
    return respond(error_reply(AccessDenied(reason), req_id, "http://127.0.0.1"), req_id)


async def start(config: ServeConfig, host: str = "127.0.0.1", port: int = 0) -> tuple[web.AppRunner, ServerState, str]:
    app, state = create_server(config)
    runner = web.AppRunner(app, access_log=None, keepalive_timeout=KEEPALIVE_TIMEOUT, shutdown_timeout=1.0,
                           logger=OneLineLogger())
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    bound_host, bound_port = runner.addresses[0][:2]
    url = f"http://{bound_host}:{bound_port}"
    state.base_url = url
    state.vod.base_url = url
    return runner, state, url
