"""Scenario files → model, and every way they can be wrong: file, line, JSON path, a hint."""

from __future__ import annotations

import json
import re
import textwrap
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from emulator.providers import schemas
from emulator.providers.aliyun import catalog
from emulator.providers.tencent import catalog as tencent_catalog
from emulator.errors import InputError
from emulator.scenario import durations
from emulator.scenario.loader import ScenarioError, load, loads
from emulator.scenario.model import (Delivery, Expect, Flow, Item, Ref, Scenario, Step, TargetSpec,
                                     Template)

SHIPPED = sorted((Path(__file__).parent.parent / "scenarios").glob("*.y*ml"))

FULL = """\
# yaml-language-server: $schema=../schemas/scenario.schema.json
version: 1
name: everything
description: "Every feature once; a literal $${not.a.ref}."
provider: aliyun
region: cn-beijing
seed: 42
start_time: 2026-01-01T08:00:00+08:00
target:
  url: ${env:VOD_TARGET|http://127.0.0.1:9000/}
  auth_key: ${env:VOD_AUTH_KEY|}
delivery: {timeout: 2.5s, concurrency: 8, time_scale: 0.01}
flows:
  - name: video
    repeat: 3
    every: 2m
    media: {duration: 120.5, width: 1920, height: 1080, fps: 30}
    steps:
      - name: upload
        event: FileUploadComplete
        extend: {order: A1, note: "é"}
      - name: streams
        event: StreamTranscodeComplete
        definitions: [LD, SD, HD]
        fail: [HD]
        stagger: 250ms
        error: {code: TranscodeFailed, message: disk full}
        params: {format: m3u8}
      - name: transcode
        event: TranscodeComplete
        streams: streams
        expect: any
      - name: snapshot
        event: SnapshotComplete
        after: 1.5s
        params: {count: "${upload.Size}"}
        set:
          CoverUrl: ${upload.FileUrl}
          SnapshotInfos.0.Status: fail
          Extend: "first=${streams.0.FileUrl}; size=${transcode.StreamInfos.1.Size}; $${upload.VideoId}"
        extend: '{"order":"A1"}'
      - name: audits
        event: AIMediaAuditComplete
        after: auto
        stagger: 1h
        each:
          - {params: {suggestion: pass}}
          - {params: {suggestion: block}, status: fail, error: {code: X, message: Y}}
          - {set: {MediaId: "${upload.VideoId}"}}
        expect: lost
"""


def problems_of(text: str, env: dict[str, str] | None = None, name: str = "s.yaml") -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        loads(text, name=name, env=env or {})
    return str(caught.value).splitlines()


def only_problem(text: str, env: dict[str, str] | None = None) -> str:
    found = problems_of(text, env)
    assert len(found) == 1, found
    return found[0]


def flow_with(*steps: str) -> str:
    """A valid file around ``steps`` (YAML, 6-space indented): the first step is on line 6."""
    return "version: 1\nflows:\n  - name: f\n    steps:\n" + "".join(textwrap.indent(s, "      ") for s in steps)


UPLOAD = "- {name: upload, event: FileUploadComplete}\n"                                   # line 5
STREAMS = "- {name: streams, event: StreamTranscodeComplete, definitions: [LD, SD, HD]}\n"  # line 6 after UPLOAD


# --------------------------------------------------------------------------- the model


def test_a_complete_scenario_loads_into_the_model() -> None:
    scenario = loads(FULL, name="scenarios/everything.yaml", env={"VOD_TARGET": "https://example.com/cb"})
    upload_size = Ref("upload", ("Size",), "${upload.Size}")
    assert scenario == Scenario(
        path="scenarios/everything.yaml", name="everything",
        description="Every feature once; a literal ${not.a.ref}.", version=1, provider="aliyun",
        region="cn-beijing", seed=42, start_time=datetime(2026, 1, 1, tzinfo=timezone.utc),
        targets=(TargetSpec("https://example.com/cb", None),),
        delivery=Delivery(timeout=2.5, concurrency=8, time_scale=0.01),
        flows=(Flow(name="video", repeat=3, every=120.0, line=14,
                    media={"duration": 120.5, "width": 1920, "height": 1080, "fps": 30}, steps=(
            Step("upload", "FileUploadComplete", after=0.0, items=(Item(),), extend='{"order":"A1","note":"é"}',
                 line=19),
            Step("streams", "StreamTranscodeComplete", after=None, line=22, items=(
                Item(ok=True, params={"format": "m3u8", "definition": "LD"}, offset=0.0),
                Item(ok=True, params={"format": "m3u8", "definition": "SD"}, offset=0.25),
                Item(ok=False, params={"format": "m3u8", "definition": "HD", "error_code": "TranscodeFailed",
                                       "error_message": "disk full"}, offset=0.5))),
            Step("transcode", "TranscodeComplete", after=None, items=(Item(),), streams_from="streams",
                 expect=Expect.ANY, line=29),
            Step("snapshot", "SnapshotComplete", after=1.5, extend='{"order":"A1"}', line=33, items=(Item(
                params={"count": upload_size},
                overrides=(
                    ("CoverUrl", Ref("upload", ("FileUrl",), "${upload.FileUrl}")),
                    ("SnapshotInfos.0.Status", "fail"),
                    ("Extend", Template(("first=", Ref("streams", ("0", "FileUrl"), "${streams.0.FileUrl}"),
                                         "; size=", Ref("transcode", ("StreamInfos", "1", "Size"),
                                                        "${transcode.StreamInfos.1.Size}"),
                                         "; ${upload.VideoId}"))),
                )),)),
            Step("audits", "AIMediaAuditComplete", after=None, expect=Expect.LOST, line=42, items=(
                Item(ok=True, params={"suggestion": "pass"}, offset=0.0),
                Item(ok=False, params={"suggestion": "block", "error_code": "X", "error_message": "Y"},
                     offset=3600.0),
                Item(ok=True, overrides=(("MediaId", Ref("upload", ("VideoId",), "${upload.VideoId}")),),
                     offset=7200.0))),
        )),))
    assert scenario.event_count == 3 * (1 + 3 + 1 + 1 + 3)


def test_defaults(tmp_path: Path) -> None:
    path = tmp_path / "smoke-test.yaml"
    path.write_text(flow_with(UPLOAD, STREAMS, "- {name: t, event: TranscodeComplete}\n"))
    scenario = load(path, env={})
    assert (scenario.name, scenario.description, scenario.provider, scenario.region) == \
           ("smoke-test", "", "aliyun", "cn-shanghai")
    assert (scenario.seed, scenario.start_time, scenario.targets, scenario.delivery) == (None, None, (), Delivery())
    flow = scenario.flows[0]
    assert (flow.repeat, flow.every, flow.media, flow.line) == (1, 0.0, {}, 3)
    assert [s.after for s in flow.steps] == [0.0, None, None]   # auto for the transcode kinds
    assert [len(s.items) for s in flow.steps] == [1, 3, 1]
    assert all(s.expect is Expect.DELIVERED and s.extend is None for s in flow.steps)


def test_json_is_read_with_lines_even_indented_with_tabs(tmp_path: Path) -> None:
    doc = {"version": 1, "targets": [{"url": "http://a.test/", "auth_key": "k"}, {"url": "http://b.test/"}],
           "flows": [{"name": "f", "steps": [{"name": "u", "event": "FileUploadComplete", "after": 1e3}]}]}
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc, indent="\t"))
    scenario = load(path, env={})
    assert scenario.targets == (TargetSpec("http://a.test/", "k"), TargetSpec("http://b.test/"))
    assert scenario.flows[0].steps[0].after == 1000.0
    doc["flows"][0]["steps"][0]["event"] = "Nope"
    path.write_text(json.dumps(doc, indent="\t"))
    with pytest.raises(ScenarioError) as caught:
        load(path, env={})
    assert str(caught.value) == f"{path}:18: $.flows[0].steps[0].event: unknown event 'Nope'"


@pytest.mark.parametrize("value, expected", [
    ("2026-01-01T00:00:00Z", datetime(2026, 1, 1, tzinfo=timezone.utc)),
    ("'2026-01-01T00:00:00Z'", datetime(2026, 1, 1, tzinfo=timezone.utc)),
    ("2026-01-01 12:30:00", datetime(2026, 1, 1, 12, 30, tzinfo=timezone.utc)),   # naive = UTC
    ("2026-01-01", datetime(2026, 1, 1, tzinfo=timezone.utc)),
    ("2026-01-01T09:00:00+09:00", datetime(2026, 1, 1, 9, tzinfo=timezone(timedelta(hours=9)))),
])
def test_start_time_quoted_or_not(value: str, expected: datetime) -> None:
    assert loads(f"start_time: {value}\n" + flow_with(UPLOAD), env={}).start_time == expected


@pytest.mark.parametrize("text, seconds", [
    (0, 0.0), (2, 2.0), (1.5, 1.5), ("250ms", 0.25), ("1.5s", 1.5), ("2m", 120.0), ("1h", 3600.0), (".5s", 0.5),
])
def test_durations(text: object, seconds: float) -> None:
    assert durations.parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["5", "5 s", "-1s", "1d", "", True, None, -1, "1e3s", "9" * 400 + "h"])
def test_bad_durations(text: object) -> None:
    with pytest.raises(ValueError):
        durations.parse_duration(text)


# --------------------------------------------------------------------------- interpolation


def test_env_with_and_without_default() -> None:
    text = ("target: {url: '${env:HOST|http://127.0.0.1:1/}', auth_key: '${env:KEY|}'}\n"
            "description: ${env:WHO}-${env:WHAT|x|y}\n" + flow_with(UPLOAD))
    scenario = loads(text, env={"WHO": "me"})
    assert scenario.targets == (TargetSpec("http://127.0.0.1:1/", None),)   # empty auth_key → None
    assert scenario.description == "me-x|y"
    scenario = loads(text, env={"WHO": "me", "HOST": "http://h.test/", "KEY": "k", "WHAT": ""})
    assert scenario.targets == (TargetSpec("http://h.test/", "k"),)
    assert scenario.description == "me-"


def test_env_unset_without_default_is_named_with_its_line() -> None:
    text = "version: 1\ntarget:\n  url: ${env:VOD_TARGET}\n" + flow_with(UPLOAD).removeprefix("version: 1\n")
    assert only_problem(text) == ("s.yaml:3: $.target.url: environment variable 'VOD_TARGET' is not set "
                                  "(give a default with ${env:VOD_TARGET|…})")


def test_env_whole_string_stays_a_string() -> None:
    text = flow_with(UPLOAD).replace("  - name: f\n", "  - name: f\n    repeat: ${env:N}\n")
    assert only_problem(text, {"N": "10"}) == "s.yaml:4: $.flows[0].repeat: expected integer, got string '10'"
    set_text = flow_with("- {name: u, event: FileUploadComplete, set: {Size: '${env:N}'}}\n")
    assert loads(set_text, env={"N": "10"}).flows[0].steps[0].items[0].overrides == (("Size", "10"),)


def test_dollar_dollar_escapes_a_literal() -> None:
    text = ("name: $${env:HOME}\n" + flow_with(UPLOAD, "- {name: s, event: SnapshotComplete, "
                                                       "set: {CoverUrl: '$${upload.FileUrl}', Status: '$$${x}'}}\n"))
    scenario = loads(text, env={"HOME": "/root"})
    assert scenario.name == "${env:HOME}"
    assert scenario.flows[0].steps[1].items[0].overrides == (("CoverUrl", "${upload.FileUrl}"), ("Status", "$${x}"))


def test_ref_is_typed_template_is_text() -> None:
    step = ("- name: s\n  event: SnapshotComplete\n  params: {count: '${upload.Size}'}\n"
            "  set: {CoverUrl: 'http://x/${upload.VideoId}.jpg', Status: '${upload.Status}${upload.Size}'}\n")
    item = loads(flow_with(UPLOAD, step), env={}).flows[0].steps[1].items[0]
    assert item.params == {"count": Ref("upload", ("Size",), "${upload.Size}")}
    assert item.overrides == (
        ("CoverUrl", Template(("http://x/", Ref("upload", ("VideoId",), "${upload.VideoId}"), ".jpg"))),
        ("Status", Template((Ref("upload", ("Status",), "${upload.Status}"),
                             Ref("upload", ("Size",), "${upload.Size}")))))


def test_json_escaped_astral_characters_are_text() -> None:
    doc = {"version": 1, "name": "😀", "flows": [{"name": "f", "steps": [{"name": "u", "event": "FileUploadComplete"}]}]}
    assert loads(json.dumps(doc), env={}).name == "😀"   # "\\ud83d\\ude00": a surrogate pair, joined


def test_refs_reach_inside_nested_values_and_single_item_steps() -> None:
    step = ("- name: s\n  event: SnapshotComplete\n  set: {SnapshotInfos: [{Url: '${upload.0.FileUrl}'}]}\n")
    item = loads(flow_with(UPLOAD, step), env={}).flows[0].steps[1].items[0]
    # a single event may be indexed with 0: the model leaves the index out, as the timeline expects
    assert item.overrides == (("SnapshotInfos", [{"Url": Ref("upload", ("FileUrl",), "${upload.0.FileUrl}")}]),)


# --------------------------------------------------------------------------- errors


ERRORS = [
    # (test id, file text, the problem line)
    ("unknown key", flow_with(UPLOAD).replace("    steps:", "    stpes:"),
     "s.yaml:4: $.flows[0].stpes: unknown key 'stpes' (did you mean 'steps'?)"),
    ("wrong type", flow_with(UPLOAD).replace("  - name: f\n", "  - name: f\n    repeat: abc\n"),
     "s.yaml:4: $.flows[0].repeat: expected integer, got string 'abc'"),
    ("unknown event", flow_with("- {name: u, event: FileUploadComplet}\n"),
     "s.yaml:5: $.flows[0].steps[0].event: unknown event 'FileUploadComplet' (did you mean 'FileUploadComplete'?)"),
    ("bad duration", flow_with("- {name: u, event: FileUploadComplete, after: 5 s}\n"),
     "s.yaml:5: $.flows[0].steps[0].after: expected a duration: seconds as a number >= 0, or text like "
     "'250ms', '1.5s', '2m', '1h', or 'auto', got string '5 s'"),
    ("bad status", flow_with("- {name: u, event: FileUploadComplete, status: failed}\n"),
     "s.yaml:5: $.flows[0].steps[0].status: expected one of 'success', 'fail', got string 'failed' "
     "(did you mean 'fail'?)"),
    ("bad name", flow_with("- {name: 2nd, event: FileUploadComplete}\n"),
     "s.yaml:5: $.flows[0].steps[0].name: expected a name of letters, digits, '_' and '-' that starts with "
     "a letter or '_', got string '2nd'"),
    ("missing key", flow_with("- {name: u}\n"),
     "s.yaml:5: $.flows[0].steps[0]: missing required key 'event'"),
    ("version", flow_with(UPLOAD).replace("version: 1", "version: 2"),
     "s.yaml:1: $.version: expected 1, got integer 2"),
    ("bad target", "target: {url: 'ftp://x'}\n" + flow_with(UPLOAD),
     "s.yaml:1: $.target.url: bad target URL 'ftp://x': expected http://host[:port]/path or https://…"),
    ("both targets", "target: {url: 'http://a.test/'}\ntargets: [{url: 'http://b.test/'}]\n" + flow_with(UPLOAD),
     "s.yaml:2: $.targets: use either target or targets, not both"),
    ("extend too long", flow_with(UPLOAD.replace("}", ", extend: " + "é" * 300 + "}")),
     "s.yaml:5: $.flows[0].steps[0].extend: Extend is 600 bytes in UTF-8; the documented maximum is 512"),
    ("extend not documented", flow_with("- {name: d, event: DynamicImageComplete, extend: x}\n"),
     "s.yaml:5: $.flows[0].steps[0].extend: DynamicImageComplete has no Extend field; extend works for "
     "FileUploadComplete, SnapshotComplete, StreamTranscodeComplete, SubmitMediaRefreshComplete, "
     "TranscodeComplete, UploadByURLComplete:Stream"),
    ("unknown param", flow_with("- name: s\n  event: SnapshotComplete\n  params: {cont: 5}\n"),
     "s.yaml:7: $.flows[0].steps[0].params.cont: SnapshotComplete has no param 'cont' (did you mean 'count'?); "
     "accepted: count, snapshot_type, sprite, sub_type, error_code, error_message"),
    ("unknown field", flow_with("- name: s\n  event: SnapshotComplete\n  set:\n    CoverURL: x\n"),
     "s.yaml:8: $.flows[0].steps[0].set.CoverURL: SnapshotComplete has no field 'CoverURL' "
     "(did you mean 'CoverUrl'?)"),
    ("unknown step", flow_with(UPLOAD, "- {name: s, event: SnapshotComplete, set: {CoverUrl: '${uplaod.FileUrl}'}}\n"),
     "s.yaml:6: $.flows[0].steps[1].set.CoverUrl: unknown step 'uplaod' in ${uplaod.FileUrl} "
     "(did you mean 'upload'?)"),
    ("self reference", flow_with("- {name: s, event: SnapshotComplete, params: {count: '${s.SnapshotCount}'}}\n"),
     "s.yaml:5: $.flows[0].steps[0].params.count: forward or cyclic reference: ${s.SnapshotCount} "
     "refers to its own step 's'"),
    ("forward reference", flow_with("- {name: a, event: FileUploadComplete, extend: 'x${b.VideoId}'}\n",
                                    "- {name: b, event: FileUploadComplete}\n"),
     "s.yaml:5: $.flows[0].steps[0].extend: forward or cyclic reference: ${b.VideoId} refers to step 'b', "
     "which comes later in the flow"),
    ("fan-out without index", flow_with(STREAMS, "- {name: t, event: TranscodeComplete, extend: '${streams.FileUrl}'}\n"),
     "s.yaml:6: $.flows[0].steps[1].extend: ${streams.FileUrl}: step 'streams' fans out into 3 events; "
     "pick one with an index, e.g. ${streams.0.FileUrl}"),
    ("index out of range", flow_with(STREAMS, "- {name: t, event: TranscodeComplete, extend: '${streams.3.FileUrl}'}\n"),
     "s.yaml:6: $.flows[0].steps[1].extend: ${streams.3.FileUrl}: index 3 is out of range: step 'streams' "
     "has 3 events (0–2)"),
    ("unknown ref field", flow_with(UPLOAD, "- {name: s, event: SnapshotComplete, set: {CoverUrl: '${upload.FileURL}'}}\n"),
     "s.yaml:6: $.flows[0].steps[1].set.CoverUrl: ${upload.FileURL}: FileUploadComplete has no field 'FileURL' "
     "(did you mean 'FileUrl'?)"),
    ("ref outside params/set/extend", "description: 'see ${upload.VideoId}'\n" + flow_with(UPLOAD),
     "s.yaml:1: $.description: '${upload.VideoId}': references to steps only work in params, set and extend "
     "(write $${ for a literal ${)"),
    ("unclosed", flow_with("- {name: u, event: FileUploadComplete, extend: 'a ${upload.VideoId'}\n"),
     "s.yaml:5: $.flows[0].steps[0].extend: unclosed '${' in 'a ${upload.VideoId' (write $${ for a literal ${)"),
    ("definitions elsewhere", flow_with("- {name: s, event: SnapshotComplete, definitions: [LD]}\n"),
     "s.yaml:5: $.flows[0].steps[0].definitions: definitions fan out StreamTranscodeComplete only; "
     "use each for SnapshotComplete"),
    ("fail outside definitions", flow_with("- {name: s, event: StreamTranscodeComplete, definitions: [LD], fail: [HD]}\n"),
     "s.yaml:5: $.flows[0].steps[0].fail[0]: 'HD' is not in definitions (LD)"),
    ("error without fail", flow_with("- {name: s, event: SnapshotComplete, error: {code: X}}\n"),
     "s.yaml:5: $.flows[0].steps[0].error: error is only used by a failing event: add status: fail"),
    ("error without error params", flow_with("- {name: u, event: FileUploadComplete, status: fail, error: {code: X}}\n"),
     "s.yaml:5: $.flows[0].steps[0].error: FileUploadComplete has no ErrorCode/ErrorMessage to set"),
    ("streams of the wrong kind", flow_with(UPLOAD, "- {name: t, event: TranscodeComplete, streams: upload}\n"),
     "s.yaml:6: $.flows[0].steps[1].streams: step 'upload' is a FileUploadComplete step; streams needs a "
     "StreamTranscodeComplete step"),
    ("duplicate step", flow_with(UPLOAD, UPLOAD),
     "s.yaml:6: $.flows[0].steps[1].name: duplicate step name 'upload' in this flow (first at line 5)"),
    ("duplicate key", flow_with("- name: u\n  event: FileUploadComplete\n  name: v\n"),
     "s.yaml:7: $.flows[0].steps[0].name: duplicate key 'name' (first at line 5)"),
    ("malformed YAML", flow_with("- {name: u, event: [FileUploadComplete}\n"),
     "s.yaml:5: $: not valid YAML: while parsing a flow sequence: expected ',' or ']', but got '}'"),
    ("not a mapping", "- version: 1\n", "s.yaml:1: $: expected a mapping with 'version' and 'flows', got a list of 1"),
    ("empty", "# nothing\n", "s.yaml:1: $: the file is empty: expected a mapping with 'version' and 'flows'"),
]


@pytest.mark.parametrize("text, expected", [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS])
def test_each_error_names_file_line_path_and_a_hint(text: str, expected: str) -> None:
    assert only_problem(text) == expected


def test_a_misspelt_required_key_is_reported_once() -> None:
    assert only_problem(flow_with("- {name: u, evnt: FileUploadComplete}\n")) == \
        "s.yaml:5: $.flows[0].steps[0].evnt: unknown key 'evnt' (did you mean 'event'?)"


def test_all_problems_are_collected_in_file_order() -> None:
    text = flow_with("- {name: a, event: Nope}\n", "- {name: b, event: FileUploadComplete, after: -1}\n",
                     "- {name: c, event: FileUploadComplete, colour: red}\n")
    found = problems_of(text)
    assert [re.match(r"s\.yaml:(\d+):", p).group(1) for p in found] == ["5", "6", "7"]


def test_at_most_twenty_problems_are_shown() -> None:
    text = flow_with(*(f"- {{name: s{i}, event: Nope}}\n" for i in range(25)))
    with pytest.raises(ScenarioError) as caught:
        loads(text, env={})
    assert len(caught.value.problems) == 25
    lines = str(caught.value).splitlines()
    assert len(lines) == 21 and lines[-1] == "… and 5 more"
    assert isinstance(caught.value, InputError)


def test_a_missing_file_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    with pytest.raises(ScenarioError) as caught:
        load(path)
    assert str(caught.value) == f"{path}: $: cannot read the file: No such file or directory"


def test_a_file_that_is_not_utf8_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"version: 1\nname: caf\xe9\n")
    with pytest.raises(ScenarioError) as caught:
        load(path)
    assert str(caught.value) == f"{path}:2: $: not UTF-8 text (byte 20)"


@pytest.mark.parametrize("text, expected", [
    ("version: 1\nflows: &a [*a]\n", "s.yaml:2: $.flows[0]: a YAML alias refers to a node that contains it"),
    ("version: !!binary aGk=\n", "s.yaml:1: $.version: unsupported YAML type !!binary"),
    ("version: !custom 1\n", "s.yaml:1: $.version: unsupported YAML type !custom"),
    ("version: .nan\n", "s.yaml:1: $.version: expected a finite number, got '.nan'"),
    ("version: 1\nname: \"\\ud800\"\n", "s.yaml:2: $.name: '\\ud800' holds an unpaired surrogate (not UTF-8 text)"),
    ("[" * 1000, "s.yaml:1: $: the document is nested too deeply"),
    ("version: 1\x07\n", "s.yaml:1: $: not valid YAML: character U+0007 is not allowed "
                         "(special characters are not allowed)"),
])
def test_odd_yaml_is_a_problem_not_a_traceback(text: str, expected: str) -> None:
    assert problems_of(text)[0] == expected


def test_aliases_and_merge_keys_work() -> None:
    text = ("version: 1\nx-upload: &upload {name: upload, event: FileUploadComplete}\n"
            "flows:\n  - name: f\n    steps: [*upload, {<<: *upload, name: again}]\n")
    assert only_problem(text) == "s.yaml:2: $['x-upload']: unknown key 'x-upload'"
    text = ("version: 1\nflows:\n  - name: f\n    steps:\n      - &upload {name: upload, event: FileUploadComplete}\n"
            "      - {<<: *upload, name: again}\n")
    steps = loads(text, env={}).flows[0].steps
    assert [(s.name, s.kind) for s in steps] == [("upload", "FileUploadComplete"), ("again", "FileUploadComplete")]


# --------------------------------------------------------------------------- the schema


def scenario_schema() -> dict:
    return schemas.load_document("scenario.schema.json")


def test_schema_is_well_formed_and_offline() -> None:
    schema = scenario_schema()
    Draft202012Validator.check_schema(schema)
    assert schema["$id"] == "https://vod-callback-emulator.invalid/schemas/scenario.schema.json"
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schema_event_enum_is_the_catalog() -> None:
    step = scenario_schema()["$defs"]["step"]["properties"]
    tencent = [k.name for k in tencent_catalog.KINDS if k.name not in catalog.BY_NAME]
    assert step["event"]["enum"] == [k.name for k in catalog.KINDS] + tencent
    assert len(step["event"]["enum"]) == 23 + len(tencent)


def test_schema_duration_pattern_is_the_parsers() -> None:
    assert scenario_schema()["$defs"]["duration"]["oneOf"][1]["pattern"] == durations.PATTERN


def test_every_schema_property_has_a_title_and_description() -> None:
    schema = scenario_schema()
    defs = schema["$defs"]
    missing = []

    def walk(node: dict, where: str) -> None:
        for name, prop in node.get("properties", {}).items():
            target = defs[prop["$ref"].rsplit("/", 1)[1]] if "$ref" in prop and "title" not in prop else prop
            if not (target.get("title") and target.get("description")):
                missing.append(f"{where}.{name}")
            walk(prop, f"{where}.{name}")
        for key in ("items",):
            if isinstance(node.get(key), dict):
                walk(node[key], f"{where}[]")

    walk(schema, "$")
    for name, definition in defs.items():
        walk(definition, f"$defs.{name}")
    assert missing == []


def test_every_schema_object_forbids_unknown_keys() -> None:
    open_by_design = {"params", "set", "extend"}   # checked against the catalog by the loader

    def walk(node: object, name: str) -> None:
        if isinstance(node, dict):
            if "object" in (node.get("type") if isinstance(node.get("type"), list) else [node.get("type")]) \
                    and name not in open_by_design:
                assert node.get("additionalProperties") is False, name
            for key, value in node.items():
                walk(value, key if key not in ("properties", "$defs", "items") else name)
        elif isinstance(node, list):
            for value in node:
                walk(value, name)

    walk(scenario_schema(), "$")


@pytest.mark.parametrize("path", SHIPPED, ids=[p.name for p in SHIPPED])
def test_every_shipped_scenario_loads(path: Path) -> None:
    assert load(path, env={}).flows
