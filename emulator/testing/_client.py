"""Clients of a running emulator's control API (``/_emulator/``): one blocking, one async.

Both speak the same JSON; ``EmulatorClient`` uses only the standard library (so it works in
any test, with or without an event loop), ``AsyncEmulatorClient`` uses aiohttp (so an async
test's own receiver keeps answering while a trigger is delivered).
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ._report import RunReport

DEFAULT_REGION = "cn-shanghai"


class EmulatorError(Exception):
    """The control API answered with an error (``code`` is its error code, e.g. ``InvalidInput``)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.status, self.code, self.message = status, code, message


def _trigger_payload(event_type: str, *, count: int, status: str, set: Mapping[str, Any] | None,
                     seed: int | None, region: str | None, provider: str, extend: str | None,
                     start_time: str | None, chaos: str | None, time_scale: float,
                     timeout: float) -> dict[str, Any]:
    doc: dict[str, Any] = {"event_type": event_type, "count": count, "status": status, "set": dict(set or {}),
                           "provider": provider, "time_scale": time_scale, "timeout": timeout,
                           "chaos": chaos or ""}
    for key, value in (("seed", seed), ("region", region), ("extend", extend), ("start_time", start_time)):
        if value is not None:
            doc[key] = value
    return doc


def _scenario_payload(scenario: str | os.PathLike[str], *, seed: int | None, chaos: str | None,
                      time_scale: float, timeout: float) -> dict[str, Any]:
    """A path (or a shipped scenario's name) is read here and sent as text, so the server
    need not see this machine's files."""
    text, name = _scenario_text(scenario)
    doc: dict[str, Any] = {"scenario": text, "name": name, "time_scale": time_scale, "timeout": timeout,
                           "chaos": chaos or ""}
    if seed is not None:
        doc["seed"] = seed
    return doc


def _scenario_text(scenario: str | os.PathLike[str]) -> tuple[str, str]:
    if isinstance(scenario, str) and "\n" in scenario:
        return scenario, "scenario"
    path = Path(scenario)
    if not path.exists() and not isinstance(scenario, os.PathLike):
        from ..providers.schemas import schemas_dir
        shipped = schemas_dir().parent / "scenarios" / f"{scenario}.yaml"
        if shipped.is_file():
            path = shipped
    return path.read_text(encoding="utf-8"), path.stem


def _http_callback(url: str, auth_key: str | None, event_types: str | list[str]) -> dict[str, Any]:
    doc: dict[str, Any] = {"CallbackType": "HTTP", "CallbackURL": url,
                           "EventTypeList": event_types if isinstance(event_types, str) else ",".join(event_types)}
    if auth_key:
        doc |= {"AuthSwitch": "on", "AuthKey": auth_key}
    return doc


def _mns_callback(queue: str, event_types: str | list[str]) -> dict[str, Any]:
    return {"CallbackType": "MNS", "MnsQueueName": queue,
            "EventTypeList": event_types if isinstance(event_types, str) else ",".join(event_types)}


def _error(status: int, text: str) -> EmulatorError:
    try:
        err = json.loads(text)["error"]
        return EmulatorError(status, str(err["code"]), str(err["message"]))
    except (ValueError, KeyError, TypeError):
        return EmulatorError(status, f"HTTP{status}", text[:200])


class EmulatorClient:
    """A blocking client of one emulator server.

    ``time_scale`` and ``timeout`` are the defaults for triggers and runs (0.01 makes the
    1 s retry gap 10 ms; the 5 s attempt timeout is not scaled).  Every run is kept in
    ``runs`` so a failing test can show what was delivered.
    """

    def __init__(self, url: str, *, time_scale: float = 1.0, timeout: float = 5.0,
                 runs: list[RunReport] | None = None) -> None:
        self.url = url.rstrip("/")
        self.time_scale = time_scale
        self.timeout = timeout
        self.runs: list[RunReport] = runs if runs is not None else []
        # never through a proxy: the emulator is on loopback
        self._opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(f"{self.url}/_emulator/{path}", data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with self._opener.open(req, timeout=600) as resp:
                return json.loads(resp.read() or b"null")
        except urllib.error.HTTPError as exc:
            with exc:
                raise _error(exc.code, exc.read().decode("utf-8", "replace")) from None

    # -- state ---------------------------------------------------------------------------
    def health(self) -> dict[str, Any]:
        return self._call("GET", "health")

    def reset(self, *, callbacks: bool = True) -> None:
        """Delete every queue, message and run (and, unless ``callbacks=False``, every callback setting)."""
        self._call("POST", "reset", {})
        if callbacks:
            for region in self._call("GET", "callbacks"):
                self._call("DELETE", f"callbacks/{quote(region, safe='')}")
        self.runs.clear()

    # -- callback configuration and queues -----------------------------------------------
    def set_http_callback(self, url: str, *, region: str = DEFAULT_REGION, auth_key: str | None = None,
                          event_types: str | list[str] = "ALL") -> dict[str, Any]:
        """Send the region's events to ``url`` by HTTP POST (signed when ``auth_key`` is given)."""
        return self.set_callback(region, _http_callback(url, auth_key, event_types))

    def set_mns_callback(self, queue: str, *, region: str = DEFAULT_REGION,
                         event_types: str | list[str] = "ALL") -> dict[str, Any]:
        """Write the region's events into the server's MNS queue ``queue`` (created if missing)."""
        self.create_queue(queue)
        return self.set_callback(region, _mns_callback(queue, event_types))

    def set_callback(self, region: str, fields: Mapping[str, Any]) -> dict[str, Any]:
        """SetMessageCallback's fields as they are (CallbackType, CallbackURL, EventTypeList, …)."""
        return self._call("PUT", f"callbacks/{quote(region, safe='')}", dict(fields))["MessageCallback"]

    def callbacks(self) -> dict[str, Any]:
        return self._call("GET", "callbacks")

    def create_queue(self, name: str, **attributes: Any) -> dict[str, Any]:
        return self._call("PUT", f"queues/{quote(name, safe='')}", attributes)

    def queues(self) -> list[dict[str, Any]]:
        return self._call("GET", "queues")

    def queue_messages(self, name: str) -> list[dict[str, Any]]:
        """The visible messages of a queue (peeked: no state change), bodies decoded as ``event``."""
        return self._call("GET", f"queues/{quote(name, safe='')}/messages")["visible"]

    # -- runs ----------------------------------------------------------------------------
    def trigger(self, event_type: str, *, count: int = 1, status: str = "success",
                set: Mapping[str, Any] | None = None, seed: int | None = None, region: str | None = None,
                provider: str = "aliyun", extend: str | None = None, start_time: str | None = None,
                chaos: str | None = None, time_scale: float | None = None,
                timeout: float | None = None) -> RunReport:
        """Generate ``count`` events of ``event_type`` and deliver them by the region's callback
        configuration; returns when every event is delivered or lost."""
        payload = _trigger_payload(event_type, count=count, status=status, set=set, seed=seed, region=region,
                                   provider=provider, extend=extend, start_time=start_time, chaos=chaos,
                                   time_scale=self.time_scale if time_scale is None else time_scale,
                                   timeout=self.timeout if timeout is None else timeout)
        return self._finish(self._call("POST", "trigger", payload))

    def run_scenario(self, scenario: str | os.PathLike[str], *, seed: int | None = None,
                     chaos: str | None = None, time_scale: float | None = None,
                     timeout: float | None = None) -> RunReport:
        """Run a scenario (a path, a shipped scenario's name such as ``"quickstart"``, or YAML text)."""
        payload = _scenario_payload(scenario, seed=seed, chaos=chaos,
                                    time_scale=self.time_scale if time_scale is None else time_scale,
                                    timeout=self.timeout if timeout is None else timeout)
        return self._finish(self._call("POST", "run", payload))

    def report(self, run_id: str) -> dict[str, Any]:
        return self._call("GET", f"runs/{quote(run_id, safe='')}/report")

    def _finish(self, doc: dict[str, Any]) -> RunReport:
        report = RunReport(run_id=doc["run_id"], ok=doc["ok"], summary=doc["summary"], verdicts=doc["verdicts"],
                           not_selected=doc["not_selected"], raw=self.report(doc["run_id"]))
        self.runs.append(report)
        return report


class AsyncEmulatorClient:
    """The async twin of :class:`EmulatorClient` (same methods, awaited).  It opens a
    connection per call, so it needs no closing and works on any event loop."""

    def __init__(self, url: str, *, time_scale: float = 1.0, timeout: float = 5.0,
                 runs: list[RunReport] | None = None) -> None:
        self.url = url.rstrip("/")
        self.time_scale = time_scale
        self.timeout = timeout
        self.runs: list[RunReport] = runs if runs is not None else []

    async def _call(self, method: str, path: str, body: Any = None) -> Any:
        import aiohttp
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=600)) as session:
            async with session.request(method, f"{self.url}/_emulator/{path}", json=body) as resp:
                text = await resp.text()
                if resp.status >= 400:
                    raise _error(resp.status, text)
                return json.loads(text or "null")

    async def health(self) -> dict[str, Any]:
        return await self._call("GET", "health")

    async def reset(self, *, callbacks: bool = True) -> None:
        await self._call("POST", "reset", {})
        if callbacks:
            for region in await self._call("GET", "callbacks"):
                await self._call("DELETE", f"callbacks/{quote(region, safe='')}")
        self.runs.clear()

    async def set_http_callback(self, url: str, *, region: str = DEFAULT_REGION, auth_key: str | None = None,
                                event_types: str | list[str] = "ALL") -> dict[str, Any]:
        return await self.set_callback(region, _http_callback(url, auth_key, event_types))

    async def set_mns_callback(self, queue: str, *, region: str = DEFAULT_REGION,
                               event_types: str | list[str] = "ALL") -> dict[str, Any]:
        await self.create_queue(queue)
        return await self.set_callback(region, _mns_callback(queue, event_types))

    async def set_callback(self, region: str, fields: Mapping[str, Any]) -> dict[str, Any]:
        return (await self._call("PUT", f"callbacks/{quote(region, safe='')}", dict(fields)))["MessageCallback"]

    async def callbacks(self) -> dict[str, Any]:
        return await self._call("GET", "callbacks")

    async def create_queue(self, name: str, **attributes: Any) -> dict[str, Any]:
        return await self._call("PUT", f"queues/{quote(name, safe='')}", attributes)

    async def queues(self) -> list[dict[str, Any]]:
        return await self._call("GET", "queues")

    async def queue_messages(self, name: str) -> list[dict[str, Any]]:
        return (await self._call("GET", f"queues/{quote(name, safe='')}/messages"))["visible"]

    async def trigger(self, event_type: str, *, count: int = 1, status: str = "success",
                      set: Mapping[str, Any] | None = None, seed: int | None = None, region: str | None = None,
                      provider: str = "aliyun", extend: str | None = None, start_time: str | None = None,
                      chaos: str | None = None, time_scale: float | None = None,
                      timeout: float | None = None) -> RunReport:
        payload = _trigger_payload(event_type, count=count, status=status, set=set, seed=seed, region=region,
                                   provider=provider, extend=extend, start_time=start_time, chaos=chaos,
                                   time_scale=self.time_scale if time_scale is None else time_scale,
                                   timeout=self.timeout if timeout is None else timeout)
        return await self._finish(await self._call("POST", "trigger", payload))

    async def run_scenario(self, scenario: str | os.PathLike[str], *, seed: int | None = None,
                           chaos: str | None = None, time_scale: float | None = None,
                           timeout: float | None = None) -> RunReport:
        payload = _scenario_payload(scenario, seed=seed, chaos=chaos,
                                    time_scale=self.time_scale if time_scale is None else time_scale,
                                    timeout=self.timeout if timeout is None else timeout)
        return await self._finish(await self._call("POST", "run", payload))

    async def report(self, run_id: str) -> dict[str, Any]:
        return await self._call("GET", f"runs/{quote(run_id, safe='')}/report")

    async def _finish(self, doc: dict[str, Any]) -> RunReport:
        report = RunReport(run_id=doc["run_id"], ok=doc["ok"], summary=doc["summary"], verdicts=doc["verdicts"],
                           not_selected=doc["not_selected"], raw=await self.report(doc["run_id"]))
        self.runs.append(report)
        return report
