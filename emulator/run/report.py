"""Reports of a run: the JSON report (stable, documented), JUnit XML, and the human summary.

JSON report format ``vod-emulator-report/1`` (documented in the README):
``run`` (what ran and with which seed), ``policy`` (the delivery values in force),
``targets``, ``summary`` (counts), and ``events`` — one entry per event, in the order the
events finished, with its body and, per target, its outcome and every attempt.
"""

from __future__ import annotations

import orjson
from collections import Counter
from collections.abc import Iterable
from typing import Any
from xml.etree import ElementTree as ET

from .. import __version__
from . import text
from .journal import Counters, EventResult, Journal, expected
from .verdict import SEVERITY, TargetVerdict, Verdict, judge_event, tally

FORMAT = "vod-emulator-report/1"


def group_by_event(results: Iterable[EventResult]) -> list[list[EventResult]]:
    groups: dict[str, list[EventResult]] = {}
    for r in results:
        groups.setdefault(r.event.event_id, []).append(r)
    return list(groups.values())


def event_entry(group: list[EventResult], *, raw_body: bool = False,
                judged: tuple[Verdict, list[TargetVerdict]] | None = None) -> dict[str, Any]:
    """One event of the report; ``raw_body``: the body as the exact bytes sent (an
    ``orjson.Fragment``, written by :func:`dumps` without being parsed back), else parsed.
    ``judged``: the group's ``judge_event``, when the caller already has it."""
    ev = min((r.event for r in group), key=lambda e: e.copy)
    verdict, per_target = judged or judge_event(group)
    return {
        "event_id": ev.event_id,
        "provider": ev.provider,
        "kind": ev.kind,
        "event_type": ev.event_type,
        "media_id": ev.media_id,
        "label": ev.label,
        "verdict": str(verdict),
        "production_loss": verdict.production_loss,
        "verdicts": [{"target": t.target, "verdict": str(t.verdict), "copies_delivered": t.copies_delivered,
                      "attempts": t.attempts, "reason": t.reason} for t in per_target],
        "expect": ev.expect,
        "as_expected": as_expected(group),
        "faults": sorted({f for r in group for f in r.event.faults}),
        "variation": list(ev.variation),
        "deliveries": [
            {"target": r.target, "copy": r.event.copy, "dispatch": r.event.dispatch, "at_s": r.event.at,
             "faults": list(r.event.faults), "outcome": str(r.outcome),
             "attempts": [a.to_dict() for a in r.attempts]}
            for r in group
        ],
        "body": orjson.Fragment(ev.body) if raw_body else ev.payload(),
    }


class EntriesAsTheyFinish:
    """The report's event entries, made as each dispatch finishes (in the run's slack, while
    it waits on receivers) instead of all after the run.  Valid while every dispatch is a whole
    event: an injected copy (``copy > 1``) joins an earlier event's entry, so from the first
    one on, the entries are left to :func:`build_report` (``pairs`` becomes None)."""

    def __init__(self, *, raw_body: bool) -> None:
        self.raw_body = raw_body
        self.pairs: list[tuple[Verdict, dict[str, Any]]] | None = []

    def __call__(self, results: list[EventResult]) -> None:
        if self.pairs is None:
            return
        if results[0].event.copy > 1:
            self.pairs = None
            return
        judged = judge_event(results)
        self.pairs.append((judged[0], event_entry(results, raw_body=self.raw_body, judged=judged)))


def as_expected(group: list[EventResult]) -> bool:
    """For the event as a whole: delivered (by some copy) unless it was expected lost."""
    return expected(group[0].event.expect, any(r.delivered for r in group))


def dispatches(results: Iterable[EventResult]) -> list[dict[str, Any]]:
    """The release order of the run (what ``replay`` re-sends), one entry per dispatch."""
    seen: dict[int, dict[str, Any]] = {}
    for r in results:
        ev = r.event
        if ev.dispatch and ev.dispatch not in seen:
            seen[ev.dispatch] = {"dispatch": ev.dispatch, "at_s": ev.at, "event_id": ev.event_id,
                                 "copy": ev.copy, "dropped": ev.dropped, "faults": list(ev.faults)}
    return [seen[k] for k in sorted(seen)]


def summary_counts(c: Counters) -> dict[str, Any]:
    return {
        "events": c.events,
        "deliveries": c.deliveries,
        "delivered": c.delivered + c.delivered_after_retry,
        "delivered_first_attempt": c.delivered,
        "delivered_after_retry": c.delivered_after_retry,
        "lost": c.lost,
        "dropped": c.dropped,
        "duplicates_sent": c.duplicates,
        "attempts": c.attempts,
        "unexpected": c.unexpected,
        "ok": c.unexpected == 0,
    }


def build_report(journal: Journal, *, run: dict[str, Any], policy: dict[str, Any],
                 targets: list[dict[str, Any]], faults: list[dict[str, Any]] | None = None,
                 raw_bodies: bool = False) -> dict[str, Any]:
    """The JSON report; ``raw_bodies``: event bodies kept as the bytes sent (write it with
    :func:`write_json` or :func:`dumps`; the stdlib ``json`` cannot)."""
    c = journal.counters
    made = journal.on_dispatch
    if isinstance(made, EntriesAsTheyFinish) and made.pairs is not None and made.raw_body == raw_bodies:
        pairs = made.pairs
    else:
        pairs = []
        for group in group_by_event(journal.results):     # one pass: each event judged once
            judged = judge_event(group)
            pairs.append((judged[0], event_entry(group, raw_body=raw_bodies, judged=judged)))
    verdicts = Counter(verdict for verdict, _ in pairs)
    events = [entry for _, entry in pairs]
    return {
        "format": FORMAT,
        "tool": {"name": "vod-callback-emulator", "version": __version__},
        "run": run,
        "policy": policy,
        "targets": targets,
        "faults": faults or [],
        "summary": summary_counts(c),
        "timing": journal.timing.describe(),
        **({"load_profile": journal.load.describe()} if journal.load is not None else {}),
        "verdicts": {str(v): n for v, n in sorted(verdicts.items())},
        "events": events,
        "dispatches": dispatches(journal.results),
    }


def dumps(obj: Any, *, indent: bool = False) -> bytes:
    """The report's JSON (bodies are embedded as the exact bytes sent)."""
    return orjson.dumps(obj, option=orjson.OPT_NON_STR_KEYS | (orjson.OPT_INDENT_2 if indent else 0))


def write_json(report: dict[str, Any], path: str) -> None:
    """Pretty at the top, one compact line per event: readable, diffable, and fast to write."""
    head = {k: v for k, v in report.items() if k != "events"}
    text = dumps(head, indent=True)
    with open(path, "wb") as fh:
        fh.write(text[:-2] + b',\n  "events": [')
        for i, entry in enumerate(report["events"]):
            fh.write((b"\n    " if i == 0 else b",\n    ") + dumps(entry))
        fh.write(b"\n  ]\n}\n" if report["events"] else b"]\n}\n")



def attempts_text(result: EventResult) -> str:
    """Short: the status or the failure kind per attempt (the report keeps each detail)."""
    from ..delivery.failures import hint, summarize
    text = summarize(result.attempts)
    tip = hint(result.attempts, result.target)
    return f"{text} — {tip}" if tip else text


def write_junit(journal: Journal, path: str, *, suite: str = "vod-emulator", duration_s: float = 0.0,
                interrupted: bool = False) -> None:
    """One test case per event; an event lost on any target is a failure; an interrupted run
    is one error (the events never released are not there)."""
    groups = group_by_event(journal.results)
    failures = sum(1 for g in groups if not as_expected(g))
    root = ET.Element("testsuites", name=suite, tests=str(len(groups)), failures=str(failures),
                      time=f"{duration_s:.3f}")
    ts = ET.SubElement(root, "testsuite", name=suite, tests=str(len(groups)), failures=str(failures),
                       errors="1" if interrupted else "0", skipped="0", time=f"{duration_s:.3f}")
    if interrupted:
        ET.SubElement(ET.SubElement(ts, "properties"), "property", name="interrupted", value="true")
    for group in groups:
        ev = min((r.event for r in group), key=lambda e: e.copy)
        verdict, per_target = judge_event(group)
        took = sum(a.duration_ms for r in group for a in r.attempts) / 1000
        name = " ".join(x for x in (ev.event_id, ev.label or ev.kind, ev.media_id or "") if x)
        case = ET.SubElement(ts, "testcase", classname=f"{ev.provider}.{ev.event_type}", name=name,
                             time=f"{took:.3f}")
        lines = [f"{r.target} copy {r.event.copy}: {r.outcome} ({attempts_text(r) or 'not sent'})"
                 + (f" [{'; '.join(r.event.faults)}]" if r.event.faults else "") for r in group]
        lines.append(f"verdict: {verdict}; expected {ev.expect}")
        if not as_expected(group):
            worst = max(per_target, key=lambda t: SEVERITY.index(t.verdict))
            if worst.verdict.production_loss:
                failure = ET.SubElement(case, "failure", type=str(worst.verdict),
                                        message=f"{worst.verdict} at {worst.target}: {worst.reason}")
            else:
                failure = ET.SubElement(case, "failure", type="delivered",
                                        message=f"expected lost, but {worst.target} accepted it")
            failure.text = "\n".join(lines)
        else:
            ET.SubElement(case, "system-out").text = "\n".join(lines)
    ET.indent(root)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def summary_lines(journal: Journal, *, policy: dict[str, Any], seed: int | None, max_lost: int = 10,
                  targets: list[dict[str, Any]] = ()) -> list[str]:
    """The summary of a local run, in the words of ``text`` (shared with runs through a server)."""
    c = journal.counters
    lines = [text.counts_line(summary_counts(c), seed), text.rules_line(policy, targets)]
    if c.attempts:
        lines.append(text.timing_line(journal.timing.describe()))
    if journal.load is not None:
        lines.extend(journal.load.lines())
    if journal.keep and any(r.event.faults for r in journal.results):
        lines.append(text.chaos_line(Counter(f.split(" ")[0].rstrip(":") for r in journal.results
                                             if r.event.dispatch for f in r.event.faults)))
    elif c.dropped or c.duplicates:
        lines.append(f"chaos: {c.dropped} dropped, {c.duplicates} duplicate copies sent")
    if journal.keep and journal.results:
        counts = tally(group_by_event(journal.results))
        lines.append(text.verdict_line(lost=counts[Verdict.LOST], dropped=counts[Verdict.DROPPED],
                                       max_attempts=policy["max_attempts"], duplicated=counts[Verdict.DUPLICATED]))
    else:   # a long run keeps no results: the counts are per delivery
        lines.append(text.verdict_line(lost=c.lost, dropped=c.dropped, max_attempts=policy["max_attempts"],
                                       duplicated=None if c.duplicates else 0))
    if c.unexpected:
        lines.append(f"{c.unexpected} deliveries did not go as the run expected")
    for r in journal.surprises[:max_lost]:
        ev = r.event
        lines.append(f"DELIVERED (expected lost) {ev.event_id} {ev.label or ev.kind} {ev.media_id or ''} → {r.target}")
    lost = journal.lost
    for r in lost[:max_lost]:
        ev = r.event
        note = " (expected)" if ev.expect != "delivered" else ""
        lines.append(f"LOST{note} {ev.event_id} {ev.label or ev.kind} {ev.media_id or ''} → {r.target}: "
                     f"{attempts_text(r)}")
    if c.lost > max_lost:
        lines.append(f"… and {c.lost - max_lost} more lost (see --report)")
    return lines
