"""Generation in a worker process: the same bodies in the same order as building in-process."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from emulator.errors import InputError
from emulator.run import workers
from emulator.run.sources import trigger_timeline

START = datetime(2026, 1, 1, tzinfo=timezone.utc)


@pytest.mark.skipif(not workers.usable(), reason="needs fork")
def test_a_worker_builds_byte_identical_events_in_order(monkeypatch):
    monkeypatch.setattr(workers, "WORKER_FROM", 10)
    monkeypatch.setattr(workers, "BATCH", 7)
    kw = dict(count=50, seed=9, start=START, overrides=[("Size", 5)])
    here = list(trigger_timeline("FileUploadComplete", **kw))
    there = list(trigger_timeline("FileUploadComplete", worker=True, **kw))
    assert [(t, e) for t, e in there] == here
    assert [e.event_id for _, e in there] == [f"evt-{i:06d}" for i in range(1, 51)]


def test_bad_input_stops_before_a_worker_starts(monkeypatch):
    monkeypatch.setattr(workers, "WORKER_FROM", 1)
    started = []
    monkeypatch.setattr(workers, "built_in_worker", lambda *a: started.append(a) or iter(()))
    with pytest.raises(InputError, match="NoSuchField"):
        trigger_timeline("FileUploadComplete", count=10, seed=1, start=START, overrides=[("NoSuchField", 1)],
                         worker=True)
    assert started == []


@pytest.mark.skipif(not workers.usable(), reason="needs fork")
def test_events_cross_the_pipe_whole_when_their_shared_fields_change(monkeypatch):
    # Most events cross as their varying fields only; every field must still arrive in its place.
    monkeypatch.setattr(workers, "BATCH", 4)
    from emulator.events import Event

    def build(i: int) -> Event:
        return Event(event_id=f"e{i}", provider="p" if i < 5 else "q", kind=f"k{i // 3}", event_type=f"t{i // 3}",
                     media_id=None if i % 2 else f"m{i}", body=b"{}%d" % i, label=f"l{i // 4}", expect="any",
                     at=float(i // 6), dispatch=i // 7, copy=2 + i // 8, dropped=i % 9 == 0,
                     faults=(f"f{i // 5}",), variation=(f"v{i}",))

    got = list(workers.built_in_worker(build, 0, 23))
    assert got == [build(i) for i in range(23)]


@pytest.mark.skipif(not workers.usable(), reason="needs fork")
def test_a_worker_keeps_each_events_variation(monkeypatch):
    monkeypatch.setattr(workers, "WORKER_FROM", 10)
    kw = dict(count=30, seed=3, start=START, vary=True)
    here = list(trigger_timeline("StreamTranscodeComplete", **kw))
    there = list(trigger_timeline("StreamTranscodeComplete", worker=True, **kw))
    assert there == here
    assert len({e.variation for _, e in there}) > 1


@pytest.mark.skipif(not hasattr(__import__("fcntl"), "F_GETPIPE_SZ"), reason="pipe sizes are Linux-only")
def test_the_pipe_lets_the_worker_run_ahead():
    import fcntl
    import multiprocessing

    recv, send = multiprocessing.get_context("fork").Pipe(duplex=False)
    try:
        workers._widen(send)
        most = int(Path("/proc/sys/fs/pipe-max-size").read_text())
        assert fcntl.fcntl(send.fileno(), fcntl.F_GETPIPE_SZ) >= min(workers.PIPE_BYTES, most)
    finally:
        recv.close()
        send.close()
