"""What a run through the server did, as the Python API hands it back, and its text form."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class RunReport:
    """The outcome of one ``trigger`` or scenario run: the server's JSON report, with shortcuts.

    ``raw`` is the full ``vod-emulator-report/1`` document (see the README's "Reports").
    """

    run_id: str
    ok: bool                                  # every event went as expected (by default: delivered)
    summary: dict[str, Any]                   # counts: events, delivered, lost, dropped, attempts…
    verdicts: dict[str, int]                  # verdict → number of events
    not_selected: dict[str, int]              # event types the region's EventTypeList left out
    raw: dict[str, Any] = field(repr=False)

    @property
    def events(self) -> list[dict[str, Any]]:
        """One entry per event: ``event_id``, ``event_type``, ``media_id``, ``verdict``,
        ``deliveries`` (each with its ``attempts``) and the exact ``body``."""
        return list(self.raw.get("events", []))

    def with_verdict(self, verdict: str) -> list[dict[str, Any]]:
        """The events judged ``verdict`` (delivered, delivered_after_retry, duplicated, dropped, lost)."""
        return [e for e in self.events if e["verdict"] == verdict]

    @property
    def bodies(self) -> list[dict[str, Any]]:
        """The event bodies that were generated, in the order their delivery finished."""
        return [e["body"] for e in self.events]

    def journal_lines(self) -> list[str]:
        """The run as text: one line per event, one per attempt (what a failing test shows)."""
        return journal_lines(self.raw, run_id=self.run_id)


def journal_lines(report: dict[str, Any], *, run_id: str = "") -> list[str]:
    run = report.get("run", {})
    policy = report.get("policy", {})
    s = report.get("summary", {})
    what = run.get("scenario") or run.get("event_type") or run.get("command", "run")
    head = f"{run_id + ' ' if run_id else ''}{run.get('command', 'run')} {what}".strip()
    lines = [f"{head}: {s.get('events', 0)} events, {s.get('delivered', 0)} delivered, {s.get('lost', 0)} lost, "
             f"{s.get('dropped', 0)} dropped, {s.get('attempts', 0)} attempts"]
    max_attempts = policy.get("max_attempts", 3)
    for entry in report.get("events", []):
        lines.append(f"  {entry['event_id']} {entry['event_type']:<28} {entry.get('media_id') or '':<33} "
                     f"{entry['verdict']}")
        for d in entry.get("deliveries", []):
            copy = f" copy {d['copy']}" if d.get("copy", 1) > 1 else ""
            for a in d.get("attempts", []):
                lines.append(f"      → {d['target']}{copy} attempt {a['attempt']}/{max_attempts}: "
                             f"{a['detail']} ({a['duration_ms']:.0f} ms)")
            if not d.get("attempts"):
                lines.append(f"      → {d['target']}{copy}: not sent ({', '.join(d.get('faults', [])) or 'dropped'})")
    return lines
