"""Load profiles: a rate ramp in steps, and per step what the receiver did against the budget."""

from __future__ import annotations

import json

import pytest

from emulator.errors import InputError
from emulator.run.load import RateRamp

from .test_cli import cli


def test_a_ramp_is_steps_of_evenly_spaced_events():
    ramp = RateRamp.parse("10..100/s", "2s", steps=2)
    assert (ramp.start, ramp.end, ramp.over, ramp.steps) == (10, 100, 2.0, 2)
    times = list(ramp.times())
    assert ramp.count() == len(times) == 10 + 100
    assert times[:2] == [0.0, 0.1] and times[10] == 1.0 and times[11] == pytest.approx(1.01)
    assert [ramp.step_of(t) for t in (0.0, 0.99, 1.0, 1.99, 5.0)] == [0, 0, 1, 1, 1]
    assert RateRamp.parse("50/s", "1m").steps == 1 and RateRamp.parse("50", "1m").count() == 3000


@pytest.mark.parametrize("rate, over, words", [("fast", "1s", "expected RATE/s or FROM..TO/s"),
                                               ("0..10/s", "1s", "more than 0"),
                                               ("10/s", "soon", "--over 'soon'")])
def test_bad_ramps_say_what_is_expected(rate, over, words):
    with pytest.raises(InputError, match=words):
        RateRamp.parse(rate, over)


async def test_trigger_rate_reports_each_step_against_the_budget(tmp_path):
    report = tmp_path / "load.json"
    code, out, err = await cli("trigger", "FileUploadComplete", "--rate", "10..40/s", "--over", "2s", "--steps", "2",
                               "--time-scale", "0.25", "--receiver-delay", "0.05", "--timeout", "1", "-q",
                               "--seed", "1", "--report", str(report))
    assert code == 0, err
    assert "load: 10..40/s over 2 s in 2 step(s)" in out
    assert "capacity: no callbacks lost up to 40/s" in out
    doc = json.loads(report.read_text())
    steps = doc["load_profile"]["steps"]
    assert [s["events"] for s in steps] == [10, 40]
    assert all(50 <= s["latency_ms"]["p50_ms"] < 1000 for s in steps)
    assert doc["load_profile"]["loses_callbacks_from_per_s"] is None


async def test_trigger_rate_names_the_rate_where_callbacks_are_lost():
    code, out, err = await cli("trigger", "FileUploadComplete", "--rate", "4..8/s", "--over", "1s", "--steps", "2",
                               "--time-scale", "0.25", "--receiver-status", "500", "--max-attempts", "1", "-q")
    assert code == 1, err
    assert "capacity: production would start losing callbacks at ~4/s" in out
    assert "failed 100.0%" in out


async def test_rate_and_count_do_not_mix():
    code, out, err = await cli("trigger", "FileUploadComplete", "--rate", "10/s", "--count", "5")
    assert code == 2 and "drop --count" in err
