"""``sitroom bench --api``: latency of the main API queries on a real store, over real HTTP.

The app is served by uvicorn on a free 127.0.0.1 port in this process; requests go through
a keep-alive HTTP client one at a time, so each figure is the time a user's client waits.
Parameters are drawn from the store itself (document ids, entity keys, speakers, title words)
with a fixed seed, so two runs on one store ask the same questions. The app warms up as
``sitroom serve`` does (it brings the picture's tables up to date when the store has changed
since they were); the measuring starts when that is done, and its time is reported apart as
``warm_up_s``, the first request as ``cold_ms``.

Run it directly: ``python -m sitroom.bench.api --db sqlite:///reuters.db``. With ``--serve`` the
server is ``sitroom serve`` in a process of its own, and its start-up time (until it answers a
list) and its memory at start and after the queries are reported too (``serve_run``). With
``--under-ingest INPUT...`` it measures the pages and lists while ``sitroom ingest INPUT...``
writes into the store from another process (``under_ingest``).
"""

from __future__ import annotations

import json
import random
import re
import socket
import statistics
import threading
import time
from typing import Any
from urllib.parse import urlencode

TARGET_P95_MS = 200.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Server:
    """uvicorn in a background thread, stopped on exit."""

    def __init__(self, app: Any) -> None:
        import uvicorn

        self.port = _free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                                    access_log=False))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *_: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _queries(client: Any, rng: random.Random, per_query: int) -> dict[str, list[str]]:
    """Concrete request paths for each main query, drawn from what the store holds."""
    total = client.get("/api/documents", params={"limit": 1}).json()["total"]
    documents = client.get("/api/documents", params={"limit": 500, "offset": max(0, total // 2 - 250)}).json()["items"]
    entities = client.get("/api/entities", params={"limit": 200}).json()["items"]
    speakers = client.get("/api/speakers", params={"limit": 100}).json()["items"]
    words = [w for d in documents for w in re.findall(r"[A-Za-z]{5,}", d.get("title") or "")]

    def pick(items: list[Any], n: int = per_query) -> list[Any]:
        return [rng.choice(items) for _ in range(n)] if items else []

    offsets = [rng.randrange(0, max(1, total - 50)) for _ in range(per_query)]
    return {
        "documents (page)": [f"/api/documents?{urlencode({'limit': 50, 'offset': o})}" for o in offsets],
        "documents (date range)": [f"/api/documents?{urlencode({'since': d['published'], 'limit': 50})}"
                                   for d in pick([d for d in documents if d.get("published")])],
        "document (with records)": [f"/api/documents/{d['id']}" for d in pick(documents)],
        "entities (page)": [f"/api/entities?{urlencode({'limit': 50, 'offset': rng.randrange(0, 150)})}"
                            for _ in range(per_query)],
        "entity (view)": [f"/api/entities/{e['key']}" for e in pick(entities[:50])],
        "documents by entity": [f"/api/documents?{urlencode({'entity': e['key'], 'limit': 50})}"
                                for e in pick(entities[:50])],
        "search": [f"/api/search?{urlencode({'q': w})}" for w in pick(words)],
        "claims (page)": [f"/api/claims?{urlencode({'limit': 50, 'offset': rng.randrange(0, 200)})}"
                          for _ in range(per_query)],
        "claims by speaker": [f"/api/claims?{urlencode({'speaker': s['key']})}" for s in pick(speakers)],
        "claim clusters (page)": [f"/api/claims/clusters?{urlencode({'limit': 50, 'offset': rng.randrange(0, 200)})}"
                                  for _ in range(per_query)],
        "claim clusters by speaker": [f"/api/claims/clusters?{urlencode({'speaker': s['key']})}" for s in pick(speakers)],
        "speakers (page)": [f"/api/speakers?{urlencode({'limit': 50, 'offset': rng.randrange(0, 200)})}"
                            for _ in range(per_query)],
        "figures": [f"/api/figures?{urlencode({'limit': 50, 'offset': rng.randrange(0, 200)})}" for _ in range(per_query)],
        "figures by entity": [f"/api/figures?{urlencode({'entity': e['key']})}" for e in pick(entities[:50])],
        "figures in conflict": ["/api/figures?conflicts=true"] * max(3, per_query // 5),
        "timeline": [f"/api/timeline?{urlencode({'limit': 100, 'offset': rng.randrange(0, 200)})}"
                     for _ in range(per_query)],
        "timeline by entity": [f"/api/timeline?{urlencode({'entity': e['key']})}" for e in pick(entities[:50])],
        "events (page)": [f"/api/events?{urlencode({'limit': 50, 'offset': rng.randrange(0, 200)})}"
                          for _ in range(per_query)],
        "places": ["/api/places"] * max(3, per_query // 5),
    }


def _latencies(client: Any, queries: dict[str, list[str]]) -> dict[str, Any]:
    """Each query's paths asked one at a time: n, p50, p95 and max milliseconds per query."""
    results: dict[str, Any] = {}
    for name, paths in queries.items():
        timings = []
        for path in paths:
            asked = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - asked) * 1000)
            response.raise_for_status()
        if timings:
            results[name] = {"n": len(timings), "p50_ms": round(statistics.median(timings), 1),
                             "p95_ms": round(_percentile(timings, 0.95), 1), "max_ms": round(max(timings), 1)}
    return results


def run(store_url: str, *, per_query: int = 40, seed: int = 7) -> dict[str, Any]:
    """p50/p95/max latency in milliseconds per query kind, with the store's counts."""
    import httpx

    from sitroom.store import open_store
    from sitroom.web.app import create_app

    store = open_store(store_url)
    counts = store.status(last_runs=0)["counts"]
    rng = random.Random(seed)
    app = create_app(store=store, warm=True)  # as `sitroom serve` runs it
    with _Server(app) as base, httpx.Client(base_url=base, timeout=120) as client:
        app.state.warmed.wait()
        warm_s = getattr(app.state, "warm_seconds", None)
        started = time.perf_counter()
        client.get("/api/entities", params={"limit": 1}).raise_for_status()
        cold_ms = (time.perf_counter() - started) * 1000
        results = _latencies(client, _queries(client, rng, per_query))
    store.close()
    worst = max((r["p95_ms"] for r in results.values()), default=0.0)
    return {"store": store_url, "counts": counts, "warm_up_s": round(warm_s, 1) if warm_s is not None else None,
            "cold_ms": round(cold_ms, 1), "queries": results,
            "worst_p95_ms": worst, "target_p95_ms": TARGET_P95_MS, "meets_target": worst < TARGET_P95_MS}


def _rss_mb(pid: int) -> tuple[float, float]:
    """(resident, peak resident) memory of a process in MB, from /proc."""
    found = {}
    for line in open(f"/proc/{pid}/status", encoding="ascii"):
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0]) / 1024
    return round(found.get("VmRSS", 0.0), 1), round(found.get("VmHWM", 0.0), 1)


def serve_run(store_url: str, *, per_query: int = 40, seed: int = 7) -> dict[str, Any]:
    """``sitroom serve`` started as a user starts it, in a process of its own: seconds until it
    answers a list, its memory then and after every query, and each query's latency."""
    import os
    import subprocess
    import sys

    import httpx

    port = _free_port()
    started = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "sitroom", "serve", "--db", store_url, "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ})
    base = f"http://127.0.0.1:{port}"
    try:
        with httpx.Client(base_url=base, timeout=120) as client:
            while True:
                if server.poll() is not None:
                    raise RuntimeError(f"sitroom serve exited with {server.returncode}")
                try:
                    if client.get("/api/entities", params={"limit": 1}).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.05)
            start_s = time.perf_counter() - started
            memory_at_start = _rss_mb(server.pid)
            results = _latencies(client, _queries(client, random.Random(seed), per_query))
            memory_after = _rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    worst = max((r["p95_ms"] for r in results.values()), default=0.0)
    return {"store": store_url, "serve_start_s": round(start_s, 2), "rss_mb_at_start": memory_at_start[0],
            "rss_mb_after_queries": memory_after[0], "peak_rss_mb": memory_after[1], "queries": results,
            "worst_p95_ms": worst, "target_p95_ms": TARGET_P95_MS, "meets_target": worst < TARGET_P95_MS}


# What a reader of the UI asks while an ingest runs: the pages built from the cross-document
# picture and the API lists, the claim clusters among them.
UNDER_INGEST_PATHS = ("/", "/claims", "/claims?grouped=true", "/figures", "/timeline", "/entities", "/map",
                      "/api/claims/clusters", "/api/claims", "/api/figures", "/api/timeline", "/api/entities",
                      "/api/places", "/api/documents")


def under_ingest(store_url: str, inputs: list[str], *, workers: int = 1, rounds_after: int = 3) -> dict[str, Any]:
    """Latency of ``UNDER_INGEST_PATHS``, asked in turn by one client, while ``sitroom ingest
    INPUTS`` writes into the same store from another process; then the same paths for
    ``rounds_after`` rounds once it has finished, for reference."""
    import subprocess
    import sys

    import httpx

    from sitroom.store import open_store
    from sitroom.web.app import create_app

    store = open_store(store_url)
    before = store.status(last_runs=0)["counts"]["documents"]
    app = create_app(store=store, warm=True)
    during: dict[str, list[float]] = {path: [] for path in UNDER_INGEST_PATHS}
    after: dict[str, list[float]] = {path: [] for path in UNDER_INGEST_PATHS}
    statuses: dict[int, int] = {}
    with _Server(app) as base, httpx.Client(base_url=base, timeout=600) as client:
        app.state.warmed.wait()

        def ask(into: dict[str, list[float]]) -> None:
            for path in UNDER_INGEST_PATHS:
                started = time.perf_counter()
                status = client.get(path).status_code
                into[path].append((time.perf_counter() - started) * 1000)
                statuses[status] = statuses.get(status, 0) + 1

        started = time.perf_counter()
        ingest = subprocess.Popen([sys.executable, "-m", "sitroom", "ingest", "--quiet", "--workers", str(workers),
                                   "--db", store_url, *inputs], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while ingest.poll() is None:
                ask(during)
        finally:
            if ingest.poll() is None:
                ingest.kill()
            ingest.wait()
        ingest_s = time.perf_counter() - started
        for _ in range(rounds_after):
            ask(after)
    added = store.status(last_runs=0)["counts"]["documents"] - before
    store.close()

    def summary(timings: dict[str, list[float]]) -> dict[str, Any]:
        every = [t for values in timings.values() for t in values]
        if not every:
            return {"n": 0}
        return {"n": len(every), "p50_ms": round(statistics.median(every), 1),
                "p95_ms": round(_percentile(every, 0.95), 1), "max_ms": round(max(every), 1),
                "p95_ms_by_path": {p: round(_percentile(v, 0.95), 1) for p, v in timings.items() if v}}

    return {"store": store_url, "documents_before": before, "documents_added": added, "ingest_s": round(ingest_s, 1),
            "statuses": statuses, "during_ingest": summary(during), "after_ingest": summary(after)}


def as_markdown(report: dict[str, Any]) -> str:
    """The report as the table kept in docs/benchmarks.md."""
    lines = ["| query | n | p50 ms | p95 ms | max ms |", "|---|---:|---:|---:|---:|"]
    for name, r in report["queries"].items():
        lines.append(f"| {name} | {r['n']} | {r['p50_ms']} | {r['p95_ms']} | {r['max_ms']} |")
    return "\n".join(lines)


def main() -> None:  # pragma: no cover - run by hand and by `sitroom bench --api`
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="Store URL, e.g. sqlite:///reuters.db")
    parser.add_argument("--per-query", type=int, default=40)
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--serve", action="store_true",
                        help="start `sitroom serve` in a process of its own: its start-up time and memory too")
    parser.add_argument("--under-ingest", nargs="+", metavar="INPUT",
                        help="measure the pages and lists while `sitroom ingest INPUT...` writes into the store")
    args = parser.parse_args()
    if args.under_ingest:
        print(json.dumps(under_ingest(args.db, args.under_ingest)))
        return
    report = (serve_run if args.serve else run)(args.db, per_query=args.per_query)
    print(json.dumps(report))
    if args.markdown:
        print(as_markdown(report))


if __name__ == "__main__":  # pragma: no cover
    main()
