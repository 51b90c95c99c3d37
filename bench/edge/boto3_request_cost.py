"""
Measures the boto3 baseline edge (boto3_edge_baseline.py) the way bench/edge/request-cost.ts
measures gatehouse's: in a fresh process, `init` reports the time to import it (boto3 and the
client made at import included); `cost` calls its handler with the event the bench wrote (the
same event the Node edge gets) against the stub Invoke API, a warm-up then a bounded count of
sequential requests, each timed, and prints the median and p99 in microseconds as JSON. The
handler's log lines go to /dev/null, as the Node client's stdout does.

Usage: python3 boto3_request_cost.py init | cost <event.json> <warm-up> <requests>
"""
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


class Context:
    aws_request_id = "c6af9ac6-7b61-11e6-9a41-93e812345678"

    def __init__(self, remaining_ms=29_000):
        self.ends_at = time.monotonic() * 1000 + remaining_ms

    def get_remaining_time_in_millis(self):
        return int(self.ends_at - time.monotonic() * 1000)


def main():
    mode = sys.argv[1]
    result = sys.stdout
    started = time.perf_counter()
    import boto3_edge_baseline as edge

    if mode == "init":
        result.write(f"\nimport-ms={(time.perf_counter() - started) * 1000}\n")
        return
    with open(sys.argv[2], encoding="utf-8") as file:
        event = json.load(file)
    warm_up, requests = int(sys.argv[3]), int(sys.argv[4])
    sys.stdout = open(os.devnull, "w", encoding="utf-8")

    def call():
        answer = edge.lambda_handler(event, Context())
        if answer["statusCode"] != 200:
            raise SystemExit(f"the boto3 edge answered {answer['statusCode']}: {answer.get('body')}")

    for _ in range(warm_up):
        call()
    samples = []
    for _ in range(requests):
        begun = time.perf_counter()
        call()
        samples.append((time.perf_counter() - begun) * 1e6)
    samples.sort()
    at = lambda q: samples[min(len(samples) - 1, int(q * len(samples)))]
    result.write(json.dumps({"requests": requests, "medianUs": at(0.5), "p99Us": at(0.99)}) + "\n")


main()
