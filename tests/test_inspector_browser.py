"""The inspector page in a real headless Chromium (Debian's ``chromium``, installed by .ci/run,
driven by Playwright; Playwright never downloads a browser of its own here)."""

from __future__ import annotations

import os
import shutil

import pytest

from emulator.testing import CapturingReceiver, EmulatorServer

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: pip install '.[test]'")

CHROMIUM = os.environ.get("VOD_EMULATOR_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

if not os.path.exists(CHROMIUM):
    pytest.skip(f"no Chromium at {CHROMIUM}: .ci/run installs Debian's 'chromium' package "
                "(apt-get install chromium); set VOD_EMULATOR_CHROMIUM to use another", allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def server():
    with EmulatorServer() as s:
        yield s


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    pg = context.new_page()
    problems: list[str] = []
    pg.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning")
          else None)
    pg.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    pg.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}")
          if "/deliveries/stream" not in r.url else None)     # the stream is cut when the server stops
    pg.goto(f"{server.url}/_emulator/ui")
    pg.wait_for_selector("#live.on")
    pg.problems = problems
    yield pg
    context.close()


def offsets(row) -> list[int]:
    return [int(a.get_attribute("data-offset-ms")) for a in row.query_selector_all(".attempt")]


def test_the_page_loads_without_console_errors(page, server):
    assert page.title() == "vod-emulator inspector"
    for heading in ("Deliveries", "Trigger", "Callback configuration", "Queues", "Runs"):
        assert page.get_by_role("heading", name=heading).is_visible()
    page.wait_for_timeout(2500)          # one refresh of the side panels
    assert page.problems == []


def test_a_triggered_event_appears_live_with_its_attempts(page, server):
    with CapturingReceiver(auth_key="K9") as rx:
        client = server.client(time_scale=0.01)
        client.set_http_callback(rx.url, auth_key="K9")
        report = client.trigger("TranscodeComplete", seed=3)
        video = report.bodies[0]["VideoId"]
        row = page.wait_for_selector(f'tr.event[data-video="{video}"]')
        assert row.get_attribute("data-outcome") == "delivered"
        assert [a.get_attribute("data-status") for a in row.query_selector_all(".attempt")] == ["200"]
        assert "TranscodeComplete" in row.inner_text() and report.run_id in row.inner_text()
        row.click()
        headers = page.inner_text("#detail-headers")
        assert "X-VOD-SIGNATURE: " in headers and "X-VOD-TIMESTAMP: " in headers
        assert video in page.inner_text("#detail-body")
        assert rx.deliveries[0].signature == "ok"
    assert page.problems == []


@pytest.mark.realtime
def test_a_failing_receiver_shows_three_attempts_one_second_apart(page, server):
    with CapturingReceiver(status=500) as rx:
        client = server.client(time_scale=1)
        client.set_http_callback(rx.url)
        report = client.trigger("FileUploadComplete")
        row = page.wait_for_selector(f'tr.event[data-video="{report.bodies[0]["VideoId"]}"][data-outcome="lost"]')
        starts = offsets(row)
        assert len(starts) == 3 and starts[0] == 0
        gaps = [b - a for a, b in zip(starts, starts[1:])]
        assert all(950 <= g <= 1500 for g in gaps), gaps
        assert [a.get_attribute("data-status") for a in row.query_selector_all(".attempt")] == ["500"] * 3
        assert row.inner_text().count("+1.0 s") + row.inner_text().count("+1.1 s") == 2
        assert "lost" in row.inner_text()


def test_trigger_and_resend_buttons_and_filters(page, server):
    with CapturingReceiver() as rx:
        client = server.client(time_scale=0)
        client.set_http_callback(rx.url)
        client.trigger("FileUploadComplete")
        page.select_option("#trigger select[name=event_type]", "SnapshotComplete")
        page.fill("#trigger input[name=time_scale]", "0")
        page.click("#trigger button[type=submit]")
        page.wait_for_selector('tr.event[data-type="SnapshotComplete"]')
        assert "run-000002" in page.inner_text("#trigger-result")
        rx.wait_for("SnapshotComplete")
        page.click('tr.event[data-type="SnapshotComplete"]')
        page.click("#resend")
        page.locator('tr.event[data-type="SnapshotComplete"]').nth(1).wait_for()   # (the page's CSP forbids eval)
        assert len([d for d in rx.deliveries if d.event_type == "SnapshotComplete"]) == 2
        page.select_option("#filters select[name=type]", "FileUploadComplete")
        visible = [r.get_attribute("data-type") for r in page.query_selector_all("tr.event") if r.is_visible()]
        assert visible == ["FileUploadComplete"]
        page.locator("[data-fragment=runs] td", has_text="run-000003").wait_for()
    assert page.problems == []
