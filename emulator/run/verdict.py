"""The verdict: what each event's delivery means for a receiver in production.

For one event (all its copies, one target) it is one of:
``delivered``; ``delivered_after_retry`` (with how many attempts); ``duplicated`` (how many
copies the receiver accepted with 200); ``dropped`` (an injected loss: never sent);
``lost`` (every attempt of every copy failed: the service would have discarded it).
The last two are events the receiver would have lost in production.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from .journal import EventOutcome, EventResult


class Verdict(StrEnum):
    DELIVERED = "delivered"
    DELIVERED_AFTER_RETRY = "delivered_after_retry"
    DUPLICATED = "duplicated"
    DROPPED = "dropped"
    LOST = "lost"

    @property
    def production_loss(self) -> bool:
        return self in (Verdict.DROPPED, Verdict.LOST)


SEVERITY = list(Verdict)   # later is worse


@dataclass(slots=True, unsafe_hash=True)   # never changed once made; not frozen (cost): see journal.Attempt
class TargetVerdict:
    target: str
    verdict: Verdict
    copies_delivered: int       # copies the receiver answered 200 to
    attempts: int               # attempts over all copies
    reason: str                 # why, in words (for lost: the last attempt's failure)


def judge(results: list[EventResult]) -> TargetVerdict:
    """The verdict for one event at one target; ``results`` are its copies there."""
    if len(results) == 1:
        return _judge_single(results[0])
    delivered = [r for r in results if r.delivered]
    attempts = sum(len(r.attempts) for r in results)
    target = results[0].target
    if all(r.outcome is EventOutcome.DROPPED for r in results):
        return _dropped(target)
    if not delivered:
        sent = [r for r in results if r.attempts]
        return _lost(target, attempts, sent[-1].attempts if sent else ())
    if len(delivered) > 1:
        return TargetVerdict(target, Verdict.DUPLICATED, len(delivered), attempts,
                             f"{len(delivered)} copies accepted with 200")
    return _accepted(target, len(delivered[0].attempts), attempts)


def _judge_single(r: EventResult) -> TargetVerdict:
    """``judge`` of one copy at one target (nearly every event of a run), without the lists."""
    attempts = r.attempts
    if r.event.dropped:
        return _dropped(r.target)
    if attempts and attempts[-1].ok:
        return _accepted(r.target, len(attempts), len(attempts))
    return _lost(r.target, len(attempts), attempts)


def _dropped(target: str) -> TargetVerdict:
    return TargetVerdict(target, Verdict.DROPPED, 0, 0, "dropped by chaos: never sent")


def _lost(target: str, attempts: int, last_copy: tuple) -> TargetVerdict:
    """Every attempt failed; the reason names the last copy sent's attempts and last failure."""
    last = last_copy[-1].detail if last_copy else "never sent"
    return TargetVerdict(target, Verdict.LOST, 0, attempts, f"{len(last_copy)} failed attempts, last: {last}")


def _accepted(target: str, on_attempt: int, attempts: int) -> TargetVerdict:
    if on_attempt > 1:
        return TargetVerdict(target, Verdict.DELIVERED_AFTER_RETRY, 1, attempts, f"accepted on attempt {on_attempt}")
    return TargetVerdict(target, Verdict.DELIVERED, 1, attempts, "accepted on the first attempt")


def judge_event(results: list[EventResult]) -> tuple[Verdict, list[TargetVerdict]]:
    """Verdicts per target for one event (all copies), and the worst of them."""
    if len(results) == 1:
        one = _judge_single(results[0])
        return one.verdict, [one]
    by_target: dict[str, list[EventResult]] = {}
    for r in results:
        by_target.setdefault(r.target, []).append(r)
    per_target = [judge(rs) for rs in by_target.values()]
    return max((t.verdict for t in per_target), key=SEVERITY.index), per_target


def tally(groups: Iterable[list[EventResult]]) -> Counter:
    return Counter(judge_event(g)[0] for g in groups)
