"""The AI result sets a task flow may carry in ProcedureStateChanged: content review
(AiContentReviewResultSet), content analysis (AiAnalysisResultSet) and recognition
(AiRecognitionResultSet).  Shapes follow the SDK models (AiContentReviewResult,
AiAnalysisResult, AiRecognitionResult); a logged production body shows the review items
(Porn / Terrorism / Political)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from ..aliyun.context import GenContext
from .gen_common import Body, Failure, body, task_times
from .media import TencentMedia, fmt_time
from .shape import keeps

AI_DEFINITION = 10   # the preset AI templates (review, analysis, recognition) are 10
REVIEW_TYPES = {"Porn": ("PornTask", ("porn", "sexy", "vulgar")), "Terrorism": ("TerrorismTask", ("guns", "crowd")),
                "Political": ("PoliticalTask", ("politician", "violation_photo"))}
ANALYSIS_TYPES = {"Classification": "ClassificationTask", "Tag": "TagTask", "Cover": "CoverTask"}
RECOGNITION_TYPES = {"HeadTailRecognition": "HeadTailTask"}
PARAMS: dict[str, str] = {
    "ai_review": "AiContentReviewResultSet items, among " + ", ".join(REVIEW_TYPES) + " (default none: [])",
    "ai_review_suggestion": "pass | review | block, for every review item (default pass)",
    "ai_analysis": "AiAnalysisResultSet items, among " + ", ".join(ANALYSIS_TYPES) + " (default none: [])",
    "ai_recognition": "AiRecognitionResultSet items, among " + ", ".join(RECOGNITION_TYPES) + " (default none: [])",
}
SUGGESTIONS = ("pass", "review", "block")


@dataclass(slots=True)
class AiSets:
    review: list[Body] = field(default_factory=list)
    analysis: list[Body] = field(default_factory=list)
    recognition: list[Body] = field(default_factory=list)
    failed: bool = False


def _names(ctx: GenContext, knob: str, allowed: dict[str, Any]) -> tuple[str, ...]:
    value = ctx.params.get(knob, ())
    names = (value,) if isinstance(value, str) else tuple(value)
    bad = [n for n in names if n not in allowed]
    if bad:
        raise ValueError(f"params.{knob} = {value!r}; expected a list of {', '.join(allowed)}")
    return names


def _status(err: Failure | None) -> list[tuple[str, Any]]:
    ok = err is None
    return [("Status", "SUCCESS" if ok else "FAIL"), ("ErrCodeExt", "" if ok else err.ext),
            ("ErrCode", 0 if ok else err.code), ("Message", "" if ok else err.message)]


def result_sets(ctx: GenContext, media: TencentMedia, err: Failure | None) -> AiSets:
    sets = AiSets(failed=err is not None)
    suggestion = ctx.params.get("ai_review_suggestion", "pass")
    if suggestion not in SUGGESTIONS:
        raise ValueError(f"params.ai_review_suggestion = {suggestion!r}; expected one of {', '.join(SUGGESTIONS)}")
    for name in _names(ctx, "ai_review", REVIEW_TYPES):
        key, labels = REVIEW_TYPES[name]
        sets.review.append({"Type": name, key: body(
            *_status(err), ("Input", {"Definition": AI_DEFINITION}),
            ("Output", _review_output(ctx, media, name, labels, suggestion) if err is None else None),
            ("Progress", 100))})
    for name in _names(ctx, "ai_analysis", ANALYSIS_TYPES):
        begin, finish = task_times(ctx, media, 0.1)
        sets.analysis.append({"Type": name, ANALYSIS_TYPES[name]: body(
            *_status(err), ("Input", {"Definition": AI_DEFINITION}),
            ("Output", _analysis_output(ctx, media, name) if err is None else None),
            ("Progress", 100), ("BeginProcessTime", begin), ("FinishTime", finish))})
    for name in _names(ctx, "ai_recognition", RECOGNITION_TYPES):
        begin, finish = task_times(ctx, media, 0.1)
        head = round(min(media.duration, ctx.rng.uniform(2.0, 8.0)), 3)
        output = {"HeadConfidence": round(ctx.rng.uniform(80, 99), 1), "HeadTimeOffset": head,
                  "TailConfidence": round(ctx.rng.uniform(80, 99), 1),
                  "TailTimeOffset": round(max(head, media.duration - ctx.rng.uniform(2.0, 8.0)), 3)}
        sets.recognition.append({"Type": name, RECOGNITION_TYPES[name]: body(
            *_status(err), ("Input", {"Definition": AI_DEFINITION}), ("Output", output if err is None else None),
            ("Progress", 100), ("BeginProcessTime", begin), ("FinishTime", finish))})
    return sets


def _review_output(ctx: GenContext, media: TencentMedia, name: str, labels: tuple[str, ...], suggestion: str) -> Body:
    if suggestion == "pass":
        return {"Confidence": 0, "Suggestion": "pass", "Label": "", "SegmentSet": []}
    label = ctx.rng.choice(labels)
    confidence = round(ctx.rng.uniform(75, 99), 1) if suggestion == "block" else round(ctx.rng.uniform(50, 75), 1)
    at = round(ctx.rng.uniform(0, media.duration), 3)
    expires = ctx.event_time + timedelta(days=1)
    segment_model = "MediaContentReviewPoliticalSegmentItem" if name == "Political" else "MediaContentReviewSegmentItem"
    segment = body(
        ("StartTimeOffset", at), ("EndTimeOffset", round(min(media.duration, at + 1), 3)),
        ("Confidence", confidence), ("Suggestion", suggestion), ("Label", label),
        ("Url", media.output_url(f"review/{name.lower()}_{int(at * 1000)}.jpg")),
        ("PicUrlExpireTimeStamp", int(expires.timestamp()) if keeps(ctx.params, segment_model) else None),
        ("PicUrlExpireTime", fmt_time(expires)))
    return {"Confidence": confidence, "Suggestion": suggestion, "Label": label, "SegmentSet": [segment]}


def _analysis_output(ctx: GenContext, media: TencentMedia, name: str) -> Body:
    words = ctx.faker.words(3)
    if name == "Classification":
        return {"ClassificationSet": [{"Classification": w, "Confidence": round(ctx.rng.uniform(60, 99), 1)}
                                      for w in words[:2]]}
    if name == "Tag":
        return {"TagSet": [{"Tag": w, "Confidence": round(ctx.rng.uniform(60, 99), 1)} for w in words]}
    return {"CoverSet": [{"CoverUrl": media.output_url(f"aiCover/{i}.jpg"),
                          "Confidence": round(ctx.rng.uniform(60, 99), 1)} for i in range(2)]}
