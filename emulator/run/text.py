"""A run in words, written once: the per-attempt line, the progress line and the summary,
for local runs, runs through a server (from their JSON report), ``logs`` and the pytest plugin.

Nothing here prints; callers do.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

ERROR_WORDS = {"timeout": "timeout", "connection_refused": "connection refused",
               "connection_reset": "connection reset", "dns": "DNS failure", "tls": "TLS error",
               "protocol": "protocol error", "error": "error"}


def body_fields(body: bytes | str | Mapping[str, Any]) -> tuple[str, str]:
    """(EventTime's hh:mm:ss, the Status/Definition words) of an event body."""
    if not isinstance(body, Mapping):
        try:
            body = json.loads(body)
        except ValueError:
            return "", ""
        if not isinstance(body, Mapping):
            return "", ""
    when = str(body.get("EventTime", ""))[11:19]
    detail = " ".join(str(body[k]) for k in ("Status", "Definition") if isinstance(body.get(k), str))
    return when, detail


def _stamp(iso: str) -> float:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def gap_s(previous: Mapping[str, Any] | None, attempt: Mapping[str, Any]) -> float | None:
    """Seconds from the end of ``previous`` to the start of ``attempt`` (None for a first attempt)."""
    if previous is None:
        return None
    return max(0.0, _stamp(attempt["started_at"]) - _stamp(previous["started_at"]) - previous["duration_ms"] / 1000)


def answer(attempt: Mapping[str, Any]) -> str:
    """What came back: the status code, or how the attempt failed."""
    if attempt.get("status") is not None:
        return str(attempt["status"])
    return ERROR_WORDS.get(str(attempt.get("error")), str(attempt.get("error")))


def attempt_line(*, event_type: str, media_id: str | None, body: bytes | str | Mapping[str, Any],
                 attempt: Mapping[str, Any], max_attempts: int, gap: float | None, copy: int = 1,
                 target: str | None = None, signature: str | None = None, outcome: str | None = None) -> str:
    """``  ← 09:12:01 TranscodeComplete  <VideoId>  success  attempt 2/3 (+1.0 s)  → 500``.

    Retries say ``attempt n/N (+gap)``; an injected duplicate says ``chaos duplicate #n``;
    the last failed attempt ends with ``lost``.
    """
    when, detail = body_fields(body)
    notes = []
    if copy > 1:
        notes.append(f"chaos duplicate #{copy}")
    number = int(attempt["attempt"])
    if number > 1:
        notes.append(f"attempt {number}/{max_attempts}" + (f" (+{gap:.1f} s)" if gap is not None else ""))
    if signature is not None:
        notes.append(f"sig={signature}")
    if target:
        notes.append(f"@ {target}")
    tail = f"  → {answer(attempt)}"
    if outcome == "lost":
        tail += "  lost"
    note = ("  " + "  ".join(notes)) if notes else ""
    return f"  ← {when:<8} {event_type:<28} {media_id or '':<33} {detail:<10}{note}{tail}"


def report_attempt_lines(report: Mapping[str, Any]) -> list[str]:
    """Every attempt of a JSON report, as :func:`attempt_line`, in the order they started."""
    max_attempts = int(report.get("policy", {}).get("max_attempts", 3))
    several = len(report.get("targets", [])) > 1
    rows: list[tuple[str, str]] = []
    for entry in report.get("events", []):
        for d in entry.get("deliveries", []):
            previous = None
            attempts = d.get("attempts", [])
            for i, a in enumerate(attempts):
                last = i == len(attempts) - 1
                rows.append((a["started_at"], attempt_line(
                    event_type=entry["event_type"], media_id=entry.get("media_id"), body=entry.get("body", {}),
                    attempt=a, max_attempts=max_attempts, gap=gap_s(previous, a), copy=int(d.get("copy", 1)),
                    target=d["target"] if several else None,
                    outcome="lost" if last and d.get("outcome") == "lost" else None)))
                previous = a
    return [line for _, line in sorted(rows, key=lambda r: r[0])]


def timing_line(timing: Mapping[str, Any]) -> str:
    """How exactly the run kept to its timeline (``Timing.describe()``, the report's ``timing``)."""
    r, g, cut = timing["release_lateness_ms"], timing["retry_gap_error_ms"], timing["attempt_cut_error_ms"]
    line = f"timing: release lateness p50 {r['p50_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms, max {r['max_ms']:.1f} ms"
    if g["count"]:
        line += f"; retry gap error p99 {g['p99_ms']:.1f} ms over {g['count']} gap(s)"
    if cut["count"]:
        line += f"; timeout cut error p99 {cut['p99_ms']:.1f} ms"
    if timing.get("limit_waits"):
        line += (f"; connection limit {timing['connection_limit']} reached {timing['limit_waits']} time(s): "
                 f"{timing['released_late']} event(s) released late, by up to {r['max_ms'] / 1000:.2f} s")
    return line


def chaos_line(kinds: Mapping[str, int]) -> str:
    return "chaos: " + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))


def verdict_line(*, lost: int, dropped: int, max_attempts: int, duplicated: int | None) -> str:
    """The one phrasing of the verdict, for every command and the pytest plugin."""
    line = (f"verdict: in production the receiver would have lost {lost + dropped} event(s) "
            f"({lost} after {max_attempts} failed attempts, {dropped} dropped callbacks)")
    return line if duplicated is None else f"{line}; {duplicated} arrived more than once"


def counts_line(summary: Mapping[str, Any], seed: int | None) -> str:
    events, deliveries = summary["events"], summary["deliveries"]
    per = "" if deliveries == events else f" ({deliveries} deliveries)"
    return (f"{events} event{'' if events == 1 else 's'}{per}: {summary['delivered']} delivered "
            f"({summary['delivered_first_attempt']} first attempt, {summary['delivered_after_retry']} after retries), "
            f"{summary['lost']} lost, {summary['attempts']} attempts" + (f"  [seed {seed}]" if seed is not None else ""))


def rules_line(policy: Mapping[str, Any], targets: Iterable[Mapping[str, Any]]) -> str:
    success = " / ".join(dict.fromkeys(
        "MNS message written (201)" if t.get("type") == "mns" else
        "HTTP 2xx" if t.get("success_rule") == "any 2xx" else "HTTP 200 only" for t in targets)) or "HTTP 200 only"
    scaled = ("" if policy["time_scale"] == 1 else
              f" (time scale {policy['time_scale']:g} → {policy['effective_retry_interval_s']:g} s)")
    return (f"rules: success = {success} · {policy['max_attempts']} attempts · "
            f"{policy['retry_interval_s']:g} s apart{scaled} · {policy['timeout_s']:g} s timeout")


def report_summary_lines(report: Mapping[str, Any], *, max_lost: int = 10) -> list[str]:
    """The summary of a JSON report, worded exactly as a local run's (``report.summary_lines``)."""
    summary, policy = report["summary"], report["policy"]
    verdicts = report.get("verdicts", {})
    lines = [counts_line(summary, report.get("run", {}).get("seed")), rules_line(policy, report.get("targets", []))]
    if summary.get("attempts") and report.get("timing"):
        lines.append(timing_line(report["timing"]))
    kinds = Counter(f.split(" ")[0].rstrip(":") for e in report.get("events", []) for d in e.get("deliveries", [])
                    if d.get("dispatch") for f in d.get("faults", []))
    if kinds:
        lines.append(chaos_line(kinds))
    elif summary.get("dropped") or summary.get("duplicates_sent"):
        lines.append(f"chaos: {summary.get('dropped', 0)} dropped, {summary.get('duplicates_sent', 0)} "
                     f"duplicate copies sent")
    lines.append(verdict_line(lost=verdicts.get("lost", 0), dropped=verdicts.get("dropped", 0),
                              max_attempts=policy["max_attempts"], duplicated=verdicts.get("duplicated", 0)))
    if summary.get("unexpected"):
        lines.append(f"{summary['unexpected']} deliveries did not go as the run expected")
    lost = [(e, d) for e in report.get("events", []) for d in e.get("deliveries", []) if d.get("outcome") == "lost"]
    for entry, d in lost[:max_lost]:
        note = " (expected)" if entry.get("expect", "delivered") != "delivered" else ""
        tried = "; ".join(f"#{a['attempt']} {a['detail']}" for a in d.get("attempts", []))
        lines.append(f"LOST{note} {entry['event_id']} {entry.get('label') or entry['kind']} "
                     f"{entry.get('media_id') or ''} → {d['target']}: {tried}")
    if len(lost) > max_lost:
        lines.append(f"… and {len(lost) - max_lost} more lost (see --report)")
    return lines


def progress_line(*, released: int, planned: int | None, delivered: int, lost: int, elapsed_s: float,
                  left_s: float | None, timeline_s: float | None) -> str:
    """``progress: 12/20 released, 10 delivered, 1 lost · 5.0 s elapsed · 11.0 s left of a 16.0 s timeline``."""
    of = f"/{planned}" if planned is not None else ""
    line = f"progress: {released}{of} released, {delivered} delivered, {lost} lost · {elapsed_s:.1f} s elapsed"
    if left_s is not None and timeline_s is not None:
        line += f" · {left_s:.1f} s left of a {timeline_s:.1f} s timeline"
    return line


def timeline_line(*, events: int | None, timeline_s: float, time_scale: float) -> str:
    """Said before the first event leaves: how long the run will take on its timeline."""
    what = f"{events} event{'' if events == 1 else 's'}" if events is not None else "events"
    real = ("" if time_scale == 1 else
            " (as fast as delivery goes at time scale 0)" if time_scale == 0 else
            f" ({timeline_s * time_scale:.1f} s at time scale {time_scale:g})")
    return f"timeline: {what} over {timeline_s:.1f} s{real}"
