"""The GitHub Actions example and the Dockerfile agree with the README and with the CLI."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import click
import pytest
import yaml

from emulator.cli import main

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / "examples" / "github-actions.yml"


def parses(args: list[str]) -> None:
    """Parse a vod-emulator command line with the real CLI, without running it."""
    command = main.commands[args[0]]
    command.make_context(args[0], list(args[1:])).close()


def commands(script: str) -> list[list[str]]:
    joined = script.replace("\\\n", " ")
    out = []
    for line in joined.splitlines():
        words = shlex.split(line, comments=True)
        if words and words[-1] == "&":
            words = words[:-1]
        if words and words[0] == "vod-emulator":
            out.append(words[1:])
    return out


def test_the_readme_shows_the_workflow_file_as_it_is():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### In GitHub Actions"):readme.index("### In a container")]
    block = re.search(r"```yaml\n(.*?)```", section, re.S).group(1)
    assert block == WORKFLOW.read_text(encoding="utf-8")


def test_every_emulator_command_in_the_workflow_parses():
    doc = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps = [s for job in doc["jobs"].values() for s in job["steps"]]
    found = [c for s in steps if "run" in s for c in commands(s["run"])]
    assert found, "the workflow runs no vod-emulator command"
    for args in found:
        parses(args)
    assert any("pytest" in s.get("run", "") for s in steps)        # the plugin's tests run too
    assert any(s.get("uses", "").startswith("actions/upload-artifact") for s in steps)


def test_a_wrong_option_would_be_caught():
    with pytest.raises(click.UsageError):
        parses(["run", "quickstart", "--time-scael", "0"])


def test_the_dockerfile_serves_and_checks_health_on_one_port():
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    port = re.search(r"^EXPOSE (\d+)$", text, re.M).group(1)
    health = re.search(r"^HEALTHCHECK .*\n\s+CMD (.*)$", text, re.M).group(1)
    assert f"http://127.0.0.1:{port}/_emulator/health" in health
    entry = json.loads(re.search(r"^ENTRYPOINT (\[.*\])$", text, re.M).group(1))
    cmd = json.loads(re.search(r"^CMD (\[.*\])$", text, re.M).group(1))
    assert entry[0] == "vod-emulator" and entry[entry.index("--port") + 1] == port
    parses(entry[1:] + cmd)
