"""Crash safety: the server in a subprocess, killed with SIGKILL, restarted on the same data dir."""

from __future__ import annotations

import contextlib
import select
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import pytest
from mns.account import Account
from mns.mns_exception import MNSServerException
from mns.queue import Message, QueueMeta

from emulator.server.mns import DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET


class Server:
    def __init__(self, data_dir) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "emulator.server.mns", "--data-dir", str(data_dir),
                                      "--port", "0"], stdout=subprocess.PIPE, text=True)
        ready, _, _ = select.select([self.proc.stdout], [], [], 20)
        line = self.proc.stdout.readline() if ready else ""
        if not line.startswith("MNS http://"):
            self.proc.kill()
            raise AssertionError(f"the server did not start: {line!r}")
        self.url = line.split()[1]
        self.accounts: list[Account] = []

    def queue(self, name: str = "vod-events"):
        account = Account(self.url, DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET)
        self.accounts.append(account)
        queue = account.get_queue(name)
        queue.set_encoding(False)
        return queue

    def kill9(self) -> None:
        self.proc.kill()          # SIGKILL: no cleanup, no flush, nothing
        self.proc.wait(10)
        self.close()

    def close(self) -> None:
        for account in self.accounts:
            account.mns_client.http.conn.close()
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)
        self.proc.stdout.close()


@pytest.fixture
def servers(tmp_path) -> Iterator[callable]:
    started: list[Server] = []

    def start() -> Server:
        started.append(Server(tmp_path / "data"))
        return started[-1]

    yield start
    for s in started:
        with contextlib.suppress(Exception):
            s.close()


def drain(queue) -> dict[str, str]:
    got = {}
    while True:
        try:
            batch = queue.batch_receive_message(16, 0)
        except MNSServerException as e:
            assert e.type == "MessageNotExist"
            return got
        for m in batch:
            assert m.message_id not in got
            got[m.message_id] = m.message_body
        queue.batch_delete_message([m.receipt_handle for m in batch])


def test_every_acknowledged_send_survives_kill_9(servers):
    first = servers()
    first.queue().create(QueueMeta())
    producer = first.queue()
    acked = {producer.send_message(Message(f"before-{i}")).message_id: f"before-{i}" for i in range(200)}

    # Keep sending while the process is killed: whatever was acknowledged must be there.
    stop = threading.Event()

    def produce() -> None:
        queue = first.queue()
        i = 0
        while not stop.is_set():
            try:
                acked[queue.send_message(Message(f"during-{i}")).message_id] = f"during-{i}"
            except Exception:
                return
            i += 1

    thread = threading.Thread(target=produce)
    thread.start()
    time.sleep(0.2)
    first.kill9()
    stop.set()
    thread.join(10)
    assert len(acked) > 200, "nothing was sent while the process died"

    second = servers()
    got = drain(second.queue())
    missing = set(acked) - set(got)
    assert not missing, f"{len(missing)} acknowledged messages lost"
    assert all(got[mid] == body for mid, body in acked.items())
    assert len(got) - len(acked) <= 1        # at most the one in flight when the process died


def test_a_received_but_undeleted_message_returns_after_restart(servers):
    first = servers()
    first.queue().create(QueueMeta(vis_timeout=2))
    queue = first.queue()
    sent = queue.send_message(Message("unfinished work"))
    taken = queue.receive_message(0)
    received_at = time.monotonic()
    first.kill9()

    second = servers()
    queue = second.queue()
    if time.monotonic() - received_at < 1.5:        # still inside its visibility timeout
        with pytest.raises(MNSServerException, match="MessageNotExist"):
            queue.receive_message(0)
    back = queue.receive_message(5)                  # long poll: wakes when it comes due
    assert time.monotonic() - received_at >= 1.9
    assert (back.message_id, back.message_body, back.dequeue_count) == (sent.message_id, "unfinished work", 2)
    assert back.first_dequeue_time == taken.first_dequeue_time
    with pytest.raises(MNSServerException, match="MessageNotExist"):
        queue.delete_message(taken.receipt_handle)   # the pre-crash handle is stale
    queue.delete_message(back.receipt_handle)


def test_a_second_server_on_the_same_data_dir_refuses_to_start(servers, tmp_path):
    servers()
    proc = subprocess.run([sys.executable, "-m", "emulator.server.mns", "--data-dir", str(tmp_path / "data")],
                          capture_output=True, text=True, timeout=20)
    assert proc.returncode == 1 and "in use by another process" in proc.stderr and proc.stdout == ""
