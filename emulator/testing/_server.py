"""An emulator server for tests: in this process (a thread with its own event loop) or as a
``vod-emulator serve`` subprocess, on port 0 by default, stopped without leaving anything behind."""

from __future__ import annotations

import asyncio
import os
import selectors
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Literal

from ._client import AsyncEmulatorClient, EmulatorClient
from ._report import RunReport

Mode = Literal["thread", "subprocess"]
READY_TIMEOUT = 30.0


class EmulatorServer:
    """``vod-emulator serve`` with an in-memory store (unless ``data_dir``), for tests.

    >>> with EmulatorServer() as server:
    ...     client = server.client(time_scale=0.01)

    ``mode="thread"`` (default) serves from a daemon thread running its own event loop, so
    both sync and async tests can use it; ``mode="subprocess"`` runs the real command.
    ``time_scale`` scales the server's own waits (the Tencent queue's holds and windows).
    """

    def __init__(self, *, port: int = 0, host: str = "127.0.0.1", mode: Mode = "thread",
                 time_scale: float = 1.0, data_dir: str | os.PathLike[str] | None = None,
                 config_file: str | os.PathLike[str] | None = None) -> None:
        if mode not in ("thread", "subprocess"):
            raise ValueError(f"mode must be 'thread' or 'subprocess', not {mode!r}")
        self.host, self.port, self.mode = host, port, mode
        self.time_scale = time_scale
        self.data_dir = Path(data_dir) if data_dir is not None else None
        self.config_file = Path(config_file) if config_file is not None else None
        self.url = ""
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._proc: subprocess.Popen[bytes] | None = None

    # -- lifetime --------------------------------------------------------------------------
    def start(self) -> EmulatorServer:
        if self.url:
            return self
        if self.mode == "thread":
            self._start_thread()
        else:
            self._start_process()
        return self

    def stop(self) -> None:
        """Stop serving and release the port, the thread or the process; safe to call twice."""
        if self._thread is not None:
            loop, stop = self._loop, self._stop
            if loop is not None and stop is not None and not loop.is_closed():
                try:
                    loop.call_soon_threadsafe(stop.set)
                except RuntimeError:   # the loop has just closed
                    pass
            self._thread.join(timeout=30)
            self._thread = None
        if self._proc is not None:
            proc, self._proc = self._proc, None
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            if proc.stdout is not None:
                proc.stdout.close()
        self.url = ""

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def pid(self) -> int | None:
        """The subprocess's id (``mode="subprocess"``), else None."""
        return self._proc.pid if self._proc is not None else None

    # -- clients -----------------------------------------------------------------------------
    def client(self, *, time_scale: float = 1.0, timeout: float = 5.0,
               runs: list[RunReport] | None = None) -> EmulatorClient:
        """A blocking client; ``time_scale``/``timeout`` are its defaults for triggers and runs."""
        self._check_started()
        return EmulatorClient(self.url, time_scale=time_scale, timeout=timeout, runs=runs)

    def async_client(self, *, time_scale: float = 1.0, timeout: float = 5.0,
                     runs: list[RunReport] | None = None) -> AsyncEmulatorClient:
        self._check_started()
        return AsyncEmulatorClient(self.url, time_scale=time_scale, timeout=timeout, runs=runs)

    def _check_started(self) -> None:
        if not self.url:
            raise RuntimeError("the emulator server is not started: call start() or use it as a context manager")

    # -- thread mode ---------------------------------------------------------------------------
    def _start_thread(self) -> None:
        ready = threading.Event()
        failure: list[BaseException] = []

        def main() -> None:
            try:
                asyncio.run(self._serve(ready))
            except BaseException as exc:   # reported to start(), which raises it
                failure.append(exc)
            finally:
                ready.set()

        self._thread = threading.Thread(target=main, name="vod-emulator-server", daemon=True)
        self._thread.start()
        if not ready.wait(READY_TIMEOUT) or failure or not self.url:
            self.stop()
            raise RuntimeError(f"the emulator server did not start: {failure[0] if failure else 'timed out'}")

    async def _serve(self, ready: threading.Event) -> None:
        from ..server.app import ServeConfig, start
        config = ServeConfig(data_dir=self.data_dir, config_file=self.config_file,
                             tencent_time_scale=self.time_scale)
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        runner, state, url = await start(config, self.host, self.port)
        try:
            self.url = url
            ready.set()
            await self._stop.wait()
        finally:
            await runner.cleanup()
            state.close()

    # -- subprocess mode ------------------------------------------------------------------------
    def _start_process(self) -> None:
        cmd = [sys.executable, "-m", "emulator", "serve", "--host", self.host, "--port", str(self.port),
               "--time-scale", str(self.time_scale)]
        cmd += ["--data-dir", str(self.data_dir)] if self.data_dir is not None else ["--in-memory"]
        if self.config_file is not None:
            cmd += ["--config", str(self.config_file)]
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self._proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                      stdin=subprocess.DEVNULL, env=env)
        first = self._read_line(READY_TIMEOUT)
        marker = "serving on "
        if marker not in first:
            self.stop()
            raise RuntimeError(f"`vod-emulator serve` did not start: {first.strip() or 'no output'}")
        self.url = first.split(marker, 1)[1].strip()

    def _read_line(self, timeout: float) -> str:
        assert self._proc is not None and self._proc.stdout is not None
        out = self._proc.stdout
        deadline = time.monotonic() + timeout
        buf = b""
        with selectors.DefaultSelector() as sel:
            sel.register(out, selectors.EVENT_READ)
            while not buf.endswith(b"\n"):
                left = deadline - time.monotonic()
                if left <= 0 or not sel.select(left):
                    break
                chunk = os.read(out.fileno(), 1)
                if not chunk:
                    break
                buf += chunk
        return buf.decode("utf-8", "replace")
