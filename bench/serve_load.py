#!/usr/bin/env python3
"""Load on a running `stemma serve`: CLIENTS threads, each with its own keep-alive
connection, send REQUESTS requests per endpoint in all and time each one.

    python3 bench/serve_load.py http://127.0.0.1:PORT [--clients 8] [--requests 2000] [--stories 50]

GET /stories/{id} goes over up to STORIES stories of five versions (of the fewest
versions from five up when there are none): first each once, which the server analyses, then REQUESTS more, which
find the report the server kept (until a batch changes the story); both are given. POST
/compare sends a fixed pair of short reports (the source varied a little per request). Every answer must be
200 and its body JSON; the script fails otherwise. Standard library only.
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import threading
import time
import urllib.parse


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--stories", type=int, default=50)
    args = ap.parse_args()
    base = urllib.parse.urlsplit(args.url)

    def connect() -> http.client.HTTPConnection:
        return http.client.HTTPConnection(base.hostname, base.port, timeout=120)

    def call(conn, method, path, body=None):
        headers = {"Content-Type": "application/json"} if body is not None else {}
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        if response.status != 200:
            raise SystemExit(f"{method} {path}: HTTP {response.status}: {data[:200]!r}")
        return data

    conn = connect()
    stories = json.loads(call(conn, "GET", "/stories?min_versions=5"))["stories"]
    # The stories of the fewest versions from five up (five when there are such), at most
    # STORIES of them: the reports the server keeps fit easily.
    fewest = min((len(s["documents"]) for s in stories), default=0)
    five = [s for s in stories if len(s["documents"]) == fewest][: args.stories]
    if not five:
        raise SystemExit("no story of five versions or more in the index")
    conn.close()

    def run(endpoint: str, work, requests: int) -> dict:
        latencies: list[float] = []
        lock = threading.Lock()
        counter = iter(range(requests))

        def client():
            conn = connect()
            while True:
                with lock:
                    n = next(counter, None)
                if n is None:
                    break
                start = time.perf_counter()
                work(conn, n)
                elapsed = time.perf_counter() - start
                with lock:
                    latencies.append(elapsed)
            conn.close()

        started = time.perf_counter()
        threads = [threading.Thread(target=client) for _ in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - started
        return {
            "endpoint": endpoint,
            "requests": len(latencies),
            "per_second": len(latencies) / wall,
            "p50_ms": percentile(latencies, 50) * 1000,
            "p99_ms": percentile(latencies, 99) * 1000,
        }

    def get_story(conn, n):
        data = call(conn, "GET", f"/stories/{five[n % len(five)]['story']}")
        json.loads(data)

    source = ("At least 14 people were killed when a dam burst above the town of Belozar on "
              "Thursday, officials said. About 1,200 residents were evacuated. Governor Anton "
              "Veresov called it the worst disaster in the region's history.")
    version = ("At least 41 people died when a dam burst above Belozar on Thursday, officials "
               "said. Some 2,100 residents were evacuated. Governor Anton Veresov called it "
               "the worst disaster in the history of the region.")

    def compare(conn, n):
        body = json.dumps({"source": source + f" Report {n % 97}.", "version": version})
        json.loads(call(conn, "POST", "/compare", body.encode()))

    results = [
        run("GET /stories/{id}, each story once (analysed)", get_story, len(five)),
        run("GET /stories/{id}, again (cached report)", get_story, args.requests),
        run("POST /compare", compare, args.requests),
    ]
    print(f"{args.clients} clients; {len(five)} stories of {len(five[0]['documents'])} "
          f"versions, each asked once (the server analyses it), then {args.requests} "
          f"requests over them (the server keeps the reports it made); "
          f"{args.requests} compare requests")
    print()
    print("| endpoint | requests | per second | p50 ms | p99 ms |")
    print("|---|---|---|---|---|")
    for r in results:
        print(f"| {r['endpoint']} | {r['requests']} | {r['per_second']:.0f} | "
              f"{r['p50_ms']:.1f} | {r['p99_ms']:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
