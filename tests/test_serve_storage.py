"""Storage faults of `serve`: at start one line naming the data dir and the real cause (exit 2);
while running, answers in each face's own error format and one log line per problem."""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3

import aiohttp
import pytest
from mns.account import Account
from mns.mns_exception import MNSServerException
from mns.queue import Message

from emulator.server.app import ServeConfig, start
from emulator.server.mns import DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET
from emulator.server.mns.store import DB_FILE, QueueStore
from emulator.server.shared.storage_faults import StoreError, cause

from .test_cli import cli


async def serve_fails(data_dir, *more) -> str:
    code, out, err = await cli("serve", "--port", "0", "--data-dir", str(data_dir), *more, timeout=20)
    assert code == 2, (out, err)
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    return err.strip()


async def test_a_corrupt_store_file_is_named_at_start(tmp_path):
    (tmp_path / DB_FILE).write_bytes(b"this is not SQLite at all\n" * 200)
    line = await serve_fails(tmp_path)
    assert f"data dir {tmp_path}" in line and DB_FILE in line and "corrupt or truncated" in line
    assert "another emulator" not in line and "another process" not in line


async def test_a_truncated_store_is_detected_at_start(tmp_path):
    store = QueueStore.in_dir(tmp_path).open()
    store.create_queue("q")
    for n in range(400):
        store.send("q", _new(f"message {n} " + "x" * 500))
    store.close()
    path = tmp_path / DB_FILE
    size = path.stat().st_size
    assert size > 100_000
    with open(path, "r+b") as fh:
        fh.truncate(size // 2)
    with pytest.raises(StoreError, match="corrupt or truncated"):
        QueueStore.in_dir(tmp_path).open()
    line = await serve_fails(tmp_path)
    assert "corrupt or truncated" in line


def _new(body: str):
    from emulator.server.mns.model import NewMessage
    return NewMessage(body=body, delay_seconds=None, priority=None)


async def test_a_data_dir_in_use_says_so(tmp_path):
    runner, state, _ = await start(ServeConfig(data_dir=tmp_path))
    try:
        line = await serve_fails(tmp_path)
        assert f"data dir {tmp_path}" in line and "in use by another process" in line
    finally:
        await runner.cleanup()
        state.close()


async def test_a_data_dir_that_is_a_file_and_corrupt_callbacks(tmp_path):
    (tmp_path / "file").write_text("x")
    line = await serve_fails(tmp_path / "file" / "data")
    assert f"data dir {tmp_path / 'file' / 'data'}: cannot create it: not a directory" in line
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "callbacks.json").write_text("{not json")
    line = await serve_fails(tmp_path / "d")
    assert "callbacks.json" in line and "not valid JSON" in line


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes in read-only dirs")
async def test_a_read_only_data_dir_says_read_only(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        line = await serve_fails(ro)
        assert f"data dir {ro}" in line and "read-only" in line
    finally:
        ro.chmod(0o700)


def test_causes_of_real_sqlite_errors(tmp_path):
    path = tmp_path / "x.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE t (v TEXT)")
    db.commit()
    db.close()
    ro = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    with pytest.raises(sqlite3.Error) as info:
        ro.execute("INSERT INTO t VALUES ('a')")
    assert cause(info.value).startswith("read-only")
    full = sqlite3.connect(path)
    full.execute(f"PRAGMA max_page_count = {full.execute('PRAGMA page_count').fetchone()[0]}")
    with pytest.raises(sqlite3.Error) as info:
        full.execute("INSERT INTO t VALUES (?)", ("x" * 100_000,))
    assert cause(info.value) == "the disk is full"
    assert cause(OSError(28, "No space left on device")) == "the disk is full"


async def test_a_full_disk_while_running_gets_mns_errors_and_one_log_line(tmp_path, caplog):
    runner, state, url = await start(ServeConfig(data_dir=tmp_path))
    caplog.set_level(logging.INFO)
    try:
        def before() -> None:
            account = Account(url, DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET)
            account.get_queue("kept").create(_meta())
            queue = account.get_queue("kept")
            queue.set_encoding(False)
            for n in range(3):
                queue.send_message(Message(f"kept {n}"))
            account.mns_client.http.conn.close()
        await asyncio.to_thread(before)
        db = state.store.db                # the disk fills up: no page may be added any more
        db.execute(f"PRAGMA max_page_count = {db.execute('PRAGMA page_count').fetchone()[0]}")

        def during() -> tuple[list[str], list[str]]:
            account = Account(url, DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET)
            queue = account.get_queue("kept")
            queue.set_encoding(False)
            errors = []
            for _ in range(5):
                try:
                    queue.send_message(Message("y" * 60000))
                except MNSServerException as exc:
                    errors.append(f"{exc.type}: {exc.message}")
            got = []
            for _ in range(3):
                msg = queue.receive_message(0)
                got.append(msg.message_body)
            account.mns_client.http.conn.close()
            return errors, got
        errors, got = await asyncio.to_thread(during)
        assert len(errors) == 5 and all(e.startswith("InternalError") and "disk is full" in e for e in errors)
        assert sorted(got) == ["kept 0", "kept 1", "kept 2"]          # what was acknowledged is intact
        (tmp_path / "callbacks.json").mkdir()     # the callback settings can no longer be written
        async with aiohttp.ClientSession() as s:
            for _ in range(2):
                async with s.put(f"{url}/_emulator/callbacks/cn-shanghai", json={"CallbackURL": "http://x/"}) as r:
                    body = await r.json()
                    assert r.status == 503 and body["error"]["code"] == "StorageFailed"
        lines = [r.getMessage() for r in caplog.records if "storage failed" in r.getMessage()]
        assert len(lines) == 2 and not any(r.exc_info for r in caplog.records), lines   # MNS, control: once each
    finally:
        await runner.cleanup()
        state.close()


def _meta():
    from mns.queue import QueueMeta
    return QueueMeta()

