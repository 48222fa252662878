"""The chaos stage as a pure function: same seed, same faults in the same places."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from emulator.run import chaos
from emulator.providers.aliyun.factory import EventFactory
from emulator.errors import InputError
from emulator.run.faults import FaultPlan, Selector, parse_chaos, rule

START = datetime(2026, 1, 1, tzinfo=timezone.utc)


def stream(n: int = 40, kinds=("FileUploadComplete", "StreamTranscodeComplete", "TranscodeComplete")):
    f = EventFactory(seed=1, start_time=START)
    return [(float(i), f.build(kinds[i % len(kinds)], i)) for i in range(n)]


def run(plan: FaultPlan, seed: int = 7, n: int = 40):
    return [(w, e.event_id, e.copy, e.dropped, e.faults, e.dispatch) for w, e in chaos.apply(stream(n), plan, seed)]


def test_same_seed_same_faults_twice_other_seed_differs():
    plan = parse_chaos("duplicate=0.2,reorder=4,drop=0.1,jitter=0-2s,delay=1s,burst=3")
    assert run(plan) == run(plan)
    assert run(plan) != run(plan, seed=8)


def test_duplicate_same_body_same_id_later():
    out = list(chaos.apply(stream(), parse_chaos("duplicate=0.3@2.5s"), 7))
    copies = [(w, e) for w, e in out if e.copy == 2]
    assert copies, "a 0.3 rate over 40 events duplicates some"
    originals = {e.event_id: (w, e) for w, e in out if e.copy == 1}
    for w, e in copies:
        ow, oe = originals[e.event_id]
        assert e.body == oe.body and w == pytest.approx(ow + 2.5)
        assert "duplicate #2" in e.faults[-1]
    assert [w for w, _ in out] == sorted(w for w, _ in out)
    assert [e.dispatch for _, e in out] == list(range(1, len(out) + 1))


def test_drop_flags_and_keeps_the_rest():
    out = list(chaos.apply(stream(), parse_chaos("drop=0.25"), 7))
    dropped = [e for _, e in out if e.dropped]
    assert 0 < len(dropped) < 40 and len(out) == 40
    assert all(e.faults == ("dropped: never sent",) for e in dropped)


def test_reorder_permutes_within_the_window():
    out = [e.event_id for _, e in chaos.apply(stream(), parse_chaos("reorder=4"), 7)]
    ids = [e.event_id for _, e in stream()]
    assert sorted(out) == sorted(ids) and out != ids
    for pos, eid in enumerate(out):
        assert pos - ids.index(eid) < 4   # held at most until the window fills


def test_delay_and_jitter_move_events_later_within_range():
    base = dict((e.event_id, w) for w, e in stream())
    out = list(chaos.apply(stream(), parse_chaos("delay=1s,jitter=0.5-2s"), 7))
    for w, e in out:
        assert 1.5 <= w - base[e.event_id] <= 3.0 + 1e-9
        assert e.faults[0] == "delayed 1 s" and e.faults[1].startswith("jitter ")


def test_burst_releases_groups_at_one_instant():
    out = list(chaos.apply(stream(9), parse_chaos("burst=3"), 7))
    times = [w for w, _ in out]
    assert times == [2.0] * 3 + [5.0] * 3 + [8.0] * 3


def test_targeting_by_event_type_and_step():
    only_tc = FaultPlan((rule("drop", {"rate": 1.0}, select=Selector(events=frozenset({"TranscodeComplete"}))),))
    out = list(chaos.apply(stream(), only_tc, 7))
    assert {e.event_type for _, e in out if e.dropped} == {"TranscodeComplete"}
    assert all(not e.dropped for _, e in out if e.event_type != "TranscodeComplete")


def test_chaos_spec_errors_are_input_errors():
    for bad in ("dupe=0.1", "drop=1.5", "reorder=1", "jitter=2-1s", "delay=soon", "burst"):
        with pytest.raises(InputError, match="--chaos"):
            parse_chaos(bad)


def test_numbered_is_replace_spelled_out():
    import dataclasses
    from emulator.events import Event

    ev = Event("evt-1", "aliyun", "FileUploadComplete", "FileUploadComplete", "v1", b"{}", label="x#1",
               expect="lost", at=3.0, dispatch=2, copy=2, dropped=True, faults=("f",), variation=("a=b",))
    assert ev.numbered(1.5, 7) == dataclasses.replace(ev, at=1.5, dispatch=7)
    assert [f.name for f in dataclasses.fields(Event)][-6:] == ["at", "dispatch", "copy", "dropped", "faults",
                                                                 "variation"]
