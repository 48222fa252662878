"""Where a Tencent event goes, by the app's event configuration (ModifyEventConfig), and
sending it there: PUSH to NotificationUrl (signed with SignKey) with the delivery rules, PULL
into this server's PullEvents queue.  Used by the control API's trigger/run and by the VOD
actions (CommitUpload, ProcessMedia, …), so both route exactly alike."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from emulator.delivery.http import TargetSpec
from emulator.delivery.policy import DeliveryPolicy
from emulator.delivery.tencent_queue import TencentQueueTarget
from emulator.events import Event
from emulator.run.session import RunSettings, run_timed

from .store import EventStore

log = logging.getLogger(__name__)

# Tencent's event switches (ModifyEventConfig); events without a switch are always sent.
SWITCHES = {"NewFileUpload": "UploadMediaCompleteEventSwitch", "FileDeleted": "DeleteMediaCompleteEventSwitch",
            "PersistenceComplete": "PersistenceCompleteEventSwitch"}


@dataclass(frozen=True, slots=True)
class Route:
    selects: Callable[[str], bool]
    targets: tuple[TargetSpec, ...]        # PUSH
    custom: tuple[Any, ...]                # PULL: the queue
    described: dict[str, Any]


def route(store: EventStore, sub_app_id: int | None) -> Route | None:
    """The app's route now; None when Mode is PUSH and no NotificationUrl is set (nowhere to send)."""
    config = store.config(sub_app_id)

    def selects(event_type: str) -> bool:
        switch = SWITCHES.get(event_type)
        return switch is None or getattr(config, switch) == "ON"

    described = {"SubAppId": sub_app_id, **config.describe()}
    if config.Mode == "PULL":
        return Route(selects, (), (TencentQueueTarget(store, sub_app_id),), described)
    if not config.NotificationUrl:
        return None
    return Route(selects, (TargetSpec(config.NotificationUrl, config.SignKey or None),), (), described)


class Dispatcher:
    """Sends the events the VOD actions cause, each at its time, in the background."""

    def __init__(self, store: EventStore, time_scale: float = 1.0) -> None:
        self.store = store
        self.time_scale = time_scale
        self._tasks: set[asyncio.Task] = set()

    def send(self, sub_app_id: int | None, timed: Iterable[tuple[float, Event]]) -> int:
        """Route ``timed`` (seconds from now, event) by the app's configuration as it is now;
        returns how many events will go (switched-off types and an unset PUSH URL send none)."""
        found = route(self.store, sub_app_id)
        chosen = [(when, e) for when, e in timed if found is not None and found.selects(e.event_type)]
        if not chosen or found is None:
            return 0
        settings = RunSettings(command="tencent-api", provider="tencent", targets=found.targets,
                               custom_targets=found.custom, policy=DeliveryPolicy(time_scale=self.time_scale),
                               extra={"callback": found.described})
        task = asyncio.get_running_loop().create_task(self._run(settings, chosen))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return len(chosen)

    async def _run(self, settings: RunSettings, chosen: list[tuple[float, Event]]) -> None:
        try:
            await run_timed(settings, chosen)
        except Exception:   # one failed batch must not take the server down; the log says why
            log.exception("delivering %d Tencent event(s) failed", len(chosen))

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def drain(self) -> None:
        """Wait until every batch sent so far is delivered (tests)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
