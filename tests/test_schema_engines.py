"""The fast validator (jsonschema-rs, on the hot path) and the reference one (jsonschema,
for messages) must give the same verdict on every body we know of."""

from __future__ import annotations

import copy
import json
import random
from datetime import datetime, timezone
from pathlib import Path

from emulator.providers import schemas
from emulator.providers.aliyun import catalog
from emulator.providers.aliyun.factory import EventFactory

FIXTURES = json.loads((Path(__file__).parent / "fixtures" / "aliyun_examples.json").read_text())
BAD_VALUES = ["abc", "", -1, 1.5, None, True, [], {}, "2017-03-20 07:49:17", "Success", "x" * 600]


def bodies():
    for entry in FIXTURES:
        yield entry["body"]
    factory = EventFactory(seed=11, start_time=datetime(2026, 1, 1, tzinfo=timezone.utc))
    for i, k in enumerate(catalog.KINDS):
        for ok in (True, False):
            yield factory.build(k.name, i, ok=ok).payload()


def mutations(body, rng):
    yield body
    for key in list(body):
        cut = dict(body)
        del cut[key]
        yield cut
        for value in rng.sample(BAD_VALUES, 4):
            changed = copy.deepcopy(body)
            changed[key] = value
            yield changed


def test_fast_and_reference_validators_agree():
    rng = random.Random(5)
    checked = 0
    for body in bodies():
        event_type = body.get("EventType")
        for doc in mutations(body, rng):
            fast = schemas.is_valid("aliyun", event_type, doc)
            ref = schemas.validator("aliyun", event_type).is_valid(doc)
            assert fast == ref, (event_type, doc)
            checked += 1
    assert checked > 1000
