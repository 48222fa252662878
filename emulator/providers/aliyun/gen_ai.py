"""AI events: AIMediaAuditComplete, AIMediaDNAComplete, AIVideoTagComplete.

``Data`` follows the type of each event's example: an object for the review, a JSON
string for DNA and tagging.  On failure ``Data`` (marked always present) is empty.
"""

from __future__ import annotations

import json
import random
from datetime import timedelta

from .catalog import EventKind
from .context import GenContext
from .gen_common import RESOURCE_BAD, Body, body, choice, event_time, failure
from .media import MediaAsset, fmt_time, hex_id, oss_url, seconds_before

SUGGESTIONS = ("pass", "review", "block")
TERRORISM_LABELS = ("terrorism", "outfit", "logo", "weapon", "politics", "others")
TOP = 10  # TopList holds the ten highest-scoring frames


# Pages that show EventTime with milliseconds (current zh: yyyy-MM-ddTHH:mm:ss:SSSZ).
MS_KINDS = frozenset({"AIMediaAuditComplete", "AIMediaDNAComplete"})


def _opening(kind: EventKind, ctx: GenContext, media: MediaAsset) -> tuple[tuple[str, object], ...]:
    err = None if ctx.ok else failure(ctx, RESOURCE_BAD)
    return (
        ("EventTime", event_time(ctx, "colon-ms" if kind.name in MS_KINDS else "seconds")),
        ("EventType", kind.event_type),
        ("JobId", hex_id(ctx.rng)),
        ("MediaId", media.video_id),
        ("Status", kind.status_word(ctx.ok)),
        ("Code", "0" if err is None else err.code),
        ("Message", "OK" if err is None else err.message),
    )


def _score(value: float) -> str:
    return f"{value:.10f}"


def _scene(rng: random.Random, media: MediaAsset, frames: list[int], abnormal: str | None,
           others: tuple[str, ...]) -> Body:
    """A PornResult/TerrorismResult: per-frame labels, counters and the top list."""
    hits = set(rng.sample(range(len(frames)), k=rng.randint(1, max(1, len(frames) // 3)))) if abnormal else set()
    scored = [(abnormal, rng.uniform(85.0, 99.99), t) if i in hits else ("normal", rng.uniform(90.0, 100.0), t)
              for i, t in enumerate(frames)]
    label = abnormal or "normal"
    picked = [s for s in scored if s[0] == label]
    top = sorted(picked, key=lambda s: -s[1])[:TOP]
    counts = {name: sum(1 for s in scored if s[0] == name) for name in (*others, "normal")}
    return {
        "TopList": [{"Score": _score(score), "Label": lab, "Timestamp": str(t),
                     "Url": oss_url(media.host, f"aivideocensor/{hex_id(rng)}.jpg")} for lab, score, t in top],
        "Suggestion": "pass" if abnormal is None else ("block" if abnormal == "porn" else "review"),
        "MaxScore": _score(top[0][1]),
        "AverageScore": _score(sum(s[1] for s in picked) / len(picked)),
        "Label": label,
        "CounterList": [{"Label": name, "Count": count} for name, count in counts.items()],
    }


def _audit_data(ctx: GenContext, media: MediaAsset) -> Body:
    suggestion = choice(ctx, "suggestion", SUGGESTIONS, "pass")
    count = max(1, min(int(media.duration), 120))
    frames = [int(i * media.duration / count * 1000) + 5 for i in range(count)]
    porn_label = {"pass": None, "review": "sexy", "block": "porn"}[suggestion]
    label = "normal" if porn_label is None else "porn"
    video = {
        "Suggestion": suggestion,
        "TerrorismResult": _scene(ctx.rng, media, frames, None, TERRORISM_LABELS),
        "Label": label,
        "PornResult": _scene(ctx.rng, media, frames, porn_label, ("porn", "sexy")),
    }
    cover = {
        "Suggestion": "pass",
        "Type": "cover",
        "Label": "normal",
        "Url": oss_url(media.host, f"{media.prefix}/covers/{hex_id(ctx.rng)}-00001.jpg"),
        "Result": [
            {"Suggestion": "pass", "Score": f"{ctx.rng.uniform(60, 100):.2f}", "Label": "normal", "Scene": "porn"},
            {"Suggestion": "pass", "Score": f"{ctx.rng.uniform(60, 100):.2f}", "Label": "normal", "Scene": "terrorism"},
        ],
    }
    title = {"Suggestion": "pass", "Type": "title", "Score": f"{ctx.rng.uniform(90, 100):.2f}",
             "Content": media.title, "Label": "normal", "Scene": "antispam"}
    return {
        "AbnormalModules": "" if porn_label is None else "video",
        "Label": label,
        "Suggestion": suggestion,
        "VideoResult": video,
        "ImageResult": [cover],
        "TextResult": [title],
    }


def media_audit(kind: EventKind, ctx: GenContext, media: MediaAsset) -> Body:
    opening = _opening(kind, ctx, media)
    return body(*opening, ("Data", _audit_data(ctx, media) if ctx.ok else {}))


def _dna_data(ctx: GenContext, media: MediaAsset) -> str:
    matches = []
    for _ in range(int(ctx.params.get("matches", 1))):
        start = round(ctx.rng.uniform(0, media.duration / 2), 1)
        length = round(ctx.rng.uniform(1.0, media.duration - start), 1)
        other = round(ctx.rng.uniform(0, 30), 1)
        matches.append({
            "Similarity": f"{ctx.rng.uniform(0.8, 1.0):.2f}",
            "PrimaryKey": hex_id(ctx.rng),
            "Detail": [{
                "Input": {"Start": str(start), "Duration": str(length)},
                "Duplication": {"Start": str(other), "Duration": str(round(length * ctx.rng.uniform(0.95, 1.05), 1))},
            }],
        })
    return json.dumps({"VideoDNA": matches}, ensure_ascii=False, separators=(",", ":"))


def media_dna(kind: EventKind, ctx: GenContext, media: MediaAsset) -> Body:
    opening = _opening(kind, ctx, media)
    # The example's CompleteTime (07:49:35) is 18 s after its EventTime (07:49:17:025).
    complete = ctx.event_time + timedelta(seconds=ctx.rng.randint(5, 30))
    return body(
        *opening,
        ("Data", _dna_data(ctx, media) if ctx.ok else "{}"),
        ("CompleteTime", fmt_time(complete)),
    )


def _times(rng: random.Random, media: MediaAsset, most: int) -> list[str]:
    limit = max(1, int(media.duration * 1000))
    picks = sorted(rng.sample(range(0, limit, 10), k=min(rng.randint(1, most), limit // 10 or 1)))
    return [str(t) for t in picks]


def _tag_data(ctx: GenContext, media: MediaAsset) -> str:
    rng, faker = ctx.rng, ctx.faker
    keywords = [{"Times": _times(rng, media, 9), "Tag": faker.word().capitalize()}
                for _ in range(rng.randint(2, 6))]
    face = hex_id(rng).upper()
    face_dir = f"{face[:8]}-{face[8:12]}-{face[12:16]}-{face[16:20]}-{face[20:]}"
    person = [{"Times": _times(rng, media, 3), "Tag": faker.first_name(),
               "FaceUrl": oss_url(media.host, f"aivideotag/{face_dir}/Index_{rng.randint(1, 99):05d}.jpg")}]
    location = [{"Times": _times(rng, media, 3), "Tag": faker.country()}]
    data = {"Keyword": keywords, "Person": person, "Location": location}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def video_tag(kind: EventKind, ctx: GenContext, media: MediaAsset) -> Body:
    opening = _opening(kind, ctx, media)
    return body(*opening, ("Data", _tag_data(ctx, media) if ctx.ok else "{}"))

