"""What a run through the server did, as the Python API hands it back, and its text form."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..run import text


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
    """The same per-attempt lines and summary as ``vod-emulator trigger``/``run`` print."""
    run = report.get("run", {})
    what = run.get("scenario") or run.get("event_type") or ""
    head = " ".join(x for x in (run_id, run.get("command", "run"), what) if x)
    return [f"{head}:", *text.report_attempt_lines(report), *text.report_summary_lines(report)]
