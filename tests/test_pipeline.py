"""Every catalog kind, generated and delivered end to end; concurrency; the journal file."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from emulator.providers import schemas
from emulator.providers.aliyun import catalog
from emulator.providers.aliyun.factory import EventFactory
from emulator.delivery.policy import DeliveryPolicy
from emulator.delivery.http import TargetSpec
from emulator.run.session import RunSettings, execute

START = datetime(2026, 1, 1, tzinfo=timezone.utc)


async def test_all_23_kinds_in_both_forms_reach_a_receiver_and_validate(scripted):
    rx = await scripted([200])
    factory = EventFactory(seed=3, start_time=START)
    events = [factory.build(k.name, i * 2 + (not ok), ok=ok)
              for i, k in enumerate(catalog.KINDS) for ok in (True, False)]
    result = await execute(RunSettings(command="test", targets=(TargetSpec(rx.url),), concurrency=8), events)
    assert result.journal.counters.delivered == 46
    received = [h.json() for h in rx.hits]
    assert sorted(json.dumps(b, sort_keys=True) for b in received) == \
        sorted(json.dumps(e.payload(), sort_keys=True) for e in events)
    for body in received:
        assert schemas.errors("aliyun", body["EventType"], body) == []
    assert {b["EventType"] for b in received} == catalog.EVENT_TYPES


async def test_many_in_flight_with_journal_and_report(scripted, tmp_path):
    rx = await scripted([500, 200])   # the first request fails, the rest succeed
    factory = EventFactory(seed=5, start_time=START)
    journal, report = tmp_path / "j.jsonl", tmp_path / "r.json"
    settings = RunSettings(command="test", targets=(TargetSpec(rx.url),), concurrency=32,
                           policy=DeliveryPolicy(time_scale=0.01),
                           journal_path=str(journal), report_path=str(report))
    result = await execute(settings, (factory.build("FileUploadComplete", i) for i in range(300)))
    c = result.journal.counters
    assert (c.events, c.lost, c.attempts) == (300, 0, 301)
    lines = [json.loads(x) for x in journal.read_text().splitlines()]
    assert len(lines) == 301
    assert {"event_id", "event_type", "media_id", "attempt", "started_at", "duration_ms", "status", "error",
            "outcome"} <= set(lines[0])
    doc = json.loads(report.read_text())
    assert doc["summary"]["events"] == 300 and len(doc["events"]) == 300
    retried = [e for e in doc["events"] if e["verdict"] == "delivered_after_retry"]
    assert len(retried) == 1


async def test_two_targets_each_get_every_event_with_separate_bookkeeping(scripted):
    good, bad = await scripted([200]), await scripted([503])
    factory = EventFactory(seed=5, start_time=START)
    result = await execute(RunSettings(command="test", targets=(TargetSpec(good.url), TargetSpec(bad.url)),
                                       policy=DeliveryPolicy(time_scale=0.01), extra={"keep_results": True}),
                           [factory.build("FileUploadComplete", i) for i in range(4)])
    c = result.journal.counters
    assert (c.events, c.deliveries, c.delivered, c.lost) == (4, 8, 4, 4)
    assert len(good.hits) == 4 and len(bad.hits) == 12
