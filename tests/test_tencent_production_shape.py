"""Bodies as production sends them, checked against the SDK's own models.

Every generated body loads into ``tencentcloud-sdk-python-vod``'s ``models.EventContent``
with no warning (the SDK warns about members its models lack; warnings are errors here),
and no deprecated field is set beyond what ``params.deprecated`` allows.  The deprecated
fields are read from the SDK source itself (property getters that warn "parameter `X` is
deprecated"), so a newer SDK that deprecates more is checked without editing this file.
"""

from __future__ import annotations

import inspect
import re
from typing import Any

import pytest
from tencentcloud.common.abstract_model import AbstractModel
from tencentcloud.vod.v20180717 import models as sdk

from emulator.providers.tencent.catalog import KINDS, PAYLOAD_KEYS
from emulator.providers.tencent.gen_procedure import TASK_NAMES
from emulator.providers.tencent.shape import AI_SETS, DEPRECATED, TASK_KEYS
from tests.test_tencent_generate import FORMS, FORM_IDS, gen

EVERYTHING = {"tasks": list(TASK_NAMES), "ai_review": ["Porn", "Terrorism", "Political"],
              "ai_review_suggestion": "review", "ai_analysis": ["Classification", "Tag", "Cover"],
              "ai_recognition": ["HeadTailRecognition"]}


def sdk_deprecated() -> dict[str, set[str]]:
    """{model class: deprecated field names}, from the installed SDK's source."""
    found: dict[str, set[str]] = {}
    current = None
    for line in inspect.getsource(sdk).splitlines():
        if m := re.match(r"class (\w+)\(", line):
            current = m.group(1)
        elif (m := re.search(r"parameter `(\w+)` is deprecated", line)) and current:
            found.setdefault(current, set()).add(m.group(1))
    return found


DEPRECATED_IN_SDK = sdk_deprecated()


def set_deprecated(model: AbstractModel) -> set[tuple[str, str]]:
    """(class, field) of every deprecated field holding a value, read without the warning getters."""
    out: set[tuple[str, str]] = set()
    name = type(model).__name__
    for attr, value in vars(model).items():
        field = attr.lstrip("_")
        if value is not None and field in DEPRECATED_IN_SDK.get(name, ()):
            out.add((name, field))
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, AbstractModel):
                out |= set_deprecated(item)
    return out


def load(body: dict[str, Any]) -> sdk.EventContent:
    content = sdk.EventContent()
    content._deserialize(body)    # warns "<fields> fileds are useless" for unknown members
    return content


def test_the_sdk_still_marks_what_we_handle() -> None:
    for model, fields in DEPRECATED.items():
        assert set(fields) <= DEPRECATED_IN_SDK.get(model, set()), model


@pytest.mark.parametrize("nulls", [True, False])
@pytest.mark.parametrize("mode", ["production", "none", "all"])
@pytest.mark.parametrize(("name", "ok"), FORMS, ids=FORM_IDS)
def test_every_body_loads_into_event_content(name: str, ok: bool, mode: str, nulls: bool) -> None:
    params: dict[str, Any] = {"deprecated": mode, "null_members": nulls}
    if name == "ProcedureStateChanged":
        params |= EVERYTHING
    content = load(gen(name, 3, ok=ok, extend="ctx", params=params))
    assert content.EventType == next(k.event_type for k in KINDS if k.name == name)
    found = set_deprecated(content)
    if mode == "none":
        assert found == set()
    elif mode == "production":
        assert found == ({("ProcedureTask", "ErrCode"), ("ProcedureTask", "Message")}
                         if name == "ProcedureStateChanged" else set())
    else:
        assert {m for m, _ in found} <= set(DEPRECATED)
        if name in ("ProcedureStateChanged", "RestoreMediaComplete"):
            assert found


def test_procedure_state_changed_as_production_sends_it() -> None:
    body = gen("ProcedureStateChanged", 5)
    task = body["ProcedureStateChangeEvent"]
    # The receiver check production bodies satisfy: Status FINISH and Message SUCCESS.
    assert (task["Status"], task["ErrCode"], task["Message"]) == ("FINISH", 0, "SUCCESS")
    assert re.fullmatch(r"\d{10}-procedurev2-[0-9a-f]{32}t0", task["TaskId"])
    assert all(task[key] == [] for key in AI_SETS)
    assert all(body[k] is None for k in PAYLOAD_KEYS if k != "ProcedureStateChangeEvent")
    for item in task["MediaProcessResultSet"]:
        assert list(item) == ["Type", *TASK_KEYS]
        assert sum(item[k] is not None for k in TASK_KEYS) == 1


def test_procedure_state_changed_carries_every_result_type() -> None:
    task = gen("ProcedureStateChanged", 6, params=EVERYTHING)["ProcedureStateChangeEvent"]
    assert {r["Type"] for r in task["MediaProcessResultSet"]} == {
        "Transcode", "AnimatedGraphics", "SnapshotByTimeOffset", "SampleSnapshot", "ImageSprites",
        "CoverBySnapshot", "AdaptiveDynamicStreaming"}
    assert [r["Type"] for r in task["AiContentReviewResultSet"]] == ["Porn", "Terrorism", "Political"]
    assert [r["Type"] for r in task["AiAnalysisResultSet"]] == ["Classification", "Tag", "Cover"]
    assert [r["Type"] for r in task["AiRecognitionResultSet"]] == ["HeadTailRecognition"]
    review = task["AiContentReviewResultSet"][0]["PornTask"]["Output"]
    assert review["Suggestion"] == "review" and "PicUrlExpireTimeStamp" not in review["SegmentSet"][0]
    loaded = load(gen("ProcedureStateChanged", 6, params=EVERYTHING)).ProcedureStateChangeEvent
    assert loaded.AiContentReviewResultSet[0].PornTask.Output.Suggestion == "review"
    assert loaded.MediaProcessResultSet[-1].AdaptiveDynamicStreamingTask is not None


def test_bad_style_knobs_are_refused() -> None:
    with pytest.raises(ValueError, match="params.deprecated"):
        gen("NewFileUpload", params={"deprecated": "some"})
    with pytest.raises(ValueError, match="params.null_members"):
        gen("NewFileUpload", params={"null_members": "yes"})
    with pytest.raises(ValueError, match="params.ai_review"):
        gen("ProcedureStateChanged", params={"ai_review": ["Gore"]})
