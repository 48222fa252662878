"""pytest plugin (entry point ``pytest11: vod_emulator``), loaded once the package is installed.

Fixtures:
  ``vod_emulator_server``  session: one emulator server (in a thread, or ``--vod-emulator-mode
                           subprocess``; ``--vod-emulator-url`` to use one already running)
  ``vod_emulator``         function: an :class:`EmulatorClient` on a clean server (queues, messages,
                           runs and callback settings reset before the test)
  ``vod_emulator_async``   function: the same as an :class:`AsyncEmulatorClient`
  ``vod_receiver``         function: a started :class:`CapturingReceiver`, stopped after the test

A failing test that used them shows a "vod-emulator deliveries" section: each run's events
with every attempt, and what the capturing receiver got.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ._client import AsyncEmulatorClient, EmulatorClient
from ._receiver import CapturingReceiver
from ._report import RunReport
from ._server import EmulatorServer

OPTIONS = (
    # (name, type, default, help)
    ("port", int, 0, "port of the emulator server the fixtures start (0: any free port)"),
    ("mode", str, "thread", "run the server in a thread of the test process or as a subprocess"),
    ("url", str, "", "use this running emulator server instead of starting one"),
    ("time_scale", float, 0.01, "multiply every wait of triggers and runs (0.01: the 1 s retry gap is 10 ms)"),
    ("timeout", float, 5.0, "attempt timeout of triggers and runs, seconds (not scaled)"),
)

_RUNS = pytest.StashKey[list[RunReport]]()
_RECEIVERS = pytest.StashKey[list[CapturingReceiver]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("vod-emulator", "vod-callback-emulator fixtures")
    for name, kind, default, text in OPTIONS:
        flag = "--vod-emulator-" + name.replace("_", "-")
        extra = {"choices": ("thread", "subprocess")} if name == "mode" else {}
        group.addoption(flag, dest=f"vod_emulator_{name}", type=kind, default=None, help=f"{text} "
                        f"(ini: vod_emulator_{name}; default {default!r})", **extra)
        parser.addini(f"vod_emulator_{name}", text, default=str(default))


def _option(config: pytest.Config, name: str) -> str:
    given = config.getoption(f"vod_emulator_{name}")
    return str(given) if given is not None else str(config.getini(f"vod_emulator_{name}"))


@pytest.fixture(scope="session")
def vod_emulator_server(pytestconfig: pytest.Config) -> Iterator[EmulatorServer]:
    """One emulator server for the whole session (stopped at its end)."""
    url = _option(pytestconfig, "url")
    mode = _option(pytestconfig, "mode")
    if mode not in ("thread", "subprocess"):
        raise pytest.UsageError(f"vod_emulator_mode: expected thread or subprocess, got {mode!r}")
    server = EmulatorServer(port=int(_option(pytestconfig, "port")), mode=mode,  # type: ignore[arg-type]
                            time_scale=float(_option(pytestconfig, "time_scale")))
    if url:
        server.url = url.rstrip("/")   # not ours: never stopped
        yield server
        return
    with server:
        yield server


def _runs_for(request: pytest.FixtureRequest) -> list[RunReport]:
    node = request.node
    if _RUNS not in node.stash:
        node.stash[_RUNS] = []
    return node.stash[_RUNS]


@pytest.fixture
def vod_emulator(vod_emulator_server: EmulatorServer, request: pytest.FixtureRequest) -> EmulatorClient:
    """A blocking client of the session's server, reset to a clean state for this test."""
    config = request.config
    client = vod_emulator_server.client(time_scale=float(_option(config, "time_scale")),
                                        timeout=float(_option(config, "timeout")), runs=_runs_for(request))
    client.reset()
    return client


@pytest.fixture
def vod_emulator_async(vod_emulator_server: EmulatorServer, request: pytest.FixtureRequest) -> AsyncEmulatorClient:
    """An async client of the session's server (reset for this test); await its methods."""
    config = request.config
    EmulatorClient(vod_emulator_server.url).reset()
    runs = _runs_for(request)
    runs.clear()
    return vod_emulator_server.async_client(time_scale=float(_option(config, "time_scale")),
                                            timeout=float(_option(config, "timeout")), runs=runs)


@pytest.fixture
def vod_receiver(request: pytest.FixtureRequest) -> Iterator[CapturingReceiver]:
    """A capturing HTTP receiver on 127.0.0.1 for this test (``.url``, ``.wait_for(…)``)."""
    receiver = CapturingReceiver()
    node = request.node
    if _RECEIVERS not in node.stash:
        node.stash[_RECEIVERS] = []
    node.stash[_RECEIVERS].append(receiver)
    with receiver:
        yield receiver


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    text = deliveries_text(item.stash.get(_RUNS, []), item.stash.get(_RECEIVERS, []))
    if text:
        report.sections.append(("vod-emulator deliveries", text))


def deliveries_text(runs: list[RunReport], receivers: list[CapturingReceiver]) -> str:
    lines: list[str] = []
    for run in runs:
        lines += run.journal_lines()
    for receiver in receivers:
        lines.append(f"receiver {receiver.url or '(stopped)'} got {len(receiver.deliveries)} request(s):")
        lines += receiver.journal_lines()
    return "\n".join(lines)
