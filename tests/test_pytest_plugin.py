"""The pytest plugin as a user gets it: the README's example suite, options, the failure
journal, and a session that leaves no thread, port or process behind (each run in a fresh
pytest process through ``pytester``)."""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

README = Path(__file__).resolve().parents[1] / "README.md"
INI = """
[pytest]
asyncio_default_fixture_loop_scope = function
filterwarnings = error
"""


def readme_section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(f"## {title}\n")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def readme_example_suite() -> tuple[str, str]:
    """The first Python block of "In your test suite": (file name from its first line, code)."""
    block = re.search(r"```python\n(.*?)```", readme_section("In your test suite"), re.S).group(1)
    name = re.match(r"# (test_\w+\.py)\n", block).group(1)
    return name, block


def test_the_readme_example_suite_passes(pytester: pytest.Pytester):
    name, code = readme_example_suite()
    pytester.makeini(INI)
    pytester.makepyfile(**{name[:-3]: code})
    result = pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)


def test_the_readme_install_line_runs_that_file():
    name, _ = readme_example_suite()
    assert f"python -m pytest -q {name}" in readme_section("In your test suite")


LEAK_CONFTEST = """
import json, os, threading
import pytest

seen = {}

@pytest.fixture(autouse=True)
def _note(request):
    if "vod_emulator_server" in request.fixturenames:
        seen["url"] = request.getfixturevalue("vod_emulator_server").url
    if "vod_receiver" in request.fixturenames:
        seen["receiver"] = request.getfixturevalue("vod_receiver").url
    yield

@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    seen["threads"] = sorted(t.name for t in threading.enumerate())
    with open(os.environ["LEAK_REPORT"], "w") as fh:
        json.dump(seen, fh)
"""

FAILING = """
def test_fine(vod_emulator, vod_receiver):
    vod_emulator.set_http_callback(vod_receiver.url)
    assert vod_emulator.trigger("FileUploadComplete").ok

def test_fails(vod_emulator, vod_receiver):
    vod_receiver.configure(status=503)
    vod_emulator.set_http_callback(vod_receiver.url)
    report = vod_emulator.trigger("SnapshotComplete", seed=5)
    assert report.ok, "the receiver should have taken it"
"""


def _refused(url: str) -> bool:
    host, port = url.split("//", 1)[1].split("/", 1)[0].rsplit(":", 1)
    with socket.socket() as s:
        return s.connect_ex((host, int(port))) != 0


@pytest.mark.parametrize("mode", ["thread", "subprocess"])
def test_failure_shows_the_journal_and_the_session_leaves_nothing(pytester: pytest.Pytester, tmp_path, mode,
                                                                  monkeypatch):
    leak = tmp_path / "leak.json"
    monkeypatch.setenv("LEAK_REPORT", str(leak))
    pytester.makeini(INI)
    pytester.makeconftest(LEAK_CONFTEST)
    pytester.makepyfile(test_user=FAILING)
    with socket.socket() as s:          # a free port for --vod-emulator-port
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider", f"--vod-emulator-port={port}",
                                           f"--vod-emulator-mode={mode}", "--vod-emulator-time-scale=0.001")
    result.assert_outcomes(passed=1, failed=1)
    out = result.stdout.str()
    section = out[out.index("vod-emulator deliveries"):]
    attempts = [line for line in section.splitlines() if line.startswith("  ← ")]
    assert len(attempts) == 3 and attempts[0].endswith("→ 503")
    assert attempts[1].endswith("attempt 2/3 (+0.0 s)  → 503") and attempts[2].endswith("→ 503  lost")
    assert "verdict: in production the receiver would have lost 1 event(s)" in section
    assert "FileUploadComplete" not in section          # only the failing test's runs
    assert "got 3 request(s)" in section
    seen = json.loads(leak.read_text())
    assert seen["url"] == f"http://127.0.0.1:{port}"
    assert seen["threads"] == ["MainThread"]
    assert _refused(seen["url"]) and _refused(seen["receiver"])


def test_ini_options_are_read(pytester: pytest.Pytester):
    pytester.makeini(INI + "vod_emulator_time_scale = 0.5\nvod_emulator_timeout = 2\n")
    pytester.makepyfile(test_opts="""
def test_opts(vod_emulator):
    assert (vod_emulator.time_scale, vod_emulator.timeout) == (0.5, 2.0)
""")
    pytester.runpytest_inprocess("-q", "-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_a_bad_mode_is_a_usage_error(pytester: pytest.Pytester):
    pytester.makeini(INI)
    pytester.makepyfile(test_x="def test_x(vod_emulator): pass")
    result = pytester.runpytest_inprocess("-q", "-p", "no:cacheprovider", "--vod-emulator-mode=docker")
    assert result.ret != 0
    assert "invalid choice: 'docker'" in result.stderr.str()
