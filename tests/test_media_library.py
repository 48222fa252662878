"""The provider-neutral media library (SQLite) and processing profiles."""

from __future__ import annotations

import pytest


from emulator.errors import InputError
from emulator.server.shared.media import JobRecord, MediaRecord, StreamRecord
from emulator.server.shared.media_store import MediaLibrary
from emulator.server.shared.profile import parse_profiles


def test_library_survives_reopen_and_clears(tmp_path):
    lib = MediaLibrary.in_dir(tmp_path).open()
    lib.put(MediaRecord("v1", "aliyun", "cn-shanghai", "video", "Uploading", title="a", created=1.0,
                        attrs={"UserData": {"Extend": "x"}}))
    lib.put(MediaRecord("v2", "aliyun", "cn-shanghai", "image", "Normal", created=2.0))
    lib.add_stream(StreamRecord("v1", "j1", "LD", "mp4", 960, 540, 900, 25, 3.0, 1234, "http://x/1.mp4"))
    lib.put_job(JobRecord("j1", "v1", "transcode", "Success", created=3.0))
    lib.close()
    lib = MediaLibrary.in_dir(tmp_path).open()
    assert lib.get("v1").attrs == {"UserData": {"Extend": "x"}}
    assert [m.media_id for m in lib.list("aliyun")] == ["v2", "v1"]
    assert [m.media_id for m in lib.list(media_type="video")] == ["v1"]
    assert lib.streams("v1")[0].size == 1234 and lib.job("j1").status == "Success"
    assert lib.clear() == 2 and lib.get("v1") is None and lib.jobs() == [] and lib.streams("v1") == []
    lib.close()


def test_profiles_parse_bind_and_explain_mistakes():
    ps = parse_profiles({"profiles": {"fast": {"outputs": ["LD", {"definition": "HD", "format": "m3u8"}],
                                               "fail": {"definitions": ["HD"]}, "timing": {"upload_s": 0}}},
                         "bindings": {"tg-1": "fast"}})
    fast = ps.pick(None, "tg-1")
    assert [(o.definition, o.format, o.fail) for o in fast.outputs] == [("LD", "mp4", False), ("HD", "m3u8", True)]
    assert fast.failed == {"HD"} and fast.timing.upload_s == 0
    assert ps.pick("nope").name == "default" and ps.pick("VOD_NO_TRANSCODE").outputs == ()
    with pytest.raises(InputError, match="did you mean 'outputs'"):
        parse_profiles({"profiles": {"x": {"output": []}}})
    with pytest.raises(InputError, match=r"vod.bindings.tg: no profile 'fats' \(did you mean 'fast'"):
        parse_profiles({"profiles": {"fast": {}}, "bindings": {"tg": "fats"}})
    with pytest.raises(InputError, match="not among the outputs"):
        parse_profiles({"profiles": {"x": {"outputs": ["LD"], "fail": {"definitions": ["HD"]}}}})
