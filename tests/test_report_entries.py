"""Report entries made as each dispatch finishes equal those made after the run."""

from __future__ import annotations

import dataclasses

from emulator.run.journal import Attempt, AttemptOutcome, ErrorKind, EventResult, Journal
from emulator.run.report import EntriesAsTheyFinish, build_report, dumps

from .conftest import make_event

OK = Attempt(1, "2026-01-01T00:00:00.000Z", 1.5, 200, None, "HTTP 200", AttemptOutcome.SUCCESS)
FAIL = Attempt(1, "2026-01-01T00:00:00.000Z", 5000.0, None, ErrorKind.TIMEOUT, "no complete response",
               AttemptOutcome.FAILURE)


def dispatches(with_copy: bool) -> list[list[EventResult]]:
    a, b, c = make_event(1), make_event(2), make_event(3)
    out = [[EventResult(a, "http://x/1", (OK,))],
           [EventResult(b, "http://x/1", (FAIL, dataclasses.replace(FAIL, attempt=2), OK)),
            EventResult(b, "http://x/2", (FAIL,))],
           [EventResult(c, "http://x/1", (FAIL, FAIL, FAIL))]]
    if with_copy:      # an injected duplicate of the first event, finishing last
        out.append([EventResult(dataclasses.replace(a, copy=2, dispatch=4), "http://x/1", (OK,))])
    return out


def report_of(groups: list[list[EventResult]], made: EntriesAsTheyFinish | None) -> bytes:
    journal = Journal(on_dispatch=made)
    for results in groups:
        journal.add(results)
    return dumps(build_report(journal, run={}, policy={}, targets=[], raw_bodies=True))


def test_entries_made_during_the_run_are_the_entries_made_after_it():
    made = EntriesAsTheyFinish(raw_body=True)
    assert report_of(dispatches(False), made) == report_of(dispatches(False), None)
    assert made.pairs is not None and len(made.pairs) == 3


def test_an_injected_copy_leaves_the_entries_to_the_end():
    made = EntriesAsTheyFinish(raw_body=True)
    during = report_of(dispatches(True), made)
    assert made.pairs is None
    assert during == report_of(dispatches(True), None)
    assert b'"verdict":"duplicated"' in during
