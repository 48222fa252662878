"""Shared bench plumbing: a receiver process on loopback."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator

HERE = os.path.dirname(os.path.abspath(__file__))


@contextlib.contextmanager
def receiver_process(status: int = 200) -> Iterator[str]:
    proc = subprocess.Popen([sys.executable, os.path.join(HERE, "_receiver.py"), "--status", str(status)],
                            stdout=subprocess.PIPE, text=True)
    try:
        port = int(proc.stdout.readline())
        yield f"http://127.0.0.1:{port}/callback"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
