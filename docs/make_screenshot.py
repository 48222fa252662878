"""Regenerate docs/inspector.png: `python docs/make_screenshot.py` (needs chromium and playwright)."""

from pathlib import Path

from playwright.sync_api import sync_playwright

from emulator.testing import CapturingReceiver, EmulatorServer

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

with EmulatorServer() as server, CapturingReceiver(auth_key="MyKey123") as rx:
    emu = server.client(time_scale=1)
    emu.set_http_callback(rx.url, auth_key="MyKey123")
    emu.set_mns_callback("vod-events", region="ap-southeast-1")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 600})
        page.goto(f"{server.url}/_emulator/ui")
        page.wait_for_selector("#live.on")
        emu.run_scenario("quickstart", seed=7, time_scale=0)
        rx.configure(fail_first=2)
        emu.trigger("TranscodeComplete", seed=11)
        rx.configure(fail_first=0, status=503)
        emu.trigger("SnapshotComplete", seed=12)
        emu.trigger("FileUploadComplete", region="ap-southeast-1", count=2, seed=13)
        page.wait_for_timeout(2500)
        page.click("tr.event.retried")
        page.screenshot(path=str(Path(__file__).with_name("inspector.png")))
        browser.close()
