"""Presets and --vary through the CLI and scenario files: quickstart HLS-encrypted, seeded
variation reproduced run to run and recorded in the report."""

from __future__ import annotations

import json
import textwrap

from emulator.providers import schemas
from emulator.scenario.loader import loads
from emulator.scenario.problems import ScenarioError

from .test_cli import cli


async def test_quickstart_hls_encrypted_through_the_cli(scripted, tmp_path):
    rx = await scripted([200])
    report = tmp_path / "report.json"
    code, out, err = await cli("run", "quickstart", "--preset", "hls-encrypted", "--target", rx.url,
                               "--time-scale", "0.001", "--report", str(report))
    assert code == 0, err
    bodies = [h.json() for h in rx.hits]
    assert len(bodies) == 7
    streams = [b for b in bodies if b["EventType"] == "StreamTranscodeComplete"]
    summary = next(b for b in bodies if b["EventType"] == "TranscodeComplete")
    # 1 ms apart at this time scale, on separate connections: they may arrive in any order
    streams.sort(key=lambda s: ["LD", "SD", "HD"].index(s["Definition"]))
    assert [s["Definition"] for s in streams] == ["LD", "SD", "HD"]
    for s in [*streams, *summary["StreamInfos"]]:
        assert s["Format"] == "m3u8" and s["Encrypt"] is True and s["EncryptType"] == "AliyunVoDEncryption"
        assert s["FileUrl"].endswith(f"-{s['Definition'].lower()}-encrypt-stream.m3u8")
        assert f"/{summary['VideoId']}/" in s["FileUrl"]
    assert [s["FileUrl"] for s in summary["StreamInfos"]] == [s["FileUrl"] for s in streams]
    for b in bodies:
        assert schemas.errors("aliyun", b["EventType"], b) == []
    assert json.loads(report.read_text())["run"]["preset"] == "hls-encrypted"


async def test_vary_same_seed_twice_identical_and_recorded(scripted, tmp_path):
    rx = await scripted([200])
    runs = []
    for n in range(2):
        report = tmp_path / f"r{n}.json"
        code, _, err = await cli("run", "quickstart", "--vary", "--seed", "5", "--target", rx.url,
                                 "--time-scale", "0.001", "--concurrency", "1", "--report", str(report))
        assert code == 0, err
        runs.append(json.loads(report.read_text()))
    first, second = ({e["event_id"]: (e["body"], e["variation"]) for e in r["events"]} for r in runs)
    assert first == second
    assert all(variation for _, variation in first.values())
    assert runs[0]["run"]["vary"] is True
    # the bytes a receiver got are the recorded bodies, key order included
    got = sorted(h.body for h in rx.hits[:7])
    assert got == sorted(json.dumps(b, ensure_ascii=False, separators=(",", ":")).encode() for b, _ in first.values())


async def test_trigger_preset_into_a_report_directory_that_does_not_exist_yet(scripted, tmp_path):
    rx = await scripted([200])
    report = tmp_path / "out" / "report.json"       # the README's out/report.json from a fresh clone
    code, _, err = await cli("trigger", "TranscodeComplete", "--preset", "audio", "--target", rx.url, "--seed", "2",
                             "--report", str(report))
    assert code == 0, err
    assert [s["Definition"] for s in rx.hits[0].json()["StreamInfos"]] == ["SQ", "HQ"]
    assert json.loads(report.read_text())["run"]["preset"] == "audio"


def test_bad_preset_input_is_one_line_and_sends_nothing(tmp_path):
    from click.testing import CliRunner
    from emulator.cli.main import main
    blocked = tmp_path / "file"
    blocked.write_text("")
    cases = [
        (["trigger", "TranscodeComplete", "--preset", "adaptiv"], "did you mean 'adaptive'"),
        (["trigger", "FileUploadComplete", "--preset", "hls"], "presets shape transcoding events"),
        (["run", "quickstart", "--preset", "audio"], "'LD' is not an output of preset 'audio'"),
        (["trigger", "FileUploadComplete", "--report", str(blocked / "r.json")], "cannot create its directory"),
    ]
    for args, message in cases:
        result = CliRunner().invoke(main, [*args, "--target", "http://127.0.0.1:9/never"])
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output and "Traceback" not in result.output


SCENARIO = """\
version: 1
preset: hls
vary: true
flows:
  - name: v
    steps:
      - {name: streams, event: StreamTranscodeComplete, preset: adaptive}
      - {name: done, event: TranscodeComplete, streams: streams, vary: false}
      - {name: audio, event: StreamTranscodeComplete, definitions: [SQ], preset: audio}
"""


def test_scenario_preset_and_vary_keys():
    scenario = loads(SCENARIO, name="p.yaml")
    assert scenario.preset == "hls" and scenario.vary is True
    streams = scenario.flows[0].steps[0]
    assert [i.params["definition"] for i in streams.items] == ["LD", "SD", "HD", "AUTO"]   # the preset's ladder
    assert {i.params["preset"] for i in streams.items} == {"adaptive"}
    assert scenario.flows[0].steps[1].vary is False


def test_scenario_preset_errors_name_line_and_did_you_mean():
    bad = SCENARIO.replace("preset: hls\n", "preset: hls-encryptd\n")
    try:
        loads(bad, name="p.yaml")
    except ScenarioError as exc:
        assert "p.yaml:2: $.preset: " in str(exc) and "did you mean 'hls-encrypted'" in str(exc)
    else:
        raise AssertionError("an unknown preset must be an error")
    wrong = SCENARIO.replace("definitions: [SQ]", "definitions: [LD]")
    try:
        loads(wrong, name="p.yaml")
    except ScenarioError as exc:
        assert "p.yaml:9: $.flows[0].steps[2].definitions[0]: 'LD' is not an output of preset 'audio'" in str(exc)
    else:
        raise AssertionError("a definition the preset does not make must be an error")


async def test_server_trigger_and_run_take_preset_and_vary(scripted, tmp_path):
    import aiohttp
    from emulator.server.app import ServeConfig, start
    runner, state, url = await start(ServeConfig(data_dir=tmp_path / "data"))
    rx = await scripted([200])
    try:
        async with aiohttp.ClientSession() as s:
            async def call(path: str, doc: dict) -> dict:
                async with s.request("PUT" if "callbacks" in path else "POST", f"{url}{path}", json=doc) as r:
                    assert r.status == 200, await r.text()
                    return await r.json()
            await call("/_emulator/callbacks/cn-shanghai", {"CallbackType": "HTTP", "CallbackURL": rx.url,
                                                            "EventTypeList": "ALL"})
            await call("/_emulator/trigger", {"event_type": "TranscodeComplete", "preset": "hls-standard-encrypted",
                                              "vary": True, "seed": 3})
            done = await call("/_emulator/run", {"scenario": SCENARIO.replace("vary: true", "vary: false"),
                                                 "preset": "mp4", "vary": True, "seed": 3, "time_scale": 0})
            async with s.get(f"{url}{done['report']}") as r:
                report = await r.json()
    finally:
        await runner.cleanup()
        state.close()
    first = rx.hits[0].json()
    assert {st["EncryptType"] for st in first["StreamInfos"] if "EncryptType" in st} <= {"HLSEncryption"}
    assert all(st["Format"] == "m3u8" for st in first["StreamInfos"])
    assert report["run"]["command"] == "run" and all(e["variation"] for e in report["events"]
                                                     if e["label"].split("/")[-1] != "done")
