"""sitroom.bench.api --serve: a real `sitroom serve` process, its start-up, memory and every list."""

from __future__ import annotations

import json
from pathlib import Path

import sitroom
from sitroom.bench.api import serve_run

VOA = Path(sitroom.__file__).parent / "examples" / "voa_stories.jsonl"
LISTS = {"documents (page)", "entities (page)", "claims (page)", "claim clusters (page)", "speakers (page)", "figures",
         "timeline", "events (page)", "places", "search"}


def test_serve_run_times_sitroom_serve_and_every_list(tmp_path):
    stories = tmp_path / "two.jsonl"
    stories.write_text("\n".join(VOA.read_text(encoding="utf-8").splitlines()[:2]) + "\n", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'store.db'}"
    sitroom.ingest_paths([str(stories)], db=url)
    report = serve_run(url, per_query=2)
    assert 0 < report["serve_start_s"] < 60
    assert 0 < report["rss_mb_at_start"] <= report["peak_rss_mb"]
    assert LISTS <= set(report["queries"])
    assert all(q["n"] >= 1 and q["p95_ms"] >= q["p50_ms"] > 0 for q in report["queries"].values())
    json.dumps(report)  # what `python -m sitroom.bench.api --serve` prints
