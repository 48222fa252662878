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
from .mns.app import create_app as create_mns_app
from .mns.errors import MnsError, QueueAlreadyExist
from .mns.store import QueueStore
from .tencent_api import ApiSettings, EventStore
from .tencent_api import app as tencent_app
from .tencent_api import tc3
from . import vod_api
from .vod_api.auth import Keys, NonceCache
from .routing import router
from .shared.callbacks import CallbackStore
from .control.handlers import ServerState, create_control_app

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


def load_config(path: Path) -> dict[str, Any]:
    """The config file: ``callbacks: {region: {SetMessageCallback fields}}``, ``queues: [{name, …attributes}]``."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise InputError(f"{path}: cannot read the config file: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(doc, dict) or set(doc) - {"callbacks", "queues"}:
        raise InputError(f"{path}: expected top-level keys 'callbacks' and/or 'queues'")
    return doc


def create_server(config: ServeConfig) -> tuple[web.Application, ServerState]:
    store = QueueStore.in_dir(config.data_dir) if config.data_dir else QueueStore()
    store.open()
    callbacks = CallbackStore(config.data_dir / "callbacks.json" if config.data_dir else None)
    if config.config_file is not None:
        doc = load_config(config.config_file)
        for region, raw in (doc.get("callbacks") or {}).items():
            callbacks.set(str(region), raw)
        for q in doc.get("queues") or []:
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
    state = ServerState(store=store, callbacks=callbacks, access_key_id=config.access_key_id,
                        access_key_secret=config.access_key_secret, tencent=tencent,
                        vod=vod_api.VodBackend(callbacks))
    app = create_mns_app(store, access_key_id=config.access_key_id, access_key_secret=config.access_key_secret)
    tencent_app.install(app, tencent, ApiSettings(config.secret_id, config.secret_key))
    vod_api.install(app, state.vod, Keys({config.access_key_id: config.access_key_secret}, NonceCache()))
    app.middlewares.append(router({"vod": vod_api.handle, "tencent": tencent_app.handle}))
    app.add_subapp("/_emulator/", create_control_app(state))
    return app, state


async def start(config: ServeConfig, host: str = "127.0.0.1", port: int = 0) -> tuple[web.AppRunner, ServerState, str]:
    app, state = create_server(config)
    runner = web.AppRunner(app, access_log=None, keepalive_timeout=KEEPALIVE_TIMEOUT, shutdown_timeout=1.0)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    bound_host, bound_port = runner.addresses[0][:2]
    url = f"http://{bound_host}:{bound_port}"
    state.base_url = url
    state.vod.base_url = url
    return runner, state, url
