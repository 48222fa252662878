"""The one limit between the timeline and the wire: simultaneous connections (attempts).

Retries waiting for a slot go before new releases, so a full limit delays new events
(which the report shows as release lateness) before it stretches a retry gap.  The
process's file-descriptor soft limit is raised to fit the limit when it can be.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque

log = logging.getLogger(__name__)

DEFAULT_CONNECTIONS = 10_000
FDS_SPARE = 256        # files, the journal, the event loop's own descriptors


class ConnectionLimit:
    def __init__(self, slots: int) -> None:
        if slots < 1:
            raise ValueError("the connection limit must be >= 1")
        self.slots = slots
        self.free = slots
        self.waits = 0
        self._retries: deque[asyncio.Future] = deque()
        self._releases: deque[asyncio.Future] = deque()

    async def acquire(self, *, retry: bool = False) -> None:
        if self.free > 0 and not self._retries and not self._releases:
            self.free -= 1
            return
        self.waits += 1
        fut = asyncio.get_running_loop().create_future()
        (self._retries if retry else self._releases).append(fut)
        try:
            await fut
        except asyncio.CancelledError:
            if fut.done() and not fut.cancelled():
                self.release()       # granted, then cancelled: pass the slot on
            raise

    def release(self) -> None:
        for queue in (self._retries, self._releases):
            while queue:
                fut = queue.popleft()
                if not fut.done():
                    fut.set_result(None)
                    return
        self.free += 1


def fit_fd_limit(connections: int, per_connection: int = 1) -> int:
    """Raise RLIMIT_NOFILE's soft limit for ``connections``; the connections that fit."""
    try:
        import resource
    except ImportError:      # not on POSIX: nothing to raise
        return connections
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = connections * per_connection + FDS_SPARE
    if need > soft:
        want = need if hard == resource.RLIM_INFINITY else min(need, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
            soft = want
        except (ValueError, OSError) as exc:
            log.warning("cannot raise the open-file limit to %d: %s", want, exc)
    fits = max(1, (soft - FDS_SPARE) // per_connection)
    if fits < connections:
        log.info("connection limit %d lowered to %d: the open-file limit is %d", connections, fits, soft)
    return min(connections, fits)
