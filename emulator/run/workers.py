"""Generation in a worker process, for large runs.

Building a realistic, schema-checked body costs more Python than sending it.  For a large
``trigger`` the events after the first are built by a forked child process, which sends
them back in small batches over a pipe while this process delivers; the pipe's buffer
bounds how far the child runs ahead, so memory stays bounded.  Every event is keyed by
(seed, index), so the bodies are byte-identical to building them here, in the same order.
The first event is always built in-process, before anything leaves: bad input stops the
run there.
"""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import operator
import os
import signal
from collections.abc import Callable, Iterator

from ..events import Event

log = logging.getLogger(__name__)

WORKER_FROM = 2000     # events in a run before building moves to a worker process
BATCH = 64             # events per message: small, so a wait for the next batch is short
PIPE_BYTES = 1 << 20   # the pipe's buffer: how far ahead the child may build (bounded memory)
FIRST_BATCH = 8        # the first messages are smaller still (8, 16, 32, …): the run waits for the first


FIELDS = tuple(f.name for f in dataclasses.fields(Event))


def _produce(conn, build: Callable[[int], Event], lo: int, hi: int) -> None:
    # Plain tuples cross the pipe: pickling the dataclass itself costs 20x more.  All fields
    # go, although a trigger's events differ only in four: filling in the others would cost
    # the parent (the run's busiest process) more than unpickling them (measured).
    # Ctrl-C reaches the whole process group: the parent decides how a run stops (it stops
    # reading, and the child ends on the broken pipe or is terminated).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    fields_of = operator.attrgetter(*FIELDS)
    try:
        batch = []
        size = min(FIRST_BATCH, BATCH)
        for i in range(lo, hi):
            batch.append(fields_of(build(i)))
            if len(batch) >= size:
                conn.send(batch)
                batch = []
                size = min(size * 2, BATCH)
        conn.send(batch)
        conn.send(None)
    except (BrokenPipeError, KeyboardInterrupt):
        pass
    finally:
        conn.close()


def usable() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and os.environ.get("VOD_EMULATOR_WORKERS") != "0"


def built_in_worker(build: Callable[[int], Event], lo: int, hi: int) -> Iterator[Event]:
    """``build(i)`` for i in lo..hi-1, in order, built by a forked child process.

    The child is forked now, not when iteration starts: call this before any connection or
    listening socket is open, so the child holds none of them."""
    ctx = multiprocessing.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    _widen(send)
    child = ctx.Process(target=_produce, args=(send, build, lo, hi), daemon=True, name="vod-emulator-generate")
    child.start()
    send.close()
    return _receive(recv, child)


def _widen(conn) -> None:
    """Let the child run up to PIPE_BYTES ahead (~700 events) instead of the default 64 KiB:
    with a short pipe it waits whenever this process is busy, and this process then waits
    for it (Linux; elsewhere the default stays)."""
    try:
        import fcntl
        fcntl.fcntl(conn.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (ImportError, AttributeError, OSError) as exc:    # not Linux, or over pipe-max-size
        log.debug("pipe left at its default size: %s", exc)


def _receive(recv, child) -> Iterator[Event]:
    try:
        while True:
            try:
                batch = recv.recv()
            except EOFError:
                raise RuntimeError("the event generator process stopped early") from None
            if batch is None:
                return
            for fields in batch:
                yield Event(*fields)
    finally:
        recv.close()
        if child.is_alive():
            child.terminate()
        child.join()
