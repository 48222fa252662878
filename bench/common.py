"""Shared bench plumbing: a receiver process on loopback, medians, child-process runs."""

from __future__ import annotations

import contextlib
import os
import statistics
import subprocess
import sys
from collections.abc import Iterator

HERE = os.path.dirname(os.path.abspath(__file__))
def machine_note() -> str:
    """Cores, load and event loop, printed with every figure: the machine is shared."""
    try:
        load = f"load average {os.getloadavg()[0]:.1f}"
    except OSError:
        load = "load average unknown"
    try:
        import uvloop  # noqa: F401
        loop = "uvloop"
    except ImportError:
        loop = "asyncio loop (pip install '.[fast]' for uvloop)"
    return f"({os.cpu_count()} cores, {load} at start, {loop}; medians of the rounds)"


@contextlib.contextmanager
def receiver_process(status: int = 200, *, never: bool = False) -> Iterator[str]:
    args = ["--never"] if never else ["--status", str(status)]
    proc = subprocess.Popen([sys.executable, os.path.join(HERE, "_receiver.py"), *args],
                            stdout=subprocess.PIPE, text=True)
    try:
        port = int(proc.stdout.readline())
        yield f"http://127.0.0.1:{port}/callback"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stdout.close()


def median(values: list[float]) -> float:
    return statistics.median(values)


def loop_factory():
    """The event loop the emulator's CLI uses (uvloop when installed), for both sides of a bench."""
    from emulator.run.session import event_loop_factory
    return event_loop_factory()


def run(coro):
    import asyncio
    with asyncio.Runner(loop_factory=loop_factory()) as runner:
        return runner.run(coro)
