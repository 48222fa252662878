"""MNS emulator throughput and long-poll latency, side by side with moto's SQS server.

Round trip = send + receive + delete of one message, sequential, through the real client
(aliyun-mns-sdk for the emulator, boto3 for moto), each server in its own process on
127.0.0.1.  Targets: emulator ≥ 3× moto; long-poll wake p99 ≤ 10 ms.

    python bench/mns_roundtrip.py [--messages 1000] [--trials 50]

Long-poll wake latency: a consumer (its own process) waits with waitseconds=10 on an
empty queue; the producer sends; latency = from the start of that send to the consumer's
receive returning, so it includes the send's own round trip.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from emulator.server.mns import DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET  # noqa: E402

WARMUP = 50


@contextlib.contextmanager
def mns_server(in_memory: bool) -> Iterator[str]:
    with tempfile.TemporaryDirectory() as tmp:
        where = ["--in-memory"] if in_memory else ["--data-dir", tmp]
        proc = subprocess.Popen([sys.executable, "-m", "emulator.server.mns", *where, "--port", "0"],
                                stdout=subprocess.PIPE, text=True)
        try:
            yield proc.stdout.readline().split()[1]
        finally:
            proc.terminate()
            proc.wait(10)
            proc.stdout.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def moto_server() -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            if time.monotonic() > deadline:
                raise RuntimeError("moto server did not start")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)


def rate(n: int, round_trip: Callable[[int], None]) -> float:
    for i in range(WARMUP):
        round_trip(i)
    started = time.perf_counter()
    for i in range(n):
        round_trip(i)
    return n / (time.perf_counter() - started)


def wake_latencies(kind: str, url: str, trials: int, send: Callable[[], None]) -> tuple[list[float], list[float]]:
    """The consumer runs in its own process, so the two clients never wait for one GIL."""
    consumer = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--consume", kind, "--url", url,
                                 "--trials", str(trials)], stdout=subprocess.PIPE, text=True)
    out, sends = [], []
    try:
        assert consumer.stdout.readline().strip() == "ready"
        for _ in range(trials):
            time.sleep(0.05)              # let the receive reach the server and park
            sent_at = time.monotonic()    # CLOCK_MONOTONIC: the same clock in both processes
            send()
            sends.append((time.monotonic() - sent_at) * 1000)
            out.append((float(consumer.stdout.readline()) - sent_at) * 1000)
    finally:
        consumer.wait(30)
        consumer.stdout.close()
    return out, sends


def consume(kind: str, url: str, trials: int) -> None:
    """Child process: ``trials`` long polls of 10 s, printing when each one returned."""
    if kind == "mns":
        from mns.account import Account

        queue = Account(url, DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET).get_queue("wake")

        def receive() -> None:
            queue.delete_message(queue.receive_message(10).receipt_handle)
    else:
        sqs = sqs_client(url)
        queue_url = sqs.get_queue_url(QueueName="wake")["QueueUrl"]

        def receive() -> None:
            (m,) = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=1, WaitTimeSeconds=10)["Messages"]
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=m["ReceiptHandle"])

    print("ready", flush=True)
    for _ in range(trials):
        receive()
        print(time.monotonic(), flush=True)


def sqs_client(url: str):
    import boto3

    return boto3.client("sqs", endpoint_url=url, region_name="us-east-1",
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def mns_bench(url: str, n: int, trials: int) -> tuple[float, tuple[list[float], list[float]]]:
    from mns.account import Account
    from mns.queue import Message, QueueMeta

    accounts = [Account(url, DEFAULT_ACCESS_KEY_ID, DEFAULT_ACCESS_KEY_SECRET) for _ in range(2)]
    queue, producer = (a.get_queue("bench") for a in accounts)
    queue.create(QueueMeta())
    for q in (queue, producer):
        q.set_encoding(False)

    def round_trip(i: int) -> None:
        queue.send_message(Message(f'{{"EventType":"FileUploadComplete","n":{i}}}'))
        queue.delete_message(queue.receive_message(0).receipt_handle)

    per_s = rate(n, round_trip)
    accounts[0].get_queue("wake").create(QueueMeta())
    wake = accounts[1].get_queue("wake")
    lat = wake_latencies("mns", url, trials, lambda: wake.send_message(Message("wake")))
    for a in accounts:
        a.mns_client.http.conn.close()
    return per_s, lat


def sqs_bench(url: str, n: int, trials: int) -> tuple[float, tuple[list[float], list[float]]]:
    sqs = sqs_client(url)
    queue_url = sqs.create_queue(QueueName="bench")["QueueUrl"]

    def round_trip(i: int) -> None:
        sqs.send_message(QueueUrl=queue_url, MessageBody=f'{{"EventType":"FileUploadComplete","n":{i}}}')
        (m,) = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=1, WaitTimeSeconds=0)["Messages"]
        sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=m["ReceiptHandle"])

    per_s = rate(n, round_trip)
    wake_url = sqs.create_queue(QueueName="wake")["QueueUrl"]
    lat = wake_latencies("sqs", url, trials, lambda: sqs.send_message(QueueUrl=wake_url, MessageBody="wake"))
    return per_s, lat


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--trials", type=int, default=50)
    parser.add_argument("--consume", choices=["mns", "sqs"], help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.consume:
        consume(args.consume, args.url, args.trials)
        return

    results = {}
    for label, factory in (("MNS emulator, SQLite file (WAL)", lambda: mns_server(False)),
                           ("MNS emulator, in memory", lambda: mns_server(True)),
                           ("moto SQS server + boto3", moto_server)):
        with factory() as url:
            bench = sqs_bench if label.startswith("moto") else mns_bench
            results[label] = bench(url, args.messages, args.trials)

    print(f"send+receive+delete round trips, sequential, {args.messages} messages "
          f"(after {WARMUP} warm-up); long-poll wake over {args.trials} trials")
    for label, (per_s, (lat, sends)) in results.items():
        print(f"  {label:34s} {per_s:6.0f} round trips/s | wake p50 {statistics.median(lat):5.2f} ms "
              f"p99 {pct(lat, 99):5.2f} ms max {max(lat):5.2f} ms (the send itself: p50 "
              f"{statistics.median(sends):4.2f} ms)")
    moto = results["moto SQS server + boto3"][0]
    for label in list(results)[:2]:
        print(f"  ratio {label} / moto: {results[label][0] / moto:.1f}x (target >= 3x)")


if __name__ == "__main__":
    main()
