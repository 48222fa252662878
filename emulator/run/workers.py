"""Generation in a worker process, for large runs.

Building a realistic, schema-checked body costs more Python than sending it.  For a large
run (``trigger --count``, or a scenario file) the events after the first are built by a
forked child process, which sends them back in small batches over a pipe while this process
delivers; the pipe's buffer bounds how far the child runs ahead, so memory stays bounded.
Generation is deterministic (keyed by seed and index, or a seeded timeline continued in the
child from the very state it had here), so the events are byte-identical to building them
here, in the same order.  The first event is always built in-process, before anything
leaves: bad input stops the run there.  An error the child meets later reaches this process
in its place in the run, as the same ``InputError`` (same words) as building here.

Only fork before any connection or listening socket is open (the CLI does); never from
``serve``, whose sockets a child would hold.
"""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import operator
import os
import signal
import traceback
from collections.abc import Callable, Iterator
from typing import Any

from ..errors import InputError
from ..events import Event

log = logging.getLogger(__name__)

WORKER_FROM = 2000     # events in a run before building moves to a worker process
BATCH = 64             # events per message: small, so a wait for the next batch is short
PIPE_BYTES = 1 << 20   # the pipe's buffer: how far ahead the child may build (bounded memory)
FIRST_BATCH = 8        # the first messages are smaller still (8, 16, 32, …): the run waits for the first


FIELDS = tuple(f.name for f in dataclasses.fields(Event))
_fields_of = operator.attrgetter(*FIELDS)


def _timed_fields(item: tuple[float, Event]) -> tuple[float, tuple]:
    return item[0], _fields_of(item[1])


def _produce(conn, items: Iterator[Any], pack: Callable[[Any], Any]) -> None:
    # Plain tuples cross the pipe: pickling the dataclass itself costs 20x more.  All fields
    # go, although a trigger's events differ only in four: filling in the others would cost
    # the parent (the run's busiest process) more than unpickling them (measured).
    # Ctrl-C reaches the whole process group: the parent decides how a run stops (it stops
    # reading, and the child ends on the broken pipe or is terminated).
    # Messages: a list (a batch), None (the end), or a tuple ("raise", is_input_error, words).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    batch: list = []
    try:
        size = min(FIRST_BATCH, BATCH)
        for item in items:
            batch.append(pack(item))
            if len(batch) >= size:
                conn.send(batch)
                batch = []
                size = min(size * 2, BATCH)
        conn.send(batch)
        conn.send(None)
    except (BrokenPipeError, KeyboardInterrupt):
        pass
    except Exception as exc:     # what was built before it still goes, then the error in its place
        try:
            conn.send(batch)
            words = str(exc) if isinstance(exc, InputError) else "".join(traceback.format_exception(exc))
            conn.send(("raise", isinstance(exc, InputError), words))
        except (BrokenPipeError, OSError):
            pass
    finally:
        conn.close()


def usable() -> bool:
    return "fork" in multiprocessing.get_all_start_methods() and os.environ.get("VOD_EMULATOR_WORKERS") != "0"


def built_in_worker(build: Callable[[int], Event], lo: int, hi: int) -> Iterator[Event]:
    """``build(i)`` for i in lo..hi-1, in order, built by a forked child process.

    The child is forked now, not when iteration starts: call this before any connection or
    listening socket is open, so the child holds none of them.  Closing the iterator (or
    dropping it) ends the child, even before the first event is read."""
    return _primed(_received(*_start(map(build, range(lo, hi)), _fields_of), _event))


def timeline_in_worker(rest: Iterator[tuple[float, Event]]) -> Iterator[tuple[float, Event]]:
    """The rest of a timeline iterator (``(seconds, Event)`` pairs), in order, continued by a
    forked child process from the state it has now; this process must not advance ``rest``
    itself any more.  Forked now, ended by closing: as ``built_in_worker``."""
    return _primed(_received(*_start(rest, _timed_fields), _timed_event))


def _start(items: Iterator[Any], pack: Callable[[Any], Any]) -> tuple[Any, Any]:
    ctx = multiprocessing.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    _widen(send)
    child = ctx.Process(target=_produce, args=(send, items, pack), daemon=True, name="vod-emulator-generate")
    child.start()
    send.close()
    return recv, child


def _widen(conn) -> None:
    """Let the child run up to PIPE_BYTES ahead (~700 events) instead of the default 64 KiB:
    with a short pipe it waits whenever this process is busy, and this process then waits
    for it (Linux; elsewhere the default stays)."""
    try:
        import fcntl
        fcntl.fcntl(conn.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (ImportError, AttributeError, OSError) as exc:    # not Linux, or over pipe-max-size
        log.debug("pipe left at its default size: %s", exc)


def _primed(gen: Iterator[Any]) -> Iterator[Any]:
    """Started up to its first ``yield``: from here on, closing it runs its ``finally``."""
    next(gen)
    return gen


def _next_batch(recv) -> list | None:
    try:
        batch = recv.recv()
    except EOFError:
        raise RuntimeError("the event generator process stopped early") from None
    if type(batch) is tuple:
        _, is_input, words = batch
        if is_input:
            raise InputError(words)
        raise RuntimeError(f"the event generator process failed:\n{words}")
    return batch


def _stop(recv, child) -> None:
    recv.close()
    if child.is_alive():
        child.terminate()
    child.join()


def _received(recv, child, unpack: Callable[[Any], Any]) -> Iterator[Any]:
    try:
        yield None      # primed
        while (batch := _next_batch(recv)) is not None:
            yield from map(unpack, batch)
    finally:
        _stop(recv, child)


def _event(fields: tuple) -> Event:
    return Event(*fields)


def _timed_event(item: tuple[float, tuple]) -> tuple[float, Event]:
    return item[0], Event(*item[1])
